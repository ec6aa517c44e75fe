package exec

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/internal/arrowx"
	"github.com/quarry-sql/quarry/internal/stable"
	"github.com/quarry-sql/quarry/types"
)

// ResultMemo keeps the result of a deterministic expression over columns
// the decoded-column cache's memory tier serves (package stable), so that
// a dashboard's query repeated against warm data computes its casts,
// timestamp parses, CASEs and predicates once: later queries get the kept
// array for the same input arrays. Results are themselves stable, so an
// expression over a kept result (a DATE_FORMAT of a parsed timestamp, a
// filter on it) is kept too.
//
// The planner wraps only deterministic expressions that do not read the
// query's clock; Key is the expression's canonical text with its inputs
// numbered in Cols order, and the session time zone is part of the key.
// Errors are never kept (a failing batch fails again), and warnings raised
// while computing a result are replayed whenever it is reused. Batches
// with any input not stable are evaluated as usual.
type ResultMemo struct {
	Inner Expr
	Cols  []int  // the batch columns the expression reads, at most resultMaxCols
	Key   string // canonical text of the expression over $0..$n
}

// resultMaxCols is the most input columns a kept result is keyed by.
const resultMaxCols = 4

func (e *ResultMemo) Type() types.Type { return e.Inner.Type() }
func (e *ResultMemo) String() string   { return e.Inner.String() }

func (e *ResultMemo) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	if len(e.Cols) == 0 || len(e.Cols) > resultMaxCols || results.budget() <= 0 {
		return e.Inner.Eval(ctx, b)
	}
	k := resultKey{expr: e.Key}
	if ctx.Fn != nil && ctx.Fn.Zone != nil {
		k.zone = ctx.Fn.Zone.String()
	}
	for i, c := range e.Cols {
		a := b.Column(c)
		if !stable.Is(a) {
			return e.Inner.Eval(ctx, b)
		}
		k.data[i] = a.Data()
	}
	if res, warns, ok := results.get(k); ok {
		for _, w := range warns {
			ctx.Warn(w)
		}
		return res, nil
	}
	// Computed outside the query's accounted allocator: the result may
	// outlive the query, and the result cache's budget bounds it instead.
	mctx, warns := ctx.forResult()
	res, err := e.Inner.Eval(mctx, b)
	if err != nil {
		return nil, err
	}
	results.put(k, res, *warns)
	return res, nil
}

// forResult is a copy of c that computes into Go memory and records the
// warnings raised (as well as passing them on).
func (c *Context) forResult() (*Context, *[]string) {
	var warns []string
	cp := *c
	cp.Alloc = resultAlloc
	if c.Fn != nil {
		fn := *c.Fn
		fn.Alloc = resultAlloc
		fn.Warn = func(m string) {
			warns = append(warns, m)
			c.Warn(m)
		}
		cp.Fn = &fn
	}
	return &cp, &warns
}

var resultAlloc = NewAccountedAllocator(memory.DefaultAllocator, 0)

// results is the process's result cache.
var results = newResultCache()

// SetResultMemoryBytes bounds the memory kept results may take (0 turns
// keeping off). Engines set it from their cache memory setting.
func SetResultMemoryBytes(n int64) { results.max.Store(n) }

// ResultMemoryUsed reports the kept results and their bytes.
func ResultMemoryUsed() (entries int, bytes int64) {
	results.mu.Lock()
	defer results.mu.Unlock()
	return len(results.items), results.used
}

type resultKey struct {
	expr string
	zone string
	data [resultMaxCols]arrow.ArrayData
}

type resultEntry struct {
	key resultKey
	// arr is the result; for a numbering (dictCache), the distinct values
	// (nil: too many)
	arr       arrow.Array
	numbering bool
	ids       []int32 // a numbering's row numbers
	warns     []string
	bytes     int64
}

// numberingKey is the key of a stable column's numbering.
const numberingKey = "\x00numbering"

// resultCache is an LRU of kept results bounded in bytes. An entry goes
// when an input it was computed from leaves the stable set (its chunk left
// the memory tier, or the result it was computed from was evicted).
type resultCache struct {
	max    atomic.Int64
	mu     sync.Mutex
	used   int64
	lru    list.List // of *resultEntry, most recent first
	items  map[resultKey]*list.Element
	byData map[arrow.ArrayData]map[*list.Element]struct{}
}

