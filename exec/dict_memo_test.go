package exec_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/types"
)

// TestDictMemoEqualsDirect evaluates expressions over a varchar column
// directly and once per distinct value (exec.DictMemo), on columns of few
// and of many distinct values, with NULLs, runs and sliced batches, and
// requires identical arrays.
func TestDictMemoEqualsDirect(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	cols := []types.Column{{Name: "v", Type: types.BigIntType}, {Name: "s", Type: types.VarcharType}}
	values := map[string]func(i int) any{
		"few": func(i int) any {
			switch {
			case i%17 == 3:
				return nil
			case (i/5)%3 == 0: // runs
				return "DiscountedUsage"
			}
			return []string{"Fee", "RIFee", "Usage", "Tax"}[i%4]
		},
		"many":     func(i int) any { return fmt.Sprintf("value-%d", i*7919%100003) },
		"all-null": func(i int) any { return nil },
	}
	s := col(1, types.VarcharType)
	str := func(v string) exec.Expr { return &exec.Const{Value: v, T: types.VarcharType} }
	eq := scalar(t, "$eq", types.VarcharType, types.VarcharType)
	upper := scalar(t, "upper", types.VarcharType)
	length := scalar(t, "length", types.VarcharType)
	exprs := map[string]exec.Expr{
		"case": &exec.Case{T: types.VarcharType,
			Whens: []exec.Expr{
				&exec.Call{Name: "$eq", Kernel: eq.Kernel, T: types.BooleanType, Args: []exec.Expr{s, str("Fee")}},
				&exec.IsNull{Arg: s},
				&exec.Call{Name: "$eq", Kernel: eq.Kernel, T: types.BooleanType, Args: []exec.Expr{s, str("RIFee")}},
			},
			Thens: []exec.Expr{str("RI"), str("none"), str("RI")},
			Else:  str("other")},
		"upper":  &exec.Call{Name: "upper", Kernel: upper.Kernel, T: types.VarcharType, Args: []exec.Expr{s}},
		"length": &exec.Call{Name: "length", Kernel: length.Kernel, T: types.BigIntType, Args: []exec.Expr{s}},
	}
	for vname, gen := range values {
		data := make([][]any, 3000)
		for i := range data {
			data[i] = []any{int64(i), gen(i)}
		}
		full := rows(t, ctx.Alloc, cols, data)
		batches := map[string]arrow.Record{"full": full, "slice": full.NewSlice(7, 2900), "short": full.NewSlice(100, 130)}
		for bname, b := range batches {
			for ename, e := range exprs {
				t.Run(vname+"/"+bname+"/"+ename, func(t *testing.T) {
					want, err := e.Eval(ctx, b)
					if err != nil {
						t.Fatal(err)
					}
					defer want.Release()
					m := &exec.DictMemo{Inner: e, Col: 1}
					for round := range 2 { // the second finds the numbering cached
						got, err := m.Eval(ctx, b)
						if err != nil {
							t.Fatal(err)
						}
						if !array.Equal(got, want) {
							t.Errorf("round %d: memo gives %v, direct %v", round, got, want)
						}
						got.Release()
					}
				})
			}
		}
		for _, b := range batches {
			b.Release()
		}
	}
}

// TestCaseMask checks CASE WHEN c THEN x END, which masks x's validity
// and shares its buffers, against the rows it should give, on sliced
// batches of fixed-width and string values.
func TestCaseMask(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	cols := []types.Column{{Name: "v", Type: types.BigIntType}, {Name: "s", Type: types.VarcharType}, {Name: "d", Type: types.DoubleType}}
	data := make([][]any, 200)
	for i := range data {
		var v any = int64(i % 7)
		if i%11 == 0 {
			v = nil
		}
		var s any = fmt.Sprintf("s%d", i)
		if i%13 == 0 {
			s = nil
		}
		data[i] = []any{v, s, float64(i) / 4}
	}
	full := rows(t, ctx.Alloc, cols, data)
	defer full.Release()
	gt := scalar(t, "$gt", types.BigIntType, types.BigIntType)
	for _, lim := range []int64{-1, 3, 100} {
		cond := &exec.Call{Name: "$gt", Kernel: gt.Kernel, T: types.BooleanType,
			Args: []exec.Expr{col(0, types.BigIntType), &exec.Const{Value: lim, T: types.BigIntType}}}
		for _, lo := range []int64{0, 5, 63} {
			b := full.NewSlice(lo, 190)
			for ci, c := range cols[1:] {
				ci++
				e := &exec.Case{T: c.Type, Whens: []exec.Expr{cond}, Thens: []exec.Expr{col(ci, c.Type)}}
				got, err := e.Eval(ctx, b)
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < int(b.NumRows()); i++ {
					r := data[int(lo)+i]
					wantNull := r[0] == nil || r[0].(int64) <= lim || r[ci] == nil
					if got.IsNull(i) != wantNull {
						t.Fatalf("lim %d, slice %d, %s row %d: null %v, want %v", lim, lo, c.Name, i, got.IsNull(i), wantNull)
					}
					if !wantNull && exec.ScalarAt(got, i) != r[ci] {
						t.Fatalf("lim %d, slice %d, %s row %d: %v, want %v", lim, lo, c.Name, i, exec.ScalarAt(got, i), r[ci])
					}
				}
				got.Release()
			}
			b.Release()
		}
	}
}

// TestTakeSlicedStrings: Take and the sort's gather index a sliced string
// array's whole value buffer (its offsets are absolute), so rows of a
// slice that does not start at the first value come out right.
func TestTakeSlicedStrings(t *testing.T) {
	ctx, check := testCtx(t, 1, 0)
	defer check()
	cols := []types.Column{{Name: "s", Type: types.VarcharType}}
	data := [][]any{{"alpha"}, {"beta"}, {nil}, {"gamma"}, {"delta"}, {"epsilon"}}
	full := rows(t, ctx.Alloc, cols, data)
	defer full.Release()
	b := full.NewSlice(3, 6)
	defer b.Release()
	got := exec.Take(ctx.Alloc, b.Column(0), []int32{2, 0, -1, 1})
	defer got.Release()
	want := []any{"epsilon", "gamma", nil, "delta"}
	for i, w := range want {
		var v any
		if got.IsValid(i) {
			v = exec.ScalarAt(got, i)
		}
		if v != w {
			t.Errorf("row %d: %v, want %v", i, v, w)
		}
	}
}
