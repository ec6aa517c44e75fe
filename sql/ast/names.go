package ast

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/quarry-sql/quarry/sql/token"
)

// FormatIdent renders an identifier so that it parses back to the same
// Ident: quoted identifiers keep their double quotes (with embedded quotes
// doubled); unquoted names are printed as written unless they could not be
// read back unquoted (reserved words, odd characters), in which case they
// are quoted.
func FormatIdent(id *Ident) string {
	if id == nil {
		return `""`
	}
	if id.Quoted || !isPlainIdent(id.Name) {
		return quoteIdent(id.Name)
	}
	return id.Name
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// isPlainIdent reports whether s lexes as a single unquoted, non-reserved
// identifier.
func isPlainIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && unicode.IsDigit(r):
		default:
			return false
		}
	}
	if strings.EqualFold(s, "U") || strings.EqualFold(s, "X") {
		// Harmless alone, but U&'..' and X'..' prefixes make them special
		// before a string; they are never followed by one here.
		return true
	}
	return !token.IsReservedWord(s)
}

// String renders the type in a spelling accepted both by this package's
// parser and by the types package: Trino style (decimal(15,2),
// array(varchar), map(varchar, integer), row(a integer), timestamp(3) with
// time zone) except for Hive's struct, which keeps struct<a:int>.
func (t *TypeName) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *TypeName) write(b *strings.Builder) {
	if t == nil {
		b.WriteString("unknown")
		return
	}
	switch t.Name {
	case "interval":
		b.WriteString("interval")
		if t.IntervalFrom != "" {
			b.WriteString(" " + strings.ToLower(t.IntervalFrom))
			if t.IntervalTo != "" {
				b.WriteString(" to " + strings.ToLower(t.IntervalTo))
			}
		}
		return
	case "array", "map":
		if len(t.Elems) > 0 {
			b.WriteString(t.Name)
			b.WriteByte('(')
			for i, e := range t.Elems {
				if i > 0 {
					b.WriteString(", ")
				}
				e.write(b)
			}
			b.WriteByte(')')
			return
		}
	case "row":
		b.WriteString("row(")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			if f.Name != nil {
				b.WriteString(typeFieldName(f.Name))
				b.WriteByte(' ')
			}
			f.Type.write(b)
		}
		b.WriteByte(')')
		return
	case "struct":
		b.WriteString("struct<")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			if f.Name != nil {
				b.WriteString(typeFieldName(f.Name))
				b.WriteByte(':')
			}
			f.Type.write(b)
		}
		b.WriteByte('>')
		return
	}
	b.WriteString(t.Name)
	if len(t.Params) > 0 {
		b.WriteByte('(')
		for i, p := range t.Params {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
		}
		b.WriteByte(')')
	}
	if t.WithTimeZone {
		b.WriteString(" with time zone")
	}
}

// typeFieldName prints a row/struct field name. Unquoted names are printed
// raw even when reserved, because field positions accept any word.
func typeFieldName(id *Ident) string {
	if id.Quoted {
		return quoteIdent(id.Name)
	}
	return id.Name
}
