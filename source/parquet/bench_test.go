package parquet

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// lineitem holds the columns TPC-H Q1 reads, as DuckDB and Spark write
// them: decimals as INT64, flags as dictionary-encoded strings.
type lineitem struct {
	Quantity      int64  `parquet:"l_quantity,decimal(2:15)"`
	ExtendedPrice int64  `parquet:"l_extendedprice,decimal(2:15)"`
	Discount      int64  `parquet:"l_discount,decimal(2:15)"`
	Tax           int64  `parquet:"l_tax,decimal(2:15)"`
	ReturnFlag    string `parquet:"l_returnflag,dict"`
	LineStatus    string `parquet:"l_linestatus,dict"`
	ShipDate      int32  `parquet:"l_shipdate,date"`
	Comment       string `parquet:"l_comment"`
}

var lineitemCols = []types.Column{
	{Name: "l_quantity", Type: types.DecimalOf(15, 2)},
	{Name: "l_extendedprice", Type: types.DecimalOf(15, 2)},
	{Name: "l_discount", Type: types.DecimalOf(15, 2)},
	{Name: "l_tax", Type: types.DecimalOf(15, 2)},
	{Name: "l_returnflag", Type: types.VarcharType},
	{Name: "l_linestatus", Type: types.VarcharType},
	{Name: "l_shipdate", Type: types.DateType},
	{Name: "l_comment", Type: types.VarcharType},
}

// lineitemFile writes (once per machine) an SF1-sized lineitem-like file.
func lineitemFile(b *testing.B, rows int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("quarry-bench-lineitem-%d.parquet", rows))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	w := parquet.NewGenericWriter[lineitem](f, parquet.Compression(&snappy.Codec{}), parquet.MaxRowsPerRowGroup(122880))
	rng := rand.New(rand.NewPCG(1, 2))
	flags, status := []string{"A", "N", "R"}, []string{"F", "O"}
	buf := make([]lineitem, 0, 8192)
	for i := range rows {
		q := int64(rng.IntN(50) + 1)
		buf = append(buf, lineitem{
			Quantity: q * 100, ExtendedPrice: q * int64(90000+rng.IntN(10000)), Discount: int64(rng.IntN(11)),
			Tax: int64(rng.IntN(9)), ReturnFlag: flags[rng.IntN(3)], LineStatus: status[rng.IntN(2)],
			ShipDate: int32(8036 + rng.IntN(2526)), Comment: fmt.Sprintf("comment %d", i%1000),
		})
		if len(buf) == cap(buf) || i == rows-1 {
			if _, err := w.Write(buf); err != nil {
				b.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkQ1Columns decodes the seven columns of TPC-H Q1 from a 6M-row
// lineitem-like file on two goroutines, one split each.
func BenchmarkQ1Columns(b *testing.B) {
	const rows = 6_000_000
	path := lineitemFile(b, rows)
	info := statOf(b, path)
	tbl := &catalog.Table{Name: "lineitem", Columns: lineitemCols, Format: catalog.FormatParquet}
	splits := Format{}.Split(tbl, info, info.Size/2+1)
	b.SetBytes(info.Size)
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		var st source.Stats
		errs := make([]error, len(splits))
		for i, sp := range splits {
			wg.Go(func() {
				r, err := Format{}.Open(context.Background(), &source.Request{
					Store: fsStore{}, File: info, Split: sp, Table: tbl, Columns: []int{0, 1, 2, 3, 4, 5, 6},
					Alloc: memory.DefaultAllocator, Stats: &st,
				})
				if err != nil {
					errs[i] = err
					return
				}
				defer r.Close()
				for {
					rec, err := r.Next()
					if err != nil || rec == nil {
						errs[i] = err
						return
					}
					rec.Release()
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		if st.Rows.Load() != rows {
			b.Fatalf("read %d rows", st.Rows.Load())
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
}
