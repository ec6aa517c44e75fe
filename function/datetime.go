package function

// Date and time functions.
//
// Storage (types.Type.Arrow): date is days since the epoch, timestamp(p) is
// wall-clock microseconds with no zone, and timestamp(p) with time zone is a
// UTC instant in microseconds. The zone of a timestamp with time zone is in
// its type (types.Type.Zone; "" is the session zone, ctx.Zone): functions
// that need local fields (date_trunc, hour, date_format, ...) read them in
// x.Location(ctx.Zone). Functions whose result zone comes from an argument
// (at_timezone, with_timezone, from_unixtime, from_iso8601_timestamp) bind
// through BindConst, which sees that argument when it is a constant.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

const (
	dtUsPerMilli  = int64(1000)
	dtUsPerSecond = int64(1_000_000)
	dtUsPerMinute = 60 * dtUsPerSecond
	dtUsPerHour   = 60 * dtUsPerMinute
	dtUsPerDay    = 24 * dtUsPerHour
)

// registerDateTime adds the date and time functions to r.
func init() { extraRegistrations = append(extraRegistrations, registerDateTime) }

func registerDateTime(r *Registry) {
	r.AddScalar(dtConstant("now", types.TimestampTZType))
	r.AddScalar(dtConstant("current_timestamp", types.TimestampTZType))
	r.AddScalar(dtConstant("localtimestamp", types.TimestampType))
	r.AddScalar(dtConstant("current_date", types.DateType))
	r.AddScalar(dtConstant("current_timezone", types.VarcharType))

	r.AddScalar(&Scalar{Name: "date_trunc", Bind: bindDateTrunc})
	r.AddScalar(&Scalar{Name: "date_add", Bind: bindDateAdd})
	r.AddScalar(&Scalar{Name: "date_diff", Bind: bindDateDiff})
	for _, f := range dtFields {
		r.AddScalar(dtFieldScalar(f), f.aliases...)
	}
	r.AddScalar(&Scalar{Name: "last_day_of_month", Bind: bindLastDayOfMonth})
	r.AddScalar(&Scalar{Name: "from_iso8601_timestamp", Bind: bindFromISO8601TimestampTypes, BindConst: bindFromISO8601Timestamp})
	r.AddScalar(&Scalar{Name: "from_iso8601_date", Bind: bindFromISO8601Date})
	r.AddScalar(&Scalar{Name: "to_iso8601", Bind: bindToISO8601})
	r.AddScalar(&Scalar{Name: "from_unixtime", Bind: bindFromUnixtimeTypes, BindConst: bindFromUnixtime})
	r.AddScalar(&Scalar{Name: "to_unixtime", Bind: bindToUnixtime})
	r.AddScalar(&Scalar{Name: "at_timezone", Bind: bindAtTimezoneTypes, BindConst: bindAtTimezone})
	r.AddScalar(&Scalar{Name: "with_timezone", Bind: bindWithTimezoneTypes, BindConst: bindWithTimezone})
	registerDateTimeFormat(r)
}

// ---- shared helpers -------------------------------------------------------

func dtIsTemporal(t types.Type) bool {
	switch t.Kind {
	case types.Date, types.Timestamp, types.TimestampTZ:
		return true
	}
	return false
}

// dtArgTemporal resolves a temporal argument; a bare NULL becomes timestamp(3).
func dtArgTemporal(t types.Type) (types.Type, bool) {
	if t.Kind == types.Unknown {
		return types.TimestampType, true
	}
	return t, dtIsTemporal(t)
}

// dtArgString resolves a string argument; a bare NULL becomes varchar.
func dtArgString(t types.Type) (types.Type, bool) {
	if t.Kind == types.Unknown {
		return types.VarcharType, true
	}
	return t, t.IsString()
}

// dtArgInteger resolves an integer argument as bigint.
func dtArgInteger(t types.Type) bool {
	return t.Kind == types.Unknown || t.IsInteger()
}

// dtZone is the session zone, UTC when the session set none.
func dtZone(ctx *Context) *time.Location {
	if ctx == nil || ctx.Zone == nil {
		return time.UTC
	}
	return ctx.Zone
}

// dtInt64s decodes a date, timestamp, integer, duration or month-interval
// column to int64 (days, microseconds, the integer, ms or months).
func dtInt64s(a arrow.Array) ([]int64, error) {
	out := make([]int64, a.Len())
	switch c := a.(type) {
	case *array.Date32:
		for i, v := range c.Date32Values() {
			out[i] = int64(v)
		}
	case *array.Timestamp:
		for i, v := range c.TimestampValues() {
			out[i] = int64(v)
		}
	case *array.Int64:
		copy(out, c.Int64Values())
	case *array.Int32:
		for i, v := range c.Int32Values() {
			out[i] = int64(v)
		}
	case *array.Int16:
		for i, v := range c.Int16Values() {
			out[i] = int64(v)
		}
	case *array.Int8:
		for i, v := range c.Int8Values() {
			out[i] = int64(v)
		}
	case *array.Duration:
		for i, v := range c.DurationValues() {
			out[i] = int64(v)
		}
	case *array.MonthInterval:
		for i, v := range c.MonthIntervalValues() {
			out[i] = int64(v)
		}
	case *array.Null:
	default:
		return nil, fmt.Errorf("BUG: unexpected %s column in a date/time function", a.DataType())
	}
	return out, nil
}

// dtValid returns the validity of every row.
func dtValid(a arrow.Array) []bool {
	valid := make([]bool, a.Len())
	for i := range valid {
		valid[i] = a.IsValid(i)
	}
	return valid
}

