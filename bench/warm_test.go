package main

import (
	"context"
	"os"
	"path/filepath"
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
func BenchmarkQuarryWarmCUR(b *testing.B) {
	w := curCSVWorkload(b)
	ctx := context.Background()
	threads := setThreads(0)
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
		if os.Getenv("QB_EXPLAIN") != "" {
			r, err := qe.run(ctx, "EXPLAIN ANALYZE "+q.Quarry, true)
			if err != nil {
				b.Fatal(err)
			}
			for _, row := range r.Rows {
				b.Log(strings.Join(row, " "))
			}
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
				if os.Getenv("QB_DEBUG") != "" {
					b.Logf("%+v", r.Stats)
				}
				if r.Stats.CacheHits == 0 {
					b.Fatalf("%s: no cache hit on a warm run", q.Name)
				}
			}
		})
	}
}

// BenchmarkQuarryFirstRunCUR times the first run of each repeated CUR
// query on a fresh engine, with the decoded-column cache off and on (the
// fill's cost): ns/op is the query's wall time, cpu-ms/op the process CPU
// from engine open to close, which includes finishing the fill.
func BenchmarkQuarryFirstRunCUR(b *testing.B) {
	w := curCSVWorkload(b)
	ctx := context.Background()
	threads := setThreads(0)
	for _, q := range w.Queries {
		if !contains(w.Repeat, q.Name) {
			continue
		}
		for _, cache := range []bool{false, true} {
			name := q.Name + "/cache-off"
			if cache {
				name = q.Name + "/cache-on"
			}
			b.Run(name, func(b *testing.B) {
				var cpu time.Duration
				for b.Loop() {
					b.StopTimer()
					start := cpuTime()
					qe, err := openQuarry(ctx, w, threads, cache)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					_, err = qe.run(ctx, q.Quarry, false)
					b.StopTimer()
					qe.Close()
					cpu += cpuTime() - start
					b.StartTimer()
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
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
