package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/engine/output"
)

// quarryEngine is Quarry in-process over a fresh catalog with a
// workload's tables.
type quarryEngine struct {
	dir  string
	eng  *engine.Engine
	sess *engine.Session
}

// openQuarry opens Quarry on a fresh catalog. Without cache the
// decoded-column cache (and the gzip index it keeps) is off, so that every
// run reads and parses the raw files as DuckDB does; the repeated workload
// turns it on to measure warm runs.
func openQuarry(ctx context.Context, w *workload, threads int, cache ...bool) (*quarryEngine, error) {
	dir, err := os.MkdirTemp("", "quarry-bench-catalog-")
	if err != nil {
		return nil, err
	}
	q, err := openQuarryIn(ctx, dir, w, threads, len(cache) > 0 && cache[0], true)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	q.dir = dir // removed by Close
	return q, nil
}

// openQuarryIn opens Quarry on the catalog (and cache) folder dir, which
// Close leaves in place; declare runs the workload's DDL (a new catalog).
func openQuarryIn(ctx context.Context, dir string, w *workload, threads int, cache, declare bool) (*quarryEngine, error) {
	eng, err := engine.Open(engine.Config{CatalogDir: dir, Threads: threads, Now: func() time.Time { return curNow }, Zone: time.UTC,
		NoCache: !cache, CacheMemoryBytes: benchCacheMemory()})
	if err != nil {
		return nil, err
	}
	q := &quarryEngine{eng: eng, sess: eng.NewSession()}
	q.sess.Schema = w.Schema
	if !declare {
		return q, nil
	}
	err = q.sess.Execute(ctx, w.QuarryDDL, func(stmt string, r *engine.Result) error {
		for {
			b, err := r.Next()
			if err != nil || b == nil {
				return err
			}
		}
	})
	if err != nil {
		q.Close()
		return nil, fmt.Errorf("quarry DDL: %w", err)
	}
	q.sess.Schema = w.Schema
	return q, nil
}

func (q *quarryEngine) Close() {
	q.eng.Close()
	if q.dir != "" {
		os.RemoveAll(q.dir)
	}
}

// quarryRun is the outcome of one execution.
type quarryRun struct {
	Elapsed time.Duration
	Stats   engine.Stats
	Cols    []string
	Rows    [][]string // only when collected
}

// run executes sql and drains its batches; with collect it also renders
// every value in Trino's text form.
func (q *quarryEngine) run(ctx context.Context, sql string, collect bool) (quarryRun, error) {
	var out quarryRun
	start := time.Now()
	r, err := q.sess.Query(ctx, sql)
	if err != nil {
		return out, err
	}
	for {
		b, err := r.Next()
		if err != nil {
			r.Close()
			return out, err
		}
		if b == nil {
			break
		}
		if collect {
			n := int(b.NumRows())
			for i := 0; i < n; i++ {
				row := make([]string, len(r.Columns))
				for c := range r.Columns {
					s, ok := output.Value(b.Column(c), i, r.Columns[c].Type, time.UTC)
					if !ok {
						s = nullText
					}
					row[c] = s
				}
				out.Rows = append(out.Rows, row)
			}
		}
	}
	if err := r.Close(); err != nil {
		return out, err
	}
	out.Elapsed = time.Since(start)
	out.Stats = r.Stats()
	for _, c := range r.Columns {
		out.Cols = append(out.Cols, c.Name)
	}
	return out, nil
}

// heapSampler records the high-water of the Go heap (live and not yet
// swept objects) while a query runs: the Go runtime keeps no peak, so it
// samples runtime/metrics every millisecond.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	base uint64
	peak uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func readHeap(s []metrics.Sample) uint64 {
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		return s[0].Value.Uint64()
	}
	return 0
}

// startHeapSampler collects garbage first so the baseline is the live
// heap before the query.
func startHeapSampler() *heapSampler {
	runtime.GC()
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	s := []metrics.Sample{{Name: heapMetric}}
	h.base = readHeap(s)
	h.peak = h.base
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := readHeap(s); v > h.peak {
				h.peak = v
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// Stop returns the heap growth over the baseline at its highest.
func (h *heapSampler) Stop() int64 {
	close(h.stop)
	<-h.done
	return int64(h.peak - h.base)
}

// benchCacheMemory is the decoded-column cache's memory tier for the
// bench's engines: the default, or none with QUARRY_BENCH_NO_MEMORY=1
// (warm runs then read the cached segments from disk).
func benchCacheMemory() int64 {
	if os.Getenv("QUARRY_BENCH_NO_MEMORY") != "" {
		return -1
	}
	return 0
}
