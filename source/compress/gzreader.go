package compress

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// gzipReader inflates every member of a gzip stream with its own header
// and trailer handling (gzip.Reader hides the flate options it needs). It
// can record checkpoints into an IndexBuilder, or start at a point of a
// GzipIndex and verify each interval's CRC as it passes its end.
//
// One CRC-32 runs over the output; it is folded (CRC32Combine) into the
// member's CRC and the interval's CRC only at member ends and points, so
// checking both costs one pass.
type gzipReader struct {
	src  countReader
	br   *bufio.Reader
	base int64 // compressed offset of src's first byte

	fl        io.ReadCloser // the current member's inflater; nil between members
	reuse     io.ReadCloser // an inflater to Reset for the next member
	started   bool          // a member header has been read or resumed into
	memberIn  int64
	deflateIn int64
	memberOut int64
	out       int64 // decompressed offset of the next byte returned

	run     uint32 // CRC of [runFrom, out)
	runFrom int64
	mem     uint32 // CRC of [memberOut, runFrom)
	seg     uint32 // CRC of [segFrom, runFrom)
	segFrom int64
	whole   uint32 // CRC of [0, memberOut), from trailers (building only)

	b     *IndexBuilder
	bcut  int // next builder point to cut at
	ix    *GzipIndex
	vnext int   // next index point whose Out ends an interval
	cutAt int64 // decompressed offset of the next cut; MaxInt64: none
	err   error
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

const gzipBufSize = 64 << 10

// NewGzipReader inflates the gzip stream r (all of its members). With b
// non-nil it records checkpoints into b, about b's spacing apart; b is
// complete once Read has returned io.EOF.
func NewGzipReader(r io.Reader, b *IndexBuilder) io.ReadCloser {
	g := &gzipReader{b: b, bcut: 1, cutAt: math.MaxInt64}
	g.src.r = r
	g.br = bufio.NewReaderSize(&g.src, gzipBufSize)
	return g
}

// pos is the compressed offset of the next byte the reader will consume.
func (g *gzipReader) pos() int64 { return g.base + g.src.n - int64(g.br.Buffered()) }

// resume starts g at point k of ix; r holds the file's bytes from
// ix.Points[k].In.
func resumeGzip(r io.Reader, ix *GzipIndex, k int) *gzipReader {
	p := ix.Points[k]
	g := &gzipReader{ix: ix, vnext: k + 1, base: p.In, cutAt: math.MaxInt64}
	g.src.r = r
	g.br = bufio.NewReaderSize(&g.src, gzipBufSize)
	g.out, g.runFrom, g.segFrom = p.Out, p.Out, p.Out
	if k+1 < len(ix.Points) {
		g.cutAt = ix.Points[k+1].Out
	}
	if !p.Member {
		g.started = true
		g.memberOut, g.mem, g.deflateIn = p.MemberOut, p.MemberCRC, p.DeflateIn
		g.fl = flate.NewReaderOpts(g.br, flate.WithPartialBlock(), flate.WithResumeFrom(flate.InflateCheckpoint{
			UncompressedOffset: p.Out - p.MemberOut,
			CompressedOffset:   p.In - p.DeflateIn,
			BitOffset:          p.Bits,
			Window:             p.Window,
		}))
	}
	return g
}

func (g *gzipReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, g.err
	}
	for {
		if g.err != nil {
			return 0, g.err
		}
		if g.fl == nil {
			if err := g.startMember(); err != nil {
				g.err = err
				if err != io.EOF {
					g.err = withPrefix("gzip", err)
				}
				continue
			}
		}
		n, err := g.fl.Read(p)
		g.consume(p[:n])
		if err == io.EOF {
			if err := g.endMember(); err != nil {
				g.err = withPrefix("gzip", err)
			}
		} else if err != nil {
			g.err = withPrefix("gzip", err)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// consume runs the CRC over freshly inflated bytes, cutting intervals at
// the points that fall inside them.
func (g *gzipReader) consume(p []byte) {
	for g.cutAt <= g.out+int64(len(p)) {
		k := g.cutAt - g.out
		g.run = crc32.Update(g.run, crc32.IEEETable, p[:k])
		g.out += k
		p = p[k:]
		g.cut()
	}
	g.run = crc32.Update(g.run, crc32.IEEETable, p)
	g.out += int64(len(p))
}

// fold moves the running CRC into the member's and the interval's.
func (g *gzipReader) fold() {
	n := g.out - g.runFrom
	g.mem = CRC32Combine(g.mem, g.run, n)
	g.seg = CRC32Combine(g.seg, g.run, n)
	g.run, g.runFrom = 0, g.out
}

// cut ends an interval at g.out (== g.cutAt).
func (g *gzipReader) cut() {
	g.fold()
	switch {
	case g.b != nil:
		g.b.cut(g.bcut, g.mem, g.seg)
		g.bcut++
		g.cutAt = math.MaxInt64
		if g.bcut < len(g.b.points) { // points are appended on this goroutine only
			g.cutAt = g.b.points[g.bcut].Out
		}
	case g.ix != nil:
		if g.err == nil && g.seg != g.ix.Points[g.vnext-1].CRC {
			g.err = g.crcErr(g.vnext - 1)
		}
		g.vnext++
		g.cutAt = math.MaxInt64
		if g.vnext < len(g.ix.Points) {
			g.cutAt = g.ix.Points[g.vnext].Out
		}
	}
	g.seg, g.segFrom = 0, g.out
}

func (g *gzipReader) crcErr(i int) error {
	return fmt.Errorf("gzip: checksum mismatch in decompressed bytes %d to %d: the file is corrupt or changed since it was indexed",
		g.ix.Points[i].Out, g.ix.segEnd(i))
}

// addPoint records a builder point at g.out or later; its interval is
// cut when the output reaches it.
func (g *gzipReader) addPoint(p GzipPoint) {
	g.b.add(p)
	if g.cutAt == math.MaxInt64 {
		g.cutAt = p.Out
	}
}

func (g *gzipReader) startMember() error {
	in := g.pos()
	if _, err := g.br.Peek(1); err == io.EOF && g.started {
		return g.endStream()
	} else if err != nil && err != io.EOF {
		return err
	}
	if _, err := readGzipHeader(g.br); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // an empty stream is not a gzip file
		}
		return err
	}
	g.memberIn, g.deflateIn, g.memberOut = in, g.pos(), g.out
	if g.b != nil && g.started && g.b.want(g.out) {
		// A member boundary needs no window: inflating starts afresh.
		g.addPoint(GzipPoint{Out: g.out, In: in, Member: true, MemberOut: g.out})
	}
	g.started = true
	if g.cutAt == g.out {
		g.cut() // a point at the member's start
	}
	switch {
	case g.b != nil:
		// The callback is lost on Reset, so each member gets a new
		// inflater. Windows are copied only for the points kept.
		g.fl = flate.NewReaderOpts(g.br, flate.WithEobCallback(g.onBlockEnd))
	case g.reuse != nil:
		g.fl = g.reuse
		g.fl.(flate.Resetter).Reset(g.br, nil)
	default:
		g.fl = flate.NewReader(g.br)
	}
	return nil
}

func (g *gzipReader) onBlockEnd(cp flate.InflateCheckpoint) {
	out := g.memberOut + cp.UncompressedOffset
	if cp.Final || !g.b.want(out) {
		return
	}
	g.addPoint(GzipPoint{Out: out, In: g.deflateIn + cp.CompressedOffset, Bits: cp.BitOffset,
		DeflateIn: g.deflateIn, MemberOut: g.memberOut, Window: append([]byte(nil), cp.Window...)})
}

func (g *gzipReader) endMember() error {
	g.consume(nil) // a point at the very end of the member
	g.fold()
	var tr [8]byte
	if _, err := io.ReadFull(g.br, tr[:]); err != nil {
		return io.ErrUnexpectedEOF
	}
	size := g.out - g.memberOut
	if binary.LittleEndian.Uint32(tr[:4]) != g.mem || binary.LittleEndian.Uint32(tr[4:]) != uint32(size) {
		return gzip.ErrChecksum
	}
	g.whole = CRC32Combine(g.whole, g.mem, size)
	g.mem, g.memberOut = 0, g.out
	if g.b == nil {
		g.reuse = g.fl
	}
	g.fl = nil
	return nil
}

func (g *gzipReader) endStream() error {
	g.fold()
	switch {
	case g.b != nil:
		g.b.finish(g.out, g.pos(), g.seg, g.whole)
	case g.ix != nil:
		if g.vnext-1 < len(g.ix.Points) && g.seg != g.ix.Points[g.vnext-1].CRC {
			return withPrefix("gzip", g.crcErr(g.vnext-1))
		}
		if g.out != g.ix.Size {
			return fmt.Errorf("gzip: stream is %d bytes long, the index says %d: the file changed since it was indexed", g.out, g.ix.Size)
		}
	}
	return io.EOF
}

func (g *gzipReader) Close() error {
	if g.fl != nil {
		g.fl.Close()
	}
	return nil
}

// NewGzipRange returns the decompressed bytes [off, off+n) of a gzip file
// (n < 0: to the end). open(start, end) returns the file's bytes
// [start, end) (end < 0: to the end of the file); it may be called more
// than once, for consecutive pieces.
//
// With ix (the file's index) it resumes at the last point whose record
// starts at or before off and verifies the CRC of every interval it reads
// to the end of; intervals are cut at points, so adjacent ranges verify
// each other's tails. It asks for the compressed bytes up to a little
// past the last point before off+n, and for more in growing pieces only
// if the tail needs them. Without ix it inflates from the start and
// discards the bytes before off.
func NewGzipRange(open func(start, end int64) (io.ReadCloser, error), ix *GzipIndex, off, n int64) (io.ReadCloser, error) {
	if ix != nil && n >= 0 && off+n >= ix.Size {
		n = -1 // read to the end, so the last interval and the trailer are checked
	}
	var g *gzipReader
	var src io.ReadCloser
	if ix == nil {
		rc, err := open(0, -1)
		if err != nil {
			return nil, err
		}
		src = rc
		g = NewGzipReader(rc, nil).(*gzipReader)
	} else {
		k := ix.PointFor(off)
		x := &ExtendingReader{open: open, pos: ix.Points[k].In, end: -1, size: ix.CompressedSize}
		if n >= 0 {
			j := k
			for j+1 < len(ix.Points) && ix.Points[j+1].Out < off+n {
				j++
			}
			// The bytes before off+n come from the blocks before
			// point j+1; the inflater returns at each block's end
			// (WithPartialBlock), so it reads no further than that.
			x.end = min(ix.Points[j].In+rangeSlack, ix.CompressedSize)
			if j+1 < len(ix.Points) {
				x.end = min(x.end, ix.Points[j+1].In+64)
			}
		}
		src = x
		g = resumeGzip(x, ix, k)
	}
	return &gzipRange{g: g, rc: src, skip: off - g.out, left: n}, nil
}

// rangeSlack is how far past the last point before its end a range first
// asks to read. The inflater returns output in pieces of up to 32 KiB
// (its window), so the end of a record just past a point needs the
// compressed bytes of at most that much output: less than 32 KiB unless
// the data does not compress.
const rangeSlack = 32 << 10

// ExtendingReader reads a file from pos through open, first up to end,
// then in pieces that double in size, so a reader that needs a little
// more than it guessed costs a few requests rather than the whole file.
type ExtendingReader struct {
	open     func(start, end int64) (io.ReadCloser, error)
	rc       io.ReadCloser
	pos, end int64 // end < 0: to the end of the file
	size     int64
	step     int64
}

// NewExtendingReader reads the file of the given size from start, asking
// open for [start, end) first (end < 0: to the end of the file).
func NewExtendingReader(open func(start, end int64) (io.ReadCloser, error), start, end, size int64) *ExtendingReader {
	if end >= 0 {
		end = min(end, size)
	}
	return &ExtendingReader{open: open, pos: start, end: end, size: size}
}

func (x *ExtendingReader) Read(p []byte) (int, error) {
	for {
		if x.rc == nil {
			if x.end >= 0 && x.pos >= x.end {
				if x.pos >= x.size {
					return 0, io.EOF
				}
				x.step = max(2*x.step, rangeSlack)
				x.end = min(x.pos+x.step, x.size)
			}
			rc, err := x.open(x.pos, x.end)
			if err != nil {
				return 0, err
			}
			x.rc = rc
		}
		n, err := x.rc.Read(p)
		x.pos += int64(n)
		if err == io.EOF && x.end >= 0 && x.pos >= x.end {
			x.rc.Close()
			x.rc = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

func (x *ExtendingReader) Close() error {
	if x.rc != nil {
		return x.rc.Close()
	}
	return nil
}

type gzipRange struct {
	g    *gzipReader
	rc   io.ReadCloser
	skip int64 // bytes to discard before the range
	left int64 // bytes of the range still due; < 0: to the end
	buf  []byte
}

func (r *gzipRange) Read(p []byte) (int, error) {
	for r.skip > 0 {
		if r.buf == nil {
			r.buf = make([]byte, 64<<10)
		}
		n, err := r.g.Read(r.buf[:min(int64(len(r.buf)), r.skip)])
		r.skip -= int64(n)
		if err == io.EOF {
			return 0, fmt.Errorf("gzip: stream ends before decompressed offset %d: %w", r.g.out+r.skip, io.ErrUnexpectedEOF)
		}
		if err != nil {
			return 0, err
		}
	}
	if r.left == 0 {
		return 0, io.EOF
	}
	if r.left > 0 && int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.g.Read(p)
	if r.left > 0 {
		r.left -= int64(n)
		if r.left == 0 {
			return n, nil // what follows the range does not matter
		}
		if err == io.EOF {
			err = fmt.Errorf("gzip: stream ends %d bytes before the range does: %w", r.left, io.ErrUnexpectedEOF)
		}
	}
	return n, err
}

func (r *gzipRange) Close() error {
	r.g.Close()
	return r.rc.Close()
}
