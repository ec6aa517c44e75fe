package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDryRunThroughCLI: quarry sql --dry-run prints what each statement
// would read, runs and writes nothing, and its estimate is the bytes the
// real run then reports; --scan-limit refuses the same query.
func TestDryRunThroughCLI(t *testing.T) {
	home, work := t.TempDir(), t.TempDir()
	data := filepath.Join(work, "tpch")
	if _, stderr, code := runQuarry(t, home, "", "gen", "tpch", "--sf", "0.01", "--formats", "parquet", "--out", data); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	ddl := "CREATE EXTERNAL TABLE orders STORED AS PARQUET LOCATION '" + filepath.Join(data, "orders") + "'"
	if _, stderr, code := runQuarry(t, home, "", "sql", "--quiet", "-e", ddl); code != 0 {
		t.Fatalf("DDL: %s", stderr)
	}
	const q = "SELECT o_orderpriority, count(*) FROM orders WHERE o_orderdate >= DATE '1995-01-01' GROUP BY 1"
	target := filepath.Join(work, "copy")
	script := "CREATE SCHEMA scratch; " + q + "; CREATE TABLE copy WITH (external_location = '" + target + "') AS SELECT * FROM orders"
	stdout, stderr, code := runQuarry(t, home, "", "sql", "--dry-run", "--threads", "2", "--format", "csv", "-e", script)
	if code != 0 {
		t.Fatalf("dry run exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	want := []string{"table,files,partitions,remote_bytes,local_bytes,rows,rows_are,athena_cost_usd,seconds"}
	if len(lines) != 6 || lines[0] != want[0] || !strings.HasPrefix(lines[1], "default.orders,1,,") || !strings.HasPrefix(lines[3], want[0]) {
		t.Fatalf("dry run printed:\n%s", stdout)
	}
	if !strings.Contains(lines[1], ",15000,exact,") {
		t.Errorf("rows not exact from the footer: %s", lines[1])
	}
	errLines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(errLines) != 3 || errLines[0] != "CREATE SCHEMA: reads no table data; not run (dry run)" ||
		!strings.HasPrefix(errLines[1], "dry run: SELECT would read 1 file, ") ||
		!strings.HasPrefix(errLines[2], "dry run: CREATE TABLE AS would read 1 file, ") || !strings.HasSuffix(errLines[2], "; nothing written") {
		t.Fatalf("dry run stderr:\n%s", stderr)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("dry run wrote %s", target)
	}
	if out, _, _ := runQuarry(t, home, "", "sql", "--quiet", "--format", "csv", "-e", "SHOW SCHEMAS LIKE 'scratch'"); strings.TrimSpace(out) != "Schema" {
		t.Errorf("dry run created a schema: %q", out)
	}

	// The real run scans what the dry run said.
	size := regexp.MustCompile(`would read 1 file, ([0-9.]+[KMG]?B) from storage`).FindStringSubmatch(errLines[1])
	_, runErr, code := runQuarry(t, home, "", "sql", "-e", q)
	if code != 0 || size == nil || !strings.Contains(runErr, "1 file, "+size[1]+" scanned") {
		t.Errorf("estimate %v, run reported: %s", size, runErr)
	}

	_, stderr, code = runQuarry(t, home, "", "sql", "--scan-limit", "10KB", "-e", q)
	if code != 1 || !strings.Contains(stderr, "quarry: Query would scan "+size[1]+" (estimate: 1 file, $0.000052), over the scan limit of 10.0KB") {
		t.Errorf("scan limit: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runQuarry(t, home, "", "sql", "--scan-limit", "lots", "-e", q); code != 2 || !strings.Contains(stderr, "--scan-limit") {
		t.Errorf("bad --scan-limit: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runQuarry(t, home, "", "serve", "--user-scan-limit", "alice", "--listen", "127.0.0.1:0"); code != 2 || !strings.Contains(stderr, "--user-scan-limit") {
		t.Errorf("bad --user-scan-limit: exit %d: %s", code, stderr)
	}
}
