package function

// min, max, min_by and max_by. Keys are held in typed slices by storage
// class (integers, floats, strings, 128-bit decimals) so the comparison
// loops run over raw values; ties keep the first value seen, as Trino does.

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

type aggKeyKind uint8

const (
	keyNull aggKeyKind = iota // a bare NULL argument: every result is NULL
	keyInt
	keyFloat
	keyString
	keyDec128
)

// aggKeyKindOf picks the storage class of an orderable scalar type.
func aggKeyKindOf(t types.Type) (aggKeyKind, bool) {
	switch t.Kind {
	case types.Unknown:
		return keyNull, true
	case types.Boolean, types.TinyInt, types.SmallInt, types.Integer, types.BigInt, types.Date, types.Time,
		types.Timestamp, types.TimestampTZ, types.IntervalDayTime, types.IntervalYearMonth:
		return keyInt, true
	case types.Real, types.Double:
		return keyFloat, true
	case types.Varchar, types.Char, types.Varbinary:
		return keyString, true
	case types.Decimal:
		if t.IsShortDecimal() {
			return keyInt, true
		}
		return keyDec128, true
	}
	return 0, false
}

func bindMinMax(name string, args []types.Type) (AggBinding, error) {
	if len(args) != 1 {
		return AggBinding{}, UnexpectedParams(name, args, name+"(t) t:orderable")
	}
	kind, ok := aggKeyKindOf(args[0])
	if !ok {
		return AggBinding{}, UnexpectedParams(name, args, name+"(t) t:orderable")
	}
	t := args[0]
	return AggBinding{Args: []types.Type{t}, Result: t, New: func(ctx *Context) GroupAccumulator {
		return &minMaxAcc{ctx: ctx, max: name == "max", keys: aggKeys{kind: kind, typ: t}}
	}}, nil
}

func bindMinMaxBy(name string, args []types.Type) (AggBinding, error) {
	expected := name + "(x, y) y:orderable"
	if len(args) != 2 {
		return AggBinding{}, UnexpectedParams(name, args, expected)
	}
	kind, ok := aggKeyKindOf(args[1])
	if !ok || kind == keyNull {
		return AggBinding{}, UnexpectedParams(name, args, expected)
	}
	x, y := args[0], args[1]
	return AggBinding{Args: []types.Type{x, y}, Result: x, New: func(ctx *Context) GroupAccumulator {
		return &minMaxAcc{ctx: ctx, max: name == "max_by", keys: aggKeys{kind: kind, typ: y},
			by: true, payloadType: x, payload: newAggValueStore(ctx, x.Arrow())}
	}}, nil
}

// aggKeys holds one optional key per group.
type aggKeys struct {
	kind     aggKeyKind
	typ      types.Type
	has      []bool
	ints     []int64
	floats   []float64
	strs     []string
	decs     []decimal128.Num
	strBytes int64
}

func (k *aggKeys) resize(n int) {
	k.has = aggGrow(k.has, n)
	switch k.kind {
	case keyInt:
		k.ints = aggGrow(k.ints, n)
	case keyFloat:
		k.floats = aggGrow(k.floats, n)
	case keyString:
		k.strs = aggGrow(k.strs, n)
	case keyDec128:
		k.decs = aggGrow(k.decs, n)
	}
}

// minMaxAcc is min/max, or min_by/max_by when by is set (args[0] is then
// the payload and args[1] the key).
type minMaxAcc struct {
	ctx  *Context
	max  bool
	keys aggKeys

	by          bool
	payloadType types.Type
	payload     *aggValueStore
	idx         []int // payload index per group
	winner      []int // per group: winning row of the current batch, or -1
	touched     []uint32
}

func (a *minMaxAcc) Resize(n int) {
	a.keys.resize(n)
	if a.by {
		old := len(a.winner)
		a.idx = aggGrow(a.idx, n)
		a.winner = aggGrow(a.winner, n)
		for g := old; g < n; g++ {
			a.winner[g] = -1
		}
	}
}

