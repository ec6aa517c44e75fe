package plan

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
	"github.com/quarry-sql/quarry/types"
)

// exprCtx binds expressions in one clause of one query block.
type exprCtx struct {
	b      *Binder
	sc     *scope
	clause string
	// input is the block's plan so far; subqueries in expressions join
	// onto it. nil where subqueries are not allowed.
	input       *Node
	allowAgg    bool
	allowWindow bool
	// aggName is the aggregate whose arguments are being bound, for
	// errors about nesting.
	aggName string
	agg     *aggState
	windows []*WindowCall
	// deferJoins, when set, collects scalar-subquery joins to apply above
	// the aggregation instead of onto input.
	deferJoins *[]*Join
	refPos     map[*ColumnRef]token.Pos
}

type aggState struct {
	keys  []Expr
	calls []*AggCall
	// sets are the grouping sets (indices into keys) of GROUPING SETS,
	// ROLLUP and CUBE; nil for a plain GROUP BY.
	sets [][]int
	// gid is the grouping-set number column, set once sets are known.
	gid *ColumnRef
}

func (ec *exprCtx) requireBoolean(n ast.Node, e Expr) error {
	if k := e.Type().Kind; k != types.Boolean && k != types.Unknown {
		return errAt(n, "%s clause must evaluate to a boolean: actual type %s", ec.clause, e.Type())
	}
	return nil
}

func (ec *exprCtx) bind(n ast.Expr) (Expr, error) {
	e, err := ec.bindRaw(n)
	if err != nil {
		return nil, err
	}
	return ec.fold(e), nil
}