// dtBuild makes an array of type t from int64 values (days, microseconds,
// integers) and their validity.
func dtBuild(ctx *Context, t types.Type, vals []int64, valid []bool) arrow.Array {
	switch dt := t.Arrow().(type) {
	case *arrow.Date32Type:
		b := array.NewDate32Builder(ctx.Alloc)
		defer b.Release()
		b.Reserve(len(vals))
		for i, v := range vals {
			if valid[i] {
				b.UnsafeAppend(arrow.Date32(v))
			} else {
				b.UnsafeAppendBoolToBitmap(false)
			}
		}
		return b.NewArray()
	case *arrow.TimestampType:
		b := array.NewTimestampBuilder(ctx.Alloc, dt)
		defer b.Release()
		b.Reserve(len(vals))
		for i, v := range vals {
			if valid[i] {
				b.UnsafeAppend(arrow.Timestamp(v))
			} else {
				b.UnsafeAppendBoolToBitmap(false)
			}
		}
		return b.NewArray()
	case *arrow.Int64Type:
		b := array.NewInt64Builder(ctx.Alloc)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	panic(fmt.Sprintf("BUG: dtBuild of %v", t))
}

// dtBuildStrings makes a varchar array; ok[i] false is NULL.
func dtBuildStrings(ctx *Context, vals []string, valid []bool) arrow.Array {
	b := array.NewStringBuilder(ctx.Alloc)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// dtStrings returns the values of a varchar column ("" for NULL rows).
func dtStrings(a arrow.Array) []string {
	out := make([]string, a.Len())
	if s, ok := a.(*array.String); ok {
		for i := range out {
			if s.IsValid(i) {
				out[i] = s.Value(i)
			}
		}
	}
	return out
}

// dtLocal returns the wall-clock time of a value: dates and timestamps are
// read as UTC wall clocks, timestamps with time zone in loc.
func dtLocal(kind types.Kind, v int64, loc *time.Location) time.Time {
	switch kind {
	case types.Date:
		return time.Unix(v*86400, 0).UTC()
	case types.TimestampTZ:
		return time.UnixMicro(v).In(loc)
	}
	return time.UnixMicro(v).UTC()
}

// dtStore converts a wall-clock time built by dtLocal's inverse (time.Date in
// the same location) back to storage.
func dtStore(kind types.Kind, t time.Time) int64 {
	if kind == types.Date {
		return dtFloorDiv(t.Unix(), 86400)
	}
	return t.UnixMicro()
}

func dtFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dtWall returns a value's wall clock as microseconds since the epoch as if
// it were UTC, so precise units can be subtracted without zone arithmetic.
func dtWall(kind types.Kind, v int64, loc *time.Location) int64 {
	switch kind {
	case types.Date:
		return v * dtUsPerDay
	case types.TimestampTZ:
		t := time.UnixMicro(v).In(loc)
		_, off := t.Zone()
		return v + int64(off)*dtUsPerSecond
	}
	return v
}

// dtLoadZone resolves a Trino zone name (see types.LoadZone).
func dtLoadZone(name string) (*time.Location, error) { return types.LoadZone(name) }

// dtParseOffset parses +hh, +hh:mm or +hhmm into seconds east of UTC.
func dtParseOffset(s string) (int, bool) {
	if len(s) < 2 {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	} else if s[0] != '+' {
		return 0, false
	}
	s = s[1:]
	var h, m int
	switch {
	case len(s) == 2 || len(s) == 1:
		h = dtAtoi(s)
	case len(s) == 5 && s[2] == ':':
		h, m = dtAtoi(s[:2]), dtAtoi(s[3:])
	case len(s) == 4:
		h, m = dtAtoi(s[:2]), dtAtoi(s[2:])
	default:
		return 0, false
	}
	if h < 0 || m < 0 || h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// dtAtoi parses a string of ASCII digits; -1 if it holds anything else.
func dtAtoi(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// dtFormatOffset renders seconds east of UTC as +hh:mm (or +hhmm).
func dtFormatOffset(off int, colon bool) string {
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	h, m := off/3600, off/60%60
	if colon {
		return fmt.Sprintf("%c%02d:%02d", sign, h, m)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}

// ---- now(), current_date, ... --------------------------------------------

// dtConstant is a zero-argument function of the query start time.
func dtConstant(name string, result types.Type) *Scalar {
	return &Scalar{Name: name, Bind: func(args []types.Type) (Binding, error) {
		if len(args) != 0 {
			return Binding{}, UnexpectedParams(name, args, name+"()")
		}
		return Binding{Result: result, QueryConstant: true, Kernel: func(ctx *Context, _ []arrow.Array, n int) (arrow.Array, error) {
			now := ctx.Now
			if now.IsZero() {
				now = time.Now()
			}
			// Trino's now() is timestamp(3): milliseconds only.
			now = now.Truncate(time.Millisecond)
			loc := dtZone(ctx)
			if name == "current_timezone" {
				vals := make([]string, n)
				valid := make([]bool, n)
				for i := range vals {
					vals[i], valid[i] = loc.String(), true
				}
				return dtBuildStrings(ctx, vals, valid), nil
			}
			var v int64
			switch result.Kind {
			case types.TimestampTZ:
				v = now.UnixMicro()
			case types.Timestamp:
				v = dtWall(types.TimestampTZ, now.UnixMicro(), loc)
			case types.Date:
				v = dtFloorDiv(dtWall(types.TimestampTZ, now.UnixMicro(), loc), dtUsPerDay)
			}
			vals := make([]int64, n)
			valid := make([]bool, n)
			for i := range vals {
				vals[i], valid[i] = v, true
			}
			return dtBuild(ctx, result, vals, valid), nil
		}}, nil
	}}
}

// ---- units ------------------------------------------------------------

type dtUnit uint8

const (
	dtUnitInvalid dtUnit = iota
	dtUnitMillisecond
	dtUnitSecond
	dtUnitMinute
	dtUnitHour
	dtUnitDay
	dtUnitWeek
	dtUnitMonth
	dtUnitQuarter
	dtUnitYear
)

func dtParseUnit(s string) dtUnit {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "millisecond":
		return dtUnitMillisecond
	case "second":
		return dtUnitSecond
	case "minute":
		return dtUnitMinute
	case "hour":
		return dtUnitHour
	case "day":
		return dtUnitDay
	case "week":
		return dtUnitWeek
	case "month":
		return dtUnitMonth
	case "quarter":
		return dtUnitQuarter
	case "year":
		return dtUnitYear
	}
	return dtUnitInvalid
}

// dtUnitFor validates a unit for a value kind, with Trino's message.
func dtUnitFor(s string, kind types.Kind) (dtUnit, error) {
	u := dtParseUnit(s)
	if kind == types.Date && u != dtUnitInvalid && u < dtUnitDay {
		u = dtUnitInvalid
	}
	if u == dtUnitInvalid {
		what := "TIMESTAMP"
		if kind == types.Date {
			what = "DATE"
		}
		return u, fmt.Errorf("'%s' is not a valid %s field", s, what)
	}
	return u, nil
}

// dtUnitCache memoizes the unit of the previous row: the unit is nearly
// always a constant broadcast over the batch.
type dtUnitCache struct {
	s    string
	u    dtUnit
	kind types.Kind
	set  bool
}

func (c *dtUnitCache) get(s string, kind types.Kind) (dtUnit, error) {
	if c.set && s == c.s {
		return c.u, nil
	}
	u, err := dtUnitFor(s, kind)
	if err != nil {
		return u, err
	}
	c.s, c.u, c.kind, c.set = s, u, kind, true
	return u, nil
}

var dtUnitMicros = [...]int64{
	dtUnitMillisecond: dtUsPerMilli,
	dtUnitSecond:      dtUsPerSecond,
	dtUnitMinute:      dtUsPerMinute,
	dtUnitHour:        dtUsPerHour,
	dtUnitDay:         dtUsPerDay,
	dtUnitWeek:        7 * dtUsPerDay,
}

// ---- date_trunc -----------------------------------------------------------

func bindDateTrunc(args []types.Type) (Binding, error) {
	const expected = "date_trunc(varchar(x), date), date_trunc(varchar(x), timestamp(p)), date_trunc(varchar(x), timestamp(p) with time zone)"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("date_trunc", args, expected)
	}
	u, ok1 := dtArgString(args[0])
	x, ok2 := dtArgTemporal(args[1])
	if !ok1 || !ok2 {
		return Binding{}, UnexpectedParams("date_trunc", args, expected)
	}
	return Binding{Args: []types.Type{u, x}, Result: x, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		units := dtStrings(a[0])
		vals, err := dtInt64s(a[1])
		if err != nil {
			return nil, err
		}
		valid := dtValid(a[1])
		loc := x.Location(dtZone(ctx))
		var cache dtUnitCache
		for i := range vals {
			if !valid[i] || a[0].IsNull(i) {
				valid[i] = false
				continue
			}
			unit, err := cache.get(units[i], x.Kind)
			if err != nil {
				return nil, err
			}
			vals[i] = dtTruncValue(x.Kind, unit, vals[i], loc)
		}
		return dtBuild(ctx, x, vals, valid), nil
	}}, nil
}

func dtTruncValue(kind types.Kind, unit dtUnit, v int64, loc *time.Location) int64 {
	if kind != types.TimestampTZ && unit <= dtUnitDay {
		// Wall clocks in UTC truncate arithmetically.
		if kind == types.Date {
			return v
		}
		return dtFloorDiv(v, dtUnitMicros[unit]) * dtUnitMicros[unit]
	}
	if kind == types.TimestampTZ && unit <= dtUnitMinute {
		// Zone offsets are whole minutes, so instants truncate arithmetically
		// (except historical LMT offsets, which Trino also treats this way).
		return dtFloorDiv(v, dtUnitMicros[unit]) * dtUnitMicros[unit]
	}
	t := dtLocal(kind, v, loc)
	y, m, d := t.Date()
	l := t.Location()
	var r time.Time
	switch unit {
	case dtUnitHour:
		r = time.Date(y, m, d, t.Hour(), 0, 0, 0, l)
	case dtUnitDay:
		r = time.Date(y, m, d, 0, 0, 0, 0, l)
	case dtUnitWeek:
		wd := (int(t.Weekday()) + 6) % 7 // days since Monday
		r = time.Date(y, m, d-wd, 0, 0, 0, 0, l)
	case dtUnitMonth:
		r = time.Date(y, m, 1, 0, 0, 0, 0, l)
	case dtUnitQuarter:
		r = time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, l)
	case dtUnitYear:
		r = time.Date(y, 1, 1, 0, 0, 0, 0, l)
	}
	return dtStore(kind, r)
}

// ---- date_add -------------------------------------------------------------

func bindDateAdd(args []types.Type) (Binding, error) {
	const expected = "date_add(varchar(x), bigint, date), date_add(varchar(x), bigint, timestamp(p)), date_add(varchar(x), bigint, timestamp(p) with time zone)"
	if len(args) != 3 {
		return Binding{}, UnexpectedParams("date_add", args, expected)
	}
	u, ok1 := dtArgString(args[0])
	x, ok3 := dtArgTemporal(args[2])
	if !ok1 || !dtArgInteger(args[1]) || !ok3 {
		return Binding{}, UnexpectedParams("date_add", args, expected)
	}
	return Binding{Args: []types.Type{u, types.BigIntType, x}, Result: x, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		units := dtStrings(a[0])
		amounts, err := dtInt64s(a[1])
		if err != nil {
			return nil, err
		}
		vals, err := dtInt64s(a[2])
		if err != nil {
			return nil, err
		}
		valid := dtValid(a[2])
		loc := x.Location(dtZone(ctx))
		var cache dtUnitCache
		for i := range vals {
			if !valid[i] || a[0].IsNull(i) || a[1].IsNull(i) {
				valid[i] = false
				continue
			}
			unit, err := cache.get(units[i], x.Kind)
			if err != nil {
				return nil, err
			}
			r, ok := dtAddValue(x.Kind, unit, amounts[i], vals[i], loc)
			if !ok {
				return nil, fmt.Errorf("Value out of range: date_add('%s', %d, ...)", units[i], amounts[i])
			}
			vals[i] = r
		}
		return dtBuild(ctx, x, vals, valid), nil
	}}, nil
}

