package plan

import (
	"slices"
	"strings"

	"github.com/quarry-sql/quarry/types"
)

// commonSubexpressions computes once, per row, an expression that a
// pipeline segment evaluates several times. A segment is a base node (a
// Scan, whose filters take part, or any other node), the Filters directly
// above it and, optionally, the Project or Aggregate that consumes them;
// it ends at the consumer, the first node that defines its own columns.
// Its expressions are evaluated in stages: the scan's filters (stage 0),
// each Filter in turn, then the consumer's expressions (Project outputs,
// Aggregate keys, arguments and filters). A subexpression that occurs two
// or more times gets a column, computed by a Project inserted just below
// the lowest stage that uses it (a second Project when one common
// subexpression is made of another computed at the same stage); the
// occurrences then read the column. Scan filters that read such a column
// move out of the scan into a Filter above that Project; those the scan
// prunes with (column-op-constant, partition keys) stay in it untouched.
//
// Two expressions with the same String compute the same values
// (Expr.String is canonical), so equal strings are one subexpression.
// Never shared: column references and constants (nothing to save),
// expressions without columns (folded by the binder, or left to fail at
// run time), volatile functions (random() twice is two draws), and
// lambdas and what lies inside their bodies.
//
// Before counting, a lenient or try cast of a CASE is pushed into the
// branches when that makes a cast shared with another expression:
// lenient_cast(CASE WHEN c THEN x END AS double) is
// CASE WHEN c THEN lenient_cast(x AS double) END row for row (these casts
// never fail, and CASE evaluates a branch only for the rows that take it),
// and lenient_cast(x AS double) is then computed once for SUM(x) and
// SUM(CASE WHEN c THEN x END) alike. It is done only when it creates
// sharing: alone it would parse every row of x instead of the rows the
// CASE picks.
//
// Safety. A shared expression is computed for every row that reaches its
// stage, where the original may have evaluated it for fewer: inside a CASE
// branch (or a WHEN after the first), only for the rows that reach it;
// inside TRY, with errors turned into NULL; in an aggregate's arguments
// under FILTER (WHERE ...), for the rows the filter keeps. That matters
// only for an expression that can raise an error (a division, a strict
// cast, from_iso8601_timestamp on a malformed string): computed for a row
// the query as written never evaluated it on, it would fail a query that
// succeeds. So an expression that can fail is shared only from a stage
// where one of its occurrences is evaluated unconditionally, i.e. for
// exactly the rows the shared column is computed for (the lowest such
// stage with two occurrences at or above it), or not at all; its
// occurrences below that stage keep computing it inline. An expression
// that cannot fail (comparisons of scalars, AND/OR/NOT, IS NULL, IN,
// lenient and try casts, TRY, CASE of such) is shared from the lowest stage
// that uses it. Each stage sees the rows it saw before, except stage 0:
// the scan filters that stay in the scan now run first, so the moved ones
// and the Project see a subset, which can only remove errors. Operands of
// AND and OR count as unconditional: their kernels evaluate every operand,
// and the optimizer already reorders conjuncts and pushes them below
// joins, so a conjunct is no guard for another.
//
// Cost. Reading a column in place of an expression is free; the Project
// over a scan passes the other columns through without copying, and a
// Filter above it copies the shared column for the rows it keeps, which
// is cheaper than computing any non-trivial expression again. Hoisting
// out of a CASE branch computes the expression for all the stage's rows,
// which the vectorized CASE already does whenever some row takes the
// branch.
type commonSubexpressions struct{}

func (commonSubexpressions) Name() string { return "common_subexpressions" }

func (r commonSubexpressions) Apply(n Node, o *Optimizer) Node { return r.visit(n, o) }

