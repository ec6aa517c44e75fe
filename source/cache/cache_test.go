package cache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/objstore/local"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

type tableCase struct {
	name   string
	format source.Format
	table  func(loc string) *catalog.Table
	cols   []int
	files  map[string]string
	target int64
}

func tableCases() []tableCase {
	return []tableCase{
		{name: "csv", format: csvFormat, table: csvTable, cols: allCSV, target: 64 << 10,
			files: map[string]string{"a.csv": csvLines(0, 5000, 1), "b.csv": csvLines(5000, 1200, 2), "empty.csv": "",
				"c.csv.gz": gzipped(csvLines(6200, 3100, 9))}},
		{name: "csv-projected", format: csvFormat, table: csvTable, cols: []int{7, 2, 0}, target: 100 << 10,
			files: map[string]string{"a.csv": csvLines(0, 7000, 3)}},
		{name: "csv-whole-file-pieces", format: csvFormat, table: csvTable, cols: []int{11, 0, 5, 3}, target: 1 << 40,
			files: map[string]string{"a.csv": csvLines(0, 10500, 8)}},
		{name: "json", format: jsonFormat, table: jsonTable, cols: allJSON, target: 128 << 10,
			files: map[string]string{"a.json": jsonLines(0, 4000, 4), "b.json": jsonLines(4000, 10, 5)}},
		{name: "json-nested-only", format: jsonFormat, table: jsonTable, cols: []int{3, 2, 1}, target: 1 << 30,
			files: map[string]string{"a.json": jsonLines(0, 2500, 6)}},
	}
}

// TestHitEqualsRaw reads tables raw, then through the cache twice (a miss
// that fills, then hits) and compares every value.
func TestHitEqualsRaw(t *testing.T) {
	for _, tc := range tableCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := dataDir(t, tc.files)
			tbl := tc.table(dir)
			raw := scan(t, tc.format, tbl, tc.cols, scanOpts{target: tc.target})
			if len(raw.rows) == 0 {
				t.Fatal("no rows")
			}
			c, log := openCache(t, "", nil)
			f := c.Wrap(tc.format)
			first := scan(t, f, tbl, tc.cols, scanOpts{target: tc.target})
			sameRows(t, "first (miss)", first.rows, raw.rows)
			if first.stats.CacheHits.Load() != 0 {
				t.Fatalf("first scan hit the cache")
			}
			c.quiesce(t)
			if st := c.Status(); st.Fills == 0 || st.Segments == 0 {
				t.Fatalf("nothing filled: %+v\n%s", st, log)
			}
			second := scan(t, f, tbl, tc.cols, scanOpts{target: tc.target})
			sameRows(t, "second (hit)", second.rows, raw.rows)
			if second.stats.CacheHits.Load() == 0 || second.stats.BytesRead.Load() != 0 || second.stats.CacheBytes.Load() == 0 {
				t.Fatalf("second scan: hits %d, bytes read %d, cache bytes %d\n%s", second.stats.CacheHits.Load(),
					second.stats.BytesRead.Load(), second.stats.CacheBytes.Load(), log)
			}
			if got := second.stats.Rows.Load(); got != int64(len(raw.rows)) {
				t.Fatalf("Rows stat %d, want %d", got, len(raw.rows))
			}
			if c.pinned.Load() != 0 {
				t.Fatalf("%d segment files still pinned", c.pinned.Load())
			}
			if tc.target >= 1<<40 {
				if n := len(f.(source.ColumnSplitter).SplitColumns(tbl, statFile(t, dir, "a.csv"), normalize(tc.cols), tc.target)); n < 3 {
					t.Fatalf("a cached 10500-row segment gave %d pieces, want several", n)
				}
			}
			// A cache opened afresh on the folder serves the same.
			c.Close()
			c2, _ := openCache(t, c.dir, nil)
			third := scan(t, c2.Wrap(tc.format), tbl, tc.cols, scanOpts{target: tc.target})
			sameRows(t, "reopened", third.rows, raw.rows)
			if third.stats.CacheHits.Load() == 0 {
				t.Fatal("reopened cache missed")
			}
		})
	}
}

