package parquet

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/types"
)

type planKind uint8

const (
	pLeaf planKind = iota
	pStruct
	pList
	pMap
	pNull // absent from the file: all NULL
)

// plan is how one declared column (or nested field) is assembled from the
// file's leaves. Levels follow Dremel: a value is non-null when the
// definition level of its first entry reaches def; a list has elements
// when it reaches repDef, and each entry whose repetition level equals
// repLvl starts a new element.
type plan struct {
	kind     planKind
	dt       arrow.DataType
	def      int
	repDef   int
	repLvl   int
	children []*plan
	leaf     *leafReader
	// leaves are every reader under this node; first decides nullness.
	leaves []*leafReader
}

func (p *plan) first() *leafReader {
	if len(p.leaves) == 0 {
		return nil
	}
	return p.leaves[0]
}

// slots are, per leaf, the entry ranges [s[i], e[i]) holding value i of
// the node being built.
type slots struct{ s, e []int32 }

func pathOf(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// planFor matches declared type t against file node n. asElement is set
// when n is a repeated node standing for the element of its own list.
func planFor(t types.Type, n *pqNode, asElement bool, path string, mem memory.Allocator, batch int) (*plan, error) {
	dt := t.Arrow()
	if n != nil && n.isLeaf() {
		// A NULL-typed file column holds no values whatever it is declared as.
		if _, ok := n.logical().(*format.NullType); ok {
			n = nil
		}
	}
	if n == nil || t.Kind == types.Unknown {
		return &plan{kind: pNull, dt: dt}, nil
	}
	path = pathOf(path, n.name())
	mismatch := func() error {
		desc := "a group"
		if n.isLeaf() {
			desc = fileTypeString(n)
		}
		return fmt.Errorf("column %q is %s in the file but declared %s", path, desc, t)
	}
	if !asElement && n.repeated() {
		if t.Kind != types.Array {
			return nil, mismatch()
		}
		elem, err := planFor(*t.Elem, n, true, path[:max(len(path)-len(n.name())-1, 0)], mem, batch)
		if err != nil {
			return nil, err
		}
		return withLeaves(&plan{kind: pList, dt: dt, def: n.def - 1, repDef: n.def, repLvl: n.rep, children: []*plan{elem}}, n, mem), nil
	}
	switch t.Kind {
	case types.Array:
		if n.isLeaf() || !n.isList() {
			return nil, mismatch()
		}
		rep, e, err := n.listParts()
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", path, err)
		}
		elem, err := planFor(*t.Elem, e, e == rep, path, mem, batch)
		if err != nil {
			return nil, err
		}
		return withLeaves(&plan{kind: pList, dt: dt, def: n.def, repDef: rep.def, repLvl: rep.rep, children: []*plan{elem}}, n, mem), nil
	case types.Map:
		if n.isLeaf() || !n.isMap() {
			return nil, mismatch()
		}
		kv, k, v, err := n.mapParts()
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", path, err)
		}
		kp, err := planFor(*t.Key, k, false, path, mem, batch)
		if err != nil {
			return nil, err
		}
		vp, err := planFor(*t.Elem, v, false, path, mem, batch)
		if err != nil {
			return nil, err
		}
		return withLeaves(&plan{kind: pMap, dt: dt, def: n.def, repDef: kv.def, repLvl: kv.rep, children: []*plan{kp, vp}}, n, mem), nil
	case types.Row:
		if n.isLeaf() || n.isList() || n.isMap() {
			return nil, mismatch()
		}
		p := &plan{kind: pStruct, dt: dt, def: n.def}
		for _, f := range t.Fields {
			c, err := planFor(f.Type, n.child(f.Name), false, path, mem, batch)
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, c)
		}
		return withLeaves(p, n, mem), nil
	}
	if !n.isLeaf() {
		return nil, mismatch()
	}
	li, err := describeLeaf(n)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", path, err)
	}
	conv, err := converterFor(li, t)
	if err != nil {
		return nil, fmt.Errorf("column %q is %s in the file but declared %s: %w", path, fileTypeString(n), t, err)
	}
	l := newLeafReader(n, li, conv, storageWidth(t), mem)
	l.path = path
	l.out.reserve(batch)
	return &plan{kind: pLeaf, dt: dt, def: n.def, leaf: l, leaves: []*leafReader{l}}, nil
}

// withLeaves collects the readers under p; a group none of whose fields
// the table declares still needs one leaf to tell null from present, so
// it gets a levels-only probe.
func withLeaves(p *plan, n *pqNode, mem memory.Allocator) *plan {
	for _, c := range p.children {
		p.leaves = append(p.leaves, c.leaves...)
	}
	if len(p.leaves) == 0 {
		probe := n
		for !probe.isLeaf() && len(probe.children) > 0 {
			probe = probe.children[0]
		}
		if probe.isLeaf() {
			li, _ := describeLeaf(probe)
			l := newLeafReader(probe, li, nil, 1, mem)
			l.levelsOnly = true
			p.leaves = []*leafReader{l}
		}
	}
	return p
}

