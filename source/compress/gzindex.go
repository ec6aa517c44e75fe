package compress

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/s2"
)

// GzipPoint is a place where inflating a gzip file can resume: either
// the header of a member (Member), or a deflate block boundary inside one
// with the 32 KiB of output before it (Window). Each point is tied to the
// first record that starts at or after it, and carries the CRC-32 of the
// decompressed bytes up to the next point, so a reader that starts here
// verifies what it inflates without reading the whole file.
type GzipPoint struct {
	Out       int64  // decompressed offset at which inflating resumes
	In        int64  // compressed offset: the member header, or the byte holding the next block's first bit
	Bits      uint8  // bits of the byte at In that belong to the previous block
	Member    bool   // In is a member header; Window is empty
	DeflateIn int64  // compressed offset of the member's deflate data (mid-member points)
	MemberOut int64  // decompressed offset of the member's first byte
	MemberCRC uint32 // CRC-32 of the member's bytes before Out
	Window    []byte // the last (up to) 32 KiB of output before Out
	CRC       uint32 // CRC-32 of the decompressed bytes from Out to the next point's Out, or to the end
	Record    int64  // decompressed offset of the first record starting at or after Out
	Line      int64  // 1-based line number of that record
}

// GzipIndex is the checkpoint index of one gzip file. Points[0] is the
// start of the file; Records strictly increase.
type GzipIndex struct {
	CompressedSize int64 // the file's size
	Size           int64 // decompressed size
	Points         []GzipPoint
}

// segEnd is where point i's CRC interval ends.
func (ix *GzipIndex) segEnd(i int) int64 {
	if i+1 < len(ix.Points) {
		return ix.Points[i+1].Out
	}
	return ix.Size
}

// PointFor returns the index of the last point whose record starts at or
// before off.
func (ix *GzipIndex) PointFor(off int64) int {
	i := sort.Search(len(ix.Points), func(i int) bool { return ix.Points[i].Record > off })
	return max(i-1, 0)
}

// IndexBuilder collects the checkpoints of a gzip file while it is read
// once from start to end (NewGzipReader). The inflating goroutine adds
// candidate points every Spacing bytes of output; the parsing goroutine
// ties each to the first record it sees starting at or after it
// (RecordAt). Every point's Out is published before any byte at or past
// it is produced, so a parser that has a record's first byte in hand
// has seen, through Pending, every point at or before that record.
type IndexBuilder struct {
	spacing int64
	pending atomic.Int64 // Out of the first point not yet tied to a record; MaxInt64: none

	mu      sync.Mutex
	points  []GzipPoint
	aligned int // points[:aligned] are tied to records
	done    bool
	size    int64
	csize   int64
	whole   uint32 // CRC-32 of the whole stream, from the members' trailers

	lastOut int64 // Out of the last point added; inflating goroutine only
}

// NewIndexBuilder records a point about every spacing bytes of output.
func NewIndexBuilder(spacing int64) *IndexBuilder {
	b := &IndexBuilder{spacing: max(spacing, 1)}
	b.points = []GzipPoint{{Member: true, Record: 0, Line: 1}}
	b.aligned = 1
	b.pending.Store(math.MaxInt64)
	return b
}

// Pending returns the decompressed offset of the earliest point not yet
// tied to a record (math.MaxInt64 when there is none). It is one atomic
// load: the parser calls it for every record.
func (b *IndexBuilder) Pending() int64 { return b.pending.Load() }

// RecordAt reports a record starting at decompressed offset off on line
// line; every pending point at or before off is tied to it.
func (b *IndexBuilder) RecordAt(off, line int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.aligned < len(b.points) && b.points[b.aligned].Out <= off {
		b.points[b.aligned].Record, b.points[b.aligned].Line = off, line
		b.aligned++
	}
	b.setPending()
}

func (b *IndexBuilder) setPending() {
	if b.aligned < len(b.points) {
		b.pending.Store(b.points[b.aligned].Out)
	} else {
		b.pending.Store(math.MaxInt64)
	}
}

// want reports whether a point at out is worth adding.
func (b *IndexBuilder) want(out int64) bool { return out-b.lastOut >= b.spacing }

func (b *IndexBuilder) add(p GzipPoint) {
	p.Record = -1
	b.lastOut = p.Out
	b.mu.Lock()
	b.points = append(b.points, p)
	b.setPending()
	b.mu.Unlock()
}

// cut closes the interval before point i: memberCRC is the CRC of the
// member's bytes before the point, segCRC that of the previous interval.
func (b *IndexBuilder) cut(i int, memberCRC, segCRC uint32) {
	b.mu.Lock()
	b.points[i].MemberCRC = memberCRC
	b.points[i-1].CRC = segCRC
	b.mu.Unlock()
}

func (b *IndexBuilder) finish(size, csize int64, lastSeg, whole uint32) {
	b.mu.Lock()
	b.points[len(b.points)-1].CRC = lastSeg
	b.done, b.size, b.csize, b.whole = true, size, csize, whole
	b.mu.Unlock()
}

