package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/parquet"
	"github.com/quarry-sql/quarry/types"
)

// errCorruptSegment reports bytes of a segment file that do not match the
// checksum recorded when it was written.
var errCorruptSegment = errors.New("segment file checksum mismatch")

// pieceReader yields rows [r0, r1) of a cached segment: it reads the
// piece's row groups of each pinned group file with source/parquet (typed
// page decoding straight into Arrow buffers from the query's allocator),
// zips the groups' columns into req.Columns order and trims the rows
// outside the piece. Any failure to read the segment (a missing, truncated
// or corrupt file) evicts the segment and continues from the raw file.
type pieceReader struct {
	f   *cachedFormat
	ctx context.Context
	req *source.Request
	h   *pieceHint

	ref      *pieceRef // the hint's pin reference, released on Close
	own      *pin      // a pin taken at open time, when the hint had none
	schema   *arrow.Schema
	readers  []source.BatchReader
	srcPos   [][2]int       // for each output column: reader, column in its batch
	taken    []func() int64 // per reader: segment bytes read since the last call
	alloc    *watchAllocator
	skip     int64 // rows of the first row group before r0
	next     int64 // next row of the segment to emit
	started  bool
	noticed  bool               // the segment's notices were replayed
	fallback source.BatchReader // the raw reader after a failure
	closed   bool
}

func (f *cachedFormat) openPiece(ctx context.Context, req *source.Request, h *pieceHint) source.BatchReader {
	return &pieceReader{f: f, ctx: ctx, req: req, h: h, ref: h.ref, next: h.r0}
}

func (p *pieceReader) Next() (rec arrow.Record, err error) {
	if p.closed {
		return nil, errors.New("cache: read after close")
	}
	if p.fallback != nil {
		return p.fallback.Next()
	}
	defer func() {
		// A panic decoding a segment is a corrupt segment, unless it is
		// the query's memory limit, which fail re-raises.
		if r := recover(); r != nil && p.fallback == nil {
			rec, err = p.fail(fmt.Errorf("decode: %v", r))
		} else if r != nil {
			panic(r)
		}
	}()
	return p.nextBatch()
}

func (p *pieceReader) nextBatch() (arrow.Record, error) {
	if p.closed {
		return nil, errors.New("cache: read after close")
	}
	if p.fallback != nil {
		return p.fallback.Next()
	}
	if err := p.ctx.Err(); err != nil {
		return nil, err
	}
	if !p.started {
		p.started = true
		if err := p.start(); err != nil {
			return p.fail(err)
		}
		if p.fallback != nil {
			return p.fallback.Next()
		}
	}
	for p.next < p.h.r1 {
		rec, err := p.read()
		if err != nil {
			return p.fail(err)
		}
		if rec != nil {
			return rec, nil
		}
	}
	return nil, nil
}

