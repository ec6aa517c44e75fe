package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/quarry-sql/quarry/server/console"
)

// fakeTrino answers the Trino client protocol for the canned statements the
// console sends, so that the console is tested without the real server.
type fakeTrino struct {
	url string

	mu      sync.Mutex
	nextID  int
	queries map[string]*fakeQuery
	deleted map[string]bool
	headers []http.Header // of each POST
	sqls    []string
}

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type fakeQuery struct {
	id      string
	columns []column
	pages   [][][]any // data pages, served one per GET after the first answer
	forever bool      // pages never end: only DELETE stops it
	err     map[string]any
	start   time.Time
	header  http.Header // response headers of the first answer
}

func newFakeTrino() *fakeTrino {
	return &fakeTrino{queries: map[string]*fakeQuery{}, deleted: map[string]bool{}}
}

func (f *fakeTrino) sawDelete(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.deleted[id]
}

func (f *fakeTrino) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/v1/statement" && r.Method == http.MethodPost:
		body, _ := io.ReadAll(r.Body)
		sql := string(body)
		f.mu.Lock()
		f.nextID++
		q := f.plan(sql)
		q.id = fmt.Sprintf("20260101_000000_%05d_fake0", f.nextID)
		q.start = time.Now()
		f.queries[q.id] = q
		f.headers = append(f.headers, r.Header.Clone())
		f.sqls = append(f.sqls, sql)
		f.mu.Unlock()
		for k, v := range q.header {
			w.Header()[k] = v
		}
		f.answer(w, q, -1)
	case strings.HasPrefix(r.URL.Path, "/v1/statement/executing/"):
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v1/statement/executing/"), "/")
		f.mu.Lock()
		q := f.queries[parts[0]]
		if q != nil && r.Method == http.MethodDelete {
			f.deleted[q.id] = true
		}
		cancelled := q != nil && f.deleted[q.id]
		f.mu.Unlock()
		if q == nil || len(parts) != 2 {
			http.Error(w, "unknown query", http.StatusNotFound)
			return
		}
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if cancelled {
			f.writeJSON(w, map[string]any{"id": q.id, "error": map[string]any{"message": "Query was canceled", "errorName": "USER_CANCELED", "errorType": "USER_ERROR"}, "stats": map[string]any{"state": "FAILED"}})
			return
		}
		var token int
		fmt.Sscan(parts[1], &token)
		if q.forever {
			time.Sleep(150 * time.Millisecond) // a long poll that sees no end
		}
		f.answer(w, q, token)
	default:
		http.NotFound(w, r)
	}
}

// answer writes the page after token (-1: the POST's answer, with no data,
// as Trino's first answer usually is).
func (f *fakeTrino) answer(w http.ResponseWriter, q *fakeQuery, token int) {
	resp := map[string]any{"id": q.id, "infoUri": f.url + "/ui/query.html?" + q.id}
	state := "RUNNING"
	if token == -1 {
		state = "QUEUED"
	}
	if q.err != nil && token >= 0 {
		resp["error"] = q.err
		resp["stats"] = map[string]any{"state": "FAILED", "elapsedTimeMillis": 3}
		f.writeJSON(w, resp)
		return
	}
	next := token + 1
	if token >= 0 {
		resp["columns"] = q.columns
		if q.forever {
			resp["data"] = [][]any{{token, fmt.Sprintf("row %d", token)}}
		} else if token < len(q.pages) {
			resp["data"] = q.pages[token]
		}
	}
	if q.forever || next < len(q.pages) || (token == -1 && q.err != nil) || (token == -1 && len(q.pages) == 0) {
		resp["nextUri"] = fmt.Sprintf("%s/v1/statement/executing/%s/%d", f.url, q.id, next)
	} else if token >= 0 {
		state = "FINISHED"
	}
	if len(q.pages) == 0 && !q.forever && token == 0 {
		state = "FINISHED"
		delete(resp, "nextUri")
	}
	rows := 0
	for i := 0; i <= token && i < len(q.pages); i++ {
		rows += len(q.pages[i])
	}
	if q.forever {
		rows = token * 1000
	}
	resp["stats"] = map[string]any{
		"state":             state,
		"elapsedTimeMillis": time.Since(q.start).Milliseconds(),
		"processedRows":     rows * 1000,
		"processedBytes":    rows * 2_500_000,
	}
	f.writeJSON(w, resp)
}

