// Package exec runs physical plans over Arrow record batches.
//
// The operator contract:
//   - Open is called once before Next; Close is idempotent and safe without Open.
//   - Next returns the next batch, or (nil, nil) at the end. A batch is valid
//     until the following Next or Close on the same operator; a consumer that
//     keeps it longer calls Retain (and later Release) on it.
//   - Errors are returned, never panicked; a panic is a broken invariant and
//     is recovered only at the query boundary (engine).
//   - Operators hold no global state. Parallelism comes from Gather, which
//     runs one instance of a sub-plan per worker; instances share only the
//     explicit shared objects they were built with (a morsel queue, a join
//     table), so a sub-plan can later run on a remote worker instead.
//
// Memory: every buffer comes from the query's allocator (Context.Alloc),
// which accounts bytes against the query's limit and fails cleanly with a
// resource error when it is exceeded. Sort and HashAggregate spill to
// temporary Arrow IPC files in Context.Spill.Dir once the query holds more
// than Context.Spill.Threshold (by default 70% of the limit; spill.go).
//
// Imports: types, function, source (interfaces only), objstore, catalog,
// arrow-go. Nothing here knows the parser or the optimizer.
package exec