func (ec *exprCtx) bindAll(ns []ast.Expr) ([]Expr, error) {
	out := make([]Expr, len(ns))
	for i, n := range ns {
		e, err := ec.bind(n)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

var binaryFuncs = map[string]string{
	"+": "$add", "-": "$subtract", "*": "$multiply", "/": "$divide", "%": "$modulus",
	"=": "$eq", "<>": "$ne", "!=": "$ne", "<": "$lt", "<=": "$le", ">": "$gt", ">=": "$ge",
	"||": "$concat", "AND": "$and", "OR": "$or",
}

func (ec *exprCtx) bindRaw(n ast.Expr) (Expr, error) {
	switch x := n.(type) {
	case *ast.ColumnRef:
		return ec.resolve(x.Name, x)
	case *ast.Dereference:
		base, err := ec.bind(x.Expr)
		if err != nil {
			return nil, err
		}
		return ec.field(x, base, x.Field.Name)
	case *ast.NullLit:
		return &Const{T: types.UnknownType}, nil
	case *ast.BoolLit:
		return &Const{Value: x.Value, T: types.BooleanType}, nil
	case *ast.IntegerLit:
		v, err := strconv.ParseInt(x.Text, 10, 64)
		if err != nil {
			return nil, errAt(x, "Invalid numeric literal: %s", x.Text)
		}
		if v >= -1<<31 && v < 1<<31 {
			return &Const{Value: v, T: types.IntegerType}, nil
		}
		return &Const{Value: v, T: types.BigIntType}, nil
	case *ast.DecimalLit:
		if ec.b.env.DecimalLiteralsAsDouble {
			v, err := strconv.ParseFloat(x.Text, 64)
			if err != nil {
				return nil, errAt(x, "invalid decimal literal %s", x.Text)
			}
			return &Const{Value: v, T: types.DoubleType}, nil
		}
		return decimalLiteral(x, x.Text)
	case *ast.DoubleLit:
		v, err := strconv.ParseFloat(x.Text, 64)
		if err != nil {
			return nil, errAt(x, "invalid double literal %s", x.Text)
		}
		return &Const{Value: v, T: types.DoubleType}, nil
	case *ast.StringLit:
		// 'abc' is varchar(3), as in Trino. '' stays unbounded varchar,
		// since varchar(0) has no spelling in types.Type (Length 0 means
		// unbounded).
		t := types.VarcharType
		if n := utf8.RuneCountInString(x.Value); n > 0 {
			t = types.VarcharOf(n)
		}
		return &Const{Value: x.Value, T: t}, nil
	case *ast.BinaryLit:
		return &Const{Value: string(x.Value), T: types.Type{Kind: types.Varbinary}}, nil
	case *ast.TypedLit:
		return ec.typedLiteral(x)
	case *ast.IntervalLit:
		return intervalLiteral(x)
	case *ast.BinaryExpr:
		op := strings.ToUpper(x.Op)
		fn, ok := binaryFuncs[op]
		if !ok {
			return nil, errAt(x, "unsupported operator %s", x.Op)
		}
		l, err := ec.bind(x.L)
		if err != nil {
			return nil, err
		}
		r, err := ec.bind(x.R)
		if err != nil {
			return nil, err
		}
		var at ast.Node = x
		if x.OpSpan.From.IsValid() {
			at = x.OpSpan
		}
		return ec.bindCall(at, fn, []Expr{l, r})
	case *ast.UnaryExpr:
		if lit, ok := x.X.(*ast.IntegerLit); ok && strings.ToUpper(x.Op) == "-" && lit.Text == "9223372036854775808" {
			return &Const{Value: int64(-1 << 63), T: types.BigIntType}, nil
		}
		a, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		switch strings.ToUpper(x.Op) {
		case "-":
			if c, ok := a.(*Const); ok {
				if v, ok := c.Value.(int64); ok && v != -1<<63 {
					return &Const{Value: -v, T: c.T}, nil
				}
			}
			return ec.bindCall(x, "$negate", []Expr{a})
		case "+":
			return a, nil
		case "NOT":
			return ec.bindCall(x, "$not", []Expr{a})
		}
		return nil, errAt(x, "unsupported operator %s", x.Op)
	case *ast.IsNull:
		a, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		return &IsNull{Arg: a, Not: x.Not}, nil
	case *ast.IsDistinctFrom:
		l, err := ec.bind(x.L)
		if err != nil {
			return nil, err
		}
		r, err := ec.bind(x.R)
		if err != nil {
			return nil, err
		}
		e, err := ec.bindCall(x, "$is_distinct_from", []Expr{l, r})
		if err != nil {
			return nil, err
		}
		if x.Not {
			return ec.bindCall(x, "$not", []Expr{e})
		}
		return e, nil
	case *ast.Between:
		v, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		lo, err := ec.bind(x.Lo)
		if err != nil {
			return nil, err
		}
		hi, err := ec.bind(x.Hi)
		if err != nil {
			return nil, err
		}
		ge, err := ec.bindCall(x, "$ge", []Expr{v, lo})
		if err != nil {
			return nil, err
		}
		le, err := ec.bindCall(x, "$le", []Expr{v, hi})
		if err != nil {
			return nil, err
		}
		e, err := ec.bindCall(x, "$and", []Expr{ge, le})
		if err != nil {
			return nil, err
		}
		if x.Not {
			return ec.bindCall(x, "$not", []Expr{e})
		}
		return e, nil
	case *ast.InList:
		return ec.bindInList(x)
	case *ast.Like:
		v, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		p, err := ec.bind(x.Pattern)
		if err != nil {
			return nil, err
		}
		args := []Expr{v, p}
		if x.Escape != nil {
			e, err := ec.bind(x.Escape)
			if err != nil {
				return nil, err
			}
			args = append(args, e)
		}
		e, err := ec.bindCall(x, "$like", args)
		if err != nil {
			return nil, err
		}
		if x.Not {
			return ec.bindCall(x, "$not", []Expr{e})
		}
		return e, nil
	case *ast.Case:
		return ec.bindCase(x)
	case *ast.Cast:
		a, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		t, err := types.Parse(x.Type.String())
		if err != nil {
			return nil, errAt(x.Type, "Unknown type: %s", x.Type.String())
		}
		if t.Kind == types.TimestampTZ && a.Type().Kind == types.TimestampTZ {
			// A cast between timestamps with time zone changes the
			// precision and keeps the zone, as in Trino.
			t.Zone = a.Type().Zone
		}
		if c, ok := a.(*Const); ok && t.Kind == types.TimestampTZ && c.T.IsString() {
			// A constant string keeps the zone it names, as a literal does.
			if v, ok := c.Value.(string); ok {
				t.Zone = literalZone(strings.TrimSpace(v))
			}
		}
		if a.Type().Equal(t) {
			return a, nil
		}
		if _, err := function.Cast(a.Type(), t, x.Try); err != nil {
			return nil, errAt(x, "Cannot cast %s to %s", a.Type(), t)
		}
		return &Cast{Arg: a, T: t, Try: x.Try}, nil
	case *ast.Extract:
		a, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		fn := strings.ToLower(x.Field)
		switch fn {
		case "dow":
			fn = "day_of_week"
		case "doy":
			fn = "day_of_year"
		case "day_of_month":
			fn = "day"
		}
		return ec.bindCall(x, fn, []Expr{a})
	case *ast.AtTimeZone:
		a, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		if x.Zone == nil {
			// AT LOCAL: the same instant in the session zone.
			t := a.Type()
			switch t.Kind {
			case types.Timestamp, types.TimestampTZ:
				return ec.coerce(x, a, types.TimestampTZOf(t.Precision, ""))
			case types.Date, types.Unknown:
				return ec.coerce(x, a, types.TimestampTZOf(0, ""))
			}
			return nil, errAt(x, "Unexpected parameters (%s) for function at_timezone. Expected: at_timezone(timestamp(p) with time zone, varchar(x))", t)
		}
		z, err := ec.bind(x.Zone)
		if err != nil {
			return nil, err
		}
		if z = ec.fold(z); !isConstExpr(z) {
			// The zone is part of the result type (types.Type.Zone).
			return nil, errAt(x.Zone, "AT TIME ZONE needs a constant time zone: Quarry gives all values of an expression one zone")
		}
		return ec.bindCall(x, "at_timezone", []Expr{a, z})
	case *ast.CurrentTime:
		name := strings.ToLower(x.Kind)
		return ec.bindCall(x, name, nil)
	case *ast.FuncCall:
		return ec.bindFuncCall(x)
	case *ast.SubqueryExpr:
		return ec.bindScalarSubquery(x)
	case *ast.Exists:
		if ec.input == nil {
			return nil, errAt(n, "subqueries are not allowed in %s", ec.clause)
		}
		return ec.bindPerRowSubquery(x, x.Query, "exists", nil)
	case *ast.InSubquery:
		if ec.input == nil {
			return nil, errAt(n, "subqueries are not allowed in %s", ec.clause)
		}
		v, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		e, err := ec.bindPerRowSubquery(x, x.Query, "in", v)
		if err != nil || !x.Not {
			return e, err
		}
		return ec.bindCall(x, "$not", []Expr{e})
	case *ast.QuantifiedCmp:
		if ec.input == nil {
			return nil, errAt(n, "subqueries are not allowed in %s", ec.clause)
		}
		fn, ok := binaryFuncs[x.Op]
		if !ok || !strings.HasPrefix(fn, "$") || fn == "$concat" || fn == "$add" || fn == "$subtract" || fn == "$multiply" || fn == "$divide" || fn == "$modulus" {
			return nil, errAt(n, "unsupported comparison %s in a quantified comparison", x.Op)
		}
		v, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		kind := "any"
		if strings.EqualFold(x.Quantifier, "ALL") {
			kind = "all"
		}
		return ec.bindPerRow(x, x.Query, kind, v, fn)
	case *ast.RowExpr:
		if len(x.Elems) == 1 && !x.Explicit {
			return ec.bind(x.Elems[0])
		}
		args, err := ec.bindAll(x.Elems)
		if err != nil {
			return nil, err
		}
		return ec.bindCall(x, "$row", args)
	case *ast.Subscript:
		base, err := ec.bind(x.X)
		if err != nil {
			return nil, err
		}
		idx, err := ec.bind(x.Index)
		if err != nil {
			return nil, err
		}
		return ec.bindCall(x, "$subscript", []Expr{base, idx})
	case *ast.ArrayLit:
		args, err := ec.bindAll(x.Elems)
		if err != nil {
			return nil, err
		}
		return ec.bindCall(x, "array_constructor", args)
	case *ast.Param:
		return nil, errAt(x, "parameters are only allowed in EXECUTE of a prepared statement")
	case *ast.Lambda:
		return nil, errAt(x, "lambda expressions are not supported yet")
	}
	return nil, errAt(n, "unsupported expression %T", n)
}

func decimalLiteral(n ast.Node, text string) (Expr, error) {
	s := text
	neg := false
	if strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	digits := strings.TrimLeft(intPart, "0") + frac
	scale := len(frac)
	prec := max(len(strings.TrimLeft(intPart, "0"))+scale, 1)
	if prec > types.MaxDecimalPrecision {
		return nil, errAt(n, "decimal literal %s is too large", text)
	}
	if digits == "" {
		digits = "0"
	}
	t := types.DecimalOf(prec, scale)
	if prec <= types.MaxShortDecimalPrecision {
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return nil, errAt(n, "invalid decimal literal %s", text)
		}
		if neg {
			v = -v
		}
		return &Const{Value: v, T: t}, nil
	}
	bi, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, errAt(n, "invalid decimal literal %s", text)
	}
	if neg {
		bi.Neg(bi)
	}
	return &Const{Value: decimal128.FromBigInt(bi), T: t}, nil
}

