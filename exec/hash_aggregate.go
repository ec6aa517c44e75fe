package exec

import (
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/internal/arrowx"
	"github.com/quarry-sql/quarry/types"
)

// AggSpec is one aggregate call of a HashAggregate.
type AggSpec struct {
	Name     string
	Binding  function.AggBinding
	Args     []Expr
	Distinct bool
	Filter   Expr // FILTER (WHERE ...), or nil
}

// HashAggregate groups its input by key expressions and computes aggregates
// per group. Each worker aggregates its own input instance into a private
// table (no locks on the hot path); the tables are then merged, and the
// result is emitted in batches. With no grouping keys it returns exactly one
// row, even for empty input.
//
// Under memory pressure it spills (hash_aggregate_spill.go): a worker whose
// query has passed half the spill threshold freezes its table, keeps
// aggregating the rows of groups it holds, and writes the rows of other
// groups, hash-partitioned, to disk; the partitions are aggregated one by
// one afterwards.
type HashAggregate struct {
	Input   Factory
	Workers int
	GroupBy []Expr
	Aggs    []AggSpec
	Cols    []types.Column

	out     arrow.Record
	pos     int64
	rel     releaser
	done    bool
	spill   aggSpill
	stats   SpillStats
	started bool
}

var _ Operator = (*HashAggregate)(nil)

func (h *HashAggregate) Columns() []types.Column { return h.Cols }

func (h *HashAggregate) Open(ctx *Context) error { return nil }

func (h *HashAggregate) Next(ctx *Context) (arrow.Record, error) {
	h.rel.drop()
	for !h.done {
		if h.out != nil && h.pos < h.out.NumRows() {
			end := min(h.pos+int64(batchRows), h.out.NumRows())
			b := h.out.NewSlice(h.pos, end)
			h.pos = end
			return h.rel.hold(b), nil
		}
		if h.out != nil {
			h.out.Release()
			h.out, h.pos = nil, 0
		}
		var err error
		if !h.started {
			h.started = true
			err = h.compute(ctx)
		} else {
			h.out, err = h.nextPartition(ctx)
		}
		if err != nil {
			h.stop()
			return nil, err
		}
		if h.out == nil {
			h.stop()
		}
	}
	return nil, nil
}

// Spilled reports what the aggregate wrote to disk.
func (h *HashAggregate) Spilled() SpillStats { return h.stats }

// stop ends the output and frees what is left: tables, spill files.
func (h *HashAggregate) stop() {
	h.done = true
	if h.out != nil {
		h.out.Release()
		h.out = nil
	}
	h.spill.release()
}

const batchRows = 8192

func (h *HashAggregate) compute(ctx *Context) (err error) {
	defer CatchResource(&err)
	n := max(h.Workers, 1)
	tables := make([]*groupTable, n)
	errs := make([]error, n)
	// Instances are built before any runs: factories share lazily built
	// state (join tables) and are not required to be safe for concurrent use.
	inputs := make([]Operator, n)
	for w := 0; w < n; w++ {
		in, err := h.Input(w)
		if err != nil {
			for _, o := range inputs[:w] {
				o.Close()
			}
			return err
		}
		inputs[w] = in
	}
	parts := make([]*aggPartitioner, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		tables[w] = h.newTable(ctx)
		parts[w] = h.newPartitioner(1)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			errs[w] = h.runWorker(ctx, inputs[w], tables[w], parts[w])
		}(w)
	}
	wg.Wait()
	defer func() {
		for _, t := range tables {
			if t != nil {
				t.release()
			}
		}
	}()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	// Partition p of every worker holds rows of the same groups.
	var byPart [aggFanout][]*spillFile
	for _, p := range parts {
		if err := p.finish(&h.stats); err != nil {
			return err
		}
		for i, f := range p.files {
			if f != nil {
				byPart[i] = append(byPart[i], f)
			}
		}
	}
	for i := len(byPart) - 1; i >= 0; i-- {
		if len(byPart[i]) > 0 {
			h.spill.pending = append(h.spill.pending, aggPartition{files: byPart[i], level: 1})
		}
	}
	if len(h.spill.pending) > 0 {
		// The worker tables' groups may still receive spilled rows (of
		// groups another worker held): they stay, unmerged so as not to
		// grow, until every partition has been aggregated, and are
		// merged and emitted last.
		h.spill.resident = tables
		tables = nil
		h.out, err = h.nextPartition(ctx)
		return err
	}
	final, err := mergeTables(tables)
	if err != nil {
		return err
	}
	if len(h.GroupBy) == 0 && final.numGroups() == 0 {
		final.addGlobalGroup()
	}
	h.out, err = final.result(h.Cols)
	return err
}

