package json

// keyIndex finds the column or field a normalised key fills. Objects in
// one file nearly always list their keys in the same order, so it learns
// the first object's order and checks the key at the same position with
// one string comparison before falling back to the map.
type keyIndex struct {
	m     map[string]int
	order []keyHint
}

type keyHint struct {
	key string
	idx int // -1: no column
}

// maxHints bounds what an object with very many keys can make us keep.
const maxHints = 256

func newKeyIndex() keyIndex { return keyIndex{m: map[string]int{}} }

// lookup returns the index for key, the pos'th member of its object.
func (k *keyIndex) lookup(pos int, key []byte) (int, bool) {
	if pos < len(k.order) {
		if h := &k.order[pos]; h.key == string(key) {
			return h.idx, h.idx >= 0
		}
	}
	i, ok := k.m[string(key)]
	if pos == len(k.order) && pos < maxHints {
		h := keyHint{key: string(key), idx: -1}
		if ok {
			h.idx = i
		}
		k.order = append(k.order, h)
	}
	return i, ok
}