func (ec *exprCtx) typedLiteral(x *ast.TypedLit) (Expr, error) {
	kind := strings.ToUpper(x.Type)
	switch {
	case kind == "DATE":
		d, err := time.Parse("2006-01-02", strings.TrimSpace(x.Value))
		if err != nil {
			return nil, errAt(x, "Value cannot be cast to date: %s", x.Value)
		}
		return &Const{Value: d.Unix() / 86400, T: types.DateType}, nil
	case strings.HasPrefix(kind, "TIMESTAMP"):
		c := &Const{Value: x.Value, T: types.VarcharType}
		v := strings.TrimSpace(x.Value)
		t := types.Type{Kind: types.Timestamp, Precision: literalPrecision(timestampLiteralFraction, v)}
		// TIMESTAMP '2024-01-01 12:00:00 UTC' is a timestamp with time zone,
		// and keeps the zone it names.
		if literalZoneText(v) != "" || strings.Contains(kind, "ZONE") {
			t = types.TimestampTZOf(t.Precision, literalZone(v))
		}
		return ec.fold(&Cast{Arg: c, T: t}), nil
	case strings.HasPrefix(kind, "TIME"):
		t := types.Type{Kind: types.Time, Precision: literalPrecision(timeLiteralFraction, x.Value)}
		return ec.fold(&Cast{Arg: &Const{Value: x.Value, T: types.VarcharType}, T: t}), nil
	case kind == "DECIMAL":
		return decimalLiteral(x, strings.TrimSpace(x.Value))
	case kind == "JSON":
		// A JSON literal is parsed (and printed canonically), like
		// json_parse; CAST('...' AS json) would make a JSON string instead.
		e, err := ec.bindCall(x, "json_parse", []Expr{&Const{Value: x.Value, T: types.VarcharType}})
		if err != nil {
			return nil, err
		}
		return ec.fold(e), nil
	case kind == "CHAR":
		n := utf8.RuneCountInString(x.Value)
		return ec.fold(&Cast{Arg: &Const{Value: x.Value, T: types.VarcharType}, T: types.Type{Kind: types.Char, Length: n}}), nil
	case kind == "REAL" || kind == "DOUBLE" || kind == "BIGINT" || kind == "INTEGER" || kind == "SMALLINT" || kind == "TINYINT" || kind == "VARCHAR":
		t, _ := types.Parse(kind)
		return ec.fold(&Cast{Arg: &Const{Value: x.Value, T: types.VarcharType}, T: t}), nil
	}
	return nil, errAt(x, "unsupported typed literal %s", x.Type)
}

// The fraction of seconds of a timestamp or time literal: its digits give
// the literal's precision, as in Trino (TIMESTAMP '2020-01-01 00:00:00' is
// timestamp(0), TIME '01:02:03.123456' is time(6)).
var (
	timestampLiteralFraction = regexp.MustCompile(`^\s*[+-]?\d+-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.(\d*))?)?)?`)
	timeLiteralFraction      = regexp.MustCompile(`^\s*\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.(\d*))?)?`)
)

