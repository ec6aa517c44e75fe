package main

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
)

const nullText = "NULL"

// relTol is the relative tolerance for numbers: DuckDB and Quarry sum
// doubles in different orders, and avg/division yield a double in one and
// a decimal in the other.
const relTol = 1e-6

// compareAnswers reports whether two results hold the same rows: in the
// same order first, else after sorting both (a query without ORDER BY, or
// ties under its ORDER BY). It returns "" when they agree, else why not.
func compareAnswers(q, d [][]string, qCols, dCols []string) string {
	if len(qCols) != len(dCols) {
		return fmt.Sprintf("%d columns vs DuckDB's %d", len(qCols), len(dCols))
	}
	if len(q) != len(d) {
		return fmt.Sprintf("%d rows vs DuckDB's %d", len(q), len(d))
	}
	if firstDiff(q, d) < 0 {
		return ""
	}
	qs, ds := sortedRows(q), sortedRows(d)
	i := firstDiff(qs, ds)
	if i < 0 {
		return ""
	}
	for c := range qs[i] {
		if !sameCell(qs[i][c], ds[i][c]) {
			return fmt.Sprintf("row %d (sorted) column %s: %q vs DuckDB's %q", i+1, qCols[c], qs[i][c], ds[i][c])
		}
	}
	return fmt.Sprintf("row %d differs", i+1)
}

func firstDiff(a, b [][]string) int {
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return i
		}
		for c := range a[i] {
			if !sameCell(a[i][c], b[i][c]) {
				return i
			}
		}
	}
	return -1
}

func sortedRows(rows [][]string) [][]string {
	out := append([][]string(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool { return rowLess(out[i], out[j]) })
	return out
}

// rowLess orders rows cell by cell, numbers numerically (within
// tolerance they count as equal), so rows that match within tolerance
// land in the same place on both sides.
func rowLess(a, b []string) bool {
	for c := range a {
		if c >= len(b) {
			return false
		}
		x, y := a[c], b[c]
		if sameCell(x, y) {
			continue
		}
		fx, okx := parseNum(x)
		fy, oky := parseNum(y)
		if okx && oky {
			return fx < fy
		}
		return x < y
	}
	return len(a) < len(b)
}

func parseNum(s string) (float64, bool) {
	if s == "" || s == nullText {
		return 0, false
	}
	switch s[0] {
	case '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		if s != "NaN" && s != "Infinity" && s != "-Infinity" {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

var timeLayouts = []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999 MST", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02"}

func parseTime(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// sameCell compares one value: equal text; or equal numbers within
// relTol, or equal once the more precise is rounded (half up) to the
// scale of a decimal's text (Trino's avg of a decimal keeps its scale,
// DuckDB's is a double); or the same instant.
func sameCell(a, b string) bool {
	if a == b {
		return true
	}
	if a == nullText || b == nullText {
		return false
	}
	fa, oka := parseNum(a)
	fb, okb := parseNum(b)
	if oka && okb {
		if math.Abs(fa-fb) <= relTol*math.Max(math.Abs(fa), math.Abs(fb)) {
			return true
		}
		return roundsTo(a, b) || roundsTo(b, a)
	}
	ta, oka := parseTime(a)
	tb, okb := parseTime(b)
	return oka && okb && ta.Equal(tb)
}

// roundsTo reports whether exact, a decimal text with a fractional part,
// equals other rounded half up to exact's scale.
func roundsTo(exact, other string) bool {
	i := strings.IndexByte(exact, '.')
	if i < 0 || strings.ContainsAny(exact, "eE") {
		return false
	}
	scale := len(exact) - i - 1
	e, ok1 := new(big.Rat).SetString(exact)
	o, ok2 := new(big.Rat).SetString(other)
	if !ok1 || !ok2 {
		return false
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	x := new(big.Rat).Mul(o, new(big.Rat).SetInt(pow))
	num, den := x.Num(), x.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return new(big.Rat).SetFrac(q, pow).Cmp(e) == 0
}
