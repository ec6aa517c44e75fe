package cache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/internal/stable"
	"github.com/quarry-sql/quarry/objstore/local"
	"github.com/quarry-sql/quarry/source"
)

// TestDiskFull: a full disk at any step of a fill (or a budget too small
// for the segment) never fails the query and leaves no files behind.
func TestDiskFull(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 4000, 61)})
	tbl := csvTable(dir)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	cases := map[string]func(*Options){
		"create":    nil,
		"write":     nil,
		"sync":      nil,
		"rename":    nil,
		"tiny":      func(o *Options) { o.MaxBytes = 10 << 10 },
		"low-free":  func(o *Options) { o.MinFreeBytes = 1 << 62 },
		"all-write": nil,
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			c, log := openCache(t, "", mod)
			switch name {
			case "tiny", "low-free":
			case "all-write":
				c.hook = func(op, path string) error { return syscall.ENOSPC }
			default:
				c.hook = func(op, path string) error {
					if op == name {
						return fmt.Errorf("%s %s: %w", op, path, syscall.ENOSPC)
					}
					return nil
				}
			}
			f := c.Wrap(csvFormat)
			for range 2 {
				got := scan(t, f, tbl, allCSV, scanOpts{target: 100 << 10})
				sameRows(t, name, got.rows, raw.rows)
				c.quiesce(t)
			}
			c.memo.Put("k", []byte("v"))
			st := c.Status()
			if st.Segments != 0 || st.Fills != 0 || st.MemoryChunks != 0 || c.pendingBytes.Load() != 0 || c.keptBytes.Load() != 0 {
				t.Fatalf("stored despite a full disk: %+v", st)
			}
			if n := len(segmentFiles(t, c)); n != 0 {
				t.Fatalf("%d segment files", n)
			}
			tmp, _ := os.ReadDir(c.tmp)
			if len(tmp) != 0 {
				t.Fatalf("temporary files left: %v\n%s", tmp, log)
			}
		})
	}
}