// dtMaxYear bounds date arithmetic so microsecond storage cannot overflow.
const dtMaxYear = 200_000

// dtAddValue adds n units to v; ok is false on overflow.
func dtAddValue(kind types.Kind, unit dtUnit, n, v int64, loc *time.Location) (int64, bool) {
	switch {
	case kind == types.Date && (unit == dtUnitDay || unit == dtUnitWeek):
		d := n
		if unit == dtUnitWeek {
			d, _ = dtMulOverflow(n, 7)
			if n != 0 && d/7 != n {
				return 0, false
			}
		}
		r := v + d
		if (d > 0 && r < v) || (d < 0 && r > v) || r > dtMaxYear*366 || r < -dtMaxYear*366 {
			return 0, false
		}
		return r, true
	case unit < dtUnitDay || (kind == types.Timestamp && unit <= dtUnitWeek):
		// Sub-day units add elapsed time, also across DST changes.
		d, ok := dtMulOverflow(n, dtUnitMicros[unit])
		if !ok {
			return 0, false
		}
		r := v + d
		if (d > 0 && r < v) || (d < 0 && r > v) {
			return 0, false
		}
		return r, true
	}
	t := dtLocal(kind, v, loc)
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	ns := t.Nanosecond()
	switch unit {
	case dtUnitDay, dtUnitWeek:
		if n > dtMaxYear*366 || n < -dtMaxYear*366 {
			return 0, false
		}
		days := int(n)
		if unit == dtUnitWeek {
			days *= 7
		}
		return dtStore(kind, time.Date(y, m, d+days, hh, mm, ss, ns, t.Location())), true
	}
	months := n
	switch unit {
	case dtUnitQuarter:
		months = n * 3
	case dtUnitYear:
		months = n * 12
	}
	if n > dtMaxYear*12 || n < -dtMaxYear*12 {
		return 0, false
	}
	total := int64(y)*12 + int64(m-1) + months
	ny, nm := int(dtFloorDiv(total, 12)), time.Month(total-dtFloorDiv(total, 12)*12+1)
	if ny > dtMaxYear || ny < -dtMaxYear {
		return 0, false
	}
	// Joda clamps to the end of a shorter month: Jan 31 + 1 month = Feb 29.
	d = min(d, dtDaysIn(nm, ny))
	return dtStore(kind, time.Date(ny, nm, d, hh, mm, ss, ns, t.Location())), true
}

