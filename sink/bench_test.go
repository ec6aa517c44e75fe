package sink

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/objstore/local"
	"github.com/quarry-sql/quarry/types"
)

var lineitem = []types.Column{
	{Name: "l_orderkey", Type: types.BigIntType}, {Name: "l_partkey", Type: types.BigIntType},
	{Name: "l_suppkey", Type: types.BigIntType}, {Name: "l_linenumber", Type: types.IntegerType},
	{Name: "l_quantity", Type: types.DecimalOf(15, 2)}, {Name: "l_extendedprice", Type: types.DecimalOf(15, 2)},
	{Name: "l_discount", Type: types.DecimalOf(15, 2)}, {Name: "l_tax", Type: types.DecimalOf(15, 2)},
	{Name: "l_returnflag", Type: types.VarcharOf(1)}, {Name: "l_linestatus", Type: types.VarcharOf(1)},
	{Name: "l_shipdate", Type: types.DateType}, {Name: "l_commitdate", Type: types.DateType},
	{Name: "l_receiptdate", Type: types.DateType}, {Name: "l_shipinstruct", Type: types.VarcharOf(25)},
	{Name: "l_shipmode", Type: types.VarcharOf(10)}, {Name: "l_comment", Type: types.VarcharOf(44)},
}

var words = []string{"furiously", "quickly", "carefully", "blithely", "ironic", "final", "pending", "regular",
	"express", "special", "deposits", "requests", "accounts", "packages", "theodolites", "foxes", "pinto", "beans"}

// lineitemBatches builds n rows of TPC-H-like lineitem data in 8192-row
// records, and their in-memory (Arrow buffer) size.
func lineitemBatches(n int) ([]arrow.Record, int64) {
	r := rand.New(rand.NewPCG(1, 2))
	var out []arrow.Record
	var size int64
	instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes := []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
	for start := 0; start < n; start += 8192 {
		m := min(8192, n-start)
		b := array.NewRecordBuilder(memory.DefaultAllocator, types.Schema(lineitem))
		for i := start; i < start+m; i++ {
			ok := int64(i/4 + 1)
			b.Field(0).(*array.Int64Builder).Append(ok)
			b.Field(1).(*array.Int64Builder).Append(r.Int64N(200000) + 1)
			b.Field(2).(*array.Int64Builder).Append(r.Int64N(10000) + 1)
			b.Field(3).(*array.Int32Builder).Append(int32(i%4 + 1))
			q := r.Int64N(50) + 1
			b.Field(4).(*array.Decimal64Builder).Append(decimal.Decimal64(q * 100))
			b.Field(5).(*array.Decimal64Builder).Append(decimal.Decimal64(q * (90000 + r.Int64N(10000000))))
			b.Field(6).(*array.Decimal64Builder).Append(decimal.Decimal64(r.Int64N(11)))
			b.Field(7).(*array.Decimal64Builder).Append(decimal.Decimal64(r.Int64N(9)))
			b.Field(8).(*array.StringBuilder).Append([]string{"R", "A", "N"}[r.IntN(3)])
			b.Field(9).(*array.StringBuilder).Append([]string{"O", "F"}[r.IntN(2)])
			d := arrow.Date32(8036 + r.IntN(2500))
			b.Field(10).(*array.Date32Builder).Append(d)
			b.Field(11).(*array.Date32Builder).Append(d + arrow.Date32(r.IntN(60)) - 30)
			b.Field(12).(*array.Date32Builder).Append(d + arrow.Date32(r.IntN(30)))
			b.Field(13).(*array.StringBuilder).Append(instr[r.IntN(4)])
			b.Field(14).(*array.StringBuilder).Append(modes[r.IntN(7)])
			c := ""
			for len(c) < 10+r.IntN(30) {
				c += words[r.IntN(len(words))] + " "
			}
			b.Field(15).(*array.StringBuilder).Append(c[:min(len(c), 43)])
		}
		rec := b.NewRecord()
		b.Release()
		for _, col := range rec.Columns() {
			for _, buf := range col.Data().Buffers() {
				if buf != nil {
					size += int64(buf.Len())
				}
			}
		}
		out = append(out, rec)
	}
	return out, size
}

// BenchmarkLineitemParquet writes lineitem-like rows to local Parquet
// (ZSTD) with one and with GOMAXPROCS concurrent writers and reports the
// Arrow input rate (SetBytes) and the rate of Parquet bytes written.
func BenchmarkLineitemParquet(b *testing.B) {
	const rows = 1 << 20
	recs, inBytes := lineitemBatches(rows)
	defer release(recs)
	for _, writers := range []int{1, runtime.GOMAXPROCS(0)} {
		for _, codec := range []string{"ZSTD", "SNAPPY"} {
			b.Run(fmt.Sprintf("%s/writers=%d", codec, writers), func(b *testing.B) {
				b.SetBytes(inBytes)
				var outBytes int64
				var elapsed time.Duration
				for range b.N {
					root := b.TempDir()
					start := time.Now()
					w, err := NewWriter(context.Background(), Options{Writer: local.NewWriter(), Location: root, Columns: lineitem, Compression: codec})
					if err != nil {
						b.Fatal(err)
					}
					var wg sync.WaitGroup
					for g := range writers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for i := g; i < len(recs); i += writers {
								if err := w.Write(recs[i]); err != nil {
									b.Error(err)
									return
								}
							}
						}()
					}
					wg.Wait()
					files, _, err := w.Commit(context.Background())
					if err != nil {
						b.Fatal(err)
					}
					elapsed += time.Since(start)
					for _, f := range files {
						outBytes += f.Bytes
					}
				}
				b.ReportMetric(float64(outBytes)/1e6/elapsed.Seconds(), "parquet-MB/s")
				b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds()/1e6, "Mrows/s")
			})
		}
	}
}
