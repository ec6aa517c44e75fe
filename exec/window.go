package exec

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// WindowFunc is one window function call.
type WindowFunc struct {
	Name        string
	Args        []Expr
	PartitionBy []Expr
	OrderBy     []SortKey
	Frame       *WindowFrame // nil: RANGE UNBOUNDED PRECEDING to CURRENT ROW
	// IgnoreNulls (IGNORE NULLS) makes lag, lead, first_value, last_value
	// and nth_value skip NULL values.
	IgnoreNulls bool
	Agg         *function.AggBinding
	T           types.Type
}

// Window materialises its input and appends one column per function.
type Window struct {
	Input Operator
	Funcs []WindowFunc
	Cols  []types.Column

	out  arrow.Record
	pos  int64
	rel  releaser
	done bool
}

var _ Operator = (*Window)(nil)

func (w *Window) Columns() []types.Column { return w.Cols }
func (w *Window) Open(ctx *Context) error { return w.Input.Open(ctx) }

func (w *Window) Next(ctx *Context) (arrow.Record, error) {
	w.rel.drop()
	if w.out == nil && !w.done {
		if err := w.compute(ctx); err != nil {
			w.done = true
			return nil, err
		}
	}
	if w.out == nil || w.pos >= w.out.NumRows() {
		w.done = true
		return nil, nil
	}
	end := min(w.pos+batchRows, w.out.NumRows())
	b := w.out.NewSlice(w.pos, end)
	w.pos = end
	return w.rel.hold(b), nil
}

func (w *Window) compute(ctx *Context) (err error) {
	defer CatchResource(&err)
	var batches []arrow.Record
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	for {
		b, err := w.Input.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		b.Retain()
		batches = append(batches, b)
	}
	all, err := concatBatches(ctx, w.Input.Columns(), batches)
	if err != nil {
		return err
	}
	defer all.Release()
	arrs := make([]arrow.Array, 0, len(w.Cols))
	defer func() { releaseAll(arrs) }()
	for c := 0; c < int(all.NumCols()); c++ {
		a := all.Column(c)
		a.Retain()
		arrs = append(arrs, a)
	}
	for i := range w.Funcs {
		a, err := w.computeFunc(ctx, all, &w.Funcs[i])
		if err != nil {
			return fmt.Errorf("%s: %w", w.Funcs[i].Name, err)
		}
		arrs = append(arrs, a)
	}
	w.out = array.NewRecord(schemaOf(w.Cols), arrs, all.NumRows())
	return nil
}

// windowLayout is the sorted order of rows for one function, with
// partition and peer-group boundaries.
type windowLayout struct {
	perm      []int32 // sorted position -> row
	partStart []int   // sorted positions where partitions start, plus n
	peerStart []bool  // sorted position starts a new peer group
}

func (w *Window) layout(ctx *Context, b arrow.Record, f *WindowFunc) (*windowLayout, error) {
	n := int(b.NumRows())
	pid := make([]uint32, n)
	if len(f.PartitionBy) > 0 {
		keys, err := evalAll(ctx, b, f.PartitionBy)
		if err != nil {
			return nil, err
		}
		var enc keyEncoder
		_, err = enc.encode(keys, n)
		releaseAll(keys)
		if err != nil {
			return nil, err
		}
		ids := map[string]uint32{}
		for i := 0; i < n; i++ {
			k := string(enc.key(i))
			id, ok := ids[k]
			if !ok {
				id = uint32(len(ids))
				ids[k] = id
			}
			pid[i] = id
		}
	}
	orderArrs, err := evalAll(ctx, b, exprsOf(f.OrderBy))
	if err != nil {
		return nil, err
	}
	defer releaseAll(orderArrs)
	cmps := make([]func(i, j int) int, len(f.OrderBy))
	for k, key := range f.OrderBy {
		cmps[k] = Comparator(orderArrs[k], key.Desc, key.NullsFirst)
	}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	orderCmp := func(a, b int32) int {
		for _, c := range cmps {
			if r := c(int(a), int(b)); r != 0 {
				return r
			}
		}
		return 0
	}
	slices.SortStableFunc(perm, func(a, b int32) int {
		if pid[a] != pid[b] {
			if pid[a] < pid[b] {
				return -1
			}
			return 1
		}
		return orderCmp(a, b)
	})
	l := &windowLayout{perm: perm, peerStart: make([]bool, n)}
	for s := 0; s < n; s++ {
		if s == 0 || pid[perm[s]] != pid[perm[s-1]] {
			l.partStart = append(l.partStart, s)
			l.peerStart[s] = true
			continue
		}
		l.peerStart[s] = orderCmp(perm[s-1], perm[s]) != 0
	}
	l.partStart = append(l.partStart, n)
	return l, nil
}

