package plan

import "testing"

func TestLiteralPrecisionAndZone(t *testing.T) {
	for _, c := range []struct {
		lit  string
		prec int
		zone string // literalZone: "" is none (the session zone)
		text string // literalZoneText
	}{
		{"2020-01-02", 0, "", ""},
		{"2020-01-02 03:04", 0, "", ""},
		{"2020-01-02 03:04:05", 0, "", ""},
		{"2020-01-02 03:04:05.1", 1, "", ""},
		{"2020-01-02 03:04:05.123", 3, "", ""},
		{"2020-01-02 03:04:05.123456", 6, "", ""},
		{"2020-01-02 03:04:05.123456789", 6, "", ""},
		{"2020-01-02T03:04:05.12", 2, "", ""},
		{"2020-01-02 03:04:05 UTC", 0, "UTC", "UTC"},
		{"2020-01-02 03:04:05Z", 0, "UTC", "Z"},
		{"2020-01-02 03:04:05.123 +02:00", 3, "+02:00", "+02:00"},
		{"2020-01-02 03:04:05-0530", 0, "-05:30", "-0530"},
		{"2020-01-02 03:04:05 +00:00", 0, "UTC", "+00:00"},
		{"2020-01-02 03:04:05 America/New_York", 0, "America/New_York", "America/New_York"},
		{"2020-01-02 03:04:05 Foo/Bar", 0, "", "Foo/Bar"},
		{"2020-01-02 UTC", 0, "UTC", "UTC"},
		{"not a timestamp", 3, "", ""},
	} {
		if got := literalPrecision(timestampLiteralFraction, c.lit); got != c.prec {
			t.Errorf("literalPrecision(%q) = %d, want %d", c.lit, got, c.prec)
		}
		if got := literalZone(c.lit); got != c.zone {
			t.Errorf("literalZone(%q) = %q, want %q", c.lit, got, c.zone)
		}
		if got := literalZoneText(c.lit); got != c.text {
			t.Errorf("literalZoneText(%q) = %q, want %q", c.lit, got, c.text)
		}
	}
	for _, c := range []struct {
		lit  string
		prec int
	}{
		{"01:02", 0}, {"01:02:03", 0}, {"01:02:03.12", 2}, {"01:02:03.123456", 6}, {"01:02:03.1234567", 6},
	} {
		if got := literalPrecision(timeLiteralFraction, c.lit); got != c.prec {
			t.Errorf("literalPrecision(time %q) = %d, want %d", c.lit, got, c.prec)
		}
	}
}
