package function

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// String functions. Positions and lengths count Unicode code points, not
// bytes, as in Trino; ASCII-only inputs take byte-indexed fast paths.

func registerString(r *Registry) {
	r.AddScalar(withArrayForm(boundedConcat(fixedScalar("concat", overload{params: sig(tVarchar, tVarchar), variadic: true, result: tVarchar, kernel: concatKernel})),
		func(args []types.Type) (Binding, error) { return arrBindConcat("concat", args) }))
	r.AddScalar(fixedScalar("length", overload{params: sig(tVarchar), result: tBigint, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return stringToFixed(ctx, arrow.PrimitiveTypes.Int64, args[0], n, func(s string) int64 { return int64(utf8.RuneCountInString(s)) }), nil
	}}))
	r.AddScalar(fixedScalar("lower", strOverload(strings.ToLower)))
	r.AddScalar(fixedScalar("upper", strOverload(strings.ToUpper)))
	r.AddScalar(withArrayForm(fixedScalar("reverse", strOverload(reverseRunes)), arrBindReverse))
	for _, t := range []struct {
		name        string
		left, right bool
	}{{"trim", true, true}, {"ltrim", true, false}, {"rtrim", false, true}} {
		left, right := t.left, t.right
		r.AddScalar(fixedScalar(t.name,
			strOverload(func(s string) string { return trimFunc(s, left, right, unicode.IsSpace) }),
			overload{params: sig(tVarchar, tVarchar), result: tVarchar, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
				return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
					set := s[1].at(i)
					return trimFunc(s[0].at(i), left, right, func(r rune) bool { return strings.ContainsRune(set, r) }), true, nil
				})
			}}))
	}
	r.AddScalar(fixedScalar("lpad", padOverload("lpad", true)))
	r.AddScalar(fixedScalar("rpad", padOverload("rpad", false)))
	substr := fixedScalar("substr",
		overload{params: sig(tVarchar, tBigint), result: tVarchar, kernel: substrKernel},
		overload{params: sig(tVarchar, tBigint, tBigint), result: tVarchar, kernel: substrKernel})
	r.AddScalar(substr, "substring")
	r.AddScalar(fixedScalar("replace",
		overload{params: sig(tVarchar, tVarchar), result: tVarchar, kernel: replaceKernel},
		overload{params: sig(tVarchar, tVarchar, tVarchar), result: tVarchar, kernel: replaceKernel}))
	r.AddScalar(fixedScalar("split",
		overload{params: sig(tVarchar, tVarchar), result: types.ArrayOf(tVarchar), kernel: splitKernel},
		overload{params: sig(tVarchar, tVarchar, tBigint), result: types.ArrayOf(tVarchar), kernel: splitKernel}))
	r.AddScalar(fixedScalar("split_part", overload{params: sig(tVarchar, tVarchar, tBigint), result: tVarchar, kernel: splitPartKernel}))
	r.AddScalar(fixedScalar("strpos",
		overload{params: sig(tVarchar, tVarchar), result: tBigint, kernel: strposKernel},
		overload{params: sig(tVarchar, tVarchar, tBigint), result: tBigint, kernel: strposKernel}), "position")
	r.AddScalar(fixedScalar("starts_with", overload{params: sig(tVarchar, tVarchar), result: tBool, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return stringPredicate(ctx, args, n, func(a, b string) bool { return strings.HasPrefix(a, b) }), nil
	}}))
	r.AddScalar(fixedScalar("chr", overload{params: sig(tBigint), result: types.VarcharOf(1), kernel: chrKernel}))
	r.AddScalar(fixedScalar("codepoint", overload{params: sig(tVarchar), result: tInteger, kernel: codepointKernel}))
	r.AddScalar(fixedScalar("levenshtein_distance", overload{params: sig(tVarchar, tVarchar), result: tBigint, kernel: levenshteinKernel}))
	r.AddScalar(&Scalar{Name: "format", Bind: bindStringFormat})
	r.AddScalar(fixedScalar("to_utf8", overload{params: sig(tVarchar), result: types.VarbinaryTyp, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return retype(args[0], arrow.BinaryTypes.Binary), nil
	}}))
	r.AddScalar(fixedScalar("from_utf8", overload{params: sig(types.VarbinaryTyp), result: tVarchar, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return unaryString(ctx, args[0], n, func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }), nil
	}}))
}

