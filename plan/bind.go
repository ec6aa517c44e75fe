package plan

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/sql/token"
	"github.com/quarry-sql/quarry/types"
)

// Env is what binding and planning need from the session.
type Env struct {
	Ctx     context.Context
	Catalog catalog.Catalog
	Funcs   *function.Registry
	// Schema is the session's current schema.
	Schema string
	// Fn evaluates constant expressions at plan time (now(), zone).
	Fn   *function.Context
	Warn func(msg string)
	// DecimalLiteralsAsDouble types 1.0 as double, as Presto 0.172 (Athena
	// engine v1) did, instead of Trino's decimal(2,1) (session property
	// parse_decimal_literals_as_double).
	DecimalLiteralsAsDouble bool
}

// SemanticError is a binding error at a position in the query.
type SemanticError struct {
	Pos token.Pos
	Msg string
}

func (e *SemanticError) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("line %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
	}
	return e.Msg
}

func errAt(n ast.Node, format string, args ...any) error {
	var p token.Pos
	if n != nil {
		p = n.Pos()
	}
	return &SemanticError{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// Binder turns ASTs into logical plans. One Binder serves one statement.
type Binder struct {
	env    *Env
	nextID ColumnID
	ctes   []map[string]*cteDef
	// viewDepth guards against views that reference themselves.
	viewDepth int
	// volatile counts volatile calls bound (random()): a CTE using one
	// is not shared, each reference draws its own values.
	volatile int
}

type cteDef struct {
	q       *ast.WithQuery
	columns []*ast.Ident
	refs    int        // references by name in the WITH's query
	shared  *SharedCTE // the body computed once, when shared
	body    *relation  // the shared body's binding
	inline  bool       // bound once and found not shareable
}

// NewBinder returns a binder over env.
func NewBinder(env *Env) *Binder { return &Binder{env: env} }

func (b *Binder) newID() ColumnID {
	b.nextID++
	return b.nextID
}

// scopeCol is a column visible to name resolution.
type scopeCol struct {
	qual   string // lower-case relation alias; "" for none
	name   string // lower-case column name
	col    Column
	hidden bool // $path and friends: only by explicit name, never in *
	// qualOnly columns resolve only qualified and appear only in
	// qualified *: a USING join's sides, whose unqualified name is the
	// merged column.
	qualOnly bool
}

// scope is the set of names visible in one query block.
type scope struct {
	cols   []scopeCol
	parent *scope
	// outer collects references this block makes to columns of enclosing
	// blocks (correlation).
	outer map[ColumnID]bool
}

// relation is a bound FROM item or query.
type relation struct {
	node Node
	cols []scopeCol
}

// Query is a bound query: its plan and output column names.
type Query struct {
	Root  Node
	Names []string
}

// BindQuery binds a query statement.
func (b *Binder) BindQuery(q *ast.Query) (*Query, error) {
	rel, corr, err := b.bindQuery(q, nil)
	if err != nil {
		return nil, err
	}
	if len(corr) > 0 {
		return nil, errAt(q, "BUG: correlated predicates at top level")
	}
	names := make([]string, len(rel.cols))
	for i, c := range rel.cols {
		names[i] = c.col.Name
	}
	return &Query{Root: rel.node, Names: names}, nil
}

// bindQuery binds a query block; parent is the enclosing scope for
// correlated subqueries. It returns the conjuncts that reference outer
// columns (removed from the plan, for the caller to join on).
func (b *Binder) bindQuery(q *ast.Query, parent *scope) (*relation, []Expr, error) {
	if q.With != nil {
		if q.With.Recursive {
			return nil, nil, errAt(q.With, "WITH RECURSIVE is not supported yet")
		}
		frame := map[string]*cteDef{}
		b.ctes = append(b.ctes, frame)
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
		for _, wq := range q.With.Queries {
			frame[strings.ToLower(wq.Name.Name)] = &cteDef{q: wq, columns: wq.Columns}
		}
		countCTERefs(q, frame)
	}
	// ORDER BY of a SELECT body may use the select's input columns, so a
	// plain SELECT handles ORDER BY itself.
	if sel, ok := q.Body.(*ast.Select); ok {
		rel, corr, err := b.bindSelect(sel, q.OrderBy, parent)
		if err != nil {
			return nil, nil, err
		}
		rel.node, err = b.bindLimit(q, rel.node)
		return rel, corr, err
	}
	rel, corr, err := b.bindBody(q.Body, parent)
	if err != nil {
		return nil, nil, err
	}
	if len(q.OrderBy) > 0 {
		sc := &scope{cols: rel.cols, parent: parent}
		var keys []SortKey
		for _, item := range q.OrderBy {
			e, err := b.bindOrderItem(item, rel.cols, sc)
			if err != nil {
				return nil, nil, err
			}
			keys = append(keys, sortKey(item, e))
		}
		rel.node = &Sort{Input: rel.node, Keys: keys}
	}
	rel.node, err = b.bindLimit(q, rel.node)
	return rel, corr, err
}

func sortKey(item *ast.SortItem, e Expr) SortKey {
	k := SortKey{Expr: e, Desc: item.Desc}
	if item.NullsFirst != nil {
		k.NullsFirst = *item.NullsFirst
	}
	return k
}

func (b *Binder) bindLimit(q *ast.Query, n Node) (Node, error) {
	if q.Limit == nil && q.Offset == nil {
		return n, nil
	}
	lim := int64(-1)
	var off int64
	if q.Limit != nil {
		v, err := b.constInt(q.Limit, "LIMIT")
		if err != nil {
			return nil, err
		}
		lim = v
	}
	if q.Offset != nil {
		v, err := b.constInt(q.Offset, "OFFSET")
		if err != nil {
			return nil, err
		}
		off = v
	}
	if q.FetchWithTies {
		return b.bindLimitWithTies(q, n, lim, off)
	}
	return &Limit{Input: n, N: lim, Offset: off}, nil
}

// bindLimitWithTies plans OFFSET m FETCH FIRST n ROWS WITH TIES over the
// query's sort (n may sit under the projection that drops hidden sort
// columns): rank and row number in sort order keep the rows after the
// first m whose rank is at most m+n, which are the n rows after the offset
// and every later row equal to the last of them in the sort keys.
func (b *Binder) bindLimitWithTies(q *ast.Query, n Node, lim, off int64) (Node, error) {
	top, _ := n.(*Project)
	s, ok := n.(*Sort)
	if top != nil {
		s, ok = top.Input.(*Sort)
	}
	if !ok {
		return nil, errAt(q.Limit, "FETCH FIRST WITH TIES clause requires ORDER BY")
	}
	rank := &WindowCall{Name: "rank", OrderBy: s.Keys, T: types.BigIntType, ID: b.newID()}
	num := &WindowCall{Name: "row_number", OrderBy: s.Keys, T: types.BigIntType, ID: b.newID()}
	win := &Window{Input: s.Input, Calls: []*WindowCall{rank, num}}
	ec := &exprCtx{b: b, sc: &scope{}}
	ref := func(w *WindowCall) Expr { return &ColumnRef{ID: w.ID, T: w.T, Name: w.Name} }
	cond, err := ec.bindCall(q.Limit, "$le", []Expr{ref(rank), &Const{Value: lim + off, T: types.BigIntType}})
	if err != nil {
		return nil, err
	}
	if off > 0 {
		after, err := ec.bindCall(q.Offset, "$gt", []Expr{ref(num), &Const{Value: off, T: types.BigIntType}})
		if err != nil {
			return nil, err
		}
		cond = makeAnd(b, cond, after)
	}
	in := s.Input.Output()
	exprs := make([]Expr, len(in))
	for i, c := range in {
		exprs[i] = colRef(c)
	}
	var out Node = &Sort{Input: &Project{Input: &Filter{Input: win, Cond: cond}, Exprs: exprs, Cols: in}, Keys: s.Keys}
	if top != nil {
		out = &Project{Input: out, Exprs: top.Exprs, Cols: top.Cols}
	}
	return out, nil
}

func (b *Binder) constInt(e ast.Expr, what string) (int64, error) {
	lit, ok := e.(*ast.IntegerLit)
	if !ok {
		return 0, errAt(e, "%s must be an integer literal", what)
	}
	var v int64
	if _, err := fmt.Sscan(lit.Text, &v); err != nil || v < 0 {
		return 0, errAt(e, "%s must be a non-negative integer: %s", what, lit.Text)
	}
	return v, nil
}

func (b *Binder) bindBody(body ast.QueryBody, parent *scope) (*relation, []Expr, error) {
	switch x := body.(type) {
	case *ast.Select:
		return b.bindSelect(x, nil, parent)
	case *ast.SubqueryBody:
		return b.bindQuery(x.Query, parent)
	case *ast.Values:
		rel, err := b.bindValues(x)
		return rel, nil, err
	case *ast.TableRef:
		rel, err := b.bindTableRef(x, parent)
		if err != nil {
			return nil, nil, err
		}
		// TABLE t is SELECT * FROM t: hidden columns stay hidden.
		vis := visible(rel.cols)
		exprs := make([]Expr, len(vis))
		cols := make([]Column, len(vis))
		for i, c := range vis {
			exprs[i] = colRef(c.col)
			cols[i] = c.col
		}
		return &relation{node: &Project{Input: rel.node, Exprs: exprs, Cols: cols}, cols: vis}, nil, nil
	case *ast.SetOperation:
		rel, err := b.bindSetOp(x, parent)
		return rel, nil, err
	}
	return nil, nil, errAt(body, "unsupported query form %T", body)
}

// bindSelect binds one SELECT block, with the ORDER BY of its query.
func (b *Binder) bindSelect(sel *ast.Select, orderBy []*ast.SortItem, parent *scope) (*relation, []Expr, error) {
	var input *relation
	var err error
	if sel.From != nil {
		input, err = b.bindRelation(sel.From, parent)
		if err != nil {
			return nil, nil, err
		}
	} else {
		input = &relation{node: &Values{Rows: [][]Expr{{}}}}
	}
	sc := &scope{cols: input.cols, parent: parent, outer: map[ColumnID]bool{}}
	ec := &exprCtx{b: b, sc: sc, input: &input.node, clause: "WHERE"}

	var correlated []Expr
	if sel.Where != nil {
		for _, conj := range astConjuncts(sel.Where) {
			handled, err := ec.bindSubqueryConjunct(conj)
			if err != nil {
				return nil, nil, err
			}
			if handled {
				continue
			}
			before := len(sc.outer)
			e, err := ec.bind(conj)
			if err != nil {
				return nil, nil, err
			}
			if err := ec.requireBoolean(conj, e); err != nil {
				return nil, nil, err
			}
			if len(sc.outer) > before || refsOuter(e, sc) {
				correlated = append(correlated, e)
				continue
			}
			*ec.input = &Filter{Input: *ec.input, Cond: e}
		}
	}

	// Select items, expanded.
	type item struct {
		expr  ast.Expr // nil for columns from *
		col   *scopeCol
		alias string
	}
	var items []item
	for _, it := range sel.Items {
		switch x := it.(type) {
		case *ast.AllColumns:
			matched := 0
			for i := range sc.cols {
				c := &sc.cols[i]
				if c.hidden || (c.qualOnly && x.Prefix == nil) {
					continue
				}
				if x.Prefix != nil {
					if !qualMatches(c.qual, x.Prefix) {
						continue
					}
				}
				items = append(items, item{col: c, alias: c.col.Name})
				matched++
			}
			if matched == 0 && x.Prefix != nil {
				return nil, nil, errAt(x, "Table '%s' not found", x.Prefix.String())
			}
			if len(x.Aliases) > 0 {
				if len(x.Aliases) != matched {
					return nil, nil, errAt(x, "Column alias list has %d entries but '%s.*' has %d columns", len(x.Aliases), x.Prefix.String(), matched)
				}
				for i, a := range x.Aliases {
					items[len(items)-matched+i].alias = a.Name
				}
			}
		case *ast.SelectExpr:
			alias := ""
			if x.Alias != nil {
				alias = x.Alias.Name
			} else if alias = deriveName(x.Expr); alias == "" {
				alias = fmt.Sprintf("_col%d", len(items))
			}
			items = append(items, item{expr: x.Expr, alias: alias})
		}
	}

	// Aggregation.
	hasAgg := sel.GroupBy != nil || sel.Having != nil
	if !hasAgg {
		for _, it := range items {
			if it.expr != nil && b.containsAggregate(it.expr) {
				hasAgg = true
				break
			}
		}
		for _, o := range orderBy {
			if b.containsAggregate(o.Expr) {
				hasAgg = true
			}
		}
	}

	ec.clause = "SELECT"
	ec.allowAgg = hasAgg
	ec.allowWindow = true
	var agg *aggState
	if hasAgg {
		agg = &aggState{}
		ec.agg = agg
		if sel.GroupBy != nil {
			if sel.GroupBy.Distinct {
				return nil, nil, errAt(sel.GroupBy, "GROUP BY DISTINCT is not supported yet")
			}
			// bindKey binds one grouping expression (ordinals and output
			// aliases allowed), reusing an identical earlier key.
			bindKey := func(ge ast.Expr) (int, error) {
				var e Expr
				target := ge
				if lit, ok := ge.(*ast.IntegerLit); ok {
					var n int
					fmt.Sscan(lit.Text, &n)
					if n < 1 || n > len(items) {
						return 0, errAt(ge, "GROUP BY position %s is not in select list", lit.Text)
					}
					if items[n-1].expr == nil {
						c := items[n-1].col.col
						e = &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}
					} else {
						target = items[n-1].expr
					}
				} else if cr, ok := ge.(*ast.ColumnRef); ok && len(cr.Name.Parts) == 1 {
					// An output alias, when no input column has that name.
					if _, err := ec.resolve(cr.Name, cr); err != nil {
						for _, it := range items {
							if it.expr != nil && strings.EqualFold(it.alias, cr.Name.Parts[0].Name) {
								target = it.expr
								break
							}
						}
					}
				}
				if e == nil {
					ec.clause = "GROUP BY"
					ec.allowAgg = false
					ec.allowWindow = false
					var err error
					if e, err = ec.bind(target); err != nil {
						return 0, err
					}
				}
				for i, k := range agg.keys {
					if k.String() == e.String() {
						return i, nil
					}
				}
				agg.keys = append(agg.keys, e)
				return len(agg.keys) - 1, nil
			}
			// Each grouping element contributes a list of sets; the query's
			// grouping sets are their cross product (Trino semantics).
			sets := [][]int{{}}
			plain := true
			for _, el := range sel.GroupBy.Elems {
				var elSets [][]int
				switch g := el.(type) {
				case *ast.GroupingExprs:
					var set []int
					for _, ge := range g.Exprs {
						i, err := bindKey(ge)
						if err != nil {
							return nil, nil, err
						}
						set = append(set, i)
					}
					elSets = [][]int{set}
				case *ast.Rollup:
					plain = false
					var idx []int
					for _, ge := range g.Exprs {
						i, err := bindKey(ge)
						if err != nil {
							return nil, nil, err
						}
						idx = append(idx, i)
					}
					for n := len(idx); n >= 0; n-- {
						elSets = append(elSets, append([]int{}, idx[:n]...))
					}
				case *ast.Cube:
					plain = false
					var idx []int
					for _, ge := range g.Exprs {
						i, err := bindKey(ge)
						if err != nil {
							return nil, nil, err
						}
						idx = append(idx, i)
					}
					if len(idx) > 12 {
						return nil, nil, errAt(g, "CUBE of %d columns is too large", len(idx))
					}
					for mask := (1 << len(idx)) - 1; mask >= 0; mask-- {
						var set []int
						for b, i := range idx {
							if mask&(1<<(len(idx)-1-b)) != 0 {
								set = append(set, i)
							}
						}
						elSets = append(elSets, set)
					}
				case *ast.GroupingSets:
					plain = false
					for _, gs := range g.Sets {
						var set []int
						for _, ge := range gs {
							i, err := bindKey(ge)
							if err != nil {
								return nil, nil, err
							}
							set = append(set, i)
						}
						elSets = append(elSets, set)
					}
				default:
					return nil, nil, errAt(el, "unsupported grouping element")
				}
				var next [][]int
				for _, a := range sets {
					for _, b := range elSets {
						next = append(next, append(append([]int{}, a...), b...))
					}
				}
				sets = next
			}
			if !plain {
				agg.sets = sets
			}
		}
		ec.allowAgg = true
		ec.allowWindow = true
	}

	// Correlated conjuncts read inner columns: expose them (as grouping
	// keys when aggregating) so the caller can join on them.
	var innerRefs []Expr
	seenInner := map[ColumnID]bool{}
	for _, c := range correlated {
		Walk(c, func(x Expr) bool {
			if cr, ok := x.(*ColumnRef); ok && sc.owns(cr.ID) && !seenInner[cr.ID] {
				seenInner[cr.ID] = true
				innerRefs = append(innerRefs, cr)
			}
			return true
		})
	}
	var deferred []*Join
	if hasAgg {
		if agg.sets != nil && len(innerRefs) > 0 {
			return nil, nil, errAt(sel.GroupBy, "correlated subqueries with GROUPING SETS, ROLLUP or CUBE are not supported")
		}
		if agg.sets != nil {
			agg.gid = &ColumnRef{ID: b.newID(), T: types.BigIntType, Name: "$grouping_set"}
		}
		agg.keys = append(agg.keys, innerRefs...)
		ec.deferJoins = &deferred
	}

	// Bind select expressions (aggregates become AggRefs).
	ec.clause = "SELECT"
	outExprs := make([]Expr, len(items))
	for i, it := range items {
		if it.expr == nil {
			outExprs[i] = &ColumnRef{ID: it.col.col.ID, T: it.col.col.T, Name: it.col.col.Name}
			continue
		}
		e, err := ec.bind(it.expr)
		if err != nil {
			return nil, nil, err
		}
		outExprs[i] = e
	}
	var having Expr
	if sel.Having != nil {
		ec.clause = "HAVING"
		ec.allowWindow = false
		having, err = ec.bind(sel.Having)
		if err != nil {
			return nil, nil, err
		}
		if err := ec.requireBoolean(sel.Having, having); err != nil {
			return nil, nil, err
		}
		ec.allowWindow = true
	}

	// ORDER BY keys: output aliases and ordinals first, then expressions
	// over the input.
	type orderKey struct {
		outIdx int // >= 0: refers to select item
		expr   Expr
		item   *ast.SortItem
	}
	var okeys []orderKey
	ec.clause = "ORDER BY"
	for _, o := range orderBy {
		if lit, ok := o.Expr.(*ast.IntegerLit); ok {
			var n int
			fmt.Sscan(lit.Text, &n)
			if n < 1 || n > len(items) {
				return nil, nil, errAt(o.Expr, "ORDER BY position %s is not in select list", lit.Text)
			}
			okeys = append(okeys, orderKey{outIdx: n - 1, item: o})
			continue
		}
		if cr, ok := o.Expr.(*ast.ColumnRef); ok && len(cr.Name.Parts) == 1 {
			found := -1
			for i, it := range items {
				if strings.EqualFold(it.alias, cr.Name.Parts[0].Name) {
					if found >= 0 && !sameItem(items[found].expr, it.expr) {
						return nil, nil, errAt(o.Expr, "Column '%s' is ambiguous", cr.Name.Parts[0].Name)
					}
					found = i
				}
			}
			if found >= 0 {
				okeys = append(okeys, orderKey{outIdx: found, item: o})
				continue
			}
		}
		e, err := ec.bind(o.Expr)
		if err != nil {
			return nil, nil, err
		}
		okeys = append(okeys, orderKey{outIdx: -1, expr: e, item: o})
	}

	node := *ec.input
	if hasAgg {
		// Build the aggregate and rewrite post-aggregation expressions.
		keyCols := make([]Column, len(agg.keys))
		keyStr := map[string]int{}
		for i, k := range agg.keys {
			name := "_col"
			if cr, ok := k.(*ColumnRef); ok {
				name = cr.Name
			}
			keyCols[i] = Column{ID: b.newID(), Name: name, T: k.Type()}
			keyStr[k.String()] = i
		}
		for _, a := range agg.calls {
			a.ID = b.newID()
		}
		aggKeys := agg.keys
		// ORDER BY inside aggregates: the aggregate reads its input in
		// that order (one worker keeps it), so every group sees its rows
		// sorted. One order serves all the aggregates of a block.
		var aggOrder []SortKey
		var orderedBy *AggCall
		for _, a := range agg.calls {
			if len(a.OrderBy) == 0 {
				continue
			}
			if orderedBy != nil && sortKeysString(a.OrderBy) != sortKeysString(orderedBy.OrderBy) {
				return nil, nil, errAt(sel, "aggregates ordered differently (%s and %s) in one query block are not supported yet", orderedBy, a)
			}
			aggOrder, orderedBy = a.OrderBy, a
		}
		if aggOrder != nil {
			node = &Sort{Input: node, Keys: aggOrder}
		}
		if agg.sets != nil {
			// GROUPING SETS, ROLLUP, CUBE: each input row is expanded once
			// per grouping set, with the keys outside the set NULL and the
			// set's number in a hidden key, then grouped once.
			ex := &Expand{Input: node, Keys: agg.keys, Gid: Column{ID: agg.gid.ID, Name: agg.gid.Name, T: agg.gid.T}}
			for _, set := range agg.sets {
				in := make([]bool, len(agg.keys))
				for _, i := range set {
					in[i] = true
				}
				ex.Sets = append(ex.Sets, in)
			}
			aggKeys = nil
			for i, k := range agg.keys {
				c := Column{ID: b.newID(), Name: keyCols[i].Name, T: k.Type()}
				ex.KeyCols = append(ex.KeyCols, c)
				aggKeys = append(aggKeys, colRef(c))
			}
			aggKeys = append(aggKeys, agg.gid)
			keyCols = append(keyCols, Column{ID: b.newID(), Name: agg.gid.Name, T: agg.gid.T})
			keyStr[agg.gid.String()] = len(keyCols) - 1
			node = ex
		}
		node = &Aggregate{Input: node, Keys: aggKeys, KeyCols: keyCols, Aggs: agg.calls}
		rw := func(e Expr) (Expr, error) {
			var rerr error
			out := Rewrite(e, func(x Expr) Expr {
				if i, ok := keyStr[x.String()]; ok {
					return &ColumnRef{ID: keyCols[i].ID, T: keyCols[i].T, Name: keyCols[i].Name}
				}
				switch y := x.(type) {
				case *AggRef:
					return &ColumnRef{ID: y.Call.ID, T: y.Call.Binding.Result, Name: y.Call.Name}
				case *ColumnRef:
					if sc.owns(y.ID) && rerr == nil {
						rerr = &SemanticError{Pos: ec.refPos[y], Msg: fmt.Sprintf("'%s' must be an aggregate expression or appear in GROUP BY clause", y.Name)}
					}
				case *WindowRef:
					c := *y.Call
					for i := range c.Args {
						c.Args[i] = Rewrite(c.Args[i], func(z Expr) Expr { return nil })
					}
				}
				return nil
			})
			return out, rerr
		}
		for i := range outExprs {
			if outExprs[i], err = rw(outExprs[i]); err != nil {
				return nil, nil, err
			}
		}
		if having != nil {
			if having, err = rw(having); err != nil {
				return nil, nil, err
			}
		}
		for i := range correlated {
			if correlated[i], err = rw(correlated[i]); err != nil {
				return nil, nil, err
			}
		}
		for i, r := range innerRefs {
			innerRefs[i], _ = rw(r)
		}
		for i := range okeys {
			if okeys[i].expr != nil {
				if okeys[i].expr, err = rw(okeys[i].expr); err != nil {
					return nil, nil, err
				}
			}
		}
		for _, w := range ec.windows {
			for i := range w.Args {
				if w.Args[i], err = rw(w.Args[i]); err != nil {
					return nil, nil, err
				}
			}
			for i := range w.PartitionBy {
				if w.PartitionBy[i], err = rw(w.PartitionBy[i]); err != nil {
					return nil, nil, err
				}
			}
			for i := range w.OrderBy {
				if w.OrderBy[i].Expr, err = rw(w.OrderBy[i].Expr); err != nil {
					return nil, nil, err
				}
			}
		}
		// Scalar subqueries in SELECT and HAVING join onto the aggregated rows.
		for _, j := range deferred {
			j.L = node
			node = j
		}
		if having != nil {
			node = &Filter{Input: node, Cond: having}
		}
	}
	// Subqueries bound in SELECT/HAVING/ORDER BY may have grown the input
	// (joins); for the non-aggregate case that is *ec.input.
	if !hasAgg {
		node = *ec.input
	}

	if len(ec.windows) > 0 {
		for _, w := range ec.windows {
			w.ID = b.newID()
		}
		node = &Window{Input: node, Calls: ec.windows}
		repl := func(e Expr) Expr {
			return Rewrite(e, func(x Expr) Expr {
				if w, ok := x.(*WindowRef); ok {
					return &ColumnRef{ID: w.Call.ID, T: w.Call.T, Name: w.Call.Name}
				}
				return nil
			})
		}
		for i := range outExprs {
			outExprs[i] = repl(outExprs[i])
		}
		for i := range okeys {
			if okeys[i].expr != nil {
				okeys[i].expr = repl(okeys[i].expr)
			}
		}
	}

	// Projection: select items, then hidden sort columns.
	outCols := make([]Column, len(items))
	outScope := make([]scopeCol, len(items))
	for i, it := range items {
		id := b.newID()
		if cr, ok := outExprs[i].(*ColumnRef); ok && !hasAgg && len(ec.windows) == 0 && it.expr == nil {
			_ = cr
		}
		outCols[i] = Column{ID: id, Name: it.alias, T: outExprs[i].Type()}
		outScope[i] = scopeCol{name: strings.ToLower(it.alias), col: outCols[i]}
		if it.col != nil {
			outScope[i].qual = it.col.qual
		}
	}
	for _, r := range innerRefs {
		cr := r.(*ColumnRef)
		c := Column{ID: cr.ID, Name: cr.Name, T: cr.T}
		outExprs = append(outExprs, cr)
		outCols = append(outCols, c)
		outScope = append(outScope, scopeCol{name: strings.ToLower(cr.Name), col: c, hidden: true})
	}
	projExprs := append([]Expr{}, outExprs...)
	projCols := append([]Column{}, outCols...)
	var sortKeys []SortKey
	for _, k := range okeys {
		if k.outIdx >= 0 {
			c := outCols[k.outIdx]
			sortKeys = append(sortKeys, sortKey(k.item, &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}))
			continue
		}
		// An ORDER BY expression equal to a select item uses that item.
		found := false
		for i, oe := range outExprs {
			if oe.String() == k.expr.String() {
				c := outCols[i]
				sortKeys = append(sortKeys, sortKey(k.item, &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}))
				found = true
				break
			}
		}
		if found {
			continue
		}
		if sel.Distinct {
			return nil, nil, errAt(k.item, "For SELECT DISTINCT, ORDER BY expressions must appear in select list")
		}
		c := Column{ID: b.newID(), Name: "_sort", T: k.expr.Type()}
		projExprs = append(projExprs, k.expr)
		projCols = append(projCols, c)
		sortKeys = append(sortKeys, sortKey(k.item, &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}))
	}
	node = &Project{Input: node, Exprs: projExprs, Cols: projCols}
	if sel.Distinct {
		keys := make([]Expr, len(outCols))
		keyCols := make([]Column, len(outCols))
		for i, c := range outCols {
			keys[i] = &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}
			keyCols[i] = Column{ID: b.newID(), Name: c.Name, T: c.T}
			outScope[i].col = keyCols[i]
		}
		node = &Aggregate{Input: node, Keys: keys, KeyCols: keyCols}
		for i := range sortKeys {
			for j, c := range outCols {
				if cr, ok := sortKeys[i].Expr.(*ColumnRef); ok && cr.ID == c.ID {
					sortKeys[i].Expr = &ColumnRef{ID: keyCols[j].ID, T: c.T, Name: c.Name}
				}
			}
		}
		outCols = keyCols
	}
	if len(sortKeys) > 0 {
		node = &Sort{Input: node, Keys: sortKeys}
	}
	if len(projCols) > len(outCols) && !sel.Distinct {
		final := make([]Expr, len(outCols))
		for i, c := range outCols {
			final[i] = &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}
		}
		// Keep IDs: a pass-through projection re-exposes the same columns.
		node = &Project{Input: node, Exprs: final, Cols: outCols}
	}
	return &relation{node: node, cols: outScope}, correlated, nil
}

