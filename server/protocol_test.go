package server

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/trinodb/trino-go-client/trino"
	"golang.org/x/crypto/bcrypt"
)

func TestProtocolEdgeCases(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.ClientTimeout = 300 * time.Millisecond })
	c := ts.ts.Client()
	do := func(method, path string, body io.Reader, hdr map[string]string) (int, string, http.Header) {
		req, _ := http.NewRequest(method, ts.ts.URL+path, body)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		r, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b), r.Header
	}

	t.Run("rejections", func(t *testing.T) {
		for _, c := range []struct {
			method, path, body string
			hdr                map[string]string
			code               int
		}{
			{"PUT", "/v1/statement", "SELECT 1", nil, 405},
			{"PATCH", "/", "", nil, 405},
			{"GET", "/v1/statement", "", nil, 405},
			{"POST", "/v1/info", "", nil, 405},
			{"GET", "/v1/nosuch", "", nil, 404},
			{"GET", "/v1/query/20260101_000000_00001_xxxxx", "", nil, 404},
			{"DELETE", "/v1/query/nosuch", "", nil, 404},
			{"GET", "/v1/statement/executing/nosuch/slug/0", "", nil, 404},
			{"POST", "/v1/statement", "", nil, 400},
			{"POST", "/v1/statement", "SELECT 1", map[string]string{"X-Trino-Session": "no_equals_sign"}, 400},
			{"POST", "/v1/statement", "SELECT 1", map[string]string{"X-Trino-Session": "a=%zz"}, 400},
			{"POST", "/v1/statement", "SELECT 1", map[string]string{"X-Trino-Prepared-Statement": "=x"}, 400},
			{"POST", "/v1/statement", strings.Repeat("-- padding\n", 200000) + "SELECT 1", nil, 413},
		} {
			code, body, _ := do(c.method, c.path, strings.NewReader(c.body), c.hdr)
			if code != c.code {
				t.Errorf("%s %s: %d %q, want %d", c.method, c.path, code, body, c.code)
			}
		}
	})

	t.Run("timestamp with time zone keeps its zone", func(t *testing.T) {
		rows, _, _ := ts.run(t, "SELECT TIMESTAMP '2024-01-31 12:00:00.000 UTC' AT TIME ZONE 'Asia/Tokyo', TIMESTAMP '2024-01-31 12:00:00.123 +05:30'", nil)
		if len(rows) != 1 || len(rows[0]) != 2 || rows[0][0] != "2024-01-31 21:00:00.000 Asia/Tokyo" || rows[0][1] != "2024-01-31 12:00:00.123 +05:30" {
			t.Errorf("rows %v", rows)
		}
	})

	t.Run("info and health", func(t *testing.T) {
		for _, p := range []string{"/v1/info", "/healthz", "/readyz", "/metrics", "/v1/info/state"} {
			code, body, _ := do("GET", p, nil, nil)
			if code != 200 {
				t.Errorf("%s: %d %s", p, code, body)
			}
		}
		ts.run(t, "SELECT 1", nil)
		_, body, _ := do("GET", "/metrics", nil, nil)
		for _, want := range []string{`quarry_queries_total{state="FINISHED"}`, "quarry_query_duration_seconds_bucket", "quarry_scanned_bytes_total"} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})

	t.Run("bad token and retry", func(t *testing.T) {
		// 70,000 rows, five pages of 16,384: the producer blocks on the
		// one-page buffer, so the query is still running when DELETE
		// comes (a one-page answer may already be FINISHED, and DELETE
		// of a finished query changes nothing). Small enough to start
		// well inside the 300 ms client timeout, under -race too.
		_, doc := ts.post(t, "SELECT a.x * 1000 + b.x FROM unnest(sequence(1, 10000)) AS a(x) CROSS JOIN unnest(sequence(1, 7)) AS b(x)", nil)
		next := doc["nextUri"].(string)
		r1, _ := c.Get(next)
		b1, _ := io.ReadAll(r1.Body)
		r1.Body.Close()
		r2, _ := c.Get(next) // a retry gets the same answer
		b2, _ := io.ReadAll(r2.Body)
		r2.Body.Close()
		if string(b1) != string(b2) {
			t.Errorf("retry answered differently")
		}
		r3, _ := c.Get(strings.TrimSuffix(next, "/0") + "/7")
		r3.Body.Close()
		if r3.StatusCode != http.StatusGone {
			t.Errorf("stale token: %d", r3.StatusCode)
		}
		u, _ := url.Parse(next)
		code, _, _ := do("DELETE", u.Path, nil, nil)
		if code != http.StatusNoContent {
			t.Errorf("DELETE nextUri: %d", code)
		}
		id := doc["id"].(string)
		if st, name := ts.queryState(t, id); st != stateFailed || name != "USER_CANCELED" {
			t.Errorf("after DELETE: %s %s", st, name)
		}
	})

	t.Run("prepared statements and headers", func(t *testing.T) {
		_, _, h := ts.run(t, "PREPARE q1 FROM SELECT name FROM sales.people WHERE id = ? OR id = ?", nil)
		added := h.Get("X-Trino-Added-Prepare")
		if !strings.HasPrefix(added, "q1=") {
			t.Fatalf("Added-Prepare = %q", added)
		}
		rows, doc, _ := ts.run(t, "EXECUTE q1 USING 2, 1 + 2", map[string]string{"X-Trino-Prepared-Statement": added})
		if len(rows) != 2 || doc["error"] != nil {
			t.Fatalf("EXECUTE: %v %v", rows, doc["error"])
		}
		_, doc, _ = ts.run(t, "EXECUTE q1 USING 2", map[string]string{"X-Trino-Prepared-Statement": added})
		if e, _ := doc["error"].(map[string]any); e == nil || e["errorName"] != "INVALID_PARAMETER_USAGE" {
			t.Errorf("wrong arity: %v", doc["error"])
		}
		_, _, h = ts.run(t, "DEALLOCATE PREPARE q1", map[string]string{"X-Trino-Prepared-Statement": added})
		if h.Get("X-Trino-Deallocated-Prepare") != "q1" {
			t.Errorf("Deallocated-Prepare = %q", h.Get("X-Trino-Deallocated-Prepare"))
		}
		_, _, h = ts.run(t, "USE sales", map[string]string{"X-Presto-User": "p", "X-Presto-Catalog": "quarry"})
		if h.Get("X-Presto-Set-Schema") != "sales" || h.Get("X-Presto-Set-Catalog") != "quarry" {
			t.Errorf("USE over X-Presto: %v", h)
		}
		_, _, h = ts.run(t, "SET SESSION parse_decimal_literals_as_double = true", nil)
		if h.Get("X-Trino-Set-Session") != "parse_decimal_literals_as_double=true" {
			t.Errorf("Set-Session = %q", h.Get("X-Trino-Set-Session"))
		}
		_, _, h = ts.run(t, "RESET SESSION parse_decimal_literals_as_double", map[string]string{"X-Trino-Session": "parse_decimal_literals_as_double=true"})
		if h.Get("X-Trino-Clear-Session") != "parse_decimal_literals_as_double" {
			t.Errorf("Clear-Session = %q", h.Get("X-Trino-Clear-Session"))
		}
		rows, _, _ = ts.run(t, "SELECT count(*) FROM items", map[string]string{"X-Trino-Schema": "sales"})
		if len(rows) != 1 || fmt.Sprint(rows[0][0]) != "2" {
			t.Errorf("X-Trino-Schema: %v", rows)
		}
		_, doc, _ = ts.run(t, "SELECT 1", map[string]string{"X-Trino-Catalog": "system"})
		if e, _ := doc["error"].(map[string]any); e == nil || e["errorName"] != "CATALOG_NOT_FOUND" {
			t.Errorf("unknown catalog: %v", doc["error"])
		}
		rows, _, _ = ts.run(t, "SELECT 1", map[string]string{"Accept-Encoding": "gzip"})
		if len(rows) != 1 {
			t.Errorf("gzip: %v", rows)
		}
	})

	t.Run("gzip", func(t *testing.T) {
		_, doc := ts.post(t, "SELECT * FROM sales.people", nil)
		req, _ := http.NewRequest("GET", doc["nextUri"].(string), nil)
		req.Header.Set("Accept-Encoding", "gzip")
		tr := &http.Transport{DisableCompression: true}
		defer tr.CloseIdleConnections()
		r, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding %q", r.Header.Get("Content-Encoding"))
		}
		ts.lookup(doc["id"].(string)).cancel(newCoded(errUserCanceled, "test"))
	})

	t.Run("cancel at once", func(t *testing.T) {
		_, doc := ts.post(t, "SELECT count(*) FROM sales.people a CROSS JOIN sales.people b CROSS JOIN sales.people c", nil)
		id := doc["id"].(string)
		if code, body, _ := do("DELETE", "/v1/query/"+id, nil, nil); code != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", code, body)
		}
		start := time.Now()
		_, last, _ := ts.follow(t, doc)
		if e, _ := last["error"].(map[string]any); e == nil || e["errorName"] != "USER_CANCELED" {
			t.Errorf("after cancel: %v", last["error"])
		}
		select {
		case <-ts.lookup(id).done:
		case <-time.After(10 * time.Second):
			t.Fatal("the cancelled query still runs after 10s")
		}
		t.Logf("cancelled query released in %v", time.Since(start))
	})

	t.Run("client disappears", func(t *testing.T) {
		before := runtime.NumGoroutine()
		_, doc := ts.post(t, "SELECT a.id, b.id FROM sales.people a CROSS JOIN sales.people b", nil)
		r, err := c.Get(doc["nextUri"].(string))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		// ...and never comes back.
		id := doc["id"].(string)
		waitFor(t, 10*time.Second, "the query to be abandoned", func() bool {
			st, name := ts.queryState(t, id)
			return st == stateFailed && name == "ABANDONED_QUERY"
		})
		<-ts.lookup(id).done
		c.CloseIdleConnections()
		waitFor(t, 5*time.Second, "goroutines to return", func() bool { return runtime.NumGoroutine() <= before+2 })
	})
}

