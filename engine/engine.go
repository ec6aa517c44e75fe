package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/objstore/local"
	s3store "github.com/quarry-sql/quarry/objstore/s3"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/cache"
	"github.com/quarry-sql/quarry/source/csv"
	jsonsrc "github.com/quarry-sql/quarry/source/json"
	"github.com/quarry-sql/quarry/source/parquet"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/types"
)

// Config configures an Engine.
type Config struct {
	// CatalogDir is the data directory holding the catalog (default
	// $QUARRY_HOME or ~/.quarry).
	CatalogDir string
	// Threads is the parallelism of a query (default: every core).
	Threads int
	// MemoryLimit bounds the memory of one query in bytes (0: none).
	MemoryLimit int64
	// ScanLimit refuses, before it starts, a statement estimated to read
	// more than this many bytes from storage (0: none).
	ScanLimit int64
	// CacheDir is the decoded-column cache's folder (default
	// <CatalogDir>/cache); CacheMaxBytes bounds it (default 10 GiB) and
	// CacheMinFreeBytes is the free disk space it leaves (default 1 GiB).
	// NoCache turns the cache (and the gzip checkpoint index it keeps) off.
	CacheDir          string
	CacheMaxBytes     int64
	CacheMinFreeBytes int64
	// CacheMemoryBytes bounds the cached column chunks kept decoded in
	// memory for repeated queries in this process (default 512 MiB;
	// negative: none).
	CacheMemoryBytes int64
	NoCache          bool
	// Logf receives what the engine reports outside any statement (cache
	// failures, which never fail a query); nil discards it.
	Logf func(format string, args ...any)
	// Now overrides the clock (tests); nil means time.Now.
	Now func() time.Time
	// Zone is the session time zone (default UTC).
	Zone *time.Location
}

// DefaultCatalogDir returns $QUARRY_HOME or ~/.quarry.
func DefaultCatalogDir() string {
	if d := os.Getenv("QUARRY_HOME"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".quarry"
	}
	return filepath.Join(home, ".quarry")
}

// Engine is an open Quarry instance: catalog, function library, storage.
type Engine struct {
	cfg      Config
	cat      *catalog.Store
	funcs    *function.Registry
	resolver *objstore.Resolver
	formats  *source.Registry

	recovered  []string
	recoverErr error

	cache *cache.Cache // nil when off or unusable
}

// Open opens the catalog and wires storage and formats.
func Open(cfg Config) (*Engine, error) {
	if cfg.CatalogDir == "" {
		cfg.CatalogDir = DefaultCatalogDir()
	}
	if cfg.Threads <= 0 {
		cfg.Threads = runtime.NumCPU()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Zone == nil {
		cfg.Zone = time.UTC
	}
	cat, err := catalog.Open(cfg.CatalogDir)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, cat: cat, funcs: function.Builtins(), resolver: objstore.NewResolver(), formats: source.NewRegistry()}
	e.resolver.Register("file", local.New())
	lazy := &lazyS3{}
	for _, sch := range []string{"s3", "s3a", "s3n"} {
		e.resolver.Register(sch, lazy)
	}
	e.openCache()
	var memo source.Memo
	if e.cache != nil {
		memo = e.cache.Memo()
	}
	e.formats.Register(e.cached(csv.Format{Memo: memo}))
	e.formats.Register(parquet.Format{})
	e.formats.Register(e.cached(jsonsrc.Format{}))
	if done, err := e.recoverWrites(context.Background()); err != nil || len(done) > 0 {
		e.recovered, e.recoverErr = done, err
	}
	return e, nil
}

// Recovered reports the staging folders of killed writes that Open cleaned
// up, and what it could not recover (kept for the next start).
func (e *Engine) Recovered() ([]string, error) { return e.recovered, e.recoverErr }

// Close waits (boundedly) for cache fills in flight and closes the catalog.
func (e *Engine) Close() error {
	if e.cache != nil {
		e.cache.Close()
	}
	return e.cat.Close()
}

// Catalog exposes the catalog (for the shell's completion).
func (e *Engine) Catalog() catalog.Catalog { return e.cat }

// Functions exposes the function registry.
func (e *Engine) Functions() *function.Registry { return e.funcs }

// lazyS3 creates the S3 store on first use, so local-only use needs no
// AWS configuration.
type lazyS3 struct {
	once  sync.Once
	store objstore.Store
	err   error
}

func (l *lazyS3) get(ctx context.Context) (objstore.Store, error) {
	l.once.Do(func() { l.store, l.err = s3store.New(context.Background(), s3store.Options{}) })
	return l.store, l.err
}

