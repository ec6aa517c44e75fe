package json

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/source"
)

const openFDASample = "/work/shared/data/openfda/drug_event_results_100.json"

// fdaColumns are the columns of /work/shared/spec/fda-raw-ddl.sql.
var fdaColumns = []string{
	"safetyreportid string",
	"receiptdate string",
	"receivedate string",
	"companynumb string",
	"serious string",
	"seriousnessdeath string",
	"patient struct<patientsex: string, patientonsetage: string, " +
		"drug: array<struct<medicinalproduct: string, drugcharacterization: string, drugindication: string, drugadministrationroute: string, drugauthorizationnumb: string>>, " +
		"reaction: array<struct<reactionmeddrapt: string>>>",
}

func openFDA(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(openFDASample)
	if err != nil {
		t.Skipf("openFDA sample not available: %v", err)
	}
	return b
}

// zipOf writes entries (name, bytes pairs) to a zip archive in dir.
func zipOf(t *testing.T, dir, name string, entries ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(entries[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenFDAZip reads the sample as an openFDA download: one document
// {"meta": ..., "results": [...]} inside a zip archive, with the DDL's
// columns, and checks nested values through the Arrow arrays.
func TestOpenFDAZip(t *testing.T) {
	results := openFDA(t)
	doc := `{"meta": {"disclaimer": "Do not rely on openFDA", "terms": "https://open.fda.gov/terms/", "results": {"skip": 0, "limit": 100, "total": 100}, "last_updated": "2024-01-01"}, "results": ` +
		string(results) + "}\n"
	path := zipOf(t, t.TempDir(), "drug-event-0001-of-0001.json.zip", "drug-event-0001-of-0001.json", doc)
	tbl := tableOf(map[string]string{"json.root": "results"}, fdaColumns...)
	st := newTestStore()

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	info, err := st.Stat(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	stats := new(source.Stats)
	if got := (Format{}).Split(tbl, info, 1024); len(got) != 1 {
		t.Fatalf("split into %d, want 1", len(got))
	}
	br, err := Format{}.Open(t.Context(), &source.Request{Store: st, File: info, Split: whole, Table: tbl,
		Columns: allColumns(tbl), Alloc: mem, BatchRows: 64, Stats: stats})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	rows, drugs, reactions, noAge := 0, 0, 0, 0
	var first, last []string
	for {
		rec, err := br.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			break
		}
		ids := rec.Column(0).(*array.String)
		pat := rec.Column(6).(*array.Struct)
		sex := pat.Field(0).(*array.String)
		age := pat.Field(1).(*array.String)
		drug := pat.Field(2).(*array.List)
		drugStruct := drug.ListValues().(*array.Struct)
		product := drugStruct.Field(0).(*array.String)
		reaction := pat.Field(3).(*array.List)
		pt := reaction.ListValues().(*array.Struct).Field(0).(*array.String)
		for i := 0; i < int(rec.NumRows()); i++ {
			b, e := drug.ValueOffsets(i)
			drugs += int(e - b)
			rb, re := reaction.ValueOffsets(i)
			reactions += int(re - rb)
			if age.IsNull(i) {
				noAge++
			}
			row := []string{ids.Value(i), sex.Value(i), product.Value(int(b)), pt.Value(int(re - 1))}
			if rows == 0 {
				first = row
			}
			last = row
			rows++
		}
		rec.Release()
	}
	if rows != 100 || drugs != 265 || reactions != 247 || noAge != 11 {
		t.Errorf("rows %d drugs %d reactions %d without age %d, want 100 265 247 11", rows, drugs, reactions, noAge)
	}
	if w := "5801206-7 1 DURAGESIC-100 OVERDOSE"; strings.Join(first, " ") != w {
		t.Errorf("first row %q, want %q", first, w)
	}
	if w := "10003400"; last[0] != w || last[3] != "Rosacea" {
		t.Errorf("last row %q, want id %s and last reaction Rosacea", last, w)
	}
	if stats.Rows.Load() != 100 || stats.FilesRead.Load() != 1 || stats.BytesDecompressed.Load() != int64(len(doc)) || stats.BytesRead.Load() == 0 {
		t.Errorf("stats rows %d files %d decompressed %d read %d", stats.Rows.Load(), stats.FilesRead.Load(),
			stats.BytesDecompressed.Load(), stats.BytesRead.Load())
	}
}

// TestOpenFDABareArray reads the sample file as it is, a bare array, with
// and without json.root = '$'.
func TestOpenFDABareArray(t *testing.T) {
	openFDA(t)
	for _, props := range []map[string]string{nil, {"json.root": "$"}} {
		tbl := tableOf(props, fdaColumns...)
		res, err := readAll(t, newTestStore(), tbl, openFDASample, []int{0, 6}, whole, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.rows) != 100 {
			t.Fatalf("%d rows", len(res.rows))
		}
		if r := res.rows[0]; r[0] != "5801206-7" || !strings.Contains(r[1], `"medicinalproduct":"DURAGESIC-100"`) || !strings.Contains(r[1], `"patientonsetage":"26"`) {
			t.Errorf("row 0: %s", res.rows[0][1])
		}
	}
}

func TestDocuments(t *testing.T) {
	tests := []struct {
		name  string
		root  string
		cols  []string
		data  string
		want  string
		error []string
	}{
		{"dotted path", "data.items", []string{"a int"},
			`{"x": [1, {"y": "]"}], "data": {"count": 2, "Items": [{"a": 1}, {"a": 2}], "after": {"z": "}"}}, "tail": 1}`,
			"1\n2\n", nil},
		{"$. prefix", "$.rows", []string{"a int"}, `{"rows": [{"a": 1}]}`, "1\n", nil},
		{"root is one object", "r", []string{"a int"}, `{"r": {"a": 9}}`, "9\n", nil},
		{"root is null", "r", []string{"a int"}, `{"r": null}`, "", nil},
		{"empty array", "r", []string{"a int"}, `{"r": []}`, "", nil},
		{"pretty printed", "results", []string{"a int", "b array<string>"},
			"{\n  \"results\" : [\n    {\n      \"a\" : 1,\n      \"b\" : [ \"x\" ]\n    } ,\n    { \"a\" : 2 }\n  ]\n}\n", "1|[\"x\"]\n2|NULL\n", nil},
		{"missing root", "results", []string{"a int"}, `{"meta": {}, "data": []}`, "",
			[]string{"/t/x.json", "json.root results not found", "meta, data"}},
		{"root not an array", "results", []string{"a int"}, `{"results": 5}`, "",
			[]string{"byte offset 12", "should hold an array"}},
		{"truncated in an element", "results", []string{"a int"}, `{"meta": {}, "results": [{"a": 1}, {"a": 2}, {"a": `, "1\n2\n",
			[]string{"/t/x.json", "truncated", "element 2 of results"}},
		{"truncated after the array", "results", []string{"a int"}, `{"results": [{"a": 1}]`, "1\n",
			[]string{"truncated"}},
		{"truncated in meta", "results", []string{"a int"}, `{"meta": {"a": [1, 2`, "",
			[]string{"truncated", "byte offset 9"}},
		{"malformed element", "results", []string{"a int"}, `{"results": [{"a": 1}, {"a" 2}]}`, "1\n",
			[]string{"malformed JSON", "byte offset 28", "element 1 of results"}},
		{"bad value in element", "results", []string{"a int"}, `{"results": [{"a": 1}, {"a": "x"}]}`, "1\n",
			[]string{"element 1 of results", "column a"}},
		{"garbage after the document", "results", []string{"a int"}, `{"results": []} {}`, "",
			[]string{"after the end of the JSON document"}},
		{"missing comma", "results", []string{"a int"}, `{"results": [{"a": 1} {"a": 2}]}`, "1\n",
			[]string{"after element 0 of results"}},
		{"element not an object", "results", []string{"a int"}, `{"results": [1]}`, "",
			[]string{"not a JSON object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newTestStore()
			st.blobs["/t/x.json"] = []byte(tc.data)
			// Batches of one row, so that the rows before an error are seen.
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			tbl := tableOf(map[string]string{"json.root": tc.root}, tc.cols...)
			info, _ := st.Stat(t.Context(), "/t/x.json")
			br, err := Format{}.Open(t.Context(), &source.Request{Store: st, File: info, Split: whole, Table: tbl,
				Columns: allColumns(tbl), Alloc: mem, BatchRows: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer br.Close()
			var got strings.Builder
			for {
				rec, err := br.Next()
				if err != nil {
					if tc.error == nil {
						t.Fatal(err)
					}
					for _, w := range tc.error {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("error %q does not contain %q", err, w)
						}
					}
					break
				}
				if rec == nil {
					if tc.error != nil {
						t.Errorf("no error, want %q", tc.error)
					}
					break
				}
				for i := 0; i < int(rec.NumRows()); i++ {
					var cells []string
					for c := 0; c < int(rec.NumCols()); c++ {
						cells = append(cells, render(rec.Column(c), i))
					}
					got.WriteString(strings.Join(cells, "|") + "\n")
				}
				rec.Release()
			}
			if got.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got.String(), tc.want)
			}
		})
	}
}

// TestZipEntries reads each entry of an archive as its own file, in
// order, skipping hidden entries.
func TestZipEntries(t *testing.T) {
	path := zipOf(t, t.TempDir(), "x.zip",
		"a.json", "{\"a\": 1}\n{\"a\": 2}\n",
		"__MACOSX/._a.json", "junk",
		"b.json", "[{\"a\": 3}]",
		"c.json", "{\"a\": 4}")
	res, err := readAll(t, newTestStore(), tableOf(nil, "a int"), path, nil, whole, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsString(res.rows); got != "1\n2\n3\n4\n" {
		t.Errorf("got %q", got)
	}
	if res.stats.FilesRead.Load() != 1 || res.stats.Rows.Load() != 4 {
		t.Errorf("files %d rows %d", res.stats.FilesRead.Load(), res.stats.Rows.Load())
	}
	// An error names the entry.
	path = zipOf(t, t.TempDir(), "y.zip", "a.json", "{\"a\": 1}\n", "bad.json", "{\"a\": }")
	_, err = readAll(t, newTestStore(), tableOf(nil, "a int"), path, nil, whole, 2)
	if err == nil || !strings.Contains(err.Error(), "y.zip!bad.json: line 1") {
		t.Errorf("error %v, want one naming y.zip!bad.json line 1", err)
	}
}

func TestProjection(t *testing.T) {
	data := `{"a": 1, "b": {"deep": [1, 2, 3]}, "c": "x"}` + "\n" + `{"c": "y", "a": 2}` + "\n"
	st := newTestStore()
	st.blobs["/t/x.json"] = []byte(data)
	tbl := tableOf(nil, "a int", "b struct<deep:array<int>>", "c string")
	for _, tc := range []struct {
		cols []int
		want string
	}{
		{[]int{2, 0}, "x|1\ny|2\n"},
		{[]int{1}, "{\"deep\":[1,2,3]}\nNULL\n"},
		{[]int{}, ""},
	} {
		res, err := readAll(t, st, tbl, "/t/x.json", tc.cols, whole, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := rowsString(res.rows)
		if len(tc.cols) == 0 {
			// No columns: batches still count rows.
			if res.stats.Rows.Load() != 2 {
				t.Errorf("rows %d, want 2", res.stats.Rows.Load())
			}
			continue
		}
		if got != tc.want {
			t.Errorf("cols %v: got %q want %q", tc.cols, got, tc.want)
		}
	}
}

// TestSkipLargeMembers: members outside json.root are skipped in
// constant memory, so they may exceed quarry.max.record.bytes; the rows
// may not.
func TestSkipLargeMembers(t *testing.T) {
	big := strings.Repeat("x\\\"]}", 2000)
	doc := `{"note": "` + big + `", "meta": [` + strings.Repeat(`{"k": "v"},`, 500) + `{}], "n": 12345, "results": [{"a": 1}, {"a": 2}], "after": "` + big + `"}`
	tbl := tableOf(map[string]string{"json.root": "results"}, "a int")
	tbl.Properties = map[string]string{PropMaxRecordBytes: "1024"}
	got, err := readString(t, tbl, doc)
	if err != nil {
		t.Fatal(err)
	}
	if got != "1\n2\n" {
		t.Errorf("got %q", got)
	}
	_, err = readString(t, tbl, `{"results": [{"a": "`+big+`"}]}`)
	if err == nil || !strings.Contains(err.Error(), "longer than 1024 bytes") {
		t.Errorf("error %v, want record too long", err)
	}
}
