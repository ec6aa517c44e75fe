// Package cache is Quarry's persistent cache of decoded columns: raw text
// (CSV, JSON) is parsed once, and later scans of the same bytes read
// Arrow batches from local Parquet files instead of parsing again.
//
// Cache.Wrap turns a source.Format into one that reads through the cache;
// the engine registers the wrapped formats. Parquet (already columnar)
// passes through. Cache.Memo keeps small per-object facts (a gzip
// checkpoint index) under the same budget.
//
// # Unit and identity
//
// A segment is the decoded rows of one raw split (Offset, Length, Decoded)
// of one object version (location, the listing's Version token, size)
// under one parse fingerprint: a hash of the format name and version
// (ParserVersion, or the format's own via Versioned), the SerDe, its
// properties, the table properties that may affect parsing (all but
// statistics and projection ones), and the ordered column names and
// types. The session time zone is not part of it: the text readers
// normalise offsets to UTC and read other timestamps as written. Objects
// without a Version token are never cached. A changed object (another
// Version or size in the query's own listing) is another identity: a
// miss, never stale data.
//
// A segment holds column groups, each one Parquet file with some of the
// table's columns, all with the same rows in the same order and the same
// row-group boundaries (those of its first group). A query needing
// columns a segment lacks reads raw and adds a group of the missing
// columns; past maxGroups groups a fill rewrites all the query's columns
// and drops the groups it supersedes. Each group has a facts file
// (.meta: the segment's identity, row count, the raw reader's notices,
// row groups, chunk offsets with CRC-32C, statistics), immutable and
// written after its Parquet file: a group exists exactly when both do.
// A rows-only group (no columns, no file) serves count(*).
//
// # Files
//
// Groups of scalar columns are written and read by flatwrite.go and
// flatread.go: pages built from and decoded into Arrow buffers, strings
// dictionary encoded while that pays, pages Snappy-compressed when that
// saves an eighth (Options.Uncompressed turns it off). Groups with nested
// columns (JSON arrays, rows, maps) are written with parquet-go and read
// with source/parquet. Both are plain Parquet that other tools can read.
//
// # Invariants
//
//   - A cache failure never fails a query: write errors (a full disk
//     included), corrupt or missing files and low free space are logged
//     (Options.Logf) and the split is read raw.
//   - Answers are exact: a piece of a segment (rows [r0, r1)) whose files
//     prove unreadable or fail their checksums, at any point, evicts the
//     segment and continues from the raw split, emitting only the rows the
//     cached piece had not yet emitted. Every chunk is checked against its
//     fill-time CRC before it is decoded.
//   - Fills never hold memory a query is accounted for: the batches a
//     miss reads are taken off the query's account when its allocator
//     allows (source.AccountTransfer: exec's does for queries without a
//     memory limit) and put back if the fill drops them while the query
//     may run, or else copied into Go memory before the reader returns
//     them; the memory tier gets copies.
//     Pieces allocate their batches from Request.Alloc and hold none after
//     Close.
//   - A fill is kept only if the raw reader reached its end without error
//     and a re-stat of the object through the query's own store (its
//     credentials) gives the listed Version and size; otherwise it is
//     discarded. An early Close discards it.
//   - Files are written to tmp/, fsynced, renamed into seg/<tile>/, and
//     the folder fsynced; the facts file last. Open removes temporary
//     files of dead processes, Parquet files without facts and facts
//     without files (after a grace period, as another process may be
//     between its two renames), and rebuilds the index from the facts.
//   - Several processes may share the directory: nothing is rewritten in
//     place, names are unique, each process reconciles its index with the
//     folder (on misses, every RescanInterval, before eviction), the
//     budget counts every process's files, and planned scans pin their
//     files (open descriptors outlive unlink) so another process's
//     eviction cannot fail a scan.
//   - Eviction is SLRU: segments hit twice are protected (up to 80% of the
//     budget); probationary segments go first, least recently used first,
//     so one large scan cannot flush segments in repeated use.
//   - Fills run on Options.Workers goroutines, at most Options.QueueSize
//     in flight; a miss finding the queue full, or a fill of the same
//     group already in flight, reads raw without filling. A fill is
//     encoded once its raw read has ended and the process has no raw read
//     left in progress (within Options.FillDefer), so that it does not
//     slow the query that reads; planning a scan of an object whose fills
//     wait waits for them (up to fillAwait) rather than reading it raw
//     again. The batches a fill encoded go to the memory tier with the
//     group it publishes.
//   - The memory tier (hot.go) keeps decoded chunks; every array it holds
//     or will hold is registered in internal/stable, so that exec can
//     keep results computed from them.
//
// Imports: source, source/parquet, objstore, catalog, types, arrow-go,
// parquet-go, klauspost/compress, zeebo/xxh3 and the standard library.
package cache
