package function

// Formatting and parsing of dates: date_format/date_parse with MySQL-style
// % specifiers and format_datetime/parse_datetime with Joda patterns. Both
// compile a pattern once into a list of operations (patterns are nearly
// always constants) and share one parsed-fields representation.

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

func registerDateTimeFormat(r *Registry) {
	r.AddScalar(&Scalar{Name: "date_format", Bind: func(args []types.Type) (Binding, error) {
		return bindDTFormat("date_format", args, fmtCompileMySQL)
	}})
	r.AddScalar(&Scalar{Name: "format_datetime", Bind: func(args []types.Type) (Binding, error) {
		return bindDTFormat("format_datetime", args, fmtCompileJoda)
	}})
	r.AddScalar(&Scalar{Name: "date_parse", Bind: func(args []types.Type) (Binding, error) {
		return bindDTParse("date_parse", args, types.TimestampType, fmtCompileMySQL)
	}})
	r.AddScalar(&Scalar{Name: "parse_datetime", Bind: func(args []types.Type) (Binding, error) {
		return bindDTParse("parse_datetime", args, types.TimestampTZType, fmtCompileJoda)
	}, BindConst: func(args []types.Type, consts []*ConstArg) (Binding, error) {
		return bindDTParse("parse_datetime", args, types.TimestampTZOf(3, parsedConstZone(consts)), fmtCompileJoda)
	}})
}

// dtPattern is a compiled format pattern.
type dtPattern struct {
	ops []dtOp
}

// dtOp formats one element and parses it back.
type dtOp struct {
	format func(b []byte, t time.Time) []byte
	// parse consumes the element from s; next tells whether another
	// numeric element follows directly (Joda then parses fixed widths).
	parse func(s string, st *dtParsed) (string, bool)
}

// dtFields are the fields a parse has read.
type dtParsed struct {
	year, month, day     int
	hour, minute, second int
	nsec                 int
	doy                  int // day of year, 0 when not given
	pm, halfSet          bool
	hourOfHalf           int
	zone                 *time.Location
}

func (p *dtPattern) format(t time.Time) string {
	b := make([]byte, 0, 32)
	for _, op := range p.ops {
		b = op.format(b, t)
	}
	return string(b)
}

func (p *dtPattern) parse(fn, s string, loc *time.Location) (time.Time, error) {
	st := dtParsed{year: 1970, month: 1, day: 1}
	rest := s
	for _, op := range p.ops {
		var ok bool
		at := rest
		rest, ok = op.parse(rest, &st)
		if !ok {
			if at == "" {
				return time.Time{}, fmt.Errorf("Invalid format: \"%s\" is too short (%s)", s, fn)
			}
			return time.Time{}, fmt.Errorf("Invalid format: \"%s\" is malformed at \"%s\" (%s)", s, at, fn)
		}
	}
	if rest != "" {
		return time.Time{}, fmt.Errorf("Invalid format: \"%s\" is malformed at \"%s\" (%s)", s, rest, fn)
	}
	if st.halfSet {
		st.hour = st.hourOfHalf % 12
		if st.pm {
			st.hour += 12
		}
	}
	if st.month < 1 || st.month > 12 || st.day < 1 || st.day > dtDaysIn(time.Month(st.month), st.year) ||
		st.hour > 23 || st.minute > 59 || st.second > 59 {
		return time.Time{}, fmt.Errorf("Invalid format: \"%s\": field value out of range (%s)", s, fn)
	}
	if st.zone != nil {
		loc = st.zone
	}
	if st.doy > 0 {
		if st.doy > 365 && dtDaysIn(time.February, st.year) == 28 || st.doy > 366 {
			return time.Time{}, fmt.Errorf("Invalid format: \"%s\": day of year out of range (%s)", s, fn)
		}
		return time.Date(st.year, 1, st.doy, st.hour, st.minute, st.second, st.nsec, loc), nil
	}
	return time.Date(st.year, time.Month(st.month), st.day, st.hour, st.minute, st.second, st.nsec, loc), nil
}

