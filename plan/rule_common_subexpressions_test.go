package plan_test

import (
	"slices"
	"strings"
	"testing"
)

const cseDDL = `
CREATE EXTERNAL TABLE usage (start_ts varchar, product varchar, kind varchar, amount varchar, n bigint, d bigint)
  LOCATION '/nonexistent/usage';
`

// TestCommonSubexpressions states what the golden files show: a shared
// expression is computed once, the rest stay where they were.
func TestCommonSubexpressions(t *testing.T) {
	pe := newPlanEnv(t, cseDDL)
	cases := []struct {
		name, sql string
		fired     bool
		// count: text → times it appears in the optimized plan.
		count map[string]int
		// scanFilters: the scan's filters, exactly.
		scanFilters string
	}{{
		name: "filter, key and aggregates share",
		sql: `SELECT date_format(from_iso8601_timestamp(start_ts), '%Y') y, sum(amount),
			sum(CASE WHEN kind = 'RI' THEN amount END), sum(CASE WHEN kind = 'RI' THEN NULL ELSE amount END)
			FROM usage WHERE product = 'x' AND from_iso8601_timestamp(start_ts) >= TIMESTAMP '2025-01-01 00:00:00 UTC' GROUP BY 1`,
		fired: true,
		count: map[string]int{"from_iso8601_timestamp(": 1, "lenient_cast(": 1, "$eq(kind#3, 'RI'::varchar)": 1},
		// The column-op-constant filter prunes and stays.
		scanFilters: "$eq(product#2, 'x'::varchar)",
	}, {
		name: "guarded in the filter, shared above it",
		sql: `SELECT n / d + 1, n / d * 2 FROM usage
			WHERE CASE WHEN d = 0 THEN false ELSE n / d > 1 END`,
		fired: true,
		// Computed once for the select list, after the filter; the
		// filter keeps its own, guarded, division.
		count:       map[string]int{"$divide(n#5, d#6)": 2},
		scanFilters: "case when $eq(d#6, 0::bigint) then false::boolean else $gt($divide(n#5, d#6), 1::bigint) end",
	}, {
		name:  "a common inside a common",
		sql:   `SELECT upper(kind) || 'a', upper(kind) || 'a' || 'b', upper(kind) FROM usage`,
		fired: true,
		count: map[string]int{"upper(kind#3)": 1, "$concat(upper": 0},
	}, {
		name:  "once",
		sql:   `SELECT upper(kind), lower(kind) FROM usage`,
		count: map[string]int{"upper(kind#3)": 1},
	}, {
		name:  "volatile",
		sql:   `SELECT n + random(5), n + random(5) FROM usage`,
		count: map[string]int{"$add(n#5, random(5::bigint))": 2},
	}, {
		name:  "guarded twice",
		sql:   `SELECT CASE WHEN d <> 0 THEN n / d END, CASE WHEN d > 0 THEN n / d END FROM usage`,
		count: map[string]int{"$divide(n#5, d#6)": 2},
	}, {
		name: "cast of CASE alone",
		sql:  `SELECT sum(CASE WHEN kind = 'RI' THEN amount END) FROM usage`,
		// Nothing else parses amount: the cast stays outside the CASE.
		count: map[string]int{"lenient_cast(case": 1},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := pe.plan(t, c.sql)
			if fired := slices.Contains(got.fired, "common_subexpressions"); fired != c.fired {
				t.Errorf("fired = %v, want %v\n%s", fired, c.fired, got.optimized)
			}
			for text, n := range c.count {
				if k := strings.Count(got.optimized, text); k != n {
					t.Errorf("%q appears %d times, want %d\n%s", text, k, n, got.optimized)
				}
			}
			if c.scanFilters != "" {
				s := scanOf(t, got.root, "usage")
				if f := exprsText(s.Filters); f != c.scanFilters {
					t.Errorf("scan filters %s, want %s", exprsText(s.Filters), c.scanFilters)
				}
			}
		})
	}
}

// TestCommonSubexpressionsSeedQ1: the seed query's repeated parses and CASE
// are computed once.
func TestCommonSubexpressionsSeedQ1(t *testing.T) {
	x := &expander{t: t, tmp: t.TempDir()}
	pe := newPlanEnv(t, "CREATE SCHEMA aws_optimizer;\n"+x.readFile("${SHARED}/spec/cur-ddl-delimited.sql"))
	pe.schema = "aws_optimizer"
	q := strings.TrimSuffix(strings.TrimSpace(x.readFile("${SHARED}/spec/cur-q1-ri-spend.sql")), ";")
	got := pe.plan(t, q)
	for text, n := range map[string]int{
		"from_iso8601_timestamp(":                    1,
		"lenient_cast(":                              1,
		"case when $eq(lineitem_lineitemtype#10, 'D": 1,
	} {
		if k := strings.Count(got.optimized, text); k != n {
			t.Errorf("%q appears %d times, want %d\n%s", text, k, n, got.optimized)
		}
	}
}
