package function

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Operators are scalar functions under internal names ($add, $eq, …) so the
// binder resolves them like any call. Binding settles the operand types:
// mixed numeric operands are coerced to their common super type (the
// caller casts), except decimals, which keep their own precision and scale
// and are rescaled inside the kernel as Trino does.

func registerOperators(r *Registry) {
	for _, op := range []struct {
		name string
		op   types.ArithOp
	}{{"$add", types.OpAdd}, {"$subtract", types.OpSubtract}, {"$multiply", types.OpMultiply}, {"$divide", types.OpDivide}, {"$modulus", types.OpModulus}} {
		r.AddScalar(&Scalar{Name: op.name, Bind: bindArith(op.name, op.op)})
	}
	r.AddScalar(&Scalar{Name: "$negate", Bind: bindNegate})
	for _, c := range []struct {
		name string
		op   cmpOp
	}{{"$eq", cmpEq}, {"$ne", cmpNe}, {"$lt", cmpLt}, {"$le", cmpLe}, {"$gt", cmpGt}, {"$ge", cmpGe}} {
		r.AddScalar(&Scalar{Name: c.name, Bind: bindCompare(c.name, c.op)})
	}
	r.AddScalar(&Scalar{Name: "$is_distinct_from", Bind: bindDistinct})
	r.AddScalar(&Scalar{Name: "$and", Bind: bindLogical("$and", true)})
	r.AddScalar(&Scalar{Name: "$or", Bind: bindLogical("$or", false)})
	r.AddScalar(&Scalar{Name: "$not", Bind: bindNot})
	r.AddScalar(&Scalar{Name: "$like", Bind: bindLike})
	r.AddScalar(&Scalar{Name: "$concat", Bind: bindConcatOp})
}

var opSymbols = map[types.ArithOp]string{types.OpAdd: "+", types.OpSubtract: "-", types.OpMultiply: "*", types.OpDivide: "/", types.OpModulus: "%"}
var opWords = map[types.ArithOp]string{types.OpAdd: "addition", types.OpSubtract: "subtraction", types.OpMultiply: "multiplication", types.OpDivide: "division", types.OpModulus: "modulus"}

var errDivisionByZero = fmt.Errorf("Division by zero")

func bindArith(name string, op types.ArithOp) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) != 2 {
			return Binding{}, UnexpectedParams(name, args)
		}
		a, b := args[0], args[1]
		if a.Kind == types.Unknown && b.Kind == types.Unknown {
			a, b = types.IntegerType, types.IntegerType
		}
		if b2, ok := bindTemporalArith(name, op, a, b); ok {
			return b2, nil
		}
		if a.Kind == types.Unknown {
			a = b
		}
		if b.Kind == types.Unknown {
			b = a
		}
		if !a.IsNumeric() || !b.IsNumeric() {
			return Binding{}, fmt.Errorf("Cannot apply operator: %s %s %s", a, opSymbols[op], b)
		}
		common, _ := types.CommonSuperType(a, b)
		if common.Kind == types.Decimal {
			da, _ := types.AsDecimal(a)
			db, _ := types.AsDecimal(b)
			rt, ok := types.DecimalArithmeticType(op, da, db)
			if !ok {
				return Binding{}, fmt.Errorf("Cannot apply operator: %s %s %s", a, opSymbols[op], b)
			}
			return Binding{Args: []types.Type{da, db}, Result: rt, Kernel: decimalArithKernel(op, da, db, rt)}, nil
		}
		return Binding{Args: []types.Type{common, common}, Result: common, Kernel: numericArithKernel(op, common)}, nil
	}
}

// signedInt is the set of exact integer storage types.
type signedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

func numericArithKernel(op types.ArithOp, t types.Type) Kernel {
	switch t.Kind {
	case types.TinyInt:
		return intArith[int8](op, t)
	case types.SmallInt:
		return intArith[int16](op, t)
	case types.Integer:
		return intArith[int32](op, t)
	case types.BigInt:
		return intArith[int64](op, t)
	case types.Real:
		return floatArith[float32](op, t)
	}
	return floatArith[float64](op, t)
}

