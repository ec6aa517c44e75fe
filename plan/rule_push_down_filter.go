package plan

import "github.com/quarry-sql/quarry/exec"

// pushDownFilter moves filter conjuncts as close to the scans as they can
// go: through projections (substituting expressions), into the matching
// side of joins (turning cross joins with a condition into inner joins),
// below aggregations when they read only grouping keys, and into scans.
type pushDownFilter struct{}

func (pushDownFilter) Name() string { return "push_down_filter" }

func (r pushDownFilter) Apply(n Node, o *Optimizer) Node { return r.push(n, nil, o) }

func deterministic(e Expr) bool {
	ok := true
	Walk(e, func(x Expr) bool {
		if c, isCall := x.(*Call); isCall && c.Binding.Volatile {
			ok = false
		}
		return ok
	})
	return ok
}

func (r pushDownFilter) wrap(n Node, preds []Expr, o *Optimizer) Node {
	if len(preds) == 0 {
		return n
	}
	return &Filter{Input: n, Cond: andAll(o.b, preds)}
}

func (r pushDownFilter) push(n Node, preds []Expr, o *Optimizer) Node {
	switch x := n.(type) {
	case *Filter:
		var all []Expr
		for _, c := range append(append([]Expr{}, preds...), Conjuncts(x.Cond)...) {
			all = append(all, factorOr(c, o)...)
		}
		return r.push(x.Input, all, o)
	case *Scan:
		var keep []Expr
		for _, p := range preds {
			if deterministic(p) {
				x.Filters = append(x.Filters, p)
			} else {
				keep = append(keep, p)
			}
		}
		return r.wrap(x, keep, o)
	case *Project:
		byID := map[ColumnID]Expr{}
		for i, c := range x.Cols {
			byID[c.ID] = x.Exprs[i]
		}
		var down, keep []Expr
		for _, p := range preds {
			ok := deterministic(p)
			for id := range ColumnsOf(p) {
				e, found := byID[id]
				if !found || !deterministic(e) {
					ok = false
				}
			}
			if !ok {
				keep = append(keep, p)
				continue
			}
			down = append(down, Rewrite(p, func(e Expr) Expr {
				if c, isCol := e.(*ColumnRef); isCol {
					return byID[c.ID]
				}
				return nil
			}))
		}
		x.Input = r.push(x.Input, down, o)
		return r.wrap(x, keep, o)
	case *Join:
		lset, rset := idSet(x.L.Output()), idSet(x.R.Output())
		var toL, toR, keep []Expr
		conds := Conjuncts(x.Cond)
		x.Cond = nil
		inner := x.Kind == exec.InnerJoin
		for _, p := range preds {
			refs := ColumnsOf(p)
			if !deterministic(p) {
				// random() < 0.5 above a join samples joined rows; below
				// it, it would sample one side's rows instead.
				keep = append(keep, p)
				continue
			}
			switch {
			case subset(refs, lset) && (inner || x.Kind == exec.LeftJoin || x.Kind == exec.SemiJoin || x.Kind == exec.AntiJoin || x.Kind == exec.NullAwareAntiJoin):
				toL = append(toL, p)
			case subset(refs, rset) && (inner || x.Kind == exec.RightJoin):
				toR = append(toR, p)
			case inner && deterministic(p):
				conds = append(conds, p)
			default:
				keep = append(keep, p)
			}
		}
		var stay []Expr
		for _, c := range conds {
			refs := ColumnsOf(c)
			switch {
			case len(refs) > 0 && subset(refs, lset) && inner:
				toL = append(toL, c)
			case len(refs) > 0 && subset(refs, rset) && x.Kind != exec.RightJoin && x.Kind != exec.FullJoin:
				toR = append(toR, c)
			default:
				stay = append(stay, c)
			}
		}
		if len(stay) > 0 {
			x.Cond = andAll(o.b, stay)
			x.Cross = false
		}
		x.L = r.push(x.L, toL, o)
		x.R = r.push(x.R, toR, o)
		return r.wrap(x, keep, o)
	case *Aggregate:
		keyExpr := map[ColumnID]Expr{}
		for i, c := range x.KeyCols {
			keyExpr[c.ID] = x.Keys[i]
		}
		var down, keep []Expr
		for _, p := range preds {
			ok := len(x.Keys) > 0 && deterministic(p)
			for id := range ColumnsOf(p) {
				if e, found := keyExpr[id]; !found || !deterministic(e) {
					ok = false
				}
			}
			if !ok {
				keep = append(keep, p)
				continue
			}
			down = append(down, Rewrite(p, func(e Expr) Expr {
				if c, isCol := e.(*ColumnRef); isCol {
					return keyExpr[c.ID]
				}
				return nil
			}))
		}
		x.Input = r.push(x.Input, down, o)
		return r.wrap(x, keep, o)
	case *Sort:
		x.Input = r.push(x.Input, preds, o)
		return x
	case *Unnest:
		in := idSet(x.Input.Output())
		var down, keep []Expr
		for _, p := range preds {
			if subset(ColumnsOf(p), in) {
				down = append(down, p)
			} else {
				keep = append(keep, p)
			}
		}
		x.Input = r.push(x.Input, down, o)
		return r.wrap(x, keep, o)
	case *Limit:
		x.Input = r.push(x.Input, nil, o)
	case *Window:
		x.Input = r.push(x.Input, nil, o)
	case *SetOp:
		x.L = r.push(x.L, nil, o)
		x.R = r.push(x.R, nil, o)
	case *SingleRow:
		x.Input = r.push(x.Input, nil, o)
	case *Expand:
		x.Input = r.push(x.Input, nil, o)
	case *RowID:
		in := idSet(x.Input.Output())
		var down, keep []Expr
		for _, p := range preds {
			if subset(ColumnsOf(p), in) && deterministic(p) {
				down = append(down, p)
			} else {
				keep = append(keep, p)
			}
		}
		x.Input = r.push(x.Input, down, o)
		return r.wrap(x, keep, o)
	}
	return r.wrap(n, preds, o)
}