// visit rewrites every segment of the plan under n, returning n's
// replacement.
func (r commonSubexpressions) visit(n Node, o *Optimizer) Node {
	var consumer Node
	var below Node
	switch x := n.(type) {
	case *Project:
		consumer, below = x, x.Input
	case *Aggregate:
		consumer, below = x, x.Input
	case *Filter, *Scan:
		below = n
	default:
		r.visitInputs(n, o)
		return n
	}
	var filters []*Filter // bottom-up
	base := below
	for {
		f, ok := base.(*Filter)
		if !ok {
			break
		}
		filters = append(filters, f)
		base = f.Input
	}
	slices.Reverse(filters)
	if _, isScan := base.(*Scan); !isScan {
		base = r.visit(base, o)
		if len(filters) > 0 {
			filters[0].Input = base
		} else if consumer != nil {
			setInput(consumer, base)
		} else {
			return base
		}
	}
	seg := &cseSegment{o: o, consumer: consumer, filters: filters, base: base}
	return seg.rewrite(n)
}

func (r commonSubexpressions) visitInputs(n Node, o *Optimizer) {
	switch x := n.(type) {
	case *Join:
		x.L = r.visit(x.L, o)
		x.R = r.visit(x.R, o)
	case *SetOp:
		x.L = r.visit(x.L, o)
		x.R = r.visit(x.R, o)
	case *Sort:
		x.Input = r.visit(x.Input, o)
	case *Limit:
		x.Input = r.visit(x.Input, o)
	case *Window:
		x.Input = r.visit(x.Input, o)
	case *Unnest:
		x.Input = r.visit(x.Input, o)
	case *SingleRow:
		x.Input = r.visit(x.Input, o)
	case *RowID:
		x.Input = r.visit(x.Input, o)
	case *Expand:
		x.Input = r.visit(x.Input, o)
	}
}

func setInput(consumer Node, in Node) {
	switch x := consumer.(type) {
	case *Project:
		x.Input = in
	case *Aggregate:
		x.Input = in
	}
}

// cseSegment is one segment being rewritten.
type cseSegment struct {
	o        *Optimizer
	consumer Node      // *Project, *Aggregate or nil
	filters  []*Filter // bottom-up, directly above base
	base     Node
	// roots are the segment's expressions, by stage.
	roots []*cseRoot
	// movable marks the scan filters that may leave the scan.
	movable []bool
	byKey   map[string][]*cseOcc
	chosen  map[string]*cseCommon
}

// cseRoot is one expression of the segment and where it lives.
type cseRoot struct {
	stage int
	cond  bool // evaluated for only some of the stage's rows
	get   func() Expr
	set   func(Expr)
}

// cseOcc is one occurrence of a subexpression.
type cseOcc struct {
	key    string
	e      Expr
	size   int
	parent *cseOcc
	cond   bool // evaluated for only some of the rows its parent is
	stage  int  // for roots
	root   bool // a segment expression or a common's definition
	dead   bool // replaced by an enclosing common's column
	cand   bool // may be shared
}

// cseCommon is a shared subexpression and its column.
type cseCommon struct {
	key   string
	def   Expr
	stage int
	layer int
	col   Column
	size  int
}

func (s *cseSegment) stages() int { return len(s.filters) + 2 }

// collectRoots lists the segment's expressions: movable scan filters
// (stage 0), Filter conditions (1..k), consumer expressions (k+1).
func (s *cseSegment) collectRoots() {
	add := func(stage int, cond bool, get func() Expr, set func(Expr)) {
		s.roots = append(s.roots, &cseRoot{stage: stage, cond: cond, get: get, set: set})
	}
	if sc, ok := s.base.(*Scan); ok {
		s.movable = make([]bool, len(sc.Filters))
		for i := range sc.Filters {
			if prunesScan(sc, sc.Filters[i]) {
				continue
			}
			s.movable[i] = true
			add(0, false, func() Expr { return sc.Filters[i] }, func(e Expr) { sc.Filters[i] = e })
		}
	}
	for i, f := range s.filters {
		add(i+1, false, func() Expr { return f.Cond }, func(e Expr) { f.Cond = e })
	}
	top := len(s.filters) + 1
	switch x := s.consumer.(type) {
	case *Project:
		for i := range x.Exprs {
			add(top, false, func() Expr { return x.Exprs[i] }, func(e Expr) { x.Exprs[i] = e })
		}
	case *Aggregate:
		for i := range x.Keys {
			add(top, false, func() Expr { return x.Keys[i] }, func(e Expr) { x.Keys[i] = e })
		}
		for _, a := range x.Aggs {
			// FILTER (WHERE ...) selects the rows the arguments are for.
			for j := range a.Args {
				add(top, a.Filter != nil, func() Expr { return a.Args[j] }, func(e Expr) { a.Args[j] = e })
			}
			if a.Filter != nil {
				add(top, false, func() Expr { return a.Filter }, func(e Expr) { a.Filter = e })
			}
		}
	}
}

