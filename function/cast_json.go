package function

// Casts to and from json, with Trino's rules. CAST(x AS json) encodes the
// SQL value as JSON: numbers and booleans as themselves, varchar as a JSON
// string (CAST('abc' AS json) is "abc"; json_parse is what parses text),
// dates and timestamps as strings, arrays and rows as arrays, maps as
// objects with sorted keys; NULL elements become null, a NULL value stays
// SQL NULL. CAST(json AS T) reads a JSON scalar as T (a JSON string is
// parsed as T's text form, true/false read as 1/0 for numbers, JSON null
// is SQL NULL) and a JSON array or object as array(T), map(K, T) or row.

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// ---- to json ------------------------------------------------------------------

// castToJSON returns the kernel for CAST(x AS json), or false when Trino
// rejects the cast.
func castToJSON(from types.Type, try bool) (Kernel1, bool) {
	if _, ok := jsonWriterFor(nil, from, nil); !ok {
		return nil, false
	}
	return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
		w, _ := jsonWriterFor(ctx.Alloc, from, arg)
		n := arg.Len()
		vb := validity(arg)
		b := stringOut(ctx.Alloc, n, 0)
		defer b.Release()
		var buf []byte
		for i := 0; i < n; i++ {
			if !vb.valid(i) {
				b.AppendNull()
				continue
			}
			buf = w(buf[:0], i)
			b.BinaryBuilder.Append(buf)
		}
		return b.NewArray(), nil
	}, true
}

// jsonWriterFor returns a function appending the JSON form of row i of a
// (of type t) to dst; rows must be valid. With a nil a it only reports
// whether t can be written.
func jsonWriterFor(mem memory.Allocator, t types.Type, a arrow.Array) (func(dst []byte, i int) []byte, bool) {
	check := a == nil
	switch t.Kind {
	case types.Unknown:
		return func(dst []byte, i int) []byte { return append(dst, "null"...) }, true
	case types.Boolean:
		if check {
			return nil, true
		}
		v := boolValues(a)
		return func(dst []byte, i int) []byte { return strconv.AppendBool(dst, v.valid(i)) }, true
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		if check {
			return nil, true
		}
		r := intReader(a)
		return func(dst []byte, i int) []byte { v, _ := r(i); return strconv.AppendInt(dst, v, 10) }, true
	case types.Real, types.Double:
		if check {
			return nil, true
		}
		bitsize := 64
		if t.Kind == types.Real {
			bitsize = 32
		}
		r := floatReader(a)
		return func(dst []byte, i int) []byte {
			v := r(i)
			s := javaDouble(v, bitsize)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				// Jackson quotes non-numeric numbers.
				return jsonAppendString(dst, s)
			}
			return append(dst, s...)
		}, true
	case types.Decimal:
		if check {
			return nil, true
		}
		d := decimalValues(a)
		return func(dst []byte, i int) []byte { return append(dst, javaBigDecimal(d[i], t.Scale)...) }, true
	case types.Varchar, types.Char:
		if check {
			return nil, true
		}
		s := stringsOf(a)
		return func(dst []byte, i int) []byte { return jsonAppendString(dst, s.at(i)) }, true
	case types.JSON:
		if check {
			return nil, true
		}
		s := stringsOf(a)
		return func(dst []byte, i int) []byte { return append(dst, s.bytesAt(i)...) }, true
	case types.Date:
		if check {
			return nil, true
		}
		v := values[int32](a)
		return func(dst []byte, i int) []byte { return jsonAppendString(dst, formatDate(int64(v[i]))) }, true
	case types.Timestamp:
		if check {
			return nil, true
		}
		v := values[int64](a)
		return func(dst []byte, i int) []byte { return jsonAppendString(dst, formatTimestamp(v[i], t.Precision)) }, true
	case types.Array:
		if check {
			_, ok := jsonWriterFor(nil, *t.Elem, nil)
			return nil, ok
		}
		l, ok := a.(*array.List)
		if !ok {
			return func(dst []byte, i int) []byte { return append(dst, "null"...) }, true
		}
		child := l.ListValues()
		elem, _ := jsonWriterFor(mem, *t.Elem, child)
		return func(dst []byte, i int) []byte {
			lo, hi := l.ValueOffsets(i)
			dst = append(dst, '[')
			for j := int(lo); j < int(hi); j++ {
				if j > int(lo) {
					dst = append(dst, ',')
				}
				dst = jsonAppendValue(dst, child, elem, j)
			}
			return append(dst, ']')
		}, true
	case types.Map:
		if check {
			_, ok1 := jsonWriterFor(nil, *t.Elem, nil)
			return nil, ok1 && jsonKeyType(*t.Key)
		}
		m, ok := a.(*array.Map)
		if !ok {
			return func(dst []byte, i int) []byte { return append(dst, "null"...) }, true
		}
		keys, items := m.Keys(), m.Items()
		keyText := jsonKeyText(mem, *t.Key, keys)
		item, _ := jsonWriterFor(mem, *t.Elem, items)
		return func(dst []byte, i int) []byte {
			lo, hi := m.ValueOffsets(i)
			idx := make([]int, 0, hi-lo)
			for j := int(lo); j < int(hi); j++ {
				idx = append(idx, j)
			}
			// Trino writes map entries in key order.
			sort.SliceStable(idx, func(x, y int) bool { return keyText(idx[x]) < keyText(idx[y]) })
			dst = append(dst, '{')
			for k, j := range idx {
				if k > 0 {
					dst = append(dst, ',')
				}
				dst = jsonAppendString(dst, keyText(j))
				dst = append(dst, ':')
				dst = jsonAppendValue(dst, items, item, j)
			}
			return append(dst, '}')
		}, true
	case types.Row:
		if check {
			for _, f := range t.Fields {
				if _, ok := jsonWriterFor(nil, f.Type, nil); !ok {
					return nil, false
				}
			}
			return nil, true
		}
		st, ok := a.(*array.Struct)
		if !ok {
			return func(dst []byte, i int) []byte { return append(dst, "null"...) }, true
		}
		fields := make([]func([]byte, int) []byte, len(t.Fields))
		for k, f := range t.Fields {
			fields[k], _ = jsonWriterFor(mem, f.Type, st.Field(k))
		}
		off := st.Data().Offset()
		// As in Trino, a row becomes a JSON array: positions matter in SQL
		// rows more than names.
		return func(dst []byte, i int) []byte {
			dst = append(dst, '[')
			for k, f := range fields {
				if k > 0 {
					dst = append(dst, ',')
				}
				dst = jsonAppendValue(dst, st.Field(k), f, off+i)
			}
			return append(dst, ']')
		}, true
	}
	return nil, false
}

