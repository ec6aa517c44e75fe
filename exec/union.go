package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Union concatenates its inputs (UNION ALL), relabelling batches with its
// own schema.
type Union struct {
	Inputs []Operator
	Cols   []types.Column
	cur    int
	opened []bool
	rel    releaser
}

var _ Operator = (*Union)(nil)

func (u *Union) Columns() []types.Column { return u.Cols }

func (u *Union) Open(ctx *Context) error {
	u.opened = make([]bool, len(u.Inputs))
	return nil
}

func (u *Union) Next(ctx *Context) (arrow.Record, error) {
	u.rel.drop()
	for u.cur < len(u.Inputs) {
		in := u.Inputs[u.cur]
		if !u.opened[u.cur] {
			u.opened[u.cur] = true
			if err := in.Open(ctx); err != nil {
				return nil, err
			}
		}
		b, err := in.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			in.Close()
			u.cur++
			continue
		}
		cols := make([]arrow.Array, b.NumCols())
		for i := range cols {
			cols[i] = b.Column(i)
		}
		return u.rel.hold(array.NewRecord(schemaOf(u.Cols), cols, b.NumRows())), nil
	}
	return nil, nil
}

func (u *Union) Close() error {
	u.rel.drop()
	for _, in := range u.Inputs {
		in.Close()
	}
	return nil
}
