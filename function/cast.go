package function

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Kernel1 converts one array to another type. Like Kernel, it returns a
// new array of the same length that the caller releases.
type Kernel1 func(ctx *Context, arg arrow.Array) (arrow.Array, error)

// Cast returns the kernel for CAST(x AS to) from values of type from, with
// Trino's semantics: numbers are range-checked ("Out of range for integer:
// 3000000000") and rounded HALF_UP when losing scale or converting from
// floating point; text is parsed by Trino's rules ("Cannot cast 'abc' to
// INTEGER"); every type renders to varchar in Trino's canonical text
// (doubles as Java's Double.toString: 1.0E10, 0.001, 1.5). With try, each
// failing row becomes NULL instead (TRY_CAST). The error is for casts that
// Trino rejects at analysis time.
func Cast(from, to types.Type, try bool) (Kernel1, error) {
	unsupported := fmt.Errorf("Cannot cast %s to %s", from, to)
	if from.Kind == types.Unknown {
		return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
			return nullArray(ctx.Alloc, to.Arrow(), arg.Len()), nil
		}, nil
	}
	if from.Equal(to) || sameStorage(from, to) {
		return identity, nil
	}
	if to.Kind == types.JSON {
		if k, ok := castToJSON(from, try); ok {
			return k, nil
		}
		return nil, unsupported
	}
	if from.Kind == types.JSON {
		if k, ok := castFromJSON(to, try); ok {
			return k, nil
		}
		return nil, unsupported
	}
	c := caster{from: from, to: to, try: try}
	switch to.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		get, ok := c.int64Source()
		if !ok {
			return nil, unsupported
		}
		lo, hi := intRange(to.Kind)
		check := rowReader[int64](func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			f := get(ctx, arg)
			return func(i int) (int64, error) {
				v, err := f(i)
				if err == nil && (v < lo || v > hi) {
					err = fmt.Errorf("Out of range for %s: %d", to, v)
				}
				return v, err
			}
		})
		switch to.Kind {
		case types.TinyInt:
			return castTo(c, func(v int64) int8 { return int8(v) }, check), nil
		case types.SmallInt:
			return castTo(c, func(v int64) int16 { return int16(v) }, check), nil
		case types.Integer:
			return castTo(c, func(v int64) int32 { return int32(v) }, check), nil
		}
		return castTo(c, func(v int64) int64 { return v }, check), nil
	case types.Real, types.Double:
		get, ok := c.float64Source()
		if !ok {
			return nil, unsupported
		}
		if to.Kind == types.Real {
			return castTo(c, func(v float64) float32 { return float32(v) }, get), nil
		}
		return castTo(c, func(v float64) float64 { return v }, get), nil
	case types.Decimal:
		get, ok := c.decimalSource()
		if !ok {
			return nil, unsupported
		}
		return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
			return castRowsDecimal(ctx, c, arg, get(ctx, arg))
		}, nil
	case types.Boolean:
		get, ok := c.boolSource()
		if !ok {
			return nil, unsupported
		}
		return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
			f := get(ctx, arg)
			n := arg.Len()
			w := newBoolWriter(ctx.Alloc, n)
			return castRowsWith(ctx, c, arg, w.buf, func(i int) error {
				v, err := f(i)
				w.set(i, v)
				return err
			}, arrow.FixedWidthTypes.Boolean)
		}, nil
	case types.Varchar, types.Char:
		return c.toString()
	case types.Date, types.Timestamp, types.TimestampTZ, types.Time:
		get, ok := c.temporalSource()
		if !ok {
			return nil, unsupported
		}
		if to.Kind == types.Date {
			return castTo(c, func(v int64) int32 { return int32(v) }, get), nil
		}
		return castTo(c, func(v int64) int64 { return v }, get), nil
	case types.Array:
		if from.Kind != types.Array {
			return nil, unsupported
		}
		elem, err := Cast(*from.Elem, *to.Elem, try)
		if err != nil {
			return nil, err
		}
		return castList(to, elem), nil
	case types.Row:
		if from.Kind != types.Row || len(from.Fields) != len(to.Fields) {
			return nil, unsupported
		}
		fields := make([]Kernel1, len(to.Fields))
		for i := range to.Fields {
			k, err := Cast(from.Fields[i].Type, to.Fields[i].Type, try)
			if err != nil {
				return nil, err
			}
			fields[i] = k
		}
		return castRow(to, fields), nil
	}
	return nil, unsupported
}

