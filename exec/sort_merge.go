package exec

import (
	"bytes"
	"cmp"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// runSource yields the batches of one sorted run in order. A batch stays
// valid until the following next or close; close may be called at any
// time and more than once.
type runSource interface {
	next(ctx *Context) (arrow.Record, error)
	close()
}

var (
	_ runSource = (*memRun)(nil)
	_ runSource = (*fileRun)(nil)
	_ runSource = (*merger)(nil)
)

// fileRun reads a run back from its spill file, and removes the file when
// closed: a run is read once.
type fileRun struct {
	f   *spillFile
	set *spillSet
	r   *spillReader
}

func (fr *fileRun) next(ctx *Context) (arrow.Record, error) {
	if fr.f == nil {
		return nil, nil
	}
	if fr.r == nil {
		r, err := fr.f.open(ctx, "sort")
		if err != nil {
			return nil, err
		}
		fr.r = r
	}
	return fr.r.next()
}

func (fr *fileRun) close() {
	if fr.r != nil {
		fr.r.close()
		fr.r = nil
	}
	if fr.f != nil {
		fr.set.drop(fr.f)
		fr.f = nil
	}
}

func closeRuns(runs []runSource) {
	for _, r := range runs {
		r.close()
	}
}

// merger merges sorted runs into one sorted stream of batches of at most
// batchRows rows. A binary heap holds one cursor per run, ordered by the
// cursor's current row and then by run number, so rows with equal keys
// come out in run order: runs cut from the input in order keep the sort
// stable. Output rows are gathered from the runs' current batches, which
// stay referenced until the output batch is built.
type merger struct {
	schema *arrow.Schema
	keyCol []int
	cmps   []pairCmp
	all    []*mergeCursor
	heap   []*mergeCursor
	srcs   []arrow.Record // batches the pending output reads
	src    []int32
	row    []int32
	last   arrow.Record
}

type mergeCursor struct {
	run  int
	in   runSource
	b    arrow.Record
	keys []arrow.Array
	row  int
	n    int
	pend int32 // index of b in merger.srcs, or -1
}

// newMerger takes over runs (closing them when they end or it is closed);
// keyCol gives each key's column in schema.
func newMerger(ctx *Context, runs []runSource, schema *arrow.Schema, keyCol []int, keys []SortKey) (*merger, error) {
	m := &merger{schema: schema, keyCol: keyCol, cmps: make([]pairCmp, len(keys))}
	for k, key := range keys {
		m.cmps[k] = pairComparator(schema.Field(keyCol[k]).Type, key.Desc, key.NullsFirst)
	}
	for i, r := range runs {
		c := &mergeCursor{run: i, in: r, keys: make([]arrow.Array, len(keys))}
		m.all = append(m.all, c)
	}
	for _, c := range m.all {
		ok, err := m.load(ctx, c)
		if err != nil {
			m.close()
			return nil, err
		}
		if ok {
			m.heap = append(m.heap, c)
		}
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m, nil
}

// load moves c to its run's next non-empty batch; false at the run's end
// (the run is then closed).
func (m *merger) load(ctx *Context, c *mergeCursor) (bool, error) {
	c.pend = -1
	for {
		b, err := c.in.next(ctx)
		if err != nil {
			return false, err
		}
		if b == nil {
			c.b = nil
			c.in.close()
			return false, nil
		}
		if b.NumRows() == 0 {
			continue
		}
		c.b, c.row, c.n = b, 0, int(b.NumRows())
		for k, col := range m.keyCol {
			c.keys[k] = b.Column(col)
		}
		return true, nil
	}
}

func (m *merger) less(a, b *mergeCursor) bool {
	for k, c := range m.cmps {
		if r := c(a.keys[k], a.row, b.keys[k], b.row); r != 0 {
			return r < 0
		}
	}
	return a.run < b.run
}

func (m *merger) down(i int) {
	h := m.heap
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		j := l
		if r := l + 1; r < n && m.less(h[r], h[l]) {
			j = r
		}
		if !m.less(h[j], h[i]) {
			return
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
}

func (m *merger) next(ctx *Context) (arrow.Record, error) {
	if m.last != nil {
		m.last.Release()
		m.last = nil
	}
	if err := ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	for len(m.row) < batchRows && len(m.heap) > 0 {
		c := m.heap[0]
		if len(m.heap) == 1 && len(m.row) == 0 && c.row == 0 {
			// One run left: its batches pass through whole.
			b := c.b
			b.Retain()
			if _, err := m.load(ctx, c); err != nil {
				b.Release()
				return nil, err
			}
			if c.b == nil {
				m.heap = m.heap[:0]
			}
			m.last = b
			return b, nil
		}
		if c.pend < 0 {
			c.b.Retain()
			m.srcs = append(m.srcs, c.b)
			c.pend = int32(len(m.srcs) - 1)
		}
		m.src = append(m.src, c.pend)
		m.row = append(m.row, int32(c.row))
		c.row++
		if c.row == c.n {
			ok, err := m.load(ctx, c)
			if err != nil {
				return nil, err
			}
			if !ok {
				last := len(m.heap) - 1
				m.heap[0] = m.heap[last]
				m.heap = m.heap[:last]
			}
		}
		if len(m.heap) > 1 {
			m.down(0)
		}
	}
	if len(m.row) == 0 {
		return nil, nil
	}
	m.last = gatherRecord(ctx.Alloc, m.schema, m.srcs, m.src, m.row)
	m.flush()
	return m.last, nil
}

// flush forgets the pending output's sources.
func (m *merger) flush() {
	for _, b := range m.srcs {
		b.Release()
	}
	m.srcs, m.src, m.row = m.srcs[:0], m.src[:0], m.row[:0]
	for _, c := range m.heap {
		c.pend = -1
	}
}

func (m *merger) close() {
	if m.last != nil {
		m.last.Release()
		m.last = nil
	}
	m.flush()
	for _, c := range m.all {
		c.in.close()
	}
	m.all, m.heap = nil, nil
}

// pairCmp compares row i of a with row j of b, two arrays of one type.
type pairCmp func(a arrow.Array, i int, b arrow.Array, j int) int

// pairComparator is Comparator for rows of two arrays: it orders values,
// NULLs and NaNs exactly as Comparator does (a test holds them together),
// so runs sorted in memory merge into the order an in-memory sort gives.
func pairComparator(dt arrow.DataType, desc, nullsFirst bool) pairCmp {
	base := pairValueComparator(dt)
	return func(a arrow.Array, i int, b arrow.Array, j int) int {
		ni, nj := a.IsNull(i), b.IsNull(j)
		if ni || nj {
			if ni && nj {
				return 0
			}
			if ni == nullsFirst {
				return -1
			}
			return 1
		}
		r := base(a, i, b, j)
		if desc {
			return -r
		}
		return r
	}
}

type valuer[T any] interface{ Value(int) T }

func pairOrdered[T cmp.Ordered, A valuer[T]]() pairCmp {
	return func(a arrow.Array, i int, b arrow.Array, j int) int {
		return cmp.Compare(a.(A).Value(i), b.(A).Value(j))
	}
}

func pairValueComparator(dt arrow.DataType) pairCmp {
	switch dt.ID() {
	case arrow.BOOL:
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			vi, vj := a.(*array.Boolean).Value(i), b.(*array.Boolean).Value(j)
			switch {
			case vi == vj:
				return 0
			case !vi:
				return -1
			}
			return 1
		}
	case arrow.INT8:
		return pairOrdered[int8, *array.Int8]()
	case arrow.INT16:
		return pairOrdered[int16, *array.Int16]()
	case arrow.INT32:
		return pairOrdered[int32, *array.Int32]()
	case arrow.INT64:
		return pairOrdered[int64, *array.Int64]()
	case arrow.FLOAT32:
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			return cmpFloat(float64(a.(*array.Float32).Value(i)), float64(b.(*array.Float32).Value(j)))
		}
	case arrow.FLOAT64:
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			return cmpFloat(a.(*array.Float64).Value(i), b.(*array.Float64).Value(j))
		}
	case arrow.DECIMAL64:
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			return cmp.Compare(a.(*array.Decimal64).Value(i), b.(*array.Decimal64).Value(j))
		}
	case arrow.DECIMAL128:
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			return a.(*array.Decimal128).Value(i).Cmp(b.(*array.Decimal128).Value(j))
		}
	case arrow.STRING:
		return pairOrdered[string, *array.String]()
	case arrow.BINARY:
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			return bytes.Compare(a.(*array.Binary).Value(i), b.(*array.Binary).Value(j))
		}
	case arrow.DATE32:
		return pairOrdered[arrow.Date32, *array.Date32]()
	case arrow.TIMESTAMP:
		return pairOrdered[arrow.Timestamp, *array.Timestamp]()
	case arrow.TIME64:
		return pairOrdered[arrow.Time64, *array.Time64]()
	case arrow.DURATION:
		return pairOrdered[arrow.Duration, *array.Duration]()
	case arrow.INTERVAL_MONTHS:
		return pairOrdered[arrow.MonthInterval, *array.MonthInterval]()
	case arrow.LIST:
		elem := pairComparator(dt.(*arrow.ListType).Elem(), false, false)
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			la, lb := a.(*array.List), b.(*array.List)
			si, ei := la.ValueOffsets(i)
			sj, ej := lb.ValueOffsets(j)
			for ; si < ei && sj < ej; si, sj = si+1, sj+1 {
				if r := elem(la.ListValues(), int(si), lb.ListValues(), int(sj)); r != 0 {
					return r
				}
			}
			return cmp.Compare(ei-si, ej-sj)
		}
	case arrow.STRUCT:
		st := dt.(*arrow.StructType)
		fields := make([]pairCmp, st.NumFields())
		for f := range fields {
			fields[f] = pairComparator(st.Field(f).Type, false, false)
		}
		return func(a arrow.Array, i int, b arrow.Array, j int) int {
			sa, sb := a.(*array.Struct), b.(*array.Struct)
			for f, c := range fields {
				if r := c(sa.Field(f), i, sb.Field(f), j); r != 0 {
					return r
				}
			}
			return 0
		}
	}
	return func(a arrow.Array, i int, b arrow.Array, j int) int { return 0 }
}
