// Package pqshred maps Quarry's types to a Parquet schema and shreds Arrow
// values into parquet-go values with their Dremel repetition and
// definition levels. The table writer (sink) and the decoded-column cache
// (source/cache) both write Parquet through it.
//
// Layout: every column is OPTIONAL; lists are the standard three-level
// LIST (<name> / list / element), maps MAP (key_value / key, value) with
// required keys, rows optional groups whose fields keep the declared
// order.
package pqshred

import (
	"fmt"
	"math/big"
	"reflect"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/quarry-sql/quarry/types"
)

// Options choose between layouts that both read back the same values.
type Options struct {
	// DictionaryAll puts dictionary encoding on every leaf but booleans;
	// otherwise only strings and binaries get it.
	DictionaryAll bool
	// Decimal16 stores long decimals in 16-byte FIXED_LEN_BYTE_ARRAYs;
	// otherwise in the fewest bytes the precision needs, as Spark does.
	Decimal16 bool
}

// Node mirrors one column (or nested field) in the Parquet schema, with
// the levels the Dremel encoding gives it.
type Node struct {
	T        types.Type
	Leaf     int // leaf column index for scalars, -1 for groups
	Def      int // definition level when this value is present
	Rep      int // lists and maps: repetition level of their entries
	Children []*Node
	Leaves   []int // every leaf index below (itself for a scalar)
	FLBA     int   // long decimals: FIXED_LEN_BYTE_ARRAY width
}