// mergeTables merges every table into the one with the most groups (the
// fewest to copy), releasing the others (and setting them to nil) as it
// goes.
func mergeTables(tables []*groupTable) (*groupTable, error) {
	base := 0
	for i, t := range tables {
		if t.n > tables[base].n {
			base = i
		}
	}
	final := tables[base]
	for i, t := range tables {
		if i == base {
			continue
		}
		if err := final.merge(t); err != nil {
			return nil, err
		}
		t.release()
		tables[i] = nil
	}
	return final, nil
}

func (h *HashAggregate) runWorker(ctx *Context, in Operator, t *groupTable, parts *aggPartitioner) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(*ResourceError); ok {
				err = re
				return
			}
			err = fmt.Errorf("internal error: %v\n%s", r, debug.Stack())
		}
	}()
	defer in.Close()
	if err := in.Open(ctx); err != nil {
		return err
	}
	for {
		b, err := in.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if t.frozen {
			missing, err := t.route(ctx, b)
			if err != nil {
				return err
			}
			if err := parts.write(ctx, b, missing, t.keys.h); err != nil {
				return err
			}
			continue
		}
		if err := t.add(ctx, b); err != nil {
			return err
		}
		if th := ctx.Spill.Threshold; th > 0 && len(h.GroupBy) > 0 && ctx.Alloc.Current() > th/2 {
			t.frozen = true
		}
	}
}

func (h *HashAggregate) newTable(ctx *Context) *groupTable {
	t := &groupTable{h: h, ctx: ctx, layout: layoutOf(h.GroupBy)}
	t.keys.layout = t.layout
	switch t.layout {
	case layoutOne:
		t.t1.init(0)
	case layoutTwo:
		t.t2.init(0)
	case layoutBytes:
		t.tb.init(0)
	}
	t.keyChunks = make([][]arrow.Array, len(h.GroupBy))
	t.keyTypes = make([]arrow.DataType, len(h.GroupBy))
	for i, g := range h.GroupBy {
		t.keyTypes[i] = g.Type().Arrow()
	}
	t.accs = make([]function.GroupAccumulator, len(h.Aggs))
	for i, a := range h.Aggs {
		acc := a.Binding.New(ctx.Fn)
		if a.Distinct {
			acc = newDistinctAcc(ctx, acc, a.Binding.Args)
		}
		t.accs[i] = acc
	}
	if len(h.GroupBy) == 0 {
		t.addGlobalGroup()
	}
	return t
}

// groupTable is one worker's groups: key → dense group id (in order of
// first appearance), the key values, and one accumulator per aggregate.
type groupTable struct {
	h      *HashAggregate
	ctx    *Context
	layout keyLayout
	n      int // number of groups
	t1     table1
	t2     table2
	tb     tableB // with layoutBytes, entry i is group i's key
	// One-word layouts keep each group's key words in group order, for
	// merging tables without walking slots.
	gk0, gk1 []uint64
	gnm      []uint32
	// keyChunks holds, per key column, arrays of the key values of new
	// groups, gathered batch by batch; concatenated they are the key
	// columns in group order.
	keyChunks [][]arrow.Array
	keyTypes  []arrow.DataType
	accs      []function.GroupAccumulator
	keys      batchKeys
	groups    []uint32
	newRows   []int32
	// assignByDict's buffers
	dictRep, dictCombo, dictReps []int32
	dictGroups                   []uint32
	missing                      []int32
	// reserved is what the table has reserved for its hash table, group
	// lists and accumulators (key values are in accounted arrow arrays,
	// keyBytes of them); accBytes is the accumulators' last measured
	// size, at accN groups, accAge batches ago.
	reserved int64
	keyBytes int64
	accBytes int64
	accN     int
	accAge   int
	// frozen: the table takes no new groups (it spills their rows).
	frozen bool
}

func (t *groupTable) numGroups() int { return t.n }

// addGlobalGroup adds the one group of an aggregate without GROUP BY.
func (t *groupTable) addGlobalGroup() {
	t.n = 1
	for _, a := range t.accs {
		a.Resize(1)
	}
}

// account brings the table's reservation up to date with what it holds.
// Accumulators are measured when the group count has grown by a quarter
// or every 64 batches (some Size methods walk every group), and
// extrapolated in between.
func (t *groupTable) account() {
	t.accAge++
	if t.n > t.accN+t.accN/4 || t.accAge >= 64 {
		var s int64
		for _, a := range t.accs {
			s += a.Size()
		}
		t.accBytes, t.accN, t.accAge = s, t.n, 0
	}
	acc := t.accBytes
	if t.accN > 0 && t.n > t.accN {
		acc = acc / int64(t.accN) * int64(t.n)
	}
	s := int64(cap(t.t1.slots))*16 + int64(cap(t.t2.slots))*24 + int64(cap(t.tb.slots))*16 +
		int64(cap(t.tb.arena)) + int64(cap(t.tb.offs))*8 +
		int64(cap(t.gk0)+cap(t.gk1))*8 + int64(cap(t.gnm))*4 + acc
	if d := s - t.reserved; d != 0 {
		t.ctx.Alloc.Reserve(d)
		t.reserved = s
	}
}

