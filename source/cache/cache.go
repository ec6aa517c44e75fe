package cache

import (
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quarry-sql/quarry/source"
)

// Options configure a Cache.
type Options struct {
	// Dir is the cache's directory (created if missing). Only the
	// sub-folders seg/, memo/ and tmp/ are ever written or cleaned.
	Dir string
	// MaxBytes bounds the bytes of all segment and memo files
	// (default 10 GiB).
	MaxBytes int64
	// MinFreeBytes is the free space the file system must keep: no fill
	// or memo is written below it (default 1 GiB; negative: no check).
	MinFreeBytes int64
	// QueueSize bounds the fills in flight (their raw reads in progress,
	// or waiting for a worker); a miss that finds the queue full reads raw
	// without filling (default 64).
	QueueSize int
	// Workers is the number of fill goroutines (default 2; fills run
	// when no raw read is in progress, so they may use every core).
	Workers int
	// FillBufferBytes bounds the decoded batches one fill holds before
	// its worker encodes them (after the raw reads); beyond it the reading
	// query encodes them itself (default 64 MiB). FillMemoryBytes bounds
	// those of all fills alike (default 256 MiB).
	FillBufferBytes int64
	FillMemoryBytes int64
	// FillDefer bounds how long a fill whose raw read has ended waits for
	// the process's other raw reads to end before it encodes (default 2s).
	FillDefer time.Duration
	// PieceBytes and PieceRows size the pieces a cached segment is cut
	// into for parallel reading: a piece ends at the first row group
	// boundary past either (defaults 12 MiB of the needed columns' cached
	// bytes, 256Ki rows).
	PieceBytes int64
	PieceRows  int64
	// MaxPinnedFiles bounds the segment files held open by planned but
	// unfinished scans; past it, pieces open their files when read
	// (default 1024).
	MaxPinnedFiles int
	// CloseTimeout bounds how long Close waits for fills (default 30s).
	CloseTimeout time.Duration
	// RescanInterval is how often the index is reconciled with the
	// directory, which other processes may share (default 30s).
	RescanInterval time.Duration
	// Uncompressed stores segment pages without Snappy: measured on
	// lineitem-like text, about 2.5 times the disk (0.82 of the text's size
	// instead of 0.33) for about 30% less CPU to read and 20% less to fill.
	Uncompressed bool
	// MemoryBytes bounds the decoded column chunks kept in memory for
	// repeated reads in one process (default 512 MiB; negative: none).
	MemoryBytes int64
	// Logf receives cache failures (disk full, corrupt segments), which
	// never fail a query; nil discards them.
	Logf func(format string, args ...any)

	groupRows int64 // rows per row group of a first column group (tests shrink it)
}

func (o *Options) defaults() {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 10 << 30
	}
	if o.MinFreeBytes == 0 {
		o.MinFreeBytes = 1 << 30
	}
	if o.MemoryBytes == 0 {
		o.MemoryBytes = 512 << 20
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 64
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.FillBufferBytes <= 0 {
		o.FillBufferBytes = 64 << 20
	}
	if o.FillMemoryBytes <= 0 {
		o.FillMemoryBytes = 256 << 20
	}
	if o.FillDefer <= 0 {
		o.FillDefer = 2 * time.Second
	}
	if o.PieceBytes <= 0 {
		o.PieceBytes = 12 << 20
	}
	if o.PieceRows <= 0 {
		o.PieceRows = 256 << 10
	}
	if o.MaxPinnedFiles <= 0 {
		o.MaxPinnedFiles = 1024
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = 30 * time.Second
	}
	if o.groupRows <= 0 {
		o.groupRows = maxGroupRows
	}
	if o.RescanInterval <= 0 {
		o.RescanInterval = 30 * time.Second
	}
}

