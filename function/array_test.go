package function

import (
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Test helpers for nested values. Arguments are Go values: nil is NULL,
// []any an array, mpLit a map (key, value, key, value...), arrRowLit a row;
// leaves follow build. Every argument column is built with one extra
// leading row and sliced, so kernels are exercised on offset arrays.

type mpLit []any

type arrRowLit []any

func arrBuild(t *testing.T, ctx *Context, typ types.Type, vals ...any) arrow.Array {
	t.Helper()
	switch typ.Kind {
	case types.Array, types.Map, types.Row:
	default:
		return build(t, ctx, typ, vals...)
	}
	b := array.NewBuilder(ctx.Alloc, typ.Arrow())
	defer b.Release()
	for _, v := range vals {
		arrAppendGo(t, b, v)
	}
	return b.NewArray()
}

func arrAppendGo(t *testing.T, b array.Builder, v any) {
	t.Helper()
	if v == nil {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.ListBuilder:
		bb.Append(true)
		for _, x := range v.([]any) {
			arrAppendGo(t, bb.ValueBuilder(), x)
		}
	case *array.MapBuilder:
		bb.Append(true)
		kv := v.(mpLit)
		for i := 0; i < len(kv); i += 2 {
			arrAppendGo(t, bb.KeyBuilder(), kv[i])
			arrAppendGo(t, bb.ItemBuilder(), kv[i+1])
		}
	case *array.StructBuilder:
		bb.Append(true)
		for f, x := range v.(arrRowLit) {
			arrAppendGo(t, bb.FieldBuilder(f), x)
		}
	case *array.Int8Builder:
		bb.Append(int8(v.(int)))
	case *array.Int16Builder:
		bb.Append(int16(v.(int)))
	case *array.Int32Builder:
		bb.Append(int32(v.(int)))
	case *array.Int64Builder:
		bb.Append(int64(v.(int)))
	case *array.Float32Builder:
		bb.Append(float32(v.(float64)))
	case *array.Float64Builder:
		bb.Append(v.(float64))
	case *array.StringBuilder:
		bb.Append(v.(string))
	case *array.BooleanBuilder:
		bb.Append(v.(bool))
	case *array.Date32Builder:
		bb.Append(arrow.Date32(v.(int)))
	default:
		t.Fatalf("arrAppendGo: unsupported builder %T", b)
	}
}

// arrRender renders each row of a as Trino text; rows print as {a, b}.
func arrRender(t *testing.T, ctx *Context, typ types.Type, a arrow.Array) []string {
	t.Helper()
	out := make([]string, a.Len())
	join := func(i int, open, close string, parts []string) {
		if a.IsNull(i) {
			out[i] = "NULL"
			return
		}
		out[i] = open + strings.Join(parts, ", ") + close
	}
	switch typ.Kind {
	case types.Array:
		l := a.(*array.List)
		child := arrRender(t, ctx, *typ.Elem, l.ListValues())
		for i := range out {
			s, e := l.ValueOffsets(i)
			join(i, "[", "]", child[s:e])
		}
	case types.Map:
		m := a.(*array.Map)
		keys := arrRender(t, ctx, *typ.Key, m.Keys())
		items := arrRender(t, ctx, *typ.Elem, m.Items())
		for i := range out {
			s, e := m.ValueOffsets(i)
			var parts []string
			for j := s; j < e; j++ {
				parts = append(parts, keys[j]+"="+items[j])
			}
			join(i, "{", "}", parts)
		}
	case types.Row:
		st := a.(*array.Struct)
		fields := make([][]string, len(typ.Fields))
		for f := range fields {
			fields[f] = arrRender(t, ctx, typ.Fields[f].Type, st.Field(f))
		}
		for i := range out {
			parts := make([]string, len(fields))
			for f := range fields {
				parts[f] = fields[f][i]
			}
			join(i, "{", "}", parts)
		}
	default:
		return render(t, ctx, typ, a)
	}
	return out
}

// arrCall binds fn (from the registry, or bind when given), casts the
// arguments to the bound types as the evaluator does and runs the kernel.
func arrCall(t *testing.T, fn string, bind func([]types.Type) (Binding, error), argTypes []string, rows ...[]any) (types.Type, []string, error) {
	t.Helper()
	ctx := testCtx(t)
	if bind == nil {
		f, ok := Builtins().Scalar(fn)
		if !ok {
			t.Fatalf("no function %s", fn)
		}
		bind = f.Bind
	}
	ts := make([]types.Type, len(argTypes))
	for i, s := range argTypes {
		ts[i] = parseType(s)
	}
	bd, err := bind(ts)
	if err != nil {
		return types.Type{}, nil, err
	}
	n := len(rows)
	args := make([]arrow.Array, len(ts))
	for j := range ts {
		col := make([]any, n+1)
		for i := range rows {
			col[i+1] = rows[i][j]
		}
		if n > 0 {
			col[0] = rows[0][j]
		}
		full := arrBuild(t, ctx, ts[j], col...)
		raw := array.NewSlice(full, 1, int64(n+1))
		full.Release()
		if ts[j].Equal(bd.Args[j]) {
			args[j] = raw
		} else {
			k, err := Cast(ts[j], bd.Args[j], false)
			if err != nil {
				t.Fatalf("cast arg %d %s to %s: %v", j, ts[j], bd.Args[j], err)
			}
			args[j], err = k(ctx, raw)
			raw.Release()
			if err != nil {
				t.Fatalf("cast arg %d: %v", j, err)
			}
		}
		defer args[j].Release()
	}
	res, err := bd.Kernel(ctx, args, n)
	if err != nil {
		return bd.Result, nil, err
	}
	defer res.Release()
	if res.Len() != n {
		t.Fatalf("%s returned %d rows, want %d", fn, res.Len(), n)
	}
	if !arrow.TypeEqual(res.DataType(), bd.Result.Arrow()) {
		t.Fatalf("%s returned %s, want %s", fn, res.DataType(), bd.Result.Arrow())
	}
	return bd.Result, arrRender(t, ctx, bd.Result, res), nil
}

type arrCase struct {
	fnCase
	bind func([]types.Type) (Binding, error)
}

func arrRunCases(t *testing.T, cases []fnCase) {
	t.Helper()
	ac := make([]arrCase, len(cases))
	for i, c := range cases {
		ac[i] = arrCase{fnCase: c}
	}
	arrRunBindCases(t, ac)
}

func arrRunBindCases(t *testing.T, cases []arrCase) {
	t.Helper()
	for _, c := range cases {
		name := c.fn + "(" + strings.Join(c.types, ",") + ")"
		t.Run(name, func(t *testing.T) {
			rt, got, err := arrCall(t, c.fn, c.bind, c.types, c.rows...)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.rtype != "" && rt.String() != c.rtype {
				t.Errorf("result type %s, want %s", rt, c.rtype)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func arrL(vals ...any) []any { return vals }

const (
	arrAB  = "array(bigint)"
	arrAV  = "array(varchar)"
	arrAD  = "array(double)"
	arrAAB = "array(array(bigint))"
	arrTB  = "bigint"
	arrTV  = "varchar"
)

func TestArrayConstructorAndAccess(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "array_constructor", types: []string{"integer", "integer", "integer"}, rows: [][]any{r(1, 2, 3), r(nil, 5, 6)}, want: []string{"[1, 2, 3]", "[NULL, 5, 6]"}, rtype: "array(integer)"},
		{fn: "array_constructor", types: []string{"integer", "double"}, rows: [][]any{r(1, 2.5)}, want: []string{"[1.0, 2.5]"}, rtype: "array(double)"},
		{fn: "array_constructor", types: []string{}, rows: [][]any{r(), r()}, want: []string{"[]", "[]"}, rtype: "array(unknown)"},
		{fn: "array_constructor", types: []string{"unknown", "varchar"}, rows: [][]any{r(nil, "a")}, want: []string{"[NULL, a]"}, rtype: "array(varchar)"},
		{fn: "array_constructor", types: []string{arrAB, arrAB}, rows: [][]any{r(arrL(1, 2), nil)}, want: []string{"[[1, 2], NULL]"}, rtype: arrAAB},
		{fn: "array_constructor", types: []string{"map(varchar, bigint)"}, rows: [][]any{r(mpLit{"a", 1})}, want: []string{"[{a=1}]"}},
		{fn: "array_constructor", types: []string{arrTV, "boolean"}, rows: [][]any{r("a", true)}, err: "All ARRAY elements must be the same type: varchar, boolean"},

		{fn: "$subscript", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1, 2, 3), 1), r(arrL(1, nil), 2), r(nil, 1), r(arrL(1), nil)}, want: []string{"1", "NULL", "NULL", "NULL"}, rtype: arrTB},
		{fn: "$subscript", types: []string{arrAV, "integer"}, rows: [][]any{r(arrL("a", "b"), 2)}, want: []string{"b"}},
		{fn: "$subscript", types: []string{arrAAB, arrTB}, rows: [][]any{r(arrL(arrL(1), arrL(2, 3)), 2)}, want: []string{"[2, 3]"}},
		{fn: "$subscript", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1, 2), 1), r(arrL(1, 2), 3)}, err: "Array subscript must be less than or equal to array length: 3 > 2"},
		{fn: "$subscript", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1), 0)}, err: "SQL array indices start at 1"},
		{fn: "$subscript", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1), -1)}, err: "Array subscript is negative: -1"},
		{fn: "$subscript", types: []string{arrTV, arrTB}, rows: [][]any{r("a", 1)}, err: "Cannot use '[]' on varchar"},
		{fn: "$subscript", types: []string{"unknown", arrTB}, rows: [][]any{r(nil, 1)}, want: []string{"NULL"}, rtype: "unknown"},

		{fn: "element_at", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1, 2, 3), 1), r(arrL(1, 2, 3), -1), r(arrL(1, 2, 3), 4), r(arrL(1, 2, 3), -4), r(nil, 1), r(arrL(1), nil)}, want: []string{"1", "3", "NULL", "NULL", "NULL", "NULL"}},
		{fn: "element_at", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1), 0)}, err: "SQL array indices start at 1"},
		{fn: "element_at", types: []string{arrTV, arrTB}, rows: [][]any{r("a", 1)}, err: "Unexpected parameters (varchar, bigint) for function element_at"},

		{fn: "cardinality", types: []string{arrAB}, rows: [][]any{r(arrL(1, 2, nil)), r(arrL()), r(nil)}, want: []string{"3", "0", "NULL"}, rtype: arrTB},
		{fn: "cardinality", types: []string{"map(varchar, bigint)"}, rows: [][]any{r(mpLit{"a", 1, "b", 2}), r(nil)}, want: []string{"2", "NULL"}},
		{fn: "cardinality", types: []string{arrTV}, rows: [][]any{r("a")}, err: "Unexpected parameters"},
	})
}

