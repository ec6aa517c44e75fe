package function

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Regular expression functions use Go's RE2 engine (linear time, no
// catastrophic backtracking) where Trino uses Joni/JDK syntax. Differences
// users may meet:
//   - no backreferences (\1) and no lookaround ((?=…), (?!…), (?<=…), (?<!…));
//     such patterns are rejected with an error naming the function, the
//     pattern and the construct;
//   - no possessive quantifiers (a*+) or atomic groups ((?>…));
//   - named groups may be written (?P<name>…) as well as (?<name>…);
//   - \Z and \z both mean end of text; \h, \R and \X are not supported;
//   - character class intersection ([a-z&&[^aeiou]]) is not supported.
// In replacement strings Java's $1 and ${name} work as in Trino (they are
// rewritten to RE2's ${1}); a literal dollar is written \$.
// regexp_replace finds its matches as Trino's search loop does, which keeps
// the empty match right after a non-empty one that Go's *All methods drop
// (regexp_replace('aaa', 'a*', 'X') is XX, not X); see javaMatches.

func registerRegexp(r *Registry) {
	r.AddScalar(fixedScalar("regexp_like", overload{params: sig(tVarchar, tVarchar), result: tBool, kernel: regexpLikeKernel}))
	r.AddScalar(fixedScalar("regexp_extract",
		overload{params: sig(tVarchar, tVarchar), result: tVarchar, kernel: regexpExtractKernel},
		overload{params: sig(tVarchar, tVarchar, tBigint), result: tVarchar, kernel: regexpExtractKernel}))
	r.AddScalar(fixedScalar("regexp_extract_all",
		overload{params: sig(tVarchar, tVarchar), result: types.ArrayOf(tVarchar), kernel: regexpExtractAllKernel},
		overload{params: sig(tVarchar, tVarchar, tBigint), result: types.ArrayOf(tVarchar), kernel: regexpExtractAllKernel}))
	r.AddScalar(fixedScalar("regexp_replace",
		overload{params: sig(tVarchar, tVarchar), result: tVarchar, kernel: regexpReplaceKernel},
		overload{params: sig(tVarchar, tVarchar, tVarchar), result: tVarchar, kernel: regexpReplaceKernel}))
	r.AddScalar(fixedScalar("regexp_split", overload{params: sig(tVarchar, tVarchar), result: types.ArrayOf(tVarchar), kernel: regexpSplitKernel}))
	r.AddScalar(fixedScalar("regexp_count", overload{params: sig(tVarchar, tVarchar), result: tBigint, kernel: regexpCountKernel}))
	r.AddScalar(fixedScalar("regexp_position",
		overload{params: sig(tVarchar, tVarchar), result: tInteger, kernel: regexpPositionKernel},
		overload{params: sig(tVarchar, tVarchar, tInteger), result: tInteger, kernel: regexpPositionKernel},
		overload{params: sig(tVarchar, tVarchar, tInteger, tInteger), result: tInteger, kernel: regexpPositionKernel}))
}

// The regexp cache is shared by all queries: patterns are nearly always
// constants, so compiling once per distinct pattern is enough. It is
// bounded by dropping everything when full (cheap and rarely hit).
var (
	reMu    sync.RWMutex
	reCache = map[string]*regexp.Regexp{}
)

const reCacheMax = 4096

func cachedRegexp(pattern string) (*regexp.Regexp, error) {
	reMu.RLock()
	re, ok := reCache[pattern]
	reMu.RUnlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(translateJavaRegexp(pattern))
	if err != nil {
		return nil, patternError(pattern, err)
	}
	reMu.Lock()
	if len(reCache) >= reCacheMax {
		reCache = map[string]*regexp.Regexp{}
	}
	reCache[strings.Clone(pattern)] = re
	reMu.Unlock()
	return re, nil
}

