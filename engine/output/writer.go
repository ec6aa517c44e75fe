package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// Formats lists the supported output formats.
var Formats = []string{"table", "csv", "tsv", "json", "jsonl", "markdown"}

// Writer renders one result.
type Writer interface {
	Begin(cols []types.Column) error
	Batch(b arrow.Record) error
	End() error
}

// NewWriter returns a writer for a format name.
func NewWriter(format string, w io.Writer, zone *time.Location) (Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "csv":
		return &delimWriter{w: bw, sep: ',', zone: zone, quote: true}, nil
	case "tsv":
		return &delimWriter{w: bw, sep: '\t', zone: zone}, nil
	case "json":
		return &jsonWriter{w: bw, zone: zone, array: true}, nil
	case "jsonl":
		return &jsonWriter{w: bw, zone: zone}, nil
	case "table", "":
		return &tableWriter{w: bw, zone: zone}, nil
	case "markdown":
		return &tableWriter{w: bw, zone: zone, markdown: true}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (supported: %s)", format, strings.Join(Formats, ", "))
}

type delimWriter struct {
	w     *bufio.Writer
	sep   byte
	quote bool
	zone  *time.Location
	cols  []types.Column
}

func (d *delimWriter) Begin(cols []types.Column) error {
	d.cols = cols
	for i, c := range cols {
		if i > 0 {
			d.w.WriteByte(d.sep)
		}
		d.field(c.Name)
	}
	return d.w.WriteByte('\n')
}

func (d *delimWriter) field(s string) {
	if !d.quote {
		s = strings.NewReplacer("\t", "\\t", "\n", "\\n", "\r", "\\r", "\\", "\\\\").Replace(s)
		d.w.WriteString(s)
		return
	}
	// RFC 4180: quote fields holding the separator, quotes or line breaks.
	if strings.ContainsAny(s, ",\"\r\n") {
		d.w.WriteByte('"')
		d.w.WriteString(strings.ReplaceAll(s, `"`, `""`))
		d.w.WriteByte('"')
		return
	}
	d.w.WriteString(s)
}

