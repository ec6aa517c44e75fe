package exec

// Window frames: for every row, the rows its aggregate or value function
// sees, as Trino defines them. A frame is computed once per function as two
// arrays over sorted positions, lo and hi (inclusive); lo > hi is an empty
// frame. Within a partition both ends never move backwards as the current
// row advances, for every unit and bound kind (offsets are constants and
// RANGE bound values are monotone in the sort key), which is what lets the
// aggregate kernels slide a window instead of recomputing each frame.

import (
	"cmp"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// FrameUnit is what a frame's offsets count.
type FrameUnit uint8

const (
	FrameRange  FrameUnit = iota // values of the single sort key (the default unit)
	FrameRows                    // rows
	FrameGroups                  // peer groups
)

func (u FrameUnit) String() string {
	switch u {
	case FrameRows:
		return "ROWS"
	case FrameGroups:
		return "GROUPS"
	}
	return "RANGE"
}

// WindowFrame is a frame clause; bound kinds are the ast frame bound kinds
// ("UNBOUNDED PRECEDING", "PRECEDING", "CURRENT ROW", "FOLLOWING",
// "UNBOUNDED FOLLOWING").
type WindowFrame struct {
	Unit      FrameUnit
	StartKind string
	EndKind   string
	// StartOff and EndOff are the ROWS and GROUPS offsets (>= 0).
	StartOff, EndOff int64
	// RANGE offsets: StartValue (EndValue) computes the bound value of a row
	// (its sort key minus or plus the offset, per the direction), and
	// StartKey (EndKey) the sort key cast to the bound value's type, so the
	// two compare. All four are evaluated over a one-column batch holding
	// the sort key (ColRef 0); a nil pair means that bound has no offset.
	StartValue, StartKey, EndValue, EndKey Expr
	// BadOffset: an offset is NULL or negative. Trino checks offsets per
	// row, so this fails the query only when there are rows.
	BadOffset bool
}

// errBadFrameOffset is Trino's message for a NULL or negative offset.
const errBadFrameOffset = "Window frame offset value must not be negative or null"

type boundKind uint8

const (
	boundUnboundedPreceding boundKind = iota
	boundPreceding
	boundCurrentRow
	boundFollowing
	boundUnboundedFollowing
)

func parseBound(s string) (boundKind, error) {
	switch s {
	case "UNBOUNDED PRECEDING":
		return boundUnboundedPreceding, nil
	case "PRECEDING":
		return boundPreceding, nil
	case "CURRENT ROW":
		return boundCurrentRow, nil
	case "FOLLOWING":
		return boundFollowing, nil
	case "UNBOUNDED FOLLOWING":
		return boundUnboundedFollowing, nil
	}
	return 0, fmt.Errorf("BUG: window frame bound %q", s)
}

// frameSpec is a frame with parsed bounds; the zero Frame (nil) is RANGE
// UNBOUNDED PRECEDING to CURRENT ROW, which without ORDER BY is the whole
// partition (every row is a peer).
type frameSpec struct {
	unit             FrameUnit
	start, end       boundKind
	startOff, endOff int64
	fr               *WindowFrame
}

func specOf(fr *WindowFrame) (frameSpec, error) {
	if fr == nil {
		return frameSpec{unit: FrameRange, start: boundUnboundedPreceding, end: boundCurrentRow}, nil
	}
	s, err := parseBound(fr.StartKind)
	if err != nil {
		return frameSpec{}, err
	}
	e, err := parseBound(fr.EndKind)
	if err != nil {
		return frameSpec{}, err
	}
	if s == boundUnboundedFollowing || e == boundUnboundedPreceding || (s > boundCurrentRow && e < s) || (s == boundCurrentRow && e == boundPreceding) {
		return frameSpec{}, fmt.Errorf("BUG: invalid window frame %s to %s", fr.StartKind, fr.EndKind)
	}
	return frameSpec{unit: fr.Unit, start: s, end: e, startOff: fr.StartOff, endOff: fr.EndOff, fr: fr}, nil
}

// startsAtPartition reports whether every frame starts at its partition's
// first row.
func (s frameSpec) startsAtPartition() bool { return s.start == boundUnboundedPreceding }

// endsAtPartition reports whether every frame ends at its partition's last
// row.
func (s frameSpec) endsAtPartition() bool { return s.end == boundUnboundedFollowing }

// windowFrames holds the frame of every sorted position.
type windowFrames struct {
	lo, hi []int32
}

func (f *windowFrames) empty(i int) bool { return f.lo[i] > f.hi[i] }

// frames computes the frame of every row for f. It accounts its arrays
// with the query's allocator; the caller calls release.
func (w *Window) frames(ctx *Context, b arrow.Record, f *WindowFunc, l *windowLayout) (fs *windowFrames, release func(), err error) {
	spec, err := specOf(f.Frame)
	if err != nil {
		return nil, nil, err
	}
	n := len(l.perm)
	if spec.fr != nil && spec.fr.BadOffset && n > 0 {
		return nil, nil, fmt.Errorf("%s", errBadFrameOffset)
	}
	bytes := int64(n) * 24 // lo, hi and the peer groups
	ctx.Alloc.Reserve(bytes)
	release = func() { ctx.Alloc.Reserve(-bytes) }
	fs = &windowFrames{lo: make([]int32, n), hi: make([]int32, n)}
	// Peer groups, as [peerLo[i], peerHi[i]] per sorted position.
	peerLo, peerHi := make([]int32, n), make([]int32, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && !l.peerStart[j] {
			j++
		}
		for k := i; k < j; k++ {
			peerLo[k], peerHi[k] = int32(i), int32(j-1)
		}
		i = j
	}
	var rng *rangeBounds
	if spec.unit == FrameRange && (spec.start == boundPreceding || spec.start == boundFollowing ||
		spec.end == boundPreceding || spec.end == boundFollowing) {
		if rng, err = newRangeBounds(ctx, b, f, spec); err != nil {
			release()
			return nil, nil, err
		}
		defer rng.release()
	}
	for p := 0; p+1 < len(l.partStart); p++ {
		s, e := l.partStart[p], l.partStart[p+1]
		switch spec.unit {
		case FrameRows:
			rowsFrames(fs, spec, s, e)
		case FrameGroups:
			groupsFrames(fs, spec, l, peerLo, peerHi, s, e)
		default:
			if rng != nil {
				rng.frames(fs, spec, l, peerLo, peerHi, s, e)
				continue
			}
			for i := s; i < e; i++ {
				fs.lo[i], fs.hi[i] = peerLo[i], peerHi[i]
				if spec.start == boundUnboundedPreceding {
					fs.lo[i] = int32(s)
				}
				if spec.end == boundUnboundedFollowing {
					fs.hi[i] = int32(e - 1)
				}
			}
		}
	}
	return fs, release, nil
}

// clampOff bounds an offset by the partition size, so i ± off cannot
// overflow.
func clampOff(off int64, size int) int {
	if off > int64(size) {
		return size + 1
	}
	return int(off)
}

// rowsFrames fills the ROWS frames of partition [s, e).
func rowsFrames(fs *windowFrames, spec frameSpec, s, e int) {
	so, eo := clampOff(spec.startOff, e-s), clampOff(spec.endOff, e-s)
	for i := s; i < e; i++ {
		var lo, hi int
		switch spec.start {
		case boundUnboundedPreceding:
			lo = s
		case boundPreceding:
			lo = i - so
		case boundCurrentRow:
			lo = i
		case boundFollowing:
			lo = i + so
		}
		switch spec.end {
		case boundPreceding:
			hi = i - eo
		case boundCurrentRow:
			hi = i
		case boundFollowing:
			hi = i + eo
		case boundUnboundedFollowing:
			hi = e - 1
		}
		fs.lo[i], fs.hi[i] = int32(max(lo, s)), int32(min(hi, e-1))
	}
}

// groupsFrames fills the GROUPS frames of partition [s, e): offsets count
// peer groups.
func groupsFrames(fs *windowFrames, spec frameSpec, l *windowLayout, peerLo, peerHi []int32, s, e int) {
	var starts []int32 // first position of each peer group, then e
	for i := s; i < e; i++ {
		if l.peerStart[i] {
			starts = append(starts, int32(i))
		}
	}
	groups := len(starts)
	starts = append(starts, int32(e))
	so, eo := clampOff(spec.startOff, groups), clampOff(spec.endOff, groups)
	g := -1
	for i := s; i < e; i++ {
		if l.peerStart[i] {
			g++
		}
		var lo, hi int32
		switch spec.start {
		case boundUnboundedPreceding:
			lo = int32(s)
		case boundPreceding:
			lo = starts[max(g-so, 0)]
		case boundCurrentRow:
			lo = peerLo[i]
		case boundFollowing:
			lo = starts[min(g+so, groups)]
		}
		switch spec.end {
		case boundPreceding:
			if k := g - eo; k >= 0 {
				hi = starts[k+1] - 1
			} else {
				hi = int32(s - 1)
			}
		case boundCurrentRow:
			hi = peerHi[i]
		case boundFollowing:
			hi = starts[min(g+eo, groups-1)+1] - 1
		case boundUnboundedFollowing:
			hi = int32(e - 1)
		}
		fs.lo[i], fs.hi[i] = lo, hi
	}
}

// rangeBounds holds, for a RANGE frame with offsets, the sort key and the
// bound values of every row (in input order), and how they compare.
type rangeBounds struct {
	key                  arrow.Array // the sort key, for NULL tests
	startKey, startValue arrow.Array
	endKey, endValue     arrow.Array
	startCmp, endCmp     func(k, v int) int // key row k against bound row v, in sort order
}

func (r *rangeBounds) release() {
	releaseAll([]arrow.Array{r.key, r.startKey, r.startValue, r.endKey, r.endValue})
}

func newRangeBounds(ctx *Context, b arrow.Record, f *WindowFunc, spec frameSpec) (_ *rangeBounds, err error) {
	if len(f.OrderBy) != 1 {
		return nil, fmt.Errorf("BUG: RANGE frame with offsets over %d sort keys", len(f.OrderBy))
	}
	r := &rangeBounds{}
	defer func() {
		if err != nil {
			r.release()
		}
	}()
	if r.key, err = f.OrderBy[0].Expr.Eval(ctx, b); err != nil {
		return nil, err
	}
	keyRec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "key", Type: r.key.DataType(), Nullable: true}}, nil), []arrow.Array{r.key}, int64(r.key.Len()))
	defer keyRec.Release()
	desc := f.OrderBy[0].Desc
	side := func(kind boundKind, keyE, valE Expr) (k, v arrow.Array, c func(int, int) int, err error) {
		if kind != boundPreceding && kind != boundFollowing {
			return nil, nil, nil, nil
		}
		if keyE == nil || valE == nil {
			return nil, nil, nil, fmt.Errorf("BUG: RANGE frame offset without bound expressions")
		}
		if k, err = keyE.Eval(ctx, keyRec); err != nil {
			return nil, nil, nil, err
		}
		if v, err = valE.Eval(ctx, keyRec); err != nil {
			k.Release()
			return nil, nil, nil, err
		}
		if c, err = crossComparator(k, v, desc); err != nil {
			k.Release()
			v.Release()
			return nil, nil, nil, err
		}
		return k, v, c, nil
	}
	if r.startKey, r.startValue, r.startCmp, err = side(spec.start, spec.fr.StartKey, spec.fr.StartValue); err != nil {
		return nil, err
	}
	if r.endKey, r.endValue, r.endCmp, err = side(spec.end, spec.fr.EndKey, spec.fr.EndValue); err != nil {
		return nil, err
	}
	return r, nil
}