func intArith[T signedInt](op types.ArithOp, t types.Type) Kernel {
	dt := t.Arrow()
	tn := t.String()
	overflow := func(x, y T) error {
		return fmt.Errorf("%s %s overflow: %d %s %d", tn, opWords[op], x, opSymbols[op], y)
	}
	var f func(x, y T) (T, bool)
	errf := overflow
	switch op {
	case types.OpAdd:
		f = func(x, y T) (T, bool) { r := x + y; return r, (x^r)&(y^r) >= 0 }
	case types.OpSubtract:
		f = func(x, y T) (T, bool) { r := x - y; return r, (x^y)&(x^r) >= 0 }
	case types.OpMultiply:
		f = func(x, y T) (T, bool) {
			r := x * y
			if x != 0 && (r/x != y || x == -1 && y < 0 && r < 0) {
				return r, false
			}
			return r, true
		}
	case types.OpDivide:
		f = func(x, y T) (T, bool) {
			if y == 0 || y == -1 && x < 0 && -x < 0 {
				return 0, false
			}
			return x / y, true
		}
		errf = func(x, y T) error {
			if y == 0 {
				return errDivisionByZero
			}
			return overflow(x, y)
		}
	default:
		f = func(x, y T) (T, bool) {
			if y == 0 {
				return 0, false
			}
			if y == -1 {
				return 0, true
			}
			return x % y, true
		}
		errf = func(T, T) error { return errDivisionByZero }
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryFixedErr(ctx, dt, args[0], args[1], n, f, errf)
	}
}

func floatArith[T float32 | float64](op types.ArithOp, t types.Type) Kernel {
	dt := t.Arrow()
	var f func(x, y T) T
	switch op {
	case types.OpAdd:
		f = func(x, y T) T { return x + y }
	case types.OpSubtract:
		f = func(x, y T) T { return x - y }
	case types.OpMultiply:
		f = func(x, y T) T { return x * y }
	case types.OpDivide:
		f = func(x, y T) T { return x / y }
	default:
		f = func(x, y T) T { return T(math.Mod(float64(x), float64(y))) }
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryFixed(ctx, dt, args[0], args[1], n, f), nil
	}
}

// decimalArithKernel computes exact decimal arithmetic. When operands and
// result are all short decimals and the rescaled operands provably fit in
// 64 bits (true for + - * by the result type rules), the loop runs on
// int64; otherwise it runs on i128 with overflow checks.
func decimalArithKernel(op types.ArithOp, a, b, r types.Type) Kernel {
	s := r.Scale
	switch op {
	case types.OpAdd, types.OpSubtract:
		if a.IsShortDecimal() && b.IsShortDecimal() && r.IsShortDecimal() {
			ma, mb := pow10i64[s-a.Scale], pow10i64[s-b.Scale]
			var f func(x, y int64) int64
			switch {
			case op == types.OpAdd && ma == 1 && mb == 1:
				f = func(x, y int64) int64 { return x + y }
			case op == types.OpAdd:
				f = func(x, y int64) int64 { return x*ma + y*mb }
			case ma == 1 && mb == 1:
				f = func(x, y int64) int64 { return x - y }
			default:
				f = func(x, y int64) int64 { return x*ma - y*mb }
			}
			return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixed(ctx, r.Arrow(), args[0], args[1], n, f), nil
			}
		}
		sub := op == types.OpSubtract
		return decimalLong(r, func(x, y i128) (i128, error) {
			x, ok1 := x.scaleUp(s - a.Scale)
			y, ok2 := y.scaleUp(s - b.Scale)
			if !ok1 || !ok2 {
				return i128{}, decimalOverflow(r)
			}
			if sub {
				return x.sub(y), nil
			}
			return x.add(y), nil
		})
	case types.OpMultiply:
		if r.IsShortDecimal() {
			return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixed(ctx, r.Arrow(), args[0], args[1], n, func(x, y int64) int64 { return x * y }), nil
			}
		}
		if a.IsShortDecimal() && b.IsShortDecimal() {
			// The hot TPC-H shape: short × short → long, a single 64×64 multiply.
			return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				x, y := values[int64](args[0]), values[int64](args[1])
				valid, nulls := andValidity(ctx.Alloc, n, args[0], args[1])
				buf, out := allocI128(ctx.Alloc, n)
				for i := range out {
					p, q := x[i], y[i]
					neg := (p < 0) != (q < 0)
					if p < 0 {
						p = -p
					}
					if q < 0 {
						q = -q
					}
					hi, lo := mul64(uint64(p), uint64(q))
					out[i] = fromAbs(neg, hi, lo)
				}
				return finish(r.Arrow(), n, valid, nulls, buf), nil
			}
		}
		return decimalLong(r, func(x, y i128) (i128, error) {
			p, ok := x.mul(y)
			if !ok {
				return i128{}, decimalOverflow(r)
			}
			return p, nil
		})
	case types.OpDivide:
		rf := s - a.Scale + b.Scale
		if a.IsShortDecimal() && b.IsShortDecimal() && r.IsShortDecimal() {
			m := pow10i64[rf]
			return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixedErr(ctx, r.Arrow(), args[0], args[1], n, func(x, y int64) (int64, bool) {
					if y == 0 {
						return 0, false
					}
					return divRoundInt64(x*m, y), true
				}, func(int64, int64) error { return errDivisionByZero })
			}
		}
		return decimalLong(r, func(x, y i128) (i128, error) {
			if y.isZero() {
				return i128{}, errDivisionByZero
			}
			xs, ok := x.scaleUp(rf)
			if !ok {
				// The rescaled dividend needs more than 128 bits though the
				// quotient may fit: divide exactly in big arithmetic.
				return bigDivRound(x, rf, y, r)
			}
			return xs.divRound(y), nil
		})
	default:
		return decimalLong(r, func(x, y i128) (i128, error) {
			if y.isZero() {
				return i128{}, errDivisionByZero
			}
			x, ok1 := x.scaleUp(s - a.Scale)
			y, ok2 := y.scaleUp(s - b.Scale)
			if !ok1 || !ok2 {
				return i128{}, decimalOverflow(r)
			}
			return x.rem(y), nil
		})
	}
}