// sameStorage reports casts that only relabel values: widening varchar,
// char to unbounded varchar, raising decimal-free timestamp precision.
func sameStorage(from, to types.Type) bool {
	switch {
	case from.Kind == types.Varchar && to.Kind == types.Varchar:
		return to.Length == 0 || from.Length > 0 && from.Length <= to.Length
	case from.Kind == types.Char && to.Kind == types.Varchar:
		return to.Length == 0 || to.Length >= from.Length
	case from.Kind == to.Kind && (from.Kind == types.Timestamp || from.Kind == types.TimestampTZ || from.Kind == types.Time):
		return to.Precision >= from.Precision || from.Precision >= 6 && to.Precision >= 6
	case from.Kind == to.Kind && (from.Kind == types.Array || from.Kind == types.Map || from.Kind == types.Row):
		// Nested values relabel when every part does and the Arrow
		// layout (row field names included) is the same: map(varchar(1),
		// integer) to map(varchar(2), integer).
		if !arrow.TypeEqual(from.Arrow(), to.Arrow()) {
			return false
		}
		same := func(a, b types.Type) bool { return a.Equal(b) || sameStorage(a, b) }
		switch from.Kind {
		case types.Array:
			return same(*from.Elem, *to.Elem)
		case types.Map:
			return same(*from.Key, *to.Key) && same(*from.Elem, *to.Elem)
		}
		for i := range from.Fields {
			if !same(from.Fields[i].Type, to.Fields[i].Type) {
				return false
			}
		}
		return true
	}
	return false
}

func identity(ctx *Context, arg arrow.Array) (arrow.Array, error) {
	arg.Retain()
	return arg, nil
}

func intRange(k types.Kind) (int64, int64) {
	switch k {
	case types.TinyInt:
		return math.MinInt8, math.MaxInt8
	case types.SmallInt:
		return math.MinInt16, math.MaxInt16
	case types.Integer:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// caster carries a cast's types; its *Source methods return, per input
// array, a row reader yielding the canonical value or the row's error.
type caster struct {
	from, to types.Type
	try      bool
}

type rowReader[T any] func(ctx *Context, arg arrow.Array) func(i int) (T, error)

func (c caster) cannot(s string) error {
	return fmt.Errorf("Cannot cast '%s' to %s", s, strings.ToUpper(c.to.String()))
}

func (c caster) int64Source() (rowReader[int64], bool) {
	switch c.from.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			return intReader(arg)
		}, true
	case types.Boolean:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			b := boolValues(arg)
			return func(i int) (int64, error) { return int64(b2i(b.valid(i))), nil }
		}, true
	case types.Real, types.Double:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			f := floatReader(arg)
			return func(i int) (int64, error) {
				v := f(i)
				// Trino rounds half away from zero; NaN and values beyond
				// bigint are out of range.
				r := math.Round(v)
				if math.IsNaN(r) || r < -9.223372036854775808e18 || r >= 9.223372036854775808e18 {
					return 0, fmt.Errorf("Out of range for %s: %s", c.to, javaDouble(v, 64))
				}
				return int64(r), nil
			}
		}, true
	case types.Decimal:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			d := decimalValues(arg)
			return func(i int) (int64, error) {
				v := d[i].scaleDown(c.from.Scale)
				if !v.fitsInt64() {
					return 0, fmt.Errorf("Out of range for %s: %s", c.to, decimalString(d[i], c.from.Scale))
				}
				return int64(v.lo), nil
			}
		}, true
	case types.Varchar, types.Char:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			s := stringsOf(arg)
			return func(i int) (int64, error) {
				str := s.at(i)
				v, err := strconv.ParseInt(strings.TrimSpace(str), 10, 64)
				if err != nil {
					return 0, c.cannot(str)
				}
				return v, nil
			}
		}, true
	}
	return nil, false
}

