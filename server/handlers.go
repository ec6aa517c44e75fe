package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// headers reads X-Trino-* request headers, falling back to X-Presto-*.
type headers struct {
	h      http.Header
	prefix string // for responses: the family the client used
}

func newHeaders(h http.Header) headers {
	prefix := "X-Trino-"
	trino, presto := false, false
	for k := range h {
		trino = trino || strings.HasPrefix(k, "X-Trino-")
		presto = presto || strings.HasPrefix(k, "X-Presto-")
	}
	if presto && !trino {
		prefix = "X-Presto-"
	}
	return headers{h: h, prefix: prefix}
}

func (h headers) get(name string) string {
	if v := h.h.Get("X-Trino-" + name); v != "" {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(h.h.Get("X-Presto-" + name))
}

func (h headers) values(name string) []string {
	if v := h.h.Values("X-Trino-" + name); len(v) > 0 {
		return v
	}
	return h.h.Values("X-Presto-" + name)
}

// parseSession reads X-Trino-Session: comma-separated name=url-encoded-value.
func parseSession(values []string) (map[string]string, error) {
	props := map[string]string{}
	for _, v := range values {
		for _, entry := range strings.Split(v, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			name, val, ok := strings.Cut(entry, "=")
			name = strings.TrimSpace(name)
			if !ok || name == "" {
				return nil, fmt.Errorf("invalid session property %q: want name=value", entry)
			}
			dec, err := url.QueryUnescape(strings.TrimSpace(val))
			if err != nil {
				return nil, fmt.Errorf("invalid session property %s: %v", name, err)
			}
			props[strings.ToLower(name)] = dec
		}
	}
	return props, nil
}

// knownCatalogs are the names Quarry's one catalog answers to.
var knownCatalogs = map[string]bool{"quarry": true, "awsdatacatalog": true, "hive": true}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (s *Server) handleStatement(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			plainError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Query text length exceeds the maximum of %d bytes", s.cfg.MaxBodyBytes))
			return
		}
		plainError(w, http.StatusBadRequest, "read request body: "+err.Error())
		return
	}
	sql := strings.TrimSpace(string(body))
	if sql == "" {
		plainError(w, http.StatusBadRequest, "SQL statement is empty")
		return
	}
	h := newHeaders(r.Header)
	user := h.get("User")
	if au := authUser(r); au != "" {
		if user == "" {
			user = au
		} else if user != au {
			plainError(w, http.StatusForbidden, fmt.Sprintf("Access Denied: User %s cannot impersonate user %s", au, user))
			return
		}
	}
	if user == "" {
		user = "anonymous"
	}
	props, err := parseSession(h.values("Session"))
	if err != nil {
		plainError(w, http.StatusBadRequest, "Invalid "+h.prefix+"Session header: "+err.Error())
		return
	}
	prepared, err := parsePrepared(h.values("Prepared-Statement"))
	if err != nil {
		plainError(w, http.StatusBadRequest, "Invalid "+h.prefix+"Prepared-Statement header: "+err.Error())
		return
	}
	if ok, wait := s.limiter.allow(user, time.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		plainError(w, http.StatusTooManyRequests, fmt.Sprintf("too many statements from user %s", user))
		return
	}

	sess := s.cfg.Engine.NewSession()
	sess.User = user
	sess.Props = props
	sess.ScanLimit = userScanLimit(s.cfg.UserScanLimits, user)
	if schema := h.get("Schema"); schema != "" {
		sess.Schema = strings.ToLower(schema)
	}
	// The producer mutates the session (USE, SET SESSION); the query list
	// reads these copies.
	schema, propsCopy := sess.Schema, maps.Clone(props)
	ctx, stop := context.WithCancelCause(context.Background())
	now := time.Now()
	q := &query{s: s, id: s.newQueryID(), slug: randomSlug(), user: user, source: h.get("Source"), sql: sql,
		prefix: h.prefix, created: now, sess: sess, schema: schema, props: propsCopy, ctx: ctx, stopCtx: stop,
		pages: make(chan *page, 1), done: make(chan struct{}), endCh: make(chan struct{}), state: stateQueued, accessed: now, lastToken: -1}

	// Failures found before execution are delivered on the first fetch,
	// as Trino does: clients expect the submission itself to succeed.
	var fail error
	catalog := strings.ToLower(h.get("Catalog"))
	switch {
	case s.draining.Load():
		fail = newCoded(errShuttingDown, "Server is shutting down")
	case catalog != "" && !knownCatalogs[catalog]:
		fail = newCoded(errCatalogNotFound, fmt.Sprintf("Catalog '%s' does not exist; Quarry's catalog is named quarry", catalog))
	case s.queued.Load() >= int64(s.cfg.MaxQueued):
		fail = newCoded(errQueueFull, fmt.Sprintf("Too many queued queries for %q", user))
	}
	if fail == nil {
		q.stmt, fail = resolveStatement(sql, prepared)
	}
	if fail == nil && s.readOnly[user] && !readOnlyAllowed(q.stmt.st) {
		fail = newCoded(errPermissionDenied, fmt.Sprintf("Access Denied: user %s is read-only and cannot run %s", user, statementKind(q.stmt.st)))
	}

	s.mu.Lock()
	if fail == nil && s.draining.Load() {
		fail = newCoded(errShuttingDown, "Server is shutting down")
	}
	s.queries[q.id] = q
	if fail == nil {
		s.active.Add(1)
	}
	s.mu.Unlock()
	if fail != nil {
		stop(fail)
		close(q.done)
		q.end(stateFailed, fail)
	} else {
		s.queued.Add(1)
		s.metrics.queued.Add(1)
		s.log.Debug("query submitted", "query_id", q.id, "user", user, "source", q.source)
		go q.run()
	}

	base := baseURL(r)
	q.mu.Lock()
	res := &queryResults{ID: q.id, InfoURI: base + "/v1/query/" + q.id, NextURI: q.nextURI(base, 0),
		Stats: statementStats{State: stateQueued, Queued: true, Nodes: 1}, Warnings: []warning{}}
	q.mu.Unlock()
	writeJSON(w, http.StatusOK, res)
}

