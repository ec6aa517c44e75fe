package function

import (
	"math"
	"math/rand"
	"strconv"
	"testing"
)

// TestPlainDecimalMatchesParseFloat checks the lenient cast's fast path
// bit for bit against strconv.ParseFloat on edge cases and random decimals.
func TestPlainDecimalMatchesParseFloat(t *testing.T) {
	cases := []string{"0", "-0", "0.0", "-0.0", "1", "1.", ".5", "+5", "-12.5", "0.0000001234", "123456789012345", "1234567890123456",
		"0.1", "0.3", "2.675", "9007199254740993", "0.000000000000000000001", "0.0000000000000000000000001", "00000000000000000001.5",
		"1e5", "", ".", "-", "1.2.3", "12a", " 1", "1 ", "0.12345678901234567890123"}
	r := rand.New(rand.NewSource(1))
	for range 200000 {
		digits := r.Intn(16) + 1
		s := strconv.FormatUint(r.Uint64()%uint64(math.Pow10(digits)), 10)
		if p := r.Intn(len(s) + 1); p < len(s) {
			s = s[:p] + "." + s[p:]
		}
		if r.Intn(2) == 0 {
			s = "-" + s
		}
		cases = append(cases, s)
	}
	for _, s := range []string{"0", "-0.0", "1.", ".5", "+5", "-12.5", "0.0000001234", "123456789012345", "00000000000000000001.5"} {
		if _, ok := parsePlainDecimal(s); !ok {
			t.Errorf("%q: not taken by the fast path", s)
		}
	}
	for _, s := range []string{"", ".", "-", "1e5", "1.2.3", " 1", "1234567890123456", "0.0000000000000000000000001"} {
		if _, ok := parsePlainDecimal(s); ok {
			t.Errorf("%q: taken by the fast path", s)
		}
	}
	for _, s := range cases {
		got, ok := parsePlainDecimal(s)
		if !ok {
			continue
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q: fast path accepted what ParseFloat rejects: %v", s, err)
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: %v (%x), want %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
}