// ---- kernels ------------------------------------------------------------

// parsedConstZone is the zone parse_datetime reads from a constant string
// with a constant pattern, which becomes the result's zone as in Trino; ""
// (the session zone) when either varies by row or no zone is parsed. Rows
// of a column that name zones are normalised to the session zone.
func parsedConstZone(consts []*ConstArg) string {
	if len(consts) != 2 || consts[0] == nil || consts[1] == nil {
		return ""
	}
	str, ok1 := consts[0].Value.(string)
	pat, ok2 := consts[1].Value.(string)
	if !ok1 || !ok2 {
		return ""
	}
	p, err := fmtCompileJoda(pat)
	if err != nil {
		return ""
	}
	t, err := p.parse("parse_datetime", str, dtNoZone)
	if err != nil || t.Location() == dtNoZone {
		return ""
	}
	loc, err := types.LoadZone(types.ZoneName(t.Location()))
	if err != nil {
		return ""
	}
	return types.ZoneName(loc)
}

// dtPatternCache memoizes the compiled pattern of the previous row.
type dtPatternCache struct {
	src     string
	p       *dtPattern
	compile func(string) (*dtPattern, error)
}

func (c *dtPatternCache) get(src string) (*dtPattern, error) {
	if c.p != nil && c.src == src {
		return c.p, nil
	}
	p, err := c.compile(src)
	if err != nil {
		return nil, err
	}
	c.src, c.p = src, p
	return p, nil
}

func bindDTFormat(name string, args []types.Type, compile func(string) (*dtPattern, error)) (Binding, error) {
	expected := name + "(timestamp(p), varchar(x)), " + name + "(timestamp(p) with time zone, varchar(x))"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	x, ok1 := dtArgTemporal(args[0])
	f, ok2 := dtArgString(args[1])
	if !ok1 || !ok2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	return Binding{Args: []types.Type{x, f}, Result: types.VarcharType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		vals, err := dtInt64s(a[0])
		if err != nil {
			return nil, err
		}
		pats := dtStrings(a[1])
		valid := dtValid(a[0])
		out := make([]string, n)
		loc := x.Location(dtZone(ctx))
		cache := dtPatternCache{compile: compile}
		// Values repeat within a batch (hourly usage dates grouped by
		// month): format each distinct one once per pattern.
		var memoPat *dtPattern
		memo := map[int64]string{}
		hits := 0
		for i, v := range vals {
			if !valid[i] || a[1].IsNull(i) {
				valid[i] = false
				continue
			}
			p, err := cache.get(pats[i])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if p != memoPat && memo != nil {
				memoPat = p
				clear(memo)
			}
			if memo == nil {
				out[i] = p.format(dtLocal(x.Kind, v, loc))
				continue
			}
			s, ok := memo[v]
			if !ok {
				s = p.format(dtLocal(x.Kind, v, loc))
				memo[v] = s
				if len(memo) == 1024 && hits < 1024 {
					memo = nil // mostly distinct values: memoizing only costs
				}
			} else {
				hits++
			}
			out[i] = s
		}
		return dtBuildStrings(ctx, out, valid), nil
	}}, nil
}

func bindDTParse(name string, args []types.Type, result types.Type, compile func(string) (*dtPattern, error)) (Binding, error) {
	expected := name + "(varchar(x), varchar(y))"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	s, ok1 := dtArgString(args[0])
	f, ok2 := dtArgString(args[1])
	if !ok1 || !ok2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	return Binding{Args: []types.Type{s, f}, Result: result, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		strs := dtStrings(a[0])
		pats := dtStrings(a[1])
		out := make([]int64, n)
		valid := make([]bool, n)
		loc := time.UTC // date_parse yields a wall clock
		if result.Kind == types.TimestampTZ {
			loc = dtZone(ctx)
		}
		cache := dtPatternCache{compile: compile}
		for i := range out {
			if a[0].IsNull(i) || a[1].IsNull(i) {
				continue
			}
			p, err := cache.get(pats[i])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			t, err := p.parse(name, strs[i], loc)
			if err != nil {
				return nil, err
			}
			if result.Kind == types.Timestamp && t.Location() != time.UTC {
				// A parsed zone moves a wall clock to UTC-equivalent fields.
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			}
			// Both results are timestamp(3).
			out[i], valid[i] = t.Truncate(time.Millisecond).UnixMicro(), true
		}
		return dtBuild(ctx, result, out, valid), nil
	}}, nil
}