func sameItem(a, b ast.Expr) bool {
	return a != nil && b != nil && ast.Format(a) == ast.Format(b)
}

// owns reports whether a column ID belongs to this scope (not an outer one).
func (s *scope) owns(id ColumnID) bool {
	for _, c := range s.cols {
		if c.col.ID == id {
			return true
		}
	}
	return false
}

func refsOuter(e Expr, sc *scope) bool {
	for id := range ColumnsOf(e) {
		if sc.outer[id] {
			return true
		}
	}
	return false
}

func qualMatches(qual string, prefix *ast.QualifiedName) bool {
	last := prefix.Parts[len(prefix.Parts)-1]
	return qual == strings.ToLower(last.Name)
}

// deriveName names an unaliased select item as Trino does: a column's
// name, a field's name, else _colN (filled by the caller's position).
func deriveName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.ColumnRef:
		return x.Name.Parts[len(x.Name.Parts)-1].Name
	case *ast.Dereference:
		return x.Field.Name
	}
	return ""
}

func astConjuncts(e ast.Expr) []ast.Expr {
	if be, ok := e.(*ast.BinaryExpr); ok && strings.EqualFold(be.Op, "AND") {
		return append(astConjuncts(be.L), astConjuncts(be.R)...)
	}
	return []ast.Expr{e}
}

