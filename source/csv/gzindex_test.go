package csv

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	kgzip "github.com/klauspost/compress/gzip"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

// memMemo is an in-memory source.Memo.
type memMemo struct {
	mu   sync.Mutex
	m    map[string][]byte
	puts int
}

func newMemMemo() *memMemo { return &memMemo{m: map[string][]byte{}} }

func (m *memMemo) Get(key string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	return v, ok
}

func (m *memMemo) Put(key string, v []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = v
	m.puts++
}

func (m *memMemo) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// fineIndex makes every test file indexable, with checkpoints every
// spacing bytes of output.
func fineIndex(t testing.TB, spacing int64) {
	minSize, sp := indexMinSize, indexSpacing
	indexMinSize, indexSpacing = 0, func(int64) int64 { return spacing }
	t.Cleanup(func() { indexMinSize, indexSpacing = minSize, sp })
}

// readWith reads one split with f; stopAfter > 0 closes the reader after
// that many batches, as a LIMIT does.
func readWith(t testing.TB, f Format, st *testStore, tbl *catalog.Table, info objstore.ObjectInfo, sp source.Split, stopAfter int) (readResult, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res := readResult{stats: new(source.Stats)}
	req := &source.Request{Store: st, File: info, Split: sp, Table: tbl, Columns: allColumns(tbl), Alloc: mem,
		BatchRows: 100, Stats: res.stats, Notice: func(m string) { res.notices = append(res.notices, m) }}
	br, err := f.Open(context.Background(), req)
	if err != nil {
		return res, err
	}
	defer br.Close()
	for batches := 0; stopAfter <= 0 || batches < stopAfter; batches++ {
		rec, err := br.Next()
		if err != nil {
			return res, err
		}
		if rec == nil {
			break
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]string, rec.NumCols())
			for c := range row {
				if col := rec.Column(c); col.IsNull(r) {
					row[c] = "NULL"
				} else {
					row[c] = col.ValueStr(r)
				}
			}
			res.rows = append(res.rows, row)
		}
		rec.Release()
	}
	return res, nil
}

// readSplits reads splits in order (concurrently, as a scan would) and
// concatenates their rows.
func readSplits(t testing.TB, f Format, st *testStore, tbl *catalog.Table, info objstore.ObjectInfo, splits []source.Split) ([][]string, *source.Stats, error) {
	t.Helper()
	results := make([]readResult, len(splits))
	errs := make([]error, len(splits))
	var wg sync.WaitGroup
	for i, sp := range splits {
		wg.Go(func() { results[i], errs[i] = readWith(t, f, st, tbl, info, sp, 0) })
	}
	wg.Wait()
	var rows [][]string
	total := new(source.Stats)
	for i := range splits {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		rows = append(rows, results[i].rows...)
		s := results[i].stats
		total.BytesRead.Add(s.BytesRead.Load())
		total.BytesDecompressed.Add(s.BytesDecompressed.Load())
		total.FilesRead.Add(s.FilesRead.Load())
	}
	return rows, total, nil
}

func lazyData(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	b.WriteString("id,name,amount,day\r\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,name-%d-%s,%d.%02d,2024-%02d-%02d\r\n", i, rng.IntN(1000), strings.Repeat("z", rng.IntN(40)),
			rng.IntN(10000), rng.IntN(100), 1+rng.IntN(12), 1+rng.IntN(28))
	}
	return b.Bytes()
}

// quotedData has records whose quoted fields span many lines, so that
// checkpoints fall inside them.
func quotedData(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 2))
	var b bytes.Buffer
	b.WriteString("id,note,amount\n")
	for i := range n {
		var note strings.Builder
		for l := range rng.IntN(4) * rng.IntN(30) {
			fmt.Fprintf(&note, "line %d of a \"\"note\"\", with, commas %x\n", l, rng.Uint32())
		}
		fmt.Fprintf(&b, "%d,\"%s\",%d\n", i, note.String(), rng.IntN(1000))
	}
	return b.Bytes()
}

