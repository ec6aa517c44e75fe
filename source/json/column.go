package json

import (
	"fmt"
	"github.com/quarry-sql/quarry/source/textval"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

type convKind uint8

const (
	kString convKind = iota
	kBinary
	kBool
	kInt8
	kInt16
	kInt32
	kInt64
	kFloat32
	kFloat64
	kDec64
	kDec128
	kDate
	kTimestamp
	kList
	kMap
	kRow
)

// node converts JSON values into one Arrow builder: a projected column,
// or a field, element, key or value nested in one. The tree mirrors the
// column's type; builders of nested nodes belong to their parent's.
type node struct {
	path      string // "patient.drug.medicinalproduct", for messages
	typ       types.Type
	kind      convKind
	b         array.Builder
	maxLen    int
	trimRight bool
	rawJSON   bool // a json column: every value is kept as its JSON text
	// dataLen is the string bytes of the last batch: the next batch
	// reserves as much, rather than growing its buffer by doubling.
	dataLen int

	elem   *node // list element or map value
	key    *node // map key
	fields []*node
	index  keyIndex // row: normalised field name → index in fields
	seen   []bool   // row: fields set by the object being read

	st *convState
}

// convState is what all nodes of one reader share.
type convState struct {
	opt  *options
	kbuf []byte // normalised keys
	sbuf []byte // repaired strings
}

func newNode(st *convState, path string, t types.Type, b array.Builder) (*node, error) {
	n := &node{path: path, typ: t, b: b, st: st}
	switch t.Kind {
	case types.Varchar:
		n.kind, n.maxLen = kString, t.Length
	case types.JSON:
		n.kind, n.rawJSON = kString, true
	case types.Char:
		n.kind, n.maxLen, n.trimRight = kString, max(t.Length, 1), true
	case types.Varbinary:
		n.kind = kBinary
	case types.Boolean:
		n.kind = kBool
	case types.TinyInt:
		n.kind = kInt8
	case types.SmallInt:
		n.kind = kInt16
	case types.Integer:
		n.kind = kInt32
	case types.BigInt:
		n.kind = kInt64
	case types.Real:
		n.kind = kFloat32
	case types.Double:
		n.kind = kFloat64
	case types.Decimal:
		n.kind = kDec128
		if t.IsShortDecimal() {
			n.kind = kDec64
		}
	case types.Date:
		n.kind = kDate
	case types.Timestamp, types.TimestampTZ:
		n.kind = kTimestamp
	case types.Array:
		n.kind = kList
		e, err := newNode(st, path, *t.Elem, b.(*array.ListBuilder).ValueBuilder())
		if err != nil {
			return nil, err
		}
		n.elem = e
	case types.Map:
		n.kind = kMap
		mb := b.(*array.MapBuilder)
		k, err := newNode(st, path+" (map key)", *t.Key, mb.KeyBuilder())
		if err != nil {
			return nil, err
		}
		switch k.kind {
		case kList, kMap, kRow:
			return nil, fmt.Errorf("column %s: map keys of type %s cannot be read from JSON object keys", path, t.Key)
		}
		v, err := newNode(st, path, *t.Elem, mb.ItemBuilder())
		if err != nil {
			return nil, err
		}
		n.key, n.elem = k, v
	case types.Row:
		n.kind = kRow
		sb := b.(*array.StructBuilder)
		n.index = newKeyIndex()
		n.seen = make([]bool, len(t.Fields))
		for i, f := range t.Fields {
			c, err := newNode(st, path+"."+f.Name, f.Type, sb.FieldBuilder(i))
			if err != nil {
				return nil, err
			}
			n.fields = append(n.fields, c)
			k := st.opt.normName(f.Name)
			if _, dup := n.index.m[k]; !dup {
				n.index.m[k] = i
			}
		}
	default:
		return nil, fmt.Errorf("column %s: type %s is not supported in JSON files", path, t)
	}
	return n, nil
}

// convError is a value that does not convert to its column's type.
type convError struct {
	n   *node
	val []byte
	off int // byte offset of the value in the record
	msg string
}

func (e *convError) Error() string {
	msg := fmt.Sprintf("column %s: cannot read %s as %s", e.n.path, quoteValue(e.val), e.n.typ)
	if e.msg != "" {
		msg += ": " + e.msg
	}
	return msg
}

func quoteValue(b []byte) string {
	const max = 64
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "..."
	}
	return strconv.Quote(string(b))
}

