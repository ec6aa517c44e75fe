// Command quarry is Quarry's one binary: the SQL runner, the interactive
// shell, the data generators, the demo and the server. Subcommands parse
// flags and call the engine; no logic lives here.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/engine/output"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/sql/token"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `quarry — SQL over CSV, JSON and Parquet files where they lie

Usage:
  quarry sql [-e SQL | -f FILE | stdin] [--format table|csv|tsv|json|jsonl|markdown] [--schema S] [--dry-run]
  quarry gen cur|openfda|tpch --out DIR [size flags]
  quarry demo [--dir DIR]
  quarry cache status|clear
  quarry version

Global flags (any subcommand):
  --catalog DIR        catalog directory (default $QUARRY_HOME or ~/.quarry)
  --memory-limit SIZE  memory limit per query, e.g. 4GB (default: none)
  --scan-limit SIZE    refuse a statement estimated to read more, e.g. 10GB (default: none)
  --threads N          parallelism (default: all cores)
  --cache-dir DIR      decoded-column cache folder (default <catalog>/cache)
  --cache-size SIZE    cache budget (default 10GB)
  --cache-memory SIZE  cached columns kept decoded in memory by one process (default 512MB; 0: none),
                       and a quarter as much for results computed from them
  --no-cache           read raw files every time; no gzip index either
  --quiet              no statistics or notices on stderr
