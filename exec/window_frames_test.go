package exec_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// frameRow is one input row of the frame tests.
type frameRow struct {
	id  int64
	g   string
	k   *int64 // sort key, NULL when nil
	x   *int64
	d   *float64
	s   *string
	dec *int64 // decimal(20,2), unscaled
}

var frameCols = []types.Column{
	{Name: "id", Type: types.BigIntType}, {Name: "g", Type: types.VarcharType}, {Name: "k", Type: types.BigIntType},
	{Name: "x", Type: types.BigIntType}, {Name: "d", Type: types.DoubleType}, {Name: "s", Type: types.VarcharType},
	{Name: "dec", Type: types.DecimalOf(20, 2)},
}

func randomFrameRows(seed uint64, n int) []frameRow {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]frameRow, n)
	for i := range out {
		row := frameRow{id: int64(i), g: string(rune('a' + r.IntN(3)))}
		if r.IntN(10) > 0 {
			k := int64(r.IntN(25))
			row.k = &k
		}
		if r.IntN(7) > 0 {
			x := int64(r.IntN(101) - 50)
			row.x = &x
		}
		if r.IntN(7) > 0 {
			d := math.Round((r.Float64()*200-100)*100) / 100
			row.d = &d
		}
		if r.IntN(7) > 0 {
			s := fmt.Sprintf("s%02d", r.IntN(40))
			row.s = &s
		}
		if r.IntN(7) > 0 {
			v := int64(r.IntN(2000001) - 1000000)
			row.dec = &v
		}
		out[i] = row
	}
	return out
}

func (fr frameRow) values() []any {
	opt := func(p any) any {
		switch v := p.(type) {
		case *int64:
			if v != nil {
				return *v
			}
		case *float64:
			if v != nil {
				return *v
			}
		case *string:
			if v != nil {
				return *v
			}
		}
		return nil
	}
	return []any{fr.id, fr.g, opt(fr.k), opt(fr.x), opt(fr.d), opt(fr.s), opt(fr.dec)}
}

type boundSpec struct {
	kind string
	off  int64
}

// frameTestCase is a frame with how the rows are ordered.
type frameTestCase struct {
	unit        exec.FrameUnit
	start, end  boundSpec
	desc, first bool // ORDER BY k DESC, NULLS FIRST
}

func (c frameTestCase) String() string {
	b := func(s boundSpec) string {
		if s.kind == "PRECEDING" || s.kind == "FOLLOWING" {
			return fmt.Sprintf("%d %s", s.off, s.kind)
		}
		return s.kind
	}
	return fmt.Sprintf("%s %s..%s desc=%v nullsFirst=%v", c.unit, b(c.start), b(c.end), c.desc, c.first)
}

func validFrame(start, end string) bool {
	switch {
	case start == "UNBOUNDED FOLLOWING", end == "UNBOUNDED PRECEDING":
		return false
	case start == "CURRENT ROW" && end == "PRECEDING":
		return false
	case start == "FOLLOWING" && (end == "PRECEDING" || end == "CURRENT ROW"):
		return false
	}
	return true
}

func frameTestCases() []frameTestCase {
	kinds := []string{"UNBOUNDED PRECEDING", "PRECEDING", "CURRENT ROW", "FOLLOWING", "UNBOUNDED FOLLOWING"}
	offs := [][2]int64{{1, 2}, {3, 0}}
	var out []frameTestCase
	for _, unit := range []exec.FrameUnit{exec.FrameRows, exec.FrameGroups, exec.FrameRange} {
		for _, s := range kinds {
			for _, e := range kinds {
				if !validFrame(s, e) {
					continue
				}
				for oi, o := range offs {
					hasOff := s == "PRECEDING" || s == "FOLLOWING" || e == "PRECEDING" || e == "FOLLOWING"
					if oi > 0 && !hasOff {
						break
					}
					for _, order := range [][2]bool{{false, false}, {true, false}, {false, true}} {
						out = append(out, frameTestCase{unit: unit, start: boundSpec{s, o[0]}, end: boundSpec{e, o[1]}, desc: order[0], first: order[1]})
					}
				}
			}
		}
	}
	return out
}

