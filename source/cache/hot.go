package cache

import (
	"container/list"
	"fmt"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

// hotTier keeps the column chunks of flat segments most recently read
// decoded in memory, as the Arrow arrays the reader produced, so that a
// query repeated in one process (a dashboard refreshing against `quarry
// serve`) skips reading and decoding its segments. It is an LRU bounded in
// bytes. A chunk is known by its segment file and its bytes' place and
// fill-time CRC, so a segment written anew is a new key; entries of
// invalidated objects are dropped with their segments.
//
// The arrays live in Go memory (the reader decodes cacheable chunks with
// the default allocator), not in any query's accounted allocator: they
// outlive queries. Queries get them retained; arrays are immutable.
type hotTier struct {
	mu    sync.Mutex
	max   int64
	used  int64
	lru   list.List // of *hotEntry, most recent first
	items map[hotKey]*list.Element
}

type hotKey struct {
	file     string // the group file
	off, len int64  // the chunk
	crc      uint32
	batch    int // rows per batch the arrays were cut into
}

type hotEntry struct {
	key      hotKey
	location string // the cached object, for Invalidate
	arrs     []arrow.Array
	bytes    int64
}

func newHotTier(max int64) *hotTier {
	if max <= 0 {
		return nil
	}
	return &hotTier{max: max, items: map[hotKey]*list.Element{}}
}

// get returns the chunk's batches, each retained for the caller, or nil.
func (h *hotTier) get(k hotKey) []arrow.Array {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	el := h.items[k]
	if el == nil {
		return nil
	}
	h.lru.MoveToFront(el)
	e := el.Value.(*hotEntry)
	out := make([]arrow.Array, len(e.arrs))
	for i, a := range e.arrs {
		a.Retain()
		out[i] = a
	}
	return out
}

// put keeps arrs (taking over the caller's references) under k.
func (h *hotTier) put(k hotKey, location string, arrs []arrow.Array) {
	if h == nil {
		releaseAll(arrs)
		return
	}
	var n int64
	for _, a := range arrs {
		n += arraySize(a.Data())
	}
	if n > h.max/4 {
		releaseAll(arrs) // one chunk must not flush the tier
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if el := h.items[k]; el != nil { // another query filled it meanwhile
		h.lru.MoveToFront(el)
		releaseAll(arrs)
		return
	}
	h.items[k] = h.lru.PushFront(&hotEntry{key: k, location: location, arrs: arrs, bytes: n})
	h.used += n
	for h.used > h.max {
		h.removeLocked(h.lru.Back())
	}
}

func (h *hotTier) removeLocked(el *list.Element) {
	e := h.lru.Remove(el).(*hotEntry)
	delete(h.items, e.key)
	h.used -= e.bytes
	releaseAll(e.arrs)
}

// invalidate drops the chunks of objects whose location starts with
// prefix (all for "").
func (h *hotTier) invalidate(prefix string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for el := h.lru.Front(); el != nil; {
		next := el.Next()
		if strings.HasPrefix(el.Value.(*hotEntry).location, prefix) {
			h.removeLocked(el)
		}
		el = next
	}
}

// dropFile drops the chunks of one group file (evicted or corrupt).
func (h *hotTier) dropFile(file string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for el := h.lru.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*hotEntry).key.file == file {
			h.removeLocked(el)
		}
		el = next
	}
}

func (h *hotTier) bytes() (entries int, n int64) {
	if h == nil {
		return 0, 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lru.Len(), h.used
}

// hotFile names a group file for the tier: the object version, parse
// fingerprint and split it caches, and its name, which alone repeats
// across tiles.
func hotFile(m *groupMeta) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%d+%d\x00%s", m.Location, m.Version, m.Fingerprint, m.Offset, m.Length, m.File)
}

// arraySize is the bytes of an array's buffers, children included.
func arraySize(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += arraySize(c)
	}
	return n
}