func jsonAppendValue(dst []byte, a arrow.Array, w func([]byte, int) []byte, i int) []byte {
	if a.DataType().ID() == arrow.NULL || a.IsNull(i) {
		return append(dst, "null"...)
	}
	return w(dst, i)
}

// jsonKeyType reports whether map keys of type t can become JSON object keys.
func jsonKeyType(t types.Type) bool {
	switch {
	case t.IsString(), t.IsNumeric(), t.Kind == types.Boolean, t.Kind == types.Unknown:
		return true
	}
	return false
}

// jsonKeyText renders map key j as its varchar form.
func jsonKeyText(mem memory.Allocator, t types.Type, keys arrow.Array) func(j int) string {
	if t.IsString() {
		s := stringsOf(keys)
		return s.at
	}
	k, err := Cast(t, types.VarcharType, false)
	if err != nil {
		return func(int) string { return "" }
	}
	// Map keys are few per row; converting them all once is simplest.
	out, err := k(&Context{Alloc: mem}, keys)
	if err != nil {
		return func(int) string { return "" }
	}
	s := stringsOf(out)
	vals := make([]string, keys.Len())
	for j := range vals {
		vals[j] = strings.Clone(s.at(j))
	}
	out.Release()
	return func(j int) string { return vals[j] }
}

