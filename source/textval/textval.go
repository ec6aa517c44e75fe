package textval

import (
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

func TrimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// ParseInt reads an optionally signed decimal integer within [lo, hi].
// lenient accepts and truncates a fractional part of digits ("12.0" is
// 12), as Hive's lazy integer parsing does.
func ParseInt(b []byte, lo, hi int64, lenient bool) (int64, bool) {
	b = TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	limit := uint64(hi)
	if neg {
		limit = uint64(-(lo + 1)) + 1
	}
	var n uint64
	i := 0
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		if n > (limit-uint64(c))/10 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	if i == 0 {
		return 0, false
	}
	if i < len(b) {
		if !lenient || b[i] != '.' {
			return 0, false
		}
		for _, c := range b[i+1:] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
	}
	if neg {
		return -int64(n-1) - 1, true
	}
	return int64(n), true
}

func ParseFloat(b []byte, bitSize int) (float64, bool) {
	b = TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	// ParseFloat copies its argument into any error it returns, so the
	// string may alias the buffer.
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), bitSize)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			// Out of range rounds to ±Inf or 0, as Java's parseDouble does.
			return f, true
		}
		return 0, false
	}
	return f, true
}

func ParseBool(b []byte) (bool, bool) {
	b = TrimSpace(b)
	switch len(b) {
	case 4:
		if b[0]|0x20 == 't' && b[1]|0x20 == 'r' && b[2]|0x20 == 'u' && b[3]|0x20 == 'e' {
			return true, true
		}
	case 5:
		if b[0]|0x20 == 'f' && b[1]|0x20 == 'a' && b[2]|0x20 == 'l' && b[3]|0x20 == 's' && b[4]|0x20 == 'e' {
			return false, true
		}
	}
	return false, false
}

type DecStatus uint8

const (
	DecOK DecStatus = iota
	DecInvalid
	DecOverflow
)

// U128 is an unsigned 128-bit magnitude.
type U128 struct{ Hi, Lo uint64 }

// mulAdd returns x*10+d, or false past 2^127.
func (x U128) mulAdd(d uint64) (U128, bool) {
	h1, l := bits.Mul64(x.Lo, 10)
	h2, hh := bits.Mul64(x.Hi, 10)
	if h2 != 0 {
		return x, false
	}
	hi, c := bits.Add64(hh, h1, 0)
	if c != 0 {
		return x, false
	}
	lo, c := bits.Add64(l, d, 0)
	hi, c2 := bits.Add64(hi, c, 0)
	if c2 != 0 || hi>>63 != 0 {
		return x, false
	}
	return U128{hi, lo}, true
}

func (x U128) less(y U128) bool { return x.Hi < y.Hi || x.Hi == y.Hi && x.Lo < y.Lo }

var pow10x128 [39]U128

func init() {
	p := U128{0, 1}
	for i := range pow10x128 {
		pow10x128[i] = p
		p, _ = p.mulAdd(0)
	}
}

// ParseDecimal reads a decimal number (optionally signed, with a fraction
// and an exponent) as an unscaled magnitude at the given scale, rounding
// half up (away from zero) on the first dropped digit, as Trino's cast
// does, and checks it fits the precision.
func ParseDecimal(b []byte, prec, scale int) (neg bool, mag U128, st DecStatus) {
	b = TrimSpace(b)
	if len(b) == 0 {
		return false, mag, DecInvalid
	}
	i := 0
	switch b[0] {
	case '-':
		neg = true
		i++
	case '+':
		i++
	}
	intStart := i
	for i < len(b) && b[i]-'0' <= 9 {
		i++
	}
	intEnd := i
	fracStart, fracEnd := i, i
	if i < len(b) && b[i] == '.' {
		i++
		fracStart = i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		fracEnd = i
	}
	if intEnd == intStart && fracEnd == fracStart {
		return false, mag, DecInvalid
	}
	exp := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return false, mag, DecInvalid
		}
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				return false, mag, DecInvalid
			}
			if exp < 100000 {
				exp = exp*10 + int(c)
			}
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(b) {
		return false, mag, DecInvalid
	}
	// Digits d[0..n) are the integer then fraction digits; the value is
	// d × 10^(exp - fracLen) and the unscaled result d × 10^shift.
	nInt, nFrac := intEnd-intStart, fracEnd-fracStart
	n := nInt + nFrac
	digit := func(k int) byte {
		if k < nInt {
			return b[intStart+k]
		}
		return b[fracStart+k-nInt]
	}
	shift := scale + exp - nFrac
	keep := n
	if shift < 0 {
		keep = n + shift
	}
	var ok bool
	for k := 0; k < keep; k++ {
		if mag, ok = mag.mulAdd(uint64(digit(k) - '0')); !ok {
			return neg, mag, DecOverflow
		}
	}
	if shift > 0 {
		if mag.Hi != 0 || mag.Lo != 0 {
			for ; shift > 0; shift-- {
				if mag, ok = mag.mulAdd(0); !ok {
					return neg, mag, DecOverflow
				}
			}
		}
	} else if keep >= 0 && keep < n && digit(keep) >= '5' {
		if mag.Lo++; mag.Lo == 0 {
			mag.Hi++
		}
	}
	if prec < len(pow10x128) && !mag.less(pow10x128[prec]) {
		return neg, mag, DecOverflow
	}
	if mag.Hi == 0 && mag.Lo == 0 {
		neg = false
	}
	return neg, mag, DecOK
}

var pow10u64 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
	1e15, 1e16, 1e17, 1e18}

