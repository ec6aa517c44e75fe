package function

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

// aggCase feeds batches (each a set of argument columns plus group ids)
// to one accumulator, and separately to two partials split at the middle
// batch and merged with renumbered groups; both must give want.
type aggCase struct {
	name    string
	fn      string
	args    []types.Type
	batches []aggBatch
	ngroups int
	want    []any
	result  string // expected result type, when checked
	err     string // expected bind or run error substring
}

type aggBatch struct {
	groups []uint32
	cols   [][]any
}

func b(groups []uint32, cols ...[]any) aggBatch { return aggBatch{groups, cols} }

func runAgg(t *testing.T, ctx *Context, bind AggBinding, batches []aggBatch, ngroups int, split bool) ([]any, error) {
	t.Helper()
	feed := func(acc GroupAccumulator, bs []aggBatch, remap func(uint32) uint32) error {
		acc.Resize(ngroups)
		for _, bt := range bs {
			args := make([]arrow.Array, len(bt.cols))
			for i, c := range bt.cols {
				args[i] = qtArray(t, ctx.Alloc, bind.Args[i], c)
			}
			groups := make([]uint32, len(bt.groups))
			for i, g := range bt.groups {
				groups[i] = remap(g)
			}
			err := acc.Update(args, groups)
			for _, a := range args {
				a.Release()
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	id := func(g uint32) uint32 { return g }
	acc := bind.New(ctx)
	defer acc.Release()
	if !split {
		if err := feed(acc, batches, id); err != nil {
			return nil, err
		}
	} else {
		mid := len(batches) / 2
		if err := feed(acc, batches[:mid], id); err != nil {
			return nil, err
		}
		other := bind.New(ctx)
		defer other.Release()
		// The partial numbers its groups in reverse; Merge maps them back.
		rev := func(g uint32) uint32 { return uint32(ngroups) - 1 - g }
		if err := feed(other, batches[mid:], rev); err != nil {
			return nil, err
		}
		mapping := make([]uint32, ngroups)
		for j := range mapping {
			mapping[j] = rev(uint32(j))
		}
		if err := acc.Merge(other, mapping); err != nil {
			return nil, err
		}
	}
	if acc.Size() < 0 {
		t.Fatalf("negative size")
	}
	out, err := acc.Result()
	if err != nil {
		return nil, err
	}
	defer out.Release()
	if !arrow.TypeEqual(out.DataType(), bind.Result.Arrow()) {
		t.Fatalf("result type %s, want %s", out.DataType(), bind.Result.Arrow())
	}
	if out.Len() != ngroups {
		t.Fatalf("result has %d rows, want %d", out.Len(), ngroups)
	}
	res := make([]any, ngroups)
	for i := range res {
		res[i] = qtValue(out, i)
	}
	return res, nil
}

func aggEqual(got, want any) bool {
	if g, ok := got.(float64); ok {
		if w, ok := want.(float64); ok {
			return g == w || math.Abs(g-w) <= 1e-9*math.Max(math.Abs(g), math.Abs(w))
		}
	}
	return got == want
}

func runAggCases(t *testing.T, cases []aggCase) {
	t.Helper()
	r := qtRegistry()
	for _, c := range cases {
		name := c.name
		if name == "" {
			name = fmt.Sprintf("%s%v", c.fn, c.args)
		}
		t.Run(name, func(t *testing.T) {
			f, ok := r.Aggregate(c.fn)
			if !ok {
				t.Fatalf("no aggregate %s", c.fn)
			}
			bind, err := f.Bind(c.args)
			if err == nil && c.result != "" && bind.Result.String() != c.result {
				t.Fatalf("result type %s, want %s", bind.Result, c.result)
			}
			for _, split := range []bool{false, true} {
				ctx, mem := qtContext(t, "UTC")
				var got []any
				if err == nil {
					got, err = runAgg(t, ctx, bind, c.batches, c.ngroups, split)
				}
				mem.AssertSize(t, 0)
				if c.err != "" {
					if err == nil || !strings.Contains(err.Error(), c.err) {
						t.Fatalf("error = %v, want %q", err, c.err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				for g := range c.want {
					if !aggEqual(got[g], c.want[g]) {
						t.Fatalf("split=%v group %d: got %#v, want %#v (all %v)", split, g, got[g], c.want[g], got)
					}
				}
			}
		})
	}
}

var (
	g4    = []uint32{0, 1, 0, 1}
	dec15 = types.DecimalOf(15, 2)
	dec30 = types.DecimalOf(30, 2)
)

func TestAggCountSum(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "count(*)", fn: "count", batches: []aggBatch{b(g4), b([]uint32{2, 0})}, ngroups: 4, want: []any{int64(3), int64(2), int64(1), int64(0)}, result: "bigint"},
		{name: "count(x)", fn: "count", args: []types.Type{vcT}, batches: []aggBatch{
			b(g4, []any{"a", nil, "b", "c"}), b([]uint32{1, 2}, []any{nil, nil})},
			ngroups: 3, want: []any{int64(2), int64(1), int64(0)}},
		{name: "count_if", fn: "count_if", args: []types.Type{types.BooleanType}, batches: []aggBatch{
			b(g4, []any{true, false, nil, true}), b([]uint32{0}, []any{true})},
			ngroups: 2, want: []any{int64(2), int64(1)}},
		{name: "count_if(bigint)", fn: "count_if", args: []types.Type{biT}, err: "Unexpected parameters (bigint) for function count_if"},
		{name: "sum(integer)", fn: "sum", args: []types.Type{types.IntegerType}, batches: []aggBatch{
			b(g4, []any{1, 2, nil, 4}), b([]uint32{0, 2}, []any{10, nil})},
			ngroups: 3, want: []any{int64(11), int64(6), nil}, result: "bigint"},
		{name: "sum(bigint) overflow", fn: "sum", args: []types.Type{biT}, batches: []aggBatch{
			b([]uint32{0, 0}, []any{int64(math.MaxInt64), int64(1)})}, ngroups: 1, err: "bigint addition overflow: 9223372036854775807 + 1"},
		{name: "sum(bigint) merge overflow", fn: "sum", args: []types.Type{biT}, batches: []aggBatch{
			b([]uint32{0}, []any{int64(math.MaxInt64)}), b([]uint32{0}, []any{int64(math.MaxInt64)})}, ngroups: 1, err: "overflow"},
		{name: "sum(double)", fn: "sum", args: []types.Type{types.DoubleType}, batches: []aggBatch{
			b(g4, []any{0.5, 1.0, 0.25, nil}), b([]uint32{1}, []any{2.0})},
			ngroups: 2, want: []any{0.75, 3.0}, result: "double"},
		{name: "sum(real)", fn: "sum", args: []types.Type{types.RealType}, batches: []aggBatch{b(g4, []any{0.5, 1.0, 0.25, nil})},
			ngroups: 2, want: []any{0.75, 1.0}, result: "real"},
		{name: "sum(decimal(15,2))", fn: "sum", args: []types.Type{dec15}, batches: []aggBatch{
			b(g4, []any{"0.10", "9999999999999.99", "0.20", "9999999999999.99"}),
			b(g4, []any{"-0.01", "9999999999999.99", nil, "0.03"})},
			ngroups: 2, want: []any{"0.29", "30000000000000.00"}, result: "decimal(38,2)"},
		{name: "sum(decimal(15,2)) past int64", fn: "sum", args: []types.Type{types.DecimalOf(18, 0)}, batches: []aggBatch{
			b([]uint32{0, 0, 1}, []any{"999999999999999999", "999999999999999999", "-999999999999999999"}),
			b([]uint32{0, 0, 1, 1}, []any{"999999999999999999", "999999999999999999", "-999999999999999999", "-999999999999999999"})},
			ngroups: 2, want: []any{"3999999999999999996", "-2999999999999999997"}, result: "decimal(38,0)"},
		{name: "sum(decimal(30,2))", fn: "sum", args: []types.Type{dec30}, batches: []aggBatch{
			b(g4, []any{"1234567890123456789012345.67", "1.00", "0.33", nil}), b([]uint32{0}, []any{"-0.01"})},
			ngroups: 2, want: []any{"1234567890123456789012345.99", "1.00"}, result: "decimal(38,2)"},
		{name: "sum(decimal(38,0)) overflow", fn: "sum", args: []types.Type{types.DecimalOf(38, 0)}, batches: []aggBatch{
			b([]uint32{0, 0}, []any{"99999999999999999999999999999999999999", "99999999999999999999999999999999999999"})}, ngroups: 1, err: "Decimal overflow"},
		{name: "sum(interval)", fn: "sum", args: []types.Type{types.IntervalDTType}, batches: []aggBatch{b(g4, []any{1000, 2000, 3000, nil})},
			ngroups: 2, want: []any{"4000ms", "2000ms"}, result: "interval day to second"},
		{name: "sum(boolean)", fn: "sum", args: []types.Type{types.BooleanType}, err: "Unexpected parameters (boolean) for function sum. Expected: sum(bigint)"},
		{name: "sum(varchar)", fn: "sum", args: []types.Type{vcT}, err: "Unexpected parameters (varchar) for function sum"},
	})
}

func TestAggAvg(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "avg(bigint)", fn: "avg", args: []types.Type{biT}, batches: []aggBatch{
			b(g4, []any{1, 2, 2, nil}), b([]uint32{0}, []any{4})},
			ngroups: 3, want: []any{7.0 / 3, 2.0, nil}, result: "double"},
		{name: "avg(bigint) past int64", fn: "avg", args: []types.Type{biT}, batches: []aggBatch{
			b([]uint32{0, 0}, []any{int64(math.MaxInt64), int64(math.MaxInt64)}), b([]uint32{0}, []any{int64(math.MaxInt64)})},
			ngroups: 1, want: []any{float64(math.MaxInt64)}},
		{name: "avg(double)", fn: "avg", args: []types.Type{types.DoubleType}, batches: []aggBatch{b(g4, []any{1.0, 2.0, 2.0, nil})},
			ngroups: 2, want: []any{1.5, 2.0}, result: "double"},
		{name: "avg(decimal) half up", fn: "avg", args: []types.Type{dec15}, batches: []aggBatch{
			b(g4, []any{"0.01", "-0.01", "0.02", "-0.02"}), b([]uint32{2, 2, 2}, []any{"1.00", "1.00", "1.01"})},
			ngroups: 3, want: []any{"0.02", "-0.02", "1.00"}, result: "decimal(15,2)"},
		{name: "avg(decimal(30,2))", fn: "avg", args: []types.Type{dec30}, batches: []aggBatch{
			b([]uint32{0, 0, 0}, []any{"1234567890123456789012345.67", "0.01", "0.00"})},
			ngroups: 1, want: []any{"411522630041152263004115.23"}, result: "decimal(30,2)"},
		{name: "avg(varchar)", fn: "avg", args: []types.Type{vcT}, err: "Unexpected parameters (varchar) for function avg"},
	})
}

