package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTPCHAnswersAgree is the quick mode's TPC-H workloads at SF 0.01 as a
// correctness check: every query must give the same answer in Quarry and
// DuckDB, over Parquet and over gzip tbl. Nothing is timed (-runs 0), so
// the test holds on any machine.
func TestTPCHAnswersAgree(t *testing.T) {
	shared, err := filepath.Abs("../../shared")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(shared, "spec", "tpch-ddl.sql")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared data missing at %s", shared)
		}
		t.Skipf("shared data missing at %s", shared)
	}
	cfg := config{
		Quick: true, SF: 0.01, Threads: setThreads(0), Cache: t.TempDir(), Shared: shared,
		Workloads: []string{"tpch-parquet", "tpch-tbl"}, Runs: 0, Timeout: 2 * time.Minute,
	}
	rep, err := run(context.Background(), cfg, io.Discard, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Workloads) != 2 {
		t.Fatalf("%d workloads, want 2", len(rep.Workloads))
	}
	for _, w := range rep.Workloads {
		if len(w.Queries) != 22 {
			t.Errorf("%s: %d queries, want 22", w.Name, len(w.Queries))
		}
		for _, q := range w.Queries {
			t.Run(w.Name+"/"+q.Name, func(t *testing.T) {
				if q.Status != statusOK {
					t.Errorf("%s: %s", q.Status, q.Detail)
				}
				if q.Rows == 0 {
					t.Errorf("empty answer")
				}
			})
		}
	}
}

func TestSameCell(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"NULL", "", false},
		{"1.5", "1.50", true},
		{"25.52", "25.522005853257337", true}, // Trino's avg(decimal) keeps the scale
		{"25.53", "25.522005853257337", false},
		{"0.3333333333", "0.33333333333333331", true},
		{"100.0", "100.00001", true},
		{"100.0", "100.1", false},
		{"100.00", "100.01", false},
		{"1995-03-15", "1995-03-15 00:00:00.000", true},
		{"42", "42.0", true},
	}
	for _, c := range cases {
		if got := sameCell(c.a, c.b); got != c.want {
			t.Errorf("sameCell(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestCompareAnswers(t *testing.T) {
	q := [][]string{{"b", "2.0"}, {"a", "1"}}
	d := [][]string{{"a", "1.0000000001"}, {"b", "2"}}
	if diff := compareAnswers(q, d, []string{"x", "y"}, []string{"x", "y"}); diff != "" {
		t.Errorf("unordered rows: %s", diff)
	}
	if diff := compareAnswers(q, d[:1], []string{"x", "y"}, []string{"x", "y"}); diff == "" {
		t.Error("row counts differ but answers agree")
	}
	if diff := compareAnswers([][]string{{"a", "1"}}, [][]string{{"a", "1.1"}}, []string{"x", "y"}, []string{"x", "y"}); diff == "" {
		t.Error("1 and 1.1 agree")
	}
}

func TestDDLColumns(t *testing.T) {
	cols, err := ddlColumns("CREATE EXTERNAL TABLE s.t (a integer, b decimal(15,2), c struct<x: string, y: array<struct<z: string>>>) LOCATION 'x';")
	if err != nil {
		t.Fatal(err)
	}
	got := cols["t"]
	if len(got) != 3 || got[1] != [2]string{"b", "decimal(15,2)"} || got[2][0] != "c" {
		t.Errorf("columns = %q", got)
	}
}
