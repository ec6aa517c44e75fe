package cache

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/parquet"
	"github.com/quarry-sql/quarry/types"
)

var flatTypes = []types.Column{
	{Name: "b", Type: types.BooleanType},
	{Name: "i8", Type: types.TinyIntType},
	{Name: "i16", Type: types.SmallIntType},
	{Name: "i32", Type: types.IntegerType},
	{Name: "i64", Type: types.BigIntType},
	{Name: "f32", Type: types.RealType},
	{Name: "f64", Type: types.DoubleType},
	{Name: "d64", Type: types.DecimalOf(18, 4)},
	{Name: "d128", Type: types.DecimalOf(38, 6)},
	{Name: "s", Type: types.VarcharType},
	{Name: "lowcard", Type: types.VarcharType},
	{Name: "manycard", Type: types.VarcharType}, // a dictionary wider than 8 bits
	{Name: "bin", Type: types.VarbinaryTyp},
	{Name: "date", Type: types.DateType},
	{Name: "time", Type: types.Type{Kind: types.Time, Precision: 6}},
	{Name: "ts", Type: types.Type{Kind: types.Timestamp, Precision: 6}},
	{Name: "tstz", Type: types.Type{Kind: types.TimestampTZ, Precision: 3}},
	{Name: "json", Type: types.JSONType},
	{Name: "allnull", Type: types.BigIntType},
	{Name: "nonull", Type: types.VarcharType},
}