// prunesScan reports whether the scan uses a filter to skip data
// (partitions, files, row groups) or to estimate what it reads: such a
// filter stays in the scan as it is.
func prunesScan(sc *Scan, f Expr) bool {
	one := &Scan{Table: sc.Table, Cols: sc.Cols, Filters: []Expr{f}}
	if len(pushablePredicates(one)) > 0 || len(scanConstraints(one)) > 0 {
		return true
	}
	refs := ColumnsOf(f)
	if len(refs) == 0 {
		return false
	}
	for _, c := range sc.Cols {
		if refs[c.ID] && c.PartKey < 0 {
			return false
		}
	}
	return true
}

func (s *cseSegment) rewrite(top Node) Node {
	s.collectRoots()
	if len(s.roots) == 0 {
		return top
	}
	before := make([]Expr, len(s.roots))
	for i, rt := range s.roots {
		before[i] = rt.get()
	}
	introduced := s.distributeCasts()
	s.buildOccurrences()
	s.choose()
	if len(introduced) > 0 && !s.anyChosen(introduced) {
		// Distributing made no cast shared: undo it, it would only
		// make the casts parse rows the CASE does not pick.
		for i, rt := range s.roots {
			rt.set(before[i])
		}
		s.buildOccurrences()
		s.choose()
	}
	if len(s.chosen) == 0 {
		return top
	}
	return s.build(top)
}

// ---------------------------------------------------------------------------
// Distributing casts over CASE

// castOverCase returns the branches a lenient or try cast of a CASE
// becomes, or ok false when it is not one (or a branch's type would make
// the cast differ).
func castOverCase(e Expr) (c *Cast, cs *Case, ok bool) {
	c, ok = e.(*Cast)
	if !ok || !(c.Lenient || c.Try) {
		return nil, nil, false
	}
	cs, ok = c.Arg.(*Case)
	if !ok {
		return nil, nil, false
	}
	branches := append(append([]Expr{}, cs.Thens...), cs.Else)
	for _, b := range branches {
		if b == nil {
			continue
		}
		bt := b.Type()
		if !bt.Equal(cs.T) && !(bt.Kind == types.Varchar && cs.T.Kind == types.Varchar) {
			return nil, nil, false
		}
	}
	return c, cs, true
}

func castBranch(c *Cast, b Expr) Expr {
	return &Cast{Arg: b, T: c.T, Try: c.Try, Lenient: c.Lenient}
}

func (s *cseSegment) anyChosen(keys map[string]bool) bool {
	for k := range keys {
		if s.chosen[k] != nil {
			return true
		}
	}
	return false
}

// distributeCasts pushes lenient and try casts of CASEs into the branches
// where a branch's cast is then an expression found elsewhere too, and
// returns the branch casts it made.
func (s *cseSegment) distributeCasts() map[string]bool {
	counts := map[string]int{}
	seen := map[string]bool{}
	for _, rt := range s.roots {
		walkNoLambda(rt.get(), func(e Expr) {
			key := e.String()
			counts[key]++
			c, cs, ok := castOverCase(e)
			if !ok || seen[key] {
				// Copies of one cast share as a whole, not by branch.
				return
			}
			seen[key] = true
			for _, b := range append(append([]Expr{}, cs.Thens...), cs.Else) {
				if b != nil && !isConstExpr(b) {
					counts[castBranch(c, b).String()]++
				}
			}
		})
	}
	introduced := map[string]bool{}
	var dist func(e Expr) Expr
	dist = func(e Expr) Expr {
		return rewriteNoLambda(e, func(x Expr) Expr {
			c, cs, ok := castOverCase(x)
			if !ok {
				return nil
			}
			useful := false
			for _, b := range append(append([]Expr{}, cs.Thens...), cs.Else) {
				if b == nil || isConstExpr(b) {
					continue
				}
				if k := castBranch(c, b).String(); counts[k] >= 2 {
					useful = true
					introduced[k] = true
				}
			}
			if !useful {
				return nil
			}
			out := &Case{T: c.T, Whens: make([]Expr, len(cs.Whens)), Thens: make([]Expr, len(cs.Thens))}
			for i := range cs.Whens {
				out.Whens[i] = dist(cs.Whens[i])
				out.Thens[i] = s.castConst(c, cs.Thens[i], dist)
			}
			if cs.Else != nil {
				out.Else = s.castConst(c, cs.Else, dist)
			}
			return out
		})
	}
	for _, rt := range s.roots {
		rt.set(dist(rt.get()))
	}
	return introduced
}

