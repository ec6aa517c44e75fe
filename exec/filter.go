package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Filter keeps the rows for which its condition is true.
type Filter struct {
	Input Operator
	Cond  Expr
	rel   releaser
}

var _ Operator = (*Filter)(nil)

func (f *Filter) Columns() []types.Column { return f.Input.Columns() }
func (f *Filter) Open(ctx *Context) error { return f.Input.Open(ctx) }

func (f *Filter) Next(ctx *Context) (arrow.Record, error) {
	f.rel.drop()
	for {
		b, err := f.Input.Next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		out, err := FilterBatch(ctx, b, f.Cond)
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return f.rel.hold(out), nil
	}
}

// FilterBatch returns the rows of b where cond is true, as a new record.
func FilterBatch(ctx *Context, b arrow.Record, cond Expr) (arrow.Record, error) {
	c, err := cond.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer c.Release()
	mask := AsBoolean(c)
	kept := selectionTrue(mask)
	if kept == int(b.NumRows()) {
		b.Retain()
		return b, nil
	}
	if kept == 0 {
		arrs := make([]arrow.Array, b.NumCols())
		for i := range arrs {
			arrs[i] = array.MakeArrayOfNull(ctx.Alloc, b.Column(i).DataType(), 0)
		}
		defer releaseAll(arrs)
		return array.NewRecord(b.Schema(), arrs, 0), nil
	}
	return TakeRecord(ctx.Alloc, b, maskIndices(mask)), nil
}

func (f *Filter) Close() error {
	f.rel.drop()
	return f.Input.Close()
}
