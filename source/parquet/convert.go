package parquet

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/types"
)

// convFn appends values lo..hi of a decoded page (or dictionary) to out,
// converted from the file's physical type to the declared type's Arrow
// storage. Callers guarantee hi <= valueCount(v).
type convFn func(out *valueBuf, v encoding.Values, lo, hi int) error

// storageWidth is the bytes per value of t's Arrow storage; 0 for binary.
func storageWidth(t types.Type) int {
	switch t.Kind {
	case types.Boolean, types.TinyInt:
		return 1
	case types.SmallInt:
		return 2
	case types.Integer, types.Real, types.Date, types.IntervalYearMonth:
		return 4
	case types.Decimal:
		if t.IsShortDecimal() {
			return 8
		}
		return 16
	case types.Varchar, types.Char, types.JSON, types.Varbinary:
		return 0
	}
	return 8
}

// valueCount is how many values a decoded page holds, so a corrupt page
// whose levels promise more values than it has becomes an error.
func valueCount(v encoding.Values, size int) int {
	data, offs := v.Data()
	switch v.Kind() {
	case encoding.Boolean:
		return len(data) * 8
	case encoding.Int32, encoding.Float:
		return len(data) / 4
	case encoding.Int64, encoding.Double:
		return len(data) / 8
	case encoding.Int96:
		return len(data) / 12
	case encoding.ByteArray:
		return max(len(offs)-1, 0)
	case encoding.FixedLenByteArray:
		if size > 0 {
			return len(data) / size
		}
	}
	return 0
}

var kindOf = map[format.Type]encoding.Kind{
	format.Boolean:           encoding.Boolean,
	format.Int32:             encoding.Int32,
	format.Int64:             encoding.Int64,
	format.Int96:             encoding.Int96,
	format.Float:             encoding.Float,
	format.Double:            encoding.Double,
	format.ByteArray:         encoding.ByteArray,
	format.FixedLenByteArray: encoding.FixedLenByteArray,
}

type number interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

func castConv[S, D number](out *valueBuf, v encoding.Values, lo, hi int) error {
	data, _ := v.Data()
	src := castSlice[S](data)[lo:hi]
	dst := castSlice[D](out.fixed(hi - lo))
	for i, x := range src {
		dst[i] = D(x)
	}
	return nil
}

func copyConv(width int) convFn {
	return func(out *valueBuf, v encoding.Values, lo, hi int) error {
		data, _ := v.Data()
		copy(out.fixed(hi-lo), data[lo*width:hi*width])
		return nil
	}
}

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// scaleConv reads integers of type S and multiplies them by 10^k into
// int64, failing on overflow rather than wrapping.
func scaleConv[S int32 | int64](k int, target types.Type) convFn {
	m := pow10[k]
	lim := int64(math.MaxInt64) / m
	return func(out *valueBuf, v encoding.Values, lo, hi int) error {
		data, _ := v.Data()
		src := castSlice[S](data)[lo:hi]
		dst := castSlice[int64](out.fixed(hi - lo))
		for i, x := range src {
			y := int64(x)
			if y > lim || y < -lim {
				return fmt.Errorf("value %d does not fit %s", y, target)
			}
			dst[i] = y * m
		}
		return nil
	}
}

func scaleConv128[S int32 | int64 | uint64](k int) convFn {
	unsigned := isUint64[S]()
	return func(out *valueBuf, v encoding.Values, lo, hi int) error {
		data, _ := v.Data()
		src := castSlice[S](data)[lo:hi]
		dst := castSlice[decimal128.Num](out.fixed(hi - lo))
		for i, x := range src {
			var n decimal128.Num
			if unsigned {
				n = decimal128.FromU64(uint64(x))
			} else {
				n = decimal128.FromI64(int64(x))
			}
			if k > 0 {
				n = n.IncreaseScaleBy(int32(k))
			}
			dst[i] = n
		}
		return nil
	}
}

func isUint64[S int32 | int64 | uint64]() bool {
	var z S
	_, ok := any(z).(uint64)
	return ok
}

// beInt64 decodes a big-endian two's complement integer of any width.
func beInt64(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	if len(b) > 8 {
		sign := byte(0)
		if b[len(b)-8]&0x80 != 0 {
			sign = 0xff
		}
		for _, c := range b[:len(b)-8] {
			if c != sign {
				return 0, false
			}
		}
		b = b[len(b)-8:]
	}
	var v int64
	if b[0]&0x80 != 0 {
		v = -1
	}
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	return v, true
}

