package function

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestLogicalBitsEqualsRows: AND and OR a word at a time give the
// row-by-row answer (Kleene logic) on random operands with and without
// NULLs, two to four of them, sliced at odd offsets and lengths.
func TestLogicalBitsEqualsRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := &Context{Alloc: mem}
	rng := rand.New(rand.NewPCG(5, 6))
	gen := func(n int, nullRate float64) arrow.Array {
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		for range n {
			if rng.Float64() < nullRate {
				b.AppendNull()
			} else {
				b.Append(rng.IntN(3) > 0)
			}
		}
		return b.NewArray()
	}
	for trial := range 300 {
		n := 1 + rng.IntN(200)
		k := 2 + rng.IntN(3)
		var args []arrow.Array
		for range k {
			rate := []float64{0, 0, 0.2, 0.9, 1}[rng.IntN(5)]
			full := gen(n+17, rate)
			off := rng.IntN(17)
			args = append(args, array.NewSlice(full, int64(off), int64(off+n)))
			full.Release()
		}
		for _, and := range []bool{true, false} {
			want := logicalRows(ctx, args, n, and)
			got, ok := logicalBits(ctx, args, n, and)
			if !ok {
				t.Fatalf("trial %d: boolean operands not taken", trial)
			}
			if !array.Equal(got, want) {
				t.Fatalf("trial %d and=%v: %v, want %v\nargs %v", trial, and, got, want, fmt.Sprint(args))
			}
			got.Release()
			want.Release()
		}
		for _, a := range args {
			a.Release()
		}
	}
	// The NULL type falls back to rows.
	null := array.NewNull(3)
	b := gen(3, 0)
	if _, ok := logicalBits(ctx, []arrow.Array{null, b}, 3, true); ok {
		t.Error("NULL-typed operand taken")
	}
	b.Release()
}