// literalPrecision is the number of fraction digits re finds in s. Values
// are held in microseconds, so it is at most 6 (Trino allows 12): more
// digits are rounded rather than printed as zeros that were not written. A
// literal re does not match is left to the cast to reject.
func literalPrecision(re *regexp.Regexp, s string) int {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 3
	}
	return min(len(m[1]), 6)
}

// literalZoneText is whatever follows the date and time of a timestamp
// literal: its zone, or "".
func literalZoneText(v string) string {
	if m := timestampLiteralFraction.FindString(v); m != "" {
		return strings.TrimSpace(v[len(m):])
	}
	if m := timestampHasZone.FindStringSubmatch(v); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// literalZone is the canonical name of the zone a timestamp literal names,
// or "" (the session zone) when it names none or one that does not exist,
// which the cast then rejects.
func literalZone(v string) string {
	z := literalZoneText(v)
	if z == "" {
		return ""
	}
	loc, err := types.LoadZone(z)
	if err != nil {
		return ""
	}
	return types.ZoneName(loc)
}

var timestampHasZone = regexp.MustCompile(`\d(\s*Z|\s+[A-Za-z][A-Za-z_/+-]*|\s*[+-]\d{2}(:?\d{2})?)$`)

func intervalLiteral(x *ast.IntervalLit) (Expr, error) {
	from := strings.ToUpper(x.From)
	v, err := strconv.ParseInt(strings.TrimSpace(x.Value), 10, 64)
	if err != nil {
		return nil, errAt(x, "Invalid INTERVAL %s value: %s", from, x.Value)
	}
	if x.Sign < 0 {
		v = -v
	}
	switch from {
	case "YEAR":
		return &Const{Value: v * 12, T: types.IntervalYMType}, nil
	case "MONTH":
		return &Const{Value: v, T: types.IntervalYMType}, nil
	case "DAY":
		return &Const{Value: v * 86400000, T: types.IntervalDTType}, nil
	case "HOUR":
		return &Const{Value: v * 3600000, T: types.IntervalDTType}, nil
	case "MINUTE":
		return &Const{Value: v * 60000, T: types.IntervalDTType}, nil
	case "SECOND":
		return &Const{Value: v * 1000, T: types.IntervalDTType}, nil
	}
	return nil, errAt(x, "unsupported interval unit %s", x.From)
}

// resolve finds a (possibly qualified) column name, then applies any
// remaining parts as row field accesses.
func (ec *exprCtx) resolve(q *ast.QualifiedName, at ast.Node) (Expr, error) {
	parts := q.Parts
	lower := make([]string, len(parts))
	for i, p := range parts {
		lower[i] = strings.ToLower(p.Name)
	}
	for s := ec.sc; s != nil; s = s.parent {
		var match *scopeCol
		rest := 0
		// qualifier.column first, then column alone.
		for try := 0; try < 2 && match == nil; try++ {
			var cands []*scopeCol
			for i := range s.cols {
				c := &s.cols[i]
				if try == 0 && len(lower) >= 2 && c.qual == lower[0] && c.name == lower[1] {
					cands = append(cands, c)
					rest = 2
				}
				if try == 1 && c.name == lower[0] && !c.qualOnly {
					cands = append(cands, c)
					rest = 1
				}
			}
			if len(cands) > 1 {
				// The same column reached through two aliases is still ambiguous.
				return nil, errAt(at, "Column '%s' is ambiguous", strings.Join(lower[:rest], "."))
			}
			if len(cands) == 1 {
				match = cands[0]
			}
		}
		if match == nil {
			continue
		}
		if s != ec.sc {
			for o := ec.sc; o != nil && o != s; o = o.parent {
				if o.outer != nil {
					o.outer[match.col.ID] = true
				}
			}
		}
		var e Expr = &ColumnRef{ID: match.col.ID, T: match.col.T, Name: match.col.Name}
		if ec.refPos == nil {
			ec.refPos = map[*ColumnRef]token.Pos{}
		}
		ec.refPos[e.(*ColumnRef)] = at.Pos()
		for _, f := range parts[rest:] {
			var err error
			if e, err = ec.field(at, e, f.Name); err != nil {
				return nil, err
			}
		}
		return e, nil
	}
	var names []string
	for s := ec.sc; s != nil; s = s.parent {
		for _, c := range s.cols {
			names = append(names, c.name)
		}
	}
	if m, ok := catalog.Suggest(lower[len(lower)-1], names); ok {
		return nil, errAt(at, "Column '%s' cannot be resolved; did you mean %s?", q.String(), m)
	}
	return nil, errAt(at, "Column '%s' cannot be resolved", q.String())
}

// field accesses a row field by name (case-insensitive).
func (ec *exprCtx) field(at ast.Node, base Expr, name string) (Expr, error) {
	t := base.Type()
	if t.Kind != types.Row {
		return nil, errAt(at, "Expression %s is not of type ROW", base)
	}
	for i, f := range t.Fields {
		if strings.EqualFold(f.Name, name) {
			return &Call{Name: "$field", Binding: function.Binding{Result: f.Type, Kernel: fieldKernel(i)}, Args: []Expr{base, &Const{Value: int64(i), T: types.IntegerType}}}, nil
		}
	}
	return nil, errAt(at, "Column '%s' cannot be resolved", name)
}

func (ec *exprCtx) bindInList(x *ast.InList) (Expr, error) {
	v, err := ec.bind(x.X)
	if err != nil {
		return nil, err
	}
	items, err := ec.bindAll(x.List)
	if err != nil {
		return nil, err
	}
	t := v.Type()
	for _, it := range items {
		st, ok := types.CommonSuperType(t, it.Type())
		if !ok {
			if v.Type().IsString() && it.Type().IsNumeric() && len(ColumnsOf(v)) > 0 {
				st = types.DoubleType
			} else {
				return nil, errAt(x, "IN value and list items must be the same type: %s and %s", v.Type(), it.Type())
			}
		}
		t = st
	}
	// Nested values are Go slices, which cannot key InConst's set: compare
	// them one by one instead.
	allConst := t.Kind != types.Array && t.Kind != types.Map && t.Kind != types.Row
	for i := range items {
		if items[i], err = ec.coerce(x, items[i], t); err != nil {
			return nil, err
		}
		items[i] = ec.fold(items[i])
		if _, ok := items[i].(*Const); !ok {
			allConst = false
		}
	}
	if v, err = ec.coerceLenient(x, v, t); err != nil {
		return nil, err
	}
	if allConst {
		consts := make([]*Const, len(items))
		for i, it := range items {
			consts[i] = it.(*Const)
		}
		return &InList{Arg: v, List: consts, Not: x.Not}, nil
	}
	var out Expr
	for _, it := range items {
		eq, err := ec.bindCall(x, "$eq", []Expr{v, it})
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = eq
		} else if out, err = ec.bindCall(x, "$or", []Expr{out, eq}); err != nil {
			return nil, err
		}
	}
	if x.Not {
		return ec.bindCall(x, "$not", []Expr{out})
	}
	return out, nil
}