func (b *Binder) bindOrderItem(item *ast.SortItem, cols []scopeCol, sc *scope) (Expr, error) {
	if lit, ok := item.Expr.(*ast.IntegerLit); ok {
		var n int
		fmt.Sscan(lit.Text, &n)
		if n < 1 || n > len(cols) {
			return nil, errAt(item.Expr, "ORDER BY position %s is not in select list", lit.Text)
		}
		c := cols[n-1].col
		return &ColumnRef{ID: c.ID, T: c.T, Name: c.Name}, nil
	}
	ec := &exprCtx{b: b, sc: sc, clause: "ORDER BY"}
	return ec.bind(item.Expr)
}

// ---------------------------------------------------------------------------
// FROM

func (b *Binder) bindRelation(r ast.Relation, parent *scope) (*relation, error) {
	switch x := r.(type) {
	case *ast.TableRef:
		rel, err := b.bindTableRef(x, parent)
		if err != nil {
			return nil, err
		}
		return b.applyAlias(rel, x.Alias)
	case *ast.ParenRel:
		rel, err := b.bindRelation(x.Rel, parent)
		if err != nil {
			return nil, err
		}
		return b.applyAlias(rel, x.Alias)
	case *ast.SubqueryRel:
		if x.Lateral {
			return nil, errAt(x, "LATERAL subqueries are not supported yet")
		}
		rel, corr, err := b.bindQuery(x.Query, parent)
		if err != nil {
			return nil, err
		}
		if len(corr) > 0 {
			return nil, errAt(x, "correlated subqueries in FROM are not supported")
		}
		for i := range rel.cols {
			rel.cols[i].qual = ""
		}
		return b.applyAlias(rel, x.Alias)
	case *ast.Join:
		return b.bindJoin(x, parent)
	case *ast.Unnest:
		// FROM UNNEST(...) alone: unnest over a single empty row.
		one := &relation{node: &Values{Rows: [][]Expr{{}}}}
		return b.bindUnnest(one, x, parent, false)
	}
	return nil, errAt(r, "unsupported relation %T", r)
}

