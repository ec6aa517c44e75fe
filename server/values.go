package server

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/engine/output"
	"github.com/quarry-sql/quarry/types"
)

// column is one entry of QueryResults.columns.
type column struct {
	Name          string        `json:"name"`
	Type          string        `json:"type"`
	TypeSignature typeSignature `json:"typeSignature"`
}

// typeSignature is Trino's ClientTypeSignature.
type typeSignature struct {
	RawType   string         `json:"rawType"`
	Arguments []typeArgument `json:"arguments"`
}

// typeArgument is a ClientTypeSignatureParameter: kind LONG (a number),
// TYPE (a typeSignature) or NAMED_TYPE (a row field).
type typeArgument struct {
	Kind  string `json:"kind"`
	Value any    `json:"value"`
}

type namedType struct {
	FieldName     *rowFieldName `json:"fieldName"`
	TypeSignature typeSignature `json:"typeSignature"`
}

type rowFieldName struct {
	Name string `json:"name"`
}

// maxVarcharLength is the length Trino reports for unbounded varchar.
const maxVarcharLength = math.MaxInt32

func long(n int) typeArgument { return typeArgument{Kind: "LONG", Value: n} }

// signatureOf returns the Trino type signature of t.
func signatureOf(t types.Type) typeSignature {
	sig := typeSignature{Arguments: []typeArgument{}}
	switch t.Kind {
	case types.Varchar:
		sig.RawType = "varchar"
		n := t.Length
		if n <= 0 {
			n = maxVarcharLength
		}
		sig.Arguments = append(sig.Arguments, long(n))
	case types.Char:
		sig.RawType = "char"
		sig.Arguments = append(sig.Arguments, long(max(t.Length, 1)))
	case types.Decimal:
		sig.RawType = "decimal"
		sig.Arguments = append(sig.Arguments, long(t.Precision), long(t.Scale))
	case types.Time:
		sig.RawType = "time"
		sig.Arguments = append(sig.Arguments, long(t.Precision))
	case types.Timestamp:
		sig.RawType = "timestamp"
		sig.Arguments = append(sig.Arguments, long(t.Precision))
	case types.TimestampTZ:
		sig.RawType = "timestamp with time zone"
		sig.Arguments = append(sig.Arguments, long(t.Precision))
	case types.Array:
		sig.RawType = "array"
		sig.Arguments = append(sig.Arguments, typeArgument{Kind: "TYPE", Value: signatureOf(*t.Elem)})
	case types.Map:
		sig.RawType = "map"
		sig.Arguments = append(sig.Arguments,
			typeArgument{Kind: "TYPE", Value: signatureOf(*t.Key)},
			typeArgument{Kind: "TYPE", Value: signatureOf(*t.Elem)})
	case types.Row:
		sig.RawType = "row"
		for _, f := range t.Fields {
			nt := namedType{TypeSignature: signatureOf(f.Type)}
			if f.Name != "" {
				nt.FieldName = &rowFieldName{Name: f.Name}
			}
			sig.Arguments = append(sig.Arguments, typeArgument{Kind: "NAMED_TYPE", Value: nt})
		}
	default:
		sig.RawType = t.String()
	}
	return sig
}

// columnsOf describes result columns as the protocol does.
func columnsOf(cols []types.Column) []column {
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = column{Name: c.Name, Type: c.Type.String(), TypeSignature: signatureOf(c.Type)}
	}
	return out
}

// appendRow appends row i of rec as a JSON array, in the value conventions
// of Trino's client protocol: integers and floating point as JSON numbers
// (NaN and the infinities as strings), booleans as JSON booleans, decimals,
// dates, times, timestamps and intervals as strings in Trino's text form,
// varbinary as base64, arrays and rows as JSON arrays, maps as objects.
func appendRow(buf []byte, rec arrow.Record, i int, cols []types.Column) []byte {
	buf = append(buf, '[')
	for c := 0; c < int(rec.NumCols()); c++ {
		if c > 0 {
			buf = append(buf, ',')
		}
		t := types.UnknownType
		if c < len(cols) {
			t = cols[c].Type
		}
		buf = appendValue(buf, rec.Column(c), i, t)
	}
	return append(buf, ']')
}

func appendValue(buf []byte, a arrow.Array, i int, t types.Type) []byte {
	if a.IsNull(i) {
		return append(buf, "null"...)
	}
	switch x := a.(type) {
	case *array.Boolean:
		return strconv.AppendBool(buf, x.Value(i))
	case *array.Int8:
		return strconv.AppendInt(buf, int64(x.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(buf, int64(x.Value(i)), 10)
	case *array.Int32:
		return strconv.AppendInt(buf, int64(x.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(buf, x.Value(i), 10)
	case *array.Float32:
		return appendFloat(buf, float64(x.Value(i)), 32)
	case *array.Float64:
		return appendFloat(buf, x.Value(i), 64)
	case *array.String:
		return appendString(buf, x.Value(i))
	case *array.Binary:
		buf = append(buf, '"')
		buf = base64.StdEncoding.AppendEncode(buf, x.Value(i))
		return append(buf, '"')
	case *array.List:
		elem := types.UnknownType
		if t.Elem != nil {
			elem = *t.Elem
		}
		s, e := x.ValueOffsets(i)
		buf = append(buf, '[')
		for j := s; j < e; j++ {
			if j > s {
				buf = append(buf, ',')
			}
			buf = appendValue(buf, x.ListValues(), int(j), elem)
		}
		return append(buf, ']')
	case *array.Map:
		kt, vt := types.UnknownType, types.UnknownType
		if t.Key != nil {
			kt, vt = *t.Key, *t.Elem
		}
		s, e := x.ValueOffsets(i)
		buf = append(buf, '{')
		for j := s; j < e; j++ {
			if j > s {
				buf = append(buf, ',')
			}
			k, _ := output.Value(x.Keys(), int(j), kt, time.UTC)
			buf = appendString(buf, k)
			buf = append(buf, ':')
			buf = appendValue(buf, x.Items(), int(j), vt)
		}
		return append(buf, '}')
	case *array.Struct:
		buf = append(buf, '[')
		for f := 0; f < x.NumField(); f++ {
			if f > 0 {
				buf = append(buf, ',')
			}
			ft := types.UnknownType
			if f < len(t.Fields) {
				ft = t.Fields[f].Type
			}
			buf = appendValue(buf, x.Field(f), i, ft)
		}
		return append(buf, ']')
	case *array.Null:
		return append(buf, "null"...)
	}
	// Decimals, dates, times, timestamps, intervals: Trino's text form.
	s, ok := output.Value(a, i, t, time.UTC)
	if !ok {
		return append(buf, "null"...)
	}
	return appendString(buf, s)
}

func appendFloat(buf []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(buf, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(buf, `"Infinity"`...)
	case math.IsInf(v, -1):
		return append(buf, `"-Infinity"`...)
	}
	return strconv.AppendFloat(buf, v, 'g', -1, bits)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript eval.
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
