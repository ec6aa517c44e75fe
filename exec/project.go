package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Project computes one expression per output column.
type Project struct {
	Input Operator
	Exprs []Expr
	Cols  []types.Column
	rel   releaser
}

var _ Operator = (*Project)(nil)

func (p *Project) Columns() []types.Column { return p.Cols }
func (p *Project) Open(ctx *Context) error { return p.Input.Open(ctx) }

func (p *Project) Next(ctx *Context) (arrow.Record, error) {
	p.rel.drop()
	b, err := p.Input.Next(ctx)
	if err != nil || b == nil {
		return nil, err
	}
	arrs, err := evalAll(ctx, b, p.Exprs)
	if err != nil {
		return nil, err
	}
	defer releaseAll(arrs)
	return p.rel.hold(array.NewRecord(schemaOf(p.Cols), arrs, b.NumRows())), nil
}

func (p *Project) Close() error {
	p.rel.drop()
	return p.Input.Close()
}
