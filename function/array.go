package function

// Array functions with Trino's semantics: the ARRAY[...] constructor, the
// subscript operator, element_at (arrays and maps), cardinality and the
// array_* family, sequence, slice and repeat.
//
// Arrays are Arrow List arrays; a kernel reads the offsets and the child
// values directly and builds its result as new offsets plus a child
// gathered from the argument children (arrGather), so elements of any type,
// nested ones included, move without per-type code in each function.
// Element equality (distinct, contains, set operations, map keys) goes
// through arrKeyer, which maps an element to a byte string equal exactly
// for values that are not distinct; ordering goes through arrComparer.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

func init() { extraRegistrations = append(extraRegistrations, registerArrays) }

func registerArrays(r *Registry) {
	r.AddScalar(&Scalar{Name: "array_constructor", Bind: arrBindConstructor})
	r.AddScalar(&Scalar{Name: "$subscript", Bind: arrBindSubscript})
	r.AddScalar(&Scalar{Name: "element_at", Bind: arrBindElementAt})
	r.AddScalar(&Scalar{Name: "cardinality", Bind: arrBindCardinality})
	r.AddScalar(&Scalar{Name: "contains", Bind: arrBindContains})
	r.AddScalar(&Scalar{Name: "array_position", Bind: arrBindPosition})
	r.AddScalar(&Scalar{Name: "array_remove", Bind: arrBindRemove})
	r.AddScalar(&Scalar{Name: "array_join", Bind: arrBindJoin})
	r.AddScalar(&Scalar{Name: "array_distinct", Bind: arrBindDistinct})
	r.AddScalar(&Scalar{Name: "array_max", Bind: arrBindExtreme("array_max", 1)})
	r.AddScalar(&Scalar{Name: "array_min", Bind: arrBindExtreme("array_min", -1)})
	r.AddScalar(&Scalar{Name: "array_sort", Bind: arrBindSort})
	r.AddScalar(&Scalar{Name: "array_union", Bind: arrBindSetOp("array_union", arrUnion)})
	r.AddScalar(&Scalar{Name: "array_intersect", Bind: arrBindSetOp("array_intersect", arrIntersect)})
	r.AddScalar(&Scalar{Name: "array_except", Bind: arrBindSetOp("array_except", arrExcept)})
	r.AddScalar(&Scalar{Name: "arrays_overlap", Bind: arrBindOverlap})
	r.AddScalar(&Scalar{Name: "flatten", Bind: arrBindFlatten})
	r.AddScalar(&Scalar{Name: "sequence", Bind: arrBindSequence})
	r.AddScalar(&Scalar{Name: "slice", Bind: arrBindSlice})
	r.AddScalar(&Scalar{Name: "repeat", Bind: arrBindRepeat})
}

// arrMaxElements bounds the arrays built by sequence and repeat, as Trino.
const arrMaxElements = 10_000

// ---- binding helpers ----------------------------------------------------------

// arrElem returns the element type of an array argument; a bare NULL
// counts as array(unknown).
func arrElem(t types.Type) (types.Type, bool) {
	switch t.Kind {
	case types.Array:
		return *t.Elem, true
	case types.Unknown:
		return types.UnknownType, true
	}
	return types.Type{}, false
}

// arrIntArg reports whether t passes as a bigint index or count.
func arrIntArg(t types.Type) bool { return t.IsInteger() || t.Kind == types.Unknown }

// arrStringArg returns the varchar type a string argument is bound to.
func arrStringArg(t types.Type) (types.Type, bool) {
	switch t.Kind {
	case types.Varchar:
		return t, true
	case types.Char, types.Unknown:
		return types.VarcharType, true
	}
	return types.Type{}, false
}

// arrComparable reports whether values of t can be tested for equality.
func arrComparable(t types.Type) bool {
	switch t.Kind {
	case types.JSON:
		return false
	case types.Array:
		return arrComparable(*t.Elem)
	case types.Map:
		return arrComparable(*t.Key) && arrComparable(*t.Elem)
	case types.Row:
		for _, f := range t.Fields {
			if !arrComparable(f.Type) {
				return false
			}
		}
	}
	return true
}

// ---- reading lists ----------------------------------------------------------

// arrList is a read view of a list (or map) argument: row i holds child
// elements offs[i] to offs[i+1] (absolute indexes into child).
type arrList struct {
	offs  []int32
	valid bitmap
	child arrow.Array
}

var arrNoChild arrow.Array = array.NewNull(0)

// arrListOf views a List or Map array; any other array (the NULL type)
// reads as all-NULL rows with no elements.
func arrListOf(a arrow.Array) arrList {
	var l *array.List
	switch x := a.(type) {
	case *array.List:
		l = x
	case *array.Map:
		l = x.List
	default:
		return arrList{offs: make([]int32, a.Len()+1), valid: bitmap{bits: allNullBits[:], offset: -1}, child: arrNoChild}
	}
	o := l.Offsets()
	if len(o) == 0 {
		o = make([]int32, a.Len()+1)
	} else {
		off := l.Data().Offset()
		o = o[off : off+a.Len()+1]
	}
	return arrList{offs: o, valid: validity(a), child: l.ListValues()}
}

func (l arrList) bounds(i int) (int, int) { return int(l.offs[i]), int(l.offs[i+1]) }

// ---- element keys and order -------------------------------------------------

