// Package csv reads delimited text files (STORED AS TEXTFILE) for the two
// SerDes tables declare: Hive's LazySimpleSerDe (ROW FORMAT DELIMITED, the
// default) and OpenCSVSerde. Format implements source.Format.
//
// The parser is our own and works over whole buffers: records are found
// with bytes.IndexByte (vectorised in the standard library), fields are
// split in place and converted straight into Arrow buffers allocated from
// the request's allocator. Only projected columns are converted; fields
// past the last projected one are not even split (LazySimpleSerDe).
//
// Semantics, per SerDe:
//
// LazySimpleSerDe: fields end at field.delim (default \001), records at
// line.delim (default \n; a \r before it is dropped). With escape.delim
// set, the escape character makes the next byte literal (so "\," is a
// comma inside a field); "\n" and "\r" after it decode to newline and
// carriage return, as Hive writes them. A field equal to
// serialization.null.format (default \N, compared before unescaping) is
// NULL. Extra fields are ignored and missing fields are NULL. A value that
// does not parse as its column's non-string type is NULL, as in Hive, and
// so is an empty field of a non-string column.
//
// OpenCSVSerde: separatorChar (default ','), quoteChar (default '"') and
// escapeChar (default '\'). A field that starts with the quote character
// may hold separators, newlines and doubled quotes; characters after its
// closing quote up to the next separator are kept. Inside any field the
// escape character before a quote or another escape character makes it
// literal, and a lone escape character is dropped, as opencsv (which Hive
// and Athena use) does; quotes in the middle of an unquoted field are
// literal. Declared non-string types are parsed (as Athena does, where
// Hive would read strings): a value that does not parse is an error naming
// the file, line, column and value, unless the table property
// use.null.for.invalid.data is 'true' (Athena's switch), which makes it
// NULL. As in Athena, an all-digit date is days and an all-digit
// timestamp milliseconds since 1970-01-01. Empty fields are NULL for
// non-string columns and "" for strings. Because a quoted field may hold
// newlines, OpenCSV files are never split into byte ranges.
//
// Common to both: varchar(n) and char(n) values are cut to n characters
// (char also loses trailing spaces), as Hive does on read. Invalid UTF-8
// in string columns is replaced by U+FFFD per bad sequence, so every
// string a batch holds is valid UTF-8. Timestamps read in Hive form
// (YYYY-MM-DD HH:MM:SS[.fffffffff]) and ISO 8601 (T separator, optional Z
// or ±hh:mm offset, normalised to UTC), rounded half up to the column's
// precision. Decimals are parsed exactly (scientific notation included)
// and rounded half up to the column's scale. skip.header.line.count and
// skip.footer.line.count apply per file; a first line whose fields name
// the table's columns (case-insensitively, ignoring punctuation; at least
// half of its fields, and at least three or all of them) is skipped with a
// notice even without the property (disable with the table property
// quarry.header.detect = 'false'). A UTF-8 byte order mark at the start
// of a file is dropped. A record longer than
// quarry.max.record.bytes (default 64 MiB) is an error, so one huge line
// cannot exhaust memory.
//
// Positions in errors are 1-based physical line numbers counted from the
// start of the file, header included. A reader of a byte range that does
// not start at 0 cannot know its line numbers and names the record's byte
// offset instead.
//
// Byte ranges: a record belongs to the range in which its first byte lies.
// A reader of [Offset, Offset+Length) with Offset > 0 starts reading at
// Offset-1 and skips through the first line terminator, so its first record
// is the first that begins at or after Offset; it reads every record that
// begins before Offset+Length, past the range's end if need be. Zip
// archives are read entry by entry, each entry a file of its own (with its
// own header), named "archive.zip!entry" in messages. Compressed streams
// decompress on a goroutine of their own while the previous block is parsed.
//
// Gzip checkpoint index: with Format.Memo set, the first read of a whole
// gzip file that has a version token records a checkpoint about every
// 1-16 MiB of output (indexSpacing), each tied to the first record the
// parser saw at or after it (quoted newlines included) with that record's
// line number. The index goes into the Memo only when the file was read
// to its end without error, under a key made of the location, the
// version token, the options that decide record starts and header lines,
// and the index format's version. Split then cuts the file at checkpoint
// records into Decoded splits (about target decompressed bytes each, and
// at least two per core), whose readers inflate from their checkpoint on
// a goroutine of their own and verify each interval's CRC-32; a CRC
// mismatch is an error naming the file, and rows of the interval already
// returned are followed by that error, never silently by wrong rows. A
// Decoded split without its Hint reads the same rows (from the Memo's
// index, or by inflating from the file's start and discarding). Files
// with a footer to skip are not indexed.
//
// BGZF files that Split cuts into byte ranges (their names promise no
// compression: x.tsv.bgz; the first block's header decides) are read
// without an index, for LazySimpleSerDe tables only: a range reads the
// blocks that start in it, and records follow the byte-range rule in
// decompressed coordinates (see compress.NewBGZFRange); line numbers are
// not known past the first range. A BGZF file named *.gz is indexed like
// any gzip file, at member starts, which need no window.
//
// Statistics: BytesRead counts bytes taken from storage, BytesDecompressed
// the bytes compressed streams (and zip entries) expanded to; an
// uncompressed file adds nothing to BytesDecompressed. FilesRead counts a
// file once, by the split at offset 0. Rows counts rows returned.
//
// Imports: source, catalog, objstore, types, source/compress, arrow-go and
// the standard library.
package csv