// size is the memory the table holds, as accounted, with what DISTINCT
// aggregates account for themselves (their values, copied and reserved)
// and their sets' hash tables.
func (t *groupTable) size() int64 {
	s := t.reserved + t.keyBytes
	for _, a := range t.accs {
		if d, ok := a.(*distinctAcc); ok {
			s += 2*d.reserved + int64(cap(d.t2.slots))*24 + int64(cap(d.tb.slots))*16 + int64(cap(d.tb.arena)) + int64(cap(d.tb.offs))*8
		}
	}
	return s
}

// assign sets groups[i] to the group of row i of the loaded keys, adding
// groups for new keys and listing their first rows in t.newRows.
func (t *groupTable) assign(n int, groups []uint32) {
	bk := &t.keys
	newRows := t.newRows[:0]
	switch t.layout {
	case layoutOne:
		for i := 0; i < n; i++ {
			slot, found := t.t1.insert(bk.w0[i], bk.nm[i], bk.h[i])
			if found {
				groups[i] = t.t1.get(slot)
				continue
			}
			id := uint32(t.n)
			t.n++
			t.t1.set(slot, id)
			t.gk0 = append(t.gk0, bk.w0[i])
			t.gnm = append(t.gnm, bk.nm[i])
			newRows = append(newRows, int32(i))
			groups[i] = id
		}
	case layoutTwo:
		for i := 0; i < n; i++ {
			slot, found := t.t2.insert(bk.w0[i], bk.w1[i], bk.nm[i], bk.h[i])
			if found {
				groups[i] = t.t2.get(slot)
				continue
			}
			id := uint32(t.n)
			t.n++
			t.t2.set(slot, id)
			t.gk0 = append(t.gk0, bk.w0[i])
			t.gk1 = append(t.gk1, bk.w1[i])
			t.gnm = append(t.gnm, bk.nm[i])
			newRows = append(newRows, int32(i))
			groups[i] = id
		}
	default:
		for i := 0; i < n; i++ {
			slot, found := t.tb.insert(bk.enc.key(i), bk.h[i])
			if found {
				groups[i] = t.tb.get(slot)
				continue
			}
			id := uint32(t.n)
			t.n++
			t.tb.set(slot, id)
			newRows = append(newRows, int32(i))
			groups[i] = id
		}
	}
	t.newRows = newRows
}

// addKeys appends the key values at rows idx of keyCols as new groups' keys
// and grows the accumulators to the group count.
func (t *groupTable) addKeys(keyCols []arrow.Array, idx []int32) {
	if len(idx) == 0 {
		return
	}
	for c, col := range keyCols {
		chunk := Take(t.ctx.Alloc, col, idx)
		t.keyChunks[c] = append(t.keyChunks[c], chunk)
		t.keyBytes += arraySize(chunk)
	}
	for _, a := range t.accs {
		a.Resize(t.n)
	}
}

func arraySize(a arrow.Array) int64 { return arrowx.DataBytes(a.Data()) }

func (t *groupTable) add(ctx *Context, b arrow.Record) error {
	n := int(b.NumRows())
	if cap(t.groups) < n {
		t.groups = make([]uint32, n)
	}
	groups := t.groups[:n]
	if len(t.h.GroupBy) > 0 {
		keyCols, err := evalAll(ctx, b, t.h.GroupBy)
		if err != nil {
			return err
		}
		defer releaseAll(keyCols)
		if !t.assignByDict(keyCols, n, groups) {
			if err := t.keys.load(keyCols, n); err != nil {
				return err
			}
			t.assign(n, groups)
			t.addKeys(keyCols, t.newRows)
		}
	} else {
		for i := range groups {
			groups[i] = 0
		}
	}
	return t.update(ctx, b, groups)
}

// update folds the rows of b into their groups.
func (t *groupTable) update(ctx *Context, b arrow.Record, groups []uint32) error {
	defer t.account()
	for ai, spec := range t.h.Aggs {
		args, err := evalAll(ctx, b, spec.Args)
		if err != nil {
			return err
		}
		g := groups
		if spec.Filter != nil {
			var ferr error
			args, g, ferr = applyAggFilter(ctx, b, spec.Filter, args, groups)
			if ferr != nil {
				releaseAll(args)
				return ferr
			}
		}
		err = t.accs[ai].Update(args, g)
		releaseAll(args)
		if err != nil {
			return fmt.Errorf("%s: %w", spec.Name, err)
		}
	}
	return nil
}

