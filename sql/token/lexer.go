package token

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lexer splits SQL text into tokens, skipping whitespace and comments
// (-- to end of line, and /* ... */ which does not nest).
type Lexer struct {
	src  string
	off  int
	line int
	col  int
}

// NewLexer returns a lexer positioned at the start of src.
func NewLexer(src string) *Lexer {
	return &Lexer{src: src, line: 1, col: 1}
}

// Tokenize returns all tokens of src, ending with EOF. Lexical errors are
// returned as ILLEGAL tokens in the stream; lexing continues after them.
func Tokenize(src string) []Token {
	l := NewLexer(src)
	toks := make([]Token, 0, len(src)/4+1)
	for {
		t := l.Next()
		toks = append(toks, t)
		if t.Kind == EOF {
			return toks
		}
	}
}

func (l *Lexer) pos() Pos { return Pos{Offset: l.off, Line: l.line, Col: l.col} }

// advance moves over n bytes, keeping line and rune column current.
func (l *Lexer) advance(n int) {
	end := l.off + n
	if end > len(l.src) {
		end = len(l.src)
	}
	for ; l.off < end; l.off++ {
		c := l.src[l.off]
		switch {
		case c == '\n':
			l.line++
			l.col = 1
		case c < 0x80 || c >= 0xC0:
			// Count a rune at its first byte; continuation bytes
			// (10xxxxxx) do not move the column.
			l.col++
		}
	}
}

func (l *Lexer) peek(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

// skipSpace skips whitespace and comments. An unterminated block comment
// is reported as an ILLEGAL token.
func (l *Lexer) skipSpace() (Token, bool) {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.advance(1)
		case c == '-' && l.peek(1) == '-':
			i := strings.IndexByte(l.src[l.off:], '\n')
			if i < 0 {
				i = len(l.src) - l.off
			}
			l.advance(i)
		case c == '/' && l.peek(1) == '*':
			start := l.pos()
			i := strings.Index(l.src[l.off+2:], "*/")
			if i < 0 {
				l.advance(len(l.src) - l.off)
				return Token{Kind: ILLEGAL, Pos: start, End: l.pos(), Text: "/*", Value: "unterminated comment"}, true
			}
			l.advance(i + 4)
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(l.src[l.off:])
			if !unicode.IsSpace(r) {
				return Token{}, false
			}
			l.advance(size)
		default:
			return Token{}, false
		}
	}
	return Token{}, false
}

// Next returns the next token; at the end of input it returns EOF forever.
func (l *Lexer) Next() Token {
	if t, bad := l.skipSpace(); bad {
		return t
	}
	start := l.pos()
	if l.off >= len(l.src) {
		return Token{Kind: EOF, Pos: start, End: start}
	}
	c := l.src[l.off]
	tok := func(k Kind, n int) Token {
		text := l.src[l.off : l.off+n]
		l.advance(n)
		return Token{Kind: k, Pos: start, End: l.pos(), Text: text, Value: text}
	}
	switch {
	case (c == 'x' || c == 'X') && l.peek(1) == '\'':
		return l.binary(start)
	case (c == 'u' || c == 'U') && l.peek(1) == '&' && l.peek(2) == '\'':
		t := l.quoted(start, 2, '\'', STRING)
		if t.Kind == STRING {
			t.Kind = UNICODE_STRING
			t.Value = t.Text[3 : len(t.Text)-1]
		}
		return t
	case isIdentStart(c):
		return l.word(start)
	case c >= '0' && c <= '9' || c == '.' && isDigit(l.peek(1)):
		return l.number(start)
	case c == '\'':
		return l.quoted(start, 0, '\'', STRING)
	case c == '"':
		return l.quoted(start, 0, '"', QUOTED_IDENT)
	case c == '`':
		return l.quoted(start, 0, '`', BACKQUOTED)
	case c >= 0x80:
		r, size := utf8.DecodeRuneInString(l.src[l.off:])
		if unicode.IsLetter(r) {
			return l.word(start)
		}
		t := tok(ILLEGAL, size)
		t.Value = "unexpected character " + quoteChar(t.Text)
		return t
	}
	two := ""
	if l.off+1 < len(l.src) {
		two = l.src[l.off : l.off+2]
	}
	switch two {
	case "<>", "!=":
		return tok(NEQ, 2)
	case "<=":
		return tok(LTE, 2)
	case ">=":
		return tok(GTE, 2)
	case "||":
		return tok(CONCAT, 2)
	case "->":
		return tok(ARROW, 2)
	case "=>":
		return tok(FATARROW, 2)
	}
	switch c {
	case '=':
		return tok(EQ, 1)
	case '<':
		return tok(LT, 1)
	case '>':
		return tok(GT, 1)
	case '+':
		return tok(PLUS, 1)
	case '-':
		return tok(MINUS, 1)
	case '*':
		return tok(STAR, 1)
	case '/':
		return tok(SLASH, 1)
	case '%':
		return tok(PERCENT, 1)
	case '(':
		return tok(LPAREN, 1)
	case ')':
		return tok(RPAREN, 1)
	case '[':
		return tok(LBRACKET, 1)
	case ']':
		return tok(RBRACKET, 1)
	case ',':
		return tok(COMMA, 1)
	case '.':
		return tok(DOT, 1)
	case ';':
		return tok(SEMI, 1)
	case ':':
		return tok(COLON, 1)
	case '?':
		return tok(PARAM, 1)
	}
	t := tok(ILLEGAL, 1)
	t.Value = "unexpected character " + quoteChar(t.Text)
	return t
}

