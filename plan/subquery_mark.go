package plan

import (
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// bindMarkSubquery binds an uncorrelated EXISTS or x IN (subquery) (also
// x = ANY (subquery)) used as a value, outside a top-level WHERE conjunct
// (SELECT list, under OR, in CASE), as joins that keep every outer row
// once, instead of the per-row evaluation correlated ones need:
//
//   - a one-row aggregate of the subquery (its row count and, for IN,
//     its non-NULL count) is joined to every outer row;
//   - for IN, the subquery's distinct values, with a marker, are left
//     joined on probe = value: the marker is set on a match.
//
// x IN (set) is then true on a match; else false when the set is empty;
// else NULL when x is NULL or the set holds a NULL; else false (Trino).
// Quantified comparisons x < ALL (subquery) and friends compare x with the
// subquery's minimum or maximum (bindQuantifiedExtreme); kind is "exists",
// "in", "any" or "all" (op then is the comparison).
// ok is false when the subquery is correlated (the caller falls back).
func (ec *exprCtx) bindMarkSubquery(at ast.Node, q *ast.Query, kind string, probe Expr, op string) (value Expr, ok bool, err error) {
	b := ec.b
	// Bound without the enclosing scope: any outer reference fails, and
	// the caller's correlated path reports real errors.
	rel, corr, err := b.bindQuery(q, nil)
	if err != nil || len(corr) > 0 {
		return nil, false, nil
	}
	count, found := b.env.Funcs.Aggregate("count")
	if !found {
		return nil, true, errAt(at, "BUG: count is not registered")
	}
	rowsBind, err := count.Bind(nil)
	if err != nil {
		return nil, true, err
	}
	rows := &AggCall{Name: "count", Binding: rowsBind, ID: b.newID()}
	stats := &Aggregate{Input: rel.node, Aggs: []*AggCall{rows}}
	outer := &Join{Kind: exec.LeftJoin, L: *ec.input, R: stats}
	rowsRef := &ColumnRef{ID: rows.ID, T: types.BigIntType, Name: "count"}
	zero := &Const{Value: int64(0), T: types.BigIntType}
	tr, fa, null := &Const{Value: true, T: types.BooleanType}, &Const{Value: false, T: types.BooleanType}, &Const{T: types.BooleanType}
	if kind == "exists" {
		*ec.input = outer
		v, err := ec.bindCall(at, "$gt", []Expr{rowsRef, zero})
		return v, true, err
	}

	vis := visible(rel.cols)
	if len(vis) != 1 {
		return nil, true, errAt(q, "Multiple columns returned by subquery are not yet supported. Found %d", len(vis))
	}
	item := vis[0].col
	if kind == "any" || kind == "all" {
		*ec.input = outer
		v, err := ec.bindQuantifiedExtreme(at, kind, op, probe, item, stats, rowsRef)
		return v, true, err
	}
	eq, err := ec.bindCall(at, "$eq", []Expr{probe, colRef(item)})
	if err != nil {
		return nil, true, err
	}
	call := eq.(*Call)
	probeC, itemC := call.Args[0], call.Args[1]
	nonNullBind, err := count.Bind([]types.Type{item.T})
	if err != nil {
		return nil, true, err
	}
	nonNull := &AggCall{Name: "count", Binding: nonNullBind, Args: []Expr{colRef(item)}, ID: b.newID()}
	stats.Aggs = append(stats.Aggs, nonNull)

	// The distinct values: at most one match per outer row.
	k := Column{ID: b.newID(), Name: item.Name, T: itemC.Type()}
	key := Column{ID: b.newID(), Name: item.Name, T: k.T}
	marker := Column{ID: b.newID(), Name: "$matched", T: types.BooleanType}
	distinct := &Aggregate{Input: &Project{Input: rel.node, Exprs: []Expr{itemC}, Cols: []Column{k}}, Keys: []Expr{colRef(k)}, KeyCols: []Column{key}}
	values := &Project{Input: distinct, Exprs: []Expr{colRef(key), tr}, Cols: []Column{key, marker}}
	cond := &Call{Name: "$eq", Binding: call.Binding, Args: []Expr{probeC, colRef(key)}}
	*ec.input = &Join{Kind: exec.LeftJoin, L: outer, R: values, Cond: cond}

	empty, err := ec.bindCall(at, "$eq", []Expr{rowsRef, zero})
	if err != nil {
		return nil, true, err
	}
	setHasNull, err := ec.bindCall(at, "$lt", []Expr{&ColumnRef{ID: nonNull.ID, T: types.BigIntType, Name: "count"}, rowsRef})
	if err != nil {
		return nil, true, err
	}
	value = &Case{
		Whens: []Expr{&IsNull{Arg: colRef(marker), Not: true}, empty, &IsNull{Arg: probeC}, setHasNull},
		Thens: []Expr{tr, fa, null, null},
		Else:  fa, T: types.BooleanType}
	return value, true, nil
}

// bindQuantifiedExtreme binds x op ALL|ANY (set) for an ordering op over
// the one-row stats aggregate of the set: x < ALL (set) is x < min(set),
// x < ANY (set) is x < max(set), and so on, with the empty set (ALL true,
// ANY false) and NULLs in the set (no decisive comparison: NULL) as in
// Trino.
func (ec *exprCtx) bindQuantifiedExtreme(at ast.Node, kind, op string, probe Expr, item Column, stats *Aggregate, rowsRef Expr) (Expr, error) {
	b := ec.b
	useMin := (op == "$lt" || op == "$le") == (kind == "all")
	name := "max"
	if useMin {
		name = "min"
	}
	f, ok := b.env.Funcs.Aggregate(name)
	if !ok {
		return nil, errAt(at, "BUG: %s is not registered", name)
	}
	bind, err := f.Bind([]types.Type{item.T})
	if err != nil {
		return nil, errAt(at, "%s", err.Error())
	}
	count, _ := b.env.Funcs.Aggregate("count")
	nonNullBind, err := count.Bind([]types.Type{item.T})
	if err != nil {
		return nil, err
	}
	ext := &AggCall{Name: name, Binding: bind, Args: []Expr{colRef(item)}, ID: b.newID()}
	nonNull := &AggCall{Name: "count", Binding: nonNullBind, Args: []Expr{colRef(item)}, ID: b.newID()}
	stats.Aggs = append(stats.Aggs, ext, nonNull)
	cmp, err := ec.bindCall(at, op, []Expr{probe, &ColumnRef{ID: ext.ID, T: bind.Result, Name: name}})
	if err != nil {
		return nil, err
	}
	zero := &Const{Value: int64(0), T: types.BigIntType}
	empty, err := ec.bindCall(at, "$eq", []Expr{rowsRef, zero})
	if err != nil {
		return nil, err
	}
	setHasNull, err := ec.bindCall(at, "$lt", []Expr{&ColumnRef{ID: nonNull.ID, T: types.BigIntType, Name: "count"}, rowsRef})
	if err != nil {
		return nil, err
	}
	tr, fa, null := &Const{Value: true, T: types.BooleanType}, &Const{Value: false, T: types.BooleanType}, &Const{T: types.BooleanType}
	if kind == "all" {
		// Empty: true; some comparison false: false; a NULL: NULL.
		notCmp, err := ec.bindCall(at, "$not", []Expr{cmp})
		if err != nil {
			return nil, err
		}
		return &Case{Whens: []Expr{empty, notCmp, setHasNull}, Thens: []Expr{tr, fa, null}, Else: cmp, T: types.BooleanType}, nil
	}
	// Empty: false; some comparison true: true; a NULL: NULL.
	return &Case{Whens: []Expr{empty, cmp, setHasNull}, Thens: []Expr{fa, tr, null}, Else: cmp, T: types.BooleanType}, nil
}