func TestAggMinMax(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "min(bigint)", fn: "min", args: []types.Type{biT}, batches: []aggBatch{
			b(g4, []any{5, 2, 3, nil}), b([]uint32{0, 1, 2}, []any{4, -1, nil})},
			ngroups: 3, want: []any{int64(3), int64(-1), nil}, result: "bigint"},
		{name: "max(varchar)", fn: "max", args: []types.Type{vcT}, batches: []aggBatch{
			b(g4, []any{"apple", "kiwi", "pear", nil}), b([]uint32{0, 1}, []any{"banana", "zebra"})},
			ngroups: 2, want: []any{"pear", "zebra"}, result: "varchar"},
		{name: "min(date)", fn: "min", args: []types.Type{dateT}, batches: []aggBatch{
			b(g4, []any{"2024-05-01", "2023-01-01", "2024-04-30", "2023-01-02"})},
			ngroups: 2, want: []any{"2024-04-30", "2023-01-01"}, result: "date"},
		{name: "max(timestamp)", fn: "max", args: []types.Type{tsT}, batches: []aggBatch{
			b(g4, []any{"2024-05-01 10:00:00", nil, "2024-05-01 10:00:00.5", nil})},
			ngroups: 2, want: []any{"2024-05-01 10:00:00.5", nil}},
		{name: "max(decimal(15,2))", fn: "max", args: []types.Type{dec15}, batches: []aggBatch{
			b(g4, []any{"1.50", "-2.00", "1.49", "-1.99"}), b([]uint32{0}, []any{"1.51"})},
			ngroups: 2, want: []any{"1.51", "-1.99"}, result: "decimal(15,2)"},
		{name: "min(decimal(30,2))", fn: "min", args: []types.Type{dec30}, batches: []aggBatch{
			b(g4, []any{"1.50", "-2.00", "1.49", "-1.99"}), b([]uint32{1}, []any{"-99999999999999999999.00"})},
			ngroups: 2, want: []any{"1.49", "-99999999999999999999.00"}, result: "decimal(30,2)"},
		{name: "max(double)", fn: "max", args: []types.Type{types.DoubleType}, batches: []aggBatch{b(g4, []any{1.5, -2.0, 2.5, nil})},
			ngroups: 2, want: []any{2.5, -2.0}},
		{name: "min(boolean)", fn: "min", args: []types.Type{types.BooleanType}, batches: []aggBatch{b(g4, []any{true, true, false, nil})},
			ngroups: 2, want: []any{false, true}},
		{name: "max(map)", fn: "max", args: []types.Type{types.MapOf(vcT, biT)}, err: "Unexpected parameters (map(varchar, bigint)) for function max"},
		{name: "max_by", fn: "max_by", args: []types.Type{vcT, biT}, batches: []aggBatch{
			b(g4, []any{"a", "b", "c", "d"}, []any{1, 5, 3, 5}), b([]uint32{0, 1, 0}, []any{"e", "f", nil}, []any{2, nil, 9})},
			ngroups: 3, want: []any{nil, "b", nil}, result: "varchar"},
		{name: "min_by", fn: "min_by", args: []types.Type{dateT, types.DoubleType}, batches: []aggBatch{
			b(g4, []any{"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"}, []any{3.0, 1.0, 2.0, 0.5}),
			b([]uint32{0}, []any{"2024-01-05"}, []any{2.5})},
			ngroups: 2, want: []any{"2024-01-03", "2024-01-04"}},
		{name: "max_by(varchar key)", fn: "max_by", args: []types.Type{biT, vcT}, batches: []aggBatch{
			b(g4, []any{1, 2, 3, 4}, []any{"b", "a", "c", nil})},
			ngroups: 2, want: []any{int64(3), int64(2)}},
		{name: "max_by one arg", fn: "max_by", args: []types.Type{biT}, err: "Unexpected parameters (bigint) for function max_by"},
	})
}

