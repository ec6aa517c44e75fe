package function

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

// Math functions. Exact types keep exact results (decimals round HALF_UP);
// floating point follows IEEE, with Trino's choices where Java differs
// from Go (round is half away from zero).

func registerMath(r *Registry) {
	r.AddScalar(&Scalar{Name: "abs", Bind: bindNumericUnary("abs", absKernel)})
	r.AddScalar(&Scalar{Name: "sign", Bind: bindSign})
	r.AddScalar(&Scalar{Name: "round", Bind: bindRound})
	r.AddScalar(&Scalar{Name: "ceil", Bind: bindCeilFloor("ceil", math.Ceil, 1)}, "ceiling")
	r.AddScalar(&Scalar{Name: "floor", Bind: bindCeilFloor("floor", math.Floor, -1)})
	r.AddScalar(&Scalar{Name: "truncate", Bind: bindTruncate})
	r.AddScalar(&Scalar{Name: "mod", Bind: func(args []types.Type) (Binding, error) {
		if len(args) != 2 || !args[0].IsNumeric() && args[0].Kind != types.Unknown || !args[1].IsNumeric() && args[1].Kind != types.Unknown {
			return Binding{}, UnexpectedParams("mod", args, "mod(T, T)")
		}
		return bindArith("mod", types.OpModulus)(args)
	}})

	d1 := func(name string, f func(float64) float64, aliases ...string) {
		r.AddScalar(fixedScalar(name, overload{params: sig(tDouble), result: tDouble, kernel: doubleFn(f)}), aliases...)
	}
	d1("sqrt", math.Sqrt)
	d1("cbrt", math.Cbrt)
	d1("exp", math.Exp)
	d1("ln", math.Log)
	d1("log2", math.Log2)
	d1("log10", math.Log10)
	d1("degrees", func(x float64) float64 { return x * 180 / math.Pi })
	d1("radians", func(x float64) float64 { return x * math.Pi / 180 })
	d1("sin", math.Sin)
	d1("cos", math.Cos)
	d1("tan", math.Tan)
	d1("asin", math.Asin)
	d1("acos", math.Acos)
	d1("atan", math.Atan)
	d1("sinh", math.Sinh)
	d1("cosh", math.Cosh)
	d1("tanh", math.Tanh)
	d2 := func(name string, f func(x, y float64) float64, aliases ...string) {
		r.AddScalar(fixedScalar(name, overload{params: sig(tDouble, tDouble), result: tDouble, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return binaryFixed(ctx, arrow.PrimitiveTypes.Float64, args[0], args[1], n, f), nil
		}}), aliases...)
	}
	d2("power", math.Pow, "pow")
	d2("atan2", math.Atan2)
	d2("log", func(b, x float64) float64 { return math.Log(x) / math.Log(b) })

	c0 := func(name string, v float64) {
		r.AddScalar(fixedScalar(name, overload{params: sig(), result: tDouble, kernel: constDouble(v)}))
	}
	c0("pi", math.Pi)
	c0("e", math.E)
	c0("nan", math.NaN())
	c0("infinity", math.Inf(1))

	pred := func(name string, f func(float64) bool) {
		r.AddScalar(fixedScalar(name, overload{params: sig(tDouble), result: tBool, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			x := values[float64](args[0])
			valid, nulls := andValidity(ctx.Alloc, n, args[0])
			w := newBoolWriter(ctx.Alloc, n)
			for i := range x {
				w.set(i, f(x[i]))
			}
			return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
		}}))
	}
	pred("is_nan", math.IsNaN)
	pred("is_finite", func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) })
	pred("is_infinite", func(x float64) bool { return math.IsInf(x, 0) })

	r.AddScalar(fixedScalar("random",
		overload{params: sig(), result: tDouble, volatile: true, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			buf, out := allocFixed[float64](ctx.Alloc, n)
			for i := range out {
				out[i] = rand.Float64()
			}
			return finish(arrow.PrimitiveTypes.Float64, n, nil, 0, buf), nil
		}},
		overload{params: sig(tBigint), result: tBigint, volatile: true, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return unaryFixedErr(ctx, arrow.PrimitiveTypes.Int64, args[0], n, func(m int64) (int64, bool) {
				if m <= 0 {
					return 0, false
				}
				return rand.Int64N(m), true
			}, func(m int64) error { return fmt.Errorf("bound must be positive: %d", m) })
		}}), "rand")
}

func doubleFn(f func(float64) float64) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return unaryFixed(ctx, arrow.PrimitiveTypes.Float64, args[0], n, f), nil
	}
}

