package exec_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// genSource builds its batches on demand in the query's allocator, so the
// accounted memory reflects what the consumer holds, as with a scan.
type genSource struct {
	cols    []types.Column
	batches int
	gen     func(mem memory.Allocator, batch int) arrow.Record
	onBatch func(batch int) // called before each batch is built
	i       int
	last    arrow.Record
	closed  bool
}

func (s *genSource) Columns() []types.Column      { return s.cols }
func (s *genSource) Open(ctx *exec.Context) error { return nil }
func (s *genSource) Next(ctx *exec.Context) (arrow.Record, error) {
	if s.last != nil {
		s.last.Release()
		s.last = nil
	}
	if err := ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	if s.i >= s.batches {
		return nil, nil
	}
	if s.onBatch != nil {
		s.onBatch(s.i)
	}
	s.last = s.gen(ctx.Alloc, s.i)
	s.i++
	return s.last, nil
}
func (s *genSource) Close() error {
	if s.last != nil {
		s.last.Release()
		s.last = nil
	}
	s.closed = true
	return nil
}

var sortCols = []types.Column{
	{Name: "seq", Type: types.BigIntType},
	{Name: "i", Type: types.BigIntType},
	{Name: "s", Type: types.VarcharType},
	{Name: "d", Type: types.DecimalOf(15, 2)},
	{Name: "dl", Type: types.DecimalOf(38, 4)},
	{Name: "f", Type: types.DoubleType},
	{Name: "dt", Type: types.DateType},
	{Name: "b", Type: types.BooleanType},
	{Name: "ts", Type: types.TimestampType},
	{Name: "r", Type: types.RealType},
	{Name: "a", Type: types.ArrayOf(types.BigIntType)},
}

const sortBatchRows = 500

var specialFloats = []float64{math.NaN(), math.Inf(-1), math.Inf(1), 0, math.Copysign(0, -1), 1.5, -2.25, 1e300, -1e-300}

// sortBatch is batch k of a deterministic table with few distinct values
// per column (many ties, so stability shows) and about 10% NULLs.
func sortBatch(mem memory.Allocator, k int) arrow.Record {
	rng := rand.New(rand.NewPCG(uint64(k), 7))
	bs := make([]array.Builder, len(sortCols))
	for c, col := range sortCols {
		bs[c] = array.NewBuilder(mem, col.Type.Arrow())
		defer bs[c].Release()
	}
	for r := 0; r < sortBatchRows; r++ {
		seq := int64(k*sortBatchRows + r)
		bs[0].(*array.Int64Builder).Append(seq)
		for c, b := range bs[1:] {
			if rng.IntN(10) == 0 {
				b.AppendNull()
				continue
			}
			switch c + 1 {
			case 1:
				b.(*array.Int64Builder).Append(int64(rng.IntN(40) - 20))
			case 2:
				b.(*array.StringBuilder).Append([]string{"", "a", "ab", "b", "Zebra", "zebra", "é", "日本", "a\x00b"}[rng.IntN(9)] + fmt.Sprint(rng.IntN(3)))
			case 3:
				b.(*array.Decimal64Builder).Append(decimal.Decimal64(rng.IntN(2001) - 1000))
			case 4:
				b.(*array.Decimal128Builder).Append(decimal128.FromI64(int64(rng.IntN(9) - 4)).Mul(decimal128.FromU64(1e18)))
			case 5:
				b.(*array.Float64Builder).Append(specialFloats[rng.IntN(len(specialFloats))])
			case 6:
				b.(*array.Date32Builder).Append(arrow.Date32(rng.IntN(30) - 10))
			case 7:
				b.(*array.BooleanBuilder).Append(rng.IntN(2) == 0)
			case 8:
				b.(*array.TimestampBuilder).Append(arrow.Timestamp(rng.Int64N(5) * 1_000_000_000))
			case 9:
				b.(*array.Float32Builder).Append(float32(specialFloats[rng.IntN(len(specialFloats))]))
			case 10:
				lb := b.(*array.ListBuilder)
				lb.Append(true)
				lb.ValueBuilder().(*array.Int64Builder).AppendValues([]int64{seq, -seq}, nil)
			}
		}
	}
	arrs := make([]arrow.Array, len(bs))
	for c, b := range bs {
		arrs[c] = b.NewArray()
	}
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	return array.NewRecord(types.Schema(sortCols), arrs, sortBatchRows)
}

