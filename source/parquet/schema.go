package parquet

import (
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/types"
)

// pqNode is one element of a file's schema tree with the levels the
// Dremel encoding assigns it. We build the tree from the footer ourselves
// (rather than through parquet-go's Column) because conversions need the
// raw SchemaElement: legacy converted types, decimal scale and precision.
type pqNode struct {
	elem     *format.SchemaElement
	children []*pqNode
	leaf     int // leaf column index in row-group order; -1 for groups
	def, rep int // max definition and repetition levels at this node
}

func (n *pqNode) name() string   { return n.elem.Name }
func (n *pqNode) isLeaf() bool   { return n.leaf >= 0 }
func (n *pqNode) repeated() bool { return n.repetition() == format.Repeated }
func (n *pqNode) repetition() format.FieldRepetitionType {
	if n.elem.RepetitionType.Valid {
		return n.elem.RepetitionType.V
	}
	return format.Required
}

// child returns the child named name, compared case-insensitively as Hive
// and Athena resolve Parquet columns by name.
func (n *pqNode) child(name string) *pqNode {
	for _, c := range n.children {
		if c.name() == name {
			return c
		}
	}
	for _, c := range n.children {
		if strings.EqualFold(c.name(), name) {
			return c
		}
	}
	return nil
}

// maxSchemaDepth bounds recursion on hostile footers.
const maxSchemaDepth = 64

// buildSchema turns the flattened depth-first schema list of a footer into
// a tree and numbers its leaves in the order row groups list their chunks.
func buildSchema(elems []format.SchemaElement) (*pqNode, int, error) {
	if len(elems) == 0 {
		return nil, 0, fmt.Errorf("schema has no root element")
	}
	pos, leaves := 0, 0
	var build func(depth, def, rep int) (*pqNode, error)
	build = func(depth, def, rep int) (*pqNode, error) {
		if pos >= len(elems) {
			return nil, fmt.Errorf("schema ends early: element %d of %d", pos, len(elems))
		}
		if depth > maxSchemaDepth {
			return nil, fmt.Errorf("schema nests deeper than %d levels", maxSchemaDepth)
		}
		e := &elems[pos]
		pos++
		n := &pqNode{elem: e, leaf: -1, def: def, rep: rep}
		if depth > 0 {
			switch n.repetition() {
			case format.Optional:
				n.def++
			case format.Repeated:
				n.def++
				n.rep++
			}
		}
		nc := 0
		if e.NumChildren.Valid {
			nc = int(e.NumChildren.V)
		}
		if nc < 0 || nc > len(elems)-pos {
			return nil, fmt.Errorf("schema element %q claims %d children", e.Name, nc)
		}
		if nc == 0 && depth > 0 {
			if !e.Type.Valid {
				return nil, fmt.Errorf("schema element %q is a group without children", e.Name)
			}
			n.leaf = leaves
			leaves++
			return n, nil
		}
		n.children = make([]*pqNode, 0, nc)
		for range nc {
			c, err := build(depth+1, n.def, n.rep)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		}
		return n, nil
	}
	root, err := build(0, 0, 0)
	if err != nil {
		return nil, 0, err
	}
	if pos != len(elems) {
		return nil, 0, fmt.Errorf("schema has %d elements outside the root", len(elems)-pos)
	}
	return root, leaves, nil
}

func (n *pqNode) logical() format.LogicalTypeValue { return n.elem.LogicalType.Value }

func (n *pqNode) converted() (deprecated.ConvertedType, bool) {
	return n.elem.ConvertedType.V, n.elem.ConvertedType.Valid
}

func (n *pqNode) isList() bool {
	if _, ok := n.logical().(*format.ListType); ok {
		return true
	}
	ct, ok := n.converted()
	return ok && ct == deprecated.List
}

func (n *pqNode) isMap() bool {
	if _, ok := n.logical().(*format.MapType); ok {
		return true
	}
	ct, ok := n.converted()
	return ok && (ct == deprecated.Map || ct == deprecated.MapKeyValue)
}

// listParts resolves a LIST-annotated group into its repeated node and its
// element node following the spec's backward-compatibility rules, so files
// from old writers (2-level lists, "array" and "_tuple" names) read too.
func (n *pqNode) listParts() (repeated, element *pqNode, err error) {
	if len(n.children) != 1 || !n.children[0].repeated() {
		return nil, nil, fmt.Errorf("list %q does not have exactly one repeated child", n.name())
	}
	r := n.children[0]
	switch {
	case r.isLeaf(), len(r.children) > 1:
		return r, r, nil
	case len(r.children) == 1 && (r.name() == "array" || r.name() == n.name()+"_tuple"):
		return r, r, nil
	case len(r.children) == 0:
		return nil, nil, fmt.Errorf("list %q has an empty repeated group", n.name())
	}
	return r, r.children[0], nil
}

