package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Expand emits every input batch once per grouping set: the input
// columns, then each key (NULL when outside the set), then the set's number
// (GROUPING SETS, ROLLUP, CUBE feed one aggregation this way).
type Expand struct {
	Input Operator
	Keys  []Expr
	Sets  [][]bool
	Cols  []types.Column

	cur  arrow.Record
	keys []arrow.Array
	set  int
	rel  releaser
}

var _ Operator = (*Expand)(nil)

func (e *Expand) Columns() []types.Column { return e.Cols }
func (e *Expand) Open(ctx *Context) error { return e.Input.Open(ctx) }

func (e *Expand) Next(ctx *Context) (arrow.Record, error) {
	e.rel.drop()
	if e.cur == nil {
		b, err := e.Input.Next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		keys, err := evalAll(ctx, b, e.Keys)
		if err != nil {
			return nil, err
		}
		b.Retain()
		e.cur, e.keys, e.set = b, keys, 0
	}
	n := int(e.cur.NumRows())
	arrs := make([]arrow.Array, 0, len(e.Cols))
	defer func() { releaseAll(arrs) }()
	for c := 0; c < int(e.cur.NumCols()); c++ {
		a := e.cur.Column(c)
		a.Retain()
		arrs = append(arrs, a)
	}
	for k, in := range e.Sets[e.set] {
		if in {
			e.keys[k].Retain()
			arrs = append(arrs, e.keys[k])
		} else {
			arrs = append(arrs, array.MakeArrayOfNull(ctx.Alloc, e.keys[k].DataType(), n))
		}
	}
	gid, err := ConstArray(ctx.Alloc, types.BigIntType, int64(e.set), n)
	if err != nil {
		return nil, err
	}
	arrs = append(arrs, gid)
	out := array.NewRecord(schemaOf(e.Cols), arrs, int64(n))
	e.set++
	if e.set >= len(e.Sets) {
		e.drop()
	}
	return e.rel.hold(out), nil
}

func (e *Expand) drop() {
	if e.cur != nil {
		e.cur.Release()
		releaseAll(e.keys)
		e.cur, e.keys = nil, nil
	}
}

func (e *Expand) Close() error {
	e.rel.drop()
	e.drop()
	return e.Input.Close()
}