// aggBetter reports whether x replaces cur.
func aggBetter[T cmp.Ordered](x, cur T, max bool) bool {
	if max {
		return x > cur
	}
	return x < cur
}

// aggExtUpdate folds col into cur; win is called for every row that
// becomes its group's new extremum.
func aggExtUpdate[T cmp.Ordered](cur []T, has []bool, col []T, v aggBits, groups []uint32, max bool, own func(T) T, win func(g uint32, i int)) {
	for i, g := range groups {
		if v.bits != nil && !v.valid(i) {
			continue
		}
		x := col[i]
		if has[g] && !aggBetter(x, cur[g], max) {
			continue
		}
		if own != nil {
			x = own(x)
		}
		cur[g], has[g] = x, true
		if win != nil {
			win(g, i)
		}
	}
}

func aggCmpDec(a, b decimal128.Num) int { return a.Cmp(b) }

// update folds a key column; win as for aggExtUpdate.
func (k *aggKeys) update(col arrow.Array, groups []uint32, max bool, win func(g uint32, i int)) error {
	v := aggValidity(col)
	if v.allNull || k.kind == keyNull {
		return nil
	}
	switch k.kind {
	case keyInt:
		vals, err := aggInt64s(col)
		if err != nil {
			return err
		}
		aggExtUpdate(k.ints, k.has, vals, v, groups, max, nil, win)
	case keyFloat:
		vals, err := aggFloat64s(col)
		if err != nil {
			return err
		}
		aggExtUpdate(k.floats, k.has, vals, v, groups, max, nil, win)
	case keyString:
		vals := make([]string, col.Len())
		switch c := col.(type) {
		case *array.String:
			for i := range vals {
				vals[i] = c.Value(i)
			}
		case *array.Binary:
			for i := range vals {
				vals[i] = c.ValueString(i)
			}
		default:
			return fmt.Errorf("BUG: string key over %s", col.DataType())
		}
		aggExtUpdate(k.strs, k.has, vals, v, groups, max, func(s string) string {
			k.strBytes += int64(len(s))
			return strings.Clone(s)
		}, win)
	case keyDec128:
		vals := col.(*array.Decimal128).Values()
		for i, g := range groups {
			if v.bits != nil && !v.valid(i) {
				continue
			}
			if k.has[g] {
				c := aggCmpDec(vals[i], k.decs[g])
				if (max && c <= 0) || (!max && c >= 0) {
					continue
				}
			}
			k.decs[g], k.has[g] = vals[i], true
			if win != nil {
				win(g, i)
			}
		}
	}
	return nil
}

// mergeOne folds other's key j into group g and reports whether it won.
func (k *aggKeys) mergeOne(o *aggKeys, j int, g uint32, max bool) bool {
	if !o.has[j] {
		return false
	}
	if k.has[g] {
		var c int
		switch k.kind {
		case keyInt:
			c = cmp.Compare(o.ints[j], k.ints[g])
		case keyFloat:
			c = cmp.Compare(o.floats[j], k.floats[g])
		case keyString:
			c = strings.Compare(o.strs[j], k.strs[g])
		case keyDec128:
			c = aggCmpDec(o.decs[j], k.decs[g])
		}
		if (max && c <= 0) || (!max && c >= 0) {
			return false
		}
	}
	k.has[g] = true
	switch k.kind {
	case keyInt:
		k.ints[g] = o.ints[j]
	case keyFloat:
		k.floats[g] = o.floats[j]
	case keyString:
		k.strs[g] = o.strs[j]
		k.strBytes += int64(len(o.strs[j]))
	case keyDec128:
		k.decs[g] = o.decs[j]
	}
	return true
}