func (ec *exprCtx) bindCase(x *ast.Case) (Expr, error) {
	c := &Case{}
	var operand Expr
	if x.Operand != nil {
		var err error
		if operand, err = ec.bind(x.Operand); err != nil {
			return nil, err
		}
	}
	t := types.UnknownType
	for _, w := range x.Whens {
		cond, err := ec.bind(w.Cond)
		if err != nil {
			return nil, err
		}
		if operand != nil {
			if cond, err = ec.bindCall(w, "$eq", []Expr{operand, cond}); err != nil {
				return nil, err
			}
		}
		if k := cond.Type().Kind; k != types.Boolean && k != types.Unknown {
			return nil, errAt(w.Cond, "WHEN clause must evaluate to a boolean: actual type %s", cond.Type())
		}
		res, err := ec.bind(w.Result)
		if err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, cond)
		c.Thens = append(c.Thens, res)
		st, ok := types.CommonSuperType(t, res.Type())
		if !ok {
			return nil, errAt(w.Result, "All CASE results must be the same type or coercible to a common type. Cannot find common type between %s and %s", t, res.Type())
		}
		t = st
	}
	if x.Else != nil {
		e, err := ec.bind(x.Else)
		if err != nil {
			return nil, err
		}
		st, ok := types.CommonSuperType(t, e.Type())
		if !ok {
			return nil, errAt(x.Else, "All CASE results must be the same type or coercible to a common type. Cannot find common type between %s and %s", t, e.Type())
		}
		t = st
		c.Else = e
	}
	for i := range c.Thens {
		var err error
		if c.Thens[i], err = ec.coerce(x, c.Thens[i], t); err != nil {
			return nil, err
		}
	}
	if c.Else != nil {
		var err error
		if c.Else, err = ec.coerce(x, c.Else, t); err != nil {
			return nil, err
		}
		if cst, ok := c.Else.(*Const); ok && cst.Value == nil {
			c.Else = nil
		}
	}
	c.T = t
	return c, nil
}

// coerce casts e to t when their types differ (implicit coercion).
func (ec *exprCtx) coerce(at ast.Node, e Expr, t types.Type) (Expr, error) {
	if e.Type().Equal(t) {
		return e, nil
	}
	if c, ok := e.(*Const); ok && c.Value == nil {
		return &Const{T: t}, nil
	}
	if t.Kind == types.Unknown {
		return e, nil
	}
	if _, err := function.Cast(e.Type(), t, false); err != nil {
		return nil, errAt(at, "Cannot cast %s to %s", e.Type(), t)
	}
	return ec.fold(&Cast{Arg: e, T: t}), nil
}

// coerceLenient is coerce, but a varchar going to a number uses Quarry's
// lenient cast and records a warning.
func (ec *exprCtx) coerceLenient(at ast.Node, e Expr, t types.Type) (Expr, error) {
	if e.Type().IsString() && t.IsNumeric() {
		return ec.lenient(e), nil
	}
	return ec.coerce(at, e, t)
}

// lenient wraps a varchar expression in Quarry's documented varchar-to-double
// extension and warns, naming the columns involved.
func (ec *exprCtx) lenient(e Expr) Expr {
	var names []string
	seen := map[string]bool{}
	var visit func(x Expr)
	// Only columns whose values flow into the result are named, not those
	// in CASE conditions.
	visit = func(x Expr) {
		switch y := x.(type) {
		case *ColumnRef:
			if !seen[y.Name] {
				seen[y.Name] = true
				names = append(names, y.Name)
			}
		case *Case:
			for _, t := range y.Thens {
				visit(t)
			}
			if y.Else != nil {
				visit(y.Else)
			}
		case *Cast:
			visit(y.Arg)
		case *Try:
			visit(y.Arg)
		case *Call:
			if y.Binding.Result.IsString() {
				for _, a := range y.Args {
					visit(a)
				}
			}
		}
	}
	visit(e)
	if ec.b.env.Warn != nil {
		for _, n := range names {
			ec.b.env.Warn(fmt.Sprintf("column '%s' is varchar but used as a number: its values are read as double (unparseable values become NULL); declare it as double or decimal(p,s) in the table to make this exact", n))
		}
	}
	return &Cast{Arg: e, T: types.DoubleType, Lenient: true}
}

