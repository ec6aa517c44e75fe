package function

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Comparison of arrays, rows and maps. Equality (= and <>) compares
// element by element (maps: the same keys with equal values, in any
// order) with SQL's three-valued logic: a pair of elements that differs
// makes the values unequal, otherwise a NULL element on either side makes
// the result NULL (ARRAY[1, NULL] = ARRAY[1, NULL] is NULL; ARRAY[1, NULL]
// = ARRAY[2, NULL] is false; arrays of different lengths are unequal).
// Ordering (<, <=, >, >=, arrays and rows) is lexicographic: the first
// pair that differs decides and a shorter array that is a prefix of the
// other sorts first; reaching a NULL element before anything decides is
// an error, as in Trino.

// nestedCompareKernel returns the kernel comparing two values of type t
// (an array, row or map; the operands are coerced to t).
func nestedCompareKernel(t types.Type, op cmpOp) (Kernel, error) {
	if (op != cmpEq && op != cmpNe) && !t.IsOrderable() {
		return nil, fmt.Errorf("Cannot apply operator: %s %s %s", t, cmpSymbols[op], t)
	}
	eq := op == cmpEq || op == cmpNe
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		valid, nulls := andValidity(ctx.Alloc, n, args[0], args[1])
		vb := bitmap{}
		if valid != nil {
			vb = bitmap{bits: valid.Bytes()}
		}
		w := newBoolWriter(ctx.Alloc, n)
		var unknown []int
		for i := 0; i < n; i++ {
			if !vb.valid(i) {
				continue
			}
			var c int
			var null bool
			if eq {
				c, null = nestedEqual(args[0], i, args[1], i)
			} else {
				c, null = nestedOrder(args[0], i, args[1], i)
			}
			if null && !eq {
				if valid != nil {
					valid.Release()
				}
				w.buf.Release()
				kind := "ARRAY"
				if t.Kind == types.Row {
					kind = "ROW"
				}
				return nil, fmt.Errorf("%s comparison not supported for %ss with null elements", kind, strings.ToLower(kind))
			}
			if null {
				unknown = append(unknown, i)
				continue
			}
			w.set(i, op.test(c))
		}
		if len(unknown) > 0 {
			// Rows whose answer is unknown become NULL.
			if valid == nil {
				valid = newValidity(ctx.Alloc, n)
			}
			bits := valid.Bytes()
			for _, i := range unknown {
				bits[i/8] &^= 1 << (i % 8)
				nulls++
			}
		}
		return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
	}, nil
}

// nestedEqual compares a[i] and b[j] (both non-NULL) for equality: c is 0
// when equal, 1 otherwise; null when no pair differs but a NULL element
// leaves the answer unknown.
func nestedEqual(a arrow.Array, i int, b arrow.Array, j int) (c int, null bool) {
	switch x := a.(type) {
	case *array.Map:
		y := b.(*array.Map)
		xs, xe := x.ValueOffsets(i)
		ys, ye := y.ValueOffsets(j)
		if xe-xs != ye-ys {
			return 1, false
		}
		for p := xs; p < xe; p++ {
			found := false
			for q := ys; q < ye; q++ {
				if kc, _ := elemEqual(x.Keys(), int(p), y.Keys(), int(q)); kc == 0 {
					found = true
					vc, vn := elemEqual(x.Items(), int(p), y.Items(), int(q))
					if vc != 0 {
						return 1, false
					}
					null = null || vn
					break
				}
			}
			if !found {
				return 1, false
			}
		}
		return 0, null
	case *array.List:
		y := b.(*array.List)
		xs, xe := x.ValueOffsets(i)
		ys, ye := y.ValueOffsets(j)
		if xe-xs != ye-ys {
			return 1, false
		}
		for k := int64(0); k < xe-xs; k++ {
			ec, en := elemEqual(x.ListValues(), int(xs+k), y.ListValues(), int(ys+k))
			if ec != 0 {
				return 1, false
			}
			null = null || en
		}
		return 0, null
	case *array.Struct:
		y := b.(*array.Struct)
		for f := 0; f < x.NumField(); f++ {
			ec, en := elemEqual(x.Field(f), i, y.Field(f), j)
			if ec != 0 {
				return 1, false
			}
			null = null || en
		}
		return 0, null
	}
	s, null := scalarCompare(a, i, b, j)
	if s != 0 {
		return 1, false
	}
	return 0, null
}