// frames fills the RANGE frames of partition [s, e) (Trino's RangeFraming):
// a row whose sort key is NULL treats offset bounds as CURRENT ROW (its
// frame is the NULL peer group, extended by UNBOUNDED bounds); for other
// rows an offset bound is found among the non-NULL keys only, so NULLs
// enter a frame only through an UNBOUNDED bound.
func (r *rangeBounds) frames(fs *windowFrames, spec frameSpec, l *windowLayout, peerLo, peerHi []int32, s, e int) {
	perm := l.perm
	var startOK, endOK validity // bound values that are not NULL
	if r.startValue != nil {
		startOK = validityOf(r.startValue)
	}
	if r.endValue != nil {
		endOK = validityOf(r.endValue)
	}
	// NULL keys sort together at one end: [a, b) holds the non-NULL ones.
	a, b := s, e
	if r.key.NullN() > 0 {
		for a < e && r.key.IsNull(int(perm[a])) {
			a++
		}
		for b > a && r.key.IsNull(int(perm[b-1])) {
			b--
		}
	}
	for i := s; i < e; i++ {
		row := int(perm[i])
		null := i < a || i >= b
		var lo, hi int32
		switch spec.start {
		case boundUnboundedPreceding:
			lo = int32(s)
		case boundCurrentRow:
			lo = peerLo[i]
		default:
			if null {
				lo = peerLo[i]
			} else if !startOK.ok(row) {
				lo = int32(b)
			} else {
				// First non-NULL key at or after the bound value.
				lo = int32(a + sort.Search(b-a, func(k int) bool { return r.startCmp(int(perm[a+k]), row) >= 0 }))
			}
		}
		switch spec.end {
		case boundUnboundedFollowing:
			hi = int32(e - 1)
		case boundCurrentRow:
			hi = peerHi[i]
		default:
			if null {
				hi = peerHi[i]
			} else if !endOK.ok(row) {
				hi = int32(a - 1)
			} else {
				// Last non-NULL key at or before the bound value.
				hi = int32(a+sort.Search(b-a, func(k int) bool { return r.endCmp(int(perm[a+k]), row) > 0 })) - 1
			}
		}
		fs.lo[i], fs.hi[i] = lo, hi
	}
}

