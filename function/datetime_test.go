package function

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// ---- helpers shared by the date/time, JSON and aggregate tests ------------

// qtRegistry returns a registry with this file set's functions only, so the
// tests do not depend on other families being complete.
func qtRegistry() *Registry {
	r := NewRegistry()
	registerDateTime(r)
	registerJSON(r)
	registerAggregates(r)
	return r
}

// qtArray builds an array of type t from Go values; nil is NULL. Dates and
// timestamps are given as strings ("2024-05-01", "2024-05-01 12:00:00.5",
// with time zone as RFC 3339), decimals as strings.
func qtArray(t testing.TB, mem memory.Allocator, typ types.Type, vals []any) arrow.Array {
	t.Helper()
	b := array.NewBuilder(mem, typ.Arrow())
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.BooleanBuilder:
			bb.Append(v.(bool))
		case *array.Int8Builder:
			bb.Append(int8(v.(int)))
		case *array.Int16Builder:
			bb.Append(int16(v.(int)))
		case *array.Int32Builder:
			bb.Append(int32(v.(int)))
		case *array.Int64Builder:
			switch x := v.(type) {
			case int:
				bb.Append(int64(x))
			case int64:
				bb.Append(x)
			}
		case *array.Float32Builder:
			bb.Append(float32(v.(float64)))
		case *array.Float64Builder:
			switch x := v.(type) {
			case int:
				bb.Append(float64(x))
			case float64:
				bb.Append(x)
			}
		case *array.StringBuilder:
			bb.Append(v.(string))
		case *array.Date32Builder:
			d, err := time.Parse("2006-01-02", v.(string))
			if err != nil {
				t.Fatal(err)
			}
			bb.Append(arrow.Date32(d.Unix() / 86400))
		case *array.TimestampBuilder:
			s := v.(string)
			var tm time.Time
			var err error
			if typ.Kind == types.TimestampTZ {
				tm, err = time.Parse(time.RFC3339Nano, s)
			} else {
				tm, err = time.Parse("2006-01-02 15:04:05.999999", s)
				if err != nil {
					tm, err = time.Parse("2006-01-02", s)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			bb.Append(arrow.Timestamp(tm.UnixMicro()))
		case *array.Decimal64Builder:
			n, err := decimal128.FromString(v.(string), int32(typ.Precision), int32(typ.Scale))
			if err != nil {
				t.Fatal(err)
			}
			bb.Append(decimal.Decimal64(int64(n.LowBits())))
		case *array.Decimal128Builder:
			n, err := decimal128.FromString(v.(string), int32(typ.Precision), int32(typ.Scale))
			if err != nil {
				t.Fatal(err)
			}
			bb.Append(n)
		case *array.DurationBuilder:
			bb.Append(arrow.Duration(v.(int)))
		case *array.MonthIntervalBuilder:
			bb.Append(arrow.MonthInterval(v.(int)))
		default:
			t.Fatalf("qtArray: unsupported %T", b)
		}
	}
	return b.NewArray()
}

