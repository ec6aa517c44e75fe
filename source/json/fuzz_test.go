package json

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/source"
)

// FuzzJSON feeds arbitrary bytes through the JSON-lines and document
// layouts with nested typed columns, small batches and byte ranges: the
// reader and InferSchema must never panic, and reader errors must name
// the file.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`{"a": 1, "b": "x", "c": [1, 2], "d": {"e": 2.5, "f": ["y"]}, "m": {"k": 1}}` + "\n",
		`{"A": "12", "B": null, "C": [null], "D": {"E": "1e3"}, "ts": "2024-01-01 00:00:00"}`,
		`{"results": [{"a": 1}, {"a": "\ud83d\ude00"}], "meta": {}}`,
		`[{"a": 1}, null, 3]`,
		"{\"a\": \"\xff\xfe\", \"b\": \"\\u00\"}\n{\"a\":",
		`{"a": -0.0e-0, "b": 1E400, "d": {"e": -}}`,
		"\xef\xbb\xbf\n\n{}\r\n[[[[",
		`{"data": {"items": [{"x": {"y": [[]]}}]}}`,
	} {
		for mode := uint8(0); mode < 4; mode++ {
			f.Add([]byte(s), mode)
		}
	}
	f.Fuzz(fuzzOne)
}

var fuzzCols = []string{"a bigint", "b string", "c array<int>", "d struct<e:decimal(10,2),f:array<string>>",
	"m map<string,double>", "ts timestamp", "x date", "y boolean", "z decimal(30,3)", "r real"}

func fuzzOne(t *testing.T, data []byte, mode uint8) {
	{
		st := newTestStore()
		st.blobs["/fuzz/x.json"] = data
		props := map[string]string{}
		switch mode & 3 {
		case 1:
			props["json.root"] = "results"
		case 2:
			props["json.root"] = "data.items"
		}
		if mode&4 != 0 {
			props["ignore.malformed.json"] = "true"
		}
		if mode&8 != 0 {
			props["use.null.for.invalid.data"] = "true"
		}
		tbl := tableOf(props, fuzzCols...)
		tbl.Properties = map[string]string{PropMaxRecordBytes: "4096"}
		_, err := readAll(t, st, tbl, "/fuzz/x.json", nil, whole, 1+int(mode>>4))
		if err != nil && !strings.Contains(err.Error(), "/fuzz/x.json") {
			t.Fatalf("error without location: %v", err)
		}
		if mode&3 == 0 && len(data) > 2 {
			// A range that does not start at 0.
			off := int64(mode>>4) % int64(len(data))
			_, err := readAll(t, st, tbl, "/fuzz/x.json", nil, source.Split{Offset: off + 1, Length: int64(len(data)) / 2}, 2)
			if err != nil && !strings.Contains(err.Error(), "/fuzz/x.json") {
				t.Fatalf("error without location: %v", err)
			}
		}
		info, _ := st.Stat(t.Context(), "/fuzz/x.json")
		InferSchema(t.Context(), st, info, tbl, 10)
	}
}