// ---- building blocks --------------------------------------------------------

func fmtLitOp(lit string) dtOp {
	return dtOp{
		format: func(b []byte, _ time.Time) []byte { return append(b, lit...) },
		parse: func(s string, _ *dtParsed) (string, bool) {
			if strings.HasPrefix(s, lit) {
				return s[len(lit):], true
			}
			return s, false
		},
	}
}

// fmtAppendPadded appends v with at least width digits.
func fmtAppendPadded(b []byte, v, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	s := dtItoa(int64(v))
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// fmtNumOp formats get(t) padded to width and parses minDigits..maxDigits
// digits into set.
func fmtNumOp(width, minDigits, maxDigits int, signed bool, get func(time.Time) int, set func(*dtParsed, int)) dtOp {
	return dtOp{
		format: func(b []byte, t time.Time) []byte { return fmtAppendPadded(b, get(t), width) },
		parse: func(s string, st *dtParsed) (string, bool) {
			neg := false
			if signed && len(s) > 0 && (s[0] == '-' || s[0] == '+') {
				neg = s[0] == '-'
				s = s[1:]
			}
			k, v := 0, 0
			for k < len(s) && k < maxDigits && s[k] >= '0' && s[k] <= '9' {
				v = v*10 + int(s[k]-'0')
				k++
			}
			if k < minDigits || k == 0 {
				return s, false
			}
			if neg {
				v = -v
			}
			set(st, v)
			return s[k:], true
		},
	}
}

// fmtTextOp formats one of names and parses any of them, case-insensitively.
func fmtTextOp(names []string, get func(time.Time) int, set func(*dtParsed, int)) dtOp {
	return dtOp{
		format: func(b []byte, t time.Time) []byte { return append(b, names[get(t)]...) },
		parse: func(s string, st *dtParsed) (string, bool) {
			best := -1
			for i, n := range names {
				if n != "" && len(s) >= len(n) && strings.EqualFold(s[:len(n)], n) && (best < 0 || len(n) > len(names[best])) {
					best = i
				}
			}
			if best < 0 {
				return s, false
			}
			if set != nil {
				set(st, best)
			}
			return s[len(names[best]):], true
		},
	}
}

// fmtFracOp formats the fraction of a second with digits digits and parses
// any number of digits.
func fmtFracOp(digits, maxParse int) dtOp {
	return dtOp{
		format: func(b []byte, t time.Time) []byte {
			s := fmt.Sprintf("%09d", t.Nanosecond())
			if digits <= 9 {
				return append(b, s[:digits]...)
			}
			b = append(b, s...)
			for i := 9; i < digits; i++ {
				b = append(b, '0')
			}
			return b
		},
		parse: func(s string, st *dtParsed) (string, bool) {
			k, ns := 0, 0
			for k < len(s) && k < maxParse && s[k] >= '0' && s[k] <= '9' {
				if k < 9 {
					ns = ns*10 + int(s[k]-'0')
				}
				k++
			}
			if k == 0 {
				return s, false
			}
			for j := k; j < 9; j++ {
				ns *= 10
			}
			st.nsec = ns
			return s[k:], true
		},
	}
}

var (
	fmtMonthNames = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	fmtMonthShort = []string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	// Indexed by ISO day of week, 1 = Monday.
	fmtDayNames  = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	fmtDayShort  = []string{"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	fmtHalfNames = []string{"AM", "PM"}
)

func fmtISODOW(t time.Time) int { return int((t.Weekday()+6)%7 + 1) }
func fmtHour12(t time.Time) int {
	if h := t.Hour() % 12; h != 0 {
		return h
	}
	return 12
}
func fmtHalfOf(t time.Time) int      { return t.Hour() / 12 }
func fmtSetHalf(st *dtParsed, v int) { st.pm, st.halfSet = v == 1, true }
func fmtSetHour12(st *dtParsed, v int) {
	st.hourOfHalf = v
	st.halfSet = true
}

// fmtSetYY maps yy to the century window Joda uses (within 50 years
// of the year 2000, i.e. 1950..2049 here, a fixed pivot so results do not
// depend on the clock).
func fmtSetYY(st *dtParsed, v int) {
	if v < 50 {
		st.year = 2000 + v
	} else {
		st.year = 1900 + v
	}
}

// ---- MySQL style ------------------------------------------------------------

func fmtCompileMySQL(f string) (*dtPattern, error) {
	p := &dtPattern{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.ops = append(p.ops, fmtLitOp(lit.String()))
			lit.Reset()
		}
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' || i+1 == len(f) {
			lit.WriteByte(c)
			continue
		}
		i++
		spec := f[i]
		var op dtOp
		switch spec {
		case 'a':
			op = fmtTextOp(fmtDayShort, fmtISODOW, nil)
		case 'b':
			op = fmtTextOp(fmtMonthShort, func(t time.Time) int { return int(t.Month()) }, func(st *dtParsed, v int) { st.month = v })
		case 'c':
			op = fmtNumOp(1, 1, 2, false, func(t time.Time) int { return int(t.Month()) }, func(st *dtParsed, v int) { st.month = v })
		case 'd':
			op = fmtNumOp(2, 1, 2, false, func(t time.Time) int { return t.Day() }, func(st *dtParsed, v int) { st.day = v })
		case 'e':
			op = fmtNumOp(1, 1, 2, false, func(t time.Time) int { return t.Day() }, func(st *dtParsed, v int) { st.day = v })
		case 'f':
			op = fmtFracOp(6, 9)
		case 'H':
			op = fmtNumOp(2, 1, 2, false, func(t time.Time) int { return t.Hour() }, func(st *dtParsed, v int) { st.hour = v })
		case 'k':
			op = fmtNumOp(1, 1, 2, false, func(t time.Time) int { return t.Hour() }, func(st *dtParsed, v int) { st.hour = v })
		case 'h', 'I':
			op = fmtNumOp(2, 1, 2, false, fmtHour12, fmtSetHour12)
		case 'l':
			op = fmtNumOp(1, 1, 2, false, fmtHour12, fmtSetHour12)
		case 'i':
			op = fmtNumOp(2, 1, 2, false, func(t time.Time) int { return t.Minute() }, func(st *dtParsed, v int) { st.minute = v })
		case 'j':
			op = fmtNumOp(3, 1, 3, false, func(t time.Time) int { return t.YearDay() }, func(st *dtParsed, v int) { st.doy = v })
		case 'M':
			op = fmtTextOp(fmtMonthNames, func(t time.Time) int { return int(t.Month()) }, func(st *dtParsed, v int) { st.month = v })
		case 'm':
			op = fmtNumOp(2, 1, 2, false, func(t time.Time) int { return int(t.Month()) }, func(st *dtParsed, v int) { st.month = v })
		case 'p':
			op = fmtTextOp(fmtHalfNames, fmtHalfOf, fmtSetHalf)
		case 'r':
			sub, _ := fmtCompileMySQL("%h:%i:%S %p")
			p.appendAll(flush, sub)
			continue
		case 'S', 's':
			op = fmtNumOp(2, 1, 2, false, func(t time.Time) int { return t.Second() }, func(st *dtParsed, v int) { st.second = v })
		case 'T':
			sub, _ := fmtCompileMySQL("%H:%i:%S")
			p.appendAll(flush, sub)
			continue
		case 'v':
			op = fmtNumOp(2, 1, 2, false, func(t time.Time) int { _, w := t.ISOWeek(); return w }, func(*dtParsed, int) {})
		case 'W':
			op = fmtTextOp(fmtDayNames, fmtISODOW, nil)
		case 'x':
			op = fmtNumOp(4, 1, 4, false, func(t time.Time) int { y, _ := t.ISOWeek(); return y }, func(*dtParsed, int) {})
		case 'Y':
			op = fmtNumOp(4, 1, 4, false, func(t time.Time) int { return t.Year() }, func(st *dtParsed, v int) { st.year = v })
		case 'y':
			op = fmtNumOp(2, 2, 2, false, func(t time.Time) int { return t.Year() % 100 }, fmtSetYY)
		case '%':
			lit.WriteByte('%')
			continue
		case 'D', 'U', 'u', 'V', 'w', 'X':
			return nil, fmt.Errorf("%%%c not supported in date format string", spec)
		default:
			// MySQL prints an unknown specifier's letter.
			lit.WriteByte(spec)
			continue
		}
		flush()
		p.ops = append(p.ops, op)
	}
	flush()
	return p, nil
}

