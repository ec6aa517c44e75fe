package exec

import (
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// SharedResult runs a sub-plan once per query and keeps its batches for
// several readers: a WITH query referenced twice (TPC-H q15's revenue) is
// computed once. The first reader to open runs it; the others wait for it.
// The batches are released when Readers readers have closed: readers are
// made lazily (a join builds its right side when it runs), so a count of
// readers made so far could reach zero while one is still to come.
type SharedResult struct {
	Make    func() (Operator, error)
	Readers int32 // the references planned

	once    sync.Once
	batches []arrow.Record
	err     error
	closed  atomic.Int32
}

func (s *SharedResult) fill(ctx *Context) error {
	s.once.Do(func() {
		op, err := s.Make()
		if err != nil {
			s.err = err
			return
		}
		defer op.Close()
		if err := op.Open(ctx); err != nil {
			s.err = err
			return
		}
		for {
			b, err := op.Next(ctx)
			if err != nil {
				s.err = err
				return
			}
			if b == nil {
				return
			}
			b.Retain()
			s.batches = append(s.batches, b)
		}
	})
	return s.err
}

// SharedRead is one reader of a SharedResult.
type SharedRead struct {
	src    *SharedResult
	cols   []types.Column
	i      int
	closed bool
	rel    releaser
}

// NewSharedRead returns a reader of src yielding batches as cols.
func NewSharedRead(src *SharedResult, cols []types.Column) *SharedRead {
	return &SharedRead{src: src, cols: cols}
}

func (r *SharedRead) Columns() []types.Column { return r.cols }

func (r *SharedRead) Open(ctx *Context) error { return r.src.fill(ctx) }

func (r *SharedRead) Next(ctx *Context) (arrow.Record, error) {
	if r.src.err != nil {
		return nil, r.src.err
	}
	if r.i >= len(r.src.batches) {
		r.rel.drop()
		return nil, nil
	}
	b := r.src.batches[r.i]
	r.i++
	return r.rel.hold(array.NewRecord(schemaOf(r.cols), b.Columns(), b.NumRows())), nil
}

func (r *SharedRead) Close() error {
	r.rel.drop()
	if r.closed {
		return nil
	}
	r.closed = true
	if r.src.closed.Add(1) == r.src.Readers {
		for _, b := range r.src.batches {
			b.Release()
		}
		r.src.batches = nil
	}
	return nil
}