func intReader(arg arrow.Array) func(int) (int64, error) {
	switch arg.DataType().ID() {
	case arrow.INT8:
		v := values[int8](arg)
		return func(i int) (int64, error) { return int64(v[i]), nil }
	case arrow.INT16:
		v := values[int16](arg)
		return func(i int) (int64, error) { return int64(v[i]), nil }
	case arrow.INT32:
		v := values[int32](arg)
		return func(i int) (int64, error) { return int64(v[i]), nil }
	}
	v := values[int64](arg)
	return func(i int) (int64, error) { return v[i], nil }
}

func floatReader(arg arrow.Array) func(int) float64 {
	if arg.DataType().ID() == arrow.FLOAT32 {
		v := values[float32](arg)
		return func(i int) float64 { return float64(v[i]) }
	}
	v := values[float64](arg)
	return func(i int) float64 { return v[i] }
}

func (c caster) float64Source() (rowReader[float64], bool) {
	switch c.from.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		return func(ctx *Context, arg arrow.Array) func(int) (float64, error) {
			r := intReader(arg)
			return func(i int) (float64, error) { v, _ := r(i); return float64(v), nil }
		}, true
	case types.Real, types.Double:
		return func(ctx *Context, arg arrow.Array) func(int) (float64, error) {
			r := floatReader(arg)
			return func(i int) (float64, error) { return r(i), nil }
		}, true
	case types.Boolean:
		return func(ctx *Context, arg arrow.Array) func(int) (float64, error) {
			b := boolValues(arg)
			return func(i int) (float64, error) { return float64(b2i(b.valid(i))), nil }
		}, true
	case types.Decimal:
		return func(ctx *Context, arg arrow.Array) func(int) (float64, error) {
			d := decimalValues(arg)
			return func(i int) (float64, error) { return decimalToFloat(d[i], c.from.Scale), nil }
		}, true
	case types.Varchar, types.Char:
		return func(ctx *Context, arg arrow.Array) func(int) (float64, error) {
			s := stringsOf(arg)
			return func(i int) (float64, error) {
				str := s.at(i)
				v, ok := parseJavaDouble(str)
				if !ok {
					return 0, c.cannot(str)
				}
				return v, nil
			}
		}, true
	}
	return nil, false
}

// parseJavaDouble parses text as Java's Double.parseDouble does: surrounding
// whitespace ignored, NaN and [+-]Infinity spelled out, an optional d/f
// suffix. Go's extras (inf, hex, underscores) are rejected.
func parseJavaDouble(s string) (float64, bool) {
	if v, ok := parsePlainDecimal(s); ok {
		return v, true
	}
	s = strings.TrimSpace(s)
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if n := len(s); n > 1 && strings.ContainsRune("dDfF", rune(s[n-1])) {
		s = s[:n-1]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}

func (c caster) decimalSource() (rowReader[i128], bool) {
	p, s := c.to.Precision, c.to.Scale
	tooLarge := func(v string) error {
		return fmt.Errorf("Cannot cast %s '%s' to %s", strings.ToUpper(c.from.String()), v, strings.ToUpper(c.to.String()))
	}
	switch c.from.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		return func(ctx *Context, arg arrow.Array) func(int) (i128, error) {
			r := intReader(arg)
			return func(i int) (i128, error) {
				v, _ := r(i)
				d, ok := i128From(v).scaleUp(s)
				if !ok || !d.fitsPrecision(p) {
					return i128{}, tooLarge(strconv.FormatInt(v, 10))
				}
				return d, nil
			}
		}, true
	case types.Boolean:
		return func(ctx *Context, arg arrow.Array) func(int) (i128, error) {
			b := boolValues(arg)
			return func(i int) (i128, error) {
				d, _ := i128From(int64(b2i(b.valid(i)))).scaleUp(s)
				if !d.fitsPrecision(p) {
					return i128{}, tooLarge("true")
				}
				return d, nil
			}
		}, true
	case types.Real, types.Double:
		return func(ctx *Context, arg arrow.Array) func(int) (i128, error) {
			r := floatReader(arg)
			bitsize := 64
			if c.from.Kind == types.Real {
				bitsize = 32
			}
			return func(i int) (i128, error) {
				v := r(i)
				var d i128
				ok := !math.IsNaN(v) && !math.IsInf(v, 0)
				if ok {
					d, ok = parseDecimal(strconv.FormatFloat(v, 'g', -1, bitsize), s)
				}
				if !ok || !d.fitsPrecision(p) {
					return i128{}, tooLarge(javaDouble(v, bitsize))
				}
				return d, nil
			}
		}, true
	case types.Decimal:
		return func(ctx *Context, arg arrow.Array) func(int) (i128, error) {
			src := decimalValues(arg)
			return func(i int) (i128, error) {
				d, ok := src[i].rescale(c.from.Scale, s)
				if !ok || !d.fitsPrecision(p) {
					return i128{}, tooLarge(decimalString(src[i], c.from.Scale))
				}
				return d, nil
			}
		}, true
	case types.Varchar, types.Char:
		return func(ctx *Context, arg arrow.Array) func(int) (i128, error) {
			st := stringsOf(arg)
			return func(i int) (i128, error) {
				str := st.at(i)
				d, ok := parseDecimal(str, s)
				if !ok {
					return i128{}, fmt.Errorf("Cannot cast VARCHAR '%s' to DECIMAL(%d, %d). Value is not a number.", str, p, s)
				}
				if !d.fitsPrecision(p) {
					return i128{}, fmt.Errorf("Cannot cast VARCHAR '%s' to DECIMAL(%d, %d). Value too large.", str, p, s)
				}
				return d, nil
			}
		}, true
	}
	return nil, false
}

