package plan

import (
	"strings"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/sql/ast"
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
				kind = exec.AntiJoin
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
	if ec.deferJoins != nil {
		*ec.deferJoins = append(*ec.deferJoins, j)
	} else {
		j.L = *ec.input
		*ec.input = j
	}
	return colRef(vis[0].col), nil
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