// flatBatch builds n rows of every flat type with NULLs in varied
// patterns.
func flatBatch(rng *rand.Rand, n int) []arrow.Array {
	mem := memory.NewGoAllocator()
	bld := array.NewRecordBuilder(mem, types.Schema(flatTypes))
	defer bld.Release()
	for i := range n {
		null := func(k int) bool { return rng.IntN(k) == 0 }
		for c, col := range flatTypes {
			fb := bld.Field(c)
			if col.Name == "allnull" || (col.Name != "nonull" && null(3+c)) {
				fb.AppendNull()
				continue
			}
			switch b := fb.(type) {
			case *array.BooleanBuilder:
				b.Append(rng.IntN(2) == 0)
			case *array.Int8Builder:
				b.Append(int8(rng.IntN(256) - 128))
			case *array.Int16Builder:
				b.Append(int16(rng.IntN(65536) - 32768))
			case *array.Int32Builder:
				b.Append(rng.Int32() - 1<<30)
			case *array.Int64Builder:
				b.Append(rng.Int64() - 1<<62)
			case *array.Float32Builder:
				b.Append([]float32{float32(rng.NormFloat64()), float32(math.Inf(-1)), 0}[rng.IntN(3)])
			case *array.Float64Builder:
				b.Append([]float64{rng.NormFloat64() * 1e300, math.NaN(), math.Copysign(0, -1), 1}[rng.IntN(4)])
			case *array.Decimal64Builder:
				b.Append(decimal64Of(rng.Int64N(2e18) - 1e18))
			case *array.Decimal128Builder:
				b.Append(decimal128.New(rng.Int64N(1e15)-5e14, rng.Uint64()))
			case *array.StringBuilder:
				switch col.Name {
				case "lowcard":
					b.Append([]string{"A", "N", "R", ""}[rng.IntN(4)])
				case "manycard":
					b.Append(fmt.Sprintf("k%d", rng.IntN(1500)))
				default:
					b.Append(strings.Repeat("xyzé", rng.IntN(12)) + fmt.Sprint(i))
				}
			case *array.BinaryBuilder:
				b.Append([]byte{byte(i), 0, byte(rng.IntN(256))})
			case *array.Date32Builder:
				b.Append(arrow.Date32(rng.IntN(40000) - 20000))
			case *array.Time64Builder:
				b.Append(arrow.Time64(rng.Int64N(86400e6)))
			case *array.TimestampBuilder:
				b.Append(arrow.Timestamp(rng.Int64() >> 8))
			default:
				panic(fmt.Sprintf("%T", b))
			}
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	out := make([]arrow.Array, len(flatTypes))
	for i := range out {
		out[i] = rec.Column(i)
		out[i].Retain()
	}
	return out
}

// TestFlatRoundTrip writes every flat type with the flat writer (sliced
// batches, several row groups and pages, dictionary and PLAIN strings)
// and reads it back with the flat reader and with source/parquet.
func TestFlatRoundTrip(t *testing.T) {
	for _, uncompressed := range []bool{false, true} {
		t.Run(fmt.Sprint("uncompressed=", uncompressed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			var batches [][]arrow.Array
			var want []string
			for _, n := range []int{7000, 1, 9000, 0, 300} {
				b := flatBatch(rng, n+10)
				// An offset slice: the writer must honour array offsets.
				sl := make([]arrow.Array, len(b))
				for i, a := range b {
					sl[i] = array.NewSlice(a, 7, int64(n+7))
				}
				releaseAll(b)
				batches = append(batches, sl)
				rec := array.NewRecordBatch(types.Schema(flatTypes), sl, int64(n))
				want = append(want, rowStrings(rec)...)
				rec.Release()
			}
			path := filepath.Join(t.TempDir(), "g.parquet")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			cols := make([]types.Column, len(flatTypes))
			for i, c := range flatTypes {
				cols[i] = types.Column{Name: fileColumnName(i), Type: c.Type}
			}
			w, err := newFlatWriter(f, cols, nil, 5000)
			if err != nil {
				t.Fatal(err)
			}
			w.noCompress = uncompressed
			w.pageBytes = 4 << 10 // many pages per chunk
			for _, b := range batches {
				if err := w.write(b, b[0].Len()); err != nil {
					t.Fatal(err)
				}
				releaseAll(b)
			}
			if err := w.close(); err != nil {
				t.Fatal(err)
			}
			m := &groupMeta{Rows: int64(len(want)), File: "g.parquet"}
			for i := range flatTypes {
				m.Columns = append(m.Columns, i)
			}
			if err := describeFile(f, m, w.leaves()); err != nil {
				t.Fatal(err)
			}
			if len(m.RowGroups) != 4 {
				t.Fatalf("%d row groups", len(m.RowGroups))
			}
			all := m.Columns
			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer alloc.AssertSize(t, 0)
			// The flat reader, all row groups and a middle range.
			for _, rng := range [][2]int{{0, 4}, {1, 3}} {
				fr, err := newFlatReader(f, m, all, flatTypes, rng[0], rng[1], alloc, 4096, nil)
				if err != nil {
					t.Fatal(err)
				}
				got := readAll(t, fr)
				var lo, hi int64
				for g := range rng[1] {
					if g < rng[0] {
						lo += m.RowGroups[g].Rows
					}
					hi += m.RowGroups[g].Rows
				}
				sameRows(t, fmt.Sprintf("flat reader %v", rng), got, want[lo:hi])
			}
			// source/parquet reads the same file (it is plain Parquet).
			tbl := &catalog.Table{Columns: cols}
			fi, _ := f.Stat()
			pr, err := parquet.Format{}.Open(context.Background(), &source.Request{
				Store: pinStore{map[string]objstore.File{"g": &verifiedFile{f: f, size: fi.Size()}}},
				File:  objstore.ObjectInfo{Location: "g", Size: fi.Size()}, Split: source.Split{Length: -1},
				Table: tbl, Columns: all, Alloc: alloc})
			if err != nil {
				t.Fatal(err)
			}
			sameRows(t, "source/parquet", readAll(t, pr), want)
			f.Close()
		})
	}
}

func readAll(t *testing.T, r source.BatchReader) []string {
	t.Helper()
	defer r.Close()
	var out []string
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return out
		}
		out = append(out, rowStrings(rec)...)
		rec.Release()
	}
}

func decimal64Of(v int64) decimal.Decimal64 { return decimal.Decimal64(v) }
