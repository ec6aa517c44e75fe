// Package output renders query results for people and programs: table,
// csv, tsv, json, jsonl and markdown, with Trino's text forms of values.
package output

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

// Value renders row i of a as Trino prints it; ok is false for NULL.
func Value(a arrow.Array, i int, t types.Type, zone *time.Location) (s string, ok bool) {
	if a.IsNull(i) {
		return "", false
	}
	switch x := a.(type) {
	case *array.Boolean:
		return strconv.FormatBool(x.Value(i)), true
	case *array.Int8:
		return strconv.FormatInt(int64(x.Value(i)), 10), true
	case *array.Int16:
		return strconv.FormatInt(int64(x.Value(i)), 10), true
	case *array.Int32:
		return strconv.FormatInt(int64(x.Value(i)), 10), true
	case *array.Int64:
		return strconv.FormatInt(x.Value(i), 10), true
	case *array.Float32:
		return FormatDouble(float64(x.Value(i)), 32), true
	case *array.Float64:
		return FormatDouble(x.Value(i), 64), true
	case *array.Decimal64:
		return FormatDecimal64(int64(x.Value(i)), t.Scale), true
	case *array.Decimal128:
		return FormatDecimal128(x.Value(i), t.Scale), true
	case *array.String:
		return x.Value(i), true
	case *array.Binary:
		return fmt.Sprintf("%x", x.Value(i)), true
	case *array.Date32:
		return time.Unix(int64(x.Value(i))*86400, 0).UTC().Format("2006-01-02"), true
	case *array.Time64:
		us := int64(x.Value(i))
		tt := time.Unix(0, us*1000).UTC()
		p := t.Precision
		if t.Kind != types.Time {
			p = 3
		}
		return tt.Format("15:04:05") + frac(us%1_000_000, p), true
	case *array.Timestamp:
		us := int64(x.Value(i))
		tt := time.UnixMicro(us).UTC()
		p := t.Precision
		if p == 0 && t.Kind != types.Timestamp && t.Kind != types.TimestampTZ {
			p = 3
		}
		sub := us % 1_000_000
		if sub < 0 {
			sub += 1_000_000
		}
		if t.Kind == types.TimestampTZ {
			loc := t.Location(zone)
			tt = tt.In(loc)
			return tt.Format("2006-01-02 15:04:05") + frac(sub, p) + " " + types.ZoneName(loc), true
		}
		return tt.Format("2006-01-02 15:04:05") + frac(sub, p), true
	case *array.Duration:
		ms := int64(x.Value(i))
		sign := ""
		if ms < 0 {
			sign, ms = "-", -ms
		}
		d := ms / 86400000
		ms %= 86400000
		return fmt.Sprintf("%s%d %02d:%02d:%02d.%03d", sign, d, ms/3600000, ms/60000%60, ms/1000%60, ms%1000), true
	case *array.MonthInterval:
		m := int64(x.Value(i))
		sign := ""
		if m < 0 {
			sign, m = "-", -m
		}
		return fmt.Sprintf("%s%d-%d", sign, m/12, m%12), true
	case *array.List:
		s, e := x.ValueOffsets(i)
		parts := make([]string, 0, e-s)
		elem := types.UnknownType
		if t.Elem != nil {
			elem = *t.Elem
		}
		for j := s; j < e; j++ {
			v, ok := Value(x.ListValues(), int(j), elem, zone)
			if !ok {
				v = "NULL"
			}
			parts = append(parts, v)
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case *array.Map:
		s, e := x.ValueOffsets(i)
		var kt, vt types.Type
		if t.Key != nil {
			kt, vt = *t.Key, *t.Elem
		}
		parts := make([]string, 0, e-s)
		for j := s; j < e; j++ {
			k, _ := Value(x.Keys(), int(j), kt, zone)
			v, ok := Value(x.Items(), int(j), vt, zone)
			if !ok {
				v = "NULL"
			}
			parts = append(parts, k+"="+v)
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case *array.Struct:
		parts := make([]string, x.NumField())
		for f := range parts {
			ft := types.UnknownType
			name := x.DataType().(*arrow.StructType).Field(f).Name
			if f < len(t.Fields) {
				ft, name = t.Fields[f].Type, t.Fields[f].Name
			}
			v, ok := Value(x.Field(f), i, ft, zone)
			if !ok {
				v = "NULL"
			}
			// Trino's clients print name=value for named fields and the
			// bare value for anonymous ones: {x=1, y=a}, {1, a}.
			if name != "" {
				v = name + "=" + v
			}
			parts[f] = v
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case *array.Null:
		return "", false
	}
	return fmt.Sprintf("<%s>", a.DataType()), true
}

func frac(sub int64, p int) string {
	if p <= 0 {
		return ""
	}
	s := fmt.Sprintf("%06d", sub)
	if p <= 6 {
		return "." + s[:p]
	}
	return "." + s + strings.Repeat("0", p-6)
}

// FormatDouble renders a double the way Trino does (Java's
// Double.toString): plain notation for 1e-3 <= |v| < 1e7, scientific with
// "E" otherwise.
func FormatDouble(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(v, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// FormatDecimal64 renders a scaled int64 at full scale.
func FormatDecimal64(v int64, scale int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := strconv.FormatUint(u, 10)
	return placePoint(s, scale, neg)
}

// FormatDecimal128 renders a 128-bit scaled integer at full scale.
func FormatDecimal128(v decimal128.Num, scale int) string {
	bi := v.BigInt()
	neg := bi.Sign() < 0
	if neg {
		bi.Neg(bi)
	}
	return placePoint(bi.String(), scale, neg)
}

func placePoint(digits string, scale int, neg bool) string {
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}
