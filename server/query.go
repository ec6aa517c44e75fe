package server

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// Query states, as Trino names them.
const (
	stateQueued   = "QUEUED"
	stateRunning  = "RUNNING"
	stateFinished = "FINISHED"
	stateFailed   = "FAILED"
)

// query is one statement's life on the server: a producer goroutine runs
// it and turns its batches into pages; fetches take the pages one by one.
type query struct {
	s       *Server
	id      string
	slug    string
	user    string
	source  string
	sql     string
	prefix  string // response header prefix: "X-Trino-" or "X-Presto-"
	created time.Time
	sess    *engine.Session
	schema  string            // session schema at submission
	props   map[string]string // session properties at submission
	stmt    *statement

	ctx     context.Context
	stopCtx context.CancelCauseFunc

	pages chan *page    // producer → fetch; capacity bounds buffering
	done  chan struct{} // closed when the producer has exited
	endCh chan struct{} // closed when the query reaches a terminal state

	fetchMu sync.Mutex // one fetch at a time
	release func()     // frees the admission slot (idempotent)

	mu          sync.Mutex
	state       string
	terminal    bool
	canceled    bool
	err         *queryError
	columns     []column
	updateType  string
	headers     http.Header // session effects, sent with the final response
	stats       engine.Stats
	started     time.Time // left the queue
	ended       time.Time
	accessed    time.Time
	token       int64 // the token the next fetch must carry
	lastToken   int64
	lastBody    []byte
	lastHeaders http.Header
	warnings    []string
}

// page is a bounded run of result rows, already encoded as a JSON array.
type page struct {
	data []byte
	rows int
}

func (q *query) isDone() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.terminal
}

func (q *query) lastAccess() time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.accessed
}

func (q *query) endTime() time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.ended
}

// cancel stops the query with cause unless it already ended; it reports
// whether it did anything.
func (q *query) cancel(cause error) bool {
	q.mu.Lock()
	if q.terminal {
		q.mu.Unlock()
		return false
	}
	q.mu.Unlock()
	q.stopCtx(cause)
	q.end(stateFailed, cause)
	return true
}

// end moves the query to a terminal state once.
func (q *query) end(state string, err error) {
	q.mu.Lock()
	if q.terminal {
		q.mu.Unlock()
		return
	}
	q.terminal = true
	close(q.endCh)
	q.state = state
	q.ended = time.Now()
	if err != nil {
		q.err = toQueryError(err)
		q.canceled = q.err.ErrorName == errUserCanceled.Name || q.err.ErrorName == errAbandoned.Name || q.err.ErrorName == errShuttingDown.Name
	}
	elapsed := q.ended.Sub(q.created)
	st := q.stats
	qe := q.err
	q.mu.Unlock()

	metricState := state
	if q.canceled {
		metricState = "CANCELED"
	}
	q.s.metrics.queryDone(metricState, elapsed, st.BytesRead, st.Rows)
	q.s.markFinished(q)
	attrs := []any{"query_id", q.id, "user", q.user, "state", state, "elapsed_ms", elapsed.Milliseconds(),
		"rows", st.Rows, "bytes_scanned", st.BytesRead}
	if qe != nil {
		attrs = append(attrs, "error_name", qe.ErrorName, "error", qe.Message)
	}
	q.s.log.Info("query ended", attrs...)
}

// run is the producer: admission, execution, paging.
func (q *query) run() {
	defer q.s.active.Done()
	defer close(q.done)
	s := q.s
	select {
	case s.running <- struct{}{}:
	case <-q.ctx.Done():
		s.queued.Add(-1)
		s.metrics.queued.Add(-1)
		q.end(stateFailed, context.Cause(q.ctx))
		return
	}
	s.queued.Add(-1)
	s.metrics.queued.Add(-1)
	s.metrics.running.Add(1)
	var once sync.Once
	release := func() {
		once.Do(func() {
			s.metrics.running.Add(-1)
			<-s.running
		})
	}
	q.release = release
	defer release()
	q.mu.Lock()
	if !q.terminal {
		q.state = stateRunning
	}
	q.started = time.Now()
	q.mu.Unlock()

	if err := q.execute(); err != nil {
		if q.ctx.Err() != nil {
			err = context.Cause(q.ctx)
		}
		if q.s.log.Enabled(context.Background(), -4) || strings.HasPrefix(err.Error(), "internal error") {
			q.s.log.Error("query failed", "query_id", q.id, "error", err.Error())
		}
		q.end(stateFailed, err)
	}
}

