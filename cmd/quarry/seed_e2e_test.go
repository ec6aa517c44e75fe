package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedPivotThroughCLI is issue 6's acceptance path: generate a CUR
// delivery, run the seed's OpenCSVSerde DDL with its LOCATION edited, then
// the seed's Looker pivot query as CSV.
func TestSeedPivotThroughCLI(t *testing.T) {
	shared := sharedDir(t)
	home := t.TempDir()
	out := t.TempDir()
	if _, stderr, code := runQuarry(t, home, "", "gen", "cur", "--out", out, "--size", "4MB"); code != 0 {
		t.Fatalf("gen cur: %s", stderr)
	}
	ddl, err := os.ReadFile(filepath.Join(shared, "spec", "cur-ddl-opencsv.sql"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(ddl), "s3://<<your bucket name>>/raw/", filepath.Join(out, "quarry-cur"), 1)
	ddlFile := filepath.Join(t.TempDir(), "ddl.sql")
	os.WriteFile(ddlFile, []byte("CREATE SCHEMA aws_optimizer;\n"+edited), 0o644)
	if _, stderr, code := runQuarry(t, home, "", "sql", "-f", ddlFile); code != 0 {
		t.Fatalf("DDL: %s", stderr)
	}
	stdout, stderr, code := runQuarry(t, home, "", "sql", "--format", "csv", "-f", filepath.Join(shared, "spec", "cur-q3-tag-pivot.sql"))
	if code != 0 {
		t.Fatalf("pivot: %s", stderr)
	}
	rows := readCSV(t, stdout, ',')
	if len(rows) < 5 {
		t.Fatalf("pivot printed %d lines:\n%s", len(rows), stdout)
	}
	header := strings.Join(rows[0], ",")
	for _, col := range []string{"cost_and_usage.product_code", "cost_and_usage.customer_segment", "z___pivot_row_rank", "z__pivot_col_ordering"} {
		if !strings.Contains(header, col) {
			t.Errorf("pivot header lacks %s: %s", col, header)
		}
	}
	// Rows come ordered by the pivot row rank, starting at 1.
	if rows[1][8] != "1" {
		t.Errorf("first row's z___pivot_row_rank is %q, want 1", rows[1][8])
	}
	if !strings.Contains(stderr, "Athena cost $") {
		t.Errorf("no statistics line on stderr: %s", stderr)
	}
}
