// Package parquet reads Parquet files for table scans (source.Format
// "PARQUET") and infers table columns from a file's schema.
//
// Decoding goes straight from parquet-go's typed page buffers
// (Page.Data, dictionary pages converted once per column chunk) into
// Arrow buffers taken from the request's allocator; parquet-go's row and
// Value APIs and arrow-go's pqarrow are deliberately not used, because
// the per-value interfaces cost several times the decode itself.
//
// Invariants:
//   - Columns are matched to the file by name, case-insensitively (Hive
//     and Athena semantics); a declared column missing from the file, or a
//     missing struct field, reads as NULL.
//   - Batches carry exactly the Arrow types of types.Type.Arrow for the
//     declared columns; file values are converted (decimal rescale,
//     timestamp units, INT96, integer widening) or the read fails with an
//     error naming file, column, file type and declared type.
//   - Splits are byte ranges; a row group belongs to the split containing
//     its midpoint, so splits never share or lose a row group.
//   - I/O is footer first and counted byte for byte: one read of the
//     file's last 64 KiB (more only for a larger footer), whose bytes also
//     serve the column chunks they hold; then one ranged read per column
//     chunk (up to 64 MiB) for what is not already in memory. Footers are
//     cached by object identity (location, size, version token): after the
//     first query of a file, scans read column chunks alone. What a split
//     reads never depends on the other splits of its query (footer.go).
//   - Row groups are skipped by their statistics, then by bloom filters and
//     dictionary pages for equality predicates (probe.go); the estimator
//     counts what the reader reads by the same rules (estimate.go).
//   - Corrupt input never panics out of this package: parquet-go panics
//     are recovered at Open and Next and reported with the file location.
//
// Imports: source, catalog, objstore, types, arrow-go, parquet-go.
package parquet
