package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// keyEncoder turns the key columns of each row into a byte string that is
// equal for two rows exactly when their keys are equal (NULLs equal to each
// other, as GROUP BY and DISTINCT want; joins skip NULL keys themselves).
// Floating-point keys are normalised so -0 = 0 and all NaNs are equal.
type keyEncoder struct {
	buf     []byte
	offsets []int
	cols    []keyEncoder // per-column scratch for multi-column keys
}

// encode fills the encoder for rows [0, n) of cols and returns, for each
// row, whether any key column is NULL.
func (k *keyEncoder) encode(cols []arrow.Array, n int) (anyNull []bool, err error) {
	if cap(k.offsets) < n+1 {
		k.offsets = make([]int, n+1)
	}
	k.offsets = k.offsets[:n+1]
	anyNull = make([]bool, n)
	if len(cols) == 1 {
		return anyNull, k.encodeOne(cols[0], n, anyNull)
	}
	// Each column is encoded once into its own buffer, then the rows are
	// stitched together with no per-row allocation.
	if len(k.cols) < len(cols) {
		k.cols = make([]keyEncoder, len(cols))
	}
	total := 0
	for ci, c := range cols {
		if err := k.cols[ci].encodeOne(c, n, anyNull); err != nil {
			return nil, err
		}
		total += len(k.cols[ci].buf)
	}
	if cap(k.buf) < total {
		k.buf = make([]byte, 0, total)
	}
	k.buf = k.buf[:0]
	for i := 0; i < n; i++ {
		k.offsets[i] = len(k.buf)
		for ci := range cols {
			e := &k.cols[ci]
			k.buf = append(k.buf, e.buf[e.offsets[i]:e.offsets[i+1]]...)
		}
	}
	k.offsets[n] = len(k.buf)
	return anyNull, nil
}

func (k *keyEncoder) key(i int) []byte { return k.buf[k.offsets[i]:k.offsets[i+1]] }

func (k *keyEncoder) encodeOne(c arrow.Array, n int, anyNull []bool) error {
	k.buf = k.buf[:0]
	if cap(k.offsets) < n+1 {
		k.offsets = make([]int, n+1)
	}
	k.offsets = k.offsets[:n+1]
	var scratch [8]byte
	put64 := func(v uint64) {
		binary.LittleEndian.PutUint64(scratch[:], v)
		k.buf = append(k.buf, scratch[:]...)
	}
	for i := 0; i < n; i++ {
		k.offsets[i] = len(k.buf)
		if c.IsNull(i) {
			anyNull[i] = true
			k.buf = append(k.buf, 0)
			continue
		}
		k.buf = append(k.buf, 1)
		switch x := c.(type) {
		case *array.Boolean:
			if x.Value(i) {
				k.buf = append(k.buf, 1)
			} else {
				k.buf = append(k.buf, 0)
			}
		case *array.Int8:
			put64(uint64(x.Value(i)))
		case *array.Int16:
			put64(uint64(x.Value(i)))
		case *array.Int32:
			put64(uint64(x.Value(i)))
		case *array.Int64:
			put64(uint64(x.Value(i)))
		case *array.Date32:
			put64(uint64(x.Value(i)))
		case *array.Timestamp:
			put64(uint64(x.Value(i)))
		case *array.Time64:
			put64(uint64(x.Value(i)))
		case *array.Duration:
			put64(uint64(x.Value(i)))
		case *array.MonthInterval:
			put64(uint64(x.Value(i)))
		case *array.Decimal64:
			put64(uint64(x.Value(i)))
		case *array.Decimal128:
			v := x.Value(i)
			put64(v.LowBits())
			put64(uint64(v.HighBits()))
		case *array.Float32:
			put64(floatKey(float64(x.Value(i))))
		case *array.Float64:
			put64(floatKey(x.Value(i)))
		case *array.String:
			s := x.Value(i)
			k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
			k.buf = append(k.buf, s...)
		case *array.Binary:
			s := x.Value(i)
			k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
			k.buf = append(k.buf, s...)
		case *array.Null:
		default:
			// Nested values: encode through their constant form's text;
			// correct for equality, and rare as keys.
			s := fmt.Sprintf("%v", ScalarAt(c, i))
			k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
			k.buf = append(k.buf, s...)
		}
	}
	k.offsets[n] = len(k.buf)
	return nil
}

func floatKey(f float64) uint64 {
	if f == 0 {
		return 0
	}
	if f != f {
		return math.Float64bits(math.NaN())
	}
	return math.Float64bits(f)
}