// withArrayForm makes f bind with arrayBind when any argument is an array
// (concat and reverse take both strings and arrays).
func withArrayForm(f *Scalar, arrayBind func(args []types.Type) (Binding, error)) *Scalar {
	str := f.Bind
	f.Bind = func(args []types.Type) (Binding, error) {
		if arrHasArray(args) {
			return arrayBind(args)
		}
		return str(args)
	}
	return f
}

func strOverload(f func(string) string) overload {
	return overload{params: sig(tVarchar), result: tVarchar, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return unaryString(ctx, args[0], n, f), nil
	}}
}

// stringRows is the general row loop for string-valued functions over
// mixed arguments: rows with any NULL argument are NULL; f may also return
// NULL (ok == false) or fail.
func stringRows(ctx *Context, args []arrow.Array, n int, f func(i int, s []strs) (string, bool, error)) (arrow.Array, error) {
	ss := make([]strs, len(args))
	for j, a := range args {
		if a.DataType().ID() == arrow.STRING || a.DataType().ID() == arrow.BINARY || a.DataType().ID() == arrow.NULL {
			ss[j] = stringsOf(a)
		}
	}
	b := stringOut(ctx.Alloc, n, dataLen(args[0]))
	defer b.Release()
	for i := 0; i < n; i++ {
		if anyNull(args, i) {
			b.AppendNull()
			continue
		}
		v, ok, err := f(i, ss)
		if err != nil {
			return nil, err
		}
		if !ok {
			b.AppendNull()
			continue
		}
		b.Append(v)
	}
	return b.NewArray(), nil
}

func stringPredicate(ctx *Context, args []arrow.Array, n int, f func(a, b string) bool) arrow.Array {
	x, y := stringsOf(args[0]), stringsOf(args[1])
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	w := newBoolWriter(ctx.Alloc, n)
	for i := 0; i < n; i++ {
		w.set(i, f(x.at(i), y.at(i)))
	}
	return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf)
}

func concatKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	size := 0
	for _, a := range args {
		size += dataLen(a)
	}
	ss := make([]strs, len(args))
	for j, a := range args {
		ss[j] = stringsOf(a)
	}
	b := stringOut(ctx.Alloc, n, size)
	defer b.Release()
	var buf []byte
	for i := 0; i < n; i++ {
		if anyNull(args, i) {
			b.AppendNull()
			continue
		}
		buf = buf[:0]
		for _, s := range ss {
			buf = append(buf, s.bytesAt(i)...)
		}
		b.BinaryBuilder.Append(buf)
	}
	return b.NewArray(), nil
}

// bindConcatOp binds ||: string concatenation, or array concatenation
// (array || array, array || element, element || array) when an operand is
// an array.
func bindConcatOp(args []types.Type) (Binding, error) {
	if len(args) < 2 {
		return Binding{}, UnexpectedParams("$concat", args)
	}
	if arrHasArray(args) {
		b, err := arrBindConcat("concat", args)
		if err != nil {
			return Binding{}, fmt.Errorf("Cannot apply operator: %s || %s", args[0], args[1])
		}
		return b, nil
	}
	params := make([]types.Type, len(args))
	for i, a := range args {
		switch {
		case a.Kind == types.Varchar:
			params[i] = a
		case a.Kind == types.Char || a.Kind == types.Unknown:
			params[i] = types.VarcharType
		default:
			return Binding{}, fmt.Errorf("Cannot apply operator: %s || %s", args[0], args[1])
		}
	}
	return Binding{Args: params, Result: concatType(params), Kernel: concatKernel}, nil
}

// concatType is the type of a string concatenation, as Trino's: varchar(x+y)
// of bounded operands, unbounded varchar when any operand is.
func concatType(args []types.Type) types.Type {
	n := 0
	for _, a := range args {
		if a.Kind != types.Varchar || a.Length <= 0 {
			return types.VarcharType
		}
		n += a.Length
	}
	return types.VarcharOf(n)
}

