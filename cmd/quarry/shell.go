package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/mattn/go-runewidth"
	"github.com/peterh/liner"
	"golang.org/x/term"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/engine/output"
	"github.com/quarry-sql/quarry/sql/token"
	"github.com/quarry-sql/quarry/types"
)

const shellHelp = `Statements end with ';' and may span several lines. Commands:
  \h, help             this help
  \q, quit, exit       leave the shell (or Ctrl-D)
  \f [FORMAT]          show or set the output format (.mode FORMAT): %s
  \d [TABLE]           list the tables of the current schema, or describe TABLE (.tables)
  \dn                  list schemas (.schemas)
Tab completes keywords, functions, schemas, tables and columns; USE schema switches schema.
Ctrl-C cancels the running query, or clears the line at the prompt.
`

// historyFile is the name of the shell's history inside the catalog directory.
const historyFile = "history"

// runShell starts the interactive shell, or runs standard input as a script
// (exactly like quarry sql) when standard input is not a terminal.
func runShell(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quarry shell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g globals
	g.register(fs)
	format := fs.String("format", "table", "output format: "+strings.Join(output.Formats, ", "))
	schema := fs.String("schema", "", "current schema")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quarry shell: unexpected argument %q (use quarry sql -e 'SQL' to run a statement)\n", fs.Arg(0))
		return 2
	}
	in, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return runSQL(args, stdin, stdout, stderr)
	}
	if _, err := output.NewWriter(*format, io.Discard, nil); err != nil {
		fmt.Fprintf(stderr, "quarry shell: %v\n", err)
		return 2
	}
	cfg, err := g.config()
	if err != nil {
		fmt.Fprintf(stderr, "quarry shell: %v\n", err)
		return 2
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "quarry: %v\n", err)
		return 1
	}
	defer eng.Close()
	sess := eng.NewSession()
	if *schema != "" {
		sess.Schema = strings.ToLower(*schema)
	}
	dir := g.catalog
	if dir == "" {
		dir = engine.DefaultCatalogDir()
	}
	sh := &shell{
		eng: eng, sess: sess, format: *format, quiet: g.quiet,
		stdout: stdout, stderr: stderr,
		history: filepath.Join(dir, historyFile),
	}
	sh.comp = newCompleter(eng, sess)
	return sh.run()
}

// shell is one interactive session: a line editor over an engine session.
type shell struct {
	eng     *engine.Engine
	sess    *engine.Session
	format  string
	quiet   bool
	stdout  io.Writer
	stderr  io.Writer
	history string
	ln      *liner.State
	comp    *completer

	mu     sync.Mutex
	cancel context.CancelFunc // of the running statement, nil between statements
}

func (s *shell) run() int {
	s.ln = liner.NewLiner()
	defer s.ln.Close()
	s.ln.SetCtrlCAborts(true)
	s.ln.SetTabCompletionStyle(liner.TabPrints)
	s.ln.SetWordCompleter(s.comp.complete)
	if f, err := os.Open(s.history); err == nil {
		s.ln.ReadHistory(f)
		f.Close()
	}
	defer s.saveHistory()

	// The line editor turns Ctrl-C into a key while it reads a line; while
	// a statement runs the terminal sends SIGINT, which cancels that
	// statement only.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer func() {
		signal.Stop(sigs)
		close(sigs)
	}()
	go func() {
		for range sigs {
			s.mu.Lock()
			if s.cancel != nil {
				s.cancel()
			}
			s.mu.Unlock()
		}
	}()

	if !s.quiet {
		fmt.Fprintf(s.stderr, "quarry %s — statements end with ';'. Type \\h for help, \\q to quit.\n", version)
	}
	var lines []string
	for {
		line, err := s.ln.Prompt(s.prompt(len(lines) > 0))
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			lines = nil
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(s.stdout)
			return 0
		case err != nil:
			fmt.Fprintf(s.stderr, "quarry shell: %v\n", err)
			return 1
		}
		if len(lines) == 0 && isShellCommand(line) {
			s.addHistory(strings.TrimSpace(line))
			if s.command(strings.TrimSpace(line)) {
				return 0
			}
			continue
		}
		lines = append(lines, line)
		stmts, rest := splitStatements(strings.Join(lines, "\n"))
		if len(stmts) == 0 {
			if blankSQL(rest) {
				lines = nil
			}
			continue
		}
		lines = nil
		if !blankSQL(rest) {
			lines = []string{rest}
		}
		s.addHistory(historyEntry(strings.Join(stmts, " ")))
		for _, st := range stmts {
			if !s.execute(st) {
				break
			}
		}
	}
}

