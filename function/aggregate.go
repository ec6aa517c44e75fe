package function

// Aggregate functions: registration and what the families share. Each
// family lives in its own aggregate_*.go file (approx.go for the sketches).
//
// Accumulators hold one state slot per group in flat slices indexed by
// group id; Update loops over the raw argument buffers. DISTINCT variants
// need nothing here: the executor de-duplicates before the accumulator.

import (
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

func init() { extraRegistrations = append(extraRegistrations, registerAggregates) }

func registerAggregates(r *Registry) {
	r.AddAggregate(&Aggregate{Name: "count", Bind: bindCount})
	r.AddAggregate(&Aggregate{Name: "count_if", Bind: bindCountIf})
	r.AddAggregate(&Aggregate{Name: "sum", Bind: bindSum})
	r.AddAggregate(&Aggregate{Name: "avg", Bind: bindAvg})
	r.AddAggregate(&Aggregate{Name: "min", Bind: func(args []types.Type) (AggBinding, error) { return bindMinMax("min", args) }})
	r.AddAggregate(&Aggregate{Name: "max", Bind: func(args []types.Type) (AggBinding, error) { return bindMinMax("max", args) }})
	r.AddAggregate(&Aggregate{Name: "min_by", Bind: func(args []types.Type) (AggBinding, error) { return bindMinMaxBy("min_by", args) }})
	r.AddAggregate(&Aggregate{Name: "max_by", Bind: func(args []types.Type) (AggBinding, error) { return bindMinMaxBy("max_by", args) }})
	r.AddAggregate(&Aggregate{Name: "bool_and", Bind: func(args []types.Type) (AggBinding, error) { return bindBool("bool_and", args) }}, "every")
	r.AddAggregate(&Aggregate{Name: "bool_or", Bind: func(args []types.Type) (AggBinding, error) { return bindBool("bool_or", args) }})
	r.AddAggregate(&Aggregate{Name: "arbitrary", Bind: func(args []types.Type) (AggBinding, error) { return bindArbitrary("arbitrary", args) }})
	r.AddAggregate(&Aggregate{Name: "any_value", Bind: func(args []types.Type) (AggBinding, error) { return bindArbitrary("any_value", args) }})
	r.AddAggregate(&Aggregate{Name: "array_agg", Bind: bindArrayAgg})
	r.AddAggregate(&Aggregate{Name: "map_agg", Bind: bindMapAgg})
	for _, v := range varianceFuncs {
		r.AddAggregate(&Aggregate{Name: v.name, Bind: bindVariance(v)})
	}
	r.AddAggregate(&Aggregate{Name: "approx_distinct", Bind: bindApproxDistinct})
	r.AddAggregate(&Aggregate{Name: "approx_percentile", Bind: bindApproxPercentile})
	r.AddAggregate(&Aggregate{Name: "checksum", Bind: bindChecksum})
}

// ---- validity -----------------------------------------------------------

// aggBits reads an argument's validity; bits is nil when every row is valid.
type aggBits struct {
	bits    []byte
	off     int
	allNull bool
}

func aggValidity(a arrow.Array) aggBits {
	if a.DataType().ID() == arrow.NULL {
		return aggBits{allNull: true}
	}
	if a.NullN() == 0 {
		return aggBits{}
	}
	return aggBits{bits: a.NullBitmapBytes(), off: a.Data().Offset()}
}

func (b aggBits) valid(i int) bool {
	if b.bits == nil {
		return !b.allNull
	}
	return bitutil.BitIsSet(b.bits, b.off+i)
}

// aggGrow extends s to n elements (n only grows).
func aggGrow[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	ns := make([]T, n, max(n, 2*cap(s)))
	copy(ns, s)
	return ns
}

// ---- column decoding ------------------------------------------------------

// aggInt64s decodes any column stored as integers (integers, dates,
// timestamps, short decimals, time, intervals, booleans as 0/1) to int64.
func aggInt64s(a arrow.Array) ([]int64, error) {
	switch c := a.(type) {
	case *array.Decimal64:
		out := make([]int64, c.Len())
		for i, v := range c.Values() {
			out[i] = int64(v)
		}
		return out, nil
	case *array.Time64:
		out := make([]int64, c.Len())
		for i, v := range c.Time64Values() {
			out[i] = int64(v)
		}
		return out, nil
	case *array.Boolean:
		out := make([]int64, c.Len())
		for i := range out {
			if c.Value(i) {
				out[i] = 1
			}
		}
		return out, nil
	}
	return dtInt64s(a)
}

// aggFloat64s decodes a numeric column to float64 (decimals by scale).
func aggFloat64s(a arrow.Array) ([]float64, error) {
	out := make([]float64, a.Len())
	switch c := a.(type) {
	case *array.Float64:
		copy(out, c.Float64Values())
	case *array.Float32:
		for i, v := range c.Float32Values() {
			out[i] = float64(v)
		}
	case *array.Decimal64:
		scale := c.DataType().(*arrow.Decimal64Type).Scale
		for i, v := range c.Values() {
			out[i] = v.ToFloat64(scale)
		}
	case *array.Decimal128:
		scale := c.DataType().(*arrow.Decimal128Type).Scale
		for i, v := range c.Values() {
			out[i] = v.ToFloat64(scale)
		}
	default:
		ints, err := aggInt64s(a)
		if err != nil {
			return nil, err
		}
		for i, v := range ints {
			out[i] = float64(v)
		}
	}
	return out, nil
}

// ---- result building --------------------------------------------------------

// aggBuildInt64s makes an array of type t from int64-encoded values.
func aggBuildInt64s(ctx *Context, t types.Type, vals []int64, valid []bool) arrow.Array {
	bld := array.NewBuilder(ctx.Alloc, t.Arrow())
	defer bld.Release()
	bld.Reserve(len(vals))
	switch b := bld.(type) {
	case *array.Int64Builder:
		b.AppendValues(vals, valid)
	case *array.Int32Builder:
		for i, v := range vals {
			b.Append(int32(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.Int16Builder:
		for i, v := range vals {
			b.Append(int16(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.Int8Builder:
		for i, v := range vals {
			b.Append(int8(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.BooleanBuilder:
		for i, v := range vals {
			b.Append(v != 0)
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.Date32Builder:
		for i, v := range vals {
			b.Append(arrow.Date32(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.TimestampBuilder:
		for i, v := range vals {
			b.Append(arrow.Timestamp(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.Time64Builder:
		for i, v := range vals {
			b.Append(arrow.Time64(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.DurationBuilder:
		for i, v := range vals {
			b.Append(arrow.Duration(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.MonthIntervalBuilder:
		for i, v := range vals {
			b.Append(arrow.MonthInterval(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	case *array.Decimal64Builder:
		for i, v := range vals {
			b.Append(decimal.Decimal64(v))
			if !valid[i] {
				b.SetNull(i)
			}
		}
	default:
		panic(fmt.Sprintf("BUG: aggBuildInt64s of %v", t))
	}
	return bld.NewArray()
}

// aggBuildFloat64s makes a double (or real) array.
func aggBuildFloat64s(ctx *Context, t types.Type, vals []float64, valid []bool) arrow.Array {
	if t.Kind == types.Real {
		b := array.NewFloat32Builder(ctx.Alloc)
		defer b.Release()
		b.Reserve(len(vals))
		for i, v := range vals {
			if valid[i] {
				b.UnsafeAppend(float32(v))
			} else {
				b.UnsafeAppendBoolToBitmap(false)
			}
		}
		return b.NewArray()
	}
	b := array.NewFloat64Builder(ctx.Alloc)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// aggBuildDecimals makes a decimal array of type t from 128-bit values.
func aggBuildDecimals(ctx *Context, t types.Type, vals []decimal128.Num, valid []bool) arrow.Array {
	if t.IsShortDecimal() {
		ints := make([]int64, len(vals))
		for i, v := range vals {
			ints[i] = int64(v.LowBits())
		}
		return aggBuildInt64s(ctx, t, ints, valid)
	}
	b := array.NewDecimal128Builder(ctx.Alloc, t.Arrow().(*arrow.Decimal128Type))
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// ---- generic values -----------------------------------------------------------

// aggAppendValue appends row i of a to b; both are of the same Arrow type.
// It serves the aggregates that keep values of any type (arbitrary,
// array_agg, map_agg, max_by), where a per-row type switch is acceptable.
func aggAppendValue(b array.Builder, a arrow.Array, i int) {
	if a.IsNull(i) {
		b.AppendNull()
		return
	}
	switch c := a.(type) {
	case *array.Boolean:
		b.(*array.BooleanBuilder).Append(c.Value(i))
	case *array.Int8:
		b.(*array.Int8Builder).Append(c.Value(i))
	case *array.Int16:
		b.(*array.Int16Builder).Append(c.Value(i))
	case *array.Int32:
		b.(*array.Int32Builder).Append(c.Value(i))
	case *array.Int64:
		b.(*array.Int64Builder).Append(c.Value(i))
	case *array.Float32:
		b.(*array.Float32Builder).Append(c.Value(i))
	case *array.Float64:
		b.(*array.Float64Builder).Append(c.Value(i))
	case *array.Decimal64:
		b.(*array.Decimal64Builder).Append(c.Value(i))
	case *array.Decimal128:
		b.(*array.Decimal128Builder).Append(c.Value(i))
	case *array.String:
		b.(*array.StringBuilder).Append(c.Value(i))
	case *array.Binary:
		b.(*array.BinaryBuilder).Append(c.Value(i))
	case *array.Date32:
		b.(*array.Date32Builder).Append(c.Value(i))
	case *array.Time64:
		b.(*array.Time64Builder).Append(c.Value(i))
	case *array.Timestamp:
		b.(*array.TimestampBuilder).Append(c.Value(i))
	case *array.Duration:
		b.(*array.DurationBuilder).Append(c.Value(i))
	case *array.MonthInterval:
		b.(*array.MonthIntervalBuilder).Append(c.Value(i))
	case *array.Map:
		mb := b.(*array.MapBuilder)
		mb.Append(true)
		start, end := c.ValueOffsets(i)
		for j := start; j < end; j++ {
			aggAppendValue(mb.KeyBuilder(), c.Keys(), int(j))
			aggAppendValue(mb.ItemBuilder(), c.Items(), int(j))
		}
	case *array.List:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		start, end := c.ValueOffsets(i)
		for j := start; j < end; j++ {
			aggAppendValue(lb.ValueBuilder(), c.ListValues(), int(j))
		}
	case *array.Struct:
		sb := b.(*array.StructBuilder)
		sb.Append(true)
		for f := 0; f < c.NumField(); f++ {
			aggAppendValue(sb.FieldBuilder(f), c.Field(f), i)
		}
	default:
		panic(fmt.Sprintf("BUG: aggAppendValue of %s", a.DataType()))
	}
}

// aggValueStore keeps values of one type, addressed by a dense int index;
// finished chunks stay readable while new values are appended.
type aggValueStore struct {
	ctx    *Context
	dt     arrow.DataType
	chunks []arrow.Array
	starts []int // global index of each chunk's first value
	bld    array.Builder
	n      int // values stored
	bytes  int64
}

func newAggValueStore(ctx *Context, dt arrow.DataType) *aggValueStore {
	return &aggValueStore{ctx: ctx, dt: dt}
}

// add stores row i of a and returns its index.
func (s *aggValueStore) add(a arrow.Array, i int) int {
	if s.bld == nil {
		s.bld = array.NewBuilder(s.ctx.Alloc, s.dt)
	}
	aggAppendValue(s.bld, a, i)
	s.n++
	return s.n - 1
}

// seal moves pending values into a readable chunk.
func (s *aggValueStore) seal() {
	if s.bld == nil || s.bld.Len() == 0 {
		return
	}
	chunk := s.bld.NewArray()
	s.starts = append(s.starts, s.n-chunk.Len())
	s.chunks = append(s.chunks, chunk)
	s.bytes += aggArrayBytes(chunk)
}

// at returns the chunk and row of value idx; the store must be sealed.
func (s *aggValueStore) at(idx int) (arrow.Array, int) {
	k := sort.Search(len(s.starts), func(k int) bool { return s.starts[k] > idx }) - 1
	if k < 0 || idx >= s.n {
		panic(fmt.Sprintf("BUG: aggValueStore index %d out of range", idx))
	}
	return s.chunks[k], idx - s.starts[k]
}

func (s *aggValueStore) size() int64 {
	sz := s.bytes
	if s.bld != nil {
		sz += int64(s.bld.Len()) * 16
	}
	return sz
}

func (s *aggValueStore) release() {
	for _, c := range s.chunks {
		c.Release()
	}
	s.chunks, s.starts = nil, nil
	if s.bld != nil {
		s.bld.Release()
		s.bld = nil
	}
}

func aggArrayBytes(a arrow.Array) int64 {
	var n int64
	var walk func(d arrow.ArrayData)
	walk = func(d arrow.ArrayData) {
		for _, b := range d.Buffers() {
			if b != nil {
				n += int64(b.Len())
			}
		}
		for _, c := range d.Children() {
			walk(c)
		}
	}
	walk(a.Data())
	return n
}

// aggUnknown maps a bare NULL argument to a concrete type.
func aggUnknown(t, as types.Type) types.Type {
	if t.Kind == types.Unknown {
		return as
	}
	return t
}
