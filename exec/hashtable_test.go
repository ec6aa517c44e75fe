package exec

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestTables checks the three tables against Go maps over random keys,
// through many grows, with NULL masks and colliding hashes.
func TestTables(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, keyRange := range []int64{10, 1000, 1 << 40} {
		var t1 table1
		var t2 table2
		var tb tableB
		t1.init(0)
		t2.init(0)
		tb.init(0)
		m1 := map[[2]uint64]uint32{}
		m2 := map[[3]uint64]uint32{}
		mb := map[string]uint32{}
		for i := 0; i < 20000; i++ {
			k0, k1 := uint64(rng.Int63n(keyRange)), uint64(rng.Int63n(3))
			nm := uint32(0)
			if rng.Intn(50) == 0 {
				k0, nm = 0, 1
			}
			v := uint32(i)
			// table1
			slot, found := t1.insert(k0, nm, hash1(k0, nm))
			want, ok := m1[[2]uint64{k0, uint64(nm)}]
			if found != ok || (found && t1.get(slot) != want) {
				t.Fatalf("table1 insert %d/%d: found %v, want %v", k0, nm, found, ok)
			}
			if !found {
				t1.set(slot, v)
				m1[[2]uint64{k0, uint64(nm)}] = v
			}
			// table2
			slot, found = t2.insert(k0, k1, nm, hash2(k0, k1, nm))
			want, ok = m2[[3]uint64{k0, k1, uint64(nm)}]
			if found != ok || (found && t2.get(slot) != want) {
				t.Fatalf("table2 insert: found %v, want %v", found, ok)
			}
			if !found {
				t2.set(slot, v)
				m2[[3]uint64{k0, k1, uint64(nm)}] = v
			}
			// tableB, with empty keys and keys that are prefixes of others.
			key := []byte(fmt.Sprint(k0))[:rng.Intn(3)]
			key = append(key, []byte(fmt.Sprint(k0))...)
			slot, found = tb.insert(key, hashBytes(key))
			want, ok = mb[string(key)]
			if found != ok || (found && tb.get(slot) != want) {
				t.Fatalf("tableB insert %q: found %v, want %v", key, found, ok)
			}
			if !found {
				tb.set(slot, v)
				mb[string(key)] = v
			}
		}
		if t1.len() != len(m1) || t2.len() != len(m2) || tb.len() != len(mb) {
			t.Fatalf("sizes %d %d %d, want %d %d %d", t1.len(), t2.len(), tb.len(), len(m1), len(m2), len(mb))
		}
		for k, v := range m1 {
			if got, ok := t1.find(k[0], uint32(k[1]), hash1(k[0], uint32(k[1]))); !ok || got != v {
				t.Fatalf("table1 find %v = %d %v, want %d", k, got, ok, v)
			}
		}
		for k, v := range m2 {
			if got, ok := t2.find(k[0], k[1], uint32(k[2]), hash2(k[0], k[1], uint32(k[2]))); !ok || got != v {
				t.Fatalf("table2 find %v = %d %v, want %d", k, got, ok, v)
			}
		}
		for k, v := range mb {
			if got, ok := tb.find([]byte(k), hashBytes([]byte(k))); !ok || got != v {
				t.Fatalf("tableB find %q = %d %v, want %d", k, got, ok, v)
			}
		}
		for e := 0; e < tb.len(); e++ {
			if _, ok := mb[string(tb.entry(e))]; !ok {
				t.Fatalf("tableB entry %d = %q not inserted", e, tb.entry(e))
			}
		}
		// Absent keys.
		for i := 0; i < 1000; i++ {
			k := uint64(keyRange) + uint64(rng.Int63n(1000))
			if _, ok := t1.find(k, 0, hash1(k, 0)); ok {
				t.Fatalf("table1 found absent %d", k)
			}
			if _, ok := t2.find(k, 0, 0, hash2(k, 0, 0)); ok {
				t.Fatalf("table2 found absent %d", k)
			}
			key := []byte(fmt.Sprintf("x%d", k))
			if _, ok := tb.find(key, hashBytes(key)); ok {
				t.Fatalf("tableB found absent %q", key)
			}
		}
	}
}

// BenchmarkTable1Probe compares table1 with Go's map on 1M int64 keys,
// probed at random (half hit).
func BenchmarkTable1Probe(b *testing.B) {
	const n = 1 << 20
	rng := rand.New(rand.NewSource(1))
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = uint64(rng.Int63())
	}
	probe := make([]uint64, 1<<16)
	hs := make([]uint64, len(probe))
	for i := range probe {
		if i%2 == 0 {
			probe[i] = keys[rng.Intn(n)]
		} else {
			probe[i] = uint64(rng.Int63())
		}
		hs[i] = hash1(probe[i], 0)
	}
	var t1 table1
	t1.init(n)
	m := make(map[int64]int32, n)
	for i, k := range keys {
		s, _ := t1.insert(k, 0, hash1(k, 0))
		t1.set(s, uint32(i))
		m[int64(k)] = int32(i)
	}
	b.Run("table1", func(b *testing.B) {
		hits := 0
		for b.Loop() {
			for i, k := range probe {
				if _, ok := t1.find(k, 0, hs[i]); ok {
					hits++
				}
			}
		}
	})
	b.Run("gomap", func(b *testing.B) {
		hits := 0
		for b.Loop() {
			for _, k := range probe {
				if _, ok := m[int64(k)]; ok {
					hits++
				}
			}
		}
	})
}
