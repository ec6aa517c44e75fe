package exec

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

// SortKey orders by one expression. Trino's default is NULLS LAST for both
// directions.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders its whole input; with Limit >= 0 it keeps only the first
// Offset+Limit rows (TopN) and skips Offset.
type Sort struct {
	Input  Operator
	Keys   []SortKey
	Limit  int64 // -1: no limit
	Offset int64

	out  arrow.Record
	pos  int64
	rel  releaser
	done bool
}

var _ Operator = (*Sort)(nil)

func (s *Sort) Columns() []types.Column { return s.Input.Columns() }
func (s *Sort) Open(ctx *Context) error { return s.Input.Open(ctx) }

func (s *Sort) Next(ctx *Context) (arrow.Record, error) {
	s.rel.drop()
	if s.out == nil && !s.done {
		if err := s.compute(ctx); err != nil {
			s.done = true
			return nil, err
		}
	}
	if s.out == nil || s.pos >= s.out.NumRows() {
		s.done = true
		return nil, nil
	}
	end := min(s.pos+batchRows, s.out.NumRows())
	b := s.out.NewSlice(s.pos, end)
	s.pos = end
	return s.rel.hold(b), nil
}

func (s *Sort) compute(ctx *Context) (err error) {
	defer CatchResource(&err)
	var batches []arrow.Record
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	for {
		b, err := s.Input.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		b.Retain()
		batches = append(batches, b)
	}
	all, err := concatBatches(ctx, s.Input.Columns(), batches)
	if err != nil {
		return err
	}
	defer all.Release()
	perm, err := SortIndices(ctx, all, s.Keys)
	if err != nil {
		return err
	}
	lo := min(max(s.Offset, 0), int64(len(perm)))
	hi := int64(len(perm))
	if s.Limit >= 0 {
		hi = min(hi, lo+s.Limit)
	}
	perm = perm[lo:hi]
	s.out, err = takeRecord(ctx, s.Input.Columns(), all, perm, nil, nil)
	return err
}

// SortIndices returns the row order of b under keys (stable).
func SortIndices(ctx *Context, b arrow.Record, keys []SortKey) ([]int32, error) {
	n := int(b.NumRows())
	cmps := make([]func(i, j int) int, len(keys))
	arrs, err := evalAll(ctx, b, exprsOf(keys))
	if err != nil {
		return nil, err
	}
	defer releaseAll(arrs)
	for k, key := range keys {
		cmps[k] = Comparator(arrs[k], key.Desc, key.NullsFirst)
	}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int {
		for _, c := range cmps {
			if r := c(int(a), int(b)); r != 0 {
				return r
			}
		}
		return 0
	})
	return perm, nil
}

func exprsOf(keys []SortKey) []Expr {
	out := make([]Expr, len(keys))
	for i, k := range keys {
		out[i] = k.Expr
	}
	return out
}

// Comparator returns a three-way comparison of rows of a, applying the
// direction and NULL placement.
func Comparator(a arrow.Array, desc, nullsFirst bool) func(i, j int) int {
	base := valueComparator(a)
	hasNulls := a.NullN() > 0
	return func(i, j int) int {
		if hasNulls {
			ni, nj := a.IsNull(i), a.IsNull(j)
			if ni || nj {
				if ni && nj {
					return 0
				}
				if ni == nullsFirst {
					return -1
				}
				return 1
			}
		}
		r := base(i, j)
		if desc {
			return -r
		}
		return r
	}
}

func valueComparator(a arrow.Array) func(i, j int) int {
	switch x := a.(type) {
	case *array.Boolean:
		return func(i, j int) int {
			vi, vj := x.Value(i), x.Value(j)
			switch {
			case vi == vj:
				return 0
			case !vi:
				return -1
			}
			return 1
		}
	case *array.Int8:
		v := x.Int8Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int16:
		v := x.Int16Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int32:
		v := x.Int32Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int64:
		v := x.Int64Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Float32:
		v := x.Float32Values()
		return func(i, j int) int { return cmpFloat(float64(v[i]), float64(v[j])) }
	case *array.Float64:
		v := x.Float64Values()
		return func(i, j int) int { return cmpFloat(v[i], v[j]) }
	case *array.Decimal64:
		v := x.Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Decimal128:
		return func(i, j int) int { return x.Value(i).Cmp(x.Value(j)) }
	case *array.String:
		return func(i, j int) int { return cmp.Compare(x.Value(i), x.Value(j)) }
	case *array.Binary:
		return func(i, j int) int { return bytes.Compare(x.Value(i), x.Value(j)) }
	case *array.Date32:
		v := x.Date32Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Timestamp:
		v := x.TimestampValues()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Time64:
		v := x.Time64Values()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.Duration:
		v := x.DurationValues()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	case *array.MonthInterval:
		v := x.MonthIntervalValues()
		return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
	}
	return func(i, j int) int { return 0 }
}

// cmpFloat orders NaN above every number, as Trino does.
func cmpFloat(a, b float64) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

func (s *Sort) Close() error {
	s.rel.drop()
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
	return s.Input.Close()
}