// execute runs the statement and sends its pages; it returns the error
// that ends it, if any.
func (q *query) execute() error {
	switch x := q.stmt.st.(type) {
	case *ast.Prepare:
		q.setUpdate("PREPARE", http.Header{q.prefix + "Added-Prepare": {q.stmt.addedPrepare}})
		return q.sendTrue()
	case *ast.Deallocate:
		q.setUpdate("DEALLOCATE", http.Header{q.prefix + "Deallocated-Prepare": {q.stmt.deallocated}})
		return q.sendTrue()
	case *ast.Use:
		_ = x
	}
	before := q.sess.Schema
	props := maps.Clone(q.sess.Props)
	r, err := q.sess.Run(q.ctx, q.stmt.st, q.stmt.text)
	if err != nil {
		return err
	}
	defer r.Close()
	if q.ctx.Err() != nil { // cancelled while planning: do not start
		return context.Cause(q.ctx)
	}
	h := http.Header{}
	if _, ok := q.stmt.st.(*ast.Use); ok || q.sess.Schema != before {
		h.Set(q.prefix+"Set-Catalog", "quarry")
		h.Set(q.prefix+"Set-Schema", q.sess.Schema)
	}
	for k, v := range q.sess.Props {
		if old, ok := props[k]; !ok || old != v {
			if set, ok := q.stmt.st.(*ast.SetSession); ok {
				switch lit := set.Value.(type) {
				case *ast.StringLit:
					v = lit.Value
				case *ast.BoolLit:
					v = strings.ToLower(v)
				}
			}
			h.Add(q.prefix+"Set-Session", k+"="+url.QueryEscape(v))
		}
	}
	for k := range props {
		if _, ok := q.sess.Props[k]; !ok {
			h.Add(q.prefix+"Clear-Session", k)
		}
	}
	if len(r.Columns) == 0 {
		q.setUpdate(r.Message, h)
		return q.sendTrue()
	}
	q.mu.Lock()
	q.columns = columnsOf(r.Columns)
	q.updateType = r.Message
	q.headers = h
	q.mu.Unlock()

	cols := r.Columns
	pageRows, pageBytes := q.s.cfg.PageRows, q.s.cfg.PageBytes
	var buf []byte
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		buf = append(buf, ']')
		p := &page{data: buf, rows: n}
		buf, n = nil, 0
		select {
		case q.pages <- p:
			return nil
		case <-q.ctx.Done():
			return context.Cause(q.ctx)
		}
	}
	for {
		b, err := r.Next()
		q.snapshot(r)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		rows := int(b.NumRows())
		for i := 0; i < rows; i++ {
			if n == 0 {
				buf = make([]byte, 0, min(pageBytes+pageBytes/4, 64<<10))
				buf = append(buf, '[')
			} else {
				buf = append(buf, ',')
			}
			buf = appendRow(buf, b, i, cols)
			n++
			if n >= pageRows || len(buf) >= pageBytes {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	// The work is done: free the slot before Close, which records the
	// query in the catalog's history (a synced write).
	q.release()
	r.Close()
	q.snapshot(r)
	q.mu.Lock()
	q.warnings = r.AllWarnings()
	q.mu.Unlock()
	return nil
}

// snapshot copies the result's statistics for other goroutines to read.
func (q *query) snapshot(r *engine.Result) {
	st := r.Stats()
	q.mu.Lock()
	q.stats = st
	q.mu.Unlock()
}

// setUpdate records a statement without rows: Trino answers those with
// one boolean column "result" holding true.
func (q *query) setUpdate(updateType string, h http.Header) {
	q.mu.Lock()
	q.updateType = updateType
	q.columns = columnsOf([]types.Column{{Name: "result", Type: types.BooleanType}})
	q.headers = h
	q.mu.Unlock()
}

func (q *query) sendTrue() error {
	select {
	case q.pages <- &page{data: []byte("[[true]]"), rows: 1}:
		return nil
	case <-q.ctx.Done():
		return context.Cause(q.ctx)
	}
}

// queryResults is the protocol's QueryResults document.
type queryResults struct {
	ID               string          `json:"id"`
	InfoURI          string          `json:"infoUri"`
	PartialCancelURI string          `json:"partialCancelUri,omitempty"`
	NextURI          string          `json:"nextUri,omitempty"`
	Columns          []column        `json:"columns,omitempty"`
	Data             json.RawMessage `json:"data,omitempty"`
	Stats            statementStats  `json:"stats"`
	Error            *queryError     `json:"error,omitempty"`
	Warnings         []warning       `json:"warnings"`
	UpdateType       string          `json:"updateType,omitempty"`
	UpdateCount      *int64          `json:"updateCount,omitempty"`
}

type warning struct {
	WarningCode struct {
		Code int    `json:"code"`
		Name string `json:"name"`
	} `json:"warningCode"`
	Message string `json:"message"`
}

// statementStats is the protocol's StatementStats.
type statementStats struct {
	State              string  `json:"state"`
	Queued             bool    `json:"queued"`
	Scheduled          bool    `json:"scheduled"`
	ProgressPercentage float64 `json:"progressPercentage,omitempty"`
	Nodes              int     `json:"nodes"`
	TotalSplits        int     `json:"totalSplits"`
	QueuedSplits       int     `json:"queuedSplits"`
	RunningSplits      int     `json:"runningSplits"`
	CompletedSplits    int     `json:"completedSplits"`
	CPUTimeMillis      int64   `json:"cpuTimeMillis"`
	WallTimeMillis     int64   `json:"wallTimeMillis"`
	QueuedTimeMillis   int64   `json:"queuedTimeMillis"`
	ElapsedTimeMillis  int64   `json:"elapsedTimeMillis"`
	ProcessedRows      int64   `json:"processedRows"`
	ProcessedBytes     int64   `json:"processedBytes"`
	PhysicalInputBytes int64   `json:"physicalInputBytes"`
	PeakMemoryBytes    int64   `json:"peakMemoryBytes"`
	SpilledBytes       int64   `json:"spilledBytes"`
}

// statsLocked builds the statement stats; q.mu must be held.
func (q *query) statsLocked() statementStats {
	now := time.Now()
	end := now
	if q.terminal {
		end = q.ended
	}
	st := statementStats{State: q.state, Queued: q.state == stateQueued, Scheduled: q.state != stateQueued, Nodes: 1,
		ElapsedTimeMillis: end.Sub(q.created).Milliseconds(), ProcessedRows: q.stats.Rows,
		ProcessedBytes: q.stats.BytesRead, PhysicalInputBytes: q.stats.BytesRead, PeakMemoryBytes: q.stats.PeakMemory}
	if !q.started.IsZero() {
		st.QueuedTimeMillis = q.started.Sub(q.created).Milliseconds()
		st.WallTimeMillis = end.Sub(q.started).Milliseconds()
	} else {
		st.QueuedTimeMillis = st.ElapsedTimeMillis
	}
	if q.state == stateFinished {
		st.ProgressPercentage = 100
	}
	return st
}

// results builds a response; q.mu must be held.
func (q *query) resultsLocked(base string, data []byte, next bool) *queryResults {
	res := &queryResults{ID: q.id, InfoURI: base + "/v1/query/" + q.id, Columns: q.columns, Stats: q.statsLocked(),
		Warnings: []warning{}, UpdateType: q.updateType}
	if len(data) > 0 {
		res.Data = data
	}
	if next {
		res.NextURI = q.nextURI(base, q.token)
	}
	if q.err != nil && !next {
		res.Error = q.err
	}
	for _, w := range q.warnings {
		var wr warning
		wr.WarningCode.Code, wr.WarningCode.Name = 0x0001, "QUARRY_WARNING"
		wr.Message = w
		res.Warnings = append(res.Warnings, wr)
	}
	return res
}

func (q *query) nextURI(base string, token int64) string {
	return base + "/v1/statement/executing/" + q.id + "/" + q.slug + "/" + itoa(token)
}
