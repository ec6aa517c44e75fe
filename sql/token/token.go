package token

import (
	"fmt"
	"strings"
)

// Pos is a position in SQL source text. The zero Pos means "unknown".
type Pos struct {
	Offset int // byte offset, 0-based
	Line   int // 1-based
	Col    int // 1-based, counted in runes
}

// IsValid reports whether p is a known position.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Kind classifies a token.
type Kind int

// Token kinds other than keywords.
const (
	ILLEGAL Kind = iota
	EOF

	IDENT          // unquoted identifier that is not a keyword
	QUOTED_IDENT   // "ident" (Value holds the name, "" unescaped)
	BACKQUOTED     // `ident` (Hive)
	STRING         // 'text' (Value holds the text, '' unescaped)
	UNICODE_STRING // U&'text' (Value holds the raw text between quotes)
	BINARY         // X'hex' (Value holds the hex digits)
	NUM_INT        // 123
	NUM_DECIMAL    // 1.5, .5, 1.
	NUM_DOUBLE     // 1e3, 1.5E-3
	PARAM          // ?

	EQ       // =
	NEQ      // <> or !=
	LT       // <
	LTE      // <=
	GT       // >
	GTE      // >=
	PLUS     // +
	MINUS    // -
	STAR     // *
	SLASH    // /
	PERCENT  // %
	CONCAT   // ||
	LPAREN   // (
	RPAREN   // )
	LBRACKET // [
	RBRACKET // ]
	COMMA    // ,
	DOT      // .
	SEMI     // ;
	COLON    // :
	ARROW    // ->
	FATARROW // =>
)

var kindNames = [...]string{
	ILLEGAL:        "illegal",
	EOF:            "<EOF>",
	IDENT:          "<identifier>",
	QUOTED_IDENT:   "<quoted identifier>",
	BACKQUOTED:     "<backquoted identifier>",
	STRING:         "<string>",
	UNICODE_STRING: "<unicode string>",
	BINARY:         "<binary literal>",
	NUM_INT:        "<integer>",
	NUM_DECIMAL:    "<decimal>",
	NUM_DOUBLE:     "<double>",
	PARAM:          "'?'",
	EQ:             "'='",
	NEQ:            "'<>'",
	LT:             "'<'",
	LTE:            "'<='",
	GT:             "'>'",
	GTE:            "'>='",
	PLUS:           "'+'",
	MINUS:          "'-'",
	STAR:           "'*'",
	SLASH:          "'/'",
	PERCENT:        "'%'",
	CONCAT:         "'||'",
	LPAREN:         "'('",
	RPAREN:         "')'",
	LBRACKET:       "'['",
	RBRACKET:       "']'",
	COMMA:          "','",
	DOT:            "'.'",
	SEMI:           "';'",
	COLON:          "':'",
	ARROW:          "'->'",
	FATARROW:       "'=>'",
}

// String renders the kind as it appears in "Expecting: ..." lists: keywords
// and punctuation quoted, token classes in angle brackets.
func (k Kind) String() string {
	if k.IsKeyword() {
		return quotedKeywords[k-keywordBeg]
	}
	if k >= 0 && int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Keyword returns the upper-case spelling of a keyword kind, or "".
func (k Kind) Keyword() string {
	if k.IsKeyword() {
		return plainKeywords[k-keywordBeg]
	}
	return ""
}

// IsKeyword reports whether k is a keyword (reserved or not).
func (k Kind) IsKeyword() bool { return k > keywordBeg && k < keywordEnd && k != reservedEnd }

// IsReserved reports whether k is a reserved keyword, which cannot be used as
// an unquoted identifier.
func (k Kind) IsReserved() bool { return k > keywordBeg && k < reservedEnd }

var (
	keywords map[string]Kind
	// Indexed by kind-keywordBeg; the parser asks for these on every
	// failed token test, so they are computed once.
	plainKeywords  [keywordEnd - keywordBeg]string
	quotedKeywords [keywordEnd - keywordBeg]string
)

func init() {
	keywords = make(map[string]Kind, len(keywordNames))
	for k, name := range keywordNames {
		keywords[name] = k
		plainKeywords[k-keywordBeg] = name
		quotedKeywords[k-keywordBeg] = "'" + name + "'"
	}
}

// Lookup maps an unquoted word to its keyword kind, or IDENT. The match is
// case-insensitive.
func Lookup(word string) Kind {
	if len(word) > 32 {
		return IDENT
	}
	var buf [32]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	if k, ok := keywords[string(buf[:len(word)])]; ok {
		return k
	}
	return IDENT
}

// IsReservedWord reports whether word (any case) is a reserved keyword.
func IsReservedWord(word string) bool { return Lookup(word).IsReserved() }

// Token is one lexeme.
type Token struct {
	Kind  Kind
	Pos   Pos    // first character
	End   Pos    // just past the last character
	Text  string // source text exactly as written
	Value string // decoded value for identifiers, strings and literals; message for ILLEGAL
}

// Describe renders the token for error messages the way Trino does:
// 'FORM', '<EOF>'.
func (t Token) Describe() string {
	if t.Kind == EOF {
		return "'<EOF>'"
	}
	txt := t.Text
	if len(txt) > 40 {
		txt = txt[:40] + "..."
	}
	return "'" + strings.ReplaceAll(txt, "\n", `\n`) + "'"
}