func (c caster) boolSource() (rowReader[bool], bool) {
	switch {
	case c.from.IsInteger():
		return func(ctx *Context, arg arrow.Array) func(int) (bool, error) {
			r := intReader(arg)
			return func(i int) (bool, error) { v, _ := r(i); return v != 0, nil }
		}, true
	case c.from.Kind == types.Real || c.from.Kind == types.Double:
		return func(ctx *Context, arg arrow.Array) func(int) (bool, error) {
			r := floatReader(arg)
			return func(i int) (bool, error) { return r(i) != 0, nil }
		}, true
	case c.from.Kind == types.Decimal:
		return func(ctx *Context, arg arrow.Array) func(int) (bool, error) {
			d := decimalValues(arg)
			return func(i int) (bool, error) { return !d[i].isZero(), nil }
		}, true
	case c.from.IsString():
		return func(ctx *Context, arg arrow.Array) func(int) (bool, error) {
			s := stringsOf(arg)
			return func(i int) (bool, error) {
				str := s.at(i)
				switch strings.ToLower(strings.TrimSpace(str)) {
				case "true", "t", "1":
					return true, nil
				case "false", "f", "0":
					return false, nil
				}
				return false, c.cannot(str)
			}
		}, true
	}
	return nil, false
}

// temporalSource yields the target's storage value: days for date, µs for
// timestamps (UTC instants for timestamp with time zone), µs of day for time.
func (c caster) temporalSource() (rowReader[int64], bool) {
	to, from := c.to, c.from
	switch {
	case from.IsString():
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			s := stringsOf(arg)
			return func(i int) (int64, error) {
				str := s.at(i)
				v, ok := parseTemporal(to, strings.TrimSpace(str), castZone(ctx))
				if !ok {
					return 0, fmt.Errorf("Value cannot be cast to %s: %s", temporalName(to.Kind), str)
				}
				return v, nil
			}
		}, true
	case from.Kind == types.Date:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			d := values[int32](arg)
			return func(i int) (int64, error) {
				switch to.Kind {
				case types.Timestamp:
					return int64(d[i]) * microsPerDay, nil
				case types.TimestampTZ:
					return zoneMidnight(int64(d[i]), castZone(ctx)), nil
				}
				return 0, fmt.Errorf("Cannot cast date to %s", to)
			}
		}, to.Kind != types.Time
	case from.Kind == types.Timestamp || from.Kind == types.TimestampTZ:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			ts := values[int64](arg)
			return func(i int) (int64, error) {
				v := ts[i]
				if from.Kind == types.TimestampTZ && to.Kind != types.TimestampTZ {
					v = toLocalMicros(v, from.Location(castZone(ctx)))
				} else if from.Kind == types.Timestamp && to.Kind == types.TimestampTZ {
					v = fromLocalMicros(v, castZone(ctx))
				}
				switch to.Kind {
				case types.Date:
					return floorDiv64(v, microsPerDay), nil
				case types.Time:
					return roundMicros(v-floorDiv64(v, microsPerDay)*microsPerDay, to.Precision), nil
				}
				return roundMicros(v, to.Precision), nil
			}
		}, true
	case from.Kind == types.Time && to.Kind == types.Time:
		return func(ctx *Context, arg arrow.Array) func(int) (int64, error) {
			ts := values[int64](arg)
			return func(i int) (int64, error) { return roundMicros(ts[i], to.Precision) % microsPerDay, nil }
		}, true
	}
	return nil, false
}