func newResultCache() *resultCache {
	c := &resultCache{items: map[resultKey]*list.Element{}, byData: map[arrow.ArrayData]map[*list.Element]struct{}{}}
	c.max.Store(DefaultResultMemoryBytes)
	stable.OnRemove(c.dropInput)
	return c
}

// DefaultResultMemoryBytes is the result cache's bound until an engine
// sets one.
const DefaultResultMemoryBytes = 128 << 20

func (c *resultCache) budget() int64 { return c.max.Load() }

func (c *resultCache) get(k resultKey) (arrow.Array, []string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.items[k]
	if el == nil {
		return nil, nil, false
	}
	c.lru.MoveToFront(el)
	e := el.Value.(*resultEntry)
	e.arr.Retain()
	return e.arr, e.warns, true
}

// put keeps a reference to arr under k, if it fits.
func (c *resultCache) put(k resultKey, arr arrow.Array, warns []string) {
	if c.insert(&resultEntry{key: k, arr: arr, warns: warns, bytes: arrowx.DataBytes(arr.Data())}) {
		stable.Add(arr)
	}
}

// getNumbering returns the numbering kept for a stable column (dictCache):
// its row numbers and distinct values (retained; nil when ok is false:
// too many distinct values).
func (c *resultCache) getNumbering(d arrow.ArrayData) (ids []int32, distinct arrow.Array, ok, found bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.items[resultKey{expr: numberingKey, data: [resultMaxCols]arrow.ArrayData{d}}]
	if el == nil {
		return nil, nil, false, false
	}
	c.lru.MoveToFront(el)
	e := el.Value.(*resultEntry)
	if e.arr != nil {
		e.arr.Retain()
	}
	return e.ids, e.arr, e.arr != nil, true
}

// putNumbering keeps a stable column's numbering (a reference to distinct,
// nil for too many distinct values).
func (c *resultCache) putNumbering(d arrow.ArrayData, ids []int32, distinct arrow.Array) {
	n := int64(4 * len(ids))
	if distinct != nil {
		n += arrowx.DataBytes(distinct.Data())
	}
	c.insert(&resultEntry{key: resultKey{expr: numberingKey, data: [resultMaxCols]arrow.ArrayData{d}},
		arr: distinct, numbering: true, ids: ids, bytes: n})
}

// insert adds e, retaining its array, unless it is too large or its key is
// already there; it evicts past the bound.
func (c *resultCache) insert(e *resultEntry) bool {
	max := c.max.Load()
	if e.bytes > max/16 {
		return false // one result must not flush the cache
	}
	k := e.key
	c.mu.Lock()
	if c.items[k] != nil { // another worker kept it meanwhile
		c.mu.Unlock()
		return false
	}
	if e.arr != nil {
		e.arr.Retain()
	}
	el := c.lru.PushFront(e)
	c.items[k] = el
	c.used += e.bytes
	for _, d := range k.data {
		if d == nil {
			continue
		}
		if c.byData[d] == nil {
			c.byData[d] = map[*list.Element]struct{}{}
		}
		c.byData[d][el] = struct{}{}
	}
	var gone []*resultEntry
	for c.used > max && c.lru.Len() > 0 {
		gone = append(gone, c.removeLocked(c.lru.Back()))
	}
	c.mu.Unlock()
	c.release(gone)
	return true
}

// removeLocked unlinks an entry and returns it for release, which must
// happen without c.mu held (it cascades through dropInput).
func (c *resultCache) removeLocked(el *list.Element) *resultEntry {
	e := el.Value.(*resultEntry)
	c.lru.Remove(el)
	delete(c.items, e.key)
	c.used -= e.bytes
	for _, d := range e.key.data {
		if d == nil {
			continue
		}
		if m := c.byData[d]; m != nil {
			delete(m, el)
			if len(m) == 0 {
				delete(c.byData, d)
			}
		}
	}
	return e
}

func (c *resultCache) release(es []*resultEntry) {
	for _, e := range es {
		if e.arr == nil {
			continue
		}
		if !e.numbering {
			stable.Remove(e.arr)
		}
		e.arr.Release()
	}
}

// dropInput drops the results computed from d, which is no longer stable.
func (c *resultCache) dropInput(d arrow.ArrayData) {
	c.mu.Lock()
	var gone []*resultEntry
	for el := range c.byData[d] {
		gone = append(gone, c.removeLocked(el))
	}
	c.mu.Unlock()
	c.release(gone)
}
