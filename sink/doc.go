// Package sink writes query results into table storage: Parquet, Hive text
// (LazySimpleSerDe) and JSON-lines files, partitioned Hive-style
// (k=v/k2=v2 folders with Hive's escaping, NULL as
// __HIVE_DEFAULT_PARTITION__), staged and committed so that a failed,
// cancelled or killed write leaves nothing visible to readers.
//
// Life of a write: NewWriter validates the options and the column types
// for the format; Write takes Arrow records whose columns are the data
// columns followed by the partition key columns and routes each row to a
// file of its partition; Commit finishes every file and publishes it from
// the staging folder into the table, returning the files and partitions
// written so the engine can register partitions; Abort (after any error,
// or instead of Commit) deletes the staging folder.
//
// Invariants:
//   - Every byte goes below <location>/.quarry-staging-<millis>-<query>-<rand>/
//     until Commit. Readers skip names starting with '.', so staged files
//     are never read. Commit publishes with objstore.Writer.Rename, which
//     never replaces an existing object; a failed Commit removes the files
//     it had already published (they are new, uniquely named files) and
//     leaves the staging folder for Abort. Existing files are never
//     overwritten or deleted.
//   - Before its first rename Commit writes a journal (_journal.json: the
//     files it will publish and the partitions they form) into the staging
//     folder, and after the last one a _published marker; the staging
//     folder stays until the caller has registered the write and calls
//     Done. A process killed at any point thus leaves enough for the next
//     one (Inspect) to roll the write back — delete the listed files — or
//     forward.
//   - File names are <query>_<rand>_<nnnnn><ext>, unique per Writer, so
//     concurrent writers and later INSERTs add files beside old ones.
//   - Memory is bounded: each open file buffers at most one row group
//     (RowGroupBytes / RowGroupRows) and all open files together at most
//     MaxBufferedBytes, beyond which the largest row group is flushed
//     early. Files roll over at TargetFileBytes. More than
//     MaxOpenPartitions distinct partitions in one write is an error.
//   - Write is safe for concurrent use: concurrent callers writing the
//     same partition get files of their own (up to MaxWritersPerPartition).
//   - A type the format cannot store is an error from NewWriter that names
//     the column.
//   - CleanupStale removes staging folders, older than an age, of writers
//     no catalog knows about (another machine's).
//
// Imports: objstore, catalog, types, arrow-go, parquet-go,
// klauspost/compress and the standard library.
package sink
