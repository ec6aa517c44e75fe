package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

// Limit passes at most N rows after skipping Offset, then stops reading.
type Limit struct {
	Input  Operator
	N      int64 // -1: no limit
	Offset int64
	seen   int64
	rel    releaser
}

var _ Operator = (*Limit)(nil)

func (l *Limit) Columns() []types.Column { return l.Input.Columns() }
func (l *Limit) Open(ctx *Context) error { return l.Input.Open(ctx) }

func (l *Limit) Next(ctx *Context) (arrow.Record, error) {
	l.rel.drop()
	for {
		if l.N >= 0 && l.seen >= l.Offset+l.N {
			return nil, nil
		}
		b, err := l.Input.Next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		n := b.NumRows()
		lo, hi := int64(0), n
		if l.seen < l.Offset {
			lo = min(l.Offset-l.seen, n)
		}
		if l.N >= 0 {
			hi = min(n, l.Offset+l.N-l.seen)
		}
		l.seen += n
		if lo >= hi {
			continue
		}
		if lo == 0 && hi == n {
			b.Retain()
			return l.rel.hold(b), nil
		}
		return l.rel.hold(b.NewSlice(lo, hi)), nil
	}
}

func (l *Limit) Close() error {
	l.rel.drop()
	return l.Input.Close()
}