// start opens a reader per group file, or for a count-only piece
// nothing; a piece whose files do not hold req.Columns is pinned anew
// from the index or, failing that, read raw.
func (p *pieceReader) start() error {
	ps := p.h.seg
	req := p.req
	c := p.f.c
	if !p.f.cacheableCols(req.Table, req.File, req.Columns) {
		return rawOpen(p.startRaw())
	}
	if req.File.Location != ps.meta.Location || req.File.Version != ps.meta.Version || req.File.Size != ps.meta.Size {
		return rawOpen(p.startRaw()) // a split planned for another listing of the object
	}
	pn := p.ref.pin
	if len(req.Columns) > 0 && (pn == nil || p.ref.done.Load() || !pinCovers(pn, req.Columns)) {
		need := normalize(req.Columns)
		c.mu.Lock()
		var cover *plannedSegment
		if s := c.segs[ps.id]; s != nil && slices.Equal(s.layout, ps.layout) {
			cover = coverLocked(s, need)
		}
		c.mu.Unlock()
		if cover == nil {
			if p.h.r0 == 0 && p.h.r1 == ps.meta.Rows {
				return rawOpen(p.startMiss())
			}
			return rawOpen(p.startRaw())
		}
		own, err := c.pinGroups(ps.id, ps.layout, cover.cover)
		if err != nil {
			return rawOpen(p.startRaw())
		}
		p.own, pn = own, own
	}
	c.hits.Add(1)
	if req.Stats != nil {
		req.Stats.CacheHits.Add(1)
	}
	if p.h.r0 == 0 && req.Notice != nil {
		for _, msg := range ps.meta.Notices {
			req.Notice(msg)
		}
	}
	p.noticed = true
	if len(req.Columns) == 0 {
		return nil // rows only: the facts say how many
	}
	// Open one source/parquet reader per group holding needed columns, on
	// the byte range of the piece's row groups.
	tbl := segmentTable(req.Table)
	p.alloc = &watchAllocator{inner: req.Alloc}
	if p.alloc.inner == nil {
		p.alloc.inner = memory.DefaultAllocator
	}
	files := map[string]objstore.File{}
	p.srcPos = make([][2]int, len(req.Columns))
	for i := range p.srcPos {
		p.srcPos[i] = [2]int{-1, -1}
	}
	if ps.layout != nil && p.h.g0 < p.h.g1 {
		for _, g := range pn.groups {
			var cols []int
			for i, ci := range req.Columns {
				if p.srcPos[i][0] < 0 && slices.Contains(g.meta.Columns, ci) {
					p.srcPos[i] = [2]int{len(p.readers), len(cols)}
					cols = append(cols, ci)
				}
			}
			if len(cols) == 0 {
				continue
			}
			m := g.meta
			if m.Flat {
				fr, err := newFlatReader(g.f, m, cols, req.Table.Columns, p.h.g0, p.h.g1, p.alloc, batchRows(req), c.hot)
				if err != nil {
					return err
				}
				p.readers = append(p.readers, fr)
				p.taken = append(p.taken, fr.takeBytes)
				continue
			}
			first, last := m.RowGroups[p.h.g0], m.RowGroups[p.h.g1-1]
			vf := newVerifiedFile(g.f, m, p.h.g0, p.h.g1)
			files[m.File] = vf
			st := new(source.Stats)
			r, err := parquet.Format{}.Open(p.ctx, &source.Request{
				Store: pinStore{files}, File: objstore.ObjectInfo{Location: m.File, Size: m.FileSize},
				Split: source.Split{Offset: first.Off, Length: last.Off + last.Len - first.Off},
				Table: tbl, Columns: cols, Alloc: p.alloc, BatchRows: req.BatchRows, Stats: st,
			})
			if err != nil {
				return err
			}
			p.readers = append(p.readers, r)
			p.taken = append(p.taken, func() int64 { return st.BytesRead.Swap(0) })
		}
		var start int64
		for _, n := range ps.layout[:p.h.g0] {
			start += n
		}
		p.skip = p.h.r0 - start
	}
	for i := range p.srcPos {
		if p.srcPos[i][0] < 0 {
			return fmt.Errorf("BUG: column %d not in the pinned groups", req.Columns[i])
		}
	}
	p.schema = requestSchema(req)
	return nil
}

func pinCovers(pn *pin, cols []int) bool {
	for _, ci := range cols {
		found := false
		for _, g := range pn.groups {
			found = found || slices.Contains(g.meta.Columns, ci)
		}
		if !found {
			return false
		}
	}
	return true
}

// read returns the next batch of the piece, or nil when a batch fell
// wholly before r0.
func (p *pieceReader) read() (arrow.Record, error) {
	n := p.h.r1 - p.next
	if len(p.req.Columns) == 0 {
		k := min(n, int64(batchRows(p.req)))
		p.next += k
		p.countRows(k)
		return array.NewRecordBatch(requestSchema(p.req), nil, k), nil
	}
	recs := make([]arrow.Record, len(p.readers))
	defer func() {
		for _, r := range recs {
			if r != nil {
				r.Release()
			}
		}
	}()
	rows := int64(-1)
	for i, r := range p.readers {
		rec, err := r.Next()
		p.forwardStats(i)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			return nil, fmt.Errorf("segment file ended %d rows early", n)
		}
		recs[i] = rec
		if rows >= 0 && rec.NumRows() != rows {
			return nil, fmt.Errorf("column groups disagree: %d and %d rows", rows, rec.NumRows())
		}
		rows = rec.NumRows()
	}
	lo := min(p.skip, rows)
	p.skip -= lo
	hi := min(rows, lo+n)
	if lo == hi {
		return nil, nil
	}
	cols := make([]arrow.Array, len(p.req.Columns))
	for i, sp := range p.srcPos {
		a := recs[sp[0]].Column(sp[1])
		if lo == 0 && hi == rows {
			a.Retain()
		} else {
			a = array.NewSlice(a, lo, hi)
		}
		cols[i] = a
	}
	out := array.NewRecordBatch(p.schema, cols, hi-lo)
	releaseAll(cols)
	p.next += hi - lo
	p.countRows(hi - lo)
	return out, nil
}

func (p *pieceReader) countRows(n int64) {
	if p.req.Stats != nil {
		p.req.Stats.Rows.Add(n)
	}
}

// forwardStats adds the bytes a group reader read from its segment file
// to the query's CacheBytes (they are not storage bytes).
func (p *pieceReader) forwardStats(i int) {
	if n := p.taken[i](); n > 0 && p.req.Stats != nil {
		p.req.Stats.CacheBytes.Add(n)
	}
}

