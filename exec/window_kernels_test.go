package exec

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// kernelInput builds a one-column array of type t from Go values (nil is
// NULL; decimals are unscaled int64 or *big.Int).
func kernelInput(t *testing.T, mem memory.Allocator, typ types.Type, vals []any) arrow.Array {
	t.Helper()
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
		case *array.Decimal128Builder:
			switch x := v.(type) {
			case int64:
				bb.Append(decimal128.FromI64(x))
			case *big.Int:
				bb.Append(decimal128.FromBigInt(x))
			}
		case *array.Decimal64Builder:
			a, err := ConstArray(mem, typ, v, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := AppendValue(bb, a, 0); err != nil {
				t.Fatal(err)
			}
			a.Release()
		default:
			t.Fatalf("kernelInput: %T", b)
		}
	}
	return b.NewArray()
}

func renderKernel(a arrow.Array) string {
	parts := make([]string, a.Len())
	for i := range parts {
		switch v := ScalarAt(a, i).(type) {
		case nil:
			parts[i] = "NULL"
		case decimal128.Num:
			parts[i] = v.BigInt().String()
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ",")
}

// TestWindowKernels runs the sliding kernels over hand-made frames
// (inclusive [lo, hi] per row; lo > hi is empty) and checks every buffer is
// released.
func TestWindowKernels(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	big38 := new(big.Int).Mul(big.NewInt(9), new(big.Int).Exp(big.NewInt(10), big.NewInt(37), nil)) // 9e37
	cases := []struct {
		name      string
		fn        string
		in, out   types.Type
		vals      []any
		parts     []int // partition starts, then n
		lo, hi    []int32
		want, err string
	}{
		{name: "sum 1 preceding", fn: "sum", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(1), int64(2), int64(3), int64(4)},
			lo: []int32{0, 0, 1, 2}, hi: []int32{0, 1, 2, 3}, want: "1,3,5,7"},
		{name: "sum with NULLs and empty frames", fn: "sum", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(1), nil, int64(3), nil},
			lo: []int32{1, 1, 3, 4}, hi: []int32{0, 1, 3, 3}, want: "NULL,NULL,NULL,NULL"},
		{name: "count with NULLs and empty frames", fn: "count", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(1), nil, int64(3), nil},
			lo: []int32{0, 1, 2, 4}, hi: []int32{2, 1, 3, 3}, want: "2,0,1,0"},
		{name: "frames restart within partitions", fn: "sum", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(1), int64(10), int64(100), int64(1000)},
			parts: []int{0, 2, 4}, lo: []int32{0, 0, 3, 3}, hi: []int32{1, 1, 3, 3}, want: "11,11,1000,1000"},
		{name: "frames that move backwards", fn: "sum", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(1), int64(10), int64(100), int64(1000)},
			lo: []int32{2, 0, 1, 0}, hi: []int32{3, 1, 3, 0}, want: "1100,11,1110,1"},
		{name: "sum overflows bigint", fn: "sum", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(math.MaxInt64), int64(1), int64(-5)},
			lo: []int32{0, 0, 1}, hi: []int32{0, 1, 2}, err: "bigint addition overflow"},
		{name: "sum back in range after a wrap", fn: "sum", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(math.MaxInt64), int64(math.MaxInt64), int64(-math.MaxInt64), int64(0)},
			lo: []int32{0, 0, 0, 1}, hi: []int32{0, 0, 2, 3}, want: "9223372036854775807,9223372036854775807,9223372036854775807,0"},
		{name: "avg of bigint", fn: "avg", in: types.BigIntType, out: types.DoubleType, vals: []any{int64(1), int64(2), int64(4)},
			lo: []int32{0, 0, 1}, hi: []int32{0, 1, 2}, want: "1,1.5,3"},
		{name: "sum of double with NaN", fn: "sum", in: types.DoubleType, out: types.DoubleType, vals: []any{1.0, nan, 2.0, 3.0},
			lo: []int32{0, 0, 1, 2}, hi: []int32{0, 1, 2, 3}, want: "1,NaN,NaN,5"},
		{name: "sum of double with infinities", fn: "sum", in: types.DoubleType, out: types.DoubleType, vals: []any{inf, -inf, 1.0, 2.0},
			lo: []int32{0, 0, 1, 2}, hi: []int32{0, 1, 2, 3}, want: "+Inf,NaN,-Inf,3"},
		{name: "finite sum that overflowed", fn: "sum", in: types.DoubleType, out: types.DoubleType, vals: []any{1e308, 1e308, 1.0, 1.0},
			lo: []int32{0, 0, 1, 2}, hi: []int32{0, 1, 2, 3}, want: "1e+308,+Inf,1e+308,2"},
		{name: "absorbed values come back", fn: "sum", in: types.DoubleType, out: types.DoubleType, vals: []any{1e20, 1.0, 1.0, 1.0},
			lo: []int32{0, 0, 1, 1}, hi: []int32{0, 2, 2, 3}, want: "1e+20,1e+20,2,3"},
		{name: "avg of double", fn: "avg", in: types.DoubleType, out: types.DoubleType, vals: []any{1.0, nil, 2.0},
			lo: []int32{0, 0, 1}, hi: []int32{2, 1, 1}, want: "1.5,1,NULL"},
		{name: "max with NaN", fn: "max", in: types.DoubleType, out: types.DoubleType, vals: []any{1.0, nan, 0.5},
			lo: []int32{0, 1, 2}, hi: []int32{1, 2, 2}, want: "NaN,NaN,0.5"},
		{name: "min with NaN", fn: "min", in: types.DoubleType, out: types.DoubleType, vals: []any{1.0, nan, 0.5},
			lo: []int32{0, 1, 1}, hi: []int32{1, 1, 2}, want: "1,NaN,0.5"},
		{name: "max deque", fn: "max", in: types.BigIntType, out: types.BigIntType, vals: []any{int64(5), int64(1), int64(4), nil, int64(3), int64(6), int64(0)},
			lo: []int32{0, 0, 0, 1, 2, 3, 4}, hi: []int32{0, 1, 2, 3, 4, 5, 6}, want: "5,5,5,4,4,6,6"},
		{name: "min of varchar", fn: "min", in: types.VarcharType, out: types.VarcharType, vals: []any{"b", "a", nil, "c"},
			lo: []int32{0, 0, 1, 2}, hi: []int32{0, 1, 2, 3}, want: "b,a,a,c"},
		{name: "sum of short decimals", fn: "sum", in: types.DecimalOf(4, 1), out: types.DecimalOf(38, 1), vals: []any{int64(15), int64(-16), nil},
			lo: []int32{0, 0, 1}, hi: []int32{0, 1, 2}, want: "15,-1,-16"},
		{name: "avg of short decimals rounds half away from zero", fn: "avg", in: types.DecimalOf(4, 1), out: types.DecimalOf(4, 1), vals: []any{int64(-15), int64(-16), int64(15), int64(16)},
			lo: []int32{0, 0, 2, 2}, hi: []int32{0, 1, 2, 3}, want: "-15,-16,15,16"},
		{name: "sum of long decimals overflows", fn: "sum", in: types.DecimalOf(38, 0), out: types.DecimalOf(38, 0), vals: []any{big38, big38},
			lo: []int32{0, 0}, hi: []int32{0, 1}, err: "Decimal overflow in sum(decimal(38,0))"},
		{name: "sum of long decimals back in range", fn: "sum", in: types.DecimalOf(38, 0), out: types.DecimalOf(38, 0), vals: []any{big38, big38, new(big.Int).Neg(big38)},
			lo: []int32{0, 1, 1}, hi: []int32{0, 2, 2}, want: big38.String() + ",0,0"},
		{name: "avg of long decimals", fn: "avg", in: types.DecimalOf(20, 2), out: types.DecimalOf(20, 2), vals: []any{int64(1), int64(2), nil},
			lo: []int32{0, 0, 2}, hi: []int32{0, 1, 2}, want: "1,2,NULL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx := NewContextWithAllocator(context.Background(), &function.Context{}, 1, mem, 0)
			in := kernelInput(t, ctx.Alloc, c.in, c.vals)
			defer in.Release()
			n := len(c.vals)
			l := &windowLayout{perm: make([]int32, n), partStart: c.parts}
			for i := range l.perm {
				l.perm[i] = int32(i)
			}
			if l.partStart == nil {
				l.partStart = []int{0, n}
			}
			f := &WindowFunc{Name: c.fn, T: c.out}
			args := []arrow.Array{in}
			if c.fn == "count" && c.vals == nil {
				args = nil
			}
			out, ok, err := slidingAggregate(ctx, f, args, l, &windowFrames{lo: c.lo, hi: c.hi})
			if !ok {
				t.Fatal("no kernel")
			}
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			if got := renderKernel(out); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
			if ctx.Alloc.Current() != int64(mem.CurrentAlloc()) {
				t.Errorf("reserved memory not returned: accounted %d, allocated %d", ctx.Alloc.Current(), mem.CurrentAlloc())
			}
		})
	}
}

