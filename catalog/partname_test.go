package catalog

import (
	"testing"
	"testing/quick"

	"github.com/quarry-sql/quarry/types"
)

func TestPartitionName(t *testing.T) {
	keys := []types.Column{col("Year", "int"), col("region", "string")}
	tests := []struct {
		values []string
		want   string
	}{
		{[]string{"2024", "us-east-1"}, "year=2024/region=us-east-1"},
		{[]string{"2024", ""}, "year=2024/region=__HIVE_DEFAULT_PARTITION__"},
		{[]string{"2024", "a/b=c:d%e"}, "year=2024/region=a%2Fb%3Dc%3Ad%25e"},
		{[]string{"2024", "it's #1?*"}, "year=2024/region=it%27s %231%3F%2A"},
		{[]string{"2024", "x\ny\\{[]^\""}, "year=2024/region=x%0Ay%5C%7B%5B%5D%5E%22"},
		{[]string{"2024", "naïve"}, "year=2024/region=naïve"},
	}
	for _, tt := range tests {
		if got := PartitionName(keys, tt.values); got != tt.want {
			t.Errorf("PartitionName(%q) = %q, want %q", tt.values, got, tt.want)
		}
	}
}

func TestUnescapePathName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a%2Fb", "a/b"},
		{"a%2fb", "a/b"},
		{"100%", "100%"},
		{"%zz", "%zz"},
		{"%4", "%4"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := UnescapePathName(tt.in); got != tt.want {
			t.Errorf("UnescapePathName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if err := quick.Check(func(s string) bool { return UnescapePathName(EscapePathName(s)) == s }, nil); err != nil {
		t.Error(err)
	}
}