func gzipMembers(t testing.TB, data []byte, parts int) []byte {
	var out []byte
	step := len(data)/parts + 1
	for off := 0; off < len(data); off += step {
		out = append(out, gzipBytes(t, data[off:min(off+step, len(data))])...)
	}
	return out
}

// bgzfOf writes data as BGZF: gzip members of at most 60000 input bytes
// with the "BC" extra subfield giving each member's size, and bgzip's
// empty end-of-file block.
func bgzfOf(t testing.TB, data []byte) []byte {
	var out []byte
	block := func(p []byte) {
		var buf bytes.Buffer
		w := kgzip.NewWriter(&buf)
		w.Extra = []byte{'B', 'C', 2, 0, 0, 0}
		w.Write(p)
		w.Close()
		m := buf.Bytes()
		binary.LittleEndian.PutUint16(m[16:], uint16(len(m)-1))
		out = append(out, m...)
	}
	for len(data) > 0 {
		n := min(len(data), 60000)
		block(data[:n])
		data = data[n:]
	}
	block(nil)
	return out
}

type indexCase struct {
	name string
	tbl  *catalog.Table
	data []byte
	gz   func(testing.TB, []byte) []byte
}

func indexCases() []indexCase {
	hdr := map[string]string{"skip.header.line.count": "1"}
	lazyTbl := tableOf(lazy, comma, hdr, "id bigint", "name string", "amount decimal(10,2)", "day date")
	detectTbl := tableOf(lazy, comma, nil, "id bigint", "name string", "amount decimal(10,2)", "day date")
	quotedTbl := tableOf(ocsv, nil, hdr, "id bigint", "note string", "amount int")
	lazyBig, quoted := lazyData(1, 20000), quotedData(2, 3000)
	return []indexCase{
		{"lazy", lazyTbl, lazyBig, gzipBytes},
		{"lazy header detected", detectTbl, lazyBig, gzipBytes},
		{"quoted newlines", quotedTbl, quoted, gzipBytes},
		{"quoted newlines, members", quotedTbl, quoted, func(t testing.TB, b []byte) []byte { return gzipMembers(t, b, 7) }},
		{"lazy members", lazyTbl, lazyBig, func(t testing.TB, b []byte) []byte { return gzipMembers(t, b, 5) }},
		{"lazy bgzf", lazyTbl, lazyBig, bgzfOf},
		{"quoted bgzf", quotedTbl, quoted, bgzfOf},
	}
}