func mul64(x, y uint64) (uint64, uint64) { return bits.Mul64(x, y) }

// bigDivRound computes x·10^rf / y rounded HALF_UP in big arithmetic.
func bigDivRound(x i128, rf int, y i128, r types.Type) (i128, error) {
	num := x.big()
	num.Mul(num, pow10[min(rf, 38)].big())
	if rf > 38 {
		num.Mul(num, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rf-38)), nil))
	}
	den := y.big()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	rem.Abs(rem).Lsh(rem, 1)
	if rem.Cmp(new(big.Int).Abs(den)) >= 0 {
		if num.Sign() != den.Sign() {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	v, ok := i128FromBig(q)
	if !ok {
		return i128{}, decimalOverflow(r)
	}
	return v, nil
}

// divRoundInt64 divides rounding half away from zero.
func divRoundInt64(x, y int64) int64 {
	q, r := x/y, x%y
	if r < 0 {
		r = -r
	}
	ay := y
	if ay < 0 {
		ay = -ay
	}
	if uint64(r) >= uint64(ay)-uint64(r) {
		if (x < 0) != (y < 0) {
			q--
		} else {
			q++
		}
	}
	return q
}

// decimalLong runs f over 128-bit unscaled values and checks that every
// result fits the result precision.
func decimalLong(r types.Type, f func(x, y i128) (i128, error)) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		x, y := decimalValues(args[0]), decimalValues(args[1])
		va, vb := validity(args[0]), validity(args[1])
		out := make([]i128, n)
		for i := range out {
			if !va.valid(i) || !vb.valid(i) {
				continue
			}
			v, err := f(x[i], y[i])
			if err != nil {
				return nil, err
			}
			if !v.fitsPrecision(r.Precision) {
				return nil, decimalOverflow(r)
			}
			out[i] = v
		}
		valid, nulls := andValidity(ctx.Alloc, n, args[0], args[1])
		return decimalResult(ctx, r, out, valid, nulls), nil
	}
}

func bindNegate(args []types.Type) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("$negate", args)
	}
	t := args[0]
	if t.Kind == types.Unknown {
		t = types.IntegerType
	}
	var k Kernel
	switch t.Kind {
	case types.TinyInt:
		k = negInt[int8](t)
	case types.SmallInt:
		k = negInt[int16](t)
	case types.Integer:
		k = negInt[int32](t)
	case types.BigInt, types.IntervalDayTime:
		k = negInt[int64](t)
	case types.IntervalYearMonth:
		k = negInt[int32](t)
	case types.Real:
		k = func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return unaryFixed(ctx, t.Arrow(), args[0], n, func(x float32) float32 { return -x }), nil
		}
	case types.Double:
		k = func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return unaryFixed(ctx, t.Arrow(), args[0], n, func(x float64) float64 { return -x }), nil
		}
	case types.Decimal:
		if t.IsShortDecimal() {
			k = func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return unaryFixed(ctx, t.Arrow(), args[0], n, func(x int64) int64 { return -x }), nil
			}
		} else {
			k = func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				in := decimalValues(args[0])
				out := make([]i128, n)
				for i, v := range in {
					out[i] = v.negate()
				}
				valid, nulls := andValidity(ctx.Alloc, n, args[0])
				return decimalResult(ctx, t, out, valid, nulls), nil
			}
		}
	default:
		return Binding{}, fmt.Errorf("Cannot negate %s", t)
	}
	return Binding{Args: []types.Type{t}, Result: t, Kernel: k}, nil
}