// bindCall binds a scalar function call, inserting argument casts. A call
// that does not bind because a varchar argument stands where a number is
// needed is retried with that argument read as double (the documented
// extension for all-string tables).
func (ec *exprCtx) bindCall(at ast.Node, name string, args []Expr) (Expr, error) {
	f, ok := ec.b.env.Funcs.Scalar(name)
	if !ok {
		if _, isAgg := ec.b.env.Funcs.Aggregate(name); isAgg {
			return nil, errAt(at, "%s is an aggregate function and cannot be used here", name)
		}
		return nil, errAt(at, "Function '%s' not registered", name)
	}
	argTypes := typesOf(args)
	var bind function.Binding
	var err error
	if f.BindConst != nil {
		args = append([]Expr{}, args...)
		consts := make([]*function.ConstArg, len(args))
		for i := range args {
			args[i] = ec.fold(args[i])
			if c, ok := args[i].(*Const); ok {
				consts[i] = &function.ConstArg{Value: c.Value}
			}
		}
		bind, err = f.BindConst(argTypes, consts)
		if err != nil {
			return nil, errAt(at, "%s", err.Error())
		}
	} else {
		bind, err = f.Bind(argTypes)
	}
	if err != nil {
		if retry, ok := ec.lenientArgs(name, args); ok {
			if b2, err2 := f.Bind(typesOf(retry)); err2 == nil {
				args, bind, err = retry, b2, nil
			}
		}
		if err != nil {
			return nil, errAt(at, "%s", literalTypesErr(f, args, err).Error())
		}
	}
	args = append([]Expr{}, args...)
	for i := range args {
		if i < len(bind.Args) && !args[i].Type().Equal(bind.Args[i]) && args[i].Type().Kind != types.Unknown {
			if args[i], err = ec.coerce(at, args[i], bind.Args[i]); err != nil {
				return nil, err
			}
		} else if i < len(bind.Args) && args[i].Type().Kind == types.Unknown {
			args[i] = &Const{T: bind.Args[i]}
		}
	}
	if bind.Volatile {
		ec.b.volatile++
	}
	return &Call{Name: name, Binding: bind, Args: args}, nil
}

// literalTypesErr re-binds a call that failed with its string literals
// typed varchar(n), as Trino types them, so the error names the types
// Trino names ("Cannot apply operator: varchar(1) + integer").
func literalTypesErr(f *function.Scalar, args []Expr, err error) error {
	ts := typesOf(args)
	changed := false
	for i, a := range args {
		if c, ok := a.(*Const); ok && c.T.Kind == types.Varchar && c.T.Length == 0 {
			if v, ok := c.Value.(string); ok && v != "" {
				ts[i] = types.VarcharOf(utf8.RuneCountInString(v))
				changed = true
			}
		}
	}
	if !changed {
		return err
	}
	if _, err2 := f.Bind(ts); err2 != nil {
		return err2
	}
	return err
}

// lenientArgs replaces varchar arguments by lenient double casts for
// numeric operators and functions, when some argument is numeric or the
// function is arithmetic.
func (ec *exprCtx) lenientArgs(name string, args []Expr) ([]Expr, bool) {
	arith := map[string]bool{"$add": true, "$subtract": true, "$multiply": true, "$divide": true, "$modulus": true, "$negate": true,
		"abs": true, "round": true, "ceil": true, "floor": true, "sqrt": true, "power": true, "ln": true, "log10": true}
	cmp := map[string]bool{"$eq": true, "$ne": true, "$lt": true, "$le": true, "$gt": true, "$ge": true}
	hasNum, hasStr := false, false
	for _, a := range args {
		if a.Type().IsNumeric() {
			hasNum = true
		}
		if a.Type().IsString() {
			hasStr = true
		}
	}
	if !hasStr || !(arith[name] || (cmp[name] && hasNum)) {
		return nil, false
	}
	out := make([]Expr, len(args))
	changed := false
	for i, a := range args {
		// Only data read from files gets the lenient treatment; a string
		// literal where a number belongs is a type error, as in Trino.
		if a.Type().IsString() && len(ColumnsOf(a)) > 0 {
			out[i] = ec.lenient(a)
			changed = true
		} else {
			out[i] = a
		}
	}
	return out, changed
}

