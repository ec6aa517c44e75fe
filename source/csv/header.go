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
// columns: at least 80% of min(fields, columns) of them must be column
// names. Matching by name rather than position tolerates a report that
// gained or lost columns since the table was declared (AWS CUR does).
func looksLikeHeader(fields [][]byte, names map[string]bool, ncols int) bool {
	if len(fields) == 0 || ncols == 0 {
		return false
	}
	var buf []byte
	match := 0
	for _, f := range fields {
		buf = normName(buf[:0], f)
		if len(buf) > 0 && names[string(buf)] {
			match++
		}
	}
	return match > 0 && match*5 >= min(len(fields), ncols)*4
}