func beNum(b []byte) (decimal128.Num, bool) {
	if len(b) <= 8 {
		v, _ := beInt64(b)
		return decimal128.FromI64(v), true
	}
	if len(b) > 16 {
		sign := byte(0)
		if b[len(b)-16]&0x80 != 0 {
			sign = 0xff
		}
		for _, c := range b[:len(b)-16] {
			if c != sign {
				return decimal128.Num{}, false
			}
		}
		b = b[len(b)-16:]
	}
	hiBytes, loBytes := b[:len(b)-8], b[len(b)-8:]
	hi, _ := beInt64(hiBytes)
	return decimal128.New(hi, binary.BigEndian.Uint64(loBytes)), true
}

// forEachBytes calls f with each binary value lo..hi of a BYTE_ARRAY or
// FIXED_LEN_BYTE_ARRAY page.
func forEachBytes(v encoding.Values, size, lo, hi int, f func(i int, b []byte) error) error {
	data, offs := v.Data()
	if v.Kind() == encoding.FixedLenByteArray {
		for i := lo; i < hi; i++ {
			if err := f(i-lo, data[i*size:(i+1)*size]); err != nil {
				return err
			}
		}
		return nil
	}
	for i := lo; i < hi; i++ {
		a, b := offs[i], offs[i+1]
		if a > b || int(b) > len(data) {
			return fmt.Errorf("corrupt byte array offsets")
		}
		if err := f(i-lo, data[a:b]); err != nil {
			return err
		}
	}
	return nil
}

func bytesDecimalConv(li leafInfo, target types.Type, k int) convFn {
	if target.IsShortDecimal() {
		return func(out *valueBuf, v encoding.Values, lo, hi int) error {
			dst := castSlice[int64](out.fixed(hi - lo))
			return forEachBytes(v, li.size, lo, hi, func(i int, b []byte) error {
				x, ok := beInt64(b)
				if ok && k > 0 {
					lim := int64(math.MaxInt64) / pow10[k]
					ok = x <= lim && x >= -lim
					x *= pow10[k]
				}
				if !ok {
					return fmt.Errorf("decimal value does not fit %s", target)
				}
				dst[i] = x
				return nil
			})
		}
	}
	return func(out *valueBuf, v encoding.Values, lo, hi int) error {
		dst := castSlice[decimal128.Num](out.fixed(hi - lo))
		return forEachBytes(v, li.size, lo, hi, func(i int, b []byte) error {
			x, ok := beNum(b)
			if !ok {
				return fmt.Errorf("decimal value does not fit %s", target)
			}
			if k > 0 {
				x = x.IncreaseScaleBy(int32(k))
			}
			dst[i] = x
			return nil
		})
	}
}

// binaryConv copies BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY values; text
// targets are checked to be UTF-8 so no invalid string reaches Arrow.
func binaryConv(li leafInfo, text bool) convFn {
	if li.phys == format.FixedLenByteArray {
		size := li.size
		return func(out *valueBuf, v encoding.Values, lo, hi int) error {
			data, _ := v.Data()
			n := hi - lo
			d, err := out.binData(n * size)
			if err != nil {
				return err
			}
			copy(d, data[lo*size:hi*size])
			if text && !utf8.Valid(d) {
				return errInvalidUTF8
			}
			base := int32(out.nb - n*size)
			offs := out.binOffsets(n)
			for i := range offs {
				offs[i] = base + int32((i+1)*size)
			}
			return nil
		}
	}
	return func(out *valueBuf, v encoding.Values, lo, hi int) error {
		data, offs := v.Data()
		if hi >= len(offs) {
			return fmt.Errorf("corrupt byte array offsets")
		}
		a, b := offs[lo], offs[hi]
		if a > b || int(b) > len(data) {
			return fmt.Errorf("corrupt byte array offsets")
		}
		d, err := out.binData(int(b - a))
		if err != nil {
			return err
		}
		copy(d, data[a:b])
		if text && !utf8.Valid(d) {
			return errInvalidUTF8
		}
		shift := int32(out.nb) - int32(b)
		dst := out.binOffsets(hi - lo)
		prev := a
		for i, o := range offs[lo+1 : hi+1] {
			if o < prev {
				return fmt.Errorf("corrupt byte array offsets")
			}
			prev = o
			dst[i] = int32(o) + shift
		}
		return nil
	}
}

