package engine

import (
	"bufio"
	"context"
	encsv "encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/compress"
	jsonsrc "github.com/quarry-sql/quarry/source/json"
	"github.com/quarry-sql/quarry/source/parquet"
	"github.com/quarry-sql/quarry/types"
)

// inferSampleRows is how many records zero-setup tables look at to choose
// column types. Every later value is still checked against the chosen type
// when read: the inferred tables use OpenCSVSerde, whose reader fails with
// file, line and column on a value that does not fit.
const inferSampleRows = 2000

// inferColumns fills a table declared without columns from its files.
func (s *Session) inferColumns(ctx context.Context, t *catalog.Table, formatGiven bool) error {
	store, err := s.e.resolver.For(t.Location)
	if err != nil {
		return err
	}
	if !formatGiven {
		// No STORED AS and no ROW FORMAT: the files say what they are.
		if all, err := store.List(ctx, t.Location); err == nil {
			for _, f := range all {
				if f := formatByName(f.Location); f != "" {
					if f != t.Format {
						t.Format = f
						t.SerDe, t.InputFormat, t.OutputFormat = "", "", ""
						catalog.NormalizeFormat(t)
					}
					break
				}
			}
		}
	}
	files, err := source.ListTableFiles(ctx, store, t, t.Location, &source.Stats{})
	if err != nil {
		return fmt.Errorf("infer the columns of %s.%s: %w", t.Schema, t.Name, err)
	}
	if len(files) == 0 {
		return fmt.Errorf("cannot infer the columns of %s.%s: no data files under %s", t.Schema, t.Name, t.Location)
	}
	first := files[0]
	switch t.Format {
	case catalog.FormatParquet:
		cols, err := parquet.InferSchema(ctx, store, first)
		if err != nil {
			return err
		}
		t.Columns = cols
		return nil
	case catalog.FormatText:
		return inferCSV(ctx, store, first, t)
	case catalog.FormatJSON:
		cols, err := jsonsrc.InferSchema(ctx, store, first, t, inferSampleRows)
		if err != nil {
			return err
		}
		t.Columns = cols
		return nil
	}
	return fmt.Errorf("cannot infer the columns of a %s table yet; declare them", t.Format)
}

// formatByName recognises a data file's format from its name.
func formatByName(loc string) string {
	name := strings.ToLower(loc[strings.LastIndexAny(loc, "/\\")+1:])
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return ""
	}
	for _, ext := range []string{".gz", ".zst", ".bz2", ".snappy", ".lz4", ".deflate"} {
		name = strings.TrimSuffix(name, ext)
	}
	switch {
	case strings.HasSuffix(name, ".parquet"):
		return catalog.FormatParquet
	case strings.HasSuffix(name, ".json"), strings.HasSuffix(name, ".jsonl"), strings.HasSuffix(name, ".ndjson"), strings.HasSuffix(name, ".json.zip"):
		return catalog.FormatJSON
	case strings.HasSuffix(name, ".csv"), strings.HasSuffix(name, ".tsv"), strings.HasSuffix(name, ".txt"), strings.HasSuffix(name, ".tbl"):
		return catalog.FormatText
	}
	return ""
}

