package types

import (
	"fmt"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones on machines without a zoneinfo database: every binary that links types
)

// The zone of a timestamp with time zone is a static attribute of its type
// (Type.Zone), not of each value: every value of an expression shares one
// zone, known when the query is bound. Values are UTC instants; the zone
// only decides how local fields are read and how values are rendered. ""
// is the session zone.

// zoneCache maps a zone name as written to its location.
var zoneCache sync.Map // string → *time.Location

// LoadZone resolves a Trino zone name: an IANA region id, UTC (and its
// aliases Z, GMT, UT, Zulu, UCT, Etc/UTC), or a fixed offset ±hh, ±hhmm,
// ±hh:mm. A zero offset is UTC, as Trino normalises it. The location's
// String() is the zone's canonical name (ZoneName). Unknown names fail with
// Trino's message.
func LoadZone(name string) (*time.Location, error) {
	if l, ok := zoneCache.Load(name); ok {
		return l.(*time.Location), nil
	}
	loc, err := loadZoneUncached(name)
	if err != nil {
		return nil, err
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

func loadZoneUncached(name string) (*time.Location, error) {
	s := strings.TrimSpace(name)
	unsupported := fmt.Errorf("Time zone not supported: %s", name)
	switch strings.ToUpper(s) {
	case "UTC", "Z", "GMT", "UT", "ZULU", "UCT", "ETC/UTC", "ETC/GMT", "ETC/UCT", "ETC/ZULU", "ETC/UT", "GMT0", "ETC/GMT0":
		return time.UTC, nil
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		off, ok := ParseZoneOffset(s)
		if !ok {
			return nil, unsupported
		}
		if off == 0 {
			return time.UTC, nil
		}
		return time.FixedZone(FormatZoneOffset(off), off), nil
	}
	// Go's zone loader accepts file paths; Trino accepts only zone ids.
	if s == "" || strings.Contains(s, "..") || strings.HasPrefix(s, "/") || strings.EqualFold(s, "local") {
		return nil, unsupported
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		// Trino matches zone ids regardless of case and prints them
		// canonically; Go's loader is exact, so try the usual spellings.
		for _, alt := range []string{titleZone(s), strings.ToUpper(s)} {
			if alt != s {
				if loc, err = time.LoadLocation(alt); err == nil {
					return loc, nil
				}
			}
		}
		return nil, unsupported
	}
	return loc, nil
}

// titleZone capitalises each word of a region id: america/new_york →
// America/New_York.
func titleZone(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

// ParseZoneOffset parses ±h, ±hh, ±hhmm or ±hh:mm into seconds east of UTC
// (at most 14 hours, as Trino allows).
func ParseZoneOffset(s string) (int, bool) {
	if len(s) < 2 || s[0] != '+' && s[0] != '-' {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var h, m int
	switch {
	case len(s) <= 2:
		h = atoiDigits(s)
	case len(s) == 5 && s[2] == ':':
		h, m = atoiDigits(s[:2]), atoiDigits(s[3:])
	case len(s) == 4:
		h, m = atoiDigits(s[:2]), atoiDigits(s[2:])
	default:
		return 0, false
	}
	if h < 0 || m < 0 || h > 14 || m > 59 || h == 14 && m > 0 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// FormatZoneOffset renders seconds east of UTC as ±hh:mm, Trino's name of a
// fixed-offset zone.
func FormatZoneOffset(off int) string {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
}

func atoiDigits(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ZoneName is the name Trino prints for a zone: UTC, a region id, or ±hh:mm.
func ZoneName(loc *time.Location) string {
	if loc == nil || loc == time.UTC {
		return "UTC"
	}
	return loc.String()
}

// TimestampTZOf returns timestamp(p) with time zone in the named zone ("" is
// the session zone). The name must be canonical (ZoneName of LoadZone).
func TimestampTZOf(p int, zone string) Type {
	return Type{Kind: TimestampTZ, Precision: p, Zone: zone}
}

// Location returns the zone t's values are read and rendered in: its own
// zone, or session (UTC when nil) for the session zone. A zone name that no
// longer resolves (it was checked when bound) falls back to session.
func (t Type) Location(session *time.Location) *time.Location {
	if t.Zone != "" {
		if loc, err := LoadZone(t.Zone); err == nil {
			return loc
		}
	}
	if session == nil {
		return time.UTC
	}
	return session
}
