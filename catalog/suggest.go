package catalog

import (
	"strings"
	"unicode/utf8"
)

// Suggest returns the candidate closest to name, compared case-insensitively
// by Damerau-Levenshtein distance (optimal string alignment: insertions,
// deletions, substitutions and adjacent transpositions each cost 1). It
// reports false when no candidate is close enough to be a plausible typo:
// a suggestion that is far off misleads more than it helps. Ties go to the
// candidate that sorts first, so the answer does not depend on input order.
func Suggest(name string, candidates []string) (string, bool) {
	lname := strings.ToLower(name)
	limit := maxSuggestDistance(utf8.RuneCountInString(lname))
	best, bestDist := "", limit+1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == lname {
			// An exact (case-folded) match is not a typo; the caller looked
			// it up already and it was not there for some other reason.
			continue
		}
		d := editDistance(lname, lc)
		if d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	return best, bestDist <= limit
}

// maxSuggestDistance allows one edit for short names and about one edit in
// three for longer ones, capped at 3: "cost_and_usgae" still finds
// "cost_and_usage", while "t1" does not suggest "t9x".
func maxSuggestDistance(n int) int {
	return min(max(n/3, 1), 3)
}

// didYouMean returns "; did you mean x?" or "" for appending to a message.
func didYouMean(name string, candidates []string) string {
	if s, ok := Suggest(name, candidates); ok {
		return "; did you mean " + s + "?"
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b,
// counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	// Three rolling rows: the transposition step looks two rows back.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
