package function

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Kernel helpers. Kernels read argument values straight from the Arrow
// buffers (values, offsets, validity bitmaps) and write results into freshly
// allocated buffers, so the per-row work is a plain loop with no interface
// calls or boxing. Rows that are NULL in the output may hold any value; a
// kernel that can fail checks validity only when a row fails, so the common
// path stays branch-light.

// fixed is the set of fixed-width value types kernels read and write.
type fixed interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// storable is what a kernel can read from or write to a value buffer.
type storable interface{ fixed | i128 }

// values returns the fixed-width values of arr (offset applied). Arrays
// without a value buffer (the NULL type) read as zeros.
func values[T storable](arr arrow.Array) []T {
	d := arr.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || bufs[1].Len() == 0 {
		return make([]T, d.Len())
	}
	var z T
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(bufs[1].Bytes()))), bufs[1].Len()/int(unsafe.Sizeof(z)))
	return all[d.Offset() : d.Offset()+d.Len()]
}

// dec128s returns the 128-bit decimal values of arr as i128.
func dec128s(arr arrow.Array) []i128 {
	d := arr.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || bufs[1].Len() == 0 {
		return make([]i128, d.Len())
	}
	all := unsafe.Slice((*i128)(unsafe.Pointer(unsafe.SliceData(bufs[1].Bytes()))), bufs[1].Len()/16)
	return all[d.Offset() : d.Offset()+d.Len()]
}

// bitmap is a validity bitmap with its bit offset; a nil bitmap means all
// rows are valid.
type bitmap struct {
	bits   []byte
	offset int
}

func validity(arr arrow.Array) bitmap {
	if arr.NullN() == 0 {
		return bitmap{}
	}
	if arr.DataType().ID() == arrow.NULL {
		return bitmap{bits: allNullBits[:], offset: -1}
	}
	return bitmap{bits: arr.NullBitmapBytes(), offset: arr.Data().Offset()}
}

var allNullBits [1]byte

func (b bitmap) valid(i int) bool {
	if b.bits == nil {
		return true
	}
	if b.offset < 0 {
		return false
	}
	return bitutil.BitIsSet(b.bits, b.offset+i)
}

// isNull reports whether row i of arr is NULL; cheap for arrays without nulls.
func isNull(arr arrow.Array, i int) bool { return arr.NullN() > 0 && arr.IsNull(i) }

// andValidity returns a new bitmap buffer that is the AND of the arguments'
// validity (nil when no argument has NULLs) and its NULL count.
func andValidity(mem memory.Allocator, n int, args ...arrow.Array) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, a := range args {
		if a.NullN() == 0 {
			continue
		}
		if out == nil {
			out = memory.NewResizableBuffer(mem)
			out.Resize(int(bitutil.BytesForBits(int64(n))))
			if a.DataType().ID() == arrow.NULL || a.NullN() == a.Len() {
				clear(out.Bytes())
				return out, n
			}
			bitutil.CopyBitmap(a.NullBitmapBytes(), a.Data().Offset(), n, out.Bytes(), 0)
			continue
		}
		if a.DataType().ID() == arrow.NULL || a.NullN() == a.Len() {
			clear(out.Bytes())
			return out, n
		}
		bitutil.BitmapAnd(out.Bytes(), a.NullBitmapBytes(), 0, int64(a.Data().Offset()), out.Bytes(), 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(out.Bytes(), 0, n)
}

// newValidity returns an all-valid bitmap buffer of n bits.
func newValidity(mem memory.Allocator, n int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(int(bitutil.BytesForBits(int64(n))))
	bitutil.SetBitsTo(b.Bytes(), 0, int64(n), true)
	return b
}

// allocFixed allocates a zeroed buffer of n values of T.
func allocFixed[T storable](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var z T
	b := memory.NewResizableBuffer(mem)
	b.Resize(n * int(unsafe.Sizeof(z)))
	if n == 0 {
		return b, nil
	}
	return b, unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b.Bytes()))), n)
}

func allocI128(mem memory.Allocator, n int) (*memory.Buffer, []i128) {
	b := memory.NewResizableBuffer(mem)
	b.Resize(n * 16)
	if n == 0 {
		return b, nil
	}
	return b, unsafe.Slice((*i128)(unsafe.Pointer(unsafe.SliceData(b.Bytes()))), n)
}

