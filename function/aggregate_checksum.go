package function

// checksum: Trino's order-independent checksum. Each row contributes
// xxHash64(value) * PRIME64_1, where xxHash64 is Trino's XX_HASH_64 operator
// of the value's type (the hash of its 8-byte little-endian long for the
// fixed-width types, of its bytes for strings); a NULL row contributes
// PRIME64_1. The sum wraps at 64 bits and is returned as its 8 little-endian
// bytes, so checksums agree with Trino's for the same data.

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

func bindChecksum(args []types.Type) (AggBinding, error) {
	if len(args) != 1 {
		return AggBinding{}, UnexpectedParams("checksum", args, "checksum(T)")
	}
	t := args[0]
	return AggBinding{Args: []types.Type{t}, Result: types.VarbinaryTyp, New: func(ctx *Context) GroupAccumulator {
		return &checksumAcc{ctx: ctx, t: t}
	}}, nil
}

// checksumNull is what a NULL contributes, and the factor every value hash
// is multiplied by (xxHash's PRIME64_1).
const checksumNull = xxP1

// checksumAcc sums value hashes, so the result ignores row order.
type checksumAcc struct {
	ctx  *Context
	t    types.Type
	sums []uint64
	seen []bool
}

func (a *checksumAcc) Resize(n int) { a.sums, a.seen = aggGrow(a.sums, n), aggGrow(a.seen, n) }

