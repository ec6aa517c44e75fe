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
//   - Each column chunk is fetched with one ranged read (up to 64 MiB),
//     after a footer read at open: few requests on object storage.
//   - Corrupt input never panics out of this package: parquet-go panics
//     are recovered at Open and Next and reported with the file location.
//
// Imports: source, catalog, objstore, types, arrow-go, parquet-go.
package parquet
