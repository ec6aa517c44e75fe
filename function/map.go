package function

// Map functions with Trino's semantics: map(), map(keys, values),
// map_from_entries, map_entries, map_keys, map_values, map_concat, and the
// map forms of the subscript operator and element_at (bound from array.go,
// which dispatches on the first argument). Maps are Arrow Map arrays; keys
// are never NULL and unique within a map, which the constructors enforce
// with Trino's errors.

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

func init() { extraRegistrations = append(extraRegistrations, registerMaps) }

func registerMaps(r *Registry) {
	r.AddScalar(&Scalar{Name: "map", Bind: mpBindMap})
	r.AddScalar(&Scalar{Name: "map_from_entries", Bind: mpBindFromEntries})
	r.AddScalar(&Scalar{Name: "map_entries", Bind: mpBindEntries})
	r.AddScalar(&Scalar{Name: "map_keys", Bind: mpBindKeysOrValues("map_keys", true)})
	r.AddScalar(&Scalar{Name: "map_values", Bind: mpBindKeysOrValues("map_values", false)})
	r.AddScalar(&Scalar{Name: "map_concat", Bind: mpBindConcat})
}

// mpView is a read view of a map argument: row i holds entries offs[i] to
// offs[i+1] of keys and items.
type mpView struct {
	arrList
	keys, items arrow.Array
}

// mpViewOf views a Map array; any other array (the NULL type) reads as
// all-NULL rows.
func mpViewOf(a arrow.Array) mpView {
	l := arrListOf(a)
	st, ok := l.child.(*array.Struct)
	if !ok {
		return mpView{arrList: l, keys: arrNoChild, items: arrNoChild}
	}
	// Struct fields are sliced to the struct's offset, as the list offsets
	// expect.
	return mpView{arrList: l, keys: st.Field(0), items: st.Field(1)}
}

// mpOut accumulates a map result row by row.
type mpOut struct {
	offs   []int32
	kp, vp []arrPick
	nulls  []bool
}

func newMpOut(n, hint int) *mpOut {
	return &mpOut{offs: make([]int32, 1, n+1), kp: make([]arrPick, 0, hint), vp: make([]arrPick, 0, hint)}
}

func (o *mpOut) add(ksrc, krow, vsrc, vrow int) {
	o.kp = append(o.kp, arrPick{int32(ksrc), int32(krow)})
	o.vp = append(o.vp, arrPick{int32(vsrc), int32(vrow)})
}

func (o *mpOut) end() { o.offs = append(o.offs, int32(len(o.kp))) }

func (o *mpOut) null() {
	n := len(o.offs) - 1
	for len(o.nulls) < n {
		o.nulls = append(o.nulls, false)
	}
	o.nulls = append(o.nulls, true)
	o.kp, o.vp = o.kp[:o.offs[n]], o.vp[:o.offs[n]]
	o.end()
}

// finish builds the map array of type dt from the keys of ksrcs and the
// values of vsrcs.
func (o *mpOut) finish(ctx *Context, dt arrow.DataType, ksrcs, vsrcs []arrow.Array) arrow.Array {
	mt := dt.(*arrow.MapType)
	keys := arrGather(ctx.Alloc, mt.KeyType(), ksrcs, o.kp)
	defer keys.Release()
	items := arrGather(ctx.Alloc, mt.ItemType(), vsrcs, o.vp)
	defer items.Release()
	return mpNewMap(ctx.Alloc, mt, o.offs, o.nulls, keys, items)
}

// mpNewMap assembles a map array from offsets, NULL flags, keys and items.
func mpNewMap(mem memory.Allocator, mt *arrow.MapType, offs []int32, nulls []bool, keys, items arrow.Array) arrow.Array {
	st := array.NewData(mt.Elem(), keys.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{keys.Data(), items.Data()}, 0, 0)
	defer st.Release()
	return arrNewList(mem, mt, offs, nulls, st)
}

