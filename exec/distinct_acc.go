package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// distinctAcc implements agg(DISTINCT x): it keeps the set of distinct
// argument tuples per group and feeds each tuple to the inner accumulator
// once, when the result is asked for. Deferring the inner updates makes
// Merge a plain set union, so partial tables from several workers never
// count a value twice.
type distinctAcc struct {
	ctx      *Context
	inner    function.GroupAccumulator
	argTypes []types.Type
	seen     []map[string]struct{}
	// rows keeps the distinct tuples' values per argument, appended in
	// first-seen order, with their groups.
	builders []array.Builder
	groups   []uint32
	enc      keyEncoder
}

func newDistinctAcc(ctx *Context, inner function.GroupAccumulator, argTypes []types.Type) *distinctAcc {
	d := &distinctAcc{ctx: ctx, inner: inner, argTypes: argTypes}
	for _, t := range argTypes {
		d.builders = append(d.builders, array.NewBuilder(ctx.Alloc, t.Arrow()))
	}
	return d
}

func (d *distinctAcc) Resize(n int) {
	for len(d.seen) < n {
		d.seen = append(d.seen, nil)
	}
}

func (d *distinctAcc) Update(args []arrow.Array, groups []uint32) error {
	n := len(groups)
	anyNull, err := d.enc.encode(args, n)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if anyNull[i] {
			continue // aggregates ignore NULL inputs
		}
		g := groups[i]
		if d.seen[g] == nil {
			d.seen[g] = map[string]struct{}{}
		}
		k := d.enc.key(i)
		if _, ok := d.seen[g][string(k)]; ok {
			continue
		}
		d.seen[g][string(k)] = struct{}{}
		d.ctx.Alloc.Reserve(int64(len(k)) + 32)
		for j, b := range d.builders {
			if err := AppendValue(b, args[j], i); err != nil {
				return err
			}
		}
		d.groups = append(d.groups, g)
	}
	return nil
}

func (d *distinctAcc) Merge(other function.GroupAccumulator, groups []uint32) error {
	o := other.(*distinctAcc)
	arrs := make([]arrow.Array, len(o.builders))
	for i, b := range o.builders {
		arrs[i] = b.NewArray()
	}
	defer releaseAll(arrs)
	mapped := make([]uint32, len(o.groups))
	for i, g := range o.groups {
		mapped[i] = groups[g]
	}
	return d.Update(arrs, mapped)
}

func (d *distinctAcc) Result() (arrow.Array, error) {
	arrs := make([]arrow.Array, len(d.builders))
	for i, b := range d.builders {
		arrs[i] = b.NewArray()
	}
	defer releaseAll(arrs)
	d.inner.Resize(len(d.seen))
	if len(d.groups) > 0 {
		if err := d.inner.Update(arrs, d.groups); err != nil {
			return nil, err
		}
	}
	return d.inner.Result()
}

func (d *distinctAcc) Size() int64 { return d.inner.Size() }

func (d *distinctAcc) Release() {
	for _, b := range d.builders {
		b.Release()
	}
	d.inner.Release()
}