func (b *Binder) applyAlias(rel *relation, a *ast.AliasClause) (*relation, error) {
	if a == nil {
		return rel, nil
	}
	q := strings.ToLower(a.Name.Name)
	// The alias replaces the qualifiers inside: a USING join's sides are
	// no longer reachable.
	kept := rel.cols[:0:0]
	for _, c := range rel.cols {
		if !c.qualOnly {
			kept = append(kept, c)
		}
	}
	rel.cols = kept
	visible := 0
	for i := range rel.cols {
		rel.cols[i].qual = q
		if !rel.cols[i].hidden {
			visible++
		}
	}
	if len(a.Columns) > 0 {
		if len(a.Columns) != visible {
			return nil, errAt(a, "Column alias list has %d entries but '%s' has %d columns available", len(a.Columns), a.Name.Name, visible)
		}
		j := 0
		for i := range rel.cols {
			if rel.cols[i].hidden {
				continue
			}
			rel.cols[i].name = strings.ToLower(a.Columns[j].Name)
			rel.cols[i].col.Name = a.Columns[j].Name
			j++
		}
	}
	return rel, nil
}

func (b *Binder) bindTableRef(t *ast.TableRef, parent *scope) (*relation, error) {
	if t.Sample != nil {
		return nil, errAt(t.Sample, "TABLESAMPLE is not supported yet")
	}
	parts := t.Name.Parts
	if len(parts) == 1 {
		name := strings.ToLower(parts[0].Name)
		for i := len(b.ctes) - 1; i >= 0; i-- {
			if def, ok := b.ctes[i][name]; ok {
				if def.shared != nil {
					rel, ok := b.sharedRef(def, def.body)
					if !ok {
						return nil, errAt(t, "BUG: shared CTE %s lost a column", name)
					}
					if len(def.columns) > 0 {
						return b.applyAlias(rel, &ast.AliasClause{Name: &ast.Ident{Name: name}, Columns: def.columns})
					}
					return rel, nil
				}
				volatile := b.volatile
				// Bind the CTE body in the scope where it was defined: CTEs
				// of the same or outer WITH only.
				saved := b.ctes
				b.ctes = b.ctes[:i+1]
				frame := map[string]*cteDef{}
				for k, v := range b.ctes[i] {
					if k != name {
						frame[k] = v
					}
				}
				b.ctes = append(b.ctes[:i:i], frame)
				rel, corr, err := b.bindQuery(def.q.Query, nil)
				b.ctes = saved
				if err != nil {
					return nil, err
				}
				if len(corr) > 0 {
					return nil, errAt(t, "BUG: correlated CTE")
				}
				for j := range rel.cols {
					rel.cols[j].qual = name
				}
				// Shared: referenced twice or more, no random(), and
				// aggregating, so the result held is small.
				if def.refs >= 2 && !def.inline && b.volatile == volatile && topAggregate(rel.node) != nil {
					def.shared = &SharedCTE{Name: name, Root: rel.node}
					if ref, ok := b.sharedRef(def, rel); ok {
						def.body = rel
						rel = ref
					} else {
						def.shared = nil
					}
				}
				def.inline = def.shared == nil
				if len(def.columns) > 0 {
					return b.applyAlias(rel, &ast.AliasClause{Name: &ast.Ident{Name: name}, Columns: def.columns})
				}
				return rel, nil
			}
		}
	}
	schema, name, err := b.tableName(t.Name)
	if err != nil {
		return nil, err
	}
	if schema == "information_schema" {
		rel, err := b.bindInformationSchema(t, name)
		if err != nil {
			return nil, err
		}
		return rel, nil
	}
	tbl, err := b.env.Catalog.GetTable(b.env.Ctx, schema, name)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			return nil, errAt(t, "%s", trimErr(err))
		}
		return nil, err
	}
	qual := strings.ToLower(name)
	if tbl.Kind == catalog.View {
		return b.bindView(t, tbl, qual)
	}
	sc := &Scan{Table: tbl, Alias: qual}
	var cols []scopeCol
	add := func(c ScanCol, hidden bool) {
		sc.Cols = append(sc.Cols, c)
		cols = append(cols, scopeCol{qual: qual, name: strings.ToLower(c.Name), col: c.Column, hidden: hidden})
	}
	for i, c := range tbl.Columns {
		add(ScanCol{Column: Column{ID: b.newID(), Name: c.Name, T: c.Type}, Data: i, PartKey: -1}, false)
	}
	for i, c := range tbl.PartitionKeys {
		add(ScanCol{Column: Column{ID: b.newID(), Name: c.Name, T: c.Type}, Data: -1, PartKey: i}, false)
	}
	for _, h := range []struct {
		name string
		t    types.Type
	}{{exec.HiddenPath, types.VarcharType}, {exec.HiddenSize, types.BigIntType}, {exec.HiddenModTime, types.TimestampTZType}} {
		add(ScanCol{Column: Column{ID: b.newID(), Name: h.name, T: h.t}, Data: -1, PartKey: -1, Hidden: h.name}, true)
	}
	return &relation{node: sc, cols: cols}, nil
}

