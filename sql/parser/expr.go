package parser

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

// ---------------------------------------------------------------------------
// Names

func (p *parser) parseIdent() *ast.Ident {
	if !p.atIdent() {
		p.fail()
	}
	t := p.next()
	return identFrom(t)
}

func identFrom(t token.Token) *ast.Ident {
	id := &ast.Ident{Span: ast.Span{From: t.Pos, To: t.End}, Name: t.Text}
	if t.Kind == token.QUOTED_IDENT || t.Kind == token.BACKQUOTED {
		id.Name = t.Value
		id.Quoted = true
	}
	return id
}

func (p *parser) parseQualifiedName() *ast.QualifiedName {
	first := p.parseIdent()
	q := &ast.QualifiedName{Parts: []*ast.Ident{first}}
	for p.cur().Kind == token.DOT && isIdentKind(p.peek(1).Kind) {
		p.next()
		q.Parts = append(q.Parts, p.parseIdent())
	}
	q.Span = ast.Span{From: first.Pos(), To: p.prevEnd}
	return q
}

func (p *parser) parseIdentList() []*ast.Ident {
	list := []*ast.Ident{p.parseIdent()}
	for p.accept(token.COMMA) {
		list = append(list, p.parseIdent())
	}
	return list
}

// parseParenIdentList parses '(' ident, ... ')'.
func (p *parser) parseParenIdentList() []*ast.Ident {
	p.expectKind(token.LPAREN)
	list := p.parseIdentList()
	p.expectKind(token.RPAREN)
	return list
}

// ---------------------------------------------------------------------------
// Boolean level

