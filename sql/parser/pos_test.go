package parser

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

// lineCol recomputes a position's line and rune column from its offset.
func lineCol(src string, off int) (int, int) {
	line, col := 1, 1
	for i := 0; i < off; {
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

// checkSpans verifies for every node that its span is valid, consistent
// with the source, and nested inside its parent's span.
func checkSpans(t *testing.T, name, src string, root ast.Node) {
	t.Helper()
	var stack []ast.Node
	var visit func(n ast.Node)
	check := func(n ast.Node, p token.Pos) {
		if !p.IsValid() || p.Offset < 0 || p.Offset > len(src) {
			t.Errorf("%s: %T has invalid position %+v", name, n, p)
			return
		}
		if l, c := lineCol(src, p.Offset); l != p.Line || c != p.Col {
			t.Errorf("%s: %T at offset %d says %d:%d, source says %d:%d", name, n, p.Offset, p.Line, p.Col, l, c)
		}
	}
	visit = func(n ast.Node) {
		check(n, n.Pos())
		check(n, n.End())
		if n.End().Offset < n.Pos().Offset {
			t.Errorf("%s: %T ends before it starts", name, n)
		}
		if len(stack) > 0 {
			parent := stack[len(stack)-1]
			if n.Pos().Offset < parent.Pos().Offset || n.End().Offset > parent.End().Offset {
				t.Errorf("%s: %T [%d,%d) %q outside parent %T [%d,%d)", name, n, n.Pos().Offset, n.End().Offset,
					src[n.Pos().Offset:n.End().Offset], parent, parent.Pos().Offset, parent.End().Offset)
			}
		}
	}
	// Inspect has no post-order hook, so ancestry is tracked by walking
	// each node's children with a nested Inspect.
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		visit(n)
		stack = append(stack, n)
		first := true
		ast.Inspect(n, func(c ast.Node) bool {
			if first {
				first = false
				return true
			}
			walk(c)
			return false
		})
		stack = stack[:len(stack)-1]
	}
	walk(root)
}

func TestSpansOnCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		stmts, err := Parse(string(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, st := range stmts {
			checkSpans(t, f, string(b), st)
		}
	}
}

func TestSpansOnConstructs(t *testing.T) {
	for _, src := range []string{
		"SELECT a FROM t ORDER BY a FETCH FIRST ROW ONLY",
		"SHOW COLUMNS IN t IN db",
		"CREATE EXTERNAL TABLE t (a int) WITH SERDEPROPERTIES ('a'='b') ROW FORMAT SERDE 'x' LOCATION 'l'",
		"SELECT TRIM(LEADING 'x' FROM y), POSITION('a' IN b), SUBSTRING(s FROM 1 FOR 2) FROM t TABLESAMPLE BERNOULLI (5)",
		"SELECT ((SELECT 1) UNION (SELECT 2)), (a, b), x -> x, count(*) OVER w FROM t WINDOW w AS (ORDER BY a)",
	} {
		stmts, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for _, st := range stmts {
			checkSpans(t, src, src, st)
		}
	}
}

func TestPositions(t *testing.T) {
	// Columns count runes, not bytes.
	if _, err := Parse("SELECT 'é' || \"ü\" FROM «t»"); err == nil || err.Error() != "line 1:24: unexpected character '«'" {
		t.Errorf("error column: %v", err)
	}

	src := "SELECT\n  é.x + 1 AS \"ü\",\n  count(*)\nFROM t é"
	q := mustQuery(t, src)
	sel := q.Body.(*ast.Select)
	item := sel.Items[0].(*ast.SelectExpr)
	want := func(what string, got token.Pos, line, col int) {
		t.Helper()
		if got.Line != line || got.Col != col {
			t.Errorf("%s at %d:%d, want %d:%d", what, got.Line, got.Col, line, col)
		}
	}
	want("query", q.Pos(), 1, 1)
	want("query end", q.End(), 4, 9)
	want("item", item.Pos(), 2, 3)
	want("item end", item.End(), 2, 17)
	bin := item.Expr.(*ast.BinaryExpr)
	want("binary", bin.Pos(), 2, 3)
	want("binary end", bin.End(), 2, 10)
	want("literal", bin.R.Pos(), 2, 9)
	want("alias", item.Alias.Pos(), 2, 14)
	fc := sel.Items[1].(*ast.SelectExpr).Expr
	want("call", fc.Pos(), 3, 3)
	want("call end", fc.End(), 3, 11)
	tr := sel.From.(*ast.TableRef)
	want("table", tr.Pos(), 4, 6)
	want("alias é", tr.Alias.Pos(), 4, 8)
	if got := src[bin.Pos().Offset:bin.End().Offset]; got != "é.x + 1" {
		t.Errorf("binary text %q", got)
	}
}

func TestSplitStatements(t *testing.T) {
	src := "-- header\nSELECT ';' AS s; /* ; */ SELECT \"a;b\"\n  FROM t;;\n\nCREATE VIEW v AS SELECT 1 -- trailing ;\n;SELECT 'open"
	got := SplitStatements(src)
	at := func(text string, line, col int) StatementText {
		return StatementText{Text: text, Pos: token.Pos{Offset: strings.Index(src, text), Line: line, Col: col}}
	}
	want := []StatementText{
		at("SELECT ';' AS s", 2, 1),
		at("SELECT \"a;b\"\n  FROM t", 2, 26),
		at("CREATE VIEW v AS SELECT 1", 5, 1),
		at("SELECT 'open", 6, 2),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	for _, s := range got[:3] {
		if _, err := ParseOne(s.Text); err != nil {
			t.Errorf("%q: %v", s.Text, err)
		}
	}
	if got := SplitStatements(" ;; -- x\n"); len(got) != 0 {
		t.Errorf("empty script split into %v", got)
	}
}