// temporalName is how Trino's text-to-temporal cast errors name the type.
func temporalName(k types.Kind) string {
	switch k {
	case types.Date:
		return "date"
	case types.Time:
		return "time"
	case types.TimestampTZ:
		return "timestamp with time zone"
	}
	return "timestamp"
}

// castZone returns the session zone (UTC when unset).
func castZone(ctx *Context) *time.Location {
	if ctx != nil && ctx.Zone != nil {
		return ctx.Zone
	}
	return time.UTC
}

// roundMicros rounds µs to p fractional digits (HALF_UP), as Trino does
// when lowering timestamp precision.
func roundMicros(v int64, p int) int64 {
	if p >= 6 {
		return v
	}
	m := pow10i64[6-p]
	return floorDiv64(v+m/2, m) * m
}

func toLocalMicros(utc int64, loc *time.Location) int64 {
	_, off := time.UnixMicro(utc).In(loc).Zone()
	return utc + int64(off)*1_000_000
}

func fromLocalMicros(local int64, loc *time.Location) int64 { return dtFromWall(local, loc) }

func zoneMidnight(day int64, loc *time.Location) int64 {
	return fromLocalMicros(day*microsPerDay, loc)
}

// parseTemporal parses Trino's literal forms: date 'YYYY-MM-DD'; timestamp
// 'YYYY-MM-DD[ HH:MM[:SS[.fraction]]]' ('T' also accepted); timestamp with
// time zone adds ' zone' (IANA name, UTC, Z or ±HH:MM), else the session
// zone; time 'HH:MM[:SS[.fraction]]'.
func parseTemporal(to types.Type, s string, zone *time.Location) (int64, bool) {
	if to.Kind == types.Time {
		us, rest, ok := parseClock(s)
		return us, ok && rest == ""
	}
	day, rest, ok := parseDate(s)
	if !ok {
		return 0, false
	}
	if to.Kind == types.Date {
		return day, rest == ""
	}
	var us int64
	if rest != "" && (rest[0] == ' ' || rest[0] == 'T') {
		var rest2 string
		if us, rest2, ok = parseClock(rest[1:]); ok {
			rest = rest2
		} else if to.Kind != types.TimestampTZ {
			return 0, false
		}
	}
	local := day*microsPerDay + us
	if to.Kind == types.Timestamp {
		return roundMicros(local, to.Precision), rest == ""
	}
	rest = strings.TrimSpace(rest)
	if rest != "" {
		loc, ok := parseZone(rest)
		if !ok {
			return 0, false
		}
		zone = loc
	}
	return roundMicros(fromLocalMicros(local, zone), to.Precision), true
}

// parseZone reads a zone name or a fixed offset (+05:30, -08, Z).
func parseZone(s string) (*time.Location, bool) {
	loc, err := types.LoadZone(s)
	return loc, err == nil
}

