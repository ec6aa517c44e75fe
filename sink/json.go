package sink

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// jsonEncoder writes JSON lines as Hive's JsonSerDe reads them: one object
// per row keyed by column name, NULL as null, numbers and booleans bare,
// decimals as exact numbers, dates ("2024-01-31") and timestamps
// ("2024-01-31 12:00:00.5"; with time zone ISO 8601 in UTC) as strings,
// varbinary as base64, NaN and infinities as the strings "NaN",
// "Infinity", "-Infinity", arrays as arrays, maps as objects (keys as
// strings) and rows as objects; json columns are written as raw JSON.
type jsonEncoder struct {
	*streamEncoder
	keys  [][]byte // `"name":` per column, with the leading comma after the first
	types []types.Type
	fns   []jsonFn
}

// jsonFn appends the JSON of non-null value i.
type jsonFn func(dst []byte, i int) []byte

func checkJSONTypes(cols []types.Column) error {
	var check func(name string, t types.Type) error
	check = func(name string, t types.Type) error {
		switch t.Kind {
		case types.Unknown, types.Time, types.IntervalDayTime, types.IntervalYearMonth:
			return fmt.Errorf("column %s: type %s cannot be stored in JSON", name, t)
		case types.Array:
			return check(name, *t.Elem)
		case types.Map:
			if isNested(*t.Key) || t.Key.Kind == types.JSON || t.Key.Kind == types.Varbinary {
				return fmt.Errorf("column %s: map key type %s cannot be a JSON object key", name, t.Key)
			}
			if err := check(name, *t.Key); err != nil {
				return err
			}
			return check(name, *t.Elem)
		case types.Row:
			for _, f := range t.Fields {
				if err := check(name+"."+f.Name, f.Type); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, c := range cols {
		if err := check(c.Name, c.Type); err != nil {
			return err
		}
	}
	return nil
}

func newJSONEncoder(s *streamEncoder, cols []types.Column) *jsonEncoder {
	e := &jsonEncoder{streamEncoder: s, keys: make([][]byte, len(cols)), fns: make([]jsonFn, len(cols))}
	for i, c := range cols {
		e.types = append(e.types, c.Type)
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = appendJSONString(k, c.Name)
		e.keys[i] = append(k, ':')
	}
	return e
}

func (e *jsonEncoder) write(cols []arrow.Array, sel []int32, n int) error {
	for c, arr := range cols {
		e.fns[c] = jsonAppender(arr, e.types[c])
	}
	for k := 0; k < n; k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		line := append(e.line[:0], '{')
		for c, arr := range cols {
			line = append(line, e.keys[c]...)
			if arr.IsNull(i) {
				line = append(line, "null"...)
				continue
			}
			line = e.fns[c](line, i)
		}
		line = append(line, '}', '\n')
		e.line = line
		if _, err := e.buf.Write(line); err != nil {
			return err
		}
	}
	return nil
}

func jsonAppender(arr arrow.Array, t types.Type) jsonFn {
	switch a := arr.(type) {
	case *array.Float32:
		return func(dst []byte, i int) []byte { return appendJSONFloat(dst, float64(a.Value(i)), 32) }
	case *array.Float64:
		return func(dst []byte, i int) []byte { return appendJSONFloat(dst, a.Value(i), 64) }
	case *array.String:
		if t.Kind == types.JSON {
			return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
		}
		return func(dst []byte, i int) []byte { return appendJSONString(dst, a.Value(i)) }
	case *array.Binary:
		return func(dst []byte, i int) []byte {
			dst = append(dst, '"')
			dst = base64.StdEncoding.AppendEncode(dst, a.Value(i))
			return append(dst, '"')
		}
	case *array.Date32, *array.Timestamp:
		fn, _ := textAppender(arr, t)
		if t.Kind == types.TimestampTZ {
			ts := a.(*array.Timestamp)
			return func(dst []byte, i int) []byte {
				dst = append(dst, '"')
				p := len(dst)
				dst = appendTimestamp(dst, int64(ts.Value(i)))
				if k := bytes.IndexByte(dst[p:], ' '); k >= 0 {
					dst[p+k] = 'T'
				}
				return append(dst, 'Z', '"')
			}
		}
		return func(dst []byte, i int) []byte {
			dst = append(dst, '"')
			dst = fn(dst, i)
			return append(dst, '"')
		}
	case *array.List:
		elem := jsonAppender(a.ListValues(), *t.Elem)
		vals := a.ListValues()
		return func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '[')
			for j := int(start); j < int(end); j++ {
				if j > int(start) {
					dst = append(dst, ',')
				}
				if vals.IsNull(j) {
					dst = append(dst, "null"...)
				} else {
					dst = elem(dst, j)
				}
			}
			return append(dst, ']')
		}
	case *array.Map:
		keys, items := a.Keys(), a.Items()
		kfn, _ := textAppender(keys, *t.Key)
		vfn := jsonAppender(items, *t.Elem)
		var scratch []byte
		return func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '{')
			for j := int(start); j < int(end); j++ {
				if j > int(start) {
					dst = append(dst, ',')
				}
				scratch = kfn(scratch[:0], j)
				dst = appendJSONString(dst, string(scratch))
				dst = append(dst, ':')
				if items.IsNull(j) {
					dst = append(dst, "null"...)
				} else {
					dst = vfn(dst, j)
				}
			}
			return append(dst, '}')
		}
	case *array.Struct:
		fns := make([]jsonFn, len(t.Fields))
		names := make([][]byte, len(t.Fields))
		for k, f := range t.Fields {
			fns[k] = jsonAppender(a.Field(k), f.Type)
			var nb []byte
			if k > 0 {
				nb = append(nb, ',')
			}
			nb = appendJSONString(nb, f.Name)
			names[k] = append(nb, ':')
		}
		return func(dst []byte, i int) []byte {
			dst = append(dst, '{')
			for k := range fns {
				dst = append(dst, names[k]...)
				if a.Field(k).IsNull(i) {
					dst = append(dst, "null"...)
				} else {
					dst = fns[k](dst, i)
				}
			}
			return append(dst, '}')
		}
	}
	// Booleans, integers and decimals print as JSON literals.
	fn, ok := textAppender(arr, t)
	if !ok {
		panic(fmt.Sprintf("BUG: no JSON form for %T (%s)", arr, t))
	}
	return jsonFn(fn)
}

func appendJSONFloat(dst []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		dst = append(dst, '"')
		dst = appendFloat(dst, f, bits)
		return append(dst, '"')
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// appendJSONString quotes s; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
