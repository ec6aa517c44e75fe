package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/gen/cur"
	"github.com/quarry-sql/quarry/gen/openfda"
	"github.com/quarry-sql/quarry/gen/tpch"
)

// estExec runs a script, draining every result.
func estExec(t *testing.T, sess *engine.Session, script string) {
	t.Helper()
	err := sess.Execute(context.Background(), script, func(_ string, r *engine.Result) error {
		for {
			b, err := r.Next()
			if err != nil || b == nil {
				return err
			}
		}
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, script)
	}
}

// estimateAndRun returns a query's EXPLAIN (TYPE IO) estimate and the
// statistics of running it.
func estimateAndRun(t *testing.T, sess *engine.Session, sql string) (*engine.IOEstimate, engine.Stats) {
	t.Helper()
	ctx := context.Background()
	r, err := sess.Query(ctx, "EXPLAIN (TYPE IO) "+sql)
	if err != nil {
		t.Fatalf("EXPLAIN (TYPE IO): %v\n%s", err, sql)
	}
	est := r.Estimate
	r.Close()
	if est == nil {
		t.Fatal("EXPLAIN (TYPE IO) result has no Estimate")
	}
	r, err = sess.Query(ctx, sql)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	for {
		b, err := r.Next()
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		if b == nil {
			break
		}
	}
	r.Close()
	return est, r.Stats()
}

func sharedSpec(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "spec")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("../shared missing")
	}
	return dir
}

// curToParquetDDL turns one of the seed's CUR DDLs into the bench's Parquet
// table over the pipeline's output (bench/workloads.go, toParquet).
func curToParquetDDL(ddl, loc string) string {
	i := strings.Index(ddl, "ROW FORMAT")
	name := ddl[strings.Index(ddl, "aws_optimizer."):]
	name = name[:strings.IndexAny(name, " (\n")]
	return ddl[:i] + "PARTITIONED BY (usage_month string)\nSTORED AS PARQUET\nLOCATION '" + loc + "';\n" +
		"MSCK REPAIR TABLE " + name + ";\n"
}