func negInt[T signedInt](t types.Type) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return unaryFixedErr(ctx, t.Arrow(), args[0], n, func(x T) (T, bool) { return -x, !(x < 0 && -x < 0) },
			func(x T) error { return fmt.Errorf("%s negation overflow: -(%d)", t, x) })
	}
}

// Temporal arithmetic.

const (
	microsPerDay   = int64(86400_000_000)
	millisPerDay   = int64(86400_000)
	microsPerMilli = int64(1000)
)

func bindTemporalArith(name string, op types.ArithOp, a, b types.Type) (Binding, bool) {
	isDT := func(t types.Type) bool { return t.Kind == types.IntervalDayTime }
	isYM := func(t types.Type) bool { return t.Kind == types.IntervalYearMonth }
	isPoint := func(t types.Type) bool {
		return t.Kind == types.Date || t.Kind == types.Timestamp || t.Kind == types.TimestampTZ
	}
	switch {
	case op == types.OpAdd && (isDT(a) || isYM(a)) && isPoint(b):
		// interval + point: evaluate as point + interval with swapped args.
		inner, ok := bindTemporalArith(name, op, b, a)
		if !ok {
			return Binding{}, false
		}
		k := inner.Kernel
		inner.Args = []types.Type{a, b}
		inner.Kernel = func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return k(ctx, []arrow.Array{args[1], args[0]}, n)
		}
		return inner, true
	case (op == types.OpAdd || op == types.OpSubtract) && isPoint(a) && (isDT(b) || isYM(b)):
		sign := int64(1)
		if op == types.OpSubtract {
			sign = -1
		}
		return Binding{Args: []types.Type{a, b}, Result: a, Kernel: pointPlusInterval(a, b, sign)}, true
	case op == types.OpSubtract && (a.Kind == types.Timestamp || a.Kind == types.TimestampTZ) && (b.Kind == types.Timestamp || b.Kind == types.TimestampTZ):
		common, _ := types.CommonSuperType(a, b)
		return Binding{Args: []types.Type{common, common}, Result: types.IntervalDTType,
			Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixed(ctx, types.IntervalDTType.Arrow(), args[0], args[1], n, func(x, y int64) int64 {
					return floorDiv64(x-y, microsPerMilli)
				}), nil
			}}, true
	case op == types.OpMultiply && (isDT(a) || isYM(a)) && intervalFactor(b):
		return intervalScale(a, b, false, false), true
	case op == types.OpMultiply && (isDT(b) || isYM(b)) && intervalFactor(a):
		return intervalScale(b, a, true, false), true
	case op == types.OpDivide && (isDT(a) || isYM(a)) && intervalFactor(b):
		return intervalScale(a, b, false, true), true
	case (op == types.OpAdd || op == types.OpSubtract) && (isDT(a) && isDT(b) || isYM(a) && isYM(b)):
		var k Kernel
		if isDT(a) {
			k = intArith[int64](op, types.BigIntType)
		} else {
			k = intArith[int32](op, types.IntegerType)
		}
		dt := a.Arrow()
		return Binding{Args: []types.Type{a, b}, Result: a, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			res, err := k(ctx, args, n)
			if err != nil {
				return nil, err
			}
			defer res.Release()
			return retype(res, dt), nil
		}}, true
	}
	return Binding{}, false
}

// intervalFactor reports whether t may scale an interval (* and /).
func intervalFactor(t types.Type) bool { return t.IsNumeric() || t.Kind == types.Unknown }

