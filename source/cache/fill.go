package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/internal/arrowx"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/pqshred"
	"github.com/quarry-sql/quarry/types"
)

// maxGroups is the number of column groups past which a fill writes every
// column the query reads (not only the missing ones), so the groups it
// supersedes can be dropped and a segment never fragments without bound.
const maxGroups = 6

// restatTimeout bounds the re-stat of an object before a fill is kept.
const restatTimeout = 30 * time.Second

type jobState uint8

const (
	jobReading jobState = iota // the raw reader is still producing rows
	jobDone                    // the raw reader reached its end without error
	jobAborted                 // early close, read error, invalidation, close
)

// fillJob turns the rows a raw reader produced into one column group.
// The tee (the query's reader) pushes copies of its batches; once the raw
// read has ended and no other raw read is in progress (activity), a
// worker encodes them into a temporary file, re-stats the object,
// publishes the files and indexes the group. The tee encodes batches
// itself when the job holds more than FillBufferBytes, or all jobs more
// than FillMemoryBytes. The batches encoded are kept, within bounds, and
// handed to the memory tier with the published group, so that the next
// query finds them decoded in memory.
type fillJob struct {
	c      *Cache
	key    string // single-flight key
	segID  string
	tile   string
	meta   groupMeta // identity, split and columns; the rest at commit
	cols   []types.Column
	pos    []int   // for each group column, its position in the reader's batches
	layout []int64 // row-group boundaries to follow, nil for a first group
	store  objstore.Store
	file   objstore.ObjectInfo
	stats  *source.Stats

	mu           sync.Mutex
	pending      []pendingBatch
	pendingBytes int64
	state        jobState
	rows         int64
	notices      []string

	encMu  sync.Mutex
	enc    segmentWriter
	flat   bool
	tmp    *os.File
	failed error
	// batches encoded, kept for the memory tier (under encMu); keepOff
	// once they would exceed its bounds
	kept      []pendingBatch
	keptBytes int64
	keepOff   bool
	batchRows int // the reading query's batch size, which the tier's batches follow

	done   chan struct{} // closed when the job has ended
	ended  sync.Once
	urgent atomic.Bool // a query waits for it: no deferring (awaitFills)
	// the query's allocator, when it lets the job take batches off its
	// account instead of copying them (source.AccountTransfer)
	account source.AccountTransfer
	seen    map[*memory.Buffer]bool // buffers taken off the account (tee's goroutine)
}

type pendingBatch struct {
	cols  []arrow.Array
	n     int
	size  int64 // bytes of the arrays' buffers
	taken int64 // bytes taken off the query's account
}

// release releases a batch the job holds, first putting what it took off
// the query's account back on it (push).
func (j *fillJob) release(b pendingBatch) {
	if b.taken != 0 {
		j.account.Transfer(b.taken)
	}
	releaseAll(b.cols)
}

// take takes the buffers of cols off the query's account: the bytes the
// allocator handed out for them (their capacity), each buffer once (a
// reader may cut several batches from one allocation; the first batch
// holding it takes it). Whichever releases a buffer last frees it, so the
// account balances either way.
func (j *fillJob) take(cols []arrow.Array) int64 {
	var n int64
	var walk func(d arrow.ArrayData)
	walk = func(d arrow.ArrayData) {
		for _, b := range d.Buffers() {
			// Only buffers an allocator made for a builder (resizable):
			// one wrapping other bytes was never on the account.
			if b == nil || !b.Mutable() || b.Parent() != nil || j.seen[b] {
				continue
			}
			j.seen[b] = true
			n += int64(b.Cap())
		}
		for _, ch := range d.Children() {
			walk(ch)
		}
	}
	if j.seen == nil {
		j.seen = map[*memory.Buffer]bool{}
	}
	for _, a := range cols {
		walk(a.Data())
	}
	j.account.Transfer(-n)
	return n
}

func (j *fillJob) rowsOnly() bool { return len(j.cols) == 0 }

