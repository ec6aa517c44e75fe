package testkit

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Null is how a DB renders SQL NULL.
const Null = "NULL"

// Empty is how an empty string is written in results (an empty line would
// end the result block).
const Empty = "(empty)"

// FormatValue renders one value the DB returned for a column of type letter
// typ. R (real) prints with three decimals, as SQLite's suite does; every
// other letter keeps the DB's exact text (for Quarry: Trino's text form).
// Control characters become '@' so that each value stays on one line.
func FormatValue(v string, typ byte) string {
	if v == Null {
		return v
	}
	if typ == 'R' {
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return fmt.Sprintf("%.3f", f)
		}
	}
	if v == "" {
		return Empty
	}
	if strings.IndexFunc(v, isControl) >= 0 {
		v = strings.Map(func(r rune) rune {
			if isControl(r) {
				return '@'
			}
			return r
		}, v)
	}
	return v
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// FormatRows renders rows with the record's column types.
func FormatRows(types string, rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = make([]string, len(row))
		for j, v := range row {
			typ := byte('T')
			if j < len(types) {
				typ = types[j]
			}
			out[i][j] = FormatValue(v, typ)
		}
	}
	return out
}

// SortValues orders rendered rows per mode and flattens them into the list
// of values that is compared or hashed: rowsort orders rows by their values
// left to right, valuesort orders the flattened values.
func SortValues(mode SortMode, rows [][]string) []string {
	if mode == RowSort {
		rows = append([][]string(nil), rows...)
		sort.SliceStable(rows, func(a, b int) bool {
			ra, rb := rows[a], rows[b]
			for k := 0; k < len(ra) && k < len(rb); k++ {
				if ra[k] != rb[k] {
					return ra[k] < rb[k]
				}
			}
			return len(ra) < len(rb)
		})
	}
	var vals []string
	for _, row := range rows {
		vals = append(vals, row...)
	}
	if mode == ValueSort {
		sort.Strings(vals)
	}
	return vals
}

// Hash is sqllogictest's result hash: the MD5 of every value followed by a
// newline, as lower-case hex.
func Hash(values []string) string {
	h := md5.New()
	for _, v := range values {
		h.Write([]byte(v))
		h.Write([]byte("\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashLine is the result line that stands for values above the hash
// threshold.
func HashLine(values []string) string {
	return fmt.Sprintf("%d values hashing to %s", len(values), Hash(values))
}

// expectedValues flattens a record's expected lines into values: a line
// holding tabs is a row of tab-separated values, any other line is one
// value.
func expectedValues(lines []string) []string {
	var vals []string
	for _, l := range lines {
		if strings.Contains(l, "\t") {
			vals = append(vals, strings.Split(l, "\t")...)
			continue
		}
		vals = append(vals, l)
	}
	return vals
}