func trimErr(err error) string {
	return err.Error()
}

func (b *Binder) bindView(t *ast.TableRef, tbl *catalog.Table, qual string) (*relation, error) {
	if b.viewDepth > 16 {
		return nil, errAt(t, "view %s.%s is nested too deeply (does it reference itself?)", tbl.Schema, tbl.Name)
	}
	stmts, err := parser.Parse(tbl.ViewSQL)
	if err != nil {
		return nil, errAt(t, "view %s.%s no longer parses: %v", tbl.Schema, tbl.Name, err)
	}
	q, ok := stmts[0].(*ast.Query)
	if len(stmts) != 1 || !ok {
		return nil, errAt(t, "view %s.%s is not a query", tbl.Schema, tbl.Name)
	}
	b.viewDepth++
	saved, savedSchema := b.ctes, b.env.Schema
	b.ctes = nil
	b.env.Schema = tbl.Schema
	rel, corr, err := b.bindQuery(q, nil)
	b.ctes, b.env.Schema = saved, savedSchema
	b.viewDepth--
	if err != nil {
		return nil, errAt(t, "view %s.%s: %v", tbl.Schema, tbl.Name, err)
	}
	if len(corr) > 0 {
		return nil, errAt(t, "BUG: correlated view")
	}
	for i := range rel.cols {
		rel.cols[i].qual = qual
	}
	return rel, nil
}

