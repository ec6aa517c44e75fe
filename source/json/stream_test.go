package json

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/quarry-sql/quarry/source"
)

// linesData generates n JSON lines of varied shape, some with multi-byte
// characters and escapes, so that split points fall everywhere.
func linesData(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `{"id": %d, "name": "n%d", "v": %d.5, "tags": ["a", "b"]}`+"\n", i, i, i)
		case 1:
			fmt.Fprintf(&b, `{"name": "é\"\n%d", "id": %d, "nested": {"x": [1, {"y": "}"}]}}`+"\r\n", i, i)
		case 2:
			fmt.Fprintf(&b, "\n{\"id\":%d}\n", i)
		default:
			fmt.Fprintf(&b, `  {"ID": "%d", "v": null, "tags": []}`+"\n", i)
		}
	}
	return b.Bytes()
}

// TestSplits reads a file in byte ranges of many sizes: together the
// ranges must yield exactly the rows of the whole file, in order.
func TestSplits(t *testing.T) {
	for _, tc := range []struct {
		lines   int
		targets []int64
	}{
		{40, []int64{1, 2, 3, 5}},
		{500, []int64{7, 64, 100, 1000, 4096}},
	} {
		testSplits(t, tc.lines, tc.targets)
	}
}

func testSplits(t *testing.T, lines int, targets []int64) {
	data := linesData(lines)
	st := newTestStore()
	st.blobs["/t/x.json"] = data
	tbl := tableOf(nil, "id bigint", "name string", "v double", "tags array<string>")
	all, err := readAll(t, st, tbl, "/t/x.json", nil, whole, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.rows) != lines {
		t.Fatalf("%d rows", len(all.rows))
	}
	want := rowsString(all.rows)
	info, _ := st.Stat(t.Context(), "/t/x.json")
	for _, target := range append(targets, int64(len(data))-1) {
		splits := Format{}.Split(tbl, info, target)
		if len(splits) < 2 {
			t.Fatalf("target %d: %d splits", target, len(splits))
		}
		var got strings.Builder
		files := int64(0)
		for _, sp := range splits {
			res, err := readAll(t, st, tbl, "/t/x.json", nil, sp, 7)
			if err != nil {
				t.Fatalf("target %d split %+v: %v", target, sp, err)
			}
			got.WriteString(rowsString(res.rows))
			files += res.stats.FilesRead.Load()
		}
		if got.String() != want {
			t.Fatalf("target %d: ranges disagree with the whole file", target)
		}
		if files != 1 {
			t.Errorf("target %d: FilesRead %d, want 1", target, files)
		}
	}
}

// TestRangeError: errors in a range name a byte offset, as its line
// number is unknown.
func TestRangeError(t *testing.T) {
	st := newTestStore()
	tbl := tableOf(nil, "id bigint")
	st.blobs["/t/bad.json"] = []byte("{\"id\": 1}\n{\"id\": 2}\n{\"id\": x}\n")
	_, err := readAll(t, st, tbl, "/t/bad.json", nil, source.Split{Offset: 12, Length: 30}, 0)
	if err == nil || !strings.Contains(err.Error(), "/t/bad.json: byte offset 27: malformed JSON") {
		t.Errorf("error %v", err)
	}
}

func TestSplitPolicy(t *testing.T) {
	big := int64(10 << 20)
	tests := []struct {
		loc   string
		props map[string]string
		want  int
	}{
		{"/t/x.json", nil, 10},
		{"/t/x.json.gz", nil, 1},
		{"/t/x.json.zip", nil, 1},
		{"/t/x.json", map[string]string{"json.root": "results"}, 1},
	}
	for _, tc := range tests {
		got := Format{}.Split(tableOf(tc.props, "a int"), infoOf(tc.loc, big), 1<<20)
		if len(got) != tc.want {
			t.Errorf("%s %v: %d splits, want %d", tc.loc, tc.props, len(got), tc.want)
		}
	}
	// A bare array document is found by its first byte and read whole
	// by the first range.
	st := newTestStore()
	st.blobs["/t/a.json"] = []byte("[" + strings.Repeat(`{"a": 1},`, 1000) + `{"a": 2}]`)
	tbl := tableOf(nil, "a int")
	info, _ := st.Stat(t.Context(), "/t/a.json")
	rows := 0
	for _, sp := range (Format{}).Split(tbl, info, 1000) {
		res, err := readAll(t, st, tbl, "/t/a.json", nil, sp, 0)
		if err != nil {
			t.Fatal(err)
		}
		rows += len(res.rows)
	}
	if rows != 1001 {
		t.Errorf("%d rows, want 1001", rows)
	}
}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zstdOf(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zstd.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestCompressed(t *testing.T) {
	data := linesData(300)
	doc := []byte(`{"meta": {}, "results": [{"id": 1}, {"id": 2}]}`)
	tests := []struct {
		loc   string
		body  []byte
		props map[string]string
		rows  int
		err   string
	}{
		{"/t/x.json.gz", gzipOf(data), nil, 300, ""},
		{"/t/x.json", gzipOf(data), nil, 300, ""}, // magic bytes decide
		{"/t/x.json.zst", zstdOf(data), nil, 300, ""},
		{"/t/doc.json.gz", gzipOf(doc), map[string]string{"json.root": "results"}, 2, ""},
		{"/t/trunc.json.gz", gzipOf(data)[:len(gzipOf(data))/2], nil, 0, "/t/trunc.json.gz"},
		{"/t/bad.json.gz", []byte("not gzip at all"), nil, 0, "gzip"},
	}
	for _, tc := range tests {
		t.Run(tc.loc, func(t *testing.T) {
			st := newTestStore()
			st.blobs[tc.loc] = tc.body
			res, err := readAll(t, st, tableOf(tc.props, "id bigint", "name string"), tc.loc, nil, whole, 100)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.rows) != tc.rows {
				t.Errorf("%d rows, want %d", len(res.rows), tc.rows)
			}
			if res.stats.BytesRead.Load() != int64(len(tc.body)) || res.stats.BytesDecompressed.Load() == 0 {
				t.Errorf("bytes read %d (file %d), decompressed %d", res.stats.BytesRead.Load(), len(tc.body), res.stats.BytesDecompressed.Load())
			}
		})
	}
}