func (a *checksumAcc) Update(args []arrow.Array, groups []uint32) error {
	hash := trinoXXHash64(a.t, args[0])
	v := aggValidity(args[0])
	for i, g := range groups {
		h := uint64(checksumNull)
		if v.valid(i) {
			h = hash(i) * xxP1
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

// trinoXXHash64 returns a function hashing row i of a (a value of type t)
// as Trino's XX_HASH_64 operator does. Rows must be valid; NULL elements
// inside containers hash to 0 (Trino's NULL_HASH_CODE). Containers combine
// element hashes like Trino's ArrayType (h = 31h + e) and MapType (sum of
// key ^ value); rows use the same 31-fold starting at 1 over field
// xxHash64s (Trino hashes row fields with their hashCode operators, which
// Quarry does not reproduce).
func trinoXXHash64(t types.Type, a arrow.Array) func(i int) uint64 {
	switch t.Kind {
	case types.Unknown:
		return func(int) uint64 { return 0 }
	case types.Boolean:
		b := boolValues(a)
		return func(i int) uint64 { return xxHash64Long(int64(b2i(b.valid(i)))) }
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt:
		r := intReader(a)
		return func(i int) uint64 { v, _ := r(i); return xxHash64Long(v) }
	case types.Date, types.IntervalYearMonth:
		v := values[int32](a)
		return func(i int) uint64 { return xxHash64Long(int64(v[i])) }
	case types.IntervalDayTime, types.Timestamp:
		v := values[int64](a)
		return func(i int) uint64 { return xxHash64Long(v[i]) }
	case types.Time:
		// Trino holds time as picoseconds of the day.
		v := values[int64](a)
		return func(i int) uint64 { return xxHash64Long(v[i] * 1_000_000) }
	case types.TimestampTZ:
		v := values[int64](a)
		if t.Precision <= 3 {
			return func(i int) uint64 { return xxHash64Long(floorDiv64(v[i], 1000)) }
		}
		return func(i int) uint64 {
			ms := floorDiv64(v[i], 1000)
			return xxHash64Long(ms) ^ xxHash64Long((v[i]-ms*1000)*1_000_000)
		}
	case types.Real:
		v := values[float32](a)
		return func(i int) uint64 {
			f := v[i]
			bits := math.Float32bits(f)
			switch {
			case f == 0:
				bits = 0
			case f != f:
				bits = 0x7fc00000
			}
			return xxHash64Long(int64(int32(bits)))
		}
	case types.Double:
		v := values[float64](a)
		return func(i int) uint64 {
			f := v[i]
			bits := math.Float64bits(f)
			switch {
			case f == 0:
				bits = 0
			case f != f:
				bits = 0x7ff8000000000000
			}
			return xxHash64Long(int64(bits))
		}
	case types.Decimal:
		if t.IsShortDecimal() {
			v := values[int64](a)
			return func(i int) uint64 { return xxHash64Long(v[i]) }
		}
		v := dec128s(a)
		return func(i int) uint64 { return xxHash64Long(int64(v[i].lo)) ^ xxHash64Long(int64(v[i].hi)) }
	case types.Varchar, types.Char, types.JSON, types.Varbinary:
		s := stringsOf(a)
		return func(i int) uint64 { return xxHash64(s.bytesAt(i)) }
	case types.Array:
		l, ok := a.(*array.List)
		if !ok {
			return func(int) uint64 { return 0 }
		}
		child := l.ListValues()
		elem := trinoXXHash64(*t.Elem, child)
		offs := l.Offsets()
		return func(i int) uint64 {
			var h uint64
			for j := int(offs[i]); j < int(offs[i+1]); j++ {
				var e uint64
				if !child.IsNull(j) {
					e = elem(j)
				}
				h = 31*h + e
			}
			return h
		}
	case types.Map:
		m, ok := a.(*array.Map)
		if !ok {
			return func(int) uint64 { return 0 }
		}
		keys, items := m.Keys(), m.Items()
		kh, vh := trinoXXHash64(*t.Key, keys), trinoXXHash64(*t.Elem, items)
		offs := m.Offsets()
		return func(i int) uint64 {
			var h uint64
			for j := int(offs[i]); j < int(offs[i+1]); j++ {
				var k, v uint64
				if !keys.IsNull(j) {
					k = kh(j)
				}
				if !items.IsNull(j) {
					v = vh(j)
				}
				h += k ^ v
			}
			return h
		}
	case types.Row:
		st, ok := a.(*array.Struct)
		if !ok {
			return func(int) uint64 { return 0 }
		}
		fields := make([]func(int) uint64, len(t.Fields))
		for k, f := range t.Fields {
			fields[k] = trinoXXHash64(f.Type, st.Field(k))
		}
		off := st.Data().Offset()
		return func(i int) uint64 {
			h := uint64(1)
			for k, f := range fields {
				var e uint64
				if !st.Field(k).IsNull(off + i) {
					e = f(off + i)
				}
				h = 31*h + e
			}
			return h
		}
	}
	return func(int) uint64 { return 0 }
}

// xxHash64 (seed 0), as airlift's XxHash64 that Trino uses.
const (
	xxP1 uint64 = 0x9E3779B185EBCA87
	xxP2 uint64 = 0xC2B2AE3D27D4EB4F
	xxP3 uint64 = 0x165667B19E3779F9
	xxP4 uint64 = 0x85EBCA77C2B2AE63
	xxP5 uint64 = 0x27D4EB2F165667C5
)

func xxRound(acc, input uint64) uint64 {
	acc += input * xxP2
	return bits.RotateLeft64(acc, 31) * xxP1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxP1 + xxP4
}

func xxAvalanche(h uint64) uint64 {
	h ^= h >> 33
	h *= xxP2
	h ^= h >> 29
	h *= xxP3
	h ^= h >> 32
	return h
}

// xxHash64 hashes a byte string.
func xxHash64(b []byte) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		p1 := xxP1 // a variable, so the seed arithmetic wraps
		v1, v2, v3, v4 := p1+xxP2, xxP2, uint64(0), -p1
		for ; len(b) >= 32; b = b[32:] {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = xxP5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxP1
		h = bits.RotateLeft64(h, 23)*xxP2 + xxP3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxP5
		h = bits.RotateLeft64(h, 11) * xxP1
	}
	return xxAvalanche(h)
}

// xxHash64Long is xxHash64 of v's 8 little-endian bytes (airlift's
// XxHash64.hash(long)).
func xxHash64Long(v int64) uint64 {
	h := xxP5 + 8
	h ^= xxRound(0, uint64(v))
	h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
	return xxAvalanche(h)
}