// frameFuncs are the functions every case computes: name, argument column,
// extra argument, IGNORE NULLS.
var frameFuncs = []struct {
	name   string
	arg    int // column; -1 for none
	nth    int64
	ignore bool
}{
	{"count", -1, 0, false}, {"count", 3, 0, false}, {"sum", 3, 0, false}, {"avg", 3, 0, false},
	{"min", 3, 0, false}, {"max", 3, 0, false}, {"sum", 4, 0, false}, {"avg", 4, 0, false},
	{"min", 5, 0, false}, {"max", 5, 0, false}, {"sum", 6, 0, false}, {"avg", 6, 0, false},
	{"first_value", 3, 0, false}, {"last_value", 3, 0, false}, {"nth_value", 3, 2, false},
	{"first_value", 3, 0, true}, {"last_value", 3, 0, true}, {"nth_value", 3, 2, true},
	{"array_agg", 3, 0, false},
}

func frameOperator(t *testing.T, ctx *exec.Context, data []frameRow, c frameTestCase) exec.Operator {
	t.Helper()
	rec := rows(t, ctx.Alloc, frameCols, valuesOf(data))
	src := &source{cols: frameCols, batches: []arrow.Record{rec}}
	order := []exec.SortKey{{Expr: col(2, types.BigIntType), Desc: c.desc, NullsFirst: c.first}}
	if c.unit == exec.FrameRows {
		order = append(order, exec.SortKey{Expr: col(0, types.BigIntType)})
	}
	fr := &exec.WindowFrame{Unit: c.unit, StartKind: c.start.kind, EndKind: c.end.kind, StartOff: c.start.off, EndOff: c.end.off}
	if c.unit == exec.FrameRange {
		bound := func(kind string, off int64) (exec.Expr, exec.Expr) {
			if kind != "PRECEDING" && kind != "FOLLOWING" {
				return nil, nil
			}
			op := "$add"
			if (kind == "PRECEDING") != c.desc {
				op = "$subtract"
			}
			b := scalar(t, op, types.BigIntType, types.BigIntType)
			key := col(0, types.BigIntType)
			return &exec.Call{Name: op, Kernel: b.Kernel, Args: []exec.Expr{key, &exec.Const{Value: off, T: types.BigIntType}}, T: b.Result}, key
		}
		fr.StartValue, fr.StartKey = bound(c.start.kind, c.start.off)
		fr.EndValue, fr.EndKey = bound(c.end.kind, c.end.off)
	}
	cols := append([]types.Column{}, frameCols...)
	var funcs []exec.WindowFunc
	for _, ff := range frameFuncs {
		f := exec.WindowFunc{Name: ff.name, PartitionBy: []exec.Expr{col(1, types.VarcharType)}, OrderBy: order, Frame: fr, IgnoreNulls: ff.ignore}
		var argT types.Type
		if ff.arg >= 0 {
			argT = frameCols[ff.arg].Type
			f.Args = []exec.Expr{col(ff.arg, argT)}
		}
		switch ff.name {
		case "first_value", "last_value", "nth_value":
			f.T = argT
			if ff.name == "nth_value" {
				f.Args = append(f.Args, &exec.Const{Value: ff.nth, T: types.BigIntType})
			}
		default:
			var b function.AggBinding
			if ff.arg < 0 {
				b = aggBinding(t, ff.name)
			} else {
				b = aggBinding(t, ff.name, argT)
			}
			f.Agg, f.T = &b, b.Result
		}
		funcs = append(funcs, f)
		cols = append(cols, types.Column{Name: fmt.Sprintf("f%d", len(funcs)), Type: f.T})
	}
	return &exec.Window{Input: src, Funcs: funcs, Cols: cols}
}

func valuesOf(data []frameRow) [][]any {
	out := make([][]any, len(data))
	for i, r := range data {
		out[i] = r.values()
	}
	return out
}

