package function

import "testing"

func TestRegexpFunctions(t *testing.T) {
	V, B, I := "varchar", "bigint", "integer"
	runCases(t, []fnCase{
		{fn: "regexp_like", types: []string{V, V}, rows: [][]any{r("1a 2b 14m", `\d+b`), r("abc", `^b`), r(nil, "x")}, want: []string{"true", "false", "NULL"}},
		{fn: "regexp_like", types: []string{V, V}, rows: [][]any{r("abc", `(a`)}, err: "Invalid regular expression '(a'"},
		{fn: "regexp_like", types: []string{V, V}, rows: [][]any{r("aa", `(a)\1`)}, err: "regexp_like: pattern '(a)\\1' uses the backreference \\1, which Quarry's regular expression engine (RE2) does not support"},
		{fn: "regexp_count", types: []string{V, V}, rows: [][]any{r("ab", `a(?!b)`)}, err: "regexp_count: pattern 'a(?!b)' uses negative lookahead (?!...)"},
		{fn: "regexp_extract_all", types: []string{V, V}, rows: [][]any{r("ab", `(?<=a)b`)}, err: "regexp_extract_all: pattern '(?<=a)b' uses lookbehind (?<=...)"},
		{fn: "regexp_split", types: []string{V, V}, rows: [][]any{r("ab", `a*+`)}, err: "regexp_split: pattern 'a*+' uses the possessive quantifier *+"},
		{fn: "regexp_replace", types: []string{V, V}, rows: [][]any{r("ab", `(?>a)`)}, err: "regexp_replace: pattern '(?>a)' uses the atomic group (?>...)"},
		{fn: "regexp_replace", types: []string{V, V, V}, rows: [][]any{
			r("aaa", `a*`, "X"), r("baaac", `a*`, "X"), r("abc", `x*`, "-"), r("ab ab", `\b`, "|"), r("héé", `é*`, "X"),
			r("aab", `(a+)(c?)`, "[$1$2]"), r("xaay", `(?m)a*$|y`, "<$0>"), r("", `a*`, "X"), r("abc", `b`, "X"), r(nil, `a*`, "X")},
			want: []string{"XX", "XbXXcX", "-a-b-c-", "|ab| |ab|", "XhXX", "[aa]b", "xaa<y><>", "X", "aXc", "NULL"}},
		{fn: "regexp_extract", types: []string{V, V}, rows: [][]any{r("1a 2b 14m", `\d+`), r("abc", `\d`)}, want: []string{"1", "NULL"}},
		{fn: "regexp_extract", types: []string{V, V, B}, rows: [][]any{r("1a 2b 14m", `(\d+)([a-z]+)`, 2), r("x", `(a)|x`, 1)}, want: []string{"a", "NULL"}},
		{fn: "regexp_extract", types: []string{V, V, B}, rows: [][]any{r("1a", `(\d+)`, 2)}, err: "Pattern has 1 groups. Cannot access group 2"},
		{fn: "regexp_extract_all", types: []string{V, V}, rows: [][]any{r("1a 2b 14m", `\d+`), r("x", `\d`)}, want: []string{"[1, 2, 14]", "[]"}},
		{fn: "regexp_extract_all", types: []string{V, V, B}, rows: [][]any{r("1a 2b 14m", `(\d+)([a-z]+)`, 2)}, want: []string{"[a, b, m]"}},
		{fn: "regexp_replace", types: []string{V, V}, rows: [][]any{r("1a 2b 14m", `\d+[ab] `)}, want: []string{"14m"}},
		{fn: "regexp_replace", types: []string{V, V, V}, rows: [][]any{r("1a 2b 14m", `(\d+)([ab]) `, "3c$2 "), r("abc", `(b)`, `[$1x]`), r("a.b", `\.`, `\$`)}, want: []string{"3ca 3cb 14m", "a[bx]c", "a$b"}},
		{fn: "regexp_replace", types: []string{V, V, V}, rows: [][]any{r("abc", `(?<x>b)`, "${x}${x}")}, want: []string{"abbc"}},
		{fn: "regexp_replace", types: []string{V, V, V}, rows: [][]any{r("abc", `b`, "$1")}, err: "No group 1"},
		{fn: "regexp_split", types: []string{V, V}, rows: [][]any{r("1a 2b 14m", `\s*[a-z]+\s*`)}, want: []string{"[1, 2, 14, ]"}},
		{fn: "regexp_count", types: []string{V, V}, rows: [][]any{r("1a 2b 14m", `\d+`)}, want: []string{"3"}},
		{fn: "regexp_position", types: []string{V, V}, rows: [][]any{r("éa1", `\d`), r("abc", `\d`)}, want: []string{"3", "-1"}},
		{fn: "regexp_position", types: []string{V, V, I}, rows: [][]any{r("a1b22", `\d+`, 3), r("a1b22", `\d+`, 1), r("éa1é1", `\d`, 4), r("abc", `c`, 4), r("abc", `c`, 3), r("", `x*`, 1), r(nil, `x`, 1)},
			want: []string{"4", "2", "5", "-1", "3", "-1", "NULL"}, rtype: "integer"},
		{fn: "regexp_position", types: []string{V, V, I, I}, rows: [][]any{r("a1b22c333", `\d+`, 1, 3), r("a1b22c333", `\d+`, 3, 2), r("a1b22c333", `\d+`, 1, 4)}, want: []string{"7", "7", "-1"}},
		{fn: "regexp_position", types: []string{V, V, I}, rows: [][]any{r("abc", `b`, 0)}, err: "start position cannot be smaller than 1"},
		{fn: "regexp_position", types: []string{V, V, I, I}, rows: [][]any{r("abc", `b`, 1, 0)}, err: "occurrence cannot be smaller than 1"},
	})
}
