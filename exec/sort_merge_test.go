package exec

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
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

// TestNestedComparators orders arrays element by element (a prefix first)
// and rows field by field, NULL elements and fields last, in both the
// in-memory and the merge comparators.
func TestNestedComparators(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tc := range []struct {
		dt   arrow.DataType
		json string
		want []int // row numbers in ascending order
	}{
		{arrow.ListOf(arrow.PrimitiveTypes.Int32), `[[1], [1, 3], [], null, [1, null], [2], [1, 3]]`, []int{2, 0, 1, 6, 4, 5, 3}},
		{arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}),
			`[{"a": 2, "b": "a"}, {"a": 1, "b": "b"}, {"a": 1, "b": null}, null, {"a": 1, "b": "a"}, {"a": null, "b": "a"}]`, []int{4, 1, 2, 0, 5, 3}},
	} {
		a, _, err := array.FromJSON(mem, tc.dt, strings.NewReader(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		one := Comparator(a, false, false)
		two := pairComparator(tc.dt, false, false)
		for i := 0; i < a.Len(); i++ {
			for j := 0; j < a.Len(); j++ {
				if x, y := one(i, j), two(a, i, a, j); sign(x) != sign(y) {
					t.Fatalf("%s rows %d,%d: Comparator %d, pairComparator %d", tc.dt, i, j, x, y)
				}
			}
		}
		idx := make([]int, a.Len())
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, one)
		if !slices.Equal(idx, tc.want) {
			t.Errorf("%s: sorted rows %v, want %v", tc.dt, idx, tc.want)
		}
		a.Release()
	}
}