func (d *delimWriter) Batch(b arrow.Record) error {
	n := int(b.NumRows())
	for r := 0; r < n; r++ {
		for c := 0; c < int(b.NumCols()); c++ {
			if c > 0 {
				d.w.WriteByte(d.sep)
			}
			if s, ok := Value(b.Column(c), r, d.cols[c].Type, d.zone); ok {
				d.field(s)
			}
		}
		if err := d.w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func (d *delimWriter) End() error { return d.w.Flush() }

type jsonWriter struct {
	w     *bufio.Writer
	zone  *time.Location
	cols  []types.Column
	array bool
	n     int
}

func (j *jsonWriter) Begin(cols []types.Column) error {
	j.cols = cols
	if j.array {
		j.w.WriteString("[")
	}
	return nil
}

func (j *jsonWriter) Batch(b arrow.Record) error {
	for r := 0; r < int(b.NumRows()); r++ {
		if j.array {
			if j.n > 0 {
				j.w.WriteString(",")
			}
			j.w.WriteString("\n  ")
		}
		j.n++
		j.w.WriteByte('{')
		for c := 0; c < int(b.NumCols()); c++ {
			if c > 0 {
				j.w.WriteByte(',')
			}
			k, _ := json.Marshal(j.cols[c].Name)
			j.w.Write(k)
			j.w.WriteByte(':')
			j.w.WriteString(jsonValue(b.Column(c), r, j.cols[c].Type, j.zone))
		}
		j.w.WriteByte('}')
		if !j.array {
			j.w.WriteByte('\n')
		}
	}
	return nil
}

func jsonValue(a arrow.Array, r int, t types.Type, zone *time.Location) string {
	s, ok := Value(a, r, t, zone)
	if !ok {
		return "null"
	}
	switch a.(type) {
	case *array.Boolean, *array.Int8, *array.Int16, *array.Int32, *array.Int64:
		return s
	case *array.Float32, *array.Float64:
		if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "NI") {
			return strings.Replace(s, "E", "e", 1)
		}
	case *array.Decimal64, *array.Decimal128:
		return s
	}
	q, _ := json.Marshal(s)
	return string(q)
}

func (j *jsonWriter) End() error {
	if j.array {
		if j.n > 0 {
			j.w.WriteString("\n")
		}
		j.w.WriteString("]\n")
	}
	return j.w.Flush()
}

// tableWriter aligns columns like the Trino CLI; numbers align right.
type tableWriter struct {
	w        *bufio.Writer
	zone     *time.Location
	markdown bool
	cols     []types.Column
	rows     [][]string
	// MaxWidth truncates wide cells (0: no limit).
	MaxWidth int
}

func (t *tableWriter) Begin(cols []types.Column) error {
	t.cols = cols
	return nil
}

func (t *tableWriter) Batch(b arrow.Record) error {
	for r := 0; r < int(b.NumRows()); r++ {
		row := make([]string, b.NumCols())
		for c := range row {
			s, ok := Value(b.Column(c), r, t.cols[c].Type, t.zone)
			if !ok {
				s = "NULL"
			}
			if t.markdown {
				s = strings.ReplaceAll(s, "|", `\|`)
			}
			s = strings.ReplaceAll(s, "\n", `\n`)
			row[c] = s
		}
		t.rows = append(t.rows, row)
	}
	return nil
}

func (t *tableWriter) End() error {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = utf8.RuneCountInString(c.Name)
	}
	for _, r := range t.rows {
		for i, s := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	right := make([]bool, len(t.cols))
	for i, c := range t.cols {
		right[i] = c.Type.IsNumeric()
	}
	pad := func(s string, w int, r bool) string {
		p := strings.Repeat(" ", w-utf8.RuneCountInString(s))
		if r {
			return p + s
		}
		return s + p
	}
	if t.markdown {
		// GitHub's tables need at least three characters per column.
		for i := range widths {
			widths[i] = max(widths[i], 3)
		}
		t.w.WriteString("|")
		for i, c := range t.cols {
			t.w.WriteString(" " + pad(c.Name, widths[i], false) + " |")
		}
		t.w.WriteString("\n|")
		for i := range t.cols {
			dash := strings.Repeat("-", widths[i])
			if right[i] {
				dash = dash[:len(dash)-1] + ":"
			}
			t.w.WriteString(" " + dash + " |")
		}
		t.w.WriteString("\n")
		for _, r := range t.rows {
			t.w.WriteString("|")
			for i, s := range r {
				t.w.WriteString(" " + pad(s, widths[i], right[i]) + " |")
			}
			t.w.WriteString("\n")
		}
		return t.w.Flush()
	}
	for i, c := range t.cols {
		if i > 0 {
			t.w.WriteString(" | ")
		} else {
			t.w.WriteString(" ")
		}
		// Headers are centred, as in the Trino CLI.
		w := widths[i]
		l := (w - utf8.RuneCountInString(c.Name)) / 2
		t.w.WriteString(strings.Repeat(" ", l) + c.Name + strings.Repeat(" ", w-l-utf8.RuneCountInString(c.Name)))
	}
	t.w.WriteString("\n")
	for i := range t.cols {
		if i > 0 {
			t.w.WriteString("+")
		}
		t.w.WriteString(strings.Repeat("-", widths[i]+2))
	}
	t.w.WriteString("\n")
	for _, r := range t.rows {
		for i, s := range r {
			if i > 0 {
				t.w.WriteString(" | ")
			} else {
				t.w.WriteString(" ")
			}
			t.w.WriteString(pad(s, widths[i], right[i]))
		}
		t.w.WriteString("\n")
	}
	fmt.Fprintf(t.w, "(%d row%s)\n", len(t.rows), plural(len(t.rows)))
	return t.w.Flush()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
