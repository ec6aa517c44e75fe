package plan

import (
	"strings"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// Subqueries are decorrelated while binding:
//   - EXISTS / NOT EXISTS / IN / NOT IN as a top-level WHERE conjunct
//     become semi, anti and null-aware anti joins, with the subquery's
//     correlated conjuncts as the join condition;
//   - a scalar subquery becomes a left join: uncorrelated, with a
//     single-row relation; correlated (an aggregate whose correlated
//     conjuncts are equalities), with the aggregate grouped by the
//     correlated columns.

// bindSubqueryConjunct handles a WHERE conjunct that is a (negated)
// EXISTS or IN subquery; it reports false for anything else.
func (ec *exprCtx) bindSubqueryConjunct(conj ast.Expr) (bool, error) {
	neg := false
	e := conj
	for {
		u, ok := e.(*ast.UnaryExpr)
		if !ok || !strings.EqualFold(u.Op, "NOT") {
			break
		}
		neg = !neg
		e = u.X
	}
	switch x := e.(type) {
	case *ast.Exists:
		// EXISTS over an aggregation without GROUP BY or HAVING always
		// finds its one row.
		if sel, ok := x.Query.Body.(*ast.Select); ok && sel.GroupBy == nil && sel.Having == nil && x.Query.Limit == nil && x.Query.Offset == nil {
			agg := false
			for _, it := range sel.Items {
				if se, ok := it.(*ast.SelectExpr); ok && ec.b.containsAggregate(se.Expr) {
					agg = true
				}
			}
			if agg {
				if _, _, err := ec.b.bindQuery(x.Query, ec.sc); err != nil {
					return true, err
				}
				if neg {
					*ec.input = &Filter{Input: *ec.input, Cond: &Const{Value: false, T: types.BooleanType}}
				}
				return true, nil
			}
		}
		rel, corr, err := ec.b.bindQuery(x.Query, ec.sc)
		if err != nil {
			return true, err
		}
		kind := exec.SemiJoin
		if neg {
			kind = exec.AntiJoin
		}
		*ec.input = &Join{Kind: kind, L: *ec.input, R: rel.node, Cond: andAll(ec.b, corr)}
		return true, nil
	case *ast.InSubquery:
		if x.Not {
			neg = !neg
		}
		v, err := ec.bind(x.X)
		if err != nil {
			return true, err
		}
		rel, corr, err := ec.b.bindQuery(x.Query, ec.sc)
		if err != nil {
			return true, err
		}
		vis := visible(rel.cols)
		if len(vis) != 1 {
			return true, errAt(x.Query, "Multiple columns returned by subquery are not yet supported. Found %d", len(vis))
		}
		eq, err := ec.bindCall(x, "$eq", []Expr{v, colRef(vis[0].col)})
		if err != nil {
			return true, err
		}
		kind := exec.SemiJoin
		if neg {
			kind = exec.NullAwareAntiJoin
			if len(corr) > 0 {
				// NOT IN's NULL rule applies per outer row's correlated
				// group, which a plain anti join does not model.
				return true, errAt(x, "NOT IN with a correlated subquery is not supported yet; use NOT EXISTS")
			}
		}
		*ec.input = &Join{Kind: kind, L: *ec.input, R: rel.node, Cond: andAll(ec.b, append([]Expr{eq}, corr...))}
		return true, nil
	}
	return false, nil
}

// bindScalarSubquery binds (SELECT ...) used as a value.
func (ec *exprCtx) bindScalarSubquery(x *ast.SubqueryExpr) (Expr, error) {
	if ec.input == nil {
		return nil, errAt(x, "subqueries are not allowed in %s", ec.clause)
	}
	rel, corr, err := ec.b.bindQuery(x.Query, ec.sc)
	if err != nil {
		return nil, err
	}
	vis := visible(rel.cols)
	if len(vis) != 1 {
		return nil, errAt(x, "Multiple columns returned by subquery are not yet supported. Found %d", len(vis))
	}
	var right Node
	if len(corr) == 0 {
		right = &SingleRow{Input: rel.node}
	} else {
		if !isAggregated(rel.node) {
			return nil, errAt(x, "correlated scalar subqueries must be aggregates (e.g. SELECT min(x) ... WHERE inner.k = outer.k)")
		}
		// Decorrelation groups the subquery by its correlated columns, which
		// is only right when every correlation is an equality.
		for _, c := range corr {
			if call, ok := c.(*Call); !ok || call.Name != "$eq" {
				// Not only equalities: evaluate per outer row.
				return ec.bindPerRowSubquery(x, x.Query, "scalar", nil)
			}
		}
		right = rel.node
	}
	j := &Join{Kind: exec.LeftJoin, R: right, Cond: andAll(ec.b, corr)}
	var value Expr = colRef(vis[0].col)
	if len(corr) > 0 && countLike(rel.node, vis[0].col.ID) {
		// A group with no rows is missing from the decorrelated aggregate,
		// but count over no rows is 0, not NULL.
		value = &Case{Whens: []Expr{&IsNull{Arg: colRef(vis[0].col)}}, Thens: []Expr{&Const{Value: int64(0), T: vis[0].col.T}}, Else: colRef(vis[0].col), T: vis[0].col.T}
	}
	if ec.deferJoins != nil {
		*ec.deferJoins = append(*ec.deferJoins, j)
	} else {
		j.L = *ec.input
		*ec.input = j
	}
	return value, nil
}

// countLike reports whether output column id of a subquery is directly a
// count aggregate (count, count_if, approx_distinct).
func countLike(n Node, id ColumnID) bool {
	for {
		switch x := n.(type) {
		case *Project:
			for i, c := range x.Cols {
				if c.ID == id {
					cr, ok := x.Exprs[i].(*ColumnRef)
					if !ok {
						return false
					}
					id = cr.ID
				}
			}
			n = x.Input
		case *Filter:
			n = x.Input
		case *Sort:
			n = x.Input
		case *Limit:
			n = x.Input
		case *Aggregate:
			for _, a := range x.Aggs {
				if a.ID == id {
					return a.Name == "count" || a.Name == "count_if" || a.Name == "approx_distinct"
				}
			}
			return false
		default:
			return false
		}
	}
}

func isAggregated(n Node) bool {
	a := topAggregate(n)
	return a != nil && len(a.Keys) > 0
}

// topAggregate is the Aggregate a query's plan ends in, below projections,
// filters, sorts and limits, or nil.
func topAggregate(n Node) *Aggregate {
	for {
		switch x := n.(type) {
		case *Aggregate:
			return x
		case *Project:
			n = x.Input
		case *Filter:
			n = x.Input
		case *Sort:
			n = x.Input
		case *Limit:
			n = x.Input
		default:
			return nil
		}
	}
}

// bindPerRowSubquery evaluates a subquery once per outer row without
// requiring equality correlations: each outer row gets a row id, is LEFT
// joined to the inner rows that satisfy the correlation, and the
// subquery's aggregates are computed per row id (keyed also by the outer
// columns, which keep their IDs through the aggregation). It serves
// correlated scalar aggregates such as
//
//	(SELECT count(*) FROM t AS x WHERE x.b < t1.b)
//
// and EXISTS / IN used as values. kind is "scalar", "exists" or "in" (then
// probe is the IN's left operand).
func (ec *exprCtx) bindPerRowSubquery(at ast.Node, q *ast.Query, kind string, probe Expr) (Expr, error) {
	return ec.bindPerRow(at, q, kind, probe, "$eq")
}

// bindPerRow is bindPerRowSubquery with the comparison of a quantified
// comparison (kind "any" or "all": x op ANY/ALL (subquery)).
func (ec *exprCtx) bindPerRow(at ast.Node, q *ast.Query, kind string, probe Expr, op string) (Expr, error) {
	if ec.input == nil || ec.deferJoins != nil {
		return nil, errAt(at, "this subquery is supported only in a query without GROUP BY")
	}
	markKind := kind
	switch {
	case kind == "any" && op == "$eq":
		markKind = "in"
	case kind == "all" && op == "$ne":
		markKind = "not in"
	case (kind == "any" || kind == "all") && op != "$lt" && op != "$le" && op != "$gt" && op != "$ge":
		markKind = ""
	}
	if markKind == "exists" || markKind == "in" || markKind == "not in" || markKind == "any" || markKind == "all" {
		mk := markKind
		if mk == "not in" {
			mk = "in"
		}
		v, ok, err := ec.bindMarkSubquery(at, q, mk, probe, op)
		if ok && err == nil && markKind == "not in" {
			return ec.bindCall(at, "$not", []Expr{v})
		}
		if ok || err != nil {
			return v, err
		}
	}
	sel, ok := q.Body.(*ast.Select)
	if !ok || q.With != nil || len(q.OrderBy) > 0 || q.Limit != nil || q.Offset != nil ||
		sel.GroupBy != nil || sel.Having != nil || sel.Distinct || sel.From == nil {
		return nil, errAt(at, "correlated subqueries of this form are not supported yet")
	}
	b := ec.b
	inner, err := b.bindRelation(sel.From, ec.sc)
	if err != nil {
		return nil, err
	}
	isc := &scope{cols: inner.cols, parent: ec.sc, outer: map[ColumnID]bool{}}
	iec := &exprCtx{b: b, sc: isc, clause: "WHERE"}
	innerNode := inner.node
	var corr []Expr
	if sel.Where != nil {
		for _, c := range astConjuncts(sel.Where) {
			e, err := iec.bind(c)
			if err != nil {
				return nil, err
			}
			if err := iec.requireBoolean(c, e); err != nil {
				return nil, err
			}
			if refsOuter(e, isc) || !ownsAll(e, isc) {
				corr = append(corr, e)
				continue
			}
			innerNode = &Filter{Input: innerNode, Cond: e}
		}
	}
	// A constant true column tells matched rows from the LEFT join's padding.
	marker := Column{ID: b.newID(), Name: "$matched", T: types.BooleanType}
	var pexprs []Expr
	var pcols []Column
	for _, c := range innerNode.Output() {
		pexprs = append(pexprs, colRef(c))
		pcols = append(pcols, c)
	}
	pexprs = append(pexprs, &Const{Value: true, T: types.BooleanType})
	pcols = append(pcols, marker)
	innerNode = &Project{Input: innerNode, Exprs: pexprs, Cols: pcols}

	outerNode := *ec.input
	rowID := Column{ID: b.newID(), Name: "$row", T: types.BigIntType}
	join := &Join{Kind: exec.LeftJoin, L: &RowID{Input: outerNode, Col: rowID}, R: innerNode, Cond: andAll(b, corr)}

	agg := &aggState{}
	// The subquery's own columns shadow the outer ones, which resolve in
	// the parent scope (and keep their IDs through the join).
	jsc := &scope{cols: inner.cols, parent: ec.sc}
	vec := &exprCtx{b: b, sc: jsc, allowAgg: true, agg: agg, clause: "subquery"}
	countOf := func(arg Expr) (Expr, error) {
		f, _ := b.env.Funcs.Aggregate("count")
		bind, err := f.Bind([]types.Type{arg.Type()})
		if err != nil {
			return nil, err
		}
		call := &AggCall{Name: "count", Binding: bind, Args: []Expr{arg}}
		agg.calls = append(agg.calls, call)
		return &AggRef{Call: call}, nil
	}
	gt0 := func(e Expr) (Expr, error) {
		return vec.bindCall(at, "$gt", []Expr{e, &Const{Value: int64(0), T: types.BigIntType}})
	}
	var value Expr
	switch kind {
	case "exists":
		n, err := countOf(colRef(marker))
		if err != nil {
			return nil, err
		}
		if value, err = gt0(n); err != nil {
			return nil, err
		}
	case "in", "any", "all":
		vis := visible(inner.cols)
		if len(sel.Items) != 1 {
			return nil, errAt(at, "IN subquery must return one column")
		}
		se, ok := sel.Items[0].(*ast.SelectExpr)
		if !ok || len(vis) == 0 {
			return nil, errAt(at, "IN subquery must return one column")
		}
		item, err := vec.bind(se.Expr)
		if err != nil {
			return nil, err
		}
		eq, err := vec.bindCall(at, op, []Expr{probe, item})
		if err != nil {
			return nil, err
		}
		if kind == "all" {
			// x op ALL (set): false if some comparison is false; else NULL
			// if some is NULL; else true (also for an empty set).
			notOp, err := vec.bindCall(at, "$not", []Expr{eq})
			if err != nil {
				return nil, err
			}
			fails, err := countOf(&Case{Whens: []Expr{notOp}, Thens: []Expr{&Const{Value: true, T: types.BooleanType}}, T: types.BooleanType})
			if err != nil {
				return nil, err
			}
			rows, err := countOf(colRef(marker))
			if err != nil {
				return nil, err
			}
			known, err := countOf(&Case{Whens: []Expr{&IsNull{Arg: eq, Not: true}}, Thens: []Expr{&Const{Value: true, T: types.BooleanType}}, T: types.BooleanType})
			if err != nil {
				return nil, err
			}
			failed, err := gt0(fails)
			if err != nil {
				return nil, err
			}
			someNull, err := vec.bindCall(at, "$lt", []Expr{known, rows})
			if err != nil {
				return nil, err
			}
			value = &Case{Whens: []Expr{failed, someNull},
				Thens: []Expr{&Const{Value: false, T: types.BooleanType}, &Const{T: types.BooleanType}},
				Else:  &Const{Value: true, T: types.BooleanType}, T: types.BooleanType}
			break
		}
		// x IN (set): true on a match; else NULL if x is NULL or the set
		// holds a NULL (and is not empty); else false.
		hits, err := countOf(&Case{Whens: []Expr{eq}, Thens: []Expr{&Const{Value: true, T: types.BooleanType}}, T: types.BooleanType})
		if err != nil {
			return nil, err
		}
		rows, err := countOf(colRef(marker))
		if err != nil {
			return nil, err
		}
		// Comparisons that were not NULL; fewer than the rows means some
		// comparison was NULL (a NULL in the set, or a NULL probe).
		nonNull, err := countOf(&Case{Whens: []Expr{&IsNull{Arg: eq, Not: true}}, Thens: []Expr{&Const{Value: true, T: types.BooleanType}}, T: types.BooleanType})
		if err != nil {
			return nil, err
		}
		hit, err := gt0(hits)
		if err != nil {
			return nil, err
		}
		empty, err := vec.bindCall(at, "$eq", []Expr{rows, &Const{Value: int64(0), T: types.BigIntType}})
		if err != nil {
			return nil, err
		}
		setHasNull, err := vec.bindCall(at, "$lt", []Expr{nonNull, rows})
		if err != nil {
			return nil, err
		}
		unknown := setHasNull
		value = &Case{Whens: []Expr{hit, empty, unknown},
			Thens: []Expr{&Const{Value: true, T: types.BooleanType}, &Const{Value: false, T: types.BooleanType}, &Const{T: types.BooleanType}},
			Else:  &Const{Value: false, T: types.BooleanType}, T: types.BooleanType}
	default:
		if len(sel.Items) != 1 {
			return nil, errAt(at, "Multiple columns returned by subquery are not yet supported")
		}
		se, ok := sel.Items[0].(*ast.SelectExpr)
		if !ok || !b.containsAggregate(se.Expr) {
			return nil, errAt(at, "correlated scalar subqueries must compute an aggregate")
		}
		if value, err = vec.bind(se.Expr); err != nil {
			return nil, err
		}
		// count(*) counts matched rows only.
		for _, c := range agg.calls {
			if c.Name == "count" && len(c.Args) == 0 {
				f, _ := b.env.Funcs.Aggregate("count")
				bind, err := f.Bind([]types.Type{types.BooleanType})
				if err != nil {
					return nil, err
				}
				c.Binding, c.Args = bind, []Expr{colRef(marker)}
			}
		}
	}
	keys := []Expr{colRef(rowID)}
	keyCols := []Column{rowID}
	for _, c := range outerNode.Output() {
		keys = append(keys, colRef(c))
		keyCols = append(keyCols, c)
	}
	for _, c := range agg.calls {
		c.ID = b.newID()
	}
	innerIDs := idSet(innerNode.Output())
	var rerr error
	value = Rewrite(value, func(x Expr) Expr {
		switch y := x.(type) {
		case *AggRef:
			return &ColumnRef{ID: y.Call.ID, T: y.Call.Binding.Result, Name: y.Call.Name}
		case *ColumnRef:
			if innerIDs[y.ID] && rerr == nil {
				rerr = errAt(at, "subquery column '%s' must be aggregated", y.Name)
			}
		}
		return nil
	})
	if rerr != nil {
		return nil, rerr
	}
	*ec.input = &Aggregate{Input: join, Keys: keys, KeyCols: keyCols, Aggs: agg.calls}
	return value, nil
}

// ownsAll reports whether every column e reads belongs to scope s.
func ownsAll(e Expr, s *scope) bool {
	for id := range ColumnsOf(e) {
		if !s.owns(id) {
			return false
		}
	}
	return true
}
