package exec

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// TestPairComparatorAgrees holds the merge's two-array comparison to the
// in-memory sort's Comparator, type by type, so that external and
// in-memory sorts order alike.
func TestPairComparatorAgrees(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	floats := []float64{math.NaN(), math.Inf(-1), math.Inf(1), 0, math.Copysign(0, -1), 1.5, -2.25}
	for _, typ := range []types.Type{types.BooleanType, types.TinyIntType, types.SmallIntType, types.IntegerType, types.BigIntType,
		types.RealType, types.DoubleType, types.DecimalOf(10, 2), types.DecimalOf(30, 2), types.VarcharType, types.VarbinaryTyp,
		types.DateType, types.TimestampType, types.IntervalDTType, types.IntervalYMType, types.Type{Kind: types.Time}} {
		rng := rand.New(rand.NewPCG(1, 2))
		b := array.NewBuilder(mem, typ.Arrow())
		for i := 0; i < 60; i++ {
			if rng.IntN(6) == 0 {
				b.AppendNull()
				continue
			}
			v := rng.IntN(7) - 3
			switch x := b.(type) {
			case *array.BooleanBuilder:
				x.Append(v > 0)
			case *array.Int8Builder:
				x.Append(int8(v))
			case *array.Int16Builder:
				x.Append(int16(v))
			case *array.Int32Builder:
				x.Append(int32(v))
			case *array.Int64Builder:
				x.Append(int64(v))
			case *array.Float32Builder:
				x.Append(float32(floats[v+3]))
			case *array.Float64Builder:
				x.Append(floats[v+3])
			case *array.Decimal64Builder:
				x.Append(decimal.Decimal64(v))
			case *array.Decimal128Builder:
				x.Append(decimal128.FromI64(int64(v)))
			case *array.StringBuilder:
				x.Append(string(rune('a' + v + 3)))
			case *array.BinaryBuilder:
				x.Append([]byte{byte(v + 3)})
			case *array.Date32Builder:
				x.Append(arrow.Date32(v))
			case *array.TimestampBuilder:
				x.Append(arrow.Timestamp(v))
			case *array.DurationBuilder:
				x.Append(arrow.Duration(v))
			case *array.MonthIntervalBuilder:
				x.Append(arrow.MonthInterval(v))
			case *array.Time64Builder:
				x.Append(arrow.Time64(v))
			default:
				t.Fatalf("no case for %T", b)
			}
		}
		a := b.NewArray()
		b.Release()
		for _, desc := range []bool{false, true} {
			for _, nullsFirst := range []bool{false, true} {
				one := Comparator(a, desc, nullsFirst)
				two := pairComparator(a.DataType(), desc, nullsFirst)
				for i := 0; i < a.Len(); i++ {
					for j := 0; j < a.Len(); j++ {
						if x, y := one(i, j), two(a, i, a, j); sign(x) != sign(y) {
							t.Fatalf("%s desc=%v nullsFirst=%v rows %d,%d: Comparator %d, pairComparator %d", typ, desc, nullsFirst, i, j, x, y)
						}
					}
				}
			}
		}
		a.Release()
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
