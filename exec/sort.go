package exec

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// SortKey orders by one expression. Trino's default is NULLS LAST for both
// directions.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders its whole input; with Limit >= 0 it keeps only the first
// Offset+Limit rows (TopN) and skips Offset. The order is stable: rows
// with equal keys keep their input order.
//
// Rows are buffered as they arrive, with their key columns evaluated. When
// the query's accounted memory plus what sorting the buffer adds (the key
// columns concatenated, a 4-byte index per row) passes
// Context.Spill.Threshold, and the buffer holds at least a sixteenth of it
// (so a sort squeezed by other operators still writes runs worth merging),
// the buffer is sorted and written out as a run, an Arrow IPC spill file,
// and its memory released. At the end the runs and the
// in-memory rest are merged k ways with a heap, batch by batch; more runs
// than the memory allows to merge at once are first merged in rounds. With
// a limit, a run keeps only its first Offset+Limit rows, and instead of
// spilling the buffer is cut down to them in memory (TopN), which also
// happens whenever the buffer grows past twice that.
type Sort struct {
	Input  Operator
	Keys   []SortKey
	Limit  int64 // -1: no limit
	Offset int64

	schema    *arrow.Schema // of the output
	runSchema *arrow.Schema // of runs: the output columns, then computed keys
	keyCol    []int         // per key: its column in runSchema
	buf       sortBuffer
	spills    spillSet
	out       runSource
	skip      int64 // output rows still to skip
	left      int64 // output rows still to return; -1: all
	stats     SpillStats
	rel       releaser
	started   bool
	done      bool
}

var _ Operator = (*Sort)(nil)

// SpillStats describes what an operator wrote to disk.
type SpillStats struct {
	Files int   // spill files written (sorted runs, aggregate partitions)
	Rows  int64 // rows written, counting rows written again by later passes
	Bytes int64 // bytes written
}

// compactRows is the smallest buffer a TopN cuts down to its first rows.
const compactRows = 1 << 16

// maxFanIn caps the runs merged at once (open files, heap depth).
const maxFanIn = 64

func (s *Sort) Columns() []types.Column { return s.Input.Columns() }
func (s *Sort) Open(ctx *Context) error { return s.Input.Open(ctx) }

// Spilled reports what the sort wrote to disk.
func (s *Sort) Spilled() SpillStats { return s.stats }

func (s *Sort) Next(ctx *Context) (arrow.Record, error) {
	s.rel.drop()
	if s.done {
		return nil, nil
	}
	if !s.started {
		s.started = true
		if err := s.consume(ctx); err != nil {
			s.stop()
			return nil, err
		}
	}
	for s.left != 0 {
		b, err := s.next(ctx)
		if err != nil {
			s.stop()
			return nil, err
		}
		if b == nil {
			break
		}
		n := b.NumRows()
		if s.skip >= n {
			s.skip -= n
			b.Release()
			continue
		}
		lo, hi := s.skip, n
		s.skip = 0
		if s.left >= 0 {
			hi = min(hi, lo+s.left)
			s.left -= hi - lo
		}
		if lo > 0 || hi < n {
			sl := b.NewSlice(lo, hi)
			b.Release()
			b = sl
		}
		return s.rel.hold(b), nil
	}
	s.stop()
	return nil, nil
}

// next returns the next sorted batch in the output schema, owned by the
// caller.
func (s *Sort) next(ctx *Context) (b arrow.Record, err error) {
	defer CatchResource(&err)
	if err := ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	r, err := s.out.next(ctx)
	if err != nil || r == nil {
		return nil, err
	}
	if r.NumCols() == int64(s.schema.NumFields()) {
		r.Retain()
		return r, nil
	}
	return array.NewRecord(s.schema, r.Columns()[:s.schema.NumFields()], r.NumRows()), nil
}

// stop frees everything but the last batch handed out: after the end, an
// error or the limit, no file or buffer outlives the need for it.
func (s *Sort) stop() {
	s.done = true
	if s.out != nil {
		s.out.close()
		s.out = nil
	}
	s.buf.release()
	s.spills.removeAll()
}

