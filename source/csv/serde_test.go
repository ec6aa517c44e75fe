package csv

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/source"
)

type serdeCase struct {
	name    string
	serde   string
	props   map[string]string // SERDEPROPERTIES
	tprops  map[string]string // TBLPROPERTIES
	cols    []string
	proj    []int
	in      string
	want    string // rows joined by | and \n; NULL for nulls
	wantErr string // substring of the error, when an error is expected
	notice  bool
}

const lazy, ocsv = "", catalog.OpenCSVSerDe

var comma = map[string]string{"field.delim": ","}

func runSerdeCases(t *testing.T, cases []serdeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := newTestStore()
			loc := "/mem/" + strings.ReplaceAll(tc.name, " ", "_") + ".csv"
			st.blobs[loc] = []byte(tc.in)
			tbl := tableOf(tc.serde, tc.props, tc.tprops, tc.cols...)
			for _, batch := range []int{1, 3, 0} {
				res, err := readAll(t, st, tbl, loc, tc.proj, source.Split{Length: -1}, batch)
				if tc.wantErr != "" {
					if err == nil {
						t.Fatalf("no error; want %q; rows:\n%s", tc.wantErr, rowsString(res.rows))
					}
					if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), loc) {
						t.Fatalf("error %q; want it to contain %q and the location", err, tc.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := rowsString(res.rows); got != tc.want {
					t.Fatalf("batch %d: got\n%s\nwant\n%s", batch, got, tc.want)
				}
				if tc.notice != (len(res.notices) == 1) {
					t.Fatalf("notices %q; want notice=%v", res.notices, tc.notice)
				}
			}
		})
	}
}

