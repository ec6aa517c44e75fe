package sink

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"golang.org/x/sync/errgroup"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source/pqshred"
	"github.com/quarry-sql/quarry/types"
)

// StagingPrefix starts the name of every staging folder; readers skip it
// because it starts with '.'.
const StagingPrefix = ".quarry-staging-"

// publishConcurrency bounds the renames (S3 copies) in flight at commit.
const publishConcurrency = 16

// WrittenFile is one file a committed write added to the table.
type WrittenFile struct {
	Location string
	// PartitionValues are the file's partition values as Hive stores them
	// (NULL as __HIVE_DEFAULT_PARTITION__); nil for an unpartitioned table.
	PartitionValues []string
	Rows            int64
	Bytes           int64
}

// Writer writes one statement's rows into a table location. Write may be
// called from several goroutines; Commit and Abort must not run
// concurrently with Write.
type Writer struct {
	opts     Options
	ctx      context.Context
	staging  string // staging folder location, without trailing slash
	filePref string // <query>_<rand>_
	ext      string

	schema    *parquet.Schema
	shreds    []*pqshred.Node
	dataTypes []types.Type
	expect    []arrow.DataType // every record column

	mu       sync.Mutex
	cond     *sync.Cond
	parts    map[string]*partition
	closed   []*file // finished files, staged
	seq      int
	err      error // sticky: the first failure
	state    int   // stateOpen, stateCommitted, stateAborted
	buffered int64 // sum of open files' unflushed bytes
}

const (
	stateOpen = iota
	stateCommitted
	stateAborted
)

type partition struct {
	values []string // nil when unpartitioned
	rel    string   // "k=v/k2=v2", or "" when unpartitioned
	idle   []*file
	open   int // files open: idle or in use
}

// file is one open output file; a goroutine that took it from its
// partition's idle list owns it until it gives it back.
type file struct {
	p        *partition
	staged   string
	final    string
	obj      objstore.ObjectWriter
	cw       *countingWriter
	enc      encoder
	rows     int64 // total
	rgRows   int64 // in the current row group
	buffered int64 // as last accounted in Writer.buffered
}

type encoder interface {
	write(cols []arrow.Array, sel []int32, n int) error
	// size is the file's size so far: bytes written plus buffered.
	size() int64
	flushRowGroup() error
	close() error
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("BUG: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// NewWriter checks the options and the column types against the format
// and prepares a staged write; nothing is created until rows arrive.
func NewWriter(ctx context.Context, opts Options) (*Writer, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	w := &Writer{opts: opts, ctx: ctx, parts: map[string]*partition{}}
	w.cond = sync.NewCond(&w.mu)
	switch opts.Format {
	case catalog.FormatParquet:
		s, sh, err := parquetSchema(opts.Columns)
		if err != nil {
			return nil, fmt.Errorf("write to %s: %w", opts.Location, err)
		}
		w.schema, w.shreds, w.ext = s, sh, ".parquet"
	case catalog.FormatText:
		if err := checkTextTypes(opts.Columns); err != nil {
			return nil, fmt.Errorf("write to %s: %w", opts.Location, err)
		}
		w.ext = compressionExt(opts.Compression)
	case catalog.FormatJSON:
		if err := checkJSONTypes(opts.Columns); err != nil {
			return nil, fmt.Errorf("write to %s: %w", opts.Location, err)
		}
		w.ext = ".json" + compressionExt(opts.Compression)
	}
	for _, c := range opts.Columns {
		w.dataTypes = append(w.dataTypes, c.Type)
		w.expect = append(w.expect, c.Type.Arrow())
	}
	for _, c := range opts.PartitionKeys {
		w.expect = append(w.expect, c.Type.Arrow())
	}
	root := strings.TrimSuffix(opts.Location, "/")
	rnd := randomHex(4)
	w.staging = fmt.Sprintf("%s/%s%d-%s-%s", root, StagingPrefix, time.Now().UnixMilli(), opts.QueryID, rnd)
	w.filePref = opts.QueryID + "_" + randomHex(8) + "_"
	return w, nil
}

// StagingLocation is the folder this write stages its files in.
func (w *Writer) StagingLocation() string { return w.staging }

func (w *Writer) fail(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
	w.cond.Broadcast()
	return w.err
}

func (w *Writer) checkOpen() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.err != nil:
		return w.err
	case w.state == stateCommitted:
		return errors.New("write after commit")
	case w.state == stateAborted:
		return errors.New("write after abort")
	}
	return nil
}

