// Command bench runs Quarry and DuckDB side by side on the same files in
// one process and reports time ratios (quarry/duckdb), peak memory and
// whether their answers agree. See README.md.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

type config struct {
	Quick      bool          `json:"quick"`
	SF         float64       `json:"sf"`
	Threads    int           `json:"threads"`
	Cache      string        `json:"cache"`
	Shared     string        `json:"shared"`
	Workloads  []string      `json:"workloads"`
	Queries    []string      `json:"queries,omitempty"`
	Runs       int           `json:"runs"`
	Timeout    time.Duration `json:"timeout_ns"`
	CURBytes   int64         `json:"cur_bytes"`
	FDAReports int           `json:"fda_reports"`
}

var allWorkloads = []string{"tpch-parquet", "tpch-tbl", "cur-csv", "cur-parquet", "fda-json", "fda-parquet", "repeated"}

// report is the JSON output.
type report struct {
	Date      string            `json:"date"`
	Host      string            `json:"host"`
	CPU       string            `json:"cpu"`
	Cores     int               `json:"cores"`
	GoVersion string            `json:"go_version"`
	DuckDB    string            `json:"duckdb_version"`
	Commit    string            `json:"commit"`
	Config    config            `json:"config"`
	Workloads []*workloadResult `json:"workloads"`
	ElapsedS  float64           `json:"elapsed_s"`
}

