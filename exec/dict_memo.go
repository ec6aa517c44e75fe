package exec

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/internal/stable"
	"github.com/quarry-sql/quarry/types"
)

// DictMemo evaluates an expression whose only input is one varchar column
// once per distinct value of that column in the batch, then gathers the
// results back to the rows: a CASE over a line-item type, a timestamp parse
// of a usage-start string or a REGEXP_LIKE over a usage type then costs a
// hash lookup per row instead of the whole expression. The planner wraps
// only deterministic expressions, so equal inputs give equal outputs and
// the answer (errors included: a failing value fails either way) is the
// same as evaluating row by row.
//
// Columns with many distinct values gain nothing: when a batch turns out
// to have more than a quarter of its rows distinct, that batch is
// evaluated directly and the next memoSkip batches are not tried.
type DictMemo struct {
	Inner Expr
	Col   int // the input column the expression reads

	skip atomic.Int32
}

const (
	memoMinRows = 64
	memoSkip    = 16
)

func (e *DictMemo) Type() types.Type { return e.Inner.Type() }
func (e *DictMemo) String() string   { return fmt.Sprintf("memo(#%d, %v)", e.Col, e.Inner) }

func (e *DictMemo) Eval(ctx *Context, b arrow.Record) (arrow.Array, error) {
	n := int(b.NumRows())
	if n < memoMinRows || e.skip.Load() > 0 {
		if n >= memoMinRows {
			e.skip.Add(-1)
		}
		return e.Inner.Eval(ctx, b)
	}
	col := b.Column(e.Col)
	ids, distinct, ok := dicts.encode(col, max(n/4, memoMinRows))
	if !ok {
		e.skip.Store(memoSkip)
		return e.Inner.Eval(ctx, b)
	}
	defer distinct.Release()
	// A batch of the distinct values in the column's place; the other
	// columns, which the expression does not read, are all-NULL arrays
	// without buffers.
	d := distinct.Len()
	cols := make([]arrow.Array, b.NumCols())
	fields := make([]arrow.Field, b.NumCols())
	for i := range cols {
		if i == e.Col {
			cols[i] = distinct
			fields[i] = arrow.Field{Name: "v", Type: distinct.DataType(), Nullable: true}
			continue
		}
		cols[i] = array.NewNull(d)
		fields[i] = arrow.Field{Name: "_", Type: arrow.Null, Nullable: true}
	}
	mini := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(d))
	for i, c := range cols {
		if i != e.Col {
			c.Release()
		}
	}
	defer mini.Release()
	res, err := e.Inner.Eval(ctx, mini)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	return Take(ctx.Alloc, res, ids), nil
}

// dicts is the process's dictCache: the decoded-column cache's memory tier
// hands every query the same arrays, so their numbering is reused across
// queries too.
var dicts = &dictCache{}

// dictCache keeps the last columns dictEncode numbered, so that the
// expressions of one batch over one column (three REGEXP_LIKEs on a usage
// type) share one pass. A column is known by its *arrow.Data: the cache
// holds that pointer, so the object cannot be freed and its address
// reused while the entry lives, and arrays are immutable. Results live in
// Go memory, not the query's accounted allocator, as constants do.
type dictCache struct {
	mu      sync.Mutex
	entries [128]dictEntry
	next    int
}

type dictEntry struct {
	data     arrow.ArrayData
	ids      []int32
	distinct arrow.Array // nil: too many distinct values
}

// encode returns col's numbering and its distinct values, retained for
// the caller (an entry may be evicted, and its array released, meanwhile).
func (c *dictCache) encode(col arrow.Array, limit int) ([]int32, arrow.Array, bool) {
	key := col.Data()
	if stable.Is(col) && results.budget() > 0 {
		// A column the memory tier serves: numbered once, kept with the
		// results computed from it (and dropped with them).
		if ids, distinct, ok, found := results.getNumbering(key); found {
			return ids, distinct, ok
		}
		ids, distinct, ok := number(col, limit)
		results.putNumbering(key, ids, distinct)
		return ids, distinct, ok
	}
	c.mu.Lock()
	for _, e := range c.entries {
		if e.data == key {
			if e.distinct != nil {
				e.distinct.Retain()
			}
			c.mu.Unlock()
			return e.ids, e.distinct, e.distinct != nil
		}
	}
	c.mu.Unlock()
	ids, distinct, ok := number(col, limit)
	if ok {
		distinct.Retain() // the caller's reference; the entry keeps the first
	}
	c.mu.Lock()
	if old := c.entries[c.next].distinct; old != nil {
		old.Release()
	}
	c.entries[c.next] = dictEntry{data: key, ids: ids, distinct: distinct}
	c.next = (c.next + 1) % len(c.entries)
	c.mu.Unlock()
	return ids, distinct, ok
}

// number is dictEncode with the distinct values gathered, in Go memory
// (nil when ok is false).
func number(col arrow.Array, limit int) ([]int32, arrow.Array, bool) {
	ids, firsts, ok := dictEncode(col, limit)
	if !ok {
		return nil, nil, false
	}
	return ids, Take(memory.DefaultAllocator, col, firsts), true
}

// dictEncode numbers the distinct values of col in order of first
// appearance, NULL (if present) last, and returns each row's number and
// each number's first row (-1 for NULL). It covers strings and 4- and
// 8-byte fixed-width values, and gives up, returning ok false, once more
// than limit values are distinct.
func dictEncode(col arrow.Array, limit int) (ids, firsts []int32, ok bool) {
	switch c := col.(type) {
	case *array.String:
		// Keys are the array's own bytes (String.Value does not copy); the
		// map dies with this call, before the batch can be released.
		return encodeWith(col, limit, c.Value)
	}
	if fw, isFW := col.DataType().(arrow.FixedWidthDataType); isFW && col.DataType().ID() != arrow.BOOL {
		d := col.Data()
		bufs := d.Buffers()
		if len(bufs) < 2 || bufs[1] == nil {
			return nil, nil, false
		}
		raw := bufs[1].Bytes()
		switch fw.BitWidth() {
		case 64:
			v := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(raw))), len(raw)/8)[d.Offset():]
			return encodeWith(col, limit, func(i int) uint64 { return v[i] })
		case 32:
			v := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(raw))), len(raw)/4)[d.Offset():]
			return encodeWith(col, limit, func(i int) uint32 { return v[i] })
		}
	}
	return nil, nil, false
}

func encodeWith[K comparable](col arrow.Array, limit int, at func(int) K) (ids, firsts []int32, ok bool) {
	n := col.Len()
	ids = make([]int32, n)
	seen := make(map[K]int32, 64)
	firsts = make([]int32, 0, 64)
	hasNull := col.NullN() > 0
	sawNull := false
	var prev K
	prevID := int32(-1)
	for i := 0; i < n; i++ {
		if hasNull && col.IsNull(i) {
			sawNull = true
			ids[i] = -2 // numbered after the non-NULL values
			continue
		}
		v := at(i)
		// Runs of one value are common (files sorted or grouped by the
		// column): one comparison instead of a hash.
		if prevID >= 0 && v == prev {
			ids[i] = prevID
			continue
		}
		id, found := seen[v]
		if !found {
			if len(firsts) >= limit {
				return nil, nil, false
			}
			id = int32(len(firsts))
			seen[v] = id
			firsts = append(firsts, int32(i))
		}
		ids[i] = id
		prev, prevID = v, id
	}
	if sawNull {
		nullID := int32(len(firsts))
		firsts = append(firsts, -1)
		for i, id := range ids {
			if id == -2 {
				ids[i] = nullID
			}
		}
	}
	return ids, firsts, true
}
