package plan_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/parser"
)

// Golden plan tests. Every testdata/golden/*.sql file is one case: a
// free-form description (lines before the first section), then sections
// that each start with a line "-- @name [argument]":
//
//	-- @setup            DDL run through the engine into a fresh catalog
//	-- @setup-file PATH  the same, read from a file (TPC-H, CUR specs)
//	-- @stats            "table bytes" lines: the sizes the optimizer sees
//	                     (table is schema.name or name; unlisted: unknown)
//	-- @schema NAME      the session schema (default "default")
//	-- @query            the query
//	-- @query-file PATH  the query, read from a file
//	-- @skip REASON      the case shows a known bug: skipped, not compared
//	-- @bound            expected: plan.Explain of the bound plan
//	-- @optimized        expected: plan.Explain after the optimizer
//	-- @fired            expected: Optimizer.Fired, one rule a line
//	-- @error            expected instead of the three above: the binding
//	                     error (a query Quarry must refuse)
//
// In paths and setup text, ${SHARED} is ../shared beside the repository,
// ${TPCH} its SF 0.01 TPC-H folder and ${TMP} a fresh temporary directory.
// Setup files get the specs' placeholders replaced: <tpch-dir> by ${TPCH}
// and s3://<<your bucket name>> by ${TMP}.
//
// go test ./plan -run Golden -update rewrites the expected sections.

var update = flag.Bool("update", false, "rewrite the expected sections of golden files")

// goldenNow is the clock of every golden case, so now() folds to a
// constant that does not change between runs.
var goldenNow = time.Date(2025, 6, 18, 13, 45, 30, 0, time.UTC)

var outputSections = []string{"bound", "optimized", "fired", "error"}

type section struct {
	name, arg string
	body      string
}

type goldenFile struct {
	header   string
	sections []*section
}

func (g *goldenFile) get(name string) *section {
	for _, s := range g.sections {
		if s.name == name {
			return s
		}
	}
	return nil
}

func parseGolden(text string) (*goldenFile, error) {
	g := &goldenFile{}
	var cur *section
	var body strings.Builder
	flush := func() {
		if cur != nil {
			cur.body = strings.TrimRight(body.String(), "\n")
		} else {
			g.header = body.String()
		}
		body.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "-- @"); ok {
			flush()
			name, arg, _ := strings.Cut(strings.TrimSpace(rest), " ")
			for _, s := range g.sections {
				if s.name == name {
					return nil, fmt.Errorf("section @%s appears twice", name)
				}
			}
			cur = &section{name: name, arg: strings.TrimSpace(arg)}
			g.sections = append(g.sections, cur)
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	flush()
	return g, sc.Err()
}

func (g *goldenFile) format() string {
	var b strings.Builder
	b.WriteString(g.header)
	for _, s := range g.sections {
		b.WriteString("-- @" + s.name)
		if s.arg != "" {
			b.WriteString(" " + s.arg)
		}
		b.WriteByte('\n')
		if s.body != "" {
			b.WriteString(s.body)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// sharedDir is ../shared beside the repository, as CI lays it out; a case
// that needs it is skipped locally without it, and fails in CI.
func sharedDir(t testing.TB) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared data missing at %s (CI is set)", d)
		}
		t.Skipf("shared data missing at %s", d)
	}
	return d
}

// expander replaces ${SHARED}, ${TPCH} and ${TMP}, asking for the shared
// folder (and skipping without it) only when a case uses it.
type expander struct {
	t   testing.TB
	tmp string
}

func (x *expander) expand(s string) string {
	if strings.Contains(s, "${SHARED}") || strings.Contains(s, "${TPCH}") || strings.Contains(s, "<tpch-dir>") {
		sh := sharedDir(x.t)
		tpch := filepath.Join(sh, "data", "tpch", "data", "sf-0.01")
		s = strings.ReplaceAll(s, "${SHARED}", sh)
		s = strings.ReplaceAll(s, "${TPCH}", tpch)
		s = strings.ReplaceAll(s, "<tpch-dir>", tpch)
	}
	s = strings.ReplaceAll(s, "s3://<<your bucket name>>", x.tmp)
	return strings.ReplaceAll(s, "${TMP}", x.tmp)
}

func (x *expander) readFile(path string) string {
	x.t.Helper()
	b, err := os.ReadFile(x.expand(path))
	if err != nil {
		x.t.Fatal(err)
	}
	return x.expand(string(b))
}

// fakeStats answers table sizes from a fixed map, so join order depends
// on the case and not on the files on disk.
type fakeStats map[string]int64

func (f fakeStats) TableBytes(t *catalog.Table) int64 {
	if v, ok := f[t.Schema+"."+t.Name]; ok {
		return v
	}
	if v, ok := f[t.Name]; ok {
		return v
	}
	return -1
}

func parseStats(t testing.TB, body string) fakeStats {
	t.Helper()
	st := fakeStats{}
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			t.Fatalf("@stats: want \"table bytes\", got %q", line)
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatalf("@stats: %q: %v", line, err)
		}
		st[strings.ToLower(f[0])] = n
	}
	return st
}

