package server

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/server/console"
)

// Config configures a Server. Zero values take the defaults noted.
type Config struct {
	// Engine runs the queries (required).
	Engine *engine.Engine
	// Logger receives structured logs (default: discard).
	Logger *slog.Logger
	// Version is reported by /v1/info.
	Version string
	// Users enables HTTP Basic authentication on every request except
	// /healthz and /readyz (nil: no authentication).
	Users *Users
	// ReadOnlyUsers may only run queries, SHOW, DESCRIBE, EXPLAIN and USE.
	ReadOnlyUsers []string
	// UserScanLimits bounds, per user, the bytes one statement may be
	// estimated to read before it is refused (EXCEEDED_SCAN_LIMIT); the
	// key "*" applies to users not listed. Tighter engine and session
	// limits still apply.
	UserScanLimits map[string]int64
	// MaxBodyBytes bounds a statement's text (default 1 MiB).
	MaxBodyBytes int64
	// RateLimit is the number of statements per second a user may submit,
	// with bursts of RateBurst (0: unlimited). Paging is not limited.
	RateLimit float64
	RateBurst int
	// MaxRunning bounds the queries executing at once; more wait QUEUED
	// (default 2 × cores, at least 8).
	MaxRunning int
	// MaxQueued bounds the waiting queries; beyond it statements fail
	// with QUERY_QUEUE_FULL (default 10000).
	MaxQueued int
	// ClientTimeout abandons a query whose client has not fetched for
	// this long (default 5m, as Trino's query.client.timeout).
	ClientTimeout time.Duration
	// PollWait is how long a fetch waits for the next page before
	// answering with an empty one (default 1s).
	PollWait time.Duration
	// PageRows and PageBytes bound a page of results (defaults 16384
	// rows, 1 MiB of JSON).
	PageRows  int
	PageBytes int
	// Retention is how long finished queries stay in the query list
	// (default 15m), at most MaxHistory of them (default 1000).
	Retention  time.Duration
	MaxHistory int
}

func (c *Config) defaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxRunning <= 0 {
		c.MaxRunning = max(8, 2*runtime.NumCPU())
	}
	if c.MaxQueued <= 0 {
		c.MaxQueued = 10000
	}
	if c.ClientTimeout <= 0 {
		c.ClientTimeout = 5 * time.Minute
	}
	if c.PollWait <= 0 {
		c.PollWait = time.Second
	}
	if c.PageRows <= 0 {
		c.PageRows = 16384
	}
	if c.PageBytes <= 0 {
		c.PageBytes = 1 << 20
	}
	if c.Retention <= 0 {
		c.Retention = 15 * time.Minute
	}
	if c.MaxHistory <= 0 {
		c.MaxHistory = 1000
	}
}

// Server speaks the Trino client protocol over one engine.
type Server struct {
	cfg      Config
	log      *slog.Logger
	metrics  *metrics
	limiter  *rateLimiter
	readOnly map[string]bool
	nodeID   string
	started  time.Time
	handler  http.Handler

	running chan struct{} // admission slots
	queued  atomic.Int64

	mu       sync.Mutex
	queries  map[string]*query
	finished []*query // terminal queries, oldest first
	seq      int

	draining atomic.Bool
	active   sync.WaitGroup // query producers
	stop     chan struct{}
	stopOnce sync.Once
}

// New creates a server; call Close (or Shutdown) to stop its background work.
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil {
		return nil, errors.New("server: Config.Engine is required")
	}
	cfg.defaults()
	s := &Server{cfg: cfg, log: cfg.Logger, metrics: newMetrics(), limiter: newRateLimiter(cfg.RateLimit, cfg.RateBurst),
		readOnly: map[string]bool{}, nodeID: randomLetters(5), started: time.Now(),
		running: make(chan struct{}, cfg.MaxRunning), queries: map[string]*query{}, stop: make(chan struct{})}
	for _, u := range cfg.ReadOnlyUsers {
		if u = strings.TrimSpace(u); u != "" {
			s.readOnly[u] = true
		}
	}
	s.handler = s.routes()
	go s.reaper()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern, route string, h http.HandlerFunc) {
		mux.Handle(pattern, s.instrument(route, h))
	}
	handle("POST /v1/statement", "statement", s.handleStatement)
	handle("GET /v1/statement/executing/{id}/{slug}/{token}", "fetch", s.handleFetch)
	handle("DELETE /v1/statement/executing/{id}/{slug}/{token}", "cancel", s.handleCancelStatement)
	handle("GET /v1/query", "query_list", s.handleQueryList)
	handle("GET /v1/query/{id}", "query_info", s.handleQueryInfo)
	handle("DELETE /v1/query/{id}", "query_cancel", s.handleQueryCancel)
	handle("GET /v1/info", "info", s.handleInfo)
	handle("GET /v1/info/state", "info", s.handleInfoState)
	handle("GET /healthz", "healthz", s.handleHealthz)
	handle("GET /readyz", "readyz", s.handleReadyz)
	handle("GET /metrics", "metrics", s.handleMetrics)
	handle("/v1/", "unknown", func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(r.URL.Path); allow != "" {
			w.Header().Set("Allow", allow)
			plainError(w, http.StatusMethodNotAllowed, "method not allowed: "+r.Method)
			return
		}
		plainError(w, http.StatusNotFound, "not found: "+r.URL.Path)
	})
	consoleHandler := console.Handler()
	mux.Handle("/", s.instrument("console", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			plainError(w, http.StatusMethodNotAllowed, "method not allowed: "+r.Method)
			return
		}
		consoleHandler.ServeHTTP(w, r)
	}))
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(1024))
	if err != nil {
		panic("BUG: gzip wrapper: " + err.Error())
	}
	return s.guard(gz(mux))
}

