package engine_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/engine/output"
)

// spillRows is the generated table's size: about 30MB of CSV, 50MB and
// more to sort or group in memory.
const spillRows = 1_000_000

type spillRow struct {
	id     int64
	name   string
	amount int64 // cents
	g      int64
}

// writeSpillTable writes spillRows rows of CSV under dir/t and returns
// them.
func writeSpillTable(t *testing.T, dir string) []spillRow {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "t"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "t", "data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rows := make([]spillRow, spillRows)
	x := uint64(88172645463325252)
	for i := range rows {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		r := spillRow{id: int64(i), name: fmt.Sprintf("name-%05d", x%50_000), amount: int64(x>>20%2_000_000) - 500_000, g: int64(x>>8) % 300_000}
		rows[i] = r
		fmt.Fprintf(w, "%d,%s,%s,%d\n", r.id, r.name, cents(r.amount), r.g)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return rows
}

func cents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// spillQuery runs sql and renders its rows; onFirst runs after the first
// batch arrives.
func spillQuery(t *testing.T, sess *engine.Session, sql string, onFirst func()) ([]string, engine.Stats, error) {
	t.Helper()
	res, err := sess.Query(context.Background(), sql)
	if err != nil {
		return nil, engine.Stats{}, err
	}
	defer res.Close()
	var out []string
	for first := true; ; first = false {
		b, err := res.Next()
		if err != nil {
			return nil, res.Stats(), err
		}
		if b == nil {
			break
		}
		if first && onFirst != nil {
			onFirst()
		}
		for r := 0; r < int(b.NumRows()); r++ {
			parts := make([]string, b.NumCols())
			for c := range parts {
				v, _ := output.Value(b.Column(c), r, res.Columns[c].Type, time.UTC)
				parts[c] = v
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
	return out, res.Stats(), res.Close()
}

// TestSpillUnderMemoryLimit runs an ORDER BY and a GROUP BY whose state is
// several times the query memory limit: without spilling they fail with
// the memory-limit error; with it they return the right answer within the
// limit and leave no file in the spill directory.
func TestSpillUnderMemoryLimit(t *testing.T) {
	dir := t.TempDir()
	rows := writeSpillTable(t, dir)
	spillDir := t.TempDir()
	catalogs := []string{t.TempDir(), t.TempDir()}
	t.Setenv("TMPDIR", spillDir) // the spill directory defaults to os.TempDir()

	const limit = 24 << 20
	open := func(catalog string, limit int64) *engine.Session {
		eng, err := engine.Open(engine.Config{CatalogDir: catalog, Threads: 2, MemoryLimit: limit})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.Close() })
		sess := eng.NewSession()
		mustExec(t, sess, "CREATE EXTERNAL TABLE t (id bigint, name varchar, amount decimal(12,2), g bigint) "+
			"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '"+filepath.Join(dir, "t")+"'")
		return sess
	}
	unlimited, limited := open(catalogs[0], 0), open(catalogs[1], limit)
	sawSpill := func(what string) func() {
		return func() {
			if ents, _ := os.ReadDir(spillDir); len(ents) == 0 {
				t.Errorf("%s: no spill files while the result streams", what)
			}
		}
	}

	t.Run("order by", func(t *testing.T) {
		sql := "SELECT id, name, amount FROM t ORDER BY amount DESC, name, id"
		want := make([]spillRow, len(rows))
		copy(want, rows)
		sort.Slice(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if a.amount != b.amount {
				return a.amount > b.amount
			}
			if a.name != b.name {
				return a.name < b.name
			}
			return a.id < b.id
		})
		_, st, err := spillQuery(t, unlimited, sql, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.PeakMemory <= limit {
			t.Fatalf("in memory the sort peaks at %d bytes, under the %d limit: the test proves nothing", st.PeakMemory, limit)
		}
		t.Logf("in memory: peak %.1fMB in %v", float64(st.PeakMemory)/(1<<20), st.Elapsed)
		got, st, err := spillQuery(t, limited, sql, sawSpill("order by"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("limit %dMB: peak %.1fMB in %v", limit>>20, float64(st.PeakMemory)/(1<<20), st.Elapsed)
		if st.PeakMemory > limit {
			t.Errorf("peak %d over the limit", st.PeakMemory)
		}
		if len(got) != len(want) {
			t.Fatalf("%d rows, want %d", len(got), len(want))
		}
		for i, r := range want {
			if w := fmt.Sprintf("%d|%s|%s", r.id, r.name, cents(r.amount)); got[i] != w {
				t.Fatalf("row %d: got %s, want %s", i, got[i], w)
			}
		}
	})

	t.Run("group by", func(t *testing.T) {
		sql := "SELECT g, count(*), sum(amount), min(name), max(id) FROM t GROUP BY g"
		type agg struct {
			n, sum, maxID int64
			min           string
			names         map[string]bool
		}
		groups := map[int64]*agg{}
		for _, r := range rows {
			a := groups[r.g]
			if a == nil {
				a = &agg{min: r.name, maxID: r.id, names: map[string]bool{}}
				groups[r.g] = a
			}
			a.n++
			a.sum += r.amount
			a.min = min(a.min, r.name)
			a.maxID = max(a.maxID, r.id)
			a.names[r.name] = true
		}
		var want []string
		for g, a := range groups {
			want = append(want, fmt.Sprintf("%d|%d|%s|%s|%d", g, a.n, cents(a.sum), a.min, a.maxID))
		}
		sort.Strings(want)
		_, st, err := spillQuery(t, unlimited, sql, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.PeakMemory <= limit {
			t.Fatalf("in memory the aggregate peaks at %d bytes, under the %d limit: the test proves nothing", st.PeakMemory, limit)
		}
		t.Logf("in memory: peak %.1fMB in %v", float64(st.PeakMemory)/(1<<20), st.Elapsed)
		got, st, err := spillQuery(t, limited, sql, sawSpill("group by"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("limit %dMB: peak %.1fMB in %v", limit>>20, float64(st.PeakMemory)/(1<<20), st.Elapsed)
		if st.PeakMemory > limit {
			t.Errorf("peak %d over the limit", st.PeakMemory)
		}
		sort.Strings(got)
		if len(got) != len(want) {
			t.Fatalf("%d groups, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("got %s, want %s", got[i], want[i])
			}
		}
	})

	t.Run("select distinct", func(t *testing.T) {
		sql := "SELECT count(*), sum(g), max(name) FROM (SELECT DISTINCT name, g FROM t)"
		pairs := map[spillRow]bool{}
		var sum int64
		maxName := ""
		for _, r := range rows {
			k := spillRow{name: r.name, g: r.g}
			if !pairs[k] {
				pairs[k] = true
				sum += r.g
			}
			maxName = max(maxName, r.name)
		}
		want := fmt.Sprintf("%d|%d|%s", len(pairs), sum, maxName)
		_, st, err := spillQuery(t, unlimited, sql, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.PeakMemory <= limit {
			t.Fatalf("in memory the query peaks at %d bytes, under the %d limit: the test proves nothing", st.PeakMemory, limit)
		}
		t.Logf("in memory: peak %.1fMB in %v", float64(st.PeakMemory)/(1<<20), st.Elapsed)
		got, st, err := spillQuery(t, limited, sql, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("limit %dMB: peak %.1fMB in %v", limit>>20, float64(st.PeakMemory)/(1<<20), st.Elapsed)
		if len(got) != 1 || got[0] != want {
			t.Errorf("got %v, want %s", got, want)
		}
	})

	if ents, _ := os.ReadDir(spillDir); len(ents) > 0 {
		t.Errorf("%d files left in the spill directory", len(ents))
	}
	// The process survives and the next query runs.
	if got := rowsOf(t, limited, "SELECT count(*) FROM t"); len(got) != 1 || got[0] != fmt.Sprint(spillRows) {
		t.Errorf("count after spilling: %v", got)
	}
}
