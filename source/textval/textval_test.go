package textval

import (
	"math"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		in       string
		prec, sc int
		neg      bool
		hi, lo   uint64
		st       DecStatus
	}{
		{"0", 5, 2, false, 0, 0, DecOK},
		{"1", 5, 2, false, 0, 100, DecOK},
		{"-1.5", 5, 2, true, 0, 150, DecOK},
		{"+.5", 5, 2, false, 0, 50, DecOK},
		{"7.", 5, 2, false, 0, 700, DecOK},
		{"1.005", 5, 2, false, 0, 101, DecOK},    // half up
		{"1.004999", 5, 2, false, 0, 100, DecOK}, // below half
		{"-1.005", 5, 2, true, 0, 101, DecOK},    // half away from zero
		{"-0.001", 5, 2, false, 0, 0, DecOK},     // rounds to zero: no negative zero
		{"1.2E-5", 10, 8, false, 0, 1200, DecOK},
		{"1.2e3", 10, 2, false, 0, 120000, DecOK},
		{"5e-3", 5, 2, false, 0, 1, DecOK},
		{"4e-3", 5, 2, false, 0, 0, DecOK},
		{"1e-100000", 5, 2, false, 0, 0, DecOK},
		{" 12.50 ", 5, 2, false, 0, 1250, DecOK},
		{"999.99", 5, 2, false, 0, 99999, DecOK},
		{"999.995", 5, 2, false, 0, 0, DecOverflow},
		{"1000", 5, 2, false, 0, 0, DecOverflow},
		{"1e100000", 5, 2, false, 0, 0, DecOverflow},
		{"999999999999999999", 18, 0, false, 0, 999999999999999999, DecOK},
		{"99999999999999999999999999999999999999", 38, 0, false, 0x4b3b4ca85a86c47a, 0x098a223fffffffff, DecOK},
		{"100000000000000000000000000000000000000", 38, 0, false, 0, 0, DecOverflow},
		{"12345678901234567890.12", 22, 2, false, 0x42, 0xed123b0bd8203a14, DecOK},
		{"", 5, 2, false, 0, 0, DecInvalid},
		{".", 5, 2, false, 0, 0, DecInvalid},
		{"-", 5, 2, false, 0, 0, DecInvalid},
		{"1e", 5, 2, false, 0, 0, DecInvalid},
		{"1,5", 5, 2, false, 0, 0, DecInvalid},
		{"NaN", 5, 2, false, 0, 0, DecInvalid},
		{"1.2.3", 5, 2, false, 0, 0, DecInvalid},
	}
	for _, c := range cases {
		neg, mag, st := ParseDecimal([]byte(c.in), c.prec, c.sc)
		if st != c.st || (st == DecOK && (neg != c.neg || mag.Hi != c.hi || mag.Lo != c.lo)) {
			t.Errorf("ParseDecimal(%q, %d, %d) = %v %x:%x %v; want %v %x:%x %v", c.in, c.prec, c.sc,
				neg, mag.Hi, mag.Lo, st, c.neg, c.hi, c.lo, c.st)
		}
	}
}

// TestParseDecimal64Fast checks that the fast path agrees with the
// general parser wherever it accepts a value.
func TestParseDecimal64Fast(t *testing.T) {
	for _, in := range []string{"0", "1", "-1.5", "12.34", "999.99", "1000", "-999.99", "0.005", ".5", "5.",
		"999999999999999999", "99999999999999999.9", "1.2e3", "+1", " 1", "", "-", ".", "1.2.3", "-0.00"} {
		for _, ps := range [][2]int{{5, 2}, {18, 0}, {18, 2}, {15, 2}, {1, 0}} {
			v, ok := ParseDecimal64Fast([]byte(in), ps[0], ps[1])
			neg, mag, st := ParseDecimal([]byte(in), ps[0], ps[1])
			want := int64(mag.Lo)
			if neg {
				want = -want
			}
			if ok && (st != DecOK || v != want) {
				t.Errorf("fast(%q, %v) = %d; general %d %v", in, ps, v, want, st)
			}
		}
	}
}