// fail handles an error of the cached path: a cancelled query stops, a
// memory limit propagates as it would from a raw reader, anything else
// evicts the segment and continues raw from the next row.
func (p *pieceReader) fail(err error) (arrow.Record, error) {
	if cerr := p.ctx.Err(); cerr != nil {
		return nil, cerr
	}
	var re *rawOpenError
	if errors.As(err, &re) {
		return nil, re.err // the raw file's own error: the segment is fine
	}
	if p.alloc != nil {
		if v := p.alloc.panicked.Load(); v != nil {
			panic(*v)
		}
	}
	p.f.c.evictCorrupt(p.h.seg.id, err)
	if err := p.startRaw(); err != nil {
		return nil, err
	}
	return p.fallback.Next()
}

// startRaw switches to reading the segment's raw split, emitting rows
// [next, r1) of it.
func (p *pieceReader) startRaw() error {
	p.closeReaders()
	fb, err := p.f.openFallback(p.ctx, p.req, p.h, p.next, p.noticed)
	if err != nil {
		return err
	}
	p.fallback = fb
	return nil
}

// startMiss reads a whole segment whose groups lack a needed column as a
// miss: raw, filling the missing columns.
func (p *pieceReader) startMiss() error {
	m := p.h.seg.meta
	r := *p.req
	r.Split = source.Split{Offset: m.Offset, Length: m.Length, Decoded: m.Decoded, FirstLine: m.FirstLine, Hint: p.h.seg.rawHint}
	fp := fingerprint(p.f.inner, r.Table)
	tile := tileKey(fp, r.File.Location, r.File.Version, r.File.Size)
	br, err := p.f.openMiss(p.ctx, &r, fp, tile, rangeKey(m.Offset, m.Length, m.Decoded), normalize(r.Columns))
	if err != nil {
		return err
	}
	p.fallback = br
	return nil
}

func (p *pieceReader) closeReaders() {
	for i, r := range p.readers {
		r.Close()
		p.forwardStats(i)
	}
	p.readers, p.taken = nil, nil
}

func (p *pieceReader) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	p.closeReaders()
	var err error
	if p.fallback != nil {
		err = p.fallback.Close()
	}
	if p.own != nil {
		p.own.release()
	}
	p.ref.release()
	return err
}

func batchRows(req *source.Request) int {
	if req.BatchRows > 0 {
		return req.BatchRows
	}
	return source.DefaultBatchRows
}

func requestSchema(req *source.Request) *arrow.Schema {
	cols := make([]types.Column, len(req.Columns))
	for i, ci := range req.Columns {
		cols[i] = req.Table.Columns[ci]
	}
	return types.Schema(cols)
}

// segmentTable is the table as segment files name its columns.
func segmentTable(t *catalog.Table) *catalog.Table {
	cols := make([]types.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = types.Column{Name: fileColumnName(i), Type: c.Type}
	}
	return &catalog.Table{Schema: t.Schema, Name: t.Name, Format: catalog.FormatParquet, Columns: cols}
}

// fallbackReader reads a segment's raw split with the inner format and
// emits only rows [from, to) of it, so a piece read raw gives exactly the
// rows its cached form would have.
type fallbackReader struct {
	inner source.BatchReader
	stats *source.Stats // the inner reader's, forwarded without Rows
	req   *source.Request
	pos   int64 // rows of the split seen
	from  int64
	to    int64
}

func (f *cachedFormat) openFallback(ctx context.Context, req *source.Request, h *pieceHint, from int64, noticed bool) (*fallbackReader, error) {
	m := h.seg.meta
	r := *req
	r.Split = source.Split{Offset: m.Offset, Length: m.Length, Decoded: m.Decoded, FirstLine: m.FirstLine, Hint: h.seg.rawHint}
	r.Stats = new(source.Stats)
	r.Predicates = nil // rows must keep their positions
	if h.r0 != 0 || noticed {
		r.Notice = nil
	}
	inner, err := f.inner.Open(ctx, &r)
	if err != nil {
		return nil, err
	}
	return &fallbackReader{inner: inner, stats: r.Stats, req: req, from: from, to: h.r1}, nil
}

func (f *fallbackReader) Next() (arrow.Record, error) {
	defer f.forward()
	for f.pos < f.to {
		rec, err := f.inner.Next()
		if err != nil || rec == nil {
			if err == nil && f.pos < f.to {
				err = fmt.Errorf("%s: the file has %d rows in this range, the cache recorded at least %d", f.req.File.Location, f.pos, f.to)
			}
			return nil, err
		}
		n := rec.NumRows()
		lo, hi := max(f.from-f.pos, 0), min(f.to-f.pos, n)
		f.pos += n
		if lo >= hi {
			rec.Release()
			continue
		}
		if lo > 0 || hi < n {
			s := rec.NewSlice(lo, hi)
			rec.Release()
			rec = s
		}
		if f.req.Stats != nil {
			f.req.Stats.Rows.Add(hi - lo)
		}
		return rec, nil
	}
	return nil, nil
}

