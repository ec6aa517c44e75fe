package exec

import (
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/function"
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
type HashAggregate struct {
	Input   Factory
	Workers int
	GroupBy []Expr
	Aggs    []AggSpec
	Cols    []types.Column

	out  arrow.Record
	pos  int64
	rel  releaser
	done bool
}

var _ Operator = (*HashAggregate)(nil)

func (h *HashAggregate) Columns() []types.Column { return h.Cols }

func (h *HashAggregate) Open(ctx *Context) error { return nil }

func (h *HashAggregate) Next(ctx *Context) (arrow.Record, error) {
	h.rel.drop()
	if h.out == nil && !h.done {
		if err := h.compute(ctx); err != nil {
			h.done = true
			return nil, err
		}
	}
	if h.out == nil || h.pos >= h.out.NumRows() {
		h.done = true
		return nil, nil
	}
	end := min(h.pos+int64(batchRows), h.out.NumRows())
	b := h.out.NewSlice(h.pos, end)
	h.pos = end
	return h.rel.hold(b), nil
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
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		tables[w] = h.newTable(ctx)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			errs[w] = h.runWorker(ctx, inputs[w], tables[w])
		}(w)
	}
	wg.Wait()
	defer func() {
		for _, t := range tables {
			t.release()
		}
	}()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	final := tables[0]
	for _, t := range tables[1:] {
		if err := final.merge(t); err != nil {
			return err
		}
	}
	if len(h.GroupBy) == 0 && final.numGroups() == 0 {
		final.lookupOrInsert("", nil, 0)
	}
	h.out, err = final.result(h.Cols)
	return err
}

func (h *HashAggregate) runWorker(ctx *Context, in Operator, t *groupTable) (err error) {
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
		if err := t.add(ctx, b); err != nil {
			return err
		}
	}
}

func (h *HashAggregate) newTable(ctx *Context) *groupTable {
	t := &groupTable{h: h, ctx: ctx, index: map[string]uint32{}}
	t.keyBuilders = make([]array.Builder, len(h.GroupBy))
	for i, g := range h.GroupBy {
		t.keyBuilders[i] = array.NewBuilder(ctx.Alloc, g.Type().Arrow())
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
		t.lookupOrInsert("", nil, 0)
	}
	return t
}

// groupTable is one worker's groups: key → dense group id, the key values,
// and one accumulator per aggregate.
type groupTable struct {
	h           *HashAggregate
	ctx         *Context
	index       map[string]uint32
	keys        []string
	keyBuilders []array.Builder
	accs        []function.GroupAccumulator
	enc         keyEncoder
	groups      []uint32
}

func (t *groupTable) numGroups() int { return len(t.keys) }

func (t *groupTable) lookupOrInsert(key string, keyCols []arrow.Array, row int) (uint32, error) {
	if id, ok := t.index[key]; ok {
		return id, nil
	}
	id := uint32(len(t.keys))
	t.index[key] = id
	t.keys = append(t.keys, key)
	t.ctx.Alloc.Reserve(int64(len(key)) + 48)
	for i, b := range t.keyBuilders {
		if err := AppendValue(b, keyCols[i], row); err != nil {
			return 0, err
		}
	}
	for _, a := range t.accs {
		a.Resize(len(t.keys))
	}
	return id, nil
}

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
		if _, err := t.enc.encode(keyCols, n); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			k := t.enc.key(i)
			if id, ok := t.index[string(k)]; ok {
				groups[i] = id
				continue
			}
			id, err := t.lookupOrInsert(string(k), keyCols, i)
			if err != nil {
				return err
			}
			groups[i] = id
		}
	} else {
		for i := range groups {
			groups[i] = 0
		}
	}
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
	keyCols := make([]arrow.Array, len(o.keyBuilders))
	for i, b := range o.keyBuilders {
		keyCols[i] = b.NewArray()
	}
	defer releaseAll(keyCols)
	mapping := make([]uint32, len(o.keys))
	for j, k := range o.keys {
		id, err := t.lookupOrInsert(k, keyCols, j)
		if err != nil {
			return err
		}
		mapping[j] = id
	}
	for i, a := range t.accs {
		if err := a.Merge(o.accs[i], mapping); err != nil {
			return err
		}
	}
	return nil
}

func (t *groupTable) result(cols []types.Column) (arrow.Record, error) {
	arrs := make([]arrow.Array, 0, len(cols))
	defer func() { releaseAll(arrs) }()
	for _, b := range t.keyBuilders {
		arrs = append(arrs, b.NewArray())
	}
	for _, a := range t.accs {
		r, err := a.Result()
		if err != nil {
			return nil, err
		}
		arrs = append(arrs, r)
	}
	return array.NewRecord(schemaOf(cols), arrs, int64(len(t.keys))), nil
}

func (t *groupTable) release() {
	for _, b := range t.keyBuilders {
		b.Release()
	}
	for _, a := range t.accs {
		a.Release()
	}
	t.ctx.Alloc.Reserve(-int64(len(t.keys)) * 48)
	for _, k := range t.keys {
		t.ctx.Alloc.Reserve(-int64(len(k)))
	}
	t.keys = nil
}

func (h *HashAggregate) Close() error {
	h.rel.drop()
	if h.out != nil {
		h.out.Release()
		h.out = nil
	}
	return nil
}