// qtValue renders row i of a as a comparable Go value: int64, float64,
// bool, string (dates, timestamps and decimals as text) or nil.
func qtValue(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch c := a.(type) {
	case *array.Boolean:
		return c.Value(i)
	case *array.Int64:
		return c.Value(i)
	case *array.Int32:
		return int64(c.Value(i))
	case *array.Float64:
		return c.Value(i)
	case *array.Float32:
		return float64(c.Value(i))
	case *array.String:
		return c.Value(i)
	case *array.Decimal64:
		return decimal128.FromI64(int64(c.Value(i))).ToString(c.DataType().(*arrow.Decimal64Type).Scale)
	case *array.Decimal128:
		return c.Value(i).ToString(c.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Date32:
		return time.Unix(int64(c.Value(i))*86400, 0).UTC().Format("2006-01-02")
	case *array.Timestamp:
		s := time.UnixMicro(int64(c.Value(i))).UTC().Format("2006-01-02 15:04:05.999999")
		if c.DataType().(*arrow.TimestampType).TimeZone != "" {
			s += " UTC"
		}
		return s
	}
	return a.ValueStr(i)
}

// qtCall binds name over argument types and runs it on columns of Go values.
func qtCall(t testing.TB, ctx *Context, r *Registry, name string, argTypes []types.Type, n int, cols ...[]any) ([]any, error) {
	t.Helper()
	f, ok := r.Scalar(name)
	if !ok {
		t.Fatalf("no function %s", name)
	}
	var b Binding
	var err error
	if f.BindConst != nil && len(cols) > 0 && len(cols[0]) > 0 {
		// The cases' arguments are constants, as the planner would see them.
		consts := make([]*ConstArg, len(cols))
		for i, c := range cols {
			consts[i] = &ConstArg{Value: c[0]}
		}
		b, err = f.BindConst(argTypes, consts)
	} else {
		b, err = f.Bind(argTypes)
	}
	if err != nil {
		return nil, err
	}
	args := make([]arrow.Array, len(cols))
	for i, c := range cols {
		args[i] = qtArray(t, ctx.Alloc, b.Args[i], c)
		defer args[i].Release()
	}
	out, err := b.Kernel(ctx, args, n)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	if out.Len() != n {
		t.Fatalf("%s returned %d rows, want %d", name, out.Len(), n)
	}
	if !arrow.TypeEqual(out.DataType(), b.Result.Arrow()) {
		t.Fatalf("%s returned %s, want %s", name, out.DataType(), b.Result.Arrow())
	}
	res := make([]any, n)
	for i := range res {
		res[i] = qtValue(out, i)
	}
	return res, nil
}

func qtContext(t testing.TB, zone string) (*Context, *memory.CheckedAllocator) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 5, 17, 13, 45, 30, 123456789, time.UTC)
	return &Context{Alloc: mem, Now: now, Zone: loc}, mem
}

// qtCase is one scalar call: constant arguments of the given types.
type qtCase struct {
	fn   string
	args []types.Type
	vals []any
	want any    // result value
	err  string // expected error substring
}

func qtRun(t *testing.T, zone string, cases []qtCase) {
	t.Helper()
	r := qtRegistry()
	for _, c := range cases {
		name := fmt.Sprintf("%s%v", c.fn, c.vals)
		t.Run(name, func(t *testing.T) {
			ctx, mem := qtContext(t, zone)
			defer mem.AssertSize(t, 0)
			cols := make([][]any, len(c.vals))
			for i, v := range c.vals {
				// Two rows: the value and a NULL-free copy, to check
				// row independence.
				cols[i] = []any{v, v}
			}
			got, err := qtCall(t, ctx, r, c.fn, c.args, 2, cols...)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != c.want || got[1] != c.want {
				t.Fatalf("got %#v, want %#v", got[0], c.want)
			}
		})
	}
}

var (
	tsT   = types.TimestampType
	tzT   = types.TimestampTZType
	dateT = types.DateType
	vcT   = types.VarcharType
	biT   = types.BigIntType
)

// ---- tests ---------------------------------------------------------------

func TestDateTrunc(t *testing.T) {
	const ts = "2001-08-22 03:04:05.321"
	qtRun(t, "UTC", []qtCase{
		{"date_trunc", []types.Type{vcT, tsT}, []any{"millisecond", "2001-08-22 03:04:05.321456"}, "2001-08-22 03:04:05.321", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"second", ts}, "2001-08-22 03:04:05", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"minute", ts}, "2001-08-22 03:04:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"hour", ts}, "2001-08-22 03:00:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"DAY", ts}, "2001-08-22 00:00:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"week", ts}, "2001-08-20 00:00:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"month", ts}, "2001-08-01 00:00:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"quarter", ts}, "2001-07-01 00:00:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"year", ts}, "2001-01-01 00:00:00", ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"second", "1969-12-31 23:59:59.5"}, "1969-12-31 23:59:59", ""},
		{"date_trunc", []types.Type{vcT, dateT}, []any{"month", "2001-08-22"}, "2001-08-01", ""},
		{"date_trunc", []types.Type{vcT, dateT}, []any{"week", "2001-08-26"}, "2001-08-20", ""},
		{"date_trunc", []types.Type{vcT, dateT}, []any{"quarter", "2001-12-31"}, "2001-10-01", ""},
		{"date_trunc", []types.Type{vcT, dateT}, []any{"hour", "2001-08-22"}, nil, "'hour' is not a valid DATE field"},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"fortnight", ts}, nil, "'fortnight' is not a valid TIMESTAMP field"},
		{"date_trunc", []types.Type{vcT, tsT}, []any{nil, ts}, nil, ""},
		{"date_trunc", []types.Type{vcT, tsT}, []any{"day", nil}, nil, ""},
		{"date_trunc", []types.Type{types.BooleanType, tsT}, []any{true, ts}, nil, "Unexpected parameters (boolean, timestamp(3)) for function date_trunc"},
		{"date_trunc", []types.Type{vcT, tzT}, []any{"day", "2024-03-10T12:00:00Z"}, "2024-03-10 00:00:00 UTC", ""},
	})
	// A timestamp with time zone truncates in the session zone.
	qtRun(t, "America/New_York", []qtCase{
		{"date_trunc", []types.Type{vcT, tzT}, []any{"day", "2024-03-10T12:00:00Z"}, "2024-03-10 05:00:00 UTC", ""},
		{"date_trunc", []types.Type{vcT, tzT}, []any{"day", "2024-03-10T03:00:00Z"}, "2024-03-09 05:00:00 UTC", ""},
		{"date_trunc", []types.Type{vcT, tzT}, []any{"month", "2024-03-10T12:00:00Z"}, "2024-03-01 05:00:00 UTC", ""},
		{"date_trunc", []types.Type{vcT, tzT}, []any{"hour", "2024-03-10T12:34:00Z"}, "2024-03-10 12:00:00 UTC", ""},
		// Plain timestamps ignore the session zone.
		{"date_trunc", []types.Type{vcT, tsT}, []any{"day", "2024-03-10 03:00:00"}, "2024-03-10 00:00:00", ""},
	})
	qtRun(t, "Asia/Kolkata", []qtCase{
		{"date_trunc", []types.Type{vcT, tzT}, []any{"hour", "2024-03-10T12:00:00Z"}, "2024-03-10 11:30:00 UTC", ""},
	})
}