// TestMaxBySorted checks that ascending keys do not keep every payload.
func TestMaxBySorted(t *testing.T) {
	var batches []aggBatch
	for k := 0; k < 20; k++ {
		xs, ys := make([]any, 1000), make([]any, 1000)
		gs := make([]uint32, 1000)
		for i := range xs {
			xs[i], ys[i], gs[i] = fmt.Sprintf("v%d", k*1000+i), k*1000+i, uint32(i%3)
		}
		batches = append(batches, b(gs, xs, ys))
	}
	runAggCases(t, []aggCase{{name: "sorted", fn: "max_by", args: []types.Type{vcT, biT}, batches: batches, ngroups: 3,
		want: []any{"v19999", "v19997", "v19998"}}})
}

func TestAggBoolArbitrary(t *testing.T) {
	bT := types.BooleanType
	runAggCases(t, []aggCase{
		{name: "bool_and", fn: "bool_and", args: []types.Type{bT}, batches: []aggBatch{
			b(g4, []any{true, true, nil, false}), b([]uint32{0, 2}, []any{true, nil})},
			ngroups: 3, want: []any{true, false, nil}},
		{name: "every", fn: "every", args: []types.Type{bT}, batches: []aggBatch{b(g4, []any{true, false, true, true})},
			ngroups: 2, want: []any{true, false}},
		{name: "bool_or", fn: "bool_or", args: []types.Type{bT}, batches: []aggBatch{
			b(g4, []any{false, nil, false, nil}), b([]uint32{0}, []any{true})},
			ngroups: 2, want: []any{true, nil}},
		{name: "bool_or(bigint)", fn: "bool_or", args: []types.Type{biT}, err: "Unexpected parameters (bigint) for function bool_or"},
		{name: "arbitrary", fn: "arbitrary", args: []types.Type{vcT}, batches: []aggBatch{
			b(g4, []any{nil, "x", nil, "y"}), b([]uint32{0, 2}, []any{"z", nil})},
			ngroups: 3, want: []any{"z", "x", nil}},
		{name: "any_value(decimal)", fn: "any_value", args: []types.Type{dec30}, batches: []aggBatch{b([]uint32{0}, []any{"12.34"})},
			ngroups: 1, want: []any{"12.34"}},
	})
}