// admit registers a fill of cols (ascending table column indices; empty:
// rows only) for the segment of req's split, or returns nil when the
// cache will not fill it now: closed, low on disk, the same fill already
// in flight, or the queue full.
func (c *Cache) admit(req *source.Request, fp, tile, rng string, need []int) *fillJob {
	if !c.freeOK(0) {
		c.dropped.Add(1)
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	id := tile + "/" + rng
	s := c.segs[id]
	cols := need
	var layout []int64
	if s != nil {
		covered := map[int]bool{}
		files := 0
		for _, g := range s.groups {
			if g.meta.File != "" {
				files++
			}
			if g.meta.File == "" || slices.Equal(g.meta.rgRows(), s.layout) {
				for _, ci := range g.meta.Columns {
					covered[ci] = true
				}
			}
		}
		cols = nil
		for _, ci := range need {
			if !covered[ci] {
				cols = append(cols, ci)
			}
		}
		if len(cols) == 0 {
			return nil // covered: nothing to add
		}
		if files >= maxGroups {
			cols = need
		}
		layout = s.layout
	}
	key := id
	if layout != nil {
		key = id + "/" + fmt.Sprint(cols)
	}
	// A first group fixes the segment's row-group layout, so it runs
	// alone; later groups of one segment may run side by side.
	if c.inflight[id] != nil || c.inflight[key] != nil || (layout == nil && c.inflightN[id] > 0) {
		return nil
	}
	sp := req.Split
	j := &fillJob{c: c, key: key, segID: id, tile: tile, layout: layout, store: req.Store, file: req.File, stats: req.Stats,
		done: make(chan struct{}), keepOff: c.hot == nil, batchRows: batchRows(req)}
	if a, ok := req.Alloc.(source.AccountTransfer); ok && a.CanTransfer() {
		j.account = a
	}
	j.meta = groupMeta{V: metaVersion, Location: req.File.Location, Version: req.File.Version, Size: req.File.Size,
		Format: req.Table.Format, Fingerprint: fp, Offset: sp.Offset, Length: sp.Length, Decoded: sp.Decoded,
		FirstLine: sp.FirstLine, Columns: slices.Clone(cols)}
	if j.meta.Columns == nil {
		j.meta.Columns = []int{}
	}
	for _, ci := range cols {
		col := req.Table.Columns[ci]
		j.cols = append(j.cols, types.Column{Name: fileColumnName(ci), Type: col.Type})
		j.meta.Names = append(j.meta.Names, col.Name)
		j.pos = append(j.pos, slices.Index(req.Columns, ci))
	}
	// The job goes to a worker when its raw read ends (finish); the queue
	// has room for every job admitted.
	if len(c.inflight) >= c.opts.QueueSize {
		c.dropped.Add(1)
		return nil
	}
	c.inflight[key] = j
	c.inflightN[id]++
	c.jobs.Add(1)
	return j
}

// push hands the job the group's columns of one batch: the arrays
// themselves, taken off the query's account, when its allocator allows
// (source.AccountTransfer), else a copy in Go memory, so that a fill
// never holds memory the query is accounted for.
func (j *fillJob) push(rec arrow.Record) {
	n := int(rec.NumRows())
	if j.rowsOnly() {
		j.mu.Lock()
		j.rows += int64(n)
		j.mu.Unlock()
		return
	}
	var size, taken int64
	cols := make([]arrow.Array, len(j.pos))
	for i, p := range j.pos {
		if j.account != nil {
			a := rec.Column(p)
			a.Retain()
			size += arrowx.DataBytes(a.Data())
			cols[i] = a
			continue
		}
		d := copyData(rec.Column(p).Data(), &size)
		cols[i] = array.MakeFromData(d)
		d.Release()
	}
	if j.account != nil {
		taken = j.take(cols)
	}
	b := pendingBatch{cols: cols, n: n, size: size, taken: taken}
	j.mu.Lock()
	if j.state != jobReading {
		j.mu.Unlock()
		j.release(b)
		return
	}
	j.pending = append(j.pending, b)
	j.pendingBytes += size
	j.rows += int64(n)
	all := j.c.pendingBytes.Add(size)
	over := j.pendingBytes > j.c.opts.FillBufferBytes || all > j.c.opts.FillMemoryBytes
	j.mu.Unlock()
	if over {
		j.drain()
	}
}

// finish records that the raw reader reached its end without error and
// hands the job to a worker.
func (j *fillJob) finish(notices []string) {
	j.mu.Lock()
	if j.state != jobReading {
		j.mu.Unlock()
		return
	}
	j.state = jobDone
	j.notices = notices
	j.mu.Unlock()
	select {
	case j.c.queue <- j:
	default: // cannot happen: admit keeps room for every job
		j.c.dropped.Add(1)
		j.abort()
		j.end()
	}
}

// abort abandons the job. A job still reading ends here; one queued is
// ended by its worker, which deletes what it wrote.
func (j *fillJob) abort() {
	j.mu.Lock()
	reading := j.state == jobReading
	if j.state == jobReading || j.state == jobDone {
		j.state = jobAborted
	}
	for _, b := range j.pending {
		j.release(b)
	}
	j.c.pendingBytes.Add(-j.pendingBytes)
	j.pending, j.pendingBytes = nil, 0
	j.mu.Unlock()
	if reading {
		j.c.discarded.Add(1)
		j.end()
	}
}

// end releases what the job holds, deletes its temporary file and
// unregisters it; once.
func (j *fillJob) end() {
	j.ended.Do(func() {
		c := j.c
		j.cleanup()
		c.mu.Lock()
		delete(c.inflight, j.key)
		if c.inflightN[j.segID]--; c.inflightN[j.segID] <= 0 {
			delete(c.inflightN, j.segID)
		}
		c.mu.Unlock()
		close(j.done)
		c.jobs.Done()
	})
}

// readDone reports whether the job's raw read has ended without error:
// what is left is encoding and publishing.
func (j *fillJob) readDone() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state == jobDone
}

