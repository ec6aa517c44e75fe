package plan

import "github.com/quarry-sql/quarry/exec"

// pruneColumns removes columns nobody reads, down to the scans, so readers
// decode only what a query needs.
type pruneColumns struct{}

func (pruneColumns) Name() string { return "prune_columns" }

func (r pruneColumns) Apply(n Node, o *Optimizer) Node {
	req := map[ColumnID]bool{}
	for _, c := range n.Output() {
		req[c.ID] = true
	}
	return r.prune(n, req)
}

func addRefs(req map[ColumnID]bool, es ...Expr) {
	for _, e := range es {
		for id := range ColumnsOf(e) {
			req[id] = true
		}
	}
}

func (r pruneColumns) prune(n Node, req map[ColumnID]bool) Node {
	switch x := n.(type) {
	case *Scan:
		need := copySet(req)
		addRefs(need, x.Filters...)
		var cols []ScanCol
		for _, c := range x.Cols {
			if need[c.ID] {
				cols = append(cols, c)
			}
		}
		x.Cols = cols
	case *Filter:
		need := copySet(req)
		addRefs(need, x.Cond)
		x.Input = r.prune(x.Input, need)
	case *Project:
		var exprs []Expr
		var cols []Column
		for i, c := range x.Cols {
			if req[c.ID] {
				exprs = append(exprs, x.Exprs[i])
				cols = append(cols, c)
			}
		}
		x.Exprs, x.Cols = exprs, cols
		need := map[ColumnID]bool{}
		addRefs(need, exprs...)
		x.Input = r.prune(x.Input, need)
	case *Aggregate:
		var aggs []*AggCall
		for _, a := range x.Aggs {
			if req[a.ID] {
				aggs = append(aggs, a)
			}
		}
		x.Aggs = aggs
		need := map[ColumnID]bool{}
		addRefs(need, x.Keys...)
		for _, a := range aggs {
			addRefs(need, a.Args...)
			if a.Filter != nil {
				addRefs(need, a.Filter)
			}
		}
		x.Input = r.prune(x.Input, need)
	case *Join:
		need := copySet(req)
		if x.Cond != nil {
			addRefs(need, x.Cond)
		}
		x.L = r.prune(x.L, need)
		if x.Kind == exec.SemiJoin || x.Kind == exec.AntiJoin || x.Kind == exec.NullAwareAntiJoin {
			rn := map[ColumnID]bool{}
			if x.Cond != nil {
				addRefs(rn, x.Cond)
			}
			x.R = r.prune(x.R, rn)
		} else {
			x.R = r.prune(x.R, need)
		}
	case *Sort:
		need := copySet(req)
		for _, k := range x.Keys {
			addRefs(need, k.Expr)
		}
		x.Input = r.prune(x.Input, need)
	case *Limit:
		x.Input = r.prune(x.Input, req)
	case *Window:
		need := copySet(req)
		for _, c := range x.Calls {
			addRefs(need, c.Args...)
			addRefs(need, c.PartitionBy...)
			for _, k := range c.OrderBy {
				addRefs(need, k.Expr)
			}
		}
		x.Input = r.prune(x.Input, need)
	case *Unnest:
		need := copySet(req)
		addRefs(need, x.Exprs...)
		x.Input = r.prune(x.Input, need)
	case *SingleRow:
		x.Input = r.prune(x.Input, req)
	case *RowID:
		x.Input = r.prune(x.Input, req)
	case *Expand:
		need := copySet(req)
		addRefs(need, x.Keys...)
		x.Input = r.prune(x.Input, need)
	case *SetOp:
		// Positional: both sides keep every column.
		x.L = r.prune(x.L, idSet(x.L.Output()))
		x.R = r.prune(x.R, idSet(x.R.Output()))
	}
	return n
}