func dtMulOverflow(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

func dtDaysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ---- date_diff ------------------------------------------------------------

func bindDateDiff(args []types.Type) (Binding, error) {
	const expected = "date_diff(varchar(x), date, date), date_diff(varchar(x), timestamp(p), timestamp(p)), date_diff(varchar(x), timestamp(p) with time zone, timestamp(p) with time zone)"
	if len(args) != 3 {
		return Binding{}, UnexpectedParams("date_diff", args, expected)
	}
	u, ok1 := dtArgString(args[0])
	x, ok2 := dtCommonTemporal(args[1], args[2])
	if !ok1 || !ok2 {
		return Binding{}, UnexpectedParams("date_diff", args, expected)
	}
	return Binding{Args: []types.Type{u, x, x}, Result: types.BigIntType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		units := dtStrings(a[0])
		va, err := dtInt64s(a[1])
		if err != nil {
			return nil, err
		}
		vb, err := dtInt64s(a[2])
		if err != nil {
			return nil, err
		}
		out := make([]int64, n)
		valid := make([]bool, n)
		loc := x.Location(dtZone(ctx))
		var cache dtUnitCache
		for i := range out {
			if a[0].IsNull(i) || a[1].IsNull(i) || a[2].IsNull(i) {
				continue
			}
			unit, err := cache.get(units[i], x.Kind)
			if err != nil {
				return nil, err
			}
			out[i], valid[i] = dtDiffValue(x.Kind, unit, va[i], vb[i], loc), true
		}
		return dtBuild(ctx, types.BigIntType, out, valid), nil
	}}, nil
}

// dtCommonTemporal picks the type both arguments of date_diff are cast to.
func dtCommonTemporal(a, b types.Type) (types.Type, bool) {
	if a.Kind == types.Unknown {
		a = b
	}
	if b.Kind == types.Unknown {
		b = a
	}
	a, ok1 := dtArgTemporal(a)
	b, ok2 := dtArgTemporal(b)
	if !ok1 || !ok2 {
		return types.Type{}, false
	}
	if a.Kind == b.Kind {
		if b.Precision > a.Precision {
			return b, true
		}
		return a, true
	}
	// date widens to timestamp; timestamp widens to timestamp with time zone.
	if a.Kind > b.Kind {
		a, b = b, a
	}
	return types.Type{Kind: b.Kind, Precision: max(a.Precision, b.Precision, 3)}, true
}

// dtDiffValue is b - a in whole units, truncated toward zero like Joda's
// field differences.
func dtDiffValue(kind types.Kind, unit dtUnit, a, b int64, loc *time.Location) int64 {
	switch unit {
	case dtUnitMillisecond, dtUnitSecond, dtUnitMinute, dtUnitHour:
		if kind == types.Date {
			return (b - a) * dtUsPerDay / dtUnitMicros[unit]
		}
		return (b - a) / dtUnitMicros[unit]
	case dtUnitDay, dtUnitWeek:
		// Days are local: a DST day is still one day.
		return (dtWall(kind, b, loc) - dtWall(kind, a, loc)) / dtUnitMicros[unit]
	}
	months := dtMonthsBetween(dtLocal(kind, a, loc), dtLocal(kind, b, loc))
	switch unit {
	case dtUnitQuarter:
		return months / 3
	case dtUnitYear:
		return months / 12
	}
	return months
}