func atoiN(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// parseDate reads [+-]YYYY-M[M]-D[D] and returns days since the epoch.
func parseDate(s string) (int64, string, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	i := strings.IndexByte(s, '-')
	if i < 1 {
		return 0, "", false
	}
	y, ok := atoiN(s[:i])
	if !ok {
		return 0, "", false
	}
	s = s[i+1:]
	j := strings.IndexByte(s, '-')
	if j < 1 || j > 2 {
		return 0, "", false
	}
	m, ok := atoiN(s[:j])
	if !ok {
		return 0, "", false
	}
	s = s[j+1:]
	k := 0
	for k < len(s) && k < 2 && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	d, ok := atoiN(s[:k])
	if !ok {
		return 0, "", false
	}
	if neg {
		y = -y
	}
	if m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return 0, "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return floorDiv64(t.Unix(), 86400), s[k:], true
}

// parseClock reads H[H]:MM[:SS[.fraction]] into µs of day; fraction digits
// beyond µs are rounded.
func parseClock(s string) (int64, string, bool) {
	i := strings.IndexByte(s, ':')
	if i < 1 || i > 2 {
		return 0, "", false
	}
	h, ok := atoiN(s[:i])
	if !ok || len(s) < i+3 {
		return 0, "", false
	}
	m, ok := atoiN(s[i+1 : i+3])
	if !ok {
		return 0, "", false
	}
	s = s[i+3:]
	sec := 0
	var frac int64
	if len(s) >= 3 && s[0] == ':' {
		if sec, ok = atoiN(s[1:3]); !ok {
			return 0, "", false
		}
		s = s[3:]
		if len(s) > 1 && s[0] == '.' {
			k := 1
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			digits := s[1:k]
			if digits == "" || len(digits) > 12 {
				return 0, "", false
			}
			for len(digits) < 12 {
				digits += "0"
			}
			ps, _ := strconv.ParseInt(digits, 10, 64)
			frac = (ps + 500_000) / 1_000_000
			s = s[k:]
		}
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, "", false
	}
	return int64(h*3600+m*60+sec)*1_000_000 + frac, s, true
}

// castTo runs get over every row and stores conv(v). Failing rows become
// NULL under TRY, else the first failure is the error.
func castTo[V any, R storable](c caster, conv func(V) R, get rowReader[V]) Kernel1 {
	return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
		n := arg.Len()
		f := get(ctx, arg)
		buf, out := allocFixed[R](ctx.Alloc, n)
		return castRowsWith(ctx, c, arg, buf, func(i int) error {
			v, err := f(i)
			if err == nil {
				out[i] = conv(v)
			}
			return err
		}, c.to.Arrow())
	}
}

// castRowsWith evaluates row over the valid rows of arg and wraps buf
// (the values buffer the rows filled) into the result.
func castRowsWith(ctx *Context, c caster, arg arrow.Array, buf *memory.Buffer, row func(i int) error, dt arrow.DataType) (arrow.Array, error) {
	n := arg.Len()
	vb := validity(arg)
	var failed *memory.Buffer
	for i := 0; i < n; i++ {
		if !vb.valid(i) {
			continue
		}
		if err := row(i); err != nil {
			if !c.try {
				buf.Release()
				if failed != nil {
					failed.Release()
				}
				return nil, err
			}
			if failed == nil {
				failed = newValidity(ctx.Alloc, n)
			}
			bitutil.ClearBit(failed.Bytes(), i)
		}
	}
	valid, _ := andValidity(ctx.Alloc, n, arg)
	switch {
	case failed != nil && valid != nil:
		bitutil.BitmapAnd(valid.Bytes(), failed.Bytes(), 0, 0, valid.Bytes(), 0, int64(n))
		failed.Release()
	case failed != nil:
		valid = failed
	}
	return finish(dt, n, valid, countNulls(valid, n), buf), nil
}

func castRowsDecimal(ctx *Context, c caster, arg arrow.Array, get func(int) (i128, error)) (arrow.Array, error) {
	n := arg.Len()
	if c.to.IsShortDecimal() {
		buf, out := allocFixed[int64](ctx.Alloc, n)
		return castRowsWith(ctx, c, arg, buf, func(i int) error {
			v, err := get(i)
			out[i] = int64(v.lo)
			return err
		}, c.to.Arrow())
	}
	buf, out := allocI128(ctx.Alloc, n)
	return castRowsWith(ctx, c, arg, buf, func(i int) error {
		v, err := get(i)
		out[i] = v
		return err
	}, c.to.Arrow())
}

