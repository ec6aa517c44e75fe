package testkit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the kind of a script record.
type Kind int

// Record kinds.
const (
	KindStatement Kind = iota
	KindQuery
	KindHashThreshold
	KindHalt
)

func (k Kind) String() string {
	switch k {
	case KindStatement:
		return "statement"
	case KindQuery:
		return "query"
	case KindHashThreshold:
		return "hash-threshold"
	case KindHalt:
		return "halt"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// SortMode says how a query's results are ordered before comparison.
type SortMode int

// Sort modes, as in sqllogictest.
const (
	NoSort SortMode = iota
	RowSort
	ValueSort
)

func (m SortMode) String() string {
	switch m {
	case RowSort:
		return "rowsort"
	case ValueSort:
		return "valuesort"
	}
	return "nosort"
}

// Condition is a skipif/onlyif line before a record.
type Condition struct {
	Skip   bool // skipif (true) or onlyif (false)
	Engine string
}

// Applies reports whether a record guarded by c runs on engine.
func (c Condition) Applies(engine string) bool {
	if c.Skip {
		return c.Engine != engine
	}
	return c.Engine == engine
}

// Record is one statement, query or control line of a script. Line numbers
// are 1-based; line indexes (the *Idx fields) are 0-based into the file's
// lines, for rewriting.
type Record struct {
	Kind       Kind
	Line       int // the directive's line
	Conditions []Condition

	SQL     string
	SQLLine int // first line of the SQL text

	// Statements: ExpectError with an optional regexp on the message.
	ExpectError bool
	ErrorRegex  string

	// Queries.
	Types    string // one letter per column: T text, I integer, R real, ...
	SortMode SortMode
	Label    string
	// Expected holds the result lines as written (after "----").
	Expected []string
	// HasSeparator is false when the query had no "----" line.
	HasSeparator bool
	// SQLEndIdx is the index of the line after the SQL (where "----" is
	// or goes); ResultStartIdx..ResultEndIdx are the result lines.
	SQLEndIdx      int
	ResultStartIdx int
	ResultEndIdx   int

	// KindHashThreshold.
	Threshold int
}

// Runs reports whether the record runs on engine according to its
// conditions.
func (r *Record) Runs(engine string) bool {
	for _, c := range r.Conditions {
		if !c.Applies(engine) {
			return false
		}
	}
	return true
}

// Script is a parsed .slt file.
type Script struct {
	Path    string
	Lines   []string // the file's lines, without line terminators
	Records []*Record
}

// ParseError is a malformed script line.
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg) }

var hashLine = regexp.MustCompile(`^(\d+) values hashing to ([0-9a-f]{32})$`)

// Parse parses a sqllogictest script. path is used only in messages.
func Parse(path, text string) (*Script, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	s := &Script{Path: path, Lines: lines}
	perr := func(i int, format string, args ...any) error {
		return &ParseError{Path: path, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	blank := func(i int) bool { return strings.TrimSpace(lines[i]) == "" }
	var conds []Condition
	i := 0
	for i < len(lines) {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			if len(conds) > 0 {
				return nil, perr(i, "skipif/onlyif must be followed by a record")
			}
			i++
			continue
		}
		if strings.HasPrefix(trimmed, "#") {
			i++
			continue
		}
		fields := strings.Fields(stripComment(trimmed))
		switch fields[0] {
		case "skipif", "onlyif":
			if len(fields) < 2 {
				return nil, perr(i, "%s needs an engine name", fields[0])
			}
			conds = append(conds, Condition{Skip: fields[0] == "skipif", Engine: fields[1]})
			i++
			continue
		case "halt":
			s.Records = append(s.Records, &Record{Kind: KindHalt, Line: i + 1, Conditions: conds})
			conds = nil
			i++
			continue
		case "hash-threshold":
			if len(fields) != 2 {
				return nil, perr(i, "hash-threshold needs one number")
			}
			n, err := strconv.Atoi(fields[1])
			if err != nil || n < 0 {
				return nil, perr(i, "bad hash-threshold %q", fields[1])
			}
			s.Records = append(s.Records, &Record{Kind: KindHashThreshold, Line: i + 1, Conditions: conds, Threshold: n})
			conds = nil
			i++
			continue
		case "statement":
			r := &Record{Kind: KindStatement, Line: i + 1, Conditions: conds}
			conds = nil
			if len(fields) < 2 {
				return nil, perr(i, "statement needs ok or error")
			}
			switch fields[1] {
			case "ok":
				if len(fields) > 2 {
					return nil, perr(i, "unexpected %q after statement ok", fields[2])
				}
			case "error":
				r.ExpectError = true
				// The regexp is the rest of the line as written, spaces included.
				rest := strings.TrimSpace(line)
				rest = strings.TrimSpace(strings.TrimPrefix(rest, "statement"))
				r.ErrorRegex = strings.TrimSpace(strings.TrimPrefix(rest, "error"))
				if _, err := regexp.Compile(r.ErrorRegex); err != nil {
					return nil, perr(i, "bad error regexp: %v", err)
				}
			default:
				return nil, perr(i, "statement needs ok or error, not %q", fields[1])
			}
			i++
			start := i
			for i < len(lines) && !blank(i) {
				i++
			}
			if i == start {
				return nil, perr(start-1, "statement without SQL")
			}
			r.SQLLine = start + 1
			r.SQL = strings.Join(lines[start:i], "\n")
			s.Records = append(s.Records, r)
		case "query":
			r := &Record{Kind: KindQuery, Line: i + 1, Conditions: conds}
			conds = nil
			if len(fields) < 2 {
				return nil, perr(i, "query needs column types")
			}
			r.Types = fields[1]
			for _, c := range r.Types {
				if c < 'A' || c > 'Z' {
					return nil, perr(i, "bad column type letter %q", c)
				}
			}
			if len(fields) > 2 {
				switch fields[2] {
				case "nosort":
				case "rowsort":
					r.SortMode = RowSort
				case "valuesort":
					r.SortMode = ValueSort
				default:
					return nil, perr(i, "unknown sort mode %q", fields[2])
				}
			}
			if len(fields) > 3 {
				r.Label = fields[3]
			}
			if len(fields) > 4 {
				return nil, perr(i, "unexpected %q after query label", fields[4])
			}
			i++
			start := i
			for i < len(lines) && !blank(i) && strings.TrimSpace(lines[i]) != "----" {
				i++
			}
			if i == start {
				return nil, perr(start-1, "query without SQL")
			}
			r.SQLLine = start + 1
			r.SQL = strings.Join(lines[start:i], "\n")
			r.SQLEndIdx = i
			r.ResultStartIdx, r.ResultEndIdx = i, i
			if i < len(lines) && strings.TrimSpace(lines[i]) == "----" {
				r.HasSeparator = true
				i++
				r.ResultStartIdx = i
				for i < len(lines) && !blank(i) {
					r.Expected = append(r.Expected, lines[i])
					i++
				}
				r.ResultEndIdx = i
			}
			s.Records = append(s.Records, r)
		default:
			return nil, perr(i, "unknown directive %q", fields[0])
		}
	}
	if len(conds) > 0 {
		return nil, perr(len(lines)-1, "skipif/onlyif at end of file")
	}
	return s, nil
}

// stripComment drops a trailing "# comment" from a directive line.
func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
