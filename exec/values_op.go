package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Values yields literal rows: each row is a list of expressions evaluated
// over a one-row, zero-column batch.
type Values struct {
	Rows [][]Expr
	Cols []types.Column
	done bool
	rel  releaser
}

var _ Operator = (*Values)(nil)

func (v *Values) Columns() []types.Column { return v.Cols }
func (v *Values) Open(ctx *Context) error { return nil }

func (v *Values) Next(ctx *Context) (arrow.Record, error) {
	v.rel.drop()
	if v.done {
		return nil, nil
	}
	v.done = true
	one := array.NewRecord(arrow.NewSchema(nil, nil), nil, 1)
	defer one.Release()
	builders := make([]array.Builder, len(v.Cols))
	for i, c := range v.Cols {
		builders[i] = array.NewBuilder(ctx.Alloc, c.Type.Arrow())
		defer builders[i].Release()
	}
	for _, row := range v.Rows {
		for i, e := range row {
			a, err := e.Eval(ctx, one)
			if err != nil {
				return nil, err
			}
			err = AppendValue(builders[i], a, 0)
			a.Release()
			if err != nil {
				return nil, err
			}
		}
	}
	arrs := make([]arrow.Array, len(builders))
	for i, b := range builders {
		arrs[i] = b.NewArray()
	}
	defer releaseAll(arrs)
	return v.rel.hold(array.NewRecord(schemaOf(v.Cols), arrs, int64(len(v.Rows)))), nil
}

func (v *Values) Close() error { v.rel.drop(); return nil }
