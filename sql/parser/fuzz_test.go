package parser

import (
	"os"
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

// FuzzParse checks that the lexer and parser never panic or hang, that every
// tree they accept formats to text that parses back to an equal tree, and
// that SplitStatements never panics.
func FuzzParse(f *testing.F) {
	for _, file := range corpusFiles(f) {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		token.Tokenize(src)
		SplitStatements(src)
		_, _ = ParseExpr(src)
		stmts, err := Parse(src)
		if err != nil {
			return
		}
		for _, st := range stmts {
			text := ast.Format(st)
			again, err := ParseOne(text)
			if err != nil {
				t.Fatalf("formatted statement does not parse: %v\ninput:  %q\noutput: %q", err, src, text)
			}
			if !ast.Equal(st, again) {
				t.Fatalf("round trip changed the tree\ninput:  %q\noutput: %q\nagain:  %q", src, text, ast.Format(again))
			}
		}
	})
}
