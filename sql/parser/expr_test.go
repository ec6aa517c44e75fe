package parser

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
)

// sx renders an expression as a fully parenthesized S-expression so tests
// can state the tree shape precisely.
func sx(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		return "(" + e.Op + " " + sx(e.L) + " " + sx(e.R) + ")"
	case *ast.UnaryExpr:
		return "(" + e.Op + " " + sx(e.X) + ")"
	case *ast.IsNull:
		return "(" + not(e.Not) + "isnull " + sx(e.X) + ")"
	case *ast.IsDistinctFrom:
		return "(" + not(e.Not) + "distinct " + sx(e.L) + " " + sx(e.R) + ")"
	case *ast.Between:
		return "(" + not(e.Not) + "between " + sx(e.X) + " " + sx(e.Lo) + " " + sx(e.Hi) + ")"
	case *ast.Like:
		s := "(" + not(e.Not) + "like " + sx(e.X) + " " + sx(e.Pattern)
		if e.Escape != nil {
			s += " " + sx(e.Escape)
		}
		return s + ")"
	case *ast.InList:
		parts := []string{not(e.Not) + "in", sx(e.X)}
		for _, x := range e.List {
			parts = append(parts, sx(x))
		}
		return "(" + strings.Join(parts, " ") + ")"
	case *ast.AtTimeZone:
		if e.Zone == nil {
			return "(atlocal " + sx(e.X) + ")"
		}
		return "(attz " + sx(e.X) + " " + sx(e.Zone) + ")"
	case *ast.Subscript:
		return "(sub " + sx(e.X) + " " + sx(e.Index) + ")"
	case *ast.Dereference:
		return "(deref " + sx(e.Expr) + " " + e.Field.Name + ")"
	case *ast.Lambda:
		var ps []string
		for _, p := range e.Params {
			ps = append(ps, p.Name)
		}
		return "(lambda [" + strings.Join(ps, " ") + "] " + sx(e.Body) + ")"
	case *ast.ColumnRef:
		var ps []string
		for _, p := range e.Name.Parts {
			ps = append(ps, p.Name)
		}
		return strings.Join(ps, ".")
	}
	return ast.Format(e)
}

func not(b bool) string {
	if b {
		return "not-"
	}
	return ""
}

func TestExprPrecedence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a OR b AND c", "(OR a (AND b c))"},
		{"a AND b OR c", "(OR (AND a b) c)"},
		{"NOT a AND b", "(AND (NOT a) b)"},
		{"NOT a = b", "(NOT (= a b))"},
		{"NOT NOT a", "(NOT (NOT a))"},
		{"a = b AND c <> d", "(AND (= a b) (<> c d))"},
		{"a != b", "(<> a b)"},
		{"a + b * c", "(+ a (* b c))"},
		{"a * b + c", "(+ (* a b) c)"},
		{"a - b - c", "(- (- a b) c)"},
		{"a / b % c", "(% (/ a b) c)"},
		{"a || b + c", "(|| a (+ b c))"},
		{"a + b || c", "(|| (+ a b) c)"},
		{"a || b || c", "(|| (|| a b) c)"},
		{"-a * b", "(* (- a) b)"},
		{"- - a", "(- (- a))"},
		{"-a.b[1]", "(- (sub a.b 1))"},
		{"a = b + c", "(= a (+ b c))"},
		{"a + 1 BETWEEN b AND c + 1 AND d", "(AND (between (+ a 1) b (+ c 1)) d)"},
		{"a NOT BETWEEN 1 AND 2", "(not-between a 1 2)"},
		{"a IS NULL OR b IS NOT NULL", "(OR (isnull a) (not-isnull b))"},
		{"a || b IS NULL", "(isnull (|| a b))"},
		{"a IS DISTINCT FROM b + 1", "(distinct a (+ b 1))"},
		{"a IS NOT DISTINCT FROM b", "(not-distinct a b)"},
		{"a NOT LIKE 'x%' ESCAPE '!'", "(not-like a 'x%' '!')"},
		{"a || 'x' LIKE b || '%'", "(like (|| a 'x') (|| b '%'))"},
		{"a NOT IN (1, 2)", "(not-in a 1 2)"},
		{"NOT a IN (1)", "(NOT (in a 1))"},
		{"ts AT TIME ZONE 'UTC'", "(attz ts 'UTC')"},
		{"-ts AT TIME ZONE 'UTC'", "(- (attz ts 'UTC'))"},
		{"a + ts AT TIME ZONE 'UTC'", "(+ a (attz ts 'UTC'))"},
		{"ts AT TIME ZONE 'a' AT TIME ZONE 'b'", "(attz (attz ts 'a') 'b')"},
		{"ts AT LOCAL", "(atlocal ts)"},
		{"ts AT TIME ZONE INTERVAL '1' HOUR", "(attz ts INTERVAL '1' HOUR)"},
		{"a[1][2]", "(sub (sub a 1) 2)"},
		{"a.b.c", "a.b.c"},
		{"f(x).y.z", "(deref (deref f(x) y) z)"},
		{"(a).b", "(deref a b)"},
		{"a[1].b", "(deref (sub a 1) b)"},
		{"x -> x + 1", "(lambda [x] (+ x 1))"},
		{"(a, b) -> a || b", "(lambda [a b] (|| a b))"},
		{"() -> 1", "(lambda [] 1)"},
		{"(a + b) * c", "(* (+ a b) c)"},
		{"((a))", "a"},
		{`"cost_and_usage.product_code" = 'x'`, "(= cost_and_usage.product_code 'x')"},
		{"date '2020-01-01' - interval '90' day", "(- DATE '2020-01-01' INTERVAL '90' DAY)"},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := sx(e); got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.in, got, tt.want)
		}
		// The formatter must preserve the shape.
		again, err := ParseExpr(ast.Format(e))
		if err != nil || !ast.Equal(e, again) {
			t.Errorf("%s: formatted as %s which does not round-trip (%v)", tt.in, ast.Format(e), err)
		}
	}
}

