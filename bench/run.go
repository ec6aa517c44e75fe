package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Query statuses.
const (
	statusOK       = "ok"
	statusDisagree = "disagree"
	statusQuarry   = "quarry-failed"
	statusDuck     = "duckdb-failed"
	statusBoth     = "both-failed"
)

// engineResult is one engine's figures for one query.
type engineResult struct {
	MinMS    float64   `json:"min_ms,omitempty"`
	MedianMS float64   `json:"median_ms,omitempty"`
	RunsMS   []float64 `json:"runs_ms,omitempty"`
	// WarmupMS is the first (untimed, answer-collecting) run.
	WarmupMS float64 `json:"warmup_ms,omitempty"`
	// PeakMemory: Quarry's accounted peak (Result.Stats().PeakMemory);
	// DuckDB's SYSTEM_PEAK_BUFFER_MEMORY profiling metric.
	PeakMemory int64 `json:"peak_memory_bytes"`
	// HeapPeak (Quarry only): the Go heap's high-water above the live heap
	// before the query, sampled every millisecond via runtime/metrics.
	HeapPeak  int64  `json:"heap_peak_bytes,omitempty"`
	BytesRead int64  `json:"bytes_read,omitempty"`
	Error     string `json:"error,omitempty"`
	// Repeated workload: first run and mean of the following ones, in the
	// round with the median total.
	FirstMS float64 `json:"first_ms,omitempty"`
	RestMS  float64 `json:"rest_mean_ms,omitempty"`
}

type queryResult struct {
	Name     string        `json:"name"`
	Workload string        `json:"workload,omitempty"` // repeated: the source workload
	Status   string        `json:"status"`
	Detail   string        `json:"detail,omitempty"`
	Rows     int           `json:"rows"`
	Quarry   *engineResult `json:"quarry"`
	DuckDB   *engineResult `json:"duckdb"`
	// Ratio is quarry/duckdb of the medians, RatioMin of the minimums.
	Ratio    float64 `json:"ratio,omitempty"`
	RatioMin float64 `json:"ratio_min,omitempty"`
	// Compressed-text workloads: the decompression floor of the files the
	// query reads, and each engine's median over it.
	// Sample rows of each answer when they disagree or one engine failed.
	QuarryRows  [][]string `json:"quarry_rows,omitempty"`
	DuckRows    [][]string `json:"duckdb_rows,omitempty"`
	FloorMS     float64    `json:"floor_ms,omitempty"`
	QuarryFloor float64    `json:"quarry_over_floor,omitempty"`
	DuckFloor   float64    `json:"duckdb_over_floor,omitempty"`
}

type workloadResult struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Note        string         `json:"note,omitempty"`
	Error       string         `json:"error,omitempty"`
	Queries     []*queryResult `json:"queries"`
	// Geometric means over the queries both engines answered alike.
	Geomean     float64 `json:"geomean_ratio,omitempty"`
	GeomeanMin  float64 `json:"geomean_ratio_min,omitempty"`
	Counted     int     `json:"counted"`
	QuarryFail  int     `json:"quarry_failed"`
	DuckFail    int     `json:"duckdb_failed"`
	Disagree    int     `json:"disagree"`
	QuarryFloor float64 `json:"geomean_quarry_over_floor,omitempty"`
	DuckFloor   float64 `json:"geomean_duckdb_over_floor,omitempty"`
}

// runner runs workloads with one configuration.
type runner struct {
	cfg    config
	logf   func(string, ...any)
	floors map[string]time.Duration
}

func (r *runner) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.cfg.Timeout)
}