// TestWideSumIsExact adds and removes random int64s and checks the wide
// sum against big.Int.
func TestWideSumIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var s, ovf int64
	exact := new(big.Int)
	var live []int64
	for step := 0; step < 100000; step++ {
		if len(live) == 0 || r.IntN(3) > 0 {
			x := int64(r.Uint64())
			if r.IntN(4) == 0 {
				x = math.MinInt64 + int64(r.IntN(3))
			}
			live = append(live, x)
			function.WideAdd64(&s, &ovf, x)
			exact.Add(exact, big.NewInt(x))
		} else {
			x := live[0]
			live = live[1:]
			wideSub(&s, &ovf, x)
			exact.Sub(exact, big.NewInt(x))
		}
		if got := function.Wide64Big(s, ovf); got.Cmp(exact) != 0 {
			t.Fatalf("step %d: wide sum %s, exact %s", step, got, exact)
		}
	}
}

// TestSlideFramesWindow checks that slideFrames' add and remove calls keep
// the window equal to each frame, for monotone, jumping, empty and
// backwards-moving frames.
func TestSlideFramesWindow(t *testing.T) {
	cases := []struct {
		name   string
		lo, hi []int32
	}{
		{"sliding", []int32{0, 0, 1, 2, 3}, []int32{1, 2, 3, 4, 4}},
		{"jumps past the window", []int32{0, 3, 4, 4, 4}, []int32{0, 3, 4, 4, 4}},
		{"empty frames", []int32{1, 2, 5, 5, 5}, []int32{0, 1, 4, 4, 4}},
		{"growing prefix", []int32{0, 0, 0, 0, 0}, []int32{-1, 0, 2, 2, 4}},
		{"shrinking suffix", []int32{0, 1, 2, 5, 5}, []int32{4, 4, 4, 4, 4}},
		{"backwards", []int32{3, 0, 2, 1, 0}, []int32{4, 1, 3, 4, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := map[int]bool{}
			slideFrames(&windowFrames{lo: c.lo, hi: c.hi}, 0, len(c.lo),
				func() { clear(in) },
				func(p int) {
					if in[p] {
						t.Fatalf("row %d added twice", p)
					}
					in[p] = true
				},
				func(p int) {
					if !in[p] {
						t.Fatalf("row %d removed but not in the window", p)
					}
					delete(in, p)
				},
				func(i int) {
					want := 0
					for p := c.lo[i]; p <= c.hi[i]; p++ {
						want++
						if !in[int(p)] {
							t.Errorf("frame %d: row %d missing", i, p)
						}
					}
					if len(in) != want {
						t.Errorf("frame %d: window holds %d rows, frame %d", i, len(in), want)
					}
				})
		})
	}
}