// sameShape reports whether a record column's type can be written as the
// declared one: the same Arrow types, ignoring field names of nested
// types, which writers and readers name differently.
func sameShape(got, want arrow.DataType) bool {
	if got.ID() != want.ID() {
		return false
	}
	switch w := want.(type) {
	case *arrow.TimestampType:
		return got.(*arrow.TimestampType).Unit == w.Unit
	case *arrow.Time64Type:
		return got.(*arrow.Time64Type).Unit == w.Unit
	case *arrow.MapType:
		g := got.(*arrow.MapType)
		return sameShape(g.KeyType(), w.KeyType()) && sameShape(g.ItemType(), w.ItemType())
	case *arrow.ListType:
		return sameShape(got.(*arrow.ListType).Elem(), w.Elem())
	case *arrow.StructType:
		g := got.(*arrow.StructType)
		if g.NumFields() != w.NumFields() {
			return false
		}
		for i := range w.NumFields() {
			if !sameShape(g.Field(i).Type, w.Field(i).Type) {
				return false
			}
		}
	}
	return true
}

// Write routes the rows of rec to their partitions' files. rec holds the
// data columns followed by the partition key columns.
func (w *Writer) Write(rec arrow.Record) error {
	if err := w.checkOpen(); err != nil {
		return err
	}
	if err := w.ctx.Err(); err != nil {
		return w.fail(fmt.Errorf("write to %s: %w", w.opts.Location, err))
	}
	if int(rec.NumCols()) != len(w.expect) {
		return w.fail(fmt.Errorf("write to %s: record has %d columns, want %d (%d data and %d partition columns)",
			w.opts.Location, rec.NumCols(), len(w.expect), len(w.opts.Columns), len(w.opts.PartitionKeys)))
	}
	for i, want := range w.expect {
		if got := rec.Column(i).DataType(); !sameShape(got, want) {
			return w.fail(fmt.Errorf("write to %s: column %d (%s) is %s, want %s", w.opts.Location, i+1, rec.ColumnName(i), got, want))
		}
	}
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	nd := len(w.opts.Columns)
	cols := make([]arrow.Array, nd)
	for i := range cols {
		cols[i] = rec.Column(i)
	}
	if len(w.opts.PartitionKeys) == 0 {
		return w.writePartition(nil, cols, nil, n)
	}
	groups, err := w.route(rec, n)
	if err != nil {
		return w.fail(err)
	}
	for _, g := range groups {
		sel := g.sel
		if len(sel) == n {
			sel = nil
		}
		if err := w.writePartition(g.values, cols, sel, len(g.sel)); err != nil {
			return err
		}
	}
	return nil
}

type group struct {
	values []string
	sel    []int32
}

// route splits rows by partition. A row whose key values equal the
// previous row's joins its group without building the key, so clustered
// input costs a comparison per row.
func (w *Writer) route(rec arrow.Record, n int) ([]*group, error) {
	nd := len(w.opts.Columns)
	keys := make([]arrow.Array, len(w.opts.PartitionKeys))
	fns := make([]appendFn, len(keys))
	for k := range keys {
		keys[k] = rec.Column(nd + k)
		fn, ok := textAppender(keys[k], w.opts.PartitionKeys[k].Type)
		if !ok {
			return nil, fmt.Errorf("BUG: partition column %s has no text form", w.opts.PartitionKeys[k].Name)
		}
		fns[k] = fn
	}
	byKey := map[string]*group{}
	var out []*group
	var cur *group
	var buf []byte
	for i := range n {
		if cur != nil {
			same := true
			for _, a := range keys {
				if !sameValue(a, i, i-1) {
					same = false
					break
				}
			}
			if same {
				cur.sel = append(cur.sel, int32(i))
				continue
			}
		}
		vals := make([]string, len(keys))
		for k, a := range keys {
			vals[k], buf = partitionValue(a, fns[k], i, buf)
		}
		key := strings.Join(vals, "\x00")
		g := byKey[key]
		if g == nil {
			g = &group{values: vals}
			byKey[key] = g
			out = append(out, g)
		}
		g.sel = append(g.sel, int32(i))
		cur = g
	}
	return out, nil
}

