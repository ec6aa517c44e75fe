package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkQuarryWarmCUR times Quarry alone on the repeated-query
// workload's warm runs: the seed CUR queries over gzip CSV after a first
// run has filled the decoded-column cache. It is the loop to profile
// (-cpuprofile) when working on warm speed; the side-by-side figures come
// from the bench command. The data is the bench's own, generated into
// ./cache on first use (QUARRY_BENCH_CUR_MB, default 50).
//
// With -v and QUARRY_BENCH_VERBOSE=1 it logs the time of each of the
// five runs before the timed loop and EXPLAIN ANALYZE of the second (the
// first served from the cache) and of a warm one. QUARRY_BENCH_NO_MEMORY=1
// turns the cache's memory tier off, so that warm runs read the segments
// from disk, as a fresh process does.
func BenchmarkQuarryWarmCUR(b *testing.B) {
	w := curCSVWorkload(b)
	ctx := context.Background()
	threads := setThreads(0)
	qe, err := openQuarry(ctx, w, threads, true)
	if err != nil {
		b.Fatal(err)
	}
	defer qe.Close()
	verbose := os.Getenv("QUARRY_BENCH_VERBOSE") != ""
	explain := func(sql string) {
		r, err := qe.run(ctx, "EXPLAIN ANALYZE "+sql, true)
		if err != nil {
			b.Fatal(err)
		}
		for _, row := range r.Rows {
			b.Log(strings.Join(row, " "))
		}
	}
	for _, q := range w.Queries {
		if !contains(w.Repeat, q.Name) {
			continue
		}
		// The first run fills the cache; the second waits for the fill.
		for i := range 5 {
			if verbose && i == 1 {
				explain(q.Quarry)
				continue
			}
			r, err := qe.run(ctx, q.Quarry, false)
			if err != nil {
				b.Fatal(err)
			}
			if verbose {
				b.Logf("%s run %d: %v, %d splits from the cache", q.Name, i+1, r.Elapsed, r.Stats.CacheHits)
			}
		}
		if verbose {
			explain(q.Quarry)
		}
		b.Run(q.Name, func(b *testing.B) {
			start := cpuTime()
			defer func() {
				b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}()
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

// BenchmarkQuarryFirstRunCUR times the first run of each repeated CUR
// query on a fresh engine with the decoded-column cache off and on (the
// fill's cost), alternating the two in each iteration so that drift on a
// shared machine falls on both alike, each from a collected heap. It
// reports the median wall times (off-ms, on-ms) and their ratio (on/off);
// cpu-ms/op is the process CPU from engine open to close of both runs,
// which includes finishing the fill.
func BenchmarkQuarryFirstRunCUR(b *testing.B) {
	w := curCSVWorkload(b)
	ctx := context.Background()
	threads := setThreads(0)
	for _, q := range w.Queries {
		if !contains(w.Repeat, q.Name) {
			continue
		}
		b.Run(q.Name, func(b *testing.B) {
			var cpu time.Duration
			var walls [2][]float64
			i := 0
			for b.Loop() {
				for k := range 2 {
					cache := (i+k)%2 == 1
					b.StopTimer()
					runtime.GC()
					start := cpuTime()
					qe, err := openQuarry(ctx, w, threads, cache)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					t0 := time.Now()
					_, err = qe.run(ctx, q.Quarry, false)
					wall := time.Since(t0)
					b.StopTimer()
					qe.Close()
					cpu += cpuTime() - start
					b.StartTimer()
					if err != nil {
						b.Fatal(err)
					}
					walls[boolIndex(cache)] = append(walls[boolIndex(cache)], float64(wall.Microseconds())/1000)
				}
				i++
			}
			_, off := minMedian(walls[0])
			_, on := minMedian(walls[1])
			b.ReportMetric(off, "off-ms")
			b.ReportMetric(on, "on-ms")
			b.ReportMetric(on/off, "on/off")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

func boolIndex(v bool) int {
	if v {
		return 1
	}
	return 0
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// curCSVWorkload is the bench's cur-csv workload over its own generated
// data in ./cache (QUARRY_BENCH_CUR_MB of CSV, default 50).
func curCSVWorkload(b testing.TB) *workload {
	b.Helper()
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
	if err := loadCURColumns(shared); err != nil {
		b.Fatal(err)
	}
	d, err := prepareCUR(context.Background(), shared, cacheDir, mb<<20, setThreads(0), b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	ws, err := curWorkloads(shared, d)
	if err != nil {
		b.Fatal(err)
	}
	return ws[0]
}
