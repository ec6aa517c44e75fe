package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

// Wrap returns a Format that reads through the cache: splits of objects
// the cache holds become pieces of cached segments, and misses read raw
// with f while filling the cache. Formats that are already columnar
// (Parquet, ORC) are read directly, never cached.
func (c *Cache) Wrap(f source.Format) source.Format {
	return &cachedFormat{c: c, inner: f, direct: f.Name() == catalog.FormatParquet || f.Name() == catalog.FormatORC}
}

type cachedFormat struct {
	c      *Cache
	inner  source.Format
	direct bool
}

var (
	_ source.Format         = (*cachedFormat)(nil)
	_ source.ColumnSplitter = (*cachedFormat)(nil)
)

func (f *cachedFormat) Name() string { return f.inner.Name() }

// Split returns the inner format's splits: without the columns a query
// reads the cache cannot tell whether it holds them.
func (f *cachedFormat) Split(t *catalog.Table, file objstore.ObjectInfo, target int64) []source.Split {
	return f.inner.Split(t, file, target)
}

// cacheableScan reports whether the cache may serve or fill reads of
// columns of file.
func (f *cachedFormat) cacheableScan(t *catalog.Table, file objstore.ObjectInfo, cols []int) bool {
	return !f.c.isClosed() && f.cacheableCols(t, file, cols)
}

// cacheableCols reports whether the cache can hold columns cols of file.
func (f *cachedFormat) cacheableCols(t *catalog.Table, file objstore.ObjectInfo, cols []int) bool {
	if f.direct || t == nil || file.Version == "" {
		return false
	}
	for _, ci := range cols {
		if ci < 0 || ci >= len(t.Columns) || !cacheable(t.Columns[ci].Type) {
			return false
		}
	}
	return true
}

// SplitColumns returns pieces of cached segments when the cache holds a
// complete tiling of the object, for this fingerprint, with every needed
// column (a count(*), needing none, only needs the segments); otherwise
// the inner format's splits.
func (f *cachedFormat) SplitColumns(t *catalog.Table, file objstore.ObjectInfo, columns []int, target int64) []source.Split {
	inner := source.SplitFor(f.inner, t, file, columns, target)
	if !f.cacheableScan(t, file, columns) {
		return inner
	}
	need := normalize(columns)
	fp := fingerprint(f.inner, t)
	tile := tileKey(fp, file.Location, file.Version, file.Size)
	plan := f.c.plan(tile, inner, need, file)
	if plan == nil && f.c.awaitFills(tile) {
		plan = f.c.plan(tile, inner, need, file)
	}
	if plan == nil {
		return inner
	}
	var out []source.Split
	for _, ps := range plan {
		out = append(out, f.c.pieces(ps, need)...)
	}
	return out
}

// fillAwait bounds how long planning waits for the fills of an object
// whose raw reads have ended.
const fillAwait = 3 * time.Second

// awaitFills waits, up to fillAwait, for the fills of the object (tile)
// whose raw reads have ended, and reports whether there were any. A
// dashboard's next query often comes before the previous one's fills are
// written (they wait for the raw reads in progress to end: activity);
// finishing them costs less than reading and parsing the object again, so
// the fills waiting go at once, whatever other queries still read.
func (c *Cache) awaitFills(tile string) bool {
	c.mu.Lock()
	var wait []chan struct{}
	for _, j := range c.inflight {
		if j.tile == tile && j.readDone() {
			j.urgent.Store(true)
			wait = append(wait, j.done)
		}
	}
	c.mu.Unlock()
	if len(wait) == 0 {
		return false
	}
	c.raw.hurry()
	t := time.NewTimer(fillAwait)
	defer t.Stop()
	for _, ch := range wait {
		select {
		case <-ch:
		case <-t.C:
			return true
		}
	}
	return true
}

func normalize(cols []int) []int {
	out := slices.Clone(cols)
	slices.Sort(out)
	return slices.Compact(out)
}

// plannedSegment is a segment chosen to serve a split, with the groups
// that cover the needed columns (pinned when pin is set).
type plannedSegment struct {
	id      string
	meta    *groupMeta // segment-wide facts
	layout  []int64
	cover   []*groupMeta
	rawHint any
	pin     *pin
}