// dtMonthsBetween counts whole months from a to b as Joda does, treating
// the last day of a month as reaching any later day of a longer month.
func dtMonthsBetween(a, b time.Time) int64 {
	if b.Before(a) {
		return -dtMonthsBetween(b, a)
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	diff := int64(by-ay)*12 + int64(bm-am)
	if bd == dtDaysIn(bm, by) && ad > bd {
		ad = bd
	}
	remA := int64(ad)*dtUsPerDay + dtClockMicros(a)
	remB := int64(bd)*dtUsPerDay + dtClockMicros(b)
	if remB < remA {
		diff--
	}
	return diff
}

func dtClockMicros(t time.Time) int64 {
	h, m, s := t.Clock()
	return int64(h)*dtUsPerHour + int64(m)*dtUsPerMinute + int64(s)*dtUsPerSecond + int64(t.Nanosecond()/1000)
}

// ---- field extraction -------------------------------------------------------

type dtField struct {
	name    string
	aliases []string
	// dateOK: the field exists for date values (not hour..millisecond).
	dateOK bool
	get    func(t time.Time) int64
	// interval extractors, nil when the field does not apply.
	ym func(months int64) int64
	ds func(ms int64) int64
}

var dtFields = []dtField{
	{name: "year", dateOK: true, get: func(t time.Time) int64 { return int64(t.Year()) },
		ym: func(m int64) int64 { return m / 12 }},
	{name: "quarter", dateOK: true, get: func(t time.Time) int64 { return int64(t.Month()-1)/3 + 1 }},
	{name: "month", dateOK: true, get: func(t time.Time) int64 { return int64(t.Month()) },
		ym: func(m int64) int64 { return m % 12 }},
	{name: "week", aliases: []string{"week_of_year"}, dateOK: true, get: func(t time.Time) int64 { _, w := t.ISOWeek(); return int64(w) }},
	{name: "day", aliases: []string{"day_of_month"}, dateOK: true, get: func(t time.Time) int64 { return int64(t.Day()) },
		ds: func(ms int64) int64 { return ms / 86_400_000 }},
	{name: "day_of_week", aliases: []string{"dow"}, dateOK: true, get: func(t time.Time) int64 { return int64((t.Weekday()+6)%7 + 1) }},
	{name: "day_of_year", aliases: []string{"doy"}, dateOK: true, get: func(t time.Time) int64 { return int64(t.YearDay()) }},
	{name: "year_of_week", aliases: []string{"yow"}, dateOK: true, get: func(t time.Time) int64 { y, _ := t.ISOWeek(); return int64(y) }},
	{name: "hour", get: func(t time.Time) int64 { return int64(t.Hour()) },
		ds: func(ms int64) int64 { return ms / 3_600_000 % 24 }},
	{name: "minute", get: func(t time.Time) int64 { return int64(t.Minute()) },
		ds: func(ms int64) int64 { return ms / 60_000 % 60 }},
	{name: "second", get: func(t time.Time) int64 { return int64(t.Second()) },
		ds: func(ms int64) int64 { return ms / 1000 % 60 }},
	{name: "millisecond", get: func(t time.Time) int64 { return int64(t.Nanosecond() / 1e6) },
		ds: func(ms int64) int64 { return ms % 1000 }},
}

func dtFieldScalar(f dtField) *Scalar {
	return &Scalar{Name: f.name, Bind: func(args []types.Type) (Binding, error) {
		expected := f.name + "(timestamp(p)), " + f.name + "(timestamp(p) with time zone)"
		if f.dateOK {
			expected = f.name + "(date), " + expected
		}
		if len(args) != 1 {
			return Binding{}, UnexpectedParams(f.name, args, expected)
		}
		x, ok := dtArgTemporal(args[0])
		switch {
		case x.Kind == types.IntervalYearMonth && f.ym != nil, x.Kind == types.IntervalDayTime && f.ds != nil:
			ok = true
		case x.Kind == types.Date && !f.dateOK:
			ok = false
		}
		if !ok {
			return Binding{}, UnexpectedParams(f.name, args, expected)
		}
		return Binding{Args: []types.Type{x}, Result: types.BigIntType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
			vals, err := dtInt64s(a[0])
			if err != nil {
				return nil, err
			}
			valid := dtValid(a[0])
			loc := x.Location(dtZone(ctx))
			for i, v := range vals {
				if !valid[i] {
					continue
				}
				switch x.Kind {
				case types.IntervalYearMonth:
					vals[i] = f.ym(v)
				case types.IntervalDayTime:
					vals[i] = f.ds(v)
				default:
					vals[i] = f.get(dtLocal(x.Kind, v, loc))
				}
			}
			return dtBuild(ctx, types.BigIntType, vals, valid), nil
		}}, nil
	}}
}

func bindLastDayOfMonth(args []types.Type) (Binding, error) {
	const expected = "last_day_of_month(date), last_day_of_month(timestamp(p)), last_day_of_month(timestamp(p) with time zone)"
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("last_day_of_month", args, expected)
	}
	x, ok := dtArgTemporal(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("last_day_of_month", args, expected)
	}
	return Binding{Args: []types.Type{x}, Result: types.DateType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		vals, err := dtInt64s(a[0])
		if err != nil {
			return nil, err
		}
		valid := dtValid(a[0])
		loc := x.Location(dtZone(ctx))
		for i, v := range vals {
			if valid[i] {
				t := dtLocal(x.Kind, v, loc)
				last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
				vals[i] = dtFloorDiv(last.Unix(), 86400)
			}
		}
		return dtBuild(ctx, types.DateType, vals, valid), nil
	}}, nil
}

// ---- ISO 8601 ---------------------------------------------------------------

func bindFromISO8601TimestampTypes(args []types.Type) (Binding, error) {
	return bindFromISO8601Timestamp(args, nil)
}

