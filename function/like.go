package function

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

// SQL LIKE: % matches any sequence of code points, _ exactly one, and an
// optional escape character makes the next %, _ or escape literal (an
// escape before anything else is an error, as in Trino). Patterns compile
// to literal segments split on %, matched left to right with string
// search: leftmost matching is optimal because every segment has a fixed
// length in code points, so no backtracking is ever needed.

func bindLike(args []types.Type) (Binding, error) {
	if len(args) != 2 && len(args) != 3 {
		return Binding{}, UnexpectedParams("$like", args, "like(varchar, varchar)", "like(varchar, varchar, varchar)")
	}
	params := make([]types.Type, len(args))
	for i, a := range args {
		switch {
		case a.Kind == types.Varchar:
			params[i] = a
		case a.Kind == types.Char || a.Kind == types.Unknown:
			params[i] = types.VarcharType
		default:
			return Binding{}, UnexpectedParams("$like", args, "like(varchar, varchar)", "like(varchar, varchar, varchar)")
		}
	}
	return Binding{Args: params, Result: types.BooleanType, Kernel: likeKernel}, nil
}

func likeKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src, pat := stringsOf(args[0]), stringsOf(args[1])
	var esc strs
	if len(args) == 3 {
		esc = stringsOf(args[2])
	}
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	vb := bitmap{}
	if valid != nil {
		vb = bitmap{bits: valid.Bytes()}
	}
	w := newBoolWriter(ctx.Alloc, n)
	// The pattern is almost always a constant broadcast to every row: keep
	// the last compiled matcher and recompile only when the text changes.
	var lastPat, lastEsc string
	var m likeMatcher
	have := false
	for i := 0; i < n; i++ {
		if !vb.valid(i) {
			continue
		}
		p, e := pat.at(i), ""
		if len(args) == 3 {
			e = esc.at(i)
		}
		if !have || p != lastPat || e != lastEsc {
			var err error
			if m, err = compileLike(p, e); err != nil {
				w.buf.Release()
				if valid != nil {
					valid.Release()
				}
				return nil, err
			}
			lastPat, lastEsc, have = strings.Clone(p), strings.Clone(e), true
		}
		w.set(i, m.match(src.at(i)))
	}
	return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf), nil
}

type likeKind uint8

const (
	likeExact likeKind = iota
	likePrefix
	likeSuffix
	likeContains
	likeAny
	likeSegments
)

type likeMatcher struct {
	kind likeKind
	lit  string
	// likeSegments: the pattern split on %; segs[0] is anchored at the
	// start and segs[len-1] at the end (either may be empty).
	segs []likeSeg
}

// likeSeg is a piece of pattern between two %: lead _ wildcards, then
// literals each followed by some _ wildcards.
type likeSeg struct {
	lead   int
	pieces []likePiece
	runes  int // code points the segment matches
}

type likePiece struct {
	lit  string
	wild int
}

func (m *likeMatcher) match(s string) bool {
	switch m.kind {
	case likeExact:
		return s == m.lit
	case likePrefix:
		return strings.HasPrefix(s, m.lit)
	case likeSuffix:
		return strings.HasSuffix(s, m.lit)
	case likeContains:
		return strings.Contains(s, m.lit)
	case likeAny:
		return true
	}
	return m.matchSegments(s)
}

func (m *likeMatcher) matchSegments(s string) bool {
	segs := m.segs
	if len(segs) == 1 {
		end, ok := segs[0].matchAt(s, 0)
		return ok && end == len(s)
	}
	pos, ok := segs[0].matchAt(s, 0)
	if !ok {
		return false
	}
	last := &segs[len(segs)-1]
	start, ok := last.matchEnd(s)
	if !ok || start < pos {
		return false
	}
	s = s[:start]
	for i := 1; i < len(segs)-1; i++ {
		if pos, ok = segs[i].find(s, pos); !ok {
			return false
		}
	}
	return true
}

