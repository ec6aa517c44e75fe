package ast

import (
	"testing"

	"github.com/quarry-sql/quarry/sql/token"
)

func sp(off int) Span {
	return Span{From: token.Pos{Offset: off, Line: 1, Col: off + 1}, To: token.Pos{Offset: off + 1, Line: 1, Col: off + 2}}
}

func TestEqualIgnoresPositions(t *testing.T) {
	a := &BinaryExpr{Span: sp(0), Op: "+", L: &IntegerLit{Span: sp(0), Text: "1"}, R: &ColumnRef{Span: sp(4),
		Name: &QualifiedName{Span: sp(4), Parts: []*Ident{{Span: sp(4), Name: "x"}}}}}
	b := &BinaryExpr{Span: sp(9), Op: "+", L: &IntegerLit{Span: sp(7), Text: "1"}, R: &ColumnRef{Span: sp(1),
		Name: &QualifiedName{Span: sp(3), Parts: []*Ident{{Span: sp(2), Name: "x"}}}}}
	if !Equal(a, b) {
		t.Error("positions must not matter")
	}
	b.R.(*ColumnRef).Name.Parts[0].Quoted = true
	if Equal(a, b) {
		t.Error("Quoted must matter")
	}
	b.R.(*ColumnRef).Name.Parts[0].Quoted = false
	b.L = &DecimalLit{Text: "1"}
	if Equal(a, b) {
		t.Error("node types must matter")
	}
	if !Equal(&GroupingExprs{Exprs: nil}, &GroupingExprs{Exprs: []Expr{}}) {
		t.Error("nil and empty slices are equal")
	}
	if !Equal(&CreateView{QueryText: "a"}, &CreateView{QueryText: "b"}) {
		t.Error("QueryText is ignored")
	}
	one, two := 1, 2
	if Equal(&CurrentTime{Kind: "LOCALTIME", Precision: &one}, &CurrentTime{Kind: "LOCALTIME", Precision: &two}) ||
		Equal(&CurrentTime{Precision: &one}, &CurrentTime{}) {
		t.Error("pointer fields compare by value")
	}
	if !Equal(nil, nil) || Equal(nil, &NullLit{}) {
		t.Error("nil handling")
	}
}

func TestInspect(t *testing.T) {
	q := &Query{Body: &Select{
		Items: []SelectItem{&SelectExpr{Expr: &FuncCall{Name: &QualifiedName{Parts: []*Ident{{Name: "f"}}},
			Args: []Expr{&IntegerLit{Text: "1"}, &StringLit{Value: "a"}}}}},
		GroupBy: &GroupBy{Elems: []GroupingElement{&GroupingSets{Sets: [][]Expr{{&IntegerLit{Text: "2"}}, {}}}}},
	}}
	var lits int
	var kinds []string
	Inspect(q, func(n Node) bool {
		switch n.(type) {
		case *IntegerLit, *StringLit:
			lits++
		case *FuncCall:
			kinds = append(kinds, "call")
		}
		return true
	})
	if lits != 3 || len(kinds) != 1 {
		t.Errorf("visited %d literals, %v", lits, kinds)
	}
	// Returning false prunes the subtree.
	lits = 0
	Inspect(q, func(n Node) bool {
		if _, ok := n.(*FuncCall); ok {
			return false
		}
		if _, ok := n.(*IntegerLit); ok {
			lits++
		}
		return true
	})
	if lits != 1 {
		t.Errorf("pruned walk saw %d integer literals", lits)
	}
	Inspect(nil, func(Node) bool { t.Error("visited nil"); return true })
	Inspect((*Query)(nil), func(Node) bool { t.Error("visited typed nil"); return true })
}

func TestFormatIdent(t *testing.T) {
	tests := []struct {
		id   Ident
		want string
	}{
		{Ident{Name: "abc"}, "abc"},
		{Ident{Name: "MixedCase"}, "MixedCase"},
		{Ident{Name: "date"}, "date"},
		{Ident{Name: "select"}, `"select"`},
		{Ident{Name: "a b"}, `"a b"`},
		{Ident{Name: "1a"}, `"1a"`},
		{Ident{Name: "x", Quoted: true}, `"x"`},
		{Ident{Name: `say "hi"`, Quoted: true}, `"say ""hi"""`},
		{Ident{Name: "cost_and_usage.product_code", Quoted: true}, `"cost_and_usage.product_code"`},
		{Ident{Name: ""}, `""`},
	}
	for _, tt := range tests {
		if got := FormatIdent(&tt.id); got != tt.want {
			t.Errorf("%+v: got %s, want %s", tt.id, got, tt.want)
		}
	}
	q := &QualifiedName{Parts: []*Ident{{Name: "s"}, {Name: "T x", Quoted: true}}}
	if q.String() != `s."T x"` {
		t.Errorf("qualified name %s", q)
	}
}

// TypeName.String must produce spellings the types package parses; these
// are the forms it documents.
func TestTypeNameString(t *testing.T) {
	i := func(n string, params ...int) *TypeName { return &TypeName{Name: n, Params: params} }
	tests := []struct {
		t    *TypeName
		want string
	}{
		{i("varchar"), "varchar"},
		{i("varchar", 10), "varchar(10)"},
		{i("decimal", 15, 2), "decimal(15,2)"},
		{&TypeName{Name: "timestamp", Params: []int{3}, WithTimeZone: true}, "timestamp(3) with time zone"},
		{&TypeName{Name: "time", WithTimeZone: true}, "time with time zone"},
		{&TypeName{Name: "interval", IntervalFrom: "DAY", IntervalTo: "SECOND"}, "interval day to second"},
		{&TypeName{Name: "array", Elems: []*TypeName{i("varchar")}}, "array(varchar)"},
		{&TypeName{Name: "map", Elems: []*TypeName{i("string"), i("int")}}, "map(string, int)"},
		{&TypeName{Name: "row", Fields: []*TypeField{{Name: &Ident{Name: "a"}, Type: i("integer")}, {Type: i("varchar")}}}, "row(a integer, varchar)"},
		{&TypeName{Name: "struct", Fields: []*TypeField{{Name: &Ident{Name: "a"}, Type: &TypeName{Name: "array", Elems: []*TypeName{i("int")}}},
			{Name: &Ident{Name: "b c", Quoted: true}, Type: i("string")}}}, `struct<a:array(int),"b c":string>`},
		{nil, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
}

func TestQuoting(t *testing.T) {
	if QuoteString("it's") != "'it''s'" {
		t.Error("QuoteString")
	}
	if got := QuoteHiveString("a\\b'\n\t\r\x01\x7f"); got != `'a\\b''\n\t\r\001\177'` {
		t.Errorf("QuoteHiveString: %s", got)
	}
}

func TestFormatNeverPanics(t *testing.T) {
	// Hand-built trees with missing parts format to something rather than
	// crash.
	for _, n := range []Node{
		&Query{}, &Select{}, &FuncCall{Name: &QualifiedName{}}, &Cast{}, &Join{}, &CreateTable{},
		&Explain{}, &When{}, &BinaryExpr{Op: "+"}, &WindowSpec{}, nil,
	} {
		_ = Format(n)
	}
}
