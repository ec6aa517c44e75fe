package catalog

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"abc", "abd", 1},
		{"abc", "ab", 1},
		{"ab", "abc", 1},
		{"cost_and_usgae", "cost_and_usage", 1}, // transposition
		{"ca", "abc", 3},                        // OSA, not full Damerau
		{"kitten", "sitting", 3},
		{"naïve", "naive", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tables := []string{"cost_and_usage", "cost_and_usage_daily", "lineitem", "orders", "t1"}
	tests := []struct {
		name   string
		want   string
		wantOK bool
	}{
		{"cost_and_usgae", "cost_and_usage", true},
		{"COST_AND_USGAE", "cost_and_usage", true},
		{"lineitems", "lineitem", true},
		{"line_item", "lineitem", true},
		{"order", "orders", true},
		{"t2", "t1", true},
		{"customer", "", false},
		{"xyz", "", false},
		{"orders", "", false}, // exact match is not a suggestion
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Suggest(tt.name, tables)
		if ok != tt.wantOK || ok && got != tt.want {
			t.Errorf("Suggest(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestSuggestTieBreakIsDeterministic(t *testing.T) {
	a, _ := Suggest("ab", []string{"ac", "aa"})
	b, _ := Suggest("ab", []string{"aa", "ac"})
	if a != "aa" || b != "aa" {
		t.Errorf("tie break: got %q and %q, want aa both times", a, b)
	}
}
