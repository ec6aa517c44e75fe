package function

// JSON functions. JSON values are varchar-backed text (types.JSONType).
// Extraction walks the raw bytes along the path and skips everything else
// without decoding it, so json_extract_scalar over wide documents does not
// allocate per skipped value. Malformed documents extract as NULL, as in
// Trino; json_parse and is_json_scalar reject them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

func init() { extraRegistrations = append(extraRegistrations, registerJSON) }

func registerJSON(r *Registry) {
	r.AddScalar(&Scalar{Name: "json_extract", Bind: func(args []types.Type) (Binding, error) {
		return bindJQPathFn("json_extract", args, types.JSONType, func(doc []byte, v jqSpan) (string, bool) {
			return jqCompact(doc[v.start:v.end]), true
		})
	}})
	r.AddScalar(&Scalar{Name: "json_extract_scalar", Bind: func(args []types.Type) (Binding, error) {
		return bindJQPathFn("json_extract_scalar", args, types.VarcharType, func(doc []byte, v jqSpan) (string, bool) {
			return jqScalarText(doc[v.start:v.end])
		})
	}})
	r.AddScalar(&Scalar{Name: "json_size", Bind: func(args []types.Type) (Binding, error) {
		return bindJQPathFn("json_size", args, types.BigIntType, func(doc []byte, v jqSpan) (string, bool) {
			n, _ := jqCount(doc, v.start)
			return strconv.Itoa(n), true
		})
	}})
	r.AddScalar(&Scalar{Name: "json_parse", Bind: bindJQParse})
	r.AddScalar(&Scalar{Name: "json_format", Bind: bindJQFormat})
	r.AddScalar(&Scalar{Name: "json_array_length", Bind: bindJQArrayLength})
	r.AddScalar(&Scalar{Name: "json_array_contains", Bind: bindJQArrayContains})
	r.AddScalar(&Scalar{Name: "is_json_scalar", Bind: bindIsJSONScalar})
}

// jqArg accepts json, varchar and char (and a bare NULL as json).
func jqArg(t types.Type) (types.Type, bool) {
	switch {
	case t.Kind == types.Unknown:
		return types.JSONType, true
	case t.Kind == types.JSON, t.IsString():
		return t, true
	}
	return t, false
}

// ---- paths --------------------------------------------------------------

// jqStep is one path step: a member name or an array index.
type jqStep struct {
	key   string
	index int // -1 for a member step
}

// jqParsePath parses Trino's JSONPath subset: $, .name, ["name"], ['name'], [n].
func jqParsePath(p string) ([]jqStep, error) {
	bad := fmt.Errorf("Invalid JSON path: '%s'", p)
	s := strings.TrimSpace(p)
	if !strings.HasPrefix(s, "$") {
		return nil, bad
	}
	s = s[1:]
	var steps []jqStep
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
			k := 0
			for k < len(s) && s[k] != '.' && s[k] != '[' {
				k++
			}
			if k == 0 || s[:k] == "*" {
				return nil, bad
			}
			steps = append(steps, jqStep{key: s[:k], index: -1})
			s = s[k:]
		case '[':
			s = s[1:]
			if s == "" {
				return nil, bad
			}
			if q := s[0]; q == '"' || q == '\'' {
				end := strings.IndexByte(s[1:], q)
				if end < 0 || len(s) < end+3 || s[end+2] != ']' {
					return nil, bad
				}
				steps = append(steps, jqStep{key: s[1 : end+1], index: -1})
				s = s[end+3:]
				continue
			}
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, bad
			}
			idx := dtAtoi(strings.TrimSpace(s[:end]))
			if idx < 0 {
				return nil, bad
			}
			steps = append(steps, jqStep{index: idx})
			s = s[end+1:]
		default:
			return nil, bad
		}
	}
	return steps, nil
}

// jqSpan is the byte range of a value in a document.
type jqSpan struct{ start, end int }

// jqFind follows steps from the value at i; ok is false when the path
// does not exist or the document is malformed on the way.
func jqFind(doc []byte, steps []jqStep) (jqSpan, bool) {
	i := jqSkipWS(doc, 0)
	for _, st := range steps {
		if i >= len(doc) {
			return jqSpan{}, false
		}
		switch {
		case st.index < 0 && doc[i] == '{':
			j, found := jqMember(doc, i, st.key)
			if !found {
				return jqSpan{}, false
			}
			i = j
		case st.index >= 0 && doc[i] == '[':
			j, found := jqElement(doc, i, st.index)
			if !found {
				return jqSpan{}, false
			}
			i = j
		default:
			return jqSpan{}, false
		}
	}
	end := jqSkipValue(doc, i)
	if end < 0 {
		return jqSpan{}, false
	}
	if len(steps) == 0 && jqSkipWS(doc, end) != len(doc) {
		return jqSpan{}, false
	}
	return jqSpan{i, end}, true
}

