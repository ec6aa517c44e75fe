package exec_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/internal/stable"
	"github.com/quarry-sql/quarry/types"
)

// counted wraps an expression, counting its evaluations; it can fail the
// next evaluation and raises a warning each time it computes.
type counted struct {
	exec.Expr
	evals int
	fail  bool
	warn  string
}

func (c *counted) Eval(ctx *exec.Context, b arrow.Record) (arrow.Array, error) {
	c.evals++
	if c.fail {
		c.fail = false
		return nil, errors.New("boom")
	}
	if c.warn != "" {
		ctx.Fn.Warn(c.warn)
	}
	return c.Expr.Eval(ctx, b)
}

// TestResultMemo: a result over stable columns is computed once and
// reused (equal arrays), per session time zone; columns that are not
// stable are evaluated every time; errors are not kept; warnings come back
// with a reused result; a kept result is stable itself, and results go
// when an input leaves the stable set, in cascade.
func TestResultMemo(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	cols := []types.Column{{Name: "v", Type: types.BigIntType}, {Name: "s", Type: types.VarcharType}}
	data := make([][]any, 500)
	for i := range data {
		data[i] = []any{int64(i), fmt.Sprintf("v%d", i%7)}
	}
	b := rows(t, ctx.Alloc, cols, data)
	defer b.Release()
	upper := scalar(t, "upper", types.VarcharType)
	length := scalar(t, "length", types.VarcharType)
	inner := &counted{Expr: &exec.Call{Name: "upper", Kernel: upper.Kernel, T: types.VarcharType,
		Args: []exec.Expr{col(1, types.VarcharType)}}, warn: "careful"}
	m := &exec.ResultMemo{Inner: inner, Cols: []int{1}, Key: "test upper($0)"}
	want, err := inner.Expr.Eval(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Release()
	_, before := exec.ResultMemoryUsed()

	eval := func(ctx *exec.Context, m *exec.ResultMemo, b arrow.Record) arrow.Array {
		t.Helper()
		got, err := m.Eval(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	expectEvals := func(step string, c *counted, n int) {
		t.Helper()
		if c.evals != n {
			t.Fatalf("%s: %d evaluations, want %d", step, c.evals, n)
		}
	}

	// Not stable: computed each time.
	for range 2 {
		eval(ctx, m, b).Release()
	}
	expectEvals("not stable", inner, 2)

	stable.Add(b.Column(1))
	defer stable.Remove(b.Column(1))
	inner.fail = true
	if _, err := m.Eval(ctx, b); err == nil {
		t.Fatal("the failing evaluation did not fail")
	}
	first := eval(ctx, m, b) // the error was not kept: computed again
	defer first.Release()
	expectEvals("after an error", inner, 4)
	ctx2, check2 := testCtx(t, 1, 0)
	defer check2()
	again := eval(ctx2, m, b) // another query, same zone: kept
	defer again.Release()
	expectEvals("reuse", inner, 4)
	if !array.Equal(again, want) || again != first {
		t.Fatalf("reused result %v differs from %v", again, want)
	}
	if w := ctx2.Warnings(); len(w) != 1 || w[0] != "careful" {
		t.Fatalf("warnings of the reusing query = %q, want [careful]", w)
	}
	if _, used := exec.ResultMemoryUsed(); used <= before {
		t.Fatalf("result memory %d, before %d", used, before)
	}

	ctx3, check3 := testCtx(t, 1, 0)
	defer check3()
	ctx3.Fn.Zone = time.FixedZone("x", 3600)
	eval(ctx3, m, b).Release()
	expectEvals("another zone", inner, 5)

	// A kept result is stable: an expression over it is kept too.
	if !stable.Is(first) {
		t.Fatal("kept result not stable")
	}
	derived := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "u", Type: first.DataType(), Nullable: true}}, nil),
		[]arrow.Array{first}, int64(first.Len()))
	defer derived.Release()
	outer := &counted{Expr: &exec.Call{Name: "length", Kernel: length.Kernel, T: types.BigIntType,
		Args: []exec.Expr{col(0, types.VarcharType)}}}
	m2 := &exec.ResultMemo{Inner: outer, Cols: []int{0}, Key: "test length($0)"}
	for range 2 {
		eval(ctx, m2, derived).Release()
	}
	expectEvals("derived", outer, 1)

	// The input leaves the stable set: its results go, and theirs.
	stable.Remove(b.Column(1))
	stable.Add(b.Column(1)) // (for the deferred Remove)
	if stable.Is(first) {
		t.Fatal("result of a removed input still stable")
	}
	eval(ctx, m, b).Release()
	expectEvals("after removal", inner, 6)
	eval(ctx, m2, derived).Release() // first is no longer stable: computed, not kept
	eval(ctx, m2, derived).Release()
	expectEvals("derived after removal", outer, 3)

	// A result larger than a sixteenth of the bound is not kept.
	exec.SetResultMemoryBytes(1024)
	defer exec.SetResultMemoryBytes(exec.DefaultResultMemoryBytes)
	big := &counted{Expr: inner.Expr}
	m3 := &exec.ResultMemo{Inner: big, Cols: []int{1}, Key: "test upper($0) big"}
	for range 2 {
		eval(ctx, m3, b).Release()
	}
	expectEvals("over the bound", big, 2)
}

