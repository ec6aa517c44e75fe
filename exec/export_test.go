package exec

import "io"

// SetSpillWrap wraps every spill file's writer (tests inject a full disk).
func SetSpillWrap(c *Context, wrap func(io.Writer) io.Writer) { c.Spill.wrap = wrap }

// SetSpillCompression picks the spill files' codec ("", "lz4" or "zstd")
// for benchmarks; it is not safe to call while queries run.
func SetSpillCompression(name string) {
	switch name {
	case "lz4":
		spillCodec = spillLZ4
	case "zstd":
		spillCodec = spillZstd
	default:
		spillCodec = spillPlain
	}
}