// intervalScale binds interval * number, number * interval (swapped) and
// interval / number as Trino does: an exact integer factor multiplies
// exactly (bigint); any other factor, and every divisor, is a double and
// the product or quotient is truncated toward zero. NaN factors and zero
// or NaN divisors fail.
func intervalScale(iv, num types.Type, swapped, divide bool) Binding {
	f := types.DoubleType
	if !divide && (num.IsInteger() || num.Kind == types.Unknown) {
		f = types.BigIntType
	}
	args := []types.Type{iv, f}
	if swapped {
		args = []types.Type{f, iv}
	}
	ym := iv.Kind == types.IntervalYearMonth
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if ym {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	outOfRange := func() error { return fmt.Errorf("Out of range for %s", iv) }
	var row func(v int64, x arrow.Array, i int) (int64, error)
	if f.Kind == types.BigInt {
		row = func(v int64, x arrow.Array, i int) (int64, error) {
			m := values[int64](x)[i]
			hiP, loP := bits.Mul64(uint64(absI64(v)), uint64(absI64(m)))
			neg := (v < 0) != (m < 0)
			if hiP != 0 || loP > uint64(math.MaxInt64)+b2u(neg) {
				return 0, outOfRange()
			}
			r := int64(loP)
			if neg {
				r = -r
			}
			if r < lo || r > hi {
				return 0, outOfRange()
			}
			return r, nil
		}
	} else {
		row = func(v int64, x arrow.Array, i int) (int64, error) {
			d := values[float64](x)[i]
			var r float64
			switch {
			case math.IsNaN(d) && !divide:
				return 0, fmt.Errorf("Cannot multiply by double NaN")
			case divide && (math.IsNaN(d) || d == 0):
				return 0, fmt.Errorf("Cannot divide by double %s", javaDouble(d, 64))
			case divide:
				r = float64(v) / d
			default:
				r = float64(v) * d
			}
			// Java's (long) cast: truncation toward zero, saturating.
			r = math.Trunc(r)
			if r >= 9.223372036854775807e18 {
				return 0, outOfRange()
			} else if r < -9.223372036854775808e18 {
				return 0, outOfRange()
			}
			if int64(r) < lo || int64(r) > hi {
				return 0, outOfRange()
			}
			return int64(r), nil
		}
	}
	dt := iv.Arrow()
	kernel := func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		ivArr, numArr := in[0], in[1]
		if swapped {
			ivArr, numArr = in[1], in[0]
		}
		var get func(i int) int64
		if ym {
			v := values[int32](ivArr)
			get = func(i int) int64 { return int64(v[i]) }
		} else {
			v := values[int64](ivArr)
			get = func(i int) int64 { return v[i] }
		}
		valid, nulls := andValidity(ctx.Alloc, n, in...)
		vb := bitmap{}
		if valid != nil {
			vb = bitmap{bits: valid.Bytes()}
		}
		out64 := make([]int64, n)
		for i := range out64 {
			if !vb.valid(i) {
				continue
			}
			r, err := row(get(i), numArr, i)
			if err != nil {
				if valid != nil {
					valid.Release()
				}
				return nil, err
			}
			out64[i] = r
		}
		if ym {
			buf, out := allocFixed[int32](ctx.Alloc, n)
			for i, v := range out64 {
				out[i] = int32(v)
			}
			return finish(dt, n, valid, nulls, buf), nil
		}
		buf, out := allocFixed[int64](ctx.Alloc, n)
		copy(out, out64)
		return finish(dt, n, valid, nulls, buf), nil
	}
	return Binding{Args: args, Result: iv, Kernel: kernel}
}

func absI64(v int64) int64 {
	if v < 0 {
		return -v // MinInt64 stays negative; as uint64 it is 2^63, which is right
	}
	return v
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// retype reinterprets an array's buffers as another type of the same layout.
func retype(a arrow.Array, dt arrow.DataType) arrow.Array {
	d := a.Data()
	nd := array.NewData(dt, d.Len(), d.Buffers(), d.Children(), d.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd)
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// addMonths adds months to a wall-clock time, clamping the day to the end
// of the target month (2020-01-31 + 1 month = 2020-02-29), as Trino does.
func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	total := int(m) - 1 + months
	ny := y + floorDivInt(total, 12)
	nm := time.Month(total - floorDivInt(total, 12)*12 + 1)
	last := time.Date(ny, nm+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d > last {
		d = last
	}
	hh, mm, ss := t.Clock()
	return time.Date(ny, nm, d, hh, mm, ss, t.Nanosecond(), t.Location())
}

func floorDivInt(a, b int) int {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func pointPlusInterval(p, iv types.Type, sign int64) Kernel {
	dt := p.Arrow()
	ym := iv.Kind == types.IntervalYearMonth
	switch p.Kind {
	case types.Date:
		if ym {
			return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixed(ctx, dt, args[0], args[1], n, func(d, m int32) int32 {
					t := addMonths(time.Unix(int64(d)*86400, 0).UTC(), int(sign)*int(m))
					return int32(floorDiv64(t.Unix(), 86400))
				}), nil
			}
		}
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return binaryFixedErr(ctx, dt, args[0], args[1], n, func(d int32, ms int64) (int32, bool) {
				if ms%millisPerDay != 0 {
					return 0, false
				}
				return d + int32(sign*ms/millisPerDay), true
			}, func(int32, int64) error { return fmt.Errorf("Cannot add hour, minutes or seconds to a date") })
		}
	default:
		if !ym {
			return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixed(ctx, dt, args[0], args[1], n, func(ts, ms int64) int64 { return ts + sign*ms*microsPerMilli }), nil
			}
		}
		tz := p.Kind == types.TimestampTZ
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			loc := time.UTC
			if tz {
				// Months are added on the value's wall clock, so DST shifts
				// keep the local time of day.
				loc = p.Location(ctx.Zone)
			}
			return binaryFixed(ctx, dt, args[0], args[1], n, func(ts int64, m int32) int64 {
				t := time.UnixMicro(ts).In(loc)
				return addMonths(t, int(sign)*int(m)).UnixMicro()
			}), nil
		}
	}
}

