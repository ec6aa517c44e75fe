package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/engine"
)

// writeEngine opens an engine with a small CSV table shop.orders.
func writeEngine(t *testing.T) (*engine.Engine, *engine.Session, string) {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "orders")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "1,10,2024-01-05,12.50\n2,10,2024-01-06,7.25\n3,11,2024-02-01,100.00\n4,12,2024-02-03,1.00\n"
	if err := os.WriteFile(filepath.Join(data, "orders.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	eng, err := engine.Open(engine.Config{CatalogDir: filepath.Join(dir, "catalog"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	sess := eng.NewSession()
	mustExec(t, sess, "CREATE SCHEMA shop; CREATE EXTERNAL TABLE shop.orders (id bigint, customer bigint, day date, amount decimal(10,2)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '"+data+"'")
	return eng, sess, dir
}

func mustExec(t *testing.T, sess *engine.Session, sql string) {
	t.Helper()
	if err := sess.Execute(context.Background(), sql, func(string, *engine.Result) error { return nil }); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// rowsOf runs a query and returns its rows as "a|b" strings.
func rowsOf(t *testing.T, sess *engine.Session, sql string) []string {
	t.Helper()
	cols, rows, err := sltDB{sess: sess}.Exec(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	_ = cols
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "|")
	}
	return out
}

func TestCTASInsertUnload(t *testing.T) {
	_, sess, dir := writeEngine(t)
	for _, format := range []string{"PARQUET", "JSON", "TEXTFILE"} {
		t.Run(format, func(t *testing.T) {
			name := "shop.by_month_" + strings.ToLower(format)
			mustExec(t, sess, "CREATE TABLE "+name+" WITH (format = '"+format+"', partitioned_by = ARRAY['month']) AS "+
				"SELECT id, customer, amount, date_format(day, '%Y-%m') AS month FROM shop.orders")
			got := rowsOf(t, sess, "SELECT month, count(*), sum(amount) FROM "+name+" GROUP BY 1 ORDER BY 1")
			want := []string{"2024-01|2|19.75", "2024-02|2|101.00"}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %v, want %v", got, want)
			}
			parts := rowsOf(t, sess, "SHOW PARTITIONS "+name)
			if strings.Join(parts, ",") != "month=2024-01,month=2024-02" {
				t.Errorf("partitions %v", parts)
			}
			// INSERT adds files and registers a new partition.
			mustExec(t, sess, "INSERT INTO "+name+" VALUES (5, 13, 3.00, '2024-03'), (6, 13, NULL, '2024-01')")
			got = rowsOf(t, sess, "SELECT month, count(*), sum(amount) FROM "+name+" GROUP BY 1 ORDER BY 1")
			want = []string{"2024-01|3|19.75", "2024-02|2|101.00", "2024-03|1|3.00"}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("after insert: got %v, want %v", got, want)
			}
		})
	}
	// A CTAS into a non-empty external location is refused, and nothing of
	// it stays behind.
	occupied := filepath.Join(dir, "occupied")
	os.MkdirAll(occupied, 0o755)
	os.WriteFile(filepath.Join(occupied, "x.csv"), []byte("1\n"), 0o644)
	err := sess.Execute(context.Background(), "CREATE TABLE shop.bad WITH (external_location = '"+occupied+"') AS SELECT 1 AS x", func(string, *engine.Result) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("CTAS into a non-empty location: %v", err)
	}
	if rows := rowsOf(t, sess, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'bad'"); rows[0] != "0" {
		t.Errorf("a refused CTAS left a table")
	}
	// A CTAS whose query fails half-way leaves no table and no file.
	failing := filepath.Join(dir, "failing")
	err = sess.Execute(context.Background(), "CREATE TABLE shop.failing WITH (external_location = '"+failing+"') AS SELECT id, 10 / (id - 3) AS q FROM shop.orders", func(string, *engine.Result) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "Division by zero") {
		t.Fatalf("failing CTAS: %v", err)
	}
	if rows := rowsOf(t, sess, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'failing'"); rows[0] != "0" {
		t.Errorf("a failed CTAS left a table")
	}
	if files := listFiles(t, failing); len(files) != 0 {
		t.Errorf("a failed CTAS left files: %v", files)
	}
	// UNLOAD writes files without a table; a second UNLOAD to the same
	// place is refused rather than overwriting.
	out := filepath.Join(dir, "unload")
	mustExec(t, sess, "UNLOAD (SELECT id, amount FROM shop.orders) TO '"+out+"' WITH (format = 'PARQUET')")
	if files := listFiles(t, out); len(files) != 1 || !strings.HasSuffix(files[0], ".parquet") {
		t.Errorf("UNLOAD wrote %v", files)
	}
	if err := sess.Execute(context.Background(), "UNLOAD (SELECT 1 AS x) TO '"+out+"'", func(string, *engine.Result) error { return nil }); err == nil {
		t.Errorf("a second UNLOAD to a non-empty location succeeded")
	}
	mustExec(t, sess, "CREATE EXTERNAL TABLE shop.unloaded (id bigint, amount decimal(10,2)) STORED AS PARQUET LOCATION '"+out+"'")
	if got := rowsOf(t, sess, "SELECT sum(amount) FROM shop.unloaded"); got[0] != "120.75" {
		t.Errorf("unloaded sum %v", got)
	}
	// A managed table: CREATE TABLE with columns, then INSERT ... SELECT.
	mustExec(t, sess, "CREATE TABLE shop.totals (customer bigint, total decimal(38,2))")
	mustExec(t, sess, "INSERT INTO shop.totals SELECT customer, sum(amount) FROM shop.orders GROUP BY 1")
	if got := rowsOf(t, sess, "SELECT count(*), sum(total) FROM shop.totals"); got[0] != "3|120.75" {
		t.Errorf("managed table %v", got)
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestWriteToS3 runs a partitioned CTAS and an INSERT against the
// S3-compatible test server that .ci/run starts.
func TestWriteToS3(t *testing.T) {
	endpoint := os.Getenv("QUARRY_TEST_S3_ENDPOINT")
	if endpoint == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("QUARRY_TEST_S3_ENDPOINT is not set in CI")
		}
		t.Skip("no S3 test server (source .ci/s3-server.sh)")
	}
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	bucket := "quarry-write-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	if err := os.MkdirAll(filepath.Join(os.Getenv("QUARRY_TEST_S3_DIR"), "root", bucket), 0o755); err != nil && os.Getenv("QUARRY_TEST_S3_DIR") != "" {
		t.Fatal(err)
	}
	_, sess, _ := writeEngine(t)
	loc := "s3://" + bucket + "/by_month"
	err := sess.Execute(context.Background(), "CREATE TABLE shop.s3_by_month WITH (format = 'PARQUET', partitioned_by = ARRAY['month'], external_location = '"+loc+"') AS "+
		"SELECT id, amount, date_format(day, '%Y-%m') AS month FROM shop.orders", func(string, *engine.Result) error { return nil })
	if err != nil {
		if strings.Contains(err.Error(), "does not exist") {
			t.Skipf("bucket could not be created through the server's folder: %v", err)
		}
		t.Fatal(err)
	}
	mustExec(t, sess, "INSERT INTO shop.s3_by_month VALUES (9, 1.00, '2024-05')")
	got := rowsOf(t, sess, "SELECT month, count(*), sum(amount) FROM shop.s3_by_month GROUP BY 1 ORDER BY 1")
	want := []string{"2024-01|2|19.75", "2024-02|2|101.00", "2024-05|1|1.00"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
}