// Status describes the cache for `quarry cache status`.
type Status struct {
	Dir               string
	Segments          int
	Groups            int
	Bytes             int64 // segment and memo files
	ProtectedSegments int
	ProtectedBytes    int64
	MemoEntries       int
	MemoBytes         int64
	// The memory tier of this process: decoded column chunks kept.
	MemoryChunks int
	MemoryUsed   int64
	MaxBytes     int64
	MinFreeBytes int64
	FreeBytes    int64 // -1: unknown
	// Since Open: splits served from the cache and splits read raw that
	// the cache could have served; fills written, dropped (queue full,
	// low disk), discarded (object changed, query ended early, write
	// failed); segments evicted for space and for corruption.
	Hits           int64
	Misses         int64
	Fills          int64
	FillsDropped   int64
	FillsDiscarded int64
	Evictions      int64
	Corrupt        int64
	FillsInFlight  int
}

// group is one column group of a segment as the index knows it.
type group struct {
	name  string // <range>.<gid>, the file names without extension
	meta  *groupMeta
	bytes int64 // both files
}

// segment is one raw split of one object version under one parse
// fingerprint, with its column groups.
type segment struct {
	id     string // <tile>/<range>
	tile   string
	rng    string
	groups []*group
	// layout is the row-group boundaries every group with a file shares
	// (those of the first such group); nil while only rows-only groups exist.
	layout []int64
	bytes  int64
	// SLRU state.
	elem      *list.Element
	protected bool
	hits      int
}

func (s *segment) meta() *groupMeta { return s.groups[0].meta }

// Cache is a persistent cache of decoded columns. It is safe for
// concurrent use.
type Cache struct {
	opts                    Options
	dir, seg, tmp, memoPath string

	mu        sync.Mutex
	segs      map[string]*segment            // by id
	tiles     map[string]map[string]*segment // tile → range → segment
	probation list.List                      // of *segment, most recent first
	protected list.List
	bytes     int64 // segments only; memo bytes are in memo
	protBytes int64
	inflight  map[string]*fillJob
	inflightN map[string]int // segment id → fills in flight
	closed    bool
	rescanAt  time.Time
	freeAt    time.Time
	free      int64

	memo    *memoStore
	hot     *hotTier
	raw     *activity // raw reads in progress: fills wait for them
	queue   chan *fillJob
	workers sync.WaitGroup
	jobs    sync.WaitGroup // every admitted fill until it ends
	pinned  atomic.Int64
	// decoded batches all fills hold: waiting to be encoded, and encoded
	// but kept for the memory tier
	pendingBytes, keptBytes atomic.Int64
	close                   sync.Once

	hits, misses, fills, dropped, discarded, evictions, corrupt atomic.Int64

	// hook, when set by tests, runs before each write or sync of a cache
	// file and may fail it (to simulate a full disk).
	hook func(op, path string) error
}

// orphanGrace is how old a file must be before Open removes it as
// abandoned when it may belong to another live process's fill.
const orphanGrace = 10 * time.Minute

// Open opens (creating if needed) the cache in opts.Dir: it deletes
// abandoned temporary files, drops files no facts file records and facts
// whose files are missing, and builds the in-memory index.
func Open(opts Options) (*Cache, error) {
	if opts.Dir == "" {
		return nil, errors.New("cache: no directory")
	}
	opts.defaults()
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", opts.Dir, err)
	}
	c := &Cache{opts: opts, dir: dir, seg: filepath.Join(dir, "seg"), tmp: filepath.Join(dir, "tmp"),
		memoPath: filepath.Join(dir, "memo"), segs: map[string]*segment{}, tiles: map[string]map[string]*segment{},
		inflight: map[string]*fillJob{}, inflightN: map[string]int{}, free: -1, raw: newActivity()}
	for _, d := range []string{c.seg, c.tmp, c.memoPath} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("cache %s: %w", dir, err)
		}
	}
	c.cleanTemp()
	c.memo = newMemoStore(c)
	c.hot = newHotTier(opts.MemoryBytes)
	c.mu.Lock()
	c.rescanLocked(true)
	c.evictLocked()
	c.mu.Unlock()
	c.queue = make(chan *fillJob, opts.QueueSize)
	for range opts.Workers {
		c.workers.Add(1)
		go c.worker()
	}
	return c, nil
}

