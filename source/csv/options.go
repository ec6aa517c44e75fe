package csv

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
)

// Table properties Quarry adds to Hive's.
const (
	// PropMaxRecordBytes bounds one record (line, or quoted multi-line
	// record); longer records are an error.
	PropMaxRecordBytes = "quarry.max.record.bytes"
	// PropHeaderDetect = 'false' turns off recognising header lines.
	PropHeaderDetect = "quarry.header.detect"
	// DefaultMaxRecordBytes is the record size limit without the property.
	DefaultMaxRecordBytes = 64 << 20
	// maxRecordLimit keeps field offsets within int32.
	maxRecordLimit = 1 << 30

	propSkipHeader = "skip.header.line.count"
	propSkipFooter = "skip.footer.line.count"
	// propNullForInvalid is Athena's switch for OpenCSVSerde: a value that
	// does not parse is NULL instead of an error.
	propNullForInvalid = "use.null.for.invalid.data"
)

type serdeKind uint8

const (
	lazySimple serdeKind = iota
	openCSV
)

// options is a table's text layout, resolved once per Open.
type options struct {
	serde      serdeKind
	delim      byte
	lineDelim  byte
	escape     byte
	hasEscape  bool
	quote      byte
	nullFormat []byte
	skipHeader int
	skipFooter int
	maxRecord  int
	detect     bool
	// lenient makes unparseable values NULL rather than errors.
	lenient bool
	// epochNumbers reads an all-digit date as days and an all-digit
	// timestamp as milliseconds since 1970, as Athena's OpenCSVSerde does.
	epochNumbers bool
}

func parseOptions(t *catalog.Table) (*options, error) {
	o := &options{lineDelim: '\n', maxRecord: DefaultMaxRecordBytes, detect: true}
	switch {
	case t.SerDe == "" || t.SerDe == catalog.LazySimpleSerDe ||
		strings.EqualFold(t.SerDe, "LazySimpleSerDe"):
		o.serde = lazySimple
		o.lenient = true
		o.delim = 1
		o.nullFormat = []byte(`\N`)
		if v, ok := t.SerDeProps[catalog.PropFieldDelim]; ok {
			b, err := hiveByte(v, catalog.PropFieldDelim)
			if err != nil {
				return nil, err
			}
			o.delim = b
		} else if v, ok := t.SerDeProps["serialization.format"]; ok {
			// Hive falls back to serialization.format for the field
			// delimiter when field.delim is absent.
			if b, err := hiveByte(v, "serialization.format"); err == nil {
				o.delim = b
			}
		}
		if v, ok := t.SerDeProps[catalog.PropEscapeDelim]; ok && v != "" {
			b, err := hiveByte(v, catalog.PropEscapeDelim)
			if err != nil {
				return nil, err
			}
			o.escape, o.hasEscape = b, true
		}
		if v, ok := t.SerDeProps[catalog.PropLineDelim]; ok && v != "" {
			b, err := hiveByte(v, catalog.PropLineDelim)
			if err != nil {
				return nil, err
			}
			o.lineDelim = b
		}
		if v, ok := t.SerDeProps[catalog.PropNullFormat]; ok {
			o.nullFormat = []byte(v)
		}
	case t.SerDe == catalog.OpenCSVSerDe || strings.EqualFold(t.SerDe, "OpenCSVSerde"):
		o.serde = openCSV
		o.epochNumbers = true
		o.lenient = strings.EqualFold(strings.TrimSpace(t.Properties[propNullForInvalid]), "true")
		o.delim, o.quote, o.escape, o.hasEscape = ',', '"', '\\', true
		for key, dst := range map[string]*byte{"separatorChar": &o.delim, "quoteChar": &o.quote, "escapeChar": &o.escape} {
			if v, ok := lookupFold(t.SerDeProps, key); ok && v != "" {
				b, err := charProp(v, key)
				if err != nil {
					return nil, err
				}
				*dst = b
			}
		}
		if o.escape == o.quote {
			// A quote that escapes itself is the doubled-quote rule,
			// which the parser always applies.
			o.hasEscape = false
		}
		if o.delim == o.quote || o.delim == '\n' || o.quote == '\n' {
			return nil, fmt.Errorf("OpenCSVSerde: separatorChar %q and quoteChar %q must differ from each other and from newline", o.delim, o.quote)
		}
	default:
		return nil, fmt.Errorf("unsupported SerDe %s for TEXTFILE (supported: LazySimpleSerDe, OpenCSVSerde)", t.SerDe)
	}
	if o.hasEscape && (o.escape == o.delim || o.escape == o.lineDelim) {
		return nil, fmt.Errorf("escape character %q must differ from the field and line delimiters", o.escape)
	}
	if o.delim == o.lineDelim {
		return nil, fmt.Errorf("field delimiter %q must differ from the line delimiter", o.delim)
	}
	var err error
	if o.skipHeader, err = intProp(t.Properties, propSkipHeader, 0); err != nil {
		return nil, err
	}
	if o.skipFooter, err = intProp(t.Properties, propSkipFooter, 0); err != nil {
		return nil, err
	}
	if o.maxRecord, err = intProp(t.Properties, PropMaxRecordBytes, DefaultMaxRecordBytes); err != nil {
		return nil, err
	}
	if o.maxRecord < 1 || o.maxRecord > maxRecordLimit {
		return nil, fmt.Errorf("table property %s must be between 1 and %d: %d", PropMaxRecordBytes, maxRecordLimit, o.maxRecord)
	}
	if v, ok := t.Properties[PropHeaderDetect]; ok && strings.EqualFold(strings.TrimSpace(v), "false") {
		o.detect = false
	}
	return o, nil
}

func lookupFold(m map[string]string, key string) (string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

func intProp(m map[string]string, key string, def int) (int, error) {
	v, ok := m[key]
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("table property %s must be a non-negative integer: %q", key, v)
	}
	return n, nil
}

// hiveByte reads a LazySimpleSerDe delimiter the way Hive does: a decimal
// number is the byte's value ('1' is \001, '9' a tab), anything else is
// its first character. Backslash escapes the DDL may have left in place
// (\t, \001, \u0001) are decoded too.
func hiveByte(v, key string) (byte, error) {
	if n, err := strconv.ParseInt(v, 10, 8); err == nil {
		return byte(n), nil
	}
	return charProp(v, key)
}

func charProp(v, key string) (byte, error) {
	if len(v) >= 2 && v[0] == '\\' {
		switch {
		case v == `\t`:
			return '\t', nil
		case v == `\n`:
			return '\n', nil
		case v == `\r`:
			return '\r', nil
		case v == `\\`:
			return '\\', nil
		case v == `\0`:
			return 0, nil
		case len(v) == 4 && isOctal(v[1]) && isOctal(v[2]) && isOctal(v[3]):
			n, _ := strconv.ParseUint(v[1:], 8, 8)
			return byte(n), nil
		case len(v) == 6 && (v[1] == 'u' || v[1] == 'U'):
			if n, err := strconv.ParseUint(v[2:], 16, 16); err == nil && n < 0x80 {
				return byte(n), nil
			}
		}
	}
	if v[0] >= 0x80 {
		return 0, fmt.Errorf("%s %q: only single-byte (ASCII) delimiters are supported", key, v)
	}
	return v[0], nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
