package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// SingleRow enforces that a scalar subquery yields at most one row; an
// empty input yields one row of NULLs.
type SingleRow struct {
	Input Operator
	done  bool
	rel   releaser
}

var _ Operator = (*SingleRow)(nil)

func (s *SingleRow) Columns() []types.Column { return s.Input.Columns() }
func (s *SingleRow) Open(ctx *Context) error { return s.Input.Open(ctx) }

func (s *SingleRow) Next(ctx *Context) (arrow.Record, error) {
	s.rel.drop()
	if s.done {
		return nil, nil
	}
	s.done = true
	var kept arrow.Record
	for {
		b, err := s.Input.Next(ctx)
		if err != nil {
			if kept != nil {
				kept.Release()
			}
			return nil, err
		}
		if b == nil {
			break
		}
		if b.NumRows() == 0 {
			continue
		}
		if kept != nil || b.NumRows() > 1 {
			if kept != nil {
				kept.Release()
			}
			return nil, &QueryError{Msg: "Scalar sub-query has returned multiple rows"}
		}
		b.Retain()
		kept = b
	}
	if kept != nil {
		return s.rel.hold(kept), nil
	}
	cols := s.Input.Columns()
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		arrs[i] = array.MakeArrayOfNull(ctx.Alloc, c.Type.Arrow(), 1)
	}
	defer releaseAll(arrs)
	return s.rel.hold(array.NewRecord(schemaOf(cols), arrs, 1)), nil
}

func (s *SingleRow) Close() error {
	s.rel.drop()
	return s.Input.Close()
}

// QueryError is an execution error of the query itself (not of a file).
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }
