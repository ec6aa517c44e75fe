package exec_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/types"
)

// TestChoose checks Choose's fast paths (fixed-width, strings, one branch
// for every row, sliced and NULL branches) against the value each row
// should take.
func TestChoose(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	mem := ctx.Alloc
	build := func(typ types.Type, vals []any) arrow.Array {
		b := array.NewBuilder(mem, typ.Arrow())
		defer b.Release()
		for _, v := range vals {
			if v == nil {
				b.AppendNull()
				continue
			}
			switch bb := b.(type) {
			case *array.Int64Builder:
				bb.Append(v.(int64))
			case *array.Float64Builder:
				bb.Append(v.(float64))
			case *array.StringBuilder:
				bb.Append(v.(string))
			case *array.BooleanBuilder:
				bb.Append(v.(bool))
			case *array.Int32Builder:
				bb.Append(v.(int32))
			}
		}
		return b.NewArray()
	}
	cases := []struct {
		name     string
		typ      types.Type
		branches [][]any // nil slice: a NULL branch (nil array)
		slice    int     // >0: branches are slices starting at this row of a longer array
		choice   []int32
	}{
		{"bigint", types.BigIntType, [][]any{{int64(1), int64(2), int64(3), int64(4)}, {int64(10), nil, int64(30), int64(40)}}, 0, []int32{0, 1, 1, 0}},
		{"double with null branch", types.DoubleType, [][]any{{1.5, 2.5, 3.5}, nil}, 0, []int32{1, 0, 1}},
		{"varchar", types.VarcharType, [][]any{{"a", "bb", "ccc", ""}, {"x", "yy", nil, "zzzz"}}, 0, []int32{1, 0, 1, 1}},
		{"varchar all one branch", types.VarcharType, [][]any{{"a", "bb"}, {"x", "yy"}}, 0, []int32{1, 1}},
		{"varchar all null branch", types.VarcharType, [][]any{{"a", "bb"}, nil}, 0, []int32{1, 1}},
		{"sliced varchar", types.VarcharType, [][]any{{"p", "q", "a", "bb", "ccc"}, {"r", "s", "x", "yy", "zzz"}}, 2, []int32{0, 1, 0}},
		{"sliced bigint", types.BigIntType, [][]any{{int64(9), int64(1), int64(2)}, {int64(8), nil, int64(20)}}, 1, []int32{1, 0}},
		{"boolean (general path)", types.BooleanType, [][]any{{true, false}, {nil, true}}, 0, []int32{1, 0}},
		{"integer", types.IntegerType, [][]any{{int32(1), int32(2)}, {int32(5), int32(6)}}, 0, []int32{1, 0}},
		{"empty", types.BigIntType, [][]any{{}, {}}, 0, []int32{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			branches := make([]arrow.Array, len(c.branches))
			for k, vals := range c.branches {
				if vals == nil {
					continue
				}
				a := build(c.typ, vals)
				if c.slice > 0 {
					s := array.NewSlice(a, int64(c.slice), int64(len(vals)))
					a.Release()
					a = s
				}
				branches[k] = a
			}
			defer func() {
				for _, b := range branches {
					if b != nil {
						b.Release()
					}
				}
			}()
			out, err := exec.Choose(ctx, c.typ, branches, c.choice)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			if out.Len() != len(c.choice) {
				t.Fatalf("len %d, want %d", out.Len(), len(c.choice))
			}
			for i, k := range c.choice {
				var want any
				if vals := c.branches[k]; vals != nil {
					want = vals[c.slice+i]
				}
				got := any(nil)
				if !out.IsNull(i) {
					got = out.GetOneForMarshal(i)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("row %d: got %v, want %v", i, got, want)
				}
			}
		})
	}
}

// TestConstBatches checks that a constant broadcast over batches of
// varying sizes (shared, sliced, rebuilt when larger) has one value per
// row, for strings (built directly into buffers), the empty string and
// NULL.
func TestConstBatches(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	for _, v := range []any{"RI Line Item", "", nil, int64(7)} {
		typ := types.VarcharType
		if _, ok := v.(int64); ok {
			typ = types.BigIntType
		}
		c := &exec.Const{Value: v, T: typ}
		for _, n := range []int{3, 10000, 5, 8192, 0} {
			col := array.MakeArrayOfNull(ctx.Alloc, arrow.PrimitiveTypes.Int64, n)
			b := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil), []arrow.Array{col}, int64(n))
			col.Release()
			a, err := c.Eval(ctx, b)
			b.Release()
			if err != nil {
				t.Fatal(err)
			}
			if a.Len() != n {
				t.Fatalf("%v over %d rows: %d values", v, n, a.Len())
			}
			for i := 0; i < n; i++ {
				var got any
				if !a.IsNull(i) {
					got = a.GetOneForMarshal(i)
				}
				if fmt.Sprint(got) != fmt.Sprint(v) {
					t.Fatalf("%v over %d rows: row %d is %v", v, n, i, got)
				}
			}
			a.Release()
		}
	}
}