// plan looks for segments tiling the object: first one per inner split,
// then any chain of segments from offset 0 to the end. It pins the
// chosen groups' files. nil: not (entirely) cached.
func (c *Cache) plan(tile string, inner []source.Split, need []int, file objstore.ObjectInfo) []*plannedSegment {
	for range 3 { // a plan whose files vanished is made again
		plan, retry := c.tryPlan(tile, inner, need, file)
		if !retry {
			return plan
		}
	}
	return nil
}

func (c *Cache) tryPlan(tile string, inner []source.Split, need []int, file objstore.ObjectInfo) (_ []*plannedSegment, retry bool) {
	c.mu.Lock()
	plan := c.exactLocked(tile, inner, need)
	if plan == nil {
		c.refreshTileLocked(tile) // another process may have filled it
		plan = c.exactLocked(tile, inner, need)
	}
	if plan == nil {
		plan = c.chainLocked(tile, need, file)
	}
	for _, ps := range plan {
		c.touchLocked(c.segs[ps.id])
	}
	c.mu.Unlock()
	if plan == nil {
		return nil, false
	}
	for _, ps := range plan {
		if len(ps.cover) == 0 || c.pinned.Load() >= int64(c.opts.MaxPinnedFiles) {
			continue // pinned when read
		}
		p, err := c.pinGroups(ps.id, ps.layout, ps.cover)
		if err != nil {
			for _, q := range plan {
				if q.pin != nil {
					q.pin.release()
				}
			}
			return nil, true
		}
		ps.pin = p
	}
	return plan, false
}

func (c *Cache) exactLocked(tile string, inner []source.Split, need []int) []*plannedSegment {
	segs := c.tiles[tile]
	if segs == nil {
		return nil
	}
	var plan []*plannedSegment
	for _, sp := range inner {
		s := segs[rangeKey(sp.Offset, sp.Length, sp.Decoded)]
		if s == nil {
			return nil
		}
		ps := coverLocked(s, need)
		if ps == nil {
			return nil
		}
		ps.rawHint = sp.Hint
		plan = append(plan, ps)
	}
	return plan
}

// chainLocked finds segments whose raw ranges tile the object from 0 to
// its end (cached under other split sizes): each begins where the
// previous ends, the last reads to the end.
func (c *Cache) chainLocked(tile string, need []int, file objstore.ObjectInfo) []*plannedSegment {
	segs := c.tiles[tile]
	if len(segs) == 0 {
		return nil
	}
	for _, decoded := range []bool{false, true} {
		byOff := map[int64][]*segment{}
		for _, s := range segs {
			m := s.meta()
			if m.Decoded == decoded {
				byOff[m.Offset] = append(byOff[m.Offset], s)
			}
		}
		var plan []*plannedSegment
		pos := int64(0)
		for len(plan) <= len(segs) {
			var best *plannedSegment
			var bestEnd int64
			for _, s := range byOff[pos] {
				ps := coverLocked(s, need)
				if ps == nil {
					continue
				}
				end := int64(-1)
				if m := s.meta(); m.Length >= 0 {
					end = m.Offset + m.Length
				}
				if best == nil || end < 0 || (bestEnd >= 0 && end > bestEnd) {
					best, bestEnd = ps, end
				}
			}
			if best == nil || bestEnd == pos {
				break
			}
			plan = append(plan, best)
			if bestEnd < 0 || (!decoded && bestEnd >= file.Size) {
				return plan
			}
			pos = bestEnd
		}
	}
	return nil
}

