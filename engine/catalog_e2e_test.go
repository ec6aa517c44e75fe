package engine_test

// End-to-end tests of issue 4 (the catalog) through the engine API: the
// spec DDL files, SHOW CREATE TABLE round trips, MSCK REPAIR and partition
// projection on 10,000 partitions, the queries BI tools send to discover
// tables, name resolution and DDL errors, hidden columns, and a kill -9 of
// the real binary in the middle of a DDL script.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/engine/output"
)

// e2eShared is ../shared beside the repository; tests that need its data
// skip outside CI when it is missing.
func e2eShared(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared data missing at %s", d)
		}
		t.Skipf("shared data missing at %s", d)
	}
	return d
}

func e2eOpen(t *testing.T, dir string) *engine.Engine {
	t.Helper()
	eng, err := engine.Open(engine.Config{CatalogDir: dir, Threads: 4})
	if err != nil {
		t.Fatalf("open catalog %s: %v", dir, err)
	}
	return eng
}

// e2eResult is a fully read result rendered as Trino prints values.
type e2eResult struct {
	cols    []string
	types   []string
	rows    [][]string
	stats   engine.Stats
	notices []string
	message string
}

func (r *e2eResult) column(name string) []string {
	for i, c := range r.cols {
		if c == name {
			out := make([]string, len(r.rows))
			for j, row := range r.rows {
				out[j] = row[i]
			}
			return out
		}
	}
	return nil
}

const e2eNull = "NULL"

func e2eDrain(r *engine.Result) (*e2eResult, error) {
	out := &e2eResult{message: r.Message}
	for _, c := range r.Columns {
		out.cols = append(out.cols, c.Name)
		out.types = append(out.types, c.Type.String())
	}
	for {
		b, err := r.Next()
		if err != nil {
			r.Close()
			return nil, err
		}
		if b == nil {
			break
		}
		for i := 0; i < int(b.NumRows()); i++ {
			row := make([]string, b.NumCols())
			for c := range row {
				v, ok := output.Value(b.Column(c), i, r.Columns[c].Type, time.UTC)
				if !ok {
					v = e2eNull
				}
				row[c] = v
			}
			out.rows = append(out.rows, row)
		}
	}
	if err := r.Close(); err != nil {
		return nil, err
	}
	out.stats = r.Stats()
	out.notices = r.AllNotices()
	return out, nil
}

func e2eTry(sess *engine.Session, sql string) (*e2eResult, error) {
	r, err := sess.Query(context.Background(), sql)
	if err != nil {
		return nil, err
	}
	return e2eDrain(r)
}

func e2eQuery(t *testing.T, sess *engine.Session, sql string) *e2eResult {
	t.Helper()
	r, err := e2eTry(sess, sql)
	if err != nil {
		t.Fatalf("%s\n→ %v", sql, err)
	}
	return r
}

// e2eExec runs a script of ;-separated statements, draining every result.
func e2eExec(t *testing.T, sess *engine.Session, script string) {
	t.Helper()
	err := sess.Execute(context.Background(), script, func(stmt string, r *engine.Result) error {
		_, err := e2eDrain(r)
		return err
	})
	if err != nil {
		t.Fatalf("script failed: %v\n%s", err, script)
	}
}

// e2eScalar runs a one-row, one-column query.
func e2eScalar(t *testing.T, sess *engine.Session, sql string) string {
	t.Helper()
	r := e2eQuery(t, sess, sql)
	if len(r.rows) != 1 || len(r.rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", sql, r.rows)
	}
	return r.rows[0][0]
}

func e2eFirstCol(r *e2eResult) []string {
	out := make([]string, len(r.rows))
	for i, row := range r.rows {
		out[i] = row[0]
	}
	return out
}

// ---------------------------------------------------------------------------
// 1. The spec DDL files run and survive a restart.

// specTables is what loading the spec DDL creates, per schema.
var specTables = map[string][]string{
	"aws_optimizer": {"cost_and_usage", "cost_and_usage_raw"},
	"fda":           {"drugevents", "drugevents_raw"},
	"fda_parquet":   {"drugevents"},
	"tpch":          {"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"},
}