func (l *lazyS3) List(ctx context.Context, loc string) ([]objstore.ObjectInfo, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.List(ctx, loc)
}
func (l *lazyS3) ListDir(ctx context.Context, loc string) ([]objstore.ObjectInfo, []string, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.ListDir(ctx, loc)
}
func (l *lazyS3) Stat(ctx context.Context, loc string) (objstore.ObjectInfo, error) {
	s, err := l.get(ctx)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	return s.Stat(ctx, loc)
}
func (l *lazyS3) Open(ctx context.Context, info objstore.ObjectInfo) (objstore.File, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.Open(ctx, info)
}
func (l *lazyS3) NewReader(ctx context.Context, info objstore.ObjectInfo, off, n int64) (ioReadCloser, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.NewReader(ctx, info, off, n)
}

// Session is one user's connection: current schema and session properties.
// A Session runs one statement at a time.
type Session struct {
	e      *Engine
	Schema string
	User   string
	Props  map[string]string
	// ScanLimit is this session's scan limit in bytes (0: none); the
	// tightest of it, Config.ScanLimit and the scan_limit property applies.
	ScanLimit int64
}

// NewSession starts a session in the default schema.
func (e *Engine) NewSession() *Session {
	return &Session{e: e, Schema: catalog.DefaultSchema, User: os.Getenv("USER"), Props: map[string]string{}}
}

// Stats describes what a statement did.
type Stats struct {
	Rows              int64
	Elapsed           time.Duration
	FilesRead         int64
	FilesSkipped      int64
	BytesRead         int64
	BytesDecompressed int64
	PartitionsTotal   int64
	PartitionsPruned  int64
	RowGroupsSkipped  int64
	// CacheHits are splits served from the decoded-column cache and
	// CacheBytes the bytes of its segments read (local disk, not storage:
	// not in BytesRead nor in the cost).
	CacheHits  int64
	CacheBytes int64
	PeakMemory int64
	// SpillFiles and SpillBytes are what sorts and aggregations wrote to
	// temporary files to stay under the memory limit.
	SpillFiles int64
	SpillBytes int64
}

// AthenaPricePerTB is Athena's list price per TB scanned, and its minimum
// billed scan per query.
const (
	AthenaPricePerTB  = 5.0
	AthenaMinimumScan = 10 << 20
)

// Cost is the price of the scan at Athena's list price ($5 per TB, 10 MB
// minimum per query).
func (s Stats) Cost() float64 {
	b := max(s.BytesRead, AthenaMinimumScan)
	return float64(b) / 1e12 * AthenaPricePerTB
}

// Result is the outcome of one statement: a stream of batches for
// queries, or an update message for DDL. Close it when done.
type Result struct {
	Columns []types.Column
	// Message is the update type for statements without rows
	// ("CREATE TABLE"); empty for queries.
	Message  string
	Warnings []string
	// Notices are non-fatal events (a header line skipped); complete once
	// the result is consumed. Use AllNotices.
	Notices []string
	notices func() []string
	// explainAnalyze renders the plan with operator statistics (EXPLAIN
	// ANALYZE only).
	explainAnalyze func() string
	// Estimate is set on the results of EXPLAIN (TYPE IO) and dry runs.
	Estimate *IOEstimate

	op      exec.Operator
	ectx    *exec.Context
	started time.Time
	stats   Stats
	closed  bool
	rows    []arrow.Record // static results
	history func(Stats, error)
	err     error

	progressRows atomic.Int64
}

// Progress is a snapshot of a running statement, safe to take from
// another goroutine while Next runs.
type Progress struct {
	FilesRead, FilesTotal int64
	BytesRead             int64
	Rows                  int64
	Elapsed               time.Duration
}

// Progress reports how far the statement has come.
func (r *Result) Progress() Progress {
	p := Progress{Rows: r.progressRows.Load(), Elapsed: time.Since(r.started)}
	if r.ectx != nil {
		p.FilesRead = r.ectx.Scan.FilesRead.Load()
		p.FilesTotal = r.ectx.Scan.FilesListed.Load()
		p.BytesRead = r.ectx.Scan.BytesRead.Load()
	}
	return p
}