// boundedConcat gives concat's string form the result type concatType.
func boundedConcat(f *Scalar) *Scalar {
	bind := f.Bind
	f.Bind = func(args []types.Type) (Binding, error) {
		b, err := bind(args)
		if err == nil {
			b.Result = concatType(b.Args)
		}
		return b, err
	}
	return f
}

func reverseRunes(s string) string {
	b := make([]byte, len(s))
	j := len(s)
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		j -= size
		copy(b[j:], s[i:i+size])
		i += size
	}
	return string(b)
}

func trimFunc(s string, left, right bool, f func(rune) bool) string {
	if left {
		s = strings.TrimLeftFunc(s, f)
	}
	if right {
		s = strings.TrimRightFunc(s, f)
	}
	return s
}

func padOverload(name string, left bool) overload {
	return overload{params: sig(tVarchar, tBigint, tVarchar), result: tVarchar, kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		size := values[int64](args[1])
		return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
			str, pad, sz := s[0].at(i), s[2].at(i), size[i]
			if sz < 0 || sz > 1<<30 {
				return "", false, fmt.Errorf("Target length must be in the range [0..%d] for function %s: %d", 1<<30, name, sz)
			}
			if pad == "" {
				return "", false, fmt.Errorf("Padding string must not be empty for function %s", name)
			}
			return padString(str, int(sz), pad, left), true, nil
		})
	}}
}

// padString pads s with pad to exactly size code points, or truncates it
// (on the right, for both lpad and rpad) when longer, as Trino does.
func padString(s string, size int, pad string, left bool) string {
	l := utf8.RuneCountInString(s)
	if l >= size {
		return truncateRunes(s, size)
	}
	need := size - l
	var fill strings.Builder
	for need > 0 {
		for _, r := range pad {
			if need == 0 {
				break
			}
			fill.WriteRune(r)
			need--
		}
	}
	if left {
		return fill.String() + s
	}
	return s + fill.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// runeOffset returns the byte offset of code point k (0-based) in s, or
// len(s) when s is shorter.
func runeOffset(s string, k int) int {
	if k <= 0 {
		return 0
	}
	for i := range s {
		if k == 0 {
			return i
		}
		k--
	}
	return len(s)
}

// substring implements Trino's substr: 1-based start, negative start counts
// from the end, start 0 or beyond the end gives ”.
func substring(s string, start, length int64, hasLength bool) string {
	if start == 0 {
		return ""
	}
	var n int64
	ascii := isASCII(s)
	if ascii {
		n = int64(len(s))
	} else {
		n = int64(utf8.RuneCountInString(s))
	}
	if start < 0 {
		start = n + start + 1
		if start <= 0 {
			return ""
		}
	}
	if start > n {
		return ""
	}
	end := n + 1
	if hasLength {
		if length <= 0 {
			return ""
		}
		if length < n-start+1 {
			end = start + length
		}
	}
	if ascii {
		return s[start-1 : end-1]
	}
	lo := runeOffset(s, int(start-1))
	hi := lo + runeOffset(s[lo:], int(end-start))
	return s[lo:hi]
}

func substrKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	start := values[int64](args[1])
	var length []int64
	if len(args) == 3 {
		length = values[int64](args[2])
	}
	return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
		if length != nil {
			return substring(s[0].at(i), start[i], length[i], true), true, nil
		}
		return substring(s[0].at(i), start[i], 0, false), true, nil
	})
}

func replaceKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
		with := ""
		if len(args) == 3 {
			with = s[2].at(i)
		}
		return strings.ReplaceAll(s[0].at(i), s[1].at(i), with), true, nil
	})
}

func splitKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src, delim := stringsOf(args[0]), stringsOf(args[1])
	var limit []int64
	if len(args) == 3 {
		limit = values[int64](args[2])
	}
	lb := array.NewListBuilder(ctx.Alloc, arrow.BinaryTypes.String)
	defer lb.Release()
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for i := 0; i < n; i++ {
		if anyNull(args, i) {
			lb.AppendNull()
			continue
		}
		d := delim.at(i)
		if d == "" {
			return nil, fmt.Errorf("The delimiter may not be the empty string")
		}
		lim := -1
		if limit != nil {
			if limit[i] <= 0 {
				return nil, fmt.Errorf("Limit must be positive: %d", limit[i])
			}
			lim = int(min(limit[i], 1<<30))
		}
		lb.Append(true)
		for _, part := range strings.SplitN(src.at(i), d, lim) {
			vb.Append(part)
		}
	}
	return lb.NewArray(), nil
}

func splitPartKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	idx := values[int64](args[2])
	return stringRows(ctx, args, n, func(i int, s []strs) (string, bool, error) {
		k := idx[i]
		if k < 1 {
			return "", false, fmt.Errorf("Index must be greater than zero: %d", k)
		}
		str, d := s[0].at(i), s[1].at(i)
		if d == "" {
			// Trino splits into code points for an empty delimiter.
			if k > int64(utf8.RuneCountInString(str)) {
				return "", false, nil
			}
			lo := runeOffset(str, int(k-1))
			_, size := utf8.DecodeRuneInString(str[lo:])
			return str[lo : lo+size], true, nil
		}
		for ; k > 1; k-- {
			j := strings.Index(str, d)
			if j < 0 {
				return "", false, nil
			}
			str = str[j+len(d):]
		}
		if j := strings.Index(str, d); j >= 0 {
			str = str[:j]
		}
		return str, true, nil
	})
}

func strposKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src, sub := stringsOf(args[0]), stringsOf(args[1])
	var inst []int64
	if len(args) == 3 {
		inst = values[int64](args[2])
	}
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	vb := bitmap{}
	if valid != nil {
		vb = bitmap{bits: valid.Bytes()}
	}
	buf, out := allocFixed[int64](ctx.Alloc, n)
	for i := range out {
		if !vb.valid(i) {
			continue
		}
		k := int64(1)
		if inst != nil {
			k = inst[i]
			if k == 0 {
				buf.Release()
				if valid != nil {
					valid.Release()
				}
				return nil, fmt.Errorf("'instance' must be a positive or negative number.")
			}
		}
		out[i] = strpos(src.at(i), sub.at(i), k)
	}
	return finish(arrow.PrimitiveTypes.Int64, n, valid, nulls, buf), nil
}

// strpos returns the 1-based code point position of the k-th occurrence
// of sub in s (counting from the end when k < 0; occurrences may
// overlap), 0 when absent. An empty sub is found at position 1, as in
// Trino.
func strpos(s, sub string, k int64) int64 {
	if sub == "" {
		return 1
	}
	if k < 0 {
		end := len(s)
		for {
			j := strings.LastIndex(s[:end], sub)
			if j < 0 {
				return 0
			}
			k++
			if k == 0 {
				return int64(utf8.RuneCountInString(s[:j])) + 1
			}
			// The next match may overlap this one: it must start before j.
			end = j + len(sub) - 1
		}
	}
	off := 0
	for {
		j := strings.Index(s[off:], sub)
		if j < 0 {
			return 0
		}
		k--
		if k == 0 {
			return int64(utf8.RuneCountInString(s[:off+j])) + 1
		}
		_, size := utf8.DecodeRuneInString(s[off+j:])
		off += j + size
	}
}

func chrKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	cp := values[int64](args[0])
	return stringRows(ctx, args, n, func(i int, _ []strs) (string, bool, error) {
		c := cp[i]
		if c < 0 || c > unicode.MaxRune || c >= 0xD800 && c <= 0xDFFF {
			return "", false, fmt.Errorf("Not a valid Unicode code point: %d", c)
		}
		return string(rune(c)), true, nil
	})
}

func codepointKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	s := stringsOf(args[0])
	vb := validity(args[0])
	buf, out := allocFixed[int32](ctx.Alloc, n)
	for i := range out {
		if !vb.valid(i) {
			continue
		}
		str := s.at(i)
		r, size := utf8.DecodeRuneInString(str)
		if size == 0 || size != len(str) {
			buf.Release()
			return nil, fmt.Errorf("Input string must be a single character string: '%s'", str)
		}
		out[i] = int32(r)
	}
	valid, nulls := andValidity(ctx.Alloc, n, args[0])
	return finish(arrow.PrimitiveTypes.Int32, n, valid, nulls, buf), nil
}

func levenshteinKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	x, y := stringsOf(args[0]), stringsOf(args[1])
	valid, nulls := andValidity(ctx.Alloc, n, args...)
	buf, out := allocFixed[int64](ctx.Alloc, n)
	var prev, cur []int
	for i := range out {
		if anyNull(args, i) {
			continue
		}
		a, b := []rune(x.at(i)), []rune(y.at(i))
		if len(a)*len(b) > 1_000_000 {
			buf.Release()
			if valid != nil {
				valid.Release()
			}
			return nil, fmt.Errorf("The combined inputs for Levenshtein distance are too large")
		}
		prev = prev[:0]
		for j := 0; j <= len(b); j++ {
			prev = append(prev, j)
		}
		cur = append(cur[:0], prev...)
		for p := 1; p <= len(a); p++ {
			cur[0] = p
			for q := 1; q <= len(b); q++ {
				cost := 1
				if a[p-1] == b[q-1] {
					cost = 0
				}
				cur[q] = min(prev[q]+1, cur[q-1]+1, prev[q-1]+cost)
			}
			prev, cur = cur, prev
		}
		out[i] = int64(prev[len(b)])
	}
	return finish(arrow.PrimitiveTypes.Int64, n, valid, nulls, buf), nil
}

// bindStringFormat binds format(fmt, args...): Java's String.format subset with
// %s, %d, %f/%.Nf, %e, %x, %%, %n, width and the - 0 , flags.
func bindStringFormat(args []types.Type) (Binding, error) {
	if len(args) < 1 || !args[0].IsString() && args[0].Kind != types.Unknown {
		return Binding{}, UnexpectedParams("format", args, "format(varchar, any...)")
	}
	params := append([]types.Type{types.VarcharType}, args[1:]...)
	readers := make([]func(ctx *Context, a arrow.Array) (func(int) any, func()), len(args)-1)
	for j, t := range args[1:] {
		rd, err := anyReader(t)
		if err != nil {
			return Binding{}, err
		}
		readers[j] = rd
	}
	return Binding{Args: params, Result: types.VarcharType, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		fs := stringsOf(in[0])
		get := make([]func(int) any, len(readers))
		for j, rd := range readers {
			var release func()
			get[j], release = rd(ctx, in[j+1])
			defer release()
		}
		vb := validity(in[0])
		b := stringOut(ctx.Alloc, n, 0)
		defer b.Release()
		vals := make([]any, len(get))
		for i := 0; i < n; i++ {
			if !vb.valid(i) {
				b.AppendNull()
				continue
			}
			for j, g := range get {
				if isNull(in[j+1], i) {
					vals[j] = nil
				} else {
					vals[j] = g(i)
				}
			}
			s, err := javaFormat(fs.at(i), vals)
			if err != nil {
				return nil, err
			}
			b.Append(s)
		}
		return b.NewArray(), nil
	}}, nil
}

// anyReader boxes values of t for format; format is not a hot path.
func anyReader(t types.Type) (func(ctx *Context, a arrow.Array) (func(int) any, func()), error) {
	switch {
	case t.IsInteger():
		return func(_ *Context, a arrow.Array) (func(int) any, func()) {
			r := intReader(a)
			return func(i int) any { v, _ := r(i); return v }, noop
		}, nil
	case t.Kind == types.Real || t.Kind == types.Double:
		return func(_ *Context, a arrow.Array) (func(int) any, func()) {
			r := floatReader(a)
			return func(i int) any { return r(i) }, noop
		}, nil
	case t.Kind == types.Decimal:
		return func(_ *Context, a arrow.Array) (func(int) any, func()) {
			d := decimalValues(a)
			return func(i int) any { return decimalArg{d[i], t.Scale} }, noop
		}, nil
	case t.Kind == types.Boolean:
		return func(_ *Context, a arrow.Array) (func(int) any, func()) {
			b := boolValues(a)
			return func(i int) any { return b.valid(i) }, noop
		}, nil
	case t.Kind == types.Unknown:
		return func(_ *Context, a arrow.Array) (func(int) any, func()) { return func(int) any { return nil }, noop }, nil
	}
	k, err := Cast(t, types.VarcharType, false)
	if err != nil {
		return nil, err
	}
	return func(ctx *Context, a arrow.Array) (func(int) any, func()) {
		s, err := k(ctx, a)
		if err != nil {
			return func(int) any { return nil }, noop
		}
		ss := stringsOf(s)
		return func(i int) any { return ss.at(i) }, s.Release
	}, nil
}

