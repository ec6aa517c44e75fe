package tpch

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/parquet-go/parquet-go"
)

func readText(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r = zr
	}
	var rows [][]string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasSuffix(line, "|") {
			t.Fatalf("%s: line %d lacks the trailing '|': %q", path, len(rows)+1, line)
		}
		rows = append(rows, strings.Split(strings.TrimSuffix(line, "|"), "|"))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func readParquet[T any](t *testing.T, dir string) []T {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "part-*.parquet"))
	if len(files) == 0 {
		t.Fatalf("%s: no parquet parts", dir)
	}
	var all []T
	for _, p := range files {
		rows, err := parquet.ReadFile[T](p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		all = append(all, rows...)
	}
	return all
}

var wantSF001 = map[string]int64{
	"part": 2000, "supplier": 100, "partsupp": 8000, "customer": 1500, "orders": 15000, "nation": 25, "region": 5,
}

func TestGenerateSF001(t *testing.T) {
	out := t.TempDir()
	res, err := Generate(context.Background(), Options{Out: out, SF: 0.01, Formats: []string{"tbl.gz", "parquet", "csv"}, Header: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables) != 24 {
		t.Fatalf("%d table outputs, want 24", len(res.Tables))
	}
	for _, tr := range res.Tables {
		if want, ok := wantSF001[tr.Table]; ok && tr.Rows != want {
			t.Errorf("%s/%s: %d rows, want %d", tr.Format, tr.Table, tr.Rows, want)
		}
		if tr.Table == "lineitem" && (tr.Rows < 50000 || tr.Rows > 70000) {
			t.Errorf("%s/lineitem: %d rows, want about 60000", tr.Format, tr.Rows)
		}
		if want := filepath.Join(out, strings.ReplaceAll(tr.Format, ".", "-"), tr.Table); tr.Dir != want {
			t.Errorf("dir %s, want %s", tr.Dir, want)
		}
	}

	tbl := func(table string) [][]string {
		return readText(t, filepath.Join(out, "tbl-gz", table, table+".tbl.gz"))
	}
	for table, want := range wantSF001 {
		if got := len(tbl(table)); int64(got) != want {
			t.Errorf("%s.tbl.gz: %d lines, want %d", table, got, want)
		}
	}

	// Key integrity and the derived-value rules, checked on the text output.
	parts := map[string]bool{}
	for _, p := range tbl("part") {
		parts[p[0]] = true
		if len(p) != 9 || !slices.Contains(containers, p[6]) || !slices.Contains(partTypes, p[4]) {
			t.Fatalf("part row %q", p)
		}
	}
	supps := map[string]bool{}
	for _, s := range tbl("supplier") {
		supps[s[0]] = true
	}
	partsupp := map[string]bool{}
	for _, ps := range tbl("partsupp") {
		if !parts[ps[0]] || !supps[ps[1]] {
			t.Fatalf("partsupp %q references a missing part or supplier", ps)
		}
		if partsupp[ps[0]+"|"+ps[1]] {
			t.Fatalf("partsupp key %s|%s repeated", ps[0], ps[1])
		}
		partsupp[ps[0]+"|"+ps[1]] = true
	}
	custs := map[string]bool{}
	for _, c := range tbl("customer") {
		custs[c[0]] = true
		if nk := c[3]; !strings.HasPrefix(c[4], itoa(atoi(nk)+10)+"-") {
			t.Fatalf("customer %s: phone %s does not start with nationkey %s + 10", c[0], c[4], nk)
		}
	}
	orders := map[string][]string{}
	for _, o := range tbl("orders") {
		if !custs[o[1]] || atoi(o[1])%3 == 0 {
			t.Fatalf("order %s: customer %s missing or divisible by 3", o[0], o[1])
		}
		orders[o[0]] = o
	}
	status := map[string]string{}
	for _, l := range tbl("lineitem") {
		o, ok := orders[l[0]]
		if !ok || !partsupp[l[1]+"|"+l[2]] {
			t.Fatalf("lineitem %q references a missing order or partsupp", l)
		}
		ship, commit, receipt, odate := l[10], l[11], l[12], o[4]
		if !(ship > odate && receipt > ship && commit > odate) {
			t.Fatalf("lineitem %q: dates out of order (order date %s)", l, odate)
		}
		switch {
		case receipt <= "1995-06-17" && l[8] != "R" && l[8] != "A", receipt > "1995-06-17" && l[8] != "N":
			t.Fatalf("lineitem %q: return flag %s for receipt %s", l, l[8], receipt)
		}
		status[l[0]] += l[9]
	}
	for k, s := range status {
		want := "P"
		if !strings.Contains(s, "O") {
			want = "F"
		} else if !strings.Contains(s, "F") {
			want = "O"
		}
		if orders[k][2] != want {
			t.Fatalf("order %s: status %s, want %s for line statuses %s", k, orders[k][2], want, s)
		}
	}

	// Parquet holds the same rows as the text.
	li := readParquet[LineItem](t, filepath.Join(out, "parquet", "lineitem"))
	if int64(len(li)) != res.Rows("lineitem") {
		t.Errorf("parquet lineitem rows %d, want %d", len(li), res.Rows("lineitem"))
	}
	first := tbl("lineitem")[0]
	if got := itoa(int(li[0].OrderKey)) + " " + dateStrings[li[0].ShipDate-startDate]; got != first[0]+" "+first[10] {
		t.Errorf("parquet first lineitem %q, text %q", got, first[0]+" "+first[10])
	}
	if n := len(readParquet[Nation](t, filepath.Join(out, "parquet", "nation"))); n != 25 {
		t.Errorf("parquet nation rows %d, want 25", n)
	}
	pf, err := os.Open(filepath.Join(out, "parquet", "lineitem", "part-00000.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	st, _ := pf.Stat()
	f, err := parquet.OpenFile(pf, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ col, want string }{
		{"l_orderkey", "INT(64,true)"}, {"l_linenumber", "INT(32,true)"}, {"l_extendedprice", "DECIMAL(15,2)"}, {"l_shipdate", "DATE"},
	} {
		c, ok := f.Schema().Lookup(tc.col)
		if !ok {
			t.Fatalf("parquet lineitem lacks %s", tc.col)
		}
		got := c.Node.Type().String()
		if lt := c.Node.Type().LogicalType(); lt != nil {
			got = lt.String()
		}
		if !strings.EqualFold(got, tc.want) {
			t.Errorf("%s: type %s, want %s", tc.col, got, tc.want)
		}
	}

	// csv: header row, ',' separated, comments quoted when they contain a comma.
	b, err := os.ReadFile(filepath.Join(out, "csv", "region", "region.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "r_regionkey,r_name,r_comment\n0,AFRICA,") {
		t.Errorf("region.csv starts %.60q", b)
	}
}

func TestDistributions(t *testing.T) {
	g := &gen{sc: newScale(0.01), text: newTextPool(1), clerks: []string{"Clerk#000000001"}}
	r := newRand(1)
	orders, lines := g.orders(r, 0, 15000)
	special := 0
	for _, o := range orders {
		if strings.Contains(o.Comment, "special") && strings.Contains(o.Comment[strings.Index(o.Comment, "special"):], "requests") {
			special++
		}
	}
	if special == 0 || special > len(orders)/20 {
		t.Errorf("%d of %d order comments match %%special%%requests%%, want a few percent at most", special, len(orders))
	}
	modes := map[string]int{}
	for _, l := range lines {
		modes[l.ShipMode]++
	}
	if len(modes) != 7 {
		t.Errorf("ship modes %v, want 7", modes)
	}
	parts, _ := g.parts(r, 1, 2001)
	green, forest := 0, 0
	for _, p := range parts {
		if strings.Contains(p.Name, "green") {
			green++
		}
		if strings.HasPrefix(p.Name, "forest") {
			forest++
		}
	}
	if green == 0 || forest == 0 {
		t.Errorf("part names with green %d, starting with forest %d: want both > 0", green, forest)
	}
	if len(colors) != 92 || len(partTypes) != 150 || len(containers) != 40 {
		t.Errorf("lists: %d colors, %d types, %d containers; want 92, 150, 40", len(colors), len(partTypes), len(containers))
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"no out", Options{}, "Out is empty"},
		{"format", Options{Out: t.TempDir(), Formats: []string{"orc"}}, `unknown format "orc"`},
		{"codec", Options{Out: t.TempDir(), Formats: []string{"parquet"}, Compression: "lz5"}, "lz5"},
		{"table", Options{Out: t.TempDir(), Tables: []string{"lineitems"}}, `unknown table "lineitems"`},
		{"sf", Options{Out: t.TempDir(), SF: -1}, "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Generate(context.Background(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	read := func(workers int) []byte {
		out := t.TempDir()
		_, err := Generate(context.Background(), Options{Out: out, SF: 0.02, Tables: []string{"orders"}, Workers: workers, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "orders", "orders.tbl"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if a, b := read(1), read(4); string(a) != string(b) {
		t.Error("output differs between 1 and 4 workers")
	}
}