func (s *Sort) prepare() {
	cols := s.Input.Columns()
	s.schema = schemaOf(cols)
	fields := append([]arrow.Field(nil), s.schema.Fields()...)
	s.keyCol = make([]int, len(s.Keys))
	for k, key := range s.Keys {
		if c, ok := key.Expr.(*ColRef); ok && c.Index < len(cols) {
			s.keyCol[k] = c.Index
			continue
		}
		s.keyCol[k] = len(fields)
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("$sort_key_%d", k), Type: key.Expr.Type().Arrow(), Nullable: true})
	}
	s.runSchema = arrow.NewSchema(fields, nil)
	s.left = s.Limit
	s.skip = max(s.Offset, 0)
}

// keep is how many of the first sorted rows can reach the output.
func (s *Sort) keep() int64 {
	if s.Limit < 0 {
		return math.MaxInt64
	}
	if k := max(s.Offset, 0) + s.Limit; k >= 0 {
		return k
	}
	return math.MaxInt64
}

func (s *Sort) consume(ctx *Context) (err error) {
	defer CatchResource(&err)
	s.prepare()
	keep := s.keep()
	topN := keep < math.MaxInt64/2
	for {
		if err := ctx.Ctx.Err(); err != nil {
			return err
		}
		b, err := s.Input.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		if b.NumRows() == 0 {
			continue
		}
		if err := s.buf.add(ctx, b, s.Keys); err != nil {
			return err
		}
		if topN && s.buf.rows >= max(2*keep, compactRows) {
			if err := s.compact(ctx, keep); err != nil {
				return err
			}
		}
		if s.overThreshold(ctx) {
			if topN && 2*keep <= s.buf.rows {
				err = s.compact(ctx, keep)
			} else {
				err = s.spillRun(ctx, keep)
			}
			if err != nil {
				return err
			}
		}
	}
	if s.spills.len() == 0 {
		// All in memory: emit the wanted window of the order directly.
		lo := min(s.skip, s.buf.rows)
		hi := s.buf.rows
		if s.Limit >= 0 {
			hi = min(hi, lo+s.Limit)
		}
		s.skip, s.left = 0, -1
		s.out, err = s.buf.sorted(ctx, s.Keys, lo, hi, s.schema, nil)
		return err
	}
	// The rest joins the runs: kept in memory when small beside what
	// merging needs, else written out like them.
	var tail runSource
	if s.buf.rows > 0 {
		if s.buf.bytes <= ctx.Spill.Threshold/4 {
			if tail, err = s.buf.sorted(ctx, s.Keys, 0, min(keep, s.buf.rows), s.runSchema, s.keyCol); err != nil {
				return err
			}
		} else if err := s.spillRun(ctx, keep); err != nil {
			return err
		}
	}
	var runs []runSource
	var maxBatch int64
	for _, f := range s.spills.files {
		runs = append(runs, &fileRun{f: f, set: &s.spills})
		maxBatch = max(maxBatch, f.maxBatch)
	}
	if tail != nil {
		runs = append(runs, tail)
	}
	if runs, err = s.mergeRounds(ctx, runs, fanIn(ctx, maxBatch)); err != nil {
		return err
	}
	s.out, err = newMerger(ctx, runs, s.runSchema, s.keyCol, s.Keys)
	return err
}

// overThreshold reports whether the buffer must go: sorting it takes its
// key columns concatenated and a 4-byte index per row on top of what the
// query holds, and that must stay within the threshold.
func (s *Sort) overThreshold(ctx *Context) bool {
	t := ctx.Spill.Threshold
	return t > 0 && ctx.Alloc.Current()+s.buf.keyBytes+4*s.buf.rows > t && s.buf.bytes >= t/16
}

// fanIn is how many runs can be merged at once: each holds a batch of at
// most maxBatch bytes, plus its share of the output batch, within half
// the spill threshold.
func fanIn(ctx *Context, maxBatch int64) int {
	t := ctx.Spill.Threshold
	if t <= 0 || maxBatch <= 0 {
		return maxFanIn
	}
	return int(min(max(t/2/(2*maxBatch), 2), maxFanIn))
}