// TestExprs checks each expression construct by its canonical formatting.
func TestExprs(t *testing.T) {
	tests := []struct{ in, want string }{
		// literals
		{"NULL", "NULL"},
		{"true", "TRUE"},
		{"FALSE", "FALSE"},
		{"123", "123"},
		{"1.5", "1.5"},
		{".5", ".5"},
		{"5.", "5."},
		{"1e3", "1e3"},
		{"1.5E-3", "1.5E-3"},
		{"'it''s'", "'it''s'"},
		{"''", "''"},
		{"X'0aFF'", "X'0AFF'"},
		{"x''", "X''"},
		{`U&'\0041\+01F600!'`, "'A\U0001F600!'"},
		{`U&'#0041##' UESCAPE '#'`, "'A#'"},
		{"DATE '2001-08-22'", "DATE '2001-08-22'"},
		{"timestamp '2001-08-22 03:04:05.321'", "TIMESTAMP '2001-08-22 03:04:05.321'"},
		{"TIME '01:02:03'", "TIME '01:02:03'"},
		{"decimal '1.50'", "DECIMAL '1.50'"},
		{"double precision '1'", "DOUBLE '1'"},
		{"INTERVAL '3' DAY", "INTERVAL '3' DAY"},
		{"INTERVAL -'3' hour", "INTERVAL -'3' HOUR"},
		{"INTERVAL +'3' hour", "INTERVAL '3' HOUR"},
		{"INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '1-2' YEAR TO MONTH"},
		{"ARRAY[1, 2]", "ARRAY[1, 2]"},
		{"ARRAY[]", "ARRAY[]"},
		{"MAP(ARRAY['a'], ARRAY[1])", "MAP(ARRAY['a'], ARRAY[1])"},
		{"ROW(1, 'a')", "ROW(1, 'a')"},
		{"(1, 'a')", "(1, 'a')"},
		{"?", "?"},
		// special forms
		{"CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END", "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"},
		{"case x when 1 then 'a' end", "CASE x WHEN 1 THEN 'a' END"},
		{"CAST(x AS varchar)", "CAST(x AS varchar)"},
		{"CAST(x AS VARCHAR(10))", "CAST(x AS varchar(10))"},
		{"try_cast(x AS decimal(15, 2))", "TRY_CAST(x AS decimal(15,2))"},
		{"CAST(x AS double precision)", "CAST(x AS double)"},
		{"CAST(x AS timestamp(6) WITH TIME ZONE)", "CAST(x AS timestamp(6) with time zone)"},
		{"CAST(x AS timestamp without time zone)", "CAST(x AS timestamp)"},
		{"CAST(x AS array(row(a bigint, \"b c\" varchar)))", `CAST(x AS array(row(a bigint, "b c" varchar)))`},
		{"CAST(x AS map<string, array<int>>)", "CAST(x AS map(string, array(int)))"},
		{"CAST(x AS struct<a:int,b:array<struct<c:string>>>)", "CAST(x AS struct<a:int,b:array(struct<c:string>)>)"},
		{"CAST(x AS interval year to month)", "CAST(x AS interval year to month)"},
		{"EXTRACT(year FROM o_orderdate)", "EXTRACT(YEAR FROM o_orderdate)"},
		{"substring(c_phone FROM 1 FOR 2)", "substring(c_phone, 1, 2)"},
		{"SUBSTRING(s FROM 2)", "substring(s, 2)"},
		{"substr(s, 1, 2)", "substr(s, 1, 2)"},
		{"substring(s, 1)", "substring(s, 1)"},
		{"POSITION('a' IN s)", "strpos(s, 'a')"},
		{"TRIM(s)", "trim(s)"},
		{"TRIM(BOTH 'x' FROM s)", "trim(s, 'x')"},
		{"TRIM(LEADING FROM s)", "ltrim(s)"},
		{"TRIM(TRAILING 'x' FROM s)", "rtrim(s, 'x')"},
		{"TRIM('x' FROM s)", "trim(s, 'x')"},
		{"TRIM(s, 'x')", "trim(s, 'x')"},
		{"CURRENT_DATE", "CURRENT_DATE"},
		{"current_timestamp(3)", "CURRENT_TIMESTAMP(3)"},
		{"LOCALTIME", "LOCALTIME"},
		{"current_user", "CURRENT_USER"},
		{"EXISTS (SELECT 1)", "EXISTS (SELECT 1)"},
		{"NOT EXISTS (SELECT 1)", "NOT EXISTS (SELECT 1)"},
		{"(SELECT max(x) FROM t)", "(SELECT max(x) FROM t)"},
		{"a IN (SELECT b FROM t)", "a IN (SELECT b FROM t)"},
		{"a > ALL (SELECT b FROM t)", "a > ALL (SELECT b FROM t)"},
		{"a = some (SELECT b FROM t)", "a = SOME (SELECT b FROM t)"},
		{"any(x)", "any(x)"},
		{"if(a, 1, 2)", "if(a, 1, 2)"},
		{"coalesce(a, 0)", "coalesce(a, 0)"},
		{"nullif(a, 0)", "nullif(a, 0)"},
		{"date(x)", "date(x)"},
		{"year(x) + month(x) + day(x)", "year(x) + month(x) + day(x)"},
		{"GROUPING(a, b)", "GROUPING(a, b)"},
		{"catalog.schema.f(1)", "catalog.schema.f(1)"},
		// calls
		{"count(*)", "count(*)"},
		{"count(DISTINCT x)", "count(DISTINCT x)"},
		{"count(ALL x)", "count(x)"},
		{"sum(x) FILTER (WHERE y > 0)", "sum(x) FILTER (WHERE y > 0)"},
		{"array_agg(x ORDER BY y DESC, z NULLS FIRST)", "array_agg(x ORDER BY y DESC, z NULLS FIRST)"},
		{"rank() OVER (PARTITION BY a, b ORDER BY c)", "rank() OVER (PARTITION BY a, b ORDER BY c)"},
		{"sum(x) OVER w", "sum(x) OVER w"},
		{"sum(x) OVER (w ORDER BY y)", "sum(x) OVER (w ORDER BY y)"},
		{"sum(x) OVER ()", "sum(x) OVER ()"},
		{"sum(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "sum(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
		{"sum(x) OVER (ORDER BY y RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND 2 FOLLOWING)", "sum(x) OVER (ORDER BY y RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND 2 FOLLOWING)"},
		{"sum(x) OVER (GROUPS 3 PRECEDING)", "sum(x) OVER (GROUPS 3 PRECEDING)"},
		{"sum(x) OVER (ROWS UNBOUNDED FOLLOWING)", "sum(x) OVER (ROWS UNBOUNDED FOLLOWING)"},
		{"lag(x, 1) IGNORE NULLS OVER (ORDER BY y)", "lag(x, 1) IGNORE NULLS OVER (ORDER BY y)"},
		{"first_value(x) RESPECT NULLS OVER w", "first_value(x) RESPECT NULLS OVER w"},
		{"transform(a, x -> x * 2)", "transform(a, x -> x * 2)"},
		{"reduce(a, 0, (s, x) -> s + x, s -> s)", "reduce(a, 0, (s, x) -> s + x, s -> s)"},
		// identifiers
		{`"Quoted ""Name"""`, `"Quoted ""Name"""`},
		{"`hive name`", `"hive name"`},
		{`"select"`, `"select"`},
		{"data + format + location + position + comment", "data + format + location + position + comment"},
		{"t.a", "t.a"},
		{`"t".a.b`, `"t".a.b`},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		got := ast.Format(e)
		if got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.in, got, tt.want)
		}
		again, err := ParseExpr(got)
		if err != nil || !ast.Equal(e, again) {
			t.Errorf("%s: formatted as %s which does not round-trip (%v)", tt.in, got, err)
		}
	}
}

