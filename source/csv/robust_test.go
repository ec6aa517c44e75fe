package csv

import (
	"bytes"
	"context"
	encsv "encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zip"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

const (
	curPath    = "../../../shared/data/cur/aws-cur-sample-anonymised.csv"
	corpusPath = "../../../shared/data/csv-corpus"
)

func gzipBytes(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := kgzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// curTable declares every CUR column as varchar, named as Athena names
// them (category/Name becomes category_Name).
func curTable(t *testing.T, serde string) (*catalog.Table, [][]string) {
	raw, err := os.ReadFile(curPath)
	if err != nil {
		t.Skipf("CUR sample not available: %v", err)
	}
	recs, err := encsv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	props := map[string]string{}
	if serde == lazy {
		props["field.delim"] = ","
	}
	tbl := tableOf(serde, props, nil)
	for _, h := range recs[0] {
		tbl.Columns = append(tbl.Columns, types.Column{Name: strings.ReplaceAll(h, "/", "_"), Type: types.VarcharType})
	}
	return tbl, recs[1:]
}

func TestCURSample(t *testing.T) {
	raw, err := os.ReadFile(curPath)
	if err != nil {
		t.Skipf("CUR sample not available: %v", err)
	}
	st := newTestStore()
	st.blobs["/mem/cur.csv.gz"] = gzipBytes(t, raw)
	for _, serde := range []string{ocsv, lazy} {
		tbl, want := curTable(t, serde)
		for _, loc := range []string{curPath, "/mem/cur.csv.gz"} {
			res, err := readAll(t, st, tbl, loc, nil, source.Split{Length: -1}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.rows) != 1281 {
				t.Fatalf("%s %q: %d rows, want 1281", loc, serde, len(res.rows))
			}
			if len(res.notices) != 1 || !strings.Contains(res.notices[0], "line 1") || !strings.Contains(res.notices[0], loc) {
				t.Errorf("notices %q", res.notices)
			}
			if serde != ocsv {
				continue
			}
			// encoding/csv is the oracle for the quoted layout.
			for i, row := range res.rows {
				for j, v := range row {
					w := want[i][j]
					if w == "" && v == "NULL" {
						t.Fatalf("row %d col %d: NULL for empty string", i, j)
					}
					if v != w {
						t.Fatalf("row %d col %d (%s): %q, want %q", i, j, tbl.Columns[j].Name, v, w)
					}
				}
			}
		}
	}
}

// TestZipArchive reads a zip whose entries (one gzip-compressed) are files
// with their own header lines.
func TestZipArchive(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string][]byte{
		"a.csv":    []byte("id,name\n1,x\n2,y\n"),
		"b.csv.gz": gzipBytes(t, []byte("id,name\n3,z\n")),
		"_SUCCESS": nil,
	} {
		w, _ := zw.Create(name)
		w.Write(body)
	}
	zw.Close()
	st := newTestStore()
	st.blobs["/mem/data.zip"] = buf.Bytes()
	tbl := tableOf(ocsv, nil, nil, "id int", "name string")
	res, err := readAll(t, st, tbl, "/mem/data.zip", nil, source.Split{Length: -1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.rows {
		got = append(got, strings.Join(r, "|"))
	}
	// Entry order follows the archive; compare as a set.
	if s := strings.Join(sortStrings(got), " "); s != "1|x 2|y 3|z" {
		t.Errorf("rows %s", s)
	}
	if len(res.notices) != 2 || !strings.Contains(strings.Join(res.notices, " "), "/mem/data.zip!") {
		t.Errorf("notices %q", res.notices)
	}
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

func TestTruncatedGzip(t *testing.T) {
	body := bytes.Repeat([]byte("1,some text here\n"), 50000)
	gz := gzipBytes(t, body)
	st := newTestStore()
	st.blobs["/mem/cut.csv.gz"] = gz[:len(gz)/2]
	st.blobs["/mem/notgzip.csv.gz"] = []byte("1,plain text\n")
	st.blobs["/mem/empty.csv.gz"] = nil
	tbl := tableOf(lazy, comma, nil, "a int", "b string")
	_, err := readAll(t, st, tbl, "/mem/cut.csv.gz", nil, source.Split{Length: -1}, 0)
	if err == nil || !strings.Contains(err.Error(), "/mem/cut.csv.gz") || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated gzip: %v", err)
	}
	if res, err := readAll(t, st, tbl, "/mem/empty.csv.gz", nil, source.Split{Length: -1}, 0); err != nil || len(res.rows) != 0 {
		t.Errorf("empty .gz file: %v, %d rows", err, len(res.rows))
	}
	_, err = readAll(t, st, tbl, "/mem/notgzip.csv.gz", nil, source.Split{Length: -1}, 0)
	if err == nil || !strings.Contains(err.Error(), "/mem/notgzip.csv.gz") || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("text named .gz: %v", err)
	}
}

// endlessLine yields n bytes without a line terminator.
type endlessLine struct{ left int }

func (e *endlessLine) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), e.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	e.left -= n
	return n, nil
}