func (w *Window) computeFunc(ctx *Context, b arrow.Record, f *WindowFunc) (arrow.Array, error) {
	n := int(b.NumRows())
	l, err := w.layout(ctx, b, f)
	if err != nil {
		return nil, err
	}
	switch f.Name {
	case "row_number", "rank", "dense_rank", "ntile":
		vals := make([]int64, n)
		var buckets int64
		if f.Name == "ntile" {
			if len(f.Args) != 1 {
				return nil, fmt.Errorf("ntile takes one argument")
			}
			c, ok := f.Args[0].(*Const)
			v, ok2 := c.Value.(int64)
			if !ok || !ok2 || v <= 0 {
				return nil, fmt.Errorf("Buckets must be greater than 0")
			}
			buckets = v
		}
		for p := 0; p+1 < len(l.partStart); p++ {
			s, e := l.partStart[p], l.partStart[p+1]
			var rank, dense int64
			size := int64(e - s)
			for i := s; i < e; i++ {
				pos := int64(i - s)
				if l.peerStart[i] {
					rank = pos + 1
					dense++
				}
				var v int64
				switch f.Name {
				case "row_number":
					v = pos + 1
				case "rank":
					v = rank
				case "dense_rank":
					v = dense
				case "ntile":
					// Trino: the first size%buckets buckets get one extra row.
					per, extra := size/buckets, size%buckets
					if per == 0 {
						v = pos + 1
					} else if pos < extra*(per+1) {
						v = pos/(per+1) + 1
					} else {
						v = extra + (pos-extra*(per+1))/per + 1
					}
				}
				vals[l.perm[i]] = v
			}
		}
		bld := array.NewInt64Builder(ctx.Alloc)
		defer bld.Release()
		bld.AppendValues(vals, nil)
		return bld.NewArray(), nil
	case "percent_rank", "cume_dist":
		vals := make([]float64, n)
		for p := 0; p+1 < len(l.partStart); p++ {
			s, e := l.partStart[p], l.partStart[p+1]
			size := float64(e - s)
			var rank float64
			peerEnd := s // end of the current row's peer group
			for i := s; i < e; i++ {
				if l.peerStart[i] {
					rank = float64(i - s + 1)
					peerEnd = i + 1
					for peerEnd < e && !l.peerStart[peerEnd] {
						peerEnd++
					}
				}
				if f.Name == "percent_rank" {
					if size > 1 {
						vals[l.perm[i]] = (rank - 1) / (size - 1)
					}
					continue
				}
				// cume_dist: rows up to the last peer of this row.
				vals[l.perm[i]] = float64(peerEnd-s) / size
			}
		}
		bld := array.NewFloat64Builder(ctx.Alloc)
		defer bld.Release()
		bld.AppendValues(vals, nil)
		return bld.NewArray(), nil
	case "lag", "lead", "first_value", "last_value", "nth_value":
		return w.valueFunc(ctx, b, f, l)
	}
	if f.Agg == nil {
		return nil, fmt.Errorf("window function %s is not supported", f.Name)
	}
	return w.aggregateFunc(ctx, b, f, l)
}

func (w *Window) Close() error {
	w.rel.drop()
	if w.out != nil {
		w.out.Release()
		w.out = nil
	}
	return w.Input.Close()
}
