package exec

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

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
	col, ok := b.Column(e.Col).(*array.String)
	if !ok {
		return e.Inner.Eval(ctx, b)
	}
	ids, distinct, ok := dicts.encode(col, max(n/4, memoMinRows))
	if !ok {
		e.skip.Store(memoSkip)
		return e.Inner.Eval(ctx, b)
	}
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

func (c *dictCache) encode(col *array.String, limit int) ([]int32, arrow.Array, bool) {
	if c == nil {
		return dictEncode(col, limit)
	}
	key := col.Data()
	c.mu.Lock()
	for _, e := range c.entries {
		if e.data == key {
			c.mu.Unlock()
			return e.ids, e.distinct, e.distinct != nil
		}
	}
	c.mu.Unlock()
	ids, distinct, ok := dictEncode(col, limit)
	c.mu.Lock()
	c.entries[c.next] = dictEntry{data: key, ids: ids, distinct: distinct}
	c.next = (c.next + 1) % len(c.entries)
	c.mu.Unlock()
	return ids, distinct, ok
}

// dictEncode numbers the distinct values of col in order of first
// appearance (NULL, if present, is one more value, last). It gives up,
// returning ok false, once more than limit values are distinct.
func dictEncode(col *array.String, limit int) (ids []int32, distinct arrow.Array, ok bool) {
	n := col.Len()
	ids = make([]int32, n)
	// Keys are the array's own bytes (String.Value does not copy); the map
	// dies with this call, before the batch can be released.
	seen := make(map[string]int32, 64)
	order := make([]string, 0, 64)
	hasNull := col.NullN() > 0
	nullID := int32(-1)
	prev, prevID := "", int32(-1)
	for i := 0; i < n; i++ {
		if hasNull && col.IsNull(i) {
			if nullID < 0 {
				nullID = -2 // numbered after the non-NULL values
			}
			ids[i] = -2
			continue
		}
		s := col.Value(i)
		// Runs of one value are common (files sorted or grouped by the
		// column): one comparison instead of a hash.
		if prevID >= 0 && s == prev {
			ids[i] = prevID
			continue
		}
		id, found := seen[s]
		if !found {
			if len(order) >= limit {
				return nil, nil, false
			}
			id = int32(len(order))
			seen[s] = id
			order = append(order, s)
		}
		ids[i] = id
		prev, prevID = s, id
	}
	bld := array.NewStringBuilder(memory.DefaultAllocator)
	defer bld.Release()
	bld.Reserve(len(order) + 1)
	for _, s := range order {
		bld.Append(s)
	}
	if nullID != -1 {
		nullID = int32(len(order))
		bld.AppendNull()
		for i, id := range ids {
			if id == -2 {
				ids[i] = nullID
			}
		}
	}
	return ids, bld.NewArray(), true
}