func (p *parser) parseExpr() ast.Expr {
	p.enter()
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() ast.Expr {
	l := p.parseAnd()
	for p.accept(token.OR) {
		r := p.parseAnd()
		l = &ast.BinaryExpr{Span: ast.Span{From: l.Pos(), To: p.prevEnd}, Op: "OR", L: l, R: r}
	}
	return l
}

func (p *parser) parseAnd() ast.Expr {
	l := p.parseNot()
	for p.accept(token.AND) {
		r := p.parseNot()
		l = &ast.BinaryExpr{Span: ast.Span{From: l.Pos(), To: p.prevEnd}, Op: "AND", L: l, R: r}
	}
	return l
}

func (p *parser) parseNot() ast.Expr {
	if p.at(token.NOT) {
		p.enter()
		defer p.leave()
		start := p.next().Pos
		x := p.parseNot()
		return &ast.UnaryExpr{Span: p.span(start), Op: "NOT", X: x}
	}
	return p.parsePredicate()
}

func comparisonOp(k token.Kind) (string, bool) {
	switch k {
	case token.EQ:
		return "=", true
	case token.NEQ:
		return "<>", true
	case token.LT:
		return "<", true
	case token.LTE:
		return "<=", true
	case token.GT:
		return ">", true
	case token.GTE:
		return ">=", true
	}
	return "", false
}

var comparisonExpect = []string{"'='", "'<>'", "'<'", "'<='", "'>'", "'>='", "'IS'", "'NOT'", "'BETWEEN'", "'IN'", "'LIKE'"}

// parsePredicate parses a value expression followed by at most one
// predicate, as Trino's grammar does: a = b = c is a syntax error.
func (p *parser) parsePredicate() ast.Expr {
	v := p.parseValue(0)
	start := v.Pos()
	t := p.cur()
	if op, ok := comparisonOp(t.Kind); ok {
		opSpan := ast.Span{From: t.Pos, To: t.End}
		p.next()
		if k := p.cur().Kind; (k == token.ANY || k == token.SOME || k == token.ALL) && p.peek(1).Kind == token.LPAREN && startsQuery(p.peek(2).Kind) {
			quant := p.next().Kind.Keyword()
			p.next()
			q := p.parseQuery()
			p.expectKind(token.RPAREN)
			return &ast.QuantifiedCmp{Span: p.span(start), Op: op, X: v, Quantifier: quant, Query: q}
		}
		r := p.parseValue(0)
		return &ast.BinaryExpr{Span: p.span(start), Op: op, L: v, R: r, OpSpan: opSpan}
	}
	not := false
	if t.Kind == token.NOT {
		switch p.peek(1).Kind {
		case token.BETWEEN, token.IN, token.LIKE:
			not = true
			p.next()
			t = p.cur()
		}
	}
	switch t.Kind {
	case token.BETWEEN:
		p.next()
		lo := p.parseValue(0)
		p.expectKind(token.AND)
		hi := p.parseValue(0)
		return &ast.Between{Span: p.span(start), X: v, Lo: lo, Hi: hi, Not: not}
	case token.IN:
		p.next()
		p.expectKind(token.LPAREN)
		if startsQuery(p.cur().Kind) {
			q := p.parseQuery()
			p.expectKind(token.RPAREN)
			return &ast.InSubquery{Span: p.span(start), X: v, Query: q, Not: not}
		}
		list := p.parseExprList()
		p.expectKind(token.RPAREN)
		return &ast.InList{Span: p.span(start), X: v, List: list, Not: not}
	case token.LIKE:
		p.next()
		pat := p.parseValue(0)
		var esc ast.Expr
		if p.accept(token.ESCAPE) {
			esc = p.parseValue(0)
		}
		return &ast.Like{Span: p.span(start), X: v, Pattern: pat, Escape: esc, Not: not}
	case token.IS:
		p.next()
		isNot := p.accept(token.NOT)
		if p.accept(token.NULL) {
			return &ast.IsNull{Span: p.span(start), X: v, Not: isNot}
		}
		if p.accept(token.DISTINCT) {
			p.expectKind(token.FROM)
			r := p.parseValue(0)
			return &ast.IsDistinctFrom{Span: p.span(start), L: v, R: r, Not: isNot}
		}
		p.fail()
	}
	p.expected = append(p.expected, comparisonExpect...)
	return v
}

func (p *parser) parseExprList() []ast.Expr {
	list := []ast.Expr{p.parseExpr()}
	for p.accept(token.COMMA) {
		list = append(list, p.parseExpr())
	}
	return list
}

// ---------------------------------------------------------------------------
// Value level (Pratt)

const (
	precConcat = 1 + iota
	precAdd
	precMul
)

var binaryExpect = []string{"'||'", "'+'", "'-'", "'*'", "'/'", "'%'"}

func binaryOp(k token.Kind) (string, int) {
	switch k {
	case token.CONCAT:
		return "||", precConcat
	case token.PLUS:
		return "+", precAdd
	case token.MINUS:
		return "-", precAdd
	case token.STAR:
		return "*", precMul
	case token.SLASH:
		return "/", precMul
	case token.PERCENT:
		return "%", precMul
	}
	return "", 0
}

func (p *parser) parseValue(minPrec int) ast.Expr {
	l := p.parseUnary()
	for {
		op, prec := binaryOp(p.cur().Kind)
		if prec == 0 {
			p.expected = append(p.expected, binaryExpect...)
			return l
		}
		if prec <= minPrec {
			return l
		}
		t := p.next()
		r := p.parseValue(prec)
		l = &ast.BinaryExpr{Span: ast.Span{From: l.Pos(), To: p.prevEnd}, Op: op, L: l, R: r, OpSpan: ast.Span{From: t.Pos, To: t.End}}
	}
}

func (p *parser) parseUnary() ast.Expr {
	if k := p.cur().Kind; k == token.MINUS || k == token.PLUS {
		p.enter()
		defer p.leave()
		t := p.next()
		x := p.parseUnary()
		return &ast.UnaryExpr{Span: p.span(t.Pos), Op: t.Text, X: x}
	}
	x := p.parsePostfix(p.parsePrimary())
	for {
		if p.cur().Kind != token.AT {
			p.expect("'AT'")
			return x
		}
		switch {
		case p.peek(1).Kind == token.TIME && p.peek(2).Kind == token.ZONE:
			p.next()
			p.next()
			p.next()
			zone := p.parsePostfix(p.parsePrimary())
			x = &ast.AtTimeZone{Span: ast.Span{From: x.Pos(), To: p.prevEnd}, X: x, Zone: zone}
		case p.peek(1).Kind == token.IDENT && strings.EqualFold(p.peek(1).Text, "LOCAL"):
			p.next()
			p.next()
			x = &ast.AtTimeZone{Span: ast.Span{From: x.Pos(), To: p.prevEnd}, X: x}
		default:
			return x
		}
	}
}

// parsePostfix applies subscripts and field accesses.
func (p *parser) parsePostfix(x ast.Expr) ast.Expr {
	for {
		switch {
		case p.cur().Kind == token.LBRACKET:
			p.next()
			idx := p.parseExpr()
			p.expectKind(token.RBRACKET)
			x = &ast.Subscript{Span: ast.Span{From: x.Pos(), To: p.prevEnd}, X: x, Index: idx}
		case p.cur().Kind == token.DOT && isIdentKind(p.peek(1).Kind):
			p.next()
			f := p.parseIdent()
			x = &ast.Dereference{Span: ast.Span{From: x.Pos(), To: p.prevEnd}, Expr: x, Field: f}
		default:
			p.expect("'['")
			p.expect("'.'")
			return x
		}
	}
}

// startsQuery reports whether a token can begin a query (inside
// parentheses, where '(' is handled separately).
func startsQuery(k token.Kind) bool {
	return k == token.SELECT || k == token.WITH || k == token.VALUES || k == token.TABLE
}

// ---------------------------------------------------------------------------
// Primary expressions

func (p *parser) parsePrimary() ast.Expr {
	p.enter()
	defer p.leave()
	t := p.cur()
	start := t.Pos
	switch t.Kind {
	case token.NULL:
		p.next()
		return &ast.NullLit{Span: p.span(start)}
	case token.TRUE, token.FALSE:
		p.next()
		return &ast.BoolLit{Span: p.span(start), Value: t.Kind == token.TRUE}
	case token.NUM_INT:
		p.next()
		return &ast.IntegerLit{Span: p.span(start), Text: t.Text}
	case token.NUM_DECIMAL:
		p.next()
		return &ast.DecimalLit{Span: p.span(start), Text: t.Text}
	case token.NUM_DOUBLE:
		p.next()
		return &ast.DoubleLit{Span: p.span(start), Text: t.Text}
	case token.STRING:
		p.next()
		return &ast.StringLit{Span: p.span(start), Value: t.Value}
	case token.UNICODE_STRING:
		return p.parseUnicodeString()
	case token.BINARY:
		p.next()
		return &ast.BinaryLit{Span: p.span(start), Value: decodeHex(t.Value)}
	case token.PARAM:
		p.next()
		idx := p.nparams
		p.nparams++
		return &ast.Param{Span: p.span(start), Index: idx}
	case token.LPAREN:
		return p.parseParenExpr()
	case token.CASE:
		return p.parseCase()
	case token.CAST:
		return p.parseCast(false)
	case token.EXTRACT:
		return p.parseExtract()
	case token.EXISTS:
		p.next()
		p.expectKind(token.LPAREN)
		q := p.parseQuery()
		p.expectKind(token.RPAREN)
		return &ast.Exists{Span: p.span(start), Query: q}
	case token.CURRENT_DATE, token.CURRENT_TIME, token.CURRENT_TIMESTAMP, token.LOCALTIME, token.LOCALTIMESTAMP:
		p.next()
		ct := &ast.CurrentTime{Kind: t.Kind.Keyword()}
		if t.Kind != token.CURRENT_DATE && p.cur().Kind == token.LPAREN {
			p.next()
			n := p.parseSmallInt()
			ct.Precision = &n
			p.expectKind(token.RPAREN)
		}
		ct.Span = p.span(start)
		return ct
	case token.CURRENT_USER, token.CURRENT_CATALOG, token.CURRENT_SCHEMA, token.CURRENT_PATH, token.CURRENT_ROLE:
		p.next()
		return &ast.SessionInfo{Span: p.span(start), Kind: t.Kind.Keyword()}
	case token.TRIM:
		return p.parseTrim()
	case token.GROUPING:
		if p.peek(1).Kind == token.LPAREN {
			name := p.next()
			q := &ast.QualifiedName{Span: ast.Span{From: name.Pos, To: name.End},
				Parts: []*ast.Ident{{Span: ast.Span{From: name.Pos, To: name.End}, Name: name.Text}}}
			return p.parseCall(q)
		}
	case token.TRY_CAST:
		if p.peek(1).Kind == token.LPAREN {
			return p.parseCast(true)
		}
	case token.ARRAY:
		if p.peek(1).Kind == token.LBRACKET {
			p.next()
			p.next()
			var elems []ast.Expr
			if p.cur().Kind != token.RBRACKET {
				elems = p.parseExprList()
			}
			p.expectKind(token.RBRACKET)
			return &ast.ArrayLit{Span: p.span(start), Elems: elems}
		}
	case token.ROW:
		if p.peek(1).Kind == token.LPAREN {
			p.next()
			p.next()
			elems := p.parseExprList()
			p.expectKind(token.RPAREN)
			return &ast.RowExpr{Span: p.span(start), Elems: elems, Explicit: true}
		}
	case token.INTERVAL:
		k := p.peek(1).Kind
		if k == token.STRING || (k == token.MINUS || k == token.PLUS) && p.peek(2).Kind == token.STRING {
			return p.parseInterval()
		}
	case token.SUBSTRING:
		if p.peek(1).Kind == token.LPAREN {
			return p.parseSubstring()
		}
	case token.POSITION:
		if p.peek(1).Kind == token.LPAREN {
			return p.parsePosition()
		}
	}
	if !isIdentKind(t.Kind) {
		p.failExpecting("<expression>")
	}
	// Typed literal: DATE '2001-01-01', DECIMAL '1.5', DOUBLE PRECISION '1'.
	if t.Kind != token.QUOTED_IDENT && t.Kind != token.BACKQUOTED {
		if p.peek(1).Kind == token.STRING {
			p.next()
			v := p.next()
			return &ast.TypedLit{Span: p.span(start), Type: strings.ToUpper(t.Text), Value: v.Value}
		}
		if t.Kind == token.DOUBLE && p.peek(1).Kind == token.PRECISION && p.peek(2).Kind == token.STRING {
			p.next()
			p.next()
			v := p.next()
			return &ast.TypedLit{Span: p.span(start), Type: "DOUBLE", Value: v.Value}
		}
	}
	if p.peek(1).Kind == token.ARROW {
		param := p.parseIdent()
		p.next()
		body := p.parseExpr()
		return &ast.Lambda{Span: p.span(start), Params: []*ast.Ident{param}, Body: body}
	}
	name := p.parseQualifiedName()
	if p.cur().Kind == token.LPAREN {
		return p.parseCall(name)
	}
	return &ast.ColumnRef{Span: name.Span, Name: name}
}

func (p *parser) parseSmallInt() int {
	t := p.expectKind(token.NUM_INT)
	n, err := strconv.Atoi(t.Text)
	if err != nil || n > 1<<20 {
		p.errorf(t.Pos, "number out of range: %s", t.Text)
	}
	return n
}

// parseParenExpr handles everything that starts with '(': a parenthesized
// expression, a row (a, b), a scalar subquery, or a lambda (a, b) -> e.
func (p *parser) parseParenExpr() ast.Expr {
	start := p.cur().Pos
	if params, ok := p.lambdaParams(); ok {
		body := p.parseExpr()
		return &ast.Lambda{Span: p.span(start), Params: params, Body: body}
	}
	p.next()
	if startsQuery(p.cur().Kind) {
		q := p.parseQuery()
		p.expectKind(token.RPAREN)
		return &ast.SubqueryExpr{Span: p.span(start), Query: q}
	}
	e := p.parseExpr()
	if sub, ok := e.(*ast.SubqueryExpr); ok && p.continuesQuery() {
		// ((SELECT 1) UNION (SELECT 2)): the first operand was read as a
		// scalar subquery before the set operator showed this is a query.
		body := &ast.SubqueryBody{Span: sub.Span, Query: sub.Query}
		q := p.parseQueryRest(nil, body, sub.Pos())
		p.expectKind(token.RPAREN)
		return &ast.SubqueryExpr{Span: p.span(start), Query: q}
	}
	if p.at(token.COMMA) {
		elems := []ast.Expr{e}
		for p.accept(token.COMMA) {
			elems = append(elems, p.parseExpr())
		}
		p.expectKind(token.RPAREN)
		return &ast.RowExpr{Span: p.span(start), Elems: elems}
	}
	p.expectKind(token.RPAREN)
	return e
}

// lambdaParams recognizes '(' [ident {, ident}] ')' '->' and consumes it.
func (p *parser) lambdaParams() ([]*ast.Ident, bool) {
	j := 1
	if p.peek(j).Kind != token.RPAREN {
		for {
			if !isIdentKind(p.peek(j).Kind) {
				return nil, false
			}
			j++
			if p.peek(j).Kind != token.COMMA {
				break
			}
			j++
		}
	}
	if p.peek(j).Kind != token.RPAREN || p.peek(j+1).Kind != token.ARROW {
		return nil, false
	}
	p.next()
	var params []*ast.Ident
	if p.cur().Kind != token.RPAREN {
		params = p.parseIdentList()
	}
	p.expectKind(token.RPAREN)
	p.expectKind(token.ARROW)
	return params, true
}

func (p *parser) parseCase() ast.Expr {
	start := p.next().Pos
	c := &ast.Case{}
	if !p.at(token.WHEN) {
		c.Operand = p.parseExpr()
	}
	for p.at(token.WHEN) {
		ws := p.next().Pos
		cond := p.parseExpr()
		p.expectKind(token.THEN)
		res := p.parseExpr()
		c.Whens = append(c.Whens, &ast.When{Span: p.span(ws), Cond: cond, Result: res})
	}
	if len(c.Whens) == 0 {
		p.fail()
	}
	if p.accept(token.ELSE) {
		c.Else = p.parseExpr()
	}
	p.expectKind(token.END)
	c.Span = p.span(start)
	return c
}

func (p *parser) parseCast(try bool) ast.Expr {
	start := p.next().Pos
	p.expectKind(token.LPAREN)
	x := p.parseExpr()
	p.expectKind(token.AS)
	typ := p.parseType()
	p.expectKind(token.RPAREN)
	return &ast.Cast{Span: p.span(start), X: x, Type: typ, Try: try}
}

func (p *parser) parseExtract() ast.Expr {
	start := p.next().Pos
	p.expectKind(token.LPAREN)
	field := p.parseIdent()
	p.expectKind(token.FROM)
	x := p.parseValue(0)
	p.expectKind(token.RPAREN)
	return &ast.Extract{Span: p.span(start), Field: strings.ToUpper(field.Name), X: x}
}

var intervalFields = []token.Kind{token.YEAR, token.MONTH, token.DAY, token.HOUR, token.MINUTE, token.SECOND}

func (p *parser) parseIntervalField() string {
	for _, k := range intervalFields {
		if p.at(k) {
			p.next()
			return k.Keyword()
		}
	}
	p.fail()
	return ""
}

func (p *parser) parseInterval() ast.Expr {
	start := p.next().Pos
	sign := 1
	if p.cur().Kind == token.MINUS {
		sign = -1
		p.next()
	} else if p.cur().Kind == token.PLUS {
		p.next()
	}
	v := p.expectKind(token.STRING)
	lit := &ast.IntervalLit{Sign: sign, Value: v.Value}
	lit.From = p.parseIntervalField()
	if p.accept(token.TO) {
		lit.To = p.parseIntervalField()
	}
	lit.Span = p.span(start)
	return lit
}

func (p *parser) syntheticName(t token.Token, name string) *ast.QualifiedName {
	sp := ast.Span{From: t.Pos, To: t.End}
	return &ast.QualifiedName{Span: sp, Parts: []*ast.Ident{{Span: sp, Name: name}}}
}

// parseSubstring handles SUBSTRING(x FROM a [FOR b]) as well as the
// ordinary call syntax.
func (p *parser) parseSubstring() ast.Expr {
	kw := p.cur()
	start := kw.Pos
	// Look for FROM at nesting depth 1 to choose the syntax.
	depth := 0
	special := false
scan:
	for j := 1; ; j++ {
		switch p.peek(j).Kind {
		case token.LPAREN, token.LBRACKET:
			depth++
		case token.RPAREN, token.RBRACKET:
			depth--
			if depth == 0 {
				break scan
			}
		case token.FROM:
			if depth == 1 {
				special = true
				break scan
			}
		case token.EOF, token.SEMI:
			break scan
		}
	}
	if !special {
		return p.parseCall(p.parseQualifiedName())
	}
	kwTok := p.next()
	p.next()
	x := p.parseValue(0)
	p.expectKind(token.FROM)
	args := []ast.Expr{x, p.parseValue(0)}
	if p.accept(token.FOR) {
		args = append(args, p.parseValue(0))
	}
	p.expectKind(token.RPAREN)
	return &ast.FuncCall{Span: p.span(start), Name: p.syntheticName(kwTok, "substring"), Args: args}
}

func (p *parser) parsePosition() ast.Expr {
	kw := p.next()
	p.next()
	needle := p.parseValue(0)
	p.expectKind(token.IN)
	hay := p.parseValue(0)
	p.expectKind(token.RPAREN)
	return &ast.FuncCall{Span: p.span(kw.Pos), Name: p.syntheticName(kw, "strpos"), Args: []ast.Expr{hay, needle}}
}

// parseTrim handles TRIM([BOTH|LEADING|TRAILING] [chars] FROM x),
// TRIM(x) and TRIM(x, chars).
func (p *parser) parseTrim() ast.Expr {
	kw := p.next()
	p.expectKind(token.LPAREN)
	name := "trim"
	spec := false
	switch p.cur().Kind {
	case token.BOTH:
		spec = true
	case token.LEADING:
		name, spec = "ltrim", true
	case token.TRAILING:
		name, spec = "rtrim", true
	}
	if spec {
		p.next()
	}
	var args []ast.Expr
	if spec && p.accept(token.FROM) {
		args = []ast.Expr{p.parseValue(0)}
	} else {
		first := p.parseValue(0)
		switch {
		case p.accept(token.FROM):
			args = []ast.Expr{p.parseValue(0), first}
		case !spec && p.accept(token.COMMA):
			args = []ast.Expr{first, p.parseValue(0)}
		case spec:
			p.expectKind(token.FROM)
		default:
			args = []ast.Expr{first}
		}
	}
	p.expectKind(token.RPAREN)
	return &ast.FuncCall{Span: p.span(kw.Pos), Name: p.syntheticName(kw, name), Args: args}
}

// parseCall parses the argument list and trailing clauses of a call whose
// name has been read.
func (p *parser) parseCall(name *ast.QualifiedName) ast.Expr {
	fc := &ast.FuncCall{Name: name}
	p.expectKind(token.LPAREN)
	switch {
	case p.cur().Kind == token.STAR && p.peek(1).Kind == token.RPAREN:
		p.next()
		fc.Star = true
	case p.cur().Kind == token.RPAREN:
	default:
		if p.accept(token.DISTINCT) {
			fc.Distinct = true
		} else {
			p.accept(token.ALL)
		}
		fc.Args = p.parseExprList()
		if p.at(token.ORDER) {
			fc.OrderBy = p.parseOrderBy()
		}
	}
	p.expectKind(token.RPAREN)
	if p.cur().Kind == token.FILTER && p.peek(1).Kind == token.LPAREN {
		p.next()
		p.next()
		p.expectKind(token.WHERE)
		fc.Filter = p.parseExpr()
		p.expectKind(token.RPAREN)
	}
	if k := p.cur().Kind; (k == token.IGNORE || k == token.RESPECT) && p.peek(1).Kind == token.NULLS {
		fc.NullTreatment = k.Keyword()
		p.next()
		p.next()
		if p.cur().Kind != token.OVER {
			p.failExpecting("'OVER'")
		}
	}
	if p.cur().Kind == token.OVER {
		p.next()
		if p.at(token.LPAREN) {
			fc.Over = p.parseWindowSpec()
		} else {
			id := p.parseIdent()
			fc.Over = &ast.WindowSpec{Span: id.Span, Ref: id}
		}
	}
	fc.Span = p.span(name.Pos())
	return fc
}

// parseWindowSpec parses '(' [name] [PARTITION BY ...] [ORDER BY ...]
// [frame] ')'.
func (p *parser) parseWindowSpec() *ast.WindowSpec {
	start := p.expectKind(token.LPAREN).Pos
	ws := &ast.WindowSpec{}
	if p.atIdent() && !p.windowClauseStart() {
		ws.Ref = p.parseIdent()
	}
	if p.cur().Kind == token.PARTITION && p.peek(1).Kind == token.BY {
		p.next()
		p.next()
		ws.PartitionBy = p.parseExprList()
	} else {
		p.expect("'PARTITION'")
	}
	if p.at(token.ORDER) {
		ws.OrderBy = p.parseOrderBy()
	}
	if k := p.cur().Kind; k == token.ROWS || k == token.RANGE || k == token.GROUPS {
		ws.Frame = p.parseFrame()
	} else {
		p.expected = append(p.expected, "'ROWS'", "'RANGE'", "'GROUPS'")
	}
	p.expectKind(token.RPAREN)
	ws.Span = p.span(start)
	return ws
}

// windowClauseStart reports whether the current word begins a clause of a
// window specification rather than naming a window.
func (p *parser) windowClauseStart() bool {
	next := p.peek(1).Kind
	switch p.cur().Kind {
	case token.PARTITION:
		return next == token.BY
	case token.ROWS, token.RANGE, token.GROUPS:
		return next != token.RPAREN && next != token.PARTITION && next != token.ORDER
	}
	return false
}

func (p *parser) parseFrame() *ast.Frame {
	t := p.next()
	f := &ast.Frame{Unit: t.Kind.Keyword()}
	if p.accept(token.BETWEEN) {
		f.Start = p.parseFrameBound()
		p.expectKind(token.AND)
		f.End = p.parseFrameBound()
	} else {
		f.Start = p.parseFrameBound()
	}
	f.Span = p.span(t.Pos)
	return f
}

func (p *parser) parseFrameBound() *ast.FrameBound {
	start := p.cur().Pos
	b := &ast.FrameBound{}
	switch {
	case p.cur().Kind == token.UNBOUNDED:
		p.next()
		if p.accept(token.PRECEDING) {
			b.Kind = ast.UnboundedPreceding
		} else {
			p.expectKind(token.FOLLOWING)
			b.Kind = ast.UnboundedFollowing
		}
	case p.cur().Kind == token.CURRENT && p.peek(1).Kind == token.ROW:
		p.next()
		p.next()
		b.Kind = ast.CurrentRow
	default:
		p.expected = append(p.expected, "'UNBOUNDED'", "'CURRENT'")
		b.Offset = p.parseExpr()
		if p.accept(token.PRECEDING) {
			b.Kind = ast.Preceding
		} else {
			p.expectKind(token.FOLLOWING)
			b.Kind = ast.Following
		}
	}
	b.Span = p.span(start)
	return b
}

func (p *parser) parseUnicodeString() ast.Expr {
	t := p.next()
	esc := '\\'
	if p.cur().Kind == token.UESCAPE {
		p.next()
		e := p.expectKind(token.STRING)
		r, size := utf8.DecodeRuneInString(e.Value)
		if size == 0 || size != len(e.Value) || r == '+' || r == '\'' || r == '"' || r == ' ' || isHexRune(r) {
			p.errorf(e.Pos, "invalid Unicode escape character: %s", e.Text)
		}
		esc = r
	}
	v, ok := decodeUnicode(t.Value, esc)
	if !ok {
		p.errorf(t.Pos, "invalid Unicode string literal: %s", t.Text)
	}
	return &ast.StringLit{Span: p.span(t.Pos), Value: v}
}

func isHexRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

// decodeUnicode decodes the escapes of a U&'...' literal: esc followed by
// four hex digits, esc '+' followed by six, or esc esc.
func decodeUnicode(s string, esc rune) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != esc {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		i += size
		if i < len(s) {
			if r2, size2 := utf8.DecodeRuneInString(s[i:]); r2 == esc {
				b.WriteRune(esc)
				i += size2
				continue
			}
		}
		n := 4
		if i < len(s) && s[i] == '+' {
			n = 6
			i++
		}
		if i+n > len(s) {
			return "", false
		}
		cp, err := strconv.ParseUint(s[i:i+n], 16, 32)
		if err != nil || cp > utf8.MaxRune || cp >= 0xD800 && cp <= 0xDFFF {
			return "", false
		}
		b.WriteRune(rune(cp))
		i += n
	}
	return b.String(), true
}

func decodeHex(s string) []byte {
	out := make([]byte, len(s)/2)
	for i := range out {
		out[i] = unhex(s[2*i])<<4 | unhex(s[2*i+1])
	}
	return out
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}
