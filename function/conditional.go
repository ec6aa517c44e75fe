package function

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/quarry-sql/quarry/types"
)

// Conditional functions. TRY and CASE are evaluator constructs, not
// functions; they live in exec.

func registerConditional(r *Registry) {
	r.AddScalar(&Scalar{Name: "coalesce", Bind: bindCoalesce})
	r.AddScalar(&Scalar{Name: "nullif", Bind: bindNullif})
	r.AddScalar(&Scalar{Name: "if", Bind: bindIf})
	r.AddScalar(&Scalar{Name: "greatest", Bind: bindExtreme("greatest", 1)})
	r.AddScalar(&Scalar{Name: "least", Bind: bindExtreme("least", -1)})
	r.AddScalar(&Scalar{Name: "typeof", Bind: bindTypeof})
}

// commonType folds CommonSuperType over ts; unknown stays only if all are.
func commonType(name string, ts []types.Type) (types.Type, error) {
	c := types.UnknownType
	for _, t := range ts {
		s, ok := types.CommonSuperType(c, t)
		if !ok {
			return types.Type{}, fmt.Errorf("All %s arguments must be the same type or coercible to a common type. Cannot find common type between %s and %s", name, c, t)
		}
		c = s
	}
	return c, nil
}

func repeatType(t types.Type, n int) []types.Type {
	out := make([]types.Type, n)
	for i := range out {
		out[i] = t
	}
	return out
}

func bindCoalesce(args []types.Type) (Binding, error) {
	if len(args) < 1 {
		return Binding{}, UnexpectedParams("coalesce", args)
	}
	t, err := commonType("coalesce", args)
	if err != nil {
		return Binding{}, err
	}
	return Binding{Args: repeatType(t, len(args)), Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		pick := make([]int32, n)
		vs := make([]bitmap, len(in))
		for j, a := range in {
			vs[j] = validity(a)
		}
		for i := range pick {
			pick[i] = -1
			for j := range in {
				if vs[j].valid(i) {
					pick[i] = int32(j)
					break
				}
			}
		}
		return pickRows(ctx, t.Arrow(), in, pick)
	}}, nil
}

func bindNullif(args []types.Type) (Binding, error) {
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("nullif", args, "nullif(T, T)")
	}
	a, b, eq, err := compareKernelFor(args[0], args[1], cmpEq)
	if err != nil {
		return Binding{}, err
	}
	return Binding{Args: []types.Type{a, b}, Result: a, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		e, err := eq(ctx, in, n)
		if err != nil {
			return nil, err
		}
		defer e.Release()
		ev, evalid := boolValues(e), validity(e)
		va := validity(in[0])
		pick := make([]int32, n)
		for i := range pick {
			pick[i] = 0
			if !va.valid(i) || evalid.valid(i) && ev.valid(i) {
				pick[i] = -1
			}
		}
		return pickRows(ctx, a.Arrow(), in[:1], pick)
	}}, nil
}

func bindIf(args []types.Type) (Binding, error) {
	if len(args) != 2 && len(args) != 3 || args[0].Kind != types.Boolean && args[0].Kind != types.Unknown {
		return Binding{}, UnexpectedParams("if", args, "if(boolean, T)", "if(boolean, T, T)")
	}
	t, err := commonType("if", args[1:])
	if err != nil {
		return Binding{}, err
	}
	params := append([]types.Type{types.BooleanType}, repeatType(t, len(args)-1)...)
	return Binding{Args: params, Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		cv, cvalid := boolValues(in[0]), validity(in[0])
		pick := make([]int32, n)
		for i := range pick {
			switch {
			case cvalid.valid(i) && cv.valid(i):
				pick[i] = 0
			case len(in) == 3:
				pick[i] = 1
			default:
				pick[i] = -1
			}
		}
		return pickRows(ctx, t.Arrow(), in[1:], pick)
	}}, nil
}

// bindExtreme binds greatest (sign 1) and least (sign -1): NULL when any
// argument is NULL, as Trino.
func bindExtreme(name string, sign int) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) < 1 {
			return Binding{}, UnexpectedParams(name, args)
		}
		t, err := commonType(name, args)
		if err != nil {
			return Binding{}, err
		}
		if t.Kind == types.Unknown {
			t = types.BigIntType
		}
		if !t.IsOrderable() || t.Kind == types.Array || t.Kind == types.Row {
			return Binding{}, fmt.Errorf("Cannot apply %s to %s", name, t)
		}
		return Binding{Args: repeatType(t, len(args)), Result: t, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			cmp, err := rowComparator(t, in)
			if err != nil {
				return nil, err
			}
			pick := make([]int32, n)
			for i := range pick {
				if anyNull(in, i) {
					pick[i] = -1
					continue
				}
				best := 0
				for j := 1; j < len(in); j++ {
					if cmp(j, best, i)*sign > 0 {
						best = j
					}
				}
				pick[i] = int32(best)
			}
			return pickRows(ctx, t.Arrow(), in, pick)
		}}, nil
	}
}

