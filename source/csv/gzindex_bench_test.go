package csv

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	kgzip "github.com/klauspost/compress/gzip"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

// benchTextBytes is the decompressed size of the benchmark's gzip stream.
const benchTextBytes = 400 << 20

var (
	benchOnce sync.Once
	benchGz   []byte
	benchText int64
)

// lineitemText writes rows shaped like TPC-H lineitem (the table of
// lineitemTable) until it has about n bytes.
func lineitemText(n int) []byte {
	words := []string{"furiously", "quickly", "carefully", "blithely", "slyly", "final", "ironic", "pending",
		"regular", "express", "deposits", "accounts", "packages", "requests", "instructions", "theodolites"}
	modes := []string{"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"}
	instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	rng := rand.New(rand.NewPCG(42, 42))
	b := make([]byte, 0, n+256)
	date := func(b []byte) []byte {
		y, m, d := 1992+rng.IntN(7), 1+rng.IntN(12), 1+rng.IntN(28)
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
		return b
	}
	for order := int64(1); len(b) < n; order++ {
		for line := range 1 + rng.IntN(7) {
			b = strconv.AppendInt(b, order, 10)
			b = append(b, '|')
			b = strconv.AppendInt(b, int64(rng.IntN(200000)), 10)
			b = append(b, '|')
			b = strconv.AppendInt(b, int64(rng.IntN(10000)), 10)
			b = append(b, '|')
			b = strconv.AppendInt(b, int64(line+1), 10)
			b = append(b, '|')
			b = strconv.AppendInt(b, int64(1+rng.IntN(50)), 10)
			b = append(b, ".00|"...)
			b = strconv.AppendFloat(b, float64(rng.IntN(10000000))/100, 'f', 2, 64)
			b = append(b, "|0.0"...)
			b = append(b, byte('0'+rng.IntN(10)), '|', '0', '.', '0', byte('0'+rng.IntN(9)), '|')
			b = append(b, "ARN"[rng.IntN(3)], '|', "OF"[rng.IntN(2)], '|')
			b = date(b)
			b = append(b, '|')
			b = date(b)
			b = append(b, '|')
			b = date(b)
			b = append(b, '|')
			b = append(b, instr[rng.IntN(len(instr))]...)
			b = append(b, '|')
			b = append(b, modes[rng.IntN(len(modes))]...)
			b = append(b, '|')
			for w := range 2 + rng.IntN(4) {
				if w > 0 {
					b = append(b, ' ')
				}
				b = append(b, words[rng.IntN(len(words))]...)
			}
			b = append(b, "|\n"...)
		}
	}
	return b
}

// benchGzip returns the benchmark's gzip stream (level 6), cached in the
// temporary directory across runs.
func benchGzip(b *testing.B) ([]byte, int64) {
	benchOnce.Do(func() {
		path := filepath.Join(os.TempDir(), "quarry-bench-lineitem-"+strconv.Itoa(benchTextBytes>>20)+"m.tbl.gz")
		if gz, err := os.ReadFile(path); err == nil {
			if size, ok := gzipISize(gz); ok {
				benchGz, benchText = gz, size
				return
			}
		}
		text := lineitemText(benchTextBytes)
		var buf bytes.Buffer
		w, _ := kgzip.NewWriterLevel(&buf, 6)
		w.Write(text)
		w.Close()
		benchGz, benchText = buf.Bytes(), int64(len(text))
		os.WriteFile(path, benchGz, 0o644)
	})
	return benchGz, benchText
}

// gzipISize reads the decompressed size (mod 4 GiB) from a single-member
// gzip file's trailer.
func gzipISize(gz []byte) (int64, bool) {
	if len(gz) < 18 {
		return 0, false
	}
	t := gz[len(gz)-4:]
	return int64(uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24), true
}

func drain(b *testing.B, f Format, st *testStore, tbl *catalog.Table, info objstore.ObjectInfo, sp source.Split, cols []int) {
	br, err := f.Open(b.Context(), &source.Request{Store: st, File: info, Split: sp, Table: tbl,
		Columns: cols, Alloc: memory.DefaultAllocator})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	for {
		rec, err := br.Next()
		if err != nil {
			b.Fatal(err)
		}
		if rec == nil {
			return
		}
		rec.Release()
	}
}

// BenchmarkGzipIndex reads one ~400 MB gzip text stream (lineitem-shaped)
// sequentially as without an index, on the first read while recording the
// index, and as Decoded splits inflated and parsed on GOMAXPROCS
// goroutines; parsing every column ("all") or two ("sum": l_quantity and
// l_extendedprice, as SUM queries read them).
func BenchmarkGzipIndex(b *testing.B) {
	gz, size := benchGzip(b)
	st := newTestStore()
	info := objstore.ObjectInfo{Location: "/mem/lineitem.tbl.gz", Size: int64(len(gz)), Version: "v1"}
	st.blobs[info.Location] = gz
	tbl := lineitemTable()
	memo := newMemMemo()
	f := Format{Memo: memo}
	drain(b, f, st, tbl, info, source.Split{Length: -1}, []int{0})
	splits := f.Split(tbl, info, 64<<20)
	b.Logf("%d MB of text, %d MB gzip, GOMAXPROCS %d, %d splits", size>>20, len(gz)>>20, runtime.GOMAXPROCS(0), len(splits))
	for _, cols := range []struct {
		name string
		idx  []int
	}{{"all", allColumns(tbl)}, {"sum", []int{4, 5}}} {
		b.Run(cols.name+"/sequential", func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				drain(b, Format{}, st, tbl, info, source.Split{Length: -1}, cols.idx)
			}
		})
		b.Run(cols.name+"/first-read-indexing", func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				memo := newMemMemo()
				drain(b, Format{Memo: memo}, st, tbl, info, source.Split{Length: -1}, cols.idx)
				if memo.len() != 1 {
					b.Fatal("no index stored")
				}
			}
		})
		b.Run(cols.name+"/parallel", func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				work := make(chan source.Split, len(splits))
				for _, sp := range splits {
					work <- sp
				}
				close(work)
				var wg sync.WaitGroup
				for range runtime.GOMAXPROCS(0) {
					wg.Go(func() {
						for sp := range work {
							drain(b, f, st, tbl, info, sp, cols.idx)
						}
					})
				}
				wg.Wait()
			}
		})
	}
}
