package function

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// TestISOUTCFastPath checks from_iso8601_timestamp's fast path against the
// general parser: same instant for every string it takes, and it declines
// what it cannot read exactly.
func TestISOUTCFastPath(t *testing.T) {
	cases := []string{"2025-01-07T19:00:00Z", "2024-02-29T23:59:59Z", "2000-02-29T00:00:00.123Z", "1970-01-01T00:00:00Z",
		"1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1900-03-01T12:00:00Z"}
	r := rand.New(rand.NewSource(1))
	for range 100000 {
		ts := time.Unix(r.Int63n(400*365*86400)-200*365*86400, 0).UTC()
		if r.Intn(2) == 0 {
			cases = append(cases, ts.Format("2006-01-02T15:04:05Z"))
		} else {
			cases = append(cases, fmt.Sprintf("%s.%03dZ", ts.Format("2006-01-02T15:04:05"), r.Intn(1000)))
		}
	}
	for _, s := range cases {
		got, ok := isoUTCMicros(s)
		if !ok {
			t.Fatalf("%q: declined", s)
		}
		want, err := dtParseISO8601(s, time.UTC, true)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if w := want.Truncate(time.Millisecond).UnixMicro(); got != w {
			t.Fatalf("%q: %d, want %d", s, got, w)
		}
	}
	for _, s := range []string{"2023-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-32T00:00:00Z", "2025-01-01T24:00:00Z",
		"2025-01-01T00:60:00Z", "2025-01-01T00:00:60Z", "2025-01-01 00:00:00Z", "2025-01-01T00:00:00+01:00", "2025-01-01T00:00:00",
		"0000-01-01T00:00:00Z", "2025-01-01T00:00:00.12xZ", "x025-01-01T00:00:00Z", "2025-04-31T00:00:00Z"} {
		if _, ok := isoUTCMicros(s); ok {
			t.Errorf("%q: taken by the fast path", s)
		}
	}
}