func TestGzipIndexSplits(t *testing.T) {
	fineIndex(t, 16<<10)
	for _, c := range indexCases() {
		t.Run(c.name, func(t *testing.T) {
			st := newTestStore()
			gz := c.gz(t, c.data)
			info := objstore.ObjectInfo{Location: "/mem/t.csv.gz", Size: int64(len(gz)), Version: "v1"}
			st.blobs[info.Location] = gz
			memo := newMemMemo()
			f := Format{Memo: memo}

			// First read: one split, which records the index.
			splits := f.Split(c.tbl, info, 64<<10)
			if len(splits) != 1 || splits[0].Decoded {
				t.Fatalf("first read: %+v", splits)
			}
			want, err := readWith(t, f, st, c.tbl, info, splits[0], 0)
			if err != nil {
				t.Fatal(err)
			}
			if memo.len() != 1 {
				t.Fatalf("memo holds %d entries after a whole read", memo.len())
			}
			if len(want.rows) < 1000 {
				t.Fatalf("only %d rows", len(want.rows))
			}
			if c.tbl.SerDe == ocsv {
				// Checkpoints fall inside multi-line records, and are
				// tied to the record after, not to the next line.
				ix, _ := cachedIndex(memo, info, mustOptions(t, c.tbl))
				inside := 0
				for _, p := range ix.Points {
					if bytes.Contains(c.data[p.Out:p.Record], []byte("\n")) {
						inside++
					}
				}
				if inside == 0 {
					t.Fatal("no checkpoint inside a multi-line record")
				}
			}

			// Later reads: Decoded splits, the same rows, in order.
			for _, target := range []int64{1, 64 << 10, 1 << 30} {
				splits = f.Split(c.tbl, info, target)
				if len(splits) < 2 {
					t.Fatalf("target %d: %d splits", target, len(splits))
				}
				var next int64
				for _, sp := range splits {
					if !sp.Decoded || sp.Offset != next || sp.FirstLine < 1 || sp.Hint == nil {
						t.Fatalf("split %+v after %d", sp, next)
					}
					next = sp.Offset + sp.Length
				}
				if next != int64(len(c.data)) {
					t.Fatalf("splits end at %d of %d", next, len(c.data))
				}
				got, stats, err := readSplits(t, f, st, c.tbl, info, splits)
				if err != nil {
					t.Fatal(err)
				}
				if rowsString(got) != rowsString(want.rows) {
					t.Fatalf("target %d: %d splits give %d rows, want %d (or different values)", target, len(splits), len(got), len(want.rows))
				}
				// Each split reads its share and a little past its last
				// checkpoint (the rest of its last record): at most a
				// deflate block or a BGZF member more.
				if r := stats.BytesRead.Load(); r < int64(len(gz)) || r > int64(len(gz))+int64(len(splits))*100<<10 {
					t.Errorf("target %d: %d splits read %d bytes of a %d-byte file", target, len(splits), r, len(gz))
				}
				if d := stats.BytesDecompressed.Load(); d != int64(len(c.data)) {
					t.Errorf("BytesDecompressed %d, want %d", d, len(c.data))
				}
				if stats.FilesRead.Load() != 1 {
					t.Errorf("FilesRead %d", stats.FilesRead.Load())
				}
			}
			if memo.puts != 1 {
				t.Errorf("index stored %d times", memo.puts)
			}

			// Without hints, with or without the Memo: the same rows.
			bare := make([]source.Split, len(splits))
			for i, sp := range splits {
				sp.Hint = nil
				bare[i] = sp
			}
			for _, g := range []Format{f, {}} {
				got, _, err := readSplits(t, g, st, c.tbl, info, bare)
				if err != nil || rowsString(got) != rowsString(want.rows) {
					t.Fatalf("hint-less splits (memo %v): %d rows, %v", g.Memo != nil, len(got), err)
				}
			}

			// A new version of the object: the index is not used.
			info2 := info
			info2.Version = "v2"
			if sp := f.Split(c.tbl, info2, 1); len(sp) != 1 || sp[0].Decoded {
				t.Errorf("changed version: %d splits", len(sp))
			}
			// Nor is it without a version token, or for other record rules.
			info2.Version = ""
			if sp := f.Split(c.tbl, info2, 1); len(sp) != 1 {
				t.Errorf("no version: %d splits", len(sp))
			}
			other := *c.tbl
			other.Properties = map[string]string{"skip.header.line.count": "2"}
			if sp := f.Split(&other, info, 1); len(sp) != 1 {
				t.Errorf("other header rule: %d splits", len(sp))
			}
		})
	}
}

// TestGzipIndexLimit: a read that stops early stores no index, nor does
// one that fails or lacks a version token.
func TestGzipIndexLimit(t *testing.T) {
	fineIndex(t, 16<<10)
	c := indexCases()[0]
	st := newTestStore()
	gz := gzipBytes(t, c.data)
	info := objstore.ObjectInfo{Location: "/mem/t.csv.gz", Size: int64(len(gz)), Version: "v1"}
	st.blobs[info.Location] = gz
	memo := newMemMemo()
	f := Format{Memo: memo}
	if _, err := readWith(t, f, st, c.tbl, info, source.Split{Length: -1}, 3); err != nil {
		t.Fatal(err)
	}
	noVersion := info
	noVersion.Version = ""
	if _, err := readWith(t, f, st, c.tbl, noVersion, source.Split{Length: -1}, 0); err != nil {
		t.Fatal(err)
	}
	cut := info
	cut.Location = "/mem/cut.csv.gz"
	st.blobs[cut.Location] = gz[:len(gz)-20]
	cut.Size = int64(len(gz) - 20)
	_, err := readWith(t, f, st, c.tbl, cut, source.Split{Length: -1}, 0)
	if err == nil || !strings.Contains(err.Error(), cut.Location) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated gzip: %v", err)
	}
	if memo.len() != 0 {
		t.Errorf("memo holds %d entries", memo.len())
	}
}