// prompt shows the current schema; the continuation prompt lines up with it.
func (s *shell) prompt(continued bool) string {
	p := "quarry> "
	if s.sess.Schema != "" {
		p = "quarry:" + s.sess.Schema + "> "
	}
	if continued {
		return strings.Repeat(" ", runewidth.StringWidth(p)-3) + "-> "
	}
	return p
}

func (s *shell) addHistory(entry string) {
	if entry == "" {
		return
	}
	s.ln.AppendHistory(entry)
	// Saved after every entry so a killed shell keeps its history.
	s.saveHistory()
}

func (s *shell) saveHistory() {
	f, err := os.OpenFile(s.history, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	s.ln.WriteHistory(f)
	f.Close()
}

// isShellCommand reports whether a line (typed at the primary prompt) is a
// shell command rather than SQL.
func isShellCommand(line string) bool {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, `\`) {
		return true
	}
	if len(t) > 1 && t[0] == '.' && (t[1] >= 'a' && t[1] <= 'z' || t[1] >= 'A' && t[1] <= 'Z') {
		return true
	}
	switch strings.ToLower(strings.TrimRight(t, "; ")) {
	case "help", "quit", "exit":
		return true
	}
	return false
}

// command runs a shell command; it reports whether the shell should exit.
func (s *shell) command(line string) (quit bool) {
	fields := strings.Fields(strings.TrimRight(line, ";"))
	name, args := strings.ToLower(fields[0]), fields[1:]
	switch name {
	case `\q`, `\quit`, ".quit", ".exit", ".q", "quit", "exit":
		return true
	case `\h`, `\?`, `\help`, ".help", "help":
		fmt.Fprintf(s.stdout, shellHelp, strings.Join(output.Formats, ", "))
	case `\f`, `\format`, ".mode", ".format":
		if len(args) == 0 {
			fmt.Fprintf(s.stdout, "output format: %s (one of %s)\n", s.format, strings.Join(output.Formats, ", "))
			return false
		}
		f := strings.ToLower(args[0])
		if _, err := output.NewWriter(f, io.Discard, nil); err != nil {
			fmt.Fprintf(s.stderr, "quarry: %v\n", err)
			return false
		}
		s.format = f
		fmt.Fprintf(s.stdout, "output format: %s\n", f)
	case `\d`, ".tables", ".schema", ".describe":
		if len(args) == 0 {
			s.execute("SHOW TABLES")
		} else {
			s.execute("DESCRIBE " + args[0])
		}
	case `\dn`, ".schemas", ".databases":
		s.execute("SHOW SCHEMAS")
	default:
		fmt.Fprintf(s.stderr, "quarry: unknown command %s (type \\h for help)\n", fields[0])
	}
	return false
}

// execute runs one statement, printing its result, and reports whether it
// succeeded. Ctrl-C while it runs cancels it.
func (s *shell) execute(stmt string) bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
	}()
	prog := startProgress(ctx, s.stderr)
	changed := false
	err := s.sess.Execute(ctx, stmt, func(_ string, r *engine.Result) error {
		if len(r.Columns) == 0 {
			changed = true
		}
		return s.print(r, prog)
	})
	prog.stop()
	if changed {
		s.comp.invalidate()
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(s.stderr, "Query cancelled.")
		} else {
			printError(s.stderr, stmt, err)
		}
		return false
	}
	return true
}

// print writes one result: rows to stdout, statistics to stderr.
func (s *shell) print(r *engine.Result, prog *progress) error {
	if r.Message != "" && len(r.Columns) == 0 {
		prog.stop()
		if !s.quiet {
			fmt.Fprintln(s.stderr, r.Message)
		}
		return nil
	}
	var w output.Writer
	streaming := s.format != "table"
	if streaming {
		var err error
		if w, err = output.NewWriter(s.format, s.stdout, time.UTC); err != nil {
			return err
		}
	} else {
		w = &fitTable{w: s.stdout, width: terminalWidth(s.stdout), zone: time.UTC}
	}
	if err := w.Begin(r.Columns); err != nil {
		return err
	}
	for {
		b, err := r.Next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		if streaming {
			prog.stop()
		}
		if err := w.Batch(b); err != nil {
			return err
		}
	}
	prog.stop()
	if err := w.End(); err != nil {
		return err
	}
	r.Close()
	if !s.quiet {
		for _, n := range r.Notices {
			fmt.Fprintf(s.stderr, "notice: %s\n", n)
		}
		for _, m := range r.AllWarnings() {
			fmt.Fprintf(s.stderr, "warning: %s\n", m)
		}
		fmt.Fprintln(s.stderr, statsLine(r.Stats()))
	}
	return nil
}

func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return cols
}

// progress shows, on a terminal, how long a statement has been running and
// how to cancel it, until the statement's first output.
type progress struct {
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// progressDelay keeps quick statements free of flicker.
const progressDelay = 500 * time.Millisecond

func startProgress(ctx context.Context, w io.Writer) *progress {
	p := &progress{done: make(chan struct{}), stopped: make(chan struct{})}
	if terminalWidth(w) == 0 {
		close(p.stopped)
		return p
	}
	start := time.Now()
	go func() {
		defer close(p.stopped)
		t := time.NewTimer(progressDelay)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-p.done:
				if shown {
					fmt.Fprint(w, "\r\x1b[K")
				}
				return
			case <-t.C:
			}
			msg := fmt.Sprintf("Running %s (press Ctrl-C to cancel)", time.Since(start).Truncate(time.Second))
			if ctx.Err() != nil {
				msg = "Cancelling..."
			}
			fmt.Fprint(w, "\r\x1b[K"+msg)
			shown = true
			t.Reset(250 * time.Millisecond)
		}
	}()
	return p
}

// stop erases the progress line; it is idempotent.
func (p *progress) stop() {
	p.once.Do(func() { close(p.done) })
	<-p.stopped
}

// fitTable is the shell's table format: the aligned layout of the table
// writer, with cells cut so that every line fits the terminal.
type fitTable struct {
	w     io.Writer
	width int // terminal columns; 0: no limit
	zone  *time.Location
	cols  []types.Column
	rows  [][]string
}

var _ output.Writer = (*fitTable)(nil)

// minCell is the narrowest a cut column gets: two characters and "…".
const minCell = 3

func (t *fitTable) Begin(cols []types.Column) error {
	t.cols = cols
	return nil
}

func (t *fitTable) Batch(b arrow.Record) error {
	for r := 0; r < int(b.NumRows()); r++ {
		row := make([]string, b.NumCols())
		for c := range row {
			v, ok := output.Value(b.Column(c), r, t.cols[c].Type, t.zone)
			if !ok {
				v = "NULL"
			}
			row[c] = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", " ").Replace(v)
		}
		t.rows = append(t.rows, row)
	}
	return nil
}

func (t *fitTable) End() error {
	n := len(t.cols)
	widths := make([]int, n)
	for i, c := range t.cols {
		widths[i] = runewidth.StringWidth(c.Name)
	}
	for _, r := range t.rows {
		for i, v := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(v))
		}
	}
	cut := false
	if t.width > 0 && n > 0 {
		// A line is " " + cells joined by " | ".
		budget := t.width - 1 - 3*(n-1)
		if sum(widths) > budget {
			cut = true
			c := fitCap(widths, budget)
			for i := range widths {
				widths[i] = min(widths[i], c)
			}
		}
	}
	fit := func(v string, w int) string {
		if runewidth.StringWidth(v) > w {
			v = runewidth.Truncate(v, w, "…")
		}
		return v
	}
	var b strings.Builder
	line := func(s string) {
		if t.width > 0 && runewidth.StringWidth(s) > t.width {
			s = runewidth.Truncate(s, t.width, "…")
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	var l strings.Builder
	for i, c := range t.cols {
		if i > 0 {
			l.WriteString(" | ")
		} else {
			l.WriteString(" ")
		}
		// Headers are centred, as in the Trino CLI.
		name := fit(c.Name, widths[i])
		gap := widths[i] - runewidth.StringWidth(name)
		l.WriteString(strings.Repeat(" ", gap/2) + name + strings.Repeat(" ", gap-gap/2))
	}
	line(strings.TrimRight(l.String(), " "))
	l.Reset()
	for i := range t.cols {
		if i > 0 {
			l.WriteString("+")
		}
		l.WriteString(strings.Repeat("-", widths[i]+2))
	}
	line(l.String())
	for _, r := range t.rows {
		l.Reset()
		for i, v := range r {
			if i > 0 {
				l.WriteString(" | ")
			} else {
				l.WriteString(" ")
			}
			v = fit(v, widths[i])
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(v))
			if t.cols[i].Type.IsNumeric() {
				l.WriteString(pad + v)
			} else {
				l.WriteString(v + pad)
			}
		}
		line(strings.TrimRight(l.String(), " "))
	}
	fmt.Fprintf(&b, "(%d row%s)\n", len(t.rows), plural(int64(len(t.rows))))
	if cut {
		b.WriteString("(output truncated to terminal width; use \\f csv for full values)\n")
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// fitCap returns the largest cell width c such that the columns, each cut
// to at most c, fit the budget (never below minCell).
func fitCap(widths []int, budget int) int {
	lo, hi := minCell, 0
	for _, w := range widths {
		hi = max(hi, w)
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		total := 0
		for _, w := range widths {
			total += min(w, mid)
		}
		if total <= budget {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// splitStatements cuts text into complete statements, each ending at a ';'
// outside quotes and comments, and returns the unfinished rest. Statements
// holding nothing but comments are dropped.
func splitStatements(text string) (stmts []string, rest string) {
	start := 0
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for ; j < len(text); j++ {
				if text[j] == c {
					if c != '`' && j+1 < len(text) && text[j+1] == c {
						j++ // doubled quote
						continue
					}
					break
				}
			}
			if j >= len(text) {
				return stmts, text[start:]
			}
			i = j + 1
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return stmts, text[start:]
			}
			i += j + 1
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return stmts, text[start:]
			}
			i += 2 + j + 2
		case c == ';':
			if st := strings.TrimSpace(text[start : i+1]); !blankSQL(st[:len(st)-1]) {
				stmts = append(stmts, st)
			}
			start = i + 1
			i++
		default:
			i++
		}
	}
	return stmts, text[start:]
}