// TestHugeLine streams a 100 MB line: the reader must stop at the record
// limit with an error naming file and line, not buffer the whole line.
func TestHugeLine(t *testing.T) {
	for _, tc := range []struct{ serde, start string }{{lazy, ""}, {ocsv, ""}, {ocsv, `"`}} {
		serde := tc.serde
		st := newTestStore()
		st.gens["/gen/huge.csv"] = func() io.Reader {
			return io.MultiReader(strings.NewReader("ok,1\n"+tc.start), &endlessLine{left: 100 << 20})
		}
		tbl := tableOf(serde, comma, nil, "a string", "b int")
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := readAll(t, st, tbl, "/gen/huge.csv", nil, source.Split{Length: -1}, 0)
		if err == nil || !strings.Contains(err.Error(), "/gen/huge.csv: line 2: record longer than 67108864 bytes") {
			t.Fatalf("%q: %v", serde, err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 400<<20 {
			t.Errorf("allocated %d MiB for a 100 MiB line", grown>>20)
		}
	}
}

func TestFieldCounts(t *testing.T) {
	in := "1,a,2.5,extra,fields\n2\n3,c\n"
	for _, serde := range []string{lazy, ocsv} {
		st := newTestStore()
		st.blobs["/mem/f.csv"] = []byte(in)
		tbl := tableOf(serde, comma, nil, "n int", "s string", "d double")
		res, err := readAll(t, st, tbl, "/mem/f.csv", nil, source.Split{Length: -1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := rowsString(res.rows); got != "1|a|2.5\n2|NULL|NULL\n3|c|NULL\n" {
			t.Errorf("%q: got\n%s", serde, got)
		}
	}
}

func TestCancel(t *testing.T) {
	st := newTestStore()
	st.blobs["/mem/c.csv"] = bytes.Repeat([]byte("1\n"), 100000)
	ctx, cancel := context.WithCancel(context.Background())
	info, _ := st.Stat(ctx, "/mem/c.csv")
	br, err := Format{}.Open(ctx, &source.Request{Store: st, File: info, Split: source.Split{Length: -1},
		Table: tableOf(lazy, nil, nil, "a int"), Columns: []int{0}, BatchRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := br.Next()
	rec.Release()
	cancel()
	if _, err := br.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
	if err1, err2 := br.Close(), br.Close(); err1 != nil || err2 != nil {
		t.Error("Close not idempotent")
	}
}

// TestCorpus reads every file of DuckDB's CSV corpus as OpenCSV and as
// LazySimpleSerDe with all-varchar columns: each must read or fail with an
// error naming the file, promptly and in bounded memory.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusPath); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	st := newTestStore()
	var files, failed int
	err := filepath.WalkDir(corpusPath, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		first := firstLine(path)
		for _, serde := range []string{ocsv, lazy} {
			n := strings.Count(first, ",") + 1
			tbl := tableOf(serde, comma, map[string]string{PropMaxRecordBytes: "1048576"}, nil...)
			for i := 0; i < n; i++ {
				tbl.Columns = append(tbl.Columns, types.Column{Name: "c" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)), Type: types.VarcharType})
			}
			done := make(chan error, 1)
			go func() {
				defer func() {
					if p := recover(); p != nil {
						done <- errors.New("panic")
						t.Errorf("%s (%q): panic: %v", path, serde, p)
					}
				}()
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				_, err := readAll(t, st, tbl, path, nil, source.Split{Length: -1}, 1000)
				mem.AssertSize(t, 0)
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					failed++
					if testing.Verbose() {
						t.Logf("%q: %v", serde, err)
					}
					if !strings.Contains(err.Error(), path) {
						t.Errorf("%s: error does not name the file: %v", path, err)
					}
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("%s (%q): no result after 20s", path, serde)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d reads failed with clear errors", files, failed)
}

func firstLine(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	b := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, b)
	b = b[:n]
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// TestCURSpecDDL reads the CUR sample with the seed's own DDL, whose
// columns differ from the file's (one missing, one added): the header
// must still be recognised, by name rather than position.
func TestCURSpecDDL(t *testing.T) {
	for _, spec := range []string{"cur-ddl-opencsv.sql", "cur-ddl-delimited.sql"} {
		ddl, err := os.ReadFile("../../../shared/spec/" + spec)
		if err != nil {
			t.Skipf("spec not available: %v", err)
		}
		serde, props := ocsv, map[string]string{}
		if strings.Contains(spec, "delimited") {
			serde, props = lazy, map[string]string{"field.delim": ",", "escape.delim": "\\"}
		}
		tbl := tableOf(serde, props, nil)
		for _, line := range strings.Split(string(ddl), "\n") {
			f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), ","))
			if len(f) == 2 && strings.EqualFold(f[1], "string") {
				tbl.Columns = append(tbl.Columns, types.Column{Name: f[0], Type: types.VarcharType})
			}
		}
		if len(tbl.Columns) < 50 {
			t.Fatalf("%s: parsed only %d columns", spec, len(tbl.Columns))
		}
		res, err := readAll(t, newTestStore(), tbl, curPath, []int{0, 5}, source.Split{Length: -1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.rows) != 1281 || len(res.notices) != 1 {
			t.Errorf("%s: %d rows, notices %q", spec, len(res.rows), res.notices)
		}
	}
}

func BenchmarkCUROpenCSV(b *testing.B) {
	raw, err := os.ReadFile(curPath)
	if err != nil {
		b.Skip(err)
	}
	recs, _ := encsv.NewReader(bytes.NewReader(raw)).ReadAll()
	tbl := tableOf(ocsv, nil, nil)
	for _, h := range recs[0] {
		tbl.Columns = append(tbl.Columns, types.Column{Name: strings.ReplaceAll(h, "/", "_"), Type: types.VarcharType})
	}
	st := newTestStore()
	st.blobs["/mem/cur.csv"] = raw
	info, _ := st.Stat(b.Context(), "/mem/cur.csv")
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
