package parser

import (
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

func (p *parser) parseQuery() *ast.Query {
	p.enter()
	defer p.leave()
	start := p.cur().Pos
	var with *ast.With
	if p.at(token.WITH) {
		with = p.parseWith()
	}
	body := p.parseQueryPrimary()
	return p.parseQueryRest(with, body, start)
}

// parseQueryRest continues a query after its first query primary: set
// operations, then ORDER BY, OFFSET and LIMIT/FETCH.
func (p *parser) parseQueryRest(with *ast.With, first ast.QueryBody, start token.Pos) *ast.Query {
	q := &ast.Query{With: with, Body: p.parseSetOps(first)}
	if p.at(token.ORDER) {
		q.OrderBy = p.parseOrderBy()
	}
	p.parseOffset(q)
	limited := false
	switch {
	case p.cur().Kind == token.LIMIT && (isRowCount(p.peek(1).Kind) || p.peek(1).Kind == token.ALL):
		p.next()
		limited = true
		if !p.accept(token.ALL) {
			q.Limit = p.parseRowCount()
		}
	case p.cur().Kind == token.FETCH && (p.peek(1).Kind == token.FIRST || p.peek(1).Kind == token.NEXT):
		fetch := p.next()
		p.next()
		if isRowCount(p.cur().Kind) {
			q.Limit = p.parseRowCount()
		} else {
			q.Limit = &ast.IntegerLit{Span: ast.Span{From: fetch.Pos, To: fetch.End}, Text: "1"}
		}
		if !p.accept(token.ROW) {
			p.expectKind(token.ROWS)
		}
		if p.accept(token.WITH) {
			p.expectKind(token.TIES)
			q.FetchWithTies = true
		} else {
			p.expectKind(token.ONLY)
		}
	case p.cur().Kind == token.LIMIT:
		// LIMIT is an unreserved word, but past the select items and the
		// relations it can only start the clause: report the bad count
		// (LIMIT -1, LIMIT x) at the count, as Trino does.
		p.next()
		p.failExpecting("'ALL'", "<integer>")
	default:
		p.expect("'LIMIT'")
		p.expect("'FETCH'")
	}
	if q.Offset == nil && limited {
		// LIMIT n OFFSET m, as PostgreSQL and MySQL users write it; Trino
		// itself only accepts OFFSET first.
		p.parseOffset(q)
	}
	q.Span = p.span(start)
	return q
}

func (p *parser) parseOffset(q *ast.Query) {
	if p.cur().Kind == token.OFFSET && isRowCount(p.peek(1).Kind) {
		p.next()
		q.Offset = p.parseRowCount()
		if !p.accept(token.ROW) {
			p.accept(token.ROWS)
		}
	} else {
		p.expect("'OFFSET'")
	}
}

func isRowCount(k token.Kind) bool { return k == token.NUM_INT || k == token.PARAM }

func (p *parser) parseRowCount() ast.Expr {
	t := p.next()
	if t.Kind == token.PARAM {
		idx := p.nparams
		p.nparams++
		return &ast.Param{Span: ast.Span{From: t.Pos, To: t.End}, Index: idx}
	}
	return &ast.IntegerLit{Span: ast.Span{From: t.Pos, To: t.End}, Text: t.Text}
}

// continuesQuery reports whether the current token continues a query after
// a parenthesized query primary.
func (p *parser) continuesQuery() bool {
	switch p.cur().Kind {
	case token.UNION, token.EXCEPT, token.INTERSECT, token.ORDER:
		return true
	case token.LIMIT, token.OFFSET:
		return isRowCount(p.peek(1).Kind) || p.peek(1).Kind == token.ALL
	case token.FETCH:
		return p.peek(1).Kind == token.FIRST || p.peek(1).Kind == token.NEXT
	}
	return false
}

func (p *parser) parseWith() *ast.With {
	start := p.next().Pos
	w := &ast.With{Recursive: p.accept(token.RECURSIVE)}
	for {
		ws := p.cur().Pos
		wq := &ast.WithQuery{Name: p.parseIdent()}
		if p.at(token.LPAREN) {
			wq.Columns = p.parseParenIdentList()
		}
		p.expectKind(token.AS)
		p.expectKind(token.LPAREN)
		wq.Query = p.parseQuery()
		p.expectKind(token.RPAREN)
		wq.Span = p.span(ws)
		w.Queries = append(w.Queries, wq)
		if !p.accept(token.COMMA) {
			break
		}
	}
	w.Span = p.span(start)
	return w
}

// parseSetOps parses UNION/EXCEPT chains (left-associative) over INTERSECT
// chains, which bind tighter.
func (p *parser) parseSetOps(first ast.QueryBody) ast.QueryBody {
	l := p.parseIntersects(first)
	for {
		var op string
		switch {
		case p.at(token.UNION):
			op = "UNION"
		case p.at(token.EXCEPT):
			op = "EXCEPT"
		default:
			return l
		}
		p.next()
		all := p.parseSetQuantifier()
		r := p.parseIntersects(p.parseQueryPrimary())
		l = &ast.SetOperation{Span: ast.Span{From: l.Pos(), To: p.prevEnd}, Op: op, All: all, L: l, R: r}
	}
}

func (p *parser) parseIntersects(first ast.QueryBody) ast.QueryBody {
	l := first
	for p.at(token.INTERSECT) {
		p.next()
		all := p.parseSetQuantifier()
		r := p.parseQueryPrimary()
		l = &ast.SetOperation{Span: ast.Span{From: l.Pos(), To: p.prevEnd}, Op: "INTERSECT", All: all, L: l, R: r}
	}
	return l
}

func (p *parser) parseSetQuantifier() bool {
	if p.accept(token.ALL) {
		return true
	}
	p.accept(token.DISTINCT)
	return false
}

func (p *parser) parseQueryPrimary() ast.QueryBody {
	start := p.cur().Pos
	switch {
	case p.at(token.SELECT):
		return p.parseSelect()
	case p.at(token.TABLE):
		p.next()
		name := p.parseQualifiedName()
		return &ast.TableRef{Span: p.span(start), Name: name}
	case p.at(token.VALUES):
		p.next()
		rows := p.parseExprList()
		return &ast.Values{Span: p.span(start), Rows: rows}
	case p.at(token.LPAREN):
		p.enter()
		defer p.leave()
		p.next()
		q := p.parseQuery()
		p.expectKind(token.RPAREN)
		return &ast.SubqueryBody{Span: p.span(start), Query: q}
	}
	p.at(token.WITH)
	p.fail()
	return nil
}

func (p *parser) parseSelect() *ast.Select {
	start := p.next().Pos
	s := &ast.Select{}
	if p.accept(token.DISTINCT) {
		s.Distinct = true
	} else {
		p.accept(token.ALL)
	}
	for {
		s.Items = append(s.Items, p.parseSelectItem())
		if !p.accept(token.COMMA) {
			break
		}
	}
	if p.accept(token.FROM) {
		s.From = p.parseFrom()
	}
	if p.accept(token.WHERE) {
		s.Where = p.parseExpr()
	}
	if p.at(token.GROUP) {
		s.GroupBy = p.parseGroupBy()
	}
	if p.accept(token.HAVING) {
		s.Having = p.parseExpr()
	}
	if p.cur().Kind == token.WINDOW && isIdentKind(p.peek(1).Kind) && p.peek(2).Kind == token.AS {
		p.next()
		for {
			ws := p.cur().Pos
			name := p.parseIdent()
			p.expectKind(token.AS)
			spec := p.parseWindowSpec()
			s.Windows = append(s.Windows, &ast.WindowDef{Span: p.span(ws), Name: name, Spec: spec})
			if !p.accept(token.COMMA) {
				break
			}
		}
	} else {
		p.expect("'WINDOW'")
	}
	s.Span = p.span(start)
	return s
}

// startsClause reports whether the current unreserved word begins a clause
// that may follow a select item or a relation, so it is not an alias.
func (p *parser) startsClause() bool {
	next := p.peek(1).Kind
	switch p.cur().Kind {
	case token.LIMIT:
		return isRowCount(next) || next == token.ALL
	case token.OFFSET:
		return isRowCount(next)
	case token.FETCH:
		return next == token.FIRST || next == token.NEXT
	case token.WINDOW:
		return isIdentKind(next) && p.peek(2).Kind == token.AS
	case token.TABLESAMPLE:
		return next == token.BERNOULLI || next == token.SYSTEM
	}
	return false
}

// allColumnsAhead reports whether the tokens ahead read name.name...*.
func (p *parser) allColumnsAhead() bool {
	j := 0
	for {
		if !isIdentKind(p.peek(j).Kind) || p.peek(j+1).Kind != token.DOT {
			return false
		}
		if p.peek(j+2).Kind == token.STAR {
			return true
		}
		j += 2
	}
}

func (p *parser) parseSelectItem() ast.SelectItem {
	start := p.cur().Pos
	if p.cur().Kind == token.STAR {
		p.next()
		return &ast.AllColumns{Span: p.span(start)}
	}
	if p.allColumnsAhead() {
		prefix := p.parseQualifiedName()
		p.expectKind(token.DOT)
		p.expectKind(token.STAR)
		ac := &ast.AllColumns{Prefix: prefix}
		if p.cur().Kind == token.AS && p.peek(1).Kind == token.LPAREN {
			p.next()
			ac.Aliases = p.parseParenIdentList()
		}
		ac.Span = p.span(start)
		return ac
	}
	p.expect("'*'")
	e := p.parseExpr()
	item := &ast.SelectExpr{Expr: e}
	if p.accept(token.AS) {
		item.Alias = p.parseIdent()
	} else if p.atIdent() && !p.startsClause() {
		item.Alias = p.parseIdent()
	}
	item.Span = p.span(start)
	return item
}

func (p *parser) parseOrderBy() []*ast.SortItem {
	p.expectKind(token.ORDER)
	p.expectKind(token.BY)
	var items []*ast.SortItem
	for {
		start := p.cur().Pos
		si := &ast.SortItem{Expr: p.parseExpr()}
		if p.accept(token.DESC) {
			si.Desc = true
		} else {
			p.accept(token.ASC)
		}
		if p.accept(token.NULLS) {
			first := true
			if !p.accept(token.FIRST) {
				p.expectKind(token.LAST)
				first = false
			}
			si.NullsFirst = &first
		}
		si.Span = p.span(start)
		items = append(items, si)
		if !p.accept(token.COMMA) {
			return items
		}
	}
}

func (p *parser) parseGroupBy() *ast.GroupBy {
	start := p.next().Pos
	p.expectKind(token.BY)
	g := &ast.GroupBy{}
	if p.accept(token.DISTINCT) {
		g.Distinct = true
	} else {
		p.accept(token.ALL)
	}
	for {
		g.Elems = append(g.Elems, p.parseGroupingElement())
		if !p.accept(token.COMMA) {
			break
		}
	}
	g.Span = p.span(start)
	return g
}

func (p *parser) parseGroupingElement() ast.GroupingElement {
	start := p.cur().Pos
	switch {
	case p.cur().Kind == token.ROLLUP:
		p.next()
		p.expectKind(token.LPAREN)
		var exprs []ast.Expr
		if p.cur().Kind != token.RPAREN {
			exprs = p.parseExprList()
		}
		p.expectKind(token.RPAREN)
		return &ast.Rollup{Span: p.span(start), Exprs: exprs}
	case p.cur().Kind == token.CUBE:
		p.next()
		p.expectKind(token.LPAREN)
		var exprs []ast.Expr
		if p.cur().Kind != token.RPAREN {
			exprs = p.parseExprList()
		}
		p.expectKind(token.RPAREN)
		return &ast.Cube{Span: p.span(start), Exprs: exprs}
	case p.cur().Kind == token.GROUPING && p.peek(1).Kind == token.IDENT:
		p.next()
		if !p.atWord("SETS") {
			p.fail()
		}
		p.next()
		p.expectKind(token.LPAREN)
		gs := &ast.GroupingSets{}
		for {
			gs.Sets = append(gs.Sets, p.parseGroupingSet())
			if !p.accept(token.COMMA) {
				break
			}
		}
		p.expectKind(token.RPAREN)
		gs.Span = p.span(start)
		return gs
	}
	p.expected = append(p.expected, "'ROLLUP'", "'CUBE'", "'GROUPING'")
	exprs := p.parseGroupingSet()
	return &ast.GroupingExprs{Span: p.span(start), Exprs: exprs}
}

// parseGroupingSet parses a parenthesized list (possibly empty) or a single
// expression. A parenthesized pair parses as a row, which is unwrapped; an
// explicit ROW(...) stays one expression.
func (p *parser) parseGroupingSet() []ast.Expr {
	if p.cur().Kind == token.LPAREN && p.peek(1).Kind == token.RPAREN {
		p.next()
		p.next()
		return []ast.Expr{}
	}
	e := p.parseExpr()
	if r, ok := e.(*ast.RowExpr); ok && !r.Explicit {
		return r.Elems
	}
	return []ast.Expr{e}
}

// ---------------------------------------------------------------------------
// Relations

func (p *parser) parseFrom() ast.Relation {
	rel := p.parseRelation()
	for p.accept(token.COMMA) {
		r := p.parseRelation()
		rel = &ast.Join{Span: ast.Span{From: rel.Pos(), To: p.prevEnd}, Type: ast.JoinImplicit, L: rel, R: r}
	}
	return rel
}

// joinType reads [INNER] | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER]
// followed by JOIN, returning "" (consuming nothing) when no join follows.
func (p *parser) joinType() string {
	typ := ""
	switch p.cur().Kind {
	case token.JOIN:
		p.next()
		return ast.JoinInner
	case token.INNER:
		typ = ast.JoinInner
	case token.LEFT:
		typ = ast.JoinLeft
	case token.RIGHT:
		typ = ast.JoinRight
	case token.FULL:
		typ = ast.JoinFull
	default:
		p.expected = append(p.expected, "'JOIN'", "'INNER'", "'LEFT'", "'RIGHT'", "'FULL'", "'CROSS'", "'NATURAL'")
		return ""
	}
	p.next()
	if typ != ast.JoinInner {
		p.accept(token.OUTER)
	}
	p.expectKind(token.JOIN)
	return typ
}

func isJoinStart(k token.Kind) bool {
	switch k {
	case token.JOIN, token.INNER, token.LEFT, token.RIGHT, token.FULL, token.CROSS, token.NATURAL:
		return true
	}
	return false
}

func (p *parser) parseRelation() ast.Relation {
	p.enter()
	defer p.leave()
	return p.parseJoins(p.parseSampledRelation())
}

func (p *parser) parseJoins(l ast.Relation) ast.Relation {
	for {
		start := l.Pos()
		switch {
		case p.cur().Kind == token.CROSS:
			p.next()
			p.expectKind(token.JOIN)
			r := p.parseSampledRelation()
			l = &ast.Join{Span: p.span(start), Type: ast.JoinCross, L: l, R: r}
		case p.cur().Kind == token.NATURAL:
			p.next()
			typ := p.joinType()
			if typ == "" {
				p.fail()
			}
			r := p.parseSampledRelation()
			l = &ast.Join{Span: p.span(start), Type: typ, Natural: true, L: l, R: r}
		default:
			typ := p.joinType()
			if typ == "" {
				return l
			}
			r := p.parseSampledRelation()
			if isJoinStart(p.cur().Kind) {
				// a JOIN b JOIN c ON x ON y: the right operand is itself a join.
				p.enter()
				r = p.parseJoins(r)
				p.leave()
			}
			j := &ast.Join{Type: typ, L: l, R: r}
			if p.accept(token.ON) {
				j.On = p.parseExpr()
			} else if p.accept(token.USING) {
				j.Using = p.parseParenIdentList()
			} else {
				p.fail()
			}
			j.Span = p.span(start)
			l = j
		}
	}
}

func (p *parser) parseSampledRelation() ast.Relation {
	r := p.parseAliasedRelation()
	if p.cur().Kind == token.TABLESAMPLE {
		start := p.next().Pos
		ts := &ast.TableSample{}
		if p.accept(token.BERNOULLI) {
			ts.Method = "BERNOULLI"
		} else {
			p.expectKind(token.SYSTEM)
			ts.Method = "SYSTEM"
		}
		p.expectKind(token.LPAREN)
		ts.Percent = p.parseExpr()
		p.expectKind(token.RPAREN)
		ts.Span = p.span(start)
		switch r := r.(type) {
		case *ast.TableRef:
			r.Sample = ts
			r.Span.To = p.prevEnd
		case *ast.SubqueryRel:
			r.Sample = ts
			r.Span.To = p.prevEnd
		default:
			p.errorAt(start, "TABLESAMPLE is only supported on tables and subqueries")
		}
	} else {
		p.expect("'TABLESAMPLE'")
	}
	return r
}

func (p *parser) parseAlias() *ast.AliasClause {
	start := p.cur().Pos
	if p.accept(token.AS) {
		// required alias
	} else if !p.atIdent() || p.startsClause() {
		return nil
	}
	a := &ast.AliasClause{Name: p.parseIdent()}
	if p.at(token.LPAREN) {
		a.Columns = p.parseParenIdentList()
	}
	a.Span = p.span(start)
	return a
}

func (p *parser) parseAliasedRelation() ast.Relation {
	start := p.cur().Pos
	r := p.parseRelationPrimary()
	alias := p.parseAlias()
	if alias == nil {
		return r
	}
	switch r := r.(type) {
	case *ast.TableRef:
		if r.Alias == nil && r.Sample == nil {
			r.Alias = alias
			r.Span = p.span(start)
			return r
		}
	case *ast.SubqueryRel:
		if r.Alias == nil && r.Sample == nil {
			r.Alias = alias
			r.Span = p.span(start)
			return r
		}
	case *ast.Unnest:
		if r.Alias == nil {
			r.Alias = alias
			r.Span = p.span(start)
			return r
		}
	}
	return &ast.ParenRel{Span: p.span(start), Rel: r, Alias: alias}
}

// parseRelationPrimary parses a table name, a parenthesized query or
// relation, UNNEST or LATERAL.
func (p *parser) parseRelationPrimary() ast.Relation {
	p.enter()
	defer p.leave()
	start := p.cur().Pos
	switch {
	case p.cur().Kind == token.LATERAL && p.peek(1).Kind == token.LPAREN:
		p.next()
		p.next()
		q := p.parseQuery()
		p.expectKind(token.RPAREN)
		return &ast.SubqueryRel{Span: p.span(start), Query: q, Lateral: true}
	case p.at(token.UNNEST):
		p.next()
		p.expectKind(token.LPAREN)
		u := &ast.Unnest{Exprs: p.parseExprList()}
		p.expectKind(token.RPAREN)
		if p.cur().Kind == token.WITH && p.peek(1).Kind == token.ORDINALITY {
			p.next()
			p.next()
			u.WithOrdinality = true
		}
		u.Span = p.span(start)
		return u
	case p.at(token.LPAREN):
		p.next()
		if startsQuery(p.cur().Kind) {
			q := p.parseQuery()
			p.expectKind(token.RPAREN)
			return &ast.SubqueryRel{Span: p.span(start), Query: q}
		}
		r := p.parseRelation()
		if sub, ok := r.(*ast.SubqueryRel); ok && sub.Alias == nil && !sub.Lateral && sub.Sample == nil && p.continuesQuery() {
			// ((SELECT ...) UNION (SELECT ...)) in FROM.
			body := &ast.SubqueryBody{Span: sub.Span, Query: sub.Query}
			q := p.parseQueryRest(nil, body, sub.Pos())
			p.expectKind(token.RPAREN)
			return &ast.SubqueryRel{Span: p.span(start), Query: q}
		}
		p.expectKind(token.RPAREN)
		return r
	}
	if !p.atIdent() {
		p.fail()
	}
	name := p.parseQualifiedName()
	return &ast.TableRef{Span: name.Span, Name: name}
}