// mpKeyText renders row i of a key column for error messages.
func mpKeyText(ctx *Context, t types.Type, a arrow.Array, i int) string {
	k, err := Cast(t, types.VarcharType, false)
	if err != nil {
		return "?"
	}
	one := array.NewSlice(a, int64(i), int64(i+1))
	defer one.Release()
	s, err := k(ctx, one)
	if err != nil {
		return "?"
	}
	defer s.Release()
	if v, ok := s.(*array.String); ok && v.IsValid(0) {
		return v.Value(0)
	}
	return "?"
}

// mpDedup checks the keys of one map under construction: none NULL and
// all distinct, with Trino's messages.
type mpDedup struct {
	seen map[string]struct{}
}

func (d *mpDedup) reset() {
	if d.seen == nil {
		d.seen = map[string]struct{}{}
	}
	clear(d.seen)
}

func (d *mpDedup) admit(ctx *Context, t types.Type, keys arrow.Array, kv bitmap, key func(int) string, j int) error {
	if !kv.valid(j) {
		return fmt.Errorf("map key cannot be null")
	}
	k := key(j)
	if _, dup := d.seen[k]; dup {
		return fmt.Errorf("Duplicate map keys (%s) are not allowed", mpKeyText(ctx, t, keys, j))
	}
	d.seen[k] = struct{}{}
	return nil
}

// ---- constructors -------------------------------------------------------------

// mpBindMap binds map() (an empty map(unknown, unknown)) and
// map(array(K), array(V)).
func mpBindMap(args []types.Type) (Binding, error) {
	expected := []string{"map()", "map(array(K), array(V))"}
	if len(args) == 0 {
		rt := types.MapOf(types.UnknownType, types.UnknownType)
		return Binding{Args: nil, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			o := newMpOut(n, 0)
			for range n {
				o.end()
			}
			return o.finish(ctx, rt.Arrow(), nil, nil), nil
		}}, nil
	}
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("map", args, expected...)
	}
	kt, ok1 := arrElem(args[0])
	vt, ok2 := arrElem(args[1])
	if !ok1 || !ok2 || !arrComparable(kt) {
		return Binding{}, UnexpectedParams("map", args, expected...)
	}
	rt := types.MapOf(kt, vt)
	return Binding{Args: []types.Type{types.ArrayOf(kt), types.ArrayOf(vt)}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		kl, vl := arrListOf(in[0]), arrListOf(in[1])
		key, kv := arrKeyer(kt, kl.child), validity(kl.child)
		o := newMpOut(n, kl.child.Len())
		var d mpDedup
		for i := range n {
			if !kl.valid.valid(i) || !vl.valid.valid(i) {
				o.null()
				continue
			}
			klo, khi := kl.bounds(i)
			vlo, vhi := vl.bounds(i)
			if khi-klo != vhi-vlo {
				return nil, fmt.Errorf("Key and value arrays must be the same length")
			}
			d.reset()
			for j := klo; j < khi; j++ {
				if err := d.admit(ctx, kt, kl.child, kv, key, j); err != nil {
					return nil, err
				}
				o.add(0, j, 0, vlo+j-klo)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), []arrow.Array{kl.child}, []arrow.Array{vl.child}), nil
	}}, nil
}

// mpBindFromEntries binds map_from_entries(array(row(K, V))).
func mpBindFromEntries(args []types.Type) (Binding, error) {
	expected := "map_from_entries(array(row(K,V)))"
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("map_from_entries", args, expected)
	}
	et, ok := arrElem(args[0])
	if !ok || et.Kind != types.Row || len(et.Fields) != 2 || !arrComparable(et.Fields[0].Type) {
		return Binding{}, UnexpectedParams("map_from_entries", args, expected)
	}
	kt, vt := et.Fields[0].Type, et.Fields[1].Type
	rt := types.MapOf(kt, vt)
	return Binding{Args: []types.Type{args[0]}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		ev := validity(l.child)
		keys, items := arrNoChild, arrNoChild
		if st, ok := l.child.(*array.Struct); ok {
			keys, items = st.Field(0), st.Field(1)
		}
		key, kv := arrKeyer(kt, keys), validity(keys)
		o := newMpOut(n, l.child.Len())
		var d mpDedup
		for i := range n {
			if !l.valid.valid(i) {
				o.null()
				continue
			}
			d.reset()
			lo, hi := l.bounds(i)
			for j := lo; j < hi; j++ {
				if !ev.valid(j) {
					return nil, fmt.Errorf("map entry cannot be null")
				}
				if err := d.admit(ctx, kt, keys, kv, key, j); err != nil {
					return nil, err
				}
				o.add(0, j, 0, j)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), []arrow.Array{keys}, []arrow.Array{items}), nil
	}}, nil
}