// planEnv is a catalog set up by DDL through the engine, and what the
// binder needs over it.
type planEnv struct {
	eng    *engine.Engine
	schema string
	stats  plan.Stats
	// skip names optimizer rules left out (a test of one rule's input
	// shape that another rule would rewrite).
	skip map[string]bool
}

func newPlanEnv(t testing.TB, setup string) *planEnv {
	t.Helper()
	eng, err := engine.Open(engine.Config{CatalogDir: t.TempDir(), Threads: 1,
		Now: func() time.Time { return goldenNow }, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if strings.TrimSpace(setup) != "" {
		sess := eng.NewSession()
		err := sess.Execute(context.Background(), setup, func(string, *engine.Result) error { return nil })
		if err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	return &planEnv{eng: eng, schema: catalog.DefaultSchema}
}

func (p *planEnv) env() *plan.Env {
	return &plan.Env{Ctx: context.Background(), Catalog: p.eng.Catalog(), Funcs: p.eng.Functions(),
		Schema: p.schema, Fn: &function.Context{Now: goldenNow, Zone: time.UTC}}
}

// planned is one query through the binder and the optimizer.
type planned struct {
	bound     string
	optimized string
	root      plan.Node
	fired     []string
}

func (p *planEnv) plan(t testing.TB, sql string) *planned {
	t.Helper()
	out, err := p.tryPlan(t, sql)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return out
}

// tryPlan binds and optimizes a query, returning binding errors.
func (p *planEnv) tryPlan(t testing.TB, sql string) (*planned, error) {
	t.Helper()
	st, err := parser.ParseOne(sql)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	q, ok := st.(*ast.Query)
	if !ok {
		t.Fatalf("not a query: %T", st)
	}
	b := plan.NewBinder(p.env())
	bq, err := b.BindQuery(q)
	if err != nil {
		return nil, err
	}
	out := &planned{bound: plan.Explain(bq.Root)}
	o := plan.NewOptimizer(b, p.stats)
	o.Trace = true
	o.Rules = slices.DeleteFunc(o.Rules, func(r plan.Rule) bool { return p.skip[r.Name()] })
	out.root = o.Optimize(bq.Root)
	out.optimized = plan.Explain(out.root)
	out.fired = o.Fired
	return out, nil
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files in testdata/golden")
	}
	sort.Strings(files)
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".sql")
		t.Run(name, func(t *testing.T) { runGolden(t, path) })
	}
}

