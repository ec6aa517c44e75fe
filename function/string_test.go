package function

import "testing"

func TestStringFunctions(t *testing.T) {
	V := "varchar"
	B := "bigint"
	runCases(t, []fnCase{
		{fn: "concat", types: []string{V, V, V}, rows: [][]any{r("a", "b", "c"), r("a", nil, "c")}, want: []string{"abc", "NULL"}},
		{fn: "length", types: []string{V}, rows: [][]any{r("héllo"), r(""), r(nil)}, want: []string{"5", "0", "NULL"}, rtype: "bigint"},
		{fn: "length", types: []string{"boolean"}, rows: [][]any{r(true)}, err: "Unexpected parameters (boolean) for function length. Expected: length(varchar)"},
		{fn: "lower", types: []string{V}, rows: [][]any{r("AbÉ")}, want: []string{"abé"}},
		{fn: "upper", types: []string{"char(3)"}, rows: [][]any{r("abé")}, want: []string{"ABÉ"}},
		{fn: "trim", types: []string{V}, rows: [][]any{r("  a b \t")}, want: []string{"a b"}},
		{fn: "ltrim", types: []string{V}, rows: [][]any{r("  a ")}, want: []string{"a "}},
		{fn: "rtrim", types: []string{V, V}, rows: [][]any{r("xxaxx", "x")}, want: []string{"xxa"}},
		{fn: "trim", types: []string{V, V}, rows: [][]any{r("xyaxy", "yx")}, want: []string{"a"}},
		{fn: "lpad", types: []string{V, B, V}, rows: [][]any{r("ab", 5, "xy"), r("abcdef", 3, "x"), r("é", 3, "ü")}, want: []string{"xyxab", "abc", "üüé"}},
		{fn: "rpad", types: []string{V, B, V}, rows: [][]any{r("2012-01-01", 4, "NA"), r("ab", 5, "xy"), r(nil, 2, "x")}, want: []string{"2012", "abxyx", "NULL"}},
		{fn: "rpad", types: []string{V, B, V}, rows: [][]any{r("ab", 5, "")}, err: "Padding string must not be empty"},
		{fn: "lpad", types: []string{V, B, V}, rows: [][]any{r("ab", -1, "x")}, err: "Target length must be in the range"},
		{fn: "substr", types: []string{V, B}, rows: [][]any{r("héllo", 2), r("hello", -3), r("hello", 0), r("hello", 9), r("hello", -9)}, want: []string{"éllo", "llo", "", "", ""}},
		{fn: "substring", types: []string{V, B, B}, rows: [][]any{r("héllo", 2, 3), r("hello", -3, 2), r("hello", 2, 0), r("hello", 4, 100)}, want: []string{"éll", "ll", "", "lo"}},
		{fn: "substr", types: []string{V, "integer"}, rows: [][]any{r("hello", 4)}, want: []string{"lo"}},
		{fn: "replace", types: []string{V, V}, rows: [][]any{r("abcabc", "b")}, want: []string{"acac"}},
		{fn: "replace", types: []string{V, V, V}, rows: [][]any{r("abcabc", "bc", "X"), r("ab", "", "-")}, want: []string{"aXaX", "-a-b-"}},
		{fn: "split", types: []string{V, V}, rows: [][]any{r("a,b,,c", ","), r(nil, ",")}, want: []string{"[a, b, , c]", "NULL"}, rtype: "array(varchar)"},
		{fn: "split", types: []string{V, V, B}, rows: [][]any{r("a,b,c", ",", 2)}, want: []string{"[a, b,c]"}},
		{fn: "split", types: []string{V, V}, rows: [][]any{r("abc", "")}, err: "delimiter may not be the empty string"},
		{fn: "strpos", types: []string{V, V, B}, rows: [][]any{r("hello", "l", -1), r("hello", "l", 3), r("hello", "l", -2), r("hello", "l", -3), r("aaa", "aa", -1), r("aaa", "aa", -2), r("aaa", "aa", 2), r("héllo", "l", -1), r("abc", "", -5), r("", "", 2)},
			want: []string{"4", "0", "3", "0", "2", "1", "2", "4", "1", "1"}},
		{fn: "strpos", types: []string{V, V, B}, rows: [][]any{r("hello", "l", 0)}, err: "'instance' must be a positive or negative number."},
		{fn: "to_hex", types: []string{"varbinary"}, rows: [][]any{r("\x0a\x0b"), r(""), r(nil)}, want: []string{"0A0B", "", "NULL"}, rtype: "varchar"},
		{fn: "from_hex", types: []string{V}, rows: [][]any{r("0a0B"), r(""), r(nil)}, want: []string{"\x0a\x0b", "", "NULL"}, rtype: "varbinary"},
		{fn: "from_hex", types: []string{V}, rows: [][]any{r("abc")}, err: "invalid input length 3"},
		{fn: "from_hex", types: []string{V}, rows: [][]any{r("0g")}, err: "invalid hex character: g"},
		{fn: "split_part", types: []string{V, V, B}, rows: [][]any{r("a,b,c", ",", 2), r("a,b,c", ",", 4), r("a::b", "::", 2)}, want: []string{"b", "NULL", "b"}},
		{fn: "split_part", types: []string{V, V, B}, rows: [][]any{r("a,b", ",", 0)}, err: "Index must be greater than zero"},
		{fn: "strpos", types: []string{V, V}, rows: [][]any{r("héllo", "l"), r("hello", "z"), r("hello", "")}, want: []string{"3", "0", "1"}},
		{fn: "strpos", types: []string{V, V, B}, rows: [][]any{r("abcabc", "bc", 2), r("abcabc", "bc", 3), r("aaa", "aa", 2)}, want: []string{"5", "0", "2"}},
		{fn: "position", types: []string{V, V}, rows: [][]any{r("abc", "c")}, want: []string{"3"}},
		{fn: "reverse", types: []string{V}, rows: [][]any{r("héllo")}, want: []string{"olléh"}},
		{fn: "starts_with", types: []string{V, V}, rows: [][]any{r("hello", "he"), r("hello", "lo"), r(nil, "x")}, want: []string{"true", "false", "NULL"}},
		{fn: "chr", types: []string{B}, rows: [][]any{r(65), r(233)}, want: []string{"A", "é"}},
		{fn: "chr", types: []string{B}, rows: [][]any{r(-1)}, err: "Not a valid Unicode code point: -1"},
		{fn: "codepoint", types: []string{"varchar(1)"}, rows: [][]any{r("é")}, want: []string{"233"}, rtype: "integer"},
		{fn: "codepoint", types: []string{V}, rows: [][]any{r("ab")}, err: "single character"},
		{fn: "levenshtein_distance", types: []string{V, V}, rows: [][]any{r("kitten", "sitting"), r("", "abc"), r("é", "e")}, want: []string{"3", "3", "1"}},
		{fn: "format", types: []string{V, B, "double", V}, rows: [][]any{r("%d items cost %.2f (%s)", 3, 2.5, "ok"), r("%,d|%5s|%-3s|%%", 1234567, 1.0, "x")}, want: []string{"3 items cost 2.50 (ok)", "1,234,567|  1.0|x  |%"}},
		{fn: "format", types: []string{V, B}, rows: [][]any{r("%d %d", 1)}, err: "missing argument"},
		{fn: "from_utf8", types: []string{"varbinary"}, rows: [][]any{r("ab\xffc")}, want: []string{"ab\uFFFDc"}},
		{fn: "$concat", types: []string{V, "bigint"}, rows: [][]any{r("a", 1)}, err: "Cannot apply operator"},
	})
}