// ---- views of a map ----------------------------------------------------------

// mpArg returns the map type of a map argument; a bare NULL counts as
// map(unknown, unknown).
func mpArg(t types.Type) (types.Type, bool) {
	switch t.Kind {
	case types.Map:
		return t, true
	case types.Unknown:
		return types.MapOf(types.UnknownType, types.UnknownType), true
	}
	return types.Type{}, false
}

// mpNullFlags returns per-row NULL flags of a view (nil: none).
func mpNullFlags(l arrList, n int) []bool {
	var nulls []bool
	for i := range n {
		if !l.valid.valid(i) {
			if nulls == nil {
				nulls = make([]bool, n)
			}
			nulls[i] = true
		}
	}
	return nulls
}

// mpBindEntries binds map_entries(map(K, V)) → array(row(K, V)); the
// result shares the map's buffers.
func mpBindEntries(args []types.Type) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("map_entries", args, "map_entries(map(K,V))")
	}
	mt, ok := mpArg(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("map_entries", args, "map_entries(map(K,V))")
	}
	rowT := types.RowOf(types.Field{Type: *mt.Key}, types.Field{Type: *mt.Elem})
	rt := types.ArrayOf(rowT)
	return Binding{Args: []types.Type{mt}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		m := mpViewOf(in[0])
		keys, items := m.keys, m.items
		if keys.DataType().ID() == arrow.NULL && mt.Key.Kind != types.Unknown {
			keys = array.MakeArrayOfNull(ctx.Alloc, mt.Key.Arrow(), 0)
			defer keys.Release()
			items = array.MakeArrayOfNull(ctx.Alloc, mt.Elem.Arrow(), 0)
			defer items.Release()
		}
		st := array.NewData(rowT.Arrow(), keys.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{keys.Data(), items.Data()}, 0, 0)
		defer st.Release()
		return arrNewList(ctx.Alloc, rt.Arrow(), m.offs, mpNullFlags(m.arrList, n), st), nil
	}}, nil
}

// mpBindKeysOrValues binds map_keys and map_values; the result shares the
// map's buffers.
func mpBindKeysOrValues(name string, keys bool) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		if len(args) != 1 {
			return Binding{}, UnexpectedParams(name, args, name+"(map(K,V))")
		}
		mt, ok := mpArg(args[0])
		if !ok {
			return Binding{}, UnexpectedParams(name, args, name+"(map(K,V))")
		}
		et := *mt.Elem
		if keys {
			et = *mt.Key
		}
		rt := types.ArrayOf(et)
		return Binding{Args: []types.Type{mt}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			m := mpViewOf(in[0])
			child := m.items
			if keys {
				child = m.keys
			}
			if child.DataType().ID() == arrow.NULL && et.Kind != types.Unknown {
				child = array.MakeArrayOfNull(ctx.Alloc, et.Arrow(), 0)
				defer child.Release()
			}
			return arrNewList(ctx.Alloc, rt.Arrow(), m.offs, mpNullFlags(m.arrList, n), child.Data()), nil
		}}, nil
	}
}