// runWorkload answers and times every query of w; with repeated it also
// runs w's repeated queries into rep.
func (r *runner) runWorkload(ctx context.Context, w *workload, main bool, rep *workloadResult) *workloadResult {
	res := &workloadResult{Name: w.Name, Description: w.Description, Note: w.Note}
	qe, err := openQuarry(ctx, w, r.cfg.Threads)
	if err != nil {
		res.Error = err.Error()
		r.logf("%s: %v", w.Name, err)
		// Every query fails in Quarry; DuckDB still runs so the answer
		// and its time are on record.
	}
	if main {
		for _, q := range w.Queries {
			qr := r.runQuery(ctx, w, qe, err, q)
			res.Queries = append(res.Queries, qr)
			r.logf("%s %s: %s %s", w.Name, q.Name, qr.Status, summary(qr))
		}
		res.summarize()
	}
	if qe != nil {
		qe.Close()
	}
	if rep != nil {
		for _, name := range w.Repeat {
			for _, q := range w.Queries {
				if q.Name == name {
					qr := r.runRepeated(ctx, w, q)
					rep.Queries = append(rep.Queries, qr)
					r.logf("repeated %s %s: %s %s", w.Name, q.Name, qr.Status, summary(qr))
				}
			}
		}
	}
	return res
}

func summary(q *queryResult) string {
	var parts []string
	if q.Ratio > 0 {
		parts = append(parts, fmt.Sprintf("ratio %.2f (quarry %.1f ms, duckdb %.1f ms)", q.Ratio, q.Quarry.MedianMS, q.DuckDB.MedianMS))
	}
	if q.Detail != "" {
		parts = append(parts, oneLine(q.Detail, 160))
	}
	return strings.Join(parts, " ")
}

func (r *runner) runQuery(ctx context.Context, w *workload, qe *quarryEngine, qeErr error, q query) *queryResult {
	res := &queryResult{Name: q.Name, Quarry: &engineResult{}, DuckDB: &engineResult{}}

	// Answers, memory and warm-up: Quarry, then DuckDB on a fresh instance
	// with its memory metric on.
	var qrun quarryRun
	qerr := qeErr
	if qe != nil {
		h := startHeapSampler()
		tctx, cancel := r.timeout(ctx)
		qrun, qerr = qe.run(tctx, q.Quarry, true)
		cancel()
		res.Quarry.HeapPeak = h.Stop()
		if qerr == nil {
			res.Quarry.WarmupMS = ms(qrun.Elapsed)
			res.Quarry.PeakMemory = qrun.Stats.PeakMemory
			res.Quarry.BytesRead = qrun.Stats.BytesRead
		}
	}
	de, derr := openDuck(ctx, r.cfg.Threads, w.DuckSetup)
	var drun duckRun
	if derr == nil {
		defer de.Close()
		derr = de.enableMemoryProfile(ctx)
		if derr == nil {
			tctx, cancel := r.timeout(ctx)
			drun, derr = de.run(tctx, q.Duck, true)
			cancel()
		}
		if derr == nil {
			res.DuckDB.WarmupMS = ms(drun.Elapsed)
			if p, err := de.peakMemory(); err == nil {
				res.DuckDB.PeakMemory = p
			} else {
				res.DuckDB.PeakMemory = -1
			}
			derr = de.disableProfile(ctx)
		}
	}
	switch {
	case qerr != nil && derr != nil:
		res.Status = statusBoth
	case qerr != nil:
		res.Status = statusQuarry
	case derr != nil:
		res.Status = statusDuck
	}
	if qerr != nil {
		res.Quarry.Error = errText(qerr)
		res.Detail = "quarry: " + oneLine(res.Quarry.Error, 300)
	}
	if derr != nil {
		res.DuckDB.Error = errText(derr)
		if res.Detail != "" {
			res.Detail += "; "
		}
		res.Detail += "duckdb: " + oneLine(res.DuckDB.Error, 300)
	}
	if res.Status != "" {
		res.QuarryRows, res.DuckRows = sample(qrun.Rows), sample(drun.Rows)
		return res
	}
	res.Rows = len(qrun.Rows)
	res.Status = statusOK
	if diff := compareAnswers(qrun.Rows, drun.Rows, qrun.Cols, drun.Cols); diff != "" {
		res.Status = statusDisagree
		res.Detail = diff
		res.QuarryRows, res.DuckRows = sample(qrun.Rows), sample(drun.Rows)
	}

	// Interleaved timed runs; the engine that goes first alternates.
	for i := 0; i < r.cfg.Runs; i++ {
		for k := 0; k < 2; k++ {
			if (i+k)%2 == 0 {
				tctx, cancel := r.timeout(ctx)
				run, err := qe.run(tctx, q.Quarry, false)
				cancel()
				if err != nil {
					res.Status, res.Quarry.Error, res.Detail = statusQuarry, errText(err), "quarry (timed run): "+oneLine(errText(err), 300)
					return res
				}
				res.Quarry.RunsMS = append(res.Quarry.RunsMS, ms(run.Elapsed))
			} else {
				tctx, cancel := r.timeout(ctx)
				run, err := de.run(tctx, q.Duck, false)
				cancel()
				if err != nil {
					res.Status, res.DuckDB.Error, res.Detail = statusDuck, errText(err), "duckdb (timed run): "+oneLine(errText(err), 300)
					return res
				}
				res.DuckDB.RunsMS = append(res.DuckDB.RunsMS, ms(run.Elapsed))
			}
		}
	}
	res.Quarry.MinMS, res.Quarry.MedianMS = minMedian(res.Quarry.RunsMS)
	res.DuckDB.MinMS, res.DuckDB.MedianMS = minMedian(res.DuckDB.RunsMS)
	if res.DuckDB.MedianMS > 0 {
		res.Ratio = res.Quarry.MedianMS / res.DuckDB.MedianMS
		res.RatioMin = res.Quarry.MinMS / res.DuckDB.MinMS
	}
	if len(q.Files) > 0 && res.Quarry.MedianMS > 0 {
		if f, err := r.floor(q.Files); err == nil && f > 0 {
			res.FloorMS = ms(f)
			res.QuarryFloor = res.Quarry.MedianMS / res.FloorMS
			res.DuckFloor = res.DuckDB.MedianMS / res.FloorMS
		} else if err != nil {
			r.logf("floor: %v", err)
		}
	}
	return res
}

