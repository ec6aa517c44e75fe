package function

// Sketch aggregates: approx_distinct with HyperLogLog
// (github.com/axiomhq/hyperloglog) and approx_percentile with DDSketch
// (github.com/DataDog/sketches-go). Both hash or sketch values per group
// and merge losslessly, so partial aggregation is exact with respect to the
// sketch. approx_percentile keeps the exact values of small groups and only
// switches to a sketch past aggExactLimit values, so small inputs give
// exact answers (nearest rank, as Trino's digests do on small inputs).

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/axiomhq/hyperloglog"
	"github.com/zeebo/xxh3"

	"github.com/quarry-sql/quarry/types"
)

// ---- hashing for the sketches --------------------------------------------------

// aggHashes hashes every row of a with xxh3 (NULL rows hash to 0; callers
// check validity). Equal SQL values of one type hash equally.
func aggHashes(a arrow.Array) ([]uint64, error) {
	out := make([]uint64, a.Len())
	var buf [16]byte
	switch c := a.(type) {
	case *array.String:
		for i := range out {
			out[i] = xxh3.HashString(c.Value(i))
		}
	case *array.Binary:
		for i := range out {
			out[i] = xxh3.Hash(c.Value(i))
		}
	case *array.Float64, *array.Float32:
		vals, _ := aggFloat64s(a)
		for i, f := range vals {
			if f == 0 {
				f = 0 // -0 equals 0
			} else if math.IsNaN(f) {
				f = math.NaN()
			}
			binary.LittleEndian.PutUint64(buf[:8], math.Float64bits(f))
			out[i] = xxh3.Hash(buf[:8])
		}
	case *array.Decimal128:
		for i, v := range c.Values() {
			binary.LittleEndian.PutUint64(buf[:8], v.LowBits())
			binary.LittleEndian.PutUint64(buf[8:], uint64(v.HighBits()))
			out[i] = xxh3.Hash(buf[:16])
		}
	case *array.List, *array.Map, *array.Struct:
		for i := range out {
			if c.IsValid(i) {
				out[i] = xxh3.HashString(c.ValueStr(i))
			}
		}
	case *array.Null:
	default:
		vals, err := aggInt64s(a)
		if err != nil {
			return nil, err
		}
		for i, v := range vals {
			binary.LittleEndian.PutUint64(buf[:8], uint64(v))
			out[i] = xxh3.Hash(buf[:8])
		}
	}
	return out, nil
}

// ---- approx_distinct --------------------------------------------------------

// Trino's default maximum standard error is 2.3%; precision 12 (1.6%)
// costs at most 4 KiB per group and sparse sketches far less.
const hllDefaultPrecision = 12

func bindApproxDistinct(args []types.Type) (AggBinding, error) {
	const e1, e2 = "approx_distinct(T)", "approx_distinct(T, double)"
	if len(args) < 1 || len(args) > 2 {
		return AggBinding{}, UnexpectedParams("approx_distinct", args, e1, e2)
	}
	bound := []types.Type{args[0]}
	if len(args) == 2 {
		if !(args[1].IsNumeric() || args[1].Kind == types.Unknown) {
			return AggBinding{}, UnexpectedParams("approx_distinct", args, e1, e2)
		}
		bound = append(bound, types.DoubleType)
	}
	return AggBinding{Args: bound, Result: types.BigIntType, New: func(ctx *Context) GroupAccumulator {
		return &hllAcc{ctx: ctx}
	}}, nil
}

type hllAcc struct {
	ctx       *Context
	precision uint8
	sketches  []*hyperloglog.Sketch
	inserted  []int64
}

func (a *hllAcc) Resize(n int) {
	a.sketches, a.inserted = aggGrow(a.sketches, n), aggGrow(a.inserted, n)
}

func (a *hllAcc) sketch(g uint32) *hyperloglog.Sketch {
	s := a.sketches[g]
	if s == nil {
		s, _ = hyperloglog.NewSketch(a.precisionOrDefault(), true)
		a.sketches[g] = s
	}
	return s
}

func (a *hllAcc) precisionOrDefault() uint8 {
	if a.precision == 0 {
		return hllDefaultPrecision
	}
	return a.precision
}