// coverLocked picks groups of s holding every needed column, all with
// the segment's row-group layout, greedily (fewest files); nil when s
// lacks a column.
func coverLocked(s *segment, need []int) *plannedSegment {
	ps := &plannedSegment{id: s.id, meta: s.meta(), layout: s.layout}
	missing := slices.Clone(need)
	for len(missing) > 0 {
		var best *groupMeta
		bestN := 0
		for _, g := range s.groups {
			if g.meta.File == "" || !slices.Equal(g.meta.rgRows(), s.layout) {
				continue
			}
			n := 0
			for _, ci := range missing {
				if slices.Contains(g.meta.Columns, ci) {
					n++
				}
			}
			if n > bestN {
				best, bestN = g.meta, n
			}
		}
		if best == nil {
			return nil
		}
		ps.cover = append(ps.cover, best)
		missing = slices.DeleteFunc(missing, func(ci int) bool { return slices.Contains(best.Columns, ci) })
	}
	return ps
}

// pin holds a segment's group files open, so that eviction (here or in
// another process sharing the folder) cannot take data from a planned
// scan: an unlinked file stays readable while open.
type pin struct {
	c      *Cache
	id     string
	layout []int64
	groups []pinnedGroup
	refs   atomic.Int64
}

type pinnedGroup struct {
	meta *groupMeta
	f    *os.File
}

// pinGroups opens the files of the groups; a group whose file is gone is
// forgotten and the pin fails.
func (c *Cache) pinGroups(id string, layout []int64, cover []*groupMeta) (*pin, error) {
	p := &pin{c: c, id: id, layout: layout}
	tile, _, _ := cutID(id)
	for _, m := range cover {
		path, _ := c.groupPaths(tile, m.File[:len(m.File)-len(".parquet")])
		f, err := os.Open(path)
		if err != nil {
			for _, g := range p.groups {
				g.f.Close()
			}
			c.pinned.Add(-int64(len(p.groups)))
			if errors.Is(err, fs.ErrNotExist) {
				// Evicted by another process (which deletes the facts file
				// first), or lost: only a group whose facts remain is broken.
				c.mu.Lock()
				c.refreshTileLocked(tile)
				broken := false
				if s := c.segs[id]; s != nil {
					for _, g := range s.groups {
						broken = broken || g.meta == m
					}
				}
				c.mu.Unlock()
				if !broken {
					return nil, err
				}
			}
			c.evictCorrupt(id, err)
			return nil, err
		}
		c.pinned.Add(1)
		p.groups = append(p.groups, pinnedGroup{meta: m, f: f})
		if err := verifyFooter(f, m); err != nil {
			p.refs.Store(1)
			p.release()
			c.evictCorrupt(id, err)
			return nil, err
		}
	}
	p.refs.Store(1)
	return p, nil
}

func cutID(id string) (tile, rng string, ok bool) {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			return id[:i], id[i+1:], true
		}
	}
	return id, "", false
}

func (p *pin) retain() { p.refs.Add(1) }

func (p *pin) release() {
	if p.refs.Add(-1) == 0 {
		for _, g := range p.groups {
			g.f.Close()
		}
		p.c.pinned.Add(-int64(len(p.groups)))
	}
}

// pieceHint is the Split.Hint of a piece of a cached segment: rows
// [r0, r1) of the segment, read from row groups [g0, g1).
type pieceHint struct {
	seg    *plannedSegment
	r0, r1 int64
	g0, g1 int
	ref    *pieceRef
}

// pieceRef is one reference to the pin, dropped by the piece's reader on
// Close, or by a cleanup when the hint is garbage (a piece never opened,
// as under LIMIT).
type pieceRef struct {
	pin  *pin
	done atomic.Bool
}

func (r *pieceRef) release() {
	if r.pin != nil && r.done.CompareAndSwap(false, true) {
		r.pin.release()
	}
}