func TestLazySimpleSerDe(t *testing.T) {
	runSerdeCases(t, []serdeCase{
		{name: "default ctrl-A delimiter", cols: []string{"a int", "b string"},
			in: "1\x01x\n2\x01y\n", want: "1|x\n2|y\n"},
		{name: "comma and no final newline", props: comma, cols: []string{"a int", "b string"},
			in: "1,x\n2,y", want: "1|x\n2|y\n"},
		{name: "CRLF line ends", props: comma, cols: []string{"a int", "b string"},
			in: "1,x\r\n2,y\r\n", want: "1|x\n2|y\n"},
		{name: "numeric delimiter is a byte value", props: map[string]string{"field.delim": "9"}, cols: []string{"a int", "b string"},
			in: "1\tx\n", want: "1|x\n"},
		{name: "TPC-H trailing delimiter", props: map[string]string{"field.delim": "|"}, cols: []string{"a int", "b string"},
			in: "1|x|\n2|y|\n", want: "1|x\n2|y\n"},
		{name: "extra fields ignored", props: comma, cols: []string{"a int", "b string"},
			in: "1,x,extra,more\n", want: "1|x\n"},
		{name: "missing fields are NULL", props: comma, cols: []string{"a int", "b string", "c double"},
			in: "1\n2,y\n", want: "1|NULL|NULL\n2|y|NULL\n"},
		{name: "default null format", props: comma, cols: []string{"a int", "b string"},
			in: "\\N,\\N\n", want: "NULL|NULL\n"},
		{name: "custom null format", props: map[string]string{"field.delim": ",", "serialization.null.format": ""}, cols: []string{"a int", "b string"},
			in: "1,\n", want: "1|NULL\n"},
		{name: "empty string is not NULL but empty number is", props: comma, cols: []string{"a int", "b string"},
			in: ",\n", want: "NULL|\n"},
		{name: "unparseable values are NULL", props: comma,
			cols: []string{"a int", "b double", "c decimal(5,2)", "d date", "e boolean", "f timestamp"},
			in:   "x,1.2.3,abc,2024-13-01,yes,noon\n", want: "NULL|NULL|NULL|NULL|NULL|NULL\n"},
		{name: "out of range integer is NULL", props: comma, cols: []string{"a tinyint", "b smallint", "c int"},
			in: "128,32768,2147483648\n-128,-32768,-2147483648\n", want: "NULL|NULL|NULL\n-128|-32768|-2147483648\n"},
		{name: "hive truncates integer fractions", props: comma, cols: []string{"a bigint"},
			in: "12.99\n-3.0\n", want: "12\n-3\n"},
		{name: "escaped delimiter", props: map[string]string{"field.delim": ",", "escape.delim": "\\"}, cols: []string{"a string", "b string"},
			in: "a\\,b,c\\\\d\n", want: "a,b|c\\d\n"},
		{name: "escaped newline", props: map[string]string{"field.delim": ",", "escape.delim": "\\"}, cols: []string{"a string"},
			in: "x\\ny\n", want: "x\ny\n"},
		{name: "null marker compared before unescaping", props: map[string]string{"field.delim": ",", "escape.delim": "\\"}, cols: []string{"a string", "b string"},
			in: "\\N,\\\\N\n", want: "NULL|\\N\n"},
		{name: "custom line delimiter", props: map[string]string{"field.delim": ",", "line.delim": ";"}, cols: []string{"a int", "b string"},
			in: "1,x;2,y;", want: "1|x\n2|y\n"},
		{name: "blank line is a row of NULLs", props: comma, cols: []string{"a int", "b string"},
			in: "1,x\n\n2,y\n", want: "1|x\nNULL|NULL\n2|y\n"},
		{name: "projection reorders", props: comma, cols: []string{"a int", "b string", "c int"}, proj: []int{2, 0},
			in: "1,x,3\n", want: "3|1\n"},
		{name: "empty projection counts rows", props: comma, cols: []string{"a int"}, proj: []int{},
			in: "1\n2\n3\n", want: "\n\n\n"},
		{name: "skip header lines", props: comma, tprops: map[string]string{"skip.header.line.count": "2"}, cols: []string{"a int"},
			in: "h1\nh2\n1\n2\n", want: "1\n2\n"},
		{name: "skip footer lines", props: comma, tprops: map[string]string{"skip.footer.line.count": "1"}, cols: []string{"a int"},
			in: "1\n2\ntotal\n", want: "1\n2\n"},
		{name: "header and footer in a tiny file", props: comma,
			tprops: map[string]string{"skip.header.line.count": "1", "skip.footer.line.count": "5"}, cols: []string{"a int"},
			in: "h\n1\n2\n", want: ""},
		{name: "header detected", props: comma, cols: []string{"identity_LineItemId string", "cost double"},
			in: "identity/LineItemId,Cost\nabc,1.5\n", want: "abc|1.5\n", notice: true},
		{name: "byte order mark dropped", props: comma, cols: []string{"id int", "name string"},
			in: "\xef\xbb\xbfid,name\n1,x\n", want: "1|x\n", notice: true},
		{name: "header detection off", props: comma, tprops: map[string]string{"quarry.header.detect": "false"},
			cols: []string{"a string", "b string"}, in: "a,b\nx,y\n", want: "a|b\nx|y\n"},
		{name: "no header when values differ", props: comma, cols: []string{"a string", "b string"},
			in: "a,zzz\nx,y\n", want: "a|zzz\nx|y\n"},
		{name: "varchar and char lengths", props: comma, cols: []string{"a varchar(3)", "b char(4)", "c varchar(2)"},
			in: "abcdef,ab    ,héllo\n", want: "abc|ab|hé\n"},
		{name: "invalid UTF-8 replaced", props: comma, cols: []string{"a string", "b int"},
			in: "a\xffb\xc3,1\n", want: "a\uFFFDb\uFFFD|1\n"},
		{name: "too long record", props: comma, tprops: map[string]string{"quarry.max.record.bytes": "10"}, cols: []string{"a string"},
			in: "short\n0123456789abcdef\n", wantErr: "line 2: record longer than 10 bytes"},
		{name: "bad property", props: comma, tprops: map[string]string{"skip.header.line.count": "x"}, cols: []string{"a string"},
			in: "1\n", wantErr: "skip.header.line.count"},
		{name: "unsupported type", props: comma, cols: []string{"a array(int)"},
			in: "1\n", wantErr: "not supported"},
	})
}

