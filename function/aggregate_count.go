package function

// count(*), count(x), count_if(x), bool_and/every and bool_or.

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

func bindCount(args []types.Type) (AggBinding, error) {
	switch len(args) {
	case 0:
		return AggBinding{Result: types.BigIntType, New: func(ctx *Context) GroupAccumulator { return &countAcc{ctx: ctx} }}, nil
	case 1:
		return AggBinding{Args: []types.Type{args[0]}, Result: types.BigIntType, New: func(ctx *Context) GroupAccumulator { return &countAcc{ctx: ctx} }}, nil
	}
	return AggBinding{}, UnexpectedParams("count", args, "count()", "count(t)")
}

func bindCountIf(args []types.Type) (AggBinding, error) {
	if len(args) != 1 || (args[0].Kind != types.Boolean && args[0].Kind != types.Unknown) {
		return AggBinding{}, UnexpectedParams("count_if", args, "count_if(boolean)")
	}
	return AggBinding{Args: []types.Type{types.BooleanType}, Result: types.BigIntType, New: func(ctx *Context) GroupAccumulator { return &countAcc{ctx: ctx, onlyTrue: true} }}, nil
}

// countAcc counts rows (no argument), non-NULL values, or TRUE values.
type countAcc struct {
	ctx      *Context
	counts   []int64
	onlyTrue bool
}

func (a *countAcc) Resize(n int) { a.counts = aggGrow(a.counts, n) }

func (a *countAcc) Update(args []arrow.Array, groups []uint32) error {
	counts := a.counts
	if len(args) == 0 {
		for _, g := range groups {
			counts[g]++
		}
		return nil
	}
	v := aggValidity(args[0])
	if a.onlyTrue {
		b, ok := args[0].(*array.Boolean)
		if !ok {
			return nil // all NULL
		}
		for i, g := range groups {
			if v.valid(i) && b.Value(i) {
				counts[g]++
			}
		}
		return nil
	}
	if v.bits == nil {
		if v.allNull {
			return nil
		}
		for _, g := range groups {
			counts[g]++
		}
		return nil
	}
	for i, g := range groups {
		if v.valid(i) {
			counts[g]++
		}
	}
	return nil
}

func (a *countAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*countAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		a.counts[g] += o.counts[j]
	}
	return nil
}

func (a *countAcc) Result() (arrow.Array, error) {
	b := array.NewInt64Builder(a.ctx.Alloc)
	defer b.Release()
	b.AppendValues(a.counts, nil)
	return b.NewArray(), nil
}

func (a *countAcc) Size() int64 { return int64(cap(a.counts)) * 8 }
func (a *countAcc) Release()    { a.counts = nil }

// ---- bool_and, bool_or ------------------------------------------------------

func bindBool(name string, args []types.Type) (AggBinding, error) {
	if len(args) != 1 || (args[0].Kind != types.Boolean && args[0].Kind != types.Unknown) {
		return AggBinding{}, UnexpectedParams(name, args, name+"(boolean)")
	}
	and := name == "bool_and"
	return AggBinding{Args: []types.Type{types.BooleanType}, Result: types.BooleanType, New: func(ctx *Context) GroupAccumulator {
		return &boolAcc{ctx: ctx, and: and}
	}}, nil
}

// boolAcc folds booleans with AND or OR; state is 0 (no value yet), 1
// (true) or 2 (false).
type boolAcc struct {
	ctx   *Context
	and   bool
	state []uint8
}

func (a *boolAcc) Resize(n int) { a.state = aggGrow(a.state, n) }

func (a *boolAcc) fold(g uint32, v bool) {
	s := a.state[g]
	switch {
	case s == 0:
		a.state[g] = 2
		if v {
			a.state[g] = 1
		}
	case a.and && !v:
		a.state[g] = 2
	case !a.and && v:
		a.state[g] = 1
	}
}

func (a *boolAcc) Update(args []arrow.Array, groups []uint32) error {
	b, ok := args[0].(*array.Boolean)
	if !ok {
		return nil
	}
	v := aggValidity(b)
	for i, g := range groups {
		if v.valid(i) {
			a.fold(g, b.Value(i))
		}
	}
	return nil
}

func (a *boolAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*boolAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		if s := o.state[j]; s != 0 {
			a.fold(g, s == 1)
		}
	}
	return nil
}

func (a *boolAcc) Result() (arrow.Array, error) {
	b := array.NewBooleanBuilder(a.ctx.Alloc)
	defer b.Release()
	b.Reserve(len(a.state))
	for _, s := range a.state {
		if s == 0 {
			b.UnsafeAppendBoolToBitmap(false)
		} else {
			b.UnsafeAppend(s == 1)
		}
	}
	return b.NewArray(), nil
}

func (a *boolAcc) Size() int64 { return int64(cap(a.state)) }
func (a *boolAcc) Release()    { a.state = nil }