func uuidConv(out *valueBuf, v encoding.Values, lo, hi int) error {
	data, _ := v.Data()
	n := hi - lo
	d, err := out.binData(n * 36)
	if err != nil {
		return err
	}
	base := int32(out.nb - n*36)
	offs := out.binOffsets(n)
	for i := range n {
		u, s := data[(lo+i)*16:], d[i*36:]
		hex.Encode(s[0:8], u[0:4])
		s[8] = '-'
		hex.Encode(s[9:13], u[4:6])
		s[13] = '-'
		hex.Encode(s[14:18], u[6:8])
		s[18] = '-'
		hex.Encode(s[19:23], u[8:10])
		s[23] = '-'
		hex.Encode(s[24:36], u[10:16])
		offs[i] = base + int32((i+1)*36)
	}
	return nil
}

func boolConv(out *valueBuf, v encoding.Values, lo, hi int) error {
	bits, _ := v.Data()
	dst := out.fixed(hi - lo)
	for i := range dst {
		j := lo + i
		dst[i] = (bits[j>>3] >> (j & 7)) & 1
	}
	return nil
}

// timeConv rescales INT32/INT64 time values to microseconds; unit follows
// leafInfo.unit (negative: divide, flooring so pre-1970 instants stay exact).
func timeConv[S int32 | int64](unit int) convFn {
	return func(out *valueBuf, v encoding.Values, lo, hi int) error {
		data, _ := v.Data()
		src := castSlice[S](data)[lo:hi]
		dst := castSlice[int64](out.fixed(hi - lo))
		switch {
		case unit == 1:
			for i, x := range src {
				dst[i] = int64(x)
			}
		case unit > 0:
			for i, x := range src {
				dst[i] = int64(x) * int64(unit)
			}
		default:
			d := int64(-unit)
			for i, x := range src {
				q := int64(x) / d
				if int64(x)%d < 0 {
					q--
				}
				dst[i] = q
			}
		}
		return nil
	}
}

const julianUnixEpoch = 2440588

func int96Conv(out *valueBuf, v encoding.Values, lo, hi int) error {
	data, _ := v.Data()
	dst := castSlice[int64](out.fixed(hi - lo))
	for i := range dst {
		b := data[(lo+i)*12:]
		nanos := int64(binary.LittleEndian.Uint64(b))
		day := int64(binary.LittleEndian.Uint32(b[8:]))
		dst[i] = (day-julianUnixEpoch)*86_400_000_000 + nanos/1000
	}
	return nil
}

func float16Conv[D float32 | float64](out *valueBuf, v encoding.Values, lo, hi int) error {
	data, _ := v.Data()
	dst := castSlice[D](out.fixed(hi - lo))
	for i := range dst {
		dst[i] = D(halfToFloat(binary.LittleEndian.Uint16(data[(lo+i)*2:])))
	}
	return nil
}

func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0:
		f := float32(frac) / 1024 * (1.0 / 16384)
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// intBits is the width of the integers a leaf holds, counting an unsigned
// type as one bit wider so it only widens into a type that can hold it.
func (li leafInfo) intWidth() int {
	bits := li.intBits
	if bits == 0 {
		bits = 32
		if li.phys == format.Int64 {
			bits = 64
		}
	}
	if li.unsigned {
		bits++
	}
	return bits
}

func (li leafInfo) plainInt() bool {
	return (li.phys == format.Int32 || li.phys == format.Int64) && !li.decimal && !li.date && !li.time && !li.timestamp
}