// TestTwoCaches: two caches (two processes) on one folder, with a budget
// that forces evictions while both fill and read, give exact answers.
func TestTwoCaches(t *testing.T) {
	files := map[string]string{}
	for i := range 6 {
		files[fmt.Sprintf("f%d/a.csv", i)] = csvLines(i*10000, 2500+i*300, uint64(70+i))
	}
	dir := dataDir(t, files)
	shared := t.TempDir()
	mod := func(o *Options) { o.MaxBytes = 900 << 10; o.RescanInterval = time.Millisecond; o.Workers = 2 }
	a, logA := openCache(t, shared, mod)
	b, logB := openCache(t, shared, mod)
	want := map[string][]string{}
	for i := range 6 {
		loc := filepath.Join(dir, fmt.Sprintf("f%d", i))
		want[loc] = scan(t, csvFormat, csvTable(loc), allCSV, scanOpts{target: 64 << 10}).rows
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var hits int64
	for w := range 4 {
		c := []*Cache{a, b}[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := c.Wrap(csvFormat)
			for k := range 12 {
				loc := filepath.Join(dir, fmt.Sprintf("f%d", (k*(w+1))%6))
				cols := allCSV
				if k%3 == 1 {
					cols = []int{4, 0, 11}
				}
				got := scan(t, f, csvTable(loc), cols, scanOpts{target: 64 << 10})
				exp := want[loc]
				if len(cols) != len(allCSV) {
					exp = scan(t, csvFormat, csvTable(loc), cols, scanOpts{target: 64 << 10}).rows
				}
				sameRows(t, loc, got.rows, exp)
				mu.Lock()
				hits += got.stats.CacheHits.Load()
				mu.Unlock()
				if k%4 == 3 {
					c.quiesce(t)
				}
			}
		}()
	}
	wg.Wait()
	a.quiesce(t)
	b.quiesce(t)
	sa, sb := a.Status(), b.Status()
	t.Logf("a: %+v\nb: %+v\nhits %d", sa, sb, hits)
	if hits == 0 || sa.Evictions+sb.Evictions == 0 {
		t.Fatalf("the test did not exercise hits and evictions")
	}
	if sa.Corrupt+sb.Corrupt != 0 {
		t.Fatalf("corruption reported:\n%s\n%s", logA, logB)
	}
	// Both converge on the folder's contents, within the budget.
	a.Close()
	b.Close()
	c, _ := openCache(t, shared, mod)
	if st := c.Status(); st.Bytes > 900<<10 {
		t.Fatalf("cache over budget: %+v", st)
	}
}

// TestSLRU: a segment hit twice survives a large scan that would flush
// an LRU cache.
func TestSLRU(t *testing.T) {
	files := map[string]string{"hot/a.csv": csvLines(0, 3000, 81)}
	for i := range 6 {
		files[fmt.Sprintf("cold%d/a.csv", i)] = csvLines(0, 3000, uint64(82+i))
	}
	dir := dataDir(t, files)
	probe, _ := openCache(t, "", nil)
	scan(t, probe.Wrap(csvFormat), csvTable(filepath.Join(dir, "hot")), allCSV, scanOpts{})
	probe.quiesce(t)
	one := probe.Status().Bytes
	c, _ := openCache(t, "", func(o *Options) { o.MaxBytes = one*3 + one/2 })
	f := c.Wrap(csvFormat)
	hot := csvTable(filepath.Join(dir, "hot"))
	scan(t, f, hot, allCSV, scanOpts{})
	c.quiesce(t)
	for range 2 {
		if got := scan(t, f, hot, allCSV, scanOpts{}); got.stats.CacheHits.Load() == 0 {
			t.Fatal("hot table missed")
		}
	}
	for i := range 6 {
		scan(t, f, csvTable(filepath.Join(dir, fmt.Sprintf("cold%d", i))), allCSV, scanOpts{})
		c.quiesce(t)
	}
	if got := scan(t, f, hot, allCSV, scanOpts{}); got.stats.CacheHits.Load() == 0 {
		t.Fatalf("the large scan flushed the hot segment: %+v", c.Status())
	}
	if st := c.Status(); st.Evictions < 3 || st.Bytes > c.opts.MaxBytes {
		t.Fatalf("evictions %d, bytes %d of %d", st.Evictions, st.Bytes, c.opts.MaxBytes)
	}
}

func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// TestEarlyClose: a reader closed before its end stores nothing and
// leaks no goroutine, file or query memory; pieces never opened (LIMIT)
// release their pinned files when collected.
func TestEarlyClose(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 10500, 91)})
	tbl := csvTable(dir)
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	runtime.GC()
	goroutines, fds := runtime.NumGoroutine(), openFDs()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	scan(t, f, tbl, allCSV, scanOpts{limit: 2, alloc: alloc})
	c.quiesce(t)
	alloc.AssertSize(t, 0)
	if st := c.Status(); st.Fills != 0 || st.FillsDiscarded != 1 || st.Segments != 0 {
		t.Fatalf("early close stored a fill: %+v", st)
	}
	if n := len(segmentFiles(t, c)); n != 0 {
		t.Fatalf("%d segment files", n)
	}
	if tmp, _ := os.ReadDir(c.tmp); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
	// Fill, then plan a cached scan and open only one piece, partly.
	scan(t, f, tbl, allCSV, scanOpts{})
	c.quiesce(t)
	func() {
		splits := f.(source.ColumnSplitter).SplitColumns(tbl, statFile(t, dir, "a.csv"), allCSV, 1<<40)
		if c.pinned.Load() == 0 || len(splits) < 3 {
			t.Fatalf("%d pieces, %d files pinned", len(splits), c.pinned.Load())
		}
		r, err := f.Open(context.Background(), &source.Request{Store: local.New(), File: statFile(t, dir, "a.csv"),
			Split: splits[1], Table: tbl, Columns: allCSV, Alloc: alloc, BatchRows: 100})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.Next()
		if err != nil || rec == nil {
			t.Fatal(rec, err)
		}
		rec.Release()
		r.Close()
	}()
	alloc.AssertSize(t, 0)
	deadline := time.Now().Add(10 * time.Second)
	for c.pinned.Load() != 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := c.pinned.Load(); n != 0 {
		t.Fatalf("%d files still pinned by collected pieces", n)
	}
	for time.Now().Before(deadline) && (runtime.NumGoroutine() > goroutines || openFDs() > fds) {
		time.Sleep(10 * time.Millisecond)
	}
	if g, n := runtime.NumGoroutine(), openFDs(); g > goroutines || n > fds {
		t.Fatalf("goroutines %d → %d, open files %d → %d", goroutines, g, fds, n)
	}
}