// arrKeyer returns a function giving the key of non-NULL element i of a
// (values of type t): two elements have the same key exactly when they are
// not distinct, so NaN matches NaN and -0 matches 0 as in Trino's distinct
// and set functions. Keys alias a's buffers or scratch memory: they must
// not outlive a.
func arrKeyer(t types.Type, a arrow.Array) func(i int) string {
	if a.DataType().ID() == arrow.NULL || a.Len() == 0 {
		return func(int) string { return "" }
	}
	switch t.Kind {
	case types.Boolean:
		bv := boolValues(a)
		return func(i int) string {
			if bv.valid(i) {
				return "\x01"
			}
			return "\x00"
		}
	case types.Real:
		vs := values[float32](a)
		c := make([]uint32, len(vs))
		for i, v := range vs {
			switch {
			case v != v:
				c[i] = 0x7fc00000
			case v == 0:
				c[i] = 0
			default:
				c[i] = math.Float32bits(v)
			}
		}
		return func(i int) string { return unsafe.String((*byte)(unsafe.Pointer(&c[i])), 4) }
	case types.Double:
		vs := values[float64](a)
		c := make([]uint64, len(vs))
		for i, v := range vs {
			switch {
			case v != v:
				c[i] = 0x7ff8000000000001
			case v == 0:
				c[i] = 0
			default:
				c[i] = math.Float64bits(v)
			}
		}
		return func(i int) string { return unsafe.String((*byte)(unsafe.Pointer(&c[i])), 8) }
	case types.Varchar, types.Char, types.Varbinary, types.JSON:
		return stringsOf(a).at
	case types.Array:
		l := arrListOf(a)
		ck, cv := arrKeyer(*t.Elem, l.child), validity(l.child)
		return arrEncoded(a.Len(), func(dst []byte, i int) []byte {
			lo, hi := l.bounds(i)
			dst = binary.AppendUvarint(dst, uint64(hi-lo))
			for j := lo; j < hi; j++ {
				dst = arrAppendKey(dst, cv.valid(j), ck, j)
			}
			return dst
		})
	case types.Map:
		m := mpViewOf(a)
		kk, vk, vv := arrKeyer(*t.Key, m.keys), arrKeyer(*t.Elem, m.items), validity(m.items)
		return arrEncoded(a.Len(), func(dst []byte, i int) []byte {
			lo, hi := m.bounds(i)
			dst = binary.AppendUvarint(dst, uint64(hi-lo))
			for j := lo; j < hi; j++ {
				dst = arrAppendKey(dst, true, kk, j)
				dst = arrAppendKey(dst, vv.valid(j), vk, j)
			}
			return dst
		})
	case types.Row:
		st := a.(*array.Struct)
		fk := make([]func(int) string, len(t.Fields))
		fv := make([]bitmap, len(t.Fields))
		for f := range t.Fields {
			fk[f], fv[f] = arrKeyer(t.Fields[f].Type, st.Field(f)), validity(st.Field(f))
		}
		return arrEncoded(a.Len(), func(dst []byte, i int) []byte {
			for f := range fk {
				dst = arrAppendKey(dst, fv[f].valid(i), fk[f], i)
			}
			return dst
		})
	}
	fw, ok := a.DataType().(arrow.FixedWidthDataType)
	if !ok || fw.BitWidth() < 8 {
		panic(fmt.Sprintf("BUG: no element key for %s", t))
	}
	w := fw.BitWidth() / 8
	raw := a.Data().Buffers()[1].Bytes()[a.Data().Offset()*w:]
	return func(i int) string { return unsafe.String(&raw[i*w], w) }
}

// arrAppendKey appends a length-prefixed nested key (or a NULL marker).
func arrAppendKey(dst []byte, valid bool, key func(int) string, i int) []byte {
	if !valid {
		return append(dst, 0)
	}
	k := key(i)
	dst = append(dst, 1)
	dst = binary.AppendUvarint(dst, uint64(len(k)))
	return append(dst, k...)
}

// arrEncoded precomputes the keys of n nested values into one buffer.
func arrEncoded(n int, enc func(dst []byte, i int) []byte) func(i int) string {
	var buf []byte
	ends := make([]int, n)
	for i := range n {
		buf = enc(buf, i)
		ends[i] = len(buf)
	}
	return func(i int) string {
		lo := 0
		if i > 0 {
			lo = ends[i-1]
		}
		if lo == ends[i] {
			return ""
		}
		return unsafe.String(&buf[lo], ends[i]-lo)
	}
}

// arrOrderable reports whether array_sort, array_min and array_max accept
// elements of type t.
func arrOrderable(t types.Type) bool {
	switch t.Kind {
	case types.Map, types.JSON:
		return false
	case types.Array:
		return arrOrderable(*t.Elem)
	case types.Row:
		for _, f := range t.Fields {
			if !arrOrderable(f.Type) {
				return false
			}
		}
	}
	return true
}

// arrComparer returns a three-way comparison of non-NULL elements i and j
// of a in Trino's natural order: NaN sorts above every number, false below
// true, strings by their UTF-8 bytes, arrays and rows element by element
// (a NULL element after any value). t must be arrOrderable.
func arrComparer(t types.Type, a arrow.Array) func(i, j int) int {
	if a.DataType().ID() == arrow.NULL {
		return func(int, int) int { return 0 }
	}
	switch t.Kind {
	case types.TinyInt:
		return arrCmpFixed[int8](a)
	case types.SmallInt:
		return arrCmpFixed[int16](a)
	case types.Integer, types.Date, types.IntervalYearMonth:
		return arrCmpFixed[int32](a)
	case types.BigInt, types.Timestamp, types.TimestampTZ, types.Time, types.IntervalDayTime:
		return arrCmpFixed[int64](a)
	case types.Real:
		return arrCmpFloat[float32](a)
	case types.Double:
		return arrCmpFloat[float64](a)
	case types.Decimal:
		if t.IsShortDecimal() {
			return arrCmpFixed[int64](a)
		}
		vs := dec128s(a)
		return func(i, j int) int { return vs[i].cmp(vs[j]) }
	case types.Boolean:
		bv := boolValues(a)
		return func(i, j int) int { return b2i(bv.valid(i)) - b2i(bv.valid(j)) }
	case types.Varchar, types.Char, types.Varbinary:
		s := stringsOf(a)
		return func(i, j int) int { return strings.Compare(s.at(i), s.at(j)) }
	case types.Array:
		l := arrListOf(a)
		cc, cv := arrComparer(*t.Elem, l.child), validity(l.child)
		return func(i, j int) int {
			ilo, ihi := l.bounds(i)
			jlo, jhi := l.bounds(j)
			for x, y := ilo, jlo; x < ihi && y < jhi; x, y = x+1, y+1 {
				if c := arrCmpNullable(cc, cv, x, y); c != 0 {
					return c
				}
			}
			return (ihi - ilo) - (jhi - jlo)
		}
	case types.Row:
		st := a.(*array.Struct)
		fc := make([]func(int, int) int, len(t.Fields))
		fv := make([]bitmap, len(t.Fields))
		for f := range t.Fields {
			fc[f], fv[f] = arrComparer(t.Fields[f].Type, st.Field(f)), validity(st.Field(f))
		}
		return func(i, j int) int {
			for f := range fc {
				if c := arrCmpNullable(fc[f], fv[f], i, j); c != 0 {
					return c
				}
			}
			return 0
		}
	}
	return func(int, int) int { return 0 }
}

func arrCmpNullable(cmp func(int, int) int, v bitmap, i, j int) int {
	vi, vj := v.valid(i), v.valid(j)
	switch {
	case vi && vj:
		return cmp(i, j)
	case vi:
		return -1
	case vj:
		return 1
	}
	return 0
}

