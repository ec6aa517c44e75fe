package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trinodb/trino-go-client/trino"
)

// TestLoad runs 1,000 concurrent client sessions of small queries plus a
// few large results through trino-go-client on loopback, and reports
// throughput and latency. QUARRY_LOAD_TEST=1 runs the heavier variant.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	sessions, perSession, large := 1000, 2, 3
	if os.Getenv("QUARRY_LOAD_TEST") == "1" {
		perSession, large = 20, 10
	} else if raceEnabled {
		perSession, large = 1, 1 // the race detector slows everything ~10×
	}
	ts := newTestServer(t, func(c *Config) { c.Logger = nil })
	// Each session has its own connection pool slot; one HTTP transport
	// with enough idle connections serves them all.
	tr := &http.Transport{MaxIdleConns: sessions + 50, MaxIdleConnsPerHost: sessions + 50, IdleConnTimeout: 30 * time.Second}
	trino.RegisterCustomClient("quarry-load", &http.Client{Transport: tr})
	defer trino.DeregisterCustomClient("quarry-load")
	db := ts.db(t, "custom_client=quarry-load")
	db.SetMaxOpenConns(sessions + large)
	db.SetMaxIdleConns(sessions + large)

	runtime.GC()
	before := runtime.NumGoroutine()
	var heapBefore runtime.MemStats
	runtime.ReadMemStats(&heapBefore)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		errMu     sync.Mutex
		firstErr  error
		wg        sync.WaitGroup
		largeRows atomic.Int64
	)
	fail := func(err error) {
		errs.Add(1)
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
	}
	start := time.Now()
	for i := 0; i < large; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := db.QueryContext(ctx, "SELECT a.id, b.id FROM sales.people a CROSS JOIN sales.people b")
			if err != nil {
				fail(err)
				return
			}
			defer rows.Close()
			for rows.Next() {
				largeRows.Add(1)
			}
			if err := rows.Err(); err != nil {
				fail(err)
			}
		}()
	}
	for s := 0; s < sessions; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perSession; i++ {
				q0 := time.Now()
				var n int64
				err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM sales.people WHERE id <= %d", (s*perSession+i)%peopleRows+1)).Scan(&n)
				d := time.Since(q0)
				if err != nil || n != int64((s*perSession+i)%peopleRows+1) {
					if err == nil {
						err = fmt.Errorf("count %d", n)
					}
					fail(err)
					continue
				}
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if n := errs.Load(); n > 0 {
		t.Fatalf("%d errors; first: %v", n, firstErr)
	}
	if want := int64(large * peopleRows * peopleRows); largeRows.Load() != want {
		t.Fatalf("large results: %d rows, want %d", largeRows.Load(), want)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(float64(len(latencies)-1)*p)] }
	t.Logf("load: %d sessions, %d small queries + %d large results (%d rows each) in %v: %.0f queries/s; small-query latency p50 %v, p99 %v, max %v",
		sessions, len(latencies), large, peopleRows*peopleRows, elapsed.Round(time.Millisecond),
		float64(len(latencies)+large)/elapsed.Seconds(), pct(0.5).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond))

	// Every query ended and nothing is left behind.
	if r, q := ts.metrics.running.Load(), ts.metrics.queued.Load(); r != 0 || q != 0 {
		t.Errorf("%d running, %d queued after the load", r, q)
	}
	db.Close()
	tr.CloseIdleConnections()
	waitFor(t, 10*time.Second, fmt.Sprintf("goroutines to return to %d (+20)", before), func() bool {
		return runtime.NumGoroutine() <= before+20
	})
	runtime.GC()
	var heapAfter runtime.MemStats
	runtime.ReadMemStats(&heapAfter)
	t.Logf("goroutines %d → %d; heap %d MB → %d MB", before, runtime.NumGoroutine(), heapBefore.HeapAlloc>>20, heapAfter.HeapAlloc>>20)
	if heapAfter.HeapAlloc > heapBefore.HeapAlloc+256<<20 {
		t.Errorf("heap grew from %d to %d bytes", heapBefore.HeapAlloc, heapAfter.HeapAlloc)
	}
}