func statementKind(st any) string {
	name := fmt.Sprintf("%T", st)
	name = strings.TrimPrefix(name, "*ast.")
	return name
}

func (s *Server) lookup(id string) *query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[id]
}

// visible reports whether the requester may see q: with authentication on,
// users see their own queries only.
func (s *Server) visible(r *http.Request, q *query) bool {
	au := authUser(r)
	return au == "" || q.user == au
}

func (s *Server) handleFetch(w http.ResponseWriter, r *http.Request) {
	q := s.lookup(r.PathValue("id"))
	if q == nil || q.slug != r.PathValue("slug") || !s.visible(r, q) {
		plainError(w, http.StatusNotFound, "Query not found: "+r.PathValue("id"))
		return
	}
	tok, ok := parseToken(r.PathValue("token"))
	if !ok {
		plainError(w, http.StatusBadRequest, "invalid token "+r.PathValue("token"))
		return
	}
	wait := s.cfg.PollWait
	if mw := r.URL.Query().Get("maxWait"); mw != "" {
		if d, err := time.ParseDuration(mw); err == nil && d > 0 {
			wait = min(d, 10*time.Second)
		}
	}

	q.fetchMu.Lock()
	defer q.fetchMu.Unlock()
	q.mu.Lock()
	q.accessed = time.Now()
	if tok == q.lastToken && q.lastBody != nil {
		// The client retries the request whose answer it did not get.
		body, hs := q.lastBody, q.lastHeaders
		q.mu.Unlock()
		writeCached(w, body, hs)
		return
	}
	if tok != q.token {
		q.mu.Unlock()
		plainError(w, http.StatusGone, fmt.Sprintf("Query %s: token %d is not the current one (%d)", q.id, tok, q.token))
		return
	}
	q.mu.Unlock()

	var p *page
	final := false
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case p = <-q.pages:
	case <-q.done:
		select {
		case p = <-q.pages:
		default:
			final = true
		}
	case <-q.endCh:
		// Failed or cancelled: answer now, without waiting for the
		// engine to notice and the producer to exit.
		final = true
	case <-timer.C:
	case <-r.Context().Done():
		return
	}
	if p != nil {
		// The last page can carry the end of the query, saving a round trip.
		select {
		case <-q.done:
			// Done without error (errors end the query at once) and
			// nothing left: this page is the last.
			final = len(q.pages) == 0 && !q.isDone()
		default:
		}
	}
	if final {
		q.end(stateFinished, nil) // no-op when it already failed
	}
	var data []byte
	if p != nil {
		data = p.data
	}
	base := baseURL(r)
	q.mu.Lock()
	q.accessed = time.Now()
	if !final {
		q.token++
	}
	res := q.resultsLocked(base, data, !final)
	hs := http.Header{}
	if final && q.err == nil {
		hs = q.headers.Clone()
	}
	body, err := json.Marshal(res)
	if err != nil {
		q.mu.Unlock()
		plainError(w, http.StatusInternalServerError, err.Error())
		return
	}
	q.lastToken, q.lastBody, q.lastHeaders = tok, body, hs
	q.mu.Unlock()
	writeCached(w, body, hs)
}