// Comparisons.

type cmpOp uint8

const (
	cmpEq cmpOp = iota
	cmpNe
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

// cmpTest turns a three-way comparison into the operator's truth value.
func (op cmpOp) test(c int) bool {
	switch op {
	case cmpEq:
		return c == 0
	case cmpNe:
		return c != 0
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	}
	return c >= 0
}

func bindCompare(name string, op cmpOp) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) != 2 {
			return Binding{}, UnexpectedParams(name, args)
		}
		a, b, k, err := compareKernelFor(args[0], args[1], op)
		if err != nil {
			return Binding{}, err
		}
		return Binding{Args: []types.Type{a, b}, Result: types.BooleanType, Kernel: k}, nil
	}
}

// compareKernelFor resolves the operand types of a comparison and returns
// a kernel producing a boolean array.
func compareKernelFor(a, b types.Type, op cmpOp) (types.Type, types.Type, Kernel, error) {
	common, ok := types.CommonSuperType(a, b)
	if !ok {
		return a, b, nil, fmt.Errorf("Cannot apply operator: %s %s %s", a, cmpSymbols[op], b)
	}
	if common.Kind == types.Unknown {
		common = types.BooleanType
	}
	if op != cmpEq && op != cmpNe && !common.IsOrderable() {
		return a, b, nil, fmt.Errorf("Cannot apply operator: %s %s %s", a, cmpSymbols[op], b)
	}
	if common.Kind == types.Decimal {
		da, _ := types.AsDecimal(a)
		db, _ := types.AsDecimal(b)
		if a.Kind == types.Unknown {
			da = db
		}
		if b.Kind == types.Unknown {
			db = da
		}
		return da, db, decimalCompare(da, db, op), nil
	}
	if common.Kind == types.Array || common.Kind == types.Row || common.Kind == types.Map {
		k, err := nestedCompareKernel(common, op)
		return common, common, k, err
	}
	k, err := compareKernel(common, op)
	return common, common, k, err
}

var cmpSymbols = map[cmpOp]string{cmpEq: "=", cmpNe: "<>", cmpLt: "<", cmpLe: "<=", cmpGt: ">", cmpGe: ">="}

func ordered[T fixed](op cmpOp) Kernel {
	var f func(x, y T) bool
	switch op {
	case cmpEq:
		f = func(x, y T) bool { return x == y }
	case cmpNe:
		f = func(x, y T) bool { return x != y }
	case cmpLt:
		f = func(x, y T) bool { return x < y }
	case cmpLe:
		f = func(x, y T) bool { return x <= y }
	case cmpGt:
		f = func(x, y T) bool { return x > y }
	default:
		f = func(x, y T) bool { return x >= y }
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryCmp(ctx, args[0], args[1], n, f), nil
	}
}