func (p *dtPattern) appendAll(flush func(), sub *dtPattern) {
	flush()
	p.ops = append(p.ops, sub.ops...)
}

// ---- Joda style -------------------------------------------------------------

func fmtCompileJoda(f string) (*dtPattern, error) {
	type token struct {
		letter byte
		count  int
		lit    string
	}
	var toks []token
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(f) && f[j] == c {
				j++
			}
			toks = append(toks, token{letter: c, count: j - i})
			i = j
		case c == '\'':
			// Quoted text; '' is a literal quote inside or outside quotes.
			j := i + 1
			var b strings.Builder
			if j < len(f) && f[j] == '\'' {
				toks = append(toks, token{lit: "'"})
				i = j + 1
				continue
			}
			closed := false
			for j < len(f) {
				if f[j] == '\'' {
					if j+1 < len(f) && f[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				b.WriteByte(f[j])
				j++
			}
			if !closed {
				return nil, fmt.Errorf("Invalid format: unterminated quote in %q", f)
			}
			toks = append(toks, token{lit: b.String()})
			i = j
		default:
			toks = append(toks, token{lit: string(c)})
			i++
		}
	}
	isNumeric := func(t token) bool {
		switch t.letter {
		case 'C', 'Y', 'y', 'x', 'w', 'e', 'D', 'd', 'K', 'h', 'H', 'k', 'm', 's', 'S':
			return true
		case 'M':
			return t.count < 3
		}
		return false
	}
	p := &dtPattern{}
	for i, t := range toks {
		if t.letter == 0 {
			p.ops = append(p.ops, fmtLitOp(t.lit))
			continue
		}
		// Joda parses a numeric field followed directly by another numeric
		// field with exactly its pattern width (yyyyMMdd).
		maxDigits := 9
		if i+1 < len(toks) && isNumeric(toks[i+1]) {
			maxDigits = t.count
		}
		n := t.count
		num := func(get func(time.Time) int, set func(*dtParsed, int)) dtOp {
			return fmtNumOp(n, 1, max(maxDigits, n), false, get, set)
		}
		var op dtOp
		switch t.letter {
		case 'G':
			op = fmtTextOp([]string{"BC", "AD"}, func(t time.Time) int {
				if t.Year() <= 0 {
					return 0
				}
				return 1
			}, nil)
		case 'C':
			op = num(func(t time.Time) int { return t.Year() / 100 }, func(*dtParsed, int) {})
		case 'Y', 'y', 'x':
			get := func(t time.Time) int { return t.Year() }
			if t.letter == 'x' {
				get = func(t time.Time) int { y, _ := t.ISOWeek(); return y }
			}
			if n == 2 {
				op = fmtNumOp(2, 2, max(maxDigits, 2), false, func(t time.Time) int { return get(t) % 100 }, fmtSetYY)
			} else {
				op = fmtNumOp(n, 1, max(maxDigits, n), t.letter != 'Y', get, func(st *dtParsed, v int) { st.year = v })
			}
		case 'w':
			op = num(func(t time.Time) int { _, w := t.ISOWeek(); return w }, func(*dtParsed, int) {})
		case 'e':
			op = num(fmtISODOW, func(*dtParsed, int) {})
		case 'E':
			names := fmtDayShort
			if n >= 4 {
				names = fmtDayNames
			}
			op = fmtTextOp(names, fmtISODOW, nil)
		case 'D':
			op = num(func(t time.Time) int { return t.YearDay() }, func(st *dtParsed, v int) { st.doy = v })
		case 'M':
			get := func(t time.Time) int { return int(t.Month()) }
			set := func(st *dtParsed, v int) { st.month = v }
			switch {
			case n >= 4:
				op = fmtTextOp(fmtMonthNames, get, set)
			case n == 3:
				op = fmtTextOp(fmtMonthShort, get, set)
			default:
				op = num(get, set)
			}
		case 'd':
			op = num(func(t time.Time) int { return t.Day() }, func(st *dtParsed, v int) { st.day = v })
		case 'a':
			op = fmtTextOp(fmtHalfNames, fmtHalfOf, fmtSetHalf)
		case 'K':
			op = num(func(t time.Time) int { return t.Hour() % 12 }, fmtSetHour12)
		case 'h':
			op = num(fmtHour12, fmtSetHour12)
		case 'H':
			op = num(func(t time.Time) int { return t.Hour() }, func(st *dtParsed, v int) { st.hour = v })
		case 'k':
			op = num(func(t time.Time) int {
				if t.Hour() == 0 {
					return 24
				}
				return t.Hour()
			}, func(st *dtParsed, v int) { st.hour = v % 24 })
		case 'm':
			op = num(func(t time.Time) int { return t.Minute() }, func(st *dtParsed, v int) { st.minute = v })
		case 's':
			op = num(func(t time.Time) int { return t.Second() }, func(st *dtParsed, v int) { st.second = v })
		case 'S':
			op = fmtFracOp(n, max(maxDigits, n))
		case 'z':
			op = fmtZoneNameOp(n >= 4)
		case 'Z':
			if n >= 3 {
				op = fmtZoneNameOp(true)
			} else {
				op = fmtZoneOffsetOp(n == 2)
			}
		default:
			return nil, fmt.Errorf("Illegal pattern component: %s", strings.Repeat(string(t.letter), n))
		}
		p.ops = append(p.ops, op)
	}
	return p, nil
}

