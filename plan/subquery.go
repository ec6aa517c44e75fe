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
				return nil, errAt(x, "correlated scalar subqueries are supported only with equality correlations (inner.k = outer.k); found %s", c)
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
	for {
		switch x := n.(type) {
		case *Aggregate:
			return len(x.Keys) > 0
		case *Project:
			n = x.Input
		case *Filter:
			n = x.Input
		case *Sort:
			n = x.Input
		case *Limit:
			n = x.Input
		default:
			return false
		}
	}
}
