package source

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quarry-sql/quarry/catalog"
)

// MaxProjectedPartitions bounds what one projection may enumerate, so an
// unfiltered query over a wide projection fails with a clear message
// instead of exhausting memory (Athena has the same kind of limit).
const MaxProjectedPartitions = 1_000_000

// projectionNow is the clock behind NOW in date ranges; tests replace it.
var projectionNow = time.Now

// ProjectionFilter narrows a partition projection to what a query can
// match. The planner derives it from the partition-key predicates.
type ProjectionFilter struct {
	// Eq holds, per partition key, the finite set of values the query
	// allows (from = and IN). A key missing here is unconstrained. Values
	// are compared after normalisation to the projection's form (integer
	// 7 matches "07" with digits 2; a date is re-formatted), and values
	// outside the projected range yield no partition. Injected keys must
	// appear here.
	Eq map[string][]string
	// Accept, when not nil, tests each candidate value of each key
	// (ranges, LIKE, anything not a finite set).
	Accept func(key, value string) bool
}

// ProjectionEnabled reports whether a table's partitions come from
// projection.* properties rather than the catalog.
func ProjectionEnabled(t *catalog.Table) bool {
	return strings.EqualFold(strings.TrimSpace(t.Properties["projection.enabled"]), "true")
}

// ProjectPartitions enumerates the partitions of a table with Athena
// partition projection whose values pass filter (nil: all). It fails for
// tables with injected keys, which need ProjectPartitionsWith.
func ProjectPartitions(table *catalog.Table, filter func(key, value string) bool) ([]catalog.Partition, error) {
	return ProjectPartitionsWith(table, ProjectionFilter{Accept: filter})
}