func (c *Cache) logf(format string, args ...any) {
	if c.opts.Logf != nil {
		c.opts.Logf("cache: "+format, args...)
	}
}

func (c *Cache) cleanTemp() {
	entries, err := os.ReadDir(c.tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := tempOwner(e.Name())
		old := false
		if fi, err := e.Info(); err == nil {
			old = time.Since(fi.ModTime()) > time.Hour
		}
		if !ok || old || !processAlive(pid) {
			os.Remove(filepath.Join(c.tmp, e.Name()))
		}
	}
}

// Memo returns the persistent store of small per-object facts.
func (c *Cache) Memo() source.Memo { return c.memo }

// Status reports the cache's contents and counters.
func (c *Cache) Status() Status {
	c.mu.Lock()
	c.rescanLocked(false)
	st := Status{Dir: c.dir, Segments: len(c.segs), Bytes: c.bytes, ProtectedSegments: c.protected.Len(),
		ProtectedBytes: c.protBytes, MaxBytes: c.opts.MaxBytes, MinFreeBytes: c.opts.MinFreeBytes,
		FillsInFlight: len(c.inflight)}
	for _, s := range c.segs {
		st.Groups += len(s.groups)
	}
	c.mu.Unlock()
	st.MemoEntries, st.MemoBytes = c.memo.stats()
	st.MemoryChunks, st.MemoryUsed = c.hot.bytes()
	st.Bytes += st.MemoBytes
	st.FreeBytes = freeBytes(c.dir)
	st.Hits, st.Misses, st.Fills = c.hits.Load(), c.misses.Load(), c.fills.Load()
	st.FillsDropped, st.FillsDiscarded = c.dropped.Load(), c.discarded.Load()
	st.Evictions, st.Corrupt = c.evictions.Load(), c.corrupt.Load()
	return st
}

// Clear deletes every segment and memo, also those other processes
// sharing the directory wrote, and abandons fills in flight.
func (c *Cache) Clear() error {
	_, err := c.Invalidate("")
	if merr := c.memo.clear(); err == nil {
		err = merr
	}
	return err
}

// inflightJobs lists the fills in flight of objects whose location
// starts with prefix (aborting one takes c.mu).
func (c *Cache) inflightJobs(prefix string) []*fillJob {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*fillJob
	for _, j := range c.inflight {
		if strings.HasPrefix(j.meta.Location, prefix) {
			out = append(out, j)
		}
	}
	return out
}

// Invalidate deletes the segments of every object whose location starts
// with prefix (all of them for ""), and the memo facts whose key
// contains it, and abandons fills in flight for those objects. It
// returns the number of segments deleted.
func (c *Cache) Invalidate(prefix string) (int, error) {
	for _, j := range c.inflightJobs(prefix) {
		j.abort()
	}
	c.mu.Lock()
	c.rescanLocked(true)
	var victims []*segment
	for _, s := range c.segs {
		if strings.HasPrefix(s.meta().Location, prefix) {
			victims = append(victims, s)
		}
	}
	var first error
	for _, s := range victims {
		if err := c.removeLocked(s); err != nil && first == nil {
			first = err
		}
	}
	c.mu.Unlock()
	c.hot.invalidate(prefix)
	if prefix != "" {
		c.memo.invalidate(prefix)
	}
	return len(victims), first
}

// Close stops new fills, waits up to Options.CloseTimeout for the fills
// in flight (abandoning those still unfinished then) and stops the
// workers. Readers already open keep working; formats wrapped by a
// closed cache read raw. Close is safe to call twice.
func (c *Cache) Close() error {
	c.close.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		close(c.raw.stop) // fills waiting for idle go now
		done := make(chan struct{})
		go func() { c.jobs.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(c.opts.CloseTimeout):
			for _, j := range c.inflightJobs("") {
				j.abort()
			}
			c.logf("close: abandoned fills still running after %v", c.opts.CloseTimeout)
			<-done
		}
		close(c.queue)
		c.workers.Wait()
	})
	return nil
}

