package function

// checksum: an order-independent checksum, the sum of the values' xxh3
// hashes (see aggHashes in approx.go), as 8 little-endian bytes.

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

func bindChecksum(args []types.Type) (AggBinding, error) {
	if len(args) != 1 {
		return AggBinding{}, UnexpectedParams("checksum", args, "checksum(T)")
	}
	return AggBinding{Args: []types.Type{args[0]}, Result: types.VarbinaryTyp, New: func(ctx *Context) GroupAccumulator {
		return &checksumAcc{ctx: ctx}
	}}, nil
}

// checksumNull is what a NULL contributes (xxHash's PRIME64_1).
const checksumNull = 0x9E3779B185EBCA87

// checksumAcc sums value hashes, so the result ignores row order.
type checksumAcc struct {
	ctx  *Context
	sums []uint64
	seen []bool
}

func (a *checksumAcc) Resize(n int) { a.sums, a.seen = aggGrow(a.sums, n), aggGrow(a.seen, n) }

func (a *checksumAcc) Update(args []arrow.Array, groups []uint32) error {
	hashes, err := aggHashes(args[0])
	if err != nil {
		return err
	}
	v := aggValidity(args[0])
	for i, g := range groups {
		h := hashes[i]
		if !v.valid(i) {
			h = checksumNull
		}
		a.sums[g] += h
		a.seen[g] = true
	}
	return nil
}

func (a *checksumAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*checksumAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		if o.seen[j] {
			a.sums[g] += o.sums[j]
			a.seen[g] = true
		}
	}
	return nil
}

func (a *checksumAcc) Result() (arrow.Array, error) {
	b := array.NewBinaryBuilder(a.ctx.Alloc, arrow.BinaryTypes.Binary)
	defer b.Release()
	var buf [8]byte
	for g, s := range a.sums {
		if !a.seen[g] {
			b.AppendNull()
			continue
		}
		binary.LittleEndian.PutUint64(buf[:], s)
		b.Append(buf[:])
	}
	return b.NewArray(), nil
}

func (a *checksumAcc) Size() int64 { return int64(cap(a.sums)) * 9 }
func (a *checksumAcc) Release()    { a.sums, a.seen = nil, nil }
