package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// ScalarAt returns the value at row i as a constant (see ConstArray for the
// representation); nil for NULL. Arrays and rows yield []any, maps MapValue.
func ScalarAt(a arrow.Array, i int) any {
	if a.IsNull(i) || a.DataType().ID() == arrow.NULL {
		return nil
	}
	switch x := a.(type) {
	case *array.Boolean:
		return x.Value(i)
	case *array.Int8:
		return int64(x.Value(i))
	case *array.Int16:
		return int64(x.Value(i))
	case *array.Int32:
		return int64(x.Value(i))
	case *array.Int64:
		return x.Value(i)
	case *array.Float32:
		return float64(x.Value(i))
	case *array.Float64:
		return x.Value(i)
	case *array.Decimal64:
		return int64(x.Value(i))
	case *array.Decimal128:
		return x.Value(i)
	case *array.String:
		return x.Value(i)
	case *array.Binary:
		return string(x.Value(i))
	case *array.Date32:
		return int64(x.Value(i))
	case *array.Time64:
		return int64(x.Value(i))
	case *array.Timestamp:
		return int64(x.Value(i))
	case *array.Duration:
		return int64(x.Value(i))
	case *array.MonthInterval:
		return int64(x.Value(i))
	case *array.List:
		s, e := x.ValueOffsets(i)
		out := make([]any, 0, e-s)
		for j := s; j < e; j++ {
			out = append(out, ScalarAt(x.ListValues(), int(j)))
		}
		return out
	case *array.Map:
		s, e := x.ValueOffsets(i)
		m := MapValue{Keys: make([]any, 0, e-s), Values: make([]any, 0, e-s)}
		for j := s; j < e; j++ {
			m.Keys = append(m.Keys, ScalarAt(x.Keys(), int(j)))
			m.Values = append(m.Values, ScalarAt(x.Items(), int(j)))
		}
		return m
	case *array.Struct:
		out := make([]any, x.NumField())
		for f := range out {
			out[f] = ScalarAt(x.Field(f), i)
		}
		return out
	}
	return fmt.Sprintf("<%s>", a.DataType())
}

// AppendValue appends row i of src to a builder of the same type.
func AppendValue(b array.Builder, src arrow.Array, i int) error {
	if src.IsNull(i) || src.DataType().ID() == arrow.NULL {
		b.AppendNull()
		return nil
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		bb.Append(src.(*array.Boolean).Value(i))
	case *array.Int8Builder:
		bb.Append(src.(*array.Int8).Value(i))
	case *array.Int16Builder:
		bb.Append(src.(*array.Int16).Value(i))
	case *array.Int32Builder:
		bb.Append(src.(*array.Int32).Value(i))
	case *array.Int64Builder:
		bb.Append(src.(*array.Int64).Value(i))
	case *array.Float32Builder:
		bb.Append(src.(*array.Float32).Value(i))
	case *array.Float64Builder:
		bb.Append(src.(*array.Float64).Value(i))
	case *array.Decimal64Builder:
		bb.Append(src.(*array.Decimal64).Value(i))
	case *array.Decimal128Builder:
		bb.Append(src.(*array.Decimal128).Value(i))
	case *array.StringBuilder:
		bb.Append(src.(*array.String).Value(i))
	case *array.BinaryBuilder:
		bb.Append(src.(*array.Binary).Value(i))
	case *array.Date32Builder:
		bb.Append(src.(*array.Date32).Value(i))
	case *array.Time64Builder:
		bb.Append(src.(*array.Time64).Value(i))
	case *array.TimestampBuilder:
		bb.Append(src.(*array.Timestamp).Value(i))
	case *array.DurationBuilder:
		bb.Append(src.(*array.Duration).Value(i))
	case *array.MonthIntervalBuilder:
		bb.Append(src.(*array.MonthInterval).Value(i))
	case *array.ListBuilder:
		l := src.(*array.List)
		s, e := l.ValueOffsets(i)
		bb.Append(true)
		for j := s; j < e; j++ {
			if err := AppendValue(bb.ValueBuilder(), l.ListValues(), int(j)); err != nil {
				return err
			}
		}
	case *array.MapBuilder:
		m := src.(*array.Map)
		s, e := m.ValueOffsets(i)
		bb.Append(true)
		for j := s; j < e; j++ {
			if err := AppendValue(bb.KeyBuilder(), m.Keys(), int(j)); err != nil {
				return err
			}
			if err := AppendValue(bb.ItemBuilder(), m.Items(), int(j)); err != nil {
				return err
			}
		}
	case *array.StructBuilder:
		st := src.(*array.Struct)
		bb.Append(true)
		for f := 0; f < st.NumField(); f++ {
			if err := AppendValue(bb.FieldBuilder(f), st.Field(f), i); err != nil {
				return err
			}
		}
	case *array.NullBuilder:
		bb.AppendNull()
	default:
		return fmt.Errorf("BUG: cannot append %s values", src.DataType())
	}
	return nil
}