// jqMember returns the start of the value of key in the object at i.
func jqMember(doc []byte, i int, key string) (int, bool) {
	i = jqSkipWS(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return 0, false
	}
	found := -1
	for i < len(doc) {
		if doc[i] != '"' {
			return 0, false
		}
		end := jqSkipString(doc, i)
		if end < 0 {
			return 0, false
		}
		match := jqKeyEquals(doc[i:end], key)
		i = jqSkipWS(doc, end)
		if i >= len(doc) || doc[i] != ':' {
			return 0, false
		}
		i = jqSkipWS(doc, i+1)
		if match {
			// Like Jackson, the last duplicate key wins; usually there is one.
			found = i
		}
		i = jqSkipValue(doc, i)
		if i < 0 {
			return 0, false
		}
		i = jqSkipWS(doc, i)
		if i < len(doc) && doc[i] == ',' {
			i = jqSkipWS(doc, i+1)
			continue
		}
		if i < len(doc) && doc[i] == '}' {
			return found, found >= 0
		}
		return 0, false
	}
	return 0, false
}

func jqKeyEquals(quoted []byte, key string) bool {
	raw := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw) == key
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return false
	}
	return s == key
}

// jqElement returns the start of element n of the array at i.
func jqElement(doc []byte, i, n int) (int, bool) {
	i = jqSkipWS(doc, i+1)
	if i < len(doc) && doc[i] == ']' {
		return 0, false
	}
	for k := 0; i < len(doc); k++ {
		if k == n {
			return i, true
		}
		i = jqSkipValue(doc, i)
		if i < 0 {
			return 0, false
		}
		i = jqSkipWS(doc, i)
		if i < len(doc) && doc[i] == ',' {
			i = jqSkipWS(doc, i+1)
			continue
		}
		return 0, false
	}
	return 0, false
}

// jqCount returns the number of members or elements of the value at i
// (0 for scalars).
func jqCount(doc []byte, i int) (int, bool) {
	if i >= len(doc) || (doc[i] != '{' && doc[i] != '[') {
		return 0, true
	}
	closer := byte('}')
	if doc[i] == '[' {
		closer = ']'
	}
	i = jqSkipWS(doc, i+1)
	if i < len(doc) && doc[i] == closer {
		return 0, true
	}
	n := 0
	for i < len(doc) {
		if closer == '}' {
			end := jqSkipString(doc, i)
			if end < 0 {
				return 0, false
			}
			i = jqSkipWS(doc, end)
			if i >= len(doc) || doc[i] != ':' {
				return 0, false
			}
			i = jqSkipWS(doc, i+1)
		}
		i = jqSkipValue(doc, i)
		if i < 0 {
			return 0, false
		}
		n++
		i = jqSkipWS(doc, i)
		if i < len(doc) && doc[i] == ',' {
			i = jqSkipWS(doc, i+1)
			continue
		}
		if i < len(doc) && doc[i] == closer {
			return n, true
		}
		return 0, false
	}
	return 0, false
}

func jqSkipWS(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}

