package plan

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// PhysEnv is what physical planning needs beyond binding.
type PhysEnv struct {
	Resolver *objstore.Resolver
	Formats  *source.Registry
	Threads  int
	// SplitBytes is the target size of a byte-range split.
	SplitBytes int64
	Notice     func(string)
}

// stream is a physical sub-plan: either parallel (make may be called once
// per worker; instances share state captured by make) or single.
type stream struct {
	cols []Column
	par  bool
	make exec.Factory
}

// Physical plans logical nodes into exec operators.
type Physical struct {
	env  *Env
	penv *PhysEnv
	ctx  *exec.Context
	// Stats, when not nil, collects per-operator statistics for EXPLAIN
	// ANALYZE, keyed by logical node.
	Stats  map[Node]*exec.OpStats
	shared map[*SharedCTE]*exec.SharedResult
	// Scans lists, in planning order, what each scan built will read (a
	// table scanned twice appears twice); EstimateIO prices them.
	Scans []*ScanPlan
}

// NewPhysical returns a physical planner for one query.
func NewPhysical(env *Env, penv *PhysEnv, ctx *exec.Context) *Physical {
	return &Physical{env: env, penv: penv, ctx: ctx}
}

// Build returns the root operator of n.
func (p *Physical) Build(n Node) (exec.Operator, error) {
	s, err := p.build(n)
	if err != nil {
		return nil, err
	}
	return p.single(s)
}

func (p *Physical) threads() int { return max(p.penv.Threads, 1) }

// single turns a stream into one operator, gathering parallel instances.
func (p *Physical) single(s *stream) (exec.Operator, error) {
	if !s.par {
		return s.make(0)
	}
	return exec.NewGather(p.threads(), execCols(s.cols), s.make), nil
}

func execCols(cols []Column) []types.Column {
	out := make([]types.Column, len(cols))
	for i, c := range cols {
		out[i] = types.Column{Name: c.Name, Type: c.T}
	}
	return out
}

func singleStream(cols []Column, op func() (exec.Operator, error)) *stream {
	return &stream{cols: cols, make: func(int) (exec.Operator, error) { return op() }}
}

func (p *Physical) build(n Node) (*stream, error) {
	s, err := p.buildNode(n)
	if err != nil || p.Stats == nil {
		return s, err
	}
	st := &exec.OpStats{}
	p.Stats[n] = st
	inner := s.make
	s.make = func(w int) (exec.Operator, error) {
		op, err := inner(w)
		if err != nil {
			return nil, err
		}
		return exec.Instrument(op, st), nil
	}
	return s, nil
}

