package exec

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Constant values are Go values: nil (NULL), bool, int64 (every integer
// type, dates as days since epoch, timestamps and times as µs, intervals
// day-to-second as ms, year-to-month as months, short decimals as the
// unscaled integer), decimal128.Num (long decimals), float64, string
// (varchar, char, json; varbinary as its bytes), []any (arrays: the
// elements; rows: the field values in order) and MapValue (maps). Nested
// values follow the same rules; nil is a NULL element or field.

// MapValue is a map constant: keys and values in entry order.
type MapValue struct {
	Keys, Values []any
}

// String renders the map as Trino prints one, {k=v, ...}, for EXPLAIN.
func (m MapValue) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range m.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%v=%v", m.Keys[i], m.Values[i])
	}
	b.WriteByte('}')
	return b.String()
}

// ConstArray returns an array of n copies of v, typed t.
func ConstArray(mem memory.Allocator, t types.Type, v any, n int) (arrow.Array, error) {
	if t.Kind == types.Unknown {
		return array.NewNull(n), nil
	}
	if str, ok := v.(string); ok && (t.Arrow().ID() == arrow.STRING || t.Arrow().ID() == arrow.BINARY) && int64(len(str))*int64(n) < math.MaxInt32 {
		return repeatedString(mem, t.Arrow(), str, n), nil
	}
	b := array.NewBuilder(mem, t.Arrow())
	defer b.Release()
	b.Reserve(n)
	if v == nil {
		b.AppendNulls(n)
		return b.NewArray(), nil
	}
	if err := appendConst(b, t, v, n); err != nil {
		return nil, err
	}
	return b.NewArray(), nil
}

func appendConst(b array.Builder, t types.Type, v any, n int) error {
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(x)
		}
	case *array.Int8Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(int8(x))
		}
	case *array.Int16Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(int16(x))
		}
	case *array.Int32Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(int32(x))
		}
	case *array.Int64Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(x)
		}
	case *array.Float32Builder:
		x, ok := v.(float64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(float32(x))
		}
	case *array.Float64Builder:
		x, ok := v.(float64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(x)
		}
	case *array.Decimal64Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(decimal.Decimal64(x))
		}
	case *array.Decimal128Builder:
		var x decimal128.Num
		switch y := v.(type) {
		case int64:
			x = decimal128.FromI64(y)
		case decimal128.Num:
			x = y
		case *big.Int:
			x = decimal128.FromBigInt(y)
		default:
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(x)
		}
	case *array.StringBuilder:
		x, ok := v.(string)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(x)
		}
	case *array.BinaryBuilder:
		x, ok := v.(string)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append([]byte(x))
		}
	case *array.Date32Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(arrow.Date32(x))
		}
	case *array.Time64Builder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(arrow.Time64(x))
		}
	case *array.TimestampBuilder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(arrow.Timestamp(x))
		}
	case *array.DurationBuilder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(arrow.Duration(x))
		}
	case *array.MonthIntervalBuilder:
		x, ok := v.(int64)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(arrow.MonthInterval(x))
		}
	case *array.ListBuilder:
		xs, ok := v.([]any)
		if !ok {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(true)
			for _, x := range xs {
				if err := appendConstOrNull(bb.ValueBuilder(), *t.Elem, x); err != nil {
					return err
				}
			}
		}
	case *array.MapBuilder:
		m, ok := v.(MapValue)
		if !ok || len(m.Keys) != len(m.Values) || t.Key == nil {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(true)
			for j := range m.Keys {
				if err := appendConstOrNull(bb.KeyBuilder(), *t.Key, m.Keys[j]); err != nil {
					return err
				}
				if err := appendConstOrNull(bb.ItemBuilder(), *t.Elem, m.Values[j]); err != nil {
					return err
				}
			}
		}
	case *array.StructBuilder:
		fs, ok := v.([]any)
		if !ok || len(fs) != len(t.Fields) {
			return constErr(t, v)
		}
		for i := 0; i < n; i++ {
			bb.Append(true)
			for f, x := range fs {
				if err := appendConstOrNull(bb.FieldBuilder(f), t.Fields[f].Type, x); err != nil {
					return err
				}
			}
		}
	case *array.NullBuilder:
		if v != nil {
			return constErr(t, v)
		}
		bb.AppendNulls(n)
	default:
		return fmt.Errorf("constants of type %s are not supported", t)
	}
	return nil
}

// appendConstOrNull appends one nested value, nil as NULL.
func appendConstOrNull(b array.Builder, t types.Type, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	return appendConst(b, t, v, 1)
}

func constErr(t types.Type, v any) error {
	return fmt.Errorf("BUG: constant %v (%T) does not fit type %s", v, v, t)
}

// repeatedString builds n copies of s as a string or binary array, filling
// its buffers directly (a builder appends value by value).
func repeatedString(mem memory.Allocator, dt arrow.DataType, s string, n int) arrow.Array {
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((n + 1) * 4)
	offs := arrow.GetData[int32](offBuf.Bytes())[:n+1]
	for i := range offs {
		offs[i] = int32(i * len(s))
	}
	dataBuf := memory.NewResizableBuffer(mem)
	dataBuf.Resize(n * len(s))
	data := dataBuf.Bytes()[:n*len(s)]
	if len(s) > 0 {
		for i := 0; i < len(data); i += len(s) {
			copy(data[i:], s)
		}
	}
	d := array.NewData(dt, n, []*memory.Buffer{nil, offBuf, dataBuf}, nil, 0, 0)
	defer d.Release()
	offBuf.Release()
	dataBuf.Release()
	return array.MakeFromData(d)
}