// tableName resolves [catalog.][schema.]table against the session.
func (b *Binder) tableName(q *ast.QualifiedName) (schema, name string, err error) {
	parts := q.Parts
	switch len(parts) {
	case 1:
		return strings.ToLower(b.env.Schema), strings.ToLower(parts[0].Name), nil
	case 2:
		return strings.ToLower(parts[0].Name), strings.ToLower(parts[1].Name), nil
	case 3:
		if c := strings.ToLower(parts[0].Name); c != "quarry" && c != "awsdatacatalog" && c != "hive" {
			return "", "", errAt(q, "Catalog '%s' does not exist; Quarry's catalog is named quarry", parts[0].Name)
		}
		return strings.ToLower(parts[1].Name), strings.ToLower(parts[2].Name), nil
	}
	return "", "", errAt(q, "invalid table name %s", q.String())
}

func (b *Binder) bindJoin(j *ast.Join, parent *scope) (*relation, error) {
	l, err := b.bindRelation(j.L, parent)
	if err != nil {
		return nil, err
	}
	// CROSS JOIN UNNEST(...) and , UNNEST(...) are lateral: the arrays
	// come from the left side's rows.
	if un, ok := j.R.(*ast.Unnest); ok {
		if j.Type != ast.JoinCross && j.Type != ast.JoinImplicit && !(j.Type == ast.JoinLeft && j.On != nil) {
			return nil, errAt(j, "UNNEST is supported in CROSS JOIN only")
		}
		return b.bindUnnest(l, un, parent, j.Type == ast.JoinLeft)
	}
	r, err := b.bindRelation(j.R, parent)
	if err != nil {
		return nil, err
	}
	cols := append(append([]scopeCol{}, l.cols...), r.cols...)
	out := &relation{cols: cols}
	join := &Join{Kind: exec.InnerJoin, L: l.node, R: r.node}
	switch j.Type {
	case ast.JoinCross, ast.JoinImplicit:
		join.Cross = true
	case ast.JoinInner:
	case ast.JoinLeft:
		join.Kind = exec.LeftJoin
	case ast.JoinRight:
		join.Kind = exec.RightJoin
	case ast.JoinFull:
		join.Kind = exec.FullJoin
	default:
		return nil, errAt(j, "unsupported join type %s", j.Type)
	}
	if j.Natural {
		return nil, errAt(j, "NATURAL JOIN is not supported yet")
	}
	sc := &scope{cols: cols, parent: parent, outer: map[ColumnID]bool{}}
	if j.On != nil {
		ec := &exprCtx{b: b, sc: sc, clause: "ON"}
		cond, err := ec.bind(j.On)
		if err != nil {
			return nil, err
		}
		if err := ec.requireBoolean(j.On, cond); err != nil {
			return nil, err
		}
		join.Cond = cond
	}
	out.node = join
	if len(j.Using) > 0 {
		return b.bindUsing(j, join, l, r, sc)
	}
	return out, nil
}