func noop() {}

type decimalArg struct {
	v     i128
	scale int
}

func javaFormat(f string, args []any) (string, error) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(f) && strings.IndexByte("-0+, #", f[j]) >= 0 {
			j++
		}
		for j < len(f) && (f[j] >= '0' && f[j] <= '9' || f[j] == '.') {
			j++
		}
		if j >= len(f) {
			return "", fmt.Errorf("Invalid format string: %s", f)
		}
		spec, conv := f[i+1:j], f[j]
		i = j
		switch conv {
		case '%':
			b.WriteByte('%')
			continue
		case 'n':
			b.WriteByte('\n')
			continue
		}
		if next >= len(args) {
			return "", fmt.Errorf("Invalid format string: %s (missing argument)", f)
		}
		arg := args[next]
		next++
		comma := strings.Contains(spec, ",")
		spec = strings.ReplaceAll(spec, ",", "")
		switch conv {
		case 's', 'S':
			s := formatAny(arg)
			if conv == 'S' {
				s = strings.ToUpper(s)
			}
			fmt.Fprintf(&b, "%"+spec+"s", s)
		case 'd':
			v, ok := arg.(int64)
			if !ok {
				if arg != nil {
					return "", fmt.Errorf("Invalid format string: %s (%%d requires an integer)", f)
				}
				b.WriteString("null")
				continue
			}
			s := fmt.Sprintf("%"+spec+"d", v)
			if comma {
				s = groupThousands(s)
			}
			b.WriteString(s)
		case 'f', 'e', 'E', 'g':
			var v float64
			switch a := arg.(type) {
			case float64:
				v = a
			case int64:
				v = float64(a)
			case decimalArg:
				v = decimalToFloat(a.v, a.scale)
			case nil:
				b.WriteString("null")
				continue
			default:
				return "", fmt.Errorf("Invalid format string: %s (%%%c requires a number)", f, conv)
			}
			if !strings.Contains(spec, ".") {
				spec += ".6"
			}
			s := fmt.Sprintf("%"+spec+string(conv), v)
			if comma {
				s = groupThousands(s)
			}
			b.WriteString(s)
		case 'x', 'X', 'o':
			v, ok := arg.(int64)
			if !ok {
				return "", fmt.Errorf("Invalid format string: %s", f)
			}
			fmt.Fprintf(&b, "%"+spec+string(conv), v)
		case 'b':
			fmt.Fprintf(&b, "%"+spec+"t", arg != nil && arg != false)
		default:
			return "", fmt.Errorf("Invalid format string: %s (unknown conversion %%%c)", f, conv)
		}
	}
	return b.String(), nil
}

func formatAny(v any) string {
	switch a := v.(type) {
	case nil:
		return "null"
	case string:
		return a
	case int64:
		return strconv.FormatInt(a, 10)
	case float64:
		return javaDouble(a, 64)
	case bool:
		return strconv.FormatBool(a)
	case decimalArg:
		return decimalString(a.v, a.scale)
	}
	return fmt.Sprint(v)
}

// groupThousands inserts commas in the integer digits of a formatted number.
func groupThousands(s string) string {
	start := 0
	for start < len(s) && (s[start] < '0' || s[start] > '9') {
		start++
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	digits := s[start:end]
	if len(digits) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return s[:start] + b.String() + s[end:]
}