// castConst casts one branch, folding constants.
func (s *cseSegment) castConst(c *Cast, b Expr, dist func(Expr) Expr) Expr {
	if k, ok := b.(*Const); ok {
		if k.Value == nil {
			return &Const{T: c.T}
		}
		if v, err := EvalConst(s.o.b.env.Ctx, s.o.b.env.Fn, castBranch(c, k)); err == nil {
			return &Const{Value: v, T: c.T}
		}
	}
	return dist(castBranch(c, b))
}

func isConstExpr(e Expr) bool {
	_, ok := e.(*Const)
	return ok
}

// ---------------------------------------------------------------------------
// Counting and choosing

func (s *cseSegment) buildOccurrences() {
	s.byKey = map[string][]*cseOcc{}
	for _, rt := range s.roots {
		root := s.occurrences(rt.get(), nil, rt.cond)
		root.root, root.stage = true, rt.stage
	}
}

// occurrences records e and its subexpressions; cond says whether e is
// evaluated for only some of the rows its parent is.
func (s *cseSegment) occurrences(e Expr, parent *cseOcc, cond bool) *cseOcc {
	oc := &cseOcc{key: e.String(), e: e, parent: parent, cond: cond, size: 1}
	kids := func(es []Expr, condFrom int) {
		for i, k := range es {
			if k == nil {
				continue
			}
			c := s.occurrences(k, oc, i >= condFrom)
			oc.size += c.size
		}
	}
	switch x := e.(type) {
	case *Call:
		kids(x.Args, len(x.Args))
	case *Cast:
		kids([]Expr{x.Arg}, 1)
	case *IsNull:
		kids([]Expr{x.Arg}, 1)
	case *InList:
		kids([]Expr{x.Arg}, 1)
	case *Try:
		kids([]Expr{x.Arg}, 0)
	case *Case:
		// The first WHEN is evaluated for every row; later WHENs only
		// for rows no earlier one took, branches for the rows that take
		// them.
		all := append(append(append([]Expr{}, x.Whens...), x.Thens...), x.Else)
		kids(all, 1)
	case *LambdaCall:
		kids(x.Args, len(x.Args))
	}
	oc.cand = shareable(e)
	if oc.cand {
		s.byKey[oc.key] = append(s.byKey[oc.key], oc)
	}
	return oc
}

// shareable reports whether e may get a column: not a column or a
// constant, reads columns, deterministic, no lambdas or unresolved
// aggregate or window references.
func shareable(e Expr) bool {
	switch e.(type) {
	case *ColumnRef, *Const:
		return false
	}
	ok, cols := true, false
	Walk(e, func(x Expr) bool {
		switch y := x.(type) {
		case *ColumnRef:
			cols = true
		case *Call:
			if y.Binding.Volatile {
				ok = false
			}
		case *LambdaCall, *AggRef, *WindowRef:
			ok = false
		}
		return ok
	})
	return ok && cols
}

// where returns whether an occurrence is still evaluated (not inside a
// replaced one), its stage and whether it is evaluated for every row of
// the stage.
func (oc *cseOcc) where() (alive bool, stage int, uncond bool) {
	uncond = true
	for x := oc; x != nil; x = x.parent {
		if x.dead {
			return false, 0, false
		}
		if x.cond {
			uncond = false
		}
		if x.root {
			return true, x.stage, uncond
		}
	}
	panic("BUG: occurrence without a root")
}