func (f *fakeTrino) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

var varchar = "varchar"

// plan picks the canned answer for a statement.
func (f *fakeTrino) plan(sql string) *fakeQuery {
	s := strings.Join(strings.Fields(strings.ToLower(sql)), " ")
	one := func(cols []column, rows ...[]any) *fakeQuery {
		return &fakeQuery{columns: cols, pages: [][][]any{rows}}
	}
	tables := map[string][][]any{
		"default":            {{"lineitem", "BASE TABLE"}, {"orders", "BASE TABLE"}},
		"fda":                {{"drugevents", "BASE TABLE"}, {"prr_by_year", "VIEW"}},
		"information_schema": {{"columns", "BASE TABLE"}, {"tables", "BASE TABLE"}},
	}
	columns := map[string][][]any{
		"fda.drugevents": {{"safetyreportid", varchar, ""}, {"receiptdate", varchar, ""}, {"medicinalproduct", varchar, ""},
			{"reactionmeddrapt", varchar, ""}, {"year", varchar, "partition key"}},
		"fda.prr_by_year":  {{"receipt_year", varchar, ""}, {"prr", "double", ""}},
		"default.lineitem": {{"l_orderkey", "bigint", ""}, {"l_extendedprice", "decimal(12,2)", ""}, {"l_shipdate", "date", ""}},
		"default.orders":   {{"o_orderkey", "bigint", ""}, {"o_totalprice", "decimal(12,2)", ""}},
	}
	switch {
	case s == "show schemas":
		return one([]column{{"Schema", varchar}}, []any{"default"}, []any{"fda"}, []any{"information_schema"})
	case strings.HasPrefix(s, "use "):
		q := one(nil)
		q.header = http.Header{"X-Trino-Set-Schema": {strings.TrimSpace(s[4:])}}
		return q
	case strings.Contains(s, "from information_schema.tables where table_schema = '"):
		schema := strings.SplitN(strings.SplitN(s, "table_schema = '", 2)[1], "'", 2)[0]
		return one([]column{{"table_name", varchar}, {"table_type", varchar}}, tables[schema]...)
	case strings.Contains(s, "from information_schema.columns where table_schema = '"):
		schema := strings.SplitN(strings.SplitN(s, "table_schema = '", 2)[1], "'", 2)[0]
		table := strings.SplitN(strings.SplitN(s, "table_name = '", 2)[1], "'", 2)[0]
		return one([]column{{"column_name", varchar}, {"data_type", varchar}, {"extra_info", varchar}}, columns[schema+"."+table]...)
	case strings.Contains(s, "from information_schema.columns"):
		var rows [][]any
		for name, cols := range columns {
			st := strings.SplitN(name, ".", 2)
			for _, c := range cols {
				rows = append(rows, []any{st[0], st[1], c[0], c[1]})
			}
		}
		return one([]column{{"table_schema", varchar}, {"table_name", varchar}, {"column_name", varchar}, {"data_type", varchar}}, rows...)
	case strings.HasPrefix(s, "show partitions"):
		return one([]column{{"Partition", varchar}}, []any{"year=2014"}, []any{"year=2015"})
	case strings.Contains(s, "prr"):
		prr := []float64{1.42, 1.57, 1.38, 1.66, 1.71, 1.49, 1.55, 1.62, 1.58, 1.44, 1.51}
		var rows [][]any
		for i, v := range prr {
			rows = append(rows, []any{fmt.Sprint(2005 + i), v, 40 + i, 900 + 10*i})
		}
		return &fakeQuery{
			columns: []column{{"receipt_year", varchar}, {"prr", "double"}, {"reports_with_drug_and_event", "bigint"}, {"reports_with_drug", "bigint"}},
			pages:   [][][]any{rows[:4], rows[4:8], rows[8:]},
		}
	case strings.Contains(s, "slow_table"):
		return &fakeQuery{columns: []column{{"n", "bigint"}, {"label", varchar}}, forever: true}
	case strings.Contains(s, "form "):
		// Where "FORM" is in the statement as sent, as the parser would say.
		line, col := 1, 1
		i := strings.Index(sql, "FORM")
		for _, c := range sql[:i] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return &fakeQuery{err: map[string]any{
			"message":       fmt.Sprintf("line %d:%d: mismatched input 'FORM'. Expecting: ',', 'FROM', <EOF>", line, col),
			"errorCode":     1,
			"errorName":     "SYNTAX_ERROR",
			"errorType":     "USER_ERROR",
			"errorLocation": map[string]any{"lineNumber": line, "columnNumber": col},
		}}
	}
	return &fakeQuery{err: map[string]any{"message": "fake server: no canned answer for " + sql, "errorName": "NOT_SUPPORTED", "errorType": "USER_ERROR"}}
}

