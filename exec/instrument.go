package exec

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// OpStats counts what one plan operator did, over all its parallel
// instances (EXPLAIN ANALYZE).
type OpStats struct {
	Instances atomic.Int32
	Rows      atomic.Int64
	Batches   atomic.Int64
	// Nanos is the wall time spent in Next, summed over instances and
	// including the operator's inputs.
	Nanos atomic.Int64
}

func (s *OpStats) String() string {
	return fmt.Sprintf("rows: %d, batches: %d, instances: %d, time (inclusive, summed): %s",
		s.Rows.Load(), s.Batches.Load(), s.Instances.Load(), time.Duration(s.Nanos.Load()).Round(time.Microsecond))
}

// Instrumented wraps an operator to count its output.
type Instrumented struct {
	Operator
	S *OpStats
}

// Instrument wraps op, registering one more instance.
func Instrument(op Operator, s *OpStats) Operator {
	s.Instances.Add(1)
	return &Instrumented{Operator: op, S: s}
}

func (i *Instrumented) Next(ctx *Context) (arrow.Record, error) {
	start := time.Now()
	b, err := i.Operator.Next(ctx)
	i.S.Nanos.Add(int64(time.Since(start)))
	if b != nil {
		i.S.Rows.Add(b.NumRows())
		i.S.Batches.Add(1)
	}
	return b, err
}