func applyAggFilter(ctx *Context, b arrow.Record, filter Expr, args []arrow.Array, groups []uint32) ([]arrow.Array, []uint32, error) {
	m, err := filter.Eval(ctx, b)
	if err != nil {
		return args, nil, err
	}
	defer m.Release()
	mask := AsBoolean(m)
	var g []uint32
	for i := 0; i < mask.Len(); i++ {
		if mask.IsValid(i) && mask.Value(i) {
			g = append(g, groups[i])
		}
	}
	idx := maskIndices(mask)
	out := make([]arrow.Array, len(args))
	for i, a := range args {
		out[i] = Take(ctx.Alloc, a, idx)
	}
	releaseAll(args)
	return out, g, nil
}

func (t *groupTable) merge(o *groupTable) error {
	mapping := make([]uint32, o.n)
	var newFrom []int32
	add := func(j int) uint32 {
		newFrom = append(newFrom, int32(j))
		id := uint32(t.n)
		t.n++
		return id
	}
	switch t.layout {
	case layoutNone:
		// Both tables hold the one global group.
	case layoutOne:
		for j := 0; j < o.n; j++ {
			k, nm := o.gk0[j], o.gnm[j]
			slot, found := t.t1.insert(k, nm, hash1(k, nm))
			if found {
				mapping[j] = t.t1.get(slot)
				continue
			}
			id := add(j)
			t.t1.set(slot, id)
			t.gk0 = append(t.gk0, k)
			t.gnm = append(t.gnm, nm)
			mapping[j] = id
		}
	case layoutTwo:
		for j := 0; j < o.n; j++ {
			k0, k1, nm := o.gk0[j], o.gk1[j], o.gnm[j]
			slot, found := t.t2.insert(k0, k1, nm, hash2(k0, k1, nm))
			if found {
				mapping[j] = t.t2.get(slot)
				continue
			}
			id := add(j)
			t.t2.set(slot, id)
			t.gk0 = append(t.gk0, k0)
			t.gk1 = append(t.gk1, k1)
			t.gnm = append(t.gnm, nm)
			mapping[j] = id
		}
	default:
		for j := 0; j < o.n; j++ {
			k := o.tb.entry(j)
			slot, found := t.tb.insert(k, hashBytes(k))
			if found {
				mapping[j] = t.tb.get(slot)
				continue
			}
			id := add(j)
			t.tb.set(slot, id)
			mapping[j] = id
		}
	}
	if len(newFrom) > 0 {
		keyCols, err := o.keyArrays()
		if err != nil {
			return err
		}
		t.addKeys(keyCols, newFrom)
		releaseAll(keyCols)
	}
	defer t.account()
	for i, a := range t.accs {
		if err := a.Merge(o.accs[i], mapping); err != nil {
			return err
		}
	}
	return nil
}

// keyArrays returns the key columns in group order.
func (t *groupTable) keyArrays() ([]arrow.Array, error) {
	arrs := make([]arrow.Array, len(t.keyChunks))
	for c, chunks := range t.keyChunks {
		switch len(chunks) {
		case 0:
			arrs[c] = array.MakeArrayOfNull(t.ctx.Alloc, t.keyTypes[c], 0)
		case 1:
			chunks[0].Retain()
			arrs[c] = chunks[0]
		default:
			a, err := array.Concatenate(chunks, t.ctx.Alloc)
			if err != nil {
				releaseAll(arrs)
				return nil, err
			}
			// Keep the one array: later merges and the result read it again.
			for _, ch := range chunks {
				t.keyBytes -= arraySize(ch)
			}
			t.keyBytes += arraySize(a)
			releaseAll(chunks)
			a.Retain()
			t.keyChunks[c] = []arrow.Array{a}
			arrs[c] = a
		}
	}
	return arrs, nil
}

func (t *groupTable) result(cols []types.Column) (arrow.Record, error) {
	arrs, err := t.keyArrays()
	if err != nil {
		return nil, err
	}
	defer func() { releaseAll(arrs) }()
	for _, a := range t.accs {
		r, err := a.Result()
		if err != nil {
			return nil, err
		}
		arrs = append(arrs, r)
	}
	return array.NewRecord(schemaOf(cols), arrs, int64(t.n)), nil
}

func (t *groupTable) release() {
	for _, chunks := range t.keyChunks {
		releaseAll(chunks)
	}
	t.keyChunks = nil
	for _, a := range t.accs {
		a.Release()
	}
	t.accs = nil
	t.ctx.Alloc.Reserve(-t.reserved)
	t.reserved, t.keyBytes = 0, 0
}

func (h *HashAggregate) Close() error {
	h.rel.drop()
	h.stop()
	return nil
}
