package parquet

import (
	"bytes"
	"math"

	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// skipRowGroup reports whether a predicate's column statistics prove that
// no row of rg satisfies it. Only top-level non-repeated columns prune;
// anything the statistics cannot decide keeps the row group.
func (r *reader) skipRowGroup(rg *format.RowGroup, preds []source.Predicate) bool {
	return skipRowGroup(r.req.Table.Columns, r.file.ft.root, rg, preds)
}

// skipRowGroup is the reader's pruning decision for a table's columns over
// a file's schema root; the estimator makes the same one.
func skipRowGroup(cols []types.Column, root *pqNode, rg *format.RowGroup, preds []source.Predicate) bool {
	for _, pr := range preds {
		if pr.Column < 0 || pr.Column >= len(cols) {
			continue
		}
		c := cols[pr.Column]
		n := root.child(c.Name)
		if n == nil {
			// Absent column: all NULL, so no comparison is true.
			return true
		}
		if !n.isLeaf() || n.rep > 0 {
			continue
		}
		if chunkExcludes(&rg.Columns[n.leaf].MetaData, n, c.Type, pr) {
			return true
		}
	}
	return false
}

func chunkExcludes(cm *format.ColumnMetaData, n *pqNode, t types.Type, pr source.Predicate) bool {
	st := &cm.Statistics
	if cm.NumValues > 0 && st.NullCount >= cm.NumValues {
		return true
	}
	li, err := describeLeaf(n)
	if err != nil {
		return false
	}
	conv, err := converterFor(li, t)
	if err != nil {
		return false
	}
	minRaw, maxRaw := st.MinValue, st.MaxValue
	if minRaw == nil || maxRaw == nil {
		// The deprecated min/max were written with signed byte order, so
		// they are trustworthy only for signed numbers and booleans.
		switch li.phys {
		case format.Boolean, format.Int32, format.Int64, format.Float, format.Double:
			if li.unsigned {
				return false
			}
			minRaw, maxRaw = st.Min, st.Max
		default:
			return false
		}
	}
	if minRaw == nil || maxRaw == nil {
		return false
	}
	lo, ok1 := statValue(minRaw, li, conv, t)
	hi, ok2 := statValue(maxRaw, li, conv, t)
	if !ok1 || !ok2 {
		return false
	}
	v, ok := normalise(pr.Value)
	if !ok {
		return false
	}
	cmpLo, ok1 := compareAny(v, lo)
	cmpHi, ok2 := compareAny(v, hi)
	if !ok1 || !ok2 {
		return false
	}
	switch pr.Op {
	case "=":
		return cmpLo < 0 || cmpHi > 0
	case "<":
		return cmpLo <= 0
	case "<=":
		return cmpLo < 0
	case ">":
		return cmpHi >= 0
	case ">=":
		return cmpHi > 0
	case "<>", "!=":
		return cmpLo == 0 && cmpHi == 0
	}
	return false
}

// statValue converts one statistics value with the column's own value
// conversion, so statistics and data agree on scale and unit.
func statValue(raw []byte, li leafInfo, conv convFn, t types.Type) (any, bool) {
	var v encoding.Values
	switch li.phys {
	case format.Boolean:
		if len(raw) != 1 {
			return nil, false
		}
		v = encoding.BooleanValues([]byte{raw[0] & 1})
	case format.Int32, format.Float:
		if len(raw) != 4 {
			return nil, false
		}
		v = encoding.Int32ValuesFromBytes(raw)
		if li.phys == format.Float {
			v = encoding.FloatValuesFromBytes(raw)
		}
	case format.Int64, format.Double:
		if len(raw) != 8 {
			return nil, false
		}
		v = encoding.Int64ValuesFromBytes(raw)
		if li.phys == format.Double {
			v = encoding.DoubleValuesFromBytes(raw)
		}
	case format.ByteArray:
		v = encoding.ByteArrayValues(raw, []uint32{0, uint32(len(raw))})
	case format.FixedLenByteArray:
		if len(raw) != li.size {
			return nil, false
		}
		v = encoding.FixedLenByteArrayValues(raw, li.size)
	default:
		return nil, false
	}
	out := newValueBuf(goAlloc, storageWidth(t))
	defer out.release()
	if err := conv(out, v, 0, 1); err != nil || out.n != 1 {
		return nil, false
	}
	return bufValue(out, 0, t)
}

// bufValue returns the i-th value of a converted buffer as a Go value of
// the kind predicates carry.
func bufValue(out *valueBuf, i int, t types.Type) (any, bool) {
	if out.width == 0 {
		if t.Kind != types.Varchar && t.Kind != types.Varbinary {
			return nil, false
		}
		offs := out.int32s()
		return string(out.data.Bytes()[offs[i]:offs[i+1]]), true
	}
	b := out.data.Bytes()[i*out.width:]
	switch t.Kind {
	case types.Boolean:
		return b[0] != 0, true
	case types.TinyInt:
		return int64(int8(b[0])), true
	case types.SmallInt:
		return int64(castSlice[int16](b[:2])[0]), true
	case types.Integer, types.Date:
		return int64(castSlice[int32](b[:4])[0]), true
	case types.BigInt, types.Timestamp, types.TimestampTZ, types.Time:
		return castSlice[int64](b[:8])[0], true
	case types.Decimal:
		if t.IsShortDecimal() {
			return castSlice[int64](b[:8])[0], true
		}
	case types.Real:
		return float64(castSlice[float32](b[:4])[0]), true
	case types.Double:
		return castSlice[float64](b[:8])[0], true
	}
	return nil, false
}

func normalise(v any) (any, bool) {
	switch x := v.(type) {
	case int64, float64, string, bool:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case float32:
		return float64(x), true
	case []byte:
		return string(x), true
	}
	return nil, false
}

// compareAny orders a against b when both are the same kind of value.
func compareAny(a, b any) (int, bool) {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp3(x < y, x > y), true
		}
		if y, ok := b.(float64); ok && !math.IsNaN(y) {
			return cmp3(float64(x) < y, float64(x) > y), true
		}
	case float64:
		if y, ok := b.(float64); ok && !math.IsNaN(x) && !math.IsNaN(y) {
			return cmp3(x < y, x > y), true
		}
		if y, ok := b.(int64); ok && !math.IsNaN(x) {
			return cmp3(x < float64(y), x > float64(y)), true
		}
	case string:
		if y, ok := b.(string); ok {
			return bytes.Compare([]byte(x), []byte(y)), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp3(!x && y, x && !y), true
		}
	}
	return 0, false
}

func cmp3(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}
