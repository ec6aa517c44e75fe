package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Unnest expands array values of each input row into rows (CROSS JOIN
// UNNEST). With several arrays they are zipped, the shorter padded with
// NULLs, as Trino does. Output: the input columns, then the elements (an
// array of rows expands into one column per field), then the ordinality.
// Outer keeps rows whose arrays are all empty or NULL, with NULL elements.
type Unnest struct {
	Input      Operator
	Exprs      []Expr
	Expand     []bool
	Ordinality bool
	Outer      bool
	Cols       []types.Column
	rel        releaser
}

var _ Operator = (*Unnest)(nil)

func (u *Unnest) Columns() []types.Column { return u.Cols }
func (u *Unnest) Open(ctx *Context) error { return u.Input.Open(ctx) }

func (u *Unnest) Next(ctx *Context) (arrow.Record, error) {
	u.rel.drop()
	for {
		b, err := u.Input.Next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		out, err := u.expand(ctx, b)
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return u.rel.hold(out), nil
	}
}

func (u *Unnest) expand(ctx *Context, b arrow.Record) (arrow.Record, error) {
	arrs, err := evalAll(ctx, b, u.Exprs)
	if err != nil {
		return nil, err
	}
	defer releaseAll(arrs)
	lists := make([]*array.List, len(arrs))
	for i, a := range arrs {
		l, ok := a.(*array.List)
		if m, isMap := a.(*array.Map); isMap {
			// A map is a list of key/value structs, expanded into two columns.
			l, ok = m.List, true
		}
		if !ok {
			return nil, fmt.Errorf("BUG: unnest of %s", a.DataType())
		}
		lists[i] = l
	}
	n := int(b.NumRows())
	var rowIdx []int32
	elemIdx := make([][]int32, len(lists))
	var ord []int64
	for r := 0; r < n; r++ {
		longest := 0
		for _, l := range lists {
			if l.IsValid(r) {
				s, e := l.ValueOffsets(r)
				longest = max(longest, int(e-s))
			}
		}
		if longest == 0 && u.Outer {
			rowIdx = append(rowIdx, int32(r))
			for i := range lists {
				elemIdx[i] = append(elemIdx[i], -1)
			}
			ord = append(ord, 0)
			continue
		}
		for k := 0; k < longest; k++ {
			rowIdx = append(rowIdx, int32(r))
			for i, l := range lists {
				idx := int32(-1)
				if l.IsValid(r) {
					s, e := l.ValueOffsets(r)
					if int64(k) < e-s {
						idx = int32(s) + int32(k)
					}
				}
				elemIdx[i] = append(elemIdx[i], idx)
			}
			ord = append(ord, int64(k+1))
		}
	}
	base, err := takeRecord(ctx, u.Input.Columns(), b, rowIdx, nil, nil)
	if err != nil {
		return nil, err
	}
	defer base.Release()
	out := make([]arrow.Array, 0, len(u.Cols))
	defer func() { releaseAll(out) }()
	for c := 0; c < int(base.NumCols()); c++ {
		a := base.Column(c)
		a.Retain()
		out = append(out, a)
	}
	for i, l := range lists {
		elems, err := takeIndices(ctx, l.ListValues(), elemIdx[i])
		if err != nil {
			return nil, err
		}
		if u.Expand[i] {
			st, ok := elems.(*array.Struct)
			if !ok {
				elems.Release()
				return nil, fmt.Errorf("BUG: expanding %s", elems.DataType())
			}
			for f := 0; f < st.NumField(); f++ {
				fa := st.Field(f)
				fa.Retain()
				out = append(out, fa)
			}
			elems.Release()
		} else {
			out = append(out, elems)
		}
	}
	if u.Ordinality {
		ob := array.NewInt64Builder(ctx.Alloc)
		valid := make([]bool, len(ord))
		for i, o := range ord {
			valid[i] = o > 0 // the padded row of an outer unnest has none
		}
		ob.AppendValues(ord, valid)
		out = append(out, ob.NewArray())
		ob.Release()
	}
	return array.NewRecord(schemaOf(u.Cols), out, int64(len(rowIdx))), nil
}

func takeIndices(ctx *Context, src arrow.Array, idx []int32) (arrow.Array, error) {
	return Take(ctx.Alloc, src, idx), nil
}

func (u *Unnest) Close() error {
	u.rel.drop()
	return u.Input.Close()
}