func constDouble(v float64) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		buf, out := allocFixed[float64](ctx.Alloc, n)
		for i := range out {
			out[i] = v
		}
		return finish(arrow.PrimitiveTypes.Float64, n, nil, 0, buf), nil
	}
}

// bindNumericUnary binds a function of one numeric argument whose result
// has the argument's type.
func bindNumericUnary(name string, kernelFor func(t types.Type) Kernel) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) != 1 || !args[0].IsNumeric() && args[0].Kind != types.Unknown {
			return Binding{}, UnexpectedParams(name, args, name+"(T) for numeric T")
		}
		t := args[0]
		if t.Kind == types.Unknown {
			t = types.BigIntType
		}
		return Binding{Args: []types.Type{t}, Result: t, Kernel: kernelFor(t)}, nil
	}
}

func absInt[T signedInt](t types.Type) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return unaryFixedErr(ctx, t.Arrow(), args[0], n, func(x T) (T, bool) {
			if x < 0 {
				return -x, -x > 0
			}
			return x, true
		}, func(x T) error { return fmt.Errorf("Value %d is out of range for abs(%s)", x, t) })
	}
}

func absKernel(t types.Type) Kernel {
	switch t.Kind {
	case types.TinyInt:
		return absInt[int8](t)
	case types.SmallInt:
		return absInt[int16](t)
	case types.Integer:
		return absInt[int32](t)
	case types.BigInt:
		return absInt[int64](t)
	case types.Real:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return unaryFixed(ctx, t.Arrow(), args[0], n, func(x float32) float32 { return float32(math.Abs(float64(x))) }), nil
		}
	case types.Double:
		return doubleFn(math.Abs)
	}
	return decimalUnary(t, t, func(v i128) i128 {
		if v.isNeg() {
			return v.negate()
		}
		return v
	})
}

// bindSign binds sign(x): the argument's type for integers and floats,
// decimal(1,0) for decimals, as in Trino.
func bindSign(args []types.Type) (Binding, error) {
	b, err := bindNumericUnary("sign", signKernel)(args)
	if err != nil || b.Result.Kind != types.Decimal {
		return b, err
	}
	t := b.Args[0]
	rt := types.DecimalOf(1, 0)
	b.Result = rt
	b.Kernel = decimalUnary(t, rt, func(v i128) i128 {
		switch {
		case v.isNeg():
			return i128From(-1)
		case v.isZero():
			return i128{}
		}
		return i128From(1)
	})
	return b, nil
}

func signKernel(t types.Type) Kernel {
	switch t.Kind {
	case types.TinyInt:
		return signInt[int8](t)
	case types.SmallInt:
		return signInt[int16](t)
	case types.Integer:
		return signInt[int32](t)
	case types.BigInt:
		return signInt[int64](t)
	case types.Real:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return unaryFixed(ctx, t.Arrow(), args[0], n, func(x float32) float32 { return float32(floatSign(float64(x))) }), nil
		}
	}
	// Decimals are bound by bindSign.
	return doubleFn(floatSign)
}

func signInt[T signedInt](t types.Type) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return unaryFixed(ctx, t.Arrow(), args[0], n, func(x T) T { return T(b2i(x > 0) - b2i(x < 0)) }), nil
	}
}

func floatSign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, -0 and NaN stay as they are
}

// decimalUnary maps unscaled values of type in to type out.
func decimalUnary(in, out types.Type, f func(i128) i128) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		if in.IsShortDecimal() && out.IsShortDecimal() {
			return unaryFixed(ctx, out.Arrow(), args[0], n, func(x int64) int64 { return int64(f(i128From(x)).lo) }), nil
		}
		src := decimalValues(args[0])
		res := make([]i128, n)
		for i, v := range src {
			res[i] = f(v)
		}
		valid, nulls := andValidity(ctx.Alloc, n, args[0])
		return decimalResult(ctx, out, res, valid, nulls), nil
	}
}

// roundHalfAway rounds half away from zero, Trino's rounding for doubles.
func roundHalfAway(x float64) float64 { return math.Round(x) }

// roundDouble rounds x to d fractional digits (negative d rounds to tens,
// hundreds, …), half away from zero.
func roundDouble(x float64, d int64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	if d > 300 {
		return x
	}
	if d < -300 {
		return 0
	}
	f := math.Pow(10, float64(d))
	r := math.Round(x*f) / f
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return x
	}
	return r
}

