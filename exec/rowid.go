package exec

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// RowID appends a bigint column numbering rows uniquely across all
// instances sharing Counter: each batch takes the next range.
type RowID struct {
	Input   Operator
	Counter *atomic.Int64
	Cols    []types.Column
	rel     releaser
}

var _ Operator = (*RowID)(nil)

func (r *RowID) Columns() []types.Column { return r.Cols }
func (r *RowID) Open(ctx *Context) error { return r.Input.Open(ctx) }

func (r *RowID) Next(ctx *Context) (arrow.Record, error) {
	r.rel.drop()
	b, err := r.Input.Next(ctx)
	if err != nil || b == nil {
		return nil, err
	}
	n := b.NumRows()
	base := r.Counter.Add(n) - n
	ib := array.NewInt64Builder(ctx.Alloc)
	defer ib.Release()
	ib.Reserve(int(n))
	for i := int64(0); i < n; i++ {
		ib.UnsafeAppend(base + i)
	}
	ids := ib.NewArray()
	defer ids.Release()
	cols := make([]arrow.Array, 0, b.NumCols()+1)
	for c := 0; c < int(b.NumCols()); c++ {
		cols = append(cols, b.Column(c))
	}
	cols = append(cols, ids)
	return r.rel.hold(array.NewRecord(schemaOf(r.Cols), cols, n)), nil
}

func (r *RowID) Close() error {
	r.rel.drop()
	return r.Input.Close()
}