// loadSpecDDL runs the DDL files of ../shared/spec with their placeholders
// replaced by real data: the CUR sample (copied alone into a folder), the
// 100 openFDA reports wrapped as a download, TPC-H sf-0.001, and an empty
// folder for the Parquet drugevents table. fda-ddl.sql and fda-raw-ddl.sql
// both define fda.drugevents (a table, or a view over the raw JSON), so the
// Parquet one is loaded into schema fda_parquet.
func loadSpecDDL(t *testing.T, sess *engine.Session, shared, data string) {
	t.Helper()
	curDir := filepath.Join(data, "cur")
	fdaRaw := filepath.Join(data, "openfda")
	fdaParquet := filepath.Join(data, "drugevents-parquet")
	for _, d := range []string{curDir, fdaRaw, fdaParquet} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := os.ReadFile(filepath.Join(shared, "data", "cur", "aws-cur-sample-anonymised.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(curDir, "cur.csv"), cur, 0o644); err != nil {
		t.Fatal(err)
	}
	results, err := os.ReadFile(filepath.Join(shared, "data", "openfda", "drug_event_results_100.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"meta": {"disclaimer": "test"}, "results": ` + string(results) + "}\n"
	if err := os.WriteFile(filepath.Join(fdaRaw, "drug-event-0001-of-0001.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	tpch := filepath.Join(shared, "data", "tpch", "data", "sf-0.001")

	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(shared, "spec", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	scripts := []struct{ file, sql string }{
		{"cur-ddl-delimited.sql", "CREATE SCHEMA IF NOT EXISTS aws_optimizer;\n" +
			strings.ReplaceAll(read("cur-ddl-delimited.sql"), "s3://<<your bucket name>>", curDir)},
		{"cur-ddl-opencsv.sql", strings.ReplaceAll(read("cur-ddl-opencsv.sql"), "s3://<<your bucket name>>/raw/", curDir+"/")},
		{"fda-ddl.sql", "CREATE SCHEMA IF NOT EXISTS fda_parquet;\n" + strings.NewReplacer(
			"fda.drugevents", "fda_parquet.drugevents",
			"s3://{YOUR TARGET BUCKET}/output/drugevents", fdaParquet).Replace(read("fda-ddl.sql"))},
		{"fda-raw-ddl.sql", strings.ReplaceAll(read("fda-raw-ddl.sql"), "<openfda-dir>", fdaRaw)},
		{"tpch-ddl.sql", strings.ReplaceAll(read("tpch-ddl.sql"), "<tpch-dir>", tpch)},
	}
	for _, s := range scripts {
		if placeholder.MatchString(s.sql) {
			t.Fatalf("%s: placeholder left: %s", s.file, placeholder.FindString(s.sql))
		}
		err := sess.Execute(context.Background(), s.sql, func(stmt string, r *engine.Result) error {
			_, err := e2eDrain(r)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", s.file, err)
		}
	}
}

// checkSpecTables checks SHOW TABLES, DESCRIBE and a query of every spec
// table; used before and after a restart.
func checkSpecTables(t *testing.T, sess *engine.Session) {
	t.Helper()
	schemas := e2eFirstCol(e2eQuery(t, sess, "SHOW SCHEMAS"))
	for s, want := range specTables {
		if !contains(schemas, s) {
			t.Errorf("SHOW SCHEMAS %v lacks %s", schemas, s)
		}
		got := e2eFirstCol(e2eQuery(t, sess, "SHOW TABLES FROM "+s))
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("SHOW TABLES FROM %s = %v, want %v", s, got, want)
		}
	}
	d := e2eQuery(t, sess, "DESCRIBE aws_optimizer.cost_and_usage")
	if len(d.rows) != 130 || d.rows[0][0] != "identity_lineitemid" || d.rows[0][1] != "varchar" {
		t.Errorf("DESCRIBE cost_and_usage: %d columns, first %v", len(d.rows), d.rows[0])
	}
	d = e2eQuery(t, sess, "DESCRIBE tpch.lineitem")
	if len(d.rows) != 16 || d.rows[5][0] != "l_extendedprice" || d.rows[5][1] != "decimal(15,2)" {
		t.Errorf("DESCRIBE tpch.lineitem: %v", d.rows)
	}
	d = e2eQuery(t, sess, "DESCRIBE fda.drugevents_raw")
	if len(d.rows) != 7 || d.rows[6][0] != "patient" || !strings.HasPrefix(d.rows[6][1], "row(") {
		t.Errorf("DESCRIBE fda.drugevents_raw: %v", d.rows)
	}
	checks := []struct{ sql, want string }{
		{"SELECT count(*) FROM tpch.nation", "25"},
		{"SELECT count(*) FROM tpch.lineitem", "6005"},
		{"SELECT n_name FROM tpch.nation WHERE n_nationkey = 7", "GERMANY"},
		// The OpenCSV table skips the header; the CUR sample has 1281 rows.
		{"SELECT count(*) FROM aws_optimizer.cost_and_usage_raw", "1281"},
		{"SELECT count(*) FROM fda.drugevents_raw", "100"},
		{"SELECT count(*) FROM fda_parquet.drugevents", "0"},
	}
	for _, c := range checks {
		if got := e2eScalar(t, sess, c.sql); got != c.want {
			t.Errorf("%s = %s, want %s", c.sql, got, c.want)
		}
	}
	if n := e2eScalar(t, sess, "SELECT count(*) FROM fda.drugevents"); n == "0" {
		t.Errorf("view fda.drugevents is empty")
	}
}

var placeholder = regexp.MustCompile(`<<|\{YOUR|'<[a-z]`)

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestE2ESpecDDLSurvivesRestart(t *testing.T) {
	shared := e2eShared(t)
	dir := t.TempDir()
	eng := e2eOpen(t, dir)
	loadSpecDDL(t, eng.NewSession(), shared, t.TempDir())
	checkSpecTables(t, eng.NewSession())
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}

	eng2 := e2eOpen(t, dir)
	defer eng2.Close()
	checkSpecTables(t, eng2.NewSession())
}

// ---------------------------------------------------------------------------
// 2. SHOW CREATE TABLE round-trips every table and view.

// roundTripExtras are definitions the spec files lack: partitions, a JSON
// SerDe with properties, Parquet, projection properties, comments, views.
func roundTripExtras(dir string) string {
	return fmt.Sprintf(`
CREATE SCHEMA IF NOT EXISTS rt;
CREATE EXTERNAL TABLE rt.events (
  id bigint COMMENT 'event id',
  Payload struct<Kind: string, n: int, tags: array<string>> COMMENT 'raw body, it''s nested',
  attrs map<string, double>,
  price decimal(12,4),
  at timestamp
)
COMMENT 'events from the "app" (JSON lines)'
PARTITIONED BY (region string COMMENT 'aws region', dt date)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true', 'case.insensitive' = 'false', 'mapping.at' = 'timestamp')
LOCATION '%[1]s/events';
CREATE EXTERNAL TABLE rt.metrics (name varchar, value double, ok boolean, n integer, b tinyint, s smallint, c char(3), bin varbinary)
PARTITIONED BY (year int, month int)
STORED AS PARQUET
LOCATION 'file://%[1]s/metrics'
TBLPROPERTIES ('parquet.compression' = 'SNAPPY', 'classification' = 'parquet');
CREATE EXTERNAL TABLE rt.logs (line string)
PARTITIONED BY (dt string, source string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\t' ESCAPED BY '\\' COLLECTION ITEMS TERMINATED BY ',' MAP KEYS TERMINATED BY ':' LINES TERMINATED BY '\n' NULL DEFINED AS '\\N'
STORED AS TEXTFILE
LOCATION '%[1]s/logs'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.source.type' = 'enum',
  'projection.source.values' = 'web,app',
  'storage.location.template' = '%[1]s/logs/${source}/${dt}',
  'skip.header.line.count' = '1'
);
CREATE EXTERNAL TABLE rt.quoted (a string, b string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ';', 'quoteChar' = '\'', 'escapeChar' = '\\')
LOCATION 's3://bucket/prefix/quoted/';
CREATE EXTERNAL TABLE rt.hivejson (a string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '%[1]s/hivejson';
CREATE VIEW rt.recent COMMENT 'last week''s events' AS
SELECT id, Payload.Kind AS kind, region, dt FROM rt.events WHERE dt > DATE '2024-01-01' AND region <> 'x';
CREATE OR REPLACE VIEW rt."Mixed View" AS SELECT 1 AS one, 'two' AS "Two"
`, dir)
}

// allTables lists schema.table for every table and view in the catalog.
func allTables(t *testing.T, sess *engine.Session) []string {
	t.Helper()
	var out []string
	for _, s := range e2eFirstCol(e2eQuery(t, sess, "SHOW SCHEMAS")) {
		if s == "information_schema" {
			continue
		}
		for _, tb := range e2eFirstCol(e2eQuery(t, sess, "SHOW TABLES FROM "+s)) {
			out = append(out, s+"."+tb)
		}
	}
	return out
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func TestE2EShowCreateTableRoundTrip(t *testing.T) {
	shared := e2eShared(t)
	eng := e2eOpen(t, t.TempDir())
	defer eng.Close()
	sess := eng.NewSession()
	data := t.TempDir()
	loadSpecDDL(t, sess, shared, data)
	e2eExec(t, sess, roundTripExtras(data))

	tables := allTables(t, sess)
	if len(tables) < 18 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	for _, name := range tables {
		t.Run(name, func(t *testing.T) {
			schema, table, _ := strings.Cut(name, ".")
			qn := quoteIdent(schema) + "." + quoteIdent(table)
			isView := e2eScalar(t, sess, fmt.Sprintf(
				"SELECT count(*) FROM information_schema.views WHERE table_schema = '%s' AND table_name = '%s'", schema, table)) == "1"
			what := "TABLE"
			if isView {
				what = "VIEW"
			}
			ddl1 := e2eScalar(t, sess, "SHOW CREATE "+what+" "+qn)
			desc1 := e2eQuery(t, sess, "DESCRIBE "+qn).rows
			if isView {
				// A view's columns come from binding; dropping a table it
				// reads would break it, so only views are dropped here.
				e2eExec(t, sess, "DROP VIEW "+qn)
			} else {
				e2eExec(t, sess, "DROP TABLE "+qn)
			}
			if _, err := e2eTry(sess, "DESCRIBE "+qn); err == nil {
				t.Fatalf("%s still exists after DROP", name)
			}
			e2eExec(t, sess, ddl1)
			ddl2 := e2eScalar(t, sess, "SHOW CREATE "+what+" "+qn)
			if ddl1 != ddl2 {
				t.Errorf("SHOW CREATE %s changed after re-running it:\n--- before\n%s\n--- after\n%s", what, ddl1, ddl2)
			}
			desc2 := e2eQuery(t, sess, "DESCRIBE "+qn).rows
			if fmt.Sprint(desc1) != fmt.Sprint(desc2) {
				t.Errorf("DESCRIBE changed:\n%v\n%v", desc1, desc2)
			}
			if testing.Verbose() && (schema == "rt" || table == "cost_and_usage_raw") {
				t.Logf("\n%s", ddl1)
			}
		})
	}
	// Spot checks on the printed DDL of the interesting cases.
	wantIn := map[string][]string{
		"rt.events": {"PARTITIONED BY (\n  `region` string COMMENT 'aws region',\n  `dt` date\n)",
			"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'", "WITH SERDEPROPERTIES (",
			"'ignore.malformed.json' = 'true'", "COMMENT 'event id'", "struct<"},
		"rt.metrics": {"STORED AS PARQUET", "PARTITIONED BY"},
		"rt.logs":    {"'projection.dt.type' = 'date'", "'storage.location.template' = ", "'projection.enabled' = 'true'"},
	}
	for name, wants := range wantIn {
		ddl := e2eScalar(t, sess, "SHOW CREATE TABLE "+name)
		for _, w := range wants {
			if !strings.Contains(ddl, w) {
				t.Errorf("SHOW CREATE TABLE %s lacks %q:\n%s", name, w, ddl)
			}
		}
	}
	v := e2eScalar(t, sess, "SHOW CREATE VIEW rt.recent")
	if !strings.HasPrefix(v, `CREATE VIEW "rt"."recent" COMMENT 'last week''s events' AS`) {
		t.Errorf("SHOW CREATE VIEW rt.recent:\n%s", v)
	}
}