func arrCmpFixed[T signedInt](a arrow.Array) func(i, j int) int {
	vs := values[T](a)
	return func(i, j int) int { return b2i(vs[i] > vs[j]) - b2i(vs[i] < vs[j]) }
}

func arrCmpFloat[T float32 | float64](a arrow.Array) func(i, j int) int {
	vs := values[T](a)
	return func(i, j int) int {
		x, y := vs[i], vs[j]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		case x == y:
			return 0
		}
		return b2i(x != x) - b2i(y != y)
	}
}

// ---- building results -------------------------------------------------------

// arrPick addresses one element of a gather: row of source src, or NULL
// when src < 0.
type arrPick struct{ src, row int32 }

// arrGather builds a new array of type dt whose element k is the element
// picks[k] addresses. Every source has type dt (or is NULL-typed).
func arrGather(mem memory.Allocator, dt arrow.DataType, srcs []arrow.Array, picks []arrPick) arrow.Array {
	n := len(picks)
	if dt.ID() == arrow.NULL {
		return array.NewNull(n)
	}
	vs := make([]bitmap, len(srcs))
	for j, s := range srcs {
		vs[j] = validity(s)
	}
	ok := make([]bool, n)
	valid := newValidity(mem, n)
	vbits := valid.Bytes()
	for k, p := range picks {
		ok[k] = p.src >= 0 && vs[p.src].valid(int(p.row))
		if !ok[k] {
			bitutil.ClearBit(vbits, k)
		}
	}
	nulls := countNulls(valid, n)
	if dt.ID() == arrow.BOOL {
		w := newBoolWriter(mem, n)
		bv := make([]bitmap, len(srcs))
		for j, s := range srcs {
			bv[j] = boolValues(s)
		}
		for k, p := range picks {
			if ok[k] {
				w.set(k, bv[p.src].valid(int(p.row)))
			}
		}
		return finish(dt, n, valid, nulls, w.buf)
	}
	if fw, isFixed := dt.(arrow.FixedWidthDataType); isFixed && fw.BitWidth() >= 8 {
		w := fw.BitWidth() / 8
		buf, out := allocFixed[uint8](mem, n*w)
		raw := make([][]byte, len(srcs))
		for j, s := range srcs {
			d := s.Data()
			if len(d.Buffers()) > 1 && d.Buffers()[1] != nil && d.Buffers()[1].Len() > 0 {
				raw[j] = d.Buffers()[1].Bytes()[d.Offset()*w:]
			}
		}
		for k, p := range picks {
			if ok[k] {
				r := int(p.row) * w
				copy(out[k*w:(k+1)*w], raw[p.src][r:r+w])
			}
		}
		return finish(dt, n, valid, nulls, buf)
	}
	valid.Release()
	bld := array.NewBuilder(mem, dt)
	defer bld.Release()
	bld.Reserve(n)
	if dt.ID() == arrow.STRING || dt.ID() == arrow.BINARY {
		var b *array.BinaryBuilder
		switch x := bld.(type) {
		case *array.StringBuilder:
			b = x.BinaryBuilder
		case *array.BinaryBuilder:
			b = x
		}
		ss := make([]strs, len(srcs))
		for j, s := range srcs {
			ss[j] = stringsOf(s)
		}
		for k, p := range picks {
			if !ok[k] {
				b.AppendNull()
				continue
			}
			b.Append(ss[p.src].bytesAt(int(p.row)))
		}
		return bld.NewArray()
	}
	for k, p := range picks {
		if !ok[k] {
			bld.AppendNull()
			continue
		}
		arrAppend(bld, srcs[p.src], int(p.row))
	}
	return bld.NewArray()
}

// arrAppend appends row i of a to b (same type), NULL-typed children
// included, which aggAppendValue does not handle.
func arrAppend(b array.Builder, a arrow.Array, i int) {
	if a.DataType().ID() == arrow.NULL || a.IsNull(i) {
		b.AppendNull()
		return
	}
	switch c := a.(type) {
	case *array.Map:
		mb := b.(*array.MapBuilder)
		mb.Append(true)
		m := mpViewOf(a)
		lo, hi := m.bounds(i)
		for j := lo; j < hi; j++ {
			arrAppend(mb.KeyBuilder(), m.keys, j)
			arrAppend(mb.ItemBuilder(), m.items, j)
		}
	case *array.List:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		start, end := c.ValueOffsets(i)
		for j := start; j < end; j++ {
			arrAppend(lb.ValueBuilder(), c.ListValues(), int(j))
		}
	case *array.Struct:
		sb := b.(*array.StructBuilder)
		sb.Append(true)
		for f := 0; f < c.NumField(); f++ {
			arrAppend(sb.FieldBuilder(f), c.Field(f), i)
		}
	default:
		aggAppendValue(b, a, i)
	}
}

// arrOut accumulates a list result row by row: each row is a run of picks
// or NULL.
type arrOut struct {
	offs  []int32
	picks []arrPick
	nulls []bool // nil until the first NULL row
}

func newArrOut(n, hint int) *arrOut {
	o := &arrOut{offs: make([]int32, 1, n+1), picks: make([]arrPick, 0, hint)}
	return o
}

func (o *arrOut) add(src, row int) { o.picks = append(o.picks, arrPick{int32(src), int32(row)}) }

// end closes the current row.
func (o *arrOut) end() { o.offs = append(o.offs, int32(len(o.picks))) }

// null closes the current row as NULL (dropping any picks of it).
func (o *arrOut) null() {
	n := len(o.offs) - 1
	for len(o.nulls) < n {
		o.nulls = append(o.nulls, false)
	}
	o.nulls = append(o.nulls, true)
	o.picks = o.picks[:o.offs[n]]
	o.end()
}

// finish builds the list array of type dt, gathering elements from srcs.
func (o *arrOut) finish(ctx *Context, dt arrow.DataType, srcs ...arrow.Array) arrow.Array {
	child := arrGather(ctx.Alloc, dt.(arrow.ListLikeType).Elem(), srcs, o.picks)
	defer child.Release()
	return arrNewList(ctx.Alloc, dt, o.offs, o.nulls, child.Data())
}