// invalid handles the value sc.d[start:sc.i], already consumed, that does
// not convert: NULL under use.null.for.invalid.data, else an error.
func (n *node) invalid(sc *scanner, start int, msg string) error {
	if n.st.opt.nullInvalid {
		n.b.AppendNull()
		return nil
	}
	return &convError{n: n, val: sc.d[start:sc.i], off: start, msg: msg}
}

// read converts the value at the scanner into one slot of the builder.
func (n *node) read(sc *scanner) error {
	c := sc.peek()
	start := sc.i
	if n.rawJSON && c != 'n' {
		if err := sc.skip(); err != nil {
			return err
		}
		n.appendString(sc.d[start:sc.i])
		return nil
	}
	switch c {
	case 'n':
		if err := sc.literal("null"); err != nil {
			return err
		}
		n.b.AppendNull()
		return nil
	case '"':
		s, err := sc.str()
		if err != nil {
			return err
		}
		if n.kind == kString {
			n.appendString(s)
			return nil
		}
		if len(textval.TrimSpace(s)) == 0 && n.kind != kBinary {
			// An empty string in a non-string column is NULL, as an
			// empty field is in text files.
			n.b.AppendNull()
			return nil
		}
		if !n.appendParsed(s) {
			return n.invalid(sc, start, "")
		}
		return nil
	case '{':
		switch n.kind {
		case kRow:
			return n.readRow(sc)
		case kMap:
			return n.readMap(sc)
		}
		if err := sc.skip(); err != nil {
			return err
		}
		if n.kind == kString {
			n.appendString(sc.d[start:sc.i])
			return nil
		}
		return n.invalid(sc, start, "")
	case '[':
		if n.kind == kList {
			return n.readList(sc)
		}
		if err := sc.skip(); err != nil {
			return err
		}
		if n.kind == kString {
			n.appendString(sc.d[start:sc.i])
			return nil
		}
		return n.invalid(sc, start, "")
	case 't', 'f':
		word := "true"
		if c == 'f' {
			word = "false"
		}
		if err := sc.literal(word); err != nil {
			return err
		}
		switch n.kind {
		case kBool:
			n.b.(*array.BooleanBuilder).Append(c == 't')
			return nil
		case kString:
			n.appendString(sc.d[start:sc.i])
			return nil
		}
		return n.invalid(sc, start, "")
	default:
		if c != '-' && c-'0' > 9 {
			return sc.unexpected("looking for a value")
		}
		text, isInt, err := sc.number()
		if err != nil {
			return err
		}
		if n.appendNumber(text, isInt) {
			return nil
		}
		return n.invalid(sc, start, "")
	}
}

// appendString stores s, repairing invalid UTF-8 (each bad sequence
// becomes U+FFFD) and applying varchar(n)/char(n).
func (n *node) appendString(s []byte) {
	if !utf8.Valid(s) {
		n.st.sbuf = textval.AppendValidUTF8(n.st.sbuf[:0], s)
		s = n.st.sbuf
	}
	if n.maxLen > 0 {
		s = textval.TruncRunes(s, n.maxLen)
	}
	if n.trimRight {
		for len(s) > 0 && s[len(s)-1] == ' ' {
			s = s[:len(s)-1]
		}
	}
	n.b.(*array.StringBuilder).BinaryBuilder.Append(s)
}