func (p *Physical) buildNode(n Node) (*stream, error) {
	switch x := n.(type) {
	case *Scan:
		return p.buildScan(x)
	case *Filter:
		in, err := p.build(x.Input)
		if err != nil {
			return nil, err
		}
		cond, err := Compile(x.Cond, LayoutOf(in.cols))
		if err != nil {
			return nil, err
		}
		return &stream{cols: in.cols, par: in.par, make: func(w int) (exec.Operator, error) {
			op, err := in.make(w)
			if err != nil {
				return nil, err
			}
			return &exec.Filter{Input: op, Cond: cond}, nil
		}}, nil
	case *Project:
		in, err := p.build(x.Input)
		if err != nil {
			return nil, err
		}
		exprs, err := compileAll(x.Exprs, LayoutOf(in.cols))
		if err != nil {
			return nil, err
		}
		cols := execCols(x.Cols)
		return &stream{cols: x.Cols, par: in.par, make: func(w int) (exec.Operator, error) {
			op, err := in.make(w)
			if err != nil {
				return nil, err
			}
			return &exec.Project{Input: op, Exprs: exprs, Cols: cols}, nil
		}}, nil
	case *Aggregate:
		return p.buildAggregate(x)
	case *Join:
		return p.buildJoin(x)
	case *Sort:
		return p.buildSort(x, -1, 0)
	case *Limit:
		if s, ok := x.Input.(*Sort); ok && x.N >= 0 {
			return p.buildSort(s, x.N, x.Offset)
		}
		in, err := p.build(x.Input)
		if err != nil {
			return nil, err
		}
		return singleStream(in.cols, func() (exec.Operator, error) {
			op, err := p.single(in)
			if err != nil {
				return nil, err
			}
			return &exec.Limit{Input: op, N: x.N, Offset: x.Offset}, nil
		}), nil
	case *Values:
		layout := Layout{}
		rows := make([][]exec.Expr, len(x.Rows))
		for i, r := range x.Rows {
			var err error
			if rows[i], err = compileAll(r, layout); err != nil {
				return nil, err
			}
		}
		cols := execCols(x.Cols)
		return singleStream(x.Cols, func() (exec.Operator, error) {
			return &exec.Values{Rows: rows, Cols: cols}, nil
		}), nil
	case *CTERef:
		return p.buildCTERef(x)
	case *SingleRow:
		in, err := p.build(x.Input)
		if err != nil {
			return nil, err
		}
		return singleStream(in.cols, func() (exec.Operator, error) {
			op, err := p.single(in)
			if err != nil {
				return nil, err
			}
			return &exec.SingleRow{Input: op}, nil
		}), nil
	case *Window:
		return p.buildWindow(x)
	case *SetOp:
		return p.buildSetOp(x)
	case *Unnest:
		return p.buildUnnest(x)
	case *RowID:
		in, err := p.build(x.Input)
		if err != nil {
			return nil, err
		}
		out := x.Output()
		cols := execCols(out)
		counter := &atomic.Int64{}
		return &stream{cols: out, par: in.par, make: func(w int) (exec.Operator, error) {
			op, err := in.make(w)
			if err != nil {
				return nil, err
			}
			return &exec.RowID{Input: op, Counter: counter, Cols: cols}, nil
		}}, nil
	case *Expand:
		in, err := p.build(x.Input)
		if err != nil {
			return nil, err
		}
		keys, err := compileAll(x.Keys, LayoutOf(in.cols))
		if err != nil {
			return nil, err
		}
		out := x.Output()
		cols := execCols(out)
		return &stream{cols: out, par: in.par, make: func(w int) (exec.Operator, error) {
			op, err := in.make(w)
			if err != nil {
				return nil, err
			}
			return &exec.Expand{Input: op, Keys: keys, Sets: x.Sets, Cols: cols}, nil
		}}, nil
	}
	return nil, fmt.Errorf("BUG: no physical plan for %T", n)
}

// buildCTERef reads a shared CTE, whose plan is built (and so run and
// counted in the scan estimates) once however many references it has.
func (p *Physical) buildCTERef(x *CTERef) (*stream, error) {
	res := p.shared[x.Shared]
	if res == nil {
		in, err := p.build(x.Shared.Root)
		if err != nil {
			return nil, err
		}
		res = &exec.SharedResult{Make: func() (exec.Operator, error) { return p.single(in) }}
		if p.shared == nil {
			p.shared = map[*SharedCTE]*exec.SharedResult{}
		}
		p.shared[x.Shared] = res
	}
	res.Readers++
	cols := execCols(x.Cols)
	return singleStream(x.Cols, func() (exec.Operator, error) { return exec.NewSharedRead(res, cols), nil }), nil
}

func (p *Physical) buildSort(x *Sort, limit, offset int64) (*stream, error) {
	in, err := p.build(x.Input)
	if err != nil {
		return nil, err
	}
	keys, err := p.sortKeys(x.Keys, in.cols)
	if err != nil {
		return nil, err
	}
	return singleStream(in.cols, func() (exec.Operator, error) {
		op, err := p.single(in)
		if err != nil {
			return nil, err
		}
		return &exec.Sort{Input: op, Keys: keys, Limit: limit, Offset: offset}, nil
	}), nil
}