func TestArraySearch(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "contains", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1, 2, nil), 2), r(arrL(1, 2, nil), 3), r(arrL(1, 2), 3), r(arrL(1), nil), r(nil, 1), r(arrL(), 1)},
			want: []string{"true", "NULL", "false", "NULL", "NULL", "false"}, rtype: "boolean"},
		{fn: "contains", types: []string{arrAV, arrTV}, rows: [][]any{r(arrL("a", "b"), "b"), r(arrL("a", "b"), "c")}, want: []string{"true", "false"}},
		{fn: "contains", types: []string{"array(integer)", arrTB}, rows: [][]any{r(arrL(1, 2), 2)}, want: []string{"true"}},
		{fn: "contains", types: []string{arrAD, arrTD}, rows: [][]any{r(arrL(math.Copysign(0, -1), math.NaN()), 0.0), r(arrL(1.0), math.NaN()), r(arrL(math.NaN()), math.NaN())}, want: []string{"true", "false", "true"}},
		{fn: "contains", types: []string{arrAAB, arrAB}, rows: [][]any{r(arrL(arrL(1, 2), arrL(3)), arrL(3)), r(arrL(arrL(1, 2), arrL(3)), arrL(1))}, want: []string{"true", "false"}},
		{fn: "contains", types: []string{arrTB, arrTB}, rows: [][]any{r(1, 1)}, err: "Unexpected parameters (bigint, bigint) for function contains"},

		{fn: "array_position", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(10, 20, nil, 20), 20), r(arrL(10, nil), 30), r(nil, 1), r(arrL(1), nil)}, want: []string{"2", "0", "NULL", "NULL"}, rtype: arrTB},

		{fn: "array_remove", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1, 2, nil, 2, 3), 2), r(nil, 1), r(arrL(1), nil), r(arrL(2, 2), 2)}, want: []string{"[1, NULL, 3]", "NULL", "NULL", "[]"}, rtype: arrAB},
		{fn: "array_remove", types: []string{arrAV, arrTV}, rows: [][]any{r(arrL("a", "b", "a"), "a")}, want: []string{"[b]"}},
	})
}