func (j *fillJob) aborted() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state == jobAborted
}

// drain encodes the pending batches in order.
func (j *fillJob) drain() {
	j.encMu.Lock()
	defer j.encMu.Unlock()
	for {
		j.mu.Lock()
		if len(j.pending) == 0 || j.state == jobAborted {
			j.mu.Unlock()
			return
		}
		b := j.pending[0]
		j.pending[0] = pendingBatch{}
		j.pending = j.pending[1:]
		j.pendingBytes -= b.size
		j.c.pendingBytes.Add(-b.size)
		j.mu.Unlock()
		if j.failed == nil {
			j.failed = j.encode(b)
		}
		j.keep(b)
	}
}

// keep holds an encoded batch for the memory tier while the job's and
// all jobs' kept batches stay within a quarter of the tier (an eighth for
// one job); past that, the job keeps none. Under encMu.
func (j *fillJob) keep(b pendingBatch) {
	if j.keepOff || j.failed != nil {
		j.release(b)
		return
	}
	size := b.size
	if max := j.c.hot.max; j.keptBytes+size > max/8 || j.c.keptBytes.Add(size) > max/4 {
		if j.keptBytes+size <= max/8 {
			j.c.keptBytes.Add(-size)
		}
		j.release(b)
		j.dropKept()
		j.keepOff = true
		return
	}
	j.kept = append(j.kept, b)
	j.keptBytes += size
}

// dropKept releases the kept batches. Under encMu.
func (j *fillJob) dropKept() {
	for _, b := range j.kept {
		j.release(b)
	}
	j.c.keptBytes.Add(-j.keptBytes)
	j.kept, j.keptBytes = nil, 0
}

func (j *fillJob) encode(b pendingBatch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("encode: %v", r)
		}
	}()
	if j.enc == nil {
		if err := j.c.hookErr("create", j.c.tmp); err != nil {
			return err
		}
		f, err := createTemp(j.c.tmp)
		if err != nil {
			return err
		}
		j.tmp = f
		if j.enc, j.flat, err = newSegmentWriter(&hookWriter{c: j.c, f: f}, j.cols, j.layout, j.c.opts.groupRows, j.c.opts.Uncompressed); err != nil {
			return err
		}
	}
	return j.enc.write(b.cols, b.n)
}

// hookWriter lets tests fail writes (a full disk).
type hookWriter struct {
	c *Cache
	f *os.File
}

func (w *hookWriter) Write(p []byte) (int, error) {
	if err := w.c.hookErr("write", w.f.Name()); err != nil {
		return 0, err
	}
	return w.f.Write(p)
}

func (c *Cache) hookErr(op, path string) error {
	if c.hook != nil {
		return c.hook(op, path)
	}
	return nil
}

func (c *Cache) worker() {
	defer c.workers.Done()
	for j := range c.queue {
		j.run()
	}
}

