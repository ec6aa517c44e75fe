package function

// arbitrary/any_value, array_agg and map_agg: aggregates that keep values
// of any type. Values live in an aggValueStore; groups hold indexes into
// it (array_agg and map_agg as linked lists, so groups cost no slice each).

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

func bindArbitrary(name string, args []types.Type) (AggBinding, error) {
	if len(args) != 1 {
		return AggBinding{}, UnexpectedParams(name, args, name+"(t)")
	}
	t := args[0]
	return AggBinding{Args: []types.Type{t}, Result: t, New: func(ctx *Context) GroupAccumulator {
		return &arbitraryAcc{ctx: ctx, typ: t, store: newAggValueStore(ctx, t.Arrow())}
	}}, nil
}

// arbitraryAcc keeps the first non-NULL value of each group.
type arbitraryAcc struct {
	ctx   *Context
	typ   types.Type
	store *aggValueStore
	idx   []int // -1: no value yet
}

func (a *arbitraryAcc) Resize(n int) {
	old := len(a.idx)
	a.idx = aggGrow(a.idx, n)
	for g := old; g < n; g++ {
		a.idx[g] = -1
	}
}

func (a *arbitraryAcc) Update(args []arrow.Array, groups []uint32) error {
	v := aggValidity(args[0])
	if v.allNull {
		return nil
	}
	for i, g := range groups {
		if a.idx[g] < 0 && v.valid(i) {
			a.idx[g] = a.store.add(args[0], i)
		}
	}
	a.store.seal()
	return nil
}

func (a *arbitraryAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*arbitraryAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		if a.idx[g] < 0 && o.idx[j] >= 0 {
			chunk, row := o.store.at(o.idx[j])
			a.idx[g] = a.store.add(chunk, row)
		}
	}
	a.store.seal()
	return nil
}

func (a *arbitraryAcc) Result() (arrow.Array, error) {
	b := array.NewBuilder(a.ctx.Alloc, a.typ.Arrow())
	defer b.Release()
	for _, k := range a.idx {
		if k < 0 {
			b.AppendNull()
			continue
		}
		chunk, row := a.store.at(k)
		aggAppendValue(b, chunk, row)
	}
	return b.NewArray(), nil
}

func (a *arbitraryAcc) Size() int64 { return int64(cap(a.idx))*8 + a.store.size() }
func (a *arbitraryAcc) Release()    { a.store.release(); a.idx = nil }

// ---- array_agg ----------------------------------------------------------------

func bindArrayAgg(args []types.Type) (AggBinding, error) {
	if len(args) != 1 {
		return AggBinding{}, UnexpectedParams("array_agg", args, "array_agg(t)")
	}
	t := args[0]
	return AggBinding{Args: []types.Type{t}, Result: types.ArrayOf(t), OrderSensitive: true, New: func(ctx *Context) GroupAccumulator {
		return &collectAcc{ctx: ctx, result: types.ArrayOf(t), vals: newAggValueStore(ctx, t.Arrow())}
	}}, nil
}

func bindMapAgg(args []types.Type) (AggBinding, error) {
	if len(args) != 2 {
		return AggBinding{}, UnexpectedParams("map_agg", args, "map_agg(K, V)")
	}
	k, v := args[0], args[1]
	if k.Kind == types.Unknown {
		return AggBinding{}, UnexpectedParams("map_agg", args, "map_agg(K, V)")
	}
	return AggBinding{Args: []types.Type{k, v}, Result: types.MapOf(k, v), New: func(ctx *Context) GroupAccumulator {
		return &collectAcc{ctx: ctx, result: types.MapOf(k, v), isMap: true,
			keys: newAggValueStore(ctx, k.Arrow()), vals: newAggValueStore(ctx, v.Arrow())}
	}}, nil
}

// collectAcc collects the values of each group in input order (array_agg)
// or its key/value pairs, first key wins (map_agg).
type collectAcc struct {
	ctx    *Context
	result types.Type
	isMap  bool
	keys   *aggValueStore // map_agg only; same indexes as vals
	vals   *aggValueStore

	head, tail []int // per group, -1 when empty
	next       []int // per stored value
	counts     []int
	seen       []map[string]struct{} // map_agg: keys per group
	seenBytes  int64
}

