package json

import (
	"context"
	"errors"
	"fmt"
	"github.com/quarry-sql/quarry/source/textval"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// inferDepth is how deep InferSchema describes nesting; deeper values
// are typed varchar (their JSON text).
const inferDepth = 32

type ikind uint8

const (
	iNull ikind = iota
	iBool
	iInt
	iDouble
	iString
	iObject
	iArray
)

// itype is an inferred type while samples are merged.
type itype struct {
	kind   ikind
	names  []string // object: field names in first-seen order
	fields map[string]*itype
	elem   *itype // array
}

// merge widens a to cover b: null gives way to anything, bigint and
// double meet in double, objects merge their fields, arrays their
// elements, and any other disagreement is varchar.
func merge(a, b *itype) *itype {
	switch {
	case a == nil || a.kind == iNull:
		return b
	case b == nil || b.kind == iNull:
		return a
	case a.kind == b.kind:
		switch a.kind {
		case iObject:
			for _, n := range b.names {
				if f, ok := a.fields[n]; ok {
					a.fields[n] = merge(f, b.fields[n])
				} else {
					a.names = append(a.names, n)
					a.fields[n] = b.fields[n]
				}
			}
		case iArray:
			a.elem = merge(a.elem, b.elem)
		}
		return a
	case a.kind == iInt && b.kind == iDouble || a.kind == iDouble && b.kind == iInt:
		return &itype{kind: iDouble}
	}
	return &itype{kind: iString}
}

func (t *itype) toType() types.Type {
	if t == nil {
		return types.VarcharType
	}
	switch t.kind {
	case iBool:
		return types.BooleanType
	case iInt:
		return types.BigIntType
	case iDouble:
		return types.DoubleType
	case iObject:
		if len(t.names) == 0 {
			return types.VarcharType // row() has no fields to hold
		}
		fs := make([]types.Field, len(t.names))
		for i, n := range t.names {
			fs[i] = types.Field{Name: n, Type: t.fields[n].toType()}
		}
		return types.RowOf(fs...)
	case iArray:
		return types.ArrayOf(t.elem.toType())
	}
	return types.VarcharType
}

// inferer types sampled values.
type inferer struct {
	opt  *options
	kbuf []byte
}

func (in *inferer) value(sc *scanner, depth int) (*itype, error) {
	c := sc.peek()
	if depth > inferDepth && (c == '{' || c == '[') {
		return &itype{kind: iString}, sc.skip()
	}
	switch c {
	case '{':
		t := &itype{kind: iObject, fields: map[string]*itype{}}
		err := readObject(sc, func(_ int, key []byte) error {
			name := string(in.opt.normKey(key, &in.kbuf))
			v, err := in.value(sc, depth+1)
			if err != nil || name == "" {
				return err
			}
			if f, ok := t.fields[name]; ok {
				t.fields[name] = merge(f, v)
				return nil
			}
			t.names = append(t.names, name)
			t.fields[name] = v
			return nil
		})
		return t, err
	case '[':
		t := &itype{kind: iArray}
		sc.i++
		if sc.peek() == ']' {
			sc.i++
			return t, nil
		}
		for {
			v, err := in.value(sc, depth+1)
			if err != nil {
				return nil, err
			}
			t.elem = merge(t.elem, v)
			switch sc.peek() {
			case ',':
				sc.i++
			case ']':
				sc.i++
				return t, nil
			default:
				return nil, sc.unexpected("after an array element")
			}
		}
	case '"':
		return &itype{kind: iString}, sc.skipString()
	case 't':
		return &itype{kind: iBool}, sc.literal("true")
	case 'f':
		return &itype{kind: iBool}, sc.literal("false")
	case 'n':
		return &itype{kind: iNull}, sc.literal("null")
	}
	if c != '-' && c-'0' > 9 {
		return nil, sc.unexpected("looking for a value")
	}
	text, isInt, err := sc.number()
	if err != nil {
		return nil, err
	}
	if _, ok := textval.ParseInt(text, -1<<63, 1<<63-1, false); ok && isInt {
		return &itype{kind: iInt}, nil
	}
	return &itype{kind: iDouble}, nil
}

// InferSchema reads the first sampleRows records of a file (lines, or
// elements of the table's json.root array; table may be nil) and returns
// columns that hold them: bigint, double, boolean and varchar scalars,
// row(...) for objects and array(...) for arrays. Nulls give way to the
// other samples' types, bigint and double merge to double, and any other
// conflict, a column that is always null, and an empty object or array
// element type become varchar. Names are folded as the reader folds keys
// (lower case; dots to underscores under dots.in.keys), and a key named by
// a mapping.<column> property yields that column.
func InferSchema(ctx context.Context, store objstore.Store, info objstore.ObjectInfo, table *catalog.Table, sampleRows int) ([]types.Column, error) {
	loc := info.Location
	opt, err := parseOptions(table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	if sampleRows <= 0 {
		sampleRows = 1000
	}
	req := &source.Request{Store: store, File: info, Split: source.Split{Length: -1}, Table: table}
	rs := &records{ctx: ctx, req: req, opt: opt, stats: new(source.Stats)}
	defer rs.close()
	if err := rs.open(); err != nil {
		return nil, err
	}
	in := &inferer{opt: opt}
	var top *itype
	n := 0
	for n < sampleRows {
		rec, ok, err := rs.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		sc := &rs.sc
		sc.reset(rec.data, true)
		t, err := in.value(sc, 0)
		if err == nil && sc.peek() != 0 {
			err = sc.fail("unexpected data after the JSON object")
		}
		if err == nil && t.kind != iObject && t.kind != iNull {
			err = sc.fail("not a JSON object")
			sc.i = 0
		}
		if err != nil {
			if opt.ignoreBad {
				continue
			}
			var se *syntaxError
			if errors.As(err, &se) {
				pos := rec.off + int64(se.off)
				if rec.line > 0 {
					return nil, fmt.Errorf("%s: line %d, byte offset %d: malformed JSON: %s", rs.st.name, rec.line, pos, se.msg)
				}
				return nil, fmt.Errorf("%s: byte offset %d: malformed JSON: %s", rs.st.name, pos, se.msg)
			}
			return nil, err
		}
		top = merge(top, t)
		n++
	}
	if top == nil || top.kind != iObject || len(top.names) == 0 {
		return nil, fmt.Errorf("%s: no JSON objects with keys to infer columns from", loc)
	}
	rename := map[string]string{}
	for col, key := range opt.mapping {
		rename[opt.normName(key)] = col
	}
	cols := make([]types.Column, 0, len(top.names))
	for _, name := range top.names {
		col := name
		if c, ok := rename[name]; ok {
			col = c
		}
		cols = append(cols, types.Column{Name: col, Type: top.fields[name].toType()})
	}
	return cols, nil
}
