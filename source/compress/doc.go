// Package compress recognises and undoes the compressions a table's files
// arrive in: gzip (including multi-member files), bzip2, zstd, snappy
// (framed, and Hadoop's block format for *.snappy files), raw deflate and
// zlib, lz4 frames, and zip archives whose entries are read as separate
// files.
//
// Gzip files can be read in parallel pieces. NewGzipReader (this
// package's own member, header and trailer handling around
// klauspost/compress/flate) can record an IndexBuilder of checkpoints
// while a file is read once: deflate block boundaries with their 32 KiB
// window, and member starts, which need none. The caller ties each
// checkpoint to the first record it parses at or after it. NewGzipRange
// then resumes inflating at a checkpoint and yields an exact range of the
// decompressed stream. BGZF files (gzip members of at most 64 KiB that
// state their size) split without an index: FindBGZFBlock and
// NewBGZFRange read the blocks starting in a compressed byte range.
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
//   - Every gzip member's CRC-32 and size are checked. An index stores the
//     CRC-32 of the output between consecutive checkpoints, and its
//     intervals are checked (CRC32Combine) against the members' trailers
//     when it is built; a range read from a checkpoint verifies every
//     interval it reads to the end of, so bytes changed behind an
//     unchanged version token are an error, not wrong data. An index
//     exists only for a stream read to its end without error.
//
// Imports: the standard library, klauspost/compress, pierrec/lz4/v4.
package compress
