package function

// sum and avg. Integers sum into a checked bigint (overflow is an error,
// as in Trino). Decimals sum exactly: short decimals accumulate in an int64
// plus a count of 2^64 wraps, so the hot loop stays on machine words and a
// sum of decimal(15,2) never loses a cent; long decimals accumulate in
// 128 bits plus a count of 2^128 wraps. avg of a decimal rounds half up.

import (
	"fmt"
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

type sumKind uint8

const (
	sumChecked sumKind = iota // integers and intervals, overflow is an error
	sumWide64                 // short decimals (and integers under avg): int64 + wraps
	sumWide128                // long decimals: 128 bits + wraps
	sumFloat                  // real and double
)

func bindSum(args []types.Type) (AggBinding, error) {
	bad := func() (AggBinding, error) {
		return AggBinding{}, UnexpectedParams("sum", args, "sum(bigint)", "sum(double)", "sum(real)", "sum(decimal(p,s))",
			"sum(interval day to second)", "sum(interval year to month)")
	}
	if len(args) != 1 {
		return bad()
	}
	in := aggUnknown(args[0], types.BigIntType)
	var kind sumKind
	out := in
	switch {
	case in.IsInteger():
		in, out, kind = types.BigIntType, types.BigIntType, sumChecked
	case in.Kind == types.IntervalDayTime || in.Kind == types.IntervalYearMonth:
		kind = sumChecked
	case in.Kind == types.Real || in.Kind == types.Double:
		kind = sumFloat
	case in.Kind == types.Decimal:
		out = types.DecimalOf(types.MaxDecimalPrecision, in.Scale)
		kind = sumWide64
		if !in.IsShortDecimal() {
			kind = sumWide128
		}
	default:
		return bad()
	}
	return AggBinding{Args: []types.Type{in}, Result: out, New: func(ctx *Context) GroupAccumulator {
		return &sumAcc{ctx: ctx, kind: kind, in: in, out: out}
	}}, nil
}

func bindAvg(args []types.Type) (AggBinding, error) {
	bad := func() (AggBinding, error) {
		return AggBinding{}, UnexpectedParams("avg", args, "avg(bigint)", "avg(double)", "avg(real)", "avg(decimal(p,s))")
	}
	if len(args) != 1 {
		return bad()
	}
	in := aggUnknown(args[0], types.BigIntType)
	var kind sumKind
	out := in
	switch {
	case in.IsInteger():
		out, kind = types.DoubleType, sumWide64
	case in.Kind == types.Real || in.Kind == types.Double:
		kind = sumFloat
	case in.Kind == types.Decimal:
		kind = sumWide64
		if !in.IsShortDecimal() {
			kind = sumWide128
		}
	default:
		return bad()
	}
	return AggBinding{Args: []types.Type{in}, Result: out, New: func(ctx *Context) GroupAccumulator {
		return &sumAcc{ctx: ctx, kind: kind, in: in, out: out, avg: true}
	}}, nil
}

// sumAcc is the state of sum and avg.
type sumAcc struct {
	ctx     *Context
	kind    sumKind
	avg     bool
	in, out types.Type

	ints   []int64          // sumChecked sums; sumWide64 low words
	ovf    []int64          // sumWide64/sumWide128 wraps
	decs   []decimal128.Num // sumWide128 low 128 bits
	floats []float64        // sumFloat
	counts []int64          // non-NULL inputs
}

func (a *sumAcc) Resize(n int) {
	a.counts = aggGrow(a.counts, n)
	switch a.kind {
	case sumChecked:
		a.ints = aggGrow(a.ints, n)
	case sumWide64:
		a.ints, a.ovf = aggGrow(a.ints, n), aggGrow(a.ovf, n)
	case sumWide128:
		a.decs, a.ovf = aggGrow(a.decs, n), aggGrow(a.ovf, n)
	case sumFloat:
		a.floats = aggGrow(a.floats, n)
	}
}

type aggSignedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// aggAddWide64 adds x into the wrapping sum s, counting wraps in ovf.

func aggUpdateWide64[T aggSignedInt](a *sumAcc, vals []T, v aggBits, groups []uint32) {
	ints, ovf, counts := a.ints, a.ovf, a.counts
	if v.bits == nil {
		for i, g := range groups {
			WideAdd64(&ints[g], &ovf[g], int64(vals[i]))
			counts[g]++
		}
		return
	}
	for i, g := range groups {
		if v.valid(i) {
			WideAdd64(&ints[g], &ovf[g], int64(vals[i]))
			counts[g]++
		}
	}
}

func aggUpdateChecked[T aggSignedInt](a *sumAcc, vals []T, v aggBits, groups []uint32) error {
	ints, counts := a.ints, a.counts
	for i, g := range groups {
		if v.bits != nil && !v.valid(i) {
			continue
		}
		x, s := int64(vals[i]), ints[g]
		r := s + x
		if (s^r)&(x^r) < 0 {
			return fmt.Errorf("%s addition overflow: %d + %d", a.out, s, x)
		}
		ints[g] = r
		counts[g]++
	}
	return nil
}

func aggUpdateFloat[T float32 | float64](a *sumAcc, vals []T, v aggBits, groups []uint32) {
	floats, counts := a.floats, a.counts
	for i, g := range groups {
		if v.bits == nil || v.valid(i) {
			floats[g] += float64(vals[i])
			counts[g]++
		}
	}
}

// aggAddWide128 adds x into s, counting 2^128 wraps in ovf.

func (a *sumAcc) Update(args []arrow.Array, groups []uint32) error {
	v := aggValidity(args[0])
	if v.allNull {
		return nil
	}
	switch c := args[0].(type) {
	case *array.Int64:
		if a.kind == sumChecked {
			return aggUpdateChecked(a, c.Int64Values(), v, groups)
		}
		aggUpdateWide64(a, c.Int64Values(), v, groups)
	case *array.Int32:
		aggUpdateWide64(a, c.Int32Values(), v, groups)
	case *array.Int16:
		aggUpdateWide64(a, c.Int16Values(), v, groups)
	case *array.Int8:
		aggUpdateWide64(a, c.Int8Values(), v, groups)
	case *array.Decimal64:
		aggUpdateWide64(a, c.Values(), v, groups)
	case *array.Duration:
		return aggUpdateChecked(a, c.DurationValues(), v, groups)
	case *array.MonthInterval:
		return aggUpdateChecked(a, c.MonthIntervalValues(), v, groups)
	case *array.Float64:
		aggUpdateFloat(a, c.Float64Values(), v, groups)
	case *array.Float32:
		aggUpdateFloat(a, c.Float32Values(), v, groups)
	case *array.Decimal128:
		vals := c.Values()
		for i, g := range groups {
			if v.bits == nil || v.valid(i) {
				WideAdd128(&a.decs[g], &a.ovf[g], vals[i])
				a.counts[g]++
			}
		}
	default:
		return fmt.Errorf("BUG: sum over %s", args[0].DataType())
	}
	return nil
}

func (a *sumAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*sumAcc)
	if !ok || o.kind != a.kind {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		if o.counts[j] == 0 {
			continue
		}
		a.counts[g] += o.counts[j]
		switch a.kind {
		case sumChecked:
			s, x := a.ints[g], o.ints[j]
			r := s + x
			if (s^r)&(x^r) < 0 {
				return fmt.Errorf("%s addition overflow: %d + %d", a.out, s, x)
			}
			a.ints[g] = r
		case sumWide64:
			WideAdd64(&a.ints[g], &a.ovf[g], o.ints[j])
			a.ovf[g] += o.ovf[j]
		case sumWide128:
			WideAdd128(&a.decs[g], &a.ovf[g], o.decs[j])
			a.ovf[g] += o.ovf[j]
		case sumFloat:
			a.floats[g] += o.floats[j]
		}
	}
	return nil
}

