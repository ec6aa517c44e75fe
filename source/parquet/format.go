package parquet

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// Format reads Parquet files. The zero value is ready to use.
type Format struct{}

var _ source.Format = Format{}

// Name implements source.Format.
func (Format) Name() string { return catalog.FormatParquet }

// Split divides a file into byte ranges of about target bytes. Split has
// no footer to look at, so row groups are assigned to ranges when a
// split is opened: a row group belongs to the range holding its midpoint
// (as in Hive, Spark and Trino), so every row group is read by exactly
// one split whatever the range boundaries.
func (Format) Split(_ *catalog.Table, file objstore.ObjectInfo, target int64) []source.Split {
	if target <= 0 || file.Size <= target {
		return []source.Split{{Offset: 0, Length: -1}}
	}
	var out []source.Split
	for off := int64(0); off < file.Size; off += target {
		length := target
		if off+target >= file.Size {
			length = -1
		}
		out = append(out, source.Split{Offset: off, Length: length})
	}
	return out
}

// countingReaderAt counts the bytes read from storage for the scan stats.
type countingReaderAt struct {
	r     io.ReaderAt
	stats *source.Stats
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	if c.stats != nil {
		c.stats.BytesRead.Add(int64(n))
	}
	return n, err
}

// openedFile is a file opened for one split: its footer, and a reader of
// its bytes that counts what comes from storage.
type openedFile struct {
	obj objstore.File
	cr  *countingReaderAt
	ft  *footer
	// tail is what this split may read from memory: the tail it read with
	// the footer; nothing when the footer came from the cache.
	tail tailView
}

func openFile(ctx context.Context, store objstore.Store, info objstore.ObjectInfo, stats *source.Stats) (*openedFile, error) {
	obj, err := store.Open(ctx, info)
	if err != nil {
		return nil, err
	}
	size := obj.Size()
	key := footerKey(info)
	if size != info.Size {
		key = "" // changed since it was listed: do not trust the cache
	}
	cr := &countingReaderAt{r: obj, stats: stats}
	ft, hit, err := footers.get(ctx, key, true, stats, func() (*footer, error) {
		ft, err := readFooter(cr, size)
		if ft != nil {
			ft.scanned, ft.owner = true, stats
		}
		return ft, err
	})
	if err != nil {
		obj.Close()
		return nil, err
	}
	of := &openedFile{obj: obj, cr: cr, ft: ft}
	if !hit {
		of.tail = ft.tail
	}
	return of, nil
}

// loadFooter returns a file's footer for planning: from the cache, or
// read with bytes counted nowhere.
func loadFooter(ctx context.Context, store objstore.Store, info objstore.ObjectInfo) (*footer, error) {
	ft, _, err := footers.get(ctx, footerKey(info), false, nil, func() (*footer, error) {
		obj, err := store.Open(ctx, info)
		if err != nil {
			return nil, err
		}
		defer obj.Close()
		return readFooter(obj, obj.Size())
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", info.Location, err)
	}
	return ft, nil
}

// InferSchema reads a file's footer and returns the Trino columns its
// schema maps to: what CREATE TABLE without a column list declares.
func InferSchema(ctx context.Context, store objstore.Store, info objstore.ObjectInfo) ([]types.Column, error) {
	ft, err := loadFooter(ctx, store, info)
	if err != nil {
		return nil, err
	}
	cols, err := InferColumns(ft.root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", info.Location, err)
	}
	return cols, nil
}

// reader reads the row groups of one split.
type reader struct {
	ctx     context.Context
	req     *source.Request
	loc     string
	mem     memory.Allocator
	batch   int
	file    *openedFile
	schema  *arrow.Schema
	plans   []*plan
	leaves  []*leafReader
	groups  []int // row groups this split reads, after pruning
	gi      int   // index into groups of the current row group; -1 before the first
	rgLeft  int64 // rows left in the current row group
	rgIndex int
	failed  error
	closed  bool
}

// Open implements source.Format.
func (Format) Open(ctx context.Context, req *source.Request) (br source.BatchReader, err error) {
	loc := req.File.Location
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: corrupt parquet file: %v", loc, r)
		}
	}()
	mem := req.Alloc
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	batch := req.BatchRows
	if batch <= 0 {
		batch = source.DefaultBatchRows
	}
	of, err := openFile(ctx, req.Store, req.File, req.Stats)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	r := &reader{ctx: ctx, req: req, loc: loc, mem: mem, batch: batch, file: of, gi: -1}
	if err := r.init(); err != nil {
		r.Close()
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	return r, nil
}

