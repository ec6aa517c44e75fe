package engine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/engine"
)

// TestRecoverKilledWrites fabricates the states a writer killed at each
// step of its commit leaves (staging folder, journal, published marker,
// catalog record) and checks what the next start makes of them.
func TestRecoverKilledWrites(t *testing.T) {
	eng, sess, dir := writeEngine(t)
	mustExec(t, sess, "CREATE TABLE shop.m WITH (format = 'TEXTFILE', field_delimiter = ',', partitioned_by = ARRAY['month']) AS "+
		"SELECT id, customer, amount, date_format(day, '%Y-%m') AS month FROM shop.orders")
	loc := strings.TrimSuffix(rowsOf(t, sess, "SELECT DISTINCT regexp_replace(\"$path\", '/month=.*', '') FROM shop.m")[0], "/")
	eng.Close()

	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// staged lays out a killed write: files already published (final
	// locations), the journal and, if published, the marker.
	staged := func(root, id string, files []string, parts []catalog.Partition, published bool) string {
		staging := filepath.Join(root, ".quarry-staging-1700000000000-"+id+"-abcd")
		write(filepath.Join(staging, id+"_unpublished_0.txt"), "99,99,9.99\n")
		j, _ := json.Marshal(map[string]any{"files": files, "partitions": parts})
		write(filepath.Join(staging, "_journal.json"), string(j))
		if published {
			write(filepath.Join(staging, "_published"), "")
		}
		return staging
	}
	insertDone := filepath.Join(loc, "month=2024-03", "qa_0.txt")
	write(insertDone, "7,14,5.00\n")
	insertHalf := filepath.Join(loc, "month=2024-04", "qb_0.txt")
	write(insertHalf, "8,15,6.00\n")
	ctasLoc := filepath.Join(dir, "ctas")
	ctasFile := filepath.Join(ctasLoc, "qc_0.txt")
	write(ctasFile, "1\n")

	cat, err := catalog.Open(filepath.Join(dir, "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	records := []catalog.PendingWrite{
		// Killed after publishing everything, before registering the partition: rolled forward.
		{ID: "qa", Kind: "INSERT", Schema: "shop", Table: "m", Location: loc,
			Staging: staged(loc, "qa", []string{insertDone}, []catalog.Partition{{Values: []string{"2024-03"}, Location: filepath.Join(loc, "month=2024-03")}}, true)},
		// Killed while publishing: rolled back.
		{ID: "qb", Kind: "INSERT", Schema: "shop", Table: "m", Location: loc,
			Staging: staged(loc, "qb", []string{insertHalf, filepath.Join(loc, "month=2024-04", "qb_1.txt")}, []catalog.Partition{{Values: []string{"2024-04"}}}, false)},
		// A CTAS that published but never registered its table: rolled back.
		{ID: "qc", Kind: "CREATE TABLE AS", Schema: "shop", Table: "gone", Location: ctasLoc,
			Staging: staged(ctasLoc, "qc", []string{ctasFile}, nil, true)},
		// Killed before its first file: only the staging folder existed.
		{ID: "qd", Kind: "INSERT", Schema: "shop", Table: "m", Location: loc, Staging: filepath.Join(loc, ".quarry-staging-1700000000000-qd-abcd")},
		// A record naming no staging folder: nothing is deleted.
		{ID: "qe", Kind: "INSERT", Schema: "shop", Table: "m", Location: loc, Staging: loc},
	}
	for _, r := range records {
		r.Started = time.Now()
		if err := cat.BeginWrite(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	cat.Close()

	eng, err = engine.Open(engine.Config{CatalogDir: filepath.Join(dir, "catalog"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	done, rerr := eng.Recovered()
	if rerr != nil {
		t.Fatalf("recovery: %v", rerr)
	}
	if len(done) != 4 {
		t.Errorf("recovered %d staging folders, want 4: %v", len(done), done)
	}
	sess = eng.NewSession()
	got := rowsOf(t, sess, "SELECT month, count(*), sum(amount) FROM shop.m GROUP BY 1 ORDER BY 1")
	want := []string{"2024-01|2|19.75", "2024-02|2|101.00", "2024-03|1|5.00"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("after recovery: got %v, want %v", got, want)
	}
	for _, gone := range []string{insertHalf, ctasFile, records[0].Staging, records[1].Staging, records[2].Staging} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s survived recovery", gone)
		}
	}
	for _, kept := range []string{insertDone, loc} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s: %v", kept, err)
		}
	}
	cat2 := eng.Catalog().(*catalog.Store)
	if left, _ := cat2.PendingWrites(ctx); len(left) != 0 {
		t.Errorf("pending records left: %+v", left)
	}
}