// repeatCount is how often a dashboard re-runs the same query.
const repeatCount = 5

// runRepeated times q run repeatCount times in a row, per round on fresh
// engines (a new Quarry catalog, a new DuckDB instance), rounds
// interleaved; the figures are per round (the sum of the runs).
func (r *runner) runRepeated(ctx context.Context, w *workload, q query) *queryResult {
	res := &queryResult{Name: q.Name, Workload: w.Name, Quarry: &engineResult{}, DuckDB: &engineResult{}}
	var qRounds, dRounds [][]float64
	rounds := max(r.cfg.Runs, 1)
	for i := 0; i < rounds; i++ {
		for k := 0; k < 2; k++ {
			if (i+k)%2 == 0 {
				if res.Quarry.Error != "" {
					continue
				}
				round, err := r.quarryRound(ctx, w, q)
				if err != nil {
					res.Quarry.Error = errText(err)
					continue
				}
				qRounds = append(qRounds, round)
			} else {
				if res.DuckDB.Error != "" {
					continue
				}
				round, err := r.duckRound(ctx, w, q)
				if err != nil {
					res.DuckDB.Error = errText(err)
					continue
				}
				dRounds = append(dRounds, round)
			}
		}
	}
	switch {
	case res.Quarry.Error != "" && res.DuckDB.Error != "":
		res.Status = statusBoth
	case res.Quarry.Error != "":
		res.Status = statusQuarry
	case res.DuckDB.Error != "":
		res.Status = statusDuck
	default:
		res.Status = statusOK
	}
	if res.Quarry.Error != "" {
		res.Detail = "quarry: " + oneLine(res.Quarry.Error, 300)
	}
	if res.DuckDB.Error != "" {
		res.Detail = strings.TrimPrefix(res.Detail+"; duckdb: "+oneLine(res.DuckDB.Error, 300), "; ")
	}
	fill := func(e *engineResult, rounds [][]float64) {
		if len(rounds) == 0 {
			return
		}
		var totals []float64
		for _, rd := range rounds {
			totals = append(totals, sum(rd))
		}
		e.RunsMS = totals
		e.MinMS, e.MedianMS = minMedian(totals)
		// The round whose total is the median.
		idx := 0
		for i, t := range totals {
			if math.Abs(t-e.MedianMS) < math.Abs(totals[idx]-e.MedianMS) {
				idx = i
			}
		}
		rd := rounds[idx]
		e.FirstMS = rd[0]
		if len(rd) > 1 {
			e.RestMS = sum(rd[1:]) / float64(len(rd)-1)
		}
	}
	fill(res.Quarry, qRounds)
	fill(res.DuckDB, dRounds)
	if res.Status == statusOK && res.DuckDB.MedianMS > 0 {
		res.Ratio = res.Quarry.MedianMS / res.DuckDB.MedianMS
		res.RatioMin = res.Quarry.MinMS / res.DuckDB.MinMS
	}
	return res
}