func compareKernel(t types.Type, op cmpOp) (Kernel, error) {
	switch t.Kind {
	case types.TinyInt:
		return ordered[int8](op), nil
	case types.SmallInt:
		return ordered[int16](op), nil
	case types.Integer, types.Date, types.IntervalYearMonth:
		return ordered[int32](op), nil
	case types.BigInt, types.Timestamp, types.TimestampTZ, types.Time, types.IntervalDayTime:
		return ordered[int64](op), nil
	case types.Real:
		return ordered[float32](op), nil
	case types.Double:
		return ordered[float64](op), nil
	case types.Boolean:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			x, y := boolValues(args[0]), boolValues(args[1])
			valid, nulls := andValidity(ctx.Alloc, n, args[0], args[1])
			w := newBoolWriter(ctx.Alloc, n)
			for i := 0; i < n; i++ {
				w.set(i, op.test(b2i(x.valid(i))-b2i(y.valid(i))))
			}
			return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
		}, nil
	case types.Varchar, types.Char, types.Varbinary, types.JSON:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			x, y := stringsOf(args[0]), stringsOf(args[1])
			valid, nulls := andValidity(ctx.Alloc, n, args[0], args[1])
			w := newBoolWriter(ctx.Alloc, n)
			for i := 0; i < n; i++ {
				sx, sy := x.at(i), y.at(i)
				var c int
				switch {
				case sx < sy:
					c = -1
				case sx > sy:
					c = 1
				}
				w.set(i, op.test(c))
			}
			return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
		}, nil
	}
	return nil, fmt.Errorf("Cannot apply operator: %s %s %s", t, cmpSymbols[op], t)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// decimalCompare compares decimals of possibly different scales exactly.
func decimalCompare(a, b types.Type, op cmpOp) Kernel {
	s := max(a.Scale, b.Scale)
	ip := max(a.Precision-a.Scale, b.Precision-b.Scale)
	if a.IsShortDecimal() && b.IsShortDecimal() && ip+s <= 18 {
		ma, mb := pow10i64[s-a.Scale], pow10i64[s-b.Scale]
		if ma == 1 && mb == 1 {
			return ordered[int64](op)
		}
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return binaryCmp(ctx, args[0], args[1], n, func(x, y int64) bool {
				x, y = x*ma, y*mb
				return op.test(b2i(x > y) - b2i(x < y))
			}), nil
		}
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		x, y := decimalValues(args[0]), decimalValues(args[1])
		valid, nulls := andValidity(ctx.Alloc, n, args[0], args[1])
		w := newBoolWriter(ctx.Alloc, n)
		for i := 0; i < n; i++ {
			w.set(i, op.test(cmpDecimal(x[i], a.Scale, y[i], b.Scale)))
		}
		return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
	}
}

// cmpDecimal compares two unscaled values at their scales, exactly even
// when rescaling would overflow 128 bits.
func cmpDecimal(x i128, sx int, y i128, sy int) int {
	xs, ok1 := x.scaleUp(max(sx, sy) - sx)
	ys, ok2 := y.scaleUp(max(sx, sy) - sy)
	if ok1 && ok2 {
		return xs.cmp(ys)
	}
	bx, by := x.big(), y.big()
	if sx < sy {
		bx.Mul(bx, pow10[sy-sx].big())
	} else {
		by.Mul(by, pow10[sx-sy].big())
	}
	return bx.Cmp(by)
}

func bindDistinct(args []types.Type) (Binding, error) {
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("$is_distinct_from", args)
	}
	a, b, eq, err := compareKernelFor(args[0], args[1], cmpNe)
	if err != nil {
		return Binding{}, err
	}
	return Binding{Args: []types.Type{a, b}, Result: types.BooleanType, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		ne, err := eq(ctx, args, n)
		if err != nil {
			return nil, err
		}
		defer ne.Release()
		nv := boolValues(ne)
		va, vb := validity(args[0]), validity(args[1])
		w := newBoolWriter(ctx.Alloc, n)
		for i := 0; i < n; i++ {
			x, y := va.valid(i), vb.valid(i)
			switch {
			case x && y:
				w.set(i, nv.valid(i))
			default:
				w.set(i, x != y)
			}
		}
		return finish(arrow.FixedWidthTypes.Boolean, n, nil, 0, w.buf), nil
	}}, nil
}

// Logical operators with SQL three-valued logic.

func bindLogical(name string, and bool) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) < 2 {
			return Binding{}, UnexpectedParams(name, args)
		}
		params := make([]types.Type, len(args))
		for i, a := range args {
			if a.Kind != types.Boolean && a.Kind != types.Unknown {
				return Binding{}, fmt.Errorf("%s operand must be boolean, got %s", map[bool]string{true: "AND", false: "OR"}[and], a)
			}
			params[i] = types.BooleanType
		}
		return Binding{Args: params, Result: types.BooleanType, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			if out, ok := logicalBits(ctx, args, n, and); ok {
				return out, nil
			}
			return logicalRows(ctx, args, n, and), nil
		}}, nil
	}
}

