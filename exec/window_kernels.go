package exec

// Sliding-window kernels for count, sum, avg, min and max over frames.
// Within a partition both frame ends only move forward, so each kernel
// keeps the aggregate of the current window and adds the rows entering it
// and removes the rows leaving it, instead of recomputing every frame:
//
//   - count: prefix counts, O(1) per row;
//   - sum and avg of integers and decimals: an exact sum (a 64- or 128-bit
//     word plus a count of wraps), so removal is exact and overflow is
//     judged on the frame's true sum;
//   - sum and avg of real and double: a queue of two stacks that only ever
//     adds (see windowFloatSum), so NaN, infinities and absorbed small
//     values never linger after leaving the frame, as they would with a
//     subtracting window;
//   - min and max: a monotonic deque of candidate positions, O(1) amortised.
//
// Results follow the registry's aggregates: sum of integers is a checked
// bigint, avg of integers a double, decimals sum to decimal(38,s) and
// average half up in the input type.

import (
	"fmt"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// slideFrames walks the frames of partition [s, e) in order and keeps the
// window [wl, wr) equal to the current frame with add and remove calls,
// then calls emit. When the frame jumps past the window, or an end moves
// backwards (which the frame rules never produce, but the kernels stay
// correct if one does), the window restarts empty.
func slideFrames(fs *windowFrames, s, e int, reset func(), add, remove func(p int), emit func(i int)) {
	wl, wr := s, s
	reset()
	for i := s; i < e; i++ {
		lo, hi := int(fs.lo[i]), int(fs.hi[i])+1
		if lo >= wr || lo < wl || hi < wr {
			reset()
			wl, wr = lo, lo
		}
		for ; wr < hi; wr++ {
			add(wr)
		}
		for ; wl < lo; wl++ {
			remove(wl)
		}
		emit(i)
	}
}

// slidingAggregate runs the kernel for f, if there is one (ok false
// otherwise).
func slidingAggregate(ctx *Context, f *WindowFunc, args []arrow.Array, l *windowLayout, fs *windowFrames) (out arrow.Array, ok bool, err error) {
	switch f.Name {
	case "count":
		if len(args) > 1 {
			return nil, false, nil
		}
		return windowCount(ctx, args, l, fs), true, nil
	case "sum", "avg":
		if len(args) != 1 {
			return nil, false, nil
		}
		avg := f.Name == "avg"
		switch a := args[0].(type) {
		case *array.Int64:
			return windowIntSum(ctx, f, a.Int64Values(), validityOf(a), l, fs, avg)
		case *array.Int32:
			return windowIntSum(ctx, f, a.Int32Values(), validityOf(a), l, fs, avg)
		case *array.Int16:
			return windowIntSum(ctx, f, a.Int16Values(), validityOf(a), l, fs, avg)
		case *array.Int8:
			return windowIntSum(ctx, f, a.Int8Values(), validityOf(a), l, fs, avg)
		case *array.Decimal64:
			return windowIntSum(ctx, f, a.Values(), validityOf(a), l, fs, avg)
		case *array.Decimal128:
			return windowDecimalSum(ctx, f, a, l, fs, avg)
		case *array.Float64:
			return windowFloatSum(ctx, f, a.Float64Values(), validityOf(a), l, fs, avg)
		case *array.Float32:
			return windowFloatSum(ctx, f, a.Float32Values(), validityOf(a), l, fs, avg)
		}
	case "min", "max":
		if len(args) != 1 {
			return nil, false, nil
		}
		switch args[0].(type) {
		case *array.Boolean, *array.Int8, *array.Int16, *array.Int32, *array.Int64, *array.Float32, *array.Float64,
			*array.Decimal64, *array.Decimal128, *array.String, *array.Binary, *array.Date32, *array.Timestamp,
			*array.Time64, *array.Duration, *array.MonthInterval:
			return windowMinMax(ctx, args[0], f.Name == "max", l, fs), true, nil
		}
	}
	return nil, false, nil
}

// reserveFor accounts n bytes of Go-heap kernel state; call the result to
// return them.
func reserveFor(ctx *Context, n int64) func() {
	ctx.Alloc.Reserve(n)
	return func() { ctx.Alloc.Reserve(-n) }
}

// windowCount is count(*) (no args) or count(x): prefix counts.
func windowCount(ctx *Context, args []arrow.Array, l *windowLayout, fs *windowFrames) arrow.Array {
	n := len(l.perm)
	defer reserveFor(ctx, int64(n)*12)()
	vals := make([]int64, n)
	var prefix []int32 // non-NULL values before each sorted position
	if len(args) == 1 {
		v := validityOf(args[0])
		prefix = make([]int32, n+1)
		for i, row := range l.perm {
			prefix[i+1] = prefix[i]
			if v.ok(int(row)) {
				prefix[i+1]++
			}
		}
	}
	for i, row := range l.perm {
		if fs.empty(i) {
			continue
		}
		if prefix == nil {
			vals[row] = int64(fs.hi[i] - fs.lo[i] + 1)
		} else {
			vals[row] = int64(prefix[fs.hi[i]+1] - prefix[fs.lo[i]])
		}
	}
	b := array.NewInt64Builder(ctx.Alloc)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

type windowSignedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// wideSub subtracts x from the wrapping sum s, as function.WideAdd64 adds.
func wideSub(s, ovf *int64, x int64) {
	r := *s - x
	if (*s^x)&(*s^r) < 0 {
		if x < 0 {
			*ovf++
		} else {
			*ovf--
		}
	}
	*s = r
}

// windowIntSum is sum or avg over integers or short decimals (their
// unscaled values).
func windowIntSum[T windowSignedInt](ctx *Context, f *WindowFunc, vals []T, v validity, l *windowLayout, fs *windowFrames, avg bool) (arrow.Array, bool, error) {
	n := len(l.perm)
	defer reserveFor(ctx, int64(n)*24)()
	sums, ovfs, cnts := make([]int64, n), make([]int64, n), make([]int64, n)
	perm := l.perm
	var s, ovf, cnt int64
	for p := 0; p+1 < len(l.partStart); p++ {
		slideFrames(fs, l.partStart[p], l.partStart[p+1],
			func() { s, ovf, cnt = 0, 0, 0 },
			func(q int) {
				if row := int(perm[q]); v.ok(row) {
					function.WideAdd64(&s, &ovf, int64(vals[row]))
					cnt++
				}
			},
			func(q int) {
				if row := int(perm[q]); v.ok(row) {
					wideSub(&s, &ovf, int64(vals[row]))
					cnt--
				}
			},
			func(i int) {
				row := perm[i]
				sums[row], ovfs[row], cnts[row] = s, ovf, cnt
			})
	}
	valid := make([]bool, n)
	for i, c := range cnts {
		valid[i] = c > 0
	}
	switch {
	case f.T.Kind == types.BigInt: // sum of integers
		for i, o := range ovfs {
			if valid[i] && o != 0 {
				return nil, true, fmt.Errorf("bigint addition overflow: %s", function.Wide64Big(sums[i], o))
			}
		}
		b := array.NewInt64Builder(ctx.Alloc)
		defer b.Release()
		b.AppendValues(sums, valid)
		return b.NewArray(), true, nil
	case f.T.Kind == types.Double && avg: // avg of integers
		out := make([]float64, n)
		for i := range out {
			if !valid[i] {
				continue
			}
			if ovfs[i] == 0 {
				out[i] = float64(sums[i]) / float64(cnts[i])
			} else {
				x, _ := new(big.Float).SetInt(function.Wide64Big(sums[i], ovfs[i])).Float64()
				out[i] = x / float64(cnts[i])
			}
		}
		b := array.NewFloat64Builder(ctx.Alloc)
		defer b.Release()
		b.AppendValues(out, valid)
		return b.NewArray(), true, nil
	case f.T.Kind == types.Decimal && !avg: // sum of short decimals: decimal(38,s)
		out := make([]decimal128.Num, n)
		for i := range out {
			if valid[i] {
				out[i] = decimal128.New(ovfs[i]+(sums[i]>>63), uint64(sums[i]))
			}
		}
		return buildDecimals(ctx, f.T, out, valid), true, nil
	case f.T.Kind == types.Decimal: // avg of short decimals, in their type
		out := make([]decimal128.Num, n)
		for i := range out {
			if !valid[i] {
				continue
			}
			if ovfs[i] == 0 {
				out[i] = decimal128.FromI64(function.AvgHalfUp(sums[i], cnts[i]))
			} else {
				out[i] = decimal128.FromBigInt(function.DivHalfUp(function.Wide64Big(sums[i], ovfs[i]), cnts[i]))
			}
		}
		return buildDecimals(ctx, f.T, out, valid), true, nil
	}
	return nil, false, nil
}

// buildDecimals builds a decimal array of type t (short or long) from
// 128-bit unscaled values, checking they fit its precision.
func buildDecimals(ctx *Context, t types.Type, vals []decimal128.Num, valid []bool) arrow.Array {
	if t.IsShortDecimal() {
		b := array.NewDecimal64Builder(ctx.Alloc, t.Arrow().(*arrow.Decimal64Type))
		defer b.Release()
		for i, x := range vals {
			if valid[i] {
				b.Append(decimal.Decimal64(x.LowBits()))
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray()
	}
	b := array.NewDecimal128Builder(ctx.Alloc, t.Arrow().(*arrow.Decimal128Type))
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// windowDecimalSum is sum or avg over long decimals.
func windowDecimalSum(ctx *Context, f *WindowFunc, a *array.Decimal128, l *windowLayout, fs *windowFrames, avg bool) (arrow.Array, bool, error) {
	n := len(l.perm)
	defer reserveFor(ctx, int64(n)*32)()
	vals, v := a.Values(), validityOf(a)
	sums, ovfs, cnts := make([]decimal128.Num, n), make([]int64, n), make([]int64, n)
	perm := l.perm
	var s decimal128.Num
	var ovf, cnt int64
	for p := 0; p+1 < len(l.partStart); p++ {
		slideFrames(fs, l.partStart[p], l.partStart[p+1],
			func() { s, ovf, cnt = decimal128.Num{}, 0, 0 },
			func(q int) {
				if row := int(perm[q]); v.ok(row) {
					function.WideAdd128(&s, &ovf, vals[row])
					cnt++
				}
			},
			func(q int) {
				if row := int(perm[q]); v.ok(row) {
					function.WideAdd128(&s, &ovf, vals[row].Negate())
					cnt--
				}
			},
			func(i int) {
				row := perm[i]
				sums[row], ovfs[row], cnts[row] = s, ovf, cnt
			})
	}
	name, in := "sum", f.T
	if avg {
		name = "avg"
	} else {
		dt := a.DataType().(*arrow.Decimal128Type)
		in = types.DecimalOf(int(dt.Precision), int(dt.Scale))
	}
	valid := make([]bool, n)
	out := make([]decimal128.Num, n)
	for i, c := range cnts {
		if valid[i] = c > 0; !valid[i] {
			continue
		}
		if ovfs[i] == 0 && !avg {
			out[i] = sums[i]
		} else {
			exact := function.Wide128Big(sums[i], ovfs[i])
			if avg {
				exact = function.DivHalfUp(exact, c)
			}
			if exact.BitLen() > 127 {
				return nil, true, fmt.Errorf("Decimal overflow in %s(%s)", name, in)
			}
			out[i] = decimal128.FromBigInt(exact)
		}
		if !out[i].FitsInPrecision(int32(f.T.Precision)) {
			return nil, true, fmt.Errorf("Decimal overflow in %s(%s)", name, in)
		}
	}
	return buildDecimals(ctx, f.T, out, valid), true, nil
}

// windowFloatSum is sum or avg over real or double. Floating-point sums
// are not invertible (removing a value that absorbed smaller ones, or an
// infinity, does not restore the sum), so the window never subtracts: it
// is a queue of two stacks. The back holds the rows added since the last
// transfer as one running sum; the front holds suffix sums, computed from
// right to left when a removal finds it empty. A frame's sum is the front's
// suffix sum plus the back's running sum, each row is summed O(1) times
// amortised, and frames that only grow (UNBOUNDED PRECEDING) add in order,
// exactly as a fresh accumulation would.
func windowFloatSum[T float32 | float64](ctx *Context, f *WindowFunc, vals []T, v validity, l *windowLayout, fs *windowFrames, avg bool) (arrow.Array, bool, error) {
	n := len(l.perm)
	defer reserveFor(ctx, int64(n)*17)()
	out, valid := make([]float64, n), make([]bool, n)
	suffix := make([]float64, n) // front stack: sum of rows [p, mid)
	perm := l.perm
	x := func(p int) (float64, bool) {
		row := int(perm[p])
		return float64(vals[row]), v.ok(row)
	}
	var back float64
	var cnt int64
	front, mid, end := 0, 0, -1 // front [front, mid), back [mid, end); end < 0: empty
	for p := 0; p+1 < len(l.partStart); p++ {
		slideFrames(fs, l.partStart[p], l.partStart[p+1],
			func() { back, cnt, end = 0, 0, -1 },
			func(q int) {
				if end < 0 {
					front, mid = q, q
				}
				end = q + 1
				if val, ok := x(q); ok {
					back += val
					cnt++
				}
			},
			func(q int) {
				if front == mid { // move the back to the front
					var s float64
					for r := end - 1; r >= mid; r-- {
						if val, ok := x(r); ok {
							s += val
						}
						suffix[r] = s
					}
					mid, back = end, 0
				}
				if _, ok := x(q); ok {
					cnt--
				}
				front++
			},
			func(i int) {
				if cnt == 0 {
					return
				}
				sum := back
				if front < mid {
					sum = suffix[front] + back
				}
				if avg {
					sum /= float64(cnt)
				}
				row := perm[i]
				out[row], valid[row] = sum, true
			})
	}
	if f.T.Kind == types.Real {
		o32 := make([]float32, n)
		for i, x := range out {
			o32[i] = float32(x)
		}
		b := array.NewFloat32Builder(ctx.Alloc)
		defer b.Release()
		b.AppendValues(o32, valid)
		return b.NewArray(), true, nil
	}
	b := array.NewFloat64Builder(ctx.Alloc)
	defer b.Release()
	b.AppendValues(out, valid)
	return b.NewArray(), true, nil
}

// windowMinMax keeps a deque of sorted positions whose values decrease
// (max) or increase (min) from front to back: the front is the frame's
// extremum; a row entering the window drops the candidates it beats.
func windowMinMax(ctx *Context, arg arrow.Array, isMax bool, l *windowLayout, fs *windowFrames) arrow.Array {
	n := len(l.perm)
	defer reserveFor(ctx, int64(n)*8)()
	c := valueComparator(arg)
	v := validityOf(arg)
	perm := l.perm
	src := make([]int32, n)
	dq := make([]int32, 0, 64)
	head := 0
	for p := 0; p+1 < len(l.partStart); p++ {
		slideFrames(fs, l.partStart[p], l.partStart[p+1],
			func() { dq, head = dq[:0], 0 },
			func(q int) {
				row := int(perm[q])
				if !v.ok(row) {
					return
				}
				for len(dq) > head {
					r := c(int(perm[dq[len(dq)-1]]), row)
					if (isMax && r > 0) || (!isMax && r < 0) {
						break
					}
					dq = dq[:len(dq)-1]
				}
				if head > 1024 && head > len(dq)/2 {
					dq = dq[:copy(dq, dq[head:])]
					head = 0
				}
				dq = append(dq, int32(q))
			},
			func(q int) {
				if head < len(dq) && int(dq[head]) == q {
					head++
				}
			},
			func(i int) {
				if head < len(dq) {
					src[perm[i]] = perm[dq[head]]
				} else {
					src[perm[i]] = -1
				}
			})
	}
	return Take(ctx.Alloc, arg, src)
}