// arrNewList makes a list or map array of type dt from offsets (n+1),
// per-row NULL flags (nil: none) and the child data (retained).
func arrNewList(mem memory.Allocator, dt arrow.DataType, offs []int32, nulls []bool, child arrow.ArrayData) arrow.Array {
	n := len(offs) - 1
	obuf, ov := allocFixed[int32](mem, n+1)
	copy(ov, offs)
	var valid *memory.Buffer
	nn := 0
	for i, isNull := range nulls {
		if !isNull {
			continue
		}
		if valid == nil {
			valid = newValidity(mem, n)
		}
		bitutil.ClearBit(valid.Bytes(), i)
		nn++
	}
	bufs := []*memory.Buffer{valid, obuf}
	d := array.NewData(dt, n, bufs, []arrow.ArrayData{child}, nn, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}

// arrBoolOut builds a boolean result with per-row NULLs.
type arrBoolOut struct {
	w     boolWriter
	valid *memory.Buffer
	n     int
}

func newArrBoolOut(mem memory.Allocator, n int) *arrBoolOut {
	return &arrBoolOut{w: newBoolWriter(mem, n), valid: newValidity(mem, n), n: n}
}

func (o *arrBoolOut) set(i int, v bool) { o.w.set(i, v) }
func (o *arrBoolOut) null(i int)        { bitutil.ClearBit(o.valid.Bytes(), i) }
func (o *arrBoolOut) finish() arrow.Array {
	return finish(arrow.FixedWidthTypes.Boolean, o.n, o.valid, countNulls(o.valid, o.n), o.w.buf)
}

// arrInt64Out builds a bigint result with per-row NULLs.
func arrInt64Out(mem memory.Allocator, n int, f func(i int) (int64, bool)) arrow.Array {
	buf, out := allocFixed[int64](mem, n)
	valid := newValidity(mem, n)
	for i := range n {
		v, ok := f(i)
		if !ok {
			bitutil.ClearBit(valid.Bytes(), i)
			continue
		}
		out[i] = v
	}
	return finish(arrow.PrimitiveTypes.Int64, n, valid, countNulls(valid, n), buf)
}

// ---- ARRAY[...] -------------------------------------------------------------

func arrBindConstructor(args []types.Type) (Binding, error) {
	elem := types.UnknownType
	for _, a := range args {
		s, ok := types.CommonSuperType(elem, a)
		if !ok {
			return Binding{}, fmt.Errorf("All ARRAY elements must be the same type: %s", arrTypeList(args))
		}
		elem = s
	}
	rt := types.ArrayOf(elem)
	return Binding{Args: repeatType(elem, len(args)), Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		o := newArrOut(n, n*len(in))
		for i := range n {
			for j := range in {
				o.add(j, i)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), in...), nil
	}}, nil
}

func arrTypeList(ts []types.Type) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}

// ---- subscript, element_at, cardinality ------------------------------------

// arrBindSubscript binds a[i] (arrays, 1-based, failing out of range) and
// m[k] (maps, failing on a missing key).
func arrBindSubscript(args []types.Type) (Binding, error) {
	if len(args) == 2 && args[0].Kind == types.Map {
		return mpBindLookup("$subscript", args, true)
	}
	if len(args) == 2 && (args[0].Kind == types.Array || args[0].Kind == types.Unknown) && arrIntArg(args[1]) {
		return arrBindAt(args, true)
	}
	if len(args) == 2 {
		return Binding{}, fmt.Errorf("Cannot use '[]' on %s with index %s", args[0], args[1])
	}
	return Binding{}, UnexpectedParams("$subscript", args)
}

// arrBindElementAt binds element_at(array(E), bigint) and element_at(map(K, V), K):
// NULL where the subscript operator fails.
func arrBindElementAt(args []types.Type) (Binding, error) {
	if len(args) == 2 && args[0].Kind == types.Map {
		return mpBindLookup("element_at", args, false)
	}
	if len(args) == 2 && (args[0].Kind == types.Array || args[0].Kind == types.Unknown) && arrIntArg(args[1]) {
		return arrBindAt(args, false)
	}
	return Binding{}, UnexpectedParams("element_at", args, "element_at(array(E), bigint)", "element_at(map(K,V), K)")
}

func arrBindAt(args []types.Type, strict bool) (Binding, error) {
	elem, _ := arrElem(args[0])
	edt := elem.Arrow()
	return Binding{Args: []types.Type{types.ArrayOf(elem), types.BigIntType}, Result: elem, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		idx, iv := values[int64](in[1]), validity(in[1])
		picks := make([]arrPick, n)
		for i := range picks {
			picks[i].src = -1
			if !l.valid.valid(i) || !iv.valid(i) {
				continue
			}
			lo, hi := l.bounds(i)
			size, k := int64(hi-lo), idx[i]
			switch {
			case k == 0:
				return nil, errors.New("SQL array indices start at 1")
			case k < 0 && strict:
				return nil, fmt.Errorf("Array subscript is negative: %d", k)
			case k > size && strict:
				return nil, fmt.Errorf("Array subscript must be less than or equal to array length: %d > %d", k, size)
			case k > size || -k > size:
				continue
			case k < 0:
				k = size + k + 1
			}
			picks[i] = arrPick{0, int32(int64(lo) + k - 1)}
		}
		return arrGather(ctx.Alloc, edt, []arrow.Array{l.child}, picks), nil
	}}, nil
}

// arrBindCardinality binds cardinality(array(E)) and cardinality(map(K, V)).
func arrBindCardinality(args []types.Type) (Binding, error) {
	if len(args) != 1 || (args[0].Kind != types.Array && args[0].Kind != types.Map && args[0].Kind != types.Unknown) {
		return Binding{}, UnexpectedParams("cardinality", args, "cardinality(array(E))", "cardinality(map(K,V))")
	}
	at := args[0]
	if at.Kind == types.Unknown {
		at = types.ArrayOf(types.UnknownType)
	}
	return Binding{Args: []types.Type{at}, Result: types.BigIntType, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		return arrInt64Out(ctx.Alloc, n, func(i int) (int64, bool) {
			return int64(l.offs[i+1] - l.offs[i]), l.valid.valid(i)
		}), nil
	}}, nil
}

// ---- contains, array_position, array_remove ----------------------------------