func writeCached(w http.ResponseWriter, body []byte, hs http.Header) {
	for k, v := range hs {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (s *Server) handleCancelStatement(w http.ResponseWriter, r *http.Request) {
	q := s.lookup(r.PathValue("id"))
	if q == nil || q.slug != r.PathValue("slug") || !s.visible(r, q) {
		plainError(w, http.StatusNotFound, "Query not found: "+r.PathValue("id"))
		return
	}
	q.cancel(newCoded(errUserCanceled, "Query was canceled"))
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleQueryCancel(w http.ResponseWriter, r *http.Request) {
	q := s.lookup(r.PathValue("id"))
	if q == nil || !s.visible(r, q) {
		plainError(w, http.StatusNotFound, "Query not found: "+r.PathValue("id"))
		return
	}
	if q.cancel(newCoded(errUserCanceled, "Query was canceled")) {
		s.log.Info("query canceled", "query_id", q.id, "by", authUser(r))
	}
	w.WriteHeader(http.StatusNoContent)
}

// queryInfo is a query in GET /v1/query: the fields of Trino's
// BasicQueryInfo that tools read.
type queryInfo struct {
	QueryID    string         `json:"queryId"`
	State      string         `json:"state"`
	Query      string         `json:"query"`
	Self       string         `json:"self"`
	Scheduled  bool           `json:"scheduled"`
	Session    sessionInfo    `json:"session"`
	QueryStats queryStatsInfo `json:"queryStats"`
	ErrorType  string         `json:"errorType,omitempty"`
	ErrorCode  *errorCodeInfo `json:"errorCode,omitempty"`
	// Error and UpdateType are filled for GET /v1/query/{id}.
	FailureInfo *failureInfo `json:"failureInfo,omitempty"`
	Error       *queryError  `json:"error,omitempty"`
	UpdateType  string       `json:"updateType,omitempty"`
	Columns     []column     `json:"columns,omitempty"`
}

type sessionInfo struct {
	User    string            `json:"user"`
	Source  string            `json:"source,omitempty"`
	Catalog string            `json:"catalog"`
	Schema  string            `json:"schema"`
	Props   map[string]string `json:"systemProperties"`
}

type queryStatsInfo struct {
	CreateTime        time.Time  `json:"createTime"`
	EndTime           *time.Time `json:"endTime,omitempty"`
	ElapsedTime       string     `json:"elapsedTime"`
	QueuedTime        string     `json:"queuedTime"`
	ElapsedTimeMillis int64      `json:"elapsedTimeMillis"`
	ProcessedRows     int64      `json:"processedInputPositions"`
	ProcessedBytes    int64      `json:"processedInputDataSize"`
	PhysicalBytes     int64      `json:"physicalInputDataSize"`
	PeakMemoryBytes   int64      `json:"peakUserMemoryReservation"`
	FilesRead         int64      `json:"filesRead"`
	CostUSD           float64    `json:"athenaCostUsd"`
}

type errorCodeInfo struct {
	Code int    `json:"code"`
	Name string `json:"name"`
	Type string `json:"type"`
}

func (q *query) info(base string, detail bool) queryInfo {
	q.mu.Lock()
	defer q.mu.Unlock()
	st := q.statsLocked()
	qi := queryInfo{QueryID: q.id, State: q.state, Query: q.sql, Self: base + "/v1/query/" + q.id, Scheduled: st.Scheduled,
		Session: sessionInfo{User: q.user, Source: q.source, Catalog: "quarry", Schema: q.schema, Props: q.props},
		QueryStats: queryStatsInfo{CreateTime: q.created.UTC(), ElapsedTime: fmtDuration(st.ElapsedTimeMillis),
			QueuedTime: fmtDuration(st.QueuedTimeMillis), ElapsedTimeMillis: st.ElapsedTimeMillis,
			ProcessedRows: q.stats.Rows, ProcessedBytes: q.stats.BytesRead, PhysicalBytes: q.stats.BytesRead,
			PeakMemoryBytes: q.stats.PeakMemory, FilesRead: q.stats.FilesRead, CostUSD: q.stats.Cost()}}
	if q.terminal {
		end := q.ended.UTC()
		qi.QueryStats.EndTime = &end
	}
	if q.err != nil {
		qi.ErrorType = q.err.ErrorType
		qi.ErrorCode = &errorCodeInfo{Code: q.err.ErrorCode, Name: q.err.ErrorName, Type: q.err.ErrorType}
		if detail {
			qi.Error = q.err
			qi.FailureInfo = q.err.FailureInfo
		}
	}
	if detail {
		qi.UpdateType = q.updateType
		qi.Columns = q.columns
	}
	return qi
}

func fmtDuration(ms int64) string { return strconv.FormatFloat(float64(ms)/1000, 'f', 2, 64) + "s" }

func (s *Server) handleQueryList(w http.ResponseWriter, r *http.Request) {
	want := strings.ToUpper(r.URL.Query().Get("state"))
	s.mu.Lock()
	qs := make([]*query, 0, len(s.queries))
	for _, q := range s.queries {
		qs = append(qs, q)
	}
	s.mu.Unlock()
	sort.Slice(qs, func(i, j int) bool { return qs[i].created.Before(qs[j].created) })
	base := baseURL(r)
	out := make([]queryInfo, 0, len(qs))
	for _, q := range qs {
		if !s.visible(r, q) {
			continue
		}
		qi := q.info(base, false)
		if want != "" && qi.State != want {
			continue
		}
		out = append(out, qi)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleQueryInfo(w http.ResponseWriter, r *http.Request) {
	q := s.lookup(r.PathValue("id"))
	if q == nil || !s.visible(r, q) {
		plainError(w, http.StatusNotFound, "Query not found: "+r.PathValue("id"))
		return
	}
	writeJSON(w, http.StatusOK, q.info(baseURL(r), true))
}