// TestGroupByStableKeys: grouping batches whose key columns are stable
// (numbered once, grouped by combination: assignByDict) gives the groups
// of the row-by-row path, with NULL keys, two keys, a key with too many
// distinct values and a key not stable (both falling back), over batches
// large enough for the numbering.
func TestGroupByStableKeys(t *testing.T) {
	cols := []types.Column{{Name: "a", Type: types.VarcharType}, {Name: "b", Type: types.VarcharType}, {Name: "v", Type: types.BigIntType}}
	gens := map[string]func(i int) []any{
		"few": func(i int) []any {
			var a, b any = []string{"x", "y", "z"}[i%3], fmt.Sprintf("b%d", i%5)
			if i%11 == 0 {
				a = nil
			}
			if i%13 == 0 {
				b = nil
			}
			return []any{a, b, int64(i)}
		},
		"many": func(i int) []any { return []any{fmt.Sprintf("a%d", i), []string{"p", "q"}[i%2], int64(i)} },
	}
	sum := aggBinding(t, "sum", types.BigIntType)
	cnt := aggBinding(t, "count")
	run := func(t *testing.T, ctx *exec.Context, batches []arrow.Record, keys []int) []string {
		t.Helper()
		for _, b := range batches {
			b.Retain() // the source releases them
		}
		var group []exec.Expr
		out := []types.Column{}
		for _, k := range keys {
			group = append(group, col(k, types.VarcharType))
			out = append(out, cols[k])
		}
		op := &exec.HashAggregate{Input: func(int) (exec.Operator, error) { return &source{cols: cols, batches: batches}, nil },
			Workers: 1, GroupBy: group,
			Aggs: []exec.AggSpec{{Name: "sum", Binding: sum, Args: []exec.Expr{col(2, types.BigIntType)}}, {Name: "count", Binding: cnt}},
			Cols: append(out, types.Column{Name: "s", Type: sum.Result}, types.Column{Name: "c", Type: cnt.Result})}
		got, err := drain(t, ctx, op)
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		return got
	}
	for name, gen := range gens {
		for _, keys := range [][]int{{0}, {1}, {0, 1}} {
			t.Run(fmt.Sprint(name, keys), func(t *testing.T) {
				ctx, check := testCtx(t, 1, 0)
				defer check()
				var batches []arrow.Record
				for b := range 3 {
					data := make([][]any, 700)
					for i := range data {
						data[i] = gen(b*700 + i)
					}
					batches = append(batches, rows(t, ctx.Alloc, cols, data))
				}
				defer func() {
					for _, b := range batches {
						b.Release()
					}
				}()
				want := run(t, ctx, batches, keys)
				for _, b := range batches {
					stable.Add(b.Column(0), b.Column(1))
				}
				got := run(t, ctx, batches, keys)
				again := run(t, ctx, batches, keys) // numbering kept
				// Only one key column stable.
				for _, b := range batches {
					stable.Remove(b.Column(1))
				}
				mixed := run(t, ctx, batches, keys)
				for _, b := range batches {
					stable.Remove(b.Column(0))
				}
				for what, g := range map[string][]string{"stable": got, "stable again": again, "one stable": mixed} {
					if strings.Join(g, ",") != strings.Join(want, ",") {
						t.Errorf("%s: %d groups %v\nwant %d groups %v", what, len(g), g, len(want), want)
					}
				}
			})
		}
	}
}
