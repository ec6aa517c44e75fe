package function

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Test helpers: build arrays from Go values, call functions the way the
// evaluator does (bind, cast arguments to the bound types, run the
// kernel) and render results as Trino text, with NULL as "NULL".

func testCtx(t *testing.T) *Context {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return &Context{Alloc: mem, Now: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), Zone: time.UTC}
}

// build makes an array of type typ. nil is NULL; text values are cast from
// varchar (so decimals, dates and timestamps are written as literals).
func build(t *testing.T, ctx *Context, typ types.Type, vals ...any) arrow.Array {
	t.Helper()
	if typ.Kind == types.Unknown {
		return array.MakeArrayOfNull(ctx.Alloc, arrow.Null, len(vals))
	}
	switch typ.Kind {
	case types.Decimal, types.Date, types.Timestamp, types.TimestampTZ, types.Time, types.Boolean:
		if allStrings(vals) {
			src := build(t, ctx, types.VarcharType, vals...)
			defer src.Release()
			k, err := Cast(types.VarcharType, typ, false)
			if err != nil {
				t.Fatal(err)
			}
			out, err := k(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	b := array.NewBuilder(ctx.Alloc, typ.Arrow())
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
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
		case *array.BinaryBuilder:
			bb.Append([]byte(v.(string)))
		case *array.BooleanBuilder:
			bb.Append(v.(bool))
		case *array.Decimal64Builder:
			bb.Append(decimal.Decimal64(v.(int)))
		case *array.DurationBuilder:
			bb.Append(arrow.Duration(v.(int)))
		case *array.MonthIntervalBuilder:
			bb.Append(arrow.MonthInterval(v.(int)))
		default:
			t.Fatalf("build: unsupported builder %T", b)
		}
	}
	return b.NewArray()
}

func allStrings(vals []any) bool {
	for _, v := range vals {
		if _, ok := v.(string); !ok && v != nil {
			return false
		}
	}
	return true
}

// render returns each row of a as Trino text.
func render(t *testing.T, ctx *Context, typ types.Type, a arrow.Array) []string {
	t.Helper()
	out := make([]string, a.Len())
	if typ.Kind == types.Array {
		l := a.(*array.List)
		child := render(t, ctx, *typ.Elem, l.ListValues())
		offs := l.Offsets()
		for i := range out {
			if l.IsNull(i) {
				out[i] = "NULL"
				continue
			}
			out[i] = "[" + strings.Join(child[offs[i]:offs[i+1]], ", ") + "]"
		}
		return out
	}
	if typ.Kind == types.JSON {
		// JSON renders as its text (CAST(json AS varchar) unquotes strings
		// and rejects arrays and objects).
		ss := a.(*array.String)
		for i := range out {
			out[i] = "NULL"
			if ss.IsValid(i) {
				out[i] = ss.Value(i)
			}
		}
		return out
	}
	k, err := Cast(typ, types.VarcharType, false)
	if err != nil {
		t.Fatalf("render %s: %v", typ, err)
	}
	s, err := k(ctx, a)
	if err != nil {
		t.Fatalf("render %s: %v", typ, err)
	}
	defer s.Release()
	ss := s.(*array.String)
	for i := range out {
		if ss.IsNull(i) {
			out[i] = "NULL"
		} else {
			out[i] = ss.Value(i)
		}
	}
	return out
}

// call evaluates fn over rows of arguments of the given types (Trino
// spelling) and returns the result type, the rendered rows and any error.
func call(t *testing.T, fn string, argTypes []string, rows ...[]any) (types.Type, []string, error) {
	t.Helper()
	ctx := testCtx(t)
	f, ok := Builtins().Scalar(fn)
	if !ok {
		t.Fatalf("no function %s", fn)
	}
	ts := make([]types.Type, len(argTypes))
	for i, s := range argTypes {
		ts[i] = parseType(s)
	}
	bd, err := f.Bind(ts)
	if err != nil {
		return types.Type{}, nil, err
	}
	n := len(rows)
	args := make([]arrow.Array, len(ts))
	for j := range ts {
		col := make([]any, n)
		for i := range rows {
			col[i] = rows[i][j]
		}
		raw := build(t, ctx, ts[j], col...)
		k, err := Cast(ts[j], bd.Args[j], false)
		if err != nil {
			t.Fatalf("cast arg %d %s to %s: %v", j, ts[j], bd.Args[j], err)
		}
		args[j], err = k(ctx, raw)
		raw.Release()
		if err != nil {
			t.Fatalf("cast arg %d: %v", j, err)
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
	return bd.Result, render(t, ctx, bd.Result, res), nil
}

func parseType(s string) types.Type {
	if s == "unknown" {
		return types.UnknownType
	}
	return types.MustParse(s)
}

type fnCase struct {
	fn    string
	types []string
	rows  [][]any
	want  []string // rendered rows; ignored when err is set
	rtype string   // expected result type, when set
	err   string   // expected error substring
}

func r(vals ...any) []any { return vals }

func runCases(t *testing.T, cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		name := c.fn + "(" + strings.Join(c.types, ",") + ")"
		t.Run(name, func(t *testing.T) {
			rt, got, err := call(t, c.fn, c.types, c.rows...)
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

func TestAndValidityOffsets(t *testing.T) {
	ctx := testCtx(t)
	a := build(t, ctx, types.BigIntType, 1, nil, 3, 4, nil, 6, 7, 8, 9, nil)
	defer a.Release()
	b := build(t, ctx, types.BigIntType, nil, 2, 3, nil, 5, 6, 7, 8, 9, 10)
	defer b.Release()
	as := array.NewSlice(a, 2, 10)
	defer as.Release()
	bs := array.NewSlice(b, 2, 10)
	defer bs.Release()
	f, _ := Builtins().Scalar("$add")
	bd, _ := f.Bind([]types.Type{types.BigIntType, types.BigIntType})
	res, err := bd.Kernel(ctx, []arrow.Array{as, bs}, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	got := render(t, ctx, types.BigIntType, res)
	want := "6|NULL|NULL|12|14|16|18|NULL"
	if strings.Join(got, "|") != want {
		t.Fatalf("got %v want %s", got, want)
	}
}
