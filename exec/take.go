package exec

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Take gathers rows of src at idx; a negative index yields NULL. It is
// typed by physical layout (so decimal64, dates and timestamps share the
// 8-byte loop) and avoids arrow's compute kernels, which lack Decimal64.
func Take(mem memory.Allocator, src arrow.Array, idx []int32) arrow.Array {
	n := len(idx)
	needValidity := src.NullN() > 0
	if !needValidity {
		for _, x := range idx {
			if x < 0 {
				needValidity = true
				break
			}
		}
	}
	var validity *memory.Buffer
	nulls := 0
	if needValidity {
		validity = memory.NewResizableBuffer(mem)
		validity.Resize(int(bitutil.BytesForBits(int64(n))))
		vb := validity.Bytes()
		for i := range vb {
			vb[i] = 0
		}
		for i, x := range idx {
			if x >= 0 && src.IsValid(int(x)) {
				bitutil.SetBit(vb, i)
			} else {
				nulls++
			}
		}
	}
	dt := src.DataType()
	switch s := src.(type) {
	case *array.Boolean:
		buf := memory.NewResizableBuffer(mem)
		buf.Resize(int(bitutil.BytesForBits(int64(n))))
		b := buf.Bytes()
		for i := range b {
			b[i] = 0
		}
		for i, x := range idx {
			if x >= 0 && s.Value(int(x)) {
				bitutil.SetBit(b, i)
			}
		}
		return makeArray(dt, n, nulls, validity, buf)
	case *array.String:
		return takeBinary(mem, dt, n, nulls, validity, idx, s.ValueOffsets(), valueBuffer(s.Data()))
	case *array.Binary:
		return takeBinary(mem, dt, n, nulls, validity, idx, s.ValueOffsets(), valueBuffer(s.Data()))
	case *array.Null:
		if validity != nil {
			validity.Release()
		}
		return array.NewNull(n)
	}
	if fw, ok := dt.(arrow.FixedWidthDataType); ok && fw.BitWidth()%8 == 0 && dt.ID() != arrow.BOOL {
		width := fw.BitWidth() / 8
		data := src.Data()
		var raw []byte
		if bufs := data.Buffers(); len(bufs) > 1 && bufs[1] != nil {
			raw = bufs[1].Bytes()[data.Offset()*width:]
		}
		buf := memory.NewResizableBuffer(mem)
		buf.Resize(n * width)
		out := buf.Bytes()
		switch width {
		case 8:
			takeFixed[uint64](out, raw, idx)
		case 4:
			takeFixed[uint32](out, raw, idx)
		case 2:
			takeFixed[uint16](out, raw, idx)
		case 1:
			takeFixed[uint8](out, raw, idx)
		case 16:
			takeFixed[[2]uint64](out, raw, idx)
		default:
			for i, x := range idx {
				if x >= 0 {
					copy(out[i*width:(i+1)*width], raw[int(x)*width:])
				}
			}
		}
		return makeArray(dt, n, nulls, validity, buf)
	}
	if validity != nil {
		validity.Release()
	}
	// Nested types: rare on hot paths; go through a builder.
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	b.Reserve(n)
	for _, x := range idx {
		if x < 0 {
			b.AppendNull()
			continue
		}
		if err := AppendValue(b, src, int(x)); err != nil {
			panic("BUG: " + err.Error())
		}
	}
	return b.NewArray()
}

func takeFixed[T any](out, raw []byte, idx []int32) {
	if len(idx) == 0 {
		return
	}
	var zero T
	w := int(unsafe.Sizeof(zero))
	dst := unsafe.Slice((*T)(unsafe.Pointer(&out[0])), len(idx))
	if len(raw) < w {
		return
	}
	src := unsafe.Slice((*T)(unsafe.Pointer(&raw[0])), len(raw)/w)
	for i, x := range idx {
		if x >= 0 {
			dst[i] = src[x]
		}
	}
}

// valueBuffer is the whole value buffer of a string or binary array: the
// offsets of a sliced array index it, not ValueBytes(), which starts at
// the slice's first value.
func valueBuffer(d arrow.ArrayData) []byte {
	if b := d.Buffers()[2]; b != nil {
		return b.Bytes()
	}
	return nil
}

func takeBinary(mem memory.Allocator, dt arrow.DataType, n, nulls int, validity *memory.Buffer, idx []int32, offs []int32, data []byte) arrow.Array {
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((n + 1) * 4)
	no := unsafe.Slice((*int32)(unsafe.Pointer(&offBuf.Bytes()[0])), n+1)
	total := 0
	for i, x := range idx {
		no[i] = int32(total)
		if x >= 0 {
			total += int(offs[x+1] - offs[x])
		}
	}
	no[n] = int32(total)
	dataBuf := memory.NewResizableBuffer(mem)
	dataBuf.Resize(total)
	d := dataBuf.Bytes()
	for i, x := range idx {
		if x >= 0 {
			copy(d[no[i]:no[i+1]], data[offs[x]:offs[x+1]])
		}
	}
	ad := array.NewData(dt, n, []*memory.Buffer{validity, offBuf, dataBuf}, nil, nulls, 0)
	defer ad.Release()
	offBuf.Release()
	dataBuf.Release()
	if validity != nil {
		validity.Release()
	}
	return array.MakeFromData(ad)
}

func makeArray(dt arrow.DataType, n, nulls int, validity, values *memory.Buffer) arrow.Array {
	ad := array.NewData(dt, n, []*memory.Buffer{validity, values}, nil, nulls, 0)
	defer ad.Release()
	values.Release()
	if validity != nil {
		validity.Release()
	}
	return array.MakeFromData(ad)
}

// TakeRecord gathers rows of every column.
func TakeRecord(mem memory.Allocator, b arrow.Record, idx []int32) arrow.Record {
	arrs := make([]arrow.Array, b.NumCols())
	for i := range arrs {
		arrs[i] = Take(mem, b.Column(i), idx)
	}
	defer releaseAll(arrs)
	return array.NewRecord(b.Schema(), arrs, int64(len(idx)))
}

// maskIndices returns the rows where a boolean array is true.
func maskIndices(mask *array.Boolean) []int32 {
	n := mask.Len()
	out := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if mask.IsValid(i) && mask.Value(i) {
			out = append(out, int32(i))
		}
	}
	return out
}
