package parquet

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// valueBuf accumulates the dense (non-null) values of one leaf column in
// their Arrow storage form. Fixed-width values are packed `width` bytes
// apart; binary values keep Arrow's int32 offsets. The buffers come from
// the request's allocator and are handed to Arrow arrays without copying.
type valueBuf struct {
	mem   memory.Allocator
	width int // bytes per value; 0 for binary
	data  *memory.Buffer
	offs  *memory.Buffer // binary only: n+1 int32 offsets
	n     int
	nb    int // binary bytes used
}

func newValueBuf(mem memory.Allocator, width int) *valueBuf {
	return &valueBuf{mem: mem, width: width}
}

func castSlice[T any](b []byte) []T {
	if len(b) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/int(unsafe.Sizeof(z)))
}

func growBuffer(b *memory.Buffer, need int) {
	if need > b.Cap() {
		b.Reserve(max(need, 2*b.Cap(), 256))
	}
	b.ResizeNoShrink(need)
}

// reserve prepares room for k more values so that appends of a typical
// batch do not reallocate.
func (b *valueBuf) reserve(k int) {
	if b.data == nil {
		b.data = memory.NewResizableBuffer(b.mem)
	}
	if b.width > 0 {
		b.data.Reserve((b.n + k) * b.width)
		return
	}
	if b.offs == nil {
		b.offs = memory.NewResizableBuffer(b.mem)
		growBuffer(b.offs, 4)
		castSlice[int32](b.offs.Bytes())[0] = 0
	}
	b.offs.Reserve((b.n + k + 1) * 4)
}

// fixed returns the bytes of k more fixed-width values for the caller to fill.
func (b *valueBuf) fixed(k int) []byte {
	if b.data == nil {
		b.reserve(k)
	}
	start := b.n * b.width
	growBuffer(b.data, start+k*b.width)
	b.n += k
	return b.data.Bytes()[start:]
}

// binOffsets returns the offsets of k more binary values, to be filled
// with end positions; binData must have grown the data first.
func (b *valueBuf) binOffsets(k int) []int32 {
	if b.offs == nil {
		b.reserve(k)
	}
	growBuffer(b.offs, (b.n+1+k)*4)
	o := castSlice[int32](b.offs.Bytes())[b.n+1:]
	b.n += k
	return o
}

// binData grows the binary data by k bytes and returns the new region.
func (b *valueBuf) binData(k int) ([]byte, error) {
	if b.nb+k > math.MaxInt32 {
		return nil, fmt.Errorf("batch holds more than 2 GiB of binary data")
	}
	if b.data == nil {
		b.reserve(0)
	}
	start := b.nb
	growBuffer(b.data, start+k)
	b.nb += k
	return b.data.Bytes()[start : start+k], nil
}

func (b *valueBuf) int32s() []int32 { return castSlice[int32](b.offs.Bytes()) }

// take hands the buffers over to the caller and leaves b empty.
func (b *valueBuf) take() (data, offs *memory.Buffer, n int) {
	if b.data == nil {
		b.reserve(0)
	}
	if b.width == 0 && b.offs == nil {
		b.reserve(0)
	}
	data, offs, n = b.data, b.offs, b.n
	b.data, b.offs, b.n, b.nb = nil, nil, 0, 0
	return data, offs, n
}

func (b *valueBuf) release() {
	if b.data != nil {
		b.data.Release()
	}
	if b.offs != nil {
		b.offs.Release()
	}
	b.data, b.offs, b.n, b.nb = nil, nil, 0, 0
}