// referenceFrames returns, for each input row, the rows of its frame in
// sort order, straight from the definitions of the frame units (the
// operator's code is not consulted).
func referenceFrames(data []frameRow, c frameTestCase) [][]int {
	out := make([][]int, len(data))
	parts := map[string][]int{}
	var names []string
	for i, r := range data {
		if _, ok := parts[r.g]; !ok {
			names = append(names, r.g)
		}
		parts[r.g] = append(parts[r.g], i)
	}
	keyCmp := func(a, b int) int {
		ka, kb := data[a].k, data[b].k
		switch {
		case ka == nil && kb == nil:
			return 0
		case ka == nil:
			if c.first {
				return -1
			}
			return 1
		case kb == nil:
			if c.first {
				return 1
			}
			return -1
		}
		if c.desc {
			return cmp.Compare(*kb, *ka)
		}
		return cmp.Compare(*ka, *kb)
	}
	for _, name := range names {
		rows := parts[name]
		slices.SortStableFunc(rows, func(a, b int) int {
			if r := keyCmp(a, b); r != 0 || c.unit != exec.FrameRows {
				return r
			}
			return cmp.Compare(a, b)
		})
		// Peer group index of every position (ROWS orders by (k, id): no peers).
		group := make([]int, len(rows))
		for p := 1; p < len(rows); p++ {
			group[p] = group[p-1]
			if c.unit == exec.FrameRows || keyCmp(rows[p-1], rows[p]) != 0 {
				group[p]++
			}
		}
		// dist is how far key b lies after key a in sort order.
		dist := func(a, b int) int64 {
			if c.desc {
				return *data[a].k - *data[b].k
			}
			return *data[b].k - *data[a].k
		}
		for p, i := range rows {
			for q, j := range rows {
				startOK, endOK := true, true
				switch c.unit {
				case exec.FrameRows:
					switch c.start.kind {
					case "PRECEDING":
						startOK = int64(q) >= int64(p)-c.start.off
					case "CURRENT ROW":
						startOK = q >= p
					case "FOLLOWING":
						startOK = int64(q) >= int64(p)+c.start.off
					}
					switch c.end.kind {
					case "PRECEDING":
						endOK = int64(q) <= int64(p)-c.end.off
					case "CURRENT ROW":
						endOK = q <= p
					case "FOLLOWING":
						endOK = int64(q) <= int64(p)+c.end.off
					}
				case exec.FrameGroups:
					gp, gq := int64(group[p]), int64(group[q])
					switch c.start.kind {
					case "PRECEDING":
						startOK = gq >= gp-c.start.off
					case "CURRENT ROW":
						startOK = gq >= gp
					case "FOLLOWING":
						startOK = gq >= gp+c.start.off
					}
					switch c.end.kind {
					case "PRECEDING":
						endOK = gq <= gp-c.end.off
					case "CURRENT ROW":
						endOK = gq <= gp
					case "FOLLOWING":
						endOK = gq <= gp+c.end.off
					}
				default:
					// A NULL current row treats offsets as CURRENT ROW; for
					// other rows an offset bound admits non-NULL keys within
					// the offset and NULLs only on the far side of the frame.
					nullI, nullJ := data[i].k == nil, data[j].k == nil
					switch c.start.kind {
					case "CURRENT ROW":
						startOK = group[q] >= group[p]
					case "PRECEDING", "FOLLOWING":
						off := c.start.off
						if c.start.kind == "PRECEDING" {
							off = -off
						}
						switch {
						case nullI:
							startOK = group[q] >= group[p]
						case nullJ:
							startOK = !c.first
						default:
							startOK = dist(i, j) >= off
						}
					}
					switch c.end.kind {
					case "CURRENT ROW":
						endOK = group[q] <= group[p]
					case "PRECEDING", "FOLLOWING":
						off := c.end.off
						if c.end.kind == "PRECEDING" {
							off = -off
						}
						switch {
						case nullI:
							endOK = group[q] <= group[p]
						case nullJ:
							endOK = c.first
						default:
							endOK = dist(i, j) <= off
						}
					}
				}
				if startOK && endOK {
					out[i] = append(out[i], j)
				}
			}
		}
	}
	return out
}