// fmtZoneOffsetOp prints +hhmm (+hh:mm with colon) and parses Z or an offset.
func fmtZoneOffsetOp(colon bool) dtOp {
	return dtOp{
		format: func(b []byte, t time.Time) []byte {
			_, off := t.Zone()
			return append(b, dtFormatOffset(off, colon)...)
		},
		parse: func(s string, st *dtParsed) (string, bool) {
			if strings.HasPrefix(s, "Z") {
				st.zone = time.UTC
				return s[1:], true
			}
			for _, w := range []int{6, 5, 3} {
				if len(s) >= w {
					if off, ok := dtParseOffset(s[:w]); ok {
						st.zone = time.FixedZone(dtFormatOffset(off, true), off)
						return s[w:], true
					}
				}
			}
			return s, false
		},
	}
}

// fmtZoneNameOp prints the zone id (full) or its abbreviation and parses a zone id.
func fmtZoneNameOp(full bool) dtOp {
	return dtOp{
		format: func(b []byte, t time.Time) []byte {
			if full {
				name := t.Location().String()
				if name == "" || name == "Local" {
					name, _ = t.Zone()
				}
				return append(b, name...)
			}
			abbr, _ := t.Zone()
			return append(b, abbr...)
		},
		parse: func(s string, st *dtParsed) (string, bool) {
			k := 0
			for k < len(s) && (s[k] == '/' || s[k] == '_' || s[k] == '-' || s[k] == '+' || s[k] == ':' ||
				s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= '0' && s[k] <= '9') {
				k++
			}
			if k == 0 {
				return s, false
			}
			loc, err := dtLoadZone(s[:k])
			if err != nil {
				return s, false
			}
			st.zone = loc
			return s[k:], true
		},
	}
}
