package exec

import (
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// Expr is a compiled, vectorized expression. Eval returns a new array with
// one value per row of the batch; the caller releases it.
type Expr interface {
	Eval(ctx *Context, b arrow.Record) (arrow.Array, error)
	Type() types.Type
	String() string
}

// ColRef reads a column of the input batch.
type ColRef struct {
	Index int
	T     types.Type
	Name  string
}

func (e *ColRef) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	a := b.Column(e.Index)
	a.Retain()
	return a, nil
}
func (e *ColRef) Type() types.Type { return e.T }
func (e *ColRef) String() string   { return fmt.Sprintf("#%d", e.Index) }

// Const is a constant broadcast to every row. The broadcast array of the
// largest batch so far is kept and shared (arrays are immutable; a smaller
// batch gets a slice of it), so a constant
// in a hot expression costs nothing per batch; it lives in Go memory, not
// the query's accounted allocator, since it outlives no query and is small.
type Const struct {
	Value any
	T     types.Type

	mu     sync.Mutex
	cached arrow.Array
}

func (e *Const) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	n := int(b.NumRows())
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cached != nil && e.cached.Len() >= n {
		if e.cached.Len() == n {
			e.cached.Retain()
			return e.cached, nil
		}
		return array.NewSlice(e.cached, 0, int64(n)), nil
	}
	// A full batch's worth at least: batches after a filter come in every
	// size, and each new largest one would otherwise rebuild the array.
	// Not for the one-row evaluations of constant folding, whose
	// constants are used once.
	m := n
	if n > 1 {
		m = max(n, source.DefaultBatchRows)
	}
	a, err := ConstArray(memory.DefaultAllocator, e.T, e.Value, m)
	if err != nil {
		return nil, err
	}
	if e.cached != nil {
		e.cached.Release()
	}
	e.cached = a
	if m == n {
		a.Retain()
		return a, nil
	}
	return array.NewSlice(a, 0, int64(n)), nil
}
func (e *Const) Type() types.Type { return e.T }
func (e *Const) String() string   { return fmt.Sprintf("%v", e.Value) }

// Call applies a scalar kernel to evaluated arguments.
type Call struct {
	Name   string
	Kernel function.Kernel
	Args   []Expr
	T      types.Type
}

func (e *Call) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	args, err := evalAll(ctx, b, e.Args)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	return e.Kernel(ctx.Fn, args, int(b.NumRows()))
}
func (e *Call) Type() types.Type { return e.T }
func (e *Call) String() string   { return fmt.Sprintf("%s(%v)", e.Name, e.Args) }

// Cast converts its argument with a cast kernel.
type Cast struct {
	Kernel function.Kernel1
	Arg    Expr
	T      types.Type
}

func (e *Cast) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	a, err := e.Arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return e.Kernel(ctx.Fn, a)
}
func (e *Cast) Type() types.Type { return e.T }
func (e *Cast) String() string   { return fmt.Sprintf("cast(%v as %s)", e.Arg, e.T) }

// IsNull tests for NULL (or NOT NULL when Not).
type IsNull struct {
	Arg Expr
	Not bool
}

func (e *IsNull) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	a, err := e.Arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	n := a.Len()
	bld := array.NewBooleanBuilder(ctx.Alloc)
	defer bld.Release()
	bld.Reserve(n)
	allNull := a.DataType().ID() == arrow.NULL
	for i := 0; i < n; i++ {
		bld.UnsafeAppend((allNull || a.IsNull(i)) != e.Not)
	}
	return bld.NewArray(), nil
}
func (e *IsNull) Type() types.Type { return types.BooleanType }
func (e *IsNull) String() string   { return fmt.Sprintf("isnull(%v, not=%v)", e.Arg, e.Not) }

// Case is a searched CASE. Branches are evaluated over the whole batch
// (vectorized); if any branch fails, the batch is re-evaluated row by row
// with SQL's short-circuit semantics, so an error in a branch that no row
// takes (CASE WHEN x <> 0 THEN 1 / x END) never surfaces.
type Case struct {
	Whens []Expr
	Thens []Expr
	Else  Expr // nil: NULL
	T     types.Type
}

func (e *Case) Type() types.Type { return e.T }
func (e *Case) String() string   { return fmt.Sprintf("case(%v, %v, %v)", e.Whens, e.Thens, e.Else) }

func (e *Case) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	out, err := e.evalVector(ctx, b)
	if err == nil || b.NumRows() <= 1 {
		return out, err
	}
	return evalRowByRow(ctx, b, e.T, func(row arrow.Record) (arrow.Array, error) { return e.evalVector(ctx, row) })
}