// Next returns the next batch, or nil at the end. The batch is valid until
// the next call.
func (r *Result) Next() (b arrow.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			if re, ok := p.(*exec.ResourceError); ok {
				err = re
				return
			}
			err = fmt.Errorf("internal error: %v\n%s", p, debug.Stack())
		}
		if err != nil {
			r.err = err
		}
	}()
	if r.op == nil {
		if len(r.rows) == 0 {
			return nil, nil
		}
		b = r.rows[0]
		r.rows = r.rows[1:]
		r.stats.Rows += b.NumRows()
		r.progressRows.Add(b.NumRows())
		return b, nil
	}
	b, err = r.op.Next(r.ectx)
	if b != nil {
		r.stats.Rows += b.NumRows()
		r.progressRows.Add(b.NumRows())
	}
	return b, err
}

// Stats returns the statement's statistics so far (final after Close).
func (r *Result) Stats() Stats {
	s := r.stats
	if r.ectx != nil {
		sc := r.ectx.Scan
		s.FilesRead = sc.FilesRead.Load()
		s.FilesSkipped = sc.FilesSkipped.Load()
		s.BytesRead = sc.BytesRead.Load()
		s.BytesDecompressed = sc.BytesDecompressed.Load()
		s.PartitionsTotal = sc.PartitionsTotal.Load()
		s.PartitionsPruned = sc.PartitionsPruned.Load()
		s.RowGroupsSkipped = sc.RowGroupsSkipped.Load()
		s.CacheHits = sc.CacheHits.Load()
		s.CacheBytes = sc.CacheBytes.Load()
		s.PeakMemory = r.ectx.Alloc.Peak()
		s.SpillFiles, s.SpillBytes = r.ectx.Spilled()
	}
	if !r.closed {
		s.Elapsed = time.Since(r.started)
	}
	return s
}

// AllWarnings returns warnings recorded while planning and running.
func (r *Result) AllWarnings() []string {
	out := append([]string{}, r.Warnings...)
	if r.ectx != nil {
		for _, w := range r.ectx.Warnings() {
			dup := false
			for _, x := range out {
				dup = dup || x == w
			}
			if !dup {
				out = append(out, w)
			}
		}
	}
	return out
}

// AllNotices returns the statement's notices, including those its scans
// reported while running.
func (r *Result) AllNotices() []string {
	out := append([]string{}, r.Notices...)
	if r.notices != nil {
		out = append(out, r.notices()...)
	}
	return out
}

// Close stops the statement and frees its resources.
func (r *Result) Close() error {
	if r.closed {
		return nil
	}
	r.stats = r.Stats()
	r.stats.Elapsed = time.Since(r.started)
	r.closed = true
	for _, b := range r.rows {
		b.Release()
	}
	r.rows = nil
	var err error
	if r.op != nil {
		err = r.op.Close()
	}
	if r.history != nil {
		r.history(r.stats, r.err)
	}
	return err
}

// Execute parses and runs a script of ;-separated statements, calling
// each with every statement's result in turn. It stops at the first error.
func (s *Session) Execute(ctx context.Context, sql string, each func(stmt string, r *Result) error) error {
	stmts, err := parser.Parse(sql)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		text := sql
		if st.End().Offset > st.Pos().Offset && st.End().Offset <= len(sql) {
			text = sql[st.Pos().Offset:st.End().Offset]
		}
		r, err := s.Run(ctx, st, text)
		if err != nil {
			return err
		}
		if err := each(text, r); err != nil {
			r.Close()
			return err
		}
		if err := r.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Query runs one statement given as text.
func (s *Session) Query(ctx context.Context, sql string) (*Result, error) {
	st, err := parser.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	return s.Run(ctx, st, sql)
}

// Run runs one parsed statement. Panics below are turned into internal
// errors here, the query boundary.
func (s *Session) Run(ctx context.Context, st ast.Statement, text string) (r *Result, err error) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			if re, ok := p.(*exec.ResourceError); ok {
				err = re
				return
			}
			err = fmt.Errorf("internal error: %v\n%s", p, debug.Stack())
		}
		if err != nil {
			s.record(text, start, Stats{Elapsed: time.Since(start)}, err)
		}
	}()
	if err := s.preflight(ctx, st); err != nil {
		return nil, err
	}
	r, err = s.dispatch(ctx, st, text)
	if err != nil {
		return nil, err
	}
	r.started = start
	if r.history == nil {
		r.history = func(st Stats, err error) { s.record(text, start, st, err) }
	}
	return r, nil
}

