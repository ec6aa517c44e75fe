package exec_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// Benchmarks of the hash join and hash aggregation over generated batches
// (one worker, so numbers compare across machines with different cores).
// Every iteration replays the same pre-built batches.

const benchBatch = 8192

// replay yields shared batches without consuming them.
type replay struct {
	cols    []types.Column
	batches []arrow.Record
	i       int
}

func (s *replay) Columns() []types.Column      { return s.cols }
func (s *replay) Open(ctx *exec.Context) error { s.i = 0; return nil }
func (s *replay) Close() error                 { return nil }
func (s *replay) Next(ctx *exec.Context) (arrow.Record, error) {
	if s.i >= len(s.batches) {
		return nil, nil
	}
	s.i++
	return s.batches[s.i-1], nil
}

func benchCtx() *exec.Context {
	fn := &function.Context{Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), Zone: time.UTC}
	return exec.NewContextWithAllocator(context.Background(), fn, 1, memory.NewGoAllocator(), 0)
}

// int64Batches cuts n values of gen into batches of an int64 column and,
// when gen2 is set, a second int32 column.
func int64Batches(n int, gen func(i int) int64, gen2 func(i int) int32) ([]types.Column, []arrow.Record) {
	cols := []types.Column{{Name: "k", Type: types.BigIntType}, {Name: "v", Type: types.BigIntType}}
	if gen2 != nil {
		cols = append(cols, types.Column{Name: "k2", Type: types.IntegerType})
	}
	var out []arrow.Record
	mem := memory.NewGoAllocator()
	for lo := 0; lo < n; lo += benchBatch {
		hi := min(lo+benchBatch, n)
		kb, vb := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
		arrs := []arrow.Array{}
		for i := lo; i < hi; i++ {
			kb.Append(gen(i))
			vb.Append(int64(i))
		}
		arrs = append(arrs, kb.NewArray(), vb.NewArray())
		if gen2 != nil {
			k2 := array.NewInt32Builder(mem)
			for i := lo; i < hi; i++ {
				k2.Append(gen2(i))
			}
			arrs = append(arrs, k2.NewArray())
		}
		out = append(out, array.NewRecord(types.Schema(cols), arrs, int64(hi-lo)))
	}
	return cols, out
}

func stringBatches(n int, gen func(i int) string) ([]types.Column, []arrow.Record) {
	cols := []types.Column{{Name: "k", Type: types.VarcharType}, {Name: "v", Type: types.BigIntType}}
	var out []arrow.Record
	mem := memory.NewGoAllocator()
	for lo := 0; lo < n; lo += benchBatch {
		hi := min(lo+benchBatch, n)
		kb, vb := array.NewStringBuilder(mem), array.NewInt64Builder(mem)
		for i := lo; i < hi; i++ {
			kb.Append(gen(i))
			vb.Append(int64(i))
		}
		out = append(out, array.NewRecord(types.Schema(cols), []arrow.Array{kb.NewArray(), vb.NewArray()}, int64(hi-lo)))
	}
	return cols, out
}

func benchAggBinding(b *testing.B, name string, args ...types.Type) function.AggBinding {
	f, ok := function.Builtins().Aggregate(name)
	if !ok {
		b.Fatalf("no aggregate %s", name)
	}
	bd, err := f.Bind(args)
	if err != nil {
		b.Fatal(err)
	}
	return bd
}

