package testkit

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// DB runs one SQL statement and returns its column names and rows, each
// value rendered as text with NULL as Null. Statements without rows return
// no columns and no rows.
type DB interface {
	Exec(ctx context.Context, sql string) (cols []string, rows [][]string, err error)
}

// DBFunc adapts a function to DB.
type DBFunc func(ctx context.Context, sql string) ([]string, [][]string, error)

// Exec calls f.
func (f DBFunc) Exec(ctx context.Context, sql string) ([]string, [][]string, error) {
	return f(ctx, sql)
}

var completeFlag = flag.Bool("complete", false, "sqllogictest: rewrite expected results of .slt files from actual results")

// CompleteMode reports whether expected results should be rewritten: the
// test flag -complete or QUARRY_SLT_COMPLETE=1.
func CompleteMode() bool {
	if *completeFlag {
		return true
	}
	v := os.Getenv("QUARRY_SLT_COMPLETE")
	return v != "" && v != "0" && v != "false"
}

// Option configures Run.
type Option func(*runner)

// WithEngine sets the engine name matched by skipif/onlyif (default
// "quarry").
func WithEngine(name string) Option { return func(r *runner) { r.engine = name } }

// WithVar substitutes value for ${name} in every SQL text.
func WithVar(name, value string) Option {
	return func(r *runner) { r.vars = append(r.vars, "${"+name+"}", value) }
}

// WithTimeout bounds each record's run (default one minute).
func WithTimeout(d time.Duration) Option { return func(r *runner) { r.timeout = d } }

// WithComplete forces completion mode on or off, overriding CompleteMode.
func WithComplete(on bool) Option { return func(r *runner) { r.complete = on } }

type runner struct {
	engine   string
	vars     []string
	timeout  time.Duration
	complete bool
}

// Run runs the script at path against db. Each failing record is reported
// with t.Errorf as "path:LINE: ..."; the run continues with the next record.
// In completion mode, query results are rewritten in the file instead.
func Run(t testing.TB, path string, db DB, opts ...Option) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(path, string(text))
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{engine: "quarry", timeout: time.Minute, complete: CompleteMode()}
	for _, o := range opts {
		o(r)
	}
	res := r.run(s, db)
	for _, f := range res.Failures {
		t.Error(f)
	}
	if r.complete && res.Changed {
		if err := os.WriteFile(path, []byte(res.Rewritten), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: rewrote expected results", path)
	}
	t.Logf("%s: %d records run, %d skipped, %d failed", path, res.Ran, res.Skipped, len(res.Failures))
}

// Result summarises a script run.
type Result struct {
	Ran, Skipped int
	Failures     []string
	// Rewritten is the script text with query results replaced by the
	// actual ones (completion mode); Changed says whether it differs.
	Rewritten string
	Changed   bool
}

// RunScript runs a parsed script without a testing.T (for tools and the
// runner's own tests).
func RunScript(s *Script, db DB, opts ...Option) Result {
	r := &runner{engine: "quarry", timeout: time.Minute, complete: CompleteMode()}
	for _, o := range opts {
		o(r)
	}
	return r.run(s, db)
}

type edit struct {
	from, to int // replace lines [from, to)
	lines    []string
}