// TestAddGroup: a query needing columns the cache lacks adds a column
// group; later queries read across groups; every answer is exact.
func TestAddGroup(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 8000, 11), "b.csv": csvLines(8000, 500, 12)})
	tbl := csvTable(dir)
	c, log := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	steps := []struct {
		cols      []int
		wantHit   bool
		groupsNow int // groups per segment after the step's fill
	}{
		{[]int{0, 1}, false, 1},
		{[]int{1, 0}, true, 1},
		{[]int{0, 2, 3}, false, 2}, // adds {2,3}
		{[]int{3, 0, 2}, true, 2},
		{[]int{3, 1}, true, 2}, // zips two groups
		{[]int{5, 4, 1}, false, 3},
		{allCSV, false, 4},
		{allCSV, true, 4},
		{[]int{9, 0}, true, 4},
	}
	for i, st := range steps {
		raw := scan(t, csvFormat, tbl, st.cols, scanOpts{target: 200 << 10})
		got := scan(t, f, tbl, st.cols, scanOpts{target: 200 << 10})
		sameRows(t, fmt.Sprintf("step %d %v", i, st.cols), got.rows, raw.rows)
		if hit := got.stats.CacheHits.Load() > 0; hit != st.wantHit {
			t.Fatalf("step %d %v: hit %v, want %v\n%s", i, st.cols, hit, st.wantHit, log)
		}
		if st.wantHit && got.stats.BytesRead.Load() != 0 {
			t.Fatalf("step %d: a hit read %d bytes from storage", i, got.stats.BytesRead.Load())
		}
		c.quiesce(t)
		s := c.Status()
		if s.Groups != st.groupsNow*s.Segments {
			t.Fatalf("step %d: %d groups in %d segments, want %d each\n%s", i, s.Groups, s.Segments, st.groupsNow, log)
		}
	}
}

// TestOverwrite: an object rewritten between two queries is a miss and
// the new rows are returned, never the cached ones.
func TestOverwrite(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 3000, 21)})
	tbl := csvTable(dir)
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	scan(t, f, tbl, allCSV, scanOpts{})
	c.quiesce(t)
	if got := scan(t, f, tbl, allCSV, scanOpts{}); got.stats.CacheHits.Load() == 0 {
		t.Fatal("no hit before the overwrite")
	}
	for i, data := range []string{csvLines(0, 3000, 22), csvLines(0, 2999, 23)} { // same size, then smaller
		path := filepath.Join(dir, "a.csv")
		writeFile(t, path, data)
		mt := time.Now().Add(time.Duration(i+1) * time.Hour)
		os.Chtimes(path, mt, mt)
		raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
		got := scan(t, f, tbl, allCSV, scanOpts{})
		sameRows(t, "after overwrite", got.rows, raw.rows)
		if got.stats.CacheHits.Load() != 0 {
			t.Fatal("a rewritten object hit the cache")
		}
		c.quiesce(t)
		again := scan(t, f, tbl, allCSV, scanOpts{})
		sameRows(t, "after overwrite, cached", again.rows, raw.rows)
		if again.stats.CacheHits.Load() == 0 {
			t.Fatal("the new version was not cached")
		}
	}
}

// changingStore rewrites an object when the cache re-stats it after a
// fill's raw read: the object changed during the fill.
type changingStore struct {
	objstore.Store
	change func()
}

func (s *changingStore) Stat(ctx context.Context, loc string) (objstore.ObjectInfo, error) {
	if s.change != nil {
		s.change()
		s.change = nil
	}
	return s.Store.Stat(ctx, loc)
}

func TestChangedDuringFill(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 3000, 31)})
	tbl := csvTable(dir)
	path := filepath.Join(dir, "a.csv")
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	store := &changingStore{Store: local.New(), change: func() {
		writeFile(t, path, csvLines(0, 3001, 32))
	}}
	scan(t, f, tbl, allCSV, scanOpts{store: store})
	c.quiesce(t)
	if st := c.Status(); st.Fills != 0 || st.Segments != 0 || st.FillsDiscarded != 1 || st.MemoryChunks != 0 || c.keptBytes.Load() != 0 {
		t.Fatalf("a fill of a changed object was kept: %+v", st)
	}
	if n := len(segmentFiles(t, c)); n != 0 {
		t.Fatalf("%d segment files left", n)
	}
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	got := scan(t, f, tbl, allCSV, scanOpts{})
	sameRows(t, "new version", got.rows, raw.rows)
	c.quiesce(t)
	got = scan(t, f, tbl, allCSV, scanOpts{})
	sameRows(t, "new version, cached", got.rows, raw.rows)
	if got.stats.CacheHits.Load() == 0 {
		t.Fatal("the new version was not cached")
	}
}

