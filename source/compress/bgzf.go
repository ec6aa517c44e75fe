package compress

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"
)

// BGZF (the SAM/BAM specification's blocked gzip: bgzip, htslib) is a
// series of gzip members of at most 64 KiB each, every header carrying
// the member's size in a "BC" extra subfield. A reader can start at any
// member, so such files split on member boundaries without an index.

// BGZFMaxBlock is the largest BGZF block, header and trailer included.
const BGZFMaxBlock = 64 << 10

// bgzfHeaderLen is the length of the header bgzip writes: the fixed ten
// bytes, XLEN, and the six-byte BC subfield.
const bgzfHeaderLen = 18

// BGZFBlockSize reports whether h starts with a BGZF block header (as
// bgzip writes it: FLG is FEXTRA alone and the extra field holds BC) and
// returns the block's total size. h needs 12+XLEN bytes (18 usually).
func BGZFBlockSize(h []byte) (int, bool) {
	if len(h) < 12 || h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || h[3] != gzFEXTRA {
		return 0, false
	}
	xlen := int(binary.LittleEndian.Uint16(h[10:]))
	if len(h) < 12+xlen {
		return 0, false
	}
	size := bgzfSubfield(h[12 : 12+xlen])
	// The smallest block is the header, an empty deflate stream (2 bytes) and the trailer.
	if size < 12+xlen+2+8 {
		return 0, false
	}
	return size, true
}

// FindBGZFBlock returns the offset of the first BGZF block starting at or
// after off in a file of the given size (size when none does). A header
// found by scanning counts only if the block it describes ends exactly at
// the file's end or at another header, which makes a false match inside
// compressed data vanishingly unlikely; each block's CRC is checked when
// it is inflated.
func FindBGZFBlock(r io.ReaderAt, size, off int64) (int64, error) {
	if off <= 0 {
		return 0, nil
	}
	if off >= size {
		return size, nil
	}
	// The block holding off ends within BGZFMaxBlock bytes, so the next
	// one starts there; validating it needs the header after it too.
	buf := make([]byte, min(size-off, 2*BGZFMaxBlock+bgzfHeaderLen))
	if _, err := r.ReadAt(buf, off); err != nil && err != io.EOF {
		return 0, err
	}
	for i := 0; i < len(buf) && i < BGZFMaxBlock; i++ {
		j := bytes.IndexByte(buf[i:min(len(buf), BGZFMaxBlock)], 0x1f)
		if j < 0 {
			break
		}
		i += j
		n, ok := BGZFBlockSize(buf[i:])
		if !ok {
			continue
		}
		next := off + int64(i) + int64(n)
		if next == size {
			return off + int64(i), nil
		}
		if next > size {
			continue
		}
		k := i + n
		var h []byte
		if k+bgzfHeaderLen <= len(buf) {
			h = buf[k:]
		} else {
			h = make([]byte, min(int64(BGZFMaxBlock), size-next))
			if _, err := r.ReadAt(h, next); err != nil && err != io.EOF {
				return 0, err
			}
		}
		if _, ok := BGZFBlockSize(h); ok {
			return off + int64(i), nil
		}
	}
	if off+BGZFMaxBlock >= size {
		return size, nil // off lies in the last block
	}
	return 0, fmt.Errorf("gzip (BGZF): no block header within %d bytes of offset %d", BGZFMaxBlock, off)
}

// NewBGZFRange reads the blocks of a BGZF file that start in [start, end),
// r holding the file's bytes from start (a block boundary). Records are
// assigned to ranges by the byte-range rule, in decompressed coordinates,
// with the boundary at the first decompressed byte D of the first block
// past end: the range yields its own blocks' bytes and then those that
// follow up to and including the first delim at or after D, which ends
// the last record that starts at or before D. The next range begins at
// D and skips through that same delim. This holds only for formats
// without quoted terminators.
func NewBGZFRange(r io.Reader, start, end int64, delim byte) io.ReadCloser {
	return &bgzfRange{br: bufio.NewReaderSize(r, 2*BGZFMaxBlock), pos: start, end: end, delim: delim,
		done: start >= end}
}

type bgzfRange struct {
	br    *bufio.Reader
	pos   int64 // compressed offset of the next block
	end   int64
	delim byte
	tail  bool // past end: only the rest of the last record is due
	done  bool
	fr    io.ReadCloser
	blk   []byte
	dec   []byte
	out   []byte // inflated bytes not yet returned
	err   error
}

func (b *bgzfRange) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if b.done {
			return 0, io.EOF
		}
		if err := b.next(); err != nil {
			b.err = err
			if err != io.EOF {
				b.err = withPrefix("gzip (BGZF)", err)
			}
		}
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	return n, nil
}

// next inflates the block at b.pos.
func (b *bgzfRange) next() error {
	h, err := b.br.Peek(bgzfHeaderLen)
	if len(h) == 0 && err == io.EOF {
		return io.EOF
	}
	size, ok := BGZFBlockSize(h)
	if !ok {
		if err != nil {
			return io.ErrUnexpectedEOF
		}
		return fmt.Errorf("no BGZF block header at offset %d", b.pos)
	}
	if cap(b.blk) < size {
		b.blk = make([]byte, BGZFMaxBlock)
	}
	blk := b.blk[:size]
	if _, err := io.ReadFull(b.br, blk); err != nil {
		return io.ErrUnexpectedEOF
	}
	hl := 12 + int(binary.LittleEndian.Uint16(blk[10:]))
	want := binary.LittleEndian.Uint32(blk[size-8:])
	isize := binary.LittleEndian.Uint32(blk[size-4:])
	if isize > BGZFMaxBlock {
		return fmt.Errorf("block at offset %d claims %d bytes", b.pos, isize)
	}
	if b.fr == nil {
		b.fr = flate.NewReader(bytes.NewReader(blk[hl : size-8]))
	} else {
		b.fr.(flate.Resetter).Reset(bytes.NewReader(blk[hl:size-8]), nil)
	}
	if cap(b.dec) < BGZFMaxBlock+1 {
		b.dec = make([]byte, BGZFMaxBlock+1)
	}
	n, err := io.ReadFull(b.fr, b.dec[:isize+1])
	if err != io.ErrUnexpectedEOF && err != io.EOF || n != int(isize) {
		if err == nil || err == io.EOF || err == io.ErrUnexpectedEOF {
			err = errors.New("block size does not match its trailer")
		}
		return fmt.Errorf("block at offset %d: %w", b.pos, err)
	}
	out := b.dec[:n]
	if crc32.ChecksumIEEE(out) != want {
		return fmt.Errorf("block at offset %d: checksum mismatch", b.pos)
	}
	if b.pos >= b.end {
		b.tail = true
	}
	b.pos += int64(size)
	if b.tail {
		if i := bytes.IndexByte(out, b.delim); i >= 0 {
			out = out[:i+1]
			b.done = true
		}
	}
	b.out = out
	return nil
}

func (b *bgzfRange) Close() error {
	if b.fr != nil {
		b.fr.Close()
	}
	return nil
}
