package csv

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/source"
)

// FuzzCSV feeds arbitrary bytes through both SerDes with typed columns and
// small batches: the reader must never panic, and every error must name
// the file.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"1,x,2.5,2024-01-01,true\n",
		"\"a,b\",\"c\"\"d\",\"multi\nline\"\r\n",
		"\\N,\\,x\\\n,\n\n",
		"\"unterminated\n1,2",
		"1|2|3|\n",
		"\xff\xfe,\x00\x01\"\n",
		"1e400,-0.0005,2024-02-30 25:61:61.1234567+99:99\n",
		"identity/LineItemId,cost\n1,2\n",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(runOne)
}

func runOne(t *testing.T, data []byte, mode uint8) {
	{
		st := newTestStore()
		st.blobs["/fuzz/x.csv"] = data
		serde := lazy
		props := map[string]string{"field.delim": ",", "escape.delim": "\\"}
		if mode&1 == 1 {
			serde, props = ocsv, nil
		}
		tprops := map[string]string{PropMaxRecordBytes: "4096"}
		if mode&2 != 0 {
			tprops["skip.footer.line.count"] = "1"
		}
		tbl := tableOf(serde, props, tprops, fuzzCols...)
		if mode&4 != 0 {
			// all strings: OpenCSV reads without parse errors
			for i := range tbl.Columns {
				tbl.Columns[i].Type.Kind = 9 // varchar
				tbl.Columns[i].Type.Precision, tbl.Columns[i].Type.Scale = 0, 0
			}
		}
		_, err := readAll(t, st, tbl, "/fuzz/x.csv", nil, source.Split{Length: -1}, 1+int(mode>>4))
		if err != nil && !strings.Contains(err.Error(), "/fuzz/x.csv") {
			t.Fatalf("error without location: %v", err)
		}
	}
}

var fuzzCols = []string{"a int", "b string", "c decimal(5,2)", "d date", "e boolean", "f timestamp", "g double", "h decimal(30,4)", "i char(2)"}