func TestDateAdd(t *testing.T) {
	qtRun(t, "UTC", []qtCase{
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"millisecond", 1500, "2001-08-22 03:04:05.321"}, "2001-08-22 03:04:06.821", ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"second", -6, "2001-08-22 03:04:05"}, "2001-08-22 03:03:59", ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"hour", 24, "2001-08-22 03:04:05"}, "2001-08-23 03:04:05", ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"week", 1, "2001-08-22 03:04:05"}, "2001-08-29 03:04:05", ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"month", 1, "2024-01-31 10:00:00"}, "2024-02-29 10:00:00", ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"quarter", -1, "2024-05-31 10:00:00"}, "2024-02-29 10:00:00", ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"year", 1, "2024-02-29 00:00:00"}, "2025-02-28 00:00:00", ""},
		{"date_add", []types.Type{vcT, biT, dateT}, []any{"day", -1, "2024-03-01"}, "2024-02-29", ""},
		{"date_add", []types.Type{vcT, biT, dateT}, []any{"month", 13, "2023-12-31"}, "2025-01-31", ""},
		{"date_add", []types.Type{vcT, biT, dateT}, []any{"week", 2, "2024-01-01"}, "2024-01-15", ""},
		{"date_add", []types.Type{vcT, biT, dateT}, []any{"hour", 2, "2024-01-01"}, nil, "'hour' is not a valid DATE field"},
		{"date_add", []types.Type{vcT, biT, dateT}, []any{"day", nil, "2024-01-01"}, nil, ""},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"year", int64(1) << 62, "2024-01-01 00:00:00"}, nil, "Value out of range"},
		{"date_add", []types.Type{vcT, biT, tsT}, []any{"second", int64(1) << 62, "2024-01-01 00:00:00"}, nil, "Value out of range"},
		{"date_add", []types.Type{vcT, vcT, tsT}, []any{"day", "x", "2024-01-01 00:00:00"}, nil, "Unexpected parameters"},
	})
	qtRun(t, "America/New_York", []qtCase{
		// A day across the spring DST change is 23 hours of elapsed time.
		{"date_add", []types.Type{vcT, biT, tzT}, []any{"day", 1, "2024-03-09T17:00:00Z"}, "2024-03-10 16:00:00 UTC", ""},
		{"date_add", []types.Type{vcT, biT, tzT}, []any{"hour", 24, "2024-03-09T17:00:00Z"}, "2024-03-10 17:00:00 UTC", ""},
	})
}