// finish wraps buffers into an array of type dt, taking ownership of them.
// valid may be nil (no NULLs); nulls must then be 0.
func finish(dt arrow.DataType, n int, valid *memory.Buffer, nulls int, bufs ...*memory.Buffer) arrow.Array {
	all := append([]*memory.Buffer{valid}, bufs...)
	if nulls == 0 && valid != nil {
		valid.Release()
		all[0] = nil
	}
	d := array.NewData(dt, n, all, nil, nulls, 0)
	for _, b := range all {
		if b != nil {
			b.Release()
		}
	}
	a := array.MakeFromData(d)
	d.Release()
	return a
}

// countNulls recounts the NULLs of a validity buffer built by a kernel.
func countNulls(valid *memory.Buffer, n int) int {
	if valid == nil {
		return 0
	}
	return n - bitutil.CountSetBits(valid.Bytes(), 0, n)
}

// unaryFixed applies f to every row of a; NULL stays NULL.
func unaryFixed[A, R fixed](ctx *Context, dt arrow.DataType, a arrow.Array, n int, f func(A) R) arrow.Array {
	in := values[A](a)
	valid, nulls := andValidity(ctx.Alloc, n, a)
	buf, out := allocFixed[R](ctx.Alloc, n)
	for i := range out {
		out[i] = f(in[i])
	}
	return finish(dt, n, valid, nulls, buf)
}

// unaryFixedErr is unaryFixed for functions that may fail; f reports
// failure with ok == false and errf builds the error for the first valid
// failing row.
func unaryFixedErr[A, R fixed](ctx *Context, dt arrow.DataType, a arrow.Array, n int, f func(A) (R, bool), errf func(A) error) (arrow.Array, error) {
	in := values[A](a)
	vb := validity(a)
	buf, out := allocFixed[R](ctx.Alloc, n)
	for i := range out {
		r, ok := f(in[i])
		if !ok && vb.valid(i) {
			buf.Release()
			return nil, errf(in[i])
		}
		out[i] = r
	}
	valid, nulls := andValidity(ctx.Alloc, n, a)
	return finish(dt, n, valid, nulls, buf), nil
}

// binaryFixed applies f row-wise to a and b; NULL in either is NULL.
func binaryFixed[A, B, R fixed](ctx *Context, dt arrow.DataType, a, b arrow.Array, n int, f func(A, B) R) arrow.Array {
	x, y := values[A](a), values[B](b)
	valid, nulls := andValidity(ctx.Alloc, n, a, b)
	buf, out := allocFixed[R](ctx.Alloc, n)
	y = y[:len(x)]
	out = out[:len(x)]
	for i := range x {
		out[i] = f(x[i], y[i])
	}
	return finish(dt, n, valid, nulls, buf)
}

// binaryFixedErr is binaryFixed for operations that may fail on valid rows.
func binaryFixedErr[A, B, R fixed](ctx *Context, dt arrow.DataType, a, b arrow.Array, n int, f func(A, B) (R, bool), errf func(A, B) error) (arrow.Array, error) {
	x, y := values[A](a), values[B](b)
	va, vb := validity(a), validity(b)
	buf, out := allocFixed[R](ctx.Alloc, n)
	y = y[:len(x)]
	out = out[:len(x)]
	for i := range x {
		r, ok := f(x[i], y[i])
		if !ok && va.valid(i) && vb.valid(i) {
			buf.Release()
			return nil, errf(x[i], y[i])
		}
		out[i] = r
	}
	valid, nulls := andValidity(ctx.Alloc, n, a, b)
	return finish(dt, n, valid, nulls, buf), nil
}

// boolWriter builds a boolean result bitmap.
type boolWriter struct {
	buf  *memory.Buffer
	bits []byte
}

func newBoolWriter(mem memory.Allocator, n int) boolWriter {
	b := memory.NewResizableBuffer(mem)
	b.Resize(int(bitutil.BytesForBits(int64(n))))
	clear(b.Bytes())
	return boolWriter{buf: b, bits: b.Bytes()}
}

func (w boolWriter) set(i int, v bool) {
	if v {
		w.bits[i>>3] |= 1 << (uint(i) & 7)
	}
}

