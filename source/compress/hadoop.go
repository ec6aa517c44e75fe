package compress

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/s2"
)

// MaxBlockBytes bounds one block of Hadoop's block format, compressed or
// not; Hadoop writers use 256 KiB, so a larger length means corruption.
const MaxBlockBytes = 64 << 20

type blockDecoder func(dst, src []byte) ([]byte, error)

func hadoopSnappy(dst, src []byte) ([]byte, error) {
	n, err := s2.DecodedLen(src)
	if err != nil {
		return nil, err
	}
	if n > MaxBlockBytes {
		return nil, fmt.Errorf("chunk decodes to %d bytes, more than %d", n, MaxBlockBytes)
	}
	return s2.Decode(dst[:cap(dst)], src)
}

// hadoopBlockReader reads Hadoop's BlockCompressorStream layout: blocks of
// [uint32 BE uncompressed length] followed by chunks of
// [uint32 BE compressed length][compressed bytes] until the block's
// uncompressed length is reached.
type hadoopBlockReader struct {
	r      io.Reader
	decode blockDecoder
	hdr    [4]byte
	src    []byte
	dst    []byte
	out    []byte // undelivered decoded bytes
	remain int    // uncompressed bytes still due in the current block
	err    error
}

func newHadoopBlockReader(r io.Reader, d blockDecoder) *hadoopBlockReader {
	return &hadoopBlockReader{r: r, decode: d}
}

func (h *hadoopBlockReader) Read(p []byte) (int, error) {
	for len(h.out) == 0 {
		if h.err != nil {
			return 0, h.err
		}
		h.err = h.fill()
	}
	n := copy(p, h.out)
	h.out = h.out[n:]
	return n, nil
}

func (h *hadoopBlockReader) fill() error {
	if h.remain == 0 {
		if _, err := io.ReadFull(h.r, h.hdr[:]); err != nil {
			if err == io.EOF {
				return io.EOF
			}
			return fmt.Errorf("truncated block header: %w", io.ErrUnexpectedEOF)
		}
		n := binary.BigEndian.Uint32(h.hdr[:])
		if n > MaxBlockBytes {
			return fmt.Errorf("block length %d exceeds %d: not a Hadoop block stream or corrupt", n, MaxBlockBytes)
		}
		h.remain = int(n)
		if n == 0 {
			return nil
		}
	}
	if _, err := io.ReadFull(h.r, h.hdr[:]); err != nil {
		return fmt.Errorf("truncated chunk header: %w", io.ErrUnexpectedEOF)
	}
	clen := binary.BigEndian.Uint32(h.hdr[:])
	if clen > MaxBlockBytes {
		return fmt.Errorf("chunk length %d exceeds %d: corrupt stream", clen, MaxBlockBytes)
	}
	if cap(h.src) < int(clen) {
		h.src = make([]byte, clen)
	}
	h.src = h.src[:clen]
	if _, err := io.ReadFull(h.r, h.src); err != nil {
		return fmt.Errorf("truncated chunk: %w", io.ErrUnexpectedEOF)
	}
	if cap(h.dst) < h.remain {
		h.dst = make([]byte, h.remain)
	}
	out, err := h.decode(h.dst[:h.remain], h.src)
	if err != nil {
		return err
	}
	if len(out) > h.remain {
		return errors.New("chunk decodes past the end of its block")
	}
	h.remain -= len(out)
	h.out = out
	return nil
}