// jsonAppendString appends s as a JSON string the way Jackson writes it:
// quote, backslash and control characters escaped, everything else as is.
func jsonAppendString(dst []byte, s string) []byte {
	const hexDigits = "0123456789ABCDEF"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// javaBigDecimal renders an unscaled value at a scale as Java's
// BigDecimal.toString does (which is how Jackson writes decimals): plain
// unless the adjusted exponent is below -6.
func javaBigDecimal(v i128, scale int) string {
	plain := decimalString(v, scale)
	digits := strings.TrimLeft(strings.NewReplacer("-", "", ".", "").Replace(plain), "0")
	if digits == "" {
		return plain
	}
	adjusted := len(digits) - 1 - scale
	if adjusted >= -6 {
		return plain
	}
	var b strings.Builder
	if v.isNeg() {
		b.WriteByte('-')
	}
	b.WriteByte(digits[0])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	b.WriteString("E")
	b.WriteString(strconv.Itoa(adjusted))
	return b.String()
}

// ---- from json ----------------------------------------------------------------

// jsonValue is a decoded JSON value that keeps object member order.
type jsonValue struct {
	kind  byte // 'n' null, 't' true, 'f' false, '#' number, 's' string, '[' array, '{' object
	text  string
	elems []jsonValue // array elements or object member values
	keys  []string    // object member names
}

func decodeJSON(s string) (jsonValue, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeJSONValue(dec)
	if err != nil {
		return jsonValue{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return jsonValue{}, fmt.Errorf("trailing data")
	}
	return v, nil
}

func decodeJSONValue(dec *json.Decoder) (jsonValue, error) {
	tok, err := dec.Token()
	if err != nil {
		return jsonValue{}, err
	}
	switch t := tok.(type) {
	case nil:
		return jsonValue{kind: 'n'}, nil
	case bool:
		if t {
			return jsonValue{kind: 't'}, nil
		}
		return jsonValue{kind: 'f'}, nil
	case json.Number:
		return jsonValue{kind: '#', text: string(t)}, nil
	case string:
		return jsonValue{kind: 's', text: t}, nil
	case json.Delim:
		v := jsonValue{kind: byte(t)}
		for dec.More() {
			if t == '{' {
				k, err := dec.Token()
				if err != nil {
					return jsonValue{}, err
				}
				v.keys = append(v.keys, k.(string))
			}
			e, err := decodeJSONValue(dec)
			if err != nil {
				return jsonValue{}, err
			}
			v.elems = append(v.elems, e)
		}
		if _, err := dec.Token(); err != nil {
			return jsonValue{}, err
		}
		return v, nil
	}
	return jsonValue{}, fmt.Errorf("unexpected token %v", tok)
}

// encode renders v as canonical JSON (compact, object keys sorted).
func (v jsonValue) encode(dst []byte) []byte {
	switch v.kind {
	case 'n':
		return append(dst, "null"...)
	case 't':
		return append(dst, "true"...)
	case 'f':
		return append(dst, "false"...)
	case '#':
		return append(dst, v.text...)
	case 's':
		return jsonAppendString(dst, v.text)
	case '[':
		dst = append(dst, '[')
		for i, e := range v.elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.encode(dst)
		}
		return append(dst, ']')
	}
	idx := make([]int, len(v.keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool { return v.keys[idx[x]] < v.keys[idx[y]] })
	dst = append(dst, '{')
	for k, i := range idx {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = jsonAppendString(dst, v.keys[i])
		dst = append(dst, ':')
		dst = v.elems[i].encode(dst)
	}
	return append(dst, '}')
}

// token is how Trino's errors name the value's first JSON token.
func (v jsonValue) token() string {
	switch v.kind {
	case '[', '{':
		return string(v.kind)
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'n':
		return "null"
	}
	return v.text
}

// jsonAppend appends a decoded JSON value to a builder of type t.
type jsonAppend func(mem memory.Allocator, b array.Builder, v *jsonValue) error

// castFromJSON returns the kernel for CAST(json AS to), or false when
// Trino rejects the cast.
func castFromJSON(to types.Type, try bool) (Kernel1, bool) {
	app, ok := jsonAppenderFor(to)
	if !ok {
		return nil, false
	}
	container := to.Kind == types.Array || to.Kind == types.Map || to.Kind == types.Row
	return func(ctx *Context, arg arrow.Array) (arrow.Array, error) {
		n := arg.Len()
		src := stringsOf(arg)
		vb := validity(arg)
		b := array.NewBuilder(ctx.Alloc, to.Arrow())
		defer b.Release()
		for i := 0; i < n; i++ {
			if !vb.valid(i) {
				b.AppendNull()
				continue
			}
			text := src.at(i)
			v, err := decodeJSON(text)
			if err == nil {
				err = app(ctx.Alloc, b, &v)
			}
			if err != nil {
				if try {
					// Appenders add a whole value or nothing.
					b.AppendNull()
					continue
				}
				if container {
					return nil, fmt.Errorf("Cannot cast to %s. %s\n%s", to, err.Error(), text)
				}
				return nil, fmt.Errorf("Cannot cast '%s' to %s", text, to)
			}
		}
		return b.NewArray(), nil
	}, true
}

func jsonAppenderFor(t types.Type) (jsonAppend, bool) {
	switch t.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		lo, hi := intRange(t.Kind)
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			x, null, err := jsonToInt64(v, t)
			if err == nil && !null && (x < lo || x > hi) {
				err = fmt.Errorf("Out of range for %s: %d", t, x)
			}
			switch {
			case err != nil:
				return err
			case null:
				b.AppendNull()
			default:
				switch bb := b.(type) {
				case *array.Int8Builder:
					bb.Append(int8(x))
				case *array.Int16Builder:
					bb.Append(int16(x))
				case *array.Int32Builder:
					bb.Append(int32(x))
				case *array.Int64Builder:
					bb.Append(x)
				}
			}
			return nil
		}, true
	case types.Real, types.Double:
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			x, null, err := jsonToFloat64(v, t)
			switch {
			case err != nil:
				return err
			case null:
				b.AppendNull()
			case t.Kind == types.Real:
				b.(*array.Float32Builder).Append(float32(x))
			default:
				b.(*array.Float64Builder).Append(x)
			}
			return nil
		}, true
	case types.Decimal:
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			var text string
			switch v.kind {
			case 'n':
				b.AppendNull()
				return nil
			case 't':
				text = "1"
			case 'f':
				text = "0"
			case '#', 's':
				text = v.text
			default:
				return jsonUnexpected(v, t)
			}
			d, ok := parseDecimal(text, t.Scale)
			if !ok || !d.fitsPrecision(t.Precision) {
				return fmt.Errorf("Cannot cast '%s' to %s", text, t)
			}
			if t.IsShortDecimal() {
				b.(*array.Decimal64Builder).Append(decimal.Decimal64(int64(d.lo)))
			} else {
				b.(*array.Decimal128Builder).Append(decimal128.New(d.hi, d.lo))
			}
			return nil
		}, true
	case types.Boolean:
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			var x bool
			switch v.kind {
			case 'n':
				b.AppendNull()
				return nil
			case 't':
				x = true
			case 'f':
			case '#':
				f, err := strconv.ParseFloat(v.text, 64)
				if err != nil {
					return jsonUnexpected(v, t)
				}
				x = f != 0
			case 's':
				switch strings.ToLower(strings.TrimSpace(v.text)) {
				case "true", "t", "1":
					x = true
				case "false", "f", "0":
				default:
					return fmt.Errorf("Cannot cast '%s' to BOOLEAN", v.text)
				}
			default:
				return jsonUnexpected(v, t)
			}
			b.(*array.BooleanBuilder).Append(x)
			return nil
		}, true
	case types.Varchar:
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			var s string
			switch v.kind {
			case 'n':
				b.AppendNull()
				return nil
			case 't':
				s = "true"
			case 'f':
				s = "false"
			case 's':
				s = v.text
			case '#':
				s = v.text
				if strings.ContainsAny(s, ".eE") {
					f, _ := strconv.ParseFloat(s, 64)
					s = javaDouble(f, 64)
				}
			default:
				return jsonUnexpected(v, t)
			}
			if t.Length > 0 && utf8.RuneCountInString(s) > t.Length {
				s = truncateRunes(s, t.Length)
			}
			b.(*array.StringBuilder).Append(s)
			return nil
		}, true
	case types.JSON:
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			// Inside a container, JSON null is a JSON value, not SQL NULL.
			b.(*array.StringBuilder).BinaryBuilder.Append(v.encode(nil))
			return nil
		}, true
	case types.Array:
		elem, ok := jsonAppenderFor(*t.Elem)
		if !ok {
			return nil, false
		}
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			switch v.kind {
			case 'n':
				b.AppendNull()
				return nil
			case '[':
			default:
				return fmt.Errorf("Expected a json array, but got %s", v.token())
			}
			lb := b.(*array.ListBuilder)
			// Convert into a scratch builder first so a failing element
			// leaves lb untouched.
			vb := array.NewBuilder(mem, t.Elem.Arrow())
			defer vb.Release()
			for k := range v.elems {
				if err := elem(mem, vb, &v.elems[k]); err != nil {
					return err
				}
			}
			vals := vb.NewArray()
			defer vals.Release()
			lb.Append(true)
			for k := 0; k < vals.Len(); k++ {
				arrAppend(lb.ValueBuilder(), vals, k)
			}
			return nil
		}, true
	case types.Map:
		key, ok1 := jsonAppenderFor(*t.Key)
		item, ok2 := jsonAppenderFor(*t.Elem)
		if !ok1 || !ok2 || !jsonKeyType(*t.Key) {
			return nil, false
		}
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			switch v.kind {
			case 'n':
				b.AppendNull()
				return nil
			case '{':
			default:
				return fmt.Errorf("Expected a json object, but got %s", v.token())
			}
			seen := make(map[string]bool, len(v.keys))
			for _, k := range v.keys {
				if seen[k] {
					return fmt.Errorf("Duplicate keys are not allowed")
				}
				seen[k] = true
			}
			kb := array.NewBuilder(mem, t.Key.Arrow())
			defer kb.Release()
			ib := array.NewBuilder(mem, t.Elem.Arrow())
			defer ib.Release()
			for k := range v.keys {
				kv := jsonValue{kind: 's', text: v.keys[k]}
				if err := key(mem, kb, &kv); err != nil {
					return err
				}
				if err := item(mem, ib, &v.elems[k]); err != nil {
					return err
				}
			}
			keys, items := kb.NewArray(), ib.NewArray()
			defer keys.Release()
			defer items.Release()
			mb := b.(*array.MapBuilder)
			mb.Append(true)
			for k := 0; k < keys.Len(); k++ {
				arrAppend(mb.KeyBuilder(), keys, k)
				arrAppend(mb.ItemBuilder(), items, k)
			}
			return nil
		}, true
	case types.Row:
		fields := make([]jsonAppend, len(t.Fields))
		for k, f := range t.Fields {
			var ok bool
			if fields[k], ok = jsonAppenderFor(f.Type); !ok {
				return nil, false
			}
		}
		return func(mem memory.Allocator, b array.Builder, v *jsonValue) error {
			vals := make([]*jsonValue, len(fields))
			null := jsonValue{kind: 'n'}
			switch v.kind {
			case 'n':
				b.AppendNull()
				return nil
			case '[':
				if len(v.elems) != len(fields) {
					return fmt.Errorf("Expected %d fields for %s, but got %d", len(fields), t, len(v.elems))
				}
				for k := range vals {
					vals[k] = &v.elems[k]
				}
			case '{':
				// Object members match fields by name, ignoring case;
				// missing ones are NULL.
				for k := range vals {
					vals[k] = &null
					for m, name := range v.keys {
						if strings.EqualFold(name, t.Fields[k].Name) {
							vals[k] = &v.elems[m]
						}
					}
				}
			default:
				return fmt.Errorf("Expected a json array or object, but got %s", v.token())
			}
			scratch := make([]arrow.Array, len(fields))
			defer func() {
				for _, a := range scratch {
					if a != nil {
						a.Release()
					}
				}
			}()
			for k, f := range fields {
				fb := array.NewBuilder(mem, t.Fields[k].Type.Arrow())
				err := f(mem, fb, vals[k])
				if err == nil {
					scratch[k] = fb.NewArray()
				}
				fb.Release()
				if err != nil {
					return err
				}
			}
			sb := b.(*array.StructBuilder)
			sb.Append(true)
			for k, a := range scratch {
				arrAppend(sb.FieldBuilder(k), a, 0)
			}
			return nil
		}, true
	}
	return nil, false
}