func TestAuthAndReadOnly(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	hash2, _ := bcrypt.GenerateFromPassword([]byte("r3ad"), bcrypt.MinCost)
	users, err := ParseUsers(strings.NewReader(fmt.Sprintf("# users\nadmin:%s\nanalyst:%s\n", hash, hash2)))
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(c *Config) {
		c.Users = users
		c.ReadOnlyUsers = []string{"analyst"}
		c.RateLimit, c.RateBurst = 1, 20
	})
	cl := ts.ts.Client()
	get := func(path, user, pass string) int {
		req, _ := http.NewRequest("GET", ts.ts.URL+path, nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		r, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	for _, c := range []struct {
		path, user, pass string
		code             int
	}{
		{"/v1/info", "", "", 401}, {"/v1/info", "admin", "wrong", 401}, {"/v1/info", "nobody", "s3cret", 401},
		{"/v1/info", "admin", "s3cret", 200}, {"/metrics", "", "", 401}, {"/healthz", "", "", 200},
	} {
		if got := get(c.path, c.user, c.pass); got != c.code {
			t.Errorf("%s as %q/%q: %d, want %d", c.path, c.user, c.pass, got, c.code)
		}
	}

	trino.RegisterCustomClient("quarry-test-tls", cl)
	defer trino.DeregisterCustomClient("quarry-test-tls")
	open := func(user, pass string) *sql.DB {
		u, _ := url.Parse(ts.ts.URL)
		u.User = url.UserPassword(user, pass)
		db, err := sql.Open("trino", u.String()+"?catalog=quarry&custom_client=quarry-test-tls")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	admin, analyst := open("admin", "s3cret"), open("analyst", "r3ad")
	if _, err := admin.Exec("CREATE SCHEMA by_admin"); err != nil {
		t.Fatalf("admin DDL: %v", err)
	}
	var n int64
	if err := analyst.QueryRow("SELECT count(*) FROM sales.people").Scan(&n); err != nil || n != peopleRows {
		t.Fatalf("analyst SELECT: %d %v", n, err)
	}
	if _, err := analyst.Exec("SHOW TABLES FROM sales"); err != nil {
		t.Errorf("analyst SHOW: %v", err)
	}
	for _, stmt := range []string{"CREATE SCHEMA by_analyst", "DROP TABLE sales.people", "PREPARE p FROM DROP SCHEMA sales"} {
		_, err := analyst.Exec(stmt)
		if err == nil {
			t.Errorf("analyst ran %s", stmt)
			continue
		}
		if te := trinoError(t, err); te.ErrorName != "PERMISSION_DENIED" || !strings.HasPrefix(te.Message, "Access Denied") {
			t.Errorf("%s: %s %s", stmt, te.ErrorName, te.Message)
		}
	}
	// The rate limit: a burst of 20 statements, then one per second.
	limited := false
	for i := 0; i < 40 && !limited; i++ {
		req, _ := http.NewRequest("POST", ts.ts.URL+"/v1/statement", strings.NewReader("SELECT 1"))
		req.SetBasicAuth("analyst", "r3ad")
		r, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		limited = r.StatusCode == http.StatusTooManyRequests && r.Header.Get("Retry-After") != ""
	}
	if !limited {
		t.Error("rate limit never applied")
	}
	// Users see only their own queries.
	req, _ := http.NewRequest("GET", ts.ts.URL+"/v1/query", nil)
	req.SetBasicAuth("admin", "s3cret")
	r, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if strings.Contains(string(b), `"user":"analyst"`) || !strings.Contains(string(b), `"user":"admin"`) {
		t.Errorf("admin's query list: %.300s", b)
	}
}

func TestGracefulShutdown(t *testing.T) {
	ts := newTestServer(t, nil)
	_, doc := ts.post(t, "SELECT count(*) FROM sales.people a CROSS JOIN sales.people b CROSS JOIN sales.people c", nil)
	id := doc["id"].(string)
	waitFor(t, 5*time.Second, "the query to run", func() bool { st, _ := ts.queryState(t, id); return st == stateRunning })
	_, small := ts.post(t, "SELECT 1", nil) // submitted before the drain: finishes
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	done := make(chan error)
	go func() { done <- ts.Shutdown(ctx) }()
	waitFor(t, 2*time.Second, "readiness to drop", func() bool {
		r, err := ts.ts.Client().Get(ts.ts.URL + "/readyz")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusServiceUnavailable
	})
	rows, _, _ := ts.run(t, "SELECT 2", nil)
	_ = rows
	if st, name := ts.queryState(t, ts.latest().id); st != stateFailed || name != "SERVER_SHUTTING_DOWN" {
		t.Errorf("statement during drain: %s %s", st, name)
	}
	// The small query's client keeps fetching during the drain.
	srows, _, _ := ts.follow(t, small)
	if len(srows) != 1 {
		t.Errorf("small query during drain: %v", srows)
	}
	if err := <-done; err == nil {
		t.Error("drain reported success although a query had to be cancelled")
	}
	if st, name := ts.queryState(t, id); st != stateFailed || name != "SERVER_SHUTTING_DOWN" {
		t.Errorf("long query: %s %s", st, name)
	}
}

func (ts *testServer) latest() *query {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var last *query
	for _, q := range ts.queries {
		if last == nil || q.created.After(last.created) {
			last = q
		}
	}
	return last
}

// follow pages through a submitted statement's results.
func (ts *testServer) follow(t testing.TB, doc map[string]any) ([][]any, map[string]any, http.Header) {
	t.Helper()
	var rows [][]any
	for {
		next, _ := doc["nextUri"].(string)
		if next == "" {
			return rows, doc, nil
		}
		r, err := ts.ts.Client().Get(next)
		if err != nil {
			t.Fatal(err)
		}
		doc = nil
		if err := decodeJSON(r.Body, &doc); err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if data, ok := doc["data"].([]any); ok {
			for _, row := range data {
				rows = append(rows, row.([]any))
			}
		}
	}
}
