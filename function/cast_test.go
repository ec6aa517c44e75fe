package function

import (
	"math"
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/types"
)

func nan() float64 { return math.NaN() }

type castCase struct {
	from, to string
	in       []any
	want     []string
	err      string
	try      bool
}

func TestCast(t *testing.T) {
	cases := []castCase{
		{from: "bigint", to: "integer", in: []any{1, nil, -5}, want: []string{"1", "NULL", "-5"}},
		{from: "bigint", to: "integer", in: []any{3000000000}, err: "Out of range for integer: 3000000000"},
		{from: "bigint", to: "integer", in: []any{3000000000, 7}, try: true, want: []string{"NULL", "7"}},
		{from: "double", to: "bigint", in: []any{2.5, -2.5, 1.4, nil}, want: []string{"3", "-3", "1", "NULL"}},
		{from: "double", to: "integer", in: []any{nan()}, err: "Out of range for integer: NaN"},
		{from: "double", to: "integer", in: []any{1e10}, err: "Out of range for integer"},
		{from: "decimal(5,2)", to: "integer", in: []any{"2.50", "-2.50", "2.49"}, want: []string{"3", "-3", "2"}},
		{from: "decimal(5,2)", to: "double", in: []any{"2.50", "-0.01"}, want: []string{"2.5", "-0.01"}},
		{from: "decimal(5,2)", to: "decimal(4,1)", in: []any{"2.45", "-2.45", "999.99"}, try: true, want: []string{"2.5", "-2.5", "NULL"}},
		{from: "decimal(5,2)", to: "decimal(25,4)", in: []any{"2.45", nil}, want: []string{"2.4500", "NULL"}},
		{from: "decimal(25,4)", to: "decimal(5,2)", in: []any{"123.4550"}, want: []string{"123.46"}},
		{from: "decimal(25,4)", to: "decimal(5,2)", in: []any{"1234.4550"}, err: "Cannot cast DECIMAL(25,4) '1234.4550' to DECIMAL(5,2)"},
		{from: "double", to: "decimal(10,2)", in: []any{0.125, 0.1, -1.005}, want: []string{"0.13", "0.10", "-1.01"}},
		{from: "bigint", to: "decimal(3,1)", in: []any{99, 100}, try: true, want: []string{"99.0", "NULL"}},
		{from: "varchar", to: "integer", in: []any{"12", " 13 ", "abc", "1.5", nil}, try: true, want: []string{"12", "13", "NULL", "NULL", "NULL"}},
		{from: "varchar", to: "integer", in: []any{"abc"}, err: "Cannot cast 'abc' to INTEGER"},
		{from: "varchar", to: "double", in: []any{"1.5", "1e3", "NaN", "-Infinity", "inf", "0x10"}, try: true, want: []string{"1.5", "1000.0", "NaN", "-Infinity", "NULL", "NULL"}},
		{from: "varchar", to: "decimal(10,2)", in: []any{"1.005", "-3", "1e2", "x"}, try: true, want: []string{"1.01", "-3.00", "100.00", "NULL"}},
		{from: "varchar", to: "decimal(38,2)", in: []any{"123456789012345678901234567890.125"}, want: []string{"123456789012345678901234567890.13"}},
		{from: "varchar", to: "boolean", in: []any{"true", "FALSE", "t", "0", "yes"}, try: true, want: []string{"true", "false", "true", "false", "NULL"}},
		{from: "varchar", to: "date", in: []any{"2024-02-29", "2023-02-29", "2024-1-5", "x"}, try: true, want: []string{"2024-02-29", "NULL", "2024-01-05", "NULL"}},
		{from: "varchar", to: "timestamp(3)", in: []any{"2024-02-29 13:14:15.1234", "2024-02-29", "2024-02-29T01:02:03", "2024-02-29 25:00:00"}, try: true, want: []string{"2024-02-29 13:14:15.123", "2024-02-29 00:00:00.000", "2024-02-29 01:02:03.000", "NULL"}},
		{from: "varchar", to: "timestamp(0)", in: []any{"2024-02-29 13:14:15.5"}, want: []string{"2024-02-29 13:14:16"}},
		{from: "varchar", to: "timestamp(3) with time zone", in: []any{"2024-01-01 10:00:00 America/New_York", "2024-01-01 10:00:00 +01:00", "2024-01-01 10:00:00"}, want: []string{"2024-01-01 15:00:00.000 UTC", "2024-01-01 09:00:00.000 UTC", "2024-01-01 10:00:00.000 UTC"}},
		{from: "varchar", to: "varchar(3)", in: []any{"abcdef", "éèà€x", "ab"}, want: []string{"abc", "éèà", "ab"}},
		{from: "bigint", to: "varchar(2)", in: []any{123}, err: "Value 123 cannot be represented as varchar(2)"},
		{from: "double", to: "varchar", in: []any{1e10, 1.0, 0.001, 0.0001, 123456.789, 1e7, math.Copysign(0, -1), 1.0 / 3, nan()}, want: []string{"1.0E10", "1.0", "0.001", "1.0E-4", "123456.789", "1.0E7", "-0.0", "0.3333333333333333", "NaN"}},
		{from: "real", to: "varchar", in: []any{1.1, 1e10}, want: []string{"1.1", "1.0E10"}},
		{from: "decimal(5,2)", to: "varchar", in: []any{"1.50", "-0.05", "0.00"}, want: []string{"1.50", "-0.05", "0.00"}},
		{from: "boolean", to: "varchar", in: []any{true, false}, want: []string{"true", "false"}},
		{from: "boolean", to: "integer", in: []any{true, false}, want: []string{"1", "0"}},
		{from: "integer", to: "boolean", in: []any{5, 0}, want: []string{"true", "false"}},
		{from: "date", to: "timestamp(3)", in: []any{"2024-03-01"}, want: []string{"2024-03-01 00:00:00.000"}},
		{from: "timestamp(6)", to: "date", in: []any{"1969-12-31 23:59:59.999999"}, want: []string{"1969-12-31"}},
		{from: "timestamp(6)", to: "timestamp(3)", in: []any{"2024-03-01 10:00:00.123500"}, want: []string{"2024-03-01 10:00:00.124"}},
		{from: "date", to: "varchar", in: []any{"0001-01-01"}, want: []string{"0001-01-01"}},
		{from: "interval day to second", to: "varchar", in: []any{-90061001}, want: []string{"-1 01:01:01.001"}},
		{from: "interval year to month", to: "varchar", in: []any{14}, want: []string{"1-2"}},
		{from: "unknown", to: "bigint", in: []any{nil, nil}, want: []string{"NULL", "NULL"}},
		{from: "array(integer)", to: "array(varchar)", in: nil, want: nil},
		{from: "varchar", to: "date", in: []any{"2020-13-45"}, err: "Value cannot be cast to date: 2020-13-45"},
		{from: "varchar", to: "timestamp(3)", in: []any{"abc"}, err: "Value cannot be cast to timestamp: abc"},
		{from: "varchar", to: "timestamp(3) with time zone", in: []any{"abc"}, err: "Value cannot be cast to timestamp with time zone: abc"},
		{from: "varchar", to: "decimal(10,2)", in: []any{"abc"}, err: "Cannot cast VARCHAR 'abc' to DECIMAL(10, 2). Value is not a number."},
		{from: "varchar", to: "decimal(3,2)", in: []any{"12.5"}, err: "Cannot cast VARCHAR '12.5' to DECIMAL(3, 2). Value too large."},
		// To json: a JSON encoding of the value; varchar becomes a JSON string.
		{from: "integer", to: "json", in: []any{42, -1, nil}, want: []string{"42", "-1", "NULL"}},
		{from: "varchar", to: "json", in: []any{"abc", `q"b\s`, "é\n\u0001/<"}, want: []string{`"abc"`, `"q\"b\\s"`, `"é\n\u0001/<"`}},
		{from: "boolean", to: "json", in: []any{true, false}, want: []string{"true", "false"}},
		{from: "double", to: "json", in: []any{1.5, 1e10, 100.0, nan()}, want: []string{"1.5", "1.0E10", "100.0", `"NaN"`}},
		{from: "real", to: "json", in: []any{1.1}, want: []string{"1.1"}},
		{from: "decimal(10,2)", to: "json", in: []any{"12.50", "-0.05"}, want: []string{"12.50", "-0.05"}},
		{from: "decimal(12,9)", to: "json", in: []any{"0.000000012"}, want: []string{"1.2E-8"}},
		{from: "date", to: "json", in: []any{"2024-03-01"}, want: []string{`"2024-03-01"`}},
		{from: "json", to: "json", in: []any{`{"a":1}`}, want: []string{`{"a":1}`}},
		// From json: scalars by Trino's rules; JSON null is SQL NULL.
		{from: "json", to: "integer", in: []any{"123", "1.5", `"12"`, "true", "null", nil}, want: []string{"123", "2", "12", "1", "NULL", "NULL"}},
		{from: "json", to: "integer", in: []any{"[1]"}, err: "Cannot cast '[1]' to integer"},
		{from: "json", to: "integer", in: []any{"3000000000"}, err: "Cannot cast '3000000000' to integer"},
		{from: "json", to: "tinyint", in: []any{"300", "[1]", "5"}, try: true, want: []string{"NULL", "NULL", "5"}},
		{from: "json", to: "bigint", in: []any{"9223372036854775807"}, want: []string{"9223372036854775807"}},
		{from: "json", to: "double", in: []any{"1.234", "1", `"2.5"`, "false"}, want: []string{"1.234", "1.0", "2.5", "0.0"}},
		{from: "json", to: "varchar", in: []any{`"abc"`, "1.5e3", "12", "true", "null", `"a\"b"`}, want: []string{"abc", "1500.0", "12", "true", "NULL", `a"b`}},
		{from: "json", to: "varchar", in: []any{`{"a":1}`}, err: `Cannot cast '{"a":1}' to varchar`},
		{from: "json", to: "boolean", in: []any{"true", "0", "2.5", `"f"`}, want: []string{"true", "false", "true", "false"}},
		{from: "json", to: "decimal(5,2)", in: []any{"1.005", `"2"`}, want: []string{"1.01", "2.00"}},
		// From json to containers; array(json) keeps mixed elements.
		{from: "json", to: "array(integer)", in: []any{"[1,2]", "[1,null,456]", "[]", "null"}, want: []string{"[1, 2]", "[1, NULL, 456]", "[]", "NULL"}},
		{from: "json", to: "array(array(integer))", in: []any{"[[1,23],[456]]"}, want: []string{"[[1, 23], [456]]"}},
		{from: "json", to: "array(json)", in: []any{`[[1,23],456,null,{"b":1,"a":2}]`}, want: []string{`[[1,23], 456, null, {"a":2,"b":1}]`}},
		{from: "json", to: "array(integer)", in: []any{`[1,"x"]`}, err: "Cannot cast to array(integer). Cannot cast 'x' to INTEGER"},
		{from: "json", to: "array(integer)", in: []any{`{"a":1}`}, err: "Expected a json array, but got {"},
		{from: "json", to: "array(integer)", in: []any{`[1,"x"]`, "[2]"}, try: true, want: []string{"NULL", "[2]"}},
	}
	for _, c := range cases {
		t.Run(c.from+"->"+c.to, func(t *testing.T) {
			ctx := testCtx(t)
			from, to := parseType(c.from), parseType(c.to)
			k, err := Cast(from, to, c.try)
			if err != nil {
				t.Fatal(err)
			}
			if c.in == nil {
				return
			}
			in := build(t, ctx, from, c.in...)
			defer in.Release()
			out, err := k(ctx, in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			got := render(t, ctx, to, out)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestCastUnsupported(t *testing.T) {
	if _, err := Cast(types.DateType, types.BooleanType, false); err == nil || !strings.Contains(err.Error(), "Cannot cast date to boolean") {
		t.Fatalf("err = %v", err)
	}
}

func TestLenientCast(t *testing.T) {
	ctx := testCtx(t)
	in := build(t, ctx, types.VarcharType, " 1.5 ", "n/a", "", nil, "2")
	defer in.Release()
	out, err := LenientCast(types.DoubleType)(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	got := strings.Join(render(t, ctx, types.DoubleType, out), "|")
	if got != "1.5|NULL|NULL|NULL|2.0" {
		t.Fatalf("got %s", got)
	}
}

// TestCastJSONRoundTrip casts json to a container type and back, which
// covers maps and rows (rendered through their JSON form).
func TestCastJSONRoundTrip(t *testing.T) {
	cases := []struct {
		via  string
		in   []any
		want []string
	}{
		{via: "map(varchar,integer)", in: []any{`{"k2":23,"k1":1}`, `{}`, "null", `{"a":null}`}, want: []string{`{"k1":1,"k2":23}`, `{}`, "NULL", `{"a":null}`}},
		{via: "map(varchar,json)", in: []any{`{"k1":[1,23],"k2":456}`}, want: []string{`{"k1":[1,23],"k2":456}`}},
		{via: "map(bigint,double)", in: []any{`{"2":1.5,"10":2}`}, want: []string{`{"10":2.0,"2":1.5}`}},
		{via: "array(map(varchar,boolean))", in: []any{`[{"x":true},null]`}, want: []string{`[{"x":true},null]`}},
		{via: "row(v1 bigint,v2 varchar,v3 boolean)", in: []any{`{"v1":123,"V2":"abc","v3":true}`, `[123,"abc",true]`, `{"v1":1}`}, want: []string{`[123,"abc",true]`, `[123,"abc",true]`, `[1,null,null]`}},
		{via: "array(varchar)", in: []any{`["a","b\"",1,true]`}, want: []string{`["a","b\"","1","true"]`}},
	}
	for _, c := range cases {
		t.Run(c.via, func(t *testing.T) {
			ctx := testCtx(t)
			via := parseType(c.via)
			in := build(t, ctx, types.JSONType, c.in...)
			defer in.Release()
			k1, err := Cast(types.JSONType, via, false)
			if err != nil {
				t.Fatal(err)
			}
			k2, err := Cast(via, types.JSONType, false)
			if err != nil {
				t.Fatal(err)
			}
			mid, err := k1(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			defer mid.Release()
			out, err := k2(ctx, mid)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			got := render(t, ctx, types.JSONType, out)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
	for _, bad := range [][2]string{{"json", "date"}, {"date", "boolean"}, {"map(array(integer),integer)", "json"}, {"json", "map(array(integer),integer)"}} {
		if _, err := Cast(parseType(bad[0]), parseType(bad[1]), false); err == nil || !strings.Contains(err.Error(), "Cannot cast") {
			t.Errorf("Cast(%s, %s): err = %v", bad[0], bad[1], err)
		}
	}
}

// TestSameStorageNested checks which casts of nested values only relabel:
// widening varchar bounds inside them does, anything that changes the
// Arrow layout or the values does not.
func TestSameStorageNested(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{"map(varchar(1), integer)", "map(varchar(2), integer)", true},
		{"map(varchar(1), integer)", "map(varchar, integer)", true},
		{"map(varchar(3), integer)", "map(varchar(2), integer)", false},
		{"map(varchar, integer)", "map(varchar, bigint)", false},
		{"array(row(integer, varchar(1)))", "array(row(integer, varchar))", true},
		{"row(a varchar(1))", "row(b varchar(1))", false},
		{"array(varchar)", "array(varchar(4))", false},
	} {
		if got := sameStorage(types.MustParse(tc.from), types.MustParse(tc.to)); got != tc.want {
			t.Errorf("sameStorage(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