func jsonUnexpected(v *jsonValue, t types.Type) error {
	return fmt.Errorf("Unexpected token when cast to %s: %s", t, v.token())
}

// jsonToInt64 reads a JSON scalar as an exact integer: integers as
// written, fractional numbers rounded half away from zero, strings parsed
// as the integer type's text, true and false as 1 and 0.
func jsonToInt64(v *jsonValue, t types.Type) (int64, bool, error) {
	switch v.kind {
	case 'n':
		return 0, true, nil
	case 't':
		return 1, false, nil
	case 'f':
		return 0, false, nil
	case '#':
		if !strings.ContainsAny(v.text, ".eE") {
			x, err := strconv.ParseInt(v.text, 10, 64)
			if err != nil {
				return 0, false, fmt.Errorf("Out of range for %s: %s", t, v.text)
			}
			return x, false, nil
		}
		f, _ := strconv.ParseFloat(v.text, 64)
		r := math.Round(f)
		if math.IsNaN(r) || r < -9.223372036854775808e18 || r >= 9.223372036854775808e18 {
			return 0, false, fmt.Errorf("Out of range for %s: %s", t, javaDouble(f, 64))
		}
		return int64(r), false, nil
	case 's':
		x, err := strconv.ParseInt(v.text, 10, 64)
		if err != nil {
			return 0, false, fmt.Errorf("Cannot cast '%s' to %s", v.text, strings.ToUpper(t.String()))
		}
		return x, false, nil
	}
	return 0, false, jsonUnexpected(v, t)
}

// jsonToFloat64 reads a JSON scalar as a double.
func jsonToFloat64(v *jsonValue, t types.Type) (float64, bool, error) {
	switch v.kind {
	case 'n':
		return 0, true, nil
	case 't':
		return 1, false, nil
	case 'f':
		return 0, false, nil
	case '#':
		f, err := strconv.ParseFloat(v.text, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			return 0, false, jsonUnexpected(v, t)
		}
		return f, false, nil
	case 's':
		f, ok := parseJavaDouble(v.text)
		if !ok {
			return 0, false, fmt.Errorf("Cannot cast '%s' to %s", v.text, strings.ToUpper(t.String()))
		}
		return f, false, nil
	}
	return 0, false, jsonUnexpected(v, t)
}