// logicalRows is AND (and true) or OR over args row by row: the
// "dominant" value (false for AND, true for OR) wins over NULL; otherwise
// any NULL makes the result NULL.
func logicalRows(ctx *Context, args []arrow.Array, n int, and bool) arrow.Array {
	w := newBoolWriter(ctx.Alloc, n)
	vw := newValidity(ctx.Alloc, n)
	vbits := vw.Bytes()
	vals := make([]bitmap, len(args))
	valids := make([]bitmap, len(args))
	for j, a := range args {
		vals[j], valids[j] = boolValues(a), validity(a)
	}
	for i := 0; i < n; i++ {
		dominant, null := false, false
		for j := range args {
			if !valids[j].valid(i) {
				null = true
				continue
			}
			if vals[j].valid(i) != and {
				dominant = true
				break
			}
		}
		switch {
		case dominant:
			w.set(i, !and)
		case null:
			vbits[i>>3] &^= 1 << (uint(i) & 7)
		default:
			w.set(i, and)
		}
	}
	return finish(arrow.FixedWidthTypes.Boolean, n, vw, countNulls(vw, n), w.buf)
}

// logicalBits is logicalRows a machine word at a time, over boolean
// arrays (ok is false for anything else: the NULL type, missing value
// buffers). With T_j the rows where operand j is true and V_j those where
// it is not NULL, AND is true on every T_j and known where some operand
// is false (V_j and not T_j) or all are known; OR is true on any T_j and
// known there or where all are known.
func logicalBits(ctx *Context, args []arrow.Array, n int, and bool) (arrow.Array, bool) {
	nulls := false
	for _, a := range args {
		d := a.Data()
		if a.DataType().ID() != arrow.BOOL || a.Len() < n || len(d.Buffers()) < 2 || d.Buffers()[1] == nil {
			return nil, false
		}
		nulls = nulls || a.NullN() > 0
	}
	nn := int64(n)
	size := int(bitutil.BytesForBits(nn))
	w := newBoolWriter(ctx.Alloc, n)
	out := w.bits
	values := func(a arrow.Array) ([]byte, int64) { return a.Data().Buffers()[1].Bytes(), int64(a.Data().Offset()) }
	op := bitutil.BitmapOr
	if and {
		op = bitutil.BitmapAnd
	}
	if !nulls {
		v, off := values(args[0])
		bitutil.CopyBitmap(v, int(off), n, out, 0)
		for _, a := range args[1:] {
			v, off := values(a)
			op(out, v, 0, off, out, 0, nn)
		}
		return finish(arrow.FixedWidthTypes.Boolean, n, nil, 0, w.buf), true
	}
	ones := make([]byte, size)
	for i := range ones {
		ones[i] = 0xff
	}
	t := make([]byte, size)       // T_j
	known := slices.Clone(ones)   // all operands known
	decided := make([]byte, size) // some operand false (AND) or true (OR)
	for j, a := range args {
		v, off := values(a)
		valid := ones
		voff := int64(0)
		if a.NullN() > 0 {
			valid, voff = a.NullBitmapBytes(), off
			bitutil.BitmapAnd(known, valid, 0, voff, known, 0, nn)
		}
		bitutil.BitmapAnd(v, valid, off, voff, t, 0, nn)
		if j == 0 {
			copy(out, t)
		} else {
			op(out, t, 0, 0, out, 0, nn)
		}
		if and {
			bitutil.BitmapAndNot(valid, v, voff, off, t, 0, nn) // false: known and not true
		}
		bitutil.BitmapOr(decided, t, 0, 0, decided, 0, nn)
	}
	vw := memory.NewResizableBuffer(ctx.Alloc)
	vw.Resize(size)
	bitutil.BitmapOr(decided, known, 0, 0, vw.Bytes(), 0, nn)
	return finish(arrow.FixedWidthTypes.Boolean, n, vw, countNulls(vw, n), w.buf), true
}

func bindNot(args []types.Type) (Binding, error) {
	if len(args) != 1 || args[0].Kind != types.Boolean && args[0].Kind != types.Unknown {
		return Binding{}, UnexpectedParams("$not", args, "not(boolean)")
	}
	return Binding{Args: []types.Type{types.BooleanType}, Result: types.BooleanType, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		x := boolValues(args[0])
		valid, nulls := andValidity(ctx.Alloc, n, args[0])
		w := newBoolWriter(ctx.Alloc, n)
		for i := 0; i < n; i++ {
			w.set(i, !x.valid(i))
		}
		return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
	}}, nil
}