// patternError explains why a pattern does not compile. Constructs that
// Java's (and Trino's) regular expressions have and RE2 lacks are named as
// such, so a user does not hunt for a typo in a valid Java pattern.
func patternError(pattern string, err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		construct := ""
		// RE2 reports lookbehind as a bad named capture, the rest of
		// these as bad Perl syntax.
		group := se.Code == syntax.ErrInvalidPerlOp || se.Code == syntax.ErrInvalidNamedCapture
		switch {
		case group && strings.HasPrefix(se.Expr, "(?="):
			construct = "lookahead (?=...)"
		case group && strings.HasPrefix(se.Expr, "(?!"):
			construct = "negative lookahead (?!...)"
		case group && strings.HasPrefix(se.Expr, "(?<="):
			construct = "lookbehind (?<=...)"
		case group && strings.HasPrefix(se.Expr, "(?<!"):
			construct = "negative lookbehind (?<!...)"
		case group && strings.HasPrefix(se.Expr, "(?>"):
			construct = "the atomic group (?>...)"
		case se.Code == syntax.ErrInvalidEscape && len(se.Expr) == 2 && se.Expr[1] >= '1' && se.Expr[1] <= '9':
			construct = "the backreference " + se.Expr
		case se.Code == syntax.ErrInvalidEscape && se.Expr == `\k`:
			construct = `the named backreference \k<name>`
		case se.Code == syntax.ErrInvalidRepeatOp && len(se.Expr) == 2 && se.Expr[1] == '+':
			construct = "the possessive quantifier " + se.Expr
		}
		if construct != "" {
			return fmt.Errorf("pattern '%s' uses %s, which Quarry's regular expression engine (RE2) does not support", pattern, construct)
		}
	}
	msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
	return fmt.Errorf("Invalid regular expression '%s': %s", pattern, msg)
}

// translateJavaRegexp rewrites the Java named-group syntax (?<name>…) to
// RE2's (?P<name>…); lookbehind (?<= / (?<! is left for RE2 to reject.
func translateJavaRegexp(p string) string {
	if !strings.Contains(p, "(?<") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			b.WriteString(p[i : i+2])
			i++
			continue
		}
		if strings.HasPrefix(p[i:], "(?<") && i+3 < len(p) && p[i+3] != '=' && p[i+3] != '!' {
			b.WriteString("(?P<")
			i += 2
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// patternRows compiles the pattern of each row, reusing the previous
// row's when the text is unchanged (the usual constant pattern).
type patternRows struct {
	fn   string // the function, named in errors
	pat  strs
	last string
	re   *regexp.Regexp
	// lit is the pattern's text when it is a plain literal (no
	// metacharacter, no flag): a search for it is strings.Contains.
	lit   string
	isLit bool
}

func (p *patternRows) get(i int) (*regexp.Regexp, error) {
	s := p.pat.at(i)
	if p.re != nil && s == p.last {
		return p.re, nil
	}
	re, err := cachedRegexp(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.fn, err)
	}
	p.last, p.re = strings.Clone(s), re
	p.lit, p.isLit = re.LiteralPrefix()
	return re, nil
}

func regexpLikeKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src := stringsOf(args[0])
	pr := &patternRows{fn: "regexp_like", pat: stringsOf(args[1])}
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	vb := bitmap{}
	if valid != nil {
		vb = bitmap{bits: valid.Bytes()}
	}
	w := newBoolWriter(ctx.Alloc, n)
	for i := 0; i < n; i++ {
		if !vb.valid(i) {
			continue
		}
		re, err := pr.get(i)
		if err != nil {
			w.buf.Release()
			if valid != nil {
				valid.Release()
			}
			return nil, err
		}
		if pr.isLit {
			// The seed's REGEXP_LIKE(usagetype, 'DataTransfer-In') is
			// a substring search: several times faster this way.
			w.set(i, strings.Contains(src.at(i), pr.lit))
			continue
		}
		w.set(i, re.MatchString(src.at(i)))
	}
	return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
}

func groupArg(args []arrow.Array, re *regexp.Regexp, i int) (int, error) {
	if len(args) < 3 {
		return 0, nil
	}
	g := values[int64](args[2])[i]
	if g < 0 || g > int64(re.NumSubexp()) {
		return 0, fmt.Errorf("Pattern has %d groups. Cannot access group %d", re.NumSubexp(), g)
	}
	return int(g), nil
}

func regexpExtractKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	pr := &patternRows{fn: "regexp_extract", pat: stringsOf(args[1])}
	return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
		re, err := pr.get(i)
		if err != nil {
			return "", false, err
		}
		g, err := groupArg(args, re, i)
		if err != nil {
			return "", false, err
		}
		str := s[0].at(i)
		m := re.FindStringSubmatchIndex(str)
		if m == nil || m[2*g] < 0 {
			return "", false, nil
		}
		return str[m[2*g]:m[2*g+1]], true, nil
	})
}

func regexpExtractAllKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return regexpListRows(ctx, "regexp_extract_all", args, n, func(re *regexp.Regexp, str string, i int, out *array.StringBuilder) error {
		g, err := groupArg(args, re, i)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatchIndex(str, -1) {
			if m[2*g] < 0 {
				out.AppendNull()
				continue
			}
			out.Append(str[m[2*g]:m[2*g+1]])
		}
		return nil
	})
}

func regexpSplitKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return regexpListRows(ctx, "regexp_split", args, n, func(re *regexp.Regexp, str string, _ int, out *array.StringBuilder) error {
		for _, part := range re.Split(str, -1) {
			out.Append(part)
		}
		return nil
	})
}

func regexpListRows(ctx *Context, fn string, args []arrow.Array, n int, f func(re *regexp.Regexp, s string, i int, out *array.StringBuilder) error) (arrow.Array, error) {
	src := stringsOf(args[0])
	pr := &patternRows{fn: fn, pat: stringsOf(args[1])}
	lb := array.NewListBuilder(ctx.Alloc, arrow.BinaryTypes.String)
	defer lb.Release()
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for i := 0; i < n; i++ {
		if anyNull(args, i) {
			lb.AppendNull()
			continue
		}
		re, err := pr.get(i)
		if err != nil {
			return nil, err
		}
		lb.Append(true)
		if err := f(re, src.at(i), i, vb); err != nil {
			return nil, err
		}
	}
	return lb.NewArray(), nil
}

