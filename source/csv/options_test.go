package csv

import "testing"

func TestHiveByte(t *testing.T) {
	cases := map[string]byte{",": ',', "|": '|', "1": 1, "9": '\t', "\\t": '\t', "\\001": 1, "\\u0001": 1, "\x01": 1, "\\\\": '\\', "\\": '\\'}
	for in, want := range cases {
		if got, err := hiveByte(in, "field.delim"); err != nil || got != want {
			t.Errorf("hiveByte(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := hiveByte("þ", "field.delim"); err == nil {
		t.Errorf("multi-byte delimiter accepted")
	}
}