// partition returns the partition for values, creating it within the
// MaxOpenPartitions cap. Called with w.mu held.
func (w *Writer) partitionLocked(values []string) (*partition, error) {
	key := strings.Join(values, "\x00")
	if p := w.parts[key]; p != nil {
		return p, nil
	}
	if len(w.parts) >= w.opts.MaxOpenPartitions {
		return nil, fmt.Errorf("write to %s: too many open partitions (%d): raise max_open_partitions (now %d) or write fewer partitions per statement",
			w.opts.Location, len(w.parts)+1, w.opts.MaxOpenPartitions)
	}
	p := &partition{values: values}
	if values != nil {
		p.rel = catalog.PartitionName(w.opts.PartitionKeys, values)
	}
	w.parts[key] = p
	return p, nil
}

// acquire takes an idle file of the partition, opens a new one if fewer
// than MaxWritersPerPartition are open, or waits for one.
func (w *Writer) acquire(values []string) (*file, error) {
	w.mu.Lock()
	p, err := w.partitionLocked(values)
	if err != nil {
		w.mu.Unlock()
		return nil, err
	}
	for {
		if w.err != nil {
			err := w.err
			w.mu.Unlock()
			return nil, err
		}
		if k := len(p.idle); k > 0 {
			f := p.idle[k-1]
			p.idle = p.idle[:k-1]
			w.mu.Unlock()
			return f, nil
		}
		if p.open < w.opts.MaxWritersPerPartition {
			break
		}
		w.cond.Wait()
	}
	p.open++
	w.seq++
	seq := w.seq
	w.mu.Unlock()
	f, err := w.openFile(p, seq)
	if err != nil {
		w.mu.Lock()
		p.open--
		w.cond.Broadcast()
		w.mu.Unlock()
		return nil, err
	}
	return f, nil
}

func (w *Writer) release(f *file) {
	w.mu.Lock()
	f.p.idle = append(f.p.idle, f)
	w.cond.Broadcast()
	w.mu.Unlock()
}

func (w *Writer) openFile(p *partition, seq int) (*file, error) {
	name := fmt.Sprintf("%s%05d%s", w.filePref, seq, w.ext)
	rel := name
	if p.rel != "" {
		rel = p.rel + "/" + name
	}
	f := &file{p: p, staged: w.staging + "/" + rel, final: strings.TrimSuffix(w.opts.Location, "/") + "/" + rel}
	obj, err := w.opts.Writer.Create(w.ctx, f.staged)
	if err != nil {
		return nil, fmt.Errorf("write to %s: %w", w.opts.Location, err)
	}
	f.obj = obj
	f.cw = &countingWriter{w: obj}
	switch w.opts.Format {
	case catalog.FormatParquet:
		f.enc, err = newParquetEncoder(f.cw, w.schema, w.shreds, w.opts.Compression)
	case catalog.FormatText:
		var s *streamEncoder
		if s, err = newStreamEncoder(f.cw, func() int64 { return f.cw.n }, w.opts.Compression); err == nil {
			f.enc = &textEncoder{streamEncoder: s, delim: w.opts.FieldDelimiter[0], types: w.dataTypes}
		}
	case catalog.FormatJSON:
		var s *streamEncoder
		if s, err = newStreamEncoder(f.cw, func() int64 { return f.cw.n }, w.opts.Compression); err == nil {
			f.enc = newJSONEncoder(s, w.opts.Columns)
		}
	}
	if err != nil {
		obj.Abort()
		return nil, fmt.Errorf("write to %s: %w", f.staged, err)
	}
	return f, nil
}

// writePartition writes rows sel of cols to a file of the partition,
// ending its row group or the file when they are full.
func (w *Writer) writePartition(values []string, cols []arrow.Array, sel []int32, n int) error {
	f, err := w.acquire(values)
	if err != nil {
		return w.fail(err)
	}
	if err := w.writeFile(f, cols, sel, n); err != nil {
		// f stays out of the idle list: Abort finds it through abortAll.
		w.mu.Lock()
		w.closed = append(w.closed, f)
		w.mu.Unlock()
		return w.fail(err)
	}
	if f.enc.size() >= w.opts.TargetFileBytes {
		err := w.finish(f)
		w.mu.Lock()
		f.p.open--
		w.closed = append(w.closed, f)
		w.cond.Broadcast()
		w.mu.Unlock()
		if err != nil {
			return w.fail(err)
		}
		return nil
	}
	w.release(f)
	return w.trimMemory()
}