// blankSQL reports whether text holds only white space and comments.
func blankSQL(text string) bool {
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return true
			}
			i += j + 1
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return false // an unfinished comment continues the statement
			}
			i += 2 + j + 2
		default:
			return false
		}
	}
	return true
}

// historyEntry turns a (multi-line) statement into one history line: line
// comments are dropped so that joining lines cannot comment out the rest.
func historyEntry(stmt string) string {
	var b strings.Builder
	for i := 0; i < len(stmt); {
		c := stmt[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for ; j < len(stmt); j++ {
				if stmt[j] == c {
					if c != '`' && j+1 < len(stmt) && stmt[j+1] == c {
						j++
						continue
					}
					break
				}
			}
			j = min(j+1, len(stmt))
			b.WriteString(stmt[i:j])
			i = j
		case c == '-' && i+1 < len(stmt) && stmt[i+1] == '-':
			j := strings.IndexByte(stmt[i:], '\n')
			if j < 0 {
				i = len(stmt)
			} else {
				i += j
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return strings.Join(strings.Fields(strings.NewReplacer("\n", " ", "\r", " ").Replace(b.String())), " ")
}

// completer completes SQL keywords, function names, schemas, tables and
// columns. Catalog lookups are cached until a statement changes the
// catalog or the current schema.
type completer struct {
	eng      *engine.Engine
	sess     *engine.Session
	keywords []string // upper case
	funcs    []string // lower case

	schemas []string
	tables  map[string][]*catalog.Table // by schema
}

func newCompleter(eng *engine.Engine, sess *engine.Session) *completer {
	c := &completer{eng: eng, sess: sess, funcs: eng.Functions().Names()}
	// Keyword kinds are a contiguous range well below 10000.
	for k := token.Kind(0); k < 10000; k++ {
		if k.IsKeyword() {
			c.keywords = append(c.keywords, k.Keyword())
		}
	}
	sort.Strings(c.keywords)
	return c
}

func (c *completer) invalidate() {
	c.schemas = nil
	c.tables = nil
}

func (c *completer) listSchemas() []string {
	if c.schemas == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s, err := c.eng.Catalog().ListSchemas(ctx)
		if err != nil {
			return nil
		}
		c.schemas = append([]string{}, s...)
	}
	return c.schemas
}

func (c *completer) listTables(schema string) []*catalog.Table {
	if c.tables == nil {
		c.tables = map[string][]*catalog.Table{}
	}
	ts, ok := c.tables[schema]
	if !ok {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		ts, _ = c.eng.Catalog().ListTables(ctx, schema)
		c.tables[schema] = ts
	}
	return ts
}

func (c *completer) table(schema, name string) *catalog.Table {
	for _, t := range c.listTables(schema) {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func (c *completer) hasSchema(name string) bool {
	for _, s := range c.listSchemas() {
		if s == name {
			return true
		}
	}
	return false
}

func isWordChar(r rune) bool {
	return r == '_' || r == '.' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
}

// complete is liner's word completer: pos counts runes.
func (c *completer) complete(line string, pos int) (head string, completions []string, tail string) {
	rs := []rune(line)
	pos = min(pos, len(rs))
	start := pos
	for start > 0 && isWordChar(rs[start-1]) {
		start--
	}
	head, word, tail := string(rs[:start]), string(rs[start:pos]), string(rs[pos:])
	lead := strings.Fields(strings.ToLower(head))
	if len(lead) == 1 && (lead[0] == `\f` || lead[0] == ".mode" || lead[0] == ".format") {
		return head, withPrefix(output.Formats, word), tail
	}
	if word == "" {
		return head, nil, tail
	}
	var cands []string
	add := func(s string) {
		if hasPrefixFold(s, word) {
			cands = append(cands, s)
		}
	}
	if dot := strings.LastIndexByte(word, '.'); dot >= 0 {
		qual, prefix := strings.ToLower(word[:dot]), word[dot+1:]
		addQ := func(name string) {
			if hasPrefixFold(name, prefix) {
				cands = append(cands, word[:dot+1]+name)
			}
		}
		if parts := strings.Split(qual, "."); len(parts) == 2 {
			if t := c.table(parts[0], parts[1]); t != nil {
				for _, col := range t.AllColumns() {
					addQ(col.Name)
				}
			}
		} else if len(parts) == 1 {
			if c.hasSchema(qual) {
				for _, t := range c.listTables(qual) {
					addQ(t.Name)
				}
			}
			if t := c.table(c.sess.Schema, qual); t != nil {
				for _, col := range t.AllColumns() {
					addQ(col.Name)
				}
			}
		}
		return head, dedupe(cands), tail
	}
	lower := word == strings.ToLower(word)
	for _, k := range c.keywords {
		if lower {
			k = strings.ToLower(k)
		}
		add(k)
	}
	for _, f := range c.funcs {
		if !lower {
			f = strings.ToUpper(f)
		}
		add(f)
	}
	for _, s := range c.listSchemas() {
		add(s)
	}
	for _, t := range c.listTables(c.sess.Schema) {
		add(t.Name)
		for _, col := range t.AllColumns() {
			add(col.Name)
		}
	}
	return head, dedupe(cands), tail
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func withPrefix(xs []string, prefix string) []string {
	var out []string
	for _, x := range xs {
		if hasPrefixFold(x, prefix) {
			out = append(out, x)
		}
	}
	return out
}

func dedupe(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}