func TestParseInt(t *testing.T) {
	cases := []struct {
		in      string
		lo, hi  int64
		lenient bool
		want    int64
		ok      bool
	}{
		{"0", math.MinInt64, math.MaxInt64, false, 0, true},
		{"-9223372036854775808", math.MinInt64, math.MaxInt64, false, math.MinInt64, true},
		{"9223372036854775807", math.MinInt64, math.MaxInt64, false, math.MaxInt64, true},
		{"9223372036854775808", math.MinInt64, math.MaxInt64, false, 0, false},
		{"-9223372036854775809", math.MinInt64, math.MaxInt64, false, 0, false},
		{"127", math.MinInt8, math.MaxInt8, false, 127, true},
		{"-128", math.MinInt8, math.MaxInt8, false, -128, true},
		{"128", math.MinInt8, math.MaxInt8, false, 0, false},
		{"+5", math.MinInt8, math.MaxInt8, false, 5, true},
		{" 5 ", math.MinInt8, math.MaxInt8, false, 5, true},
		{"5.0", math.MinInt8, math.MaxInt8, false, 0, false},
		{"5.9", math.MinInt8, math.MaxInt8, true, 5, true},
		{"5.x", math.MinInt8, math.MaxInt8, true, 0, false},
		{"", math.MinInt8, math.MaxInt8, false, 0, false},
		{"-", math.MinInt8, math.MaxInt8, false, 0, false},
		{"1e3", math.MinInt32, math.MaxInt32, false, 0, false},
	}
	for _, c := range cases {
		got, ok := ParseInt([]byte(c.in), c.lo, c.hi, c.lenient)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseInt(%q) = %d %v; want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseFloat(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true}, {"-2e-3", -0.002, true}, {"NaN", math.NaN(), true},
		{"Infinity", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true}, {"1e400", math.Inf(1), true},
		{"12,5", 0, false}, {"abc", 0, false}, {"", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseFloat([]byte(c.in), 64)
		if ok != c.ok || ok && !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("ParseFloat(%q) = %v %v; want %v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	dates := []struct {
		in   string
		want int32
		ok   bool
	}{
		{"1970-01-01", 0, true}, {"1969-12-31", -1, true}, {"2000-02-29", 11016, true}, {"2024-1-5", 19727, true},
		{"1900-02-29", 0, false}, {"2023-02-29", 0, false}, {"2024-00-01", 0, false}, {"2024-04-31", 0, false},
		{"2024/01/01", 0, false}, {"2024-01-01x", 0, false}, {"", 0, false},
	}
	for _, c := range dates {
		got, ok := ParseDate([]byte(c.in))
		if ok != c.ok || got != c.want {
			t.Errorf("ParseDate(%q) = %d %v; want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
	const day = 86400 * 1_000_000
	ts := []struct {
		in   string
		prec int
		want int64
		ok   bool
	}{
		{"1970-01-01 00:00:00", 3, 0, true},
		{"1970-01-02", 3, day, true},
		{"1970-01-01 00:00:01.5", 3, 1_500_000, true},
		{"1970-01-01 00:00:01.123456789", 6, 1_123_457, true},
		{"1970-01-01 00:00:01.1235", 3, 1_124_000, true},
		{"1970-01-01 00:00:01.9999", 3, 2_000_000, true},
		{"1970-01-01 00:00:01.6", 0, 2_000_000, true},
		{"1970-01-01T01:00:00Z", 3, 3600_000_000, true},
		{"1970-01-01T01:00:00+01:00", 3, 0, true},
		{"1970-01-01T01:00:00-0130", 3, 9000_000_000, true},
		{"1970-01-01T00:00", 3, 0, true},
		{"1969-12-31 23:59:59", 3, -1_000_000, true},
		{"1970-01-01 24:00:00", 3, 0, false},
		{"1970-01-01 10:61:00", 3, 0, false},
		{"1970-01-01 10:00:00.", 3, 0, false},
		{"1970-01-01 10:00:00 PST", 3, 0, false},
		{"1970-01-01T10:00:00+25:00", 3, 0, false},
		{"noon", 3, 0, false},
	}
	for _, c := range ts {
		got, ok := ParseTimestamp([]byte(c.in), c.prec)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseTimestamp(%q, %d) = %d %v; want %d %v", c.in, c.prec, got, ok, c.want, c.ok)
		}
	}
}