// appendParsed converts the text of a JSON string into a scalar of the
// node's type; it appends nothing and reports false when it does not
// parse.
func (n *node) appendParsed(s []byte) bool {
	switch n.kind {
	case kString:
		n.appendString(s)
	case kBinary:
		n.b.(*array.BinaryBuilder).Append(s)
	case kBool:
		v, ok := textval.ParseBool(s)
		if !ok {
			return false
		}
		n.b.(*array.BooleanBuilder).Append(v)
	case kInt8, kInt16, kInt32, kInt64:
		v, ok := n.parseInt(s, true)
		if !ok {
			return false
		}
		n.appendInt(v)
	case kFloat32, kFloat64:
		v, ok := textval.ParseFloat(s, 64)
		if !ok {
			return false
		}
		n.appendFloat(v)
	case kDec64, kDec128:
		return n.appendDecimal(s)
	case kDate:
		v, ok := textval.ParseDate(s)
		if !ok {
			return false
		}
		n.b.(*array.Date32Builder).Append(arrow.Date32(v))
	case kTimestamp:
		v, ok := textval.ParseTimestamp(s, n.typ.Precision)
		if !ok {
			return false
		}
		n.b.(*array.TimestampBuilder).Append(arrow.Timestamp(v))
	default:
		return false
	}
	return true
}

// appendNumber converts a JSON number (already checked by the scanner).
func (n *node) appendNumber(text []byte, isInt bool) bool {
	switch n.kind {
	case kString:
		n.appendString(text)
	case kInt8, kInt16, kInt32, kInt64:
		v, ok := n.parseInt(text, isInt)
		if !ok {
			return false
		}
		n.appendInt(v)
	case kFloat32, kFloat64:
		v, ok := textval.ParseFloat(text, 64)
		if !ok {
			return false
		}
		n.appendFloat(v)
	case kDec64, kDec128:
		return n.appendDecimal(text)
	default:
		return false
	}
	return true
}

// parseInt reads an integer of the node's range. A number written with a
// fraction or exponent is accepted when its value is integral (1.0, 1e3),
// as Jackson's coercion in the Hive SerDes does.
func (n *node) parseInt(s []byte, isInt bool) (int64, bool) {
	var lo, hi int64
	switch n.kind {
	case kInt8:
		lo, hi = math.MinInt8, math.MaxInt8
	case kInt16:
		lo, hi = math.MinInt16, math.MaxInt16
	case kInt32:
		lo, hi = math.MinInt32, math.MaxInt32
	default:
		lo, hi = math.MinInt64, math.MaxInt64
	}
	if v, ok := textval.ParseInt(s, lo, hi, false); ok {
		return v, true
	}
	if isInt {
		return 0, false
	}
	neg, mag, st := textval.ParseDecimal(s, 19, 0)
	if st != textval.DecOK || mag.Hi != 0 {
		return 0, false
	}
	// Integral means rounding to scale 0 changed nothing: check by
	// parsing again at scale 1 and looking for a zero last digit.
	_, mag1, st1 := textval.ParseDecimal(s, 20, 1)
	if st1 != textval.DecOK || mag1.Hi != 0 || mag1.Lo%10 != 0 {
		return 0, false
	}
	if neg {
		if mag.Lo > uint64(-(lo+1))+1 {
			return 0, false
		}
		return -int64(mag.Lo-1) - 1, true
	}
	if mag.Lo > uint64(hi) {
		return 0, false
	}
	return int64(mag.Lo), true
}

func (n *node) appendInt(v int64) {
	switch n.kind {
	case kInt8:
		n.b.(*array.Int8Builder).Append(int8(v))
	case kInt16:
		n.b.(*array.Int16Builder).Append(int16(v))
	case kInt32:
		n.b.(*array.Int32Builder).Append(int32(v))
	default:
		n.b.(*array.Int64Builder).Append(v)
	}
}

func (n *node) appendFloat(v float64) {
	if n.kind == kFloat32 {
		n.b.(*array.Float32Builder).Append(float32(v))
		return
	}
	n.b.(*array.Float64Builder).Append(v)
}