// mapParts resolves a MAP-annotated group into its repeated key_value
// group, key and value (value may be nil: a set).
func (n *pqNode) mapParts() (kv, key, value *pqNode, err error) {
	if len(n.children) != 1 || !n.children[0].repeated() || n.children[0].isLeaf() {
		return nil, nil, nil, fmt.Errorf("map %q does not have exactly one repeated key_value group", n.name())
	}
	kv = n.children[0]
	if len(kv.children) < 1 || len(kv.children) > 2 {
		return nil, nil, nil, fmt.Errorf("map %q key_value group has %d fields", n.name(), len(kv.children))
	}
	key = kv.children[0]
	if len(kv.children) == 2 {
		value = kv.children[1]
	}
	return kv, key, value, nil
}

// InferColumns maps a file's schema to Trino columns: the types a
// zero-setup CREATE TABLE declares for the file.
func InferColumns(root *pqNode) ([]types.Column, error) {
	cols := make([]types.Column, 0, len(root.children))
	for _, c := range root.children {
		t, err := inferType(c, true)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.name(), err)
		}
		cols = append(cols, types.Column{Name: c.name(), Type: t})
	}
	return cols, nil
}

// inferType maps a node to a Trino type; considerRepeated is false when
// the caller already accounts for the node's repetition (list elements).
func inferType(n *pqNode, considerRepeated bool) (types.Type, error) {
	if considerRepeated && n.repeated() {
		elem, err := inferType(n, false)
		if err != nil {
			return types.Type{}, err
		}
		return types.ArrayOf(elem), nil
	}
	if n.isLeaf() {
		return inferPrimitive(n)
	}
	switch {
	case n.isList():
		_, e, err := n.listParts()
		if err != nil {
			return types.Type{}, err
		}
		elem, err := inferType(e, false)
		if err != nil {
			return types.Type{}, err
		}
		return types.ArrayOf(elem), nil
	case n.isMap():
		_, k, v, err := n.mapParts()
		if err != nil {
			return types.Type{}, err
		}
		kt, err := inferType(k, true)
		if err != nil {
			return types.Type{}, err
		}
		vt := types.UnknownType
		if v != nil {
			if vt, err = inferType(v, true); err != nil {
				return types.Type{}, err
			}
		}
		return types.MapOf(kt, vt), nil
	}
	fields := make([]types.Field, 0, len(n.children))
	for _, c := range n.children {
		t, err := inferType(c, true)
		if err != nil {
			return types.Type{}, fmt.Errorf("field %q: %w", c.name(), err)
		}
		fields = append(fields, types.Field{Name: c.name(), Type: t})
	}
	return types.RowOf(fields...), nil
}

// leafInfo is the logical meaning of a primitive column, normalised from
// the logical type or, for old writers, the converted type.
type leafInfo struct {
	phys      format.Type
	size      int // FIXED_LEN_BYTE_ARRAY width
	decimal   bool
	precision int
	scale     int
	intBits   int // 8, 16, 32, 64; 0 when not an integer annotation
	unsigned  bool
	date      bool
	timestamp bool
	time      bool
	unit      int // 1000 for millis, 1 for micros, -1000 for nanos (divide)
	str       bool
	float16   bool
	uuid      bool
}