// Casts to varchar.

func (c caster) toString() (Kernel1, error) {
	from, to := c.from, c.to
	var format func(ctx *Context, arg arrow.Array) func(i int) string
	isText := false
	switch from.Kind {
	case types.Varchar, types.Char, types.JSON, types.Varbinary:
		isText = true
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			s := stringsOf(arg)
			return s.at
		}
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			r := intReader(arg)
			return func(i int) string { v, _ := r(i); return strconv.FormatInt(v, 10) }
		}
	case types.Real, types.Double:
		bitsize := 64
		if from.Kind == types.Real {
			bitsize = 32
		}
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			r := floatReader(arg)
			return func(i int) string { return javaDouble(r(i), bitsize) }
		}
	case types.Decimal:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			d := decimalValues(arg)
			return func(i int) string { return decimalString(d[i], from.Scale) }
		}
	case types.Boolean:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			b := boolValues(arg)
			return func(i int) string { return strconv.FormatBool(b.valid(i)) }
		}
	case types.Date:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			d := values[int32](arg)
			return func(i int) string { return formatDate(int64(d[i])) }
		}
	case types.Timestamp:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			ts := values[int64](arg)
			return func(i int) string { return formatTimestamp(ts[i], from.Precision) }
		}
	case types.TimestampTZ:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			ts := values[int64](arg)
			loc := from.Location(castZone(ctx))
			name := types.ZoneName(loc)
			return func(i int) string {
				return formatTimestamp(toLocalMicros(ts[i], loc), from.Precision) + " " + name
			}
		}
	case types.Time:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			ts := values[int64](arg)
			return func(i int) string { return formatTimestamp(ts[i], from.Precision)[11:] }
		}
	case types.IntervalDayTime:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			ms := values[int64](arg)
			return func(i int) string { return formatIntervalDT(ms[i]) }
		}
	case types.IntervalYearMonth:
		format = func(ctx *Context, arg arrow.Array) func(int) string {
			m := values[int32](arg)
			return func(i int) string { return formatIntervalYM(m[i]) }
		}
	default:
		return nil, fmt.Errorf("Cannot cast %s to %s", from, to)
	}
	limit := to.Length
	return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
		n := arg.Len()
		f := format(ctx, arg)
		vb := validity(arg)
		b := stringOut(ctx.Alloc, n, 0)
		defer b.Release()
		for i := 0; i < n; i++ {
			if !vb.valid(i) {
				b.AppendNull()
				continue
			}
			s := f(i)
			if limit > 0 && utf8.RuneCountInString(s) > limit {
				if !isText {
					if c.try {
						b.AppendNull()
						continue
					}
					return nil, fmt.Errorf("Value %s cannot be represented as %s", s, to)
				}
				s = truncateRunes(s, limit)
			}
			if to.Kind == types.Char {
				s = strings.TrimRight(s, " ")
			}
			b.Append(s)
		}
		return b.NewArray(), nil
	}, nil
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// javaDouble renders a float as Java's Double.toString (Float.toString for
// bitsize 32) does, which is Trino's varchar form of double and real:
// plain notation with at least one fractional digit for 1e-3 <= |v| < 1e7,
// otherwise d.dddE±n; shortest round-tripping digits.
func javaDouble(v float64, bitsize int) string {
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
	av := math.Abs(v)
	if av >= 1e-3 && av < 1e7 {
		s := strconv.FormatFloat(v, 'f', -1, bitsize)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, bitsize)
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

func formatDate(day int64) string {
	t := time.Unix(day*86400, 0).UTC()
	y := t.Year()
	if y >= 0 && y <= 9999 {
		return t.Format("2006-01-02")
	}
	return fmt.Sprintf("%d-%02d-%02d", y, int(t.Month()), t.Day())
}

// formatTimestamp renders µs since the epoch as 'YYYY-MM-DD HH:MM:SS' with
// p fractional digits.
func formatTimestamp(us int64, p int) string {
	sec := floorDiv64(us, 1_000_000)
	frac := us - sec*1_000_000
	t := time.Unix(sec, 0).UTC()
	s := formatDate(floorDiv64(sec, 86400)) + t.Format(" 15:04:05")
	if p > 0 {
		digits := fmt.Sprintf("%06d", frac)
		for len(digits) < p {
			digits += "0"
		}
		s += "." + digits[:p]
	}
	return s
}

func formatIntervalDT(ms int64) string {
	sign := ""
	u := uint64(ms)
	if ms < 0 {
		sign = "-"
		u = uint64(-ms)
	}
	days := u / uint64(millisPerDay)
	rem := u % uint64(millisPerDay)
	return fmt.Sprintf("%s%d %02d:%02d:%02d.%03d", sign, days, rem/3_600_000, rem/60_000%60, rem/1000%60, rem%1000)
}

func formatIntervalYM(m int32) string {
	sign := ""
	u := int64(m)
	if u < 0 {
		sign = "-"
		u = -u
	}
	return fmt.Sprintf("%s%d-%d", sign, u/12, u%12)
}

// Container casts apply the element cast to the child values.

func castList(to types.Type, elem Kernel1) Kernel1 {
	return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
		l, ok := arg.(*array.List)
		if !ok {
			return nullArray(ctx.Alloc, to.Arrow(), arg.Len()), nil
		}
		child, err := elem(ctx, l.ListValues())
		if err != nil {
			return nil, err
		}
		defer child.Release()
		d := l.Data()
		nd := array.NewData(to.Arrow(), d.Len(), d.Buffers(), []arrow.ArrayData{child.Data()}, d.NullN(), d.Offset())
		defer nd.Release()
		return array.MakeFromData(nd), nil
	}
}