func (w *Writer) writeFile(f *file, cols []arrow.Array, sel []int32, n int) (err error) {
	defer func() {
		// parquet-go panics on some invalid input; keep it an error.
		if r := recover(); r != nil {
			err = fmt.Errorf("write %s: internal error: %v", f.staged, r)
		}
	}()
	if err := f.enc.write(cols, sel, n); err != nil {
		return fmt.Errorf("write %s: %w", f.staged, err)
	}
	f.rows += int64(n)
	f.rgRows += int64(n)
	buffered := f.enc.size() - f.cw.n
	if f.rgRows >= w.opts.RowGroupRows || buffered >= w.opts.RowGroupBytes {
		if err := f.enc.flushRowGroup(); err != nil {
			return fmt.Errorf("write %s: %w", f.staged, err)
		}
		f.rgRows = 0
		buffered = f.enc.size() - f.cw.n
	}
	w.account(f, buffered)
	return nil
}

func (w *Writer) account(f *file, buffered int64) {
	w.mu.Lock()
	w.buffered += buffered - f.buffered
	f.buffered = buffered
	w.mu.Unlock()
}

// trimMemory flushes the row groups of the largest idle files while all
// open files together buffer more than MaxBufferedBytes.
func (w *Writer) trimMemory() error {
	for {
		w.mu.Lock()
		if w.buffered <= w.opts.MaxBufferedBytes {
			w.mu.Unlock()
			return nil
		}
		var best *file
		var bp *partition
		bi := -1
		for _, p := range w.parts {
			for i, f := range p.idle {
				if f.rgRows > 0 && (best == nil || f.buffered > best.buffered) {
					best, bp, bi = f, p, i
				}
			}
		}
		if best == nil {
			w.mu.Unlock()
			return nil // the memory is in files other goroutines hold
		}
		bp.idle = append(bp.idle[:bi], bp.idle[bi+1:]...)
		w.mu.Unlock()
		err := best.enc.flushRowGroup()
		best.rgRows = 0
		w.account(best, best.enc.size()-best.cw.n)
		w.release(best)
		if err != nil {
			return w.fail(fmt.Errorf("write %s: %w", best.staged, err))
		}
	}
}

// finish completes a file's format and its object in the staging folder.
func (w *Writer) finish(f *file) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("write %s: internal error: %v", f.staged, r)
		}
	}()
	if err := f.enc.close(); err != nil {
		return fmt.Errorf("write %s: %w", f.staged, err)
	}
	if err := f.obj.Close(); err != nil {
		return fmt.Errorf("write to %s: %w", w.opts.Location, err)
	}
	w.account(f, 0)
	return nil
}