func allLeaves(ps []*plan) []*leafReader {
	var out []*leafReader
	for _, p := range ps {
		out = append(out, p.leaves...)
	}
	return out
}

// buildColumn assembles n rows of a top-level column from its leaves'
// accumulated levels and values.
func buildColumn(p *plan, n int, mem memory.Allocator) (arrow.ArrayData, error) {
	if p.kind == pLeaf && p.leaf.maxRep == 0 {
		return buildLeaf(p, n, nil, mem)
	}
	if p.kind == pNull {
		return nullData(p.dt, n, mem), nil
	}
	sl := make(map[*leafReader]slots, len(p.leaves))
	for _, l := range p.leaves {
		var s slots
		if l.maxRep == 0 {
			s.s = make([]int32, n)
			s.e = make([]int32, n)
			for i := range n {
				s.s[i], s.e[i] = int32(i), int32(i+1)
			}
		} else {
			s.s = make([]int32, 0, n)
			for i, r := range l.reps {
				if r == 0 {
					s.s = append(s.s, int32(i))
				}
			}
			if len(s.s) != n {
				return nil, fmt.Errorf("column %q: %d rows in a batch of %d", l.path, len(s.s), n)
			}
			s.e = make([]int32, n)
			for i := range n - 1 {
				s.e[i] = s.s[i+1]
			}
			if n > 0 {
				s.e[n-1] = int32(len(l.reps))
			}
		}
		sl[l] = s
	}
	return build(p, n, sl, mem)
}

func nullData(dt arrow.DataType, n int, mem memory.Allocator) arrow.ArrayData {
	a := array.MakeArrayOfNull(mem, dt, n)
	d := a.Data()
	d.Retain()
	a.Release()
	return d
}

func build(p *plan, n int, sl map[*leafReader]slots, mem memory.Allocator) (arrow.ArrayData, error) {
	switch p.kind {
	case pNull:
		return nullData(p.dt, n, mem), nil
	case pLeaf:
		s := sl[p.leaf]
		return buildLeaf(p, n, &s, mem)
	}
	var valid *memory.Buffer
	nulls := 0
	if f := p.first(); f != nil && p.def > 0 {
		s := sl[f]
		for i := range n {
			if int(f.defs[s.s[i]]) < p.def {
				nulls++
			}
		}
		if nulls > 0 {
			valid = memory.NewResizableBuffer(mem)
			valid.Resize(int(bitutil.BytesForBits(int64(n))))
			bits := valid.Bytes()
			clear(bits)
			for i := range n {
				if int(f.defs[s.s[i]]) >= p.def {
					bitutil.SetBit(bits, i)
				}
			}
		}
	}
	release := func() {
		if valid != nil {
			valid.Release()
		}
	}
	if p.kind == pStruct {
		children := make([]arrow.ArrayData, 0, len(p.children))
		for _, c := range p.children {
			d, err := build(c, n, sl, mem)
			if err != nil {
				for _, d := range children {
					d.Release()
				}
				release()
				return nil, err
			}
			children = append(children, d)
		}
		out := array.NewData(p.dt, n, []*memory.Buffer{valid}, children, nulls, 0)
		for _, d := range children {
			d.Release()
		}
		release()
		return out, nil
	}

	// List or map: split every leaf's slots into element slots.
	offsets := memory.NewResizableBuffer(mem)
	offsets.Resize((n + 1) * 4)
	offs := castSlice[int32](offsets.Bytes())
	child := make(map[*leafReader]slots, len(p.leaves))
	for k, l := range p.leaves {
		s := sl[l]
		var cs slots
		count := int32(0)
		for i := range n {
			a, b := s.s[i], s.e[i]
			if k == 0 {
				offs[i] = count
			} else if offs[i] != count {
				offsets.Release()
				release()
				return nil, fmt.Errorf("column %q: leaves disagree on list sizes", l.path)
			}
			if int(l.defs[a]) < p.repDef {
				continue
			}
			cs.s = append(cs.s, a)
			count++
			for q := a + 1; q < b; q++ {
				if int(l.reps[q]) == p.repLvl {
					cs.e = append(cs.e, q)
					cs.s = append(cs.s, q)
					count++
				}
			}
			cs.e = append(cs.e, b)
		}
		if k == 0 {
			offs[n] = count
		} else if offs[n] != count {
			offsets.Release()
			release()
			return nil, fmt.Errorf("column %q: leaves disagree on list sizes", l.path)
		}
		child[l] = cs
	}
	m := int(offs[n])
	var cd arrow.ArrayData
	var err error
	if p.kind == pList {
		cd, err = build(p.children[0], m, child, mem)
	} else {
		var kd, vd arrow.ArrayData
		if kd, err = build(p.children[0], m, child, mem); err == nil {
			if vd, err = build(p.children[1], m, child, mem); err == nil {
				entries := p.dt.(*arrow.MapType).Elem()
				cd = array.NewData(entries, m, []*memory.Buffer{nil}, []arrow.ArrayData{kd, vd}, 0, 0)
				vd.Release()
			}
			kd.Release()
		}
	}
	if err != nil {
		offsets.Release()
		release()
		return nil, err
	}
	out := array.NewData(p.dt, n, []*memory.Buffer{valid, offsets}, []arrow.ArrayData{cd}, nulls, 0)
	cd.Release()
	offsets.Release()
	release()
	return out, nil
}

