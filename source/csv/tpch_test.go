package csv

import (
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/source"
)

const lineitemPath = "../../../shared/data/tpch/data/sf-0.01/lineitem.tbl.gz"

func lineitemTable() *catalog.Table {
	return tableOf("", map[string]string{"field.delim": "|"}, nil,
		"l_orderkey bigint", "l_partkey bigint", "l_suppkey bigint", "l_linenumber integer",
		"l_quantity decimal(15,2)", "l_extendedprice decimal(15,2)", "l_discount decimal(15,2)", "l_tax decimal(15,2)",
		"l_returnflag varchar(1)", "l_linestatus varchar(1)", "l_shipdate date", "l_commitdate date", "l_receiptdate date",
		"l_shipinstruct varchar(25)", "l_shipmode varchar(10)", "l_comment varchar(44)")
}

func gunzipFile(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("test data not available: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// expectedLineitem computes row count and the sums of l_quantity and
// l_extendedprice in cents with a naive split, independently of the reader.
func expectedLineitem(t testing.TB, raw []byte) (rows int, qty, price int64) {
	for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		f := strings.Split(line, "|")
		rows++
		qty += cents(t, f[4])
		price += cents(t, f[5])
	}
	return
}

func cents(t testing.TB, s string) int64 {
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	var n int64
	for _, c := range whole + frac {
		n = n*10 + int64(c-'0')
	}
	return n
}

func TestLineitemGzip(t *testing.T) {
	raw := gunzipFile(t, lineitemPath)
	wantRows, wantQty, wantPrice := expectedLineitem(t, raw)
	if wantRows != 60175 {
		t.Fatalf("independent count %d, want 60175", wantRows)
	}
	st := newTestStore()
	tbl := lineitemTable()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	stats := new(source.Stats)
	info, _ := st.Stat(t.Context(), lineitemPath)
	br, err := Format{}.Open(t.Context(), &source.Request{Store: st, File: info, Split: source.Split{Length: -1},
		Table: tbl, Columns: []int{4, 5, 10, 15}, Alloc: mem, Stats: stats})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	var rows int
	var qty, price int64
	for {
		rec, err := br.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			break
		}
		q := rec.Column(0).(*array.Decimal64)
		p := rec.Column(1).(*array.Decimal64)
		for i := 0; i < q.Len(); i++ {
			qty += int64(q.Value(i))
			price += int64(p.Value(i))
		}
		if rec.Column(2).NullN() != 0 || rec.Column(3).NullN() != 0 {
			t.Fatalf("unexpected NULLs in l_shipdate/l_comment")
		}
		rows += int(rec.NumRows())
		rec.Release()
	}
	if rows != wantRows || qty != wantQty || price != wantPrice {
		t.Fatalf("rows %d qty %d price %d; want %d %d %d", rows, qty, price, wantRows, wantQty, wantPrice)
	}
	if got := stats.Rows.Load(); got != int64(wantRows) {
		t.Errorf("Stats.Rows = %d", got)
	}
	if got := stats.BytesDecompressed.Load(); got != int64(len(raw)) {
		t.Errorf("Stats.BytesDecompressed = %d, want %d", got, len(raw))
	}
	if fi, _ := os.Stat(lineitemPath); stats.BytesRead.Load() != fi.Size() {
		t.Errorf("Stats.BytesRead = %d, want %d", stats.BytesRead.Load(), fi.Size())
	}
	if stats.FilesRead.Load() != 1 {
		t.Errorf("Stats.FilesRead = %d", stats.FilesRead.Load())
	}
}

// TestLineitemSplits reads the uncompressed file in many byte ranges and
// checks that together they hold every row exactly once.
func TestLineitemSplits(t *testing.T) {
	raw := gunzipFile(t, lineitemPath)
	wantRows, wantQty, _ := expectedLineitem(t, raw)
	st := newTestStore()
	st.blobs["/mem/lineitem.tbl"] = raw
	tbl := lineitemTable()
	info, _ := st.Stat(t.Context(), "/mem/lineitem.tbl")
	for _, target := range []int64{1 << 20, 100_003, 4096} {
		splits := Format{}.Split(tbl, info, target)
		if len(splits) < 2 {
			t.Fatalf("target %d: %d splits", target, len(splits))
		}
		rows := 0
		var qty int64
		for _, sp := range splits {
			res, err := readAll(t, st, tbl, "/mem/lineitem.tbl", []int{4}, sp, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.rows {
				qty += cents(t, r[0])
			}
			rows += len(res.rows)
		}
		if rows != wantRows || qty != wantQty {
			t.Errorf("target %d: rows %d qty %d, want %d %d", target, rows, qty, wantRows, wantQty)
		}
	}
	// A gzip file is never split, whatever its size.
	if n := len(Format{}.Split(tbl, info2(lineitemPath, 1<<30), 1<<20)); n != 1 {
		t.Errorf("gzip file split into %d", n)
	}
}

func BenchmarkLineitem(b *testing.B) {
	raw := gunzipFile(b, lineitemPath)
	st := newTestStore()
	st.blobs["/mem/lineitem.tbl"] = raw
	tbl := lineitemTable()
	info, _ := st.Stat(b.Context(), "/mem/lineitem.tbl")
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for b.Loop() {
		br, err := Format{}.Open(b.Context(), &source.Request{Store: st, File: info, Split: source.Split{Length: -1},
			Table: tbl, Columns: allColumns(tbl), Alloc: memory.DefaultAllocator})
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := br.Next()
			if err != nil {
				b.Fatal(err)
			}
			if rec == nil {
				break
			}
			rec.Release()
		}
		br.Close()
	}
}

func BenchmarkLineitemGzip(b *testing.B) {
	raw := gunzipFile(b, lineitemPath)
	gz, err := os.ReadFile(lineitemPath)
	if err != nil {
		b.Skip(err)
	}
	st := newTestStore()
	st.blobs["/mem/lineitem.tbl.gz"] = gz
	tbl := lineitemTable()
	info, _ := st.Stat(b.Context(), "/mem/lineitem.tbl.gz")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		br, err := Format{}.Open(b.Context(), &source.Request{Store: st, File: info, Split: source.Split{Length: -1},
			Table: tbl, Columns: allColumns(tbl), Alloc: memory.DefaultAllocator})
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := br.Next()
			if err != nil {
				b.Fatal(err)
			}
			if rec == nil {
				break
			}
			rec.Release()
		}
		br.Close()
	}
}