// arrBindElementOp binds f(array(E), E) with E the common super type of the
// array's elements and the value.
func arrBindElementOp(name string, args []types.Type, result func(e types.Type) types.Type, kernel func(e types.Type, rt types.Type) Kernel) (Binding, error) {
	expected := name + "(array(E), E)"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	elem, ok := arrElem(args[0])
	if !ok {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	e, ok := types.CommonSuperType(elem, args[1])
	if !ok || !arrComparable(e) {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	rt := result(e)
	return Binding{Args: []types.Type{types.ArrayOf(e), e}, Result: rt, Kernel: kernel(e, rt)}, nil
}

func arrBindContains(args []types.Type) (Binding, error) {
	return arrBindElementOp("contains", args, func(types.Type) types.Type { return types.BooleanType }, func(e, _ types.Type) Kernel {
		return func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			l := arrListOf(in[0])
			ck, cv := arrKeyer(e, l.child), validity(l.child)
			vk, vv := arrKeyer(e, in[1]), validity(in[1])
			out := newArrBoolOut(ctx.Alloc, n)
			for i := range n {
				if !l.valid.valid(i) || !vv.valid(i) {
					out.null(i)
					continue
				}
				key := vk(i)
				found, sawNull := false, false
				lo, hi := l.bounds(i)
				for j := lo; j < hi && !found; j++ {
					if !cv.valid(j) {
						sawNull = true
					} else {
						found = ck(j) == key
					}
				}
				switch {
				case found:
					out.set(i, true)
				case sawNull:
					// Unknown whether the NULL element equals the value.
					out.null(i)
				}
			}
			return out.finish(), nil
		}
	})
}

func arrBindPosition(args []types.Type) (Binding, error) {
	return arrBindElementOp("array_position", args, func(types.Type) types.Type { return types.BigIntType }, func(e, _ types.Type) Kernel {
		return func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			l := arrListOf(in[0])
			ck, cv := arrKeyer(e, l.child), validity(l.child)
			vk, vv := arrKeyer(e, in[1]), validity(in[1])
			return arrInt64Out(ctx.Alloc, n, func(i int) (int64, bool) {
				if !l.valid.valid(i) || !vv.valid(i) {
					return 0, false
				}
				key := vk(i)
				lo, hi := l.bounds(i)
				for j := lo; j < hi; j++ {
					if cv.valid(j) && ck(j) == key {
						return int64(j-lo) + 1, true
					}
				}
				return 0, true
			}), nil
		}
	})
}

func arrBindRemove(args []types.Type) (Binding, error) {
	return arrBindElementOp("array_remove", args, types.ArrayOf, func(e, rt types.Type) Kernel {
		dt := rt.Arrow()
		return func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			l := arrListOf(in[0])
			ck, cv := arrKeyer(e, l.child), validity(l.child)
			vk, vv := arrKeyer(e, in[1]), validity(in[1])
			o := newArrOut(n, l.child.Len())
			for i := range n {
				if !l.valid.valid(i) || !vv.valid(i) {
					o.null()
					continue
				}
				key := vk(i)
				lo, hi := l.bounds(i)
				for j := lo; j < hi; j++ {
					// NULL elements stay: they are not known to equal the value.
					if !cv.valid(j) || ck(j) != key {
						o.add(0, j)
					}
				}
				o.end()
			}
			return o.finish(ctx, dt, l.child), nil
		}
	})
}

// ---- array_join -------------------------------------------------------------

func arrBindJoin(args []types.Type) (Binding, error) {
	expected := []string{"array_join(array(E), varchar)", "array_join(array(E), varchar, varchar)"}
	if len(args) != 2 && len(args) != 3 {
		return Binding{}, UnexpectedParams("array_join", args, expected...)
	}
	elem, ok := arrElem(args[0])
	if !ok || elem.Kind == types.Array || elem.Kind == types.Map || elem.Kind == types.Row {
		return Binding{}, UnexpectedParams("array_join", args, expected...)
	}
	toText, err := Cast(elem, types.VarcharType, false)
	if err != nil {
		return Binding{}, UnexpectedParams("array_join", args, expected...)
	}
	bound := []types.Type{types.ArrayOf(elem)}
	for _, a := range args[1:] {
		s, ok := arrStringArg(a)
		if !ok {
			return Binding{}, UnexpectedParams("array_join", args, expected...)
		}
		bound = append(bound, s)
	}
	return Binding{Args: bound, Result: types.VarcharType, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		text, err := toText(ctx, l.child)
		if err != nil {
			return nil, err
		}
		defer text.Release()
		ts, tv := stringsOf(text), validity(text)
		delim, dv := stringsOf(in[1]), validity(in[1])
		var repl strs
		rv := bitmap{}
		if len(in) == 3 {
			repl, rv = stringsOf(in[2]), validity(in[2])
		}
		b := stringOut(ctx.Alloc, n, dataLen(text))
		defer b.Release()
		var sb strings.Builder
		for i := range n {
			if !l.valid.valid(i) || !dv.valid(i) || !rv.valid(i) {
				b.AppendNull()
				continue
			}
			sb.Reset()
			d := delim.at(i)
			first := true
			lo, hi := l.bounds(i)
			for j := lo; j < hi; j++ {
				var s string
				switch {
				case tv.valid(j):
					s = ts.at(j)
				case len(in) == 3:
					s = repl.at(i)
				default:
					continue
				}
				if !first {
					sb.WriteString(d)
				}
				first = false
				sb.WriteString(s)
			}
			b.Append(sb.String())
		}
		return b.NewArray(), nil
	}}, nil
}

// ---- array_distinct, array_max, array_min, array_sort --------------------------

// arrBindUnary binds f(array(E)) for element types accepted by ok.
func arrBindUnary(name string, args []types.Type, ok func(types.Type) bool) (types.Type, error) {
	if len(args) != 1 {
		return types.Type{}, UnexpectedParams(name, args, name+"(array(E))")
	}
	elem, isArr := arrElem(args[0])
	if !isArr || !ok(elem) {
		return types.Type{}, UnexpectedParams(name, args, name+"(array(E))")
	}
	return elem, nil
}

func arrBindDistinct(args []types.Type) (Binding, error) {
	elem, err := arrBindUnary("array_distinct", args, arrComparable)
	if err != nil {
		return Binding{}, err
	}
	rt := types.ArrayOf(elem)
	return Binding{Args: []types.Type{rt}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		ck, cv := arrKeyer(elem, l.child), validity(l.child)
		o := newArrOut(n, l.child.Len())
		seen := map[string]struct{}{}
		for i := range n {
			if !l.valid.valid(i) {
				o.null()
				continue
			}
			clear(seen)
			sawNull := false
			lo, hi := l.bounds(i)
			for j := lo; j < hi; j++ {
				if !cv.valid(j) {
					if !sawNull {
						o.add(0, j)
					}
					sawNull = true
					continue
				}
				k := ck(j)
				if _, dup := seen[k]; !dup {
					seen[k] = struct{}{}
					o.add(0, j)
				}
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), l.child), nil
	}}, nil
}

