package exec_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// testCtx returns a query context over a checked allocator; the returned
// check asserts that every buffer was released.
func testCtx(t *testing.T, threads int, limit int64) (*exec.Context, func()) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	fn := &function.Context{Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), Zone: time.UTC}
	ctx := exec.NewContextWithAllocator(context.Background(), fn, threads, mem, limit)
	return ctx, func() { mem.AssertSize(t, 0) }
}

// rows builds one batch from Go values (nil is NULL).
func rows(t *testing.T, mem memory.Allocator, cols []types.Column, data [][]any) arrow.Record {
	t.Helper()
	arrs := make([]arrow.Array, len(cols))
	for c, col := range cols {
		b := array.NewBuilder(mem, col.Type.Arrow())
		for _, r := range data {
			if r[c] == nil {
				b.AppendNull()
				continue
			}
			a, err := exec.ConstArray(mem, col.Type, r[c], 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := exec.AppendValue(b, a, 0); err != nil {
				t.Fatal(err)
			}
			a.Release()
		}
		arrs[c] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecord(types.Schema(cols), arrs, int64(len(data)))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

// source yields fixed batches, honouring the operator contract.
type source struct {
	cols    []types.Column
	batches []arrow.Record
	i       int
	last    arrow.Record
}

func (s *source) Columns() []types.Column      { return s.cols }
func (s *source) Open(ctx *exec.Context) error { return nil }
func (s *source) Next(ctx *exec.Context) (arrow.Record, error) {
	if s.last != nil {
		s.last.Release()
		s.last = nil
	}
	if s.i >= len(s.batches) {
		return nil, nil
	}
	b := s.batches[s.i]
	s.i++
	b.Retain()
	s.last = b
	return b, nil
}
func (s *source) Close() error {
	if s.last != nil {
		s.last.Release()
		s.last = nil
	}
	for _, b := range s.batches {
		b.Release()
	}
	s.batches, s.i = nil, 0
	return nil
}

// drain runs an operator and renders every row as "v1|v2|...".
func drain(t *testing.T, ctx *exec.Context, op exec.Operator) ([]string, error) {
	t.Helper()
	defer op.Close()
	if err := op.Open(ctx); err != nil {
		return nil, err
	}
	var out []string
	for {
		b, err := op.Next(ctx)
		if err != nil {
			return out, err
		}
		if b == nil {
			return out, nil
		}
		for r := 0; r < int(b.NumRows()); r++ {
			parts := make([]string, b.NumCols())
			for c := range parts {
				v := exec.ScalarAt(b.Column(c), r)
				if v == nil {
					parts[c] = "NULL"
				} else {
					parts[c] = fmt.Sprint(v)
				}
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
}

var (
	kv = []types.Column{{Name: "k", Type: types.VarcharType}, {Name: "v", Type: types.BigIntType}}
)

func col(i int, t types.Type) exec.Expr { return &exec.ColRef{Index: i, T: t} }

func scalar(t *testing.T, name string, args ...types.Type) function.Binding {
	t.Helper()
	f, ok := function.Builtins().Scalar(name)
	if !ok {
		t.Fatalf("no function %s", name)
	}
	b, err := f.Bind(args)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFilterProject(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	src := &source{cols: kv, batches: []arrow.Record{
		rows(t, ctx.Alloc, kv, [][]any{{"a", int64(1)}, {"b", int64(5)}, {nil, int64(7)}}),
		rows(t, ctx.Alloc, kv, [][]any{{"c", nil}, {"d", int64(3)}}),
	}}
	gt := scalar(t, "$gt", types.BigIntType, types.BigIntType)
	add := scalar(t, "$add", types.BigIntType, types.BigIntType)
	op := &exec.Project{
		Input: &exec.Filter{Input: src, Cond: &exec.Call{Name: "$gt", Kernel: gt.Kernel, T: types.BooleanType,
			Args: []exec.Expr{col(1, types.BigIntType), &exec.Const{Value: int64(2), T: types.BigIntType}}}},
		Exprs: []exec.Expr{col(0, types.VarcharType), &exec.Call{Name: "$add", Kernel: add.Kernel, T: types.BigIntType,
			Args: []exec.Expr{col(1, types.BigIntType), &exec.Const{Value: int64(10), T: types.BigIntType}}}},
		Cols: kv,
	}
	got, err := drain(t, ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"b|15", "NULL|17", "d|13"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
	check()
}

func aggBinding(t *testing.T, name string, args ...types.Type) function.AggBinding {
	t.Helper()
	f, ok := function.Builtins().Aggregate(name)
	if !ok {
		t.Fatalf("no aggregate %s", name)
	}
	b, err := f.Bind(args)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHashAggregateParallel(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			ctx, check := testCtx(t, workers, 0)
			// Every worker sees the same two batches: totals are workers×.
			factory := func(w int) (exec.Operator, error) {
				return &source{cols: kv, batches: []arrow.Record{
					rows(t, ctx.Alloc, kv, [][]any{{"a", int64(1)}, {"b", int64(2)}, {"a", int64(3)}, {nil, int64(4)}}),
					rows(t, ctx.Alloc, kv, [][]any{{"b", nil}, {"c", int64(5)}, {"a", int64(1)}}),
				}}, nil
			}
			sum := aggBinding(t, "sum", types.BigIntType)
			cnt := aggBinding(t, "count", types.BigIntType)
			op := &exec.HashAggregate{Input: factory, Workers: workers,
				GroupBy: []exec.Expr{col(0, types.VarcharType)},
				Aggs: []exec.AggSpec{
					{Name: "sum", Binding: sum, Args: []exec.Expr{col(1, types.BigIntType)}},
					{Name: "count", Binding: cnt, Args: []exec.Expr{col(1, types.BigIntType)}, Distinct: true},
				},
				Cols: []types.Column{kv[0], {Name: "s", Type: sum.Result}, {Name: "c", Type: cnt.Result}}}
			got, err := drain(t, ctx, op)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			w := int64(workers)
			want := []string{fmt.Sprintf("NULL|%d|1", 4*w), fmt.Sprintf("a|%d|2", 5*w), fmt.Sprintf("b|%d|1", 2*w), fmt.Sprintf("c|%d|1", 5*w)}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %v, want %v", got, want)
			}
			check()
		})
	}
}

func TestGlobalAggregateOfEmptyInputIsOneRow(t *testing.T) {
	ctx, check := testCtx(t, 2, 0)
	cnt := aggBinding(t, "count")
	sum := aggBinding(t, "sum", types.BigIntType)
	op := &exec.HashAggregate{Input: func(int) (exec.Operator, error) { return &source{cols: kv}, nil }, Workers: 2,
		Aggs: []exec.AggSpec{{Name: "count", Binding: cnt}, {Name: "sum", Binding: sum, Args: []exec.Expr{col(1, types.BigIntType)}}},
		Cols: []types.Column{{Name: "c", Type: cnt.Result}, {Name: "s", Type: sum.Result}}}
	got, err := drain(t, ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "0|NULL" {
		t.Errorf("got %v, want [0|NULL]", got)
	}
	check()
}

func TestHashJoinKinds(t *testing.T) {
	left := [][]any{{"a", int64(1)}, {"b", int64(2)}, {nil, int64(3)}, {"d", int64(4)}}
	right := [][]any{{"a", int64(10)}, {"a", int64(11)}, {"c", int64(30)}, {nil, int64(40)}}
	rightNoNull := [][]any{{"a", int64(10)}, {"c", int64(30)}}
	cases := []struct {
		kind  exec.JoinKind
		build [][]any
		want  []string
	}{
		{exec.InnerJoin, right, []string{"a|1|a|10", "a|1|a|11"}},
		{exec.LeftJoin, right, []string{"a|1|a|10", "a|1|a|11", "b|2|NULL|NULL", "NULL|3|NULL|NULL", "d|4|NULL|NULL"}},
		{exec.RightJoin, right, []string{"a|1|a|10", "a|1|a|11", "NULL|NULL|c|30", "NULL|NULL|NULL|40"}},
		{exec.FullJoin, right, []string{"a|1|a|10", "a|1|a|11", "b|2|NULL|NULL", "NULL|3|NULL|NULL", "d|4|NULL|NULL", "NULL|NULL|c|30", "NULL|NULL|NULL|40"}},
		{exec.SemiJoin, right, []string{"a|1"}},
		{exec.AntiJoin, right, []string{"b|2", "NULL|3", "d|4"}},
		// NOT IN over a set holding NULL is never true.
		{exec.NullAwareAntiJoin, right, nil},
		// Without NULLs, a NULL probe key is still not "not in" the set.
		{exec.NullAwareAntiJoin, rightNoNull, []string{"b|2", "d|4"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%d", c.kind, len(c.build)), func(t *testing.T) {
			ctx, check := testCtx(t, 1, 0)
			outCols := append(append([]types.Column{}, kv...), kv...)
			if c.kind == exec.SemiJoin || c.kind == exec.AntiJoin || c.kind == exec.NullAwareAntiJoin {
				outCols = kv
			}
			table := &exec.JoinTable{Build: &source{cols: kv, batches: []arrow.Record{rows(t, ctx.Alloc, kv, c.build)}},
				Keys: []exec.Expr{col(0, types.VarcharType)}, Probers: 1}
			op := &exec.HashJoin{Probe: &source{cols: kv, batches: []arrow.Record{rows(t, ctx.Alloc, kv, left)}},
				Table: table, ProbeKeys: []exec.Expr{col(0, types.VarcharType)}, Kind: c.kind, Cols: outCols}
			got, err := drain(t, ctx, op)
			table.Release()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("got %v\nwant %v", got, c.want)
			}
			check()
		})
	}
}

func TestJoinLargeFanOutIsBatched(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	var l, r [][]any
	for i := 0; i < 700; i++ {
		l = append(l, []any{"x", int64(i)})
		r = append(r, []any{"x", int64(i)})
	}
	table := &exec.JoinTable{Build: &source{cols: kv, batches: []arrow.Record{rows(t, ctx.Alloc, kv, r)}}, Keys: []exec.Expr{col(0, types.VarcharType)}, Probers: 1}
	op := &exec.HashJoin{Probe: &source{cols: kv, batches: []arrow.Record{rows(t, ctx.Alloc, kv, l)}}, Table: table,
		ProbeKeys: []exec.Expr{col(0, types.VarcharType)}, Kind: exec.InnerJoin, Cols: append(append([]types.Column{}, kv...), kv...)}
	defer op.Close()
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	total, batches := 0, 0
	for {
		b, err := op.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		if b.NumRows() > 1<<16+700 {
			t.Errorf("batch of %d rows exceeds the bound", b.NumRows())
		}
		total += int(b.NumRows())
		batches++
	}
	if total != 700*700 || batches < 2 {
		t.Errorf("got %d rows in %d batches, want %d rows in several", total, batches, 700*700)
	}
	op.Close()
	table.Release()
	check()
}

func TestSortTopN(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	src := &source{cols: kv, batches: []arrow.Record{
		rows(t, ctx.Alloc, kv, [][]any{{"a", int64(3)}, {"b", nil}, {"c", int64(1)}}),
		rows(t, ctx.Alloc, kv, [][]any{{"d", int64(2)}, {"e", int64(3)}}),
	}}
	// ORDER BY v DESC (NULLS LAST, Trino's default), k; OFFSET 1 LIMIT 3.
	op := &exec.Sort{Input: src, Keys: []exec.SortKey{{Expr: col(1, types.BigIntType), Desc: true}, {Expr: col(0, types.VarcharType)}}, Limit: 3, Offset: 1}
	got, err := drain(t, ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"e|3", "d|2", "c|1"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
	check()
}

func TestWindowRanking(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	src := &source{cols: kv, batches: []arrow.Record{
		rows(t, ctx.Alloc, kv, [][]any{{"a", int64(3)}, {"a", int64(1)}, {"b", int64(5)}, {"a", int64(3)}}),
	}}
	sum := aggBinding(t, "sum", types.BigIntType)
	op := &exec.Window{Input: src, Funcs: []exec.WindowFunc{
		{Name: "rank", PartitionBy: []exec.Expr{col(0, types.VarcharType)}, OrderBy: []exec.SortKey{{Expr: col(1, types.BigIntType)}}, T: types.BigIntType},
		{Name: "dense_rank", PartitionBy: []exec.Expr{col(0, types.VarcharType)}, OrderBy: []exec.SortKey{{Expr: col(1, types.BigIntType), Desc: true}}, T: types.BigIntType},
		{Name: "sum", Args: []exec.Expr{col(1, types.BigIntType)}, PartitionBy: []exec.Expr{col(0, types.VarcharType)}, Agg: &sum, T: sum.Result},
		{Name: "sum", Args: []exec.Expr{col(1, types.BigIntType)}, PartitionBy: []exec.Expr{col(0, types.VarcharType)}, OrderBy: []exec.SortKey{{Expr: col(1, types.BigIntType)}}, Agg: &sum, T: sum.Result},
	}, Cols: append(append([]types.Column{}, kv...), types.Column{Name: "r", Type: types.BigIntType}, types.Column{Name: "d", Type: types.BigIntType}, types.Column{Name: "s", Type: sum.Result}, types.Column{Name: "rs", Type: sum.Result})}
	got, err := drain(t, ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	// Running sums include peers (RANGE frame): both a|3 rows see 7.
	want := []string{"a|3|2|1|7|7", "a|1|1|2|7|1", "b|5|1|1|5|5", "a|3|2|1|7|7"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v\nwant %v", got, want)
	}
	check()
}

func TestTakeKeepsValuesAndNulls(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	cols := []types.Column{{Name: "d", Type: types.DecimalOf(15, 2)}, {Name: "s", Type: types.VarcharType}, {Name: "b", Type: types.BooleanType}, {Name: "t", Type: types.DateType}}
	rec := rows(t, ctx.Alloc, cols, [][]any{{int64(125), "x", true, int64(1)}, {nil, nil, nil, nil}, {int64(-5), "zz", false, int64(19000)}})
	out := exec.TakeRecord(ctx.Alloc, rec, []int32{2, -1, 0, 0})
	var got []string
	for r := 0; r < int(out.NumRows()); r++ {
		var parts []string
		for c := 0; c < int(out.NumCols()); c++ {
			parts = append(parts, fmt.Sprint(exec.ScalarAt(out.Column(c), r)))
		}
		got = append(got, strings.Join(parts, "|"))
	}
	want := []string{"-5|zz|false|19000", "<nil>|<nil>|<nil>|<nil>", "125|x|true|1", "125|x|true|1"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
	out.Release()
	rec.Release()
	check()
}

func TestMemoryLimitFailsCleanly(t *testing.T) {
	ctx, check := testCtx(t, 1, 64<<10)
	ctx.Spill.Threshold = 0 // no spilling: the limit is the end
	var data [][]any
	for i := 0; i < 20000; i++ {
		data = append(data, []any{fmt.Sprintf("key-%06d", i), int64(i)})
	}
	cnt := aggBinding(t, "count")
	op := &exec.HashAggregate{Input: func(int) (exec.Operator, error) {
		return &source{cols: kv, batches: []arrow.Record{rows(t, memory.NewGoAllocator(), kv, data)}}, nil
	}, Workers: 1, GroupBy: []exec.Expr{col(0, types.VarcharType)}, Aggs: []exec.AggSpec{{Name: "count", Binding: cnt}},
		Cols: []types.Column{kv[0], {Name: "c", Type: cnt.Result}}}
	_, err := drain(t, ctx, op)
	var re *exec.ResourceError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "memory limit") {
		t.Fatalf("got %v, want a memory limit error", err)
	}
	check()
}