func TestAggCollect(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "array_agg", fn: "array_agg", args: []types.Type{biT}, batches: []aggBatch{
			b(g4, []any{1, 2, nil, 4}), b([]uint32{0, 1}, []any{5, 6})},
			ngroups: 3, want: []any{"[1,null,5]", "[2,4,6]", nil}, result: "array(bigint)"},
		{name: "array_agg(varchar)", fn: "array_agg", args: []types.Type{vcT}, batches: []aggBatch{
			b([]uint32{0, 0}, []any{"a", "b"}), b([]uint32{0}, []any{"c"})},
			ngroups: 1, want: []any{`["a","b","c"]`}},
		{name: "map_agg", fn: "map_agg", args: []types.Type{vcT, biT}, batches: []aggBatch{
			b(g4, []any{"a", "a", nil, "b"}, []any{1, 2, 3, 4}), b([]uint32{0, 0}, []any{"a", "c"}, []any{9, nil})},
			ngroups: 3, want: []any{`[{"key":"a","value":1},{"key":"c","value":null}]`, `[{"key":"a","value":2},{"key":"b","value":4}]`, nil}, result: "map(varchar, bigint)"},
	})
}

func TestAggVariance(t *testing.T) {
	dT := types.DoubleType
	vals := []aggBatch{b([]uint32{0, 0, 0, 1}, []any{2.0, 4.0, 4.0, 7.0}), b([]uint32{0, 0, 0, 0, 2}, []any{4.0, 5.0, 5.0, 7.0, nil}), b([]uint32{0}, []any{9.0})}
	runAggCases(t, []aggCase{
		{name: "stddev_pop", fn: "stddev_pop", args: []types.Type{dT}, batches: vals, ngroups: 3, want: []any{2.0, 0.0, nil}},
		{name: "var_pop", fn: "var_pop", args: []types.Type{dT}, batches: vals, ngroups: 3, want: []any{4.0, 0.0, nil}},
		{name: "variance", fn: "variance", args: []types.Type{dT}, batches: vals, ngroups: 3, want: []any{32.0 / 7, nil, nil}},
		{name: "var_samp", fn: "var_samp", args: []types.Type{dT}, batches: vals, ngroups: 3, want: []any{32.0 / 7, nil, nil}},
		{name: "stddev", fn: "stddev", args: []types.Type{dT}, batches: vals, ngroups: 3, want: []any{math.Sqrt(32.0 / 7), nil, nil}},
		{name: "stddev_samp(bigint)", fn: "stddev_samp", args: []types.Type{biT}, result: "double",
			batches: []aggBatch{b([]uint32{0, 0}, []any{1.0, 3.0})}, ngroups: 1, want: []any{math.Sqrt2}},
		{name: "stddev(varchar)", fn: "stddev", args: []types.Type{vcT}, err: "Unexpected parameters (varchar) for function stddev"},
	})
}