// referenceRow computes every function of frameFuncs over frame, rendered
// as drain renders values (floats separately, compared with a tolerance).
func referenceRow(data []frameRow, frame []int) []any {
	var out []any
	nonNull := func(get func(r frameRow) any) []any {
		var vs []any
		for _, j := range frame {
			if v := get(data[j]); v != nil {
				vs = append(vs, v)
			}
		}
		return vs
	}
	x := func(r frameRow) any {
		if r.x == nil {
			return nil
		}
		return *r.x
	}
	for _, ff := range frameFuncs {
		switch {
		case ff.name == "count" && ff.arg < 0:
			out = append(out, int64(len(frame)))
		case ff.name == "array_agg":
			if len(frame) == 0 {
				out = append(out, nil)
				continue
			}
			var parts []string
			for _, j := range frame {
				if v := x(data[j]); v != nil {
					parts = append(parts, fmt.Sprint(v))
				} else {
					parts = append(parts, "<nil>")
				}
			}
			out = append(out, "["+strings.Join(parts, " ")+"]")
		case ff.name == "first_value" || ff.name == "last_value" || ff.name == "nth_value":
			var seq []any
			for _, j := range frame {
				if v := x(data[j]); v != nil || !ff.ignore {
					seq = append(seq, v)
				}
			}
			var v any
			switch {
			case ff.name == "first_value" && len(seq) > 0:
				v = seq[0]
			case ff.name == "last_value" && len(seq) > 0:
				v = seq[len(seq)-1]
			case ff.name == "nth_value" && int64(len(seq)) >= ff.nth:
				v = seq[ff.nth-1]
			}
			out = append(out, v)
		default:
			var vs []any
			switch ff.arg {
			case 3:
				vs = nonNull(x)
			case 4:
				vs = nonNull(func(r frameRow) any {
					if r.d == nil {
						return nil
					}
					return *r.d
				})
			case 5:
				vs = nonNull(func(r frameRow) any {
					if r.s == nil {
						return nil
					}
					return *r.s
				})
			case 6:
				vs = nonNull(func(r frameRow) any {
					if r.dec == nil {
						return nil
					}
					return *r.dec
				})
			}
			out = append(out, referenceAgg(ff.name, ff.arg, vs))
		}
	}
	return out
}