func main() {
	var cfg config
	var workloads, queries, jsonOut string
	var sf float64
	var curMB int
	flag.BoolVar(&cfg.Quick, "quick", false, "smoke check: small data (TPC-H SF 0.1, CUR ~50 MB, openFDA 20k reports), 3 runs")
	flag.Float64Var(&sf, "sf", 0, "TPC-H scale factor (default 1; 0.1 with -quick)")
	flag.IntVar(&cfg.Threads, "threads", 0, "threads for both engines (default: every core)")
	flag.StringVar(&cfg.Cache, "cache", "cache", "folder of generated data, reused across runs")
	flag.StringVar(&cfg.Shared, "shared", "../../shared", "the shared folder (spec DDL and queries, TPC-H queries)")
	flag.StringVar(&jsonOut, "json", "", "write the results as JSON to this file")
	flag.StringVar(&workloads, "workloads", strings.Join(allWorkloads, ","), "comma-separated workloads: "+strings.Join(allWorkloads, ","))
	flag.StringVar(&queries, "queries", "", "comma-separated TPC-H query names to run (q01,...); default all")
	flag.IntVar(&cfg.Runs, "runs", 3, "timed runs per engine and query (after a warm-up)")
	flag.DurationVar(&cfg.Timeout, "timeout", 0, "timeout per query execution (default 5m; 1m with -quick)")
	flag.IntVar(&curMB, "cur-mb", 0, "CUR delivery size in MB of uncompressed CSV (default 1024; 50 with -quick)")
	flag.IntVar(&cfg.FDAReports, "fda-reports", 0, "openFDA reports to generate (default 400000; 20000 with -quick)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (Quarry's Go code; DuckDB shows as cgo) to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}

	cfg.SF = pick(sf, 1, 0.1, cfg.Quick)
	cfg.CURBytes = int64(pick(float64(curMB), 1024, 50, cfg.Quick)) << 20
	cfg.FDAReports = int(pick(float64(cfg.FDAReports), 400000, 20000, cfg.Quick))
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Minute
		if cfg.Quick {
			cfg.Timeout = time.Minute
		}
	}
	cfg.Threads = setThreads(cfg.Threads)
	cfg.Workloads = splitList(workloads)
	cfg.Queries = splitList(queries)
	for _, w := range cfg.Workloads {
		if !contains(allWorkloads, w) {
			fmt.Fprintf(os.Stderr, "bench: unknown workload %q (have %s)\n", w, strings.Join(allWorkloads, ", "))
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg, os.Stdout, func(f string, a ...any) { fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...) })
	if err == nil && jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		err = os.WriteFile(jsonOut, append(b, '\n'), 0o644)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func pick(v, full, quick float64, isQuick bool) float64 {
	switch {
	case v > 0:
		return v
	case isQuick:
		return quick
	}
	return full
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// run prepares the data the selected workloads need, runs them and
// prints a table per workload to out.
func run(ctx context.Context, cfg config, out io.Writer, logf func(string, ...any)) (*report, error) {
	start := time.Now()
	host, _ := os.Hostname()
	rep := &report{Date: start.UTC().Format(time.RFC3339), Host: host, CPU: cpuModel(), Cores: runtime.NumCPU(),
		GoVersion: runtime.Version(), Commit: gitCommit(), Config: cfg}
	if d, err := openDuck(ctx, 1, nil); err == nil {
		rep.DuckDB = d.version(ctx)
		d.Close()
	}
	if err := os.MkdirAll(cfg.Cache, 0o755); err != nil {
		return nil, err
	}
	cache, err := filepath.Abs(cfg.Cache)
	if err != nil {
		return nil, err
	}
	want := func(names ...string) bool {
		for _, n := range names {
			if contains(cfg.Workloads, n) {
				return true
			}
		}
		return false
	}
	repeated := want("repeated")
	fmt.Fprintf(out, "Quarry vs DuckDB %s — %s, %d cores, %d threads, Go %s, commit %s, %s\n",
		rep.DuckDB, rep.CPU, rep.Cores, cfg.Threads, rep.GoVersion, rep.Commit, rep.Date)
	fmt.Fprintln(out, "ratio = quarry time / duckdb time (median of runs; lower is better); memory: quarry accounted peak / Go heap high-water, duckdb buffer-manager peak")

	var ws []*workload
	if want("tpch-parquet", "tpch-tbl") || repeated {
		d, err := prepareTPCH(ctx, cache, cfg.SF, logf)
		if err != nil {
			return nil, err
		}
		tw, err := tpchWorkloads(cfg.Shared, d, cfg.Queries)
		if err != nil {
			return nil, err
		}
		ws = append(ws, tw...)
	}
	if want("cur-csv", "cur-parquet") || repeated {
		if err := loadCURColumns(cfg.Shared); err != nil {
			return nil, err
		}
		d, err := prepareCUR(ctx, cfg.Shared, cache, cfg.CURBytes, cfg.Threads, logf)
		if err != nil {
			return nil, err
		}
		cw, err := curWorkloads(cfg.Shared, d)
		if err != nil {
			return nil, err
		}
		ws = append(ws, cw...)
	}
	if want("fda-json", "fda-parquet") || repeated {
		d, err := prepareFDA(ctx, cache, cfg.FDAReports, cfg.Threads, logf)
		if err != nil {
			return nil, err
		}
		fw, err := fdaWorkloads(cfg.Shared, d)
		if err != nil {
			return nil, err
		}
		ws = append(ws, fw...)
	}

	r := &runner{cfg: cfg, logf: logf, floors: map[string]time.Duration{}}
	var rep2 *workloadResult
	if repeated {
		rep2 = &workloadResult{Name: "repeated", Description: fmt.Sprintf(
			"the same query %d times in a row on fresh engines (per round: the sum of the %d runs)", repeatCount, repeatCount)}
	}
	for _, w := range ws {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		main := want(w.Name)
		if !main && (rep2 == nil || len(w.Repeat) == 0) {
			continue
		}
		res := r.runWorkload(ctx, w, main, rep2)
		if main {
			rep.Workloads = append(rep.Workloads, res)
			printWorkload(out, res)
		}
	}
	if rep2 != nil {
		rep2.summarize()
		rep.Workloads = append(rep.Workloads, rep2)
		printWorkload(out, rep2)
	}
	printSummary(out, rep)
	rep.ElapsedS = time.Since(start).Seconds()
	fmt.Fprintf(out, "\ntotal time %s\n", time.Since(start).Round(time.Second))
	return rep, nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return runtime.GOARCH
}

// gitCommit names the working tree's commit, marked -dirty when it has
// uncommitted changes.
func gitCommit() string {
	b, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(b))
	if s, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(s))) > 0 {
		c += "-dirty"
	}
	return c
}
