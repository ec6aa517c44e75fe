package catalog

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/quarry-sql/quarry/types"
)

// FormatCreateTable prints the DDL that recreates t, for SHOW CREATE TABLE.
//
// Tables print as Hive DDL, the dialect they are declared in: identifiers
// in backticks, types in Hive spelling, string literals with Hive's
// backslash escapes (see QuoteHiveString). Views print as Trino SQL,
// because their body is Trino SQL: identifiers in double quotes, string
// literals with doubled quotes.
//
// The output is canonical: clauses in Hive's grammar order, properties
// sorted by key, defaults left out (no ROW FORMAT for a format's own SerDe
// without properties; STORED AS <format> when the input and output formats
// are that format's). Parsing it and applying NormalizeTable gives back t
// as the catalog stores it, except Created.
func FormatCreateTable(t *Table) string {
	var b strings.Builder
	if t.Kind == View {
		fmt.Fprintf(&b, "CREATE VIEW %s.%s", quoteTrinoIdent(t.Schema), quoteTrinoIdent(t.Name))
		if t.Comment != "" {
			fmt.Fprintf(&b, " COMMENT %s", quoteTrinoString(t.Comment))
		}
		b.WriteString(" AS\n")
		b.WriteString(t.ViewSQL)
		return b.String()
	}
	if t.Kind == Managed {
		b.WriteString("CREATE TABLE ")
	} else {
		b.WriteString("CREATE EXTERNAL TABLE ")
	}
	b.WriteString(QuoteHiveIdent(t.Schema) + "." + QuoteHiveIdent(t.Name))
	if len(t.Columns) > 0 {
		b.WriteString(" (\n")
		writeColumns(&b, t.Columns)
		b.WriteString(")")
	}
	b.WriteString("\n")
	if t.Comment != "" {
		fmt.Fprintf(&b, "COMMENT %s\n", QuoteHiveString(t.Comment))
	}
	if len(t.PartitionKeys) > 0 {
		b.WriteString("PARTITIONED BY (\n")
		writeColumns(&b, t.PartitionKeys)
		b.WriteString(")\n")
	}
	writeRowFormat(&b, t)
	writeStoredAs(&b, t)
	if t.Location != "" {
		fmt.Fprintf(&b, "LOCATION %s\n", QuoteHiveString(t.Location))
	}
	if len(t.Properties) > 0 {
		b.WriteString("TBLPROPERTIES (\n")
		writeProps(&b, t.Properties)
		b.WriteString(")\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func writeColumns(b *strings.Builder, cols []types.Column) {
	for i, c := range cols {
		fmt.Fprintf(b, "  %s %s", QuoteHiveIdent(c.Name), HiveTypeString(c.Type))
		if c.Comment != "" {
			fmt.Fprintf(b, " COMMENT %s", QuoteHiveString(c.Comment))
		}
		if i < len(cols)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
}

func writeProps(b *strings.Builder, props map[string]string) {
	keys := slices.Sorted(maps.Keys(props))
	for i, k := range keys {
		fmt.Fprintf(b, "  %s = %s", QuoteHiveString(k), QuoteHiveString(props[k]))
		if i < len(keys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
}

// delimitedClauses are the ROW FORMAT DELIMITED clauses in the order Hive's
// grammar requires them, with the SerDe property each one sets.
var delimitedClauses = []struct{ prop, clause string }{
	{PropFieldDelim, "FIELDS TERMINATED BY"},
	{PropEscapeDelim, "ESCAPED BY"},
	{PropCollectionDelim, "COLLECTION ITEMS TERMINATED BY"},
	{PropMapKeyDelim, "MAP KEYS TERMINATED BY"},
	{PropLineDelim, "LINES TERMINATED BY"},
	{PropNullFormat, "NULL DEFINED AS"},
}

// canUseDelimited reports whether ROW FORMAT DELIMITED expresses the
// table's SerDe settings exactly: LazySimpleSerDe with only the properties
// DELIMITED sets, and ESCAPED BY only together with FIELDS TERMINATED BY,
// as the grammar demands.
func canUseDelimited(t *Table) bool {
	if t.SerDe != LazySimpleSerDe {
		return false
	}
	for k := range t.SerDeProps {
		if !slices.ContainsFunc(delimitedClauses, func(c struct{ prop, clause string }) bool { return c.prop == k }) {
			return false
		}
	}
	_, esc := t.SerDeProps[PropEscapeDelim]
	_, field := t.SerDeProps[PropFieldDelim]
	return !esc || field
}

func writeRowFormat(b *strings.Builder, t *Table) {
	d := formatDefaults[t.Format]
	// A JSON table prints as STORED AS TEXTFILE, so its SerDe is what
	// marks it as JSON and must always be printed.
	if t.SerDe == "" || t.SerDe == d.serde && len(t.SerDeProps) == 0 && t.Format != FormatJSON {
		return
	}
	if canUseDelimited(t) {
		b.WriteString("ROW FORMAT DELIMITED\n")
		for _, c := range delimitedClauses {
			if v, ok := t.SerDeProps[c.prop]; ok {
				fmt.Fprintf(b, "  %s %s\n", c.clause, QuoteHiveString(v))
			}
		}
		return
	}
	fmt.Fprintf(b, "ROW FORMAT SERDE %s\n", QuoteHiveString(t.SerDe))
	if len(t.SerDeProps) > 0 {
		b.WriteString("WITH SERDEPROPERTIES (\n")
		writeProps(b, t.SerDeProps)
		b.WriteString(")\n")
	}
}

func writeStoredAs(b *strings.Builder, t *Table) {
	d, ok := formatDefaults[t.Format]
	if ok && t.InputFormat == d.input && t.OutputFormat == d.output {
		f := t.Format
		if f == FormatJSON {
			// Hive has no STORED AS JSON; a JSON table is a text table
			// read by a JSON SerDe, which NormalizeFormat maps back.
			f = FormatText
		}
		fmt.Fprintf(b, "STORED AS %s\n", f)
		return
	}
	if t.InputFormat == "" && t.OutputFormat == "" {
		if t.Format != "" {
			fmt.Fprintf(b, "STORED AS %s\n", t.Format)
		}
		return
	}
	fmt.Fprintf(b, "STORED AS INPUTFORMAT %s\nOUTPUTFORMAT %s\n", QuoteHiveString(t.InputFormat), QuoteHiveString(t.OutputFormat))
}

// HiveTypeString spells a type for Hive DDL. It differs from
// types.Type.HiveString in two ways that matter for exact round trips:
// timestamps keep a precision other than Trino's default 3 (Hive has no
// timestamp precision, but types.Parse reads timestamp(6)), and struct
// field names that are not plain identifiers are backquoted.
func HiveTypeString(t types.Type) string {
	switch t.Kind {
	case types.Timestamp:
		if t.Precision != types.TimestampType.Precision {
			return fmt.Sprintf("timestamp(%d)", t.Precision)
		}
		return "timestamp"
	case types.Array:
		if t.Elem == nil {
			return "array<?>"
		}
		return "array<" + HiveTypeString(*t.Elem) + ">"
	case types.Map:
		if t.Key == nil || t.Elem == nil {
			return "map<?,?>"
		}
		return "map<" + HiveTypeString(*t.Key) + "," + HiveTypeString(*t.Elem) + ">"
	case types.Row:
		var b strings.Builder
		b.WriteString("struct<")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			if isPlainIdent(f.Name) {
				b.WriteString(f.Name)
			} else {
				b.WriteString(QuoteHiveIdent(f.Name))
			}
			b.WriteByte(':')
			b.WriteString(HiveTypeString(f.Type))
		}
		b.WriteByte('>')
		return b.String()
	}
	return t.HiveString()
}

func isPlainIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// QuoteHiveIdent backquotes an identifier, doubling any backquote in it as
// Hive requires.
func QuoteHiveIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

func quoteTrinoIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func quoteTrinoString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// QuoteHiveString quotes s as a Hive DDL string literal.
//
// Hive (and Athena DDL, which is Hive's grammar) reads string literals with
// backslash escapes, decoded by BaseSemanticAnalyzer.unescapeSQLString:
// '\\' is one backslash, '\” a quote, '\n' '\t' '\r' the control
// characters, and '\ooo' (first digit 0 or 1) an octal byte such as the
// customary '\001' field delimiter. A doubled quote is not an escape in
// Hive. So this writes backslash and quote escaped, \n \t \r by name,
// other ASCII control characters as three-digit octal, and everything else
// (including non-ASCII text) as it is.
func QuoteHiveString(s string) string {
	return "'" + escapeHiveString(s) + "'"
}

func escapeHiveString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\'':
			b.WriteString(`\'`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			o := strconv.FormatUint(uint64(c), 8)
			b.WriteString(`\` + strings.Repeat("0", 3-len(o)) + o)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