// pieces cuts a planned segment into splits of about PieceBytes of the
// needed columns' cached bytes or PieceRows rows, on row-group
// boundaries.
func (c *Cache) pieces(ps *plannedSegment, need []int) []source.Split {
	m := ps.meta
	base := source.Split{Offset: m.Offset, Length: m.Length, Decoded: m.Decoded, FirstLine: m.FirstLine}
	mk := func(r0, r1 int64, g0, g1 int) source.Split {
		h := &pieceHint{seg: ps, r0: r0, r1: r1, g0: g0, g1: g1, ref: &pieceRef{pin: ps.pin}}
		if ps.pin != nil {
			ps.pin.retain()
			runtime.AddCleanup(h, func(r *pieceRef) { r.release() }, h.ref)
		}
		sp := base
		sp.Hint = h
		return sp
	}
	var out []source.Split
	if len(ps.cover) == 0 {
		out = append(out, mk(0, m.Rows, 0, len(ps.layout)))
	} else {
		var r0, rows, bytes int64
		g0 := 0
		for g, n := range ps.layout {
			rows += n
			for _, gm := range ps.cover {
				for li, col := range gm.Leaves {
					if slices.Contains(need, gm.Columns[col]) {
						bytes += gm.RowGroups[g].Chunks[li].Len
					}
				}
			}
			if rows >= c.opts.PieceRows || bytes >= c.opts.PieceBytes || g == len(ps.layout)-1 {
				out = append(out, mk(r0, r0+rows, g0, g+1))
				r0, rows, bytes, g0 = r0+rows, 0, 0, g+1
			}
		}
		if len(out) == 0 { // an empty segment
			out = append(out, mk(0, 0, 0, 0))
		}
	}
	if ps.pin != nil {
		ps.pin.release() // the plan's own reference; pieces hold theirs
	}
	return out
}

// Open reads one split: a piece of a cached segment, a split the cache
// holds whole, or a miss read raw (and filled when admitted).
func (f *cachedFormat) Open(ctx context.Context, req *source.Request) (source.BatchReader, error) {
	if h, ok := req.Split.Hint.(*pieceHint); ok {
		return f.openPiece(ctx, req, h), nil
	}
	if !f.cacheableScan(req.Table, req.File, req.Columns) {
		return f.inner.Open(ctx, req)
	}
	fp := fingerprint(f.inner, req.Table)
	tile := tileKey(fp, req.File.Location, req.File.Version, req.File.Size)
	rng := rangeKey(req.Split.Offset, req.Split.Length, req.Split.Decoded)
	need := normalize(req.Columns)
	c := f.c
	c.mu.Lock()
	s := c.tiles[tile][rng]
	if s == nil {
		c.refreshTileLocked(tile)
		s = c.tiles[tile][rng]
	}
	var ps *plannedSegment
	if s != nil {
		if ps = coverLocked(s, need); ps != nil {
			ps.rawHint = req.Split.Hint
			c.touchLocked(s)
		}
	}
	c.mu.Unlock()
	if ps != nil {
		h := &pieceHint{seg: ps, r0: 0, r1: ps.meta.Rows, g0: 0, g1: len(ps.layout), ref: &pieceRef{}}
		return f.openPiece(ctx, req, h), nil
	}
	return f.openMiss(ctx, req, fp, tile, rng, need)
}

// openMiss reads a split raw, teeing its rows into a fill when admitted.
func (f *cachedFormat) openMiss(ctx context.Context, req *source.Request, fp, tile, rng string, need []int) (source.BatchReader, error) {
	f.c.misses.Add(1)
	t := &teeReader{job: f.c.admit(req, fp, tile, rng, need), raw: f.c.raw}
	r := *req
	if t.job != nil {
		t.notices = &noticeLog{next: req.Notice}
		r.Notice = t.notices.add
	}
	inner, err := f.inner.Open(ctx, &r)
	if err != nil {
		if t.job != nil {
			t.job.abort()
		}
		return nil, err
	}
	t.inner = inner
	f.c.raw.begin()
	return t, nil
}

// verifyFooter checks a pinned file's size and footer against its facts:
// a truncated or damaged file is evicted before any piece reads it.
func verifyFooter(f *os.File, m *groupMeta) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() != m.FileSize {
		return fmt.Errorf("%w: %s has %d bytes, %d recorded", errCorruptSegment, m.File, fi.Size(), m.FileSize)
	}
	b := make([]byte, m.Footer.Len)
	if n, err := f.ReadAt(b, m.Footer.Off); int64(n) != m.Footer.Len {
		return fmt.Errorf("%w: %s footer: %v", errCorruptSegment, m.File, err)
	}
	if checksum(b) != m.Footer.CRC {
		return fmt.Errorf("%w: %s footer", errCorruptSegment, m.File)
	}
	return nil
}
