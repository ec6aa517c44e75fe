package json

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/types"
)

func TestInferSchema(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		data  string
		rows  int
		want  string // columns as "name type" joined by ", "
		err   string
	}{
		{"scalars", nil, `{"a": 1, "b": 2.5, "c": "x", "d": true, "e": null}`, 0,
			"a bigint, b double, c varchar, d boolean, e varchar", ""},
		{"merging", nil, `{"a": 1, "b": null, "c": 1}` + "\n" + `{"a": 2.5, "b": false, "c": "x", "D": [1]}` + "\n", 0,
			"a double, b boolean, c varchar, d array(bigint)", ""},
		{"nested", nil, `{"p": {"Sex": "1", "drug": [{"n": "a"}, {"n": "b", "i": 2}]}, "e": [], "o": {}}`, 0,
			"p row(sex varchar, drug array(row(n varchar, i bigint))), e array(varchar), o varchar", ""},
		{"object against scalar", nil, `{"a": {"x": 1}}` + "\n" + `{"a": 5}` + "\n", 0, "a varchar", ""},
		{"huge integer is double", nil, `{"a": 123456789012345678901234}`, 0, "a double", ""},
		{"sample limit", nil, `{"a": 1}` + "\n" + `{"a": "x"}` + "\n", 1, "a bigint", ""},
		{"json.root", map[string]string{"json.root": "results"}, `{"meta": {"m": 1}, "results": [{"id": "1"}, {"n": 2}]}`, 0,
			"id varchar, n bigint", ""},
		{"bare array", nil, `[{"a": 1}, {"b": 2}]`, 0, "a bigint, b bigint", ""},
		{"mapping and dots", map[string]string{"mapping.ts": "timestamp", "dots.in.keys": "true"}, `{"timestamp": "t", "a.b": 1}`, 0,
			"ts varchar, a_b bigint", ""},
		{"malformed", nil, `{"a": 1}` + "\n" + `{"a": }` + "\n", 0, "", "/t/x.json: line 2, byte offset 15: malformed JSON"},
		{"malformed ignored", map[string]string{"ignore.malformed.json": "true"}, `{"a": 1}` + "\n" + `{"a": }` + "\n" + "7\n", 0, "a bigint", ""},
		{"no objects", nil, "\n\n", 0, "", "no JSON objects"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newTestStore()
			st.blobs["/t/x.json"] = []byte(tc.data)
			info, _ := st.Stat(t.Context(), "/t/x.json")
			cols, err := InferSchema(t.Context(), st, info, tableOf(tc.props), tc.rows)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := colsString(cols); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func colsString(cols []types.Column) string {
	var parts []string
	for _, c := range cols {
		parts = append(parts, c.Name+" "+c.Type.String())
	}
	return strings.Join(parts, ", ")
}

// TestInferThenRead infers the openFDA sample's schema and reads the file
// with it, which must succeed: what inference promises the reader holds.
func TestInferThenRead(t *testing.T) {
	openFDA(t)
	st := newTestStore()
	info, err := st.Stat(t.Context(), openFDASample)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := InferSchema(t.Context(), st, info, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var patient types.Type
	for _, c := range cols {
		if c.Name == "patient" {
			patient = c.Type
		}
	}
	if !strings.Contains(patient.String(), "drug array(row(") || !strings.Contains(patient.String(), "reactionmeddrapt varchar") {
		t.Errorf("patient: %s", patient)
	}
	tbl := tableOf(nil)
	tbl.Columns = cols
	res, err := readAll(t, st, tbl, openFDASample, nil, whole, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.rows) != 100 {
		t.Errorf("%d rows", len(res.rows))
	}
}
