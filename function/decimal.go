package function

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// i128 is a two's-complement 128-bit integer with the memory layout of
// arrow's decimal128.Num, so Decimal128 buffers are read and written in
// place. Decimals are unscaled integers: 12.34 at scale 2 is 1234.
type i128 struct {
	lo uint64
	hi int64
}

func i128From(v int64) i128 { return i128{lo: uint64(v), hi: v >> 63} }

func (a i128) isNeg() bool  { return a.hi < 0 }
func (a i128) isZero() bool { return a.hi == 0 && a.lo == 0 }

// fitsInt64 reports whether a is representable as an int64.
func (a i128) fitsInt64() bool { return a.hi == int64(a.lo)>>63 }

func (a i128) negate() i128 {
	lo, borrow := bits.Sub64(0, a.lo, 0)
	hi := -a.hi - int64(borrow)
	return i128{lo: lo, hi: hi}
}

func (a i128) add(b i128) i128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	return i128{lo: lo, hi: a.hi + b.hi + int64(c)}
}

func (a i128) sub(b i128) i128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	return i128{lo: lo, hi: a.hi - b.hi - int64(c)}
}

func (a i128) cmp(b i128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// abs returns |a| as an unsigned 128-bit value (hi, lo).
func (a i128) abs() (uint64, uint64) {
	if a.isNeg() {
		n := a.negate()
		return uint64(n.hi), n.lo
	}
	return uint64(a.hi), a.lo
}

func fromAbs(neg bool, hi, lo uint64) i128 {
	v := i128{lo: lo, hi: int64(hi)}
	if neg {
		return v.negate()
	}
	return v
}

// mul returns a*b; ok is false when the product does not fit in 127 bits.
func (a i128) mul(b i128) (i128, bool) {
	ah, al := a.abs()
	bh, bl := b.abs()
	if ah != 0 && bh != 0 {
		return i128{}, false
	}
	hi, lo := bits.Mul64(al, bl)
	h1, l1 := bits.Mul64(ah, bl)
	h2, l2 := bits.Mul64(al, bh)
	if h1 != 0 || h2 != 0 {
		return i128{}, false
	}
	hi, c := bits.Add64(hi, l1, 0)
	if c != 0 {
		return i128{}, false
	}
	hi, c = bits.Add64(hi, l2, 0)
	if c != 0 || hi>>63 != 0 {
		return i128{}, false
	}
	return fromAbs(a.isNeg() != b.isNeg(), hi, lo), true
}

func (a i128) big() *big.Int {
	h, l := a.abs()
	b := new(big.Int).SetUint64(h)
	b.Lsh(b, 64)
	b.Or(b, new(big.Int).SetUint64(l))
	if a.isNeg() {
		b.Neg(b)
	}
	return b
}

// i128FromBig converts b; ok is false when it does not fit.
func i128FromBig(b *big.Int) (i128, bool) {
	if b.BitLen() > 127 {
		return i128{}, false
	}
	var m big.Int
	m.Abs(b)
	lo := new(big.Int).And(&m, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(&m, 64).Uint64()
	return fromAbs(b.Sign() < 0, hi, lo), true
}

// pow10 holds 10^0 … 10^38.
var pow10 = func() (t [39]i128) {
	t[0] = i128From(1)
	for i := 1; i < len(t); i++ {
		t[i], _ = t[i-1].mul(i128From(10))
	}
	return t
}()

var pow10i64 = func() (t [19]int64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// fitsPrecision reports whether a has at most p decimal digits.
func (a i128) fitsPrecision(p int) bool {
	if p >= 39 {
		return true
	}
	h, l := a.abs()
	m := pow10[p]
	return h < uint64(m.hi) || h == uint64(m.hi) && l < m.lo
}

// scaleUp multiplies by 10^k; ok is false on overflow.
func (a i128) scaleUp(k int) (i128, bool) {
	if k <= 0 {
		return a, true
	}
	if k > 38 {
		return i128{}, a.isZero()
	}
	return a.mul(pow10[k])
}

// divRound divides by d rounding half away from zero (Trino's HALF_UP);
// d must not be zero.
func (a i128) divRound(d i128) i128 {
	ah, al := a.abs()
	dh, dl := d.abs()
	neg := a.isNeg() != d.isNeg()
	if dh == 0 {
		qh := ah / dl
		r := ah % dl
		ql, r := bits.Div64(r, al, dl)
		// Round up when 2r >= d, without overflowing 2r.
		if r >= dl-r {
			var c uint64
			ql, c = bits.Add64(ql, 1, 0)
			qh += c
		}
		return fromAbs(neg, qh, ql)
	}
	q, r := new(big.Int).QuoRem(a.big(), d.big(), new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(new(big.Int).Abs(d.big())) >= 0 {
		if neg {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	v, _ := i128FromBig(q)
	return v
}

// rem returns a mod d with the sign of a (Java/Go semantics); d != 0.
func (a i128) rem(d i128) i128 {
	ah, al := a.abs()
	dh, dl := d.abs()
	if dh == 0 {
		r := ah % dl
		_, r = bits.Div64(r, al, dl)
		return fromAbs(a.isNeg(), 0, r)
	}
	r := new(big.Int).Rem(a.big(), d.big())
	v, _ := i128FromBig(r)
	return v
}

// scaleDown divides by 10^k rounding HALF_UP.
func (a i128) scaleDown(k int) i128 {
	if k <= 0 {
		return a
	}
	if k > 38 {
		return i128{}
	}
	return a.divRound(pow10[k])
}

// rescale converts an unscaled value from scale s1 to s2 (HALF_UP when
// reducing); ok is false on 128-bit overflow.
func (a i128) rescale(s1, s2 int) (i128, bool) {
	if s2 >= s1 {
		return a.scaleUp(s2 - s1)
	}
	return a.scaleDown(s1 - s2), true
}

// decimalString renders an unscaled value at its scale, Trino style: all
// scale digits, a leading zero before the point ("0.05", "-1.50").
func decimalString(a i128, scale int) string {
	var digits string
	if a.fitsInt64() {
		v := int64(a.lo)
		if v < 0 {
			digits = strconv.FormatUint(uint64(-v), 10)
		} else {
			digits = strconv.FormatInt(v, 10)
		}
	} else {
		digits = new(big.Int).Abs(a.big()).String()
	}
	var b strings.Builder
	if a.isNeg() {
		b.WriteByte('-')
	}
	if scale == 0 {
		b.WriteString(digits)
		return b.String()
	}
	if len(digits) <= scale {
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", scale-len(digits)))
		b.WriteString(digits)
		return b.String()
	}
	b.WriteString(digits[:len(digits)-scale])
	b.WriteByte('.')
	b.WriteString(digits[len(digits)-scale:])
	return b.String()
}

// parseDecimal reads a decimal literal (sign, digits, optional point and
// exponent) into an unscaled value at the given scale, rounding HALF_UP.
// ok is false for malformed text or values wider than 38 digits.
func parseDecimal(s string, scale int) (i128, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return i128{}, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	exp := 0
	if e := strings.IndexAny(s, "eE"); e >= 0 {
		x, err := strconv.Atoi(s[e+1:])
		if err != nil || x > 1000 || x < -1000 {
			return i128{}, false
		}
		exp = x
		s = s[:e]
	}
	intPart, frac := s, ""
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		intPart, frac = s[:dot], s[dot+1:]
	}
	if intPart == "" && frac == "" {
		return i128{}, false
	}
	digits := intPart + frac
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return i128{}, false
		}
	}
	digits = strings.TrimLeft(digits, "0")
	// value = digits * 10^(exp - len(frac)); shift to the target scale.
	shift := exp - len(frac) + scale
	var v i128
	if len(digits) <= 18 {
		u, _ := strconv.ParseInt("0"+digits, 10, 64)
		v = i128From(u)
	} else {
		b, ok := new(big.Int).SetString(digits, 10)
		if !ok {
			return i128{}, false
		}
		if shift < 0 {
			// Round in big arithmetic so long inputs still round exactly.
			d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil)
			q, r := new(big.Int).QuoRem(b, d, new(big.Int))
			if r.Lsh(r, 1).Cmp(d) >= 0 {
				q.Add(q, big.NewInt(1))
			}
			b, shift = q, 0
		}
		var fits bool
		if v, fits = i128FromBig(b); !fits {
			return i128{}, false
		}
	}
	if shift > 0 {
		var ok bool
		if v, ok = v.scaleUp(shift); !ok {
			return i128{}, false
		}
	} else if shift < 0 {
		v = v.scaleDown(-shift)
	}
	if !v.fitsPrecision(38) {
		return i128{}, false
	}
	if neg {
		v = v.negate()
	}
	return v, true
}

// decimalToFloat converts an unscaled value to the nearest double.
func decimalToFloat(a i128, scale int) float64 {
	if a.fitsInt64() {
		v := int64(a.lo)
		if v > -(1<<53) && v < 1<<53 && scale <= 22 {
			// Both operands are exact, so one IEEE division rounds correctly.
			return float64(v) / math.Pow10(scale)
		}
	}
	f, _ := strconv.ParseFloat(decimalString(a, scale), 64)
	return f
}

// decimalValues returns the unscaled values of a decimal array as i128,
// converting short decimals (a copy) and aliasing long ones.
func decimalValues(a arrow.Array) []i128 {
	if a.DataType().ID() == arrow.DECIMAL128 {
		return dec128s(a)
	}
	if a.DataType().ID() == arrow.NULL {
		return make([]i128, a.Len())
	}
	src := values[int64](a)
	out := make([]i128, len(src))
	for i, v := range src {
		out[i] = i128From(v)
	}
	return out
}

// decimalResult builds a decimal array of type t from unscaled values.
// Values of NULL rows are ignored.
func decimalResult(ctx *Context, t types.Type, vals []i128, valid *memory.Buffer, nulls int) arrow.Array {
	n := len(vals)
	if t.IsShortDecimal() {
		buf, out := allocFixed[int64](ctx.Alloc, n)
		for i, v := range vals {
			out[i] = int64(v.lo)
		}
		return finish(t.Arrow(), n, valid, nulls, buf)
	}
	buf, out := allocI128(ctx.Alloc, n)
	copy(out, vals)
	return finish(t.Arrow(), n, valid, nulls, buf)
}

func decimalOverflow(t types.Type) error {
	return fmt.Errorf("Decimal overflow: result does not fit in %s", t)
}