func typesOf(es []Expr) []types.Type {
	out := make([]types.Type, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}

func (ec *exprCtx) bindFuncCall(x *ast.FuncCall) (Expr, error) {
	name := strings.ToLower(x.Name.Parts[len(x.Name.Parts)-1].Name)
	if x.Over != nil {
		return ec.bindWindowCall(x, name)
	}
	if agg, ok := ec.b.env.Funcs.Aggregate(name); ok {
		if !ec.allowAgg {
			return nil, ec.misplaced(x, "aggregations")
		}
		return ec.bindAggregate(x, name, agg)
	}
	if _, ok := windowOnly[name]; ok || windowValue[name] {
		return nil, errAt(x, "Window function %s requires an OVER clause", name)
	}
	if x.Distinct || x.Filter != nil || len(x.OrderBy) > 0 {
		return nil, errAt(x, "DISTINCT, FILTER and ORDER BY are only allowed in aggregate functions, not %s", name)
	}
	for _, a := range x.Args {
		if _, ok := a.(*ast.Lambda); ok {
			return ec.bindLambdaCall(x, name)
		}
	}
	switch name {
	case "grouping":
		return ec.bindGrouping(x)
	case "coalesce":
		// COALESCE is lazy in Trino: later arguments are evaluated only for
		// rows where the earlier ones are NULL, so it is a CASE.
		if len(x.Args) == 0 {
			return nil, errAt(x, "coalesce requires at least one argument")
		}
		c := &ast.Case{Span: ast.Span{From: x.Pos(), To: x.End()}}
		for _, a := range x.Args[:len(x.Args)-1] {
			c.Whens = append(c.Whens, &ast.When{Cond: &ast.IsNull{X: a, Not: true}, Result: a})
		}
		c.Else = x.Args[len(x.Args)-1]
		return ec.bindCase(c)
	case "try":
		if len(x.Args) != 1 {
			return nil, errAt(x, "try takes one argument")
		}
		a, err := ec.bind(x.Args[0])
		if err != nil {
			return nil, err
		}
		return &Try{Arg: a}, nil
	case "if":
		if len(x.Args) < 2 || len(x.Args) > 3 {
			return nil, errAt(x, "if takes 2 or 3 arguments")
		}
		c := &ast.Case{Span: ast.Span{From: x.Pos(), To: x.End()}, Whens: []*ast.When{{Cond: x.Args[0], Result: x.Args[1]}}}
		if len(x.Args) == 3 {
			c.Else = x.Args[2]
		}
		return ec.bindCase(c)
	}
	args, err := ec.bindAll(x.Args)
	if err != nil {
		return nil, err
	}
	return ec.bindCall(x, name, args)
}

// misplaced reports an aggregate or window call (what) where the clause
// allows none, in Trino's words.
func (ec *exprCtx) misplaced(x *ast.FuncCall, what string) error {
	if ec.clause == "aggregate argument" {
		return errAt(x, "Cannot nest %s inside aggregation '%s': [%s]", what, ec.aggName, ast.Format(x))
	}
	return errAt(x, "%s clause cannot contain aggregations, window functions or grouping operations: [%s]", ec.clause, ast.Format(x))
}

func (ec *exprCtx) bindAggregate(x *ast.FuncCall, name string, agg *function.Aggregate) (Expr, error) {
	inner := *ec
	inner.allowAgg = false
	inner.allowWindow = false
	inner.clause = "aggregate argument"
	inner.aggName = name
	var args []Expr
	if !x.Star {
		var err error
		if args, err = inner.bindAll(x.Args); err != nil {
			return nil, err
		}
	}
	bind, err := agg.Bind(typesOf(args))
	if err != nil {
		lenient := make([]Expr, len(args))
		changed := false
		for i, a := range args {
			lenient[i] = a
			if a.Type().IsString() && (name == "sum" || name == "avg" || strings.HasPrefix(name, "stddev") || strings.HasPrefix(name, "var")) {
				lenient[i] = ec.lenient(a)
				changed = true
			}
		}
		if changed {
			if b2, err2 := agg.Bind(typesOf(lenient)); err2 == nil {
				args, bind, err = lenient, b2, nil
			}
		}
		if err != nil {
			return nil, errAt(x, "%s", err.Error())
		}
	}
	for i := range args {
		if i < len(bind.Args) {
			if args[i], err = ec.coerce(x, args[i], bind.Args[i]); err != nil {
				return nil, err
			}
		}
	}
	call := &AggCall{Name: name, Binding: bind, Args: args, Distinct: x.Distinct}
	if x.Filter != nil {
		f, err := inner.bind(x.Filter)
		if err != nil {
			return nil, err
		}
		call.Filter = f
	}
	if x.Distinct {
		for _, o := range x.OrderBy {
			if !slices.ContainsFunc(x.Args, func(a ast.Expr) bool { return sameItem(a, o.Expr) }) {
				return nil, errAt(o.Expr, "For aggregate function with DISTINCT, ORDER BY expressions must appear in arguments")
			}
		}
	}
	if len(x.OrderBy) > 0 && bind.OrderSensitive {
		// ORDER BY inside an order-insensitive aggregate changes nothing;
		// for the others bindSelect sorts the aggregate's input.
		for _, o := range x.OrderBy {
			e, err := inner.bind(o.Expr)
			if err != nil {
				return nil, err
			}
			call.OrderBy = append(call.OrderBy, sortKey(o, e))
		}
	}
	// Reuse an identical aggregate (Looker repeats them).
	for _, c := range ec.agg.calls {
		if c.String() == call.String() {
			return &AggRef{Call: c}, nil
		}
	}
	ec.agg.calls = append(ec.agg.calls, call)
	return &AggRef{Call: call}, nil
}

var windowOnly = map[string]types.Type{
	"row_number": types.BigIntType, "rank": types.BigIntType, "dense_rank": types.BigIntType,
	"percent_rank": types.DoubleType, "cume_dist": types.DoubleType, "ntile": types.BigIntType,
}

var windowValue = map[string]bool{"lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true}

func (ec *exprCtx) bindWindowCall(x *ast.FuncCall, name string) (Expr, error) {
	if !ec.allowWindow {
		return nil, ec.misplaced(x, "window functions")
	}
	spec := x.Over
	if spec.Ref != nil {
		return nil, errAt(x, "named windows are not supported yet")
	}
	if len(x.OrderBy) > 0 {
		// The window's ORDER BY orders the rows; ignoring this one would
		// silently give an arbitrary order.
		return nil, errAt(x.OrderBy[0].Expr, "ORDER BY inside a window function call is not supported yet")
	}
	if err := ec.checkWindowCall(x, name); err != nil {
		return nil, err
	}
	inner := *ec
	inner.allowWindow = false
	inner.clause = "window"
	w := &WindowCall{Name: name, IgnoreNulls: strings.EqualFold(x.NullTreatment, "IGNORE")}
	var err error
	if w.Args, err = inner.bindAll(x.Args); err != nil {
		return nil, err
	}
	if w.PartitionBy, err = inner.bindAll(spec.PartitionBy); err != nil {
		return nil, err
	}
	for _, o := range spec.OrderBy {
		e, err := inner.bind(o.Expr)
		if err != nil {
			return nil, err
		}
		w.OrderBy = append(w.OrderBy, sortKey(o, e))
	}
	if spec.Frame != nil {
		if w.Frame, err = ec.bindFrame(&inner, spec, w.OrderBy); err != nil {
			return nil, err
		}
	}
	switch {
	case windowOnly[name].Kind != types.Unknown:
		w.T = windowOnly[name]
	case windowValue[name]:
		if len(w.Args) == 0 {
			return nil, errAt(x, "%s requires an argument", name)
		}
		w.T = w.Args[0].Type()
	default:
		agg, ok := ec.b.env.Funcs.Aggregate(name)
		if !ok {
			return nil, errAt(x, "Function '%s' is not a window function", name)
		}
		bind, err := agg.Bind(typesOf(w.Args))
		if err != nil {
			return nil, errAt(x, "%s", err.Error())
		}
		for i := range w.Args {
			if i < len(bind.Args) {
				if w.Args[i], err = ec.coerce(x, w.Args[i], bind.Args[i]); err != nil {
					return nil, err
				}
			}
		}
		w.Agg = &bind
		w.T = bind.Result
	}
	ec.windows = append(ec.windows, w)
	return &WindowRef{Call: w}, nil
}

// containsAggregate reports whether an AST expression calls an aggregate
// outside of a window.
func (b *Binder) containsAggregate(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncCall:
			if x.Over == nil {
				if _, ok := b.env.Funcs.Aggregate(x.Name.Parts[len(x.Name.Parts)-1].Name); ok {
					found = true
					return false
				}
			}
		case *ast.SubqueryExpr, *ast.Exists, *ast.InSubquery, *ast.QuantifiedCmp:
			return false
		}
		return true
	})
	return found
}

