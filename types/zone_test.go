package types

import (
	"strings"
	"testing"
	"time"
)

func TestLoadZone(t *testing.T) {
	for _, c := range []struct {
		in, name, err string
	}{
		{"America/New_York", "America/New_York", ""},
		{"Europe/Paris", "Europe/Paris", ""},
		{"europe/paris", "Europe/Paris", ""},
		{"AMERICA/NEW_YORK", "America/New_York", ""},
		{"est5edt", "EST5EDT", ""},
		{"UTC", "UTC", ""},
		{"Z", "UTC", ""},
		{"Etc/UTC", "UTC", ""},
		{"+02:00", "+02:00", ""},
		{"-0530", "-05:30", ""},
		{"+7", "+07:00", ""},
		{"+00:00", "UTC", ""},
		{"+14:00", "+14:00", ""},
		{"+14:30", "", "Time zone not supported: +14:30"},
		{"+15:00", "", "Time zone not supported: +15:00"},
		{"Foo/Bar", "", "Time zone not supported: Foo/Bar"},
		{"", "", "Time zone not supported: "},
		{"../etc/passwd", "", "Time zone not supported"},
		{"/etc/localtime", "", "Time zone not supported"},
		{"Local", "", "Time zone not supported"},
	} {
		loc, err := LoadZone(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("LoadZone(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("LoadZone(%q): %v", c.in, err)
			continue
		}
		if got := ZoneName(loc); got != c.name {
			t.Errorf("ZoneName(LoadZone(%q)) = %q, want %q", c.in, got, c.name)
		}
		// The canonical name loads the same zone again.
		if again, err := LoadZone(ZoneName(loc)); err != nil || ZoneName(again) != c.name {
			t.Errorf("LoadZone(%q) = %v, %v", ZoneName(loc), again, err)
		}
	}
}

func TestTypeLocation(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	if got := TimestampTZOf(3, "").Location(paris); got != paris {
		t.Errorf("session zone: got %v", got)
	}
	if got := TimestampTZOf(3, "").Location(nil); got != time.UTC {
		t.Errorf("no session zone: got %v", got)
	}
	if got := TimestampTZOf(3, "Asia/Tokyo").Location(paris); got.String() != "Asia/Tokyo" {
		t.Errorf("own zone: got %v", got)
	}
}

func TestZoneCoercion(t *testing.T) {
	paris := TimestampTZOf(3, "Europe/Paris")
	tokyo := TimestampTZOf(3, "Asia/Tokyo")
	session := TimestampTZOf(3, "")
	for _, c := range []struct {
		a, b, want Type
	}{
		{paris, paris, paris},
		{paris, TimestampTZOf(6, "Europe/Paris"), TimestampTZOf(6, "Europe/Paris")},
		{paris, tokyo, session},
		{paris, session, session},
		{paris, TimestampType, session},
		{DateType, paris, paris},
	} {
		got, ok := CommonSuperType(c.a, c.b)
		if !ok || !got.Equal(c.want) {
			t.Errorf("CommonSuperType(%v %q, %v %q) = %v %q, want %v %q", c.a, c.a.Zone, c.b, c.b.Zone, got, got.Zone, c.want, c.want.Zone)
		}
	}
	if paris.Equal(tokyo) {
		t.Error("types of two zones are equal")
	}
	if !CanCoerce(paris, tokyo) || !CanCoerce(paris, session) || CanCoerce(TimestampTZOf(6, "Europe/Paris"), tokyo) {
		t.Error("CanCoerce between zones")
	}
	if paris.String() != "timestamp(3) with time zone" {
		t.Errorf("String() = %q", paris.String())
	}
}