func bindRound(args []types.Type) (Binding, error) {
	if len(args) < 1 || len(args) > 2 || !args[0].IsNumeric() && args[0].Kind != types.Unknown ||
		len(args) == 2 && !args[1].IsInteger() && args[1].Kind != types.Unknown {
		return Binding{}, UnexpectedParams("round", args, "round(T)", "round(T, integer)")
	}
	t := args[0]
	if t.Kind == types.Unknown {
		t = types.DoubleType
	}
	params := []types.Type{t}
	if len(args) == 2 {
		params = append(params, types.IntegerType)
	}
	switch t.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		if len(args) == 1 {
			return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
				in[0].Retain()
				return in[0], nil
			}}, nil
		}
		// round(integer, d): negative d rounds to tens, hundreds, … through
		// decimal arithmetic so large values stay exact.
		return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			d := values[int32](in[1])
			get := intReader(in[0])
			res := make([]int64, n)
			va := validity(in[0])
			for i := range res {
				v, _ := get(i)
				res[i] = v
				if d[i] < 0 && va.valid(i) {
					k := int(-d[i])
					if k > 19 {
						res[i] = 0
						continue
					}
					r := i128From(v).scaleDown(k)
					r, _ = r.scaleUp(k)
					lo, hi := intRange(t.Kind)
					if !r.fitsInt64() || int64(r.lo) < lo || int64(r.lo) > hi {
						return nil, fmt.Errorf("Out of range for %s: round(%d, %d)", t, v, d[i])
					}
					res[i] = int64(r.lo)
				}
			}
			k, _ := Cast(types.BigIntType, t, false)
			tmp := bigintArray(ctx, res, in...)
			defer tmp.Release()
			return k(ctx, tmp)
		}}, nil
	case types.Real, types.Double:
		dt := t.Arrow()
		if len(args) == 1 {
			if t.Kind == types.Real {
				return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
					return unaryFixed(ctx, dt, in[0], n, func(x float32) float32 { return float32(roundHalfAway(float64(x))) }), nil
				}}, nil
			}
			return Binding{Args: params, Result: t, Kernel: doubleFn(roundHalfAway)}, nil
		}
		if t.Kind == types.Real {
			return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
				return binaryFixed(ctx, dt, in[0], in[1], n, func(x float32, d int32) float32 { return float32(roundDouble(float64(x), int64(d))) }), nil
			}}, nil
		}
		return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			return binaryFixed(ctx, dt, in[0], in[1], n, func(x float64, d int32) float64 { return roundDouble(x, int64(d)) }), nil
		}}, nil
	}
	// Decimal: round(x) drops the scale; round(x, d) keeps the type with
	// one more integer digit for the carry (9.99 → 10.00).
	if len(args) == 1 {
		rt := types.DecimalOf(max(1, min(types.MaxDecimalPrecision, t.Precision-t.Scale+min(t.Scale, 1))), 0)
		return Binding{Args: params, Result: rt, Kernel: decimalUnary(t, rt, func(v i128) i128 { return v.scaleDown(t.Scale) })}, nil
	}
	rt := types.DecimalOf(min(types.MaxDecimalPrecision, t.Precision+1), t.Scale)
	return Binding{Args: params, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		src := decimalValues(in[0])
		d := values[int32](in[1])
		res := make([]i128, n)
		for i, v := range src {
			drop := t.Scale - int(d[i])
			if drop <= 0 {
				res[i] = v
				continue
			}
			if drop > 38 {
				continue
			}
			r, ok := v.scaleDown(drop).scaleUp(drop)
			if !ok || !r.fitsPrecision(rt.Precision) {
				if !isNull(in[0], i) && !isNull(in[1], i) {
					return nil, decimalOverflow(rt)
				}
			}
			res[i] = r
		}
		valid, nulls := andValidity(ctx.Alloc, n, in...)
		return decimalResult(ctx, rt, res, valid, nulls), nil
	}}, nil
}

// bigintArray wraps int64 results with the NULLs of the given inputs.
func bigintArray(ctx *Context, vals []int64, in ...arrow.Array) arrow.Array {
	buf, out := allocFixed[int64](ctx.Alloc, len(vals))
	copy(out, vals)
	valid, nulls := andValidity(ctx.Alloc, len(vals), in...)
	return finish(arrow.PrimitiveTypes.Int64, len(vals), valid, nulls, buf)
}

