package types

import "testing"

// TestParseRoundTrip checks that Parse reads what String prints, including
// rows with anonymous fields as typeof shows them.
func TestParseRoundTrip(t *testing.T) {
	for _, s := range []string{
		"row(x integer, y varchar)",
		"row(integer, varchar(1))",
		"row(decimal(10,2), \"a b\" bigint)",
		"array(row(integer, map(varchar, row(double))))",
		"row(timestamp(3) with time zone, time(0))",
		"map(varchar, row(bigint, boolean))",
	} {
		typ, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q): %v", s, err)
			continue
		}
		if got := typ.String(); got != s {
			t.Errorf("Parse(%q).String() = %q", s, got)
		}
	}
	if got := MustParse("struct<a:int,b:string>").String(); got != "row(a integer, b varchar)" {
		t.Errorf("Hive struct = %q", got)
	}
	for _, s := range []string{"row()", "row(a)", "row(integer"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
}