func TestDateDiff(t *testing.T) {
	qtRun(t, "UTC", []qtCase{
		{"date_diff", []types.Type{vcT, tsT, tsT}, []any{"second", "2024-01-01 00:00:00", "2024-01-01 00:01:30.9"}, int64(90), ""},
		{"date_diff", []types.Type{vcT, tsT, tsT}, []any{"millisecond", "2024-01-01 00:00:00", "2024-01-01 00:00:01.5"}, int64(1500), ""},
		{"date_diff", []types.Type{vcT, tsT, tsT}, []any{"hour", "2024-01-01 10:00:00", "2024-01-01 00:30:00"}, int64(-9), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"day", "2024-01-01", "2024-03-01"}, int64(60), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"week", "2024-01-01", "2024-01-14"}, int64(1), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"month", "2024-01-31", "2024-02-29"}, int64(1), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"month", "2024-01-30", "2024-02-28"}, int64(0), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"month", "2024-03-31", "2024-01-31"}, int64(-2), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"quarter", "2024-01-15", "2024-10-14"}, int64(2), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"year", "2020-02-29", "2024-02-28"}, int64(3), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"year", "2020-02-29", "2024-02-29"}, int64(4), ""},
		{"date_diff", []types.Type{vcT, tsT, tsT}, []any{"month", "2024-01-15 12:00:00", "2024-02-15 11:59:59"}, int64(0), ""},
		{"date_diff", []types.Type{vcT, dateT, tsT}, []any{"hour", "2024-01-01", "2024-01-02 06:00:00"}, int64(30), ""},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"minute", "2024-01-01", "2024-01-02"}, nil, "not a valid DATE field"},
		{"date_diff", []types.Type{vcT, dateT, dateT}, []any{"day", nil, "2024-01-02"}, nil, ""},
	})
	qtRun(t, "America/New_York", []qtCase{
		{"date_diff", []types.Type{vcT, tzT, tzT}, []any{"day", "2024-03-09T17:00:00Z", "2024-03-10T16:00:00Z"}, int64(1), ""},
		{"date_diff", []types.Type{vcT, tzT, tzT}, []any{"hour", "2024-03-09T17:00:00Z", "2024-03-10T16:00:00Z"}, int64(23), ""},
	})
}

func TestDateFields(t *testing.T) {
	const ts = "2024-12-30 13:14:15.678"
	qtRun(t, "UTC", []qtCase{
		{"year", []types.Type{tsT}, []any{ts}, int64(2024), ""},
		{"quarter", []types.Type{tsT}, []any{ts}, int64(4), ""},
		{"month", []types.Type{tsT}, []any{ts}, int64(12), ""},
		{"week", []types.Type{tsT}, []any{ts}, int64(1), ""},
		{"week_of_year", []types.Type{dateT}, []any{"2024-05-01"}, int64(18), ""},
		{"year_of_week", []types.Type{tsT}, []any{ts}, int64(2025), ""},
		{"yow", []types.Type{dateT}, []any{"2021-01-01"}, int64(2020), ""},
		{"day", []types.Type{tsT}, []any{ts}, int64(30), ""},
		{"day_of_month", []types.Type{dateT}, []any{"2024-02-29"}, int64(29), ""},
		{"day_of_week", []types.Type{tsT}, []any{ts}, int64(1), ""},
		{"dow", []types.Type{dateT}, []any{"2024-05-05"}, int64(7), ""},
		{"day_of_year", []types.Type{dateT}, []any{"2024-12-31"}, int64(366), ""},
		{"doy", []types.Type{tsT}, []any{ts}, int64(365), ""},
		{"hour", []types.Type{tsT}, []any{ts}, int64(13), ""},
		{"minute", []types.Type{tsT}, []any{ts}, int64(14), ""},
		{"second", []types.Type{tsT}, []any{ts}, int64(15), ""},
		{"millisecond", []types.Type{tsT}, []any{ts}, int64(678), ""},
		{"year", []types.Type{dateT}, []any{"1969-12-31"}, int64(1969), ""},
		{"year", []types.Type{tsT}, []any{nil}, nil, ""},
		{"hour", []types.Type{dateT}, []any{"2024-01-01"}, nil, "Unexpected parameters (date) for function hour"},
		{"year", []types.Type{vcT}, []any{"2024"}, nil, "Unexpected parameters (varchar) for function year"},
		{"year", []types.Type{types.IntervalYMType}, []any{27}, int64(2), ""},
		{"month", []types.Type{types.IntervalYMType}, []any{27}, int64(3), ""},
		{"day", []types.Type{types.IntervalDTType}, []any{2*86_400_000 + 3*3_600_000 + 4*60_000 + 5_006}, int64(2), ""},
		{"hour", []types.Type{types.IntervalDTType}, []any{2*86_400_000 + 3*3_600_000 + 4*60_000 + 5_006}, int64(3), ""},
		{"minute", []types.Type{types.IntervalDTType}, []any{2*86_400_000 + 3*3_600_000 + 4*60_000 + 5_006}, int64(4), ""},
		{"second", []types.Type{types.IntervalDTType}, []any{2*86_400_000 + 3*3_600_000 + 4*60_000 + 5_006}, int64(5), ""},
		{"millisecond", []types.Type{types.IntervalDTType}, []any{2*86_400_000 + 3*3_600_000 + 4*60_000 + 5_006}, int64(6), ""},
		{"last_day_of_month", []types.Type{dateT}, []any{"2024-02-10"}, "2024-02-29", ""},
		{"last_day_of_month", []types.Type{tsT}, []any{"2023-12-10 23:00:00"}, "2023-12-31", ""},
	})
	qtRun(t, "Asia/Tokyo", []qtCase{
		{"hour", []types.Type{tzT}, []any{"2024-01-01T20:00:00Z"}, int64(5), ""},
		{"day", []types.Type{tzT}, []any{"2024-01-01T20:00:00Z"}, int64(2), ""},
	})
}

