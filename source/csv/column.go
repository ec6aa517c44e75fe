package csv

import (
	"fmt"
	"github.com/quarry-sql/quarry/source/textval"
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

type convKind uint8

const (
	kString convKind = iota
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
)

// column accumulates one projected column of the batch being built,
// directly in allocator-owned buffers: a validity bitmap, fixed-width
// values, and for strings int32 offsets plus a growing data buffer.
type column struct {
	name  string
	field int // 0-based field index in the record
	typ   types.Type
	dt    arrow.DataType
	kind  convKind
	width int // bytes per value of fixed-width kinds
	// maxLen cuts varchar(n)/char(n) values; trimRight drops char padding.
	maxLen    int
	trimRight bool

	valid  *memory.Buffer
	data   *memory.Buffer
	offs   *memory.Buffer
	nulls  int
	strLen int
	// Slices over the buffers above, cached because Buffer.Bytes costs
	// a call and bounds checks on every value.
	vbits []byte
	vals  []byte
	offv  []int32
	sbuf  []byte
}

func newColumn(c types.Column, field int) (*column, error) {
	col := &column{name: c.Name, field: field, typ: c.Type, dt: c.Type.Arrow()}
	t := c.Type
	switch t.Kind {
	case types.Varchar, types.JSON:
		col.kind, col.maxLen = kString, t.Length
	case types.Char:
		col.kind, col.maxLen, col.trimRight = kString, max(t.Length, 1), true
	case types.Boolean:
		col.kind = kBool
	case types.TinyInt:
		col.kind, col.width = kInt8, 1
	case types.SmallInt:
		col.kind, col.width = kInt16, 2
	case types.Integer:
		col.kind, col.width = kInt32, 4
	case types.BigInt:
		col.kind, col.width = kInt64, 8
	case types.Real:
		col.kind, col.width = kFloat32, 4
	case types.Double:
		col.kind, col.width = kFloat64, 8
	case types.Decimal:
		if t.IsShortDecimal() {
			col.kind, col.width = kDec64, 8
		} else {
			col.kind, col.width = kDec128, 16
		}
	case types.Date:
		col.kind, col.width = kDate, 4
	case types.Timestamp, types.TimestampTZ:
		col.kind, col.width = kTimestamp, 8
	default:
		return nil, fmt.Errorf("column %s: type %s is not supported in text files", c.Name, t)
	}
	return col, nil
}

func (c *column) reset(alloc memory.Allocator, rows int) {
	c.valid = memory.NewResizableBuffer(alloc)
	c.valid.Resize(bitmapBytes(rows))
	c.vbits = c.valid.Bytes()
	clear(c.vbits)
	c.nulls, c.strLen = 0, 0
	c.data = memory.NewResizableBuffer(alloc)
	switch c.kind {
	case kString:
		c.offs = memory.NewResizableBuffer(alloc)
		c.offs.Resize((rows + 1) * 4)
		c.offv = unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(c.offs.Bytes()))), rows+1)
		c.offv[0] = 0
		c.data.Reserve(rows * 16)
		c.sbuf = c.data.Buf()
	case kBool:
		c.data.Resize(bitmapBytes(rows))
		c.vals = c.data.Bytes()
		clear(c.vals)
	default:
		c.data.Resize(rows * c.width)
		c.vals = c.data.Bytes()
	}
}

func bitmapBytes(n int) int { return (n + 7) / 8 }

func (c *column) release() {
	for _, b := range []*memory.Buffer{c.valid, c.data, c.offs} {
		if b != nil {
			b.Release()
		}
	}
	c.valid, c.data, c.offs = nil, nil, nil
}

func (c *column) setValid(row int) { c.vbits[row>>3] |= 1 << (row & 7) }

// appendNull records a NULL at row; fixed-width slots keep whatever bytes
// they hold, which Arrow permits under a cleared validity bit, but are
// zeroed so that batches are deterministic.
func (c *column) appendNull(row int) {
	c.nulls++
	switch c.kind {
	case kString:
		c.putOffset(row + 1)
	case kBool:
	default:
		clear(c.vals[row*c.width : (row+1)*c.width])
	}
}

func (c *column) putOffset(i int) {
	c.offv[i] = int32(c.strLen)
}

// appendString stores s (already unescaped) at row, making it valid UTF-8
// and cutting it to the declared length.
func (c *column) appendString(row int, s []byte, valid bool, scratch *[]byte) error {
	if !valid && !utf8.Valid(s) {
		*scratch = textval.AppendValidUTF8((*scratch)[:0], s)
		s = *scratch
	}
	if c.maxLen > 0 {
		s = textval.TruncRunes(s, c.maxLen)
	}
	if c.trimRight {
		for len(s) > 0 && s[len(s)-1] == ' ' {
			s = s[:len(s)-1]
		}
	}
	need := c.strLen + len(s)
	if need > math.MaxInt32 {
		return fmt.Errorf("string data of one batch exceeds 2 GiB")
	}
	if need > len(c.sbuf) {
		c.data.Reserve(max(need, 2*len(c.sbuf)))
		c.sbuf = c.data.Buf()
	}
	copy(c.sbuf[c.strLen:need], s)
	c.strLen = need
	c.setValid(row)
	c.putOffset(row + 1)
	return nil
}