func castRow(to types.Type, fields []Kernel1) Kernel1 {
	return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
		st, ok := arg.(*array.Struct)
		if !ok {
			return nullArray(ctx.Alloc, to.Arrow(), arg.Len()), nil
		}
		children := make([]arrow.ArrayData, len(fields))
		for i, k := range fields {
			// Struct children are not sliced by the parent's offset.
			c, err := k(ctx, st.Field(i))
			if err != nil {
				for _, d := range children[:i] {
					d.Release()
				}
				return nil, err
			}
			children[i] = c.Data()
			children[i].Retain()
			c.Release()
		}
		d := st.Data()
		nd := array.NewData(to.Arrow(), d.Len(), d.Buffers(), children, d.NullN(), d.Offset())
		for _, c := range children {
			c.Release()
		}
		defer nd.Release()
		return array.MakeFromData(nd), nil
	}
}

// LenientCast converts varchar to the numeric type to with Hive's rules,
// Quarry's documented extension for files declared all-string: surrounding
// whitespace is ignored and text that does not parse becomes NULL rather
// than an error.
func LenientCast(to types.Type) Kernel1 {
	k, err := Cast(types.VarcharType, to, true)
	if err != nil {
		return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
			return nullArray(ctx.Alloc, to.Arrow(), arg.Len()), nil
		}
	}
	return k
}

// exactPow10 holds the powers of ten a float64 represents exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parsePlainDecimal is parseJavaDouble's fast path for what data files
// hold most: [+-]digits[.digits] with at most 15 significant digits (costs,
// rates, quantities). The digits form an integer below 2^53 and the scale
// a power of ten of at most 22, both exact as float64, so one correctly
// rounded division gives the correctly rounded value, as ParseFloat would.
// ok is false for anything else, which takes the general path.
func parsePlainDecimal(s string) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		i = 1
	}
	var m uint64
	digits, sig, frac := 0, 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if m == 0 && c == '0' {
				// leading zeros carry no significance
			} else {
				sig++
			}
			m = m*10 + uint64(c-'0')
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || sig > 15 || frac > 22 {
		return 0, false
	}
	v := float64(m)
	if frac > 0 {
		v /= exactPow10[frac]
	}
	if neg {
		v = -v
	}
	return v, true
}
