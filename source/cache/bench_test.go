package cache

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore/local"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// benchRows makes a ~100 MB lineitem-like text file.
const benchRows = 800_000

func lineitemTable(loc string) *catalog.Table {
	dec := types.DecimalOf(15, 2)
	return &catalog.Table{Schema: "b", Name: "lineitem", Format: catalog.FormatText, SerDe: catalog.LazySimpleSerDe,
		SerDeProps: map[string]string{catalog.PropFieldDelim: "|"}, Location: loc,
		Columns: []types.Column{
			{Name: "l_orderkey", Type: types.BigIntType}, {Name: "l_partkey", Type: types.BigIntType},
			{Name: "l_suppkey", Type: types.BigIntType}, {Name: "l_linenumber", Type: types.IntegerType},
			{Name: "l_quantity", Type: dec}, {Name: "l_extendedprice", Type: dec},
			{Name: "l_discount", Type: dec}, {Name: "l_tax", Type: dec},
			{Name: "l_returnflag", Type: types.VarcharType}, {Name: "l_linestatus", Type: types.VarcharType},
			{Name: "l_shipdate", Type: types.DateType}, {Name: "l_commitdate", Type: types.DateType},
			{Name: "l_receiptdate", Type: types.DateType}, {Name: "l_shipinstruct", Type: types.VarcharType},
			{Name: "l_shipmode", Type: types.VarcharType}, {Name: "l_comment", Type: types.VarcharType},
		}}
}

// lineitemDir writes (once per machine) the benchmark's file.
func lineitemDir(b *testing.B) string {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("quarry-cache-bench-%d", benchRows))
	path := filepath.Join(dir, "lineitem.tbl")
	if _, err := os.Stat(path); err == nil {
		return dir
	}
	os.MkdirAll(dir, 0o755)
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes := []string{"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"}
	words := []string{"furiously", "quickly", "carefully", "blithely", "regular", "express", "pending", "ideas",
		"deposits", "accounts", "packages", "requests", "theodolites", "final", "slyly", "ironic"}
	for i := range benchRows {
		fmt.Fprintf(w, "%d|%d|%d|%d|%d.00|%d.%02d|0.%02d|0.%02d|%c|%c|199%d-%02d-%02d|199%d-%02d-%02d|199%d-%02d-%02d|%s|%s|",
			i/4+1, rng.IntN(200000)+1, rng.IntN(10000)+1, i%4+1, rng.IntN(50)+1, rng.IntN(100000), rng.IntN(100),
			rng.IntN(11), rng.IntN(9), "ANR"[rng.IntN(3)], "FO"[rng.IntN(2)],
			rng.IntN(8)+2, rng.IntN(12)+1, rng.IntN(28)+1, rng.IntN(8)+2, rng.IntN(12)+1, rng.IntN(28)+1,
			rng.IntN(8)+2, rng.IntN(12)+1, rng.IntN(28)+1, instr[rng.IntN(4)], modes[rng.IntN(7)])
		for k := range 3 + rng.IntN(4) {
			if k > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(words[rng.IntN(len(words))])
		}
		w.WriteString("|\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return dir
}

// scanAll reads every split of the table with one goroutine and returns
// the rows.
func scanAll(b *testing.B, f source.Format, tbl *catalog.Table, cols []int) (int64, *source.Stats) {
	ctx := context.Background()
	store := local.New()
	files, err := store.List(ctx, tbl.Location)
	if err != nil {
		b.Fatal(err)
	}
	st := new(source.Stats)
	var rows int64
	for _, file := range files {
		for _, sp := range source.SplitFor(f, tbl, file, normalize(cols), 64<<20) {
			r, err := f.Open(ctx, &source.Request{Store: store, File: file, Split: sp, Table: tbl, Columns: cols,
				Alloc: memory.DefaultAllocator, BatchRows: source.DefaultBatchRows, Stats: st})
			if err != nil {
				b.Fatal(err)
			}
			for {
				rec, err := r.Next()
				if err != nil {
					b.Fatal(err)
				}
				if rec == nil {
					break
				}
				rows += rec.NumRows()
				rec.Release()
			}
			r.Close()
		}
	}
	return rows, st
}

var benchProjections = []struct {
	name string
	cols []int
}{
	{"all", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
	{"q1", []int{4, 5, 6, 7, 8, 9, 10}},
}

// BenchmarkScan compares reading the file raw (parsing text) with reading
// the same columns from a filled cache, and the cost of a first, filling
// run. MB/s counts the text file's bytes.
func BenchmarkScan(b *testing.B) {
	dir := lineitemDir(b)
	tbl := lineitemTable(dir)
	fi, _ := os.Stat(filepath.Join(dir, "lineitem.tbl"))
	for _, p := range benchProjections {
		b.Run("raw/"+p.name, func(b *testing.B) {
			b.SetBytes(fi.Size())
			cpu := cpuTime()
			for b.Loop() {
				if n, _ := scanAll(b, csvFormat, tbl, p.cols); n != benchRows {
					b.Fatal(n)
				}
			}
			reportCPU(b, cpu)
		})
		for _, raw := range []bool{false, true} {
			name := "cached/" + p.name
			if raw {
				name = "cached-uncompressed/" + p.name
			}
			b.Run(name, func(b *testing.B) {
				c, _ := openCache(b, "", func(o *Options) { o.groupRows = maxGroupRows; o.PieceRows = 0; o.Uncompressed = raw })
				f := c.Wrap(csvFormat)
				scanAll(b, f, tbl, p.cols)
				c.quiesce(b)
				b.SetBytes(fi.Size())
				b.ResetTimer()
				cpu := cpuTime()
				for b.Loop() {
					n, st := scanAll(b, f, tbl, p.cols)
					if n != benchRows || st.CacheHits.Load() == 0 || st.BytesRead.Load() != 0 {
						b.Fatal(n, st.CacheHits.Load())
					}
				}
				b.StopTimer()
				reportCPU(b, cpu)
				b.ReportMetric(float64(c.Status().Bytes)/float64(fi.Size()), "cache/text")
			})
		}
		// first: the query's own time when it misses and fills; the fill
		// finishes on the worker afterwards (fill+wait includes it).
		for _, wait := range []bool{false, true} {
			name := "first/" + p.name
			if wait {
				name = "first+fill/" + p.name
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(fi.Size())
				var cpu time.Duration
				for b.Loop() {
					b.StopTimer()
					c, _ := openCache(b, "", func(o *Options) { o.groupRows = maxGroupRows; o.PieceRows = 0 })
					f := c.Wrap(csvFormat)
					start := cpuTime()
					b.StartTimer()
					scanAll(b, f, tbl, p.cols)
					if wait {
						c.quiesce(b)
					}
					b.StopTimer()
					cpu += cpuTime() - start
					c.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// cpuTime is the process's user and system CPU time: on a shared machine
// it measures work where wall time measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}