// ParseDecimal64Fast handles the common spelling of a short decimal, an
// optional minus and at most 18 digits with no more fractional digits
// than the scale, in one pass; ok is false for anything else, which
// ParseDecimal then takes.
func ParseDecimal64Fast(b []byte, prec, scale int) (int64, bool) {
	i := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		i = 1
	}
	var v uint64
	nd, frac := 0, -1
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c <= 9 {
			v = v*10 + uint64(c)
			nd++
			if frac >= 0 {
				frac++
			}
			continue
		}
		if b[i] != '.' || frac >= 0 {
			return 0, false
		}
		frac = 0
	}
	if nd == 0 || nd > 18 || frac > scale || prec > 18 {
		return 0, false
	}
	frac = max(frac, 0)
	k := scale - frac
	if v >= pow10u64[prec]/pow10u64[k] {
		return 0, false // possibly out of range: let ParseDecimal say so
	}
	v *= pow10u64[k]
	if neg {
		return -int64(v), true
	}
	return int64(v), true
}

// daysFromCivil converts a proleptic Gregorian date to days since
// 1970-01-01 (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func daysIn(y, m int64) int64 {
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

// digits reads between lo and hi ASCII digits at b[i:].
func digits(b []byte, i, lo, hi int) (v int64, next int, ok bool) {
	j := i
	for j < len(b) && j-i < hi && b[j]-'0' <= 9 {
		v = v*10 + int64(b[j]-'0')
		j++
	}
	return v, j, j-i >= lo
}

// parseDatePart reads YYYY-M[M]-D[D] at the start of b.
func parseDatePart(b []byte) (days int64, next int, ok bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i++
	}
	y, i, ok := digits(b, i, 1, 6)
	if !ok || i >= len(b) || b[i] != '-' {
		return 0, 0, false
	}
	if neg {
		y = -y
	}
	m, i, ok := digits(b, i+1, 1, 2)
	if !ok || i >= len(b) || b[i] != '-' || m < 1 || m > 12 {
		return 0, 0, false
	}
	d, i, ok := digits(b, i+1, 1, 2)
	if !ok || d < 1 || d > daysIn(y, m) {
		return 0, 0, false
	}
	return daysFromCivil(y, m, d), i, true
}

func ParseDate(b []byte) (int32, bool) {
	b = TrimSpace(b)
	d, n, ok := parseDatePart(b)
	if !ok || n != len(b) || d < math.MinInt32 || d > math.MaxInt32 {
		return 0, false
	}
	return int32(d), true
}

var pow10i64 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1000000}

// ParseTimestamp reads a Hive (space) or ISO 8601 (T) timestamp into
// microseconds since the epoch, rounded half up to prec fractional digits
// (prec > 6 keeps microseconds). A zone suffix (Z, ±hh, ±hhmm, ±hh:mm, or
// " UTC") converts the instant to UTC; without one the value is taken as
// written. A bare date is midnight.
func ParseTimestamp(b []byte, prec int) (int64, bool) {
	b = TrimSpace(b)
	days, i, ok := parseDatePart(b)
	if !ok {
		return 0, false
	}
	var h, mi, s, frac int64
	if i < len(b) && (b[i] == ' ' || b[i] == 'T' || b[i] == 't') && i+1 < len(b) && b[i+1]-'0' <= 9 {
		if h, i, ok = digits(b, i+1, 1, 2); !ok || h > 23 || i >= len(b) || b[i] != ':' {
			return 0, false
		}
		if mi, i, ok = digits(b, i+1, 2, 2); !ok || mi > 59 {
			return 0, false
		}
		if i < len(b) && b[i] == ':' {
			if s, i, ok = digits(b, i+1, 2, 2); !ok || s > 59 {
				return 0, false
			}
			if i < len(b) && b[i] == '.' {
				i++
				p := min(prec, 6)
				start := i
				for i < len(b) && b[i]-'0' <= 9 {
					if n := i - start; n < p {
						frac = frac*10 + int64(b[i]-'0')
					} else if n == p && b[i] >= '5' {
						frac++ // half up; carries into seconds below
					}
					i++
				}
				if n := i - start; n == 0 || n > 12 {
					return 0, false
				} else if n < p {
					frac *= pow10i64[p-n]
				}
				frac *= pow10i64[6-p]
			}
		}
	}
	var off int64
	if i < len(b) {
		rest := b[i:]
		switch {
		case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
		case len(rest) == 4 && rest[0] == ' ' && (string(rest[1:]) == "UTC" || string(rest[1:]) == "utc"):
		case rest[0] == '+' || rest[0] == '-':
			oh, j, ok := digits(rest, 1, 2, 2)
			if !ok || oh > 18 {
				return 0, false
			}
			var om int64
			if j < len(rest) && rest[j] == ':' {
				j++
			}
			if j < len(rest) {
				if om, j, ok = digits(rest, j, 2, 2); !ok || om > 59 {
					return 0, false
				}
			}
			if j != len(rest) {
				return 0, false
			}
			off = (oh*60 + om) * 60
			if rest[0] == '-' {
				off = -off
			}
		default:
			return 0, false
		}
	}
	secs := days*86400 + h*3600 + mi*60 + s - off
	if secs > math.MaxInt64/1_000_000-1 || secs < math.MinInt64/1_000_000+1 {
		return 0, false
	}
	return secs*1e6 + frac, true
}

// AppendValidUTF8 appends b to dst with each invalid sequence replaced by
// U+FFFD.
func AppendValidUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			dst = append(dst, b[0])
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
}

// TruncRunes cuts b to at most n characters.
func TruncRunes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	i := 0
	for k := 0; k < n && i < len(b); k++ {
		if b[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(b[i:])
			i += size
		}
	}
	return b[:i]
}