// fold evaluates an expression without column references once, at plan
// time (so now() and date_trunc('month', now()) are constants).
func (ec *exprCtx) fold(e Expr) Expr {
	switch e.(type) {
	case *Const, *ColumnRef, *AggRef, *WindowRef:
		return e
	}
	foldable := true
	Walk(e, func(x Expr) bool {
		switch y := x.(type) {
		case *ColumnRef, *AggRef, *WindowRef:
			foldable = false
		case *Call:
			if y.Binding.Volatile {
				foldable = false
			}
		}
		return foldable
	})
	if !foldable {
		return e
	}
	v, err := EvalConst(ec.b.env.Ctx, ec.b.env.Fn, e)
	if err != nil {
		// Leave it to run time, where the error is reported with the row.
		return e
	}
	return &Const{Value: v, T: e.Type()}
}

// EvalConst evaluates a column-free expression.
func EvalConst(ctx contextLike, fn *function.Context, e Expr) (any, error) {
	ex, err := Compile(e, nil)
	if err != nil {
		return nil, err
	}
	fc := *fn
	c := exec.NewContext(ctx, &fc, 1, 0)
	rec := emptyRecord(1)
	defer rec.Release()
	a, err := ex.Eval(c, rec)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return exec.ScalarAt(a, 0), nil
}

// bindGrouping binds grouping(a, b, ...): a bitmask with bit n-1-i set when
// argument i is not grouped in the row's grouping set.
func (ec *exprCtx) bindGrouping(x *ast.FuncCall) (Expr, error) {
	if ec.agg == nil || !ec.allowAgg {
		return nil, errAt(x, "grouping() may only be used with GROUP BY")
	}
	idx := make([]int, len(x.Args))
	inner := *ec
	inner.allowAgg = false
	for i, a := range x.Args {
		e, err := inner.bind(a)
		if err != nil {
			return nil, err
		}
		idx[i] = -1
		for k, key := range ec.agg.keys {
			if key.String() == e.String() {
				idx[i] = k
			}
		}
		if idx[i] < 0 {
			return nil, errAt(a, "The arguments to GROUPING() must be expressions referenced by the GROUP BY at the associated query level")
		}
	}
	if ec.agg.sets == nil {
		return &Const{Value: int64(0), T: types.BigIntType}, nil
	}
	masks := make([]int64, len(ec.agg.sets))
	for s, set := range ec.agg.sets {
		in := map[int]bool{}
		for _, k := range set {
			in[k] = true
		}
		for i, k := range idx {
			if !in[k] {
				masks[s] |= 1 << (len(idx) - 1 - i)
			}
		}
	}
	kernel := func(ctx *function.Context, args []arrow.Array, n int) (arrow.Array, error) {
		gid := args[0].(*array.Int64)
		b := array.NewInt64Builder(ctx.Alloc)
		defer b.Release()
		b.Reserve(n)
		for i := 0; i < n; i++ {
			b.UnsafeAppend(masks[gid.Value(i)])
		}
		return b.NewArray(), nil
	}
	return &Call{Name: "grouping", Binding: function.Binding{Args: []types.Type{types.BigIntType}, Result: types.BigIntType, Kernel: kernel}, Args: []Expr{ec.agg.gid}}, nil
}
