package exec_test

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/types"
)

// TestConstRoundTrip checks that ScalarAt reads back what ConstArray wrote,
// for the nested types plan-time folding produces.
func TestConstRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		typ string
		v   any
	}{
		{"map(varchar, integer)", exec.MapValue{Keys: []any{"a", "b"}, Values: []any{int64(1), nil}}},
		{"map(varchar, integer)", exec.MapValue{Keys: []any{}, Values: []any{}}},
		{"map(integer, array(varchar))", exec.MapValue{Keys: []any{int64(1)}, Values: []any{[]any{"x", nil}}}},
		{"row(x integer, y varchar)", []any{int64(1), "a"}},
		{"row(integer, varchar)", []any{nil, nil}},
		{"row(m map(varchar, row(bigint)), a array(double))", []any{exec.MapValue{Keys: []any{"k"}, Values: []any{[]any{int64(7)}}}, []any{1.5}}},
		{"array(row(integer, boolean))", []any{[]any{int64(1), true}, nil}},
		{"map(varchar, integer)", nil},
	} {
		typ, err := types.Parse(tc.typ)
		if err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		a, err := exec.ConstArray(mem, typ, tc.v, 3)
		if err != nil {
			t.Fatalf("%s %v: %v", tc.typ, tc.v, err)
		}
		for i := 0; i < 3; i++ {
			if got := exec.ScalarAt(a, i); !reflect.DeepEqual(got, tc.v) {
				t.Errorf("%s: row %d = %#v, want %#v", tc.typ, i, got, tc.v)
			}
		}
		a.Release()
		mem.AssertSize(t, 0)
	}
	if _, err := exec.ConstArray(memory.NewGoAllocator(), types.RowOf(types.Field{Type: types.IntegerType}), []any{int64(1), int64(2)}, 1); err == nil {
		t.Error("a row constant with too many fields was accepted")
	}
}