func sortCol(name string) int {
	for i, c := range sortCols {
		if c.Name == name {
			return i
		}
	}
	panic("no column " + name)
}

func key(name string, desc, nullsFirst bool) exec.SortKey {
	i := sortCol(name)
	return exec.SortKey{Expr: col(i, sortCols[i].Type), Desc: desc, NullsFirst: nullsFirst}
}

// spillCtx is testCtx spilling into dir above threshold bytes. Without a
// threshold (the in-memory reference runs) it skips the checked
// allocator, whose stack capture per allocation is slow under -race.
func spillCtx(t *testing.T, threads int, threshold int64, dir string) (*exec.Context, func()) {
	if threshold == 0 {
		fn := &function.Context{Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), Zone: time.UTC}
		ctx := exec.NewContextWithAllocator(context.Background(), fn, threads, memory.NewGoAllocator(), 0)
		ctx.Spill = exec.SpillConfig{Dir: dir}
		return ctx, func() {}
	}
	ctx, check := testCtx(t, threads, 0)
	ctx.Spill = exec.SpillConfig{Dir: dir, Threshold: threshold}
	return ctx, check
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("spill file left behind: %s", e.Name())
	}
}

type sortCase struct {
	name          string
	keys          []exec.SortKey
	limit, offset int64
	topN          bool // small TopN: cut down in memory, never spilled
}

func sortCases(t *testing.T) []sortCase {
	add := scalar(t, "$add", types.BigIntType, types.BigIntType)
	computed := exec.SortKey{Desc: true, Expr: &exec.Call{Name: "$add", Kernel: add.Kernel, T: types.BigIntType,
		Args: []exec.Expr{col(sortCol("i"), types.BigIntType), &exec.Const{Value: int64(100), T: types.BigIntType}}}}
	return []sortCase{
		{name: "bigint", keys: []exec.SortKey{key("i", false, false)}, limit: -1},
		{name: "varchar desc", keys: []exec.SortKey{key("s", true, false)}, limit: -1},
		{name: "decimal nulls first", keys: []exec.SortKey{key("d", false, true)}, limit: -1},
		{name: "decimal128 desc nulls first", keys: []exec.SortKey{key("dl", true, true)}, limit: -1},
		{name: "double", keys: []exec.SortKey{key("f", false, false)}, limit: -1},
		{name: "real desc", keys: []exec.SortKey{key("r", true, false)}, limit: -1},
		{name: "date desc, boolean", keys: []exec.SortKey{key("dt", true, false), key("b", false, false)}, limit: -1},
		{name: "boolean, timestamp desc nulls first, varchar", keys: []exec.SortKey{key("b", false, false), key("ts", true, true), key("s", false, false)}, limit: -1},
		{name: "computed key", keys: []exec.SortKey{computed, key("d", false, false)}, limit: -1},
		{name: "ties only", keys: []exec.SortKey{key("b", true, true)}, limit: -1},
		{name: "topn with runs", keys: []exec.SortKey{key("s", false, false), key("i", false, false)}, limit: 1500, offset: 1000},
		{name: "small topn", keys: []exec.SortKey{key("f", true, false), key("dl", false, false)}, limit: 10, offset: 5, topN: true},
	}
}

