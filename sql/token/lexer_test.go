package token

import (
	"strings"
	"testing"
)

func kinds(toks []Token) string {
	var parts []string
	for _, t := range toks {
		s := t.Kind.String()
		switch t.Kind {
		case IDENT, QUOTED_IDENT, BACKQUOTED, STRING, UNICODE_STRING, BINARY, NUM_INT, NUM_DECIMAL, NUM_DOUBLE, ILLEGAL:
			s += "(" + t.Value + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestLexer(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "<EOF>"},
		{"SELECT a FROM t", "'SELECT' <identifier>(a) 'FROM' <identifier>(t) <EOF>"},
		{"select Date, dAtE", "'SELECT' 'DATE' ',' 'DATE' <EOF>"},
		{`"Quoted ""x""" ` + "`back``q`", `<quoted identifier>(Quoted "x") <backquoted identifier>(back` + "`" + `q) <EOF>`},
		{"'it''s' ''", "<string>(it's) <string>() <EOF>"},
		{`'a\n'`, `<string>(a\n) <EOF>`},
		{"X'0a ff' x''", "<binary literal>(0aff) <binary literal>() <EOF>"},
		{`U&'\0041'`, `<unicode string>(\0041) <EOF>`},
		{"1 1.5 .5 5. 1e3 1.5E-3 1E+2 007", "<integer>(1) <decimal>(1.5) <decimal>(.5) <decimal>(5.) <double>(1e3) <double>(1.5E-3) <double>(1E+2) <integer>(007) <EOF>"},
		{"a.b.c t.* 1.e2", "<identifier>(a) '.' <identifier>(b) '.' <identifier>(c) <identifier>(t) '.' '*' <double>(1.e2) <EOF>"},
		{"= <> != < <= > >= + - * / % || ( ) [ ] , . ; : -> => ?", "'=' '<>' '<>' '<' '<=' '>' '>=' '+' '-' '*' '/' '%' '||' '(' ')' '[' ']' ',' '.' ';' ':' '->' '=>' '?' <EOF>"},
		{"array<struct<a:int>>", "'ARRAY' '<' <identifier>(struct) '<' <identifier>(a) ':' <identifier>(int) '>' '>' <EOF>"},
		{"a -- comment ; x\nb /* multi\nline */ c", "<identifier>(a) <identifier>(b) <identifier>(c) <EOF>"},
		{"a-->b", "<identifier>(a) <EOF>"},
		{"a - -b", "<identifier>(a) '-' '-' <identifier>(b) <EOF>"},
		{"x->x", "<identifier>(x) '->' <identifier>(x) <EOF>"},
		{"straße über_1 _x", "<identifier>(straße) <identifier>(über_1) <identifier>(_x) <EOF>"},
		{"\u00a0a\u2003", "<identifier>(a) <EOF>"},
		// errors
		{"'open", "illegal(token recognition error at: ''open') <EOF>"},
		{`"open`, "illegal(token recognition error at: '\"open') <EOF>"},
		{`""`, "illegal(zero-length delimited identifier not allowed) <EOF>"},
		{"/* open", "illegal(unterminated comment) <EOF>"},
		{"1abc 2", "illegal(identifiers must not start with a digit; surround the identifier with double quotes) <integer>(2) <EOF>"},
		{"X'0' X'zz'", "illegal(binary literal must contain an even number of digits) illegal(binary literal can only contain hexadecimal digits) <EOF>"},
		{"a # b $ ! |", "<identifier>(a) illegal(unexpected character '#') <identifier>(b) illegal(unexpected character '$') illegal(unexpected character '!') illegal(unexpected character '|') <EOF>"},
		{"\x00\x7f", `illegal(unexpected character '\x00') illegal(unexpected character '\x7f') <EOF>`},
		{"«", "illegal(unexpected character '«') <EOF>"},
	}
	for _, tt := range tests {
		if got := kinds(Tokenize(tt.in)); got != tt.want {
			t.Errorf("%q:\n got  %s\n want %s", tt.in, got, tt.want)
		}
	}
}

func TestPositions(t *testing.T) {
	src := "SELECT\n  'é', ü\r\n\tx"
	toks := Tokenize(src)
	want := []struct {
		text           string
		line, col, end int
	}{
		{"SELECT", 1, 1, 7},
		{"'é'", 2, 3, 6},
		{",", 2, 6, 7},
		{"ü", 2, 8, 9},
		{"x", 3, 2, 3},
		{"", 3, 3, 3},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens", len(toks))
	}
	for i, w := range want {
		tk := toks[i]
		if tk.Text != w.text || tk.Pos.Line != w.line || tk.Pos.Col != w.col || tk.End.Col != w.end {
			t.Errorf("token %d: %q at %v-%v, want %q at %d:%d-%d", i, tk.Text, tk.Pos, tk.End, w.text, w.line, w.col, w.end)
		}
		if src[tk.Pos.Offset:tk.End.Offset] != tk.Text {
			t.Errorf("token %d: offsets do not slice its text", i)
		}
	}
}

func TestKeywords(t *testing.T) {
	if Lookup("select") != SELECT || Lookup("SeLeCt") != SELECT || Lookup("selects") != IDENT {
		t.Error("Lookup")
	}
	if !SELECT.IsReserved() || DATE.IsReserved() || !DATE.IsKeyword() || IDENT.IsKeyword() || reservedEnd.IsKeyword() {
		t.Error("reserved classification")
	}
	for _, w := range []string{"date", "year", "month", "day", "hour", "comment", "data", "format", "location",
		"partition", "partitions", "schema", "tables", "columns", "type", "position", "limit", "offset", "window"} {
		if IsReservedWord(w) {
			t.Errorf("%s must not be reserved", w)
		}
	}
	for _, w := range []string{"select", "from", "where", "join", "on", "using", "table", "values", "trim", "grouping"} {
		if !IsReservedWord(w) {
			t.Errorf("%s must be reserved", w)
		}
	}
	if SELECT.String() != "'SELECT'" || SELECT.Keyword() != "SELECT" || EOF.String() != "<EOF>" || LPAREN.String() != "'('" {
		t.Error("String")
	}
	if (Token{Kind: STRING, Text: "'a\nb'"}).Describe() != `''a\nb''` || (Token{Kind: EOF}).Describe() != "'<EOF>'" {
		t.Error("Describe")
	}
}

func FuzzLexer(f *testing.F) {
	for _, s := range []string{"SELECT 'a''b' FROM \"t\"", "/* x", "X'0", "U&'\\0041'", "1.e5e", "é«\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		toks := Tokenize(src)
		if toks[len(toks)-1].Kind != EOF {
			t.Fatal("no EOF")
		}
		prev := 0
		for _, tk := range toks {
			if tk.Pos.Offset < prev || tk.End.Offset < tk.Pos.Offset || tk.End.Offset > len(src) {
				t.Fatalf("bad span %+v", tk)
			}
			if tk.Kind != EOF && tk.End.Offset == tk.Pos.Offset {
				t.Fatalf("empty token %+v", tk)
			}
			prev = tk.End.Offset
		}
	})
}