func inferCSV(ctx context.Context, store objstore.Store, info objstore.ObjectInfo, t *catalog.Table) error {
	r, err := store.NewReader(ctx, info, 0, -1)
	if err != nil {
		return err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(512)
	codec := compress.Detect(info.Location, head)
	var in io.Reader = br
	if codec != compress.None {
		if codec == compress.Zip {
			return fmt.Errorf("%s: inferring columns from zip archives is not supported yet; declare them", info.Location)
		}
		dr, err := compress.NewReader(codec, br)
		if err != nil {
			return fmt.Errorf("%s: %w", info.Location, err)
		}
		defer dr.Close()
		in = dr
	}
	lines := bufio.NewReaderSize(in, 1<<16)
	firstLine, err := lines.ReadString('\n')
	if err != nil && firstLine == "" {
		return fmt.Errorf("%s: the file is empty; cannot infer columns", info.Location)
	}
	sep := t.SerDeProps["separatorChar"]
	if sep == "" {
		sep = t.SerDeProps[catalog.PropFieldDelim]
	}
	if sep == "" {
		sep = sniffDelimiter(firstLine)
	}
	delimited := t.SerDe == catalog.LazySimpleSerDe && t.SerDeProps[catalog.PropFieldDelim] != ""
	var records [][]string
	if delimited {
		// ROW FORMAT DELIMITED was declared: split lines on the delimiter.
		sc := bufio.NewScanner(io.MultiReader(strings.NewReader(firstLine), lines))
		sc.Buffer(make([]byte, 1<<16), 64<<20)
		for len(records) <= inferSampleRows && sc.Scan() {
			records = append(records, strings.Split(strings.TrimRight(sc.Text(), "\r"), sep))
		}
	} else {
		cr := encsv.NewReader(io.MultiReader(strings.NewReader(firstLine), lines))
		cr.Comma = rune(sep[0])
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		for len(records) <= inferSampleRows {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("%s: line %d: %v", info.Location, len(records)+1, err)
			}
			records = append(records, rec)
		}
	}
	if len(records) == 0 {
		return fmt.Errorf("%s: the file is empty; cannot infer columns", info.Location)
	}
	width := 0
	for _, r := range records {
		width = max(width, len(r))
	}
	nullFormat := `\N`
	if v, ok := t.SerDeProps[catalog.PropNullFormat]; ok {
		nullFormat = v
	}
	kindsOf := func(rows [][]string) []valueKind {
		kinds := make([]valueKind, width)
		for _, rec := range rows {
			for i := range kinds {
				if i < len(rec) && !(delimited && rec[i] == nullFormat) {
					kinds[i] = kinds[i].widen(classify(rec[i]))
				}
			}
		}
		return kinds
	}
	header := hasHeader(records, kindsOf)
	var names []string
	data := records
	if header {
		names, data = records[0], records[1:]
	}
	kinds := kindsOf(data)
	seen := map[string]int{}
	for i := 0; i < width; i++ {
		name := ""
		if i < len(names) {
			name = NormalizeColumnName(names[i])
		}
		if name == "" || (name[0] >= '0' && name[0] <= '9') {
			name = fmt.Sprintf("col%d", i+1)
		}
		if n := seen[name]; n > 0 {
			seen[name] = n + 1
			name = fmt.Sprintf("%s_%d", name, n+1)
		} else {
			seen[name] = 1
		}
		t.Columns = append(t.Columns, types.Column{Name: name, Type: kinds[i].typ()})
	}
	if t.Properties == nil {
		t.Properties = map[string]string{}
	}
	if header {
		t.Properties["skip.header.line.count"] = "1"
	}
	if delimited {
		return nil
	}
	t.SerDe = catalog.OpenCSVSerDe
	t.SerDeProps = map[string]string{"separatorChar": sep, "quoteChar": `"`, "escapeChar": `\`}
	return nil
}

// hasHeader decides whether the first record names the columns: when a
// column's first value is text while the rest of the column is typed
// (numbers, dates, booleans), or, for all-text files, when the first row's
// values are distinct, non-empty and occur nowhere below.
func hasHeader(records [][]string, kindsOf func([][]string) []valueKind) bool {
	if len(records) < 2 {
		return len(records) == 1
	}
	first := kindsOf(records[:1])
	rest := kindsOf(records[1:])
	allText := true
	for i := range first {
		if i < len(rest) && rest[i] != kindVarchar && rest[i] != kindNone {
			allText = false
			if first[i] != kindVarchar {
				return false
			}
		}
	}
	if !allText {
		return true
	}
	seen := map[string]bool{}
	for _, v := range records[0] {
		if v == "" || seen[v] {
			return false
		}
		seen[v] = true
	}
	for _, r := range records[1:] {
		for i, v := range r {
			if i < len(records[0]) && v == records[0][i] {
				return false
			}
		}
	}
	return true
}

func sniffDelimiter(line string) string {
	best, bestN := ",", 0
	for _, d := range []string{",", "\t", "|", ";"} {
		if n := strings.Count(line, d); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// NormalizeColumnName turns a header name into an identifier the way the
// seed's users did by hand: lineItem/UnblendedCost → lineitem_unblendedcost.
func NormalizeColumnName(h string) string {
	var b strings.Builder
	lastUnderscore := true
	for _, r := range strings.TrimSpace(h) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			lastUnderscore = false
		case !lastUnderscore:
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	return strings.TrimRight(b.String(), "_")
}

// valueKind is the narrowest type that holds every sampled value.
type valueKind int

const (
	kindNone valueKind = iota // only empty values seen
	kindBool
	kindBigint
	kindDouble
	kindDate
	kindTimestamp
	kindVarchar
)

func classify(v string) valueKind {
	v = strings.TrimSpace(v)
	if v == "" {
		return kindNone
	}
	if strings.EqualFold(v, "true") || strings.EqualFold(v, "false") {
		return kindBool
	}
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return kindBigint
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXpP_") && !strings.EqualFold(v, "nan") && !strings.EqualFold(v, "inf") && !strings.EqualFold(v, "infinity") {
		return kindDouble
	}
	if _, err := time.Parse("2006-01-02", v); err == nil {
		return kindDate
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04:05.999999999", time.RFC3339Nano, "2006-01-02T15:04:05Z", "2006-01-02T15:04:05"} {
		if _, err := time.Parse(layout, v); err == nil {
			return kindTimestamp
		}
	}
	return kindVarchar
}

func (k valueKind) widen(o valueKind) valueKind {
	switch {
	case k == o || o == kindNone:
		return k
	case k == kindNone:
		return o
	case (k == kindBigint && o == kindDouble) || (k == kindDouble && o == kindBigint):
		return kindDouble
	case (k == kindDate && o == kindTimestamp) || (k == kindTimestamp && o == kindDate):
		return kindVarchar // mixed date forms: keep the text exact
	}
	return kindVarchar
}

func (k valueKind) typ() types.Type {
	switch k {
	case kindBool:
		return types.BooleanType
	case kindBigint:
		return types.BigIntType
	case kindDouble:
		return types.DoubleType
	case kindDate:
		return types.DateType
	}
	// ISO timestamps carry zones; keep them as varchar, which
	// from_iso8601_timestamp reads, as the seed's queries do.
	return types.VarcharType
}