// runSort sorts generated batches and renders the output rows.
func runSort(t *testing.T, c sortCase, threshold int64, batches int) ([]string, exec.SpillStats) {
	t.Helper()
	dir := t.TempDir()
	ctx, check := spillCtx(t, 1, threshold, dir)
	op := &exec.Sort{Input: &genSource{cols: sortCols, batches: batches, gen: sortBatch}, Keys: c.keys, Limit: c.limit, Offset: c.offset}
	got, err := drain(t, ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	check()
	assertEmptyDir(t, dir)
	return got, op.Spilled()
}

func TestSortSpillMatchesInMemory(t *testing.T) {
	const batches = 16
	for _, c := range sortCases(t) {
		t.Run(c.name, func(t *testing.T) {
			want, st := runSort(t, c, 0, batches)
			if st.Files != 0 {
				t.Fatalf("sort without a threshold spilled %+v", st)
			}
			wantRows := batches * sortBatchRows
			if c.limit >= 0 {
				wantRows = int(c.limit)
			}
			if len(want) != wantRows {
				t.Fatalf("in memory: %d rows, want %d", len(want), wantRows)
			}
			checkStable(t, c, want)
			got, st := runSort(t, c, 48<<10, batches)
			t.Logf("spilled %+v", st)
			if !c.topN && st.Files < 2 {
				t.Errorf("expected several runs, spilled %+v", st)
			}
			if c.topN && st.Files != 0 {
				t.Errorf("a small TopN spilled %+v", st)
			}
			if len(got) != len(want) {
				t.Fatalf("spilled: %d rows, in memory: %d", len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("row %d: spilled %s, in memory %s", i, got[i], want[i])
				}
			}
		})
	}
}

// checkStable checks that rows with equal keys (rendered alike) are in
// input (seq) order, and, for a plain bigint key, the order itself.
func checkStable(t *testing.T, c sortCase, rows []string) {
	t.Helper()
	keyOf := func(r string) (string, int64) {
		f := strings.Split(r, "|")
		var parts []string
		for _, k := range c.keys {
			if cr, ok := k.Expr.(*exec.ColRef); ok {
				parts = append(parts, f[cr.Index])
			} else {
				parts = append(parts, f[sortCol("i")])
			}
		}
		var seq int64
		fmt.Sscan(f[0], &seq)
		return strings.Join(parts, "|"), seq
	}
	for i := 1; i < len(rows); i++ {
		k0, s0 := keyOf(rows[i-1])
		k1, s1 := keyOf(rows[i])
		if k0 == k1 && s0 > s1 {
			t.Fatalf("not stable at row %d: %s before %s", i, rows[i-1], rows[i])
		}
	}
	if c.name == "bigint" {
		prev, seenNull := int64(math.MinInt64), false
		for _, r := range rows {
			v := strings.Split(r, "|")[sortCol("i")]
			if v == "NULL" {
				seenNull = true
				continue
			}
			var x int64
			fmt.Sscan(v, &x)
			if seenNull || x < prev {
				t.Fatalf("bigint order broken at %s", r)
			}
			prev = x
		}
	}
}

func TestSortSpillCleansUpOnCancel(t *testing.T) {
	t.Run("while buffering", func(t *testing.T) {
		dir := t.TempDir()
		ctx, check := spillCtx(t, 1, 64<<10, dir)
		cctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ctx = ctx.WithContext(cctx)
		src := &genSource{cols: sortCols, batches: 40, gen: sortBatch, onBatch: func(i int) {
			if i == 30 {
				cancel()
			}
		}}
		op := &exec.Sort{Input: src, Keys: []exec.SortKey{key("s", false, false)}, Limit: -1}
		if err := op.Open(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := op.Next(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		if op.Spilled().Files < 2 {
			t.Fatalf("cancelled before spilling: %+v", op.Spilled())
		}
		assertEmptyDir(t, dir)
		op.Close()
		check()
	})
	t.Run("while merging", func(t *testing.T) {
		dir := t.TempDir()
		ctx, check := spillCtx(t, 1, 64<<10, dir)
		cctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ctx = ctx.WithContext(cctx)
		op := &exec.Sort{Input: &genSource{cols: sortCols, batches: 40, gen: sortBatch}, Keys: []exec.SortKey{key("i", false, false)}, Limit: -1}
		if err := op.Open(ctx); err != nil {
			t.Fatal(err)
		}
		if b, err := op.Next(ctx); err != nil || b == nil {
			t.Fatalf("first batch: %v", err)
		}
		ents, _ := os.ReadDir(dir)
		if len(ents) == 0 {
			t.Fatal("no runs on disk while merging")
		}
		cancel()
		if _, err := op.Next(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		assertEmptyDir(t, dir)
		op.Close()
		check()
	})
	t.Run("close mid-stream", func(t *testing.T) {
		dir := t.TempDir()
		ctx, check := spillCtx(t, 1, 64<<10, dir)
		op := &exec.Sort{Input: &genSource{cols: sortCols, batches: 40, gen: sortBatch}, Keys: []exec.SortKey{key("d", true, false)}, Limit: -1}
		if err := op.Open(ctx); err != nil {
			t.Fatal(err)
		}
		if b, err := op.Next(ctx); err != nil || b == nil {
			t.Fatalf("first batch: %v", err)
		}
		op.Close()
		op.Close()
		assertEmptyDir(t, dir)
		check()
	})
}

// fullDisk fails writes once limit bytes have been written.
type fullDisk struct {
	w     io.Writer
	limit int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) > d.limit {
		n, _ := d.w.Write(p[:d.limit])
		d.limit = 0
		return n, &os.PathError{Op: "write", Path: "spill", Err: syscall.ENOSPC}
	}
	d.limit -= len(p)
	return d.w.Write(p)
}

func TestSortSpillWriteErrors(t *testing.T) {
	t.Run("disk full", func(t *testing.T) {
		dir := t.TempDir()
		ctx, check := spillCtx(t, 1, 64<<10, dir)
		exec.SetSpillWrap(ctx, func(w io.Writer) io.Writer { return &fullDisk{w: w, limit: 300 << 10} })
		op := &exec.Sort{Input: &genSource{cols: sortCols, batches: 40, gen: sortBatch}, Keys: []exec.SortKey{key("s", false, false)}, Limit: -1}
		_, err := drain(t, ctx, op)
		t.Log(err)
		if err == nil || !strings.Contains(err.Error(), dir) || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("got %v, want a full-disk error naming %s", err, dir)
		}
		assertEmptyDir(t, dir)
		check()
	})
	t.Run("missing directory", func(t *testing.T) {
		dir := t.TempDir() + "/gone"
		ctx, check := spillCtx(t, 1, 64<<10, dir)
		op := &exec.Sort{Input: &genSource{cols: sortCols, batches: 40, gen: sortBatch}, Keys: []exec.SortKey{key("s", false, false)}, Limit: -1}
		_, err := drain(t, ctx, op)
		t.Log(err)
		if err == nil || !strings.Contains(err.Error(), "spilling to "+dir) {
			t.Fatalf("got %v, want an error naming %s", err, dir)
		}
		check()
	})
}

var aggIn = []types.Column{
	{Name: "k", Type: types.BigIntType},
	{Name: "s", Type: types.VarcharType},
	{Name: "v", Type: types.BigIntType},
	{Name: "d", Type: types.DecimalOf(15, 2)},
	{Name: "f", Type: types.DoubleType},
	{Name: "b", Type: types.BooleanType},
}

const aggBatchRows = 1000

// aggBatch is batch k of worker w: keys from a domain of groups rows, so
// workers share most groups; about 5% of values are NULL.
func aggBatch(w, groups int) func(mem memory.Allocator, k int) arrow.Record {
	return func(mem memory.Allocator, k int) arrow.Record {
		rng := rand.New(rand.NewPCG(uint64(w), uint64(k)))
		bs := make([]array.Builder, len(aggIn))
		for c, col := range aggIn {
			bs[c] = array.NewBuilder(mem, col.Type.Arrow())
			defer bs[c].Release()
		}
		for r := 0; r < aggBatchRows; r++ {
			g := rng.IntN(groups)
			if rng.IntN(50) == 0 {
				bs[0].AppendNull()
				bs[1].AppendNull()
			} else {
				bs[0].(*array.Int64Builder).Append(int64(g))
				bs[1].(*array.StringBuilder).Append(fmt.Sprintf("group-%07d", g%(groups/3+1)))
			}
			for c, b := range bs[2:] {
				if rng.IntN(20) == 0 {
					b.AppendNull()
					continue
				}
				x := rng.IntN(1000) - 300
				switch c + 2 {
				case 2:
					b.(*array.Int64Builder).Append(int64(x))
				case 3:
					b.(*array.Decimal64Builder).Append(decimal.Decimal64(x * 101))
				case 4:
					b.(*array.Float64Builder).Append(float64(x)) // integral: sums exact in any order
				case 5:
					b.(*array.BooleanBuilder).Append(x%3 == 0)
				}
			}
		}
		arrs := make([]arrow.Array, len(bs))
		for c, b := range bs {
			arrs[c] = b.NewArray()
		}
		defer releaseArrays(arrs)
		return array.NewRecord(types.Schema(aggIn), arrs, aggBatchRows)
	}
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}

func aggInCol(name string) exec.Expr {
	for i, c := range aggIn {
		if c.Name == name {
			return col(i, c.Type)
		}
	}
	panic(name)
}

type aggCase struct {
	name    string
	keys    []string
	workers int
	groups  int
	aggs    func(t *testing.T) []exec.AggSpec
}

func algebraicAggs(t *testing.T) []exec.AggSpec {
	bt := types.BooleanType
	return []exec.AggSpec{
		{Name: "count", Binding: aggBinding(t, "count")},
		{Name: "count", Binding: aggBinding(t, "count", types.BigIntType), Args: []exec.Expr{aggInCol("v")}},
		{Name: "sum", Binding: aggBinding(t, "sum", types.BigIntType), Args: []exec.Expr{aggInCol("v")}},
		{Name: "avg", Binding: aggBinding(t, "avg", types.BigIntType), Args: []exec.Expr{aggInCol("v")}},
		{Name: "sum", Binding: aggBinding(t, "sum", types.DecimalOf(15, 2)), Args: []exec.Expr{aggInCol("d")}},
		{Name: "avg", Binding: aggBinding(t, "avg", types.DecimalOf(15, 2)), Args: []exec.Expr{aggInCol("d")}},
		{Name: "sum", Binding: aggBinding(t, "sum", types.DoubleType), Args: []exec.Expr{aggInCol("f")}},
		{Name: "min", Binding: aggBinding(t, "min", types.VarcharType), Args: []exec.Expr{aggInCol("s")}},
		{Name: "max", Binding: aggBinding(t, "max", types.DecimalOf(15, 2)), Args: []exec.Expr{aggInCol("d")}},
		{Name: "count_if", Binding: aggBinding(t, "count_if", bt), Args: []exec.Expr{aggInCol("b")}},
		{Name: "bool_and", Binding: aggBinding(t, "bool_and", bt), Args: []exec.Expr{aggInCol("b")}},
		{Name: "bool_or", Binding: aggBinding(t, "bool_or", bt), Args: []exec.Expr{aggInCol("b")}},
		{Name: "sum", Binding: aggBinding(t, "sum", types.BigIntType), Args: []exec.Expr{aggInCol("v")}, Filter: aggInCol("b")},
	}
}

func holisticAggs(t *testing.T) []exec.AggSpec {
	return []exec.AggSpec{
		{Name: "count", Binding: aggBinding(t, "count", types.BigIntType), Args: []exec.Expr{aggInCol("v")}, Distinct: true},
		{Name: "array_agg", Binding: aggBinding(t, "array_agg", types.BigIntType), Args: []exec.Expr{aggInCol("v")}},
		{Name: "max_by", Binding: aggBinding(t, "max_by", types.VarcharType, types.BigIntType), Args: []exec.Expr{aggInCol("s"), aggInCol("v")}},
		{Name: "approx_distinct", Binding: aggBinding(t, "approx_distinct", types.BigIntType), Args: []exec.Expr{aggInCol("v")}},
		{Name: "arbitrary", Binding: aggBinding(t, "arbitrary", types.BigIntType), Args: []exec.Expr{aggInCol("k")}},
	}
}

func runAgg(t *testing.T, c aggCase, threshold int64, wrap func(io.Writer) io.Writer) ([]string, exec.SpillStats, error) {
	t.Helper()
	dir := t.TempDir()
	ctx, check := spillCtx(t, c.workers, threshold, dir)
	if wrap != nil {
		exec.SetSpillWrap(ctx, wrap)
	}
	var keys []exec.Expr
	var cols []types.Column
	for _, k := range c.keys {
		keys = append(keys, aggInCol(k))
		cols = append(cols, aggIn[aggInCol(k).(*exec.ColRef).Index])
	}
	aggs := c.aggs(t)
	for i, a := range aggs {
		cols = append(cols, types.Column{Name: fmt.Sprintf("a%d", i), Type: a.Binding.Result})
	}
	op := &exec.HashAggregate{Input: func(w int) (exec.Operator, error) {
		return &genSource{cols: aggIn, batches: 10, gen: aggBatch(w, c.groups)}, nil
	}, Workers: c.workers, GroupBy: keys, Aggs: aggs, Cols: cols}
	got, err := drain(t, ctx, op)
	check()
	assertEmptyDir(t, dir)
	sort.Strings(got)
	return got, op.Spilled(), err
}

func TestHashAggregateSpillMatchesInMemory(t *testing.T) {
	cases := []aggCase{
		{name: "bigint key", keys: []string{"k"}, workers: 1, groups: 20000, aggs: algebraicAggs},
		{name: "bigint key, 2 workers", keys: []string{"k"}, workers: 2, groups: 20000, aggs: algebraicAggs},
		{name: "two keys, 2 workers", keys: []string{"k", "v"}, workers: 2, groups: 5000, aggs: algebraicAggs},
		{name: "varchar key, 2 workers", keys: []string{"s"}, workers: 2, groups: 30000, aggs: algebraicAggs},
		{name: "varchar and bigint keys", keys: []string{"s", "k"}, workers: 1, groups: 20000, aggs: algebraicAggs},
		{name: "distinct, array_agg, max_by", keys: []string{"k"}, workers: 1, groups: 20000, aggs: holisticAggs},
		{name: "distinct etc, 2 workers", keys: []string{"s", "b"}, workers: 2, groups: 30000, aggs: func(t *testing.T) []exec.AggSpec {
			a := holisticAggs(t)
			return []exec.AggSpec{a[0], a[2], a[3]}
		}},
		{name: "select distinct", keys: []string{"k", "s", "b"}, workers: 2, groups: 20000, aggs: func(*testing.T) []exec.AggSpec { return nil }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, st, err := runAgg(t, c, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if st.Files != 0 {
				t.Fatalf("aggregate without a threshold spilled %+v", st)
			}
			if len(want) < 1000 {
				t.Fatalf("only %d groups", len(want))
			}
			for _, threshold := range []int64{160 << 10} {
				got, st, err := runAgg(t, c, threshold, nil)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("threshold %d: %d groups, spilled %+v", threshold, len(got), st)
				if st.Files == 0 {
					t.Errorf("threshold %d: nothing spilled", threshold)
				}
				if len(got) != len(want) {
					t.Fatalf("threshold %d: %d groups, in memory %d", threshold, len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("threshold %d: spilled %s\nin memory %s", threshold, got[i], want[i])
					}
				}
			}
		})
	}
}

func TestHashAggregateSpillErrors(t *testing.T) {
	c := aggCase{keys: []string{"s"}, workers: 2, groups: 30000, aggs: algebraicAggs}
	t.Run("disk full", func(t *testing.T) {
		_, _, err := runAgg(t, c, 128<<10, func(w io.Writer) io.Writer { return &fullDisk{w: w, limit: 4 << 10} })
		t.Log(err)
		if err == nil || !strings.Contains(err.Error(), "hash aggregate: spilling to ") || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("got %v, want a full-disk error naming the spill directory", err)
		}
	})
	for _, at := range []string{"input", "partitions"} {
		t.Run("cancel in "+at, func(t *testing.T) {
			dir := t.TempDir()
			ctx, check := spillCtx(t, 2, 128<<10, dir)
			cctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ctx = ctx.WithContext(cctx)
			op := &exec.HashAggregate{Input: func(w int) (exec.Operator, error) {
				src := &genSource{cols: aggIn, batches: 30, gen: aggBatch(w, 30000)}
				if at == "input" {
					src.onBatch = func(i int) {
						if i == 25 {
							cancel()
						}
					}
				}
				return src, nil
			}, Workers: 2, GroupBy: []exec.Expr{aggInCol("s")}, Aggs: algebraicAggs(t)[:3],
				Cols: []types.Column{aggIn[1], {Name: "c", Type: types.BigIntType}, {Name: "c2", Type: types.BigIntType}, {Name: "s", Type: types.BigIntType}}}
			if err := op.Open(ctx); err != nil {
				t.Fatal(err)
			}
			var err error
			for i := 0; ; i++ {
				var b arrow.Record
				if b, err = op.Next(ctx); err != nil || b == nil {
					break
				}
				if i == 0 {
					if ents, _ := os.ReadDir(dir); len(ents) == 0 {
						t.Error("no spill files while emitting partitions")
					}
					cancel()
				}
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			assertEmptyDir(t, dir)
			op.Close()
			check()
		})
	}
}

func TestSortEdgeInputs(t *testing.T) {
	for _, c := range []struct {
		name          string
		batches       int
		threshold     int64
		limit, offset int64
		want          int
	}{
		{"empty", 0, 0, -1, 0, 0},
		{"empty with limit", 0, 0, 5, 2, 0},
		{"empty spilling", 0, 1, -1, 0, 0},
		{"one batch", 1, 0, -1, 0, sortBatchRows},
		{"one batch spilling", 1, 1, -1, 0, sortBatchRows},
		{"offset past the end", 3, 0, -1, 5000, 0},
		{"offset past the end spilling", 3, 1, -1, 5000, 0},
		{"limit 0", 3, 0, 0, 0, 0},
		{"limit 0 spilling", 3, 1, 0, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, check := spillCtx(t, 1, c.threshold, dir)
			op := &exec.Sort{Input: &genSource{cols: sortCols, batches: c.batches, gen: sortBatch}, Keys: []exec.SortKey{key("s", false, false), key("seq", true, false)}, Limit: c.limit, Offset: c.offset}
			got, err := drain(t, ctx, op)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.want {
				t.Errorf("%d rows, want %d", len(got), c.want)
			}
			check()
			assertEmptyDir(t, dir)
		})
	}
}
