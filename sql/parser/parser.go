package parser

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

// maxDepth bounds the nesting of expressions, queries, relations and types.
// Trino's own parser gives up on pathological nesting too; the bound keeps
// recursion (in the parser, the formatter and the binder) shallow.
const maxDepth = 1000

// Error is a syntax error at a position in the input.
type Error struct {
	Pos token.Pos
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}

// ErrorList holds the errors of a script in which several statements failed
// to parse, one per statement, in source order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap exposes the individual errors to errors.As and errors.Is.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// bailout unwinds the parser to the statement boundary after an error has
// been recorded. It never escapes the package: every entry point recovers it.
type bailout struct{}

type parser struct {
	src  string
	toks []token.Token
	i    int // index of the current token

	prevEnd  token.Pos // end of the last consumed token
	expected []string  // what was tried at toks[i], for error messages
	depth    int
	nparams  int
	err      *Error
}

func newParser(src string) *parser {
	return &parser{src: src, toks: token.Tokenize(src)}
}

// Parse parses a script of ';'-separated statements; empty statements are
// skipped. When several statements fail, the error is an ErrorList;
// otherwise it is an *Error.
func Parse(sql string) ([]ast.Statement, error) {
	p := newParser(sql)
	var stmts []ast.Statement
	var errs ErrorList
	for {
		for p.cur().Kind == token.SEMI {
			p.next()
		}
		if p.cur().Kind == token.EOF {
			break
		}
		st, err := p.statementOrError()
		if err != nil {
			errs = append(errs, err)
			p.skipToSemi()
			continue
		}
		stmts = append(stmts, st)
	}
	switch len(errs) {
	case 0:
		return stmts, nil
	case 1:
		return nil, errs[0]
	}
	return nil, errs
}

// ParseOne parses exactly one statement (a trailing ';' is allowed).
func ParseOne(sql string) (ast.Statement, error) {
	p := newParser(sql)
	if p.cur().Kind == token.EOF {
		return nil, &Error{Pos: p.cur().Pos, Msg: "empty statement"}
	}
	st, err := p.statementOrError()
	if err != nil {
		return nil, err
	}
	err = p.guard(func() {
		for p.cur().Kind == token.SEMI {
			p.next()
		}
		p.expectKind(token.EOF)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// ParseExpr parses a single scalar expression.
func ParseExpr(sql string) (ast.Expr, error) {
	p := newParser(sql)
	var e ast.Expr
	err := p.guard(func() {
		e = p.parseExpr()
		p.expectKind(token.EOF)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ParseType parses a type name in Trino or Hive spelling.
func ParseType(sql string) (*ast.TypeName, error) {
	p := newParser(sql)
	var t *ast.TypeName
	err := p.guard(func() {
		t = p.parseType()
		p.expectKind(token.EOF)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (p *parser) statementOrError() (ast.Statement, *Error) {
	var st ast.Statement
	p.nparams = 0
	err := p.guard(func() {
		st = p.parseStatement()
		if !p.at(token.SEMI) {
			p.expectKind(token.EOF)
		}
	})
	return st, err
}

// guard runs f, converting a recorded syntax error into a return value.
func (p *parser) guard(f func()) (err *Error) {
	p.err = nil
	p.depth = 0
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			err = p.err
		}
	}()
	f()
	return nil
}

func (p *parser) skipToSemi() {
	for {
		k := p.cur().Kind
		if k == token.EOF {
			return
		}
		p.next()
		if k == token.SEMI {
			return
		}
	}
}

// ---------------------------------------------------------------------------
// Token access

func (p *parser) cur() *token.Token { return &p.toks[p.i] }

// peek returns the token n positions ahead (EOF past the end).
func (p *parser) peek(n int) *token.Token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.toks[len(p.toks)-1]
}

func (p *parser) next() token.Token {
	t := p.toks[p.i]
	if t.Kind != token.EOF {
		p.prevEnd = t.End
		p.i++
		p.expected = p.expected[:0]
	}
	return t
}

// expect records what the parser would accept at the current token.
func (p *parser) expect(what string) { p.expected = append(p.expected, what) }

// at reports whether the current token has kind k, noting k as expected.
func (p *parser) at(k token.Kind) bool {
	if p.toks[p.i].Kind == k {
		return true
	}
	p.expect(k.String())
	return false
}

func (p *parser) accept(k token.Kind) bool {
	if p.at(k) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectKind(k token.Kind) token.Token {
	if !p.at(k) {
		p.fail()
	}
	return p.next()
}

// atWord reports whether the current token is the unreserved word w (for
// words too rare to be keywords, such as SETS).
func (p *parser) atWord(w string) bool {
	t := p.cur()
	if t.Kind == token.IDENT && strings.EqualFold(t.Text, w) {
		return true
	}
	p.expect("'" + w + "'")
	return false
}

func isIdentKind(k token.Kind) bool {
	return k == token.IDENT || k == token.QUOTED_IDENT || k == token.BACKQUOTED || k.IsKeyword() && !k.IsReserved()
}

func (p *parser) atIdent() bool {
	if isIdentKind(p.cur().Kind) {
		return true
	}
	p.expect("<identifier>")
	return false
}

// ---------------------------------------------------------------------------
// Errors

// fail reports a mismatched-input error at the current token.
func (p *parser) fail() {
	t := p.cur()
	if t.Kind == token.ILLEGAL {
		p.errorAt(t.Pos, t.Value)
	}
	msg := "mismatched input " + t.Describe()
	if exp := p.expectation(); exp != "" {
		msg += ". Expecting: " + exp
	}
	p.errorAt(t.Pos, msg)
}

// failExpecting reports a mismatched-input error naming what was expected.
func (p *parser) failExpecting(what ...string) {
	p.expected = append(p.expected, what...)
	p.fail()
}

func (p *parser) expectation() string {
	seen := make(map[string]bool, len(p.expected))
	list := make([]string, 0, len(p.expected))
	for _, e := range p.expected {
		if !seen[e] {
			seen[e] = true
			list = append(list, e)
		}
	}
	// Quoted tokens first, then token classes such as <identifier>, as
	// Trino prints them.
	sort.Slice(list, func(i, j int) bool {
		ci, cj := strings.HasPrefix(list[i], "<"), strings.HasPrefix(list[j], "<")
		if ci != cj {
			return cj
		}
		return list[i] < list[j]
	})
	return strings.Join(list, ", ")
}

func (p *parser) errorAt(pos token.Pos, msg string) {
	p.err = &Error{Pos: pos, Msg: msg}
	panic(bailout{})
}

func (p *parser) errorf(pos token.Pos, format string, args ...any) {
	p.errorAt(pos, fmt.Sprintf(format, args...))
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.cur().Pos, "statement is too deeply nested")
	}
}

func (p *parser) leave() { p.depth-- }

// span builds a node span from a start position to the end of the last
// consumed token.
func (p *parser) span(from token.Pos) ast.Span { return ast.Span{From: from, To: p.prevEnd} }

// IsSyntaxError reports whether err came from this package.
func IsSyntaxError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