const arrTD = "double"

func TestArrayJoin(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "array_join", types: []string{arrAV, arrTV}, rows: [][]any{r(arrL("a", nil, "b"), ","), r(arrL(), ","), r(nil, ","), r(arrL("a"), nil)}, want: []string{"a,b", "", "NULL", "NULL"}, rtype: arrTV},
		{fn: "array_join", types: []string{arrAV, arrTV, arrTV}, rows: [][]any{r(arrL("a", nil, "b"), ", ", "N"), r(arrL("a"), ",", nil)}, want: []string{"a, N, b", "NULL"}},
		{fn: "array_join", types: []string{arrAB, "char(1)"}, rows: [][]any{r(arrL(1, 2, 3), "-")}, want: []string{"1-2-3"}},
		{fn: "array_join", types: []string{arrAD, arrTV}, rows: [][]any{r(arrL(1.5, 2.0), "|")}, want: []string{"1.5|2.0"}},
		{fn: "array_join", types: []string{arrAAB, arrTV}, rows: [][]any{r(arrL(arrL(1)), ",")}, err: "Unexpected parameters"},
		{fn: "array_join", types: []string{arrAB}, rows: [][]any{r(arrL(1))}, err: "Unexpected parameters"},
	})
}

func TestArrayDistinctOrder(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "array_distinct", types: []string{arrAB}, rows: [][]any{r(arrL(1, 2, 1, nil, nil, 3)), r(nil), r(arrL())}, want: []string{"[1, 2, NULL, 3]", "NULL", "[]"}, rtype: arrAB},
		{fn: "array_distinct", types: []string{arrAV}, rows: [][]any{r(arrL("b", "a", "b"))}, want: []string{"[b, a]"}},
		{fn: "array_distinct", types: []string{arrAD}, rows: [][]any{r(arrL(0.0, math.Copysign(0, -1), math.NaN(), math.NaN()))}, want: []string{"[0.0, NaN]"}},
		{fn: "array_distinct", types: []string{arrAAB}, rows: [][]any{r(arrL(arrL(1, nil), arrL(1), arrL(1, nil), nil, nil))}, want: []string{"[[1, NULL], [1], NULL]"}},
		{fn: "array_distinct", types: []string{"array(boolean)"}, rows: [][]any{r(arrL(true, false, true))}, want: []string{"[true, false]"}},
		{fn: "array_distinct", types: []string{"array(row(a bigint, b varchar))"}, rows: [][]any{r(arrL(arrRowLit{1, "x"}, arrRowLit{1, "y"}, arrRowLit{1, "x"}))}, want: []string{"[{1, x}, {1, y}]"}},
		{fn: "array_distinct", types: []string{"array(map(varchar, bigint))"}, rows: [][]any{r(arrL(mpLit{"a", 1}, mpLit{"a", 1}, mpLit{"a", 2}))}, want: []string{"[{a=1}, {a=2}]"}},

		{fn: "array_max", types: []string{arrAB}, rows: [][]any{r(arrL(1, 5, 3)), r(arrL(1, nil)), r(arrL()), r(nil)}, want: []string{"5", "NULL", "NULL", "NULL"}, rtype: arrTB},
		{fn: "array_min", types: []string{arrAB}, rows: [][]any{r(arrL(4, 1, 3)), r(arrL(nil, 1))}, want: []string{"1", "NULL"}},
		{fn: "array_max", types: []string{arrAV}, rows: [][]any{r(arrL("b", "c", "a"))}, want: []string{"c"}},
		{fn: "array_min", types: []string{arrAD}, rows: [][]any{r(arrL(2.5, math.NaN(), -1.0))}, want: []string{"-1.0"}},
		{fn: "array_max", types: []string{arrAD}, rows: [][]any{r(arrL(2.5, math.NaN(), -1.0))}, want: []string{"NaN"}},
		{fn: "array_max", types: []string{arrAAB}, rows: [][]any{r(arrL(arrL(1, 2), arrL(1, 3), arrL(1)))}, want: []string{"[1, 3]"}},
		{fn: "array_max", types: []string{"array(map(varchar, bigint))"}, rows: [][]any{r(nil)}, err: "Unexpected parameters"},

		{fn: "array_sort", types: []string{arrAB}, rows: [][]any{r(arrL(3, nil, 1, 2)), r(nil), r(arrL())}, want: []string{"[1, 2, 3, NULL]", "NULL", "[]"}, rtype: arrAB},
		{fn: "array_sort", types: []string{arrAV}, rows: [][]any{r(arrL("b", "a", "B"))}, want: []string{"[B, a, b]"}},
		{fn: "array_sort", types: []string{"array(boolean)"}, rows: [][]any{r(arrL(true, nil, false))}, want: []string{"[false, true, NULL]"}},
		{fn: "array_sort", types: []string{arrAD}, rows: [][]any{r(arrL(math.NaN(), 1.0, -2.0))}, want: []string{"[-2.0, 1.0, NaN]"}},
		{fn: "array_sort", types: []string{arrAAB}, rows: [][]any{r(arrL(arrL(2), arrL(1, 5), arrL(1), arrL(1, nil)))}, want: []string{"[[1], [1, 5], [1, NULL], [2]]"}},
		{fn: "array_sort", types: []string{"array(date)"}, rows: [][]any{r(arrL(19000, 18000))}, want: []string{"[2019-04-14, 2022-01-08]"}},
		{fn: "array_sort", types: []string{"array(map(varchar, bigint))"}, rows: [][]any{r(nil)}, err: "Unexpected parameters (array(map(varchar, bigint))) for function array_sort"},
	})
}