// rowComparator compares row i of argument j with row i of argument k.
func rowComparator(t types.Type, in []arrow.Array) (func(j, k, i int) int, error) {
	switch t.Kind {
	case types.TinyInt:
		return fixedComparator[int8](in), nil
	case types.SmallInt:
		return fixedComparator[int16](in), nil
	case types.Integer, types.Date, types.IntervalYearMonth:
		return fixedComparator[int32](in), nil
	case types.BigInt, types.Timestamp, types.TimestampTZ, types.Time, types.IntervalDayTime:
		return fixedComparator[int64](in), nil
	case types.Real:
		return fixedComparator[float32](in), nil
	case types.Double:
		return fixedComparator[float64](in), nil
	case types.Decimal:
		vs := make([][]i128, len(in))
		for j, a := range in {
			vs[j] = decimalValues(a)
		}
		return func(j, k, i int) int { return vs[j][i].cmp(vs[k][i]) }, nil
	case types.Boolean:
		vs := make([]bitmap, len(in))
		for j, a := range in {
			vs[j] = boolValues(a)
		}
		return func(j, k, i int) int { return b2i(vs[j].valid(i)) - b2i(vs[k].valid(i)) }, nil
	case types.Varchar, types.Char, types.Varbinary:
		vs := make([]strs, len(in))
		for j, a := range in {
			vs[j] = stringsOf(a)
		}
		return func(j, k, i int) int {
			x, y := vs[j].at(i), vs[k].at(i)
			return b2i(x > y) - b2i(x < y)
		}, nil
	}
	return nil, fmt.Errorf("Cannot compare values of type %s", t)
}

func fixedComparator[T fixed](in []arrow.Array) func(j, k, i int) int {
	vs := make([][]T, len(in))
	for j, a := range in {
		vs[j] = values[T](a)
	}
	return func(j, k, i int) int {
		x, y := vs[j][i], vs[k][i]
		return b2i(x > y) - b2i(x < y)
	}
}

func bindTypeof(args []types.Type) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("typeof", args, "typeof(T)")
	}
	name := args[0].String()
	return Binding{Args: args, Result: types.VarcharType, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		b := stringOut(ctx.Alloc, n, n*len(name))
		defer b.Release()
		for i := 0; i < n; i++ {
			b.Append(name)
		}
		return b.NewArray(), nil
	}}, nil
}

// pickRows builds an array whose row i is row i of srcs[pick[i]], or NULL
// when pick[i] < 0. Every source has the result type dt.
func pickRows(ctx *Context, dt arrow.DataType, srcs []arrow.Array, pick []int32) (arrow.Array, error) {
	n := len(pick)
	vs := make([]bitmap, len(srcs))
	for j, s := range srcs {
		vs[j] = validity(s)
	}
	valid := newValidity(ctx.Alloc, n)
	vbits := valid.Bytes()
	for i, p := range pick {
		if p < 0 || !vs[p].valid(i) {
			bitutil.ClearBit(vbits, i)
			pick[i] = -1
		}
	}
	nulls := countNulls(valid, n)
	switch dt.ID() {
	case arrow.BOOL:
		w := newBoolWriter(ctx.Alloc, n)
		bv := make([]bitmap, len(srcs))
		for j, s := range srcs {
			bv[j] = boolValues(s)
		}
		for i, p := range pick {
			if p >= 0 {
				w.set(i, bv[p].valid(i))
			}
		}
		return finish(dt, n, valid, nulls, w.buf), nil
	case arrow.STRING, arrow.BINARY:
		valid.Release()
		ss := make([]strs, len(srcs))
		size := 0
		for j, s := range srcs {
			ss[j] = stringsOf(s)
			size = max(size, dataLen(s))
		}
		bld := array.NewBuilder(ctx.Alloc, dt)
		defer bld.Release()
		var b *array.BinaryBuilder
		switch x := bld.(type) {
		case *array.StringBuilder:
			b = x.BinaryBuilder
		case *array.BinaryBuilder:
			b = x
		}
		b.Reserve(n)
		b.ReserveData(size)
		for i, p := range pick {
			if p < 0 {
				b.AppendNull()
				continue
			}
			b.Append(ss[p].bytesAt(i))
		}
		return bld.NewArray(), nil
	}
	if fw, ok := dt.(arrow.FixedWidthDataType); ok && fw.BitWidth() >= 8 && !isNullType(srcs) {
		w := fw.BitWidth() / 8
		buf, out := allocFixed[uint8](ctx.Alloc, n*w)
		raw := make([][]byte, len(srcs))
		for j, s := range srcs {
			d := s.Data()
			raw[j] = d.Buffers()[1].Bytes()[d.Offset()*w:]
		}
		for i, p := range pick {
			if p >= 0 {
				copy(out[i*w:(i+1)*w], raw[p][i*w:(i+1)*w])
			}
		}
		return finish(dt, n, valid, nulls, buf), nil
	}
	valid.Release()
	return pickRowsSlow(ctx, dt, srcs, pick)
}

func isNullType(srcs []arrow.Array) bool {
	for _, s := range srcs {
		if s.DataType().ID() == arrow.NULL || len(s.Data().Buffers()) < 2 || s.Data().Buffers()[1] == nil {
			return true
		}
	}
	return false
}

// pickRowsSlow handles nested types by concatenating runs of rows that
// come from the same source.
func pickRowsSlow(ctx *Context, dt arrow.DataType, srcs []arrow.Array, pick []int32) (arrow.Array, error) {
	var parts []arrow.Array
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	for i := 0; i < len(pick); {
		j := i
		for j < len(pick) && pick[j] == pick[i] {
			j++
		}
		if pick[i] < 0 || srcs[pick[i]].DataType().ID() == arrow.NULL {
			parts = append(parts, array.MakeArrayOfNull(ctx.Alloc, dt, j-i))
		} else {
			parts = append(parts, array.NewSlice(srcs[pick[i]], int64(i), int64(j)))
		}
		i = j
	}
	if len(parts) == 0 {
		return array.MakeArrayOfNull(ctx.Alloc, dt, 0), nil
	}
	return array.Concatenate(parts, ctx.Alloc)
}
