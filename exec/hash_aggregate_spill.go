package exec

// Spilling hash aggregation (hybrid hash aggregation). The accumulators'
// partial states are opaque (function.GroupAccumulator can merge them but
// not write them out), so what goes to disk is input rows, not states:
//
//  1. A worker aggregates normally until the query's accounted memory
//     passes half the spill threshold. Its table is then frozen: rows of
//     groups it holds are still folded in; rows of other groups are
//     written, partitioned 16 ways by the top bits of their key hash, to
//     spill files (the input rows as they came, re-evaluated later).
//  2. The worker tables stay resident, unmerged (merging grows the result
//     by up to the others' groups, and doubles hash tables).
//  3. Each partition is aggregated on its own into a fresh table: a row
//     whose group a worker table holds goes to the first that does
//     (another worker had that group), any other to the partition's
//     table, which is complete when the partition ends, is emitted and
//     freed. If a partition's table outgrows its budget it freezes in
//     turn and spills its new groups' rows 16 ways by the next 4 bits of
//     the hash, up to aggMaxLevel.
//  4. The worker tables are merged and emitted last, when nothing else is
//     held.
//
// Every row is folded into exactly one table, and every group lives in
// either the worker tables or exactly one partition table, so results equal
// the in-memory ones for every aggregate, DISTINCT and order-sensitive ones
// included: a group's rows reach its table in input order (per worker).
// Memory stays near the threshold: the worker tables hold what they held
// when they froze (about half the threshold), a partition table what is
// left beside them (at least a quarter of the threshold), and the final
// merge about twice the worker tables.

import (
	"github.com/apache/arrow-go/v18/arrow"
)

const (
	aggPartBits = 4
	aggFanout   = 1 << aggPartBits
	// aggMaxLevel is the deepest partitioning; its tables no longer
	// freeze, and a group too large for memory fails with the memory
	// limit error there.
	aggMaxLevel = 4
)

// aggPartition is the spilled rows of one hash partition.
type aggPartition struct {
	files []*spillFile
	level int // which 4 bits of the hash, counted from the top, chose it
}

type aggSpill struct {
	files    spillSet
	pending  []aggPartition // a stack: sub-partitions right after their parent
	resident []*groupTable  // the frozen worker tables
}

func (s *aggSpill) release() {
	for _, t := range s.resident {
		if t != nil {
			t.release()
		}
	}
	s.resident = nil
	s.pending = nil
	s.files.removeAll()
}

// aggPartitioner writes rows to aggFanout spill files by key hash.
type aggPartitioner struct {
	set   *spillSet
	level int
	files [aggFanout]*spillFile
	order []int32
}

func (h *HashAggregate) newPartitioner(level int) *aggPartitioner {
	return &aggPartitioner{set: &h.spill.files, level: level}
}

