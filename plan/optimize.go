package plan

import "github.com/quarry-sql/quarry/catalog"

// Stats gives the optimizer sizes to order joins by. It knows nothing of
// execution: the engine answers from listings it already has.
type Stats interface {
	// TableBytes estimates the bytes of a table's files (-1: unknown).
	TableBytes(t *catalog.Table) int64
}

// Rule is one optimizer rewrite.
type Rule interface {
	Name() string
	Apply(n Node, o *Optimizer) Node
}

// Optimizer applies rules in order.
type Optimizer struct {
	Rules []Rule
	Stats Stats
	b     *Binder
	// Fired records which rules changed the plan when Trace is set (for
	// tests: comparing plan texts costs more than some queries run).
	Fired []string
	Trace bool
}

// NewOptimizer returns the default rule set over a binder (for IDs and
// function bindings of expressions the rules create).
func NewOptimizer(b *Binder, stats Stats) *Optimizer {
	return &Optimizer{b: b, Stats: stats, Rules: []Rule{
		pushDownFilter{},
		reorderJoins{},
		pushDownFilter{},
		commonSubexpressions{},
		pruneColumns{},
	}}
}

// Optimize rewrites a bound plan.
func (o *Optimizer) Optimize(n Node) Node {
	for _, r := range o.Rules {
		if !o.Trace {
			n = r.Apply(n, o)
			continue
		}
		before := Explain(n)
		n = r.Apply(n, o)
		if Explain(n) != before {
			o.Fired = append(o.Fired, r.Name())
		}
	}
	o.optimizeShared(n)
	return n
}

// optimizeShared optimizes each shared CTE's query once, as a query of its
// own: the rules stop at a CTERef.
func (o *Optimizer) optimizeShared(n Node) {
	if r, ok := n.(*CTERef); ok {
		if !r.Shared.optimized {
			r.Shared.optimized = true
			r.Shared.Root = o.Optimize(r.Shared.Root)
		}
		return
	}
	for _, in := range n.Inputs() {
		o.optimizeShared(in)
	}
}
