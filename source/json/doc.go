// Package json reads JSON tables (STORED AS JSON, or ROW FORMAT SERDE
// 'org.apache.hive.hcatalog.data.JsonSerDe' / 'org.openx.data.jsonserde.JsonSerDe')
// into Arrow batches. Format implements source.Format; InferSchema types a
// file's first records for zero-setup tables.
//
// Layouts. Without json.root a file is JSON lines: one object per line,
// blank lines skipped, a UTF-8 BOM ignored. A file whose first byte (after
// blanks) is '[' is instead one array whose elements are the rows, so a
// plain JSON export reads without setup. With SERDEPROPERTIES
// ('json.root' = 'results') each file is one document and the rows are the
// elements of the array at that key path ('data.items' descends; "$" is
// the document itself; a root that is an object is one row, and null none).
// Documents are streamed: the walk to the root skips other members in
// constant memory (matching brackets and strings without building them),
// then holds one element at a time, so an openFDA download of hundreds of
// MB reads in a few MB of heap. A missing root is an error listing the
// document's top-level keys.
//
// Keys and values, following the Hive and OpenX SerDes. Keys match column
// and struct field names ignoring case (case.insensitive = 'false' matches
// exactly); dots.in.keys = 'true' reads "a.b" as a_b; 'mapping.<column>' =
// '<key>' reads a top-level column from another key. Missing keys are
// NULL, unknown keys are skipped without being converted, and of duplicate
// keys the first wins. Values convert to the declared type: a number or
// boolean into a string column gives its JSON text, and an object or array
// its JSON text as written; a string into a number, boolean, decimal, date
// or timestamp column is parsed (OpenX's coercion), an empty one is NULL;
// numbers with a fraction or exponent fill integer columns when integral
// (1.0, 1e3); objects fill row and map columns and arrays array columns;
// a json column keeps every value's JSON text. Dates and timestamps are
// read from strings only (a number there does not convert).
// A value that does not convert is an error naming the file, position and
// column path (patient.drug.medicinalproduct), or NULL under
// use.null.for.invalid.data = 'true' (a map entry whose key does not
// convert is then dropped). Strings are repaired to valid UTF-8 (each bad
// sequence becomes U+FFFD; a lone \u surrogate too), cut to varchar(n) and
// char(n), and timestamps and decimals parse as in text files (Hive and
// ISO 8601 forms; exact decimals rounded half up).
//
// Malformed input. A malformed line (bad syntax, not an object, trailing
// data, nesting deeper than 1000 levels) is an error naming the file, line
// and byte offset, or a row of NULLs under ignore.malformed.json = 'true';
// with that property each line is checked before it is converted, so a bad
// line never leaves a half-built row. In a document the syntax of each
// element is checked before conversion and malformed or truncated JSON is
// always an error (there is no next line to resume at); an element that is
// not an object is malformed. A null line or element is a row of NULLs. A line or
// element longer than quarry.max.record.bytes (default 64 MiB) is an error.
//
// Splits. Uncompressed JSON-lines files split into byte ranges with the
// source.Split contract: a range with Offset > 0 starts reading at
// Offset-1 and discards bytes through the first '\n' there, so its first
// record is the first line that begins at or after Offset; it reads every
// line that begins before Offset+Length. Compressed files, zip archives
// (each entry read as its own file, in order) and json.root documents are
// one split; a range of a file that turns out by its bytes to be
// compressed or a bare array reads nothing, the range at 0 reads it all.
// Byte offsets in messages count from the start of the (decompressed)
// stream; a range reader cannot know line numbers and gives offsets only.
//
// Imports: source, catalog, objstore, types, source/compress, arrow-go and
// the standard library.
package json