func (p *Physical) sortKeys(keys []SortKey, cols []Column) ([]exec.SortKey, error) {
	out := make([]exec.SortKey, len(keys))
	for i, k := range keys {
		e, err := Compile(k.Expr, LayoutOf(cols))
		if err != nil {
			return nil, err
		}
		out[i] = exec.SortKey{Expr: e, Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	return out, nil
}

func (p *Physical) buildAggregate(x *Aggregate) (*stream, error) {
	in, err := p.build(x.Input)
	if err != nil {
		return nil, err
	}
	layout := LayoutOf(in.cols)
	keys, err := compileAll(x.Keys, layout)
	if err != nil {
		return nil, err
	}
	aggs := make([]exec.AggSpec, len(x.Aggs))
	for i, a := range x.Aggs {
		args, err := compileAll(a.Args, layout)
		if err != nil {
			return nil, err
		}
		spec := exec.AggSpec{Name: a.Name, Binding: a.Binding, Args: args, Distinct: a.Distinct}
		if a.Filter != nil {
			if spec.Filter, err = Compile(a.Filter, layout); err != nil {
				return nil, err
			}
		}
		aggs[i] = spec
	}
	out := x.Output()
	workers := 1
	if in.par {
		workers = p.threads()
	}
	return singleStream(out, func() (exec.Operator, error) {
		return &exec.HashAggregate{Input: in.make, Workers: workers, GroupBy: keys, Aggs: aggs, Cols: execCols(out)}, nil
	}), nil
}

func (p *Physical) buildJoin(x *Join) (*stream, error) {
	l, err := p.build(x.L)
	if err != nil {
		return nil, err
	}
	r, err := p.build(x.R)
	if err != nil {
		return nil, err
	}
	lset := idSet(l.cols)
	rset := idSet(r.cols)
	var lkeys, rkeys, residual []Expr
	for _, c := range Conjuncts(x.Cond) {
		if call, ok := c.(*Call); ok && call.Name == "$eq" {
			a, b := call.Args[0], call.Args[1]
			ac, bc := ColumnsOf(a), ColumnsOf(b)
			switch {
			case len(ac) > 0 && len(bc) > 0 && subset(ac, lset) && subset(bc, rset):
				lkeys, rkeys = append(lkeys, a), append(rkeys, b)
				continue
			case len(ac) > 0 && len(bc) > 0 && subset(ac, rset) && subset(bc, lset):
				lkeys, rkeys = append(lkeys, b), append(rkeys, a)
				continue
			}
		}
		residual = append(residual, c)
	}
	// Keys are hashed by value representation: both sides of each key
	// must have one type (the comparison kernel may have compared
	// decimal(2,1) with integer directly).
	for i := range lkeys {
		lt, rt := lkeys[i].Type(), rkeys[i].Type()
		if lt.Equal(rt) {
			continue
		}
		ct, ok := types.CommonSuperType(lt, rt)
		if !ok {
			return nil, fmt.Errorf("join keys of types %s and %s cannot be compared", lt, rt)
		}
		if !lt.Equal(ct) {
			lkeys[i] = &Cast{Arg: lkeys[i], T: ct}
		}
		if !rt.Equal(ct) {
			rkeys[i] = &Cast{Arg: rkeys[i], T: ct}
		}
	}
	probeKeys, err := compileAll(lkeys, LayoutOf(l.cols))
	if err != nil {
		return nil, err
	}
	buildKeys, err := compileAll(rkeys, LayoutOf(r.cols))
	if err != nil {
		return nil, err
	}
	var res exec.Expr
	if len(residual) > 0 {
		both := append(append([]Column{}, l.cols...), r.cols...)
		if res, err = Compile(andAll(&Binder{env: p.env}, residual), LayoutOf(both)); err != nil {
			return nil, err
		}
	}
	out := x.Output()
	outCols := execCols(out)
	probers := 1
	if l.par {
		probers = p.threads()
	}
	var table *exec.JoinTable
	var tableErr error
	var mu sync.Mutex
	getTable := func() (*exec.JoinTable, error) {
		mu.Lock()
		defer mu.Unlock()
		if table == nil && tableErr == nil {
			build, err := p.single(r)
			if err != nil {
				tableErr = err
			} else {
				table = &exec.JoinTable{Build: build, Keys: buildKeys, Probers: probers}
			}
		}
		return table, tableErr
	}
	return &stream{cols: out, par: l.par, make: func(w int) (exec.Operator, error) {
		t, err := getTable()
		if err != nil {
			return nil, err
		}
		probe, err := l.make(w)
		if err != nil {
			return nil, err
		}
		return &exec.HashJoin{Probe: probe, Table: t, ProbeKeys: probeKeys, Kind: x.Kind, Residual: res, Cols: outCols}, nil
	}}, nil
}

func idSet(cols []Column) map[ColumnID]bool {
	s := make(map[ColumnID]bool, len(cols))
	for _, c := range cols {
		s[c.ID] = true
	}
	return s
}

func subset(a, b map[ColumnID]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func (p *Physical) buildWindow(x *Window) (*stream, error) {
	in, err := p.build(x.Input)
	if err != nil {
		return nil, err
	}
	layout := LayoutOf(in.cols)
	funcs := make([]exec.WindowFunc, len(x.Calls))
	for i, c := range x.Calls {
		f := exec.WindowFunc{Name: c.Name, T: c.T, Agg: c.Agg, IgnoreNulls: c.IgnoreNulls}
		if f.Args, err = compileAll(c.Args, layout); err != nil {
			return nil, err
		}
		if f.PartitionBy, err = compileAll(c.PartitionBy, layout); err != nil {
			return nil, err
		}
		if f.OrderBy, err = p.sortKeys(c.OrderBy, in.cols); err != nil {
			return nil, err
		}
		if f.Frame, err = c.Frame.compile(); err != nil {
			return nil, err
		}
		funcs[i] = f
	}
	out := x.Output()
	return singleStream(out, func() (exec.Operator, error) {
		op, err := p.single(in)
		if err != nil {
			return nil, err
		}
		return &exec.Window{Input: op, Funcs: funcs, Cols: execCols(out)}, nil
	}), nil
}

func (p *Physical) buildSetOp(x *SetOp) (*stream, error) {
	l, err := p.build(x.L)
	if err != nil {
		return nil, err
	}
	r, err := p.build(x.R)
	if err != nil {
		return nil, err
	}
	out := x.Cols
	cols := execCols(out)
	var s *stream
	switch x.Op {
	case "UNION":
		s = singleStream(out, func() (exec.Operator, error) {
			lo, err := p.single(l)
			if err != nil {
				return nil, err
			}
			ro, err := p.single(r)
			if err != nil {
				return nil, err
			}
			return &exec.Union{Inputs: []exec.Operator{lo, ro}, Cols: cols}, nil
		})
		if x.All {
			return s, nil
		}
	case "INTERSECT", "EXCEPT":
		if x.All {
			return nil, fmt.Errorf("%s ALL is not supported yet", x.Op)
		}
		kind := exec.SemiJoin
		if x.Op == "EXCEPT" {
			kind = exec.AntiJoin
		}
		lk := make([]exec.Expr, len(l.cols))
		rk := make([]exec.Expr, len(r.cols))
		for i := range l.cols {
			lk[i] = &exec.ColRef{Index: i, T: l.cols[i].T}
			rk[i] = &exec.ColRef{Index: i, T: r.cols[i].T}
		}
		s = singleStream(out, func() (exec.Operator, error) {
			lo, err := p.single(l)
			if err != nil {
				return nil, err
			}
			ro, err := p.single(r)
			if err != nil {
				return nil, err
			}
			t := &exec.JoinTable{Build: ro, Keys: rk, Probers: 1, NullsEqual: true}
			return &exec.HashJoin{Probe: lo, Table: t, ProbeKeys: lk, Kind: kind, Cols: cols}, nil
		})
	default:
		return nil, fmt.Errorf("BUG: set operation %s", x.Op)
	}
	// DISTINCT: group by every column.
	keys := make([]exec.Expr, len(out))
	for i, c := range out {
		keys[i] = &exec.ColRef{Index: i, T: c.T}
	}
	return singleStream(out, func() (exec.Operator, error) {
		return &exec.HashAggregate{Input: s.make, Workers: 1, GroupBy: keys, Cols: cols}, nil
	}), nil
}

func (p *Physical) buildUnnest(x *Unnest) (*stream, error) {
	in, err := p.build(x.Input)
	if err != nil {
		return nil, err
	}
	exprs, err := compileAll(x.Exprs, LayoutOf(in.cols))
	if err != nil {
		return nil, err
	}
	out := x.Output()
	cols := execCols(out)
	return &stream{cols: out, par: in.par, make: func(w int) (exec.Operator, error) {
		op, err := in.make(w)
		if err != nil {
			return nil, err
		}
		return &exec.Unnest{Input: op, Exprs: exprs, Expand: x.Expand, Ordinality: x.Ordinality, Outer: x.Outer, Cols: cols}, nil
	}}, nil
}

// ---------------------------------------------------------------------------
// Scans

func (p *Physical) buildScan(x *Scan) (*stream, error) {
	t := x.Table
	format, ok := p.penv.Formats.Lookup(t.Format)
	if !ok {
		return nil, fmt.Errorf("table %s.%s: format %s is not supported", t.Schema, t.Name, t.Format)
	}
	store, err := p.penv.Resolver.For(t.Location)
	if err != nil {
		return nil, fmt.Errorf("table %s.%s: %w", t.Schema, t.Name, err)
	}
	stats := p.ctx.Scan
	type located struct {
		loc  string
		part []any
	}
	var locs []located
	sp := &ScanPlan{Table: t, Partitioned: len(t.PartitionKeys) > 0}
	if len(t.PartitionKeys) == 0 {
		locs = append(locs, located{loc: t.Location})
	} else {
		parts, total, err := p.partitions(x)
		if err != nil {
			return nil, err
		}
		sp.PartitionsTotal, sp.PartitionsRead = int64(total), int64(len(parts))
		for _, pt := range parts {
			vals := make([]any, len(t.PartitionKeys))
			for i, k := range t.PartitionKeys {
				v, err := partitionValue(pt.Values[i], k.Type)
				if err != nil {
					return nil, fmt.Errorf("table %s.%s partition %s: %w", t.Schema, t.Name, pt.Location, err)
				}
				vals[i] = v
			}
			locs = append(locs, located{loc: pt.Location, part: vals})
		}
	}
	splitBytes := p.penv.SplitBytes
	if splitBytes <= 0 {
		splitBytes = 64 << 20
	}
	var morsels []exec.Morsel
	for _, l := range locs {
		files, err := source.ListTableFiles(p.env.Ctx, store, t, l.loc, stats)
		if err != nil {
			if len(t.PartitionKeys) > 0 && isNotFoundErr(err) {
				continue // a registered partition whose folder is gone reads as empty
			}
			return nil, fmt.Errorf("table %s.%s: %w", t.Schema, t.Name, err)
		}
		stats.FilesListed.Add(int64(len(files)))
		for _, f := range files {
			for _, sp := range source.SplitFor(format, t, f, dataColumns(x), splitBytes) {
				morsels = append(morsels, exec.Morsel{Format: format, Store: store, File: f, Split: sp, Partition: l.part})
			}
		}
	}
	queue := exec.NewMorselQueue(morsels)
	cols := make([]exec.ScanColumn, len(x.Cols))
	for i, c := range x.Cols {
		cols[i] = exec.ScanColumn{Column: types.Column{Name: c.Name, Type: c.T}, Data: c.Data, PartKey: c.PartKey, Hidden: c.Hidden}
	}
	out := x.Output()
	var cond exec.Expr
	var preds []source.Predicate
	if len(x.Filters) > 0 {
		if cond, err = Compile(andAll(&Binder{env: p.env}, x.Filters), LayoutOf(out)); err != nil {
			return nil, err
		}
		preds = pushablePredicates(x)
	}
	sp.Morsels, sp.Columns, sp.Predicates, sp.Constraints = morsels, readerColumns(x), preds, scanConstraints(x)
	p.Scans = append(p.Scans, sp)
	return &stream{cols: out, par: true, make: func(w int) (exec.Operator, error) {
		var op exec.Operator = exec.NewScan(queue, t, cols, preds, p.penv.Notice)
		if cond != nil {
			op = &exec.Filter{Input: op, Cond: cond}
		}
		return op, nil
	}}, nil
}

func isNotFoundErr(err error) bool {
	for e := err; e != nil; {
		if e == objstore.ErrNotFound {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// partitions lists the table's partitions (registered or projected) that
// survive the scan's filters on partition columns, and how many there are.
func (p *Physical) partitions(x *Scan) ([]catalog.Partition, int, error) {
	t := x.Table
	var parts []catalog.Partition
	var err error
	if source.ProjectionEnabled(t) {
		parts, err = source.ProjectPartitions(t, func(key, value string) bool {
			return p.partitionPasses(x, key, value)
		})
	} else {
		parts, err = p.env.Catalog.ListPartitions(p.env.Ctx, t.Schema, t.Name)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("table %s.%s: %w", t.Schema, t.Name, err)
	}
	p.ctx.Scan.PartitionsTotal.Add(int64(len(parts)))
	var kept []catalog.Partition
	for _, pt := range parts {
		ok := true
		for i, k := range t.PartitionKeys {
			if i < len(pt.Values) && !p.partitionPasses(x, k.Name, pt.Values[i]) {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, pt)
		}
	}
	p.ctx.Scan.PartitionsPruned.Add(int64(len(parts) - len(kept)))
	return kept, len(parts), nil
}

// partitionPasses evaluates the scan's filters that read only the given
// partition key on one candidate value.
func (p *Physical) partitionPasses(x *Scan, key, value string) bool {
	var col *ScanCol
	for i := range x.Cols {
		c := &x.Cols[i]
		if c.PartKey >= 0 && equalFold(x.Table.PartitionKeys[c.PartKey].Name, key) {
			col = c
		}
	}
	if col == nil {
		return true
	}
	v, err := partitionValue(value, col.T)
	if err != nil {
		return true
	}
	for _, f := range x.Filters {
		refs := ColumnsOf(f)
		if len(refs) != 1 || !refs[col.ID] {
			continue
		}
		e := Rewrite(f, func(n Expr) Expr {
			if c, ok := n.(*ColumnRef); ok && c.ID == col.ID {
				return &Const{Value: v, T: col.T}
			}
			return nil
		})
		res, err := EvalConst(p.env.Ctx, p.env.Fn, e)
		if err == nil && res != true {
			return false
		}
	}
	return true
}

func equalFold(a, b string) bool {
	return len(a) == len(b) && (a == b || lower(a) == lower(b))
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// partitionValue converts a Hive partition value string into a constant
// of the key's type. Hive's __HIVE_DEFAULT_PARTITION__ is NULL.
func partitionValue(s string, t types.Type) (any, error) {
	if s == "__HIVE_DEFAULT_PARTITION__" {
		return nil, nil
	}
	switch t.Kind {
	case types.Varchar, types.Char:
		return s, nil
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("partition value %q is not a valid %s", s, t)
		}
		return v, nil
	case types.Date:
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			return nil, fmt.Errorf("partition value %q is not a valid date", s)
		}
		return d.Unix() / 86400, nil
	case types.Boolean:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("partition value %q is not a valid boolean", s)
		}
		return b, nil
	case types.Double, types.Real:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("partition value %q is not a valid %s", s, t)
		}
		return f, nil
	}
	return nil, fmt.Errorf("partition columns of type %s are not supported", t)
}

// pushablePredicates extracts column-op-constant conjuncts on data columns
// for readers that can skip data with statistics.
func pushablePredicates(x *Scan) []source.Predicate {
	ops := map[string]string{"$eq": "=", "$ne": "<>", "$lt": "<", "$le": "<=", "$gt": ">", "$ge": ">="}
	flip := map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
	byID := map[ColumnID]*ScanCol{}
	for i := range x.Cols {
		byID[x.Cols[i].ID] = &x.Cols[i]
	}
	var out []source.Predicate
	for _, f := range x.Filters {
		call, ok := f.(*Call)
		if !ok {
			continue
		}
		op, ok := ops[call.Name]
		if !ok {
			continue
		}
		a, b := call.Args[0], call.Args[1]
		if _, ok := a.(*Const); ok {
			a, b = b, a
			op = flip[op]
		}
		cr, ok1 := a.(*ColumnRef)
		c, ok2 := b.(*Const)
		if !ok1 || !ok2 || c.Value == nil {
			continue
		}
		sc := byID[cr.ID]
		if sc == nil || sc.Data < 0 || !cr.T.Equal(c.T) {
			continue
		}
		out = append(out, source.Predicate{Column: sc.Data, Op: op, Value: c.Value})
	}
	return out
}

// dataColumns lists the table data columns a scan reads, in table order.
func dataColumns(x *Scan) []int {
	var cols []int
	for _, c := range x.Cols {
		if c.Data >= 0 {
			cols = append(cols, c.Data)
		}
	}
	slices.Sort(cols)
	return slices.Compact(cols)
}
