package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/engine"
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