// guard rejects what no route serves before anything else runs, then
// authenticates.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete:
		default:
			w.Header().Set("Allow", "GET, HEAD, POST, DELETE")
			plainError(w, http.StatusMethodNotAllowed, "method not allowed: "+r.Method)
			return
		}
		if len(r.URL.Path) > 1024 {
			plainError(w, http.StatusRequestURITooLong, "path too long")
			return
		}
		if s.cfg.Users != nil && r.URL.Path != "/healthz" && r.URL.Path != "/readyz" {
			user, pass, ok := r.BasicAuth()
			if !ok || !s.cfg.Users.Check(user, pass) {
				w.Header().Set("WWW-Authenticate", `Basic realm="Quarry"`)
				plainError(w, http.StatusUnauthorized, "authentication required")
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), authUserKey{}, user))
		}
		next.ServeHTTP(w, r)
	})
}

type authUserKey struct{}

// authUser is the authenticated user of r, or "".
func authUser(r *http.Request) string {
	u, _ := r.Context().Value(authUserKey{}).(string)
	return u
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) instrument(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		h(rec, r)
		if rec.code == 0 {
			rec.code = http.StatusOK
		}
		s.metrics.request(route, rec.code)
	})
}

func plainError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"nodeVersion": map[string]string{"version": s.cfg.Version},
		"environment": "quarry",
		"coordinator": true,
		"starting":    false,
		"uptime":      fmt.Sprintf("%.2fm", time.Since(s.started).Minutes()),
	})
}

func (s *Server) handleInfoState(w http.ResponseWriter, r *http.Request) {
	state := "ACTIVE"
	if s.draining.Load() {
		state = "SHUTTING_DOWN"
	}
	writeJSON(w, http.StatusOK, state)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		plainError(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ready")
}

// Shutdown stops admitting statements (readiness turns 503), lets running
// queries finish and their clients fetch the rest until ctx is done, then
// cancels whatever is left and waits for it to release its resources.
// Serve pages until Shutdown returns; stop the HTTP server after it.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	s.log.Info("draining", "queries", s.activeCount())
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for s.activeCount() > 0 {
		select {
		case <-ctx.Done():
			err = ctx.Err()
			break wait
		case <-tick.C:
		}
	}
	s.mu.Lock()
	left := make([]*query, 0, len(s.queries))
	for _, q := range s.queries {
		left = append(left, q)
	}
	s.mu.Unlock()
	n := 0
	for _, q := range left {
		if q.cancel(newCoded(errShuttingDown, "Server is shutting down")) {
			n++
		}
	}
	if n > 0 {
		s.log.Warn("cancelled queries at shutdown", "count", n)
	}
	s.active.Wait()
	s.Close()
	return err
}

// Close stops background work; it does not wait for queries (see Shutdown).
func (s *Server) Close() {
	s.stopOnce.Do(func() { close(s.stop) })
}

// activeCount is the number of queries not yet in a terminal state.
func (s *Server) activeCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.queries {
		if !q.isDone() {
			n++
		}
	}
	return n
}

// reaper abandons queries whose clients went away and forgets old ones.
func (s *Server) reaper() {
	every := min(max(s.cfg.ClientTimeout/4, 10*time.Millisecond), 5*time.Second)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.reap(now)
		}
	}
}

func (s *Server) reap(now time.Time) {
	s.mu.Lock()
	var stale []*query
	for _, q := range s.queries {
		if !q.isDone() && now.Sub(q.lastAccess()) > s.cfg.ClientTimeout {
			stale = append(stale, q)
		}
	}
	// Forget terminal queries past retention or beyond the history bound.
	for len(s.finished) > 0 && (len(s.finished) > s.cfg.MaxHistory || now.Sub(s.finished[0].endTime()) > s.cfg.Retention) {
		delete(s.queries, s.finished[0].id)
		s.finished[0] = nil
		s.finished = s.finished[1:]
	}
	s.mu.Unlock()
	for _, q := range stale {
		if q.cancel(newCoded(errAbandoned, fmt.Sprintf("Query %s was abandoned by the client, as it may have exited or stopped checking for query results; query results have not been accessed since %s", q.id, q.lastAccess().UTC().Format(time.RFC3339)))) {
			s.log.Info("query abandoned", "query_id", q.id, "user", q.user)
		}
	}
}

// markFinished moves a terminal query to the history queue.
func (s *Server) markFinished(q *query) {
	s.mu.Lock()
	s.finished = append(s.finished, q)
	s.mu.Unlock()
}

func (s *Server) newQueryID() string {
	s.mu.Lock()
	s.seq = (s.seq + 1) % 100000
	n := s.seq
	s.mu.Unlock()
	return fmt.Sprintf("%s_%05d_%s", time.Now().UTC().Format("20060102_150405"), n, s.nodeID)
}

func randomLetters(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

func randomSlug() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 24)
	for _, c := range b {
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return "y" + string(out)
}

func parseToken(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

// allowedMethods lists the methods the API serves at path, for 405
// answers ("" for paths it does not serve at all).
func allowedMethods(path string) string {
	switch path {
	case "/v1/statement":
		return "POST"
	case "/v1/query", "/v1/info", "/v1/info/state":
		return "GET"
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 6 && parts[1] == "statement" && parts[2] == "executing":
		return "GET, DELETE"
	case len(parts) == 3 && parts[1] == "query":
		return "GET, DELETE"
	}
	return ""
}