// arrBindExtreme binds array_max (sign 1) and array_min (sign -1): NULL
// for an empty array or one holding a NULL element, as Trino.
func arrBindExtreme(name string, sign int) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		elem, err := arrBindUnary(name, args, arrOrderable)
		if err != nil {
			return Binding{}, err
		}
		edt := elem.Arrow()
		return Binding{Args: []types.Type{types.ArrayOf(elem)}, Result: elem, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			l := arrListOf(in[0])
			cmp, cv := arrComparer(elem, l.child), validity(l.child)
			picks := make([]arrPick, n)
		rows:
			for i := range picks {
				picks[i].src = -1
				lo, hi := l.bounds(i)
				if !l.valid.valid(i) || lo == hi {
					continue
				}
				best := lo
				for j := lo; j < hi; j++ {
					if !cv.valid(j) {
						continue rows
					}
					if cmp(j, best)*sign > 0 {
						best = j
					}
				}
				picks[i] = arrPick{0, int32(best)}
			}
			return arrGather(ctx.Alloc, edt, []arrow.Array{l.child}, picks), nil
		}}, nil
	}
}

// arrBindSort binds array_sort(array(E)): ascending, NULL elements last.
func arrBindSort(args []types.Type) (Binding, error) {
	elem, err := arrBindUnary("array_sort", args, arrOrderable)
	if err != nil {
		return Binding{}, err
	}
	rt := types.ArrayOf(elem)
	return Binding{Args: []types.Type{rt}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		cmp, cv := arrComparer(elem, l.child), validity(l.child)
		o := newArrOut(n, l.child.Len())
		var idx []int
		for i := range n {
			if !l.valid.valid(i) {
				o.null()
				continue
			}
			idx = idx[:0]
			lo, hi := l.bounds(i)
			nulls := 0
			for j := lo; j < hi; j++ {
				if cv.valid(j) {
					idx = append(idx, j)
				} else {
					nulls++
				}
			}
			slices.SortStableFunc(idx, cmp)
			for _, j := range idx {
				o.add(0, j)
			}
			for range nulls {
				o.add(-1, 0)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), l.child), nil
	}}, nil
}

// ---- set operations -----------------------------------------------------------

type arrSetKind uint8

const (
	arrUnion arrSetKind = iota
	arrIntersect
	arrExcept
)

// arrBindTwoArrays binds f(array(E), array(F)) to the arrays' common
// element type.
func arrBindTwoArrays(name string, args []types.Type) (types.Type, error) {
	expected := name + "(array(E), array(E))"
	if len(args) != 2 {
		return types.Type{}, UnexpectedParams(name, args, expected)
	}
	x, ok1 := arrElem(args[0])
	y, ok2 := arrElem(args[1])
	if !ok1 || !ok2 {
		return types.Type{}, UnexpectedParams(name, args, expected)
	}
	e, ok := types.CommonSuperType(x, y)
	if !ok || !arrComparable(e) {
		return types.Type{}, UnexpectedParams(name, args, expected)
	}
	return e, nil
}

// arrBindSetOp binds array_union, array_intersect and array_except: the
// result keeps the first occurrence of each element, in order, with NULL
// treated as a value.
func arrBindSetOp(name string, kind arrSetKind) func(args []types.Type) (Binding, error) {
	return func(args []types.Type) (Binding, error) {
		elem, err := arrBindTwoArrays(name, args)
		if err != nil {
			return Binding{}, err
		}
		rt := types.ArrayOf(elem)
		return Binding{Args: []types.Type{rt, rt}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			x, y := arrListOf(in[0]), arrListOf(in[1])
			xk, xv := arrKeyer(elem, x.child), validity(x.child)
			yk, yv := arrKeyer(elem, y.child), validity(y.child)
			o := newArrOut(n, x.child.Len())
			seen := map[string]struct{}{}
			other := map[string]struct{}{}
			for i := range n {
				if !x.valid.valid(i) || !y.valid.valid(i) {
					o.null()
					continue
				}
				clear(seen)
				clear(other)
				seenNull, otherNull := false, false
				// emit adds element j of source src unless already emitted.
				emit := func(src int, key func(int) string, v bitmap, j int) {
					if !v.valid(j) {
						if !seenNull {
							o.add(src, j)
						}
						seenNull = true
						return
					}
					k := key(j)
					if _, dup := seen[k]; !dup {
						seen[k] = struct{}{}
						o.add(src, j)
					}
				}
				xlo, xhi := x.bounds(i)
				ylo, yhi := y.bounds(i)
				if kind == arrUnion {
					for j := xlo; j < xhi; j++ {
						emit(0, xk, xv, j)
					}
					for j := ylo; j < yhi; j++ {
						emit(1, yk, yv, j)
					}
					o.end()
					continue
				}
				for j := ylo; j < yhi; j++ {
					if yv.valid(j) {
						other[yk(j)] = struct{}{}
					} else {
						otherNull = true
					}
				}
				for j := xlo; j < xhi; j++ {
					var inOther bool
					if xv.valid(j) {
						_, inOther = other[xk(j)]
					} else {
						inOther = otherNull
					}
					if inOther == (kind == arrIntersect) {
						emit(0, xk, xv, j)
					}
				}
				o.end()
			}
			return o.finish(ctx, rt.Arrow(), x.child, y.child), nil
		}}, nil
	}
}

// arrBindOverlap binds arrays_overlap: true when the arrays share a
// non-NULL element, else NULL when either holds a NULL, else false.
func arrBindOverlap(args []types.Type) (Binding, error) {
	elem, err := arrBindTwoArrays("arrays_overlap", args)
	if err != nil {
		return Binding{}, err
	}
	at := types.ArrayOf(elem)
	return Binding{Args: []types.Type{at, at}, Result: types.BooleanType, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		x, y := arrListOf(in[0]), arrListOf(in[1])
		xk, xv := arrKeyer(elem, x.child), validity(x.child)
		yk, yv := arrKeyer(elem, y.child), validity(y.child)
		out := newArrBoolOut(ctx.Alloc, n)
		set := map[string]struct{}{}
		for i := range n {
			if !x.valid.valid(i) || !y.valid.valid(i) {
				out.null(i)
				continue
			}
			clear(set)
			sawNull, found := false, false
			ylo, yhi := y.bounds(i)
			for j := ylo; j < yhi; j++ {
				if yv.valid(j) {
					set[yk(j)] = struct{}{}
				} else {
					sawNull = true
				}
			}
			xlo, xhi := x.bounds(i)
			for j := xlo; j < xhi && !found; j++ {
				if !xv.valid(j) {
					sawNull = true
					continue
				}
				_, found = set[xk(j)]
			}
			switch {
			case found:
				out.set(i, true)
			case sawNull:
				out.null(i)
			}
		}
		return out.finish(), nil
	}}, nil
}