// TestCloseWaitsForFills: Close returns after the fills in flight are
// published; a cache opened afterwards serves them.
func TestCloseWaitsForFills(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 5000, 95), "b.csv": csvLines(0, 5000, 96)})
	tbl := csvTable(dir)
	c, _ := openCache(t, "", nil)
	c.hook = func(op, path string) error {
		if op == "rename" {
			time.Sleep(100 * time.Millisecond)
		}
		return nil
	}
	scan(t, c.Wrap(csvFormat), tbl, allCSV, scanOpts{})
	start := time.Now()
	c.Close()
	if time.Since(start) < 50*time.Millisecond {
		t.Fatalf("Close did not wait for the fills")
	}
	c.Close() // safe twice
	c2, _ := openCache(t, c.dir, nil)
	got := scan(t, c2.Wrap(csvFormat), tbl, allCSV, scanOpts{})
	if got.stats.CacheHits.Load() < 2 || got.stats.BytesRead.Load() != 0 {
		t.Fatalf("after Close: %d hits, %d bytes read", got.stats.CacheHits.Load(), got.stats.BytesRead.Load())
	}
	// A closed cache reads raw.
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	got = scan(t, c.Wrap(csvFormat), tbl, allCSV, scanOpts{})
	sameRows(t, "closed cache", got.rows, raw.rows)
}

