package parser

import (
	"github.com/quarry-sql/quarry/sql/token"
)

// StatementText is one statement of a script as written.
type StatementText struct {
	Text string    // source from the statement's first token to its last, without the ';'
	Pos  token.Pos // position of the first token
}

// SplitStatements splits a script at top-level semicolons, respecting
// quotes and comments, without parsing. Empty statements (and comments
// between statements) are dropped. A lexical error such as an unterminated
// string ends the split: the rest of the input is one final statement, so
// its error is reported when that text is parsed.
func SplitStatements(sql string) []StatementText {
	var out []StatementText
	l := token.NewLexer(sql)
	var first, last token.Token
	have := false
	flush := func() {
		if have {
			out = append(out, StatementText{Text: sql[first.Pos.Offset:last.End.Offset], Pos: first.Pos})
		}
		have = false
	}
	for {
		t := l.Next()
		switch t.Kind {
		case token.EOF:
			flush()
			return out
		case token.SEMI:
			flush()
			continue
		}
		if !have {
			first, have = t, true
		}
		last = t
	}
}
