package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Lambda is a compiled lambda body. It is evaluated over a batch whose
// columns are the captured outer columns (in Captures order, gathered by
// parent row) followed by one column per parameter.
type Lambda struct {
	Body     Expr
	Captures []int // input batch columns the body reads
	Params   []types.Type
}

// LambdaCall applies a higher-order function (transform, filter, reduce,
// any_match, all_match, none_match, zip_with) element-wise, vectorized over
// all elements of a batch at once.
type LambdaCall struct {
	Name   string
	Args   []Expr // the non-lambda arguments, in order
	Fn     *Lambda
	Output *Lambda // reduce's output function
	T      types.Type
}

func (e *LambdaCall) Type() types.Type { return e.T }
func (e *LambdaCall) String() string   { return fmt.Sprintf("%s(%v, lambda)", e.Name, e.Args) }

// elems flattens a list array: for every element, its parent row and its
// index in the values array.
func elems(l *array.List) (parent []int32, idx []int32) {
	for r := 0; r < l.Len(); r++ {
		if l.IsNull(r) {
			continue
		}
		s, e := l.ValueOffsets(r)
		for i := s; i < e; i++ {
			parent = append(parent, int32(r))
			idx = append(idx, int32(i))
		}
	}
	return parent, idx
}

// apply evaluates a lambda over rows given by parent (into the outer batch)
// and parameter arrays (one value per row).
func (l *Lambda) apply(ctx *Context, outer arrow.Record, parent []int32, params []arrow.Array) (arrow.Array, error) {
	n := len(parent)
	cols := make([]arrow.Array, 0, len(l.Captures)+len(params))
	fields := make([]arrow.Field, 0, cap(cols))
	defer func() { releaseAll(cols) }()
	for _, c := range l.Captures {
		a := Take(ctx.Alloc, outer.Column(c), parent)
		cols = append(cols, a)
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("c%d", c), Type: a.DataType(), Nullable: true})
	}
	for i, p := range params {
		p.Retain()
		cols = append(cols, p)
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("p%d", i), Type: p.DataType(), Nullable: true})
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(n))
	defer rec.Release()
	return l.Body.Eval(ctx, rec)
}

func (e *LambdaCall) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	args, err := evalAll(ctx, b, e.Args)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	n := int(b.NumRows())
	switch e.Name {
	case "transform", "filter", "any_match", "all_match", "none_match":
		l, ok := args[0].(*array.List)
		if !ok {
			return nil, fmt.Errorf("BUG: %s over %s", e.Name, args[0].DataType())
		}
		parent, idx := elems(l)
		values := Take(ctx.Alloc, l.ListValues(), idx)
		defer values.Release()
		res, err := e.Fn.apply(ctx, b, parent, []arrow.Array{values})
		if err != nil {
			return nil, err
		}
		defer res.Release()
		switch e.Name {
		case "transform":
			return rebuildList(ctx.Alloc, e.T, l, parent, res, nil)
		case "filter":
			mask := AsBoolean(res)
			keep := make([]bool, len(parent))
			for i := range keep {
				keep[i] = mask.IsValid(i) && mask.Value(i)
			}
			return rebuildList(ctx.Alloc, e.T, l, parent, values, keep)
		}
		mask := AsBoolean(res)
		// Three-valued: a match decides; otherwise a NULL makes it NULL.
		hit := make([]bool, n)
		miss := make([]bool, n)
		null := make([]bool, n)
		for i, p := range parent {
			switch {
			case mask.IsNull(i):
				null[p] = true
			case mask.Value(i):
				hit[p] = true
			default:
				miss[p] = true
			}
		}
		bld := array.NewBooleanBuilder(ctx.Alloc)
		defer bld.Release()
		for r := 0; r < n; r++ {
			if l.IsNull(r) {
				bld.AppendNull()
				continue
			}
			switch e.Name {
			case "any_match":
				if hit[r] {
					bld.Append(true)
				} else if null[r] {
					bld.AppendNull()
				} else {
					bld.Append(false)
				}
			case "all_match":
				if miss[r] {
					bld.Append(false)
				} else if null[r] {
					bld.AppendNull()
				} else {
					bld.Append(true)
				}
			case "none_match":
				if hit[r] {
					bld.Append(false)
				} else if null[r] {
					bld.AppendNull()
				} else {
					bld.Append(true)
				}
			}
		}
		return bld.NewArray(), nil
	case "zip_with":
		l1, ok1 := args[0].(*array.List)
		l2, ok2 := args[1].(*array.List)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("BUG: zip_with over %s, %s", args[0].DataType(), args[1].DataType())
		}
		var parent, i1, i2 []int32
		for r := 0; r < n; r++ {
			if l1.IsNull(r) || l2.IsNull(r) {
				continue
			}
			s1, e1 := l1.ValueOffsets(r)
			s2, e2 := l2.ValueOffsets(r)
			m := max(e1-s1, e2-s2)
			for k := int64(0); k < m; k++ {
				parent = append(parent, int32(r))
				a, c := int32(-1), int32(-1)
				if k < e1-s1 {
					a = int32(s1 + k)
				}
				if k < e2-s2 {
					c = int32(s2 + k)
				}
				i1, i2 = append(i1, a), append(i2, c)
			}
		}
		v1 := Take(ctx.Alloc, l1.ListValues(), i1)
		defer v1.Release()
		v2 := Take(ctx.Alloc, l2.ListValues(), i2)
		defer v2.Release()
		res, err := e.Fn.apply(ctx, b, parent, []arrow.Array{v1, v2})
		if err != nil {
			return nil, err
		}
		defer res.Release()
		nulls := make([]bool, n)
		for r := 0; r < n; r++ {
			nulls[r] = l1.IsNull(r) || l2.IsNull(r)
		}
		return listFromParents(ctx.Alloc, e.T, n, nulls, parent, res)
	case "reduce":
		return e.reduce(ctx, b, args)
	}
	return nil, fmt.Errorf("BUG: lambda function %s", e.Name)
}