// TestCloseTimeout: fills whose query never finishes are abandoned.
func TestCloseTimeout(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 5000, 97)})
	tbl := csvTable(dir)
	c, _ := openCache(t, "", func(o *Options) { o.CloseTimeout = 50 * time.Millisecond })
	f := c.Wrap(csvFormat)
	file := statFile(t, dir, "a.csv")
	r, err := f.Open(context.Background(), &source.Request{Store: local.New(), File: file, Split: source.Split{Length: -1},
		Table: tbl, Columns: allCSV, BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := r.Next()
	rec.Release()
	done := make(chan struct{})
	go func() { c.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs on a fill whose reader is open")
	}
	r.Close()
	if st := c.Status(); st.Segments != 0 {
		t.Fatalf("abandoned fill stored: %+v", st)
	}
}

func TestMemo(t *testing.T) {
	c, _ := openCache(t, "", nil)
	m := c.Memo()
	if _, ok := m.Get("x"); ok {
		t.Fatal("empty memo hit")
	}
	big := []byte(strings.Repeat("checkpoint", 300_000))
	m.Put("gz:/data/a.csv.gz@v1", big)
	m.Put("gz:/data/b.csv.gz@v1", []byte("b"))
	m.Put("gz:/other/c.gz@v1", []byte{})
	if v, ok := m.Get("gz:/data/a.csv.gz@v1"); !ok || string(v) != string(big) {
		t.Fatal("memo lost a value")
	}
	if v, ok := m.Get("gz:/other/c.gz@v1"); !ok || len(v) != 0 {
		t.Fatal("memo lost an empty value")
	}
	m.Put("gz:/data/b.csv.gz@v1", []byte("b2"))
	c.Close()
	c2, _ := openCache(t, c.dir, nil)
	st := c2.Status()
	if st.MemoEntries != 3 || st.MemoBytes < int64(len(big)) {
		t.Fatalf("memo after reopen: %+v", st)
	}
	if v, ok := c2.Memo().Get("gz:/data/b.csv.gz@v1"); !ok || string(v) != "b2" {
		t.Fatalf("memo after reopen: %q %v", v, ok)
	}
	// A damaged value is a miss and is deleted.
	path := filepath.Join(c2.memoPath, memoName("gz:/data/b.csv.gz@v1"))
	flipBit(t, path, 0.5)
	if _, ok := c2.Memo().Get("gz:/data/b.csv.gz@v1"); ok {
		t.Fatal("damaged memo value returned")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("damaged memo file kept")
	}
	if _, err := c2.Invalidate("/data/"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c2.Memo().Get("gz:/data/a.csv.gz@v1"); ok {
		t.Fatal("invalidated memo value returned")
	}
	if _, ok := c2.Memo().Get("gz:/other/c.gz@v1"); !ok {
		t.Fatal("invalidation removed another object's memo")
	}
	// A memo larger than the budget is evicted.
	c3, _ := openCache(t, "", func(o *Options) { o.MaxBytes = 1 << 20 })
	c3.Memo().Put("a", big)
	if _, ok := c3.Memo().Get("a"); ok || c3.Status().Bytes > 1<<20 {
		t.Fatal("memo exceeded the budget")
	}
}

func TestInvalidateAndClear(t *testing.T) {
	dir := dataDir(t, map[string]string{"x/a.csv": csvLines(0, 2000, 101), "y/a.csv": csvLines(0, 2000, 102)})
	x, y := csvTable(filepath.Join(dir, "x")), csvTable(filepath.Join(dir, "y"))
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	scan(t, f, x, allCSV, scanOpts{})
	scan(t, f, y, allCSV, scanOpts{})
	c.quiesce(t)
	n, err := c.Invalidate(filepath.Join(dir, "x") + "/")
	if err != nil || n != 1 {
		t.Fatalf("Invalidate: %d, %v", n, err)
	}
	if got := scan(t, f, x, allCSV, scanOpts{}); got.stats.CacheHits.Load() != 0 {
		t.Fatal("invalidated table hit")
	}
	if got := scan(t, f, y, allCSV, scanOpts{}); got.stats.CacheHits.Load() == 0 {
		t.Fatal("other table invalidated")
	}
	c.quiesce(t)
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(); st.Segments != 0 || st.Bytes != 0 || len(segmentFiles(t, c)) != 0 {
		t.Fatalf("after Clear: %+v", st)
	}
}

// TestCountStar: a scan needing no column is served from the facts of
// any segment, and so is the first column the engine asks for then.
func TestCountStar(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 7000, 111), "b.csv": csvLines(0, 10, 112)})
	tbl := csvTable(dir)
	c, log := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	for _, cols := range [][]int{{}, {0}} {
		raw := scan(t, csvFormat, tbl, cols, scanOpts{target: 128 << 10})
		got := scan(t, f, tbl, cols, scanOpts{target: 128 << 10})
		sameRows(t, "miss", got.rows, raw.rows)
		c.quiesce(t)
		got = scan(t, f, tbl, cols, scanOpts{target: 128 << 10})
		sameRows(t, "hit", got.rows, raw.rows)
		if got.stats.CacheHits.Load() == 0 || got.stats.BytesRead.Load() != 0 {
			t.Fatalf("%v: %d hits, %d bytes read\n%s", cols, got.stats.CacheHits.Load(), got.stats.BytesRead.Load(), log)
		}
	}
	// Planned with no columns, opened with column 0 (exec's count(*)).
	ctx := context.Background()
	var rows int64
	for _, name := range []string{"a.csv", "b.csv"} {
		file := statFile(t, dir, name)
		for _, sp := range f.(source.ColumnSplitter).SplitColumns(tbl, file, nil, 128<<10) {
			st := new(source.Stats)
			r, err := f.Open(ctx, &source.Request{Store: local.New(), File: file, Split: sp, Table: tbl, Columns: []int{0}, Stats: st})
			if err != nil {
				t.Fatal(err)
			}
			for {
				rec, err := r.Next()
				if err != nil {
					t.Fatal(err)
				}
				if rec == nil {
					break
				}
				rows += rec.NumRows()
				rec.Release()
			}
			r.Close()
			if st.BytesRead.Load() != 0 {
				t.Fatal("count(*) read raw")
			}
		}
	}
	if rows != 7010 {
		t.Fatalf("%d rows, want 7010", rows)
	}
}

// TestNotices: the notices the raw reader gave are given again on a hit.
func TestNotices(t *testing.T) {
	header := "id,name,price,big,d,ts,flag,score,small,code,r,n\n"
	dir := dataDir(t, map[string]string{"a.csv": header + csvLines(0, 4000, 121)})
	tbl := csvTable(dir)
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	if len(raw.notices) != 1 {
		t.Fatalf("raw notices %v", raw.notices)
	}
	scan(t, f, tbl, allCSV, scanOpts{})
	c.quiesce(t)
	got := scan(t, f, tbl, allCSV, scanOpts{})
	sameRows(t, "hit", got.rows, raw.rows)
	if got.stats.CacheHits.Load() == 0 || strings.Join(got.notices, "\n") != strings.Join(raw.notices, "\n") {
		t.Fatalf("hit notices %v, want %v", got.notices, raw.notices)
	}
}

