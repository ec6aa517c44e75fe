package sink

import (
	"bufio"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/types"
)

const textBufferSize = 256 << 10

// streamEncoder is the shared frame of the text and JSON encoders: rows
// are formatted into a line buffer, then written through an optional
// compressor and a buffer to the object.
type streamEncoder struct {
	out   io.Writer      // counting writer over the object
	comp  io.WriteCloser // compressor, or nil
	buf   *bufio.Writer
	line  []byte
	count func() int64 // bytes that reached the object
}

func newStreamEncoder(out io.Writer, count func() int64, compression string) (*streamEncoder, error) {
	s := &streamEncoder{out: out, count: count}
	var dst io.Writer = out
	switch compression {
	case "GZIP":
		s.comp = gzip.NewWriter(out)
	case "ZSTD":
		z, err := zstd.NewWriter(out, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		s.comp = z
	}
	if s.comp != nil {
		dst = s.comp
	}
	s.buf = bufio.NewWriterSize(dst, textBufferSize)
	return s, nil
}

func (s *streamEncoder) size() int64 { return s.count() + int64(s.buf.Buffered()) }

// flushRowGroup has no row groups to end; it pushes buffered bytes out.
func (s *streamEncoder) flushRowGroup() error { return s.buf.Flush() }

func (s *streamEncoder) close() error {
	if err := s.buf.Flush(); err != nil {
		return err
	}
	if s.comp != nil {
		return s.comp.Close()
	}
	return nil
}

// compressionExt is the file name suffix of a text or JSON codec.
func compressionExt(c string) string {
	switch c {
	case "GZIP":
		return ".gz"
	case "ZSTD":
		return ".zst"
	}
	return ""
}

// textEncoder writes Hive LazySimpleSerDe text: fields separated by the
// delimiter, rows by \n, NULL as \N, and the delimiter, backslash, \n and
// \r escaped with a backslash (\n and \r as "\n" and "\r"), which readers
// undo with escape.delim = '\' (TextSerDeProperties).
type textEncoder struct {
	*streamEncoder
	delim byte
	types []types.Type
	fns   []appendFn
}

// checkTextTypes rejects types LazySimpleSerDe text cannot hold here:
// nested types need collection delimiters that Quarry's reader does not
// read, and binary, time and intervals have no text form it parses.
func checkTextTypes(cols []types.Column) error {
	for _, c := range cols {
		switch c.Type.Kind {
		case types.Boolean, types.TinyInt, types.SmallInt, types.Integer, types.BigInt, types.Real, types.Double,
			types.Decimal, types.Varchar, types.Char, types.JSON, types.Date, types.Timestamp, types.TimestampTZ:
		default:
			return fmt.Errorf("column %s: type %s cannot be stored in %s (use PARQUET or JSON)", c.Name, c.Type, catalog.FormatText)
		}
	}
	return nil
}

func (e *textEncoder) write(cols []arrow.Array, sel []int32, n int) error {
	if cap(e.fns) < len(cols) {
		e.fns = make([]appendFn, len(cols))
	}
	fns := e.fns[:len(cols)]
	for c, arr := range cols {
		fn, ok := textAppender(arr, e.types[c])
		if !ok {
			return fmt.Errorf("BUG: no text form for %s", e.types[c])
		}
		fns[c] = fn
	}
	d := e.delim
	for k := 0; k < n; k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		line := e.line[:0]
		for c, arr := range cols {
			if c > 0 {
				line = append(line, d)
			}
			if arr.IsNull(i) {
				line = append(line, '\\', 'N')
				continue
			}
			p := len(line)
			line = fns[c](line, i)
			line = escapeText(line, p, d)
		}
		line = append(line, '\n')
		e.line = line
		if _, err := e.buf.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// escapeText escapes line[p:] in place; most values need nothing.
func escapeText(line []byte, p int, d byte) []byte {
	j := p
	for ; j < len(line); j++ {
		c := line[j]
		if c == d || c == '\\' || c == '\n' || c == '\r' {
			break
		}
	}
	if j == len(line) {
		return line
	}
	tail := append([]byte(nil), line[j:]...)
	line = line[:j]
	for _, c := range tail {
		switch c {
		case '\n':
			line = append(line, '\\', 'n')
		case '\r':
			line = append(line, '\\', 'r')
		case d, '\\':
			line = append(line, '\\', c)
		default:
			line = append(line, c)
		}
	}
	return line
}