// appendValue parses a non-string value into row. It reports false when
// the text does not parse (or is out of the type's range) and writes
// nothing then.
func (c *column) appendValue(row int, s []byte, o *options) (bool, textval.DecStatus) {
	lenient := o.serde == lazySimple
	d := c.vals
	switch c.kind {
	case kBool:
		v, ok := textval.ParseBool(s)
		if !ok {
			return false, textval.DecInvalid
		}
		if v {
			d[row>>3] |= 1 << (row & 7)
		}
	case kInt8:
		v, ok := textval.ParseInt(s, math.MinInt8, math.MaxInt8, lenient)
		if !ok {
			return false, textval.DecInvalid
		}
		d[row] = byte(int8(v))
	case kInt16:
		v, ok := textval.ParseInt(s, math.MinInt16, math.MaxInt16, lenient)
		if !ok {
			return false, textval.DecInvalid
		}
		*(*int16)(unsafe.Pointer(&d[row*2])) = int16(v)
	case kInt32:
		v, ok := textval.ParseInt(s, math.MinInt32, math.MaxInt32, lenient)
		if !ok {
			return false, textval.DecInvalid
		}
		*(*int32)(unsafe.Pointer(&d[row*4])) = int32(v)
	case kInt64:
		v, ok := textval.ParseInt(s, math.MinInt64, math.MaxInt64, lenient)
		if !ok {
			return false, textval.DecInvalid
		}
		*(*int64)(unsafe.Pointer(&d[row*8])) = v
	case kFloat32:
		v, ok := textval.ParseFloat(s, 32)
		if !ok {
			return false, textval.DecInvalid
		}
		*(*float32)(unsafe.Pointer(&d[row*4])) = float32(v)
	case kFloat64:
		v, ok := textval.ParseFloat(s, 64)
		if !ok {
			return false, textval.DecInvalid
		}
		*(*float64)(unsafe.Pointer(&d[row*8])) = v
	case kDec64:
		if v, ok := textval.ParseDecimal64Fast(s, c.typ.Precision, c.typ.Scale); ok {
			*(*int64)(unsafe.Pointer(&d[row*8])) = v
			break
		}
		neg, mag, st := textval.ParseDecimal(s, c.typ.Precision, c.typ.Scale)
		if st != textval.DecOK {
			return false, st
		}
		v := int64(mag.Lo)
		if neg {
			v = -v
		}
		*(*int64)(unsafe.Pointer(&d[row*8])) = v
	case kDec128:
		neg, mag, st := textval.ParseDecimal(s, c.typ.Precision, c.typ.Scale)
		if st != textval.DecOK {
			return false, st
		}
		lo, hi := mag.Lo, mag.Hi
		if neg {
			lo = ^lo + 1
			hi = ^hi
			if lo == 0 {
				hi++
			}
		}
		// Arrow's Decimal128 is little-endian: low word first.
		*(*uint64)(unsafe.Pointer(&d[row*16])) = lo
		*(*uint64)(unsafe.Pointer(&d[row*16+8])) = hi
	case kDate:
		v, ok := textval.ParseDate(s)
		if !ok && o.epochNumbers {
			var n int64
			if n, ok = textval.ParseInt(s, math.MinInt32, math.MaxInt32, false); ok {
				v = int32(n)
			}
		}
		if !ok {
			return false, textval.DecInvalid
		}
		*(*int32)(unsafe.Pointer(&d[row*4])) = v
	case kTimestamp:
		v, ok := textval.ParseTimestamp(s, c.typ.Precision)
		if !ok && o.epochNumbers {
			if v, ok = textval.ParseInt(s, math.MinInt64/1000, math.MaxInt64/1000, false); ok {
				v *= 1000
			}
		}
		if !ok {
			return false, textval.DecInvalid
		}
		*(*int64)(unsafe.Pointer(&d[row*8])) = v
	}
	c.setValid(row)
	return true, textval.DecOK
}

// finish turns the accumulated rows into an array and gives up the
// column's buffers to it.
func (c *column) finish(rows int) arrow.Array {
	valid := c.valid
	if c.nulls == 0 {
		valid.Release()
		valid = nil
	}
	var bufs []*memory.Buffer
	if c.kind == kString {
		c.offs.Resize((rows + 1) * 4)
		c.data.ResizeNoShrink(c.strLen)
		bufs = []*memory.Buffer{valid, c.offs, c.data}
	} else {
		bufs = []*memory.Buffer{valid, c.data}
	}
	data := array.NewData(c.dt, rows, bufs, nil, c.nulls, 0)
	arr := array.MakeFromData(data)
	data.Release()
	if valid != nil {
		valid.Release()
	}
	c.data.Release()
	if c.offs != nil {
		c.offs.Release()
	}
	c.valid, c.data, c.offs = nil, nil, nil
	c.vbits, c.vals, c.offv, c.sbuf = nil, nil, nil, nil
	return arr
}