// spillRun sorts the buffer and writes its first keep rows as a run.
func (s *Sort) spillRun(ctx *Context, keep int64) error {
	run, err := s.buf.sorted(ctx, s.Keys, 0, min(keep, s.buf.rows), s.runSchema, s.keyCol)
	if err != nil {
		return err
	}
	defer run.close()
	_, err = s.writeRun(ctx, run)
	return err
}

// writeRun copies a sorted source into a new spill file.
func (s *Sort) writeRun(ctx *Context, run runSource) (*spillFile, error) {
	f, err := s.spills.create(ctx, "sort", s.runSchema)
	if err != nil {
		return nil, err
	}
	for {
		if err := ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		b, err := run.next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		if err := f.write("sort", b); err != nil {
			return nil, err
		}
	}
	if err := f.finish("sort"); err != nil {
		return nil, err
	}
	s.stats.add(f)
	return f, nil
}

func (st *SpillStats) add(f *spillFile) {
	st.Files++
	st.Rows += f.rows
	if fi, err := os.Stat(f.path); err == nil {
		st.Bytes += fi.Size()
	}
}

// mergeRounds merges consecutive groups of fanIn runs into one until at
// most fanIn remain. Groups are consecutive and keep their order, so the
// final merge still breaks ties by input order.
func (s *Sort) mergeRounds(ctx *Context, runs []runSource, fanIn int) ([]runSource, error) {
	for len(runs) > fanIn {
		var next []runSource
		for len(runs) > 0 {
			g := runs[:min(fanIn, len(runs))]
			runs = runs[len(g):]
			if len(g) == 1 {
				next = append(next, g[0])
				continue
			}
			m, err := newMerger(ctx, g, s.runSchema, s.keyCol, s.Keys)
			if err != nil {
				closeRuns(runs)
				closeRuns(next)
				return nil, err
			}
			f, err := s.writeRun(ctx, m)
			m.close()
			if err != nil {
				closeRuns(runs)
				closeRuns(next)
				return nil, err
			}
			next = append(next, &fileRun{f: f, set: &s.spills})
		}
		runs = next
	}
	return runs, nil
}

// compact cuts the buffer down to its first keep rows in sort order.
func (s *Sort) compact(ctx *Context, keep int64) error {
	run, err := s.buf.sorted(ctx, s.Keys, 0, min(keep, s.buf.rows), s.schema, nil)
	if err != nil {
		return err
	}
	defer run.close()
	for {
		b, err := run.next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if err := s.buf.add(ctx, b, s.Keys); err != nil {
			return err
		}
	}
}

// sortBuffer holds the batches a sort has not yet written out, with their
// key columns evaluated.
type sortBuffer struct {
	batches  []arrow.Record
	keys     [][]arrow.Array // per key, per batch
	rows     int64
	bytes    int64 // the batches and computed keys
	keyBytes int64 // the key columns, computed or not
}

func (b *sortBuffer) add(ctx *Context, rec arrow.Record, keys []SortKey) error {
	arrs, err := evalAll(ctx, rec, exprsOf(keys))
	if err != nil {
		return err
	}
	rec.Retain()
	b.batches = append(b.batches, rec)
	if b.keys == nil {
		b.keys = make([][]arrow.Array, len(keys))
	}
	for k, a := range arrs {
		b.keys[k] = append(b.keys[k], a)
		n := sliceBytes(a)
		b.keyBytes += n
		if _, ok := keys[k].Expr.(*ColRef); !ok {
			b.bytes += n
		}
	}
	b.rows += rec.NumRows()
	b.bytes += recordBytes(rec)
	return nil
}

func (b *sortBuffer) release() {
	for _, r := range b.batches {
		r.Release()
	}
	for _, ks := range b.keys {
		releaseAll(ks)
	}
	*b = sortBuffer{}
}