// bindUsing completes a join ... USING (cols) as Trino does: each USING
// column appears once, first and unqualified (the left side's for inner
// and left joins, the right's for right joins, COALESCE of both for full
// joins), followed by the other columns of each side; the sides' own
// columns stay reachable qualified (l.id).
func (b *Binder) bindUsing(j *ast.Join, join *Join, l, r *relation, sc *scope) (*relation, error) {
	var conds []Expr
	var merged []scopeCol
	lcols := append([]scopeCol{}, l.cols...)
	rcols := append([]scopeCol{}, r.cols...)
	var coalesce []Expr
	ec := &exprCtx{b: b, sc: sc}
	for _, u := range j.Using {
		name := strings.ToLower(u.Name)
		for _, m := range merged {
			if m.name == name {
				return nil, errAt(u, "Column '%s' appears multiple times in USING clause", u.Name)
			}
		}
		lc, err := findUnique(lcols, name, u)
		if err != nil {
			return nil, err
		}
		rc, err := findUnique(rcols, name, u)
		if err != nil {
			return nil, err
		}
		e, err := ec.bindCall(u, "$eq", []Expr{colRef(lc.col), colRef(rc.col)})
		if err != nil {
			return nil, err
		}
		conds = append(conds, e)
		m := scopeCol{name: name, col: lc.col}
		switch join.Kind {
		case exec.RightJoin:
			m.col = rc.col
		case exec.FullJoin:
			t, ok := types.CommonSuperType(lc.col.T, rc.col.T)
			if !ok {
				return nil, errAt(u, "Column '%s' has incompatible types in USING clause: %s, %s", u.Name, lc.col.T, rc.col.T)
			}
			var args [2]Expr
			for i, c := range []Column{lc.col, rc.col} {
				if args[i], err = ec.coerce(u, colRef(c), t); err != nil {
					return nil, err
				}
			}
			m.col = Column{ID: b.newID(), Name: lc.col.Name, T: t}
			coalesce = append(coalesce, &Case{Whens: []Expr{&IsNull{Arg: args[0], Not: true}}, Thens: []Expr{args[0]}, Else: args[1], T: t})
		}
		merged = append(merged, m)
		lc.qualOnly, rc.qualOnly = true, true
	}
	join.Cond = andAll(b, conds)
	out := &relation{node: join, cols: append(append(merged, lcols...), rcols...)}
	if coalesce != nil {
		// FULL JOIN: the merged columns are computed over the join.
		in := join.Output()
		p := &Project{Input: join}
		for i, m := range merged {
			p.Exprs = append(p.Exprs, coalesce[i])
			p.Cols = append(p.Cols, m.col)
		}
		for _, c := range in {
			p.Exprs = append(p.Exprs, colRef(c))
			p.Cols = append(p.Cols, c)
		}
		out.node = p
	}
	return out, nil
}

func findUnique(cols []scopeCol, name string, at ast.Node) (*scopeCol, error) {
	var found *scopeCol
	for i := range cols {
		if cols[i].name == name && !cols[i].hidden && !cols[i].qualOnly {
			if found != nil {
				return nil, errAt(at, "Column '%s' is ambiguous", name)
			}
			found = &cols[i]
		}
	}
	if found == nil {
		return nil, errAt(at, "Column '%s' is missing from a side of the join", name)
	}
	return found, nil
}

func colRef(c Column) *ColumnRef { return &ColumnRef{ID: c.ID, T: c.T, Name: c.Name} }

func (b *Binder) bindUnnest(l *relation, un *ast.Unnest, parent *scope, outer bool) (*relation, error) {
	sc := &scope{cols: l.cols, parent: parent, outer: map[ColumnID]bool{}}
	ec := &exprCtx{b: b, sc: sc, clause: "UNNEST"}
	node := &Unnest{Input: l.node, Ordinality: un.WithOrdinality, Outer: outer}
	var newCols []scopeCol
	qual := ""
	var aliases []*ast.Ident
	if un.Alias != nil {
		qual = strings.ToLower(un.Alias.Name.Name)
		aliases = un.Alias.Columns
	}
	next := 0
	name := func(def string) string {
		if next < len(aliases) {
			n := aliases[next].Name
			next++
			return n
		}
		next++
		return def
	}
	for _, x := range un.Exprs {
		e, err := ec.bind(x)
		if err != nil {
			return nil, err
		}
		t := e.Type()
		switch t.Kind {
		case types.Array:
			node.Exprs = append(node.Exprs, e)
			if t.Elem.Kind == types.Row {
				node.Expand = append(node.Expand, true)
				for _, f := range t.Elem.Fields {
					c := Column{ID: b.newID(), Name: name(f.Name), T: f.Type}
					node.Cols = append(node.Cols, c)
					newCols = append(newCols, scopeCol{qual: qual, name: strings.ToLower(c.Name), col: c})
				}
			} else {
				node.Expand = append(node.Expand, false)
				c := Column{ID: b.newID(), Name: name(fmt.Sprintf("_col%d", next)), T: *t.Elem}
				node.Cols = append(node.Cols, c)
				newCols = append(newCols, scopeCol{qual: qual, name: strings.ToLower(c.Name), col: c})
			}
		case types.Map:
			// A map unnests into a key and a value column (Trino).
			node.Exprs = append(node.Exprs, e)
			node.Expand = append(node.Expand, true)
			for _, ft := range []types.Type{*t.Key, *t.Elem} {
				c := Column{ID: b.newID(), Name: name(fmt.Sprintf("_col%d", next)), T: ft}
				node.Cols = append(node.Cols, c)
				newCols = append(newCols, scopeCol{qual: qual, name: strings.ToLower(c.Name), col: c})
			}
		default:
			return nil, errAt(x, "Cannot unnest type: %s", t)
		}
	}
	if un.WithOrdinality {
		c := Column{ID: b.newID(), Name: name("ordinality"), T: types.BigIntType}
		node.Cols = append(node.Cols, c)
		newCols = append(newCols, scopeCol{qual: qual, name: strings.ToLower(c.Name), col: c})
	}
	if len(aliases) > 0 && next != len(aliases) {
		return nil, errAt(un.Alias, "Column alias list has %d entries but UNNEST has %d columns", len(aliases), next)
	}
	return &relation{node: node, cols: append(append([]scopeCol{}, l.cols...), newCols...)}, nil
}

func (b *Binder) bindValues(v *ast.Values) (*relation, error) {
	ec := &exprCtx{b: b, sc: &scope{}, clause: "VALUES"}
	var rows [][]Expr
	width := -1
	for _, r := range v.Rows {
		var elems []ast.Expr
		if re, ok := r.(*ast.RowExpr); ok {
			elems = re.Elems
		} else {
			elems = []ast.Expr{r}
		}
		if width >= 0 && len(elems) != width {
			return nil, errAt(r, "VALUES rows have different numbers of columns: %d and %d", width, len(elems))
		}
		width = len(elems)
		row := make([]Expr, len(elems))
		for i, e := range elems {
			x, err := ec.bind(e)
			if err != nil {
				return nil, err
			}
			row[i] = x
		}
		rows = append(rows, row)
	}
	colTypes := make([]types.Type, width)
	for i := 0; i < width; i++ {
		t := types.UnknownType
		for _, r := range rows {
			st, ok := types.CommonSuperType(t, r[i].Type())
			if !ok {
				return nil, errAt(v, "VALUES column %d has incompatible types %s and %s", i+1, t, r[i].Type())
			}
			t = st
		}
		colTypes[i] = t
	}
	for _, r := range rows {
		for i := range r {
			c, err := ec.coerce(v, r[i], colTypes[i])
			if err != nil {
				return nil, err
			}
			r[i] = c
		}
	}
	cols := make([]Column, width)
	sc := make([]scopeCol, width)
	for i := range cols {
		cols[i] = Column{ID: b.newID(), Name: fmt.Sprintf("_col%d", i), T: colTypes[i]}
		sc[i] = scopeCol{name: cols[i].Name, col: cols[i]}
	}
	return &relation{node: &Values{Rows: rows, Cols: cols}, cols: sc}, nil
}

