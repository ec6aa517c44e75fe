package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/internal/stable"
)

// groupDictMaxCombos bounds the key combinations assignByDict numbers
// (the product of the key columns' distinct counts in a batch).
const groupDictMaxCombos = 1 << 16

// assignByDict assigns the rows of a batch to groups through the key
// columns' numbering (dictCache) when every key column is stable (the
// decoded-column cache's memory tier, or a result kept from it: its
// numbering is computed once and reused by every query) and has few
// distinct values: rows are numbered by their combination of key numbers,
// only one row per combination goes through the hash table, and the
// others take its group. Rows with the same combination have equal keys
// (equal bytes), so the groups are those of the row-by-row path. It
// reports false, having done nothing, when it does not apply.
func (t *groupTable) assignByDict(keyCols []arrow.Array, n int, groups []uint32) bool {
	if t.layout != layoutBytes || n < 4*memoMinRows {
		return false
	}
	for _, col := range keyCols {
		if !stable.Is(col) {
			return false
		}
	}
	limit := max(n/4, memoMinRows)
	ids := make([][]int32, len(keyCols))
	sizes := make([]int, len(keyCols))
	combos := 1
	for c, col := range keyCols {
		id, distinct, ok := dicts.encode(col, limit)
		if !ok {
			return false
		}
		sizes[c] = distinct.Len()
		distinct.Release()
		if combos *= sizes[c]; combos > groupDictMaxCombos {
			return false
		}
		ids[c] = id
	}
	if cap(t.dictRep) < combos {
		t.dictRep = make([]int32, combos)
	}
	rep := t.dictRep[:combos]
	for i := range rep {
		rep[i] = -1
	}
	if cap(t.dictCombo) < n {
		t.dictCombo = make([]int32, n)
	}
	combo := t.dictCombo[:n]
	reps := t.dictReps[:0]
	for i := 0; i < n; i++ {
		k := 0
		for c, id := range ids {
			k = k*sizes[c] + int(id[i])
		}
		combo[i] = int32(k)
		if rep[k] < 0 {
			rep[k] = int32(len(reps))
			reps = append(reps, int32(i))
		}
	}
	t.dictReps = reps
	// The representative rows through the hash table.
	sub := make([]arrow.Array, len(keyCols))
	for c, col := range keyCols {
		sub[c] = Take(t.ctx.Alloc, col, reps)
	}
	defer releaseAll(sub)
	if err := t.keys.load(sub, len(reps)); err != nil {
		return false // the row-by-row path reports it
	}
	if cap(t.dictGroups) < len(reps) {
		t.dictGroups = make([]uint32, len(reps))
	}
	repGroups := t.dictGroups[:len(reps)]
	t.assign(len(reps), repGroups)
	t.addKeys(sub, t.newRows)
	for i, k := range combo {
		groups[i] = repGroups[rep[k]]
	}
	return true
}