func (n *node) appendDecimal(s []byte) bool {
	neg, mag, st := textval.ParseDecimal(s, n.typ.Precision, n.typ.Scale)
	if st != textval.DecOK {
		return false
	}
	if n.kind == kDec64 {
		v := int64(mag.Lo)
		if neg {
			v = -v
		}
		n.b.(*array.Decimal64Builder).Append(decimal.Decimal64(v))
		return true
	}
	lo, hi := mag.Lo, mag.Hi
	if neg {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	n.b.(*array.Decimal128Builder).Append(decimal128.New(int64(hi), lo))
	return true
}

// readRow reads an object into a struct; keys match field names per the
// SerDe's rules, the first of duplicate keys wins, missing fields are NULL
// and unknown keys are skipped.
func (n *node) readRow(sc *scanner) error {
	sb := n.b.(*array.StructBuilder)
	sb.Append(true)
	clear(n.seen)
	if err := readObject(sc, func(pos int, key []byte) error {
		k := n.st.opt.normKey(key, &n.st.kbuf)
		if i, ok := n.index.lookup(pos, k); ok && !n.seen[i] {
			n.seen[i] = true
			return n.fields[i].read(sc)
		}
		return sc.skip()
	}); err != nil {
		return err
	}
	for i, f := range n.fields {
		if !n.seen[i] {
			f.b.AppendNull()
		}
	}
	return nil
}

// readObject walks the members of the object at the scanner, calling
// member for each key with the scanner before the value, which member
// must consume.
func readObject(sc *scanner, member func(pos int, key []byte) error) error {
	sc.i++ // '{'
	if sc.peek() == '}' {
		sc.i++
		return nil
	}
	for pos := 0; ; pos++ {
		if sc.peek() != '"' {
			return sc.unexpected("looking for an object key")
		}
		key, err := sc.str()
		if err != nil {
			return err
		}
		if err := sc.expect(':', "after an object key"); err != nil {
			return err
		}
		if err := member(pos, key); err != nil {
			return err
		}
		switch sc.peek() {
		case ',':
			sc.i++
		case '}':
			sc.i++
			return nil
		default:
			return sc.unexpected("after an object value")
		}
	}
}

func (n *node) readList(sc *scanner) error {
	n.b.(*array.ListBuilder).Append(true)
	sc.i++ // '['
	if sc.peek() == ']' {
		sc.i++
		return nil
	}
	for {
		if err := n.elem.read(sc); err != nil {
			return err
		}
		switch sc.peek() {
		case ',':
			sc.i++
		case ']':
			sc.i++
			return nil
		default:
			return sc.unexpected("after an array element")
		}
	}
}

// readMap reads an object into a map. Keys convert to the key type; an
// entry whose key does not convert is dropped under
// use.null.for.invalid.data, else an error.
func (n *node) readMap(sc *scanner) error {
	n.b.(*array.MapBuilder).Append(true)
	return readObject(sc, func(_ int, key []byte) error {
		ok := n.key.appendParsed(key)
		if !ok && n.key.kind != kString {
			if n.st.opt.nullInvalid {
				return sc.skip()
			}
			return &convError{n: n.key, val: key, off: sc.i}
		}
		return n.elem.read(sc)
	})
}

// noteSizes records string data sizes before the builders are reset.
func (n *node) noteSizes() {
	switch n.kind {
	case kString:
		n.dataLen = n.b.(*array.StringBuilder).DataLen()
	case kBinary:
		n.dataLen = n.b.(*array.BinaryBuilder).DataLen()
	}
	for _, c := range n.fields {
		c.noteSizes()
	}
	for _, c := range []*node{n.elem, n.key} {
		if c != nil {
			c.noteSizes()
		}
	}
}

// reserveData reserves the string bytes the last batch needed.
func (n *node) reserveData() {
	if n.dataLen > 0 {
		switch n.kind {
		case kString:
			n.b.(*array.StringBuilder).ReserveData(n.dataLen)
		case kBinary:
			n.b.(*array.BinaryBuilder).ReserveData(n.dataLen)
		}
	}
	for _, c := range n.fields {
		c.reserveData()
	}
	for _, c := range []*node{n.elem, n.key} {
		if c != nil {
			c.reserveData()
		}
	}
}
