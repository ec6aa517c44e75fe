package server

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/sql/token"
)

// Prepared statements live in the client, as in Trino: PREPARE answers
// with X-Trino-Added-Prepare, the client sends every prepared statement
// back in X-Trino-Prepared-Statement, and EXECUTE name USING a, b runs the
// statement with its ? placeholders replaced by the USING expressions
// (formatted SQL, so the engine sees ordinary literals). EXECUTE IMMEDIATE
// 'sql' USING ..., which trino-go-client sends for query arguments, works
// the same way without the round trip.

// statement is a request's SQL resolved to what the engine runs.
type statement struct {
	st   ast.Statement
	text string
	// addedPrepare and deallocated are the PREPARE and DEALLOCATE
	// effects, reported back in response headers.
	addedPrepare string // name=url-encoded SQL
	deallocated  string // name
}

// parsePrepared reads X-Trino-Prepared-Statement values: comma-separated
// name=url-encoded-sql entries.
func parsePrepared(values []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range values {
		for _, entry := range strings.Split(v, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			name, enc, ok := strings.Cut(entry, "=")
			if !ok || strings.TrimSpace(name) == "" {
				return nil, fmt.Errorf("invalid prepared statement header entry %q: want name=url-encoded-sql", entry)
			}
			sql, err := url.QueryUnescape(enc)
			if err != nil {
				return nil, fmt.Errorf("invalid prepared statement %s: %v", name, err)
			}
			out[strings.ToLower(strings.TrimSpace(name))] = sql
		}
	}
	return out, nil
}

// resolveStatement parses sql and expands EXECUTE against the prepared
// statements.
func resolveStatement(sql string, prepared map[string]string) (*statement, error) {
	if body, using, ok, err := executeImmediate(sql); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return expand(body, using)
	}
	st, err := parser.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	switch x := st.(type) {
	case *ast.Prepare:
		body := strings.TrimRight(strings.TrimSpace(sql[x.Stmt.Pos().Offset:]), "; \t\r\n")
		return &statement{st: x, text: sql, addedPrepare: strings.ToLower(x.Name.Name) + "=" + url.QueryEscape(body)}, nil
	case *ast.Execute:
		body, ok := prepared[strings.ToLower(x.Name.Name)]
		if !ok {
			return nil, newCoded(errNotFound, fmt.Sprintf("Prepared statement not found: %s", x.Name.Name))
		}
		return expand(body, x.Using)
	case *ast.Deallocate:
		name := strings.ToLower(x.Name.Name)
		if _, ok := prepared[name]; !ok {
			return nil, newCoded(errNotFound, fmt.Sprintf("Prepared statement not found: %s", x.Name.Name))
		}
		return &statement{st: x, text: sql, deallocated: name}, nil
	}
	return &statement{st: st, text: sql}, nil
}

// executeImmediate recognises EXECUTE IMMEDIATE 'sql' [USING ...], which
// the parser does not know, and returns the statement text and arguments.
func executeImmediate(sql string) (body string, using []ast.Expr, ok bool, err error) {
	toks := token.Tokenize(sql)
	if len(toks) < 3 || toks[0].Kind != token.EXECUTE || !strings.EqualFold(toks[1].Text, "IMMEDIATE") || toks[2].Kind != token.STRING {
		return "", nil, false, nil
	}
	body = toks[2].Value
	rest := sql[toks[2].End.Offset:]
	// Parse the USING list in the shape the parser knows; positions in
	// errors then refer to this rewritten text, which keeps the tail.
	st, err := parser.ParseOne("EXECUTE immediate_statement " + rest)
	if err != nil {
		return "", nil, true, err
	}
	ex, isExec := st.(*ast.Execute)
	if !isExec {
		return "", nil, true, newCoded(errSyntax, "invalid EXECUTE IMMEDIATE")
	}
	return body, ex.Using, true, nil
}

// expand replaces the ? placeholders of body with the formatted arguments.
func expand(body string, args []ast.Expr) (*statement, error) {
	toks := token.Tokenize(body)
	var b strings.Builder
	last, n := 0, 0
	for _, t := range toks {
		if t.Kind != token.PARAM {
			continue
		}
		if n < len(args) {
			b.WriteString(body[last:t.Pos.Offset])
			b.WriteString(argText(args[n]))
			last = t.End.Offset
		}
		n++
	}
	if n != len(args) {
		return nil, newCoded(errInvalidParameter, fmt.Sprintf("Incorrect number of parameters: expected %d but found %d", n, len(args)))
	}
	b.WriteString(body[last:])
	text := b.String()
	st, err := parser.ParseOne(text)
	if err != nil {
		return nil, err
	}
	switch st.(type) {
	case *ast.Prepare, *ast.Execute, *ast.Deallocate:
		return nil, newCoded(errNotSupported, "a prepared statement cannot itself be PREPARE, EXECUTE or DEALLOCATE")
	}
	return &statement{st: st, text: text}, nil
}

// argText renders an argument; anything but a literal is parenthesised so
// it binds as one operand wherever the placeholder stood.
func argText(e ast.Expr) string {
	s := ast.Format(e)
	switch e.(type) {
	case *ast.NullLit, *ast.BoolLit, *ast.IntegerLit, *ast.DecimalLit, *ast.DoubleLit, *ast.StringLit,
		*ast.BinaryLit, *ast.TypedLit, *ast.IntervalLit:
		return s
	}
	return "(" + s + ")"
}
