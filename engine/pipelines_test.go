package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/gen/cur"
	"github.com/quarry-sql/quarry/gen/openfda"
)

func readFile(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSeedPipelines runs the seed's data preparation as the one-statement
// CTAS of docs/pipelines and checks the results against the raw tables:
// the same totals per month from CUR Parquet as from the gzip CSV, and the
// seed's PRR query unchanged over the flattened openFDA table giving the
// same answer as over the raw view.
func TestSeedPipelines(t *testing.T) {
	spec, err := filepath.Abs(filepath.Join("..", "..", "shared", "spec"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(spec); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("../shared/spec missing")
	}
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	if _, err := cur.Generate(ctx, cur.Options{Out: filepath.Join(dir, "cur"), TargetBytes: 3 << 20, Now: now, StaleAssembly: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := openfda.Generate(ctx, openfda.Options{Out: filepath.Join(dir, "fda"), Reports: 3000}); err != nil {
		t.Fatal(err)
	}
	eng, err := engine.Open(engine.Config{CatalogDir: filepath.Join(dir, "catalog"), Threads: 2, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	sess := eng.NewSession()

	curDDL := strings.Replace(readFile(t, spec, "cur-ddl-opencsv.sql"), "s3://<<your bucket name>>/raw/", filepath.Join(dir, "cur", "quarry-cur"), 1)
	mustExec(t, sess, "CREATE SCHEMA aws_optimizer; "+curDDL)
	mustExec(t, sess, readFile(t, "..", "docs", "pipelines", "cur-to-parquet.sql"))
	raw := rowsOf(t, sess, "SELECT date_format(from_iso8601_timestamp(lineitem_usagestartdate), '%Y-%m') m, count(*), round(sum(cast(lineitem_unblendedcost AS double)), 4) FROM aws_optimizer.cost_and_usage_raw GROUP BY 1 ORDER BY 1")
	pq := rowsOf(t, sess, "SELECT usage_month, count(*), round(sum(cast(lineitem_unblendedcost AS double)), 4) FROM aws_optimizer.cost_and_usage_parquet GROUP BY 1 ORDER BY 1")
	if len(raw) < 6 || strings.Join(raw, ",") != strings.Join(pq, ",") {
		t.Errorf("CUR Parquet differs from the CSV:\nraw %v\npq  %v", raw, pq)
	}
	if parts := rowsOf(t, sess, "SHOW PARTITIONS aws_optimizer.cost_and_usage_parquet"); len(parts) != len(raw) {
		t.Errorf("%d partitions for %d months", len(parts), len(raw))
	}

	fdaRaw := strings.ReplaceAll(readFile(t, spec, "fda-raw-ddl.sql"), "<openfda-dir>", filepath.Join(dir, "fda"))
	fdaRaw = strings.ReplaceAll(fdaRaw, "fda.", "fda_raw.")
	fdaRaw = strings.ReplaceAll(fdaRaw, "SCHEMA IF NOT EXISTS fda;", "SCHEMA IF NOT EXISTS fda_raw;")
	mustExec(t, sess, fdaRaw+"; CREATE SCHEMA fda")
	mustExec(t, sess, readFile(t, "..", "docs", "pipelines", "openfda-to-drugevents.sql"))
	prr := readFile(t, spec, "fda-prr.sql")
	mustExec(t, sess, "SET SESSION parse_decimal_literals_as_double = true")
	flat := rowsOf(t, sess, prr)
	viaView := rowsOf(t, sess, strings.ReplaceAll(prr, "fda.drugevents", "fda_raw.drugevents"))
	if len(flat) == 0 || strings.Join(flat, ",") != strings.Join(viaView, ",") {
		t.Errorf("PRR over the flattened Parquet table differs from the raw view:\nflat %v\nraw  %v", flat, viaView)
	}
}