// bindFromISO8601Timestamp: the result keeps the offset written in a
// constant argument (Z is UTC). A column's rows may each carry another
// offset, which one static zone cannot hold: they are normalised to the
// session zone (the instants are exact).
func bindFromISO8601Timestamp(args []types.Type, consts []*ConstArg) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("from_iso8601_timestamp", args, "from_iso8601_timestamp(varchar(x))")
	}
	s, ok := dtArgString(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("from_iso8601_timestamp", args, "from_iso8601_timestamp(varchar(x))")
	}
	result := types.TimestampTZType
	if len(consts) == 1 && consts[0] != nil {
		if v, ok := consts[0].Value.(string); ok {
			if t, err := dtParseISO8601(v, dtNoZone, true); err == nil && t.Location() != dtNoZone {
				result.Zone = types.ZoneName(t.Location())
			}
		}
	}
	return Binding{Args: []types.Type{s}, Result: result, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		strs := dtStrings(a[0])
		valid := dtValid(a[0])
		out := make([]int64, n)
		loc := dtZone(ctx)
		for i, v := range strs {
			if !valid[i] {
				continue
			}
			if us, ok := isoUTCMicros(v); ok {
				out[i] = us
				continue
			}
			t, err := dtParseISO8601(v, loc, true)
			if err != nil {
				return nil, err
			}
			out[i] = t.Truncate(time.Millisecond).UnixMicro()
		}
		return dtBuild(ctx, result, out, valid), nil
	}}, nil
}

// dtNoZone marks a parsed ISO 8601 timestamp that named no zone.
var dtNoZone = time.FixedZone("no zone", 0)

func bindFromISO8601Date(args []types.Type) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("from_iso8601_date", args, "from_iso8601_date(varchar(x))")
	}
	s, ok := dtArgString(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("from_iso8601_date", args, "from_iso8601_date(varchar(x))")
	}
	return Binding{Args: []types.Type{s}, Result: types.DateType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		strs := dtStrings(a[0])
		valid := dtValid(a[0])
		out := make([]int64, n)
		for i, v := range strs {
			if !valid[i] {
				continue
			}
			t, err := dtParseISO8601(v, time.UTC, false)
			if err != nil {
				return nil, err
			}
			out[i] = dtFloorDiv(t.Unix(), 86400)
		}
		return dtBuild(ctx, types.DateType, out, valid), nil
	}}, nil
}

// dtParseISO8601 parses yyyy[-MM[-dd]] optionally followed (when withTime)
// by T and HH[:mm[:ss[.fff]]] and a zone (Z, ±hh, ±hh:mm, ±hhmm). Values
// without a zone are in loc, as Trino reads them in the session zone.
func dtParseISO8601(s string, loc *time.Location, withTime bool) (time.Time, error) {
	fn := "from_iso8601_date"
	if withTime {
		fn = "from_iso8601_timestamp"
	}
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("Invalid format: \"%s\" for function %s", s, fn)
	}
	p := strings.TrimSpace(s)
	num := func(width int) (int, bool) {
		if len(p) < width {
			return 0, false
		}
		v := dtAtoi(p[:width])
		if v < 0 {
			return 0, false
		}
		p = p[width:]
		return v, true
	}
	year, ok := num(4)
	if !ok {
		return bad()
	}
	month, day := 1, 1
	if strings.HasPrefix(p, "-") {
		p = p[1:]
		if month, ok = num(2); !ok {
			return bad()
		}
		if strings.HasPrefix(p, "-") {
			p = p[1:]
			if day, ok = num(2); !ok {
				return bad()
			}
		}
	}
	if month < 1 || month > 12 || day < 1 || day > dtDaysIn(time.Month(month), year) {
		return bad()
	}
	hour, minute, sec, nsec := 0, 0, 0, 0
	if withTime && strings.HasPrefix(p, "T") {
		p = p[1:]
		if hour, ok = num(2); !ok {
			return bad()
		}
		if strings.HasPrefix(p, ":") {
			p = p[1:]
			if minute, ok = num(2); !ok {
				return bad()
			}
			if strings.HasPrefix(p, ":") {
				p = p[1:]
				if sec, ok = num(2); !ok {
					return bad()
				}
				if strings.HasPrefix(p, ".") || strings.HasPrefix(p, ",") {
					p = p[1:]
					k := 0
					for k < len(p) && p[k] >= '0' && p[k] <= '9' {
						if k < 9 {
							nsec = nsec*10 + int(p[k]-'0')
						}
						k++
					}
					if k == 0 {
						return bad()
					}
					for j := k; j < 9; j++ {
						nsec *= 10
					}
					p = p[k:]
				}
			}
		}
		if hour > 24 || minute > 59 || sec > 59 || (hour == 24 && (minute|sec|nsec) != 0) {
			return bad()
		}
	}
	zone := loc
	if withTime && p != "" {
		if p == "Z" {
			zone = time.UTC
		} else if off, ok := dtParseOffset(p); ok {
			zone = time.UTC
			if off != 0 {
				zone = time.FixedZone(types.FormatZoneOffset(off), off)
			}
		} else {
			return bad()
		}
		p = ""
	}
	if p != "" {
		return bad()
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, zone), nil
}

func bindToISO8601(args []types.Type) (Binding, error) {
	const expected = "to_iso8601(date), to_iso8601(timestamp(p)), to_iso8601(timestamp(p) with time zone)"
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("to_iso8601", args, expected)
	}
	x, ok := dtArgTemporal(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("to_iso8601", args, expected)
	}
	return Binding{Args: []types.Type{x}, Result: types.VarcharType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		vals, err := dtInt64s(a[0])
		if err != nil {
			return nil, err
		}
		valid := dtValid(a[0])
		out := make([]string, n)
		loc := x.Location(dtZone(ctx))
		for i, v := range vals {
			if valid[i] {
				out[i] = dtFormatISO8601(x, v, loc)
			}
		}
		return dtBuildStrings(ctx, out, valid), nil
	}}, nil
}

