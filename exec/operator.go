package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

// Operator is one node of a running physical plan; see the package doc for
// the contract.
type Operator interface {
	// Columns describes the batches Next returns.
	Columns() []types.Column
	Open(ctx *Context) error
	Next(ctx *Context) (arrow.Record, error)
	Close() error
}

// Factory builds one instance of a sub-plan for a worker. Instances built
// by one factory share its captured state (morsel queues, join tables).
type Factory func(worker int) (Operator, error)

// schemaOf returns the Arrow schema of a column list.
func schemaOf(cols []types.Column) *arrow.Schema { return types.Schema(cols) }

// releaser remembers the batch an operator handed out last, so it can be
// released at the next Next or at Close, per the contract.
type releaser struct{ last arrow.Record }

func (r *releaser) hold(b arrow.Record) arrow.Record {
	r.drop()
	r.last = b
	return b
}

func (r *releaser) drop() {
	if r.last != nil {
		r.last.Release()
		r.last = nil
	}
}