func TestArraySetOperations(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "array_union", types: []string{arrAB, arrAB}, rows: [][]any{r(arrL(1, 2, 2), arrL(2, 3, nil)), r(nil, arrL(1)), r(arrL(nil), arrL(nil))}, want: []string{"[1, 2, 3, NULL]", "NULL", "[NULL]"}, rtype: arrAB},
		{fn: "array_union", types: []string{"array(integer)", arrAD}, rows: [][]any{r(arrL(1), arrL(1.0, 2.5))}, want: []string{"[1.0, 2.5]"}, rtype: "array(double)"},
		{fn: "array_intersect", types: []string{arrAB, arrAB}, rows: [][]any{r(arrL(1, 2, 2, nil, 3), arrL(2, nil, 4, 1)), r(arrL(1), arrL()), r(arrL(1), nil)}, want: []string{"[1, 2, NULL]", "[]", "NULL"}},
		{fn: "array_except", types: []string{arrAB, arrAB}, rows: [][]any{r(arrL(1, 2, 2, nil, 3, 1), arrL(2)), r(arrL(1, nil), arrL(nil)), r(nil, arrL())}, want: []string{"[1, NULL, 3]", "[1]", "NULL"}},
		{fn: "array_except", types: []string{arrAV, arrAV}, rows: [][]any{r(arrL("a", "b"), arrL("b"))}, want: []string{"[a]"}},
		{fn: "array_union", types: []string{arrAB, arrAV}, rows: [][]any{r(arrL(1), arrL("a"))}, err: "Unexpected parameters (array(bigint), array(varchar)) for function array_union"},

		{fn: "arrays_overlap", types: []string{arrAB, arrAB}, rows: [][]any{r(arrL(1, 2), arrL(2, 3)), r(arrL(1, 2), arrL(3)), r(arrL(1, nil), arrL(3)), r(arrL(1, nil), arrL(1)), r(nil, arrL(1)), r(arrL(), arrL())},
			want: []string{"true", "false", "NULL", "true", "NULL", "false"}, rtype: "boolean"},
	})
}

