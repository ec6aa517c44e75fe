package parser

import (
	"errors"
	"strings"
	"testing"
)

// TestErrors pins the exact error text for malformed input, construct by
// construct.
func TestErrors(t *testing.T) {
	const afterSelectItems = "',', ';', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', 'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>"
	const afterValue = "'%', '*', '+', '-', '.', '/', '<', '<=', '<>', '=', '>', '>=', 'AND', 'AT', 'BETWEEN', 'IN', 'IS', 'LIKE', 'NOT', 'OR', '[', '||'"
	tests := []struct{ in, want string }{
		// lexical
		{"SELECT 'abc", "line 1:8: token recognition error at: ''abc'"},
		{"SELECT \"abc", "line 1:8: token recognition error at: '\"abc'"},
		{"SELECT x FROM t AS u LIMIT -1", "line 1:28: mismatched input '-'. Expecting: 'ALL', <integer>"},
		{"SELECT x FROM t u LIMIT y", "line 1:25: mismatched input 'y'. Expecting: 'ALL', <integer>"},
		{"SELECT 'a\nb", "line 1:8: token recognition error at: ''a\\nb'"},
		{"SELECT `abc", "line 1:8: token recognition error at: '`abc'"},
		{`SELECT "" FROM t`, "line 1:8: zero-length delimited identifier not allowed"},
		{"SELECT 1abc", "line 1:8: identifiers must not start with a digit; surround the identifier with double quotes"},
		{"SELECT $x", "line 1:8: unexpected character '$'"},
		{"SELECT a /* open comment", "line 1:10: unterminated comment"},
		{"SELECT X'ABC'", "line 1:8: binary literal must contain an even number of digits"},
		{"SELECT X'GZ'", "line 1:8: binary literal can only contain hexadecimal digits"},
		{`SELECT U&'\00'`, `line 1:8: invalid Unicode string literal: U&'\00'`},
		{`SELECT U&'\0041' UESCAPE 'ab'`, "line 1:26: invalid Unicode escape character: 'ab'"},
		{"SELECT\n  a,\n  b\nFROM t WHERE €", "line 4:14: unexpected character '€'"},
		// statements
		{"SELEC 1", "line 1:1: mismatched input 'SELEC'. Expecting: '(', 'ALTER', 'CREATE', 'DEALLOCATE', 'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'INSERT', 'MSCK', 'PREPARE', 'RESET', 'SELECT', 'SET', 'SHOW', 'TABLE', 'UNLOAD', 'USE', 'VALUES', 'WITH'"},
		{"SELECT * FORM t", "line 1:10: mismatched input 'FORM'. Expecting: " + afterSelectItems},
		{"SELECT a\nFORM t", "line 2:6: mismatched input 't'. Expecting: " + afterSelectItems},
		{"SELECT t.* AS x FROM t", "line 1:12: mismatched input 'AS'. Expecting: " + afterSelectItems},
		{"SELECT", "line 1:7: mismatched input '<EOF>'. Expecting: '*', 'ALL', 'DISTINCT', 'NOT', <expression>"},
		{"SELECT a, FROM t", "line 1:11: mismatched input 'FROM'. Expecting: '*', 'NOT', <expression>"},
		{"SELECT select FROM t", "line 1:8: mismatched input 'select'. Expecting: '*', 'ALL', 'DISTINCT', 'NOT', <expression>"},
		{"SELECT a FROM t WHERE", "line 1:22: mismatched input '<EOF>'. Expecting: 'NOT', <expression>"},
		{"SELECT a FROM", "line 1:14: mismatched input '<EOF>'. Expecting: '(', 'UNNEST', <identifier>"},
		{"SELECT a FROM select", "line 1:15: mismatched input 'select'. Expecting: '(', 'UNNEST', <identifier>"},
		{"SELECT 1 FROM t AS", "line 1:19: mismatched input '<EOF>'. Expecting: <identifier>"},
		{"SELECT * FROM t JOIN u", "line 1:23: mismatched input '<EOF>'. Expecting: 'AS', 'ON', 'TABLESAMPLE', 'USING', <identifier>"},
		{"SELECT * FROM t CROSS JOIN", "line 1:27: mismatched input '<EOF>'. Expecting: '(', 'UNNEST', <identifier>"},
		{"SELECT * FROM t NATURAL u", "line 1:25: mismatched input 'u'. Expecting: 'CROSS', 'FULL', 'INNER', 'JOIN', 'LEFT', 'NATURAL', 'RIGHT'"},
		{"SELECT * FROM UNNEST(a) TABLESAMPLE BERNOULLI (1)", "line 1:25: TABLESAMPLE is only supported on tables and subqueries"},
		{"SELECT a FROM t GROUP BY", "line 1:25: mismatched input '<EOF>'. Expecting: 'ALL', 'CUBE', 'DISTINCT', 'GROUPING', 'NOT', 'ROLLUP', <expression>"},
		{"SELECT a FROM t ORDER a", "line 1:23: mismatched input 'a'. Expecting: 'BY'"},
		{"SELECT a FROM t ORDER BY a NULLS", "line 1:33: mismatched input '<EOF>'. Expecting: 'FIRST', 'LAST'"},
		{"SELECT a FROM t FETCH FIRST 1 ROWS", "line 1:35: mismatched input '<EOF>'. Expecting: 'ONLY', 'WITH'"},
		{"SELECT a FROM t ORDER BY a LIMIT 1 LIMIT 2", "line 1:36: mismatched input 'LIMIT'. Expecting: ';', 'OFFSET', <EOF>"},
		{"SELECT 1 UNION", "line 1:15: mismatched input '<EOF>'. Expecting: '(', 'ALL', 'DISTINCT', 'SELECT', 'TABLE', 'VALUES', 'WITH'"},
		{"WITH AS (SELECT 1) SELECT 1", "line 1:6: mismatched input 'AS'. Expecting: 'RECURSIVE', <identifier>"},
		{"WITH x AS SELECT 1 SELECT 1", "line 1:11: mismatched input 'SELECT'. Expecting: '('"},
		{"VALUES", "line 1:7: mismatched input '<EOF>'. Expecting: 'NOT', <expression>"},
		{"TABLE", "line 1:6: mismatched input '<EOF>'. Expecting: <identifier>"},
		// expressions
		{"SELECT 1 = 1 = 1", "line 1:14: mismatched input '='. Expecting: '%', '*', '+', ',', '-', '.', '/', ';', 'AND', 'AS', 'AT', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', 'INTERSECT', 'LIMIT', 'OFFSET', 'OR', 'ORDER', 'UNION', 'WHERE', 'WINDOW', '[', '||', <EOF>, <identifier>"},
		{"SELECT 1 +", "line 1:11: mismatched input '<EOF>'. Expecting: <expression>"},
		{"SELECT (1", "line 1:10: mismatched input '<EOF>'. Expecting: '%', ')', '*', '+', ',', '-', '.', '/', '<', '<=', '<>', '=', '>', '>=', 'AND', 'AT', 'BETWEEN', 'IN', 'IS', 'LIKE', 'NOT', 'OR', '[', '||'"},
		{"SELECT f(1", "line 1:11: mismatched input '<EOF>'. Expecting: '%', ')', '*', '+', ',', '-', '.', '/', '<', '<=', '<>', '=', '>', '>=', 'AND', 'AT', 'BETWEEN', 'IN', 'IS', 'LIKE', 'NOT', 'OR', 'ORDER', '[', '||'"},
		{"SELECT ARRAY[1, 2", "line 1:18: mismatched input '<EOF>'. Expecting: '%', '*', '+', ',', '-', '.', '/', '<', '<=', '<>', '=', '>', '>=', 'AND', 'AT', 'BETWEEN', 'IN', 'IS', 'LIKE', 'NOT', 'OR', '[', ']', '||'"},
		{"SELECT CAST(x AS) FROM t", "line 1:17: mismatched input ')'. Expecting: <type>"},
		{"SELECT CAST(x varchar)", "line 1:15: mismatched input 'varchar'. Expecting: " + strings.Replace(afterValue, "'AND', 'AT'", "'AND', 'AS', 'AT'", 1)},
		{"SELECT TRY_CAST(1 AS", "line 1:21: mismatched input '<EOF>'. Expecting: <type>"},
		{"SELECT CASE END", "line 1:13: mismatched input 'END'. Expecting: 'NOT', 'WHEN', <expression>"},
		{"SELECT CASE WHEN a 1 END", "line 1:20: mismatched input '1'. Expecting: " + strings.Replace(afterValue, "'OR'", "'OR', 'THEN'", 1)},
		{"SELECT a FROM t WHERE a IN ()", "line 1:29: mismatched input ')'. Expecting: 'NOT', <expression>"},
		{"SELECT a FROM t WHERE a BETWEEN 1", "line 1:34: mismatched input '<EOF>'. Expecting: '%', '*', '+', '-', '.', '/', 'AND', 'AT', '[', '||'"},
		{"SELECT a FROM t WHERE a IS 1", "line 1:28: mismatched input '1'. Expecting: 'DISTINCT', 'NOT', 'NULL'"},
		{"SELECT EXTRACT(year d)", "line 1:21: mismatched input 'd'. Expecting: 'FROM'"},
		{"SELECT INTERVAL '1' fortnight", "line 1:21: mismatched input 'fortnight'. Expecting: 'DAY', 'HOUR', 'MINUTE', 'MONTH', 'SECOND', 'YEAR'"},
		{"SELECT POSITION('a', b)", "line 1:20: mismatched input ','. Expecting: '%', '*', '+', '-', '.', '/', 'AT', 'IN', '[', '||'"},
		{"SELECT TRIM(BOTH 'x' y)", "line 1:22: mismatched input 'y'. Expecting: '%', '*', '+', '-', '.', '/', 'AT', 'FROM', '[', '||'"},
		{"SELECT count(*) OVER (ROWS 1)", "line 1:29: mismatched input ')'. Expecting: " + strings.Replace(strings.Replace(afterValue, "'BETWEEN'", "'BETWEEN', 'FOLLOWING'", 1), "'OR'", "'OR', 'PRECEDING'", 1)},
		{"SELECT count(*) OVER (ROWS BETWEEN 1 PRECEDING 2 FOLLOWING)", "line 1:48: mismatched input '2'. Expecting: 'AND'"},
		{"SELECT " + strings.Repeat("(", 600) + "1", "line 1:507: statement is too deeply nested"},
		// DDL and other statements
		{"CREATE TABLE t", "line 1:15: mismatched input '<EOF>'. Expecting: '(', 'AS', 'CLUSTERED', 'COMMENT', 'LOCATION', 'PARTITIONED', 'ROW', 'STORED', 'TBLPROPERTIES', 'WITH'"},
		{"CREATE TABLE t ()", "line 1:17: mismatched input ')'. Expecting: <identifier>"},
		{"CREATE FUNCTION f", "line 1:8: mismatched input 'FUNCTION'. Expecting: 'DATABASE', 'EXTERNAL', 'OR', 'SCHEMA', 'TABLE', 'VIEW'"},
		{"CREATE INDEX i t(a)", "line 1:16: mismatched input 't'. Expecting: 'ON'"},
		{"CREATE UNIQUE i ON t(a)", "line 1:15: mismatched input 'i'. Expecting: ';', 'INDEX', <EOF>"},
		{"CREATE EXTERNAL TABLE t (a int) STORED AS PARQUET STORED AS ORC", "line 1:51: duplicate STORED AS clause"},
		{"CREATE EXTERNAL TABLE t (a int, b) LOCATION 'x'", "line 1:34: missing type for column b"},
		{"CREATE EXTERNAL TABLE t (a array<int) LOCATION 'x'", "line 1:37: mismatched input ')'. Expecting: '(', '>'"},
		{"CREATE EXTERNAL TABLE t (a struct<>) LOCATION 'x'", "line 1:34: mismatched input '<>'. Expecting: '(', '<'"},
		{"CREATE EXTERNAL TABLE t (a varchar(x)) LOCATION 'x'", "line 1:36: mismatched input 'x'. Expecting: <integer>"},
		{"CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED ','", "line 1:72: mismatched input '',''. Expecting: 'BY'"},
		{"CREATE EXTERNAL TABLE t (a int) ROW FORMAT JSON", "line 1:44: mismatched input 'JSON'. Expecting: 'DELIMITED', 'SERDE'"},
		{"CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE ''", "line 1:50: SERDE class name must not be empty"},
		{"CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED WITH SERDEPROPERTIES ('a'='b')", "line 1:54: WITH SERDEPROPERTIES cannot be used with ROW FORMAT DELIMITED"},
		{"CREATE EXTERNAL TABLE t (a int) LOCATION s3", "line 1:42: mismatched input 's3'. Expecting: <string>"},
		{"CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES ('a')", "line 1:51: mismatched input ')'. Expecting: '='"},
		{"DROP t", "line 1:6: mismatched input 't'. Expecting: 'DATABASE', 'SCHEMA', 'TABLE', 'VIEW'"},
		{"DROP TABLE", "line 1:11: mismatched input '<EOF>'. Expecting: 'IF', <identifier>"},
		{"SHOW", "line 1:5: mismatched input '<EOF>'. Expecting: 'CATALOGS', 'COLUMNS', 'CREATE', 'DATABASES', 'FUNCTIONS', 'PARTITIONS', 'SCHEMAS', 'SESSION', 'TABLES', 'TBLPROPERTIES', 'VIEWS'"},
		{"SHOW TABLES LIKE", "line 1:17: mismatched input '<EOF>'. Expecting: <string>"},
		{"SHOW COLUMNS t", "line 1:14: mismatched input 't'. Expecting: 'FROM', 'IN'"},
		{"DESCRIBE", "line 1:9: mismatched input '<EOF>'. Expecting: <identifier>"},
		{"ALTER TABLE t ADD COLUMN x int", "line 1:19: mismatched input 'COLUMN'. Expecting: 'IF', 'PARTITION'"},
		{"ALTER TABLE t ADD PARTITION dt='1'", "line 1:29: mismatched input 'dt'. Expecting: '('"},
		{"INSERT t VALUES (1)", "line 1:8: mismatched input 't'. Expecting: 'INTO'"},
		{"UNLOAD SELECT 1 TO 'x'", "line 1:8: mismatched input 'SELECT'. Expecting: '('"},
		{"UNLOAD (SELECT 1) 'x'", "line 1:19: mismatched input ''x''. Expecting: 'TO'"},
		{"SET x = 1", "line 1:5: mismatched input 'x'. Expecting: 'SESSION'"},
		{"SET SESSION x 1", "line 1:15: mismatched input '1'. Expecting: '='"},
		{"EXPLAIN (TYPE FOO) SELECT 1", "line 1:15: mismatched input 'FOO'. Expecting: 'DISTRIBUTED', 'IO', 'LOGICAL', 'VALIDATE'"},
		{"PREPARE p SELECT 1", "line 1:11: mismatched input 'SELECT'. Expecting: 'FROM'"},
		{"EXECUTE", "line 1:8: mismatched input '<EOF>'. Expecting: <identifier>"},
		{"DEALLOCATE p", "line 1:12: mismatched input 'p'. Expecting: 'PREPARE'"},
		{"USE", "line 1:4: mismatched input '<EOF>'. Expecting: <identifier>"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("%s: parsed without error", tt.in)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.in, got, tt.want)
		}
		var pe *Error
		if !errors.As(err, &pe) || !IsSyntaxError(err) {
			t.Errorf("%s: error %T is not a *parser.Error", tt.in, err)
		}
	}
}

