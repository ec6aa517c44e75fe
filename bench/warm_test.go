package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkQuarryWarmCUR times Quarry alone on the repeated-query
// workload's warm runs: the seed CUR queries over gzip CSV after a first
// run has filled the decoded-column cache. It is the loop to profile
// (-cpuprofile) when working on warm speed; the side-by-side figures come
// from the bench command. The data is the bench's own, generated into
// ./cache on first use (QUARRY_BENCH_CUR_MB, default 50).
func BenchmarkQuarryWarmCUR(b *testing.B) {
	shared, err := filepath.Abs("../../shared")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(shared, "spec")); err != nil {
		b.Skipf("shared data missing at %s", shared)
	}
	mb := int64(50)
	if s := os.Getenv("QUARRY_BENCH_CUR_MB"); s != "" {
		if mb, err = strconv.ParseInt(s, 10, 64); err != nil {
			b.Fatal(err)
		}
	}
	cacheDir, err := filepath.Abs("cache")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	threads := setThreads(0)
	if err := loadCURColumns(shared); err != nil {
		b.Fatal(err)
	}
	d, err := prepareCUR(ctx, shared, cacheDir, mb<<20, threads, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	ws, err := curWorkloads(shared, d)
	if err != nil {
		b.Fatal(err)
	}
	w := ws[0]
	qe, err := openQuarry(ctx, w, threads, true)
	if err != nil {
		b.Fatal(err)
	}
	defer qe.Close()
	for _, q := range w.Queries {
		if !contains(w.Repeat, q.Name) {
			continue
		}
		// Two runs: the first fills the cache, the second checks it is
		// used (fills are asynchronous).
		for range 2 {
			if _, err := qe.run(ctx, q.Quarry, false); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(q.Name, func(b *testing.B) {
			for b.Loop() {
				r, err := qe.run(ctx, q.Quarry, false)
				if err != nil {
					b.Fatal(err)
				}
				if r.Stats.CacheHits == 0 {
					b.Fatalf("%s: no cache hit on a warm run", q.Name)
				}
			}
		})
	}
}