// Index returns the finished index once the reader has returned io.EOF
// (every member's trailer verified). Points no record starts after are
// dropped, as are all but the last of points tied to the same record,
// their intervals merged into the previous point's.
func (b *IndexBuilder) Index() (*GzipIndex, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		return nil, errors.New("gzip index: stream not read to its end")
	}
	src := b.points
	segLen := func(i int) int64 {
		if i+1 < len(src) {
			return src[i+1].Out - src[i].Out
		}
		return b.size - src[i].Out
	}
	pts := make([]GzipPoint, 0, len(src))
	lens := make([]int64, 0, len(src)) // interval length of each kept point
	for i, p := range src {
		last := len(pts) - 1
		switch {
		case i > 0 && p.Record < 0:
			pts[last].CRC = CRC32Combine(pts[last].CRC, p.CRC, segLen(i))
			lens[last] += segLen(i)
			continue
		case last > 0 && pts[last].Record == p.Record:
			pts[last-1].CRC = CRC32Combine(pts[last-1].CRC, pts[last].CRC, lens[last])
			lens[last-1] += lens[last]
			pts, lens = pts[:last], lens[:last]
		}
		pts = append(pts, p)
		lens = append(lens, segLen(i))
	}
	var all uint32
	for i, p := range pts {
		all = CRC32Combine(all, p.CRC, lens[i])
	}
	if all != b.whole {
		return nil, fmt.Errorf("BUG: gzip index: interval CRCs combine to %08x, the members' trailers to %08x", all, b.whole)
	}
	return &GzipIndex{CompressedSize: b.csize, Size: b.size, Points: pts}, nil
}

// Index encoding: indexMagic, then an S2 block of uvarints (version 2:
// encoding it costs a few times less than the flate stream of version 1,
// which is still read).
var (
	indexMagic   = []byte("QGZI\x02")
	indexMagicV1 = []byte("QGZI\x01")
)

// MarshalBinary encodes the index compactly (windows are compressed).
func (ix *GzipIndex) MarshalBinary() ([]byte, error) {
	var raw []byte
	uv := func(v int64) { raw = binary.AppendUvarint(raw, uint64(v)) }
	uv(ix.CompressedSize)
	uv(ix.Size)
	uv(int64(len(ix.Points)))
	var prev GzipPoint
	for _, p := range ix.Points {
		uv(p.Out - prev.Out)
		uv(p.In - prev.In)
		flags := int64(p.Bits)
		if p.Member {
			flags |= 8
		}
		uv(flags)
		uv(p.In - p.DeflateIn)
		uv(p.Out - p.MemberOut)
		raw = binary.LittleEndian.AppendUint32(raw, p.MemberCRC)
		raw = binary.LittleEndian.AppendUint32(raw, p.CRC)
		uv(p.Record - p.Out)
		uv(p.Line - prev.Line)
		uv(int64(len(p.Window)))
		raw = append(raw, p.Window...)
		prev = p
	}
	out := make([]byte, len(indexMagic), len(indexMagic)+s2.MaxEncodedLen(len(raw)))
	copy(out, indexMagic)
	return append(out, s2.Encode(out[len(out):cap(out)], raw)...), nil
}

// maxIndexBytes bounds a decoded index (a corrupt value must not make
// the decoder allocate without end).
const maxIndexBytes = 1 << 30

// ParseGzipIndex decodes MarshalBinary's output, checking that it is
// self-consistent.
func ParseGzipIndex(b []byte) (*GzipIndex, error) {
	bad := func(what string) (*GzipIndex, error) { return nil, fmt.Errorf("gzip index: %s", what) }
	var raw []byte
	switch {
	case bytes.HasPrefix(b, indexMagic):
		body := b[len(indexMagic):]
		if n, err := s2.DecodedLen(body); err != nil || n > maxIndexBytes {
			return bad("corrupt block")
		}
		var err error
		if raw, err = s2.Decode(nil, body); err != nil {
			return bad(err.Error())
		}
	case bytes.HasPrefix(b, indexMagicV1):
		fr := flate.NewReader(bytes.NewReader(b[len(indexMagicV1):]))
		var err error
		raw, err = io.ReadAll(io.LimitReader(fr, maxIndexBytes))
		fr.Close()
		if err != nil {
			return bad(err.Error())
		}
	default:
		return bad("unknown encoding")
	}
	var perr error
	uv := func() int64 {
		v, n := binary.Uvarint(raw)
		if n <= 0 || v > math.MaxInt64 {
			perr = errors.New("truncated")
			raw = nil
			return 0
		}
		raw = raw[n:]
		return int64(v)
	}
	u32 := func() uint32 {
		if len(raw) < 4 {
			perr = errors.New("truncated")
			raw = nil
			return 0
		}
		v := binary.LittleEndian.Uint32(raw)
		raw = raw[4:]
		return v
	}
	ix := &GzipIndex{CompressedSize: uv(), Size: uv()}
	n := uv()
	if perr != nil || n < 1 || n > int64(len(raw)) {
		return bad("bad point count")
	}
	ix.Points = make([]GzipPoint, 0, n)
	var prev GzipPoint
	for i := int64(0); i < n; i++ {
		var p GzipPoint
		p.Out = prev.Out + uv()
		p.In = prev.In + uv()
		flags := uv()
		p.Bits, p.Member = uint8(flags&7), flags&8 != 0
		p.DeflateIn = p.In - uv()
		p.MemberOut = p.Out - uv()
		p.MemberCRC = u32()
		p.CRC = u32()
		p.Record = p.Out + uv()
		p.Line = prev.Line + uv()
		wl := uv()
		if perr != nil || wl > 32<<10 || wl > int64(len(raw)) || flags > 15 {
			return bad("corrupt point")
		}
		p.Window = raw[:wl:wl]
		raw = raw[wl:]
		if i == 0 && (p.Out != 0 || p.In != 0 || !p.Member || p.Record != 0) ||
			i > 0 && (p.Out <= prev.Out || p.In < prev.In || p.Record <= prev.Record) ||
			p.Record > ix.Size || p.In > ix.CompressedSize || p.DeflateIn < 0 || p.MemberOut < 0 ||
			p.Member && (p.Bits != 0 || p.MemberOut != p.Out || wl != 0) {
			return bad("inconsistent point")
		}
		ix.Points = append(ix.Points, p)
		prev = p
	}
	if len(raw) != 0 {
		return bad("trailing bytes")
	}
	return ix, nil
}