func (j *fillJob) run() {
	c := j.c
	defer func() {
		if r := recover(); r != nil {
			// A bug in the fill must not take the process down with it.
			c.discarded.Add(1)
			c.logf("fill %s of %s: BUG: %v\n%s", j.segID, j.meta.Location, r, debug.Stack())
		}
		j.end()
	}()
	// The raw read has ended; encode once the process's other raw reads
	// have too (within FillDefer): see activity.
	c.raw.waitIdle(c.opts.FillDefer, j.urgent.Load)
	for {
		j.mu.Lock()
		st, more := j.state, len(j.pending) > 0
		j.mu.Unlock()
		switch {
		case st == jobAborted:
			c.discarded.Add(1)
			return
		case more:
			j.drain()
		case st == jobDone:
			if err := j.commit(); err != nil {
				c.discarded.Add(1)
				c.logf("fill %s of %s: %v", j.segID, j.meta.Location, err)
			}
			return
		default:
			panic("a job still reading reached a worker") // recovered above
		}
	}
}

// cleanup deletes the temporary file unless commit renamed it.
func (j *fillJob) cleanup() {
	j.encMu.Lock()
	defer j.encMu.Unlock()
	j.dropKept()
	if j.enc != nil {
		j.enc.release()
	}
	if j.tmp != nil {
		j.tmp.Close()
		os.Remove(j.tmp.Name())
		j.tmp = nil
	}
}

var errChanged = errors.New("object changed while it was read; fill discarded")

func (j *fillJob) commit() error {
	c := j.c
	j.encMu.Lock()
	defer j.encMu.Unlock()
	if j.failed != nil {
		return j.failed
	}
	j.mu.Lock()
	m := j.meta
	m.Rows, m.Notices = j.rows, j.notices
	j.mu.Unlock()
	m.Created = time.Now().Unix()
	if j.layout != nil {
		var want int64
		for _, r := range j.layout {
			want += r
		}
		if want != m.Rows {
			return fmt.Errorf("read %d rows, the segment has %d", m.Rows, want)
		}
	}
	name := rangeKey(m.Offset, m.Length, m.Decoded) + "." + groupID(m.Columns)
	if !j.rowsOnly() {
		if j.enc == nil { // no rows at all: an empty file still records the columns
			empty := emptyArrays(j.cols)
			err := j.encode(pendingBatch{cols: empty})
			releaseAll(empty)
			if err != nil {
				return err
			}
		}
		if err := j.enc.close(); err != nil {
			return err
		}
		if err := c.hookErr("sync", j.tmp.Name()); err != nil {
			return err
		}
		if err := j.tmp.Sync(); err != nil {
			return err
		}
		m.File, m.Flat = name+".parquet", j.flat
		if err := describeFile(j.tmp, &m, j.enc.leaves()); err != nil {
			return err
		}
	}
	// The object must still be the one listed: otherwise the rows may
	// mix two versions. The caller's store (and credentials) answer.
	ctx, cancel := context.WithTimeout(context.Background(), restatTimeout)
	info, err := j.store.Stat(ctx, j.file.Location)
	cancel()
	if err != nil {
		return fmt.Errorf("re-stat: %w", err)
	}
	if info.Version != j.file.Version || info.Size != j.file.Size {
		return errChanged
	}
	if j.aborted() {
		return errors.New("abandoned")
	}
	if !c.freeOK(m.FileSize) {
		return errors.New("free disk space below the minimum")
	}
	if m.FileSize > c.opts.MaxBytes/2 {
		return fmt.Errorf("segment of %d bytes exceeds half the cache budget", m.FileSize)
	}
	metaBytes, err := encodeMeta(&m)
	if err != nil {
		return err
	}
	// An eviction may remove the tile folder between MkdirAll and a
	// rename into it: then make it again.
	dir := filepath.Join(c.seg, j.tile)
	pq, mp := c.groupPaths(j.tile, name)
	retry := func(f func() error) error {
		err := f()
		for i := 0; i < 3 && errors.Is(err, fs.ErrNotExist); i++ {
			if err = os.MkdirAll(dir, 0o755); err == nil {
				err = f()
			}
		}
		return err
	}
	if j.tmp != nil {
		if err := c.hookErr("rename", pq); err != nil {
			return err
		}
		if err := retry(func() error { return os.Rename(j.tmp.Name(), pq) }); err != nil {
			return err
		}
		j.tmp.Close()
		j.tmp = nil
	}
	if err := retry(func() error { return c.writeFile(mp, metaBytes) }); err != nil {
		os.Remove(pq)
		return err
	}
	g := &group{name: name, meta: &m, bytes: m.FileSize + int64(len(metaBytes))}
	c.mu.Lock()
	c.rescanLocked(false)
	c.addGroupLocked(j.tile, g)
	if s := c.segs[j.segID]; s != nil && slices.Contains(s.groups, g) {
		c.supersedeLocked(s, g)
	}
	c.evictLocked()
	c.mu.Unlock()
	c.fills.Add(1)
	if j.stats != nil {
		j.stats.CacheFills.Add(1)
	}
	if j.flat && !j.keepOff {
		c.hot.putFilled(g.meta, j.cols, j.kept, j.batchRows)
	}
	return nil
}

