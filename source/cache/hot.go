package cache

import (
	"container/list"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/internal/arrowx"
	"github.com/quarry-sql/quarry/internal/stable"
	"github.com/quarry-sql/quarry/types"
)

// hotTier keeps the column chunks of flat segments most recently read
// decoded in memory, as the Arrow arrays the reader produced, so that a
// query repeated in one process (a dashboard refreshing against `quarry
// serve`) skips reading and decoding its segments. A chunk is known by its
// segment file and its bytes' place and fill-time CRC, so a segment
// written anew is a new key; the chunks of a segment the index forgets are
// dropped with it.
//
// It is bounded in bytes and segmented like the disk cache (SLRU): a chunk
// enters on probation and moves to the protected list when read again, and
// eviction takes from probation first, so one large scan, whose chunks are
// read once, cannot flush the chunks dashboards keep reading.
//
// The arrays live in Go memory (the reader decodes cacheable chunks with
// the default allocator), not in any query's accounted allocator: they
// outlive queries, and --cache-memory bounds them instead. Queries get
// them retained; arrays are immutable.
type hotTier struct {
	mu        sync.Mutex
	max       int64
	used      int64
	protBytes int64
	probation list.List // of *hotEntry, most recent first
	protected list.List
	items     map[hotKey]*list.Element
}

// hotProtected is the share of the bound the protected list may hold.
const hotProtected = 0.8

type hotKey struct {
	file     string // hotFile of the group
	off, len int64  // the chunk
	crc      uint32
	batch    int // rows per batch the arrays were cut into
}

type hotEntry struct {
	key       hotKey
	location  string // the cached object, for Invalidate
	arrs      []arrow.Array
	bytes     int64
	protected bool
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
	e := el.Value.(*hotEntry)
	if e.protected {
		h.protected.MoveToFront(el)
	} else {
		h.probation.Remove(el)
		e.protected = true
		h.protBytes += e.bytes
		h.items[k] = h.protected.PushFront(e)
		// Past its share, the protected list's oldest go back on probation.
		for h.protBytes > int64(hotProtected*float64(h.max)) {
			old := h.protected.Back().Value.(*hotEntry)
			h.protected.Remove(h.protected.Back())
			old.protected = false
			h.protBytes -= old.bytes
			h.items[old.key] = h.probation.PushFront(old)
		}
	}
	out := make([]arrow.Array, len(e.arrs))
	for i, a := range e.arrs {
		a.Retain()
		out[i] = a
	}
	return out
}

// put keeps arrs (taking over the caller's references) under k. The
// reader registered them as stable when it decoded them (every query
// reading the chunk will get these very arrays, so results computed from
// them can be kept: exec.ResultMemo); arrays not kept are unregistered.
func (h *hotTier) put(k hotKey, location string, arrs []arrow.Array) {
	if h == nil {
		dropUnkept(arrs)
		return
	}
	var n int64
	for _, a := range arrs {
		n += arrowx.DataBytes(a.Data())
	}
	if n > h.max/4 {
		dropUnkept(arrs) // one chunk must not flush the tier
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.items[k] != nil { // another query put it meanwhile
		dropUnkept(arrs)
		return
	}
	h.items[k] = h.probation.PushFront(&hotEntry{key: k, location: location, arrs: arrs, bytes: n})
	h.used += n
	for h.used > h.max {
		if el := h.probation.Back(); el != nil {
			h.removeLocked(el)
		} else {
			h.removeLocked(h.protected.Back())
		}
	}
}

// putFilled puts a group a fill just published in the tier, copied from
// the batches the fill encoded (into Go memory: the batches may be a
// query's), cut as a flat reader of batchRows rows would read them: per
// row group and column chunk, the chunk's batches. Every query reading the
// group then finds it decoded in memory, the first one after the fill
// included.
func (h *hotTier) putFilled(m *groupMeta, cols []types.Column, kept []pendingBatch, batchRows int) {
	if h == nil || batchRows <= 0 {
		return
	}
	var rows int64
	for _, b := range kept {
		rows += int64(b.n)
	}
	if rows != m.Rows || len(cols) != len(m.Columns) {
		return // not the rows the file holds: leave the tier alone
	}
	file := hotFile(m)
	for ci := range cols {
		cur := keptCursor{kept: kept, col: ci}
		for _, rg := range m.RowGroups {
			if ci >= len(rg.Chunks) {
				return
			}
			ch := rg.Chunks[ci]
			var arrs []arrow.Array
			for left := rg.Rows; left > 0; {
				k := min(int64(batchRows), left)
				a, err := cur.take(int(k))
				if err != nil {
					releaseAll(arrs)
					return
				}
				arrs = append(arrs, a)
				left -= k
			}
			stable.Add(arrs...)
			h.put(hotKey{file: file, off: ch.Off, len: ch.Len, crc: ch.CRC, batch: batchRows}, m.Location, arrs)
		}
	}
}

// keptCursor reads one column of a fill's batches in row order.
type keptCursor struct {
	kept []pendingBatch
	col  int
	b    int // batch
	off  int // row within it
}

// take returns a copy of the next n rows of the column, in Go memory.
func (c *keptCursor) take(n int) (arrow.Array, error) {
	var parts []arrow.Array
	defer func() { releaseAll(parts) }()
	for n > 0 {
		if c.b >= len(c.kept) {
			return nil, errors.New("BUG: fill batches shorter than the group")
		}
		a := c.kept[c.b].cols[c.col]
		k := min(n, a.Len()-c.off)
		parts = append(parts, array.NewSlice(a, int64(c.off), int64(c.off+k)))
		c.off += k
		n -= k
		if c.off == a.Len() {
			c.b, c.off = c.b+1, 0
		}
	}
	return array.Concatenate(parts, memory.DefaultAllocator)
}

// dropUnkept unregisters and releases arrays decoded for the tier that it
// did not keep.
func dropUnkept(arrs []arrow.Array) {
	stable.Remove(arrs...)
	releaseAll(arrs)
}

func (h *hotTier) removeLocked(el *list.Element) {
	e := el.Value.(*hotEntry)
	if e.protected {
		h.protected.Remove(el)
		h.protBytes -= e.bytes
	} else {
		h.probation.Remove(el)
	}
	delete(h.items, e.key)
	h.used -= e.bytes
	dropUnkept(e.arrs)
}

// removeIf drops the chunks for which drop says so.
func (h *hotTier) removeIf(drop func(*hotEntry) bool) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range []*list.List{&h.probation, &h.protected} {
		for el := l.Front(); el != nil; {
			next := el.Next()
			if drop(el.Value.(*hotEntry)) {
				h.removeLocked(el)
			}
			el = next
		}
	}
}

// invalidate drops the chunks of objects whose location starts with
// prefix (all for "").
func (h *hotTier) invalidate(prefix string) {
	h.removeIf(func(e *hotEntry) bool { return strings.HasPrefix(e.location, prefix) })
}

// dropFile drops the chunks of one group file (a superseded group).
func (h *hotTier) dropFile(file string) {
	h.removeIf(func(e *hotEntry) bool { return e.key.file == file })
}

func (h *hotTier) bytes() (entries int, n int64) {
	if h == nil {
		return 0, 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.items), h.used
}

// hotFile names a group file for the tier: the object version, parse
// fingerprint and split it caches, and its name, which alone repeats
// across tiles.
func hotFile(m *groupMeta) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%d+%d\x00%s", m.Location, m.Version, m.Fingerprint, m.Offset, m.Length, m.File)
}