// TestFingerprint: a change to the column types or to a SerDe property
// makes the cached segments misses.
func TestFingerprint(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 2000, 41)})
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	base := csvTable(dir)
	scan(t, f, base, allCSV, scanOpts{})
	c.quiesce(t)
	changes := map[string]func(*catalog.Table){
		"type":         func(t *catalog.Table) { t.Columns[7].Type = types.VarcharType },
		"decimal":      func(t *catalog.Table) { t.Columns[2].Type = types.DecimalOf(12, 1) },
		"name":         func(t *catalog.Table) { t.Columns[1].Name = "label" },
		"null format":  func(t *catalog.Table) { t.SerDeProps[catalog.PropNullFormat] = "alpha" },
		"skip header":  func(t *catalog.Table) { t.Properties = map[string]string{"skip.header.line.count": "1"} },
		"column added": func(t *catalog.Table) { t.Columns = append(t.Columns, types.Column{Name: "x", Type: types.BigIntType}) },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			tbl := csvTable(dir)
			change(tbl)
			raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
			got := scan(t, f, tbl, allCSV, scanOpts{})
			sameRows(t, name, got.rows, raw.rows)
			if got.stats.CacheHits.Load() != 0 {
				t.Fatal("hit under a changed fingerprint")
			}
			c.quiesce(t)
		})
	}
	tbl := csvTable(dir)
	tbl.Properties = map[string]string{"numRows": "2000", "projection.enabled": "false"}
	if got := scan(t, f, tbl, allCSV, scanOpts{}); got.stats.CacheHits.Load() == 0 {
		t.Fatal("statistics properties changed the fingerprint")
	}
}

// TestCorruptSegment: damaged segment files give exact answers through
// the raw fallback, and the segment is evicted and later refilled.
func TestCorruptSegment(t *testing.T) {
	damage := map[string]func(t *testing.T, path string){
		"truncated": func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			os.Truncate(path, fi.Size()/2)
		},
		"truncated-tail": func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			os.Truncate(path, fi.Size()-3)
		},
		"bit-flip-data": func(t *testing.T, path string) { flipBit(t, path, 0.6) },
		"bit-flip-head": func(t *testing.T, path string) { flipBit(t, path, 0.01) },
		"bit-flip-footer": func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			flipAt(t, path, fi.Size()-40)
		},
		"zeroed": func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			os.WriteFile(path, make([]byte, fi.Size()), 0o644)
		},
		"deleted": func(t *testing.T, path string) { os.Remove(path) },
	}
	for name, hurt := range damage {
		t.Run(name, func(t *testing.T) {
			dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 10500, 51)})
			tbl := csvTable(dir)
			raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
			// Without the memory tier, which the fill fills: reads go to
			// the segment files (TestMemoryTier covers damage under it).
			c, log := openCache(t, "", func(o *Options) { o.MemoryBytes = -1 })
			f := c.Wrap(csvFormat)
			scan(t, f, tbl, allCSV, scanOpts{})
			c.quiesce(t)
			files := segmentFiles(t, c)
			if len(files) != 1 {
				t.Fatalf("%d segment files", len(files))
			}
			hurt(t, files[0])
			got := scan(t, f, tbl, allCSV, scanOpts{})
			sameRows(t, "damaged", got.rows, raw.rows)
			if name != "deleted" && c.Status().Corrupt == 0 {
				t.Fatalf("damage not detected\n%s", log)
			}
			c.quiesce(t)
			// Evicted and refilled by the query above, or by this one.
			scan(t, f, tbl, allCSV, scanOpts{})
			c.quiesce(t)
			got = scan(t, f, tbl, allCSV, scanOpts{})
			sameRows(t, "refilled", got.rows, raw.rows)
			if got.stats.CacheHits.Load() == 0 || got.stats.BytesRead.Load() != 0 {
				t.Fatalf("not refilled: %d hits, %d bytes read\n%s", got.stats.CacheHits.Load(), got.stats.BytesRead.Load(), log)
			}
		})
	}
}