func TestArrayShape(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "flatten", types: []string{arrAAB}, rows: [][]any{r(arrL(arrL(1, 2), nil, arrL(), arrL(3, nil))), r(nil), r(arrL())}, want: []string{"[1, 2, 3, NULL]", "NULL", "[]"}, rtype: arrAB},
		{fn: "flatten", types: []string{arrAB}, rows: [][]any{r(arrL(1))}, err: "Unexpected parameters"},

		{fn: "slice", types: []string{arrAB, arrTB, arrTB}, rows: [][]any{r(arrL(1, 2, 3, 4, 5), 2, 2), r(arrL(1, 2, 3, 4, 5), -2, 5), r(arrL(1, 2, 3, 4, 5), 4, 10), r(arrL(1, 2, 3, 4, 5), 6, 1),
			r(arrL(1, 2, 3, 4, 5), -6, 1), r(arrL(1, 2), 1, 0), r(arrL(), 0, 1), r(nil, 1, 1), r(arrL(1), nil, 1)},
			want: []string{"[2, 3]", "[4, 5]", "[4, 5]", "[]", "[]", "[]", "[]", "NULL", "NULL"}, rtype: arrAB},
		{fn: "slice", types: []string{arrAB, "integer", "integer"}, rows: [][]any{r(arrL(1, 2, 3), 1, 9223)}, want: []string{"[1, 2, 3]"}},
		{fn: "slice", types: []string{arrAB, arrTB, arrTB}, rows: [][]any{r(arrL(1, 2, 3), 0, 1)}, err: "SQL array indices start at 1"},
		{fn: "slice", types: []string{arrAB, arrTB, arrTB}, rows: [][]any{r(arrL(1, 2, 3), 1, -1)}, err: "length must be greater than or equal to 0"},

		{fn: "repeat", types: []string{arrTB, arrTB}, rows: [][]any{r(7, 3), r(nil, 2), r(1, 0), r(1, nil)}, want: []string{"[7, 7, 7]", "[NULL, NULL]", "[]", "NULL"}, rtype: arrAB},
		{fn: "repeat", types: []string{arrTV, "integer"}, rows: [][]any{r("ab", 2)}, want: []string{"[ab, ab]"}, rtype: arrAV},
		{fn: "repeat", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1, nil), 2)}, want: []string{"[[1, NULL], [1, NULL]]"}},
		{fn: "repeat", types: []string{arrTB, arrTB}, rows: [][]any{r(1, -1)}, err: "count argument of repeat function must be greater than or equal to 0"},
		{fn: "repeat", types: []string{arrTB, arrTB}, rows: [][]any{r(1, 10001)}, err: "count argument of repeat function must be less than or equal to 10000"},
	})
}