func runToEnd(b *testing.B, ctx *exec.Context, op exec.Operator) int {
	if err := op.Open(ctx); err != nil {
		b.Fatal(err)
	}
	rows := 0
	for {
		r, err := op.Next(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if r == nil {
			break
		}
		rows += int(r.NumRows())
	}
	if err := op.Close(); err != nil {
		b.Fatal(err)
	}
	return rows
}

// benchAgg runs SELECT keys..., sum(v) GROUP BY keys over the batches.
func benchAgg(b *testing.B, cols []types.Column, batches []arrow.Record, keys []int, wantGroups int) {
	sum := benchAggBinding(b, "sum", types.BigIntType)
	var groupBy []exec.Expr
	var out []types.Column
	for _, k := range keys {
		groupBy = append(groupBy, &exec.ColRef{Index: k, T: cols[k].Type})
		out = append(out, cols[k])
	}
	out = append(out, types.Column{Name: "s", Type: sum.Result})
	rows := 0
	for _, r := range batches {
		rows += int(r.NumRows())
	}
	b.ReportAllocs()
	b.SetBytes(int64(rows) * 8)
	b.ResetTimer()
	for b.Loop() {
		ctx := benchCtx()
		op := &exec.HashAggregate{
			Input:   func(int) (exec.Operator, error) { return &replay{cols: cols, batches: batches}, nil },
			Workers: 1,
			GroupBy: groupBy,
			Aggs:    []exec.AggSpec{{Name: "sum", Binding: sum, Args: []exec.Expr{&exec.ColRef{Index: 1, T: types.BigIntType}}}},
			Cols:    out,
		}
		if got := runToEnd(b, ctx, op); got != wantGroups {
			b.Fatalf("%d groups, want %d", got, wantGroups)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

func BenchmarkAggregateInt64(b *testing.B) {
	const n = 4 << 20
	for _, groups := range []int{1 << 10, 1 << 20} {
		rng := rand.New(rand.NewSource(1))
		perm := rng.Perm(groups)
		cols, batches := int64Batches(n, func(i int) int64 { return int64(perm[i%groups]) * 7919 }, nil)
		b.Run(fmt.Sprintf("rows=4M/groups=%d", groups), func(b *testing.B) {
			benchAgg(b, cols, batches, []int{0}, groups)
		})
	}
}

func BenchmarkAggregateTwoInts(b *testing.B) {
	const n = 4 << 20
	groups := 1 << 20
	rng := rand.New(rand.NewSource(2))
	perm := rng.Perm(groups)
	cols, batches := int64Batches(n, func(i int) int64 { return int64(perm[i%groups] / 4) },
		func(i int) int32 { return int32(perm[i%groups] % 4) })
	b.Run("rows=4M/groups=1M", func(b *testing.B) {
		benchAgg(b, cols, batches, []int{0, 2}, groups)
	})
}

func BenchmarkAggregateString(b *testing.B) {
	const n = 4 << 20
	for _, groups := range []int{1 << 10, 1 << 18} {
		rng := rand.New(rand.NewSource(3))
		perm := rng.Perm(groups)
		cols, batches := stringBatches(n, func(i int) string { return fmt.Sprintf("Customer#%09d", perm[i%groups]) })
		b.Run(fmt.Sprintf("rows=4M/groups=%d", groups), func(b *testing.B) {
			benchAgg(b, cols, batches, []int{0}, groups)
		})
	}
}

// BenchmarkHashJoinInt64 builds 1M unique int64 keys and probes 4M rows of
// which half match (inner join, both sides' columns out) or as a semi join.
func BenchmarkHashJoinInt64(b *testing.B) {
	const buildRows, probeRows = 1 << 20, 4 << 20
	rng := rand.New(rand.NewSource(4))
	perm := rng.Perm(buildRows)
	bcols, build := int64Batches(buildRows, func(i int) int64 { return int64(perm[i]) }, nil)
	pcols, probe := int64Batches(probeRows, func(i int) int64 { return rng.Int63n(2 * buildRows) }, nil)
	for _, kind := range []exec.JoinKind{exec.InnerJoin, exec.SemiJoin} {
		b.Run(fmt.Sprintf("build=1M/probe=4M/%s", kind), func(b *testing.B) {
			out := append(append([]types.Column{}, pcols...), bcols...)
			if kind == exec.SemiJoin {
				out = pcols
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ctx := benchCtx()
				table := &exec.JoinTable{Build: &replay{cols: bcols, batches: build},
					Keys: []exec.Expr{&exec.ColRef{Index: 0, T: types.BigIntType}}, Probers: 1}
				op := &exec.HashJoin{Probe: &replay{cols: pcols, batches: probe}, Table: table,
					ProbeKeys: []exec.Expr{&exec.ColRef{Index: 0, T: types.BigIntType}}, Kind: kind, Cols: out}
				got := runToEnd(b, ctx, op)
				table.Release()
				if got < probeRows/3 || got > probeRows*2/3 {
					b.Fatalf("%d rows out", got)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(probeRows), "ns/probe-row")
		})
	}
}

// BenchmarkHashJoinString joins on a string key (the byte-keyed table).
func BenchmarkHashJoinString(b *testing.B) {
	const buildRows, probeRows = 1 << 18, 2 << 20
	rng := rand.New(rand.NewSource(5))
	bcols, build := stringBatches(buildRows, func(i int) string { return fmt.Sprintf("Customer#%09d", i) })
	pcols, probe := stringBatches(probeRows, func(i int) string { return fmt.Sprintf("Customer#%09d", rng.Intn(2*buildRows)) })
	out := append(append([]types.Column{}, pcols...), bcols...)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx := benchCtx()
		table := &exec.JoinTable{Build: &replay{cols: bcols, batches: build},
			Keys: []exec.Expr{&exec.ColRef{Index: 0, T: types.VarcharType}}, Probers: 1}
		op := &exec.HashJoin{Probe: &replay{cols: pcols, batches: probe}, Table: table,
			ProbeKeys: []exec.Expr{&exec.ColRef{Index: 0, T: types.VarcharType}}, Kind: exec.InnerJoin, Cols: out}
		runToEnd(b, ctx, op)
		table.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(probeRows), "ns/probe-row")
}