func (c *Cache) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// freeOK reports whether the file system keeps MinFreeBytes after need
// more bytes (statfs at most once a second).
func (c *Cache) freeOK(need int64) bool {
	if c.opts.MinFreeBytes < 0 {
		return true
	}
	c.mu.Lock()
	if time.Since(c.freeAt) > time.Second {
		c.free, c.freeAt = freeBytes(c.dir), time.Now()
	}
	free := c.free
	c.mu.Unlock()
	return free < 0 || free-need >= c.opts.MinFreeBytes
}

// ---- index ----

// segFiles returns the paths of a group's files.
func (c *Cache) groupPaths(tile, name string) (parquetPath, metaPath string) {
	d := filepath.Join(c.seg, tile)
	return filepath.Join(d, name+".parquet"), filepath.Join(d, name+".meta")
}

// rescanLocked reconciles the index with the directory: it loads groups
// other processes added, forgets those that vanished, and (at Open, or
// when force) deletes orphans. It runs at most every RescanInterval
// unless forced.
func (c *Cache) rescanLocked(force bool) {
	if !force && time.Since(c.rescanAt) < c.opts.RescanInterval {
		return
	}
	c.rescanAt = time.Now()
	tiles, err := os.ReadDir(c.seg)
	if err != nil {
		c.logf("rescan %s: %v", c.seg, err)
		return
	}
	seen := map[string]bool{}
	for _, t := range tiles {
		if !t.IsDir() {
			continue
		}
		seen[t.Name()] = true
		c.refreshTileLocked(t.Name())
	}
	for tile := range c.tiles {
		if !seen[tile] {
			for _, s := range c.tiles[tile] {
				c.forgetLocked(s)
			}
		}
	}
	// Other processes' files count in the one budget.
	c.evictLocked()
}

// refreshTileLocked reconciles one tile folder (the segments of one
// object version and fingerprint) with the index.
func (c *Cache) refreshTileLocked(tile string) {
	dir := filepath.Join(c.seg, tile)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.logf("read %s: %v", dir, err)
		}
		for _, s := range c.tiles[tile] {
			c.forgetLocked(s)
		}
		return
	}
	if len(entries) == 0 {
		// A fill may be about to rename into it: only old empty
		// folders go.
		if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > orphanGrace {
			os.Remove(dir)
		}
	}
	present := map[string]fs.DirEntry{}
	for _, e := range entries {
		present[e.Name()] = e
	}
	known := map[string]*group{}
	for _, s := range c.tiles[tile] {
		for _, g := range s.groups {
			known[g.name] = g
		}
	}
	// Forget groups whose facts file is gone (evicted by another process).
	for name, g := range known {
		if _, ok := present[name+".meta"]; !ok {
			c.dropGroupLocked(tile, g)
		}
	}
	names := make([]string, 0, len(entries))
	for name := range present {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		e := present[name]
		base, ext, ok := splitExt(name)
		if !ok {
			c.removeIfOld(filepath.Join(dir, name), e)
			continue
		}
		switch ext {
		case "meta":
			if _, ok := known[base]; ok {
				continue
			}
			c.loadGroupLocked(tile, base, present)
		case "parquet":
			if _, ok := present[base+".meta"]; !ok {
				// A fill of another process may be between its two renames.
				c.removeIfOld(filepath.Join(dir, name), e)
			}
		default:
			c.removeIfOld(filepath.Join(dir, name), e)
		}
	}
}

func (c *Cache) removeIfOld(path string, e fs.DirEntry) {
	if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > orphanGrace {
		os.Remove(path)
	}
}

