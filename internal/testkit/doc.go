// Package testkit holds test helpers shared across layers. Its centre is a
// sqllogictest (.slt) runner: Parse reads a script in the standard
// sqllogictest format (SQLite's flavour, plus row-wise results separated by
// tabs), and Run executes it against any DB, comparing results or, in
// completion mode (QUARRY_SLT_COMPLETE=1 or the test flag -complete),
// rewriting the expected results in place from the actual ones.
//
// Invariant: testkit knows nothing of Quarry's engine; a DB adapter renders
// values as text (NULL as "NULL") and testkit compares text. It imports only
// the standard library, so any layer's tests may use it.
package testkit