func runGolden(t *testing.T, path string) {
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := parseGolden(string(text))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if s := g.get("skip"); s != nil {
		t.Skip(s.arg)
	}
	x := &expander{t: t, tmp: t.TempDir()}
	var setup strings.Builder
	for _, s := range g.sections { // in file order
		switch s.name {
		case "setup":
			setup.WriteString(x.expand(s.body))
		case "setup-file":
			setup.WriteString(x.readFile(s.arg))
		default:
			continue
		}
		setup.WriteString("\n")
	}
	var query string
	switch {
	case g.get("query") != nil:
		query = g.get("query").body
	case g.get("query-file") != nil:
		query = x.readFile(g.get("query-file").arg)
	default:
		t.Fatalf("%s: no @query or @query-file", path)
	}
	query = strings.TrimSuffix(strings.TrimSpace(query), ";")

	pe := newPlanEnv(t, setup.String())
	if s := g.get("schema"); s != nil {
		pe.schema = s.arg
	}
	st := fakeStats{}
	if s := g.get("stats"); s != nil {
		st = parseStats(t, s.body)
	}
	pe.stats = st
	got, err := pe.tryPlan(t, query)
	var actual map[string]string
	if err != nil {
		actual = map[string]string{"error": err.Error()}
	} else {
		actual = map[string]string{
			"bound":     strings.TrimRight(got.bound, "\n"),
			"optimized": strings.TrimRight(got.optimized, "\n"),
			"fired":     strings.Join(got.fired, "\n"),
		}
	}

	if *update {
		var kept []*section
		for _, s := range g.sections {
			if _, isOut := actual[s.name]; isOut || !slices.Contains(outputSections, s.name) {
				kept = append(kept, s)
			}
		}
		g.sections = kept
		for _, name := range outputSections {
			body, ok := actual[name]
			if !ok {
				continue
			}
			if s := g.get(name); s != nil {
				s.body = body
			} else {
				g.sections = append(g.sections, &section{name: name, body: body})
			}
		}
		if err := os.WriteFile(path, []byte(g.format()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, name := range outputSections {
		want, got := g.get(name), actual[name]
		_, produced := actual[name]
		switch {
		case want == nil && !produced:
			continue
		case want == nil:
			t.Errorf("%s: missing @%s section (run with -update)", path, name)
			if name == "error" {
				t.Errorf("%s: unexpected error: %s", path, got)
			}
			continue
		case !produced:
			t.Errorf("%s: expected @%s, but the query produced %s", path, name, strings.Join(slices.Sorted(maps.Keys(actual)), ", "))
			continue
		}
		if want.body != got {
			t.Errorf("%s: @%s differs (run go test ./plan -run Golden -update and review the diff)\n--- want\n%s\n--- got\n%s",
				path, name, want.body, got)
		}
	}
}

// TestExplainTPCHQ3 checks EXPLAIN through the engine end to end: the
// engine's own statistics (file listings of the SF 0.01 data) and rules.
func TestExplainTPCHQ3(t *testing.T) {
	x := &expander{t: t, tmp: t.TempDir()}
	ddl := x.readFile("${SHARED}/spec/tpch-ddl.sql")
	q3 := x.readFile("${SHARED}/data/tpch/queries/q03.sql")
	pe := newPlanEnv(t, ddl)
	sess := pe.eng.NewSession()
	sess.Schema = "tpch"
	r, err := sess.Query(context.Background(), "EXPLAIN "+strings.TrimSuffix(strings.TrimSpace(q3), ";"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows []string
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			break
		}
		if rec.NumCols() != 1 {
			t.Fatalf("EXPLAIN returned %d columns, want 1", rec.NumCols())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, rec.Column(0).ValueStr(i))
		}
	}
	if len(rows) != 1 {
		t.Fatalf("EXPLAIN returned %d rows, want 1", len(rows))
	}
	got := rows[0] + "\n"
	path := filepath.Join("testdata", "explain", "tpch_q03.txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plan -run ExplainTPCHQ3 -update)", err)
	}
	if got != string(want) {
		t.Errorf("EXPLAIN differs from %s (rerun with -update and review)\n--- want\n%s--- got\n%s", path, want, got)
	}
}
