package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/types"
)

var (
	shellBuildOnce sync.Once
	shellBin       string
	shellBuildErr  error
)

// shellBinary builds the real binary once per test run.
func shellBinary(t *testing.T) string {
	t.Helper()
	shellBuildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "quarry-shell-bin")
		if err != nil {
			shellBuildErr = err
			return
		}
		shellBin = filepath.Join(dir, "quarry")
		cmd := exec.Command("go", "build", "-o", shellBin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			shellBuildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if shellBuildErr != nil {
		t.Fatal(shellBuildErr)
	}
	return shellBin
}

// screen drives a process through a pseudo-terminal and reads what it
// prints.
type screen struct {
	t   *testing.T
	pty *os.File
	cmd *exec.Cmd

	mu    sync.Mutex
	out   []byte // everything printed so far
	seen  int    // out[:seen] has been matched by expect
	grew  chan struct{}
	ended chan struct{} // closed when the reader sees EOF
}

// patient is the timeout for anything a loaded machine may be slow at.
const patient = 90 * time.Second

func startScreen(t *testing.T, home string, cols uint16, args ...string) *screen {
	t.Helper()
	cmd := exec.Command(shellBinary(t), args...)
	cmd.Env = append(os.Environ(), "QUARRY_HOME="+home, "TERM=xterm", "PAGER=")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: cols})
	if err != nil {
		t.Fatalf("start shell in a pty: %v", err)
	}
	s := &screen{t: t, pty: f, cmd: cmd, grew: make(chan struct{}, 1), ended: make(chan struct{})}
	go func() {
		defer close(s.ended)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				s.mu.Lock()
				s.out = append(s.out, buf[:n]...)
				s.mu.Unlock()
				select {
				case s.grew <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		f.Close()
	})
	return s
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\r`)

// plain removes terminal control sequences and carriage returns.
func plain(b []byte) string { return ansi.ReplaceAllString(string(b), "") }

// expect waits until want appears in the output after the previous match
// and returns the plain text up to and including it.
func (s *screen) expect(want string) string {
	s.t.Helper()
	deadline := time.NewTimer(patient)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		text := plain(s.out[s.seen:])
		if i := strings.Index(text, want); i >= 0 {
			// Advance past the match in the raw bytes: find the shortest
			// raw prefix whose plain form holds the match.
			raw := s.out[s.seen:]
			n := len(raw)
			for lo, hi := 0, len(raw); lo <= hi; {
				mid := (lo + hi) / 2
				if strings.Contains(plain(raw[:mid]), want) {
					n, hi = mid, mid-1
				} else {
					lo = mid + 1
				}
			}
			s.seen += n
			s.mu.Unlock()
			return text[:i+len(want)]
		}
		s.mu.Unlock()
		select {
		case <-s.grew:
		case <-s.ended:
			s.mu.Lock()
			text := plain(s.out[s.seen:])
			s.mu.Unlock()
			if !strings.Contains(text, want) {
				s.t.Fatalf("shell ended before printing %q; it printed:\n%s", want, text)
			}
		case <-deadline.C:
			s.mu.Lock()
			text := plain(s.out[s.seen:])
			s.mu.Unlock()
			s.t.Fatalf("timed out waiting for %q; the shell printed:\n%s", want, text)
		}
	}
}

func (s *screen) send(keys string) {
	s.t.Helper()
	if _, err := s.pty.Write([]byte(keys)); err != nil {
		s.t.Fatalf("type %q: %v", keys, err)
	}
}

// wait waits for the process to exit and returns its exit status.
func (s *screen) wait() int {
	s.t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatalf("wait: %v", err)
		}
		return 0
	case <-time.After(patient):
		s.t.Fatalf("shell did not exit; it printed:\n%s", plain(s.out))
		return -1
	}
}

// writeBigCSV writes rows "i,fraction,name<i>" into dir/t.csv.
func writeBigCSV(t *testing.T, dir string, rows int) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "t.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range rows {
		fmt.Fprintf(w, "%d,%d.%04d,name%d\n", i, 0, (i*7919)%10000, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestShellTerminal runs the real binary in a pseudo-terminal and types at
// it as a user would.
func TestShellTerminal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a Unix pseudo-terminal")
	}
	home := t.TempDir()
	data := t.TempDir()
	writeBigCSV(t, data, 200_000)

	s := startScreen(t, home, 120, "shell")
	s.expect("quarry:default> ")

	// DDL, and the schema in the prompt.
	s.send("CREATE SCHEMA s;\r")
	s.expect("CREATE SCHEMA")
	s.expect("quarry:default> ")
	s.send("USE s;\r")
	s.expect("quarry:s> ")

	// A statement over two lines, with a continuation prompt.
	s.send("SELECT 1 + 1\r")
	s.expect("     -> ")
	s.send("AS x;\r")
	if out := s.expect("(1 row)"); !strings.Contains(out, " x\n---\n 2\n(1 row)") {
		t.Errorf("multi-line SELECT printed:\n%s", out)
	}
	s.expect("row in") // the statistics line
	s.expect("quarry:s> ")

	// Tab completes a keyword in place.
	s.waitEditing()
	s.send("SEL\t")
	s.expect("SELECT")
	s.send(" 42 AS answer;\r")
	if out := s.expect("(1 row)"); !strings.Contains(out, " 42\n") {
		t.Errorf("completed SELECT printed:\n%s", out)
	}
	s.expect("quarry:s> ")

	// Ctrl-C at the prompt drops the unfinished statement.
	s.send("SELECT nonsense FROM\r")
	s.expect("-> ")
	s.waitEditing()
	s.send("\x03")
	s.expect("quarry:s> ")
	s.send("SELECT 5 AS five;\r")
	if out := s.expect("(1 row)"); !strings.Contains(out, " 5\n") || strings.Contains(out, "quarry: ") {
		t.Errorf("after Ctrl-C at the prompt:\n%s", out)
	}
	s.expect("quarry:s> ")

	// Tables created in the session complete (the catalog cache is
	// refreshed), and so do their columns.
	s.send(fmt.Sprintf("CREATE EXTERNAL TABLE big (id bigint, v double, name varchar) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '%s';\r", data))
	s.expect("CREATE TABLE")
	s.expect("quarry:s> ")
	s.waitEditing()
	s.send("SELECT count(*), max(nam\t")
	s.expect("max(name")
	s.send(") FROM bi\t")
	s.expect("FROM big")
	s.send(";\r")
	if out := s.expect("(1 row)"); !strings.Contains(out, "200000 | name99999") {
		t.Errorf("count over the CSV table printed:\n%s", out)
	}
	s.expect("quarry:s> ")

	// Wide values are cut to the terminal width.
	long := strings.Repeat("abcdefghij", 20)
	s.send(fmt.Sprintf("SELECT '%s' AS wide, 7 AS n;\r", long))
	out := s.expect("(output truncated to terminal width")
	if strings.Contains(out, long) || !strings.Contains(out, "…") {
		t.Errorf("wide result was not cut:\n%s", out)
	}
	// Only the result, not the echo of the typed line.
	result := out[strings.LastIndex(out, "AS wide, 7 AS n;")+len("AS wide, 7 AS n;"):]
	for _, line := range strings.Split(result, "\n") {
		if len([]rune(line)) > 120 {
			t.Errorf("line of %d characters on a 120-column terminal: %q", len([]rune(line)), line)
		}
	}
	s.expect("quarry:s> ")

	// Output formats.
	s.send("\\f csv\r")
	s.expect("output format: csv")
	s.send("SELECT 1 AS a, 'x,y' AS b;\r")
	if out := s.expect(`1,"x,y"`); !strings.Contains(out, "a,b\n1,\"x,y\"") {
		t.Errorf("csv output:\n%s", out)
	}
	s.send(".mode table\r")
	s.expect("output format: table")

	// \d lists tables; \d TABLE describes one.
	s.send("\\d\r")
	s.expect("big")
	s.expect("quarry:s> ")
	s.send("\\d big\r")
	s.expect("name")
	s.expect("quarry:s> ")

	// Ctrl-C cancels a long query, and the shell answers the next one.
	s.send("SELECT sum(a.v * b.v) FROM big a CROSS JOIN (SELECT * FROM big LIMIT 1000) b;\r")
	s.expect("Ctrl-C to cancel")
	s.send("\x03")
	s.expect("Query cancelled.")
	s.expect("quarry:s> ")
	s.send("SELECT 6 * 7 AS answer;\r")
	if out := s.expect("(1 row)"); !strings.Contains(out, " 42\n") {
		t.Errorf("query after a cancelled one printed:\n%s", out)
	}
	s.expect("quarry:s> ")

	s.send("\\q\r")
	if code := s.wait(); code != 0 {
		t.Errorf("\\q: exit status %d, want 0", code)
	}

	// The history file holds the session's statements, the multi-line one
	// as one entry.
	b, err := os.ReadFile(filepath.Join(home, "history"))
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	hist := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, want := range []string{"CREATE SCHEMA s;", "SELECT 1 + 1 AS x;", "SELECT 42 AS answer;", `\q`} {
		if !slices.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, b)
		}
	}

	// A second shell starts in history: Up recalls the last statement.
	s2 := startScreen(t, home, 120)
	s2.expect("quarry:default> ")
	s2.waitEditing()
	s2.send("\x1b[A") // Up: \q
	s2.send("\x1b[A") // Up: SELECT 6 * 7 AS answer;
	s2.expect("SELECT 6 * 7 AS answer;")
	s2.send("\x15\x04") // Ctrl-U clears the line, Ctrl-D on an empty line exits
	if code := s2.wait(); code != 0 {
		t.Errorf("Ctrl-D: exit status %d, want 0", code)
	}
}

// TestShellPiped runs statements from a pipe like quarry sql: no prompts.
func TestShellPiped(t *testing.T) {
	home := t.TempDir()
	cmd := exec.Command(shellBinary(t), "shell", "--format", "csv")
	cmd.Env = append(os.Environ(), "QUARRY_HOME="+home)
	cmd.Stdin = strings.NewReader("CREATE SCHEMA p;\nUSE p;\nSELECT 1 AS one,\n 'a' AS two;\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("quarry shell < script: %v\n%s", err, errb.String())
	}
	if out.String() != "one,two\n1,a\n" {
		t.Errorf("stdout = %q", out.String())
	}
	if strings.Contains(out.String()+errb.String(), "quarry>") || strings.Contains(out.String()+errb.String(), "quarry:") {
		t.Errorf("prompts when not on a terminal:\n%s%s", out.String(), errb.String())
	}

	cmd = exec.Command(shellBinary(t), "shell")
	cmd.Env = append(os.Environ(), "QUARRY_HOME="+home)
	cmd.Stdin = strings.NewReader("SELECT 1;\nSELEC 2;\n")
	if err := cmd.Run(); err == nil {
		t.Error("a failing script exited with status 0")
	}
}

func TestShellSplitStatements(t *testing.T) {
	for _, tc := range []struct {
		in    string
		stmts []string
		rest  string
	}{
		{"SELECT 1", nil, "SELECT 1"},
		{"SELECT 1;", []string{"SELECT 1;"}, ""},
		{"SELECT 1;\nSELECT 2; SELECT", []string{"SELECT 1;", "SELECT 2;"}, " SELECT"},
		{"SELECT ';'", nil, "SELECT ';'"},
		{"SELECT 'it''s;'", nil, "SELECT 'it''s;'"},
		{"SELECT 'it''s;';", []string{"SELECT 'it''s;';"}, ""},
		{"SELECT 'open;\nstill;", nil, "SELECT 'open;\nstill;"},
		{`SELECT "a;b" FROM t;`, []string{`SELECT "a;b" FROM t;`}, ""},
		{"SELECT `a;b`;", []string{"SELECT `a;b`;"}, ""},
		{"SELECT 1 -- not the end;\n+ 1;", []string{"SELECT 1 -- not the end;\n+ 1;"}, ""},
		{"SELECT /* ; */ 1;", []string{"SELECT /* ; */ 1;"}, ""},
		{"SELECT /* ;\n", nil, "SELECT /* ;\n"},
		{";; -- c\n;", nil, ""},
		{"SELECT 1; -- done", []string{"SELECT 1;"}, " -- done"},
	} {
		stmts, rest := splitStatements(tc.in)
		if !slices.Equal(stmts, tc.stmts) || rest != tc.rest {
			t.Errorf("splitStatements(%q) = %q, %q; want %q, %q", tc.in, stmts, rest, tc.stmts, tc.rest)
		}
	}
	for in, want := range map[string]bool{"": true, "  \n": true, "-- x": true, "/* x */ -- y\n": true, "/* x": false, "x": false} {
		if got := blankSQL(in); got != want {
			t.Errorf("blankSQL(%q) = %v", in, got)
		}
	}
}

func TestShellHistoryEntry(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1\n+ 1;":                   "SELECT 1 + 1;",
		"SELECT 1 -- one\n, 2;":            "SELECT 1 , 2;",
		"SELECT '--not a comment'\nAS x;":  "SELECT '--not a comment' AS x;",
		"SELECT 'it''s' -- c\nFROM t;":     "SELECT 'it''s' FROM t;",
		"  SELECT   1;  ":                  "SELECT 1;",
		"SELECT \"a--b\"\n  FROM t -- end": `SELECT "a--b" FROM t`,
	} {
		if got := historyEntry(in); got != want {
			t.Errorf("historyEntry(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShellCommands(t *testing.T) {
	for line, want := range map[string]bool{
		`\q`: true, ` \h`: true, ".mode csv": true, "help": true, "QUIT;": true, "exit": true,
		"SELECT 1;": false, ".5": false, "helper": false, "": false,
	} {
		if got := isShellCommand(line); got != want {
			t.Errorf("isShellCommand(%q) = %v", line, got)
		}
	}
}

func TestShellFitTable(t *testing.T) {
	cols := []types.Column{{Name: "name", Type: types.Type{Kind: types.Varchar}}, {Name: "n", Type: types.Type{Kind: types.BigInt}}}
	ft := &fitTable{width: 24, cols: cols, rows: [][]string{{strings.Repeat("x", 40), "12345"}, {"short", "1"}}}
	var b bytes.Buffer
	ft.w = &b
	if err := ft.End(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for _, l := range lines[:len(lines)-1] { // all but the note
		if w := len([]rune(l)); w > 24 {
			t.Errorf("line %q is %d wide, terminal is 24", l, w)
		}
	}
	if !strings.Contains(b.String(), "xxxxxxxxxxxxx…") || !strings.Contains(b.String(), "| 12345") || !strings.Contains(b.String(), "output truncated") {
		t.Errorf("table:\n%s", b.String())
	}
	// Without a width limit nothing is cut.
	b.Reset()
	ft = &fitTable{w: &b, cols: cols, rows: [][]string{{"a", "1"}}}
	if err := ft.End(); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != " name | n\n------+---\n a    | 1\n(1 row)\n" {
		t.Errorf("table = %q", got)
	}
	if c := fitCap([]int{40, 5}, 20); c != 15 {
		t.Errorf("fitCap = %d, want 15", c)
	}
}

func TestShellCompletion(t *testing.T) {
	eng, err := engine.Open(engine.Config{CatalogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	sess := eng.NewSession()
	ctx := context.Background()
	err = sess.Execute(ctx, "CREATE SCHEMA sales; CREATE EXTERNAL TABLE sales.orders (order_id bigint, region varchar) LOCATION '/tmp/nowhere'; CREATE EXTERNAL TABLE ordinals (ord_no int) LOCATION '/tmp/nowhere';",
		func(string, *engine.Result) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	c := newCompleter(eng, sess)
	complete := func(line string) []string {
		_, got, _ := c.complete(line, len([]rune(line)))
		return got
	}
	check := func(line string, want ...string) {
		t.Helper()
		if got := complete(line); !slices.Equal(got, want) {
			t.Errorf("complete(%q) = %q, want %q", line, got, want)
		}
	}
	check("SEL", "SELECT")
	check("sel", "select")
	check("SELECT * FROM sal", "sales")
	check("SELECT * FROM sales.o", "sales.orders")
	check("SELECT sales.orders.re", "sales.orders.region")
	if got := complete("SELECT * FROM ordi"); !slices.Equal(got, []string{"ordinality", "ordinals"}) {
		t.Errorf("complete(SELECT * FROM ordi) = %q", got)
	}
	check("SELECT ord_", "ord_no")
	check("SELECT ordinals.o", "ordinals.ord_no")
	check(`\f j`, "json", "jsonl")
	check("SELECT ")
	if got := complete("SELECT app"); !slices.Contains(got, "approx_distinct") {
		t.Errorf("functions: complete(SELECT app) = %q", got)
	}
	head, _, tail := c.complete("SELECT x FROM sal WHERE", len("SELECT x FROM sal"))
	if head != "SELECT x FROM " || tail != " WHERE" {
		t.Errorf("head, tail = %q, %q", head, tail)
	}
	// The cache serves until invalidated.
	if err := sess.Execute(ctx, "CREATE SCHEMA salt", func(string, *engine.Result) error { return nil }); err != nil {
		t.Fatal(err)
	}
	check("SELECT * FROM sal", "sales")
	c.invalidate()
	check("SELECT * FROM sal", "sales", "salt")
	sess.Schema = "sales"
	if got := complete("SELECT reg"); !slices.Contains(got, "region") || !slices.Contains(got, "regexp_like") {
		t.Errorf("complete(SELECT reg) = %q", got)
	}
}
