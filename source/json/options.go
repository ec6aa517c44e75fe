package json

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quarry-sql/quarry/catalog"
)

// SerDe and table properties the reader understands.
const (
	// PropRoot names the array (or object) that holds the rows of one
	// large JSON document: 'results', or a dotted path 'data.items'. A
	// leading "$." is accepted; "$" alone is the document itself.
	PropRoot = "json.root"
	// PropIgnoreMalformed = 'true' turns a malformed line into a row of
	// NULLs (OpenX).
	PropIgnoreMalformed = "ignore.malformed.json"
	// PropNullForInvalid = 'true' turns a value that does not convert to
	// its column's type into NULL (OpenX); otherwise it is an error.
	PropNullForInvalid = "use.null.for.invalid.data"
	// PropCaseInsensitive = 'false' matches keys to column and field names
	// exactly; the default matches them ignoring case.
	PropCaseInsensitive = "case.insensitive"
	// PropDotsInKeys = 'true' reads a key "a.b" as "a_b" (OpenX).
	PropDotsInKeys = "dots.in.keys"
	// PropMappingPrefix starts 'mapping.<column>' = '<json key>'.
	PropMappingPrefix = "mapping."
	// PropMaxRecordBytes (a table property) bounds one line or one
	// json.root element; longer records are an error.
	PropMaxRecordBytes = "quarry.max.record.bytes"
	// DefaultMaxRecordBytes is the record size limit without the property.
	DefaultMaxRecordBytes = 64 << 20
)

type options struct {
	root          []string // nil: JSON lines (or a bare top-level array)
	hasRoot       bool
	ignoreBad     bool
	nullInvalid   bool
	caseSensitive bool
	dotsInKeys    bool
	mapping       map[string]string // lower-case column name → JSON key
	maxRecord     int
}

func parseOptions(t *catalog.Table) (*options, error) {
	o := &options{maxRecord: DefaultMaxRecordBytes}
	if t == nil {
		return o, nil
	}
	for k, v := range t.SerDeProps {
		lk := strings.ToLower(k)
		switch {
		case lk == PropRoot:
			p, err := parseRoot(v)
			if err != nil {
				return nil, err
			}
			o.root, o.hasRoot = p, true
		case lk == PropIgnoreMalformed:
			b, err := parseBoolProp(k, v)
			if err != nil {
				return nil, err
			}
			o.ignoreBad = b
		case lk == PropNullForInvalid:
			b, err := parseBoolProp(k, v)
			if err != nil {
				return nil, err
			}
			o.nullInvalid = b
		case lk == PropCaseInsensitive:
			b, err := parseBoolProp(k, v)
			if err != nil {
				return nil, err
			}
			o.caseSensitive = !b
		case lk == PropDotsInKeys:
			b, err := parseBoolProp(k, v)
			if err != nil {
				return nil, err
			}
			o.dotsInKeys = b
		case strings.HasPrefix(lk, PropMappingPrefix) && len(lk) > len(PropMappingPrefix):
			if o.mapping == nil {
				o.mapping = map[string]string{}
			}
			o.mapping[lk[len(PropMappingPrefix):]] = v
		}
	}
	if v, ok := t.Properties[PropMaxRecordBytes]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("table property %s = %q: want a positive number of bytes", PropMaxRecordBytes, v)
		}
		o.maxRecord = n
	}
	return o, nil
}

func parseBoolProp(k, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("SERDEPROPERTIES %s = %q: want 'true' or 'false'", k, v)
}

func parseRoot(v string) ([]string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "$" || v == "":
		return []string{}, nil
	case strings.HasPrefix(v, "$."):
		v = v[2:]
	}
	parts := strings.Split(v, ".")
	for _, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("SERDEPROPERTIES %s = %q: empty key in path", PropRoot, v)
		}
	}
	return parts, nil
}

// normKey turns a JSON key into the form names are compared in, using
// buf for the result when it must change; it returns key itself when
// nothing changes, which is the common case (lower-case keys).
func (o *options) normKey(key []byte, buf *[]byte) []byte {
	change := false
	for _, c := range key {
		if !o.caseSensitive && c >= 'A' && c <= 'Z' || o.dotsInKeys && c == '.' || !o.caseSensitive && c >= 0x80 {
			change = true
			break
		}
	}
	if !change {
		return key
	}
	out := (*buf)[:0]
	if !o.caseSensitive {
		// bytes.ToLower would allocate; keys are short.
		for _, r := range string(key) {
			out = appendLowerRune(out, r)
		}
	} else {
		out = append(out, key...)
	}
	if o.dotsInKeys {
		for i, c := range out {
			if c == '.' {
				out[i] = '_'
			}
		}
	}
	*buf = out
	return out
}

// normName folds a declared name the way normKey folds keys.
func (o *options) normName(name string) string {
	var buf []byte
	return string(o.normKey([]byte(name), &buf))
}

func appendLowerRune(out []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(out, byte(r))
	}
	return utf8.AppendRune(out, unicode.ToLower(r))
}