// converterFor picks the conversion from a file leaf to a declared type,
// or reports why the two are incompatible.
func converterFor(li leafInfo, t types.Type) (convFn, error) {
	bad := errIncompatible
	switch t.Kind {
	case types.Boolean:
		if li.phys == format.Boolean {
			return boolConv, nil
		}
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		if !li.plainInt() {
			break
		}
		declBits := map[types.Kind]int{types.TinyInt: 8, types.SmallInt: 16, types.Integer: 32, types.BigInt: 64}[t.Kind]
		if li.intWidth() > declBits {
			break
		}
		switch {
		case li.phys == format.Int64:
			return copyConv(8), nil
		case li.unsigned && t.Kind == types.BigInt:
			return castConv[uint32, int64], nil
		case t.Kind == types.TinyInt:
			return castConv[int32, int8], nil
		case t.Kind == types.SmallInt:
			return castConv[int32, int16], nil
		case t.Kind == types.Integer:
			return copyConv(4), nil
		}
		return castConv[int32, int64], nil
	case types.Real:
		switch {
		case li.phys == format.Float:
			return copyConv(4), nil
		case li.float16 && li.size == 2:
			return float16Conv[float32], nil
		}
	case types.Double:
		switch {
		case li.phys == format.Double:
			return copyConv(8), nil
		case li.phys == format.Float:
			return castConv[float32, float64], nil
		case li.float16 && li.size == 2:
			return float16Conv[float64], nil
		case li.plainInt() && li.phys == format.Int32 && !li.unsigned:
			return castConv[int32, float64], nil
		case li.plainInt() && li.phys == format.Int64 && !li.unsigned:
			return castConv[int64, float64], nil
		}
	case types.Decimal:
		return decimalConverter(li, t)
	case types.Varchar, types.Char, types.JSON:
		switch {
		case li.phys == format.ByteArray && !li.decimal:
			return binaryConv(li, true), nil
		case li.uuid && li.size == 16:
			return uuidConv, nil
		}
	case types.Varbinary:
		if (li.phys == format.ByteArray || li.phys == format.FixedLenByteArray) && !li.decimal {
			return binaryConv(li, false), nil
		}
	case types.Date:
		if li.phys == format.Int32 && li.date {
			return copyConv(4), nil
		}
	case types.Time:
		switch {
		case li.phys == format.Int32 && li.time:
			return timeConv[int32](li.unit), nil
		case li.phys == format.Int64 && li.time:
			return timeConv[int64](li.unit), nil
		}
	case types.Timestamp, types.TimestampTZ:
		switch {
		case li.phys == format.Int64 && li.timestamp:
			return timeConv[int64](li.unit), nil
		case li.phys == format.Int96:
			return int96Conv, nil
		}
	}
	return nil, bad
}

var (
	errIncompatible = errors.New("incompatible types")
	errInvalidUTF8  = errors.New("invalid UTF-8 in a varchar value (declare the column varbinary to read raw bytes)")
)

func decimalConverter(li leafInfo, t types.Type) (convFn, error) {
	fileScale := 0
	switch {
	case li.decimal:
		fileScale = li.scale
	case li.plainInt():
		if li.unsigned && li.phys == format.Int64 {
			if t.IsShortDecimal() {
				return nil, errIncompatible
			}
			return scaleConv128[uint64](t.Scale), nil
		}
		if li.unsigned && li.intBits == 32 {
			if !t.IsShortDecimal() {
				return nil, errIncompatible
			}
		}
	default:
		return nil, errIncompatible
	}
	k := t.Scale - fileScale
	if k < 0 || k > 18 {
		return nil, fmt.Errorf("%w: scale %d cannot widen to %d", errIncompatible, fileScale, t.Scale)
	}
	switch li.phys {
	case format.Int32:
		if t.IsShortDecimal() {
			if li.unsigned {
				return nil, errIncompatible
			}
			return scaleConv[int32](k, t), nil
		}
		return scaleConv128[int32](k), nil
	case format.Int64:
		if t.IsShortDecimal() {
			return scaleConv[int64](k, t), nil
		}
		return scaleConv128[int64](k), nil
	case format.ByteArray, format.FixedLenByteArray:
		return bytesDecimalConv(li, t, k), nil
	}
	return nil, errIncompatible
}

// gather appends dict[idx[i]] for each index, the decode of a
// dictionary-encoded page against its already converted dictionary.
func gather(out *valueBuf, dict *valueBuf, idx []int32) error {
	n := int32(dict.n)
	for _, i := range idx {
		if uint32(i) >= uint32(n) {
			return fmt.Errorf("dictionary index %d out of range [0,%d)", i, n)
		}
	}
	switch dict.width {
	case 0:
		doffs := dict.int32s()
		ddata := dict.data.Bytes()
		total := 0
		for _, i := range idx {
			total += int(doffs[i+1] - doffs[i])
		}
		d, err := out.binData(total)
		if err != nil {
			return err
		}
		base := int32(out.nb - total)
		offs := out.binOffsets(len(idx))
		p := int32(0)
		for j, i := range idx {
			p += int32(copy(d[p:], ddata[doffs[i]:doffs[i+1]]))
			offs[j] = base + p
		}
	case 1:
		gatherT[uint8](out, dict, idx)
	case 2:
		gatherT[uint16](out, dict, idx)
	case 4:
		gatherT[uint32](out, dict, idx)
	case 8:
		gatherT[uint64](out, dict, idx)
	case 16:
		gatherT[[16]byte](out, dict, idx)
	default:
		return fmt.Errorf("BUG: dictionary of width %d", dict.width)
	}
	return nil
}

func gatherT[T any](out, dict *valueBuf, idx []int32) {
	src := castSlice[T](dict.data.Bytes())
	dst := castSlice[T](out.fixed(len(idx)))
	for j, i := range idx {
		dst[j] = src[i]
	}
}
