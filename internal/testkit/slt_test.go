package testkit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `# a comment
hash-threshold 8

statement ok
CREATE TABLE t(x int)

skipif quarry # not yet
statement error line 1:8: Column 'y'.*
SELECT y
FROM t

onlyif sqlite
query IT rowsort lbl
SELECT 1,
  'a'
----
1	a
2
b

query R
SELECT 1.5

query I valuesort
SELECT 1
----
3 values hashing to 0123456789abcdef0123456789abcdef

halt
`
	s, err := Parse("x.slt", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Records) != 7 {
		t.Fatalf("got %d records, want 7", len(s.Records))
	}
	r := s.Records
	if r[0].Kind != KindHashThreshold || r[0].Threshold != 8 || r[0].Line != 2 {
		t.Errorf("hash-threshold: %+v", r[0])
	}
	if r[1].Kind != KindStatement || r[1].ExpectError || r[1].SQL != "CREATE TABLE t(x int)" || r[1].SQLLine != 5 {
		t.Errorf("statement ok: %+v", r[1])
	}
	if !r[2].ExpectError || r[2].ErrorRegex != "line 1:8: Column 'y'.*" || r[2].SQL != "SELECT y\nFROM t" ||
		len(r[2].Conditions) != 1 || r[2].Runs("quarry") || !r[2].Runs("sqlite") {
		t.Errorf("statement error: %+v", r[2])
	}
	q := r[3]
	if q.Kind != KindQuery || q.Types != "IT" || q.SortMode != RowSort || q.Label != "lbl" ||
		q.SQL != "SELECT 1,\n  'a'" || !q.HasSeparator || strings.Join(q.Expected, "|") != "1\ta|2|b" ||
		q.Runs("quarry") || !q.Runs("sqlite") || q.SQLEndIdx != 15 || q.ResultStartIdx != 16 || q.ResultEndIdx != 19 {
		t.Errorf("query: %+v", q)
	}
	if got := expectedValues(q.Expected); strings.Join(got, "|") != "1|a|2|b" {
		t.Errorf("expectedValues = %q", got)
	}
	if r[4].HasSeparator || r[4].Types != "R" || r[4].SortMode != NoSort || r[4].SQLEndIdx != 22 {
		t.Errorf("query without results: %+v", r[4])
	}
	if r[5].SortMode != ValueSort || len(r[5].Expected) != 1 {
		t.Errorf("hashed query: %+v", r[5])
	}
	if r[6].Kind != KindHalt {
		t.Errorf("halt: %+v", r[6])
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"frobnicate\n", `x.slt:1: unknown directive "frobnicate"`},
		{"statement maybe\nSELECT 1\n", `x.slt:1: statement needs ok or error, not "maybe"`},
		{"statement ok\n\n", "x.slt:1: statement without SQL"},
		{"\nquery I sideways\nSELECT 1\n", `x.slt:2: unknown sort mode "sideways"`},
		{"query i\nSELECT 1\n", `x.slt:1: bad column type letter 'i'`},
		{"statement error (\nSELECT 1\n", "x.slt:1: bad error regexp"},
		{"skipif quarry\n\nquery I\nSELECT 1\n", "x.slt:2: skipif/onlyif must be followed by a record"},
		{"hash-threshold x\n", `x.slt:1: bad hash-threshold "x"`},
	} {
		_, err := Parse("x.slt", tc.src)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %s", tc.src, err, tc.want)
		}
	}
}