// TestEstimateMatchesBytesRead is issue 10's done criterion for dry runs:
// on the benchmark workloads (small scale) the estimate of every query is
// within 10% of the bytes it actually reads from storage.
func TestEstimateMatchesBytesRead(t *testing.T) {
	if testing.Short() {
		t.Skip("generates data")
	}
	shared := sharedSpec(t)
	spec := filepath.Join(shared, "spec")
	read := func(parts ...string) string {
		b, err := os.ReadFile(filepath.Join(parts...))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	tp := filepath.Join(dir, "tpch")
	if _, err := tpch.Generate(ctx, tpch.Options{Out: tp, SF: 0.05, Formats: []string{"parquet", "tbl.gz"}, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	curDir := filepath.Join(dir, "cur")
	if _, err := cur.Generate(ctx, cur.Options{Out: curDir, TargetBytes: 6 << 20, Now: now, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	fdaDir := filepath.Join(dir, "fda")
	if _, err := openfda.Generate(ctx, openfda.Options{Out: fdaDir, Reports: 6000, Seed: 3}); err != nil {
		t.Fatal(err)
	}

	// DDL, as bench/workloads.go declares each workload.
	tpchDDL := read(spec, "tpch-ddl.sql")
	locRE := regexp.MustCompile(`LOCATION\s+'<tpch-dir>/(\w+)\.tbl\.gz'`)
	tblDDL := locRE.ReplaceAllStringFunc(tpchDDL, func(m string) string {
		return "LOCATION '" + filepath.Join(tp, "tbl-gz", locRE.FindStringSubmatch(m)[1]) + "'"
	})
	pqDDL := strings.ReplaceAll(tpchDDL, "ROW FORMAT DELIMITED FIELDS TERMINATED BY '|' STORED AS TEXTFILE", "STORED AS PARQUET")
	pqDDL = locRE.ReplaceAllStringFunc(pqDDL, func(m string) string {
		return "LOCATION '" + filepath.Join(tp, "parquet", locRE.FindStringSubmatch(m)[1]) + "'"
	})
	report := filepath.Join(curDir, "quarry-cur")
	delim, open := read(spec, "cur-ddl-delimited.sql"), read(spec, "cur-ddl-opencsv.sql")
	curCSV := "CREATE SCHEMA IF NOT EXISTS aws_optimizer;\n" +
		strings.Replace(delim, "'s3://<<your bucket name>>'", "'"+report+"'", 1) + "\n" +
		strings.Replace(open, "'s3://<<your bucket name>>/raw/'", "'"+report+"'", 1)
	curPQDir := filepath.Join(dir, "cur-parquet")
	pipeline := strings.Replace(read("..", "docs", "pipelines", "cur-to-parquet.sql"), "WITH (format = 'PARQUET',",
		"WITH (external_location = '"+curPQDir+"', format = 'PARQUET',", 1)
	curPQ := "CREATE SCHEMA IF NOT EXISTS aws_optimizer;\n" + curToParquetDDL(delim, curPQDir) + curToParquetDDL(open, curPQDir)
	fdaRaw := strings.ReplaceAll(read(spec, "fda-raw-ddl.sql"), "<openfda-dir>", fdaDir)
	fdaSession := "SET SESSION parse_decimal_literals_as_double = true"
	fdaPQ := strings.NewReplacer("fda.", "fda_raw.", "SCHEMA IF NOT EXISTS fda;", "SCHEMA IF NOT EXISTS fda_raw;").Replace(fdaRaw) +
		"; CREATE SCHEMA fda; " + read("..", "docs", "pipelines", "openfda-to-drugevents.sql")

	var tpchQs []string
	for i := 1; i <= 22; i++ {
		tpchQs = append(tpchQs, read(shared, "data", "tpch", "queries", fmt.Sprintf("q%02d.sql", i)))
	}
	// A CTE read twice is two scans, and is estimated as two.
	tpchQs = append(tpchQs, "WITH big AS (SELECT l_orderkey, l_quantity FROM lineitem WHERE l_quantity > 45) "+
		"SELECT count(*) FROM big a JOIN big b ON a.l_orderkey = b.l_orderkey")
	curQs := []string{read(spec, "cur-q1-ri-spend.sql"), read(spec, "cur-q2-data-transfer.sql"), read(spec, "cur-q3-tag-pivot.sql")}
	prr := read(spec, "fda-prr.sql")

	workloads := []struct {
		name    string
		schema  string
		setup   []string // run in turn on a fresh catalog
		queries []string
	}{
		{"tpch-parquet", "tpch", []string{pqDDL}, tpchQs},
		{"tpch-tbl", "tpch", []string{tblDDL}, tpchQs},
		{"cur-csv", "aws_optimizer", []string{curCSV}, curQs},
		{"cur-parquet", "aws_optimizer", []string{curCSV, pipeline, curPQ}, curQs},
		{"fda-json", "fda", []string{fdaRaw, fdaSession}, []string{prr}},
		{"fda-parquet", "fda", []string{fdaPQ, fdaSession}, []string{prr}},
	}
	for _, w := range workloads {
		t.Run(w.name, func(t *testing.T) {
			// Raw reads are what is compared: with the cache on, a repeated
			// scan is served locally (TestExplainIOWithCache covers that).
			eng, err := engine.Open(engine.Config{CatalogDir: filepath.Join(dir, "catalog-"+w.name), Threads: 2, Now: func() time.Time { return now }, NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			sess := eng.NewSession()
			if w.name == "cur-parquet" {
				// The pipeline writes the Parquet copy from the CSV tables,
				// which the Parquet tables of the same names then replace.
				estExec(t, sess, w.setup[0])
				estExec(t, sess, w.setup[1])
				estExec(t, sess, "DROP TABLE aws_optimizer.cost_and_usage; DROP TABLE aws_optimizer.cost_and_usage_raw")
				estExec(t, sess, w.setup[2])
			} else {
				for _, s := range w.setup {
					estExec(t, sess, s)
				}
			}
			sess.Schema = w.schema
			var estTotal, actTotal int64
			lo, hi := 10.0, 0.0
			for i, q := range w.queries {
				est, st := estimateAndRun(t, sess, q)
				if st.BytesRead == 0 {
					t.Fatalf("query %d read nothing", i+1)
				}
				ratio := float64(est.Bytes()) / float64(st.BytesRead)
				lo, hi = min(lo, ratio), max(hi, ratio)
				estTotal += est.Bytes()
				actTotal += st.BytesRead
				if ratio < 0.9 || ratio > 1.1 {
					t.Errorf("query %d: estimate %d bytes, read %d (ratio %.4f)\n%s", i+1, est.Bytes(), st.BytesRead, ratio, q)
				}
			}
			t.Logf("%s: %d queries, estimate %d bytes, read %d, ratio %.4f (per query %.4f..%.4f)",
				w.name, len(w.queries), estTotal, actTotal, float64(estTotal)/float64(actTotal), lo, hi)
		})
	}
}

// ioEngine opens an engine over a small CSV table and a Parquet table of
// ten row groups sorted by id.
func ioEngine(t *testing.T, cfg engine.Config) (*engine.Session, string) {
	t.Helper()
	dir := t.TempDir()
	for _, month := range []string{"2024-01", "2024-02", "2024-03"} {
		d := filepath.Join(dir, "orders", "month="+month)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		csv := fmt.Sprintf("1,10,%[1]s-05,12.50\n2,10,%[1]s-06,7.25\n3,11,%[1]s-11,100.00\n", month)
		if err := os.WriteFile(filepath.Join(d, "orders.csv"), []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type event struct {
		ID   int64  `parquet:"id"`
		Kind string `parquet:"kind"`
	}
	events := make([]event, 10000)
	for i := range events {
		events[i] = event{ID: int64(i), Kind: fmt.Sprintf("kind-%d", i%7)}
	}
	pq := filepath.Join(dir, "events")
	if err := os.MkdirAll(pq, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(pq, "events.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[event](f, parquet.MaxRowsPerRowGroup(1000))
	if _, err := w.Write(events); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cfg.CatalogDir = filepath.Join(dir, "catalog")
	if cfg.Threads == 0 {
		cfg.Threads = 2
	}
	cfg.NoCache = true // these tests compare estimates with raw reads
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	sess := eng.NewSession()
	estExec(t, sess, "CREATE SCHEMA shop; "+
		"CREATE EXTERNAL TABLE shop.orders (id bigint, customer bigint, day date, amount decimal(10,2)) PARTITIONED BY (month string) "+
		"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '"+filepath.Join(dir, "orders")+"'; "+
		"MSCK REPAIR TABLE shop.orders; "+
		"CREATE EXTERNAL TABLE shop.events (id bigint, kind varchar) STORED AS PARQUET LOCATION '"+pq+"'")
	return sess, dir
}

func TestExplainIOText(t *testing.T) {
	sess, _ := ioEngine(t, engine.Config{})
	db := sltDB{sess: sess}
	cols, rows, err := db.Exec(context.Background(),
		"EXPLAIN (TYPE IO) SELECT o.month, count(*) FROM shop.orders o JOIN shop.events e ON e.id = o.id "+
			"WHERE o.month >= '2024-02' AND e.id < 1500 GROUP BY 1")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(cols, ",") + "\n"
	for _, r := range rows {
		got += strings.Join(r, ",") + "\n"
	}
	want := `table,files,partitions,remote_bytes,local_bytes,rows,rows_are,athena_cost_usd,seconds
shop.orders,2,2/3,132,0,NULL,unknown,0.000000,0.00
shop.events,1,NULL,%d,0,2000,exact,%.6f,0.00
total,3,2/3,%d,0,2000,at least,0.000052,0.00
`
	// The Parquet bytes depend on the writer; the estimate must equal
	// what the reader reads, checked by running the query.
	est, st := estimateAndRun(t, sess, "SELECT o.month, count(*) FROM shop.orders o JOIN shop.events e ON e.id = o.id "+
		"WHERE o.month >= '2024-02' AND e.id < 1500 GROUP BY 1")
	if est.Bytes() != st.BytesRead {
		t.Errorf("estimate %d bytes, read %d", est.Bytes(), st.BytesRead)
	}
	pqBytes := est.Scans[1].RemoteBytes
	if want = fmt.Sprintf(want, pqBytes, float64(pqBytes)/1e12*5, pqBytes+132); got != want {
		t.Errorf("EXPLAIN (TYPE IO):\n%s\nwant\n%s", got, want)
	}
}

func TestExplainIOJSON(t *testing.T) {
	sess, _ := ioEngine(t, engine.Config{})
	db := sltDB{sess: sess}
	_, rows, err := db.Exec(context.Background(),
		"EXPLAIN (TYPE IO, FORMAT JSON) SELECT * FROM shop.orders WHERE month = '2024-03' AND day >= DATE '2024-03-06'")
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "inputTableColumnInfos": [
    {
      "table": {
        "catalog": "quarry",
        "schemaTable": {
          "schema": "shop",
          "table": "orders"
        }
      },
      "columnConstraints": [
        {
          "columnName": "day",
          "type": "date",
          "domain": {
            "nullsAllowed": false,
            "ranges": [
              {
                "low": {
                  "value": "2024-03-06",
                  "bound": "EXACTLY"
                },
                "high": {
                  "bound": "BELOW"
                }
              }
            ]
          }
        },
        {
          "columnName": "month",
          "type": "varchar",
          "domain": {
            "nullsAllowed": false,
            "ranges": [
              {
                "low": {
                  "value": "2024-03",
                  "bound": "EXACTLY"
                },
                "high": {
                  "value": "2024-03",
                  "bound": "EXACTLY"
                }
              }
            ]
          }
        }
      ],
      "estimate": {
        "outputRowCount": "NaN",
        "outputSizeInBytes": 66,
        "cpuCost": 66,
        "maxMemory": 0,
        "networkCost": 0,
        "files": 1,
        "partitionsRead": 1,
        "partitionsTotal": 3,
        "remoteBytes": 66,
        "localBytes": 0,
        "rowsExact": false,
        "athenaCostUsd": 0,
        "estimatedSeconds": 0
      }
    }
  ],
  "estimate": {
    "outputRowCount": "NaN",
    "outputSizeInBytes": 66,
    "cpuCost": 66,
    "maxMemory": 0,
    "networkCost": 0,
    "files": 1,
    "partitionsRead": 1,
    "partitionsTotal": 3,
    "remoteBytes": 66,
    "localBytes": 0,
    "rowsExact": false,
    "athenaCostUsd": 0.000052,
    "estimatedSeconds": 0
  }
}`
	if len(rows) != 1 || rows[0][0] != want {
		t.Errorf("EXPLAIN (TYPE IO, FORMAT JSON):\n%v\nwant\n%s", rows, want)
	}
	// INSERT names its output table, as in Trino.
	_, rows, err = db.Exec(context.Background(), "EXPLAIN (TYPE IO, FORMAT JSON) INSERT INTO shop.orders SELECT * FROM shop.orders")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], `"outputTable": {`) {
		t.Errorf("no outputTable in\n%s", rows[0][0])
	}
	for stmt, msg := range map[string]string{
		"EXPLAIN ANALYZE (TYPE IO) SELECT * FROM shop.orders": "EXPLAIN ANALYZE does not support TYPE IO",
		"EXPLAIN (TYPE IO) DROP TABLE shop.orders":            "EXPLAIN (TYPE IO) supports queries, INSERT, CREATE TABLE AS and UNLOAD",
		"EXPLAIN (TYPE IO, FORMAT GRAPHVIZ) SELECT 1":         "EXPLAIN (TYPE IO) supports FORMAT TEXT and JSON, not GRAPHVIZ",
	} {
		if _, _, err := db.Exec(context.Background(), stmt); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v, want %q", stmt, err, msg)
		}
	}
}

// TestEstimatePruning: partition pruning and Parquet row-group pruning
// both lower the estimate, which still equals what the query reads.
func TestEstimatePruning(t *testing.T) {
	sess, _ := ioEngine(t, engine.Config{})
	cases := []struct{ all, pruned string }{
		{"SELECT sum(amount) FROM shop.orders", "SELECT sum(amount) FROM shop.orders WHERE month = '2024-02'"},
		{"SELECT count(kind) FROM shop.events", "SELECT count(kind) FROM shop.events WHERE id >= 9500"},
	}
	for _, c := range cases {
		all, st1 := estimateAndRun(t, sess, c.all)
		pruned, st2 := estimateAndRun(t, sess, c.pruned)
		if all.Bytes() != st1.BytesRead || pruned.Bytes() != st2.BytesRead {
			t.Errorf("estimates %d and %d, read %d and %d", all.Bytes(), pruned.Bytes(), st1.BytesRead, st2.BytesRead)
		}
		if pruned.Bytes() >= all.Bytes() {
			t.Errorf("%s: estimate %d not below %d", c.pruned, pruned.Bytes(), all.Bytes())
		}
	}
	est, _ := estimateAndRun(t, sess, "SELECT count(kind) FROM shop.events WHERE id >= 9500")
	if est.Total.Rows != 1000 || !est.Total.RowsExact {
		t.Errorf("rows %d (exact %v), want exactly 1000: one row group survives", est.Total.Rows, est.Total.RowsExact)
	}
}

func TestScanLimit(t *testing.T) {
	ctx := context.Background()
	sess, dir := ioEngine(t, engine.Config{ScanLimit: 100})
	// 198 bytes of CSV over the limit of 100.
	_, err := sess.Query(ctx, "SELECT * FROM shop.orders")
	var sle *engine.ScanLimitError
	if !errors.As(err, &sle) {
		t.Fatalf("got %v, want a scan limit error", err)
	}
	if want := "Query would scan 198B (estimate: 3 files, $0.000052), over the scan limit of 100B"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	// Pruned below the limit, it runs.
	if _, rows, err := (sltDB{sess: sess}).Exec(ctx, "SELECT count(*) FROM shop.orders WHERE month = '2024-01'"); err != nil || rows[0][0] != "3" {
		t.Errorf("pruned query: %v %v", rows, err)
	}
	// The session property only tightens the limit.
	estExec(t, sess, "SET SESSION scan_limit = '10B'")
	if _, err := sess.Query(ctx, "SELECT count(*) FROM shop.orders WHERE month = '2024-01'"); !errors.As(err, &sle) || sle.Limit != 10 {
		t.Errorf("with scan_limit 10B: %v", err)
	}
	estExec(t, sess, "SET SESSION scan_limit = '1GB'")
	if _, err := sess.Query(ctx, "SELECT * FROM shop.orders"); !errors.As(err, &sle) || sle.Limit != 100 {
		t.Errorf("scan_limit 1GB raised the engine's limit: %v", err)
	}
	estExec(t, sess, "SET SESSION scan_limit = 'lots'")
	if _, err := sess.Query(ctx, "SELECT 1 FROM shop.orders"); err == nil || !strings.Contains(err.Error(), "scan_limit") {
		t.Errorf("invalid scan_limit: %v", err)
	}
	estExec(t, sess, "RESET SESSION scan_limit")
	// Writes are refused before anything is written.
	target := filepath.Join(dir, "copy")
	err = sess.Execute(ctx, "CREATE TABLE shop.copy WITH (external_location = '"+target+"') AS SELECT * FROM shop.orders",
		func(string, *engine.Result) error { return nil })
	if !errors.As(err, &sle) {
		t.Errorf("CTAS: got %v, want a scan limit error", err)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("CTAS refused but %s exists (%v)", target, err)
	}
	// A per-session (per-user) limit applies too.
	sess.ScanLimit = 50
	if _, err := sess.Query(ctx, "SELECT count(*) FROM shop.orders WHERE month = '2024-01'"); !errors.As(err, &sle) || sle.Limit != 50 {
		t.Errorf("session limit 50: %v", err)
	}
}

func TestDryRun(t *testing.T) {
	sess, dir := ioEngine(t, engine.Config{})
	target := filepath.Join(dir, "copy")
	var got []string
	err := sess.DryRun(context.Background(), "USE shop; CREATE SCHEMA nope; SELECT * FROM orders WHERE month = '2024-03'; "+
		"CREATE TABLE copy WITH (external_location = '"+target+"') AS SELECT * FROM orders; EXPLAIN ANALYZE SELECT count(*) FROM orders",
		func(stmt string, r *engine.Result) error {
			switch {
			case r.Estimate != nil:
				got = append(got, fmt.Sprintf("%s %d", r.Estimate.Statement, r.Estimate.Bytes()))
			default:
				got = append(got, r.Message)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"USE", "CREATE SCHEMA: reads no table data; not run (dry run)", "SELECT 66", "CREATE TABLE AS 198", "SELECT 198"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("dry run:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("dry run wrote %s", target)
	}
	if _, _, err := (sltDB{sess: sess}).Exec(context.Background(), "SHOW TABLES FROM nope"); err == nil {
		t.Errorf("dry run created schema nope")
	}
}
