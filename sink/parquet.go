package sink

import (
	"fmt"
	"io"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/gzip"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/quarry-sql/quarry/types"
)

// Parquet layout: every column is OPTIONAL; lists are the standard
// three-level LIST (<name> / list / element), maps MAP (key_value / key,
// value) with required keys, rows optional groups whose fields keep the
// declared order. Leaves carry dictionary encoding (falling back to plain
// per row group once the dictionary passes dictionaryMaxBytes, as
// parquet-mr does) except booleans; data pages are v1, which every reader
// supports, with statistics in the page headers and column chunks.

const (
	pageBufferSize     = 1 << 20
	dictionaryMaxBytes = 1 << 20
	// flatChunkRows is how many rows of a flat column are converted to
	// parquet values per WriteRowValues call: small enough that pages end
	// near pageBufferSize, large enough to amortise the call.
	flatChunkRows = 2048
)

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

// shredNode mirrors one column (or nested field) of the table in the
// Parquet schema, with the levels the Dremel encoding gives it.
type shredNode struct {
	t        types.Type
	leaf     int // leaf column index for scalars, -1 for groups
	def      int // definition level when this value is present
	rep      int // for lists and maps: repetition level of their entries
	children []*shredNode
	leaves   []int // all leaf indices below (itself for a scalar)
	dfb      int   // decimal FIXED_LEN_BYTE_ARRAY width
}

// parquetSchema builds the file schema and shred trees for the data
// columns, or explains which column cannot be stored.
func parquetSchema(cols []types.Column) (*parquet.Schema, []*shredNode, error) {
	fields := make(orderedGroup, len(cols))
	shreds := make([]*shredNode, len(cols))
	leaf := 0
	for i, c := range cols {
		node, sh, err := parquetNode(c.Name, c.Type, 0, 0, &leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		fields[i] = namedField{parquet.Optional(node), c.Name}
		shreds[i] = sh
	}
	return parquet.NewSchema("schema", fields), shreds, nil
}

// parquetNode returns the node for a value of t that is optional at
// definition level def+1 (the caller wraps it in Optional).
func parquetNode(name string, t types.Type, def, rep int, leaf *int) (parquet.Node, *shredNode, error) {
	sh := &shredNode{t: t, leaf: -1, def: def + 1}
	var node parquet.Node
	dict := true
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
			sh.dfb = decimalBytes(t.Precision)
			node = parquet.Decimal(t.Scale, t.Precision, parquet.FixedLenByteArrayType(sh.dfb))
		}
	case types.Varchar, types.Char, types.JSON:
		node = parquet.String()
	case types.Varbinary:
		node = parquet.Leaf(parquet.ByteArrayType)
	case types.Date:
		node = parquet.Date()
	case types.Time:
		node = parquet.Time(parquet.Microsecond)
	case types.Timestamp:
		node = parquet.TimestampAdjusted(parquet.Microsecond, false)
	case types.TimestampTZ:
		node = parquet.TimestampAdjusted(parquet.Microsecond, true)
	case types.Array:
		en, esh, err := parquetNode("element", *t.Elem, def+2, rep+1, leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("array element: %w", err)
		}
		sh.rep = rep + 1
		sh.children = []*shredNode{esh}
		sh.leaves = esh.leaves
		return parquet.List(parquet.Optional(en)), sh, nil
	case types.Map:
		if !t.Key.IsOrderable() || isNested(*t.Key) {
			return nil, nil, fmt.Errorf("map key type %s is not supported in Parquet", t.Key)
		}
		// Keys are required: their level is that of the key_value entry.
		kn, ksh, err := parquetNode("key", *t.Key, def+1, rep+1, leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("map key: %w", err)
		}
		vn, vsh, err := parquetNode("value", *t.Elem, def+2, rep+1, leaf)
		if err != nil {
			return nil, nil, fmt.Errorf("map value: %w", err)
		}
		sh.rep = rep + 1
		sh.children = []*shredNode{ksh, vsh}
		sh.leaves = append(append([]int(nil), ksh.leaves...), vsh.leaves...)
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
			fn, fsh, err := parquetNode(fname, f.Type, def+1, rep, leaf)
			if err != nil {
				return nil, nil, fmt.Errorf("field %s: %w", fname, err)
			}
			g[i] = namedField{parquet.Optional(fn), fname}
			sh.children = append(sh.children, fsh)
			sh.leaves = append(sh.leaves, fsh.leaves...)
		}
		return g, sh, nil
	default:
		return nil, nil, fmt.Errorf("type %s cannot be stored in Parquet", t)
	}
	if dict {
		node = parquet.Encoded(node, &parquet.RLEDictionary)
	}
	sh.leaf = *leaf
	sh.leaves = []int{*leaf}
	*leaf++
	return node, sh, nil
}

