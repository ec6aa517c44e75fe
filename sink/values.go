package sink

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

// appendFn appends the text of row i of one array (which must not be null
// there) to dst.
type appendFn func(dst []byte, i int) []byte

// textAppender returns the Hive text form of a scalar column's values: the
// form LazySimpleSerDe writes, partition folder names use, and the JSON
// writer quotes for dates and timestamps. ok is false for types without a
// text form here (nested types).
func textAppender(arr arrow.Array, t types.Type) (appendFn, bool) {
	switch a := arr.(type) {
	case *array.Boolean:
		return func(dst []byte, i int) []byte { return strconv.AppendBool(dst, a.Value(i)) }, true
	case *array.Int8:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, true
	case *array.Int16:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, true
	case *array.Int32:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, true
	case *array.Int64:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, a.Value(i), 10) }, true
	case *array.Float32:
		return func(dst []byte, i int) []byte { return appendFloat(dst, float64(a.Value(i)), 32) }, true
	case *array.Float64:
		return func(dst []byte, i int) []byte { return appendFloat(dst, a.Value(i), 64) }, true
	case *array.Decimal64:
		return func(dst []byte, i int) []byte { return appendDecimal64(dst, int64(a.Value(i)), t.Scale) }, true
	case *array.Decimal128:
		return func(dst []byte, i int) []byte { return appendDecimal128(dst, a.Value(i), t.Scale) }, true
	case *array.String:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, true
	case *array.Binary:
		return func(dst []byte, i int) []byte { return base64.StdEncoding.AppendEncode(dst, a.Value(i)) }, true
	case *array.Date32:
		return func(dst []byte, i int) []byte { return appendDate(dst, int64(a.Value(i))) }, true
	case *array.Timestamp:
		return func(dst []byte, i int) []byte { return appendTimestamp(dst, int64(a.Value(i))) }, true
	case *array.Time64:
		return func(dst []byte, i int) []byte { return appendTime(dst, int64(a.Value(i))) }, true
	}
	return nil, false
}

// appendFloat writes floats as Hive and Java print the special values.
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

func appendDecimal64(dst []byte, v int64, scale int) []byte {
	if scale == 0 {
		return strconv.AppendInt(dst, v, 10)
	}
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
		dst = append(dst, '-')
	}
	var buf [24]byte
	s := strconv.AppendUint(buf[:0], u, 10)
	return appendScaled(dst, s, scale)
}

// appendScaled writes the digits s with a decimal point scale places from
// the right, padding with zeros: 5 at scale 2 is 0.05.
func appendScaled(dst, s []byte, scale int) []byte {
	if len(s) <= scale {
		dst = append(dst, '0', '.')
		for range scale - len(s) {
			dst = append(dst, '0')
		}
		return append(dst, s...)
	}
	dst = append(dst, s[:len(s)-scale]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-scale:]...)
}

func appendDecimal128(dst []byte, v decimal128.Num, scale int) []byte {
	b := v.BigInt()
	neg := b.Sign() < 0
	if neg {
		b.Neg(b)
		dst = append(dst, '-')
	}
	s := b.Append(nil, 10)
	if scale == 0 {
		return append(dst, s...)
	}
	return appendScaled(dst, s, scale)
}

var epoch = time.Unix(0, 0).UTC()

func appendDate(dst []byte, days int64) []byte {
	return epoch.AddDate(0, 0, int(days)).AppendFormat(dst, "2006-01-02")
}

// appendTimestamp writes Hive's form, yyyy-mm-dd hh:mm:ss[.f...], with the
// fraction's trailing zeros dropped.
func appendTimestamp(dst []byte, micros int64) []byte {
	return time.UnixMicro(micros).UTC().AppendFormat(dst, "2006-01-02 15:04:05.999999")
}

func appendTime(dst []byte, micros int64) []byte {
	return time.UnixMicro(micros).UTC().AppendFormat(dst, "15:04:05.999999")
}

// partitionValue is the Hive string of row i of a partition key column:
// DefaultPartitionName for NULL and for the empty string, as Hive stores
// both.
func partitionValue(arr arrow.Array, fn appendFn, i int, buf []byte) (string, []byte) {
	if arr.IsNull(i) {
		return defaultPartitionName, buf
	}
	buf = fn(buf[:0], i)
	if len(buf) == 0 {
		return defaultPartitionName, buf
	}
	return string(buf), buf
}

const defaultPartitionName = "__HIVE_DEFAULT_PARTITION__"

// sameValue reports whether rows i and j of a scalar array hold the same
// value (both NULL counts as the same), so runs of rows of one partition
// are routed without building their key.
func sameValue(arr arrow.Array, i, j int) bool {
	ni, nj := arr.IsNull(i), arr.IsNull(j)
	if ni || nj {
		return ni == nj
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i) == a.Value(j)
	case *array.Int8:
		return a.Value(i) == a.Value(j)
	case *array.Int16:
		return a.Value(i) == a.Value(j)
	case *array.Int32:
		return a.Value(i) == a.Value(j)
	case *array.Int64:
		return a.Value(i) == a.Value(j)
	case *array.Float32:
		return math.Float32bits(a.Value(i)) == math.Float32bits(a.Value(j))
	case *array.Float64:
		return math.Float64bits(a.Value(i)) == math.Float64bits(a.Value(j))
	case *array.Decimal64:
		return a.Value(i) == a.Value(j)
	case *array.Decimal128:
		return a.Value(i) == a.Value(j)
	case *array.String:
		return a.Value(i) == a.Value(j)
	case *array.Date32:
		return a.Value(i) == a.Value(j)
	case *array.Timestamp:
		return a.Value(i) == a.Value(j)
	}
	return false
}
