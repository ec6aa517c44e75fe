package parser

import (
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
)

// TestStatements checks each statement and clause by its canonical
// formatting, and that the canonical text parses back to the same tree.
func TestStatements(t *testing.T) {
	tests := []struct{ in, want string }{
		// SELECT basics
		{"select 1", "SELECT 1"},
		{"SELECT DISTINCT a, b FROM t", "SELECT DISTINCT a, b FROM t"},
		{"SELECT ALL a FROM t", "SELECT a FROM t"},
		{"SELECT *, t.*, s.t.* FROM t", "SELECT *, t.*, s.t.* FROM t"},
		{"SELECT t.* AS (x, y) FROM t", "SELECT t.* AS (x, y) FROM t"},
		{"SELECT a x, b AS y, c \"Z\" FROM t", `SELECT a AS x, b AS y, c AS "Z" FROM t`},
		{"SELECT a AS date, b year FROM t", "SELECT a AS date, b AS year FROM t"},
		{"SELECT 1 LIMIT 1", "SELECT 1 LIMIT 1"},
		{"SELECT a FROM t WHERE a > 1 GROUP BY a HAVING count(*) > 1", "SELECT a FROM t WHERE a > 1 GROUP BY a HAVING count(*) > 1"},
		// ORDER BY, OFFSET, LIMIT, FETCH
		{"SELECT a FROM t ORDER BY a ASC, b DESC NULLS LAST, c NULLS FIRST", "SELECT a FROM t ORDER BY a, b DESC NULLS LAST, c NULLS FIRST"},
		{"SELECT a FROM t ORDER BY 1 DESC LIMIT 500", "SELECT a FROM t ORDER BY 1 DESC LIMIT 500"},
		{"SELECT a FROM t LIMIT ALL", "SELECT a FROM t"},
		{"SELECT a FROM t OFFSET 10 ROWS LIMIT 5", "SELECT a FROM t OFFSET 10 ROWS LIMIT 5"},
		{"SELECT a FROM t OFFSET 1 ROW", "SELECT a FROM t OFFSET 1 ROWS"},
		{"SELECT a FROM t LIMIT 5 OFFSET 10", "SELECT a FROM t OFFSET 10 ROWS LIMIT 5"},
		{"SELECT a FROM t FETCH FIRST 3 ROWS ONLY", "SELECT a FROM t LIMIT 3"},
		{"SELECT a FROM t FETCH NEXT ROW ONLY", "SELECT a FROM t LIMIT 1"},
		{"SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES", "SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES"},
		{"SELECT a FROM t LIMIT ?", "SELECT a FROM t LIMIT ?"},
		// WITH
		{"WITH x AS (SELECT 1) SELECT * FROM x", "WITH x AS (SELECT 1) SELECT * FROM x"},
		{"WITH x (a, b) AS (SELECT 1, 2), y AS (SELECT 3) SELECT * FROM x, y", "WITH x (a, b) AS (SELECT 1, 2), y AS (SELECT 3) SELECT * FROM x, y"},
		{"WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r", "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r"},
		// set operations
		{"SELECT 1 UNION SELECT 2", "SELECT 1 UNION SELECT 2"},
		{"SELECT 1 UNION DISTINCT SELECT 2", "SELECT 1 UNION SELECT 2"},
		{"SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3", "SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3"},
		{"SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"},
		{"(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3", "(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"},
		{"SELECT 1 EXCEPT (SELECT 2 EXCEPT SELECT 3)", "SELECT 1 EXCEPT (SELECT 2 EXCEPT SELECT 3)"},
		{"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)", "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)"},
		{"SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 2", "SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 2"},
		{"VALUES (1, 'a'), (2, 'b')", "VALUES (1, 'a'), (2, 'b')"},
		{"VALUES 1, 2", "VALUES 1, 2"},
		{"TABLE s.t", "TABLE s.t"},
		{"SELECT (SELECT 1) + 1", "SELECT (SELECT 1) + 1"},
		{"SELECT ((SELECT 1) UNION (SELECT 2))", "SELECT ((SELECT 1) UNION (SELECT 2))"},
		// FROM and joins
		{"SELECT * FROM a, b, c", "SELECT * FROM a, b, c"},
		{"SELECT * FROM a JOIN b ON a.x = b.x", "SELECT * FROM a INNER JOIN b ON a.x = b.x"},
		{"SELECT * FROM a INNER JOIN b USING (x, y)", "SELECT * FROM a INNER JOIN b USING (x, y)"},
		{"SELECT * FROM a LEFT OUTER JOIN b ON p RIGHT JOIN c ON q FULL OUTER JOIN d ON r", "SELECT * FROM a LEFT JOIN b ON p RIGHT JOIN c ON q FULL JOIN d ON r"},
		{"SELECT * FROM a CROSS JOIN b", "SELECT * FROM a CROSS JOIN b"},
		{"SELECT * FROM a NATURAL JOIN b NATURAL LEFT JOIN c", "SELECT * FROM a NATURAL INNER JOIN b NATURAL LEFT JOIN c"},
		{"SELECT * FROM a JOIN b JOIN c ON p ON q", "SELECT * FROM a INNER JOIN (b INNER JOIN c ON p) ON q"},
		{"SELECT * FROM a JOIN (b JOIN c ON p) ON q", "SELECT * FROM a INNER JOIN (b INNER JOIN c ON p) ON q"},
		{"SELECT * FROM (a JOIN b ON p) AS j", "SELECT * FROM (a INNER JOIN b ON p) AS j"},
		{"SELECT * FROM (t) x", "SELECT * FROM t AS x"},
		{"SELECT * FROM a, b JOIN c ON p", "SELECT * FROM a, b INNER JOIN c ON p"},
		{"SELECT * FROM t AS x (a, b)", "SELECT * FROM t AS x (a, b)"},
		{"SELECT * FROM cat.sch.t tt", "SELECT * FROM cat.sch.t AS tt"},
		{"SELECT * FROM (SELECT 1) AS s (one)", "SELECT * FROM (SELECT 1) AS s (one)"},
		{"SELECT * FROM (SELECT 1)", "SELECT * FROM (SELECT 1)"},
		{"SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) u", "SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) AS u"},
		{"SELECT * FROM (VALUES (1, 'a')) AS v (n, s)", "SELECT * FROM (VALUES (1, 'a')) AS v (n, s)"},
		{"SELECT * FROM t, LATERAL (SELECT t.a) l", "SELECT * FROM t, LATERAL (SELECT t.a) AS l"},
		{"SELECT * FROM t CROSS JOIN UNNEST(t.arr) AS u (x)", "SELECT * FROM t CROSS JOIN UNNEST(t.arr) AS u (x)"},
		{"SELECT * FROM UNNEST(ARRAY[1, 2], ARRAY['a']) WITH ORDINALITY AS u (n, s, i)", "SELECT * FROM UNNEST(ARRAY[1, 2], ARRAY['a']) WITH ORDINALITY AS u (n, s, i)"},
		{"SELECT * FROM t TABLESAMPLE BERNOULLI (10)", "SELECT * FROM t TABLESAMPLE BERNOULLI (10)"},
		{"SELECT * FROM t x TABLESAMPLE SYSTEM (2.5)", "SELECT * FROM t AS x TABLESAMPLE SYSTEM (2.5)"},
		{"SELECT * FROM t LIMIT 3", "SELECT * FROM t LIMIT 3"},
		{"SELECT * FROM t limit", "SELECT * FROM t AS limit"},
		// GROUP BY
		{"SELECT a FROM t GROUP BY 1, 2", "SELECT a FROM t GROUP BY 1, 2"},
		{"SELECT a FROM t GROUP BY DISTINCT a, (b, c), ()", "SELECT a FROM t GROUP BY DISTINCT a, (b, c), ()"},
		{"SELECT a FROM t GROUP BY (a)", "SELECT a FROM t GROUP BY a"},
		{"SELECT a FROM t GROUP BY ROW(a, b)", "SELECT a FROM t GROUP BY ROW(a, b)"},
		{"SELECT a FROM t GROUP BY ROLLUP (a, b), CUBE (c)", "SELECT a FROM t GROUP BY ROLLUP (a, b), CUBE (c)"},
		{"SELECT a FROM t GROUP BY GROUPING SETS ((a, b), a, ())", "SELECT a FROM t GROUP BY GROUPING SETS ((a, b), a, ())"},
		{"SELECT a FROM t GROUP BY rpad(a, 4, 'NA')", "SELECT a FROM t GROUP BY rpad(a, 4, 'NA')"},
		// WINDOW clause
		{"SELECT rank() OVER w FROM t WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b)", "SELECT rank() OVER w FROM t WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b)"},
		{"SELECT a window FROM t", "SELECT a AS window FROM t"},
		// statements
		{"EXPLAIN SELECT 1", "EXPLAIN SELECT 1"},
		{"EXPLAIN ANALYZE VERBOSE SELECT 1", "EXPLAIN ANALYZE VERBOSE SELECT 1"},
		{"EXPLAIN (TYPE DISTRIBUTED, FORMAT GRAPHVIZ) SELECT 1", "EXPLAIN (TYPE DISTRIBUTED, FORMAT GRAPHVIZ) SELECT 1"},
		{"EXPLAIN (SELECT 1)", "EXPLAIN (SELECT 1)"},
		{"USE tpch", "USE tpch"},
		{"use hive.tpch", "USE hive.tpch"},
		{"CREATE SCHEMA IF NOT EXISTS fda", "CREATE SCHEMA IF NOT EXISTS fda"},
		{"call system.invalidate_cache(schema_name => 'aws', table_name => 'cur')", "CALL system.invalidate_cache(schema_name => 'aws', table_name => 'cur')"},
		{"CALL system.invalidate_cache()", "CALL system.invalidate_cache()"},
		{"CALL p('a', 1 + 2)", "CALL p('a', 1 + 2)"},
		{"create index t1i0 on t1(a1,b1)", "CREATE INDEX t1i0 ON t1 (a1, b1)"},
		{"CREATE UNIQUE INDEX IF NOT EXISTS s.i ON s.t (\"A\")", "CREATE UNIQUE INDEX IF NOT EXISTS s.i ON s.t (\"A\")"},
		{"CREATE DATABASE d COMMENT 'c' LOCATION 's3://b/' WITH DBPROPERTIES ('k'='v')", "CREATE DATABASE d COMMENT 'c' LOCATION 's3://b/' WITH DBPROPERTIES ('k' = 'v')"},
		{"CREATE SCHEMA s WITH (location = 's3://x')", "CREATE SCHEMA s WITH (location = 's3://x')"},
		{"DROP SCHEMA s", "DROP SCHEMA s"},
		{"DROP DATABASE IF EXISTS d CASCADE", "DROP DATABASE IF EXISTS d CASCADE"},
		{"DROP SCHEMA s RESTRICT", "DROP SCHEMA s"},
		{"SHOW SCHEMAS", "SHOW SCHEMAS"},
		{"SHOW DATABASES LIKE 'a%'", "SHOW DATABASES LIKE 'a%'"},
		{"SHOW SCHEMAS FROM hive", "SHOW SCHEMAS FROM hive"},
		{"SHOW TABLES", "SHOW TABLES"},
		{"SHOW TABLES IN db", "SHOW TABLES FROM db"},
		{"SHOW TABLES FROM db LIKE 'a\\_%' ESCAPE '\\'", "SHOW TABLES FROM db LIKE 'a\\_%' ESCAPE '\\'"},
		{"SHOW TABLES IN db 'cost*'", "SHOW TABLES FROM db 'cost*'"},
		{"SHOW VIEWS IN db", "SHOW VIEWS FROM db"},
		{"SHOW COLUMNS FROM t", "SHOW COLUMNS FROM t"},
		{"SHOW COLUMNS IN t IN db", "SHOW COLUMNS FROM db.t"},
		{"SHOW CREATE TABLE db.t", "SHOW CREATE TABLE db.t"},
		{"SHOW CREATE VIEW v", "SHOW CREATE VIEW v"},
		{"SHOW PARTITIONS db.t", "SHOW PARTITIONS db.t"},
		{"SHOW TBLPROPERTIES t", "SHOW TBLPROPERTIES t"},
		{"SHOW FUNCTIONS", "SHOW FUNCTIONS"},
		{"SHOW FUNCTIONS LIKE 'date%'", "SHOW FUNCTIONS LIKE 'date%'"},
		{"SHOW SESSION", "SHOW SESSION"},
		{"SHOW CATALOGS", "SHOW CATALOGS"},
		{"DESCRIBE t", "DESCRIBE t"},
		{"DESC db.t", "DESCRIBE db.t"},
		{"DESCRIBE FORMATTED t", "DESCRIBE FORMATTED t"},
		{"DESCRIBE extended", "DESCRIBE extended"},
		{"CREATE TABLE t1(a INTEGER, b INTEGER PRIMARY KEY, c VARCHAR(30) NOT NULL)", "CREATE TABLE t1 (a integer, b integer PRIMARY KEY, c varchar(30) NOT NULL)"},
		{"CREATE TABLE IF NOT EXISTS t (a bigint COMMENT 'x') COMMENT 'tbl' WITH (format = 'ORC')", "CREATE TABLE IF NOT EXISTS t (a bigint COMMENT 'x') COMMENT 'tbl' WITH (format = 'ORC')"},
		{"CREATE TABLE t WITH (format = 'PARQUET', partitioned_by = ARRAY['dt'], external_location = 's3://b/p') AS SELECT * FROM u",
			"CREATE TABLE t WITH (format = 'PARQUET', partitioned_by = ARRAY['dt'], external_location = 's3://b/p') AS SELECT * FROM u"},
		{"CREATE TABLE t (x, y) AS SELECT 1, 2 WITH DATA", "CREATE TABLE t (x, y) AS SELECT 1, 2"},
		{"CREATE TABLE t AS (SELECT 1) WITH NO DATA", "CREATE TABLE t AS (SELECT 1) WITH NO DATA"},
		{"CREATE VIEW v AS SELECT a FROM t", "CREATE VIEW v AS SELECT a FROM t"},
		{"CREATE OR REPLACE VIEW s.v (x) COMMENT 'c' SECURITY INVOKER AS WITH w AS (SELECT 1) SELECT * FROM w", "CREATE OR REPLACE VIEW s.v (x) COMMENT 'c' SECURITY INVOKER AS WITH w AS (SELECT 1) SELECT * FROM w"},
		{"DROP TABLE t", "DROP TABLE t"},
		{"DROP TABLE IF EXISTS db.t", "DROP TABLE IF EXISTS db.t"},
		{"DROP VIEW IF EXISTS v", "DROP VIEW IF EXISTS v"},
		{"INSERT INTO t1(e,c,b,d,a) VALUES(103,102,100,101,104)", "INSERT INTO t1 (e, c, b, d, a) VALUES (103, 102, 100, 101, 104)"},
		{"INSERT INTO t SELECT * FROM u", "INSERT INTO t SELECT * FROM u"},
		{"INSERT INTO t (SELECT * FROM u)", "INSERT INTO t (SELECT * FROM u)"},
		{"UNLOAD (SELECT * FROM t) TO 's3://b/p/' WITH (format = 'PARQUET', compression = 'SNAPPY')", "UNLOAD (SELECT * FROM t) TO 's3://b/p/' WITH (format = 'PARQUET', compression = 'SNAPPY')"},
		{"ALTER TABLE t ADD PARTITION (dt = '2020-01-01', h = 1) LOCATION 's3://b/dt=2020-01-01/'", "ALTER TABLE t ADD PARTITION (dt = '2020-01-01', h = 1) LOCATION 's3://b/dt=2020-01-01/'"},
		{"ALTER TABLE t ADD IF NOT EXISTS PARTITION (dt='a') PARTITION (dt='b') LOCATION 'x'", "ALTER TABLE t ADD IF NOT EXISTS PARTITION (dt = 'a') PARTITION (dt = 'b') LOCATION 'x'"},
		{"ALTER TABLE t DROP IF EXISTS PARTITION (dt='a'), PARTITION (dt='b')", "ALTER TABLE t DROP IF EXISTS PARTITION (dt = 'a'), PARTITION (dt = 'b')"},
		{"MSCK REPAIR TABLE db.t", "MSCK REPAIR TABLE db.t"},
		{"SET SESSION query_max_run_time = '10m'", "SET SESSION query_max_run_time = '10m'"},
		{"SET SESSION hive.x = true", "SET SESSION hive.x = TRUE"},
		{"RESET SESSION hive.x", "RESET SESSION hive.x"},
		{"PREPARE q FROM SELECT * FROM t WHERE a = ? AND b = ?", "PREPARE q FROM SELECT * FROM t WHERE a = ? AND b = ?"},
		{"EXECUTE q USING 1, 'x'", "EXECUTE q USING 1, 'x'"},
		{"EXECUTE q", "EXECUTE q"},
		{"DEALLOCATE PREPARE q", "DEALLOCATE PREPARE q"},
	}
	for _, tt := range tests {
		st, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		got := ast.Format(st)
		if got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.in, got, tt.want)
		}
		again, err := ParseOne(got)
		if err != nil || !ast.Equal(st, again) {
			t.Errorf("%s: formatted as %s which does not round-trip (%v)", tt.in, got, err)
		}
	}
}