func isNested(t types.Type) bool {
	return t.Kind == types.Array || t.Kind == types.Map || t.Kind == types.Row
}

func parquetCodec(name string) compress.Codec {
	switch name {
	case "ZSTD":
		return &zstd.Codec{Level: zstd.SpeedDefault}
	case "SNAPPY":
		return &snappy.Codec{}
	case "GZIP":
		return &gzip.Codec{Level: gzip.DefaultCompression}
	}
	return &uncompressed.Codec{}
}

// parquetEncoder writes one Parquet file column by column: each leaf's
// values are converted from the Arrow arrays into parquet.Value slices
// with their levels and handed to that leaf's ColumnWriter.
type parquetEncoder struct {
	w      *parquet.Writer
	cols   []*parquet.ColumnWriter
	shreds []*shredNode
	vals   [][]parquet.Value // per leaf, reused
	arena  []byte            // decimal128 bytes of the current chunk
	rows   int64             // rows in the current row group
}

func newParquetEncoder(out io.Writer, schema *parquet.Schema, shreds []*shredNode, codec string) (*parquetEncoder, error) {
	cfg, err := parquet.NewWriterConfig(
		schema,
		parquet.Compression(parquetCodec(codec)),
		parquet.PageBufferSize(pageBufferSize),
		parquet.DataPageVersion(1),
		parquet.DataPageStatistics(true),
		parquet.DictionaryMaxBytes(dictionaryMaxBytes),
		parquet.CreatedBy("quarry", "", ""),
	)
	if err != nil {
		return nil, err
	}
	w := parquet.NewWriter(out, cfg)
	e := &parquetEncoder{w: w, shreds: shreds, cols: w.ColumnWriters()}
	e.vals = make([][]parquet.Value, len(e.cols))
	return e, nil
}

// write appends rows sel of the data columns (all rows when sel is nil).
func (e *parquetEncoder) write(cols []arrow.Array, sel []int32, n int) error {
	for c, sh := range e.shreds {
		arr := cols[c]
		if sh.leaf >= 0 {
			if err := e.writeFlat(sh, arr, sel, n); err != nil {
				return err
			}
			continue
		}
		if err := e.writeNested(sh, arr, sel, n); err != nil {
			return err
		}
	}
	e.rows += int64(n)
	return nil
}

func (e *parquetEncoder) writeFlat(sh *shredNode, arr arrow.Array, sel []int32, n int) error {
	leaf := sh.leaf
	cw := e.cols[leaf]
	for start := 0; start < n; start += flatChunkRows {
		end := min(start+flatChunkRows, n)
		vals := e.vals[leaf][:0]
		e.arena = e.arena[:0]
		if sel == nil {
			for i := start; i < end; i++ {
				vals = e.appendValue(vals, sh, arr, i, 0)
			}
		} else {
			for _, i := range sel[start:end] {
				vals = e.appendValue(vals, sh, arr, int(i), 0)
			}
		}
		e.vals[leaf] = vals
		if _, err := cw.WriteRowValues(vals); err != nil {
			return fmt.Errorf("parquet column %d: %w", leaf, err)
		}
	}
	return nil
}