func (e *Case) evalVector(ctx *Context, b arrow.Record) (arrow.Array, error) {
	if len(e.Whens) == 1 && e.Else == nil {
		if out, ok, err := e.evalMask(ctx, b); ok || err != nil {
			return out, err
		}
	}
	n := int(b.NumRows())
	// choice[i] = branch index taken by row i; len(Whens) = ELSE.
	choice := make([]int32, n)
	decided := make([]bool, n)
	for i := range choice {
		choice[i] = int32(len(e.Whens))
	}
	for w, cond := range e.Whens {
		c, err := cond.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		ba := AsBoolean(c)
		for i := 0; i < n; i++ {
			if !decided[i] && ba.IsValid(i) && ba.Value(i) {
				decided[i] = true
				choice[i] = int32(w)
			}
		}
		c.Release()
	}
	branches := make([]arrow.Array, len(e.Whens)+1)
	defer releaseAll(branches)
	used := make([]bool, len(branches))
	for _, c := range choice {
		used[c] = true
	}
	for k := range branches {
		if !used[k] {
			continue
		}
		var ex Expr
		if k < len(e.Thens) {
			ex = e.Thens[k]
		} else {
			ex = e.Else
		}
		if ex == nil {
			branches[k] = array.MakeArrayOfNull(ctx.Alloc, e.T.Arrow(), n)
			continue
		}
		a, err := ex.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		branches[k] = a
	}
	return Choose(ctx, e.T, branches, choice)
}

// evalMask evaluates CASE WHEN c THEN x END, the shape of every
// conditional aggregate (SUM(CASE WHEN … THEN cost END)), as x with the
// rows where c is not true masked to NULL: x's value buffers are shared,
// only a validity bitmap is new. ok is false for types it does not cover
// (nested ones), which take the general path.
func (e *Case) evalMask(ctx *Context, b arrow.Record) (out arrow.Array, ok bool, err error) {
	dt := e.T.Arrow()
	switch dt.ID() {
	case arrow.NULL, arrow.LIST, arrow.LARGE_LIST, arrow.FIXED_SIZE_LIST, arrow.STRUCT, arrow.MAP,
		arrow.DICTIONARY, arrow.SPARSE_UNION, arrow.DENSE_UNION, arrow.EXTENSION, arrow.RUN_END_ENCODED:
		return nil, false, nil
	}
	if !arrow.TypeEqual(e.Thens[0].Type().Arrow(), dt) {
		return nil, false, nil // x is cast or NULL: the general path
	}
	c, err := e.Whens[0].Eval(ctx, b)
	if err != nil {
		return nil, true, err
	}
	defer c.Release()
	cond := AsBoolean(c)
	n := cond.Len()
	taken := selectionTrue(cond)
	if taken == 0 {
		return array.MakeArrayOfNull(ctx.Alloc, dt, n), true, nil
	}
	x, err := e.Thens[0].Eval(ctx, b)
	if err != nil {
		return nil, true, err
	}
	defer x.Release()
	if !arrow.TypeEqual(x.DataType(), dt) {
		return nil, false, nil // not its declared type: never expected
	}
	if taken == n {
		x.Retain()
		return x, true, nil
	}
	// Valid where c is true (its value and validity bits) and x is valid,
	// at x's offset: a few bitmap ANDs.
	xd, cd := x.Data(), cond.Data()
	off, coff := int64(xd.Offset()), int64(cd.Offset())
	validity := memory.NewResizableBuffer(ctx.Alloc)
	validity.Resize(int(bitutil.BytesForBits(off + int64(n))))
	vb := validity.Bytes()
	clear(vb)
	bitutil.CopyBitmap(cd.Buffers()[1].Bytes(), int(coff), n, vb, int(off))
	if cond.NullN() > 0 {
		bitutil.BitmapAnd(vb, cd.Buffers()[0].Bytes(), off, coff, vb, off, int64(n))
	}
	if x.NullN() > 0 {
		bitutil.BitmapAnd(vb, xd.Buffers()[0].Bytes(), off, off, vb, off, int64(n))
	}
	nulls := n - bitutil.CountSetBits(vb, int(off), n)
	bufs := append([]*memory.Buffer{validity}, xd.Buffers()[1:]...)
	data := array.NewData(dt, n, bufs, nil, nulls, int(off))
	validity.Release()
	defer data.Release()
	return array.MakeFromData(data), true, nil
}

// Try evaluates its argument, turning errors into NULLs row by row.
type Try struct{ Arg Expr }

func (e *Try) Type() types.Type { return e.Arg.Type() }
func (e *Try) String() string   { return fmt.Sprintf("try(%v)", e.Arg) }

func (e *Try) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	out, err := e.Arg.Eval(ctx, b)
	if err == nil {
		return out, nil
	}
	if _, ok := err.(*ResourceError); ok {
		return nil, err
	}
	return evalRowByRow(ctx, b, e.Arg.Type(), func(row arrow.Record) (arrow.Array, error) {
		a, err := e.Arg.Eval(ctx, row)
		if err != nil {
			if _, ok := err.(*ResourceError); ok {
				return nil, err
			}
			return array.NewNull(1), nil
		}
		return a, nil
	})
}