// docGen streams {"meta": ..., "results": [row, row, ...]} of about size
// bytes without holding it.
type docGen struct {
	rows, next int
	buf        []byte
	done       bool
}

func newDocGen(size int) *docGen {
	g := &docGen{rows: size / len(genRow(0))}
	g.buf = []byte(`{"meta": {"disclaimer": "generated", "results": {"total": 0}}, "results": [`)
	return g
}

func genRow(i int) []byte {
	return fmt.Appendf(nil, `{"safetyreportid": "%08d", "serious": "1", "patient": {"patientsex": "2", "drug": [{"medicinalproduct": "ASPIRIN", "drugindication": "PAIN"}, {"medicinalproduct": "IBUPROFEN %d"}], "reaction": [{"reactionmeddrapt": "NAUSEA"}]}, "receivedate": "20240101", "extra": {"unused": [1, 2, 3, "text that is skipped"]}}`, i, i)
}

func (g *docGen) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && !g.done {
		if g.next == g.rows {
			g.buf = append(g.buf, "], \"trailer\": true}\n"...)
			g.done = true
			break
		}
		if g.next > 0 {
			g.buf = append(g.buf, ",\n"...)
		}
		g.buf = append(g.buf, genRow(g.next)...)
		g.next++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	return n, nil
}

// TestLargeDocumentMemory streams a 200 MB document through a generator:
// the heap must stay far below the document's size.
func TestLargeDocumentMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large document")
	}
	const size = 200 << 20
	st := newTestStore()
	st.gens["/t/big.json"] = func() io.Reader { return newDocGen(size) }
	tbl := tableOf(map[string]string{"json.root": "results"}, fdaColumns...)
	rowsWant := newDocGen(size).rows
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	batches := 0
	res, err := readAllFunc(t, st, tbl, "/t/big.json", func() {
		batches++
		if batches%20 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if res != int64(rowsWant) {
		t.Fatalf("%d rows, want %d", res, rowsWant)
	}
	t.Logf("%d rows, peak HeapInuse %d MiB", res, peak>>20)
	if peak > 48<<20 {
		t.Errorf("peak HeapInuse %d MiB for a %d MiB document", peak>>20, size>>20)
	}
}

// TestCancelAndClose: a cancelled context stops the reader with its
// error, and Close is idempotent and safe before any Next.
func TestCancelAndClose(t *testing.T) {
	st := newTestStore()
	st.blobs["/t/x.json"] = linesData(100)
	tbl := tableOf(nil, "id bigint")
	info, _ := st.Stat(t.Context(), "/t/x.json")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx, cancel := context.WithCancel(t.Context())
	br, err := Format{}.Open(ctx, &source.Request{Store: st, File: info, Split: whole, Table: tbl, Columns: []int{0}, Alloc: mem, BatchRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := br.Next()
	if err != nil || rec == nil {
		t.Fatalf("first batch: %v", err)
	}
	rec.Release()
	cancel()
	if _, err := br.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
	if err := br.Close(); err != nil {
		t.Error(err)
	}
	if err := br.Close(); err != nil {
		t.Error(err)
	}
	br, err = Format{}.Open(t.Context(), &source.Request{Store: st, File: info, Split: whole, Table: tbl, Columns: []int{0}, Alloc: mem})
	if err != nil {
		t.Fatal(err)
	}
	if err := br.Close(); err != nil {
		t.Error(err)
	}
	if _, err := (Format{}).Open(t.Context(), &source.Request{Store: st, File: info, Split: whole, Table: tbl, Columns: []int{3}, Alloc: mem}); err == nil {
		t.Error("column index out of range accepted")
	}
	if _, err := (Format{}).Open(t.Context(), &source.Request{Store: st, File: infoOf("/t/missing.json", 10), Split: whole, Table: tbl, Columns: []int{0}, Alloc: mem}); err == nil || !strings.Contains(err.Error(), "/t/missing.json") {
		t.Errorf("missing file: %v", err)
	}
}
