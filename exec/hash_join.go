package exec

import (
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// JoinKind is the logical join type as seen from the probe side (left).
type JoinKind int

const (
	InnerJoin JoinKind = iota
	LeftJoin           // probe rows without a match kept, build columns NULL
	RightJoin          // build rows without a match emitted at the end
	FullJoin
	SemiJoin          // probe rows with at least one match
	AntiJoin          // probe rows with no match (NOT EXISTS)
	NullAwareAntiJoin // NOT IN: no rows if the build side holds a NULL key
)

func (k JoinKind) String() string {
	return [...]string{"INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "NULL-AWARE ANTI"}[k]
}

// JoinTable is the build side of a hash join, shared by every probe
// instance: whichever instance opens first builds it, the others wait.
// Zero keys make it a nested-loop table in which every row matches.
type JoinTable struct {
	Build   Operator
	Keys    []Expr
	Probers int // number of probe instances (for right/full joins)
	// NullsEqual makes NULL keys match each other (INTERSECT, EXCEPT).
	NullsEqual bool

	once   sync.Once
	err    error
	data   arrow.Record
	layout keyLayout
	// Each distinct key maps to the first build row holding it; next chains
	// the rest in row order (-1 ends a chain).
	t1       table1
	t2       table2
	tb       tableB
	next     []int32
	hasNull  bool
	matched  []atomic.Bool
	finished atomic.Int32
}

func (t *JoinTable) build(ctx *Context) error {
	t.once.Do(func() { t.err = t.doBuild(ctx) })
	return t.err
}

func (t *JoinTable) doBuild(ctx *Context) (err error) {
	defer CatchResource(&err)
	defer t.Build.Close()
	if err := t.Build.Open(ctx); err != nil {
		return err
	}
	var batches []arrow.Record
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	for {
		b, err := t.Build.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		b.Retain()
		batches = append(batches, b)
	}
	cols := t.Build.Columns()
	t.data, err = concatBatches(ctx, cols, batches)
	if err != nil {
		return err
	}
	n := int(t.data.NumRows())
	t.next = make([]int32, n)
	t.matched = make([]atomic.Bool, n)
	ctx.Alloc.Reserve(int64(n) * 64)
	t.layout = layoutOf(t.Keys)
	switch t.layout {
	case layoutOne:
		t.t1.init(n)
	case layoutTwo:
		t.t2.init(n)
	case layoutBytes:
		t.tb.init(n)
	}
	if n == 0 {
		return nil
	}
	if t.layout == layoutNone {
		for i := range t.next {
			t.next[i] = int32(i + 1)
		}
		t.next[n-1] = -1
		return nil
	}
	keys, err := evalAll(ctx, t.data, t.Keys)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	bk := batchKeys{layout: t.layout}
	if err := bk.load(keys, n); err != nil {
		return err
	}
	// Rows are inserted last to first so that each chain lists its rows in
	// ascending order.
	for i := n - 1; i >= 0; i-- {
		if !t.NullsEqual && bk.isNull(i) {
			t.hasNull = true
			t.next[i] = -1
			continue
		}
		var slot int
		var found bool
		switch t.layout {
		case layoutOne:
			slot, found = t.t1.insert(bk.w0[i], bk.nm[i], bk.h[i])
			if found {
				t.next[i] = int32(t.t1.get(slot))
			} else {
				t.next[i] = -1
			}
			t.t1.set(slot, uint32(i))
		case layoutTwo:
			slot, found = t.t2.insert(bk.w0[i], bk.w1[i], bk.nm[i], bk.h[i])
			if found {
				t.next[i] = int32(t.t2.get(slot))
			} else {
				t.next[i] = -1
			}
			t.t2.set(slot, uint32(i))
		default:
			slot, found = t.tb.insert(bk.enc.key(i), bk.h[i])
			if found {
				t.next[i] = int32(t.tb.get(slot))
			} else {
				t.next[i] = -1
			}
			t.tb.set(slot, uint32(i))
		}
	}
	return nil
}

// lookup sets heads[i] to the first build row matching probe row i, or -1.
func (t *JoinTable) lookup(bk *batchKeys, heads []int32) {
	if t.data.NumRows() == 0 {
		for i := range heads {
			heads[i] = -1
		}
		return
	}
	skipNulls := !t.NullsEqual
	switch t.layout {
	case layoutNone:
		for i := range heads {
			heads[i] = 0
		}
	case layoutOne:
		for i := range heads {
			heads[i] = -1
			if skipNulls && bk.nm[i] != 0 {
				continue
			}
			if v, ok := t.t1.find(bk.w0[i], bk.nm[i], bk.h[i]); ok {
				heads[i] = int32(v)
			}
		}
	case layoutTwo:
		for i := range heads {
			heads[i] = -1
			if skipNulls && bk.nm[i] != 0 {
				continue
			}
			if v, ok := t.t2.find(bk.w0[i], bk.w1[i], bk.nm[i], bk.h[i]); ok {
				heads[i] = int32(v)
			}
		}
	default:
		for i := range heads {
			heads[i] = -1
			if skipNulls && bk.null[i] {
				continue
			}
			if v, ok := t.tb.find(bk.enc.key(i), bk.h[i]); ok {
				heads[i] = int32(v)
			}
		}
	}
}

func concatBatches(ctx *Context, cols []types.Column, batches []arrow.Record) (arrow.Record, error) {
	arrs := make([]arrow.Array, len(cols))
	defer releaseAll(arrs)
	var rows int64
	for _, b := range batches {
		rows += b.NumRows()
	}
	for c := range cols {
		if len(batches) == 0 {
			arrs[c] = array.MakeArrayOfNull(ctx.Alloc, cols[c].Type.Arrow(), 0)
			continue
		}
		parts := make([]arrow.Array, len(batches))
		for i, b := range batches {
			parts[i] = b.Column(c)
		}
		a, err := array.Concatenate(parts, ctx.Alloc)
		if err != nil {
			return nil, err
		}
		arrs[c] = a
	}
	return array.NewRecord(schemaOf(cols), arrs, rows), nil
}

// Release frees the table's data.
func (t *JoinTable) Release() {
	if t.data != nil {
		t.data.Release()
		t.data = nil
	}
}

// HashJoin probes a shared JoinTable with its input's rows.
type HashJoin struct {
	Probe     Operator
	Table     *JoinTable
	ProbeKeys []Expr
	Kind      JoinKind
	// Residual is a condition over the joined row (probe columns then
	// build columns) that a matching pair must also satisfy.
	Residual Expr
	Cols     []types.Column

	rel         releaser
	keys        batchKeys
	state       probeState // reused for each probe batch
	cur         *probeState
	probeDone   bool
	emittedTail bool
}

var _ Operator = (*HashJoin)(nil)

func (j *HashJoin) Columns() []types.Column { return j.Cols }

func (j *HashJoin) Open(ctx *Context) error {
	if err := j.Probe.Open(ctx); err != nil {
		return err
	}
	return j.Table.build(ctx)
}

// maxJoinPairs bounds the rows one output batch of a join holds; a probe
// batch whose matches exceed it is processed in row ranges.
const maxJoinPairs = 1 << 16

// probeState is a probe batch being joined, range by range.
type probeState struct {
	b       arrow.Record
	anyNull []bool
	heads   []int32 // first build row of each probe row's chain, or -1
	counts  []int32 // matches per probe row before the residual
	pos     int
}

func (j *HashJoin) Next(ctx *Context) (arrow.Record, error) {
	j.rel.drop()
	for !j.probeDone || j.cur != nil {
		if err := ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		if j.cur == nil {
			b, err := j.Probe.Next(ctx)
			if err != nil {
				return nil, err
			}
			if b == nil {
				j.probeDone = true
				break
			}
			st, err := j.prepare(ctx, b)
			if err != nil {
				return nil, err
			}
			if st == nil {
				continue
			}
			j.cur = st
		}
		st := j.cur
		n := int(st.b.NumRows())
		lo, hi, pairs := st.pos, st.pos, 0
		for hi < n && (hi == lo || pairs+int(st.counts[hi]) <= maxJoinPairs) {
			pairs += int(st.counts[hi])
			hi++
		}
		st.pos = hi
		out, err := j.probeRange(ctx, st, lo, hi, pairs)
		if hi >= n {
			st.b.Release()
			j.cur = nil
		}
		if err != nil {
			return nil, err
		}
		if out == nil || out.NumRows() == 0 {
			if out != nil {
				out.Release()
			}
			continue
		}
		return j.rel.hold(out), nil
	}
	if (j.Kind == RightJoin || j.Kind == FullJoin) && !j.emittedTail {
		j.emittedTail = true
		if int(j.Table.finished.Add(1)) == max(j.Table.Probers, 1) {
			out, err := j.unmatchedBuild(ctx)
			if err != nil || out == nil {
				return nil, err
			}
			return j.rel.hold(out), nil
		}
	}
	return nil, nil
}

// prepare hashes a probe batch's keys and counts each row's matches; nil
// means the batch yields nothing.
func (j *HashJoin) prepare(ctx *Context, b arrow.Record) (*probeState, error) {
	t := j.Table
	n := int(b.NumRows())
	if j.Kind == NullAwareAntiJoin && t.data.NumRows() > 0 && t.hasNull {
		return nil, nil
	}
	keys, err := evalAll(ctx, b, j.ProbeKeys)
	if err != nil {
		return nil, err
	}
	j.keys.layout = t.layout
	err = j.keys.load(keys, n)
	releaseAll(keys)
	if err != nil {
		return nil, err
	}
	st := &j.state
	st.b, st.pos = b, 0
	if cap(st.heads) < n {
		st.heads, st.counts, st.anyNull = make([]int32, n), make([]int32, n), make([]bool, n)
	}
	st.heads, st.counts, st.anyNull = st.heads[:n], st.counts[:n], st.anyNull[:n]
	t.lookup(&j.keys, st.heads)
	for i, h := range st.heads {
		st.anyNull[i] = j.keys.isNull(i)
		c := int32(0)
		for r := h; r >= 0; r = t.next[r] {
			c++
		}
		st.counts[i] = c
	}
	b.Retain()
	return st, nil
}

// probeRange joins probe rows [lo, hi) of the current batch.
func (j *HashJoin) probeRange(ctx *Context, st *probeState, lo, hi, pairs int) (arrow.Record, error) {
	t := j.Table
	buildRows := int(t.data.NumRows())
	if j.Residual == nil && (j.Kind == SemiJoin || j.Kind == AntiJoin || j.Kind == NullAwareAntiJoin) {
		// No pairs needed: a row's fate is whether it has a match.
		keep := make([]int32, 0, hi-lo)
		for i := lo; i < hi; i++ {
			want := st.heads[i] >= 0
			if j.Kind != SemiJoin {
				want = !want
				if j.Kind == NullAwareAntiJoin && st.anyNull[i] && buildRows > 0 {
					want = false
				}
			}
			if want {
				keep = append(keep, int32(i))
			}
		}
		return takeRecord(ctx, j.Cols, st.b, keep, nil, nil)
	}
	extra := 0
	if j.Kind == LeftJoin || j.Kind == FullJoin {
		extra = hi - lo
	}
	pIdx, bIdx := make([]int32, 0, pairs+extra), make([]int32, 0, pairs+extra)
	for i := lo; i < hi; i++ {
		for r := st.heads[i]; r >= 0; r = t.next[r] {
			pIdx = append(pIdx, int32(i))
			bIdx = append(bIdx, r)
		}
	}
	var err error
	if j.Residual != nil && len(pIdx) > 0 {
		pIdx, bIdx, err = j.applyResidual(ctx, st.b, pIdx, bIdx)
		if err != nil {
			return nil, err
		}
	}
	switch j.Kind {
	case SemiJoin, AntiJoin, NullAwareAntiJoin:
		hit := make([]bool, hi-lo)
		for _, p := range pIdx {
			hit[int(p)-lo] = true
		}
		var keep []int32
		for i := lo; i < hi; i++ {
			want := hit[i-lo]
			if j.Kind != SemiJoin {
				want = !want
				if j.Kind == NullAwareAntiJoin && st.anyNull[i] && buildRows > 0 {
					want = false
				}
			}
			if want {
				keep = append(keep, int32(i))
			}
		}
		return takeRecord(ctx, j.Cols, st.b, keep, nil, nil)
	case LeftJoin, FullJoin:
		hit := make([]bool, hi-lo)
		for _, p := range pIdx {
			hit[int(p)-lo] = true
		}
		for i := lo; i < hi; i++ {
			if !hit[i-lo] {
				pIdx = append(pIdx, int32(i))
				bIdx = append(bIdx, -1)
			}
		}
	}
	if j.Kind == RightJoin || j.Kind == FullJoin {
		for _, r := range bIdx {
			if r >= 0 {
				t.matched[r].Store(true)
			}
		}
	}
	return takeRecord(ctx, j.Cols, st.b, pIdx, t.data, bIdx)
}

func (j *HashJoin) applyResidual(ctx *Context, b arrow.Record, pIdx, bIdx []int32) ([]int32, []int32, error) {
	all := append(append([]types.Column{}, j.Probe.Columns()...), j.Table.Build.Columns()...)
	pairs, err := takeRecord(ctx, all, b, pIdx, j.Table.data, bIdx)
	if err != nil {
		return nil, nil, err
	}
	defer pairs.Release()
	m, err := j.Residual.Eval(ctx, pairs)
	if err != nil {
		return nil, nil, err
	}
	defer m.Release()
	mask := AsBoolean(m)
	var p2, b2 []int32
	for i := range pIdx {
		if mask.IsValid(i) && mask.Value(i) {
			p2 = append(p2, pIdx[i])
			b2 = append(b2, bIdx[i])
		}
	}
	return p2, b2, nil
}

func (j *HashJoin) unmatchedBuild(ctx *Context) (arrow.Record, error) {
	t := j.Table
	var bIdx, pIdx []int32
	for i := range t.matched {
		if !t.matched[i].Load() {
			bIdx = append(bIdx, int32(i))
			pIdx = append(pIdx, -1)
		}
	}
	if len(bIdx) == 0 {
		return nil, nil
	}
	probeCols := j.Probe.Columns()
	empty := make([]arrow.Array, len(probeCols))
	for i, c := range probeCols {
		empty[i] = array.MakeArrayOfNull(ctx.Alloc, c.Type.Arrow(), 1)
	}
	probe := array.NewRecord(schemaOf(probeCols), empty, 1)
	releaseAll(empty)
	defer probe.Release()
	return takeRecord(ctx, j.Cols, probe, pIdx, t.data, bIdx)
}

// takeRecord gathers rows: left columns at lIdx, then (if right is not
// nil) right columns at rIdx. A negative index yields NULLs.
func takeRecord(ctx *Context, cols []types.Column, left arrow.Record, lIdx []int32, right arrow.Record, rIdx []int32) (arrow.Record, error) {
	arrs := make([]arrow.Array, 0, len(cols))
	defer func() { releaseAll(arrs) }()
	take := func(src arrow.Array, idx []int32) error {
		arrs = append(arrs, Take(ctx.Alloc, src, idx))
		return nil
	}
	for c := 0; c < int(left.NumCols()); c++ {
		if err := take(left.Column(c), lIdx); err != nil {
			return nil, err
		}
	}
	if right != nil {
		for c := 0; c < int(right.NumCols()); c++ {
			if err := take(right.Column(c), rIdx); err != nil {
				return nil, err
			}
		}
	}
	return array.NewRecord(schemaOf(cols), arrs, int64(len(lIdx))), nil
}

func (j *HashJoin) Close() error {
	j.rel.drop()
	if j.cur != nil {
		j.cur.b.Release()
		j.cur = nil
	}
	return j.Probe.Close()
}