// crossComparator compares row i of keys with row j of vals (arrays of one
// type) in sort order: NaN above every number, as the sort puts it.
func crossComparator(keys, vals arrow.Array, desc bool) (func(i, j int) int, error) {
	if !arrow.TypeEqual(keys.DataType(), vals.DataType()) {
		return nil, fmt.Errorf("BUG: RANGE frame compares %s with %s", keys.DataType(), vals.DataType())
	}
	var c func(i, j int) int
	switch k := keys.(type) {
	case *array.Int8:
		c = crossCmp(k.Int8Values(), vals.(*array.Int8).Int8Values())
	case *array.Int16:
		c = crossCmp(k.Int16Values(), vals.(*array.Int16).Int16Values())
	case *array.Int32:
		c = crossCmp(k.Int32Values(), vals.(*array.Int32).Int32Values())
	case *array.Int64:
		c = crossCmp(k.Int64Values(), vals.(*array.Int64).Int64Values())
	case *array.Decimal64:
		c = crossCmp(k.Values(), vals.(*array.Decimal64).Values())
	case *array.Date32:
		c = crossCmp(k.Date32Values(), vals.(*array.Date32).Date32Values())
	case *array.Time64:
		c = crossCmp(k.Time64Values(), vals.(*array.Time64).Time64Values())
	case *array.Timestamp:
		c = crossCmp(k.TimestampValues(), vals.(*array.Timestamp).TimestampValues())
	case *array.Float32:
		kv, vv := k.Float32Values(), vals.(*array.Float32).Float32Values()
		c = func(i, j int) int { return cmpFloat(float64(kv[i]), float64(vv[j])) }
	case *array.Float64:
		kv, vv := k.Float64Values(), vals.(*array.Float64).Float64Values()
		c = func(i, j int) int { return cmpFloat(kv[i], vv[j]) }
	case *array.Decimal128:
		kv, vv := k.Values(), vals.(*array.Decimal128).Values()
		c = func(i, j int) int { return kv[i].Cmp(vv[j]) }
	default:
		return nil, fmt.Errorf("RANGE frame offsets over %s are not supported", keys.DataType())
	}
	if desc {
		return func(i, j int) int { return -c(i, j) }, nil
	}
	return c, nil
}

func crossCmp[T cmp.Ordered](k, v []T) func(i, j int) int {
	return func(i, j int) int { return cmp.Compare(k[i], v[j]) }
}

// validity reads an array's validity bitmap without an interface call per
// row.
type validity struct {
	bits []byte // nil: no NULLs
	off  int
}

func validityOf(a arrow.Array) validity {
	if a.NullN() == 0 {
		return validity{}
	}
	if a.DataType().ID() == arrow.NULL {
		return validity{bits: make([]byte, bitutil.BytesForBits(int64(a.Len())))}
	}
	return validity{bits: a.NullBitmapBytes(), off: a.Data().Offset()}
}

func (v validity) ok(i int) bool { return v.bits == nil || bitutil.BitIsSet(v.bits, v.off+i) }