// TestPinSurvivesClear: a scan planned before its segments are deleted
// (evicted here or by another process) still reads them.
func TestPinSurvivesClear(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 9000, 131)})
	tbl := csvTable(dir)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	scan(t, f, tbl, allCSV, scanOpts{})
	c.quiesce(t)
	file := statFile(t, dir, "a.csv")
	splits := f.(source.ColumnSplitter).SplitColumns(tbl, file, allCSV, 1<<40)
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	st := new(source.Stats)
	var rows []string
	for _, sp := range splits {
		r, err := f.Open(context.Background(), &source.Request{Store: local.New(), File: file, Split: sp, Table: tbl,
			Columns: allCSV, Alloc: alloc, Stats: st})
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				break
			}
			rows = append(rows, rowStrings(rec)...)
			rec.Release()
		}
		r.Close()
	}
	sameRows(t, "after Clear", rows, raw.rows)
	if st.BytesRead.Load() != 0 || st.CacheHits.Load() != int64(len(splits)) {
		t.Fatalf("%d bytes read, %d hits of %d pieces", st.BytesRead.Load(), st.CacheHits.Load(), len(splits))
	}
	if c.pinned.Load() != 0 {
		t.Fatal("files still pinned")
	}
}

// TestSingleFlightAndQueue: two readers missing the same segment fill it
// once; misses beyond the queue read raw without filling.
func TestSingleFlightAndQueue(t *testing.T) {
	files := map[string]string{}
	for i := range 4 {
		files[fmt.Sprintf("f%d.csv", i)] = csvLines(i*1000, 1000, uint64(140+i))
	}
	dir := dataDir(t, files)
	tbl := csvTable(dir)
	c, _ := openCache(t, "", func(o *Options) { o.QueueSize = 2; o.Workers = 1 })
	f := c.Wrap(csvFormat)
	ctx := context.Background()
	open := func(name string) source.BatchReader {
		r, err := f.Open(ctx, &source.Request{Store: local.New(), File: statFile(t, dir, name), Split: source.Split{Length: -1},
			Table: tbl, Columns: allCSV})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	drain := func(r source.BatchReader) int {
		n := 0
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				r.Close()
				return n
			}
			n += int(rec.NumRows())
			rec.Release()
		}
	}
	// f0 twice at once: one fill. f1's is the second fill in flight (the
	// queue's size); f2 finds the queue full.
	a, b := open("f0.csv"), open("f0.csv")
	r1 := open("f1.csv")
	r2 := open("f2.csv")
	for _, r := range []source.BatchReader{a, b, r1, r2} {
		if n := drain(r); n != 1000 {
			t.Fatalf("%d rows", n)
		}
	}
	c.quiesce(t)
	st := c.Status()
	if st.Fills != 2 || st.FillsDropped != 1 || st.Segments != 2 {
		t.Fatalf("fills %d, dropped %d, segments %d; want 2, 1, 2", st.Fills, st.FillsDropped, st.Segments)
	}
}

