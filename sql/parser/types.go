package parser

import (
	"strconv"
	"strings"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

// parseType parses a type in Trino spelling (varchar(10), decimal(15,2),
// array(integer), map(varchar, bigint), row(a integer, b varchar),
// timestamp(3) with time zone, interval day to second, double precision)
// or Hive spelling (string, int, array<struct<a:int>>, map<string,int>).
func (p *parser) parseType() *ast.TypeName {
	p.enter()
	defer p.leave()
	start := p.cur().Pos
	if !isIdentKind(p.cur().Kind) {
		p.failExpecting("<type>")
	}
	nameTok := p.next()
	if nameTok.Kind == token.QUOTED_IDENT || nameTok.Kind == token.BACKQUOTED {
		p.errorf(nameTok.Pos, "type name must not be quoted: %s", nameTok.Text)
	}
	t := &ast.TypeName{Name: strings.ToLower(nameTok.Text)}
	switch t.Name {
	case "double":
		p.accept(token.PRECISION)
	case "array":
		closeKind := p.openTypeParams()
		t.Elems = []*ast.TypeName{p.parseType()}
		p.closeTypeParams(closeKind)
	case "map":
		closeKind := p.openTypeParams()
		k := p.parseType()
		p.expectKind(token.COMMA)
		v := p.parseType()
		t.Elems = []*ast.TypeName{k, v}
		p.closeTypeParams(closeKind)
	case "row", "struct":
		closeKind := p.openTypeParams()
		for {
			t.Fields = append(t.Fields, p.parseTypeField())
			if !p.accept(token.COMMA) {
				break
			}
		}
		p.closeTypeParams(closeKind)
	case "interval":
		t.IntervalFrom = p.parseIntervalField()
		if p.accept(token.TO) {
			t.IntervalTo = p.parseIntervalField()
		}
	default:
		if p.accept(token.LPAREN) {
			for {
				t.Params = append(t.Params, p.parseTypeParam())
				if !p.accept(token.COMMA) {
					break
				}
			}
			p.expectKind(token.RPAREN)
		}
		if t.Name == "timestamp" || t.Name == "time" {
			switch {
			case p.cur().Kind == token.WITH && p.peek(1).Kind == token.TIME:
				p.next()
				p.next()
				p.expectKind(token.ZONE)
				t.WithTimeZone = true
			case p.cur().Kind == token.WITHOUT:
				p.next()
				p.expectKind(token.TIME)
				p.expectKind(token.ZONE)
			}
		}
	}
	t.Span = p.span(start)
	return t
}

func (p *parser) parseTypeParam() int {
	t := p.expectKind(token.NUM_INT)
	n, err := strconv.Atoi(t.Text)
	if err != nil || n > 1<<30 {
		p.errorf(t.Pos, "type parameter out of range: %s", t.Text)
	}
	return n
}

// openTypeParams accepts '(' (Trino) or '<' (Hive) and returns the kind
// of the matching closer.
func (p *parser) openTypeParams() token.Kind {
	if p.accept(token.LPAREN) {
		return token.RPAREN
	}
	if p.accept(token.LT) {
		return token.GT
	}
	p.fail()
	return token.ILLEGAL
}

func (p *parser) closeTypeParams(k token.Kind) { p.expectKind(k) }

// parseTypeField parses a row/struct field: name type, name:type (Hive),
// or a bare type (Trino's anonymous row fields). Field names may be any
// word, reserved or not, as Hive allows.
func (p *parser) parseTypeField() *ast.TypeField {
	start := p.cur().Pos
	f := &ast.TypeField{}
	t := p.cur()
	isWord := isIdentKind(t.Kind) || t.Kind.IsReserved()
	named := false
	if isWord {
		switch k := p.peek(1).Kind; {
		case k == token.COLON:
			named = true
		case isIdentKind(k) || k.IsReserved():
			// "name type", unless this is "double precision".
			named = !(t.Kind == token.DOUBLE && k == token.PRECISION)
		}
	}
	if named {
		tok := p.next()
		f.Name = identFrom(tok)
		p.accept(token.COLON)
	}
	f.Type = p.parseType()
	f.Span = p.span(start)
	return f
}