// TestHiveDDL covers Athena's CREATE EXTERNAL TABLE, including Hive string
// escapes in its clauses.
func TestHiveDDL(t *testing.T) {
	tests := []struct{ in, want string }{
		{`CREATE EXTERNAL TABLE IF NOT EXISTS db.t (a string, ` + "`b c`" + ` int COMMENT 'the b') COMMENT 'table'
		  PARTITIONED BY (dt string, h int)
		  ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\' COLLECTION ITEMS TERMINATED BY '|'
		    MAP KEYS TERMINATED BY ':' LINES TERMINATED BY '\n' NULL DEFINED AS ''
		  STORED AS TEXTFILE LOCATION 's3://b/p/' TBLPROPERTIES ('skip.header.line.count'='1')`,
			`CREATE EXTERNAL TABLE IF NOT EXISTS db.t (a string, "b c" int COMMENT 'the b') COMMENT 'table' PARTITIONED BY (dt string, h int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\' COLLECTION ITEMS TERMINATED BY '|' MAP KEYS TERMINATED BY ':' LINES TERMINATED BY '\n' NULL DEFINED AS '' STORED AS TEXTFILE LOCATION 's3://b/p/' TBLPROPERTIES ('skip.header.line.count' = '1')`},
		{`CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\') STORED AS TEXTFILE LOCATION 's3://x'`,
			`CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\') STORED AS TEXTFILE LOCATION 's3://x'`},
		{`CREATE EXTERNAL TABLE t (a int) STORED AS PARQUET WITH SERDEPROPERTIES ('x'='y') LOCATION 's3://x'`,
			`CREATE EXTERNAL TABLE t (a int) WITH SERDEPROPERTIES ('x' = 'y') STORED AS PARQUET LOCATION 's3://x'`},
		{`CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\001' STORED AS INPUTFORMAT 'org.a.In' OUTPUTFORMAT 'org.a.Out' LOCATION 's3://x'`,
			`CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\001' STORED AS INPUTFORMAT 'org.a.In' OUTPUTFORMAT 'org.a.Out' LOCATION 's3://x'`},
		{`CREATE EXTERNAL TABLE t (a int) CLUSTERED BY (a) INTO 8 BUCKETS STORED AS orc LOCATION 's3://x'`,
			`CREATE EXTERNAL TABLE t (a int) CLUSTERED BY (a) INTO 8 BUCKETS STORED AS ORC LOCATION 's3://x'`},
		{`CREATE EXTERNAL TABLE t (p struct<a: string, b: array<struct<c: bigint, d: map<string,double>>>>, q decimal(15,2), r array<string>) LOCATION 'x'`,
			`CREATE EXTERNAL TABLE t (p struct<a:string,b:array(struct<c:bigint,d:map(string, double)>)>, q decimal(15,2), r array(string)) LOCATION 'x'`},
		{`CREATE EXTERNAL TABLE t (date date, timestamp timestamp, comment string, location string) LOCATION 'x'`,
			`CREATE EXTERNAL TABLE t (date date, timestamp timestamp, comment string, location string) LOCATION 'x'`},
		{`CREATE EXTERNAL TABLE t (s struct<from:string,select:int>) LOCATION 'x'`,
			`CREATE EXTERNAL TABLE t (s struct<from:string,select:int>) LOCATION 'x'`},
	}
	for _, tt := range tests {
		st, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		got := ast.Format(st)
		if got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.in, got, tt.want)
		}
		again, err := ParseOne(got)
		if err != nil || !ast.Equal(st, again) {
			t.Errorf("%s: formatted as %s which does not round-trip (%v)", tt.in, got, err)
		}
	}

	// Decoded values.
	st, err := ParseOne(`CREATE EXTERNAL TABLE t (a string) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\001' ESCAPED BY '\\' LINES TERMINATED BY '\n' LOCATION 's3://b/it''s'`)
	if err != nil {
		t.Fatal(err)
	}
	ct := st.(*ast.CreateTable)
	rf := ct.RowFormat
	if !rf.Delimited || *rf.FieldsTerminatedBy != "\x01" || *rf.EscapedBy != `\` || *rf.LinesTerminatedBy != "\n" || rf.MapKeysTerminatedBy != nil {
		t.Errorf("row format: %+v", rf)
	}
	if *ct.Location != "s3://b/it's" || !ct.External || ct.Columns[0].Type.Name != "string" {
		t.Errorf("create table: %+v", ct)
	}
	st, err = ParseOne(`CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE 's' WITH SERDEPROPERTIES ('escapeChar'='\\', 'quoteChar'='"') TBLPROPERTIES ('k'='v')`)
	if err != nil {
		t.Fatal(err)
	}
	ct = st.(*ast.CreateTable)
	if ct.RowFormat.SerDe != "s" || ct.RowFormat.SerDeProps[0].Value != `\` || ct.RowFormat.SerDeProps[1].Value != `"` || ct.TblProperties[0].Key != "k" {
		t.Errorf("serde: %+v", ct.RowFormat)
	}
}

func TestHiveEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`abc`, "abc"},
		{`\\`, `\`},
		{`\n\t\r\b\Z`, "\n\t\r\b\x1a"},
		{`\001\177`, "\x01\x7f"},
		{`\0`, "\x00"},
		{`\u0041\u00e9`, "Aé"},
		{`\u00`, "u00"},
		{`\,`, ","},
		{`a\`, `a\`},
	}
	for _, tt := range tests {
		if got := HiveUnescape(tt.in); got != tt.want {
			t.Errorf("HiveUnescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Every byte string survives QuoteHiveString followed by parsing.
	for _, s := range []string{"", `\`, `\\n`, "'", "\x00\x01\x1f\x7f", "\n\r\t", "é\xff", `it's \001`} {
		lit := ast.QuoteHiveString(s)
		st, err := ParseOne("CREATE EXTERNAL TABLE t (a int) LOCATION " + lit)
		if err != nil {
			t.Errorf("%q: %v", lit, err)
			continue
		}
		if got := *st.(*ast.CreateTable).Location; got != s {
			t.Errorf("%q -> %s -> %q", s, lit, got)
		}
	}
}

func TestStatementShapes(t *testing.T) {
	q := mustQuery(t, "SELECT a FROM t1, t2 CROSS JOIN t3 LIMIT ALL")
	sel := q.Body.(*ast.Select)
	j := sel.From.(*ast.Join)
	if j.Type != ast.JoinImplicit || j.R.(*ast.Join).Type != ast.JoinCross || q.Limit != nil {
		t.Errorf("joins: %s", ast.Format(q))
	}
	q = mustQuery(t, "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3")
	so := q.Body.(*ast.SetOperation)
	if so.Op != "UNION" || so.R.(*ast.SetOperation).Op != "INTERSECT" {
		t.Errorf("set ops: %+v", so)
	}
	q = mustQuery(t, "SELECT 1 EXCEPT SELECT 2 UNION ALL SELECT 3")
	so = q.Body.(*ast.SetOperation)
	if so.Op != "UNION" || !so.All || so.L.(*ast.SetOperation).Op != "EXCEPT" {
		t.Errorf("set ops: %+v", so)
	}
	q = mustQuery(t, "SELECT a FROM t GROUP BY a, (b, c), ROW(d, e), ()")
	g := q.Body.(*ast.Select).GroupBy
	if n := len(g.Elems[1].(*ast.GroupingExprs).Exprs); n != 2 {
		t.Errorf("(b, c) has %d exprs", n)
	}
	if n := len(g.Elems[2].(*ast.GroupingExprs).Exprs); n != 1 {
		t.Errorf("ROW(d, e) has %d exprs", n)
	}
	if n := len(g.Elems[3].(*ast.GroupingExprs).Exprs); n != 0 {
		t.Errorf("() has %d exprs", n)
	}
	q = mustQuery(t, "SELECT x FROM (VALUES 1, 2) v (x)")
	if sr := q.Body.(*ast.Select).From.(*ast.SubqueryRel); sr.Alias.Name.Name != "v" {
		t.Errorf("values relation: %+v", sr)
	} else if _, ok := sr.Query.Body.(*ast.Values); !ok {
		t.Errorf("values body: %T", sr.Query.Body)
	}

	st, err := ParseOne("CREATE VIEW v AS\n  SELECT a -- comment\n  FROM t  ;")
	if err != nil {
		t.Fatal(err)
	}
	if cv := st.(*ast.CreateView); cv.QueryText != "SELECT a -- comment\n  FROM t" {
		t.Errorf("view text %q", cv.QueryText)
	}
	st, err = ParseOne("INSERT INTO t VALUES (1, 'a'), (2, 'b')")
	if err != nil {
		t.Fatal(err)
	}
	if v := st.(*ast.Insert).Query.Body.(*ast.Values); len(v.Rows) != 2 || len(v.Rows[0].(*ast.RowExpr).Elems) != 2 {
		t.Errorf("insert values: %s", ast.Format(st))
	}
	st, err = ParseOne("EXPLAIN ANALYZE (TYPE IO, FORMAT JSON) SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if ex := st.(*ast.Explain); !ex.Analyze || len(ex.Options) != 2 || ex.Options[0].Value != "IO" || ex.Options[1].Kind != "FORMAT" {
		t.Errorf("explain: %+v", ex)
	}
	st, err = ParseOne("SHOW COLUMNS IN t IN db")
	if err != nil {
		t.Fatal(err)
	}
	if s := st.(*ast.Show); s.What != "COLUMNS" || s.Target.String() != "db.t" {
		t.Errorf("show columns: %+v", s)
	}
	st, err = ParseOne("PREPARE p FROM SELECT ? FROM t LIMIT ?")
	if err != nil {
		t.Fatal(err)
	}
	if pq := st.(*ast.Prepare).Stmt.(*ast.Query); pq.Limit.(*ast.Param).Index != 1 {
		t.Errorf("param index: %+v", pq.Limit)
	}
}

func mustQuery(t *testing.T, sql string) *ast.Query {
	t.Helper()
	st, err := ParseOne(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	q, ok := st.(*ast.Query)
	if !ok {
		t.Fatalf("%s: got %T", sql, st)
	}
	return q
}