func dtFormatISO8601(x types.Type, v int64, loc *time.Location) string {
	t := dtLocal(x.Kind, v, loc)
	if x.Kind == types.Date {
		return dtYear(t.Year()) + t.Format("-01-02")
	}
	var b strings.Builder
	b.WriteString(dtYear(t.Year()))
	b.WriteString(t.Format("-01-02T15:04:05"))
	if p := min(x.Precision, 9); p > 0 {
		frac := fmt.Sprintf("%09d", t.Nanosecond())
		b.WriteByte('.')
		b.WriteString(frac[:p])
	}
	if x.Kind == types.TimestampTZ {
		_, off := t.Zone()
		if off == 0 {
			b.WriteByte('Z')
		} else {
			b.WriteString(dtFormatOffset(off, true))
		}
	}
	return b.String()
}

// dtYear renders a year with at least four digits, as Joda does.
func dtYear(y int) string {
	if y < 0 {
		return fmt.Sprintf("-%04d", -y)
	}
	return fmt.Sprintf("%04d", y)
}

// ---- unix time --------------------------------------------------------------

func bindFromUnixtimeTypes(args []types.Type) (Binding, error) { return bindFromUnixtime(args, nil) }

// bindFromUnixtime: from_unixtime(x, zone) with a constant zone is typed in
// that zone, as Trino returns it; a zone that varies by row only checks the
// zone and gives the session zone. from_unixtime(x, h, m) with constant
// hours and minutes is typed in that fixed offset.
func bindFromUnixtime(args []types.Type, consts []*ConstArg) (Binding, error) {
	const expected = "from_unixtime(double), from_unixtime(double, varchar(x)), from_unixtime(double, bigint, bigint)"
	bad := func() (Binding, error) { return Binding{}, UnexpectedParams("from_unixtime", args, expected) }
	if len(args) < 1 || len(args) > 3 || !(args[0].IsNumeric() || args[0].Kind == types.Unknown) {
		return bad()
	}
	bound := []types.Type{types.DoubleType}
	switch len(args) {
	case 2:
		s, ok := dtArgString(args[1])
		if !ok {
			return bad()
		}
		bound = append(bound, s)
	case 3:
		if !dtArgInteger(args[1]) || !dtArgInteger(args[2]) {
			return bad()
		}
		bound = append(bound, types.BigIntType, types.BigIntType)
	}
	result := types.TimestampTZType
	switch {
	case len(consts) == 2 && consts[1] != nil:
		if z, ok := consts[1].Value.(string); ok {
			loc, err := types.LoadZone(z)
			if err != nil {
				return Binding{}, err
			}
			result.Zone = types.ZoneName(loc)
		}
	case len(consts) == 3 && consts[1] != nil && consts[2] != nil:
		h, ok1 := dtConstInt(consts[1].Value)
		m, ok2 := dtConstInt(consts[2].Value)
		if ok1 && ok2 {
			if loc, err := types.LoadZone(types.FormatZoneOffset(int(h*3600 + m*60))); err == nil {
				result.Zone = types.ZoneName(loc)
			}
		}
	}
	return Binding{Args: bound, Result: result, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		secs := a[0].(*array.Float64)
		out := make([]int64, n)
		valid := make([]bool, n)
		var zones []string
		if len(a) == 2 {
			zones = dtStrings(a[1])
		}
		for i := range out {
			null := secs.IsNull(i)
			for _, x := range a[1:] {
				null = null || x.IsNull(i)
			}
			if null {
				continue
			}
			if zones != nil {
				// The zone only changes how Trino renders the value; it
				// must still name a real zone.
				if _, err := dtLoadZone(zones[i]); err != nil {
					return nil, err
				}
			}
			f := secs.Value(i)
			ms := math.Round(f * 1000)
			if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(ms) > float64(math.MaxInt64/1000) {
				return nil, fmt.Errorf("Value out of range for function from_unixtime: %v", f)
			}
			out[i], valid[i] = int64(ms)*1000, true
		}
		return dtBuild(ctx, result, out, valid), nil
	}}, nil
}

func bindToUnixtime(args []types.Type) (Binding, error) {
	const expected = "to_unixtime(timestamp(p) with time zone)"
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("to_unixtime", args, expected)
	}
	x, ok := dtArgTemporal(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("to_unixtime", args, expected)
	}
	return Binding{Args: []types.Type{x}, Result: types.DoubleType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		vals, err := dtInt64s(a[0])
		if err != nil {
			return nil, err
		}
		loc := dtZone(ctx)
		b := array.NewFloat64Builder(ctx.Alloc)
		defer b.Release()
		b.Reserve(n)
		for i, v := range vals {
			if a[0].IsNull(i) {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			var us int64
			switch x.Kind {
			case types.TimestampTZ:
				us = v
			default:
				// Plain timestamps and dates are read in the session zone, as
				// Trino's implicit cast to timestamp with time zone does.
				t := dtLocal(x.Kind, v, time.UTC)
				us = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).UnixMicro()
			}
			b.UnsafeAppend(float64(us) / 1e6)
		}
		return b.NewArray(), nil
	}}, nil
}

// ---- time zones -------------------------------------------------------------

// dtConstZone resolves argument i of fn, a time zone that must be a
// constant: the zone is part of the result type. consts nil (a signature
// check through Bind) yields the session zone; null reports a NULL zone.
func dtConstZone(fn string, consts []*ConstArg, i int) (loc *time.Location, null bool, err error) {
	if consts == nil {
		return nil, false, nil
	}
	if i >= len(consts) || consts[i] == nil {
		return nil, false, fmt.Errorf("%s: the time zone (argument %d) must be a constant: Quarry gives all values of an expression one zone", fn, i+1)
	}
	switch v := consts[i].Value.(type) {
	case nil:
		return nil, true, nil
	case string:
		loc, err := types.LoadZone(v)
		return loc, false, err
	default:
		return nil, false, fmt.Errorf("BUG: %s zone constant is %T", fn, v)
	}
}

