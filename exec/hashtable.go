package exec

import (
	"bytes"
	"hash/maphash"
	"math/bits"
)

// Open-addressing hash tables for joins, GROUP BY and DISTINCT. Keys are
// compared by value, never converted to Go strings: a key of one or two
// fixed-width columns is held as 64-bit words in the slot itself, any
// other key as bytes (keyEncoder's encoding) in an arena. Tables use linear
// probing over a power-of-two number of slots kept at most half full, and
// map a key to a uint32 value that the caller chooses (a group id, the
// head of a chain of build rows).
//
// A slot's v holds value+1, so the zero slot is empty. nm is the key's
// NULL mask (bit c set when column c is NULL, its word then 0): it fits in
// the slot's padding, so NULLs need no separate path.

const minTableSlots = 16

// mix64 is the murmur3 finaliser: every input bit affects every output bit,
// so the low bits used to pick a slot are well spread even for dense
// integer keys.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// hash1 keeps the low bits of the key and mixes the rest: keys that differ
// only in their low 4 bits land in neighbouring slots, so clustered keys
// (lineitem's orderkey, ids in time order) probe memory almost
// sequentially, while blocks of 16 keys are spread over the table.
func hash1(k uint64, nm uint32) uint64 {
	return k ^ mix64(k>>4^uint64(nm)<<56)
}

func hash2(k0, k1 uint64, nm uint32) uint64 {
	return mix64(k0 ^ bits.RotateLeft64(mix64(k1), 31) ^ uint64(nm)<<56)
}

// slotsFor is the slot count for n keys at a load of at most one half.
func slotsFor(n int) int {
	s := minTableSlots
	for s < 2*n {
		s <<= 1
	}
	return s
}

// table1 maps one-word keys.
type table1 struct {
	slots []slot1
	mask  uint64
	n     int
}

type slot1 struct {
	k  uint64
	nm uint32
	v  uint32
}

func (t *table1) init(hint int) {
	t.slots = make([]slot1, slotsFor(hint))
	t.mask = uint64(len(t.slots) - 1)
	t.n = 0
}

func (t *table1) len() int { return t.n }

// find returns the value of key (k, nm) with hash h.
func (t *table1) find(k uint64, nm uint32, h uint64) (uint32, bool) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.v == 0 {
			return 0, false
		}
		if s.k == k && s.nm == nm {
			return s.v - 1, true
		}
	}
}

// insert finds key (k, nm) with hash h, adding it when absent; it returns
// the slot (whose value set and get read and write) and whether the key was
// already there. A new key's slot must be given a value before the next
// insert.
func (t *table1) insert(k uint64, nm uint32, h uint64) (int, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.v == 0 {
			s.k, s.nm = k, nm
			t.n++
			return int(i), false
		}
		if s.k == k && s.nm == nm {
			return int(i), true
		}
	}
}

func (t *table1) get(slot int) uint32    { return t.slots[slot].v - 1 }
func (t *table1) set(slot int, v uint32) { t.slots[slot].v = v + 1 }

func (t *table1) grow() {
	old := t.slots
	if old == nil {
		t.init(0)
		return
	}
	t.slots = make([]slot1, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.v == 0 {
			continue
		}
		i := hash1(s.k, s.nm) & t.mask
		for t.slots[i].v != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
	}
}

// table2 maps two-word keys.
type table2 struct {
	slots []slot2
	mask  uint64
	n     int
}

type slot2 struct {
	k0, k1 uint64
	nm     uint32
	v      uint32
}

func (t *table2) init(hint int) {
	t.slots = make([]slot2, slotsFor(hint))
	t.mask = uint64(len(t.slots) - 1)
	t.n = 0
}

func (t *table2) len() int { return t.n }

func (t *table2) find(k0, k1 uint64, nm uint32, h uint64) (uint32, bool) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.v == 0 {
			return 0, false
		}
		if s.k0 == k0 && s.k1 == k1 && s.nm == nm {
			return s.v - 1, true
		}
	}
}

func (t *table2) insert(k0, k1 uint64, nm uint32, h uint64) (int, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.v == 0 {
			s.k0, s.k1, s.nm = k0, k1, nm
			t.n++
			return int(i), false
		}
		if s.k0 == k0 && s.k1 == k1 && s.nm == nm {
			return int(i), true
		}
	}
}

func (t *table2) get(slot int) uint32    { return t.slots[slot].v - 1 }
func (t *table2) set(slot int, v uint32) { t.slots[slot].v = v + 1 }

func (t *table2) grow() {
	old := t.slots
	if old == nil {
		t.init(0)
		return
	}
	t.slots = make([]slot2, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.v == 0 {
			continue
		}
		i := hash2(s.k0, s.k1, s.nm) & t.mask
		for t.slots[i].v != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
	}
}

// hashSeed is shared by every byte-keyed table so that hashes computed for
// one can be reused for another (merging partial aggregates).
var hashSeed = maphash.MakeSeed()

func hashBytes(b []byte) uint64 { return maphash.Bytes(hashSeed, b) }

// tableB maps byte-string keys. Keys are copied into an arena, one entry
// per distinct key in insertion order; slots hold the full hash, so a probe
// compares bytes only when the hashes are equal, and growing never rehashes.
type tableB struct {
	slots []slotB
	mask  uint64
	arena []byte
	offs  []int // entry e's key is arena[offs[e]:offs[e+1]]
}

type slotB struct {
	h uint64
	e uint32 // entry+1; 0 marks an empty slot
	v uint32 // value+1
}

func (t *tableB) init(hint int) {
	t.slots = make([]slotB, slotsFor(hint))
	t.mask = uint64(len(t.slots) - 1)
	t.arena = t.arena[:0]
	t.offs = append(t.offs[:0], 0)
}

// len is the number of distinct keys (entries).
func (t *tableB) len() int { return len(t.offs) - 1 }

// entry returns the key bytes of entry e.
func (t *tableB) entry(e int) []byte { return t.arena[t.offs[e]:t.offs[e+1]] }

func (t *tableB) find(key []byte, h uint64) (uint32, bool) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.e == 0 {
			return 0, false
		}
		if s.h == h && bytes.Equal(t.entry(int(s.e-1)), key) {
			return s.v - 1, true
		}
	}
}

// insert finds key with hash h, adding it (as a new entry) when absent.
func (t *tableB) insert(key []byte, h uint64) (int, bool) {
	if t.slots == nil {
		t.init(0)
	}
	if 2*(t.len()+1) > len(t.slots) {
		t.grow()
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.e == 0 {
			t.arena = append(t.arena, key...)
			t.offs = append(t.offs, len(t.arena))
			s.h, s.e = h, uint32(t.len())
			return int(i), false
		}
		if s.h == h && bytes.Equal(t.entry(int(s.e-1)), key) {
			return int(i), true
		}
	}
}

func (t *tableB) get(slot int) uint32    { return t.slots[slot].v - 1 }
func (t *tableB) set(slot int, v uint32) { t.slots[slot].v = v + 1 }

func (t *tableB) grow() {
	old := t.slots
	t.slots = make([]slotB, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.e == 0 {
			continue
		}
		i := s.h & t.mask
		for t.slots[i].e != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
	}
}