func (r *runner) run(s *Script, db DB) Result {
	var res Result
	var edits []edit
	threshold := 0
	labels := map[string]string{}
	fail := func(line int, format string, args ...any) {
		res.Failures = append(res.Failures, fmt.Sprintf("%s:%d: ", s.Path, line)+fmt.Sprintf(format, args...))
	}
	subst := strings.NewReplacer(r.vars...)
	if len(r.vars) == 0 {
		subst = strings.NewReplacer()
	}
records:
	for _, rec := range s.Records {
		if !rec.Runs(r.engine) {
			if rec.Kind == KindStatement || rec.Kind == KindQuery {
				res.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case KindHalt:
			break records
		case KindHashThreshold:
			threshold = rec.Threshold
			continue
		}
		res.Ran++
		sql := subst.Replace(rec.SQL)
		ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
		cols, rows, err := safeExec(ctx, db, sql)
		cancel()
		if rec.Kind == KindStatement {
			switch {
			case rec.ExpectError && err == nil:
				fail(rec.Line, "statement succeeded but an error was expected\n%s", indent(sql))
			case rec.ExpectError && rec.ErrorRegex != "":
				if ok, _ := regexp.MatchString(rec.ErrorRegex, err.Error()); !ok {
					fail(rec.Line, "error message mismatch\n%s\n  expected error matching: %s\n  actual error: %s", indent(sql), rec.ErrorRegex, err)
				}
			case !rec.ExpectError && err != nil:
				fail(rec.Line, "statement failed: %v\n%s", err, indent(sql))
			}
			continue
		}
		if err != nil {
			fail(rec.Line, "query failed: %v\n%s", err, indent(sql))
			continue
		}
		if len(cols) != len(rec.Types) {
			fail(rec.Line, "query result mismatch: %d columns expected (%s), got %d (%s)\n%s",
				len(rec.Types), rec.Types, len(cols), strings.Join(cols, ", "), indent(sql))
			continue
		}
		formatted := FormatRows(rec.Types, rows)
		actual := SortValues(rec.SortMode, formatted)
		hashed := threshold > 0 && len(actual) > threshold
		if rec.Label != "" {
			h := HashLine(actual)
			if prev, ok := labels[rec.Label]; ok && prev != h {
				fail(rec.Line, "query result mismatch: label %s: %s, earlier %s", rec.Label, h, prev)
			}
			labels[rec.Label] = h
		}
		if r.complete {
			if lines := resultLines(rec, actual, hashed, len(cols)); !equalLines(lines, rec.Expected) || !rec.HasSeparator {
				if rec.HasSeparator {
					edits = append(edits, edit{rec.ResultStartIdx, rec.ResultEndIdx, lines})
				} else {
					edits = append(edits, edit{rec.SQLEndIdx, rec.SQLEndIdx, append([]string{"----"}, lines...)})
				}
			}
			continue
		}
		if msg := compare(rec, actual, hashed); msg != "" {
			fail(rec.Line, "query result mismatch: %s\n%s", msg, indent(sql))
		}
	}
	if r.complete && len(edits) > 0 {
		lines := append([]string(nil), s.Lines...)
		sort.Slice(edits, func(a, b int) bool { return edits[a].from > edits[b].from })
		for _, e := range edits {
			tail := append(append([]string(nil), e.lines...), lines[e.to:]...)
			lines = append(lines[:e.from], tail...)
		}
		res.Rewritten = strings.Join(lines, "\n") + "\n"
		res.Changed = true
	}
	return res
}

// safeExec turns a panic in the DB into an error, so one record cannot
// take down the whole run.
func safeExec(ctx context.Context, db DB, sql string) (cols []string, rows [][]string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return db.Exec(ctx, sql)
}

// compare checks actual values against the record's expected lines and
// describes the first difference, or returns "".
func compare(rec *Record, actual []string, hashed bool) string {
	if len(rec.Expected) == 1 {
		if m := hashLine.FindStringSubmatch(rec.Expected[0]); m != nil {
			got := HashLine(actual)
			if got != rec.Expected[0] {
				return fmt.Sprintf("expected %s, got %s", rec.Expected[0], got)
			}
			return ""
		}
	}
	want := expectedValues(rec.Expected)
	if hashed {
		return fmt.Sprintf("%d values over the hash threshold; expected a hash line, got %d values:\n%s",
			len(actual), len(want), show(actual))
	}
	if equalLines(want, actual) {
		return ""
	}
	nc := len(rec.Types)
	for i := 0; i < len(want) && i < len(actual); i++ {
		if want[i] != actual[i] {
			return fmt.Sprintf("row %d column %d: expected %q, got %q\nexpected:\n%s\nactual:\n%s",
				i/nc+1, i%nc+1, want[i], actual[i], showRows(want, nc), showRows(actual, nc))
		}
	}
	return fmt.Sprintf("expected %d values, got %d\nexpected:\n%s\nactual:\n%s",
		len(want), len(actual), showRows(want, nc), showRows(actual, nc))
}

// resultLines renders actual results for completion, keeping the record's
// layout: a hash line above the threshold, one value per line when the
// record was written that way, else one tab-separated row per line.
func resultLines(rec *Record, actual []string, hashed bool, ncols int) []string {
	if hashed {
		return []string{HashLine(actual)}
	}
	valueWise := ncols == 1
	if len(rec.Expected) > 0 && ncols > 1 && !hashLine.MatchString(rec.Expected[0]) {
		valueWise = true
		for _, l := range rec.Expected {
			if strings.Contains(l, "\t") {
				valueWise = false
			}
		}
	}
	if valueWise || rec.SortMode == ValueSort {
		return append([]string(nil), actual...)
	}
	lines := make([]string, 0, len(actual)/max(ncols, 1))
	for i := 0; i+ncols <= len(actual); i += ncols {
		lines = append(lines, strings.Join(actual[i:i+ncols], "\t"))
	}
	return lines
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func indent(sql string) string {
	return "  " + strings.ReplaceAll(sql, "\n", "\n  ")
}

func show(vals []string) string { return showRows(vals, 1) }

func showRows(vals []string, ncols int) string {
	var b strings.Builder
	for i := 0; i < len(vals); i += max(ncols, 1) {
		end := min(i+max(ncols, 1), len(vals))
		b.WriteString("  " + strings.Join(vals[i:end], "\t") + "\n")
	}
	if b.Len() == 0 {
		return "  (no rows)"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Files returns every *.slt file under dir, sorted.
func Files(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".slt") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}