// TestGzipIndexCorrupt changes bytes of an indexed file behind an
// unchanged version token: every split either fails naming the file or
// returns exactly its rows.
func TestGzipIndexCorrupt(t *testing.T) {
	fineIndex(t, 16<<10)
	for _, c := range indexCases()[:3] {
		t.Run(c.name, func(t *testing.T) {
			st := newTestStore()
			gz := c.gz(t, c.data)
			info := objstore.ObjectInfo{Location: "/mem/t.csv.gz", Size: int64(len(gz)), Version: "v1"}
			st.blobs[info.Location] = gz
			f := Format{Memo: newMemMemo()}
			if _, err := readWith(t, f, st, c.tbl, info, source.Split{Length: -1}, 0); err != nil {
				t.Fatal(err)
			}
			splits := f.Split(c.tbl, info, 1)
			want := make([]string, len(splits))
			for i, sp := range splits {
				res, err := readWith(t, f, st, c.tbl, info, sp, 0)
				if err != nil {
					t.Fatal(err)
				}
				want[i] = rowsString(res.rows)
			}
			failed := 0
			for _, at := range []int{len(gz) / 5, len(gz) / 2, len(gz) * 4 / 5} {
				bad := bytes.Clone(gz)
				bad[at] ^= 0x10
				st.blobs[info.Location] = bad
				for i, sp := range splits {
					res, err := readWith(t, f, st, c.tbl, info, sp, 0)
					if err != nil {
						if !strings.Contains(err.Error(), info.Location) {
							t.Errorf("error without the file's name: %v", err)
						}
						failed++
						continue
					}
					if rowsString(res.rows) != want[i] {
						t.Fatalf("byte %d flipped: split %d returned wrong rows without an error", at, i)
					}
				}
			}
			if failed < 3 {
				t.Errorf("only %d failures for 3 flipped bytes", failed)
			}
		})
	}
}

// TestGzipIndexLineNumbers: errors in a Decoded split name the same line
// as a whole read does.
func TestGzipIndexLineNumbers(t *testing.T) {
	fineIndex(t, 16<<10)
	data := quotedData(3, 3000)
	lines := bytes.Count(data, []byte("\n"))
	data = append(data, "9999,\"x\ny\",notanumber\n"...)
	st := newTestStore()
	gz := gzipBytes(t, data)
	info := objstore.ObjectInfo{Location: "/mem/q.csv.gz", Size: int64(len(gz)), Version: "v1"}
	st.blobs[info.Location] = gz
	f := Format{Memo: newMemMemo()}
	// Strings read without error and record the index; the same record
	// rules with an integer column then fail on the last record.
	loose := tableOf(ocsv, nil, nil, "id bigint", "note string", "amount string")
	strict := tableOf(ocsv, nil, nil, "id bigint", "note string", "amount int")
	if _, err := readWith(t, f, st, loose, info, source.Split{Length: -1}, 0); err != nil {
		t.Fatal(err)
	}
	_, whole := readWith(t, Format{}, st, strict, info, source.Split{Length: -1}, 0)
	wantLine := fmt.Sprintf("line %d,", lines+1)
	if whole == nil || !strings.Contains(whole.Error(), wantLine) {
		t.Fatalf("whole read: %v, want %s", whole, wantLine)
	}
	splits := f.Split(strict, info, 1)
	if len(splits) < 2 {
		t.Fatalf("%d splits", len(splits))
	}
	_, err := readWith(t, f, st, strict, info, splits[len(splits)-1], 0)
	if err == nil || err.Error() != whole.Error() {
		t.Errorf("last split: %v\nwhole read: %v", err, whole)
	}
}