func TestNow(t *testing.T) {
	qtRun(t, "America/Los_Angeles", []qtCase{
		{"now", nil, nil, "2024-05-17 13:45:30.123 UTC", ""},
		{"current_timestamp", nil, nil, "2024-05-17 13:45:30.123 UTC", ""},
		{"localtimestamp", nil, nil, "2024-05-17 06:45:30.123", ""},
		{"current_date", nil, nil, "2024-05-17", ""},
		{"current_timezone", nil, nil, "America/Los_Angeles", ""},
		{"now", []types.Type{biT}, []any{1}, nil, "Unexpected parameters (bigint) for function now"},
	})
	qtRun(t, "Pacific/Kiritimati", []qtCase{
		{"current_date", nil, nil, "2024-05-18", ""},
	})
}

func TestISO8601(t *testing.T) {
	qtRun(t, "UTC", []qtCase{
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T00:00:00Z"}, "2024-05-01 00:00:00 UTC", ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T00:00:00.000+02:00"}, "2024-04-30 22:00:00 UTC", ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T10:20:30.123456-0530"}, "2024-05-01 15:50:30.123 UTC", ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01"}, "2024-05-01 00:00:00 UTC", ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T10"}, "2024-05-01 10:00:00 UTC", ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T10:30+01"}, "2024-05-01 09:30:00 UTC", ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-13-01T00:00:00Z"}, nil, `Invalid format: "2024-13-01T00:00:00Z"`},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"yesterday"}, nil, "from_iso8601_timestamp"},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T00:00:00Zulu"}, nil, "Invalid format"},
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{nil}, nil, ""},
		{"from_iso8601_date", []types.Type{vcT}, []any{"2024-05-01"}, "2024-05-01", ""},
		{"from_iso8601_date", []types.Type{vcT}, []any{"2024-05"}, "2024-05-01", ""},
		{"from_iso8601_date", []types.Type{vcT}, []any{"2024-02-30"}, nil, "Invalid format"},
		{"from_iso8601_date", []types.Type{vcT}, []any{"2024-05-01T00:00:00"}, nil, "Invalid format"},
		{"to_iso8601", []types.Type{dateT}, []any{"2024-05-01"}, "2024-05-01", ""},
		{"to_iso8601", []types.Type{tsT}, []any{"2024-05-01 01:02:03.4"}, "2024-05-01T01:02:03.400", ""},
		{"to_iso8601", []types.Type{types.Type{Kind: types.Timestamp, Precision: 0}}, []any{"2024-05-01 01:02:03"}, "2024-05-01T01:02:03", ""},
		{"to_iso8601", []types.Type{tzT}, []any{"2024-05-01T01:02:03Z"}, "2024-05-01T01:02:03.000Z", ""},
	})
	qtRun(t, "Europe/Berlin", []qtCase{
		// Without an offset the session zone applies.
		{"from_iso8601_timestamp", []types.Type{vcT}, []any{"2024-05-01T00:00:00"}, "2024-04-30 22:00:00 UTC", ""},
		{"to_iso8601", []types.Type{tzT}, []any{"2024-05-01T01:02:03Z"}, "2024-05-01T03:02:03.000+02:00", ""},
	})
}

