package csv

import (
	"github.com/quarry-sql/quarry/types"
)

// normName folds a column or header name to lower-case letters and
// digits, so "identity/LineItemId" and "identity_LineItemId" compare
// equal.
func normName(dst, s []byte) []byte {
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c >= 0x80:
			dst = append(dst, c)
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		}
	}
	return dst
}

func columnNameSet(cols []types.Column) map[string]bool {
	m := make(map[string]bool, len(cols))
	for _, c := range cols {
		if n := normName(nil, []byte(c.Name)); len(n) > 0 {
			m[string(n)] = true
		}
	}
	return m
}

// looksLikeHeader reports whether a record's fields name the table's
// columns: at least half of its non-empty fields, and at least three of
// them (all, when there are fewer), must be column names. Matching names
// in any position and requiring only half tolerates reports whose columns
// drifted from the table's declaration: the seed's CUR DDL names 61 of
// the 94 columns of a real report.
func looksLikeHeader(fields [][]byte, names map[string]bool) bool {
	var buf []byte
	match, nonEmpty := 0, 0
	for _, f := range fields {
		buf = normName(buf[:0], f)
		if len(buf) == 0 {
			continue
		}
		nonEmpty++
		if names[string(buf)] {
			match++
		}
	}
	return nonEmpty > 0 && match >= min(nonEmpty, 3) && 2*match >= nonEmpty
}