`

// globals are the flags every subcommand accepts.
type globals struct {
	catalog  string
	memLimit string
	scanLim  string
	threads  int
	quiet    bool
	cacheDir string
	cacheMax string
	cacheMem string
	noCache  bool
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.catalog, "catalog", "", "catalog directory")
	fs.StringVar(&g.memLimit, "memory-limit", "", "memory limit per query (e.g. 4GB)")
	fs.StringVar(&g.scanLim, "scan-limit", "", "refuse a statement estimated to read more than this (e.g. 10GB)")
	fs.IntVar(&g.threads, "threads", 0, "parallelism")
	fs.BoolVar(&g.quiet, "quiet", false, "no statistics on stderr")
	fs.StringVar(&g.cacheDir, "cache-dir", "", "decoded-column cache folder")
	fs.StringVar(&g.cacheMax, "cache-size", "", "decoded-column cache budget (e.g. 20GB)")
	fs.StringVar(&g.cacheMem, "cache-memory", "", "cached columns kept decoded in memory (e.g. 1GB; 0: none)")
	fs.BoolVar(&g.noCache, "no-cache", false, "no decoded-column cache")
}

func (g *globals) config() (engine.Config, error) {
	lim, err := parseSize(g.memLimit)
	if err != nil {
		return engine.Config{}, err
	}
	scan, err := parseSize(g.scanLim)
	if err != nil {
		return engine.Config{}, fmt.Errorf("--scan-limit: %w", err)
	}
	cmax, err := parseSize(g.cacheMax)
	if err != nil {
		return engine.Config{}, fmt.Errorf("--cache-size: %w", err)
	}
	cmem, err := parseSize(g.cacheMem)
	if err != nil {
		return engine.Config{}, fmt.Errorf("--cache-memory: %w", err)
	}
	if cmem == 0 && g.cacheMem != "" {
		cmem = -1 // an explicit 0: none
	}
	return engine.Config{CatalogDir: g.catalog, Threads: g.threads, MemoryLimit: lim, ScanLimit: scan,
		CacheDir: g.cacheDir, CacheMaxBytes: cmax, CacheMemoryBytes: cmem, NoCache: g.noCache, Logf: g.logf}, nil
}

// logf reports what the engine says outside statements (cache failures).
func (g *globals) logf(format string, args ...any) {
	if !g.quiet {
		fmt.Fprintf(os.Stderr, "warning: "+format+"\n", args...)
	}
}

func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			mult = suf.m
			u = strings.TrimSpace(strings.TrimSuffix(u, suf.s))
			break
		}
	}
	f, err := strconv.ParseFloat(u, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid size %q (use e.g. 512MB or 4GB)", s)
	}
	return int64(f * float64(mult)), nil
}

func main() {
	// QUARRY_CPUPROFILE=file writes a CPU profile of the whole run, for
	// go tool pprof.
	if p := os.Getenv("QUARRY_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if err := pprof.StartCPUProfile(f); err == nil {
				code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runShell(nil, stdin, stdout, stderr)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "sql":
		return runSQL(rest, stdin, stdout, stderr)
	case "shell":
		return runShell(rest, stdin, stdout, stderr)
	case "gen":
		return runGen(rest, stdout, stderr)
	case "demo":
		return runDemo(rest, stdout, stderr)
	case "serve":
		return runServe(rest, stdout, stderr)
	case "cache":
		return runCache(rest, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "quarry %s\n", version)
		return 0
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	if strings.HasPrefix(cmd, "-") {
		return runShell(args, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "quarry: unknown command %q\n\n%s", cmd, usage)
	return 2
}

func runSQL(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quarry sql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g globals
	g.register(fs)
	expr := fs.String("e", "", "SQL to run")
	file := fs.String("f", "", "file of SQL statements to run")
	format := fs.String("format", "table", "output format: "+strings.Join(output.Formats, ", "))
	schema := fs.String("schema", "", "current schema")
	dryRun := fs.Bool("dry-run", false, "print what each statement would read (files, bytes, Athena cost) instead of running it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quarry sql: unexpected argument %q (use -e 'SQL' or -f FILE)\n", fs.Arg(0))
		return 2
	}
	var sql string
	switch {
	case *expr != "" && *file != "":
		fmt.Fprintln(stderr, "quarry sql: use either -e or -f, not both")
		return 2
	case *expr != "":
		sql = *expr
	case *file != "":
		b, err := os.ReadFile(*file)
		if err != nil {
			fmt.Fprintf(stderr, "quarry sql: %v\n", err)
			return 1
		}
		sql = string(b)
	default:
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "quarry sql: read standard input: %v\n", err)
			return 1
		}
		sql = string(b)
	}
	if _, err := output.NewWriter(*format, io.Discard, nil); err != nil {
		fmt.Fprintf(stderr, "quarry sql: %v\n", err)
		return 2
	}
	cfg, err := g.config()
	if err != nil {
		fmt.Fprintf(stderr, "quarry sql: %v\n", err)
		return 2
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "quarry: %v\n", err)
		return 1
	}
	defer eng.Close()
	reportRecovered(eng, stderr, g.quiet)
	sess := eng.NewSession()
	if *schema != "" {
		sess.Schema = strings.ToLower(*schema)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *dryRun {
		err = sess.DryRun(ctx, sql, func(stmt string, r *engine.Result) error {
			return printDryRun(r, *format, stdout, stderr, g.quiet)
		})
	} else {
		err = sess.Execute(ctx, sql, func(stmt string, r *engine.Result) error {
			return printResult(r, *format, stdout, stderr, g.quiet)
		})
	}
	if err != nil {
		printError(stderr, sql, err)
		return 1
	}
	return 0
}

// printResult writes rows to stdout and statistics to stderr.
func printResult(r *engine.Result, format string, stdout, stderr io.Writer, quiet bool) error {
	if r.Message != "" && len(r.Columns) == 0 {
		if !quiet {
			fmt.Fprintln(stderr, r.Message)
		}
		return nil
	}
	w, err := output.NewWriter(format, stdout, time.UTC)
	if err != nil {
		return err
	}
	if err := w.Begin(r.Columns); err != nil {
		return err
	}
	if !quiet {
		stopProgress := startProgressLine(r, stderr)
		defer stopProgress()
	}
	for {
		b, err := r.Next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		if err := w.Batch(b); err != nil {
			return err
		}
	}
	if err := w.End(); err != nil {
		return err
	}
	r.Close()
	if !quiet {
		printNotices(stderr, r.AllNotices())
		for _, wmsg := range r.AllWarnings() {
			fmt.Fprintf(stderr, "warning: %s\n", wmsg)
		}
		fmt.Fprintln(stderr, statsLine(r.Stats()))
	}
	return nil
}

func statsLine(s engine.Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d row%s in %s", s.Rows, plural(s.Rows), s.Elapsed.Round(time.Millisecond))
	if s.FilesRead > 0 || s.BytesRead > 0 {
		fmt.Fprintf(&b, "; %d file%s, %s scanned", s.FilesRead, plural(s.FilesRead), exec.FormatBytes(s.BytesRead))
		if s.BytesDecompressed > s.BytesRead {
			fmt.Fprintf(&b, " (%s decompressed)", exec.FormatBytes(s.BytesDecompressed))
		}
		if s.PartitionsPruned > 0 {
			fmt.Fprintf(&b, ", %d of %d partitions pruned", s.PartitionsPruned, s.PartitionsTotal)
		}
		if s.RowGroupsSkipped > 0 {
			fmt.Fprintf(&b, ", %d row groups skipped", s.RowGroupsSkipped)
		}
		fmt.Fprintf(&b, "; Athena cost $%.6f", s.Cost())
	}
	if s.CacheHits > 0 {
		fmt.Fprintf(&b, "; %s from the local cache (%d split%s)", exec.FormatBytes(s.CacheBytes), s.CacheHits, plural(s.CacheHits))
	}
	if s.SpillFiles > 0 {
		fmt.Fprintf(&b, "; spilled %s to disk (%d file%s)", exec.FormatBytes(s.SpillBytes), s.SpillFiles, plural(s.SpillFiles))
	}
	return b.String()
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// printError prints one clear line, plus the query line with a caret
// under the error position for errors that have one.
func printError(w io.Writer, sql string, err error) {
	var pos token.Pos
	var perr *parser.Error
	var plist parser.ErrorList
	var serr *plan.SemanticError
	switch {
	case errors.As(err, &plist) && len(plist) > 0:
		pos = plist[0].Pos
	case errors.As(err, &perr):
		pos = perr.Pos
	case errors.As(err, &serr):
		pos = serr.Pos
	}
	fmt.Fprintf(w, "quarry: %v\n", err)
	if strings.Contains(err.Error(), "Division by zero") && strings.Contains(sql, "1.0") {
		fmt.Fprintln(w, "hint: in Trino 1.0 is decimal(2,1), so 1.0 * a / b keeps one decimal place and a small ratio becomes 0.0;\n      SET SESSION parse_decimal_literals_as_double = true reads decimal literals as double, as Athena engine v1 did")
	}
	if pos.Line > 0 {
		lines := strings.Split(sql, "\n")
		if pos.Line <= len(lines) {
			line := strings.TrimRight(lines[pos.Line-1], "\r")
			fmt.Fprintf(w, "  %s\n  %s^\n", line, strings.Repeat(" ", max(pos.Col-1, 0)))
		}
	}
}

// printNotices prints notices, folding repeats of the same event over many
// files ("<file>: line 1 names the table's columns...") into one line.
func printNotices(w io.Writer, notices []string) {
	type group struct {
		first string
		n     int
	}
	var order []string
	groups := map[string]*group{}
	for _, n := range notices {
		key := n
		if i := strings.Index(n, ": "); i > 0 && strings.ContainsAny(n[:i], "/\\") {
			key = n[i+2:]
		}
		g, ok := groups[key]
		if !ok {
			g = &group{first: n}
			groups[key] = g
			order = append(order, key)
		}
		g.n++
	}
	for _, k := range order {
		g := groups[k]
		if g.n == 1 {
			fmt.Fprintf(w, "notice: %s\n", g.first)
			continue
		}
		fmt.Fprintf(w, "notice: %s (and %d more files like it)\n", g.first, g.n-1)
	}
}

// startProgressLine shows a live progress line on stderr while a statement
// runs, when stderr is a terminal (as the Trino CLI does), and nothing
// otherwise. The returned function stops it and clears the line.
func startProgressLine(r *engine.Result, stderr io.Writer) func() {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(f, "\r\033[K")
				}
				return
			case <-t.C:
				p := r.Progress()
				if p.Elapsed < 500*time.Millisecond {
					continue
				}
				rate := float64(p.BytesRead) / p.Elapsed.Seconds()
				fmt.Fprintf(f, "\r\033[K%d/%d files, %s, %d rows, %s, %s/s", p.FilesRead, p.FilesTotal,
					exec.FormatBytes(p.BytesRead), p.Rows, p.Elapsed.Round(100*time.Millisecond), exec.FormatBytes(int64(rate)))
				shown = true
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// reportRecovered tells what opening the catalog did about writes a killed
// process left (see engine.Engine.Recovered).
func reportRecovered(eng *engine.Engine, stderr io.Writer, quiet bool) {
	done, err := eng.Recovered()
	if !quiet {
		for _, d := range done {
			fmt.Fprintf(stderr, "notice: recovered the interrupted write staged in %s\n", d)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "warning: %v (will retry at the next start)\n", err)
	}
}