// choose picks the common subexpressions, largest first: once an
// expression is shared, the subexpressions inside its other occurrences
// are no longer evaluated and do not count.
func (s *cseSegment) choose() {
	type cand struct {
		key  string
		size int
	}
	var cands []cand
	for k, occs := range s.byKey {
		if len(occs) >= 2 {
			cands = append(cands, cand{k, occs[0].size})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.size != b.size {
			return b.size - a.size
		}
		return strings.Compare(a.key, b.key)
	})
	s.chosen = map[string]*cseCommon{}
	for _, c := range cands {
		type placed struct {
			oc     *cseOcc
			stage  int
			uncond bool
		}
		var live []placed
		for _, oc := range s.byKey[c.key] {
			if alive, st, un := oc.where(); alive {
				live = append(live, placed{oc, st, un})
			}
		}
		if len(live) < 2 {
			continue
		}
		fails := canFail(live[0].oc.e)
		stage := -1
		for st := 0; st < s.stages(); st++ {
			n, here, safe := 0, false, !fails
			for _, p := range live {
				if p.stage >= st {
					n++
				}
				if p.stage == st {
					here = true
					safe = safe || p.uncond
				}
			}
			if n < 2 {
				break
			}
			if here && safe {
				stage = st
				break
			}
		}
		if stage < 0 {
			continue
		}
		// The definition is computed for every row of the stage; which
		// occurrence stands for it does not matter.
		var rep *cseOcc
		for _, p := range live {
			if p.stage == stage && rep == nil {
				rep = p.oc
			}
		}
		for _, p := range live {
			if p.stage >= stage && p.oc != rep {
				p.oc.dead = true
			}
		}
		rep.root, rep.stage, rep.cond = true, stage, false
		s.chosen[c.key] = &cseCommon{key: c.key, def: rep.e, stage: stage, size: c.size}
	}
}

// canFail reports whether evaluating e may raise an error on some input.
// It answers false only for what is known not to fail.
func canFail(e Expr) bool {
	switch x := e.(type) {
	case *ColumnRef, *Const, *Try:
		return false
	case *Cast:
		if x.Lenient || x.Try || x.Arg.Type().Equal(x.T) {
			return canFail(x.Arg)
		}
		return true
	case *IsNull:
		return canFail(x.Arg)
	case *InList:
		return canFail(x.Arg)
	case *Case:
		for _, w := range x.Whens {
			if canFail(w) {
				return true
			}
		}
		for _, t := range x.Thens {
			if canFail(t) {
				return true
			}
		}
		return x.Else != nil && canFail(x.Else)
	case *Call:
		switch x.Name {
		case "$and", "$or", "$not":
		case "$eq", "$ne", "$lt", "$le", "$gt", "$ge", "$is_distinct_from":
			for _, a := range x.Args {
				if !plainScalar(a.Type()) {
					return true
				}
			}
		default:
			return true
		}
		for _, a := range x.Args {
			if canFail(a) {
				return true
			}
		}
		return false
	}
	return true
}