func (e *parquetEncoder) writeNested(sh *shredNode, arr arrow.Array, sel []int32, n int) error {
	for start := 0; start < n; start += flatChunkRows {
		end := min(start+flatChunkRows, n)
		for _, l := range sh.leaves {
			e.vals[l] = e.vals[l][:0]
		}
		e.arena = e.arena[:0]
		for k := start; k < end; k++ {
			i := k
			if sel != nil {
				i = int(sel[k])
			}
			e.shred(sh, arr, i, 0)
		}
		for _, l := range sh.leaves {
			if _, err := e.cols[l].WriteRowValues(e.vals[l]); err != nil {
				return fmt.Errorf("parquet column %d: %w", l, err)
			}
		}
	}
	return nil
}

// shred appends value i of arr, at repetition level rep, to the leaves
// below sh (Dremel record shredding).
func (e *parquetEncoder) shred(sh *shredNode, arr arrow.Array, i, rep int) {
	if sh.leaf >= 0 {
		e.vals[sh.leaf] = e.appendValue(e.vals[sh.leaf], sh, arr, i, rep)
		return
	}
	if arr.IsNull(i) {
		e.nulls(sh, rep, sh.def-1)
		return
	}
	switch a := arr.(type) {
	case *array.Struct:
		for k, c := range sh.children {
			e.shred(c, a.Field(k), i, rep)
		}
	case *array.Map:
		start, end := a.ValueOffsets(i)
		if start == end {
			e.nulls(sh, rep, sh.def)
			return
		}
		keys, items := a.Keys(), a.Items()
		for j := int(start); j < int(end); j++ {
			r := sh.rep
			if j == int(start) {
				r = rep
			}
			e.shred(sh.children[0], keys, j, r)
			e.shred(sh.children[1], items, j, r)
		}
	case *array.List:
		start, end := a.ValueOffsets(i)
		if start == end {
			e.nulls(sh, rep, sh.def)
			return
		}
		elems := a.ListValues()
		for j := int(start); j < int(end); j++ {
			r := sh.rep
			if j == int(start) {
				r = rep
			}
			e.shred(sh.children[0], elems, j, r)
		}
	default:
		panic(fmt.Sprintf("BUG: array %T for nested type %s", arr, sh.t))
	}
}

// nulls appends a NULL at (rep, def) to every leaf below sh.
func (e *parquetEncoder) nulls(sh *shredNode, rep, def int) {
	for _, l := range sh.leaves {
		e.vals[l] = append(e.vals[l], parquet.NullValue().Level(rep, def, l))
	}
}

// appendValue appends the scalar value i of arr (NULL one level below
// sh.def) as a parquet value.
func (e *parquetEncoder) appendValue(vals []parquet.Value, sh *shredNode, arr arrow.Array, i, rep int) []parquet.Value {
	l := sh.leaf
	if arr.IsNull(i) {
		return append(vals, parquet.NullValue().Level(rep, sh.def-1, l))
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
		v = parquet.ByteArrayValue(bytesOf(a.Value(i)))
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
		start := len(e.arena)
		e.arena = decimal128Bytes(e.arena, a.Value(i), sh.dfb)
		v = parquet.FixedLenByteArrayValue(e.arena[start:len(e.arena):len(e.arena)])
	default:
		panic(fmt.Sprintf("BUG: array %T for type %s", arr, sh.t))
	}
	return append(vals, v.Level(rep, sh.def, l))
}

// buffered estimates the bytes the current row group holds in memory.
func (e *parquetEncoder) size() int64 { return e.w.Size() }

func (e *parquetEncoder) flushRowGroup() error {
	if e.rows == 0 {
		return nil
	}
	e.rows = 0
	return e.w.Flush()
}

func (e *parquetEncoder) close() error { return e.w.Close() }