// reduce folds each array left to right: state = fn(state, x), then the
// output function. All rows advance one element position per step.
func (e *LambdaCall) reduce(ctx *Context, b arrow.Record, args []arrow.Array) (arrow.Array, error) {
	n := int(b.NumRows())
	l, ok := args[0].(*array.List)
	if !ok {
		return nil, fmt.Errorf("BUG: reduce over %s", args[0].DataType())
	}
	state := args[1]
	state.Retain()
	defer func() { state.Release() }()
	all := make([]int32, n)
	for r := range all {
		all[r] = int32(r)
	}
	for k := int64(0); ; k++ {
		var rows, idx []int32
		for r := 0; r < n; r++ {
			if l.IsNull(r) {
				continue
			}
			s, e := l.ValueOffsets(r)
			if k < e-s {
				rows = append(rows, int32(r))
				idx = append(idx, int32(s+k))
			}
		}
		if len(rows) == 0 {
			break
		}
		st := Take(ctx.Alloc, state, rows)
		x := Take(ctx.Alloc, l.ListValues(), idx)
		next, err := e.Fn.apply(ctx, b, rows, []arrow.Array{st, x})
		st.Release()
		x.Release()
		if err != nil {
			return nil, err
		}
		// Scatter the advanced states back over all rows.
		j := 0
		merged := array.NewBuilder(ctx.Alloc, state.DataType())
		for r := 0; r < n; r++ {
			if j < len(rows) && int(rows[j]) == r {
				if err := AppendValue(merged, next, j); err != nil {
					merged.Release()
					next.Release()
					return nil, err
				}
				j++
			} else if err := AppendValue(merged, state, r); err != nil {
				merged.Release()
				next.Release()
				return nil, err
			}
		}
		next.Release()
		state.Release()
		state = merged.NewArray()
		merged.Release()
	}
	out, err := e.Output.apply(ctx, b, all, []arrow.Array{state})
	if err != nil {
		return nil, err
	}
	// A NULL array reduces to NULL.
	if l.NullN() == 0 {
		return out, nil
	}
	defer out.Release()
	idx := make([]int32, n)
	for r := range idx {
		idx[r] = int32(r)
		if l.IsNull(r) {
			idx[r] = -1
		}
	}
	return Take(ctx.Alloc, out, idx), nil
}

// rebuildList makes a list with l's rows and validity whose elements are
// values (one per element of l, in order), keeping only those with keep
// true when keep is not nil.
func rebuildList(mem memory.Allocator, t types.Type, l *array.List, parent []int32, values arrow.Array, keep []bool) (arrow.Array, error) {
	n := l.Len()
	nulls := make([]bool, n)
	for r := 0; r < n; r++ {
		nulls[r] = l.IsNull(r)
	}
	if keep == nil {
		return listFromParents(mem, t, n, nulls, parent, values)
	}
	var p2, idx []int32
	for i, k := range keep {
		if k {
			p2 = append(p2, parent[i])
			idx = append(idx, int32(i))
		}
	}
	kept := Take(mem, values, idx)
	defer kept.Release()
	return listFromParents(mem, t, n, nulls, p2, kept)
}

// listFromParents builds a list of n rows from elements tagged with their
// (non-decreasing) parent rows.
func listFromParents(mem memory.Allocator, t types.Type, n int, nulls []bool, parent []int32, values arrow.Array) (arrow.Array, error) {
	lb := array.NewBuilder(mem, t.Arrow()).(*array.ListBuilder)
	defer lb.Release()
	vb := lb.ValueBuilder()
	j := 0
	for r := 0; r < n; r++ {
		if nulls[r] {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		for j < len(parent) && int(parent[j]) == r {
			if err := AppendValue(vb, values, j); err != nil {
				return nil, err
			}
			j++
		}
	}
	return lb.NewArray(), nil
}