// TestBGZFRanges: a BGZF file splits into byte ranges with no index, for
// LazySimpleSerDe tables, whatever its name.
func TestBGZFByteRanges(t *testing.T) {
	data := lazyData(4, 30000)
	data = append(data, strings.Repeat("y", 200000)+",long\r\n"...) // a record longer than a block
	data = append(data, lazyData(5, 3000)[20:]...)
	gz := bgzfOf(t, data)
	st := newTestStore()
	st.blobs["/mem/b.tsv.bgz"] = gz
	tbl := tableOf(lazy, comma, map[string]string{"skip.header.line.count": "1"},
		"id bigint", "name string", "amount decimal(10,2)", "day date")
	info := objstore.ObjectInfo{Location: "/mem/b.tsv.bgz", Size: int64(len(gz))}
	want, err := readWith(t, Format{}, st, tbl, info, source.Split{Length: -1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []int64{5000, 65536, 100000} {
		splits := Format{}.Split(tbl, info, target)
		if len(splits) < 2 {
			t.Fatalf("%d splits", len(splits))
		}
		got, stats, err := readSplits(t, Format{}, st, tbl, info, splits)
		if err != nil {
			t.Fatal(err)
		}
		if rowsString(got) != rowsString(want.rows) {
			t.Fatalf("target %d: %d rows, want %d", target, len(got), len(want.rows))
		}
		// Finding the first block reads two blocks' worth; the last
		// record may need one more.
		if r := stats.BytesRead.Load(); r > int64(len(gz))+int64(len(splits))*(3<<16+bgzfHeadBytes) {
			t.Errorf("target %d: read %d bytes of %d", target, r, len(gz))
		}
	}
	// OpenCSV tables are not cut; a range past 0 yields nothing.
	q := tableOf(ocsv, nil, nil, "a string")
	if sp := (Format{}).Split(q, info, 5000); len(sp) != 1 {
		t.Errorf("OpenCSV BGZF: %d splits", len(sp))
	}
	if res, err := readWith(t, Format{}, st, q, info, source.Split{Offset: 5000, Length: 5000}, 0); err != nil || len(res.rows) != 0 {
		t.Errorf("OpenCSV BGZF range: %d rows, %v", len(res.rows), err)
	}
}

// TestGzipIndexUnnamed: a gzip file whose name promises no compression is
// cut into byte ranges at first (the split at 0 reads it all and records
// the index), then into Decoded splits.
func TestGzipIndexUnnamed(t *testing.T) {
	fineIndex(t, 16<<10)
	c := indexCases()[0]
	st := newTestStore()
	gz := gzipBytes(t, c.data)
	info := objstore.ObjectInfo{Location: "/mem/t.csv", Size: int64(len(gz)), Version: "v1"}
	st.blobs[info.Location] = gz
	f := Format{Memo: newMemMemo()}
	first := f.Split(c.tbl, info, 50000)
	if len(first) < 2 || first[0].Decoded {
		t.Fatalf("first splits %+v", first)
	}
	want, _, err := readSplits(t, f, st, c.tbl, info, first)
	if err != nil {
		t.Fatal(err)
	}
	later := f.Split(c.tbl, info, 50000)
	if len(later) < 2 || !later[0].Decoded {
		t.Fatalf("later splits %+v", later)
	}
	got, _, err := readSplits(t, f, st, c.tbl, info, later)
	if err != nil || rowsString(got) != rowsString(want) || len(got) != 20000 {
		t.Fatalf("%d rows, want %d: %v", len(got), len(want), err)
	}
}

func TestIndexSpacing(t *testing.T) {
	for _, c := range []struct{ size, want int64 }{
		{1 << 20, 1 << 20}, {16 << 20, 5 << 19}, {180 << 20, 8 << 20}, {10 << 30, 100 << 20},
	} {
		if got := indexSpacing(c.size); got != c.want {
			t.Errorf("indexSpacing(%d) = %d, want %d", c.size, got, c.want)
		}
	}
}

func mustOptions(t testing.TB, tbl *catalog.Table) *options {
	o, err := parseOptions(tbl)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