func (s *Session) record(text string, start time.Time, st Stats, err error) {
	e := catalog.HistoryEntry{
		ID: fmt.Sprintf("%d", start.UnixNano()), SQL: text, User: s.User, State: "FINISHED",
		Started: start, Elapsed: st.Elapsed, Rows: st.Rows, BytesScanned: st.BytesRead,
	}
	if err != nil {
		e.State = "FAILED"
		e.Error = err.Error()
		if errors.Is(err, context.Canceled) {
			e.State = "CANCELED"
		}
	}
	_ = s.e.cat.AddHistory(context.Background(), e)
}

// boolProp reads a boolean session property.
func (s *Session) boolProp(name string) bool {
	v := strings.Trim(strings.ToLower(s.Props[name]), "'")
	return v == "true"
}

func (s *Session) fnContext() *function.Context {
	return &function.Context{Now: s.e.cfg.Now(), Zone: s.e.cfg.Zone}
}

// runQuery plans and starts a query.
func (s *Session) runQuery(ctx context.Context, q *ast.Query) (*Result, error) {
	return s.startQuery(ctx, q, false)
}

// startQuery plans and starts a query; analyze collects per-operator
// statistics (Result.explainAnalyze renders them after the run).
func (s *Session) startQuery(ctx context.Context, q *ast.Query, analyze bool) (*Result, error) {
	start := time.Now()
	fn := s.fnContext()
	var warnings []string
	env := &plan.Env{Ctx: ctx, Catalog: s.e.cat, Funcs: s.e.funcs, Schema: s.Schema, Fn: fn,
		DecimalLiteralsAsDouble: s.boolProp("parse_decimal_literals_as_double"),
		Warn: func(m string) {
			for _, w := range warnings {
				if w == m {
					return
				}
			}
			warnings = append(warnings, m)
		}}
	b := plan.NewBinder(env)
	bound, err := b.BindQuery(q)
	if err != nil {
		return nil, err
	}
	ectx := exec.NewContext(ctx, fn, s.e.cfg.Threads, s.e.cfg.MemoryLimit)
	root := plan.NewOptimizer(b, &tableStats{ctx: ctx, e: s.e}).Optimize(bound.Root)
	var notices []string
	var nmu sync.Mutex
	penv := &plan.PhysEnv{Resolver: s.e.resolver, Formats: s.e.formats, Threads: s.e.cfg.Threads,
		Notice: func(m string) {
			nmu.Lock()
			defer nmu.Unlock()
			notices = append(notices, m)
		}}
	phys := plan.NewPhysical(env, penv, ectx)
	if analyze {
		phys.Stats = map[plan.Node]*exec.OpStats{}
	}
	op, err := phys.Build(root)
	if err != nil {
		return nil, err
	}
	if err := s.checkScanLimit(ctx, phys.Scans); err != nil {
		op.Close()
		return nil, err
	}
	if err := op.Open(ectx); err != nil {
		op.Close()
		return nil, err
	}
	cols := make([]types.Column, len(bound.Names))
	out := root.Output()
	for i := range cols {
		cols[i] = types.Column{Name: bound.Names[i], Type: out[i].T}
	}
	r := &Result{Columns: cols, op: &renamed{Operator: op, cols: cols}, ectx: ectx, Warnings: warnings, started: start}
	if analyze {
		r.explainAnalyze = func() string { return plan.ExplainAnalyze(root, phys.Stats) }
	}
	r.notices = func() []string {
		nmu.Lock()
		defer nmu.Unlock()
		return append([]string(nil), notices...)
	}
	return r, nil
}

// renamed relabels the root's columns with the query's output names.
type renamed struct {
	exec.Operator
	cols []types.Column
}

func (r *renamed) Columns() []types.Column { return r.cols }

// tableStats answers the optimizer's size questions from listings.
type tableStats struct {
	ctx   context.Context
	e     *Engine
	cache map[string]int64
}

func (t *tableStats) TableBytes(tbl *catalog.Table) int64 {
	if t.cache == nil {
		t.cache = map[string]int64{}
	}
	key := tbl.Schema + "." + tbl.Name
	if v, ok := t.cache[key]; ok {
		return v
	}
	v := int64(-1)
	if store, err := t.e.resolver.For(tbl.Location); err == nil {
		if files, err := source.ListTableFiles(t.ctx, store, tbl, tbl.Location, &source.Stats{}); err == nil {
			v = 0
			for _, f := range files {
				v += f.Size
			}
			if strings.HasSuffix(strings.ToLower(tbl.Location), ".gz") || (len(files) > 0 && strings.HasSuffix(files[0].Location, ".gz")) {
				v *= 4
			}
		}
	}
	t.cache[key] = v
	return v
}
