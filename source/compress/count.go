package compress

import (
	"io"
	"sync/atomic"
)

// CountingReader adds the number of bytes read through it to a shared
// counter, so scans can report bytes read and bytes decompressed while
// many files are read at once.
type CountingReader struct {
	R io.Reader
	N *atomic.Int64 // may be nil
}

// NewCountingReader counts the bytes read from r into n.
func NewCountingReader(r io.Reader, n *atomic.Int64) *CountingReader {
	return &CountingReader{R: r, N: n}
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	if n > 0 && c.N != nil {
		c.N.Add(int64(n))
	}
	return n, err
}