func TestAggApprox(t *testing.T) {
	// 5000 distinct strings in group 0, 10 in group 1 (repeated).
	var batches []aggBatch
	for k := 0; k < 10; k++ {
		xs, gs := make([]any, 1000), make([]uint32, 1000)
		for i := range xs {
			if i%2 == 0 {
				xs[i], gs[i] = fmt.Sprintf("id-%d", k*500+i/2), 0
			} else {
				xs[i], gs[i] = fmt.Sprintf("small-%d", i%20), 1
			}
		}
		batches = append(batches, b(gs, xs))
	}
	r := qtRegistry()
	f, _ := r.Aggregate("approx_distinct")
	bind, err := f.Bind([]types.Type{vcT})
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range []bool{false, true} {
		ctx, mem := qtContext(t, "UTC")
		got, err := runAgg(t, ctx, bind, batches, 3, split)
		if err != nil {
			t.Fatal(err)
		}
		mem.AssertSize(t, 0)
		est := got[0].(int64)
		if math.Abs(float64(est)-5000)/5000 > 0.05 || got[1] != int64(10) || got[2] != int64(0) {
			t.Errorf("split=%v approx_distinct = %v, want ~5000, 10, 0", split, got)
		}
	}

	runAggCases(t, []aggCase{
		{name: "approx_percentile(bigint)", fn: "approx_percentile", args: []types.Type{biT, types.DoubleType},
			batches: []aggBatch{b([]uint32{0, 0, 0, 0, 0}, []any{5, 1, 4, 2, 3}, []any{0.5, 0.5, 0.5, 0.5, 0.5}),
				b([]uint32{0, 1}, []any{6, nil}, []any{0.5, 0.5})},
			ngroups: 2, want: []any{int64(3), nil}, result: "bigint"},
		{name: "approx_percentile(double, p90)", fn: "approx_percentile", args: []types.Type{types.DoubleType, types.DoubleType},
			batches: []aggBatch{b([]uint32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []any{1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0},
				[]any{0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9})},
			ngroups: 1, want: []any{9.0}, result: "double"},
		{name: "approx_percentile weighted", fn: "approx_percentile", args: []types.Type{biT, biT, types.DoubleType},
			batches: []aggBatch{b([]uint32{0, 0}, []any{10, 20}, []any{1, 3}, []any{0.5, 0.5})},
			ngroups: 1, want: []any{int64(20)}},
		{name: "approx_percentile bad p", fn: "approx_percentile", args: []types.Type{biT, types.DoubleType},
			batches: []aggBatch{b([]uint32{0}, []any{1}, []any{1.5})}, ngroups: 1, err: "Percentile must be between 0 and 1"},
		{name: "approx_percentile varchar", fn: "approx_percentile", args: []types.Type{vcT, types.DoubleType}, err: "Unexpected parameters (varchar, double) for function approx_percentile"},
	})

	// Past the exact limit the sketch answers within its accuracy.
	var big []aggBatch
	for k := 0; k < 10; k++ {
		xs, ps, gs := make([]any, 1000), make([]any, 1000), make([]uint32, 1000)
		for i := range xs {
			xs[i], ps[i] = float64(k*1000+i+1), 0.5
		}
		big = append(big, b(gs, xs, ps))
	}
	f, _ = r.Aggregate("approx_percentile")
	bind, _ = f.Bind([]types.Type{types.DoubleType, types.DoubleType})
	for _, split := range []bool{false, true} {
		ctx, mem := qtContext(t, "UTC")
		got, err := runAgg(t, ctx, bind, big, 1, split)
		if err != nil {
			t.Fatal(err)
		}
		mem.AssertSize(t, 0)
		if v := got[0].(float64); math.Abs(v-5000)/5000 > 0.02 {
			t.Errorf("split=%v median of 1..10000 = %v", split, v)
		}
	}
}