func TestUnixtimeAndZones(t *testing.T) {
	qtRun(t, "UTC", []qtCase{
		{"from_unixtime", []types.Type{types.DoubleType}, []any{1.5}, "1970-01-01 00:00:01.5 UTC", ""},
		{"from_unixtime", []types.Type{biT}, []any{1714521600}, "2024-05-01 00:00:00 UTC", ""},
		{"from_unixtime", []types.Type{types.DoubleType, vcT}, []any{0.0, "Asia/Tokyo"}, "1970-01-01 00:00:00 UTC", ""},
		{"from_unixtime", []types.Type{types.DoubleType, vcT}, []any{0.0, "Foo/Bar"}, nil, "Time zone not supported: Foo/Bar"},
		{"from_unixtime", []types.Type{types.DoubleType, biT, biT}, []any{0.0, 2, 0}, "1970-01-01 00:00:00 UTC", ""},
		{"from_unixtime", []types.Type{types.DoubleType}, []any{1e300}, nil, "Value out of range"},
		{"from_unixtime", []types.Type{vcT}, []any{"1"}, nil, "Unexpected parameters (varchar) for function from_unixtime"},
		{"to_unixtime", []types.Type{tzT}, []any{"2024-05-01T00:00:00.25Z"}, 1714521600.25, ""},
		{"to_unixtime", []types.Type{tzT}, []any{nil}, nil, ""},
		{"at_timezone", []types.Type{tzT, vcT}, []any{"2024-05-01T00:00:00Z", "America/New_York"}, "2024-05-01 00:00:00 UTC", ""},
		{"at_timezone", []types.Type{tzT, vcT}, []any{"2024-05-01T00:00:00Z", "Foo/Bar"}, nil, "Time zone not supported: Foo/Bar"},
		{"at_timezone", []types.Type{tzT, vcT}, []any{"2024-05-01T00:00:00Z", "+05:30"}, "2024-05-01 00:00:00 UTC", ""},
		{"at_timezone", []types.Type{tzT, vcT}, []any{"2024-05-01T00:00:00Z", "../etc/passwd"}, nil, "Time zone not supported"},
		{"with_timezone", []types.Type{tsT, vcT}, []any{"2024-05-01 00:00:00", "America/New_York"}, "2024-05-01 04:00:00 UTC", ""},
		{"with_timezone", []types.Type{tsT, vcT}, []any{"2024-05-01 00:00:00", "-02:00"}, "2024-05-01 02:00:00 UTC", ""},
		{"with_timezone", []types.Type{tsT, vcT}, []any{"2024-05-01 00:00:00", "Nowhere"}, nil, "Time zone not supported: Nowhere"},
	})
	qtRun(t, "Asia/Tokyo", []qtCase{
		{"to_unixtime", []types.Type{tsT}, []any{"1970-01-01 09:00:00"}, 0.0, ""},
	})
}

func TestDateFormat(t *testing.T) {
	const ts = "2024-05-03 14:05:09.123456"
	qtRun(t, "UTC", []qtCase{
		{"date_format", []types.Type{tsT, vcT}, []any{ts, "%Y-%m"}, "2024-05", ""},
		{"date_format", []types.Type{tsT, vcT}, []any{ts, "%Y-%m-%d %H:%i:%s.%f"}, "2024-05-03 14:05:09.123456", ""},
		{"date_format", []types.Type{tsT, vcT}, []any{ts, "%a %W %b %M %c %e %j %y %p %T %r %%"}, "Fri Friday May May 5 3 124 24 PM 14:05:09 02:05:09 PM %", ""},
		{"date_format", []types.Type{tsT, vcT}, []any{ts, "%h %I %k %l %S %v %x"}, "02 02 14 2 09 18 2024", ""},
		{"date_format", []types.Type{dateT, vcT}, []any{"2024-01-07", "%d/%m/%Y"}, "07/01/2024", ""},
		{"date_format", []types.Type{tsT, vcT}, []any{ts, "%U"}, nil, "%U not supported in date format string"},
		{"date_format", []types.Type{tsT, vcT}, []any{nil, "%Y"}, nil, ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024-05-03 14:05:09", "%Y-%m-%d %H:%i:%s"}, "2024-05-03 14:05:09", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024/5/3", "%Y/%c/%e"}, "2024-05-03 00:00:00", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"03-May-24 02:05:09 PM", "%d-%b-%y %r"}, "2024-05-03 14:05:09", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"12:00:00 AM", "%r"}, "1970-01-01 00:00:00", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024.123", "%Y.%f"}, "2024-01-01 00:00:00.123", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024-060", "%Y-%j"}, "2024-02-29 00:00:00", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"Friday, September 6 2024", "%W, %M %e %Y"}, "2024-09-06 00:00:00", ""},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024-05", "%Y-%m-%d"}, nil, `Invalid format: "2024-05" is too short`},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024-xx-01", "%Y-%m-%d"}, nil, `is malformed at "xx-01"`},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024-02-30", "%Y-%m-%d"}, nil, "out of range"},
		{"date_parse", []types.Type{vcT, vcT}, []any{"2024-01-01 junk", "%Y-%m-%d"}, nil, `malformed at " junk"`},
	})
	qtRun(t, "Europe/Berlin", []qtCase{
		{"date_format", []types.Type{tzT, vcT}, []any{"2024-05-03T23:30:00Z", "%Y-%m-%d %H:%i"}, "2024-05-04 01:30", ""},
	})
}