// disjuncts splits a OR b OR c.
func disjuncts(e Expr) []Expr {
	if c, ok := e.(*Call); ok && c.Name == "$or" && len(c.Args) == 2 {
		return append(disjuncts(c.Args[0]), disjuncts(c.Args[1])...)
	}
	return []Expr{e}
}

// factorOr pulls conjuncts common to every branch of a disjunction out of
// it: (a AND b) OR (a AND c) becomes a AND (b OR c), so a join condition
// written inside each branch (TPC-H Q19) becomes a hash join key.
func factorOr(e Expr, o *Optimizer) []Expr {
	ds := disjuncts(e)
	if len(ds) < 2 {
		return []Expr{e}
	}
	branches := make([][]Expr, len(ds))
	for i, d := range ds {
		branches[i] = Conjuncts(d)
	}
	var common []Expr
	for _, c := range branches[0] {
		key := c.String()
		inAll := true
		for _, b := range branches[1:] {
			found := false
			for _, x := range b {
				if x.String() == key {
					found = true
					break
				}
			}
			if !found {
				inAll = false
				break
			}
		}
		if inAll {
			common = append(common, c)
		}
	}
	if len(common) == 0 {
		return []Expr{e}
	}
	isCommon := map[string]bool{}
	for _, c := range common {
		isCommon[c.String()] = true
	}
	var rest Expr
	for _, b := range branches {
		var keep []Expr
		for _, x := range b {
			if !isCommon[x.String()] {
				keep = append(keep, x)
			}
		}
		if len(keep) == 0 {
			// One branch is exactly the common part: the OR is implied.
			return common
		}
		br := andAll(o.b, keep)
		if rest == nil {
			rest = br
		} else {
			rest = makeOr(o.b, rest, br)
		}
	}
	return append(common, rest)
}