// ProjectPartitionsWith enumerates the projected partitions that satisfy
// f, in key order (the first key varies slowest), with their locations
// from storage.location.template or, without one, the Hive layout
// LOCATION/k1=v1/k2=v2.
func ProjectPartitionsWith(table *catalog.Table, f ProjectionFilter) ([]catalog.Partition, error) {
	projs, err := ParseProjection(table)
	if err != nil {
		return nil, err
	}
	candidates := make([][]string, len(projs))
	total := 1
	for i, p := range projs {
		var vals []string
		if eq, ok := lookupFold(f.Eq, p.Key); ok {
			vals, err = p.normalize(eq)
		} else {
			vals, err = p.enumerate()
		}
		if err != nil {
			return nil, fmt.Errorf("partition projection of %s: %w", tableName(table), err)
		}
		if f.Accept != nil {
			kept := vals[:0:0]
			for _, v := range vals {
				if f.Accept(p.Key, v) {
					kept = append(kept, v)
				}
			}
			vals = kept
		}
		if len(vals) == 0 {
			return nil, nil
		}
		candidates[i] = vals
		if total > MaxProjectedPartitions/len(vals) {
			return nil, fmt.Errorf("partition projection of %s yields more than %d partitions; add a filter on %s", tableName(table), MaxProjectedPartitions, keyNames(projs))
		}
		total *= len(vals)
	}
	tmpl := strings.TrimSpace(table.Properties["storage.location.template"])
	keys := make([]string, len(projs))
	for i, p := range projs {
		keys[i] = p.Key
	}
	out := make([]catalog.Partition, 0, total)
	idx := make([]int, len(projs))
	for {
		values := make([]string, len(projs))
		for i, j := range idx {
			values[i] = candidates[i][j]
		}
		out = append(out, catalog.Partition{Values: values, Location: projectedLocation(table.Location, tmpl, keys, values)})
		// Odometer increment, last key fastest.
		i := len(idx) - 1
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < len(candidates[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return out, nil
		}
	}
}

func projectedLocation(tableLoc, tmpl string, keys, values []string) string {
	if tmpl == "" {
		return JoinLocation(tableLoc, PartitionPath(keys, values))
	}
	loc := tmpl
	for i, k := range keys {
		loc = replaceFold(loc, "${"+k+"}", values[i])
	}
	return strings.TrimSuffix(loc, "/")
}

// replaceFold replaces placeholders whose key differs only in case, since
// column names are case-insensitive.
func replaceFold(s, old, repl string) string {
	ls, lo := strings.ToLower(s), strings.ToLower(old)
	var b strings.Builder
	for {
		i := strings.Index(ls, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, ls = s[i+len(old):], ls[i+len(old):]
	}
}

func lookupFold(m map[string][]string, key string) ([]string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func tableName(t *catalog.Table) string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

func keyNames(projs []*Projection) string {
	var names []string
	for _, p := range projs {
		names = append(names, p.Key)
	}
	return strings.Join(names, ", ")
}

// Projection types.
const (
	ProjEnum     = "enum"
	ProjInteger  = "integer"
	ProjDate     = "date"
	ProjInjected = "injected"
)

// Projection is the parsed projection.<key>.* configuration of one key.
type Projection struct {
	Key  string
	Type string // ProjEnum, ProjInteger, ProjDate, ProjInjected

	values []string // enum

	lo, hi   int64 // integer range
	step     int64 // integer interval
	digits   int   // integer zero padding
	start    time.Time
	end      time.Time
	layout   *dateLayout
	interval int
	unit     string // date interval unit: YEARS ... MILLISECONDS
}

// ParseProjection validates a table's projection.* properties and returns
// one Projection per partition key, in PartitionKeys order.
func ParseProjection(t *catalog.Table) ([]*Projection, error) {
	name := tableName(t)
	if !ProjectionEnabled(t) {
		return nil, fmt.Errorf("table %s: partition projection is not enabled (projection.enabled)", name)
	}
	if len(t.PartitionKeys) == 0 {
		return nil, fmt.Errorf("table %s: projection.enabled is set but the table has no partition keys", name)
	}
	prop := func(key, suffix string) (string, bool) {
		want := "projection." + key + "." + suffix
		for k, v := range t.Properties {
			if strings.EqualFold(k, want) {
				return strings.TrimSpace(v), true
			}
		}
		return "", false
	}
	out := make([]*Projection, 0, len(t.PartitionKeys))
	for _, col := range t.PartitionKeys {
		key := col.Name
		bad := func(format string, args ...any) error {
			return fmt.Errorf("table %s: projection of partition key %s: %s", name, key, fmt.Sprintf(format, args...))
		}
		typ, ok := prop(key, "type")
		if !ok {
			return nil, bad("projection.%s.type is missing", key)
		}
		p := &Projection{Key: key, Type: strings.ToLower(typ)}
		switch p.Type {
		case ProjEnum:
			raw, ok := prop(key, "values")
			if !ok || raw == "" {
				return nil, bad("enum needs projection.%s.values", key)
			}
			// Athena keeps white space inside enum values.
			p.values = strings.Split(t.Properties[propKey(t, "projection."+key+".values")], ",")
		case ProjInteger:
			raw, ok := prop(key, "range")
			if !ok {
				return nil, bad("integer needs projection.%s.range (min,max)", key)
			}
			lo, hi, found := strings.Cut(raw, ",")
			var err1, err2 error
			p.lo, err1 = strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
			p.hi, err2 = strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
			if !found || err1 != nil || err2 != nil {
				return nil, bad("range %q is not two integers min,max", raw)
			}
			if p.lo > p.hi {
				return nil, bad("range %q starts after it ends", raw)
			}
			p.step = 1
			if s, ok := prop(key, "interval"); ok {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil || n <= 0 {
					return nil, bad("interval %q is not a positive integer", s)
				}
				p.step = n
			}
			if s, ok := prop(key, "digits"); ok {
				n, err := strconv.Atoi(s)
				if err != nil || n <= 0 || n > 20 {
					return nil, bad("digits %q is not a positive integer up to 20", s)
				}
				p.digits = n
			}
		case ProjDate:
			format, ok := prop(key, "format")
			if !ok || format == "" {
				return nil, bad("date needs projection.%s.format (e.g. yyyy-MM-dd)", key)
			}
			layout, err := parseDateLayout(format)
			if err != nil {
				return nil, bad("format %q: %v", format, err)
			}
			p.layout = layout
			raw, ok := prop(key, "range")
			if !ok {
				return nil, bad("date needs projection.%s.range (start,end)", key)
			}
			lo, hi, found := strings.Cut(raw, ",")
			if !found {
				return nil, bad("range %q is not start,end", raw)
			}
			if p.start, err = p.parseBound(strings.TrimSpace(lo)); err != nil {
				return nil, bad("range start %q: %v", lo, err)
			}
			if p.end, err = p.parseBound(strings.TrimSpace(hi)); err != nil {
				return nil, bad("range end %q: %v", hi, err)
			}
			if p.start.After(p.end) {
				return nil, bad("range %q starts after it ends", raw)
			}
			p.interval = 1
			if s, ok := prop(key, "interval"); ok {
				n, err := strconv.Atoi(s)
				if err != nil || n <= 0 {
					return nil, bad("interval %q is not a positive integer", s)
				}
				p.interval = n
			}
			if s, ok := prop(key, "interval.unit"); ok {
				u, ok := normalizeUnit(s)
				if !ok {
					return nil, bad("interval.unit %q is not one of YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES, SECONDS, MILLISECONDS", s)
				}
				p.unit = u
			} else {
				switch layout.finest {
				case 'y':
					p.unit = "YEARS"
				case 'M':
					p.unit = "MONTHS"
				case 'd':
					p.unit = "DAYS"
				default:
					return nil, bad("format %q is finer than a day, so projection.%s.interval.unit is required", format, key)
				}
			}
		case ProjInjected:
		default:
			return nil, bad("unknown projection type %q (want enum, integer, date or injected)", typ)
		}
		out = append(out, p)
	}
	return out, nil
}

func propKey(t *catalog.Table, want string) string {
	for k := range t.Properties {
		if strings.EqualFold(k, want) {
			return k
		}
	}
	return want
}

func normalizeUnit(s string) (string, bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasSuffix(u, "S") {
		u += "S"
	}
	switch u {
	case "YEARS", "MONTHS", "WEEKS", "DAYS", "HOURS", "MINUTES", "SECONDS", "MILLISECONDS":
		return u, true
	}
	return "", false
}

// parseBound reads a date range bound: a date in the projection's format,
// or NOW with an optional offset such as NOW-3YEARS or NOW+1DAY. Relative
// bounds are truncated to the format's precision, so stepping from them
// lands on values a filter would produce.
func (p *Projection) parseBound(s string) (time.Time, error) {
	if len(s) >= 3 && strings.EqualFold(s[:3], "NOW") {
		t := projectionNow().UTC()
		rest := strings.TrimSpace(s[3:])
		if rest != "" {
			sign := 1
			switch rest[0] {
			case '+':
			case '-':
				sign = -1
			default:
				return time.Time{}, fmt.Errorf("want NOW, NOW+<n><UNIT> or NOW-<n><UNIT>")
			}
			rest = strings.TrimSpace(rest[1:])
			i := 0
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			n, err := strconv.Atoi(rest[:i])
			unit, ok := normalizeUnit(rest[i:])
			if err != nil || !ok {
				return time.Time{}, fmt.Errorf("want NOW, NOW+<n><UNIT> or NOW-<n><UNIT>")
			}
			t = addUnits(t, unit, sign*n)
		}
		return p.layout.parse(p.layout.format(t))
	}
	return p.layout.parse(s)
}

func addUnits(t time.Time, unit string, n int) time.Time {
	switch unit {
	case "YEARS":
		return t.AddDate(n, 0, 0)
	case "MONTHS":
		return t.AddDate(0, n, 0)
	case "WEEKS":
		return t.AddDate(0, 0, 7*n)
	case "DAYS":
		return t.AddDate(0, 0, n)
	case "HOURS":
		return t.Add(time.Duration(n) * time.Hour)
	case "MINUTES":
		return t.Add(time.Duration(n) * time.Minute)
	case "SECONDS":
		return t.Add(time.Duration(n) * time.Second)
	default: // MILLISECONDS
		return t.Add(time.Duration(n) * time.Millisecond)
	}
}

// enumerate lists every value of a key's projection.
func (p *Projection) enumerate() ([]string, error) {
	switch p.Type {
	case ProjEnum:
		return append([]string(nil), p.values...), nil
	case ProjInteger:
		n := (uint64(p.hi-p.lo))/uint64(p.step) + 1
		if n > MaxProjectedPartitions {
			return nil, fmt.Errorf("integer key %s projects %d values; add a filter on it", p.Key, n)
		}
		out := make([]string, 0, n)
		for v := p.lo; ; v += p.step {
			out = append(out, p.formatInt(v))
			if uint64(p.hi-v) < uint64(p.step) {
				break
			}
		}
		return out, nil
	case ProjDate:
		var out []string
		for i := 0; ; i++ {
			t := addUnits(p.start, p.unit, i*p.interval)
			if t.After(p.end) {
				return out, nil
			}
			if len(out) >= MaxProjectedPartitions {
				return nil, fmt.Errorf("date key %s projects more than %d values; add a filter on it", p.Key, MaxProjectedPartitions)
			}
			out = append(out, p.layout.format(t))
		}
	default: // injected
		return nil, fmt.Errorf("partition key %s is injected: a query must constrain it with = or IN", p.Key)
	}
}

func (p *Projection) formatInt(v int64) string {
	s := strconv.FormatInt(v, 10)
	if p.digits == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) < p.digits {
		s = strings.Repeat("0", p.digits-len(s)) + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// normalize maps query values to the projection's own spelling, keeping
// only those inside its domain, in the order given without duplicates.
func (p *Projection) normalize(eq []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, raw := range eq {
		switch p.Type {
		case ProjEnum:
			for _, v := range p.values {
				if v == raw {
					add(v)
					break
				}
			}
		case ProjInjected:
			add(raw)
		case ProjInteger:
			v, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
			if err != nil || v < p.lo || v > p.hi || (v-p.lo)%p.step != 0 {
				continue
			}
			add(p.formatInt(v))
		case ProjDate:
			t, err := p.layout.parse(raw)
			if err != nil || t.Before(p.start) || t.After(p.end) || !p.onStep(t) {
				continue
			}
			add(p.layout.format(t))
		}
	}
	return out, nil
}

// onStep reports whether t is start plus a whole number of intervals.
func (p *Projection) onStep(t time.Time) bool {
	var n float64
	switch p.unit {
	case "YEARS":
		n = float64(t.Year() - p.start.Year())
	case "MONTHS":
		n = float64((t.Year()-p.start.Year())*12 + int(t.Month()) - int(p.start.Month()))
	default:
		d := t.Sub(p.start)
		per := map[string]time.Duration{"WEEKS": 7 * 24 * time.Hour, "DAYS": 24 * time.Hour, "HOURS": time.Hour,
			"MINUTES": time.Minute, "SECONDS": time.Second, "MILLISECONDS": time.Millisecond}[p.unit]
		if d%per != 0 {
			return false
		}
		n = float64(d / per)
	}
	k := int(n) / p.interval
	if int(n)%p.interval != 0 {
		return false
	}
	return addUnits(p.start, p.unit, k*p.interval).Equal(t)
}

// dateLayout is a compiled Java DateTimeFormatter / SimpleDateFormat
// pattern restricted to the fields partition folders use.
type dateLayout struct {
	fields []dateField
	finest byte // coarsest-to-finest: y M d H m s S; 0 without date fields
}

type dateField struct {
	letter byte // 0 for a literal
	width  int
	lit    string
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

const fieldOrder = "yMdHmsS"

func parseDateLayout(f string) (*dateLayout, error) {
	l := &dateLayout{}
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == '\'':
			j := i + 1
			var lit strings.Builder
			for {
				if j >= len(f) {
					return nil, fmt.Errorf("unterminated quote at offset %d", i)
				}
				if f[j] == '\'' {
					if j+1 < len(f) && f[j+1] == '\'' {
						lit.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				lit.WriteByte(f[j])
				j++
			}
			if j == i+1 {
				lit.WriteByte('\'') // '' is a literal quote
			}
			l.fields = append(l.fields, dateField{lit: lit.String()})
			i = j + 1
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(f) && f[j] == c {
				j++
			}
			w := j - i
			letter := c
			if letter == 'u' {
				letter = 'y' // year-of-era and proleptic year agree after year 0
			}
			if strings.IndexByte(fieldOrder, letter) < 0 {
				return nil, fmt.Errorf("pattern letter %q is not supported (use y, M, d, H, m, s, S)", string(c))
			}
			if letter == 'M' && w > 4 {
				return nil, fmt.Errorf("pattern %q is not supported", f[i:j])
			}
			if strings.IndexByte(fieldOrder, letter) > strings.IndexByte(fieldOrder, l.finest) || l.finest == 0 {
				l.finest = letter
			}
			l.fields = append(l.fields, dateField{letter: letter, width: w})
			i = j
		default:
			l.fields = append(l.fields, dateField{lit: string(c)})
			i++
		}
	}
	if l.finest == 0 {
		return nil, fmt.Errorf("pattern has no date fields")
	}
	return l, nil
}

func pad(n, w int) string {
	s := strconv.Itoa(n)
	if len(s) < w {
		s = strings.Repeat("0", w-len(s)) + s
	}
	return s
}

func (l *dateLayout) format(t time.Time) string {
	var b strings.Builder
	for _, f := range l.fields {
		switch f.letter {
		case 0:
			b.WriteString(f.lit)
		case 'y':
			if f.width == 2 {
				b.WriteString(pad(t.Year()%100, 2))
			} else {
				b.WriteString(pad(t.Year(), f.width))
			}
		case 'M':
			switch f.width {
			case 3:
				b.WriteString(monthNames[t.Month()-1][:3])
			case 4:
				b.WriteString(monthNames[t.Month()-1])
			default:
				b.WriteString(pad(int(t.Month()), f.width))
			}
		case 'd':
			b.WriteString(pad(t.Day(), f.width))
		case 'H':
			b.WriteString(pad(t.Hour(), f.width))
		case 'm':
			b.WriteString(pad(t.Minute(), f.width))
		case 's':
			b.WriteString(pad(t.Second(), f.width))
		case 'S':
			// Fraction of a second, most significant digits first.
			frac := pad(t.Nanosecond(), 9)
			if f.width <= 9 {
				b.WriteString(frac[:f.width])
			} else {
				b.WriteString(frac + strings.Repeat("0", f.width-9))
			}
		}
	}
	return b.String()
}

// parse reads a value written in the layout, strictly: the whole string
// must match and fields must be in range. Times are UTC.
func (l *dateLayout) parse(s string) (time.Time, error) {
	year, month, day := 1970, 1, 1
	var hour, minute, sec, nsec int
	pos := 0
	for i, f := range l.fields {
		if f.letter == 0 {
			if !strings.HasPrefix(s[pos:], f.lit) {
				return time.Time{}, fmt.Errorf("%q does not match the date format at offset %d", s, pos)
			}
			pos += len(f.lit)
			continue
		}
		if f.letter == 'M' && f.width >= 3 {
			found := false
			for m, name := range monthNames {
				if f.width == 3 {
					name = name[:3]
				}
				if len(s)-pos >= len(name) && strings.EqualFold(s[pos:pos+len(name)], name) {
					month, pos, found = m+1, pos+len(name), true
					break
				}
			}
			if !found {
				return time.Time{}, fmt.Errorf("%q has no month name at offset %d", s, pos)
			}
			continue
		}
		// A field followed directly by another numeric field takes exactly
		// its width (yyyyMMdd); otherwise it takes every digit, as Java's
		// lenient single-letter fields do.
		maxw := f.width
		adjacent := i+1 < len(l.fields) && l.fields[i+1].letter != 0
		if !adjacent && (f.width == 1 || f.letter == 'y' && f.width != 2) {
			maxw = 10
		}
		j := pos
		for j < len(s) && j-pos < maxw && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == pos || j-pos < f.width {
			return time.Time{}, fmt.Errorf("%q: expected %d digits at offset %d", s, f.width, pos)
		}
		digits := s[pos:j]
		n, err := strconv.Atoi(digits)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: bad number at offset %d", s, pos)
		}
		pos = j
		switch f.letter {
		case 'y':
			if f.width == 2 {
				n += 2000
			}
			year = n
		case 'M':
			month = n
		case 'd':
			day = n
		case 'H':
			hour = n
		case 'm':
			minute = n
		case 's':
			sec = n
		case 'S':
			for len(digits) < 9 {
				digits += "0"
			}
			nsec, _ = strconv.Atoi(digits[:9])
		}
	}
	if pos != len(s) {
		return time.Time{}, fmt.Errorf("%q has extra text after the date at offset %d", s, pos)
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, fmt.Errorf("%q is not a valid date", s)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("%q is not a valid date", s)
	}
	return t, nil
}