func TestErrorList(t *testing.T) {
	src := "SELECT a FROM t;\nSELECT b FRM u;\nSELECT c FROM v;\nSELECT (;\n"
	_, err := Parse(src)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	if list[0].Pos.Line != 2 || list[1].Pos.Line != 4 {
		t.Errorf("error lines: %v", err)
	}
	want := "line 2:14: mismatched input 'u'. Expecting: ',', ';', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', 'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>\n" +
		"line 4:9: mismatched input ';'. Expecting: 'NOT', <expression>"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	var first *Error
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As does not reach the first error")
	}

	// A single failure is a plain *Error.
	if _, err := Parse("SELECT 1; SELECT FROM"); err == nil {
		t.Error("no error")
	} else if _, ok := err.(*Error); !ok {
		t.Errorf("single error has type %T", err)
	}
}

func TestParseAPI(t *testing.T) {
	stmts, err := Parse(";; SELECT 1;\n-- only a comment\n;SELECT 2;  ")
	if err != nil || len(stmts) != 2 {
		t.Fatalf("Parse: %d statements, %v", len(stmts), err)
	}
	if stmts, err := Parse("  -- nothing\n"); err != nil || len(stmts) != 0 {
		t.Errorf("empty script: %v %v", stmts, err)
	}
	if _, err := ParseOne("SELECT 1;"); err != nil {
		t.Errorf("ParseOne with ';': %v", err)
	}
	if _, err := ParseOne("SELECT 1; SELECT 2"); err == nil || err.Error() != "line 1:11: mismatched input 'SELECT'. Expecting: <EOF>" {
		t.Errorf("ParseOne with two statements: %v", err)
	}
	if _, err := ParseOne("  "); err == nil || err.Error() != "line 1:3: empty statement" {
		t.Errorf("ParseOne empty: %v", err)
	}
	if _, err := ParseExpr("a + b c"); err == nil || !strings.HasPrefix(err.Error(), "line 1:7: mismatched input 'c'") {
		t.Errorf("ParseExpr trailing input: %v", err)
	}
	ty, err := ParseType("array<struct<a:int>>")
	if err != nil || ty.String() != "array(struct<a:int>)" {
		t.Errorf("ParseType: %v %v", ty, err)
	}
}