// Commit finishes every file and publishes it into the table, never
// replacing an existing object. It returns the files and the partitions
// written (Location set to the partition folder, sorted by values), for
// the caller to register. On error nothing of this write stays visible
// and the caller calls Abort to remove the staging folder.
func (w *Writer) Commit(ctx context.Context) ([]WrittenFile, []catalog.Partition, error) {
	if err := w.checkOpen(); err != nil {
		return nil, nil, err
	}
	w.mu.Lock()
	var open []*file
	for _, p := range w.parts {
		open = append(open, p.idle...)
		p.idle = nil
	}
	w.mu.Unlock()
	for _, f := range open {
		err := w.finish(f)
		w.mu.Lock()
		w.closed = append(w.closed, f)
		w.mu.Unlock()
		if err != nil {
			return nil, nil, w.fail(err)
		}
	}
	files := w.closed
	sort.Slice(files, func(i, j int) bool { return files[i].final < files[j].final })
	out := make([]WrittenFile, len(files))
	seen := map[string]bool{}
	var parts []catalog.Partition
	journal := Journal{Files: make([]string, len(files))}
	for i, f := range files {
		out[i] = WrittenFile{Location: f.final, PartitionValues: f.p.values, Rows: f.rows, Bytes: f.cw.n}
		journal.Files[i] = f.final
		if f.p.values != nil && !seen[f.p.rel] {
			seen[f.p.rel] = true
			parts = append(parts, catalog.Partition{
				Values:   f.p.values,
				Location: strings.TrimSuffix(w.opts.Location, "/") + "/" + f.p.rel,
			})
		}
	}
	sort.Slice(parts, func(i, j int) bool { return lessStrings(parts[i].Values, parts[j].Values) })
	journal.Partitions = parts
	if len(files) > 0 {
		data, err := json.Marshal(journal)
		if err != nil {
			return nil, nil, w.fail(err)
		}
		if err := writeSmall(ctx, w.opts.Writer, w.staging+"/"+journalName, data); err != nil {
			return nil, nil, w.fail(fmt.Errorf("write journal of %s: %w", w.staging, err))
		}
	}
	published := make([]bool, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(publishConcurrency)
	for i, f := range files {
		g.Go(func() error {
			if err := w.opts.Writer.Rename(gctx, f.staged, f.final); err != nil {
				return fmt.Errorf("commit %s: %w", f.final, err)
			}
			published[i] = true
			return nil
		})
	}
	err := g.Wait()
	if err == nil && len(files) > 0 {
		err = writeSmall(ctx, w.opts.Writer, w.staging+"/"+publishedName, nil)
	}
	if err != nil {
		// Take back what was published: these are new files of this write.
		for i, f := range files {
			if published[i] {
				w.opts.Writer.DeleteAll(context.WithoutCancel(ctx), f.final)
			}
		}
		return nil, nil, w.fail(err)
	}
	w.mu.Lock()
	w.state = stateCommitted
	w.mu.Unlock()
	return out, parts, nil
}

// Done removes the staging folder (and with it the journal) of a committed
// write, once the caller has registered it; until then a crash leaves the
// journal for recovery. Failing to remove it leaves work for recovery or
// CleanupStale, not a failed statement, so Done reports no error.
func (w *Writer) Done(ctx context.Context) {
	w.opts.Writer.DeleteAll(context.WithoutCancel(ctx), w.staging)
}

func lessStrings(a, b []string) bool {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// Abort discards the write: open uploads are aborted and the staging
// folder deleted, even when ctx (or the writer's context) is cancelled.
// Abort after a successful Commit does nothing.
func (w *Writer) Abort(ctx context.Context) error {
	w.mu.Lock()
	if w.state != stateOpen {
		w.mu.Unlock()
		return nil
	}
	w.state = stateAborted
	if w.err == nil {
		w.err = errors.New("write aborted")
	}
	var all []*file
	for _, p := range w.parts {
		all = append(all, p.idle...)
		p.idle = nil
	}
	all = append(all, w.closed...)
	w.cond.Broadcast()
	w.mu.Unlock()
	var errs []error
	for _, f := range all {
		if err := f.obj.Abort(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := w.opts.Writer.DeleteAll(context.WithoutCancel(ctx), w.staging); err != nil {
		errs = append(errs, fmt.Errorf("remove staging folder: %w", err))
	}
	return errors.Join(errs...)
}

// CleanupStale deletes staging folders directly under location that were
// started more than olderThan ago and have not been written to since:
// leftovers of killed writers. It returns the folders removed. A missing
// location has none.
func CleanupStale(ctx context.Context, store objstore.Store, writer objstore.Writer, location string, olderThan time.Duration) ([]string, error) {
	_, prefixes, err := store.ListDir(ctx, location)
	if err != nil {
		if errors.Is(err, objstore.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	cutoff := time.Now().Add(-olderThan)
	var removed []string
	for _, p := range prefixes {
		dir := strings.TrimSuffix(p, "/")
		name := dir[strings.LastIndexByte(dir, '/')+1:]
		if !strings.HasPrefix(name, StagingPrefix) {
			continue
		}
		ms, _, _ := strings.Cut(strings.TrimPrefix(name, StagingPrefix), "-")
		var started int64
		if _, err := fmt.Sscan(ms, &started); err == nil && time.UnixMilli(started).After(cutoff) {
			continue
		}
		objs, err := store.List(ctx, dir)
		if err != nil && !errors.Is(err, objstore.ErrNotFound) {
			return removed, err
		}
		recent := false
		for _, o := range objs {
			if o.ModTime.After(cutoff) {
				recent = true
				break
			}
		}
		if recent {
			continue
		}
		if err := writer.DeleteAll(ctx, dir); err != nil {
			return removed, err
		}
		removed = append(removed, dir)
	}
	return removed, nil
}
