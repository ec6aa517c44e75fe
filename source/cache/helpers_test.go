package cache

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/objstore/local"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/csv"
	"github.com/quarry-sql/quarry/source/json"
	"github.com/quarry-sql/quarry/types"
)

// testLog collects the cache's log lines; it outlives the test safely.
type testLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *testLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *testLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// openCache opens a cache in dir (a new temporary folder when "") with
// test-sized row groups and pieces, closed when the test ends.
func openCache(t testing.TB, dir string, mod func(*Options)) (*Cache, *testLog) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	log := &testLog{}
	opts := Options{Dir: dir, MinFreeBytes: -1, Logf: log.logf, groupRows: 1000, PieceRows: 3000, QueueSize: 16}
	if mod != nil {
		mod(&opts)
	}
	c, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, log
}

// quiesce waits until no fill is queued or running.
func (c *Cache) quiesce(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.mu.Lock()
		n := len(c.inflight)
		c.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("fills still in flight after 20s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// result is what a scan returned.
type result struct {
	rows    []string
	stats   *source.Stats
	notices []string
}

type scanOpts struct {
	target int64
	limit  int // stop after this many batches per split and close early (0: all)
	alloc  memory.Allocator
	store  objstore.Store
}

// scan reads every split of every file of tbl with f, in order, as the
// engine would: SplitFor with the sorted needed columns, then Open with
// cols in query order.
func scan(t testing.TB, f source.Format, tbl *catalog.Table, cols []int, o scanOpts) result {
	t.Helper()
	ctx := context.Background()
	if o.store == nil {
		o.store = local.New()
	}
	alloc := o.alloc
	if alloc == nil {
		ca := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer ca.AssertSize(t, 0)
		alloc = ca
	}
	if o.target == 0 {
		o.target = 1 << 40
	}
	files, err := o.store.List(ctx, tbl.Location)
	if err != nil {
		t.Fatal(err)
	}
	res := result{stats: new(source.Stats)}
	sorted := normalize(cols)
	for _, file := range files {
		for _, sp := range source.SplitFor(f, tbl, file, sorted, o.target) {
			r, err := f.Open(ctx, &source.Request{Store: o.store, File: file, Split: sp, Table: tbl, Columns: cols,
				Alloc: alloc, BatchRows: 700, Stats: res.stats, Notice: func(m string) { res.notices = append(res.notices, m) }})
			if err != nil {
				t.Fatalf("open %s %+v: %v", file.Location, sp, err)
			}
			for b := 0; o.limit == 0 || b < o.limit; b++ {
				rec, err := r.Next()
				if err != nil {
					r.Close()
					t.Fatalf("read %s: %v", file.Location, err)
				}
				if rec == nil {
					break
				}
				res.rows = append(res.rows, rowStrings(rec)...)
				rec.Release()
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return res
}

func rowStrings(rec arrow.Record) []string {
	out := make([]string, rec.NumRows())
	for i := range out {
		var b strings.Builder
		for c := 0; c < int(rec.NumCols()); c++ {
			a := rec.Column(c)
			if c > 0 {
				b.WriteByte('|')
			}
			if a.IsNull(i) {
				b.WriteString("NULL")
			} else {
				b.WriteString(a.ValueStr(i))
			}
		}
		if rec.NumCols() == 0 {
			b.WriteString("()")
		}
		out[i] = b.String()
	}
	return out
}

func sameRows(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: row %d:\n got %s\nwant %s", what, i, got[i], want[i])
		}
	}
}

func csvTable(loc string) *catalog.Table {
	return &catalog.Table{Schema: "s", Name: "t", Format: catalog.FormatText, SerDe: catalog.LazySimpleSerDe,
		SerDeProps: map[string]string{catalog.PropFieldDelim: ","}, Location: loc,
		Columns: []types.Column{
			{Name: "id", Type: types.BigIntType},
			{Name: "name", Type: types.VarcharType},
			{Name: "price", Type: types.DecimalOf(12, 2)},
			{Name: "big", Type: types.DecimalOf(30, 5)},
			{Name: "d", Type: types.DateType},
			{Name: "ts", Type: types.Type{Kind: types.Timestamp, Precision: 6}},
			{Name: "flag", Type: types.BooleanType},
			{Name: "score", Type: types.DoubleType},
			{Name: "small", Type: types.SmallIntType},
			{Name: "code", Type: types.Type{Kind: types.Char, Length: 4}},
			{Name: "r", Type: types.RealType},
			{Name: "n", Type: types.IntegerType},
		}}
}

var allCSV = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}

// csvLines writes n rows of varied values, NULLs and bad values (which
// LazySimpleSerDe reads as NULL) starting at id first.
func csvLines(first, n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	words := []string{"alpha", "beta", "gämma", "δέλτα", "", "epsilon zeta", `\N`}
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "%d,%s,", i, words[rng.IntN(len(words))])
		if i%11 != 0 {
			fmt.Fprintf(&b, "%d.%02d", rng.IntN(100000)-50000, rng.IntN(100))
		}
		fmt.Fprintf(&b, ",%d%018d.%05d,", rng.IntN(1000), rng.Uint64()%1e18, rng.IntN(100000))
		if i%13 == 0 {
			b.WriteString("not-a-date")
		} else {
			fmt.Fprintf(&b, "20%02d-%02d-%02d", rng.IntN(40), rng.IntN(12)+1, rng.IntN(28)+1)
		}
		fmt.Fprintf(&b, ",20%02d-%02d-%02d %02d:%02d:%02d.%06d,", rng.IntN(40), rng.IntN(12)+1, rng.IntN(28)+1,
			rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1000000))
		fmt.Fprintf(&b, "%t,%g,%d,%s,%g,", rng.IntN(2) == 0, rng.NormFloat64()*1e3, rng.IntN(60000)-30000,
			[]string{"ab", "abcdef", "x", `\N`}[rng.IntN(4)], float32(rng.Float64()))
		if i%17 != 0 {
			fmt.Fprintf(&b, "%d", rng.Int32())
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func jsonTable(loc string) *catalog.Table {
	return &catalog.Table{Schema: "s", Name: "j", Format: catalog.FormatJSON, SerDe: catalog.HiveJSONSerDe, Location: loc,
		Columns: []types.Column{
			{Name: "id", Type: types.BigIntType},
			{Name: "tags", Type: types.ArrayOf(types.VarcharType)},
			{Name: "info", Type: types.RowOf(types.Field{Name: "a", Type: types.IntegerType},
				types.Field{Name: "b", Type: types.ArrayOf(types.DecimalOf(10, 3))})},
			{Name: "m", Type: types.MapOf(types.VarcharType, types.BigIntType)},
			{Name: "ts", Type: types.TimestampType},
			{Name: "d", Type: types.DecimalOf(25, 4)},
		}}
}

var allJSON = []int{0, 1, 2, 3, 4, 5}

func jsonLines(first, n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 9))
	var b strings.Builder
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, `{"id":%d`, i)
		switch i % 4 {
		case 0:
			b.WriteString(`,"tags":null`)
		case 1:
			b.WriteString(`,"tags":[]`)
		default:
			fmt.Fprintf(&b, `,"tags":["t%d",null,"u%d"]`, rng.IntN(100), rng.IntN(10))
		}
		if i%5 != 0 {
			fmt.Fprintf(&b, `,"info":{"a":%d,"b":[%d.%03d,null]}`, rng.IntN(1000), rng.IntN(1000), rng.IntN(1000))
		}
		if i%3 != 0 {
			fmt.Fprintf(&b, `,"m":{"k%d":%d,"z":null}`, rng.IntN(5), rng.Int64())
		}
		fmt.Fprintf(&b, `,"ts":"2024-%02d-%02d 10:11:12.%03d"`, rng.IntN(12)+1, rng.IntN(28)+1, rng.IntN(1000))
		if i%7 != 0 {
			fmt.Fprintf(&b, `,"d":"%d.%04d"`, rng.Int64N(1e15), rng.IntN(10000))
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dataDir writes files (name → contents) into a new folder.
func dataDir(t testing.TB, files map[string]string) string {
	dir := t.TempDir()
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	return dir
}

// segmentFiles lists the Parquet files in the cache.
func segmentFiles(t testing.TB, c *Cache) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(c.seg, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".parquet") {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out
}

var (
	csvFormat  source.Format = csv.Format{}
	jsonFormat source.Format = json.Format{}
)

func statFile(t testing.TB, dir, name string) objstore.ObjectInfo {
	t.Helper()
	info, err := local.New().Stat(context.Background(), filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// openRaw starts a read of one file of dir through f, reads its first
// batch and leaves the reader open (a raw read in progress).
func openRaw(t testing.TB, f source.Format, dir, name string) source.BatchReader {
	t.Helper()
	tbl, file := csvTable(dir), statFile(t, dir, name)
	r, err := f.Open(context.Background(), &source.Request{Store: local.New(), File: file,
		Split: source.SplitFor(f, tbl, file, allCSV, 1<<40)[0], Table: tbl, Columns: allCSV,
		Alloc: memory.DefaultAllocator, BatchRows: 700})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil || rec == nil {
		t.Fatal(rec, err)
	}
	rec.Release()
	return r
}