// javaReplacement rewrites Java's replacement syntax ($1, ${name}, \$) to
// RE2's ($1 would otherwise swallow following letters: $1a is ${1a}).
func javaReplacement(s string, groups int) (string, error) {
	if !strings.ContainsAny(s, `$\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(s[i])
			}
		case c == '$':
			if i+1 < len(s) && s[i+1] == '{' {
				end := strings.IndexByte(s[i:], '}')
				if end < 0 {
					return "", fmt.Errorf("Illegal replacement string: %s", s)
				}
				b.WriteString(s[i : i+end+1])
				i += end
				continue
			}
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				// Java takes further digits only while the group exists.
				if j > i+1 && atoiMust(s[i+1:j+1]) > groups {
					break
				}
				j++
			}
			if j == i+1 {
				return "", fmt.Errorf("Illegal group reference in replacement string: %s", s)
			}
			g := atoiMust(s[i+1 : j])
			if g > groups {
				return "", fmt.Errorf("No group %d in replacement string: %s", g, s)
			}
			b.WriteString("${" + s[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func atoiMust(s string) int {
	v, _ := atoiN(s)
	return v
}

func regexpReplaceKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	pr := &patternRows{fn: "regexp_replace", pat: stringsOf(args[1])}
	var lastRepl, repl string
	var lastRe, after *regexp.Regexp
	return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
		re, err := pr.get(i)
		if err != nil {
			return "", false, err
		}
		raw := ""
		if len(args) == 3 {
			raw = s[2].at(i)
		}
		if re != lastRe || raw != lastRepl {
			if repl, err = javaReplacement(raw, re.NumSubexp()); err != nil {
				return "", false, err
			}
			if re != lastRe {
				after = nil
			}
			lastRe, lastRepl = re, strings.Clone(raw)
		}
		src := s[0].at(i)
		ms, err := javaMatches(re, &after, src)
		if err != nil {
			return "", false, err
		}
		if len(ms) == 0 {
			return src, true, nil
		}
		var out []byte
		last := 0
		for _, m := range ms {
			out = append(out, src[last:m[0]]...)
			out = re.ExpandString(out, repl, src, m)
			last = m[1]
		}
		return string(append(out, src[last:]...)), true, nil
	})
}

// javaMatches returns the matches of re in s as Trino's search loop finds
// them: each search starts where the previous match ended, one character
// further after an empty match. Go's FindAll differs only in dropping an
// empty match that starts where a non-empty one ended ('a*' in "aaa":
// Trino matches "aaa" and then "" at the end, Go only "aaa"), so those are
// added back. Whether the pattern matches empty at such a position e is
// asked of *after, the pattern behind \A(?s:.), run from the character
// before e: it keeps that character as context for \b and (?m)^, which are
// all an RE2 pattern can see of the text before e. *after is compiled on
// first need.
func javaMatches(re *regexp.Regexp, after **regexp.Regexp, s string) ([][]int, error) {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	var out [][]int
	for k, m := range ms {
		out = append(out, m)
		e := m[1]
		if m[0] == e || e == 0 || k+1 < len(ms) && ms[k+1][0] == e {
			continue
		}
		if *after == nil {
			a, err := regexp.Compile(`\A(?s:.)(?:` + re.String() + `)`)
			if err != nil {
				return nil, fmt.Errorf("BUG: %s compiles but not after a prefix: %v", re, err)
			}
			*after = a
		}
		_, w := utf8.DecodeLastRuneInString(s[:e])
		am := (*after).FindStringSubmatchIndex(s[e-w:])
		if am == nil || am[1] != w {
			continue // no match at e, or a non-empty one Go would have found
		}
		em := make([]int, len(am))
		for j, x := range am {
			em[j] = x
			if x >= 0 {
				em[j] = x + e - w
			}
		}
		em[0] = e
		out = append(out, em)
	}
	return out, nil
}

func regexpCountKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src := stringsOf(args[0])
	pr := &patternRows{fn: "regexp_count", pat: stringsOf(args[1])}
	vb := validity(args[0])
	vp := validity(args[1])
	buf, out := allocFixed[int64](ctx.Alloc, n)
	for i := range out {
		if !vb.valid(i) || !vp.valid(i) {
			continue
		}
		re, err := pr.get(i)
		if err != nil {
			buf.Release()
			return nil, err
		}
		out[i] = int64(len(re.FindAllStringIndex(src.at(i), -1)))
	}
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	return finish(arrow.PrimitiveTypes.Int64, n, valid, nulls, buf), nil
}

// regexpPositionKernel is regexp_position(source, pattern[, start[,
// occurrence]]): the 1-based code point position of the occurrence-th
// match at or after code point start, or -1. As in Trino (with re2j), the
// search runs over the source from start on.
func regexpPositionKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src := stringsOf(args[0])
	pr := &patternRows{fn: "regexp_position", pat: stringsOf(args[1])}
	var starts, occs []int32
	if len(args) > 2 {
		starts = values[int32](args[2])
	}
	if len(args) > 3 {
		occs = values[int32](args[3])
	}
	buf, out := allocFixed[int32](ctx.Alloc, n)
	for i := range out {
		if anyNull(args, i) {
			continue
		}
		start, occ := int32(1), int32(1)
		if starts != nil {
			start = starts[i]
		}
		if occs != nil {
			occ = occs[i]
		}
		if start < 1 {
			buf.Release()
			return nil, fmt.Errorf("start position cannot be smaller than 1")
		}
		if occ < 1 {
			buf.Release()
			return nil, fmt.Errorf("occurrence cannot be smaller than 1")
		}
		re, err := pr.get(i)
		if err != nil {
			buf.Release()
			return nil, err
		}
		out[i] = regexpPosition(re, src.at(i), int(start), int(occ))
	}
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	return finish(arrow.PrimitiveTypes.Int32, n, valid, nulls, buf), nil
}

func regexpPosition(re *regexp.Regexp, s string, start, occ int) int32 {
	off, k := 0, 1
	for off < len(s) && k < start {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
		k++
	}
	if off >= len(s) {
		return -1 // start is past the last code point
	}
	locs := re.FindAllStringIndex(s[off:], occ)
	if len(locs) < occ {
		return -1
	}
	return int32(utf8.RuneCountInString(s[:off+locs[occ-1][0]])) + 1
}