func TestSequence(t *testing.T) {
	const (
		D  = "date"
		TS = "timestamp(3)"
		DS = "interval day to second"
		YM = "interval year to month"
	)
	arrRunCases(t, []fnCase{
		{fn: "sequence", types: []string{arrTB, arrTB}, rows: [][]any{r(1, 5), r(2, -1), r(3, 3), r(nil, 1)}, want: []string{"[1, 2, 3, 4, 5]", "[2, 1, 0, -1]", "[3]", "NULL"}, rtype: arrAB},
		{fn: "sequence", types: []string{"integer", arrTB, "integer"}, rows: [][]any{r(1, 10, 3), r(10, 1, -4), r(1, 2, nil)}, want: []string{"[1, 4, 7, 10]", "[10, 6, 2]", "NULL"}},
		{fn: "sequence", types: []string{arrTB, arrTB, arrTB}, rows: [][]any{r(1, 2, 0)}, err: "step must not be zero"},
		{fn: "sequence", types: []string{arrTB, arrTB, arrTB}, rows: [][]any{r(1, 5, -1)}, err: "sequence stop value should be greater than or equal to start value if step is greater than zero otherwise stop should be less than or equal to start"},
		{fn: "sequence", types: []string{arrTB, arrTB}, rows: [][]any{r(0, 10000)}, err: "result of sequence function must not have more than 10000 entries"},
		{fn: "sequence", types: []string{arrTB, arrTB}, rows: [][]any{r(math.MinInt64, math.MaxInt64)}, err: "result of sequence function must not have more than 10000 entries"},

		{fn: "sequence", types: []string{D, D}, rows: [][]any{r("2024-02-27", "2024-03-01"), r("2024-01-02", "2024-01-01")}, want: []string{"[2024-02-27, 2024-02-28, 2024-02-29, 2024-03-01]", "[2024-01-02, 2024-01-01]"}, rtype: "array(date)"},
		{fn: "sequence", types: []string{D, D, YM}, rows: [][]any{r("2024-01-31", "2024-05-01", 1)}, want: []string{"[2024-01-31, 2024-02-29, 2024-03-31, 2024-04-30]"}},
		{fn: "sequence", types: []string{D, D, DS}, rows: [][]any{r("1970-01-01", "1970-01-05", 2*86400000)}, want: []string{"[1970-01-01, 1970-01-03, 1970-01-05]"}},
		{fn: "sequence", types: []string{D, D, DS}, rows: [][]any{r("1970-01-01", "1970-01-05", 3600000)}, err: "sequence step must be a day interval if start and end values are dates"},
		{fn: "sequence", types: []string{TS, TS, DS}, rows: [][]any{r("2024-01-01 00:00:00", "2024-01-01 02:30:00", 3600000)},
			want: []string{"[2024-01-01 00:00:00.000, 2024-01-01 01:00:00.000, 2024-01-01 02:00:00.000]"}, rtype: "array(timestamp(3))"},
		{fn: "sequence", types: []string{D, D, arrTB}, rows: [][]any{r(0, 1, 1)}, err: "Unexpected parameters"},
	})
}

