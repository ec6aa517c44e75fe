package plan

import (
	"testing"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// TestResultMemoKey: which expressions may have their results kept across
// queries, and keys that tell apart what computes differently and agree on
// what computes the same over other columns.
func TestResultMemoKey(t *testing.T) {
	call := func(name string, args ...Expr) *Call {
		t.Helper()
		f, ok := function.Builtins().Scalar(name)
		if !ok {
			t.Fatalf("no function %s", name)
		}
		var ts []types.Type
		for _, a := range args {
			ts = append(ts, a.Type())
		}
		b, err := f.Bind(ts)
		if err != nil {
			t.Fatal(err)
		}
		return &Call{Name: name, Binding: b, Args: args}
	}
	s := &ColumnRef{ID: 1, T: types.VarcharType, Name: "s"}
	s2 := &ColumnRef{ID: 7, T: types.VarcharType, Name: "other"}
	n := &ColumnRef{ID: 2, T: types.BigIntType, Name: "n"}
	lenient := &Cast{Arg: s, T: types.DoubleType, Lenient: true}
	strict := &Cast{Arg: s, T: types.DoubleType}
	try := &Cast{Arg: s, T: types.DoubleType, Try: true}
	cols := func(k int) []Expr {
		var es []Expr
		for i := range k {
			es = append(es, &ColumnRef{ID: ColumnID(10 + i), T: types.VarcharType})
		}
		return es
	}

	for _, tc := range []struct {
		name string
		e    Expr
		ok   bool
		ids  []ColumnID
	}{
		{"cast", lenient, true, []ColumnID{1}},
		{"two columns, first seen first", call("$add", n, &Cast{Arg: s, T: types.BigIntType}), true, []ColumnID{2, 1}},
		{"bare column", s, false, nil},
		{"constant", &Const{Value: int64(1), T: types.BigIntType}, false, nil},
		{"clock", call("$lt", &Cast{Arg: s, T: types.TimestampTZType}, call("now")), false, nil},
		{"volatile", call("$add", &Cast{Arg: n, T: types.DoubleType}, call("random")), false, nil},
		{"four columns", call("concat", cols(4)...), true, []ColumnID{10, 11, 12, 13}},
		{"five columns", call("concat", cols(5)...), false, nil},
	} {
		key, ids, ok := resultMemoKey(tc.e)
		if ok != tc.ok || len(ids) != len(tc.ids) {
			t.Errorf("%s: ok %v ids %v, want %v %v", tc.name, ok, ids, tc.ok, tc.ids)
			continue
		}
		for i := range ids {
			if ids[i] != tc.ids[i] {
				t.Errorf("%s: ids %v, want %v", tc.name, ids, tc.ids)
			}
		}
		if ok && key == "" {
			t.Errorf("%s: empty key", tc.name)
		}
	}

	key := func(e Expr) string {
		t.Helper()
		k, _, ok := resultMemoKey(e)
		if !ok {
			t.Fatalf("%v not kept", e)
		}
		return k
	}
	distinct := map[string]Expr{
		"lenient": lenient, "strict": strict, "try": try,
		"to bigint":      &Cast{Arg: s, T: types.BigIntType, Lenient: true},
		"eq varchar":     call("$eq", s, &Const{Value: "1", T: types.VarcharType}),
		"eq other const": call("$eq", s, &Const{Value: "2", T: types.VarcharType}),
		"upper":          call("upper", s),
		"lower":          call("lower", s),
		"is null":        &IsNull{Arg: lenient},
		"is not null":    &IsNull{Arg: lenient, Not: true},
		"case": &Case{Whens: []Expr{call("$eq", s, &Const{Value: "1", T: types.VarcharType})},
			Thens: []Expr{&Const{Value: "a", T: types.VarcharType}}, T: types.VarcharType},
		"case else": &Case{Whens: []Expr{call("$eq", s, &Const{Value: "1", T: types.VarcharType})},
			Thens: []Expr{&Const{Value: "a", T: types.VarcharType}}, Else: &Const{Value: "b", T: types.VarcharType}, T: types.VarcharType},
		"in":     &InList{Arg: s, List: []*Const{{Value: "1", T: types.VarcharType}}},
		"not in": &InList{Arg: s, List: []*Const{{Value: "1", T: types.VarcharType}}, Not: true},
	}
	seen := map[string]string{}
	for name, e := range distinct {
		k := key(e)
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share the key %q", name, other, k)
		}
		seen[k] = name
	}
	// The same computation over another column of the same type: one key.
	if a, b := key(call("upper", s)), key(call("upper", s2)); a != b {
		t.Errorf("upper over two varchar columns: keys %q and %q differ", a, b)
	}
}
