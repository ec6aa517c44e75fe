package plan

import (
	"math"

	"github.com/quarry-sql/quarry/exec"
)

// reorderJoins rebuilds each tree of inner joins greedily: it starts from
// the largest input (it becomes the streamed probe side) and repeatedly
// joins the smallest input connected to what is joined so far by an
// equality, so cross products appear only when the query asks for them
// and hash tables are built on small inputs.
type reorderJoins struct{}

func (reorderJoins) Name() string { return "reorder_joins" }

func (r reorderJoins) Apply(n Node, o *Optimizer) Node {
	switch x := n.(type) {
	case *Join:
		if x.Kind == exec.InnerJoin {
			var leaves []Node
			var conds []Expr
			r.collect(x, &leaves, &conds)
			if len(leaves) > 2 {
				for i := range leaves {
					leaves[i] = r.Apply(leaves[i], o)
				}
				return r.greedy(leaves, conds, o)
			}
		}
		x.L = r.Apply(x.L, o)
		x.R = r.Apply(x.R, o)
		return buildSmallerSide(x, o)
	case *Filter:
		x.Input = r.Apply(x.Input, o)
	case *Project:
		x.Input = r.Apply(x.Input, o)
	case *Aggregate:
		x.Input = r.Apply(x.Input, o)
	case *Sort:
		x.Input = r.Apply(x.Input, o)
	case *Limit:
		x.Input = r.Apply(x.Input, o)
	case *Window:
		x.Input = r.Apply(x.Input, o)
	case *SetOp:
		x.L = r.Apply(x.L, o)
		x.R = r.Apply(x.R, o)
	case *Unnest:
		x.Input = r.Apply(x.Input, o)
	case *SingleRow:
		x.Input = r.Apply(x.Input, o)
	case *Expand:
		x.Input = r.Apply(x.Input, o)
	case *RowID:
		x.Input = r.Apply(x.Input, o)
	}
	return n
}

func (r reorderJoins) collect(n Node, leaves *[]Node, conds *[]Expr) {
	if j, ok := n.(*Join); ok && j.Kind == exec.InnerJoin {
		r.collect(j.L, leaves, conds)
		r.collect(j.R, leaves, conds)
		*conds = append(*conds, Conjuncts(j.Cond)...)
		return
	}
	*leaves = append(*leaves, n)
}

func (r reorderJoins) greedy(leaves []Node, conds []Expr, o *Optimizer) Node {
	size := make([]float64, len(leaves))
	sets := make([]map[ColumnID]bool, len(leaves))
	for i, l := range leaves {
		size[i] = estimate(l, o.Stats)
		sets[i] = idSet(l.Output())
	}
	used := make([]bool, len(leaves))
	start := 0
	for i := range leaves {
		if size[i] > size[start] {
			start = i
		}
	}
	cur := leaves[start]
	curSet := copySet(sets[start])
	used[start] = true
	condUsed := make([]bool, len(conds))
	for step := 1; step < len(leaves); step++ {
		best, bestConnected := -1, false
		for i := range leaves {
			if used[i] {
				continue
			}
			connected := r.connects(conds, condUsed, curSet, sets[i])
			if best < 0 || (connected && !bestConnected) || (connected == bestConnected && size[i] < size[best]) {
				best, bestConnected = i, connected
			}
		}
		both := copySet(curSet)
		for id := range sets[best] {
			both[id] = true
		}
		var jc []Expr
		for ci, c := range conds {
			if !condUsed[ci] && subset(ColumnsOf(c), both) {
				jc = append(jc, c)
				condUsed[ci] = true
			}
		}
		j := &Join{Kind: exec.InnerJoin, L: cur, R: leaves[best], Cross: len(jc) == 0}
		if len(jc) > 0 {
			j.Cond = andAll(o.b, jc)
		}
		cur, curSet = j, both
		used[best] = true
	}
	var rest []Expr
	for ci, c := range conds {
		if !condUsed[ci] {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		return &Filter{Input: cur, Cond: andAll(o.b, rest)}
	}
	return cur
}

// connects reports whether an unused equality joins the two column sets.
func (r reorderJoins) connects(conds []Expr, used []bool, a, b map[ColumnID]bool) bool {
	for i, c := range conds {
		call, ok := c.(*Call)
		if used[i] || !ok || call.Name != "$eq" {
			continue
		}
		l, rr := ColumnsOf(call.Args[0]), ColumnsOf(call.Args[1])
		if len(l) == 0 || len(rr) == 0 {
			continue
		}
		if (subset(l, a) && subset(rr, b)) || (subset(l, b) && subset(rr, a)) {
			return true
		}
	}
	return false
}

func copySet(s map[ColumnID]bool) map[ColumnID]bool {
	out := make(map[ColumnID]bool, len(s))
	for k := range s {
		out[k] = true
	}
	return out
}

// estimate guesses the relative size of a node's output.
// buildSmallerSide turns a LEFT join whose right (build) side looks larger
// than its left into a RIGHT join with the sides swapped, so the hash
// table is built on the smaller input and the larger one streams through
// the probe on every core: TPC-H q13's customer LEFT JOIN orders builds on
// customer. A projection keeps the join's column order.
func buildSmallerSide(x *Join, o *Optimizer) Node {
	if x.Kind != exec.LeftJoin || x.Cond == nil || !hasEquality(x.Cond) || estimate(x.R, o.Stats) <= estimate(x.L, o.Stats) {
		return x
	}
	out := x.Output()
	p := &Project{Input: &Join{Kind: exec.RightJoin, L: x.R, R: x.L, Cond: x.Cond}, Cols: out}
	for _, c := range out {
		p.Exprs = append(p.Exprs, colRef(c))
	}
	return p
}

// hasEquality reports whether a join condition has an equality conjunct,
// which the hash join uses as its key.
func hasEquality(cond Expr) bool {
	for _, c := range Conjuncts(cond) {
		if call, ok := c.(*Call); ok && call.Name == "$eq" {
			return true
		}
	}
	return false
}

func estimate(n Node, st Stats) float64 {
	switch x := n.(type) {
	case *Scan:
		b := float64(-1)
		if st != nil {
			b = float64(st.TableBytes(x.Table))
		}
		if b < 0 {
			b = 1e9
		}
		return b * math.Pow(0.25, float64(len(x.Filters)))
	case *Filter:
		return estimate(x.Input, st) * 0.25
	case *Aggregate:
		if len(x.Keys) == 0 {
			return 1
		}
		return estimate(x.Input, st) * 0.1
	case *Join:
		l, r := estimate(x.L, st), estimate(x.R, st)
		if x.Kind == exec.SemiJoin || x.Kind == exec.AntiJoin || x.Kind == exec.NullAwareAntiJoin {
			return l * 0.5
		}
		if x.Cond == nil {
			return l * math.Max(r, 1)
		}
		return math.Max(l, r)
	case *Values:
		return float64(len(x.Rows))
	case *Limit:
		if x.N >= 0 {
			return math.Min(float64(x.N), estimate(x.Input, st))
		}
	case *SingleRow:
		return 1
	}
	var m float64
	for _, in := range n.Inputs() {
		m = math.Max(m, estimate(in, st))
	}
	return m
}
