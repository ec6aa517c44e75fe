package exec_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/types"
)

// TestInConstTyped: IN over varchar, bigint, integer and date columns
// (looked up in a set of the values' own Go type) gives the answer the
// boxed lookup gives, row by row, with NULL rows, a NULL in the list and
// NOT IN; a set of values of another type never matches.
func TestInConstTyped(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	cases := []struct {
		typ  types.Type
		gen  func(i int) any
		list []any
	}{
		{types.VarcharType, func(i int) any { return []string{"MAIL", "SHIP", "AIR", "RAIL"}[i%4] }, []any{"MAIL", "SHIP"}},
		{types.BigIntType, func(i int) any { return int64(i % 7) }, []any{int64(2), int64(5)}},
		{types.IntegerType, func(i int) any { return int64(i % 7) }, []any{int64(2), int64(5)}},
		{types.DateType, func(i int) any { return int64(19000 + i%7) }, []any{int64(19002), int64(19005)}},
		{types.BigIntType, func(i int) any { return int64(i % 7) }, []any{"2"}}, // no value of the column's type
	}
	for ci, c := range cases {
		data := make([][]any, 300)
		for i := range data {
			var v any = c.gen(i)
			if i%13 == 0 {
				v = nil
			}
			data[i] = []any{v}
		}
		b := rows(t, ctx.Alloc, []types.Column{{Name: "x", Type: c.typ}}, data)
		for _, hasNull := range []bool{false, true} {
			for _, not := range []bool{false, true} {
				set := map[any]bool{}
				for _, v := range c.list {
					set[v] = true
				}
				e := &exec.InConst{Arg: col(0, c.typ), Set: set, HasNull: hasNull, Not: not}
				got, err := e.Eval(ctx, b)
				if err != nil {
					t.Fatal(err)
				}
				want := array.NewBooleanBuilder(ctx.Alloc)
				for i := range data {
					v := data[i][0]
					switch {
					case v == nil:
						want.AppendNull()
					case set[v]:
						want.Append(!not)
					case hasNull:
						want.AppendNull()
					default:
						want.Append(not)
					}
				}
				w := want.NewArray()
				if !array.Equal(got, w) {
					t.Errorf("case %d null=%v not=%v: %v\nwant %v", ci, hasNull, not, got, w)
				}
				got.Release()
				w.Release()
				want.Release()
			}
		}
		b.Release()
	}
}