func (k *aggKeys) result(ctx *Context) arrow.Array {
	n := len(k.has)
	switch k.kind {
	case keyInt:
		return aggBuildInt64s(ctx, k.typ, k.ints, k.has)
	case keyFloat:
		return aggBuildFloat64s(ctx, k.typ, k.floats, k.has)
	case keyString:
		if k.typ.Kind == types.Varbinary {
			b := array.NewBinaryBuilder(ctx.Alloc, arrow.BinaryTypes.Binary)
			defer b.Release()
			for g, s := range k.strs {
				if k.has[g] {
					b.AppendString(s)
				} else {
					b.AppendNull()
				}
			}
			return b.NewArray()
		}
		return dtBuildStrings(ctx, k.strs, k.has)
	case keyDec128:
		return aggBuildDecimals(ctx, k.typ, k.decs, k.has)
	}
	b := array.NewNullBuilder(ctx.Alloc)
	defer b.Release()
	b.AppendNulls(n)
	return b.NewArray()
}

func (k *aggKeys) size() int64 {
	return int64(cap(k.has)) + int64(cap(k.ints)+cap(k.floats))*8 + int64(cap(k.strs))*16 + k.strBytes + int64(cap(k.decs))*16
}

func (a *minMaxAcc) Update(args []arrow.Array, groups []uint32) error {
	if !a.by {
		return a.keys.update(args[0], groups, a.max, nil)
	}
	// Only the last winner of each group in this batch is stored, so
	// sorted input does not store every row.
	a.touched = a.touched[:0]
	err := a.keys.update(args[1], groups, a.max, func(g uint32, i int) {
		if a.winner[g] < 0 {
			a.touched = append(a.touched, g)
		}
		a.winner[g] = i
	})
	if err != nil {
		return err
	}
	for _, g := range a.touched {
		a.idx[g] = a.payload.add(args[0], a.winner[g])
		a.winner[g] = -1
	}
	a.payload.seal()
	a.maybeCompact()
	return nil
}

// maybeCompact drops superseded payloads once they dominate the store.
func (a *minMaxAcc) maybeCompact() {
	live := len(a.keys.has)
	if a.payload.n < 4*live+4096 {
		return
	}
	fresh := newAggValueStore(a.ctx, a.payloadType.Arrow())
	for g, ok := range a.keys.has {
		if ok {
			chunk, row := a.payload.at(a.idx[g])
			a.idx[g] = fresh.add(chunk, row)
		}
	}
	fresh.seal()
	a.payload.release()
	a.payload = fresh
}

func (a *minMaxAcc) Merge(other GroupAccumulator, groups []uint32) error {
	o, ok := other.(*minMaxAcc)
	if !ok || o.by != a.by || o.keys.kind != a.keys.kind {
		return fmt.Errorf("BUG: merge %T into %T", other, a)
	}
	for j, g := range groups {
		if a.keys.mergeOne(&o.keys, j, g, a.max) && a.by {
			chunk, row := o.payload.at(o.idx[j])
			a.idx[g] = a.payload.add(chunk, row)
		}
	}
	if a.by {
		a.payload.seal()
		a.maybeCompact()
	}
	return nil
}

func (a *minMaxAcc) Result() (arrow.Array, error) {
	if !a.by {
		return a.keys.result(a.ctx), nil
	}
	b := array.NewBuilder(a.ctx.Alloc, a.payloadType.Arrow())
	defer b.Release()
	for g, ok := range a.keys.has {
		if !ok {
			b.AppendNull()
			continue
		}
		chunk, row := a.payload.at(a.idx[g])
		aggAppendValue(b, chunk, row)
	}
	return b.NewArray(), nil
}

func (a *minMaxAcc) Size() int64 {
	s := a.keys.size()
	if a.by {
		s += int64(cap(a.idx)+cap(a.winner))*8 + a.payload.size()
	}
	return s
}

func (a *minMaxAcc) Release() {
	a.keys = aggKeys{kind: a.keys.kind, typ: a.keys.typ}
	if a.payload != nil {
		a.payload.release()
	}
	a.idx, a.winner = nil, nil
}