// setError fixes the precision from the maximum standard error argument.
func (a *hllAcc) setError(col arrow.Array) error {
	c, ok := col.(*array.Float64)
	if !ok {
		return nil
	}
	for i := 0; i < c.Len(); i++ {
		if c.IsNull(i) {
			continue
		}
		e := c.Value(i)
		if !(e >= 0.0040625 && e <= 0.26) {
			return fmt.Errorf("Max standard error must be in [0.0040625, 0.26]: %v", e)
		}
		// HyperLogLog's standard error is 1.04/sqrt(2^p).
		p := uint8(min(max(math.Ceil(math.Log2(1.04*1.04/(e*e))), 4), 16))
		if a.precision != 0 && a.precision != p {
			return fmt.Errorf("Max standard error of approx_distinct must be constant")
		}
		a.precision = p
		return nil
	}
	return nil
}

func (a *hllAcc) Update(args []arrow.Array, groups []uint32) error {
	if len(args) == 2 {
		if err := a.setError(args[1]); err != nil {
			return err
		}
	}
	v := aggValidity(args[0])
	if v.allNull {
		return nil
	}
	hashes, err := aggHashes(args[0])
	if err != nil {
		return err
	}
	for i, g := range groups {
		if v.valid(i) {
			a.sketch(g).InsertHash(hashes[i])
			a.inserted[g]++
		}
	}
	return nil
}

func (a *hllAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*hllAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	if a.precision == 0 {
		a.precision = o.precision
	}
	for j, g := range groups {
		if o.sketches[j] == nil {
			continue
		}
		if err := a.sketch(g).Merge(o.sketches[j]); err != nil {
			return fmt.Errorf("approx_distinct: %w", err)
		}
		a.inserted[g] += o.inserted[j]
	}
	return nil
}

func (a *hllAcc) Result() (arrow.Array, error) {
	vals := make([]int64, len(a.sketches))
	for g, s := range a.sketches {
		if s != nil {
			vals[g] = int64(s.Estimate())
		}
	}
	b := array.NewInt64Builder(a.ctx.Alloc)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray(), nil
}

func (a *hllAcc) Size() int64 {
	dense := int64(1) << a.precisionOrDefault()
	var s int64
	for _, n := range a.inserted {
		s += min(dense, 4*n) + 64
	}
	return s + int64(cap(a.sketches))*8
}

func (a *hllAcc) Release() { a.sketches, a.inserted = nil, nil }

// ---- approx_percentile --------------------------------------------------------

// aggExactLimit is how many values a group keeps exactly before sketching.
const aggExactLimit = 1024

// ddAccuracy is the sketch's relative accuracy (1%), and ddMaxBins bounds
// its memory (about 16 KiB per group at most).
const (
	ddAccuracy = 0.01
	ddMaxBins  = 2048
)

func bindApproxPercentile(args []types.Type) (AggBinding, error) {
	const e1, e2, e3 = "approx_percentile(bigint, double)", "approx_percentile(double, double)", "approx_percentile(T, bigint, double)"
	bad := func() (AggBinding, error) {
		return AggBinding{}, UnexpectedParams("approx_percentile", args, e1, e2, e3, "approx_percentile(T, array(double))")
	}
	if len(args) < 2 || len(args) > 3 {
		return bad()
	}
	x := aggUnknown(args[0], types.DoubleType)
	switch {
	case x.IsInteger():
		x = types.BigIntType
	case x.Kind == types.Decimal:
		x = types.DoubleType
	case x.Kind == types.Real, x.Kind == types.Double:
	default:
		return bad()
	}
	bound := []types.Type{x}
	if len(args) == 3 {
		if !(args[1].IsNumeric() || args[1].Kind == types.Unknown) {
			return bad()
		}
		bound = append(bound, types.DoubleType)
	}
	p := args[len(args)-1]
	result := x
	switch {
	case p.IsNumeric() || p.Kind == types.Unknown:
		bound = append(bound, types.DoubleType)
	case p.Kind == types.Array && (p.Elem.IsNumeric() || p.Elem.Kind == types.Unknown):
		bound = append(bound, types.ArrayOf(types.DoubleType))
		result = types.ArrayOf(x)
	default:
		return bad()
	}
	weighted := len(args) == 3
	return AggBinding{Args: bound, Result: result, New: func(ctx *Context) GroupAccumulator {
		return &percentileAcc{ctx: ctx, x: x, result: result, weighted: weighted}
	}}, nil
}