func TestExprShapes(t *testing.T) {
	mustExpr := func(s string) ast.Expr {
		t.Helper()
		e, err := ParseExpr(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return e
	}
	// A quoted identifier containing a dot is one identifier.
	c := mustExpr(`"cost_and_usage.product_code"`).(*ast.ColumnRef)
	if len(c.Name.Parts) != 1 || c.Name.Parts[0].Name != "cost_and_usage.product_code" || !c.Name.Parts[0].Quoted {
		t.Errorf("quoted dotted name: %+v", c.Name.Parts[0])
	}
	// Unquoted names keep their case.
	c = mustExpr("Cost_And_Usage.LineItem").(*ast.ColumnRef)
	if c.Name.Parts[0].Name != "Cost_And_Usage" || c.Name.Parts[1].Name != "LineItem" || c.Name.Parts[0].Quoted {
		t.Errorf("case kept: %+v", c.Name.Parts)
	}
	// Literals keep their text.
	if l := mustExpr("0001").(*ast.IntegerLit); l.Text != "0001" {
		t.Errorf("integer text %q", l.Text)
	}
	if l := mustExpr("X'0aff'").(*ast.BinaryLit); string(l.Value) != "\x0a\xff" {
		t.Errorf("binary value %q", l.Value)
	}
	// Parameters are numbered in order of appearance.
	b := mustExpr("? + ? * ?").(*ast.BinaryExpr)
	if b.L.(*ast.Param).Index != 0 || b.R.(*ast.BinaryExpr).R.(*ast.Param).Index != 2 {
		t.Errorf("param indexes: %s", sx(b))
	}
	// count(*) is a star call without arguments.
	fc := mustExpr("COUNT(*)").(*ast.FuncCall)
	if !fc.Star || len(fc.Args) != 0 || fc.Name.Parts[0].Name != "COUNT" {
		t.Errorf("count(*): %+v", fc)
	}
	// POSITION(a IN b) swaps its operands into strpos(b, a).
	fc = mustExpr("position('x' IN s)").(*ast.FuncCall)
	if fc.Name.Parts[0].Name != "strpos" || sx(fc.Args[0]) != "s" || sx(fc.Args[1]) != "'x'" {
		t.Errorf("position: %s", ast.Format(fc))
	}
	// Searched CASE has no operand.
	if cs := mustExpr("CASE WHEN a THEN 1 END").(*ast.Case); cs.Operand != nil || cs.Else != nil || len(cs.Whens) != 1 {
		t.Errorf("case: %+v", cs)
	}
	// INTERVAL sign.
	if iv := mustExpr("INTERVAL -'5' MINUTE").(*ast.IntervalLit); iv.Sign != -1 || iv.Value != "5" || iv.From != "MINUTE" {
		t.Errorf("interval: %+v", iv)
	}
	// CURRENT_TIMESTAMP precision.
	if ct := mustExpr("CURRENT_TIMESTAMP(6)").(*ast.CurrentTime); ct.Precision == nil || *ct.Precision != 6 {
		t.Errorf("current_timestamp: %+v", ct)
	}
	// Types.
	ty := mustExpr("CAST(x AS array<struct<a:int,b:map<string,decimal(15,2)>>>)").(*ast.Cast).Type
	if ty.Name != "array" || ty.Elems[0].Name != "struct" || ty.Elems[0].Fields[1].Type.Elems[1].Params[1] != 2 {
		t.Errorf("type: %s", ty)
	}
	if ty := mustExpr("CAST(x AS TIMESTAMP(3) WITH TIME ZONE)").(*ast.Cast).Type; ty.Name != "timestamp" || !ty.WithTimeZone || ty.Params[0] != 3 {
		t.Errorf("type: %+v", ty)
	}
	if ty := mustExpr("CAST(x AS interval day to second)").(*ast.Cast).Type; ty.IntervalFrom != "DAY" || ty.IntervalTo != "SECOND" {
		t.Errorf("type: %+v", ty)
	}
}