// skipRunes advances i over n code points of s.
func skipRunes(s string, i, n int) (int, bool) {
	for ; n > 0; n-- {
		if i >= len(s) {
			return i, false
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return i, true
}

// matchAt matches the segment at byte i of s and returns where it ends.
func (g *likeSeg) matchAt(s string, i int) (int, bool) {
	i, ok := skipRunes(s, i, g.lead)
	if !ok {
		return i, false
	}
	return g.matchPieces(s, i)
}

func (g *likeSeg) matchPieces(s string, i int) (int, bool) {
	for _, p := range g.pieces {
		if !strings.HasPrefix(s[i:], p.lit) {
			return i, false
		}
		var ok bool
		if i, ok = skipRunes(s, i+len(p.lit), p.wild); !ok {
			return i, false
		}
	}
	return i, true
}

// matchEnd matches the segment at the end of s and returns where it starts.
func (g *likeSeg) matchEnd(s string) (int, bool) {
	if len(g.pieces) == 1 && g.lead == 0 && g.pieces[0].wild == 0 {
		lit := g.pieces[0].lit
		return len(s) - len(lit), strings.HasSuffix(s, lit)
	}
	start := len(s)
	for n := g.runes; n > 0; n-- {
		if start == 0 {
			return 0, false
		}
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	end, ok := g.matchAt(s, start)
	return start, ok && end == len(s)
}

// find matches the segment at its leftmost position at or after byte pos
// of s and returns where the match ends.
func (g *likeSeg) find(s string, pos int) (int, bool) {
	if len(g.pieces) == 0 {
		return skipRunes(s, pos, g.lead)
	}
	lit := g.pieces[0].lit
	for from := pos; from <= len(s); {
		k := strings.Index(s[from:], lit)
		if k < 0 {
			return 0, false
		}
		p := from + k
		from = p + 1
		// The lead wildcards need lead code points between pos and p.
		start := p
		ok := true
		for n := g.lead; n > 0; n-- {
			if start <= pos {
				ok = false
				break
			}
			_, size := utf8.DecodeLastRuneInString(s[pos:start])
			start -= size
		}
		if !ok {
			continue
		}
		if end, ok := g.matchPieces(s, p); ok {
			return end, true
		}
	}
	return 0, false
}

// compileLike turns a LIKE pattern into a matcher.
func compileLike(p, esc string) (likeMatcher, error) {
	var escR rune = -1
	if esc != "" {
		r, size := utf8.DecodeRuneInString(esc)
		if size != len(esc) {
			return likeMatcher{}, fmt.Errorf("Escape string must be a single character")
		}
		escR = r
	}
	// segs collects the segments; cur is the one being read and lit its
	// pending literal text.
	var segs []likeSeg
	var cur likeSeg
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			cur.pieces = append(cur.pieces, likePiece{lit: lit.String()})
			cur.runes += utf8.RuneCountInString(lit.String())
			lit.Reset()
		}
	}
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		switch {
		case r == escR:
			if i >= len(p) {
				return likeMatcher{}, fmt.Errorf("Escape character must be followed by '%%', '_' or the escape character itself: %s", p)
			}
			r2, size2 := utf8.DecodeRuneInString(p[i:])
			if r2 != '%' && r2 != '_' && r2 != escR {
				return likeMatcher{}, fmt.Errorf("Escape character must be followed by '%%', '_' or the escape character itself: %s", p)
			}
			lit.WriteRune(r2)
			i += size2
		case r == '%':
			flush()
			segs = append(segs, cur)
			cur = likeSeg{}
		case r == '_':
			flush()
			if len(cur.pieces) == 0 {
				cur.lead++
			} else {
				cur.pieces[len(cur.pieces)-1].wild++
			}
			cur.runes++
		default:
			lit.WriteRune(r)
		}
	}
	flush()
	segs = append(segs, cur)
	// Drop empty middle segments (from %%), keeping the anchored ends.
	kept := segs[:1]
	for i := 1; i < len(segs); i++ {
		if i == len(segs)-1 || segs[i].runes > 0 {
			kept = append(kept, segs[i])
		}
	}
	segs = kept
	plain := func(g likeSeg) (string, bool) {
		switch {
		case g.runes == 0:
			return "", true
		case g.lead == 0 && len(g.pieces) == 1 && g.pieces[0].wild == 0:
			return g.pieces[0].lit, true
		}
		return "", false
	}
	// The common shapes use plain string functions.
	switch len(segs) {
	case 1:
		if l, ok := plain(segs[0]); ok {
			return likeMatcher{kind: likeExact, lit: l}, nil
		}
	case 2:
		a, okA := plain(segs[0])
		b, okB := plain(segs[1])
		switch {
		case okA && okB && a == "" && b == "":
			return likeMatcher{kind: likeAny}, nil
		case okA && b == "" && segs[1].runes == 0:
			return likeMatcher{kind: likePrefix, lit: a}, nil
		case okB && a == "" && segs[0].runes == 0:
			return likeMatcher{kind: likeSuffix, lit: b}, nil
		}
	case 3:
		if l, ok := plain(segs[1]); ok && segs[0].runes == 0 && segs[2].runes == 0 {
			return likeMatcher{kind: likeContains, lit: l}, nil
		}
	}
	return likeMatcher{kind: likeSegments, segs: segs}, nil
}