func TestJodaFormat(t *testing.T) {
	const ts = "2024-05-03 14:05:09.123"
	qtRun(t, "UTC", []qtCase{
		{"format_datetime", []types.Type{tsT, vcT}, []any{ts, "yyyy-MM-dd HH:mm:ss.SSS"}, "2024-05-03 14:05:09.123", ""},
		{"format_datetime", []types.Type{tsT, vcT}, []any{ts, "EEE, d MMM yy h:mm a"}, "Fri, 3 May 24 2:05 PM", ""},
		{"format_datetime", []types.Type{tsT, vcT}, []any{ts, "EEEE MMMM D 'week' w e k K"}, "Friday May 124 week 18 5 14 2", ""},
		{"format_datetime", []types.Type{tsT, vcT}, []any{ts, "''yyyy'' 'o''clock'"}, "'2024' o'clock", ""},
		{"format_datetime", []types.Type{tzT, vcT}, []any{"2024-05-03T14:05:09Z", "yyyyMMdd'T'HHmmss Z ZZ ZZZ"}, "20240503T140509 +0000 +00:00 UTC", ""},
		{"format_datetime", []types.Type{tsT, vcT}, []any{ts, "yyyy-qq"}, nil, "Illegal pattern component: qq"},
		{"format_datetime", []types.Type{tsT, vcT}, []any{ts, "G C Y x"}, "AD 20 2024 2024", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"2024-05-03 14:05:09.123", "yyyy-MM-dd HH:mm:ss.SSS"}, "2024-05-03 14:05:09.123 UTC", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"20240503140509", "yyyyMMddHHmmss"}, "2024-05-03 14:05:09 UTC", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"2024-05-03 14:05 +02:00", "yyyy-MM-dd HH:mm ZZ"}, "2024-05-03 12:05:00 UTC", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"2024-05-03 14:05 America/New_York", "yyyy-MM-dd HH:mm ZZZ"}, "2024-05-03 18:05:00 UTC", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"Fri, 3 May 2024 2:05 pm", "EEE, d MMM yyyy h:mm a"}, "2024-05-03 14:05:00 UTC", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"3 September 2024", "d MMMM yyyy"}, "2024-09-03 00:00:00 UTC", ""},
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"2024-05-03", "yyyy-MM-dd HH"}, nil, "too short"},
	})
	qtRun(t, "Asia/Tokyo", []qtCase{
		{"parse_datetime", []types.Type{vcT, vcT}, []any{"2024-05-03 09:00", "yyyy-MM-dd HH:mm"}, "2024-05-03 00:00:00 UTC", ""},
		{"format_datetime", []types.Type{tzT, vcT}, []any{"2024-05-03T00:00:00Z", "HH:mm Z z ZZZ"}, "09:00 +0900 JST Asia/Tokyo", ""},
	})
}