// write appends rows rows of b, whose key hashes are hashes[row], to
// their partitions' files. The rows are gathered once, grouped by
// partition, and each partition's slice written.
func (p *aggPartitioner) write(ctx *Context, b arrow.Record, rows []int32, hashes []uint64) error {
	if len(rows) == 0 {
		return nil
	}
	shift := 64 - aggPartBits*p.level
	var start [aggFanout + 1]int
	for _, r := range rows {
		start[hashes[r]>>shift&(aggFanout-1)+1]++
	}
	for q := 1; q <= aggFanout; q++ {
		start[q] += start[q-1]
	}
	if cap(p.order) < len(rows) {
		p.order = make([]int32, len(rows))
	}
	order := p.order[:len(rows)]
	pos := start
	for _, r := range rows {
		q := hashes[r] >> shift & (aggFanout - 1)
		order[pos[q]] = r
		pos[q]++
	}
	rec := TakeRecord(ctx.Alloc, b, order)
	defer rec.Release()
	for q := 0; q < aggFanout; q++ {
		lo, hi := start[q], start[q+1]
		if lo == hi {
			continue
		}
		if p.files[q] == nil {
			f, err := p.set.create(ctx, "hash aggregate", b.Schema())
			if err != nil {
				return err
			}
			p.files[q] = f
		}
		sl := rec.NewSlice(int64(lo), int64(hi))
		err := p.files[q].write("hash aggregate", sl)
		sl.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// finish closes the partitions' files for reading.
func (p *aggPartitioner) finish(stats *SpillStats) error {
	for _, f := range p.files {
		if f == nil {
			continue
		}
		if err := f.finish("hash aggregate"); err != nil {
			return err
		}
		stats.add(f)
	}
	return nil
}

// lookup returns the group of row i of the loaded keys, if the table has
// it.
func (t *groupTable) lookup(i int) (uint32, bool) {
	bk := &t.keys
	switch t.layout {
	case layoutOne:
		return t.t1.find(bk.w0[i], bk.nm[i], bk.h[i])
	case layoutTwo:
		return t.t2.find(bk.w0[i], bk.w1[i], bk.nm[i], bk.h[i])
	}
	return t.tb.find(bk.enc.key(i), bk.h[i])
}

// route folds the rows of b whose groups the table holds into them, adding
// no group, and returns the other rows; their key hashes stay in t.keys.h
// until the table's next batch.
func (t *groupTable) route(ctx *Context, b arrow.Record) ([]int32, error) {
	n := int(b.NumRows())
	keyCols, err := evalAll(ctx, b, t.h.GroupBy)
	if err != nil {
		return nil, err
	}
	defer releaseAll(keyCols)
	if err := t.keys.load(keyCols, n); err != nil {
		return nil, err
	}
	if cap(t.groups) < n {
		t.groups = make([]uint32, n)
	}
	groups := t.groups[:0]
	found, missing := t.newRows[:0], t.missing[:0]
	for i := 0; i < n; i++ {
		if g, ok := t.lookup(i); ok {
			groups = append(groups, g)
			found = append(found, int32(i))
		} else {
			missing = append(missing, int32(i))
		}
	}
	t.newRows, t.missing = found, missing
	switch {
	case len(found) == n:
		err = t.update(ctx, b, groups)
	case len(found) > 0:
		sub := TakeRecord(ctx.Alloc, b, found)
		err = t.update(ctx, sub, groups)
		sub.Release()
	}
	return missing, err
}

// nextPartition aggregates pending partitions until one has groups, and
// returns its result; then the resident tables' merged; then nil.
func (h *HashAggregate) nextPartition(ctx *Context) (out arrow.Record, err error) {
	defer CatchResource(&err)
	sp := &h.spill
	for len(sp.pending) > 0 {
		p := sp.pending[len(sp.pending)-1]
		sp.pending = sp.pending[:len(sp.pending)-1]
		rec, err := h.aggregatePartition(ctx, p)
		if err != nil {
			return nil, err
		}
		if rec.NumRows() > 0 {
			return rec, nil
		}
		rec.Release()
	}
	if len(sp.resident) > 0 {
		tables := sp.resident
		sp.resident = nil
		defer func() {
			for _, t := range tables {
				if t != nil {
					t.release()
				}
			}
		}()
		t, err := mergeTables(tables)
		if err != nil {
			return nil, err
		}
		return t.result(h.Cols)
	}
	return nil, nil
}

func (h *HashAggregate) aggregatePartition(ctx *Context, p aggPartition) (arrow.Record, error) {
	t := h.newTable(ctx)
	defer t.release()
	th := ctx.Spill.Threshold
	budget := max(th-ctx.Alloc.Current(), th/4)
	sub := h.newPartitioner(p.level + 1)
	for _, f := range p.files {
		if err := h.aggregateFile(ctx, f, t, sub, p.level, budget); err != nil {
			return nil, err
		}
		h.spill.files.drop(f)
	}
	if err := sub.finish(&h.stats); err != nil {
		return nil, err
	}
	for q := len(sub.files) - 1; q >= 0; q-- {
		if f := sub.files[q]; f != nil {
			h.spill.pending = append(h.spill.pending, aggPartition{files: []*spillFile{f}, level: p.level + 1})
		}
	}
	return t.result(h.Cols)
}

// aggregateFile folds one spill file of a partition into t (and the
// resident tables), spilling again through sub once t is frozen.
func (h *HashAggregate) aggregateFile(ctx *Context, f *spillFile, t *groupTable, sub *aggPartitioner, level int, budget int64) error {
	r, err := f.open(ctx, "hash aggregate")
	if err != nil {
		return err
	}
	defer r.close()
	for {
		if err := ctx.Ctx.Err(); err != nil {
			return err
		}
		b, err := r.next()
		if err != nil || b == nil {
			return err
		}
		rest := b
		if level == 1 {
			for _, res := range h.spill.resident {
				missing, err := res.route(ctx, rest)
				if err != nil {
					if rest != b {
						rest.Release()
					}
					return err
				}
				if len(missing) < int(rest.NumRows()) {
					next := TakeRecord(ctx.Alloc, rest, missing)
					if rest != b {
						rest.Release()
					}
					rest = next
				}
				if rest.NumRows() == 0 {
					break
				}
			}
			if rest.NumRows() == 0 {
				if rest != b {
					rest.Release()
				}
				continue
			}
		}
		err = h.addSpilled(ctx, t, sub, rest, level, budget)
		if rest != b {
			rest.Release()
		}
		if err != nil {
			return err
		}
	}
}

func (h *HashAggregate) addSpilled(ctx *Context, t *groupTable, sub *aggPartitioner, b arrow.Record, level int, budget int64) error {
	if t.frozen {
		missing, err := t.route(ctx, b)
		if err != nil {
			return err
		}
		return sub.write(ctx, b, missing, t.keys.h)
	}
	if err := t.add(ctx, b); err != nil {
		return err
	}
	if level < aggMaxLevel && t.size() > budget {
		t.frozen = true
	}
	return nil
}
