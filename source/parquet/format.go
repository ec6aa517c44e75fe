package parquet

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

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
	n     atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	if c.stats != nil {
		c.stats.BytesRead.Add(int64(n))
	}
	return n, err
}

// openedFile is a file whose footer has been read and checked.
type openedFile struct {
	obj    objstore.File
	cr     *countingReaderAt
	pf     *parquet.File
	root   *pqNode
	leaves int
}

func openFile(ctx context.Context, store objstore.Store, info objstore.ObjectInfo, stats *source.Stats) (of *openedFile, err error) {
	obj, err := store.Open(ctx, info)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt parquet footer: %v", r)
		}
		if err != nil {
			obj.Close()
		}
	}()
	size := obj.Size()
	if size < 12 {
		return nil, fmt.Errorf("not a parquet file: %d bytes", size)
	}
	cr := &countingReaderAt{r: obj, stats: stats}
	pf, err := parquet.OpenFile(cr, size,
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(256<<10),
		parquet.OptimisticRead(true),
	)
	if err != nil {
		return nil, err
	}
	md := pf.Metadata()
	root, leaves, err := buildSchema(md.Schema)
	if err != nil {
		return nil, err
	}
	for i := range md.RowGroups {
		if len(md.RowGroups[i].Columns) != leaves {
			return nil, fmt.Errorf("row group %d has %d column chunks for %d leaf columns", i, len(md.RowGroups[i].Columns), leaves)
		}
		if md.RowGroups[i].NumRows < 0 {
			return nil, fmt.Errorf("row group %d has %d rows", i, md.RowGroups[i].NumRows)
		}
	}
	if len(pf.RowGroups()) != len(md.RowGroups) {
		return nil, fmt.Errorf("BUG: parquet-go lists %d row groups of %d", len(pf.RowGroups()), len(md.RowGroups))
	}
	return &openedFile{obj: obj, cr: cr, pf: pf, root: root, leaves: leaves}, nil
}

// InferSchema reads a file's footer and returns the Trino columns its
// schema maps to: what CREATE TABLE without a column list declares.
func InferSchema(ctx context.Context, store objstore.Store, info objstore.ObjectInfo) ([]types.Column, error) {
	of, err := openFile(ctx, store, info, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", info.Location, err)
	}
	defer of.obj.Close()
	cols, err := InferColumns(of.root)
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
		p, err := planFor(c.Type, r.file.root.child(c.Name), false, "", r.mem, r.batch)
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
	md := r.file.pf.Metadata()
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

func (r *reader) startRowGroup(g int) error {
	r.rgIndex = g
	md := r.file.pf.Metadata()
	rg := r.file.pf.RowGroups()[g]
	chunks := rg.ColumnChunks()
	for _, l := range r.leaves {
		cc, ok := chunks[l.node.leaf].(*parquet.FileColumnChunk)
		if !ok {
			return r.errorf("BUG: row group %d chunk is %T", g, chunks[l.node.leaf])
		}
		meta := &md.RowGroups[g].Columns[l.node.leaf].MetaData
		if err := l.startChunk(cc, meta, r.file.cr, r.file.pf.Size()); err != nil {
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
