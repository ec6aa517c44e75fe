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
	null    []bool
	words   []uint64
	nm      []uint32
}

// encode fills the encoder for rows [0, n) of cols and returns, for each
// row, whether any key column is NULL (valid until the next call).
func (k *keyEncoder) encode(cols []arrow.Array, n int) (anyNull []bool, err error) {
	if cap(k.offsets) < n+1 {
		k.offsets = make([]int, n+1)
	}
	k.offsets = k.offsets[:n+1]
	if cap(k.null) < n {
		k.null = make([]bool, n)
	}
	anyNull = k.null[:n]
	clear(anyNull)
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
	hasNulls := c.NullN() > 0
	// Strings and one-word values take typed loops; the byte layout is the
	// one the generic loop below writes.
	switch x := c.(type) {
	case *array.String:
		for i := 0; i < n; i++ {
			k.offsets[i] = len(k.buf)
			if hasNulls && x.IsNull(i) {
				anyNull[i] = true
				k.buf = append(k.buf, 0)
				continue
			}
			s := x.Value(i)
			k.buf = append(k.buf, 1)
			k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
			k.buf = append(k.buf, s...)
		}
		k.offsets[n] = len(k.buf)
		return nil
	case *array.Boolean:
	default:
		if isOneWord(c.DataType()) {
			if cap(k.words) < n {
				k.words, k.nm = make([]uint64, n), make([]uint32, n)
			}
			words, nm := k.words[:n], k.nm[:n]
			clear(nm)
			if err := columnWords(c, n, words, nm, 1); err != nil {
				return err
			}
			var scratch [9]byte
			scratch[0] = 1
			for i := 0; i < n; i++ {
				k.offsets[i] = len(k.buf)
				if nm[i] != 0 {
					anyNull[i] = true
					k.buf = append(k.buf, 0)
					continue
				}
				binary.LittleEndian.PutUint64(scratch[1:], words[i])
				k.buf = append(k.buf, scratch[:]...)
			}
			k.offsets[n] = len(k.buf)
			return nil
		}
	}
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
		case *array.Decimal128:
			v := x.Value(i)
			put64(v.LowBits())
			put64(uint64(v.HighBits()))
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

// isOneWord reports whether values of dt are keyed as one 64-bit word: the
// integer-like types (their value sign-extended) and floats (normalised by
// floatKey). Booleans are not: their byte encoding differs.
func isOneWord(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.TIMESTAMP,
		arrow.TIME64, arrow.DURATION, arrow.INTERVAL_MONTHS, arrow.DECIMAL64, arrow.FLOAT32, arrow.FLOAT64:
		return true
	}
	return false
}

// columnWords writes rows [0, n) of a one-word column into words (0 for a
// NULL) and ORs bit into nm for each NULL row.
func columnWords(c arrow.Array, n int, words []uint64, nm []uint32, bit uint32) error {
	words = words[:n]
	switch x := c.(type) {
	case *array.Int8:
		for i, v := range x.Int8Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Int16:
		for i, v := range x.Int16Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Int32:
		for i, v := range x.Int32Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Int64:
		for i, v := range x.Int64Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Date32:
		for i, v := range x.Date32Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Timestamp:
		for i, v := range x.TimestampValues()[:n] {
			words[i] = uint64(v)
		}
	case *array.Time64:
		for i, v := range x.Time64Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Duration:
		for i, v := range x.DurationValues()[:n] {
			words[i] = uint64(v)
		}
	case *array.MonthInterval:
		for i, v := range x.MonthIntervalValues()[:n] {
			words[i] = uint64(v)
		}
	case *array.Decimal64:
		for i, v := range x.Values()[:n] {
			words[i] = uint64(v)
		}
	case *array.Float32:
		for i, v := range x.Float32Values()[:n] {
			words[i] = floatKey(float64(v))
		}
	case *array.Float64:
		for i, v := range x.Float64Values()[:n] {
			words[i] = floatKey(v)
		}
	default:
		return fmt.Errorf("BUG: %s key column is not one word", c.DataType())
	}
	if c.NullN() > 0 {
		for i := 0; i < n; i++ {
			if c.IsNull(i) {
				words[i] = 0
				nm[i] |= bit
			}
		}
	}
	return nil
}

// keyLayout is how a list of key columns is held in hash tables.
type keyLayout uint8

const (
	layoutNone  keyLayout = iota // no key columns: every row has the same key
	layoutOne                    // one one-word column: table1
	layoutTwo                    // two one-word columns: table2
	layoutBytes                  // anything else: keyEncoder bytes in a tableB
)

func layoutOf(keys []Expr) keyLayout {
	switch len(keys) {
	case 0:
		return layoutNone
	case 1:
		if isOneWord(keys[0].Type().Arrow()) {
			return layoutOne
		}
	case 2:
		if isOneWord(keys[0].Type().Arrow()) && isOneWord(keys[1].Type().Arrow()) {
			return layoutTwo
		}
	}
	return layoutBytes
}

// batchKeys holds one batch's keys in a layout's form with their hashes,
// computed for the whole batch before any table is probed.
type batchKeys struct {
	layout keyLayout
	w0, w1 []uint64
	nm     []uint32 // NULL mask per row (one-word layouts)
	null   []bool   // any key NULL per row (byte layout)
	h      []uint64
	enc    keyEncoder
}

func (k *batchKeys) load(cols []arrow.Array, n int) error {
	if cap(k.h) < n {
		k.h = make([]uint64, n)
	}
	k.h = k.h[:n]
	switch k.layout {
	case layoutOne, layoutTwo:
		if cap(k.w0) < n {
			k.w0, k.w1, k.nm = make([]uint64, n), make([]uint64, n), make([]uint32, n)
		}
		k.w0, k.w1, k.nm = k.w0[:n], k.w1[:n], k.nm[:n]
		clear(k.nm)
		if err := columnWords(cols[0], n, k.w0, k.nm, 1); err != nil {
			return err
		}
		if k.layout == layoutOne {
			for i, w := range k.w0 {
				k.h[i] = hash1(w, k.nm[i])
			}
			return nil
		}
		if err := columnWords(cols[1], n, k.w1, k.nm, 2); err != nil {
			return err
		}
		for i, w := range k.w0 {
			k.h[i] = hash2(w, k.w1[i], k.nm[i])
		}
	case layoutBytes:
		var err error
		if k.null, err = k.enc.encode(cols, n); err != nil {
			return err
		}
		for i := range k.h {
			k.h[i] = hashBytes(k.enc.key(i))
		}
	}
	return nil
}

// isNull reports whether any key column of row i is NULL.
func (k *batchKeys) isNull(i int) bool {
	if k.layout == layoutBytes {
		return k.null[i]
	}
	if k.layout == layoutNone {
		return false
	}
	return k.nm[i] != 0
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