// evalRowByRow evaluates f on one-row slices of b and concatenates.
func evalRowByRow(ctx *Context, b arrow.Record, t types.Type, f func(arrow.Record) (arrow.Array, error)) (arrow.Array, error) {
	n := int(b.NumRows())
	parts := make([]arrow.Array, 0, n)
	defer func() { releaseAll(parts) }()
	choice := make([]int32, n)
	for i := 0; i < n; i++ {
		row := b.NewSlice(int64(i), int64(i+1))
		a, err := f(row)
		row.Release()
		if err != nil {
			return nil, err
		}
		parts = append(parts, a)
		choice[i] = int32(i)
	}
	// Choose picks row i of parts[i]; each part has one row, so index 0.
	return chooseRows(ctx, t, parts, choice, func(i int) int { return 0 })
}

// InConst tests membership of its argument in a set of constants
// (x IN (1, 2, 3)); NULL semantics follow SQL: no match and a NULL in the
// list gives NULL.
type InConst struct {
	Arg     Expr
	Set     map[any]bool
	HasNull bool
	Not     bool

	typed  sync.Once
	strSet map[string]struct{} // Set, when its values are all strings
	intSet map[int64]struct{}  // Set, when its values are all int64
}

// typedSet builds, once, a set of Set's values of their Go type: a lookup
// per row without boxing the value (ScalarAt's), for the arrays whose
// values ScalarAt gives as that type.
func (e *InConst) typedSet() {
	e.typed.Do(func() {
		strs, ints := map[string]struct{}{}, map[int64]struct{}{}
		for v := range e.Set {
			switch x := v.(type) {
			case string:
				strs[x] = struct{}{}
			case int64:
				ints[x] = struct{}{}
			}
		}
		switch n := len(e.Set); {
		case n > 0 && len(strs) == n:
			e.strSet = strs
		case n > 0 && len(ints) == n:
			e.intSet = ints
		}
	})
}

func (e *InConst) Type() types.Type { return types.BooleanType }
func (e *InConst) String() string   { return fmt.Sprintf("in(%v, %d values)", e.Arg, len(e.Set)) }

func (e *InConst) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	a, err := e.Arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	n := a.Len()
	bld := array.NewBooleanBuilder(ctx.Alloc)
	defer bld.Release()
	bld.Reserve(n)
	e.typedSet()
	member := func(i int) bool { return e.Set[ScalarAt(a, i)] }
	switch x := a.(type) {
	case *array.String:
		if e.strSet != nil {
			member = func(i int) bool { _, ok := e.strSet[x.Value(i)]; return ok }
		}
	case *array.Int64:
		if e.intSet != nil {
			member = func(i int) bool { _, ok := e.intSet[x.Value(i)]; return ok }
		}
	case *array.Int32:
		if e.intSet != nil {
			member = func(i int) bool { _, ok := e.intSet[int64(x.Value(i))]; return ok }
		}
	case *array.Date32:
		if e.intSet != nil {
			member = func(i int) bool { _, ok := e.intSet[int64(x.Value(i))]; return ok }
		}
	}
	for i := 0; i < n; i++ {
		if a.IsNull(i) {
			bld.AppendNull()
			continue
		}
		hit := member(i)
		if !hit && e.HasNull {
			bld.AppendNull()
			continue
		}
		bld.UnsafeAppend(hit != e.Not)
	}
	return bld.NewArray(), nil
}

func evalAll(ctx *Context, b arrow.Record, es []Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := e.Eval(ctx, b)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// selectionTrue returns the rows where a boolean array is true (not NULL).
func selectionTrue(a *array.Boolean) (count int) {
	n := a.Len()
	if a.NullN() == 0 {
		return bitutil.CountSetBits(a.Data().Buffers()[1].Bytes(), a.Data().Offset(), n)
	}
	for i := 0; i < n; i++ {
		if a.IsValid(i) && a.Value(i) {
			count++
		}
	}
	return count
}

// AsBoolean views a condition's result as booleans: arrow's Null arrays
// (the type of a bare NULL literal) have no validity bitmap, so they are
// turned into all-NULL booleans here rather than read as false.
func AsBoolean(a arrow.Array) *array.Boolean {
	if b, ok := a.(*array.Boolean); ok {
		return b
	}
	if a.DataType().ID() == arrow.NULL {
		nb := array.NewBooleanBuilder(memory.DefaultAllocator)
		defer nb.Release()
		nb.AppendNulls(a.Len())
		return nb.NewBooleanArray()
	}
	panic(fmt.Sprintf("BUG: condition of type %s", a.DataType()))
}