// jqSkipString returns the index after the string starting at i, or -1.
func jqSkipString(doc []byte, i int) int {
	if i >= len(doc) || doc[i] != '"' {
		return -1
	}
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// jqSkipValue returns the index after the value starting at i, or -1 if
// the value is malformed.
func jqSkipValue(doc []byte, i int) int {
	if i >= len(doc) {
		return -1
	}
	switch c := doc[i]; {
	case c == '"':
		return jqSkipString(doc, i)
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		i = jqSkipWS(doc, i+1)
		if i < len(doc) && doc[i] == closer {
			return i + 1
		}
		for i < len(doc) {
			if closer == '}' {
				i = jqSkipString(doc, i)
				if i < 0 {
					return -1
				}
				i = jqSkipWS(doc, i)
				if i >= len(doc) || doc[i] != ':' {
					return -1
				}
				i = jqSkipWS(doc, i+1)
			}
			i = jqSkipValue(doc, i)
			if i < 0 {
				return -1
			}
			i = jqSkipWS(doc, i)
			if i < len(doc) && doc[i] == ',' {
				i = jqSkipWS(doc, i+1)
				continue
			}
			if i < len(doc) && doc[i] == closer {
				return i + 1
			}
			return -1
		}
		return -1
	case c == 't':
		return jqLiteral(doc, i, "true")
	case c == 'f':
		return jqLiteral(doc, i, "false")
	case c == 'n':
		return jqLiteral(doc, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		j := i
		if doc[j] == '-' {
			j++
		}
		start := j
		for j < len(doc) && (doc[j] >= '0' && doc[j] <= '9' || doc[j] == '.' || doc[j] == 'e' || doc[j] == 'E' || doc[j] == '+' || doc[j] == '-') {
			j++
		}
		if j == start {
			return -1
		}
		return j
	}
	return -1
}

func jqLiteral(doc []byte, i int, lit string) int {
	if bytes.HasPrefix(doc[i:], []byte(lit)) {
		return i + len(lit)
	}
	return -1
}

// jqCompact removes insignificant whitespace, as Trino prints JSON.
func jqCompact(v []byte) string {
	if !bytes.ContainsAny(v, " \t\n\r") {
		return string(v)
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

// jqScalarText is json_extract_scalar's rendering: strings unquoted,
// numbers and booleans as written, NULL for null, objects and arrays.
func jqScalarText(v []byte) (string, bool) {
	switch v[0] {
	case '{', '[', 'n':
		return "", false
	case '"':
		raw := v[1 : len(v)-1]
		if bytes.IndexByte(raw, '\\') < 0 {
			return string(raw), true
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return s, true
	}
	return string(v), true
}

// ---- kernels ----------------------------------------------------------------

// jqStrings reads a varchar/json column.
func jqStrings(a arrow.Array) *array.String {
	s, _ := a.(*array.String)
	return s
}

// bindJQPathFn binds f(json, path) where extract renders the value found;
// rows whose path is missing or whose document is malformed are NULL.
func bindJQPathFn(name string, args []types.Type, result types.Type, extract func(doc []byte, v jqSpan) (string, bool)) (Binding, error) {
	expected := name + "(json, varchar(x)), " + name + "(varchar(x), varchar(y))"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	j, ok1 := jqArg(args[0])
	p, ok2 := dtArgString(args[1])
	if !ok1 || !ok2 {
		return Binding{}, UnexpectedParams(name, args, expected)
	}
	return Binding{Args: []types.Type{j, p}, Result: result, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		docs, paths := jqStrings(a[0]), jqStrings(a[1])
		var (
			lastPath string
			steps    []jqStep
			parsed   bool
		)
		out := make([]string, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if docs.IsNull(i) || paths.IsNull(i) {
				continue
			}
			if path := paths.Value(i); !parsed || path != lastPath {
				var err error
				if steps, err = jqParsePath(path); err != nil {
					return nil, err
				}
				lastPath, parsed = path, true
			}
			doc := []byte(docs.Value(i))
			span, found := jqFind(doc, steps)
			if !found {
				continue
			}
			out[i], valid[i] = extract(doc, span)
		}
		if result.Kind == types.BigInt {
			vals := make([]int64, n)
			for i, s := range out {
				if valid[i] {
					vals[i], _ = strconv.ParseInt(s, 10, 64)
				}
			}
			return dtBuild(ctx, result, vals, valid), nil
		}
		return dtBuildStrings(ctx, out, valid), nil
	}}, nil
}

// jqCanonical is json_parse's output: compact, with object keys sorted
// (Trino writes parsed JSON with a key-sorting mapper).
func jqCanonical(s string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err == nil {
		return "", fmt.Errorf("trailing data")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func bindJQParse(args []types.Type) (Binding, error) {
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("json_parse", args, "json_parse(varchar(x))")
	}
	s, ok := dtArgString(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("json_parse", args, "json_parse(varchar(x))")
	}
	return Binding{Args: []types.Type{s}, Result: types.JSONType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		in := jqStrings(a[0])
		out := make([]string, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if in.IsNull(i) {
				continue
			}
			c, err := jqCanonical(in.Value(i))
			if err != nil {
				return nil, fmt.Errorf("Cannot convert value to JSON: '%s'", in.Value(i))
			}
			out[i], valid[i] = c, true
		}
		return dtBuildStrings(ctx, out, valid), nil
	}}, nil
}

func bindJQFormat(args []types.Type) (Binding, error) {
	if len(args) != 1 || (args[0].Kind != types.JSON && args[0].Kind != types.Unknown) {
		return Binding{}, UnexpectedParams("json_format", args, "json_format(json)")
	}
	return Binding{Args: []types.Type{types.JSONType}, Result: types.VarcharType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		in := jqStrings(a[0])
		out := make([]string, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if !in.IsNull(i) {
				out[i], valid[i] = jqCompact([]byte(in.Value(i))), true
			}
		}
		return dtBuildStrings(ctx, out, valid), nil
	}}, nil
}

func bindJQArrayLength(args []types.Type) (Binding, error) {
	const expected = "json_array_length(json), json_array_length(varchar(x))"
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("json_array_length", args, expected)
	}
	j, ok := jqArg(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("json_array_length", args, expected)
	}
	return Binding{Args: []types.Type{j}, Result: types.BigIntType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		in := jqStrings(a[0])
		vals := make([]int64, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if in.IsNull(i) {
				continue
			}
			doc := []byte(in.Value(i))
			k := jqSkipWS(doc, 0)
			if k >= len(doc) || doc[k] != '[' {
				continue
			}
			if c, ok := jqCount(doc, k); ok {
				vals[i], valid[i] = int64(c), true
			}
		}
		return dtBuild(ctx, types.BigIntType, vals, valid), nil
	}}, nil
}

func bindJQArrayContains(args []types.Type) (Binding, error) {
	const expected = "json_array_contains(json, boolean), json_array_contains(json, bigint), json_array_contains(json, double), json_array_contains(json, varchar(x))"
	if len(args) != 2 {
		return Binding{}, UnexpectedParams("json_array_contains", args, expected)
	}
	j, ok := jqArg(args[0])
	v := args[1]
	switch {
	case v.Kind == types.Boolean, v.Kind == types.Double, v.IsString():
	case v.IsInteger():
		v = types.BigIntType
	case v.Kind == types.Real || v.Kind == types.Decimal:
		v = types.DoubleType
	default:
		ok = false
	}
	if !ok {
		return Binding{}, UnexpectedParams("json_array_contains", args, expected)
	}
	return Binding{Args: []types.Type{j, v}, Result: types.BooleanType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		in := jqStrings(a[0])
		b := array.NewBooleanBuilder(ctx.Alloc)
		defer b.Release()
		b.Reserve(n)
		for i := 0; i < n; i++ {
			if in.IsNull(i) || a[1].IsNull(i) {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			found, ok := jqArrayContains([]byte(in.Value(i)), a[1], i)
			if !ok {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			b.UnsafeAppend(found)
		}
		return b.NewArray(), nil
	}}, nil
}

// jqArrayContains reports whether the array doc holds the value at row i
// of needle; ok is false when doc is not an array.
func jqArrayContains(doc []byte, needle arrow.Array, row int) (found, ok bool) {
	i := jqSkipWS(doc, 0)
	if i >= len(doc) || doc[i] != '[' {
		return false, false
	}
	i = jqSkipWS(doc, i+1)
	if i < len(doc) && doc[i] == ']' {
		return false, true
	}
	for i < len(doc) {
		end := jqSkipValue(doc, i)
		if end < 0 {
			return false, false
		}
		if jqElemEquals(doc[i:end], needle, row) {
			return true, true
		}
		i = jqSkipWS(doc, end)
		if i < len(doc) && doc[i] == ',' {
			i = jqSkipWS(doc, i+1)
			continue
		}
		return false, i < len(doc) && doc[i] == ']'
	}
	return false, false
}

func jqElemEquals(elem []byte, needle arrow.Array, row int) bool {
	switch c := needle.(type) {
	case *array.Boolean:
		return string(elem) == strconv.FormatBool(c.Value(row))
	case *array.Int64:
		v, err := strconv.ParseInt(string(elem), 10, 64)
		return err == nil && v == c.Value(row)
	case *array.Float64:
		if elem[0] != '-' && (elem[0] < '0' || elem[0] > '9') {
			return false
		}
		v, err := strconv.ParseFloat(string(elem), 64)
		return err == nil && v == c.Value(row)
	case *array.String:
		if elem[0] != '"' {
			return false
		}
		s, ok := jqScalarText(elem)
		return ok && s == c.Value(row)
	}
	return false
}

func bindIsJSONScalar(args []types.Type) (Binding, error) {
	const expected = "is_json_scalar(json), is_json_scalar(varchar(x))"
	if len(args) != 1 {
		return Binding{}, UnexpectedParams("is_json_scalar", args, expected)
	}
	j, ok := jqArg(args[0])
	if !ok {
		return Binding{}, UnexpectedParams("is_json_scalar", args, expected)
	}
	return Binding{Args: []types.Type{j}, Result: types.BooleanType, Kernel: func(ctx *Context, a []arrow.Array, n int) (arrow.Array, error) {
		in := jqStrings(a[0])
		b := array.NewBooleanBuilder(ctx.Alloc)
		defer b.Release()
		b.Reserve(n)
		for i := 0; i < n; i++ {
			if in.IsNull(i) {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			s := in.Value(i)
			if !json.Valid([]byte(s)) {
				return nil, fmt.Errorf("Invalid JSON value: %s", s)
			}
			t := strings.TrimLeft(s, " \t\r\n")
			b.UnsafeAppend(t[0] != '{' && t[0] != '[')
		}
		return b.NewArray(), nil
	}}, nil
}