func TestLoadZone(t *testing.T) {
	for _, c := range []struct {
		in  string
		off int
		err bool
	}{
		{"UTC", 0, false}, {"Z", 0, false}, {"+05:30", 19800, false}, {"-08", -28800, false},
		{"Europe/Paris", 3600, false}, {"Foo/Bar", 0, true}, {"", 0, true}, {"+25:00", 0, true}, {"Local", 0, true},
	} {
		loc, err := dtLoadZone(c.in)
		if c.err {
			if err == nil || !strings.HasPrefix(err.Error(), "Time zone not supported: ") {
				t.Errorf("dtLoadZone(%q) error = %v", c.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("dtLoadZone(%q): %v", c.in, err)
			continue
		}
		if _, off := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Zone(); off != c.off {
			t.Errorf("dtLoadZone(%q) offset %d, want %d", c.in, off, c.off)
		}
	}
}

// TestZoneResultTypes checks the zone a call's result type carries: it is
// static, taken from constant arguments when the call is bound.
func TestZoneResultTypes(t *testing.T) {
	r := qtRegistry()
	paris := types.TimestampTZOf(3, "Europe/Paris")
	for _, c := range []struct {
		fn     string
		args   []types.Type
		consts []*ConstArg
		want   types.Type
		err    string
	}{
		{"at_timezone", []types.Type{tzT, vcT}, []*ConstArg{nil, {"Asia/Tokyo"}}, types.TimestampTZOf(3, "Asia/Tokyo"), ""},
		{"at_timezone", []types.Type{paris, vcT}, []*ConstArg{nil, {"+02:00"}}, types.TimestampTZOf(3, "+02:00"), ""},
		{"at_timezone", []types.Type{tsT, vcT}, []*ConstArg{nil, {"Z"}}, types.TimestampTZOf(3, "UTC"), ""},
		{"at_timezone", []types.Type{{Kind: types.Timestamp, Precision: 6}, vcT}, []*ConstArg{nil, {"UTC"}}, types.TimestampTZOf(6, "UTC"), ""},
		{"at_timezone", []types.Type{tzT, vcT}, []*ConstArg{nil, {nil}}, types.TimestampTZOf(3, ""), ""},
		{"at_timezone", []types.Type{tzT, vcT}, []*ConstArg{nil, nil}, types.Type{}, "the time zone (argument 2) must be a constant"},
		{"at_timezone", []types.Type{tzT, vcT}, []*ConstArg{nil, {"Foo/Bar"}}, types.Type{}, "Time zone not supported: Foo/Bar"},
		{"with_timezone", []types.Type{tsT, vcT}, []*ConstArg{nil, {"Europe/Paris"}}, paris, ""},
		{"with_timezone", []types.Type{tsT, vcT}, []*ConstArg{nil, nil}, types.Type{}, "the time zone (argument 2) must be a constant"},
		{"from_iso8601_timestamp", []types.Type{vcT}, []*ConstArg{{"2020-05-17T10:20:30+02:00"}}, types.TimestampTZOf(3, "+02:00"), ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []*ConstArg{{"2020-05-17T10:20:30Z"}}, types.TimestampTZOf(3, "UTC"), ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []*ConstArg{{"2020-05-17T10:20:30"}}, types.TimestampTZOf(3, ""), ""},
		{"from_iso8601_timestamp", []types.Type{vcT}, []*ConstArg{nil}, types.TimestampTZOf(3, ""), ""},
	} {
		f, _ := r.Scalar(c.fn)
		b, err := f.BindConst(c.args, c.consts)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s%v: error = %v, want %q", c.fn, c.args, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s%v: %v", c.fn, c.args, err)
			continue
		}
		if !b.Result.Equal(c.want) {
			t.Errorf("%s%v: result %v zone %q, want %v zone %q", c.fn, c.args, b.Result, b.Result.Zone, c.want, c.want.Zone)
		}
	}
}

func TestFromWall(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	wall := func(s string) int64 {
		v, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMicro()
	}
	for _, c := range []struct{ wall, want string }{
		{"2020-05-17 10:20:30", "2020-05-17T14:20:30Z"},
		{"2020-01-17 10:20:30", "2020-01-17T15:20:30Z"},
		// The spring-forward gap: 02:30 does not exist; java.time moves it
		// to 03:30 EDT.
		{"2020-03-08 02:30:00", "2020-03-08T07:30:00Z"},
		// The fall-back overlap: 01:30 happens twice; the earlier (EDT) wins.
		{"2020-11-01 01:30:00", "2020-11-01T05:30:00Z"},
	} {
		got := time.UnixMicro(dtFromWall(wall(c.wall), ny)).UTC().Format(time.RFC3339)
		if got != c.want {
			t.Errorf("dtFromWall(%s, New York) = %s, want %s", c.wall, got, c.want)
		}
	}
	if got := dtFromWall(wall("2020-05-17 10:20:30")+123456, time.UTC); got != wall("2020-05-17 10:20:30")+123456 {
		t.Errorf("UTC: got %d", got)
	}
}