// dtConstInt reads an integer constant.
func dtConstInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case int:
		return int64(x), true
	}
	return 0, false
}

// dtZoneName is the Type.Zone of values in loc (nil: the session zone).
func dtZoneName(loc *time.Location) string {
	if loc == nil {
		return ""
	}
	return types.ZoneName(loc)
}

func bindAtTimezoneTypes(args []types.Type) (Binding, error) { return bindAtTimezone(args, nil) }

// bindAtTimezone: x AT TIME ZONE zone is the same instant in another zone;
// only the result type changes. A plain timestamp is first read in the
// session zone, as Trino's implicit cast to timestamp with time zone does.
func bindAtTimezone(args []types.Type, consts []*ConstArg) (Binding, error) {
	const expected = "at_timezone(timestamp(p) with time zone, varchar(x))"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("at_timezone", args, expected)
	}
	x, ok1 := dtArgTemporal(args[0])
	z, ok2 := dtArgString(args[1])
	if !ok1 || !ok2 {
		return Binding{}, UnexpectedParams("at_timezone", args, expected)
	}
	if x.Kind != types.TimestampTZ {
		p := x.Precision
		if args[0].Kind == types.Date {
			p = 0
		}
		x = types.TimestampTZOf(p, "")
	}
	loc, null, err := dtConstZone("at_timezone", consts, 1)
	if err != nil {
		return Binding{}, err
	}
	result := types.TimestampTZOf(x.Precision, dtZoneName(loc))
	return Binding{Args: []types.Type{x, z}, Result: result, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		vals, err := dtInt64s(a[0])
		if err != nil {
			return nil, err
		}
		valid := dtValid(a[0])
		for i := range valid {
			valid[i] = valid[i] && !null && a[1].IsValid(i)
		}
		return dtBuild(ctx, result, vals, valid), nil
	}}, nil
}

func bindWithTimezoneTypes(args []types.Type) (Binding, error) { return bindWithTimezone(args, nil) }

// bindWithTimezone reads a timestamp's wall clock in the given zone.
func bindWithTimezone(args []types.Type, consts []*ConstArg) (Binding, error) {
	const expected = "with_timezone(timestamp(p), varchar(x))"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("with_timezone", args, expected)
	}
	x, ok1 := dtArgTemporal(args[0])
	z, ok2 := dtArgString(args[1])
	if !ok1 || !ok2 || x.Kind == types.TimestampTZ {
		return Binding{}, UnexpectedParams("with_timezone", args, expected)
	}
	if x.Kind == types.Date {
		x = types.Type{Kind: types.Timestamp, Precision: 0}
	}
	loc, null, err := dtConstZone("with_timezone", consts, 1)
	if err != nil {
		return Binding{}, err
	}
	result := types.TimestampTZOf(x.Precision, dtZoneName(loc))
	return Binding{Args: []types.Type{x, z}, Result: result, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		vals, err := dtInt64s(a[0])
		if err != nil {
			return nil, err
		}
		valid := dtValid(a[0])
		in := result.Location(dtZone(ctx))
		for i, v := range vals {
			if !valid[i] || null || a[1].IsNull(i) {
				valid[i] = false
				continue
			}
			vals[i] = dtFromWall(v, in)
		}
		return dtBuild(ctx, result, vals, valid), nil
	}}, nil
}

// dtFromWall returns the instant at which loc's clocks show the wall clock
// w (microseconds as if UTC), resolving DST transitions as java.time does:
// a wall clock repeated by an overlap takes the earlier instant, one
// skipped by a gap moves forward by the gap's length. (Go's time.Date may
// move it backward.)
func dtFromWall(w int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return w
	}
	sec := dtFloorDiv(w, dtUsPerSecond)
	off := func(s int64) int64 {
		_, o := time.Unix(s, 0).In(loc).Zone()
		return int64(o)
	}
	// Zone transitions are far more than a day apart, so the offsets a day
	// either side are those before and after any transition near w.
	early, late := off(sec-86400), off(sec+86400)
	c1, c2 := sec-early, sec-late
	ok1, ok2 := off(c1) == early, off(c2) == late
	r := c1 // a gap: read with the offset before it
	switch {
	case ok1 && ok2:
		r = min(c1, c2)
	case ok2:
		r = c2
	}
	return r*dtUsPerSecond + (w - sec*dtUsPerSecond)
}

// dtItoa is strconv.Itoa for int64 (kept short for the formatters).
func dtItoa(v int64) string { return strconv.FormatInt(v, 10) }

// isoUTCMicros is from_iso8601_timestamp's fast path for the form data
// files use most (AWS Cost and Usage Reports among them):
// YYYY-MM-DDTHH:MM:SSZ, optionally with .sss milliseconds. It computes the
// instant arithmetically; ok is false for any other form or an invalid
// date or time, which the general parser handles (and reports).
func isoUTCMicros(s string) (int64, bool) {
	ms := 0
	switch {
	case len(s) == 20 && s[19] == 'Z':
	case len(s) == 24 && s[23] == 'Z' && s[19] == '.':
		a, b, c := s[20]-'0', s[21]-'0', s[22]-'0'
		if a > 9 || b > 9 || c > 9 {
			return 0, false
		}
		ms = int(a)*100 + int(b)*10 + int(c)
	default:
		return 0, false
	}
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	d2 := func(i int) int {
		a, b := s[i]-'0', s[i+1]-'0'
		if a > 9 || b > 9 {
			return -1
		}
		return int(a)*10 + int(b)
	}
	y1, y2 := d2(0), d2(2)
	mo, d, h, mi, sec := d2(5), d2(8), d2(11), d2(14), d2(17)
	if y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return 0, false
	}
	y := y1*100 + y2
	if y < 1 || d > daysIn(y, mo) {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	return ((days*24+int64(h))*60+int64(mi))*60*1_000_000 + int64(sec)*1_000_000 + int64(ms)*1000, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= 0 here
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
