package exec

import (
	"math"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Choose builds out[i] = branches[choice[i]][i]. Branches may be nil or
// NullArrays (every row NULL). CASE evaluates every WHEN and THEN over the
// whole batch and then chooses, so this is on the hot path of the seed's
// pivots: fixed-width and string columns are gathered straight into their
// buffers, and a batch whose rows all take one branch returns that branch.
func Choose(ctx *Context, t types.Type, branches []arrow.Array, choice []int32) (arrow.Array, error) {
	if out, ok := chooseFast(ctx, t, branches, choice); ok {
		return out, nil
	}
	return chooseRows(ctx, t, branches, choice, func(i int) int { return i })
}

// chooseRows is the general case: out[i] = branches[choice[i]][rowOf(i)],
// value by value through a builder.
func chooseRows(ctx *Context, t types.Type, branches []arrow.Array, choice []int32, rowOf func(i int) int) (arrow.Array, error) {
	n := len(choice)
	bld := array.NewBuilder(ctx.Alloc, t.Arrow())
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		src := branches[choice[i]]
		r := rowOf(i)
		if src == nil || src.DataType().ID() == arrow.NULL || src.IsNull(r) {
			bld.AppendNull()
			continue
		}
		if err := AppendValue(bld, src, r); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

// chooseFast handles the layouts it knows; ok is false for the others
// (and for branches whose physical type is not the result's, which the
// general path converts or rejects).
func chooseFast(ctx *Context, t types.Type, branches []arrow.Array, choice []int32) (arrow.Array, bool) {
	n := len(choice)
	dt := t.Arrow()
	for _, b := range branches {
		if b == nil || b.DataType().ID() == arrow.NULL {
			continue
		}
		if b.Len() < n || !arrow.TypeEqual(b.DataType(), dt) {
			return nil, false
		}
	}
	if n > 0 {
		k := choice[0]
		same := true
		for _, c := range choice[1:] {
			if c != k {
				same = false
				break
			}
		}
		if b := branches[k]; same && b != nil && b.DataType().ID() != arrow.NULL {
			if b.Len() == n {
				b.Retain()
				return b, true
			}
			return array.NewSlice(b, 0, int64(n)), true
		}
	}
	switch dt.ID() {
	case arrow.STRING, arrow.BINARY:
		return chooseBinary(ctx.Alloc, dt, branches, choice)
	}
	fw, ok := dt.(arrow.FixedWidthDataType)
	if !ok || dt.ID() == arrow.BOOL {
		return nil, false
	}
	switch fw.BitWidth() {
	case 8:
		return chooseFixed[uint8](ctx.Alloc, dt, branches, choice), true
	case 16:
		return chooseFixed[uint16](ctx.Alloc, dt, branches, choice), true
	case 32:
		return chooseFixed[uint32](ctx.Alloc, dt, branches, choice), true
	case 64:
		return chooseFixed[uint64](ctx.Alloc, dt, branches, choice), true
	}
	return nil, false
}

// chooseValidity writes the output's validity bitmap and returns it with
// the null count; nil when no row is NULL.
func chooseValidity(mem memory.Allocator, branches []arrow.Array, choice []int32) (*memory.Buffer, int) {
	n := len(choice)
	allValid := true
	for _, b := range branches {
		if b == nil || b.DataType().ID() == arrow.NULL || b.NullN() > 0 {
			allValid = false
		}
	}
	if allValid {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := buf.Bytes()
	clear(bits)
	nulls := 0
	for i, c := range choice {
		b := branches[c]
		if b == nil || b.DataType().ID() == arrow.NULL || b.IsNull(i) {
			nulls++
			continue
		}
		bitutil.SetBit(bits, i)
	}
	if nulls == 0 {
		buf.Release()
		return nil, 0
	}
	return buf, nulls
}

// chooseFixed gathers values of a fixed-width type of T's size (the bits
// are copied, whatever they mean: ints, floats, dates, decimals of 64
// bits, timestamps).
func chooseFixed[T uint8 | uint16 | uint32 | uint64](mem memory.Allocator, dt arrow.DataType, branches []arrow.Array, choice []int32) arrow.Array {
	n := len(choice)
	vals := make([][]T, len(branches))
	for k, b := range branches {
		if b != nil && b.DataType().ID() != arrow.NULL {
			vals[k] = arrow.GetValues[T](b.Data(), 1)
		}
	}
	validity, nulls := chooseValidity(mem, branches, choice)
	buf := memory.NewResizableBuffer(mem)
	var zero T
	buf.Resize(n * int(unsafe.Sizeof(zero)))
	out := arrow.GetData[T](buf.Bytes())[:n]
	for i, c := range choice {
		if v := vals[c]; v != nil {
			out[i] = v[i]
		} else {
			out[i] = 0
		}
	}
	data := array.NewData(dt, n, []*memory.Buffer{validity, buf}, nil, nulls, 0)
	defer data.Release()
	if validity != nil {
		validity.Release()
	}
	buf.Release()
	return array.MakeFromData(data)
}

// chooseBinary gathers string or binary values into fresh offsets and data
// buffers; ok is false if the result would not fit 32-bit offsets.
func chooseBinary(mem memory.Allocator, dt arrow.DataType, branches []arrow.Array, choice []int32) (arrow.Array, bool) {
	n := len(choice)
	type src struct {
		offs []int32
		data []byte
	}
	srcs := make([]src, len(branches))
	for k, b := range branches {
		if b == nil || b.DataType().ID() == arrow.NULL {
			continue
		}
		d := b.Data()
		offs := arrow.GetOffsets[int32](d, 1)
		var data []byte
		if buf := d.Buffers()[2]; buf != nil {
			data = buf.Bytes()
		}
		srcs[k] = src{offs, data}
	}
	total := 0
	for i, c := range choice {
		if s := srcs[c]; s.offs != nil {
			total += int(s.offs[i+1] - s.offs[i])
		}
	}
	if total > math.MaxInt32 {
		return nil, false
	}
	validity, nulls := chooseValidity(mem, branches, choice)
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((n + 1) * 4)
	offs := arrow.GetData[int32](offBuf.Bytes())[:n+1]
	dataBuf := memory.NewResizableBuffer(mem)
	dataBuf.Resize(total)
	data := dataBuf.Bytes()[:total]
	pos := int32(0)
	offs[0] = 0
	for i, c := range choice {
		if s := srcs[c]; s.offs != nil {
			pos += int32(copy(data[pos:], s.data[s.offs[i]:s.offs[i+1]]))
		}
		offs[i+1] = pos
	}
	d := array.NewData(dt, n, []*memory.Buffer{validity, offBuf, dataBuf}, nil, nulls, 0)
	defer d.Release()
	if validity != nil {
		validity.Release()
	}
	offBuf.Release()
	dataBuf.Release()
	return array.MakeFromData(d), true
}