// The first two queries of SQLite's select1.test, with the values SQLite
// returns for them, hash to what the suite records.
func TestHashSQLiteSuite(t *testing.T) {
	q1 := []int{358, 364, 376, 382, 398, 402, 410, 426, 432, 440, 458, 468, 478, 486, 490,
		1000, 1050, 1120, 1180, 1240, 1290, 1300, 1390, 1430, 1450, 1510, 1580, 1600, 1670, 1700}
	var v1 []string
	for _, v := range q1 {
		v1 = append(v1, strconv.Itoa(v))
	}
	if got, want := HashLine(v1), "30 values hashing to 3c13dee48d9356ae19af2515e05e6b54"; got != want {
		t.Errorf("HashLine = %s, want %s", got, want)
	}
	q2 := [][2]int{{1529, 102}, {1612, 107}, {1680, 112}, {1757, 117}, {1826, 122}, {1902, 127}, {1985, 132},
		{2046, 137}, {2131, 142}, {2202, 147}, {2281, 152}, {2349, 157}, {2432, 162}, {2501, 167}, {2579, 172},
		{2654, 177}, {2728, 182}, {2806, 187}, {2878, 192}, {2949, 197}, {3039, 202}, {3114, 207}, {3175, 212},
		{3260, 217}, {3331, 222}, {3399, 227}, {3473, 232}, {3553, 237}, {3629, 242}, {3706, 247}}
	var rows [][]string
	for _, r := range q2 {
		rows = append(rows, []string{strconv.Itoa(r[0]), strconv.Itoa(r[1])})
	}
	vals := SortValues(NoSort, FormatRows("II", rows))
	if got, want := HashLine(vals), "60 values hashing to 808146289313018fce25f1a280bd8c30"; got != want {
		t.Errorf("HashLine = %s, want %s", got, want)
	}
	if got, want := Hash(nil), "d41d8cd98f00b204e9800998ecf8427e"; got != want {
		t.Errorf("Hash(nil) = %s, want %s", got, want)
	}
}

// Run the head of SQLite's own select1.test (its statements and first two
// queries) against a fake DB holding SQLite's answers, when the shared
// corpus is present.
func TestSQLiteSuiteHead(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "sqllogictest", "select1.test")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Skip("shared sqllogictest corpus not present")
	}
	lines := strings.Split(string(text), "\n")
	s, err := Parse(path, strings.Join(lines[:108], "\n"))
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string][][]string{}
	q1 := []string{"358", "364", "376", "382", "398", "402", "410", "426", "432", "440", "458", "468", "478", "486", "490",
		"1000", "1050", "1120", "1180", "1240", "1290", "1300", "1390", "1430", "1450", "1510", "1580", "1600", "1670", "1700"}
	for _, v := range q1 {
		answers["q1"] = append(answers["q1"], []string{v})
	}
	a, b := []int{1529, 1612, 1680, 1757, 1826, 1902, 1985, 2046, 2131, 2202, 2281, 2349, 2432, 2501, 2579, 2654,
		2728, 2806, 2878, 2949, 3039, 3114, 3175, 3260, 3331, 3399, 3473, 3553, 3629, 3706}, 102
	for i, v := range a {
		answers["q2"] = append(answers["q2"], []string{strconv.Itoa(v), strconv.Itoa(b + 5*i)})
	}
	db := DBFunc(func(_ context.Context, sql string) ([]string, [][]string, error) {
		switch {
		case strings.HasPrefix(sql, "SELECT CASE"):
			return []string{"x"}, answers["q1"], nil
		case strings.HasPrefix(sql, "SELECT a+b*2"):
			return []string{"x", "y"}, answers["q2"], nil
		}
		return nil, nil, nil
	})
	res := RunScript(s, db, WithComplete(false))
	if len(res.Failures) > 0 || res.Ran != 33 {
		t.Errorf("ran %d, failures: %q", res.Ran, res.Failures)
	}
}

// fakeDB answers from a table keyed by SQL text.
type fakeDB map[string]struct {
	cols []string
	rows [][]string
	err  error
}

func (f fakeDB) Exec(_ context.Context, sql string) ([]string, [][]string, error) {
	a, ok := f[sql]
	if !ok {
		return nil, nil, errors.New("unknown query: " + sql)
	}
	return a.cols, a.rows, a.err
}

var fake = fakeDB{
	"SELECT 1":           {cols: []string{"a"}, rows: [][]string{{"1"}}},
	"SELECT x, y FROM t": {cols: []string{"x", "y"}, rows: [][]string{{"2", "NULL"}, {"1", ""}}},
	"SELECT r":           {cols: []string{"r"}, rows: [][]string{{"2.5"}, {"1.0E-4"}, {"NULL"}}},
	"SELECT bad":         {err: errors.New("line 1:8: Column 'bad' cannot be resolved")},
	"SELECT '/d/x.csv'":  {cols: []string{"p"}, rows: [][]string{{"ok"}}},
	"SELECT many":        {cols: []string{"a"}, rows: [][]string{{"3"}, {"1"}, {"2"}}},
	"SELECT nl":          {cols: []string{"a"}, rows: [][]string{{"a\nb"}}},
}