func describeLeaf(n *pqNode) (leafInfo, error) {
	e := n.elem
	li := leafInfo{phys: e.Type.V}
	if e.TypeLength.Valid {
		li.size = int(e.TypeLength.V)
	}
	if li.phys == format.FixedLenByteArray && (li.size <= 0 || li.size > 1<<20) {
		return li, fmt.Errorf("fixed_len_byte_array column %q has invalid length %d", n.name(), li.size)
	}
	unitOf := func(u format.TimeUnit) int {
		switch u.Value.(type) {
		case *format.MilliSeconds:
			return 1000
		case *format.NanoSeconds:
			return -1000
		}
		return 1
	}
	switch lt := n.logical().(type) {
	case *format.StringType, *format.EnumType, *format.JsonType:
		li.str = true
		return li, nil
	case *format.DecimalType:
		li.decimal, li.precision, li.scale = true, int(lt.Precision), int(lt.Scale)
		return li, nil
	case *format.DateType:
		li.date = true
		return li, nil
	case *format.TimestampType:
		li.timestamp, li.unit = true, unitOf(lt.Unit)
		return li, nil
	case *format.TimeType:
		li.time, li.unit = true, unitOf(lt.Unit)
		return li, nil
	case *format.IntType:
		li.intBits, li.unsigned = int(lt.BitWidth), !lt.IsSigned
		return li, nil
	case *format.Float16Type:
		li.float16 = true
		return li, nil
	case *format.UUIDType:
		li.uuid = true
		return li, nil
	}
	if ct, ok := n.converted(); ok {
		switch ct {
		case deprecated.UTF8, deprecated.Enum, deprecated.Json:
			li.str = true
		case deprecated.Decimal:
			li.decimal = true
			li.precision, li.scale = int(e.Precision.V), int(e.Scale.V)
		case deprecated.Date:
			li.date = true
		case deprecated.TimestampMillis:
			li.timestamp, li.unit = true, 1000
		case deprecated.TimestampMicros:
			li.timestamp, li.unit = true, 1
		case deprecated.TimeMillis:
			li.time, li.unit = true, 1000
		case deprecated.TimeMicros:
			li.time, li.unit = true, 1
		case deprecated.Int8:
			li.intBits = 8
		case deprecated.Int16:
			li.intBits = 16
		case deprecated.Int32:
			li.intBits = 32
		case deprecated.Int64:
			li.intBits = 64
		case deprecated.Uint8:
			li.intBits, li.unsigned = 8, true
		case deprecated.Uint16:
			li.intBits, li.unsigned = 16, true
		case deprecated.Uint32:
			li.intBits, li.unsigned = 32, true
		case deprecated.Uint64:
			li.intBits, li.unsigned = 64, true
		}
	}
	return li, nil
}

func inferPrimitive(n *pqNode) (types.Type, error) {
	if _, ok := n.logical().(*format.NullType); ok {
		return types.UnknownType, nil
	}
	li, err := describeLeaf(n)
	if err != nil {
		return types.Type{}, err
	}
	if li.decimal {
		if li.precision <= 0 || li.precision > types.MaxDecimalPrecision || li.scale < 0 || li.scale > li.precision {
			return types.Type{}, fmt.Errorf("unsupported decimal(%d,%d)", li.precision, li.scale)
		}
		return types.DecimalOf(li.precision, li.scale), nil
	}
	switch li.phys {
	case format.Boolean:
		return types.BooleanType, nil
	case format.Int32:
		switch {
		case li.date:
			return types.DateType, nil
		case li.time:
			return types.Type{Kind: types.Time, Precision: 3}, nil
		case li.unsigned && li.intBits == 32:
			return types.BigIntType, nil
		case li.unsigned && li.intBits == 16:
			return types.IntegerType, nil
		case li.unsigned && li.intBits == 8, li.intBits == 16:
			return types.SmallIntType, nil
		case li.intBits == 8:
			return types.TinyIntType, nil
		}
		return types.IntegerType, nil
	case format.Int64:
		switch {
		case li.timestamp:
			return timestampType(li), nil
		case li.time:
			return types.Type{Kind: types.Time, Precision: 6}, nil
		case li.unsigned:
			return types.DecimalOf(20, 0), nil
		}
		return types.BigIntType, nil
	case format.Int96:
		return types.Type{Kind: types.Timestamp, Precision: 6}, nil
	case format.Float:
		return types.RealType, nil
	case format.Double:
		return types.DoubleType, nil
	case format.ByteArray:
		if li.str {
			return types.VarcharType, nil
		}
		return types.VarbinaryTyp, nil
	case format.FixedLenByteArray:
		switch {
		case li.float16 && li.size == 2:
			return types.RealType, nil
		case li.uuid && li.size == 16:
			return types.VarcharType, nil
		}
		return types.VarbinaryTyp, nil
	}
	return types.Type{}, fmt.Errorf("unsupported physical type %v", li.phys)
}

func timestampType(li leafInfo) types.Type {
	if li.unit == 1000 {
		return types.TimestampType
	}
	return types.Type{Kind: types.Timestamp, Precision: 6}
}

// fileTypeString describes a leaf as the file declares it, for errors.
func fileTypeString(n *pqNode) string {
	s := n.elem.Type.V.String()
	if lt := n.logical(); lt != nil {
		s += " (" + lt.String() + ")"
	} else if ct, ok := n.converted(); ok {
		s += fmt.Sprintf(" (converted type %d)", ct)
	}
	return s
}