// TestArraySequenceLimit checks the largest allowed sequence separately
// (its rendering is long).
func TestArraySequenceLimit(t *testing.T) {
	_, got, err := arrCall(t, "sequence", nil, []string{arrTB, arrTB}, r(1, 10000))
	if err != nil || !strings.HasPrefix(got[0], "[1, 2, ") || !strings.HasSuffix(got[0], ", 10000]") {
		t.Fatalf("sequence(1, 10000) = %.40q, %v", got, err)
	}
}

// TestArrayConcatReverse covers the array forms of concat, || and reverse,
// which string.go and operators.go are to delegate to.
func TestArrayConcatReverse(t *testing.T) {
	concat := func(args []types.Type) (Binding, error) { return arrBindConcat("concat", args) }
	arrRunBindCases(t, []arrCase{
		{fnCase: fnCase{fn: "concat", types: []string{arrAB, arrAB, arrAB}, rows: [][]any{r(arrL(1), arrL(2, 3), arrL()), r(arrL(1), nil, arrL(2))}, want: []string{"[1, 2, 3]", "NULL"}, rtype: arrAB}, bind: concat},
		{fnCase: fnCase{fn: "concat", types: []string{arrAB, arrTB}, rows: [][]any{r(arrL(1), 2), r(arrL(1), nil), r(nil, 1)}, want: []string{"[1, 2]", "[1, NULL]", "NULL"}}, bind: concat},
		{fnCase: fnCase{fn: "concat", types: []string{"integer", arrAB}, rows: [][]any{r(0, arrL(1))}, want: []string{"[0, 1]"}, rtype: arrAB}, bind: concat},
		{fnCase: fnCase{fn: "concat", types: []string{arrAB, arrTB, arrTB}, rows: [][]any{r(arrL(1), 2, 3)}, err: "Unexpected parameters"}, bind: concat},
		{fnCase: fnCase{fn: "concat", types: []string{arrAB, arrAV}, rows: [][]any{r(arrL(1), arrL("a"))}, err: "Unexpected parameters"}, bind: concat},
		{fnCase: fnCase{fn: "reverse", types: []string{arrAB}, rows: [][]any{r(arrL(1, nil, 3)), r(nil), r(arrL())}, want: []string{"[3, NULL, 1]", "NULL", "[]"}, rtype: arrAB}, bind: arrBindReverse},
	})
	if !arrHasArray([]types.Type{types.VarcharType, types.ArrayOf(types.BigIntType)}) || arrHasArray([]types.Type{types.VarcharType}) {
		t.Fatal("arrHasArray")
	}
}