// ---- flatten, slice, repeat, concat, reverse ------------------------------------

func arrBindFlatten(args []types.Type) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("flatten", args, "flatten(array(array(E)))")
	}
	outer, ok := arrElem(args[0])
	inner, ok2 := arrElem(outer)
	if !ok || !ok2 {
		return Binding{}, UnexpectedParams("flatten", args, "flatten(array(array(E)))")
	}
	rt := types.ArrayOf(inner)
	return Binding{Args: []types.Type{types.ArrayOf(rt)}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		sub := arrListOf(l.child)
		o := newArrOut(n, sub.child.Len())
		for i := range n {
			if !l.valid.valid(i) {
				o.null()
				continue
			}
			lo, hi := l.bounds(i)
			for j := lo; j < hi; j++ {
				if !sub.valid.valid(j) {
					continue
				}
				slo, shi := sub.bounds(j)
				for k := slo; k < shi; k++ {
					o.add(0, k)
				}
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), sub.child), nil
	}}, nil
}

// arrBindSlice binds slice(array(E), start, length): start counts from 1,
// or from the end when negative.
func arrBindSlice(args []types.Type) (Binding, error) {
	if len(args) != 3 || !arrIntArg(args[1]) || !arrIntArg(args[2]) {
		return Binding{}, UnexpectedParams("slice", args, "slice(array(E), bigint, bigint)")
	}
	elem, ok := arrElem(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("slice", args, "slice(array(E), bigint, bigint)")
	}
	rt := types.ArrayOf(elem)
	return Binding{Args: []types.Type{rt, types.BigIntType, types.BigIntType}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		starts, sv := values[int64](in[1]), validity(in[1])
		lens, lv := values[int64](in[2]), validity(in[2])
		o := newArrOut(n, l.child.Len())
		for i := range n {
			if !l.valid.valid(i) || !sv.valid(i) || !lv.valid(i) {
				o.null()
				continue
			}
			lo, hi := l.bounds(i)
			size, from, length := int64(hi-lo), starts[i], lens[i]
			if size == 0 {
				o.end()
				continue
			}
			if from == 0 {
				return nil, errors.New("SQL array indices start at 1")
			}
			if length < 0 {
				return nil, errors.New("length must be greater than or equal to 0")
			}
			if from < 0 {
				from = size + from + 1
			}
			to := size + 1
			if length < to-from {
				to = from + length
			}
			for k := from; k >= 1 && k < to; k++ {
				o.add(0, lo+int(k)-1)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), l.child), nil
	}}, nil
}

// arrBindRepeat binds repeat(E, count): an array of count copies, NULL
// elements included.
func arrBindRepeat(args []types.Type) (Binding, error) {
	if len(args) != 2 || !arrIntArg(args[1]) {
		return Binding{}, UnexpectedParams("repeat", args, "repeat(E, bigint)")
	}
	elem := args[0]
	rt := types.ArrayOf(elem)
	return Binding{Args: []types.Type{elem, types.BigIntType}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		counts, cv := values[int64](in[1]), validity(in[1])
		o := newArrOut(n, n)
		for i := range n {
			if !cv.valid(i) {
				o.null()
				continue
			}
			c := counts[i]
			if c < 0 {
				return nil, errors.New("count argument of repeat function must be greater than or equal to 0")
			}
			if c > arrMaxElements {
				return nil, fmt.Errorf("count argument of repeat function must be less than or equal to %d", arrMaxElements)
			}
			for range c {
				o.add(0, i)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), in[0]), nil
	}}, nil
}

// arrHasArray reports whether any argument is an array: concat, || and
// reverse then mean their array forms.
func arrHasArray(args []types.Type) bool {
	for _, a := range args {
		if a.Kind == types.Array {
			return true
		}
	}
	return false
}

// arrBindConcat binds the array forms of concat and ||: concat(array(E)...)
// and, for two arguments, array || element and element || array. A NULL
// array makes the result NULL; a NULL element is appended as NULL. The
// string concat (string.go) and $concat (operators.go) delegate here when
// arrHasArray.
func arrBindConcat(name string, args []types.Type) (Binding, error) {
	elem := types.UnknownType
	isArr := make([]bool, len(args))
	for i, a := range args {
		e := a
		if a.Kind == types.Array {
			e, isArr[i] = *a.Elem, true
		} else if len(args) != 2 {
			return Binding{}, UnexpectedParams(name, args, name+"(array(E), array(E)...)")
		}
		s, ok := types.CommonSuperType(elem, e)
		if !ok {
			return Binding{}, UnexpectedParams(name, args, name+"(array(E), array(E)...)", name+"(array(E), E)", name+"(E, array(E))")
		}
		elem = s
	}
	if len(args) < 2 {
		return Binding{}, UnexpectedParams(name, args, name+"(array(E), array(E)...)")
	}
	rt := types.ArrayOf(elem)
	bound := make([]types.Type, len(args))
	for i := range args {
		bound[i] = elem
		if isArr[i] {
			bound[i] = rt
		}
	}
	return Binding{Args: bound, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		ls := make([]arrList, len(in))
		srcs := make([]arrow.Array, len(in))
		total := 0
		for j, a := range in {
			if isArr[j] {
				ls[j] = arrListOf(a)
				srcs[j] = ls[j].child
				total += ls[j].child.Len()
			} else {
				srcs[j] = a
				total += n
			}
		}
		o := newArrOut(n, total)
	rows:
		for i := range n {
			for j := range in {
				if !isArr[j] {
					o.add(j, i)
					continue
				}
				if !ls[j].valid.valid(i) {
					o.null()
					continue rows
				}
				lo, hi := ls[j].bounds(i)
				for k := lo; k < hi; k++ {
					o.add(j, k)
				}
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), srcs...), nil
	}}, nil
}