// boolValues reads a boolean array's values as a bitmap with offset.
func boolValues(a arrow.Array) bitmap {
	d := a.Data()
	if len(d.Buffers()) < 2 || d.Buffers()[1] == nil || d.Buffers()[1].Len() == 0 {
		return bitmap{bits: allNullBits[:], offset: -1}
	}
	return bitmap{bits: d.Buffers()[1].Bytes(), offset: d.Offset()}
}

// binaryCmp evaluates a predicate row-wise into a boolean array.
func binaryCmp[A, B fixed](ctx *Context, a, b arrow.Array, n int, f func(A, B) bool) arrow.Array {
	x, y := values[A](a), values[B](b)
	valid, nulls := andValidity(ctx.Alloc, n, a, b)
	w := newBoolWriter(ctx.Alloc, n)
	y = y[:len(x)]
	for i := range x {
		w.set(i, f(x[i], y[i]))
	}
	return finish(arrow.FixedWidthTypes.Boolean, n, valid, nulls, w.buf)
}

// strs gives zero-copy access to a String array's values.
type strs struct {
	offs []int32
	data []byte
}

func stringsOf(a arrow.Array) strs {
	if s, ok := a.(*array.String); ok {
		offs := s.ValueOffsets()
		if len(offs) == 0 {
			offs = make([]int32, a.Len()+1)
		}
		return strs{offs: offs, data: s.ValueBytes()}
	}
	if s, ok := a.(*array.Binary); ok {
		offs := s.ValueOffsets()
		if len(offs) == 0 {
			offs = make([]int32, a.Len()+1)
		}
		return strs{offs: offs, data: s.ValueBytes()}
	}
	// A NULL-typed argument: every row is the empty string and NULL.
	return strs{offs: make([]int32, a.Len()+1)}
}

// at returns row i without copying; the string aliases the Arrow buffer
// and must not outlive the array.
func (s strs) at(i int) string {
	lo, hi := s.offs[i]-s.offs[0], s.offs[i+1]-s.offs[0]
	if lo == hi {
		return ""
	}
	b := s.data[lo:hi]
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// bytesAt returns row i as a byte slice aliasing the buffer.
func (s strs) bytesAt(i int) []byte {
	return s.data[s.offs[i]-s.offs[0] : s.offs[i+1]-s.offs[0]]
}

// stringOut builds a String result, preallocating from a size estimate.
func stringOut(mem memory.Allocator, n, dataHint int) *array.StringBuilder {
	b := array.NewStringBuilder(mem)
	b.Reserve(n)
	if dataHint > 0 {
		b.ReserveData(dataHint)
	}
	return b
}

// dataLen is the byte size of a String array's values, a capacity hint.
func dataLen(a arrow.Array) int {
	s := stringsOf(a)
	if len(s.offs) == 0 {
		return 0
	}
	return int(s.offs[len(s.offs)-1] - s.offs[0])
}

// unaryString maps each non-NULL string through f into a new String array.
func unaryString(ctx *Context, a arrow.Array, n int, f func(string) string) arrow.Array {
	s := stringsOf(a)
	vb := validity(a)
	b := stringOut(ctx.Alloc, n, dataLen(a))
	defer b.Release()
	for i := 0; i < n; i++ {
		if !vb.valid(i) {
			b.AppendNull()
			continue
		}
		b.Append(f(s.at(i)))
	}
	return b.NewArray()
}

// stringToFixed maps each non-NULL string through f to a fixed-width value.
func stringToFixed[R fixed](ctx *Context, dt arrow.DataType, a arrow.Array, n int, f func(string) R) arrow.Array {
	s := stringsOf(a)
	valid, nulls := andValidity(ctx.Alloc, n, a)
	buf, out := allocFixed[R](ctx.Alloc, n)
	for i := range out {
		out[i] = f(s.at(i))
	}
	return finish(dt, n, valid, nulls, buf)
}

// anyNull reports whether row i is NULL in any of the arrays.
func anyNull(args []arrow.Array, i int) bool {
	for _, a := range args {
		if a.NullN() > 0 && a.IsNull(i) {
			return true
		}
	}
	return false
}

// nullArray returns an all-NULL array of dt with n rows.
func nullArray(mem memory.Allocator, dt arrow.DataType, n int) arrow.Array {
	return array.MakeArrayOfNull(mem, dt, n)
}