// TestArrayConcatReverseRegistered checks that concat, || ($concat) and
// reverse bind their array forms when an argument is an array, and keep
// their string forms otherwise.
func TestArrayConcatReverseRegistered(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "concat", types: []string{arrAB, arrAB, arrAB}, rows: [][]any{r(arrL(1), arrL(2), arrL(3))}, want: []string{"[1, 2, 3]"}, rtype: arrAB},
		{fn: "$concat", types: []string{arrAB, arrAB}, rows: [][]any{r(arrL(1), arrL(2, 3)), r(nil, arrL(1))}, want: []string{"[1, 2, 3]", "NULL"}, rtype: arrAB},
		{fn: "$concat", types: []string{arrAB, "integer"}, rows: [][]any{r(arrL(1), 2)}, want: []string{"[1, 2]"}, rtype: arrAB},
		{fn: "$concat", types: []string{"varchar", arrAV}, rows: [][]any{r("a", arrL("b"))}, want: []string{"[a, b]"}, rtype: arrAV},
		{fn: "$concat", types: []string{arrAB, arrAV}, rows: [][]any{r(arrL(1), arrL("a"))}, err: "Cannot apply operator: array(bigint) || array(varchar)"},
		{fn: "reverse", types: []string{arrAV}, rows: [][]any{r(arrL("a", nil, "c"))}, want: []string{"[c, NULL, a]"}, rtype: arrAV},
		{fn: "reverse", types: []string{"varchar"}, rows: [][]any{r("añb")}, want: []string{"bña"}, rtype: "varchar"},
		{fn: "concat", types: []string{"varchar", "varchar"}, rows: [][]any{r("a", "b")}, want: []string{"ab"}, rtype: "varchar"},
		{fn: "$concat", types: []string{"varchar", "varchar"}, rows: [][]any{r("a", "b")}, want: []string{"ab"}, rtype: "varchar"},
	})
}