func (r *reader) init() error {
	cols := make([]types.Column, len(r.req.Columns))
	r.plans = make([]*plan, len(r.req.Columns))
	for i, ci := range r.req.Columns {
		if ci < 0 || ci >= len(r.req.Table.Columns) {
			return fmt.Errorf("BUG: column index %d of %d", ci, len(r.req.Table.Columns))
		}
		c := r.req.Table.Columns[ci]
		cols[i] = c
		p, err := planFor(c.Type, r.file.ft.root.child(c.Name), false, "", r.mem, r.batch)
		if err != nil {
			return err
		}
		r.plans[i] = p
	}
	r.schema = types.Schema(cols)
	r.leaves = allLeaves(r.plans)
	if r.req.Stats != nil && r.req.Split.Offset == 0 {
		r.req.Stats.FilesRead.Add(1)
	}
	md := r.file.ft.md()
	lo, hi := r.req.Split.Offset, int64(-1)
	if r.req.Split.Length >= 0 {
		hi = lo + r.req.Split.Length
	}
	for g := range md.RowGroups {
		rg := &md.RowGroups[g]
		if mid := rowGroupMidpoint(rg); mid < lo || (hi >= 0 && mid >= hi) {
			continue
		}
		if r.skipRowGroup(rg, r.req.Predicates) {
			if r.req.Stats != nil {
				r.req.Stats.RowGroupsSkipped.Add(1)
			}
			continue
		}
		r.groups = append(r.groups, g)
	}
	return nil
}

// rowGroupMidpoint locates a row group by its column chunks (FileOffset
// is unreliable in files from several writers).
func rowGroupMidpoint(rg *format.RowGroup) int64 {
	start, size := int64(-1), int64(0)
	for i := range rg.Columns {
		m := &rg.Columns[i].MetaData
		off := m.DataPageOffset
		if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < off {
			off = m.DictionaryPageOffset
		}
		if start < 0 || off < start {
			start = off
		}
		size += m.TotalCompressedSize
	}
	if start < 0 {
		return rg.FileOffset
	}
	return start + size/2
}

func (r *reader) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: "+format, append([]any{r.loc}, args...)...)
}

// Next implements source.BatchReader.
func (r *reader) Next() (rec arrow.Record, err error) {
	if r.failed != nil {
		return nil, r.failed
	}
	if r.closed {
		return nil, r.errorf("read after close")
	}
	defer func() {
		if p := recover(); p != nil {
			err = r.errorf("row group %d: corrupt parquet data: %v", r.rgIndex, p)
		}
		if err != nil {
			r.failed = err
			rec = nil
		}
	}()
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	for r.rgLeft == 0 {
		if r.gi+1 >= len(r.groups) {
			return nil, nil
		}
		r.gi++
		if err := r.startRowGroup(r.groups[r.gi]); err != nil {
			return nil, err
		}
	}
	n := int(min(int64(r.batch), r.rgLeft))
	for _, l := range r.leaves {
		l.resetBatch()
		if err := l.readRows(n); err != nil {
			return nil, r.errorf("row group %d, column %q: %w", r.rgIndex, l.path, err)
		}
	}
	cols := make([]arrow.Array, 0, len(r.plans))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, p := range r.plans {
		d, err := buildColumn(p, n, r.mem)
		if err != nil {
			return nil, r.errorf("row group %d: %w", r.rgIndex, err)
		}
		cols = append(cols, array.MakeFromData(d))
		d.Release()
	}
	r.rgLeft -= int64(n)
	if r.req.Stats != nil {
		r.req.Stats.Rows.Add(int64(n))
	}
	return array.NewRecordBatch(r.schema, cols, int64(n)), nil
}

// startRowGroup runs the row group's probes and, unless one skips it,
// positions every leaf reader at its column chunk.
func (r *reader) startRowGroup(g int) error {
	r.rgIndex = g
	ft := r.file.ft
	md := ft.md()
	size := ft.pf.Size()
	chunks := ft.pf.RowGroups()[g].ColumnChunks()
	chunk := func(leaf int) (*parquet.FileColumnChunk, error) {
		cc, ok := chunks[leaf].(*parquet.FileColumnChunk)
		if !ok {
			return nil, r.errorf("BUG: row group %d chunk is %T", g, chunks[leaf])
		}
		return cc, nil
	}
	var dicts map[int][]byte
	for _, p := range planProbes(r.req.Table.Columns, ft.root, &md.RowGroups[g], r.req.Predicates, size) {
		cc, err := chunk(p.leaf)
		if err != nil {
			return err
		}
		buf := make([]byte, p.n)
		if err := r.file.tail.readRange(r.file.cr, buf, p.off, 0); err != nil {
			return r.errorf("row group %d: probe: %w", g, err)
		}
		if p.excludes(cc, buf) {
			if r.req.Stats != nil {
				r.req.Stats.RowGroupsSkipped.Add(1)
			}
			r.rgLeft = 0
			return nil
		}
		if !p.bloom {
			if dicts == nil {
				dicts = map[int][]byte{}
			}
			dicts[p.leaf] = buf
		}
	}
	for _, l := range r.leaves {
		cc, err := chunk(l.node.leaf)
		if err != nil {
			return err
		}
		meta := &md.RowGroups[g].Columns[l.node.leaf].MetaData
		if err := l.startChunk(cc, meta, r.file.cr, r.file.tail, dicts[l.node.leaf], size); err != nil {
			return r.errorf("row group %d, column %q: %w", g, l.path, err)
		}
		if r.req.Stats != nil {
			r.req.Stats.BytesDecompressed.Add(meta.TotalUncompressedSize)
		}
	}
	r.rgLeft = md.RowGroups[g].NumRows
	return nil
}

// Close implements source.BatchReader; it is idempotent.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	for _, l := range r.leaves {
		l.close()
	}
	if r.file != nil {
		return r.file.obj.Close()
	}
	return nil
}