func (r *runner) quarryRound(ctx context.Context, w *workload, q query) ([]float64, error) {
	qe, err := openQuarry(ctx, w, r.cfg.Threads, true)
	if err != nil {
		return nil, err
	}
	defer qe.Close()
	var out []float64
	for j := 0; j < repeatCount; j++ {
		tctx, cancel := r.timeout(ctx)
		run, err := qe.run(tctx, q.Quarry, false)
		cancel()
		if err != nil {
			return nil, err
		}
		out = append(out, ms(run.Elapsed))
	}
	return out, nil
}

func (r *runner) duckRound(ctx context.Context, w *workload, q query) ([]float64, error) {
	de, err := openDuck(ctx, r.cfg.Threads, w.DuckSetup)
	if err != nil {
		return nil, err
	}
	defer de.Close()
	var out []float64
	for j := 0; j < repeatCount; j++ {
		tctx, cancel := r.timeout(ctx)
		run, err := de.run(tctx, q.Duck, false)
		cancel()
		if err != nil {
			return nil, err
		}
		out = append(out, ms(run.Elapsed))
	}
	return out, nil
}

// floor measures (once per distinct file set) the decompression floor.
func (r *runner) floor(files []string) (time.Duration, error) {
	key := strings.Join(files, "\x00")
	if f, ok := r.floors[key]; ok {
		return f, nil
	}
	f, err := decompressFloor(files, r.cfg.Threads, 3)
	if err == nil {
		r.floors[key] = f
	}
	return f, err
}

// summarize counts outcomes and takes the geometric means over the
// queries both engines answered alike.
func (w *workloadResult) summarize() {
	var logs, logsMin, lqf, ldf []float64
	w.Counted, w.QuarryFail, w.DuckFail, w.Disagree = 0, 0, 0, 0
	for _, q := range w.Queries {
		switch q.Status {
		case statusQuarry:
			w.QuarryFail++
		case statusDuck:
			w.DuckFail++
		case statusBoth:
			w.QuarryFail++
			w.DuckFail++
		case statusDisagree:
			w.Disagree++
		case statusOK:
			if q.Ratio > 0 && q.RatioMin > 0 {
				w.Counted++
				logs = append(logs, math.Log(q.Ratio))
				logsMin = append(logsMin, math.Log(q.RatioMin))
				if q.QuarryFloor > 0 {
					lqf = append(lqf, math.Log(q.QuarryFloor))
					ldf = append(ldf, math.Log(q.DuckFloor))
				}
			}
		}
	}
	w.Geomean, w.GeomeanMin = geomean(logs), geomean(logsMin)
	w.QuarryFloor, w.DuckFloor = geomean(lqf), geomean(ldf)
}

func geomean(logs []float64) float64 {
	if len(logs) == 0 {
		return 0
	}
	return math.Exp(sum(logs) / float64(len(logs)))
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func minMedian(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[0], med
}

// sample keeps the first rows of an answer for the report.
func sample(rows [][]string) [][]string {
	if len(rows) > 20 {
		return rows[:20]
	}
	return rows
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func errText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout: " + err.Error()
	}
	return err.Error()
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

// setThreads makes the Go scheduler use the same number of cores as the
// engines.
func setThreads(n int) int {
	if n <= 0 {
		n = runtime.NumCPU()
	}
	runtime.GOMAXPROCS(n)
	return n
}