// arrBindReverse binds reverse(array(E)); string.go's reverse delegates
// here when arrHasArray.
func arrBindReverse(args []types.Type) (Binding, error) {
	elem, err := arrBindUnary("reverse", args, func(types.Type) bool { return true })
	if err != nil {
		return Binding{}, err
	}
	rt := types.ArrayOf(elem)
	return Binding{Args: []types.Type{rt}, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l := arrListOf(in[0])
		o := newArrOut(n, l.child.Len())
		for i := range n {
			if !l.valid.valid(i) {
				o.null()
				continue
			}
			lo, hi := l.bounds(i)
			for j := hi - 1; j >= lo; j-- {
				o.add(0, j)
			}
			o.end()
		}
		return o.finish(ctx, rt.Arrow(), l.child), nil
	}}, nil
}

// ---- sequence -----------------------------------------------------------------

// arrBindSequence binds sequence(start, stop[, step]) over bigint (step 1
// or -1 by default), date (step one day by default, or an interval of
// whole days or of months) and timestamp (an interval step).
func arrBindSequence(args []types.Type) (Binding, error) {
	expected := []string{"sequence(bigint, bigint)", "sequence(bigint, bigint, bigint)", "sequence(date, date)",
		"sequence(date, date, interval day to second)", "sequence(date, date, interval year to month)",
		"sequence(timestamp(p), timestamp(p), interval day to second)", "sequence(timestamp(p), timestamp(p), interval year to month)"}
	fail := func() (Binding, error) { return Binding{}, UnexpectedParams("sequence", args, expected...) }
	if len(args) != 2 && len(args) != 3 {
		return fail()
	}
	t, ok := types.CommonSuperType(args[0], args[1])
	if !ok {
		return fail()
	}
	if t.IsInteger() || t.Kind == types.Unknown {
		t = types.BigIntType
	}
	var step types.Type
	switch {
	case t.Kind == types.BigInt && (len(args) == 2 || arrIntArg(args[2])):
		step = types.BigIntType
	case t.Kind == types.Date && len(args) == 2:
		step = types.IntervalDTType
	case (t.Kind == types.Date || t.Kind == types.Timestamp) && len(args) == 3 &&
		(args[2].Kind == types.IntervalDayTime || args[2].Kind == types.IntervalYearMonth):
		step = args[2]
	default:
		return fail()
	}
	bound := []types.Type{t, t}
	if len(args) == 3 {
		bound = append(bound, step)
	}
	rt := types.ArrayOf(t)
	return Binding{Args: bound, Result: rt, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		starts, stops := arrInt64s(in[0]), arrInt64s(in[1])
		valid := [3]bitmap{validity(in[0]), validity(in[1])}
		var steps []int64
		// Without a step, dates count in days like numbers.
		stepKind := types.BigInt
		if len(in) == 3 {
			steps, valid[2], stepKind = arrInt64s(in[2]), validity(in[2]), step.Kind
		}
		var err error
		offs := make([]int32, 1, n+1)
		var nulls []bool
		var vals []int64
		for i := range n {
			if !valid[0].valid(i) || !valid[1].valid(i) || !valid[2].valid(i) {
				if nulls == nil {
					nulls = make([]bool, n)
				}
				nulls[i] = true
				offs = append(offs, int32(len(vals)))
				continue
			}
			var st int64
			switch {
			case steps != nil:
				st = steps[i]
			case starts[i] <= stops[i]:
				st = 1
			default:
				st = -1
			}
			if vals, err = arrSequence(t.Kind, stepKind, starts[i], stops[i], st, vals); err != nil {
				return nil, err
			}
			offs = append(offs, int32(len(vals)))
		}
		var child arrow.Array
		if t.Kind == types.Date {
			buf, out := allocFixed[int32](ctx.Alloc, len(vals))
			for k, v := range vals {
				out[k] = int32(v)
			}
			child = finish(t.Arrow(), len(vals), nil, 0, buf)
		} else {
			buf, out := allocFixed[int64](ctx.Alloc, len(vals))
			copy(out, vals)
			child = finish(t.Arrow(), len(vals), nil, 0, buf)
		}
		defer child.Release()
		return arrNewList(ctx.Alloc, rt.Arrow(), offs, nulls, child.Data()), nil
	}}, nil
}

// arrInt64s reads an integer, date, timestamp or interval column as int64.
func arrInt64s(a arrow.Array) []int64 {
	switch a.DataType().ID() {
	case arrow.INT64, arrow.TIMESTAMP, arrow.DURATION:
		return values[int64](a)
	case arrow.DATE32, arrow.INTERVAL_MONTHS, arrow.INT32:
		vs := values[int32](a)
		out := make([]int64, len(vs))
		for i, v := range vs {
			out[i] = int64(v)
		}
		return out
	}
	return make([]int64, a.Len())
}

// arrSequence appends the values from start to stop by step. Values are
// days (dates) or µs (timestamps); step is in the unit of its kind: a
// number, ms (interval day to second) or months (interval year to month).
func arrSequence(kind, stepKind types.Kind, start, stop, step int64, out []int64) ([]int64, error) {
	if step == 0 {
		return nil, errors.New("step must not be zero")
	}
	if step > 0 && start > stop || step < 0 && start < stop {
		return nil, errors.New("sequence stop value should be greater than or equal to start value if step is greater than zero otherwise stop should be less than or equal to start")
	}
	tooMany := fmt.Errorf("result of sequence function must not have more than %d entries", arrMaxElements)
	if stepKind == types.IntervalYearMonth {
		for k := int64(0); ; k++ {
			if k >= arrMaxElements {
				return nil, tooMany
			}
			months, ok := dtMulOverflow(k, step)
			if !ok {
				break
			}
			v, ok := dtAddValue(kind, dtUnitMonth, months, start, time.UTC)
			if !ok || step > 0 && v > stop || step < 0 && v < stop {
				break
			}
			out = append(out, v)
		}
		return out, nil
	}
	if stepKind == types.IntervalDayTime {
		switch kind {
		case types.Date:
			if step%arrMsPerDay != 0 {
				return nil, errors.New("sequence step must be a day interval if start and end values are dates")
			}
			step /= arrMsPerDay
		default:
			if s, ok := dtMulOverflow(step, 1000); ok {
				step = s
			} else {
				step = math.MaxInt64
			}
		}
	}
	// The count is computed up front (in uint64, which holds any span of
	// int64 values), so huge ranges fail fast.
	var span uint64
	if step > 0 {
		span = uint64(stop-start) / uint64(step)
	} else {
		span = uint64(start-stop) / uint64(-step)
	}
	if span >= arrMaxElements {
		return nil, tooMany
	}
	for k := int64(0); k <= int64(span); k++ {
		out = append(out, start+k*step)
	}
	return out, nil
}

const arrMsPerDay = 86_400_000