// TestMemoryTier: a fill hands the batches it encoded to the memory tier,
// so the next read is served from memory, with the same rows, even when
// the file on disk has since been damaged; a segment read from disk (by
// another process, whose memory is empty) is kept decoded in memory too;
// what memory holds is in the stable set (exec.ResultMemo); Invalidate
// drops it all; the tier keeps within its bound.
func TestMemoryTier(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 10500, 61)})
	tbl := csvTable(dir)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	cacheDir := t.TempDir()
	c, log := openCache(t, cacheDir, nil)
	f := c.Wrap(csvFormat)
	base := stable.Len()
	scan(t, f, tbl, allCSV, scanOpts{}) // miss: fills the disk cache, and memory
	c.quiesce(t)
	st := c.Status()
	if st.MemoryChunks == 0 || st.MemoryUsed <= 0 {
		t.Fatalf("the fill put nothing in memory: %+v\n%s", st, log)
	}
	// One array per batch of each chunk.
	if n := stable.Len() - base; n < st.MemoryChunks {
		t.Fatalf("%d arrays in the stable set for %d chunks in memory", n, st.MemoryChunks)
	}
	for _, p := range segmentFiles(t, c) {
		flipBit(t, p, 0.6)
	}
	mem := scan(t, f, tbl, allCSV, scanOpts{})
	sameRows(t, "from memory", mem.rows, raw.rows)
	if mem.stats.CacheHits.Load() == 0 || mem.stats.BytesRead.Load() != 0 || c.Status().Corrupt != 0 {
		t.Fatalf("not served from memory: %d hits, %d bytes read, %d corrupt\n%s", mem.stats.CacheHits.Load(),
			mem.stats.BytesRead.Load(), c.Status().Corrupt, log)
	}
	if _, err := c.Invalidate(""); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(); st.MemoryChunks != 0 || st.MemoryUsed != 0 || stable.Len() != base {
		t.Fatalf("Invalidate left %d chunks (%d bytes) in memory, %d arrays in the stable set", st.MemoryChunks,
			st.MemoryUsed, stable.Len()-base)
	}

	// Filled anew; another process sharing the folder reads the segments
	// from disk and keeps them in its memory.
	scan(t, f, tbl, allCSV, scanOpts{})
	c.quiesce(t)
	other, _ := openCache(t, cacheDir, nil)
	fo := other.Wrap(csvFormat)
	disk := scan(t, fo, tbl, allCSV, scanOpts{})
	sameRows(t, "from disk", disk.rows, raw.rows)
	if disk.stats.CacheHits.Load() == 0 || disk.stats.BytesRead.Load() != 0 {
		t.Fatalf("the other process did not read the segments: %d hits, %d bytes read", disk.stats.CacheHits.Load(), disk.stats.BytesRead.Load())
	}
	if st := other.Status(); st.MemoryChunks == 0 {
		t.Fatalf("segments read from disk not kept in memory: %+v", st)
	}
	again := scan(t, fo, tbl, allCSV, scanOpts{})
	sameRows(t, "from the other process's memory", again.rows, raw.rows)

	// A small tier keeps within its bound and still answers exactly.
	const small = 256 << 10
	c2, _ := openCache(t, "", func(o *Options) { o.MemoryBytes = small })
	f2 := c2.Wrap(csvFormat)
	scan(t, f2, tbl, allCSV, scanOpts{})
	c2.quiesce(t)
	for i := range 3 {
		got := scan(t, f2, tbl, allCSV, scanOpts{})
		sameRows(t, fmt.Sprintf("small tier, read %d", i), got.rows, raw.rows)
		if st := c2.Status(); st.MemoryUsed > small || st.MemoryChunks == 0 {
			t.Fatalf("small tier holds %d chunks, %d bytes (bound %d)", st.MemoryChunks, st.MemoryUsed, small)
		}
	}
	// Off: nothing kept.
	c3, _ := openCache(t, "", func(o *Options) { o.MemoryBytes = -1 })
	f3 := c3.Wrap(csvFormat)
	scan(t, f3, tbl, allCSV, scanOpts{})
	c3.quiesce(t)
	scan(t, f3, tbl, allCSV, scanOpts{})
	if st := c3.Status(); st.MemoryChunks != 0 {
		t.Fatalf("a disabled tier holds %d chunks", st.MemoryChunks)
	}
}

// memChunks counts the chunks the memory tier holds of objects under
// prefix, and how many of them are protected.
func memChunks(c *Cache, prefix string) (n, protected int) {
	c.hot.mu.Lock()
	defer c.hot.mu.Unlock()
	for _, el := range c.hot.items {
		if e := el.Value.(*hotEntry); strings.HasPrefix(e.location, prefix) {
			n++
			if e.protected {
				protected++
			}
		}
	}
	return n, protected
}