// Schema builds the file schema and shred trees for cols, or says which
// column cannot be stored.
func Schema(name string, cols []types.Column, opt Options) (*parquet.Schema, []*Node, error) {
	fields := make(orderedGroup, len(cols))
	nodes := make([]*Node, len(cols))
	leaf := 0
	for i, c := range cols {
		node, sh, err := opt.node(c.Type, 0, 0, &leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		fields[i] = namedField{parquet.Optional(node), c.Name}
		nodes[i] = sh
	}
	return parquet.NewSchema(name, fields), nodes, nil
}

// node returns the Parquet node for a value of t that is optional at
// definition level def+1 (the caller wraps it in Optional).
func (opt Options) node(t types.Type, def, rep int, leaf *int) (parquet.Node, *Node, error) {
	sh := &Node{T: t, Leaf: -1, Def: def + 1}
	var node parquet.Node
	dict := opt.DictionaryAll
	switch t.Kind {
	case types.Boolean:
		node, dict = parquet.Leaf(parquet.BooleanType), false
	case types.TinyInt:
		node = parquet.Int(8)
	case types.SmallInt:
		node = parquet.Int(16)
	case types.Integer:
		node = parquet.Int(32)
	case types.BigInt:
		node = parquet.Int(64)
	case types.Real:
		node = parquet.Leaf(parquet.FloatType)
	case types.Double:
		node = parquet.Leaf(parquet.DoubleType)
	case types.Decimal:
		if t.Precision < 1 || t.Precision > types.MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision {
			return nil, nil, fmt.Errorf("type %s is not a valid decimal", t)
		}
		if t.IsShortDecimal() {
			node = parquet.Decimal(t.Scale, t.Precision, parquet.Int64Type)
		} else {
			sh.FLBA = 16
			if !opt.Decimal16 {
				sh.FLBA = DecimalBytes(t.Precision)
			}
			node = parquet.Decimal(t.Scale, t.Precision, parquet.FixedLenByteArrayType(sh.FLBA))
		}
	case types.Varchar, types.Char, types.JSON:
		node, dict = parquet.String(), true
	case types.Varbinary:
		node, dict = parquet.Leaf(parquet.ByteArrayType), true
	case types.Date:
		node = parquet.Date()
	case types.Time:
		node = parquet.Time(parquet.Microsecond)
	case types.Timestamp:
		node = parquet.TimestampAdjusted(parquet.Microsecond, false)
	case types.TimestampTZ:
		node = parquet.TimestampAdjusted(parquet.Microsecond, true)
	case types.Array:
		en, esh, err := opt.node(*t.Elem, def+2, rep+1, leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("array element: %w", err)
		}
		sh.Rep = rep + 1
		sh.Children = []*Node{esh}
		sh.Leaves = esh.Leaves
		return parquet.List(parquet.Optional(en)), sh, nil
	case types.Map:
		if k := t.Key.Kind; !t.Key.IsOrderable() || k == types.Array || k == types.Map || k == types.Row {
			return nil, nil, fmt.Errorf("map key type %s is not supported in Parquet", t.Key)
		}
		// Keys are required: their level is that of the key_value entry.
		kn, ksh, err := opt.node(*t.Key, def+1, rep+1, leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("map key: %w", err)
		}
		vn, vsh, err := opt.node(*t.Elem, def+2, rep+1, leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("map value: %w", err)
		}
		sh.Rep = rep + 1
		sh.Children = []*Node{ksh, vsh}
		sh.Leaves = append(append([]int(nil), ksh.Leaves...), vsh.Leaves...)
		return parquet.Map(kn, parquet.Optional(vn)), sh, nil
	case types.Row:
		if len(t.Fields) == 0 {
			return nil, nil, fmt.Errorf("a row type without fields cannot be stored in Parquet")
		}
		g := make(orderedGroup, len(t.Fields))
		for i, f := range t.Fields {
			fname := f.Name
			if fname == "" {
				fname = fmt.Sprintf("field%d", i)
			}
			fn, fsh, err := opt.node(f.Type, def+1, rep, leaf)
			if err != nil {
				return nil, nil, fmt.Errorf("field %s: %w", fname, err)
			}
			g[i] = namedField{parquet.Optional(fn), fname}
			sh.Children = append(sh.Children, fsh)
			sh.Leaves = append(sh.Leaves, fsh.Leaves...)
		}
		return g, sh, nil
	default:
		return nil, nil, fmt.Errorf("type %s cannot be stored in Parquet", t)
	}
	if dict {
		node = parquet.Encoded(node, &parquet.RLEDictionary)
	}
	sh.Leaf = *leaf
	sh.Leaves = []int{*leaf}
	*leaf++
	return node, sh, nil
}

// Shredder collects the parquet values of each leaf column. Vals[l] and
// Arena (the bytes of long decimals) are reset by the caller between
// WriteRowValues calls.
type Shredder struct {
	Vals  [][]parquet.Value
	Arena []byte
}

// Shred appends value i of arr, at repetition level rep, to the leaves
// below sh (Dremel record shredding).
func (s *Shredder) Shred(sh *Node, arr arrow.Array, i, rep int) {
	if sh.Leaf >= 0 {
		s.Vals[sh.Leaf] = s.AppendValue(s.Vals[sh.Leaf], sh, arr, i, rep)
		return
	}
	if arr.IsNull(i) {
		s.nulls(sh, rep, sh.Def-1)
		return
	}
	switch a := arr.(type) {
	case *array.Struct:
		for k, c := range sh.Children {
			s.Shred(c, a.Field(k), i, rep)
		}
	case *array.Map:
		start, end := a.ValueOffsets(i)
		if start == end {
			s.nulls(sh, rep, sh.Def)
			return
		}
		keys, items := a.Keys(), a.Items()
		for j := int(start); j < int(end); j++ {
			r := sh.Rep
			if j == int(start) {
				r = rep
			}
			s.Shred(sh.Children[0], keys, j, r)
			s.Shred(sh.Children[1], items, j, r)
		}
	case *array.List:
		start, end := a.ValueOffsets(i)
		if start == end {
			s.nulls(sh, rep, sh.Def)
			return
		}
		elems := a.ListValues()
		for j := int(start); j < int(end); j++ {
			r := sh.Rep
			if j == int(start) {
				r = rep
			}
			s.Shred(sh.Children[0], elems, j, r)
		}
	default:
		panic(fmt.Sprintf("BUG: array %T for nested type %s", arr, sh.T))
	}
}

// nulls appends a NULL at (rep, def) to every leaf below sh.
func (s *Shredder) nulls(sh *Node, rep, def int) {
	for _, l := range sh.Leaves {
		s.Vals[l] = append(s.Vals[l], parquet.NullValue().Level(rep, def, l))
	}
}

// AppendValue appends the scalar value i of arr (NULL one level below
// sh.Def) as a parquet value.
func (s *Shredder) AppendValue(vals []parquet.Value, sh *Node, arr arrow.Array, i, rep int) []parquet.Value {
	l := sh.Leaf
	if arr.IsNull(i) {
		return append(vals, parquet.NullValue().Level(rep, sh.Def-1, l))
	}
	var v parquet.Value
	switch a := arr.(type) {
	case *array.Int64:
		v = parquet.Int64Value(a.Value(i))
	case *array.Int32:
		v = parquet.Int32Value(a.Value(i))
	case *array.Float64:
		v = parquet.DoubleValue(a.Value(i))
	case *array.String:
		v = parquet.ByteArrayValue(BytesOf(a.Value(i)))
	case *array.Decimal64:
		v = parquet.Int64Value(int64(a.Value(i)))
	case *array.Date32:
		v = parquet.Int32Value(int32(a.Value(i)))
	case *array.Timestamp:
		v = parquet.Int64Value(int64(a.Value(i)))
	case *array.Boolean:
		v = parquet.BooleanValue(a.Value(i))
	case *array.Int8:
		v = parquet.Int32Value(int32(a.Value(i)))
	case *array.Int16:
		v = parquet.Int32Value(int32(a.Value(i)))
	case *array.Float32:
		v = parquet.FloatValue(a.Value(i))
	case *array.Binary:
		v = parquet.ByteArrayValue(a.Value(i))
	case *array.Time64:
		v = parquet.Int64Value(int64(a.Value(i)))
	case *array.Decimal128:
		start := len(s.Arena)
		s.Arena = Decimal128Bytes(s.Arena, a.Value(i), sh.FLBA)
		v = parquet.FixedLenByteArrayValue(s.Arena[start:len(s.Arena):len(s.Arena)])
	default:
		panic(fmt.Sprintf("BUG: array %T for type %s", arr, sh.T))
	}
	return append(vals, v.Level(rep, sh.Def, l))
}

// BytesOf views a string's bytes without copying; the caller must not
// modify them.
func BytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// Decimal128Bytes appends v as a big-endian two's complement number of n
// bytes (n ≤ 16), the Parquet FIXED_LEN_BYTE_ARRAY decimal layout.
func Decimal128Bytes(dst []byte, v decimal128.Num, n int) []byte {
	hi, lo := uint64(v.HighBits()), v.LowBits()
	var b [16]byte
	for k := 0; k < 8; k++ {
		b[7-k] = byte(hi >> (8 * k))
		b[15-k] = byte(lo >> (8 * k))
	}
	return append(dst, b[16-n:]...)
}

// DecimalBytes is the fixed length Spark uses for decimal(p) in
// FIXED_LEN_BYTE_ARRAY: the fewest bytes whose range holds 10^p - 1.
func DecimalBytes(precision int) int {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision)), nil)
	for n := 1; n <= 16; n++ {
		max := new(big.Int).Lsh(big.NewInt(1), uint(8*n-1))
		if limit.Cmp(max) <= 0 {
			return n
		}
	}
	panic(fmt.Sprintf("BUG: decimal precision %d does not fit 16 bytes", precision))
}

// orderedGroup is a parquet group node that keeps its fields in the given
// order (parquet.Group, a map, sorts them by name), so files list columns
// in table order as Hive, Spark and DuckDB show them.
type orderedGroup []parquet.Field

func (g orderedGroup) ID() int                         { return 0 }
func (g orderedGroup) String() string                  { return parquet.Group{}.String() }
func (g orderedGroup) Type() parquet.Type              { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool                  { return false }
func (g orderedGroup) Repeated() bool                  { return false }
func (g orderedGroup) Required() bool                  { return true }
func (g orderedGroup) Leaf() bool                      { return false }
func (g orderedGroup) Fields() []parquet.Field         { return g }
func (g orderedGroup) Encoding() encoding.Encoding     { return nil }
func (g orderedGroup) Compression() compress.Codec     { return nil }
func (g orderedGroup) GoType() reflect.Type            { return reflect.TypeOf(struct{}{}) }
func (f namedField) Name() string                      { return f.name }
func (f namedField) Value(reflect.Value) reflect.Value { return reflect.Value{} }

type namedField struct {
	parquet.Node
	name string
}
