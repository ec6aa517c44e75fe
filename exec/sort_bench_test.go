package exec_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/types"
)

var benchSortCols = []types.Column{
	{Name: "id", Type: types.BigIntType},
	{Name: "name", Type: types.VarcharType},
	{Name: "amount", Type: types.DecimalOf(15, 2)},
	{Name: "score", Type: types.DoubleType},
}

const benchSortBatch = 8192

func benchSortGen(mem memory.Allocator, k int) arrow.Record {
	rng := rand.New(rand.NewPCG(uint64(k), 1))
	ids := array.NewInt64Builder(mem)
	names := array.NewStringBuilder(mem)
	amounts := array.NewDecimal64Builder(mem, benchSortCols[2].Type.Arrow().(*arrow.Decimal64Type))
	scores := array.NewFloat64Builder(mem)
	defer ids.Release()
	defer names.Release()
	defer amounts.Release()
	defer scores.Release()
	for r := 0; r < benchSortBatch; r++ {
		id := rng.Int64N(1 << 40)
		ids.Append(id)
		names.Append(fmt.Sprintf("Customer#%09d", id%1_000_000))
		amounts.Append(decimal.Decimal64(rng.Int64N(10_000_000)))
		scores.Append(rng.Float64())
	}
	arrs := []arrow.Array{ids.NewArray(), names.NewArray(), amounts.NewArray(), scores.NewArray()}
	defer releaseArrays(arrs)
	return array.NewRecord(types.Schema(benchSortCols), arrs, benchSortBatch)
}

// BenchmarkSortSpill sorts 3M rows (about 150MB in Arrow) by a bigint and
// by a varchar key, in memory and spilling at a 48MB threshold with each
// codec; "scan" is the cost of producing the input alone. It reports the
// peak accounted memory and the bytes spilled.
func BenchmarkSortSpill(b *testing.B) {
	const batches = 3 << 20 / benchSortBatch
	for _, k := range []struct {
		name string
		key  exec.SortKey
	}{
		{"bigint", exec.SortKey{Expr: col(0, types.BigIntType)}},
		{"varchar", exec.SortKey{Expr: col(1, types.VarcharType), Desc: true}},
	} {
		for _, v := range []struct {
			name      string
			threshold int64
			codec     string
		}{
			{"scan", -1, ""},
			{"memory", 0, ""},
			{"spill-lz4", 48 << 20, "lz4"},
			{"spill-plain", 48 << 20, ""},
			{"spill-zstd", 48 << 20, "zstd"},
		} {
			if v.threshold < 0 && k.name != "bigint" {
				continue
			}
			b.Run(k.name+"/"+v.name, func(b *testing.B) {
				exec.SetSpillCompression(v.codec)
				defer exec.SetSpillCompression("lz4")
				var peak int64
				var st exec.SpillStats
				for i := 0; i < b.N; i++ {
					ctx := exec.NewContext(context.Background(), nil, 1, 0)
					ctx.Spill = exec.SpillConfig{Dir: b.TempDir(), Threshold: max(v.threshold, 0)}
					var op exec.Operator = &genSource{cols: benchSortCols, batches: batches, gen: benchSortGen}
					sortOp := &exec.Sort{Input: op, Keys: []exec.SortKey{k.key}, Limit: -1}
					if v.threshold >= 0 {
						op = sortOp
					}
					if err := op.Open(ctx); err != nil {
						b.Fatal(err)
					}
					n := 0
					for {
						r, err := op.Next(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if r == nil {
							break
						}
						n += int(r.NumRows())
					}
					op.Close()
					if n != batches*benchSortBatch {
						b.Fatalf("%d rows", n)
					}
					peak = max(peak, ctx.Alloc.Peak())
					st = sortOp.Spilled()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(st.Bytes)/(1<<20), "spilled-MB")
				b.ReportMetric(float64(st.Files), "runs")
			})
		}
	}
}
