package exec

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// WindowFrame is a ROWS or RANGE frame; kinds are the ast frame bound
// kinds ("UNBOUNDED PRECEDING", "PRECEDING", "CURRENT ROW", "FOLLOWING",
// "UNBOUNDED FOLLOWING").
type WindowFrame struct {
	Rows      bool
	StartKind string
	StartOff  int64
	EndKind   string
	EndOff    int64
}

// WindowFunc is one window function call.
type WindowFunc struct {
	Name        string
	Args        []Expr
	PartitionBy []Expr
	OrderBy     []SortKey
	Frame       *WindowFrame
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
			for i := s; i < e; i++ {
				if l.peerStart[i] {
					rank = float64(i - s + 1)
				}
				if f.Name == "percent_rank" {
					if size > 1 {
						vals[l.perm[i]] = (rank - 1) / (size - 1)
					}
					continue
				}
				// cume_dist: rows up to the last peer of this row.
				j := i + 1
				for j < e && !l.peerStart[j] {
					j++
				}
				vals[l.perm[i]] = float64(j-s) / size
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

func constInt(e Expr, def int64) (int64, error) {
	if e == nil {
		return def, nil
	}
	c, ok := e.(*Const)
	if !ok {
		return 0, fmt.Errorf("offset must be a constant")
	}
	v, ok := c.Value.(int64)
	if !ok {
		return 0, fmt.Errorf("offset must be an integer")
	}
	return v, nil
}

func (w *Window) valueFunc(ctx *Context, b arrow.Record, f *WindowFunc, l *windowLayout) (arrow.Array, error) {
	n := int(b.NumRows())
	arg, err := f.Args[0].Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer arg.Release()
	src := make([]int32, n)
	var off int64 = 1
	if len(f.Args) > 1 {
		if off, err = constInt(f.Args[1], 1); err != nil {
			return nil, err
		}
	}
	if f.Name == "nth_value" && off < 1 {
		return nil, fmt.Errorf("Invalid offset for nth_value: %d", off)
	}
	var deflt arrow.Array
	if (f.Name == "lag" || f.Name == "lead") && len(f.Args) > 2 {
		if deflt, err = f.Args[2].Eval(ctx, b); err != nil {
			return nil, err
		}
		defer deflt.Release()
	}
	useDefault := make([]bool, n)
	for p := 0; p+1 < len(l.partStart); p++ {
		s, e := l.partStart[p], l.partStart[p+1]
		for i := s; i < e; i++ {
			row := l.perm[i]
			// Frame end for first/last/nth with the default frame: the
			// last peer of the current row (RANGE ... CURRENT ROW), or the
			// partition end without ORDER BY.
			frameEnd := e
			if len(f.OrderBy) > 0 && (f.Frame == nil || f.Frame.EndKind == "CURRENT ROW") {
				frameEnd = i + 1
				if f.Frame == nil || !f.Frame.Rows {
					for frameEnd < e && !l.peerStart[frameEnd] {
						frameEnd++
					}
				}
			}
			t := -1
			switch f.Name {
			case "lag":
				if j := i - int(off); j >= s {
					t = j
				} else {
					useDefault[row] = true
				}
			case "lead":
				if j := i + int(off); j < e {
					t = j
				} else {
					useDefault[row] = true
				}
			case "first_value":
				t = s
			case "last_value":
				t = frameEnd - 1
			case "nth_value":
				if j := s + int(off) - 1; j < frameEnd {
					t = j
				}
			}
			if t >= 0 {
				src[row] = l.perm[t]
			} else {
				src[row] = -1
			}
		}
	}
	out, err := takeIndices(ctx, arg, src)
	if err != nil || deflt == nil {
		return out, err
	}
	defer out.Release()
	choice := make([]int32, n)
	for i := range choice {
		if useDefault[i] {
			choice[i] = 1
		}
	}
	return Choose(ctx, f.T, []arrow.Array{out, deflt}, choice)
}

func (w *Window) aggregateFunc(ctx *Context, b arrow.Record, f *WindowFunc, l *windowLayout) (arrow.Array, error) {
	n := int(b.NumRows())
	args, err := evalAll(ctx, b, f.Args)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	whole := len(f.OrderBy) == 0 ||
		(f.Frame != nil && f.Frame.StartKind == "UNBOUNDED PRECEDING" && f.Frame.EndKind == "UNBOUNDED FOLLOWING")
	if whole {
		groups := make([]uint32, n)
		parts := len(l.partStart) - 1
		for p := 0; p < parts; p++ {
			for i := l.partStart[p]; i < l.partStart[p+1]; i++ {
				groups[l.perm[i]] = uint32(p)
			}
		}
		acc := f.Agg.New(ctx.Fn)
		defer acc.Release()
		acc.Resize(max(parts, 1))
		if err := acc.Update(args, groups); err != nil {
			return nil, err
		}
		res, err := acc.Result()
		if err != nil {
			return nil, err
		}
		defer res.Release()
		idx := make([]int32, n)
		for i, g := range groups {
			idx[i] = int32(g)
		}
		return takeIndices(ctx, res, idx)
	}
	if f.Frame != nil && !(f.Frame.StartKind == "UNBOUNDED PRECEDING" && f.Frame.EndKind == "CURRENT ROW") {
		return nil, fmt.Errorf("window frame %s to %s is not supported yet for aggregates", f.Frame.StartKind, f.Frame.EndKind)
	}
	rows := f.Frame != nil && f.Frame.Rows
	// Running aggregate: rows in sorted order, one accumulator per
	// partition, a result taken at the end of each peer group (RANGE) or
	// row (ROWS).
	sorted := make([]arrow.Array, len(args))
	for i, a := range args {
		if sorted[i], err = takeIndices(ctx, a, l.perm); err != nil {
			releaseAll(sorted[:i])
			return nil, err
		}
	}
	defer releaseAll(sorted)
	resIdx := make([]int32, n) // sorted position -> index into results
	var results []arrow.Array
	defer func() { releaseAll(results) }()
	zero := make([]uint32, n)
	for p := 0; p+1 < len(l.partStart); p++ {
		s, e := l.partStart[p], l.partStart[p+1]
		acc := f.Agg.New(ctx.Fn)
		acc.Resize(1)
		for i := s; i < e; {
			j := i + 1
			if !rows {
				for j < e && !l.peerStart[j] {
					j++
				}
			}
			chunk := make([]arrow.Array, len(sorted))
			for k, a := range sorted {
				chunk[k] = array.NewSlice(a, int64(i), int64(j))
			}
			err := acc.Update(chunk, zero[:j-i])
			releaseAll(chunk)
			if err != nil {
				acc.Release()
				return nil, err
			}
			r, err := acc.Result()
			if err != nil {
				acc.Release()
				return nil, err
			}
			results = append(results, r)
			for k := i; k < j; k++ {
				resIdx[k] = int32(len(results) - 1)
			}
			i = j
		}
		acc.Release()
	}
	bld := array.NewBuilder(ctx.Alloc, f.T.Arrow())
	defer bld.Release()
	vals := make([]arrow.Array, n)
	for s := 0; s < n; s++ {
		vals[l.perm[s]] = results[resIdx[s]]
	}
	for i := 0; i < n; i++ {
		if err := AppendValue(bld, vals[i], 0); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

func (w *Window) Close() error {
	w.rel.drop()
	if w.out != nil {
		w.out.Release()
		w.out = nil
	}
	return w.Input.Close()
}
