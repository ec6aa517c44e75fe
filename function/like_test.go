package function

import (
	"math/rand"
	"strings"
	"testing"
)

// likeReference is LIKE by dynamic programming over code points, the
// obviously correct (and slow) definition the matcher is checked against.
func likeReference(s, p string, esc rune) bool {
	type tok struct {
		r    rune
		kind byte // 'l' literal, '%', '_'
	}
	var toks []tok
	pr := []rune(p)
	for i := 0; i < len(pr); i++ {
		switch {
		case pr[i] == esc:
			i++
			toks = append(toks, tok{pr[i], 'l'})
		case pr[i] == '%':
			toks = append(toks, tok{kind: '%'})
		case pr[i] == '_':
			toks = append(toks, tok{kind: '_'})
		default:
			toks = append(toks, tok{pr[i], 'l'})
		}
	}
	sr := []rune(s)
	// m[j]: tokens[:i] match sr[:j].
	m := make([]bool, len(sr)+1)
	m[0] = true
	for _, t := range toks {
		next := make([]bool, len(sr)+1)
		for j := 0; j <= len(sr); j++ {
			switch t.kind {
			case '%':
				next[j] = m[j] || (j > 0 && next[j-1])
			case '_':
				next[j] = j > 0 && m[j-1]
			default:
				next[j] = j > 0 && m[j-1] && sr[j-1] == t.r
			}
		}
		m = next
	}
	return m[len(sr)]
}

func TestLikeMatcher(t *testing.T) {
	cases := []struct {
		s, p, esc string
		want      bool
	}{
		{"", "", "", true},
		{"", "%", "", true},
		{"", "_", "", false},
		{"a", "", "", false},
		{"abc", "abc", "", true},
		{"abc", "ab", "", false},
		{"abc", "a%", "", true},
		{"abc", "%c", "", true},
		{"abc", "%b%", "", true},
		{"abc", "%%", "", true},
		{"abc", "a%%c", "", true},
		{"abc", "%a%%%c%", "", true},
		{"abc", "a_c", "", true},
		{"ac", "a_c", "", false},
		{"abc", "___", "", true},
		{"abc", "____", "", false},
		{"abc", "%___%", "", true},
		{"abc", "%____%", "", false},
		{"abc", "_%_", "", true},
		{"a", "_%_", "", false},
		// q13's pattern and its relatives.
		{"carefully special foxes requests", "%special%requests%", "", true},
		{"requests special", "%special%requests%", "", false},
		{"specialrequests", "%special%requests%", "", true},
		{"special requests", "special%requests", "", true},
		{"special requests!", "special%requests", "", false},
		// Segments must not overlap.
		{"aba", "%ab%ba%", "", false},
		{"abba", "%ab%ba%", "", true},
		{"aXa", "a%a", "", true},
		{"a", "a%a", "", false},
		{"aa", "a%a", "", true},
		{"abab", "ab%ab", "", true},
		{"aba", "ab%ab", "", false},
		{"abcab", "%ab_ab", "", true},
		{"abcab", "%ab__ab", "", false},
		{"abcab", "%ab%ab", "", true},
		{"xabyab", "%ab_%b", "", true},
		{"xaaab", "%a_b", "", true},
		{"xaab", "%aa_b", "", false},
		{"mississippi", "%iss%ip_i", "", true},
		{"mississippi", "m%ss_ss%", "", true},
		{"mississippi", "%s_i%", "", true},
		{"mississippi", "%p_i_%", "", false},
		// Lead wildcards before a segment's first literal.
		{"abcde", "%__cd%", "", true},
		{"abcde", "%___cd%", "", false},
		{"abcdecd", "%___cd%", "", true},
		{"abcde", "a%__de", "", true},
		{"abde", "a%__de", "", false},
		// Multi-byte UTF-8: _ is one code point, not one byte.
		{"éa", "_a", "", true},
		{"éa", "__a", "", false},
		{"日本語", "_本_", "", true},
		{"日本語", "%語", "", true},
		{"日本語", "___", "", true},
		{"日本語", "__", "", false},
		{"x日本語y", "%_本_%", "", true},
		{"x日本語y", "%本__", "", true},
		{"x日本語y", "%本___", "", false},
		{"naïve café", "%ï_e%é", "", true},
		{"€€€", "%€_", "", true},
		{"a\nb", "a%b", "", true},
		{"a\nb", "a_b", "", true},
		// Regexp metacharacters are literal.
		{"a.b", "a.b", "", true},
		{"axb", "a.b", "", false},
		{"(x)", "(%)", "", true},
		{"a+b*", "%+_*", "", true},
		// Escapes.
		{"50%", "50#%", "#", true},
		{"501", "50#%", "#", false},
		{"a_b", "a#_b", "#", true},
		{"axb", "a#_b", "#", false},
		{"a#b", "a##b", "#", true},
		{"x50%y", "%0#%_", "#", true},
		{"x50%", "%0#%_", "#", false},
		{"%", "\\%", "\\", true},
		{"a%b_c", "%\\%_\\_%", "\\", true},
		{"a%b-c", "%\\%_\\_%", "\\", false},
		{"日%", "_日%", "日", true},
		{"ab", "a日%", "日", false},
	}
	for _, c := range cases {
		m, err := compileLike(c.p, c.esc)
		if err != nil {
			t.Fatalf("%q ESCAPE %q: %v", c.p, c.esc, err)
		}
		if got := m.match(c.s); got != c.want {
			t.Errorf("%q LIKE %q ESCAPE %q = %v, want %v", c.s, c.p, c.esc, got, c.want)
		}
		esc := rune(-1)
		if c.esc != "" {
			esc = []rune(c.esc)[0]
		}
		if ref := likeReference(c.s, c.p, esc); ref != c.want {
			t.Errorf("reference: %q LIKE %q = %v, want %v", c.s, c.p, ref, c.want)
		}
	}
}

func TestLikeErrors(t *testing.T) {
	for _, c := range []struct{ p, esc string }{{"a#", "#"}, {"#a", "#"}, {"a", "##"}} {
		if _, err := compileLike(c.p, c.esc); err == nil {
			t.Errorf("%q ESCAPE %q: no error", c.p, c.esc)
		}
	}
}

// TestLikeRandom checks the matcher against the reference on random
// strings and patterns over a small alphabet with multi-byte letters, where
// overlaps and near misses are frequent.
func TestLikeRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	letters := []string{"a", "b", "é", "日"}
	patLetters := append([]string{"%", "_", "%", "_", "#%", "#_", "##"}, letters...)
	gen := func(alpha []string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(alpha[rng.Intn(len(alpha))])
		}
		return b.String()
	}
	for i := 0; i < 200000; i++ {
		p := gen(patLetters, rng.Intn(7))
		s := gen(append(letters, "%", "_", "#"), rng.Intn(9))
		m, err := compileLike(p, "#")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := m.match(s), likeReference(s, p, '#'); got != want {
			t.Fatalf("%q LIKE %q ESCAPE '#' = %v, want %v", s, p, got, want)
		}
	}
}

func BenchmarkLike(b *testing.B) {
	s := "furiously final deposits haggle carefully; special requests sleep slyly across the"
	for _, p := range []string{"%special%requests%", "%sp_cial%req_ests%", "%furious%", "fur%the"} {
		m, err := compileLike(p, "")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				m.match(s)
			}
		})
	}
}
