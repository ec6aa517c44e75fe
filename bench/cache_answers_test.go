package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCachedAnswersEqualRaw runs the 22 TPC-H queries over gzip tbl (SF
// 0.01) and the seed CUR queries over gzip CSV with the decoded-column
// cache off, then on: the first run (raw, filling the cache), the second
// (waiting for the fill, served from memory), the third (reusing the
// results kept from it), and a fresh engine over the same cache folder
// (segments read from disk). Every answer must equal the raw one.
func TestCachedAnswersEqualRaw(t *testing.T) {
	shared, err := filepath.Abs("../../shared")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(shared, "spec")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared data missing at %s", shared)
		}
		t.Skipf("shared data missing at %s", shared)
	}
	ctx := context.Background()
	threads := setThreads(0)
	data := t.TempDir()
	td, err := prepareTPCH(ctx, data, 0.01, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	tws, err := tpchWorkloads(shared, td, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadCURColumns(shared); err != nil {
		t.Fatal(err)
	}
	cd, err := prepareCUR(ctx, shared, data, 4<<20, threads, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	cws, err := curWorkloads(shared, cd)
	if err != nil {
		t.Fatal(err)
	}
	var ws []*workload
	for _, w := range append(tws, cws...) {
		if w.Name == "tpch-tbl" || w.Name == "cur-csv" {
			ws = append(ws, w)
		}
	}
	if len(ws) != 2 {
		t.Fatalf("%d workloads, want tpch-tbl and cur-csv", len(ws))
	}
	for _, w := range ws {
		t.Run(w.Name, func(t *testing.T) {
			raw, err := openQuarry(ctx, w, threads)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			dir := t.TempDir()
			warm, err := openQuarryIn(ctx, dir, w, threads, true, true)
			if err != nil {
				t.Fatal(err)
			}
			runs := map[string][]quarryRun{}
			for _, q := range w.Queries {
				want, err := raw.run(ctx, q.Quarry, true)
				if err != nil {
					t.Fatalf("%s raw: %v", q.Name, err)
				}
				for i := range 3 {
					got, err := warm.run(ctx, q.Quarry, true)
					if err != nil {
						t.Fatalf("%s run %d: %v", q.Name, i+1, err)
					}
					if why := sameAnswer(got, want); why != "" {
						t.Errorf("%s run %d with the cache: %s", q.Name, i+1, why)
					}
					runs[q.Name] = append(runs[q.Name], got)
				}
			}
			warm.Close()
			// A new process over the same cache folder: segments from disk.
			again, err := openQuarryIn(ctx, dir, w, threads, true, false)
			if err != nil {
				t.Fatal(err)
			}
			defer again.Close()
			hits := int64(0)
			for _, q := range w.Queries {
				want := runs[q.Name][0]
				got, err := again.run(ctx, q.Quarry, true)
				if err != nil {
					t.Fatalf("%s from disk: %v", q.Name, err)
				}
				if why := sameAnswer(got, want); why != "" {
					t.Errorf("%s from the cache on disk: %s", q.Name, why)
				}
				hits += got.Stats.CacheHits
			}
			if hits == 0 {
				t.Fatal("no query was served from the cache")
			}
			// The warm runs were served from the cache too.
			for name, rs := range runs {
				if rs[1].Stats.CacheHits == 0 && rs[1].Stats.BytesRead > 0 {
					t.Errorf("%s: the second run read raw files", name)
				}
			}
		})
	}
}

// sameAnswer compares a run with the cache to the raw one, as the bench
// compares Quarry's answers to DuckDB's.
func sameAnswer(got, raw quarryRun) string {
	return strings.ReplaceAll(compareAnswers(got.Rows, raw.Rows, got.Cols, raw.Cols), "DuckDB's", "the raw run's")
}