func (a *collectAcc) Resize(n int) {
	old := len(a.head)
	a.head, a.tail, a.counts = aggGrow(a.head, n), aggGrow(a.tail, n), aggGrow(a.counts, n)
	for g := old; g < n; g++ {
		a.head[g], a.tail[g] = -1, -1
	}
	if a.isMap {
		a.seen = aggGrow(a.seen, n)
	}
}

// link appends stored value k to group g.
func (a *collectAcc) link(g uint32, k int) {
	a.next = append(a.next, -1)
	if a.tail[g] < 0 {
		a.head[g] = k
	} else {
		a.next[a.tail[g]] = k
	}
	a.tail[g] = k
	a.counts[g]++
}

// admitKey records a map key for group g, reporting whether it is new.
func (a *collectAcc) admitKey(g uint32, keys arrow.Array, i int) bool {
	s := keys.ValueStr(i)
	m := a.seen[g]
	if m == nil {
		m = map[string]struct{}{}
		a.seen[g] = m
	}
	if _, dup := m[s]; dup {
		return false
	}
	m[s] = struct{}{}
	a.seenBytes += int64(len(s)) + 48
	return true
}

func (a *collectAcc) Update(args []arrow.Array, groups []uint32) error {
	if !a.isMap {
		for i, g := range groups {
			a.link(g, a.vals.add(args[0], i))
		}
		a.vals.seal()
		return nil
	}
	kv := aggValidity(args[0])
	for i, g := range groups {
		if !kv.valid(i) || !a.admitKey(g, args[0], i) {
			continue
		}
		a.keys.add(args[0], i)
		a.link(g, a.vals.add(args[1], i))
	}
	a.keys.seal()
	a.vals.seal()
	return nil
}

func (a *collectAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*collectAcc)
	if !ok || o.isMap != a.isMap {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		for k := o.head[j]; k >= 0; k = o.next[k] {
			vc, vr := o.vals.at(k)
			if a.isMap {
				kc, kr := o.keys.at(k)
				if !a.admitKey(g, kc, kr) {
					continue
				}
				a.keys.add(kc, kr)
			}
			a.link(g, a.vals.add(vc, vr))
		}
	}
	if a.isMap {
		a.keys.seal()
	}
	a.vals.seal()
	return nil
}

func (a *collectAcc) Result() (arrow.Array, error) {
	bld := array.NewBuilder(a.ctx.Alloc, a.result.Arrow())
	defer bld.Release()
	switch b := bld.(type) {
	case *array.ListBuilder:
		for g, h := range a.head {
			if a.counts[g] == 0 {
				b.AppendNull()
				continue
			}
			b.Append(true)
			for k := h; k >= 0; k = a.next[k] {
				c, r := a.vals.at(k)
				aggAppendValue(b.ValueBuilder(), c, r)
			}
		}
	case *array.MapBuilder:
		for g, h := range a.head {
			if a.counts[g] == 0 {
				b.AppendNull()
				continue
			}
			b.Append(true)
			for k := h; k >= 0; k = a.next[k] {
				kc, kr := a.keys.at(k)
				aggAppendValue(b.KeyBuilder(), kc, kr)
				vc, vr := a.vals.at(k)
				aggAppendValue(b.ItemBuilder(), vc, vr)
			}
		}
	default:
		return nil, fmt.Errorf("BUG: collect into %s", a.result)
	}
	return bld.NewArray(), nil
}

func (a *collectAcc) Size() int64 {
	s := int64(cap(a.head)+cap(a.tail)+cap(a.next)+cap(a.counts))*8 + a.vals.size() + a.seenBytes
	if a.keys != nil {
		s += a.keys.size()
	}
	return s
}

func (a *collectAcc) Release() {
	a.vals.release()
	if a.keys != nil {
		a.keys.release()
	}
	a.head, a.tail, a.next, a.counts, a.seen = nil, nil, nil, nil, nil
}