// bindCeilFloor binds ceil (dir 1), floor (dir -1) and truncate (dir 0).
// Integers are returned unchanged; decimals lose their scale.
func bindCeilFloor(name string, f func(float64) float64, dir int) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) != 1 || !args[0].IsNumeric() && args[0].Kind != types.Unknown {
			return Binding{}, UnexpectedParams(name, args, name+"(T) for numeric T")
		}
		t := args[0]
		if t.Kind == types.Unknown {
			t = types.DoubleType
		}
		switch t.Kind {
		case types.Double:
			return Binding{Args: []types.Type{t}, Result: t, Kernel: doubleFn(f)}, nil
		case types.Real:
			return Binding{Args: []types.Type{t}, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
				return unaryFixed(ctx, t.Arrow(), in[0], n, func(x float32) float32 { return float32(f(float64(x))) }), nil
			}}, nil
		case types.Decimal:
			rt := types.DecimalOf(max(1, t.Precision-t.Scale+b2i(dir != 0 && t.Scale > 0)), 0)
			m := pow10[t.Scale]
			return Binding{Args: []types.Type{t}, Result: rt, Kernel: decimalUnary(t, rt, func(v i128) i128 {
				q := v.divTrunc(m)
				r := v.sub(mustMul(q, m))
				switch {
				case dir > 0 && !r.isZero() && !r.isNeg():
					q = q.add(i128From(1))
				case dir < 0 && r.isNeg():
					q = q.sub(i128From(1))
				}
				return q
			})}, nil
		}
		return Binding{Args: []types.Type{t}, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			in[0].Retain()
			return in[0], nil
		}}, nil
	}
}

// bindTruncate binds truncate(x), which drops the fraction (decimals lose
// their scale), and truncate(x, d), which drops the digits after the d-th
// fractional digit (d < 0 zeroes integer digits) and keeps x's type:
// double, real or decimal(p,s); exact integers are read as decimals.
func bindTruncate(args []types.Type) (Binding, error) {
	if len(args) == 1 {
		return bindCeilFloor("truncate", math.Trunc, 0)(args)
	}
	expected := []string{"truncate(double)", "truncate(real)", "truncate(decimal(p,s))", "truncate(double, integer)", "truncate(real, integer)", "truncate(decimal(p,s), integer)"}
	if len(args) != 2 || !args[0].IsNumeric() && args[0].Kind != types.Unknown || !types.CanCoerce(args[1], types.IntegerType) {
		return Binding{}, UnexpectedParams("truncate", args, expected...)
	}
	t := args[0]
	switch {
	case t.Kind == types.Unknown:
		t = types.DoubleType
	case t.IsInteger():
		t, _ = types.AsDecimal(t)
	}
	params := []types.Type{t, types.IntegerType}
	switch t.Kind {
	case types.Double:
		return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			return binaryFixed(ctx, t.Arrow(), in[0], in[1], n, func(x float64, d int32) float64 { return truncateFloat(x, int(d), 64) }), nil
		}}, nil
	case types.Real:
		return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			return binaryFixed(ctx, t.Arrow(), in[0], in[1], n, func(x float32, d int32) float32 { return float32(truncateFloat(float64(x), int(d), 32)) }), nil
		}}, nil
	}
	return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		src := decimalValues(in[0])
		d := values[int32](in[1])
		res := make([]i128, n)
		for i, v := range src {
			drop := t.Scale - int(d[i])
			switch {
			case drop <= 0:
				res[i] = v
			case drop > t.Precision:
				// Every digit goes: zero.
			default:
				res[i] = v.sub(v.rem(pow10[drop]))
			}
		}
		valid, nulls := andValidity(ctx.Alloc, n, in...)
		return decimalResult(ctx, t, res, valid, nulls), nil
	}}, nil
}

// truncateFloat is Trino's truncate(double, integer): the shortest decimal
// form of x (Java's Double.toString, or Float.toString for real) cut to d
// fractional digits toward zero, read back as a float.
func truncateFloat(x float64, d int, bitsize int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	if d == 0 {
		return math.Trunc(x)
	}
	s := strconv.FormatFloat(x, 'f', -1, bitsize)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	switch {
	case d > 0:
		if len(frac) > d {
			frac = frac[:d]
		}
	case -d >= len(intPart):
		intPart, frac = "0", ""
	default:
		intPart, frac = intPart[:len(intPart)+d]+strings.Repeat("0", -d), ""
	}
	r, _ := strconv.ParseFloat(intPart+"."+frac+"0", 64)
	if neg {
		r = -r
	}
	return r
}

func mustMul(a, b i128) i128 {
	r, _ := a.mul(b)
	return r
}

// divTrunc divides truncating toward zero; d != 0.
func (a i128) divTrunc(d i128) i128 {
	r := a.rem(d)
	q := a.sub(r).divRound(d)
	return q
}