// splitExt splits "<range>.<gid>.<ext>" into "<range>.<gid>" and ext.
func splitExt(name string) (string, string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || strings.HasPrefix(name, ".") {
		return "", "", false
	}
	base, ext := name[:i], name[i+1:]
	if strings.Count(base, ".") != 1 {
		return "", "", false
	}
	return base, ext, true
}

func rangeOf(name string) string {
	r, _, _ := strings.Cut(name, ".")
	return r
}

// loadGroupLocked reads a facts file and adds its group to the index, or
// deletes the group's files when they are inconsistent.
func (c *Cache) loadGroupLocked(tile, name string, present map[string]fs.DirEntry) {
	pq, mp := c.groupPaths(tile, name)
	b, err := os.ReadFile(mp)
	if err != nil {
		return // vanished meanwhile
	}
	m, err := decodeMeta(b)
	drop := func(why string) {
		c.logf("%s: %s; deleted", mp, why)
		os.Remove(mp)
		os.Remove(pq)
	}
	if err != nil {
		drop(err.Error())
		return
	}
	if m.File != "" && m.File != name+".parquet" {
		drop("names another file")
		return
	}
	if tileKey(m.Fingerprint, m.Location, m.Version, m.Size) != tile || rangeKey(m.Offset, m.Length, m.Decoded) != rangeOf(name) {
		drop("does not match its place")
		return
	}
	size := int64(len(b))
	if m.File != "" {
		e, ok := present[m.File]
		if !ok {
			drop("its segment file is missing")
			return
		}
		fi, err := e.Info()
		if err != nil || fi.Size() != m.FileSize {
			drop("its segment file has the wrong size")
			return
		}
		size += fi.Size()
	}
	c.addGroupLocked(tile, &group{name: name, meta: m, bytes: size})
}

// addGroupLocked adds a group to its segment (creating the segment),
// dropping groups that disagree with the segment's rows or layout.
func (c *Cache) addGroupLocked(tile string, g *group) {
	rng := rangeOf(g.name)
	s := c.tiles[tile][rng]
	if s == nil {
		s = &segment{id: tile + "/" + rng, tile: tile, rng: rng}
		if c.tiles[tile] == nil {
			c.tiles[tile] = map[string]*segment{}
		}
		c.tiles[tile][rng] = s
		c.segs[s.id] = s
		s.elem = c.probation.PushFront(s)
	}
	for _, o := range s.groups {
		if o.name == g.name {
			return
		}
	}
	m := g.meta
	if len(s.groups) > 0 && s.meta().Rows != m.Rows {
		// The same split of the same object parsed the same way gave
		// different rows: trust none of it.
		c.logf("segment %s: groups disagree on the row count (%d, %d); evicted", s.id, s.meta().Rows, m.Rows)
		c.corrupt.Add(1)
		c.deleteGroupFiles(tile, g)
		c.removeLocked(s)
		return
	}
	if m.File != "" {
		if s.layout == nil {
			s.layout = m.rgRows()
		} else if !slices.Equal(s.layout, m.rgRows()) {
			// Two first fills raced (two processes); keep the first.
			c.deleteGroupFiles(tile, g)
			return
		}
	}
	s.groups = append(s.groups, g)
	s.bytes += g.bytes
	c.bytes += g.bytes
	if s.protected {
		c.protBytes += g.bytes
	}
}

func (c *Cache) deleteGroupFiles(tile string, g *group) {
	pq, mp := c.groupPaths(tile, g.name)
	os.Remove(mp) // the facts file first: without it the group does not exist
	os.Remove(pq)
}

// dropGroupLocked forgets one group (its files are gone or superseded).
func (c *Cache) dropGroupLocked(tile string, g *group) {
	s := c.tiles[tile][rangeOf(g.name)]
	if s == nil {
		return
	}
	i := slices.Index(s.groups, g)
	if i < 0 {
		return
	}
	s.groups = slices.Delete(s.groups, i, i+1)
	s.bytes -= g.bytes
	c.hot.dropFile(hotFile(g.meta))
	c.bytes -= g.bytes
	if s.protected {
		c.protBytes -= g.bytes
	}
	if len(s.groups) == 0 {
		c.forgetLocked(s)
		return
	}
	s.layout = nil
	for _, o := range s.groups {
		if o.meta.File != "" {
			s.layout = o.meta.rgRows()
			break
		}
	}
}