func TestAggChecksum(t *testing.T) {
	r := qtRegistry()
	f, _ := r.Aggregate("checksum")
	bind, err := f.Bind([]types.Type{vcT})
	if err != nil {
		t.Fatal(err)
	}
	ctx, mem := qtContext(t, "UTC")
	defer mem.AssertSize(t, 0)
	a, err := runAgg(t, ctx, bind, []aggBatch{b([]uint32{0, 0, 1}, []any{"x", "y", nil}), b([]uint32{0}, []any{"z"})}, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	c, err := runAgg(t, ctx, bind, []aggBatch{b([]uint32{0, 0, 0}, []any{"z", "y", "x"}), b([]uint32{1}, []any{nil})}, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	if a[0] != c[0] || a[1] != c[1] || a[0] == a[1] || a[2] != nil {
		t.Errorf("checksum not order-independent: %v vs %v", a, c)
	}
}

// TestAggChecksumTrino checks checksum against values computed by Trino
// (the sum of xxHash64 * PRIME64_1, NULL adding PRIME64_1, as 8
// little-endian bytes; the test renders varbinary as base64: aaeb180d3c4ffa05
// and 31b60493edc831a4 in hex).
func TestAggChecksumTrino(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "integer", fn: "checksum", args: []types.Type{types.IntegerType}, batches: []aggBatch{b([]uint32{0, 0}, []any{1, 2}), b([]uint32{0}, []any{3})},
			ngroups: 1, want: []any{"qusYDTxP+gU="}, result: "varbinary"},
		{name: "integer with NULL", fn: "checksum", args: []types.Type{types.IntegerType}, batches: []aggBatch{b([]uint32{0, 0}, []any{1, 2}), b([]uint32{0, 0}, []any{3, nil})},
			ngroups: 1, want: []any{"MbYEk+3IMaQ="}},
		{name: "group without rows", fn: "checksum", args: []types.Type{types.BigIntType}, batches: []aggBatch{b([]uint32{0}, []any{1})}, ngroups: 2, want: []any{"k4/DCrUt5dQ=", nil}},
	})
}

// TestXXHash64 checks the hash against the reference xxHash64 vectors
// (seed 0), including the 32-byte stripe path.
func TestXXHash64(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
	}{
		{"", 0xEF46DB3751D8E999},
		{"a", 0xD24EC4F1A98C6E5B},
		{"abc", 0x44BC2CF5AD770999},
		{"Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1},
	} {
		if got := xxHash64([]byte(c.in)); got != c.want {
			t.Errorf("xxHash64(%q) = %x, want %x", c.in, got, c.want)
		}
	}
	var b [8]byte
	for _, v := range []int64{0, 1, -1, math.MaxInt64, math.MinInt64} {
		for i := range b {
			b[i] = byte(uint64(v) >> (8 * i))
		}
		if xxHash64Long(v) != xxHash64(b[:]) {
			t.Errorf("xxHash64Long(%d) differs from hashing its bytes", v)
		}
	}
}