// sorted sorts the buffer and hands its batches over to a source that
// returns rows [lo, hi) of the order in batches of schema: the buffer's
// columns, then (extra: per key, its column in schema) any computed key
// columns. The buffer is left empty.
func (b *sortBuffer) sorted(ctx *Context, keys []SortKey, lo, hi int64, schema *arrow.Schema, keyCol []int) (*memRun, error) {
	if b.rows > math.MaxInt32 {
		return nil, fmt.Errorf("sort of %d rows in memory exceeds %d rows", b.rows, math.MaxInt32)
	}
	r := &memRun{mem: ctx.Alloc, schema: schema, batches: b.batches, keyCol: keyCol}
	b.batches = nil
	r.starts = make([]int32, len(r.batches)+1)
	for i, rec := range r.batches {
		r.starts[i+1] = r.starts[i] + int32(rec.NumRows())
	}
	r.keys = make([]arrow.Array, len(keys))
	for k := range keys {
		var parts []arrow.Array
		if b.keys != nil {
			parts = b.keys[k]
		}
		switch len(parts) {
		case 0:
			r.keys[k] = array.MakeArrayOfNull(ctx.Alloc, keys[k].Expr.Type().Arrow(), 0)
		case 1:
			parts[0].Retain()
			r.keys[k] = parts[0]
		default:
			a, err := array.Concatenate(parts, ctx.Alloc)
			if err != nil {
				b.release()
				r.close()
				return nil, err
			}
			r.keys[k] = a
		}
	}
	b.release()
	r.reserved = 4 * int64(r.starts[len(r.batches)])
	ctx.Alloc.Reserve(r.reserved)
	perm := sortPerm(r.keys, keys, int(r.starts[len(r.batches)]))
	r.perm = perm[lo:hi]
	return r, nil
}

// memRun returns sorted rows gathered from buffered batches.
type memRun struct {
	mem      *AccountedAllocator
	schema   *arrow.Schema
	batches  []arrow.Record
	starts   []int32 // batch i holds rows [starts[i], starts[i+1])
	keys     []arrow.Array
	keyCol   []int
	perm     []int32
	reserved int64
	last     arrow.Record
	src, row []int32
}

func (r *memRun) next(ctx *Context) (arrow.Record, error) {
	if r.last != nil {
		r.last.Release()
		r.last = nil
	}
	if len(r.perm) == 0 {
		return nil, nil
	}
	idx := r.perm[:min(batchRows, len(r.perm))]
	r.perm = r.perm[len(idx):]
	n := len(idx)
	if cap(r.src) < n {
		r.src, r.row = make([]int32, n), make([]int32, n)
	}
	src, row := r.src[:n], r.row[:n]
	starts := r.starts
	for i, g := range idx {
		// The last batch whose start is <= g.
		lo, hi := 0, len(starts)-1
		for hi-lo > 1 {
			m := int(uint(lo+hi) >> 1)
			if starts[m] <= g {
				lo = m
			} else {
				hi = m
			}
		}
		src[i], row[i] = int32(lo), g-starts[lo]
	}
	ncols := len(r.batches[0].Columns())
	nf := r.schema.NumFields()
	arrs := make([]arrow.Array, nf)
	defer releaseAll(arrs)
	cols := make([]arrow.Array, len(r.batches))
	for c := 0; c < min(ncols, nf); c++ {
		for k, b := range r.batches {
			cols[k] = b.Column(c)
		}
		arrs[c] = gatherRows(r.mem, r.schema.Field(c).Type, cols, src, row)
	}
	for k, c := range r.keyCol {
		if c >= ncols {
			arrs[c] = Take(r.mem, r.keys[k], idx)
		}
	}
	r.last = array.NewRecord(r.schema, arrs, int64(n))
	return r.last, nil
}

func (r *memRun) close() {
	if r.last != nil {
		r.last.Release()
		r.last = nil
	}
	for _, b := range r.batches {
		b.Release()
	}
	releaseAll(r.keys)
	r.batches, r.keys, r.perm = nil, nil, nil
	if r.reserved != 0 {
		r.mem.Reserve(-r.reserved)
		r.reserved = 0
	}
}

// SortIndices returns the row order of b under keys (stable).
func SortIndices(ctx *Context, b arrow.Record, keys []SortKey) ([]int32, error) {
	arrs, err := evalAll(ctx, b, exprsOf(keys))
	if err != nil {
		return nil, err
	}
	defer releaseAll(arrs)
	return sortPerm(arrs, keys, int(b.NumRows())), nil
}