// mpBindConcat binds map_concat(map(K, V)...): the union of the maps, a
// key's value coming from the last map holding it; NULL when any map is
// NULL. As in Trino, the entries of the last map come first.
func mpBindConcat(args []types.Type) (Binding, error) {
	expected := "map_concat(map(K,V)...)"
	if len(args) < 2 {
		return Binding{}, fmt.Errorf("There must be two or more concatenation arguments to map_concat")
	}
	mt := types.UnknownType
	for _, a := range args {
		if a.Kind != types.Map && a.Kind != types.Unknown {
			return Binding{}, UnexpectedParams("map_concat", args, expected)
		}
		s, ok := types.CommonSuperType(mt, a)
		if !ok {
			return Binding{}, UnexpectedParams("map_concat", args, expected)
		}
		mt = s
	}
	if mt.Kind == types.Unknown {
		mt = types.MapOf(types.UnknownType, types.UnknownType)
	}
	kt := *mt.Key
	return Binding{Args: repeatType(mt, len(args)), Result: mt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		views := make([]mpView, len(in))
		keyers := make([]func(int) string, len(in))
		ks, vs := make([]arrow.Array, len(in)), make([]arrow.Array, len(in))
		total := 0
		for j, a := range in {
			views[j] = mpViewOf(a)
			keyers[j] = arrKeyer(kt, views[j].keys)
			ks[j], vs[j] = views[j].keys, views[j].items
			total += views[j].keys.Len()
		}
		o := newMpOut(n, total)
		seen := map[string]struct{}{}
	rows:
		for i := range n {
			for j := range views {
				if !views[j].valid.valid(i) {
					o.null()
					continue rows
				}
			}
			clear(seen)
			for j := len(views) - 1; j >= 0; j-- {
				lo, hi := views[j].bounds(i)
				for e := lo; e < hi; e++ {
					k := keyers[j](e)
					if _, dup := seen[k]; dup {
						continue
					}
					seen[k] = struct{}{}
					o.add(j, e, j, e)
				}
			}
			o.end()
		}
		return o.finish(ctx, mt.Arrow(), ks, vs), nil
	}}, nil
}

// ---- lookup -------------------------------------------------------------------

// mpBindLookup binds m[k] (strict: a missing key fails) and
// element_at(m, k) (a missing key is NULL). The key is compared in the
// common type of the map's keys and the argument; the map's keys are cast
// inside the kernel when they differ, so the map itself is never cast.
func mpBindLookup(name string, args []types.Type, strict bool) (Binding, error) {
	mt := args[0]
	kt, vt := *mt.Key, *mt.Elem
	s, ok := types.CommonSuperType(kt, args[1])
	if !ok || !types.CanCoerce(kt, s) {
		if strict {
			return Binding{}, fmt.Errorf("Cannot use '[]' on %s with key %s", mt, args[1])
		}
		return Binding{}, UnexpectedParams(name, args, "element_at(map(K,V), K)")
	}
	var castKeys Kernel1
	if !kt.Equal(s) {
		k, err := Cast(kt, s, false)
		if err != nil {
			return Binding{}, UnexpectedParams(name, args, "element_at(map(K,V), K)")
		}
		castKeys = k
	}
	vdt := vt.Arrow()
	return Binding{Args: []types.Type{mt, s}, Result: vt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		m := mpViewOf(in[0])
		keys := m.keys
		if castKeys != nil && keys.Len() > 0 {
			c, err := castKeys(ctx, keys)
			if err != nil {
				return nil, err
			}
			defer c.Release()
			keys = c
		}
		mk := arrKeyer(s, keys)
		ak, av := arrKeyer(s, in[1]), validity(in[1])
		picks := make([]arrPick, n)
		for i := range picks {
			picks[i].src = -1
			if !m.valid.valid(i) || !av.valid(i) {
				continue
			}
			want := ak(i)
			lo, hi := m.bounds(i)
			for j := lo; j < hi; j++ {
				if mk(j) == want {
					picks[i] = arrPick{0, int32(j)}
					break
				}
			}
			if picks[i].src < 0 && strict {
				return nil, fmt.Errorf("Key not present in map: %s", mpKeyText(ctx, s, in[1], i))
			}
		}
		return arrGather(ctx.Alloc, vdt, []arrow.Array{m.items}, picks), nil
	}}, nil
}