func (a *sumAcc) Result() (arrow.Array, error) {
	n := len(a.counts)
	valid := make([]bool, n)
	for g, c := range a.counts {
		valid[g] = c > 0
	}
	switch {
	case a.kind == sumChecked:
		return aggBuildInt64s(a.ctx, a.out, a.ints, valid), nil
	case a.kind == sumFloat:
		vals := make([]float64, n)
		for g := range vals {
			vals[g] = a.floats[g]
			if a.avg && valid[g] {
				vals[g] /= float64(a.counts[g])
			}
		}
		return aggBuildFloat64s(a.ctx, a.out, vals, valid), nil
	case a.out.Kind == types.Double: // avg of integers
		vals := make([]float64, n)
		for g := range vals {
			if !valid[g] {
				continue
			}
			if a.ovf[g] == 0 {
				vals[g] = float64(a.ints[g]) / float64(a.counts[g])
			} else {
				f, _ := new(big.Float).SetInt(Wide64Big(a.ints[g], a.ovf[g])).Float64()
				vals[g] = f / float64(a.counts[g])
			}
		}
		return aggBuildFloat64s(a.ctx, a.out, vals, valid), nil
	}
	// Decimals.
	vals := make([]decimal128.Num, n)
	for g := range vals {
		if !valid[g] {
			continue
		}
		var exact *big.Int
		switch {
		case a.kind == sumWide64 && a.avg && a.ovf[g] == 0:
			vals[g] = decimal128.FromI64(AvgHalfUp(a.ints[g], a.counts[g]))
			continue
		case a.kind == sumWide64 && !a.avg:
			s, ovf := a.ints[g], a.ovf[g]
			vals[g] = decimal128.New(ovf+(s>>63), uint64(s))
			if ovf > math.MaxInt32 || ovf < math.MinInt32 || !vals[g].FitsInPrecision(int32(a.out.Precision)) {
				return nil, fmt.Errorf("Decimal overflow in sum(%s)", a.in)
			}
			continue
		case a.kind == sumWide64:
			exact = Wide64Big(a.ints[g], a.ovf[g])
		default:
			exact = Wide128Big(a.decs[g], a.ovf[g])
		}
		if a.avg {
			exact = DivHalfUp(exact, a.counts[g])
		}
		if exact.BitLen() > 127 {
			return nil, fmt.Errorf("Decimal overflow in %s(%s)", a.name(), a.in)
		}
		vals[g] = decimal128.FromBigInt(exact)
		if !vals[g].FitsInPrecision(int32(a.out.Precision)) {
			return nil, fmt.Errorf("Decimal overflow in %s(%s)", a.name(), a.in)
		}
	}
	return aggBuildDecimals(a.ctx, a.out, vals, valid), nil
}

func (a *sumAcc) name() string {
	if a.avg {
		return "avg"
	}
	return "sum"
}

func (a *sumAcc) Size() int64 {
	return int64(cap(a.ints)+cap(a.ovf)+cap(a.floats)+cap(a.counts))*8 + int64(cap(a.decs))*16
}

func (a *sumAcc) Release() {
	a.ints, a.ovf, a.decs, a.floats, a.counts = nil, nil, nil, nil, nil
}
