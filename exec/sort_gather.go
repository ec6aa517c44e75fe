package exec

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// gatherRows is Take over several sources: row i of the result is row
// row[i] of srcs[src[i]] (all of type dt). A sort emits its output this
// way straight from the batches it buffered, or from the heads of the
// runs it merges, without first concatenating them.
func gatherRows(mem memory.Allocator, dt arrow.DataType, srcs []arrow.Array, src, row []int32) arrow.Array {
	if len(srcs) == 1 {
		return Take(mem, srcs[0], row)
	}
	n := len(row)
	var validity *memory.Buffer
	nulls := 0
	for _, s := range srcs {
		if s.NullN() == 0 {
			continue
		}
		validity = memory.NewResizableBuffer(mem)
		validity.Resize(int(bitutil.BytesForBits(int64(n))))
		vb := validity.Bytes()
		clear(vb)
		for i, r := range row {
			if srcs[src[i]].IsValid(int(r)) {
				bitutil.SetBit(vb, i)
			} else {
				nulls++
			}
		}
		break
	}
	switch dt.ID() {
	case arrow.BOOL:
		buf := memory.NewResizableBuffer(mem)
		buf.Resize(int(bitutil.BytesForBits(int64(n))))
		b := buf.Bytes()
		clear(b)
		bs := make([]*array.Boolean, len(srcs))
		for k, s := range srcs {
			bs[k] = s.(*array.Boolean)
		}
		for i, r := range row {
			if bs[src[i]].Value(int(r)) {
				bitutil.SetBit(b, i)
			}
		}
		return makeArray(dt, n, nulls, validity, buf)
	case arrow.STRING, arrow.BINARY:
		offs := make([][]int32, len(srcs))
		data := make([][]byte, len(srcs))
		for k, s := range srcs {
			switch x := s.(type) {
			case *array.String:
				offs[k], data[k] = x.ValueOffsets(), valueBuffer(x.Data())
			case *array.Binary:
				offs[k], data[k] = x.ValueOffsets(), valueBuffer(x.Data())
			}
		}
		return gatherBinary(mem, dt, n, nulls, validity, offs, data, src, row)
	case arrow.NULL:
		if validity != nil {
			validity.Release()
		}
		return array.NewNull(n)
	}
	if fw, ok := dt.(arrow.FixedWidthDataType); ok && fw.BitWidth()%8 == 0 {
		width := fw.BitWidth() / 8
		raws := make([][]byte, len(srcs))
		for k, s := range srcs {
			d := s.Data()
			if bufs := d.Buffers(); len(bufs) > 1 && bufs[1] != nil {
				raws[k] = bufs[1].Bytes()[d.Offset()*width:]
			}
		}
		buf := memory.NewResizableBuffer(mem)
		buf.Resize(n * width)
		out := buf.Bytes()
		switch width {
		case 8:
			gatherFixed[uint64](out, raws, src, row)
		case 4:
			gatherFixed[uint32](out, raws, src, row)
		case 2:
			gatherFixed[uint16](out, raws, src, row)
		case 1:
			gatherFixed[uint8](out, raws, src, row)
		case 16:
			gatherFixed[[2]uint64](out, raws, src, row)
		default:
			for i, r := range row {
				copy(out[i*width:(i+1)*width], raws[src[i]][int(r)*width:])
			}
		}
		return makeArray(dt, n, nulls, validity, buf)
	}
	if validity != nil {
		validity.Release()
	}
	// Nested types: rare as sort payloads; go through a builder.
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	b.Reserve(n)
	for i, r := range row {
		if err := AppendValue(b, srcs[src[i]], int(r)); err != nil {
			panic("BUG: " + err.Error())
		}
	}
	return b.NewArray()
}

func gatherFixed[T any](out []byte, raws [][]byte, src, row []int32) {
	if len(row) == 0 {
		return
	}
	var zero T
	w := int(unsafe.Sizeof(zero))
	dst := unsafe.Slice((*T)(unsafe.Pointer(&out[0])), len(row))
	vals := make([][]T, len(raws))
	for k, raw := range raws {
		if len(raw) >= w {
			vals[k] = unsafe.Slice((*T)(unsafe.Pointer(&raw[0])), len(raw)/w)
		}
	}
	for i, r := range row {
		dst[i] = vals[src[i]][r]
	}
}

func gatherBinary(mem memory.Allocator, dt arrow.DataType, n, nulls int, validity *memory.Buffer, offs [][]int32, data [][]byte, src, row []int32) arrow.Array {
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((n + 1) * 4)
	no := unsafe.Slice((*int32)(unsafe.Pointer(&offBuf.Bytes()[0])), n+1)
	total := 0
	for i, r := range row {
		no[i] = int32(total)
		o := offs[src[i]]
		total += int(o[r+1] - o[r])
	}
	no[n] = int32(total)
	dataBuf := memory.NewResizableBuffer(mem)
	dataBuf.Resize(total)
	d := dataBuf.Bytes()
	for i, r := range row {
		o := offs[src[i]]
		copy(d[no[i]:no[i+1]], data[src[i]][o[r]:o[r+1]])
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

// gatherRecord gathers the first ncols columns of srcs (batches of one
// schema) into a batch of schema.
func gatherRecord(mem memory.Allocator, schema *arrow.Schema, srcs []arrow.Record, src, row []int32) arrow.Record {
	ncols := schema.NumFields()
	arrs := make([]arrow.Array, ncols)
	defer releaseAll(arrs)
	cols := make([]arrow.Array, len(srcs))
	for c := 0; c < ncols; c++ {
		for k, s := range srcs {
			cols[k] = s.Column(c)
		}
		arrs[c] = gatherRows(mem, schema.Field(c).Type, cols, src, row)
	}
	return array.NewRecord(schema, arrs, int64(len(row)))
}

// recordBytes estimates the memory a batch's rows occupy. Unlike summing
// buffer lengths it charges a slice only for its own rows, so the slices
// an operator hands out of one large result are not counted many times.
func recordBytes(b arrow.Record) int64 {
	var n int64
	for _, c := range b.Columns() {
		n += sliceBytes(c)
	}
	return n
}

func sliceBytes(a arrow.Array) int64 {
	n := int64(a.Len())
	v := int64(0)
	if a.NullN() > 0 {
		v = (n + 7) / 8
	}
	switch x := a.(type) {
	case *array.String:
		if o := x.ValueOffsets(); len(o) > 0 {
			return v + 4*(n+1) + int64(o[len(o)-1]-o[0])
		}
		return v
	case *array.Binary:
		if o := x.ValueOffsets(); len(o) > 0 {
			return v + 4*(n+1) + int64(o[len(o)-1]-o[0])
		}
		return v
	case *array.Boolean:
		return v + (n+7)/8
	}
	if fw, ok := a.DataType().(arrow.FixedWidthDataType); ok && fw.BitWidth()%8 == 0 {
		return v + n*int64(fw.BitWidth()/8)
	}
	return arraySize(a)
}
