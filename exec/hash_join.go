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

	once     sync.Once
	err      error
	data     arrow.Record
	head     map[string]int32
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
	t.head = make(map[string]int32, n)
	t.next = make([]int32, n)
	t.matched = make([]atomic.Bool, n)
	ctx.Alloc.Reserve(int64(n) * 64)
	if n == 0 {
		return nil
	}
	keys, err := evalAll(ctx, t.data, t.Keys)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	var enc keyEncoder
	anyNull, err := enc.encode(keys, n)
	if err != nil {
		return err
	}
	for i := n - 1; i >= 0; i-- {
		if anyNull[i] && !t.NullsEqual {
			t.hasNull = true
			t.next[i] = -1
			continue
		}
		k := enc.key(i)
		if h, ok := t.head[string(k)]; ok {
			t.next[i] = h
		} else {
			t.next[i] = -1
		}
		t.head[string(k)] = int32(i)
	}
	return nil
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
	enc         keyEncoder
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

func (j *HashJoin) Next(ctx *Context) (arrow.Record, error) {
	j.rel.drop()
	for !j.probeDone {
		b, err := j.Probe.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			j.probeDone = true
			break
		}
		out, err := j.probeBatch(ctx, b)
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

func (j *HashJoin) probeBatch(ctx *Context, b arrow.Record) (arrow.Record, error) {
	t := j.Table
	n := int(b.NumRows())
	buildRows := int(t.data.NumRows())
	if j.Kind == NullAwareAntiJoin && buildRows > 0 && t.hasNull {
		return nil, nil
	}
	keys, err := evalAll(ctx, b, j.ProbeKeys)
	if err != nil {
		return nil, err
	}
	anyNull, err := j.enc.encode(keys, n)
	releaseAll(keys)
	if err != nil {
		return nil, err
	}
	var pIdx, bIdx []int32
	for i := 0; i < n; i++ {
		if anyNull[i] && !t.NullsEqual {
			continue
		}
		h, ok := t.head[string(j.enc.key(i))]
		if !ok {
			continue
		}
		for r := h; r >= 0; r = t.next[r] {
			pIdx = append(pIdx, int32(i))
			bIdx = append(bIdx, r)
		}
		if len(pIdx) > 1<<24 {
			return nil, &ResourceError{Msg: "join produced too many rows for one batch"}
		}
	}
	if j.Residual != nil && len(pIdx) > 0 {
		pIdx, bIdx, err = j.applyResidual(ctx, b, pIdx, bIdx)
		if err != nil {
			return nil, err
		}
	}
	switch j.Kind {
	case SemiJoin, AntiJoin, NullAwareAntiJoin:
		hit := make([]bool, n)
		for _, p := range pIdx {
			hit[p] = true
		}
		var keep []int32
		for i := 0; i < n; i++ {
			want := hit[i]
			if j.Kind != SemiJoin {
				want = !hit[i]
				if j.Kind == NullAwareAntiJoin && anyNull[i] && buildRows > 0 {
					want = false
				}
			}
			if want {
				keep = append(keep, int32(i))
			}
		}
		return takeRecord(ctx, j.Cols, b, keep, nil, nil)
	case LeftJoin, FullJoin:
		hit := make([]bool, n)
		for _, p := range pIdx {
			hit[p] = true
		}
		for i := 0; i < n; i++ {
			if !hit[i] {
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
	return takeRecord(ctx, j.Cols, b, pIdx, t.data, bIdx)
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
	mask := m.(*array.Boolean)
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
	return j.Probe.Close()
}