func TestOpenCSVSerde(t *testing.T) {
	runSerdeCases(t, []serdeCase{
		{name: "plain", serde: ocsv, cols: []string{"a string", "b string"},
			in: "x,y\nz,w\n", want: "x|y\nz|w\n"},
		{name: "quoted separators and doubled quotes", serde: ocsv, cols: []string{"a string", "b string"},
			in: "\"x,1\",\"say \"\"hi\"\"\"\n", want: "x,1|say \"hi\"\n"},
		{name: "quoted newlines", serde: ocsv, cols: []string{"a string", "b int"},
			in: "\"line1\nline2\r\nline3\",1\n\"z\",2\n", want: "line1\nline2\r\nline3|1\nz|2\n"},
		{name: "escape char inside quotes", serde: ocsv, cols: []string{"a string"},
			in: "\"a\\\"b\\\\c\"\n", want: "a\"b\\c\n"},
		{name: "lone escape dropped as opencsv does", serde: ocsv, cols: []string{"a string"},
			in: "a\\b\n", want: "ab\n"},
		{name: "custom separator quote escape", serde: ocsv,
			props: map[string]string{"separatorChar": "\t", "quoteChar": "'", "escapeChar": "\\\\"},
			cols:  []string{"a string", "b string"}, in: "'a\tb'\tc\n", want: "a\tb|c\n"},
		{name: "typed values parse", serde: ocsv,
			cols: []string{"a int", "b double", "c decimal(10,3)", "d date", "e timestamp(6)", "f boolean", "g bigint"},
			in:   "\"42\",1.5e3,-12.3456,2024-02-29,2024-02-29T10:11:12.1234565Z,TRUE,-9223372036854775808\n",
			want: "42|1500|-12.346|2024-02-29|2024-02-29T10:11:12.123457|true|-9223372036854775808\n"},
		{name: "empty fields", serde: ocsv, cols: []string{"a int", "b string", "c string"},
			in: ",,\"\"\n", want: "NULL||\n"},
		{name: "missing and extra fields", serde: ocsv, cols: []string{"a string", "b string"},
			in: "x\ny,z,extra\n", want: "x|NULL\ny|z\n"},
		{name: "unparseable value is an error", serde: ocsv, cols: []string{"id int", "cost double"},
			in: "1,2.5\n2,\"12,5\"\n", wantErr: `line 2, column 2 (cost): cannot parse "12,5" as double`},
		{name: "error line counts quoted newlines", serde: ocsv, cols: []string{"a string", "n int"},
			in: "\"a\nb\",1\nx,y\n", wantErr: `line 3, column 2 (n): cannot parse "y" as integer`},
		{name: "null for invalid data", serde: ocsv, tprops: map[string]string{"use.null.for.invalid.data": "true"},
			cols: []string{"id int", "cost double"}, in: "x,12,5\n", want: "NULL|12\n"},
		{name: "epoch numbers for date and timestamp", serde: ocsv, cols: []string{"d date", "ts timestamp"},
			in: "18276,1579059880000\n", want: "2020-01-15|2020-01-15T03:44:40\n"},
		{name: "decimal overflow is an error", serde: ocsv, cols: []string{"d decimal(4,2)"},
			in: "123.45\n", wantErr: "out of range"},
		{name: "unterminated quote", serde: ocsv, cols: []string{"a string"},
			in: "ok\n\"never closed\n", wantErr: "line 2: unterminated quoted field"},
		{name: "header detected quoted", serde: ocsv, cols: []string{"bill_PayerAccountId string", "lineItem_UnblendedCost double"},
			in: "\"bill/PayerAccountId\",\"lineItem/UnblendedCost\"\n\"1\",\"2.5\"\n", want: "1|2.5\n", notice: true},
		{name: "skip header property", serde: ocsv, tprops: map[string]string{"skip.header.line.count": "1"}, cols: []string{"a int"},
			in: "\"multi\nline header\"\n1\n", want: "1\n"},
	})
}