func TestRunCompare(t *testing.T) {
	src := `query I
SELECT 1
----
1

query IT rowsort
SELECT x, y FROM t
----
1	(empty)
2	NULL

query IT nosort
SELECT x, y FROM t
----
2
NULL
1
(empty)

query R
SELECT r
----
2.500
0.000
NULL

statement error Column 'bad' cannot
SELECT bad

query T
SELECT '${DATA}/x.csv'
----
ok

query I valuesort
SELECT many
----
1
2
3

query T
SELECT nl
----
a@b

skipif quarry
query I
SELECT not run
----
0

hash-threshold 2

query I rowsort
SELECT many
----
3 values hashing to c0710d6b4f15dfa88f600b0e6b624077

halt

query I
SELECT after halt
`
	s, err := Parse("c.slt", src)
	if err != nil {
		t.Fatal(err)
	}
	res := RunScript(s, fake, WithComplete(false), WithVar("DATA", "/d"))
	if len(res.Failures) > 0 {
		t.Errorf("failures:\n%s", strings.Join(res.Failures, "\n"))
	}
	if res.Ran != 9 || res.Skipped != 1 {
		t.Errorf("ran %d skipped %d, want 9 and 1", res.Ran, res.Skipped)
	}
}

func TestRunFailures(t *testing.T) {
	src := `query I
SELECT 1
----
2

query II
SELECT 1
----
1

statement ok
SELECT bad

statement error nomatch
SELECT bad

statement error
SELECT 1

query I
SELECT bad
----
1

query I
SELECT many
----
3
1

hash-threshold 1

query I
SELECT many
----
3
1
2
`
	s, err := Parse("f.slt", src)
	if err != nil {
		t.Fatal(err)
	}
	res := RunScript(s, fake, WithComplete(false))
	want := []string{
		`f.slt:1: query result mismatch: row 1 column 1: expected "2", got "1"`,
		"f.slt:6: query result mismatch: 2 columns expected (II), got 1 (a)",
		"f.slt:11: statement failed: line 1:8: Column 'bad' cannot be resolved",
		"f.slt:14: error message mismatch",
		"f.slt:17: statement succeeded but an error was expected",
		"f.slt:20: query failed: line 1:8: Column 'bad' cannot be resolved",
		"f.slt:25: query result mismatch: expected 2 values, got 3",
		"f.slt:33: query result mismatch: 3 values over the hash threshold",
	}
	if len(res.Failures) != len(want) {
		t.Fatalf("got %d failures, want %d:\n%s", len(res.Failures), len(want), strings.Join(res.Failures, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(res.Failures[i], w) {
			t.Errorf("failure %d = %q, want prefix %q", i, res.Failures[i], w)
		}
	}
}

func TestComplete(t *testing.T) {
	src := `# header comment
query I
SELECT 1
----
7

# keep me
query IT rowsort
SELECT x, y FROM t

query IT
SELECT x, y FROM t
----
old
values

skipif quarry
query I
SELECT untouched
----
42

statement error
SELECT bad

hash-threshold 2

query I valuesort
SELECT many
----
x
`
	want := `# header comment
query I
SELECT 1
----
1

# keep me
query IT rowsort
SELECT x, y FROM t
----
1	(empty)
2	NULL

query IT
SELECT x, y FROM t
----
2
NULL
1
(empty)

skipif quarry
query I
SELECT untouched
----
42

statement error
SELECT bad

hash-threshold 2

query I valuesort
SELECT many
----
` + HashLine([]string{"1", "2", "3"}) + "\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "c.slt")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	Run(t, path, fake, WithComplete(true))
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("completed file:\n%s\nwant:\n%s", got, want)
	}
	// A completed file passes and completing it again changes nothing.
	s, err := Parse(path, string(got))
	if err != nil {
		t.Fatal(err)
	}
	if res := RunScript(s, fake, WithComplete(false)); len(res.Failures) > 0 {
		t.Errorf("completed file fails: %q", res.Failures)
	}
	if res := RunScript(s, fake, WithComplete(true)); res.Changed {
		t.Errorf("second completion changed the file:\n%s", res.Rewritten)
	}
}