func quoteChar(s string) string {
	if s == "'" {
		return `"'"`
	}
	if s < " " || s == "\x7f" {
		return "'\\x" + string("0123456789abcdef"[s[0]>>4]) + string("0123456789abcdef"[s[0]&15]) + "'"
	}
	return "'" + s + "'"
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) }

// identLen returns the byte length of the identifier characters at s
// (ASCII letters, digits, '_' and non-ASCII letters and digits).
func identLen(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < 0x80 {
			if !isIdentByte(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		i += size
	}
	return i
}

func (l *Lexer) word(start Pos) Token {
	n := identLen(l.src[l.off:])
	if n == 0 {
		// Unreachable for callers that checked the first character, but an
		// empty token would stall the lexer.
		n = 1
	}
	text := l.src[l.off : l.off+n]
	l.advance(n)
	return Token{Kind: Lookup(text), Pos: start, End: l.pos(), Text: text, Value: text}
}

func (l *Lexer) number(start Pos) Token {
	s := l.src[l.off:]
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	kind := NUM_INT
	if i < len(s) && s[i] == '.' {
		kind = NUM_DECIMAL
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
			kind = NUM_DOUBLE
		}
	}
	if k := identLen(s[i:]); k > 0 {
		text := s[:i+k]
		l.advance(i + k)
		return Token{Kind: ILLEGAL, Pos: start, End: l.pos(), Text: text,
			Value: "identifiers must not start with a digit; surround the identifier with double quotes"}
	}
	text := s[:i]
	l.advance(i)
	return Token{Kind: kind, Pos: start, End: l.pos(), Text: text, Value: text}
}

// quoted lexes a quote-delimited token whose opening quote is at
// l.off+prefix. A doubled quote stands for one quote character.
func (l *Lexer) quoted(start Pos, prefix int, q byte, kind Kind) Token {
	s := l.src[l.off:]
	i := prefix + 1
	var b []byte // allocated only when an escape occurs
	seg := i
	for {
		j := strings.IndexByte(s[i:], q)
		if j < 0 {
			l.advance(len(s))
			// Trino's (ANTLR's) words for a token that never ends: the
			// text from its start to the end of the input, quoted.
			return Token{Kind: ILLEGAL, Pos: start, End: l.pos(), Text: s, Value: "token recognition error at: '" + errorDisplay(s) + "'"}
		}
		i += j
		if i+1 < len(s) && s[i+1] == q {
			b = append(b, s[seg:i+1]...)
			i += 2
			seg = i
			continue
		}
		break
	}
	var val string
	if b != nil {
		val = string(append(b, s[seg:i]...))
	} else {
		val = s[prefix+1 : i]
	}
	text := s[:i+1]
	l.advance(i + 1)
	t := Token{Kind: kind, Pos: start, End: l.pos(), Text: text, Value: val}
	if kind != STRING && val == "" {
		t.Kind = ILLEGAL
		t.Value = "zero-length delimited identifier not allowed"
	}
	return t
}

func (l *Lexer) binary(start Pos) Token {
	t := l.quoted(start, 1, '\'', STRING)
	if t.Kind != STRING {
		return t
	}
	t.Kind = BINARY
	hex := strings.ReplaceAll(t.Value, " ", "")
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if !(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			t.Kind = ILLEGAL
			t.Value = "binary literal can only contain hexadecimal digits"
			return t
		}
	}
	if len(hex)%2 != 0 {
		t.Kind = ILLEGAL
		t.Value = "binary literal must contain an even number of digits"
		return t
	}
	t.Value = hex
	return t
}

// errorDisplay escapes control characters as ANTLR shows them in a token
// recognition error, so a multi-line remainder stays on one line.
func errorDisplay(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}
