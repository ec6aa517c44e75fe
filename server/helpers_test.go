package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/trinodb/trino-go-client/trino"

	"github.com/quarry-sql/quarry/engine"
)

// peopleRows is the size of the people table; its self cross join is the
// large result (1.21 million rows).
const peopleRows = 1100

// testData writes the tables the tests create: people (CSV, peopleRows
// rows) and items (JSON lines with decimal, date, timestamp, array, map and
// row columns).
func testData(t testing.TB) string {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "people"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "items"), 0o755))
	var b strings.Builder
	b.WriteString("id,name,amount\n")
	for i := 1; i <= peopleRows; i++ {
		amount := fmt.Sprintf("%d.%02d", i*3%1000, i%100)
		if i == 3 {
			amount = ""
		}
		fmt.Fprintf(&b, "%d,name%d,%s\n", i, i, amount)
	}
	must(os.WriteFile(filepath.Join(dir, "people", "people.csv"), []byte(b.String()), 0o644))
	items := `{"id":1,"price":"12.50","d":"2024-01-02","ts":"2024-01-02 03:04:05.123","tags":["a","b"],"attrs":{"k":1,"z":2},"pt":{"x":1,"y":"u"}}
{"id":2,"price":"-0.05","d":"1999-12-31","ts":"1999-12-31 23:59:59.000","tags":[],"attrs":{},"pt":{"x":2,"y":null}}
`
	must(os.WriteFile(filepath.Join(dir, "items", "items.json"), []byte(items), 0o644))
	return dir
}

// ddl creates schema sales with the test tables over dir.
func ddl(dir string) []string {
	return []string{
		"CREATE SCHEMA sales",
		fmt.Sprintf(`CREATE EXTERNAL TABLE sales.people (id int, name string, amount decimal(10,2))
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION '%s' TBLPROPERTIES ('skip.header.line.count'='1')`, filepath.Join(dir, "people")),
		fmt.Sprintf(`CREATE EXTERNAL TABLE sales.items (id int, price decimal(15,2), d date, ts timestamp,
tags array<string>, attrs map<string,int>, pt struct<x:int,y:string>)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '%s'`, filepath.Join(dir, "items")),
	}
}

type testServer struct {
	*Server
	ts   *httptest.Server
	eng  *engine.Engine
	data string
}

// newTestServer starts a server on a loopback listener over a fresh
// catalog holding the test tables.
func newTestServer(t testing.TB, mod func(*Config)) *testServer {
	t.Helper()
	eng, err := engine.Open(engine.Config{CatalogDir: t.TempDir(), Threads: 4})
	if err != nil {
		t.Fatal(err)
	}
	data := testData(t)
	sess := eng.NewSession()
	for _, stmt := range ddl(data) {
		if err := sess.Execute(context.Background(), stmt, func(string, *engine.Result) error { return nil }); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	level := slog.LevelWarn
	if testing.Verbose() {
		level = slog.LevelInfo
	}
	cfg := Config{Engine: eng, Logger: slog.New(slog.NewJSONHandler(testLogWriter{t}, &slog.HandlerOptions{Level: level})), Version: "test"}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s.Handler())
	if cfg.Users != nil {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
		ts.Close()
		eng.Close()
	})
	return &testServer{Server: s, ts: ts, eng: eng, data: data}
}

type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// db opens database/sql over trino-go-client.
func (ts *testServer) db(t testing.TB, params string) *sql.DB {
	t.Helper()
	dsn := strings.Replace(ts.ts.URL, "://", "://tester@", 1) + "?catalog=quarry&schema=default"
	if params != "" {
		dsn += "&" + params
	}
	db, err := sql.Open("trino", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// post submits a statement with raw HTTP and returns the decoded response.
func (ts *testServer) post(t testing.TB, sqlText string, hdr map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.ts.URL+"/v1/statement", strings.NewReader(sqlText))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if req.Header.Get("X-Trino-User") == "" && req.Header.Get("X-Presto-User") == "" {
		req.Header.Set("X-Trino-User", "tester")
	}
	resp, err := ts.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("decode %s: %v", body, err)
		}
	} else {
		out = map[string]any{"status": resp.StatusCode, "body": string(body)}
	}
	return resp, out
}

// run submits a statement and follows nextUri to the end, returning every
// row, the last response and the response headers seen.
func (ts *testServer) run(t testing.TB, sqlText string, hdr map[string]string) ([][]any, map[string]any, http.Header) {
	t.Helper()
	resp, doc := ts.post(t, sqlText, hdr)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %q: %d %v", sqlText, resp.StatusCode, doc["body"])
	}
	var rows [][]any
	seen := http.Header{}
	for {
		next, _ := doc["nextUri"].(string)
		if next == "" {
			return rows, doc, seen
		}
		r, err := ts.ts.Client().Get(next)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", next, r.StatusCode, body)
		}
		for k, v := range r.Header {
			seen[k] = append(seen[k], v...)
		}
		doc = nil
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		if data, ok := doc["data"].([]any); ok {
			for _, row := range data {
				rows = append(rows, row.([]any))
			}
		}
	}
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// queryState reads a query's state and error name from GET /v1/query/{id}.
func (ts *testServer) queryState(t testing.TB, id string) (state, errorName string) {
	t.Helper()
	r, err := ts.ts.Client().Get(ts.ts.URL + "/v1/query/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var qi queryInfo
	if err := json.NewDecoder(r.Body).Decode(&qi); err != nil {
		t.Fatal(err)
	}
	if qi.ErrorCode != nil {
		errorName = qi.ErrorCode.Name
	}
	return qi.State, errorName
}

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