type percentileAcc struct {
	ctx      *Context
	x        types.Type
	result   types.Type
	weighted bool

	quantiles []float64 // set from the first row
	exact     [][]float64
	weights   [][]float64 // weighted only
	sketches  []*ddsketch.DDSketch
	count     []float64
	exactN    int64
}

func (a *percentileAcc) Resize(n int) {
	a.exact, a.sketches, a.count = aggGrow(a.exact, n), aggGrow(a.sketches, n), aggGrow(a.count, n)
	if a.weighted {
		a.weights = aggGrow(a.weights, n)
	}
}

// setQuantiles reads the percentage argument, which must be constant.
func (a *percentileAcc) setQuantiles(col arrow.Array) error {
	for i := 0; i < col.Len(); i++ {
		if col.IsNull(i) {
			continue
		}
		var qs []float64
		switch c := col.(type) {
		case *array.Float64:
			qs = []float64{c.Value(i)}
		case *array.List:
			start, end := c.ValueOffsets(i)
			elems, ok := c.ListValues().(*array.Float64)
			if !ok {
				return fmt.Errorf("BUG: approx_percentile over %s", col.DataType())
			}
			for j := start; j < end; j++ {
				if elems.IsNull(int(j)) {
					return fmt.Errorf("Percentile cannot be null")
				}
				qs = append(qs, elems.Value(int(j)))
			}
		}
		for _, q := range qs {
			if !(q >= 0 && q <= 1) {
				return fmt.Errorf("Percentile must be between 0 and 1: %v", q)
			}
		}
		if a.quantiles != nil {
			if !equalFloats(a.quantiles, qs) {
				return fmt.Errorf("Percentile argument must be constant for all input rows")
			}
			return nil
		}
		a.quantiles = qs
		return nil
	}
	return nil
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (a *percentileAcc) add(g uint32, x, w float64) error {
	if w <= 0 {
		if w < 0 {
			return fmt.Errorf("Weight must be non-negative: %v", w)
		}
		return nil
	}
	a.count[g] += w
	if s := a.sketches[g]; s != nil {
		return s.AddWithCount(x, w)
	}
	a.exact[g] = append(a.exact[g], x)
	if a.weighted {
		a.weights[g] = append(a.weights[g], w)
	}
	a.exactN++
	if len(a.exact[g]) > aggExactLimit {
		return a.toSketch(g)
	}
	return nil
}

func (a *percentileAcc) toSketch(g uint32) error {
	s, err := ddsketch.LogCollapsingLowestDenseDDSketch(ddAccuracy, ddMaxBins)
	if err != nil {
		return err
	}
	for k, x := range a.exact[g] {
		w := 1.0
		if a.weighted {
			w = a.weights[g][k]
		}
		if err := s.AddWithCount(x, w); err != nil {
			return err
		}
	}
	a.exactN -= int64(len(a.exact[g]))
	a.exact[g] = nil
	if a.weighted {
		a.weights[g] = nil
	}
	a.sketches[g] = s
	return nil
}

func (a *percentileAcc) Update(args []arrow.Array, groups []uint32) error {
	if err := a.setQuantiles(args[len(args)-1]); err != nil {
		return err
	}
	v := aggValidity(args[0])
	if v.allNull {
		return nil
	}
	xs, err := aggFloat64s(args[0])
	if err != nil {
		return err
	}
	var ws []float64
	var wv aggBits
	if a.weighted {
		if ws, err = aggFloat64s(args[1]); err != nil {
			return err
		}
		wv = aggValidity(args[1])
	}
	for i, g := range groups {
		if !v.valid(i) {
			continue
		}
		w := 1.0
		if a.weighted {
			if !wv.valid(i) {
				continue
			}
			w = ws[i]
		}
		if math.IsNaN(xs[i]) {
			continue
		}
		if err := a.add(g, xs[i], w); err != nil {
			return err
		}
	}
	return nil
}

func (a *percentileAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*percentileAcc)
	if !ok {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	if o.quantiles != nil {
		if a.quantiles == nil {
			a.quantiles = o.quantiles
		} else if !equalFloats(a.quantiles, o.quantiles) {
			return fmt.Errorf("Percentile argument must be constant for all input rows")
		}
	}
	for j, g := range groups {
		if os := o.sketches[j]; os != nil {
			if a.sketches[g] == nil {
				if err := a.toSketch(g); err != nil {
					return err
				}
			}
			if err := a.sketches[g].MergeWith(os); err != nil {
				return fmt.Errorf("approx_percentile: %w", err)
			}
			a.count[g] += o.count[j]
			continue
		}
		for k, x := range o.exact[j] {
			w := 1.0
			if o.weighted {
				w = o.weights[j][k]
			}
			if err := a.add(g, x, w); err != nil {
				return err
			}
		}
	}
	return nil
}

// exactQuantile returns the value of rank q·(W−1) in weight order, the
// rank DDSketch uses too.
func exactQuantile(vals, weights []float64, q float64, total float64) float64 {
	rank := q * (total - 1)
	cum := 0.0
	for k, x := range vals {
		w := 1.0
		if weights != nil {
			w = weights[k]
		}
		cum += w
		if cum > rank {
			return x
		}
	}
	return vals[len(vals)-1]
}

func (a *percentileAcc) Result() (arrow.Array, error) {
	n := len(a.count)
	nq := len(a.quantiles)
	vals := make([]float64, n*max(nq, 1))
	valid := make([]bool, n)
	for g := 0; g < n; g++ {
		if a.count[g] == 0 || nq == 0 {
			continue
		}
		valid[g] = true
		if s := a.sketches[g]; s != nil {
			for k, q := range a.quantiles {
				v, err := s.GetValueAtQuantile(q)
				if err != nil {
					return nil, fmt.Errorf("approx_percentile: %w", err)
				}
				vals[g*nq+k] = v
			}
			continue
		}
		xs, ws := a.exact[g], []float64(nil)
		if a.weighted {
			ws = a.weights[g]
			idx := make([]int, len(xs))
			for k := range idx {
				idx[k] = k
			}
			sort.SliceStable(idx, func(i, j int) bool { return xs[idx[i]] < xs[idx[j]] })
			sx, sw := make([]float64, len(xs)), make([]float64, len(xs))
			for k, p := range idx {
				sx[k], sw[k] = xs[p], ws[p]
			}
			xs, ws = sx, sw
		} else {
			sort.Float64s(xs)
		}
		for k, q := range a.quantiles {
			vals[g*nq+k] = exactQuantile(xs, ws, q, a.count[g])
		}
	}
	if a.x.Kind == types.BigInt {
		for i, v := range vals {
			vals[i] = math.Round(v)
		}
	}
	if a.result.Kind != types.Array {
		return a.buildScalars(vals, valid), nil
	}
	b := array.NewListBuilder(a.ctx.Alloc, a.x.Arrow())
	defer b.Release()
	for g := 0; g < n; g++ {
		if !valid[g] {
			b.AppendNull()
			continue
		}
		b.Append(true)
		switch vb := b.ValueBuilder().(type) {
		case *array.Int64Builder:
			for _, v := range vals[g*nq : (g+1)*nq] {
				vb.Append(int64(v))
			}
		case *array.Float64Builder:
			vb.AppendValues(vals[g*nq:(g+1)*nq], nil)
		case *array.Float32Builder:
			for _, v := range vals[g*nq : (g+1)*nq] {
				vb.Append(float32(v))
			}
		}
	}
	return b.NewArray(), nil
}

func (a *percentileAcc) buildScalars(vals []float64, valid []bool) arrow.Array {
	if a.x.Kind == types.BigInt {
		ints := make([]int64, len(valid))
		for g := range ints {
			ints[g] = int64(vals[g])
		}
		return aggBuildInt64s(a.ctx, a.x, ints, valid)
	}
	return aggBuildFloat64s(a.ctx, a.x, vals[:len(valid)], valid)
}

func (a *percentileAcc) Size() int64 {
	s := int64(cap(a.exact)+cap(a.weights))*24 + int64(cap(a.sketches)+cap(a.count))*8
	mult := int64(8)
	if a.weighted {
		mult = 16
	}
	s += a.exactN * mult
	for _, sk := range a.sketches {
		if sk != nil {
			s += 2 * ddMaxBins * 8
		}
	}
	return s
}

func (a *percentileAcc) Release() {
	a.exact, a.weights, a.sketches, a.count = nil, nil, nil, nil
}