func (f *fallbackReader) forward() {
	if q := f.req.Stats; q != nil {
		q.BytesRead.Add(f.stats.BytesRead.Swap(0))
		q.BytesDecompressed.Add(f.stats.BytesDecompressed.Swap(0))
		q.FilesRead.Add(f.stats.FilesRead.Swap(0))
	}
}

func (f *fallbackReader) Close() error {
	err := f.inner.Close()
	f.forward()
	return err
}

// watchAllocator passes allocations to the query's allocator and
// remembers a panic (the memory limit) that source/parquet would turn
// into a "corrupt" error, so it can be re-raised instead of evicting.
type watchAllocator struct {
	inner    memory.Allocator
	panicked atomic.Pointer[any]
}

func (w *watchAllocator) watch() {
	if r := recover(); r != nil {
		w.panicked.Store(&r)
		panic(r)
	}
}

func (w *watchAllocator) Allocate(n int) []byte {
	defer w.watch()
	return w.inner.Allocate(n)
}

func (w *watchAllocator) Reallocate(n int, b []byte) []byte {
	defer w.watch()
	return w.inner.Reallocate(n, b)
}

func (w *watchAllocator) Free(b []byte) { w.inner.Free(b) }

// pinStore serves a piece's pinned group files to source/parquet.
type pinStore struct{ files map[string]objstore.File }

var errPinStore = errors.New("not a cache segment file")

func (s pinStore) List(context.Context, string) ([]objstore.ObjectInfo, error) {
	return nil, errPinStore
}

func (s pinStore) ListDir(context.Context, string) ([]objstore.ObjectInfo, []string, error) {
	return nil, nil, errPinStore
}

func (s pinStore) Stat(context.Context, string) (objstore.ObjectInfo, error) {
	return objstore.ObjectInfo{}, errPinStore
}

func (s pinStore) Open(_ context.Context, info objstore.ObjectInfo) (objstore.File, error) {
	if f, ok := s.files[info.Location]; ok {
		return f, nil
	}
	return nil, errPinStore
}

func (s pinStore) NewReader(context.Context, objstore.ObjectInfo, int64, int64) (io.ReadCloser, error) {
	return nil, errPinStore
}

// verifiedFile reads a pinned segment file and checks every recorded
// region a read touches (the footer, the column chunks of the piece's
// row groups) against its fill-time CRC-32C before the bytes reach the
// decoder; a region read only in part is checked whole once.
type verifiedFile struct {
	f       io.ReaderAt
	size    int64
	regions []region
	mu      sync.Mutex
	ok      []bool
}

func newVerifiedFile(f io.ReaderAt, m *groupMeta, g0, g1 int) *verifiedFile {
	v := &verifiedFile{f: f, size: m.FileSize}
	for _, rg := range m.RowGroups[g0:g1] {
		for _, ch := range rg.Chunks {
			v.regions = append(v.regions, ch.region)
		}
	}
	v.regions = append(v.regions, m.Footer)
	sort.Slice(v.regions, func(i, j int) bool { return v.regions[i].Off < v.regions[j].Off })
	v.ok = make([]bool, len(v.regions))
	return v
}

func (v *verifiedFile) Size() int64  { return v.size }
func (v *verifiedFile) Close() error { return nil } // the pin owns the file

func (v *verifiedFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := v.f.ReadAt(p, off)
	end := off + int64(n)
	v.mu.Lock()
	defer v.mu.Unlock()
	i := sort.Search(len(v.regions), func(i int) bool { return v.regions[i].Off+v.regions[i].Len > off })
	for ; i < len(v.regions) && v.regions[i].Off < end; i++ {
		r := v.regions[i]
		if v.ok[i] || r.Len == 0 {
			continue
		}
		var b []byte
		if r.Off >= off && r.Off+r.Len <= end {
			b = p[r.Off-off : r.Off-off+r.Len]
		} else {
			b = make([]byte, r.Len)
			if m, rerr := v.f.ReadAt(b, r.Off); int64(m) != r.Len {
				return 0, fmt.Errorf("%w: region at %d: short read (%v)", errCorruptSegment, r.Off, rerr)
			}
		}
		if checksum(b) != r.CRC {
			return 0, fmt.Errorf("%w: region at %d, %d bytes", errCorruptSegment, r.Off, r.Len)
		}
		v.ok[i] = true
	}
	if int64(n) < int64(len(p)) && err == nil {
		err = io.EOF
	}
	return n, err
}

// rawOpenError is a failure to open the raw split a piece switched to.
type rawOpenError struct{ err error }

func (e *rawOpenError) Error() string { return e.err.Error() }
func (e *rawOpenError) Unwrap() error { return e.err }

func rawOpen(err error) error {
	if err == nil {
		return nil
	}
	return &rawOpenError{err}
}