// TestCorruptWhilePinned damages a file after the scan planned (pinned)
// it, and after some rows of a piece were served.
func TestCorruptWhilePinned(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 10500, 52)})
	tbl := csvTable(dir)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	c, _ := openCache(t, "", nil)
	f := c.Wrap(csvFormat)
	scan(t, f, tbl, allCSV, scanOpts{})
	c.quiesce(t)
	file := statFile(t, dir, "a.csv")
	splits := f.(source.ColumnSplitter).SplitColumns(tbl, file, allCSV, 1<<40)
	if len(splits) < 3 {
		t.Fatalf("%d pieces", len(splits))
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	var rows []string
	st := new(source.Stats)
	for i, sp := range splits {
		r, err := f.Open(context.Background(), &source.Request{Store: local.New(), File: file, Split: sp, Table: tbl,
			Columns: allCSV, Alloc: alloc, BatchRows: 300, Stats: st})
		if err != nil {
			t.Fatal(err)
		}
		for b := 0; ; b++ {
			if i == 1 && b == 2 {
				flipBit(t, segmentFiles(t, c)[0], 0.95) // a later row group of the segment
			}
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
	sameRows(t, "damaged while read", rows, raw.rows)
	if c.Status().Corrupt == 0 {
		t.Fatal("damage not detected")
	}
}

func flipBit(t *testing.T, path string, at float64) {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	flipAt(t, path, int64(float64(fi.Size())*at))
}

func flipAt(t *testing.T, path string, off int64) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	f.ReadAt(b, off)
	b[0] ^= 0x10
	f.WriteAt(b, off)
}

// TestCorruptFacts: a damaged facts file is dropped at Open with its
// segment file.
func TestCorruptFacts(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.csv": csvLines(0, 3000, 53)})
	tbl := csvTable(dir)
	raw := scan(t, csvFormat, tbl, allCSV, scanOpts{})
	c, _ := openCache(t, "", nil)
	scan(t, c.Wrap(csvFormat), tbl, allCSV, scanOpts{})
	c.quiesce(t)
	c.Close()
	metas, _ := filepath.Glob(filepath.Join(c.seg, "*", "*.meta"))
	if len(metas) != 1 {
		t.Fatalf("%d facts files", len(metas))
	}
	flipBit(t, metas[0], 0.5)
	c2, log := openCache(t, c.dir, nil)
	if st := c2.Status(); st.Segments != 0 || len(segmentFiles(t, c2)) != 0 {
		t.Fatalf("damaged facts kept: %+v\n%s", st, log)
	}
	got := scan(t, c2.Wrap(csvFormat), tbl, allCSV, scanOpts{})
	sameRows(t, "after damaged facts", got.rows, raw.rows)
}

// TestMixedGroups: a JSON table whose scalar columns sit in a flat file
// and nested ones in a parquet-go file; reads zip both.
func TestMixedGroups(t *testing.T) {
	dir := dataDir(t, map[string]string{"a.json": jsonLines(0, 5200, 13)})
	tbl := jsonTable(dir)
	c, log := openCache(t, "", nil)
	f := c.Wrap(jsonFormat)
	for i, cols := range [][]int{{0, 4, 5}, {1, 2, 3, 0}, allJSON, {5, 2, 4, 1}, {3}} {
		raw := scan(t, jsonFormat, tbl, cols, scanOpts{})
		for pass := range 2 {
			got := scan(t, f, tbl, cols, scanOpts{})
			sameRows(t, fmt.Sprintf("step %d %v pass %d", i, cols, pass), got.rows, raw.rows)
			c.quiesce(t)
		}
		got := scan(t, f, tbl, cols, scanOpts{})
		if got.stats.CacheHits.Load() == 0 || got.stats.BytesRead.Load() != 0 {
			t.Fatalf("step %d: %d hits, %d bytes read\n%s", i, got.stats.CacheHits.Load(), got.stats.BytesRead.Load(), log)
		}
	}
	c.mu.Lock()
	flat, nested := 0, 0
	for _, s := range c.segs {
		for _, g := range s.groups {
			if g.meta.Flat {
				flat++
			} else {
				nested++
			}
		}
	}
	c.mu.Unlock()
	if flat == 0 || nested == 0 {
		t.Fatalf("%d flat and %d nested groups", flat, nested)
	}
}
