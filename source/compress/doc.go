// Package compress recognises and undoes the compressions a table's files
// arrive in: gzip (including multi-member files), bzip2, zstd, snappy
// (framed, and Hadoop's block format for *.snappy files), raw deflate and
// zlib, lz4 frames, and zip archives whose entries are read as separate
// files.
//
// Invariants:
//   - Detect trusts magic bytes over the file name: a file called x.csv
//     holding gzip data is read as gzip. A name that promises a codec with
//     a mandatory magic number (x.gz) is still decoded with that codec when
//     the magic is missing, so the decoder reports the corruption rather
//     than the reader parsing binary data as text.
//   - Decoders bound their memory: zstd windows are capped and the Hadoop
//     block reader rejects blocks larger than MaxBlockBytes.
//   - ReadAhead moves decompression onto a goroutine of its own; its Close
//     waits for that goroutine, so the decoder can be closed safely after.
//   - Nothing here panics on corrupt input; every decoder error is
//     returned to the caller, who adds the file's location.
//
// Imports: the standard library, klauspost/compress, pierrec/lz4/v4.
package compress