// supersedeLocked deletes the groups of s whose columns g also holds.
func (c *Cache) supersedeLocked(s *segment, g *group) {
	for _, o := range slices.Clone(s.groups) {
		if o == g || len(o.meta.Columns) > len(g.meta.Columns) {
			continue
		}
		sub := true
		for _, ci := range o.meta.Columns {
			sub = sub && slices.Contains(g.meta.Columns, ci)
		}
		if sub && (o.meta.File != "" || g.meta.File != "" || len(o.meta.Columns) == 0) {
			c.deleteGroupFiles(s.tile, o)
			c.dropGroupLocked(s.tile, o)
		}
	}
}

// writeFile writes data to path atomically and durably: a temporary
// file, fsync, rename, fsync of the folder.
func (c *Cache) writeFile(path string, data []byte) error {
	if err := c.hookErr("create", c.tmp); err != nil {
		return err
	}
	f, err := createTemp(c.tmp)
	if err != nil {
		return err
	}
	name := f.Name()
	err = c.hookErr("write", name)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = c.hookErr("sync", name)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = c.hookErr("rename", path)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return err
	}
	return syncDir(filepath.Dir(path))
}

func groupID(cols []int) string {
	h := fnv.New32a()
	fmt.Fprint(h, cols)
	return fmt.Sprintf("%08x%s", h.Sum32(), randomHex(4))
}

func leavesOf(shreds []*pqshred.Node) []int {
	var out []int
	for i, sh := range shreds {
		for range sh.Leaves {
			out = append(out, i)
		}
	}
	return out
}

func emptyArrays(cols []types.Column) []arrow.Array {
	out := make([]arrow.Array, len(cols))
	for i, c := range cols {
		out[i] = array.MakeArrayOfNull(memory.DefaultAllocator, c.Type.Arrow(), 0)
	}
	return out
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}

// copyData deep-copies an array's buffers into Go memory, so a fill never
// holds memory of the query's accounted allocator.
func copyData(d arrow.ArrayData, size *int64) arrow.ArrayData {
	bufs := make([]*memory.Buffer, len(d.Buffers()))
	for i, b := range d.Buffers() {
		if b != nil {
			bufs[i] = memory.NewBufferBytes(bytes.Clone(b.Bytes()))
			*size += int64(b.Len())
		}
	}
	children := make([]arrow.ArrayData, len(d.Children()))
	for i, ch := range d.Children() {
		children[i] = copyData(ch, size)
	}
	out := array.NewData(d.DataType(), d.Len(), bufs, children, d.NullN(), d.Offset())
	for _, ch := range children {
		ch.Release()
	}
	return out
}

// teeReader is the reader of a miss: the raw reader's batches go to the
// query and, copied, to a fill (job nil: none). It counts as a raw read in
// progress until its end or Close.
type teeReader struct {
	inner   source.BatchReader
	job     *fillJob
	notices *noticeLog
	ended   bool
	raw     *activity
	done    bool // raw.end called
}

func (t *teeReader) endRaw() {
	if !t.done {
		t.done = true
		t.raw.end()
	}
}

type noticeLog struct {
	mu   sync.Mutex
	msgs []string
	next func(string)
}

func (l *noticeLog) add(msg string) {
	l.mu.Lock()
	l.msgs = append(l.msgs, msg)
	l.mu.Unlock()
	if l.next != nil {
		l.next(msg)
	}
}

func (l *noticeLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.msgs)
}

func (t *teeReader) Next() (arrow.Record, error) {
	rec, err := t.inner.Next()
	if err != nil || rec == nil {
		t.endRaw()
	}
	if t.job == nil || t.ended {
		return rec, err
	}
	switch {
	case err != nil:
		t.ended = true
		t.job.abort()
	case rec == nil:
		t.ended = true
		t.job.finish(t.notices.list())
	default:
		t.job.push(rec)
	}
	return rec, err
}

func (t *teeReader) Close() error {
	t.endRaw()
	if t.job != nil && !t.ended {
		t.ended = true
		t.job.abort()
	}
	return t.inner.Close()
}
