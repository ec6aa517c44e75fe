package function

// stddev and variance families: Welford's online update per group, merged
// with Chan's parallel formula so partial aggregates combine exactly as
// one pass would (up to rounding).

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

type varianceFunc struct {
	name   string
	sample bool // divide by n-1 (NULL below two values) rather than n
	sqrt   bool
}

var varianceFuncs = []varianceFunc{
	{"stddev", true, true},
	{"stddev_samp", true, true},
	{"stddev_pop", false, true},
	{"variance", true, false},
	{"var_samp", true, false},
	{"var_pop", false, false},
}

func bindVariance(f varianceFunc) func(args []types.Type) (AggBinding, error) {
	return func(args []types.Type) (AggBinding, error) {
		if len(args) != 1 || !(args[0].IsNumeric() || args[0].Kind == types.Unknown) {
			return AggBinding{}, UnexpectedParams(f.name, args, f.name+"(bigint)", f.name+"(double)")
		}
		return AggBinding{Args: []types.Type{types.DoubleType}, Result: types.DoubleType, New: func(ctx *Context) GroupAccumulator {
			return &varianceAcc{ctx: ctx, f: f}
		}}, nil
	}
}

type varianceAcc struct {
	ctx      *Context
	f        varianceFunc
	n        []int64
	mean, m2 []float64
}

func (a *varianceAcc) Resize(n int) {
	a.n, a.mean, a.m2 = aggGrow(a.n, n), aggGrow(a.mean, n), aggGrow(a.m2, n)
}

func (a *varianceAcc) Update(args []arrow.Array, groups []uint32) error {
	c, ok := args[0].(*array.Float64)
	if !ok {
		return nil // all NULL
	}
	vals := c.Float64Values()
	v := aggValidity(c)
	for i, g := range groups {
		if v.bits != nil && !v.valid(i) {
			continue
		}
		x := vals[i]
		a.n[g]++
		d := x - a.mean[g]
		a.mean[g] += d / float64(a.n[g])
		a.m2[g] += d * (x - a.mean[g])
	}
	return nil
}

func (a *varianceAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*varianceAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		nb := o.n[j]
		if nb == 0 {
			continue
		}
		na := a.n[g]
		if na == 0 {
			a.n[g], a.mean[g], a.m2[g] = nb, o.mean[j], o.m2[j]
			continue
		}
		n := na + nb
		d := o.mean[j] - a.mean[g]
		a.mean[g] += d * float64(nb) / float64(n)
		a.m2[g] += o.m2[j] + d*d*float64(na)*float64(nb)/float64(n)
		a.n[g] = n
	}
	return nil
}

func (a *varianceAcc) Result() (arrow.Array, error) {
	b := array.NewFloat64Builder(a.ctx.Alloc)
	defer b.Release()
	b.Reserve(len(a.n))
	for g, n := range a.n {
		div := float64(n)
		if a.f.sample {
			div--
		}
		if div <= 0 {
			b.UnsafeAppendBoolToBitmap(false)
			continue
		}
		v := a.m2[g] / div
		if a.f.sqrt {
			v = math.Sqrt(v)
		}
		b.UnsafeAppend(v)
	}
	return b.NewArray(), nil
}

func (a *varianceAcc) Size() int64 { return int64(cap(a.n)+cap(a.mean)+cap(a.m2)) * 8 }
func (a *varianceAcc) Release()    { a.n, a.mean, a.m2 = nil, nil, nil }