func referenceAgg(name string, arg int, vs []any) any {
	if name == "count" {
		return int64(len(vs))
	}
	if len(vs) == 0 {
		return nil
	}
	switch name {
	case "min", "max":
		best := vs[0]
		for _, v := range vs[1:] {
			var c int
			switch b := best.(type) {
			case int64:
				c = cmp.Compare(v.(int64), b)
			case string:
				c = cmp.Compare(v.(string), b)
			}
			if (name == "max" && c > 0) || (name == "min" && c < 0) {
				best = v
			}
		}
		return best
	}
	switch arg {
	case 4: // double
		var s float64
		for _, v := range vs {
			s += v.(float64)
		}
		if name == "avg" {
			s /= float64(len(vs))
		}
		return s
	case 6: // decimal(20,2): sum is decimal(38,2); avg rounds half up
		var s int64
		for _, v := range vs {
			s += v.(int64)
		}
		if name == "sum" {
			return fmt.Sprintf("dec:%d", s)
		}
		n := int64(len(vs))
		q, r := s/n, s%n
		if 2*abs64(r) >= n {
			if s < 0 {
				q--
			} else {
				q++
			}
		}
		return fmt.Sprintf("dec:%d", q)
	}
	var s int64
	for _, v := range vs {
		s += v.(int64)
	}
	if name == "avg" {
		return float64(s) / float64(len(vs))
	}
	return s
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// windowResults drains op, keeping the function columns as Go values.
func windowResults(t *testing.T, ctx *exec.Context, op exec.Operator, first int) ([][]any, error) {
	t.Helper()
	defer op.Close()
	if err := op.Open(ctx); err != nil {
		return nil, err
	}
	var out [][]any
	for {
		b, err := op.Next(ctx)
		if err != nil || b == nil {
			return out, err
		}
		for r := 0; r < int(b.NumRows()); r++ {
			var row []any
			for c := first; c < int(b.NumCols()); c++ {
				v := exec.ScalarAt(b.Column(c), r)
				switch x := v.(type) {
				case []any:
					v = fmt.Sprint(x)
				case decimal128.Num:
					v = "dec:" + x.BigInt().String()
				}
				row = append(row, v)
			}
			out = append(out, row)
		}
	}
}

func sameValue(got, want any) bool {
	g, gok := got.(float64)
	w, wok := want.(float64)
	if gok && wok {
		return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// TestWindowFramesAgainstReference runs every frame shape (unit, bound
// kinds, offsets, ASC/DESC, NULLS FIRST/LAST) over random partitioned data
// with NULLs and duplicate keys, through the fast strategies and through
// the generic one, and checks both against frames computed from the
// definitions.
func TestWindowFramesAgainstReference(t *testing.T) {
	data := randomFrameRows(1, 150)
	for _, c := range frameTestCases() {
		ref := referenceFrames(data, c)
		for _, generic := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v generic=%v", c, generic), func(t *testing.T) {
				restore := exec.SetWindowForceGeneric(generic)
				defer restore()
				ctx, check := testCtx(t, 1, 0)
				got, err := windowResults(t, ctx, frameOperator(t, ctx, data, c), len(frameCols))
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(data) {
					t.Fatalf("got %d rows, want %d", len(got), len(data))
				}
				bad := 0
				for i := range data {
					want := referenceRow(data, ref[i])
					for f := range want {
						if !sameValue(got[i][f], want[f]) && bad < 5 {
							bad++
							t.Errorf("row %d (g=%s k=%v) %s(col %d): got %v, want %v (frame %v)", i, data[i].g, deref(data[i].k), frameFuncs[f].name, frameFuncs[f].arg, got[i][f], want[f], ref[i])
						}
					}
				}
				check()
			})
		}
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// BenchmarkWindowSlidingFrames measures the sliding kernels over one
// partition of a million rows: their cost must not grow with the frame.
func BenchmarkWindowSlidingFrames(b *testing.B) {
	const n = 1 << 20
	cols := []types.Column{{Name: "k", Type: types.BigIntType}, {Name: "x", Type: types.BigIntType}, {Name: "d", Type: types.DoubleType}}
	mem := memory.NewGoAllocator()
	kb, xb, db := array.NewInt64Builder(mem), array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		kb.Append(int64(i / 2))
		xb.Append(int64(r.IntN(1000)))
		db.Append(r.Float64())
	}
	arrs := []arrow.Array{kb.NewArray(), xb.NewArray(), db.NewArray()}
	rec := array.NewRecord(types.Schema(cols), arrs, n)
	for _, frame := range []int64{10, 1000} {
		for _, fn := range []struct {
			name string
			col  int
		}{{"sum", 1}, {"sum", 2}, {"max", 1}, {"count", 1}} {
			b.Run(fmt.Sprintf("%s(%s) ROWS %d PRECEDING", fn.name, cols[fn.col].Name, frame), func(b *testing.B) {
				t := &testing.T{}
				agg := aggBinding(t, fn.name, cols[fn.col].Type)
				for b.Loop() {
					rec.Retain()
					ctx := exec.NewContext(context.Background(), &function.Context{}, 1, 0)
					op := &exec.Window{Input: &source{cols: cols, batches: []arrow.Record{rec}}, Funcs: []exec.WindowFunc{{
						Name: fn.name, Args: []exec.Expr{col(fn.col, cols[fn.col].Type)}, OrderBy: []exec.SortKey{{Expr: col(0, types.BigIntType)}},
						Frame: &exec.WindowFrame{Unit: exec.FrameRows, StartKind: "PRECEDING", StartOff: frame, EndKind: "CURRENT ROW"},
						Agg:   &agg, T: agg.Result,
					}}, Cols: append(append([]types.Column{}, cols...), types.Column{Name: "w", Type: agg.Result})}
					if err := op.Open(ctx); err != nil {
						b.Fatal(err)
					}
					for {
						out, err := op.Next(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if out == nil {
							break
						}
					}
					op.Close()
				}
			})
		}
	}
}
