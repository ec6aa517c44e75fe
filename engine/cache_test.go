package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/exec"
)

// TestCacheThroughEngine runs a query over a CSV table cold and warm (the
// cache persists in the catalog folder across engines), checks the answers
// are equal and the warm one is served locally, that EXPLAIN (TYPE IO)
// then prices the scan as local bytes, that an overwritten file is read
// afresh, and that CALL system.invalidate_cache drops the table's share.
func TestCacheThroughEngine(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "sales")
	os.MkdirAll(data, 0o755)
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		b.WriteString(strings.Join([]string{itoa(i), []string{"north", "south", "east"}[i%3], itoa(i%97) + ".25"}, ",") + "\n")
	}
	file := filepath.Join(data, "s.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	open := func() (*engine.Engine, *engine.Session) {
		eng, err := engine.Open(engine.Config{CatalogDir: filepath.Join(dir, "catalog"), Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		return eng, eng.NewSession()
	}
	const q = "SELECT region, count(*), sum(amount) FROM sales GROUP BY region ORDER BY region"
	run := func(sess *engine.Session) ([]string, engine.Stats) {
		t.Helper()
		r, err := sess.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				break
			}
			for i := 0; i < int(rec.NumRows()); i++ {
				rows = append(rows, rec.Column(0).ValueStr(i)+"|"+rec.Column(1).ValueStr(i)+"|"+rec.Column(2).ValueStr(i))
			}
		}
		r.Close()
		return rows, r.Stats()
	}
	eng, sess := open()
	mustExec(t, sess, "CREATE EXTERNAL TABLE sales (id bigint, region string, amount decimal(10,2)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '"+data+"'")
	cold, st := run(sess)
	if st.CacheHits != 0 || st.BytesRead == 0 {
		t.Fatalf("cold run: %+v", st)
	}
	eng.Close() // waits for the fill

	eng, sess = open()
	warm, st := run(sess)
	if strings.Join(warm, ";") != strings.Join(cold, ";") {
		t.Fatalf("warm answer %v differs from cold %v", warm, cold)
	}
	if st.CacheHits == 0 || st.BytesRead != 0 {
		t.Fatalf("warm run was not served from the cache: %+v", st)
	}
	io := rowsOf(t, sess, "EXPLAIN (TYPE IO) "+q)
	if len(io) < 1 || !strings.HasPrefix(io[0], "default.sales|1|NULL|0|") {
		t.Errorf("EXPLAIN (TYPE IO) over cached data: %v", io)
	}

	// An overwritten file is a miss with the new rows, never stale data.
	if err := os.WriteFile(file, []byte("1,west,1.00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now, st := run(sess)
	if len(now) != 1 || !strings.HasPrefix(now[0], "west|1|") || st.CacheHits != 0 {
		t.Fatalf("after overwrite: %v %+v", now, st)
	}
	eng.Close()

	eng, sess = open()
	defer eng.Close()
	if _, st := run(sess); st.CacheHits == 0 {
		t.Fatalf("the rewritten file was not cached: %+v", st)
	}
	mustExec(t, sess, "CALL system.invalidate_cache(schema_name => 'default', table_name => 'sales')")
	if _, st := run(sess); st.CacheHits != 0 || st.BytesRead == 0 {
		t.Fatalf("after invalidate_cache the scan still hit the cache: %+v", st)
	}
	if _, _, err := (sltDB{sess: sess}).Exec(context.Background(), "CALL system.nope()"); err == nil || !strings.Contains(err.Error(), "Procedure 'system.nope' not registered") {
		t.Errorf("unknown procedure: %v", err)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{digits[i%10]}, b...)
	}
	return string(b)
}

// TestResultsKeptOverWarmData: a dashboard's query repeated in one engine
// over warm data keeps the results of its parses, casts and predicates
// (exec.ResultMemo) and reuses them, with the same answer as a cold run;
// a file rewritten between runs gives the new answer.
func TestResultsKeptOverWarmData(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "usage")
	os.MkdirAll(data, 0o755)
	write := func(rows int, scale int) {
		var b strings.Builder
		for i := 0; i < rows; i++ {
			day := 1 + i%28
			b.WriteString(strings.Join([]string{
				"2025-02-" + itoa(day/10) + itoa(day%10) + "T" + itoa((i%24)/10) + itoa(i%24%10) + ":00:00Z",
				[]string{"Usage", "Fee", "RIFee", "DiscountedUsage"}[i%4],
				// Quarters add up exactly in any order: scan instances
				// share readers, so rows reach the sums in varying order.
				itoa(i%1000*scale) + []string{".0", ".25", ".5", ".75"}[i%4],
			}, ",") + "\n")
		}
		if err := os.WriteFile(filepath.Join(data, "u.csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(20000, 1)
	const q = `SELECT date_format(from_iso8601_timestamp(ts), '%Y-%m-%d') AS day,
		sum(CASE WHEN kind IN ('Fee', 'RIFee') THEN cost END) AS fees, sum(cost) AS total
		FROM usage WHERE from_iso8601_timestamp(ts) >= TIMESTAMP '2025-02-03 00:00:00 UTC'
		GROUP BY 1 ORDER BY 1`
	ddl := "CREATE EXTERNAL TABLE usage (ts string, kind string, cost string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '" + data + "'"
	answer := func(sess *engine.Session) string {
		t.Helper()
		return strings.Join(rowsOf(t, sess, q), ";")
	}
	reference := func() string {
		eng, err := engine.Open(engine.Config{CatalogDir: t.TempDir(), Threads: 2, NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		sess := eng.NewSession()
		mustExec(t, sess, ddl)
		return answer(sess)
	}
	want := reference()

	catalogDir := filepath.Join(dir, "catalog")
	eng, err := engine.Open(engine.Config{CatalogDir: catalogDir, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	sess := eng.NewSession()
	mustExec(t, sess, ddl)
	if got := answer(sess); got != want {
		t.Fatalf("cold: %s\nwant %s", got, want)
	}
	eng.Close() // waits for the fill
	eng, err = engine.Open(engine.Config{CatalogDir: catalogDir, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	sess = eng.NewSession()
	before, _ := exec.ResultMemoryUsed()
	for run := range 3 { // from disk, then from memory with results kept, then reusing them
		if got := answer(sess); got != want {
			t.Fatalf("warm run %d: %s\nwant %s", run, got, want)
		}
	}
	if after, _ := exec.ResultMemoryUsed(); after <= before {
		t.Fatalf("no result kept over warm data (%d entries, %d before)", after, before)
	}

	write(15000, 3)
	if want2, got := reference(), answer(sess); got != want2 || got == want {
		t.Fatalf("after the rewrite: %s\nwant %s (before: %s)", got, want2, want)
	}
}