// buildLeaf turns a leaf's dense values into an Arrow array of n slots,
// spreading values out in place (back to front) to make room for nulls.
// s is nil for a flat column, whose entries are its rows.
func buildLeaf(p *plan, n int, s *slots, mem memory.Allocator) (arrow.ArrayData, error) {
	l := p.leaf
	defAt := func(i int) byte { return l.defs[i] }
	if s != nil {
		defAt = func(i int) byte { return l.defs[s.s[i]] }
		for i := range n {
			if s.e[i]-s.s[i] != 1 {
				return nil, fmt.Errorf("column %q: value %d spans %d level entries", l.path, i, s.e[i]-s.s[i])
			}
		}
	}
	valid := (*memory.Buffer)(nil)
	present := n
	if l.maxDef > 0 {
		if s == nil && len(l.defs) != n {
			return nil, fmt.Errorf("column %q: %d levels for %d rows", l.path, len(l.defs), n)
		}
		valid = memory.NewResizableBuffer(mem)
		valid.Resize(int(bitutil.BytesForBits(int64(n))))
		bits := valid.Bytes()
		clear(bits)
		present = 0
		for i := range n {
			if defAt(i) == l.maxDef {
				bitutil.SetBit(bits, i)
				present++
			}
		}
		if present == n {
			valid.Release()
			valid = nil
		}
	}
	if l.out.n != present {
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("column %q: %d values for %d non-null slots", l.path, l.out.n, present)
	}
	var bits []byte
	if valid != nil {
		bits = valid.Bytes()
	}
	data, offs, m := l.out.take()
	l.out.reserve(n)
	var buffers []*memory.Buffer
	switch w := l.out.width; {
	case p.dt.ID() == arrow.BOOL:
		packed := memory.NewResizableBuffer(mem)
		packed.Resize(int(bitutil.BytesForBits(int64(n))))
		pb := packed.Bytes()
		clear(pb)
		src := data.Bytes()
		for i, j := 0, 0; i < n; i++ {
			if bits == nil || bitutil.BitIsSet(bits, i) {
				if src[j] != 0 {
					bitutil.SetBit(pb, i)
				}
				j++
			}
		}
		data.Release()
		buffers = []*memory.Buffer{valid, packed}
	case w == 0:
		if bits != nil {
			offs.Resize((n + 1) * 4)
			o := castSlice[int32](offs.Bytes())
			j := m - 1
			for i := n - 1; i >= 0; i-- {
				o[i+1] = o[j+1]
				if bitutil.BitIsSet(bits, i) {
					j--
				}
			}
		}
		buffers = []*memory.Buffer{valid, offs, data}
	default:
		if bits != nil {
			data.Resize(n * w)
			switch w {
			case 1:
				spread[uint8](data.Bytes(), bits, n, m)
			case 2:
				spread[uint16](data.Bytes(), bits, n, m)
			case 4:
				spread[uint32](data.Bytes(), bits, n, m)
			case 8:
				spread[uint64](data.Bytes(), bits, n, m)
			case 16:
				spread[[16]byte](data.Bytes(), bits, n, m)
			}
		}
		buffers = []*memory.Buffer{valid, data}
	}
	out := array.NewData(p.dt, n, buffers, nil, n-present, 0)
	for _, b := range buffers {
		if b != nil {
			b.Release()
		}
	}
	return out, nil
}

func spread[T any](b []byte, bits []byte, n, m int) {
	v := castSlice[T](b)
	var zero T
	j := m - 1
	for i := n - 1; i >= 0; i-- {
		if bitutil.BitIsSet(bits, i) {
			v[i] = v[j]
			j--
		} else {
			v[i] = zero
		}
	}
}