// TestMemoryTierSLRU: chunks read again are protected, so a large table
// read once through a tier too small for it does not flush them; and an
// object overwritten after its chunks were in memory is a miss with the
// new rows.
func TestMemoryTierSLRU(t *testing.T) {
	dirA := dataDir(t, map[string]string{"a.csv": csvLines(0, 3000, 71)})
	dirB := dataDir(t, map[string]string{"b.csv": csvLines(0, 14000, 72)})
	tblA, tblB := csvTable(dirA), csvTable(dirB)
	readTwice := func(c *Cache, tbl *catalog.Table) {
		f := c.Wrap(csvFormat)
		scan(t, f, tbl, allCSV, scanOpts{})
		c.quiesce(t)
		scan(t, f, tbl, allCSV, scanOpts{})
	}
	// How much A takes in memory.
	probe, _ := openCache(t, "", nil)
	readTwice(probe, tblA)
	sizeA := probe.Status().MemoryUsed
	if sizeA == 0 {
		t.Fatal("A not kept in memory")
	}

	c, log := openCache(t, "", func(o *Options) { o.MemoryBytes = 3 * sizeA })
	f := c.Wrap(csvFormat)
	readTwice(c, tblA)                   // on probation
	scan(t, f, tblA, allCSV, scanOpts{}) // read again: protected
	chunksA, prot := memChunks(c, dirA)
	if chunksA == 0 || prot != chunksA {
		t.Fatalf("A: %d chunks in memory, %d protected\n%s", chunksA, prot, log)
	}
	readTwice(c, tblB) // B, about 4.7 times A, read once from the segments
	if n, _ := memChunks(c, dirB); n == 0 {
		t.Fatal("B never entered the memory tier")
	}
	if n, _ := memChunks(c, dirA); n != chunksA {
		t.Fatalf("a scan of B read once flushed A: %d of %d chunks left", n, chunksA)
	}
	if st := c.Status(); st.MemoryUsed > 3*sizeA {
		t.Fatalf("tier holds %d bytes, bound %d", st.MemoryUsed, 3*sizeA)
	}

	raw := scan(t, csvFormat, tblA, allCSV, scanOpts{})
	sameRows(t, "A from memory", scan(t, f, tblA, allCSV, scanOpts{}).rows, raw.rows)
	path := filepath.Join(dirA, "a.csv")
	writeFile(t, path, csvLines(0, 3000, 73))
	mt := time.Now().Add(time.Hour)
	os.Chtimes(path, mt, mt)
	raw = scan(t, csvFormat, tblA, allCSV, scanOpts{})
	got := scan(t, f, tblA, allCSV, scanOpts{})
	sameRows(t, "A overwritten", got.rows, raw.rows)
	if got.stats.CacheHits.Load() != 0 {
		t.Fatal("an overwritten object was served from the cache")
	}
}

