package function

// Exact sums of integers and decimals that may pass 64 or 128 bits: the
// running sum wraps and a counter keeps the wraps, so the hot loop stays on
// machine words. SUM/AVG aggregates and the executor's sliding window sums
// share these.

import (
	"math/big"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// WideAdd64 adds x into the wrapping sum s, counting 2^64 wraps in ovf:
// the true sum is s + ovf·2^64.
func WideAdd64(s *int64, ovf *int64, x int64) {
	r := *s + x
	if (*s^r)&(x^r) < 0 {
		if x > 0 {
			*ovf++
		} else {
			*ovf--
		}
	}
	*s = r
}

// WideAdd128 adds x into s, counting 2^128 wraps in ovf.
func WideAdd128(s *decimal128.Num, ovf *int64, x decimal128.Num) {
	r := s.Add(x)
	sn, xn, rn := s.HighBits() < 0, x.HighBits() < 0, r.HighBits() < 0
	if sn == xn && rn != sn {
		if xn {
			*ovf--
		} else {
			*ovf++
		}
	}
	*s = r
}

// Wide64Big returns ovf·2^64 + s exactly.
func Wide64Big(s, ovf int64) *big.Int {
	r := new(big.Int).Lsh(big.NewInt(ovf), 64)
	return r.Add(r, big.NewInt(s))
}

// Wide128Big returns ovf·2^128 + n exactly.
func Wide128Big(n decimal128.Num, ovf int64) *big.Int {
	r := new(big.Int).Lsh(big.NewInt(ovf), 128)
	return r.Add(r, n.BigInt())
}

// DivHalfUp divides rounding half away from zero (Java's HALF_UP).
func DivHalfUp(num *big.Int, den int64) *big.Int {
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(num, d, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(d) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// AvgHalfUp is s/c rounded half away from zero, for c > 0.
func AvgHalfUp(s, c int64) int64 {
	q, r := s/c, s%c
	if r < 0 {
		r = -r
	}
	if r >= c-r {
		if s < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}