func (b *Binder) bindSetOp(s *ast.SetOperation, parent *scope) (*relation, error) {
	l, lc, err := b.bindBody(s.L, parent)
	if err != nil {
		return nil, err
	}
	r, rc, err := b.bindBody(s.R, parent)
	if err != nil {
		return nil, err
	}
	if len(lc) > 0 || len(rc) > 0 {
		return nil, errAt(s, "correlated set operations are not supported")
	}
	lv, rv := visible(l.cols), visible(r.cols)
	if len(lv) != len(rv) {
		return nil, errAt(s, "%s query has different number of fields: %d, %d", s.Op, len(lv), len(rv))
	}
	ec := &exprCtx{b: b, sc: &scope{}}
	lex := make([]Expr, len(lv))
	rex := make([]Expr, len(rv))
	lcols := make([]Column, len(lv))
	rcols := make([]Column, len(rv))
	outCols := make([]Column, len(lv))
	outScope := make([]scopeCol, len(lv))
	for i := range lv {
		t, ok := types.CommonSuperType(lv[i].col.T, rv[i].col.T)
		if !ok {
			return nil, errAt(s, "column %d in %s query has incompatible types: %s, %s", i+1, s.Op, lv[i].col.T, rv[i].col.T)
		}
		if lex[i], err = ec.coerce(s, colRef(lv[i].col), t); err != nil {
			return nil, err
		}
		if rex[i], err = ec.coerce(s, colRef(rv[i].col), t); err != nil {
			return nil, err
		}
		lcols[i] = Column{ID: b.newID(), Name: lv[i].col.Name, T: t}
		rcols[i] = Column{ID: b.newID(), Name: lv[i].col.Name, T: t}
		outCols[i] = Column{ID: b.newID(), Name: lv[i].col.Name, T: t}
		outScope[i] = scopeCol{name: strings.ToLower(outCols[i].Name), col: outCols[i]}
	}
	if s.All && s.Op != "UNION" {
		node, err := b.bindSetOpAll(s, l.node, r.node, lex, rex, lcols, rcols, outCols)
		if err != nil {
			return nil, err
		}
		return &relation{node: node, cols: outScope}, nil
	}
	node := &SetOp{Op: s.Op, All: s.All,
		L:    &Project{Input: l.node, Exprs: lex, Cols: lcols},
		R:    &Project{Input: r.node, Exprs: rex, Cols: rcols},
		Cols: outCols}
	return &relation{node: node, cols: outScope}, nil
}

// bindSetOpAll plans INTERSECT ALL and EXCEPT ALL with multiset semantics
// (a row appears min(l, r) or max(l - r, 0) times, NULLs equal) as Trino
// does: the inputs, each with a marker column, are unioned; a window over
// all columns counts each side's rows and numbers the rows of a group; a
// row survives while its number is within the count the operation allows.
// lex and rex are the inputs' coerced columns.
func (b *Binder) bindSetOpAll(s *ast.SetOperation, ln, rn Node, lex, rex []Expr, lcols, rcols, outCols []Column) (Node, error) {
	ec := &exprCtx{b: b, sc: &scope{}}
	n := len(outCols)
	marker := func(on bool) Expr {
		if on {
			return &Const{Value: true, T: types.BooleanType}
		}
		return &Const{T: types.BooleanType}
	}
	side := func(in Node, ex []Expr, cols []Column, left bool) *Project {
		p := &Project{Input: in, Exprs: append([]Expr{}, ex...), Cols: append([]Column{}, cols...)}
		p.Exprs = append(p.Exprs, marker(left), marker(!left))
		p.Cols = append(p.Cols,
			Column{ID: b.newID(), Name: "$left", T: types.BooleanType},
			Column{ID: b.newID(), Name: "$right", T: types.BooleanType})
		return p
	}
	lp := side(ln, lex, lcols, true)
	rp := side(rn, rex, rcols, false)
	unionCols := make([]Column, n+2)
	for i := range unionCols {
		unionCols[i] = lp.Cols[i]
		unionCols[i].ID = b.newID()
	}
	union := &SetOp{Op: "UNION", All: true, L: lp, R: rp, Cols: unionCols}
	part := make([]Expr, n)
	for i := 0; i < n; i++ {
		part[i] = colRef(unionCols[i])
	}
	count, ok := b.env.Funcs.Aggregate("count")
	if !ok {
		return nil, errAt(s, "BUG: count is not registered")
	}
	countBind, err := count.Bind([]types.Type{types.BooleanType})
	if err != nil {
		return nil, errAt(s, "BUG: count(boolean) does not bind: %v", err)
	}
	calls := []*WindowCall{
		{Name: "count", Args: []Expr{colRef(unionCols[n])}, Agg: &countBind, PartitionBy: part, T: countBind.Result, ID: b.newID()},
		{Name: "count", Args: []Expr{colRef(unionCols[n+1])}, Agg: &countBind, PartitionBy: part, T: countBind.Result, ID: b.newID()},
		{Name: "row_number", PartitionBy: part, T: types.BigIntType, ID: b.newID()},
	}
	win := &Window{Input: union, Calls: calls}
	ref := func(w *WindowCall) Expr { return &ColumnRef{ID: w.ID, T: w.T, Name: w.Name} }
	cl, cr, num := ref(calls[0]), ref(calls[1]), ref(calls[2])
	var cond Expr
	if s.Op == "INTERSECT" {
		a, err := ec.bindCall(s, "$le", []Expr{num, cl})
		if err != nil {
			return nil, err
		}
		c, err := ec.bindCall(s, "$le", []Expr{num, cr})
		if err != nil {
			return nil, err
		}
		cond = makeAnd(b, a, c)
	} else {
		sum, err := ec.bindCall(s, "$add", []Expr{num, cr})
		if err != nil {
			return nil, err
		}
		if cond, err = ec.bindCall(s, "$le", []Expr{sum, cl}); err != nil {
			return nil, err
		}
	}
	out := &Project{Input: &Filter{Input: win, Cond: cond}, Exprs: part, Cols: outCols}
	return out, nil
}

func visible(cols []scopeCol) []scopeCol {
	var out []scopeCol
	for _, c := range cols {
		if !c.hidden && !c.qualOnly {
			out = append(out, c)
		}
	}
	return out
}

func andAll(b *Binder, es []Expr) Expr {
	var out Expr
	for _, e := range es {
		if out == nil {
			out = e
			continue
		}
		out = makeAnd(b, out, e)
	}
	return out
}

func makeAnd(b *Binder, l, r Expr) Expr {
	f, _ := b.env.Funcs.Scalar("$and")
	bind, err := f.Bind([]types.Type{types.BooleanType, types.BooleanType})
	if err != nil {
		panic("BUG: $and does not bind: " + err.Error())
	}
	return &Call{Name: "$and", Binding: bind, Args: []Expr{l, r}}
}

func makeOr(b *Binder, l, r Expr) Expr {
	f, _ := b.env.Funcs.Scalar("$or")
	bind, err := f.Bind([]types.Type{types.BooleanType, types.BooleanType})
	if err != nil {
		panic("BUG: $or does not bind: " + err.Error())
	}
	return &Call{Name: "$or", Binding: bind, Args: []Expr{l, r}}
}