func elemEqual(a arrow.Array, i int, b arrow.Array, j int) (int, bool) {
	if nullElem(a, i) || nullElem(b, j) {
		return 0, true
	}
	return nestedEqual(a, i, b, j)
}

// nestedOrder compares a[i] and b[j] (both non-NULL) lexicographically.
func nestedOrder(a arrow.Array, i int, b arrow.Array, j int) (int, bool) {
	elem := func(a arrow.Array, i int, b arrow.Array, j int) (int, bool) {
		if nullElem(a, i) || nullElem(b, j) {
			return 0, true
		}
		return nestedOrder(a, i, b, j)
	}
	switch x := a.(type) {
	case *array.List:
		y := b.(*array.List)
		xs, xe := x.ValueOffsets(i)
		ys, ye := y.ValueOffsets(j)
		for k := int64(0); xs+k < xe && ys+k < ye; k++ {
			c, null := elem(x.ListValues(), int(xs+k), y.ListValues(), int(ys+k))
			if null || c != 0 {
				return c, null
			}
		}
		return cmp3(xe-xs, ye-ys), false
	case *array.Struct:
		y := b.(*array.Struct)
		for f := 0; f < x.NumField(); f++ {
			c, null := elem(x.Field(f), i, y.Field(f), j)
			if null || c != 0 {
				return c, null
			}
		}
		return 0, false
	}
	return scalarCompare(a, i, b, j)
}

// nullElem reports a NULL element; a field or element of unknown type
// (ROW(1, NULL)) is an Arrow null array, all NULL without a bitmap.
func nullElem(a arrow.Array, i int) bool {
	return a.DataType().ID() == arrow.NULL || a.IsNull(i)
}

func cmp3[T int | int64 | float64 | string](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// scalarCompare compares two non-NULL scalar elements of one type. A NaN
// equals nothing and orders as NULL does (unknown).
func scalarCompare(a arrow.Array, i int, b arrow.Array, j int) (int, bool) {
	switch x := a.(type) {
	case *array.Boolean:
		return b2i(x.Value(i)) - b2i(b.(*array.Boolean).Value(j)), false
	case *array.Int8:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Int8).Value(j))), false
	case *array.Int16:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Int16).Value(j))), false
	case *array.Int32:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Int32).Value(j))), false
	case *array.Int64:
		return cmp3(x.Value(i), b.(*array.Int64).Value(j)), false
	case *array.Date32:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Date32).Value(j))), false
	case *array.Time64:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Time64).Value(j))), false
	case *array.Timestamp:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Timestamp).Value(j))), false
	case *array.Duration:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Duration).Value(j))), false
	case *array.MonthInterval:
		return cmp3(int64(x.Value(i)), int64(b.(*array.MonthInterval).Value(j))), false
	case *array.Decimal64:
		return cmp3(int64(x.Value(i)), int64(b.(*array.Decimal64).Value(j))), false
	case *array.Decimal128:
		return x.Value(i).Cmp(b.(*array.Decimal128).Value(j)), false
	case *array.Float32:
		u, v := float64(x.Value(i)), float64(b.(*array.Float32).Value(j))
		if math.IsNaN(u) || math.IsNaN(v) {
			return 1, true
		}
		return cmp3(u, v), false
	case *array.Float64:
		u, v := x.Value(i), b.(*array.Float64).Value(j)
		if math.IsNaN(u) || math.IsNaN(v) {
			return 1, true
		}
		return cmp3(u, v), false
	case *array.String:
		return cmp3(x.Value(i), b.(*array.String).Value(j)), false
	case *array.Binary:
		return cmp3(string(x.Value(i)), string(b.(*array.Binary).Value(j))), false
	case *array.List, *array.Struct, *array.Map:
		return nestedEqual(a, i, b, j)
	}
	return 1, true
}
