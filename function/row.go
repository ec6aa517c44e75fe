package function

// The ROW constructor: ROW(a, b) and (a, b) build a row value with
// anonymous fields, typed row(type of a, type of b). Rows are Arrow Struct
// arrays whose children are the argument arrays themselves, so building
// one copies nothing. A row built this way is never NULL; its fields may be.

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

func init() { extraRegistrations = append(extraRegistrations, registerRows) }

func registerRows(r *Registry) {
	r.AddScalar(&Scalar{Name: "$row", Bind: rowBindConstructor})
}

func rowBindConstructor(args []types.Type) (Binding, error) {
	if len(args) == 0 {
		return Binding{}, fmt.Errorf("ROW must have at least one field")
	}
	fields := make([]types.Field, len(args))
	for i, a := range args {
		fields[i] = types.Field{Type: a}
	}
	rt := types.RowOf(fields...)
	dt := rt.Arrow()
	return Binding{Args: args, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		children := make([]arrow.ArrayData, len(in))
		for i, a := range in {
			if a.Len() != n {
				return nil, fmt.Errorf("BUG: ROW field %d has %d rows, want %d", i+1, a.Len(), n)
			}
			children[i] = a.Data()
		}
		d := array.NewData(dt, n, []*memory.Buffer{nil}, children, 0, 0)
		defer d.Release()
		return array.MakeFromData(d), nil
	}}, nil
}