// forgetLocked removes a segment from the index without touching files,
// and its chunks from memory.
func (c *Cache) forgetLocked(s *segment) {
	if c.segs[s.id] != s {
		return
	}
	files := map[string]bool{}
	for _, g := range s.groups {
		files[hotFile(g.meta)] = true
	}
	c.hot.removeIf(func(e *hotEntry) bool { return files[e.key.file] })
	delete(c.segs, s.id)
	if t := c.tiles[s.tile]; t != nil {
		delete(t, s.rng)
		if len(t) == 0 {
			delete(c.tiles, s.tile)
		}
	}
	if s.protected {
		c.protected.Remove(s.elem)
		c.protBytes -= s.bytes
	} else {
		c.probation.Remove(s.elem)
	}
	c.bytes -= s.bytes
}

// removeLocked deletes a segment's files and forgets it. Readers that
// pinned its files keep reading them (open files outlive unlink).
func (c *Cache) removeLocked(s *segment) error {
	var first error
	for _, g := range s.groups {
		pq, mp := c.groupPaths(s.tile, g.name)
		if err := os.Remove(mp); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
		if g.meta.File != "" {
			if err := os.Remove(pq); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
				first = err
			}
		}
	}
	c.forgetLocked(s)
	if len(c.tiles[s.tile]) == 0 {
		os.Remove(filepath.Join(c.seg, s.tile)) // fails harmlessly if another process just added a file
	}
	return first
}

// touchLocked records a hit: a segment hit twice moves to the protected
// list (SLRU), so one large scan, whose segments are hit at most once,
// cannot flush segments in repeated use.
func (c *Cache) touchLocked(s *segment) {
	if c.segs[s.id] != s {
		return
	}
	s.hits++
	if s.protected {
		c.protected.MoveToFront(s.elem)
		return
	}
	if s.hits < 2 {
		c.probation.MoveToFront(s.elem)
		return
	}
	c.probation.Remove(s.elem)
	s.protected = true
	s.elem = c.protected.PushFront(s)
	c.protBytes += s.bytes
	// The protected list keeps at most 80% of the budget; its least
	// recently used segments return to probation.
	for c.protBytes > c.opts.MaxBytes/10*8 && c.protected.Len() > 1 {
		old := c.protected.Back().Value.(*segment)
		c.protected.Remove(old.elem)
		old.protected = false
		c.protBytes -= old.bytes
		old.elem = c.probation.PushFront(old)
	}
}

// evictLocked deletes segments until the cache fits its budget:
// probationary segments first (least recently used first), then
// protected ones, then memo entries.
func (c *Cache) evictLocked() {
	for c.bytes+c.memo.size() > c.opts.MaxBytes {
		var victim *segment
		if e := c.probation.Back(); e != nil {
			victim = e.Value.(*segment)
		} else if e := c.protected.Back(); e != nil {
			victim = e.Value.(*segment)
		}
		if victim == nil {
			if !c.memo.evictOne() {
				return
			}
			continue
		}
		if err := c.removeLocked(victim); err != nil {
			c.logf("evict %s: %v", victim.id, err)
		}
		c.evictions.Add(1)
	}
}

// evictCorrupt deletes a segment found unreadable or corrupt.
func (c *Cache) evictCorrupt(id string, why error) {
	c.corrupt.Add(1)
	c.logf("segment %s: %v; evicted, reading raw", id, why)
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.segs[id]; s != nil {
		if err := c.removeLocked(s); err != nil {
			c.logf("evict %s: %v", id, err)
		}
	}
}