// TestMemoPutAsync: a value stored in the background is seen by a Get that
// comes before it is written (the Get waits for it), is on disk once the
// cache closes, and is not written when its object is invalidated first.
func TestMemoPutAsync(t *testing.T) {
	c, _ := openCache(t, "", nil)
	m := c.Memo().(source.AsyncMemo)
	release := make(chan struct{})
	m.PutAsync("gz:/data/a.gz@v1", func() []byte { <-release; return []byte("index-a") })
	got := make(chan string)
	go func() {
		v, ok := m.Get("gz:/data/a.gz@v1")
		got <- fmt.Sprintf("%s %v", v, ok)
	}()
	select {
	case g := <-got:
		t.Fatalf("Get answered %q before the value was computed", g)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if g := <-got; g != "index-a true" {
		t.Fatalf("Get = %q", g)
	}
	stop := make(chan struct{})
	m.PutAsync("gz:/gone/b.gz@v1", func() []byte { <-stop; return []byte("index-b") })
	if _, err := c.Invalidate("/gone/"); err != nil {
		t.Fatal(err)
	}
	close(stop)
	m.PutAsync("gz:/data/nothing.gz@v1", func() []byte { return nil })
	c.Close()
	c2, _ := openCache(t, c.dir, nil)
	if v, ok := c2.Memo().Get("gz:/data/a.gz@v1"); !ok || string(v) != "index-a" {
		t.Fatalf("after Close: %q %v", v, ok)
	}
	for _, k := range []string{"gz:/gone/b.gz@v1", "gz:/data/nothing.gz@v1"} {
		if v, ok := c2.Memo().Get(k); ok {
			t.Fatalf("%s stored: %q", k, v)
		}
	}
	if st := c2.Status(); st.MemoEntries != 1 {
		t.Fatalf("%d memo entries, want 1", st.MemoEntries)
	}
}

// TestFillWaitsForRawReads: a fill is encoded once the raw reads in
// progress have ended (so that it does not slow the query reading), or
// after FillDefer at the latest; a scan planned while the fill waits has
// it go at once, whatever other raw reads are in progress, and waits for
// it rather than reading the file raw again.
func TestFillWaitsForRawReads(t *testing.T) {
	dirA := dataDir(t, map[string]string{"a.csv": csvLines(0, 3000, 81)})
	dirB := dataDir(t, map[string]string{"b.csv": csvLines(0, 3000, 82)})
	tblA := csvTable(dirA)
	rawA := scan(t, csvFormat, tblA, allCSV, scanOpts{})

	c, log := openCache(t, "", func(o *Options) { o.FillDefer = time.Minute })
	f := c.Wrap(csvFormat)
	b := openRaw(t, f, dirB, "b.csv")
	scan(t, f, tblA, allCSV, scanOpts{}) // read to its end: the fill waits for b
	time.Sleep(100 * time.Millisecond)
	if st := c.Status(); st.Fills != 0 {
		t.Fatalf("a fill was written while a raw read was in progress: %+v", st)
	}
	// b stays open: the scan's planning has the waiting fill go at once.
	got := scan(t, f, tblA, allCSV, scanOpts{})
	b.Close()
	sameRows(t, "planned while the fill waited", got.rows, rawA.rows)
	if got.stats.CacheHits.Load() == 0 || got.stats.BytesRead.Load() != 0 || c.Status().MemoryChunks == 0 {
		t.Fatalf("not served from the fill: %d hits, %d bytes read, %d chunks in memory\n%s",
			got.stats.CacheHits.Load(), got.stats.BytesRead.Load(), c.Status().MemoryChunks, log)
	}

	// A raw read that stays open delays a fill by FillDefer only.
	c2, log2 := openCache(t, "", func(o *Options) { o.FillDefer = 50 * time.Millisecond })
	f2 := c2.Wrap(csvFormat)
	b2 := openRaw(t, f2, dirB, "b.csv")
	defer b2.Close()
	scan(t, f2, tblA, allCSV, scanOpts{})
	deadline := time.Now().Add(10 * time.Second)
	for c2.Status().Fills == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c2.Status().Fills == 0 {
		t.Fatalf("the fill never ran while another raw read stayed open\n%s", log2)
	}
}

// accountingAlloc is a query allocator that lets fills take batches off
// its account (source.AccountTransfer), as exec's does.
type accountingAlloc struct {
	*memory.CheckedAllocator
	account atomic.Int64
}

func (a *accountingAlloc) Allocate(n int) []byte {
	a.account.Add(int64(n))
	return a.CheckedAllocator.Allocate(n)
}

func (a *accountingAlloc) Reallocate(n int, b []byte) []byte {
	a.account.Add(int64(n - len(b)))
	return a.CheckedAllocator.Reallocate(n, b)
}

func (a *accountingAlloc) Free(b []byte) {
	a.account.Add(-int64(len(b)))
	a.CheckedAllocator.Free(b)
}

func (a *accountingAlloc) Transfer(n int64)  { a.account.Add(n) }
func (a *accountingAlloc) CanTransfer() bool { return true }

// TestFillTakesBatchesOffTheAccount: with an allocator that allows it, a
// fill keeps the query's batches without copying them, off the query's
// account: once the reader is closed the query is accounted for nothing,
// although the fill (waiting for the raw reads to end) still holds them;
// every buffer is freed once the fill is done, and the rows cached are
// the raw ones. A reader closed early puts back what it had taken.
func TestFillTakesBatchesOffTheAccount(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 10500, 93)})
	tbl := csvTable(dir)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	for _, limit := range []int{0, 3} {
		c, log := openCache(t, "", func(o *Options) { o.FillDefer = time.Minute })
		f := c.Wrap(csvFormat)
		alloc := &accountingAlloc{CheckedAllocator: memory.NewCheckedAllocator(memory.NewGoAllocator())}
		// A raw read left open keeps the fill waiting.
		hold := dataDir(t, map[string]string{"b.csv": csvLines(0, 3000, 94)})
		rb := openRaw(t, f, hold, "b.csv")
		scan(t, f, tbl, allCSV, scanOpts{alloc: alloc, limit: limit})
		if n := alloc.account.Load(); n != 0 {
			t.Fatalf("limit %d: the query is accounted for %d bytes after its reader closed", limit, n)
		}
		if limit == 0 && alloc.CurrentAlloc() == 0 {
			t.Fatalf("the fill copied the batches instead of keeping them")
		}
		rb.Close()
		c.quiesce(t)
		if n := alloc.account.Load(); n != 0 {
			t.Fatalf("limit %d: account %d after the fill", limit, n)
		}
		alloc.AssertSize(t, 0)
		if limit == 0 {
			got := scan(t, f, tbl, allCSV, scanOpts{})
			sameRows(t, "cached", got.rows, raw.rows)
			if got.stats.CacheHits.Load() == 0 {
				t.Fatalf("not cached\n%s", log)
			}
		}
	}
}