// plainScalar reports whether values of t compare without errors.
func plainScalar(t types.Type) bool {
	switch t.Kind {
	case types.Unknown, types.Boolean, types.TinyInt, types.SmallInt, types.Integer, types.BigInt,
		types.Real, types.Double, types.Decimal, types.Varchar, types.Char, types.Date,
		types.Timestamp, types.TimestampTZ:
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Rebuilding the segment

// replace rewrites e to read the columns of the commons computed at or
// below stage, largest match first; skip is a key not to replace at the
// top (a common's own definition).
func (s *cseSegment) replace(e Expr, stage int, skip string) Expr {
	return rewriteNoLambda(e, func(x Expr) Expr {
		k := x.String()
		if k == skip {
			return nil
		}
		if c, ok := s.chosen[k]; ok && c.stage <= stage {
			return &ColumnRef{ID: c.col.ID, T: c.col.T, Name: c.col.Name}
		}
		return nil
	})
}

func (s *cseSegment) build(top Node) Node {
	commons := make([]*cseCommon, 0, len(s.chosen))
	for _, c := range s.chosen {
		commons = append(commons, c)
	}
	// Smallest first: a definition reads only smaller commons.
	slices.SortFunc(commons, func(a, b *cseCommon) int {
		if a.size != b.size {
			return a.size - b.size
		}
		return strings.Compare(a.key, b.key)
	})
	for _, c := range commons {
		c.col = Column{ID: s.o.b.newID(), Name: "cse", T: c.def.Type()}
	}
	for _, c := range commons {
		c.def = s.replace(c.def, c.stage, c.key)
		refs := ColumnsOf(c.def)
		for _, d := range commons {
			if d.stage == c.stage && refs[d.col.ID] {
				c.layer = max(c.layer, d.layer+1)
			}
		}
	}
	cseIDs := map[ColumnID]bool{}
	for _, c := range commons {
		cseIDs[c.col.ID] = true
	}
	for _, rt := range s.roots {
		rt.set(s.replace(rt.get(), rt.stage, ""))
	}

	out := s.base.Output()
	cur := s.base
	project := func(stage int) {
		for layer := 0; ; layer++ {
			var p *Project
			found := false
			for _, c := range commons {
				if c.stage != stage {
					continue
				}
				if c.layer >= layer {
					found = true
				}
				if c.layer != layer {
					continue
				}
				if p == nil {
					p = passThrough(cur)
				}
				p.Exprs = append(p.Exprs, c.def)
				p.Cols = append(p.Cols, c.col)
			}
			if !found {
				return
			}
			if p != nil {
				cur = p
			}
		}
	}
	// Stage 0: the scan's filters that now read a common leave it.
	if sc, ok := s.base.(*Scan); ok {
		var keep, moved []Expr
		for i, f := range sc.Filters {
			if s.movable[i] && readsAny(f, cseIDs) {
				moved = append(moved, f)
			} else {
				keep = append(keep, f)
			}
		}
		sc.Filters = keep
		project(0)
		if len(moved) > 0 {
			cur = &Filter{Input: cur, Cond: andAll(s.o.b, moved)}
		}
	}
	for i, f := range s.filters {
		project(i + 1)
		f.Input = cur
		cur = f
	}
	project(len(s.filters) + 1)
	if s.consumer != nil {
		setInput(s.consumer, cur)
		return s.consumer
	}
	// No consumer: keep the segment's columns what they were.
	p := &Project{Input: cur}
	for _, c := range out {
		p.Exprs = append(p.Exprs, &ColumnRef{ID: c.ID, T: c.T, Name: c.Name})
		p.Cols = append(p.Cols, c)
	}
	return p
}

// passThrough returns a Project over n that outputs n's columns as they
// are (same IDs, so nothing above needs rewriting).
func passThrough(n Node) *Project {
	p := &Project{Input: n}
	for _, c := range n.Output() {
		p.Exprs = append(p.Exprs, &ColumnRef{ID: c.ID, T: c.T, Name: c.Name})
		p.Cols = append(p.Cols, c)
	}
	return p
}

func readsAny(e Expr, ids map[ColumnID]bool) bool {
	for id := range ColumnsOf(e) {
		if ids[id] {
			return true
		}
	}
	return false
}

// walkNoLambda calls f for e and its subexpressions outside lambda bodies.
func walkNoLambda(e Expr, f func(Expr)) {
	Walk(e, func(x Expr) bool {
		f(x)
		if l, ok := x.(*LambdaCall); ok {
			for _, a := range l.Args {
				walkNoLambda(a, f)
			}
			return false
		}
		return true
	})
}

// rewriteNoLambda is Rewrite that leaves lambda bodies alone (their
// parameters exist only inside them).
func rewriteNoLambda(e Expr, f func(Expr) Expr) Expr {
	var g func(Expr) Expr
	g = func(x Expr) Expr {
		if r := f(x); r != nil {
			return r
		}
		if l, ok := x.(*LambdaCall); ok {
			c := *l
			c.Args = make([]Expr, len(l.Args))
			for i, a := range l.Args {
				c.Args[i] = Rewrite(a, g)
			}
			return &c
		}
		return nil
	}
	return Rewrite(e, g)
}