// enter presses Enter (with modifiers: 2 is Ctrl) as a key only: the editor
// handles the key, and a char event as KeyEvent sends would add a newline.
func enter(modifiers int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Modifiers: modifiers,
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

const editorText = `[...document.querySelectorAll('.cm-content .cm-line')].map(l => l.textContent).join('\n')`

func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("QUARRY_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium): the console's browser test must run in CI")
	}
	t.Skip("chromium is not installed")
	return ""
}

func artifactDir(t *testing.T) string {
	if d := os.Getenv("QUARRY_ARTIFACTS"); d != "" {
		d, _ = filepath.Abs(d)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestConsoleInBrowser drives the console in headless Chromium against the
// fake server: schema browser, completion, run, grid, sort, CSV, chart,
// cancel, error location, history.
func TestConsoleInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser: not in -short")
	}
	exe := chromiumPath(t)
	artifacts := artifactDir(t)
	downloads := t.TempDir()

	fake := newFakeTrino()
	mux := http.NewServeMux()
	mux.Handle("/v1/", fake)
	mux.Handle("/", console.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	fake.url = srv.URL

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()
	// Script errors in the page fail the test.
	var pageErrors []string
	var pmu sync.Mutex
	if err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				for _, a := range e.Args {
					msg += string(a.Value) + a.Description + " "
				}
			}
		}
		if msg != "" {
			pmu.Lock()
			pageErrors = append(pageErrors, msg)
			pmu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		pmu.Lock()
		defer pmu.Unlock()
		for _, m := range pageErrors {
			t.Errorf("page error: %s", m)
		}
	}()

	must := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			shot(t, ctx, filepath.Join(artifacts, "console-failure.png"))
			t.Fatalf("%s: %v", step, err)
		}
	}
	eval := func(step, js string, out any) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[jsonv2.Value](js))
		if err == nil && out != nil {
			err = json.Unmarshal(v, out)
		}
		if err != nil {
			shot(t, ctx, filepath.Join(artifacts, "console-failure.png"))
			t.Fatalf("%s: %v", step, err)
		}
	}
	// waitJS polls a JavaScript condition, for states that selectors cannot express.
	waitJS := func(step, cond string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			shot(t, ctx, filepath.Join(artifacts, "console-failure.png"))
			t.Fatalf("%s: %v", step, err)
		}
	}
	// typeSQL replaces the editor's text by typing it, as a person would.
	typeSQL := func(sql string) {
		t.Helper()
		lines := strings.Split(sql, "\n")
		acts := []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(".cm-content .cm-line")), // the first line: the middle of a long text is out of view
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent("\b"),
		}
		for i, l := range lines {
			if i > 0 {
				acts = append(acts, chromedp.KeyEvent("\u001b"), enter(0)) // close completion, then a newline
			}
			acts = append(acts, chromedp.KeyEvent(l))
		}
		acts = append(acts, chromedp.KeyEvent("\u001b"))
		must("type "+sql, acts...)
		var got string
		eval("editor text", editorText, &got)
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(sql), " ") || strings.Count(got, "\n") != strings.Count(sql, "\n") {
			t.Fatalf("typed %q, the editor holds %q", sql, got)
		}
	}
	gridRows := func() [][]string {
		t.Helper()
		var rows [][]string
		eval("read grid", `[...document.querySelectorAll('.grid tbody tr.row')].map(tr => [...tr.querySelectorAll('td:not(.rownum)')].map(td => td.textContent))`, &rows)
		return rows
	}

	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads,
	}); err != nil {
		t.Fatal(err)
	}

	// 1. The page loads and the schema browser lists schemas (SHOW SCHEMAS).
	must("load", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-schema="fda"]`)))
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "Quarry console" {
		t.Errorf("title %q", title)
	}

	// 2. Tables, columns with types, partitions.
	must("expand schema", chromedp.Click(chromedp.CSS(`[data-schema="fda"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-table="fda.drugevents"]`)))
	must("expand table", chromedp.Click(chromedp.CSS(`[data-table="fda.drugevents"]`)), chromedp.WaitVisible(chromedp.CSS(`.node.parts .row`)))
	var cols []string
	eval("columns", `[...document.querySelectorAll('.leaf.col')].map(li => li.querySelector('.name').textContent + ' ' + li.querySelector('.type').textContent)`, &cols)
	if strings.Join(cols, ",") != "safetyreportid varchar,receiptdate varchar,medicinalproduct varchar,reactionmeddrapt varchar,year varchar" {
		t.Errorf("columns of fda.drugevents: %q", cols)
	}
	must("partitions", chromedp.Click(chromedp.CSS(`.node.parts .row`)), chromedp.WaitVisible(chromedp.CSS(`.leaf.partition`)))
	var parts []string
	eval("partitions", `[...document.querySelectorAll('.leaf.partition')].map(li => li.textContent)`, &parts)
	if strings.Join(parts, ",") != "year=2014,year=2015" {
		t.Errorf("partitions: %q", parts)
	}

	// 3. Completion of table names (loaded from information_schema.columns) and keywords.
	waitJS("completion catalog loaded", `performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/statement')).length >= 5`)
	typeSQL("SELECT * FROM fda.dru")
	must("completion popup", chromedp.KeyEvent(" ", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.WaitVisible(chromedp.CSS(`.cm-tooltip-autocomplete`)))
	var options []string
	eval("completion options", `[...document.querySelectorAll('.cm-tooltip-autocomplete li')].map(li => li.textContent)`, &options)
	if !strings.Contains(strings.Join(options, " "), "drugevents") {
		t.Errorf("completion after 'fda.dru' offers %q, want drugevents", options)
	}
	time.Sleep(300 * time.Millisecond) // CodeMirror ignores keys for a moment after the popup opens
	must("accept completion", enter(0))
	var doc string
	eval("editor text", editorText, &doc)
	if !strings.Contains(doc, "fda.drugevents") {
		t.Errorf("after accepting the completion the editor holds %q", doc)
	}

	// 4. Run with Ctrl-Enter; the grid shows the rows from three pages, with types.
	typeSQL("SELECT receipt_year, prr, reports_with_drug_and_event, reports_with_drug FROM fda.prr_by_year ORDER BY 1")
	must("run", enter(2), chromedp.WaitVisible(chromedp.CSS(`#query-state.finished`)))
	rows := gridRows()
	if len(rows) != 11 || rows[0][0] != "2005" || rows[0][1] != "1.42" || rows[10][0] != "2015" {
		t.Fatalf("grid rows: %q", rows)
	}
	var heads []string
	eval("headers", `[...document.querySelectorAll('.grid thead th:not(.rownum)')].map(th => th.querySelector('.th-name span').textContent + ':' + th.querySelector('.th-type').textContent)`, &heads)
	if strings.Join(heads, ",") != "receipt_year:varchar,prr:double,reports_with_drug_and_event:bigint,reports_with_drug:bigint" {
		t.Errorf("grid header: %q", heads)
	}
	var stats string
	eval("stats", `document.getElementById('stats').innerText`, &stats)
	for _, want := range []string{"FINISHED", "Rows", "11,000", "Scanned", "27.5 MB", "Cost", "$0.000138"} {
		if !strings.Contains(stats, want) {
			t.Errorf("stats %q lack %q", stats, want)
		}
	}
	fake.mu.Lock()
	h := fake.headers[len(fake.headers)-1]
	fake.mu.Unlock()
	if h.Get("X-Trino-User") != "console" || h.Get("X-Trino-Catalog") != "quarry" || h.Get("X-Trino-Schema") != "default" {
		t.Errorf("request headers: user %q catalog %q schema %q", h.Get("X-Trino-User"), h.Get("X-Trino-Catalog"), h.Get("X-Trino-Schema"))
	}
	shot(t, ctx, filepath.Join(artifacts, "console-results.png"))

	// 5. Click-to-sort: prr ascending, then descending.
	must("sort asc", chromedp.Click(chromedp.CSS(`.grid thead th[data-col="1"]`)))
	if r := gridRows(); r[0][1] != "1.38" || r[10][1] != "1.71" {
		t.Errorf("sorted by prr ascending: first %q last %q", r[0], r[10])
	}
	must("sort desc", chromedp.Click(chromedp.CSS(`.grid thead th[data-col="1"]`)))
	if r := gridRows(); r[0][1] != "1.71" {
		t.Errorf("sorted by prr descending: first %q", r[0])
	}

	// 6. CSV download of the shown (sorted) rows.
	must("download", chromedp.Click(chromedp.CSS(`#download`)))
	var csv []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		m, _ := filepath.Glob(filepath.Join(downloads, "*.csv"))
		if len(m) == 1 {
			csv, _ = os.ReadFile(m[0])
			if len(csv) > 0 {
				break
			}
		}
	}
	if lines := strings.Split(strings.TrimSpace(string(csv)), "\r\n"); len(lines) != 12 ||
		lines[0] != "receipt_year,prr,reports_with_drug_and_event,reports_with_drug" || lines[1] != "2009,1.71,44,940" {
		t.Errorf("downloaded CSV:\n%s", csv)
	}

	// 7. Chart: x receipt_year and y prr by default; a line, then bars.
	must("chart tab", chromedp.Click(chromedp.CSS(`#tab-chart`)), chromedp.WaitVisible(chromedp.CSS(`#chart`)))
	var choice struct {
		X  string   `json:"x"`
		Y  []string `json:"y"`
		Px int      `json:"px"`
	}
	chartState := `(() => { const c = document.getElementById('chart');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let px = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) px++;
		const x = document.getElementById('chart-x');
		return { x: x.options[x.selectedIndex].text, y: [...document.querySelectorAll('#chart-y input:checked')].map(i => i.parentElement.textContent), px }; })()`
	eval("chart", chartState, &choice)
	if choice.X != "receipt_year" || strings.Join(choice.Y, ",") != "prr" || choice.Px < 2000 {
		t.Errorf("chart: x %q, y %q, %d painted pixels", choice.X, choice.Y, choice.Px)
	}
	must("bar chart", chromedp.Click(chromedp.CSS(`#chart-type button[data-type="bar"]`)))
	eval("bar chart", chartState, &choice)
	if choice.Px < 2000 {
		t.Errorf("bar chart painted %d pixels", choice.Px)
	}
	shot(t, ctx, filepath.Join(artifacts, "console-chart-bar.png"))

	// 8. The seed's PRR-by-year trend in one click: the example runs and charts.
	must("grid tab", chromedp.Click(chromedp.CSS(`#tab-grid`)))
	eval("pick example", `(() => { const s = document.getElementById('samples'); s.value = '0'; s.dispatchEvent(new Event('change')); return true })()`, nil)
	waitJS("example charted", `!document.getElementById('chart-view').classList.contains('hidden') && document.querySelector('#query-state.finished') !== null`)
	eval("example chart", chartState, &choice)
	if choice.X != "receipt_year" || strings.Join(choice.Y, ",") != "prr" || choice.Px < 2000 {
		t.Errorf("PRR example chart: x %q, y %q, %d painted pixels", choice.X, choice.Y, choice.Px)
	}
	shot(t, ctx, filepath.Join(artifacts, "console-chart.png"))
	must("grid tab", chromedp.Click(chromedp.CSS(`#tab-grid`)))

	// 9. Cancel a query that would page forever: the server sees DELETE.
	typeSQL("SELECT n, label FROM slow_table")
	must("run slow", chromedp.Click(chromedp.CSS(`#run`)))
	waitJS("slow query streams", `document.querySelector('#query-state.running') !== null && performance.getEntriesByType('resource').filter(e => e.name.includes('/executing/')).length > 0`)
	time.Sleep(400 * time.Millisecond)
	must("cancel", chromedp.Click(chromedp.CSS(`#cancel`)), chromedp.WaitVisible(chromedp.CSS(`#query-state.canceled`)))
	fake.mu.Lock()
	var slowID string
	for id, q := range fake.queries {
		if q.forever {
			slowID = id
		}
	}
	fake.mu.Unlock()
	deleted := false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !deleted; time.Sleep(50 * time.Millisecond) {
		deleted = fake.sawDelete(slowID)
	}
	if !deleted {
		t.Errorf("cancel: the server saw no DELETE for %s", slowID)
	}
	var runEnabled bool
	eval("run enabled", `!document.getElementById('run').disabled && document.getElementById('cancel').disabled`, &runEnabled)
	if !runEnabled {
		t.Error("after cancel, Run is not enabled again")
	}

	// 10. A syntax error is marked where it is: line 2 of the statement.
	typeSQL("SELECT receipt_year\nFORM fda.drugevents")
	must("run bad", chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#error`)), chromedp.WaitVisible(chromedp.CSS(`.cm-lintRange-error`)))
	var mark struct {
		Range string `json:"range"`
		Line  string `json:"line"`
		Msg   string `json:"msg"`
		Goto  string `json:"goto"`
	}
	eval("error mark", `({ range: document.querySelector('.cm-lintRange-error').textContent,
		line: document.querySelector('.cm-errorLine').textContent,
		msg: document.querySelector('#error .error-msg').textContent,
		goto: document.getElementById('error-goto').textContent })`, &mark)
	if mark.Range != "FORM" || !strings.HasPrefix(strings.TrimSpace(mark.Line), "FORM fda.drugevents") ||
		!strings.Contains(mark.Msg, "mismatched input 'FORM'") || !strings.HasPrefix(mark.Goto, "Go to line 2,") {
		t.Errorf("error mark: %+v", mark)
	}
	shot(t, ctx, filepath.Join(artifacts, "console-error.png"))

	// 11. USE changes the schema through X-Trino-Set-Schema.
	typeSQL("USE fda")
	must("use", chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#query-state.finished`)))
	waitJS("schema switched", `document.getElementById('schema-select').value === 'fda'`)

	// 12. History lists every statement with its state and survives a reload.
	var states []string
	historyStates := `[...document.querySelectorAll('#history li.hist .state')].map(s => s.textContent)`
	eval("history", historyStates, &states)
	joined := strings.Join(states, ",")
	if !strings.HasPrefix(joined, "FINISHED,FAILED,CANCELED,FINISHED,FINISHED") {
		t.Errorf("history states: %q", states)
	}
	must("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-schema="fda"]`)))
	var after []string
	eval("history after reload", historyStates, &after)
	if strings.Join(after, ",") != joined {
		t.Errorf("history after reload: %q, before: %q", after, states)
	}
	must("history tab", chromedp.Click(chromedp.CSS(`.sidebar .tab[data-pane="history-pane"]`)), chromedp.WaitVisible(chromedp.CSS(`#history li.hist`)))
	var schemaHeader string
	fake.mu.Lock()
	schemaHeader = fake.headers[len(fake.headers)-1].Get("X-Trino-Schema")
	fake.mu.Unlock()
	if schemaHeader != "fda" {
		t.Errorf("after USE fda and a reload, X-Trino-Schema is %q", schemaHeader)
	}
	shot(t, ctx, filepath.Join(artifacts, "console-history.png"))
	t.Logf("screenshots in %s", artifacts)
}

func shot(t *testing.T, ctx context.Context, path string) {
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", path, err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("save screenshot: %v", err)
	}
}