// sortPerm returns the order of n rows under keys whose values are arrs.
// It is stable: equal keys fall back to the row number, which makes the
// unstable pattern-defeating quicksort (O(n log n) moves) stable.
func sortPerm(arrs []arrow.Array, keys []SortKey, n int) []int32 {
	cmps := make([]func(i, j int) int, len(keys))
	for k, key := range keys {
		cmps[k] = Comparator(arrs[k], key.Desc, key.NullsFirst)
	}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	if len(cmps) == 1 {
		c := cmps[0]
		slices.SortFunc(perm, func(a, b int32) int {
			if r := c(int(a), int(b)); r != 0 {
				return r
			}
			return cmp.Compare(a, b)
		})
		return perm
	}
	slices.SortFunc(perm, func(a, b int32) int {
		for _, c := range cmps {
			if r := c(int(a), int(b)); r != 0 {
				return r
			}
		}
		return cmp.Compare(a, b)
	})
	return perm
}

func exprsOf(keys []SortKey) []Expr {
	out := make([]Expr, len(keys))
	for i, k := range keys {
		out[i] = k.Expr
	}
	return out
}

// Comparator returns a three-way comparison of rows of a, applying the
// direction and NULL placement.
func Comparator(a arrow.Array, desc, nullsFirst bool) func(i, j int) int {
	base := valueComparator(a)
	hasNulls := a.NullN() > 0
	return func(i, j int) int {
		if hasNulls {
			ni, nj := a.IsNull(i), a.IsNull(j)
			if ni || nj {
				if ni && nj {
					return 0
				}
				if ni == nullsFirst {
					return -1
				}
				return 1
			}
		}
		r := base(i, j)
		if desc {
			return -r
		}
		return r
	}
}

func valueComparator(a arrow.Array) func(i, j int) int {
	switch x := a.(type) {
	case *array.Boolean:
		return func(i, j int) int {
			vi, vj := x.Value(i), x.Value(j)
			switch {
			case vi == vj:
				return 0
			case !vi:
				return -1
			}
			return 1
		}
	case *array.Int8:
		v := x.Int8Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int16:
		v := x.Int16Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int32:
		v := x.Int32Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int64:
		v := x.Int64Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Float32:
		v := x.Float32Values()
		return func(i, j int) int { return cmpFloat(float64(v[i]), float64(v[j])) }
	case *array.Float64:
		v := x.Float64Values()
		return func(i, j int) int { return cmpFloat(v[i], v[j]) }
	case *array.Decimal64:
		v := x.Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Decimal128:
		return func(i, j int) int { return x.Value(i).Cmp(x.Value(j)) }
	case *array.String:
		return func(i, j int) int { return cmp.Compare(x.Value(i), x.Value(j)) }
	case *array.Binary:
		return func(i, j int) int { return bytes.Compare(x.Value(i), x.Value(j)) }
	case *array.Date32:
		v := x.Date32Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Timestamp:
		v := x.TimestampValues()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Time64:
		v := x.Time64Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Duration:
		v := x.DurationValues()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.MonthInterval:
		v := x.MonthIntervalValues()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.List:
		// Element by element, a prefix first; NULL elements last.
		elem := Comparator(x.ListValues(), false, false)
		return func(i, j int) int {
			si, ei := x.ValueOffsets(i)
			sj, ej := x.ValueOffsets(j)
			for ; si < ei && sj < ej; si, sj = si+1, sj+1 {
				if r := elem(int(si), int(sj)); r != 0 {
					return r
				}
			}
			return cmp.Compare(ei-si, ej-sj)
		}
	case *array.Struct:
		// Field by field; NULL fields last.
		fields := make([]func(i, j int) int, x.NumField())
		for f := range fields {
			fields[f] = Comparator(x.Field(f), false, false)
		}
		return func(i, j int) int {
			for _, c := range fields {
				if r := c(i, j); r != 0 {
					return r
				}
			}
			return 0
		}
	}
	return func(i, j int) int { return 0 }
}

// cmpFloat orders NaN above every number, as Trino does.
func cmpFloat(a, b float64) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

func (s *Sort) Close() error {
	s.rel.drop()
	s.stop()
	return s.Input.Close()
}
