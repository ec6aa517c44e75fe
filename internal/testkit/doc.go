// Package testkit holds test helpers shared across layers. Its centre is a
// sqllogictest (.slt) runner: Parse reads a script in the standard
// sqllogictest format and Run executes it against any DB, comparing
// results or, in completion mode (QUARRY_SLT_COMPLETE=1 or the test flag
// -complete), rewriting the expected results in place from the actual ones,
// keeping comments, conditions and layout.
//
// The format, as in SQLite's suite:
//
//	statement ok | statement error [regexp]   then SQL up to a blank line
//	query <types> [nosort|rowsort|valuesort] [label]
//	SQL
//	----
//	expected results, up to a blank line
//	hash-threshold N, halt, skipif <engine>, onlyif <engine>, # comments
//
// Type letters: R (real) prints with three decimals, as SQLite's suite does;
// every other letter (T, I, ...) keeps the DB's exact text, which for Quarry
// is Trino's text form of the value. NULL is "NULL", an empty string is
// "(empty)" and control characters become '@'. Expected results are one
// value per line or one row per line with values separated by tabs.
// Above the hash threshold results are written "N values hashing to MD5",
// the MD5 of every value followed by a newline, after sorting. The error
// regexp of statement error is searched for in the error message; a query
// record may also be written as statement error. ${NAME} in SQL is replaced
// by the values given with WithVar.
//
// Invariant: testkit knows nothing of Quarry's engine; a DB adapter renders
// values as text (NULL as "NULL") and testkit compares text. It imports only
// the standard library, so any layer's tests may use it.
package testkit
