package plan

// Window function calls: the checks Trino's analyzer makes on the call and
// its frame, and the binding of frame offsets. ROWS and GROUPS offsets are
// constant integers; a RANGE offset becomes two expressions over the sort
// key (exec evaluates them over a one-column batch holding the key): the
// bound value, key - offset or key + offset as the direction says, and the
// key cast to that value's type so the two compare.

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// Frame is a window frame; nil means the default (RANGE UNBOUNDED
// PRECEDING to CURRENT ROW with ORDER BY, the whole partition without).
type Frame struct {
	Unit      exec.FrameUnit
	StartKind string // ast frame bound kinds
	EndKind   string
	// StartOff and EndOff are the ROWS and GROUPS offsets.
	StartOff, EndOff int64
	// RANGE offsets: the bound values and the sort key cast for comparison,
	// over the column KeyID that stands for the sort key; nil when the bound
	// has no offset.
	StartValue, StartKey, EndValue, EndKey Expr
	KeyID                                  ColumnID
	// BadOffset: an offset is NULL or negative (an error once rows flow).
	BadOffset bool
}

func (f *Frame) String() string {
	s := strings.ToLower(f.Unit.String()) + " between "
	bound := func(kind string, off int64, val Expr) string {
		if c, ok := val.(*Call); ok && len(c.Args) == 2 { // sort key -/+ offset
			return fmt.Sprintf("%s %s", c.Args[1], strings.ToLower(kind))
		}
		if kind == ast.Preceding || kind == ast.Following {
			return fmt.Sprintf("%d %s", off, strings.ToLower(kind))
		}
		return strings.ToLower(kind)
	}
	return s + bound(f.StartKind, f.StartOff, f.StartValue) + " and " + bound(f.EndKind, f.EndOff, f.EndValue)
}

// compile turns the frame into exec's; nil stays nil.
func (f *Frame) compile() (*exec.WindowFrame, error) {
	if f == nil {
		return nil, nil
	}
	out := &exec.WindowFrame{Unit: f.Unit, StartKind: f.StartKind, EndKind: f.EndKind,
		StartOff: f.StartOff, EndOff: f.EndOff, BadOffset: f.BadOffset}
	layout := Layout{f.KeyID: 0}
	for _, c := range []struct {
		from Expr
		to   *exec.Expr
	}{{f.StartValue, &out.StartValue}, {f.StartKey, &out.StartKey}, {f.EndValue, &out.EndValue}, {f.EndKey, &out.EndKey}} {
		if c.from == nil {
			continue
		}
		e, err := Compile(c.from, layout)
		if err != nil {
			return nil, err
		}
		*c.to = e
	}
	return out, nil
}

// frameErr is a semantic error at a frame clause (Frame is not an
// ast.Node: its End field shadows the method).
func frameErr(fr *ast.Frame, format string, args ...any) error {
	return &SemanticError{Pos: fr.Span.From, Msg: fmt.Sprintf(format, args...)}
}

// checkWindowCall makes Trino's checks on a window function call that are
// not about the frame's bounds.
func (ec *exprCtx) checkWindowCall(x *ast.FuncCall, name string) error {
	if x.Filter != nil {
		return errAt(x, "FILTER is not yet supported for window functions")
	}
	if x.Distinct {
		return errAt(x, "DISTINCT in window function parameters not yet supported: %s", ast.Format(x))
	}
	if name == "lag" || name == "lead" {
		if len(x.Over.OrderBy) == 0 {
			return errAt(x.Over, "%s function requires an ORDER BY window clause", name)
		}
		if x.Over.Frame != nil {
			return frameErr(x.Over.Frame, "Cannot specify window frame for %s function", name)
		}
	}
	if x.NullTreatment != "" && !windowValue[name] {
		return errAt(x, "Cannot specify null treatment clause for %s function", name)
	}
	return nil
}

// bindFrame validates and binds a frame clause; inner binds the offsets.
func (ec *exprCtx) bindFrame(inner *exprCtx, spec *ast.WindowSpec, orderBy []SortKey) (*Frame, error) {
	af := spec.Frame
	fr := &Frame{StartKind: af.Start.Kind, EndKind: ast.CurrentRow}
	switch strings.ToUpper(af.Unit) {
	case "ROWS":
		fr.Unit = exec.FrameRows
	case "GROUPS":
		fr.Unit = exec.FrameGroups
	default:
		fr.Unit = exec.FrameRange
	}
	if af.End != nil {
		fr.EndKind = af.End.Kind
	}
	start, end := fr.StartKind, fr.EndKind
	switch {
	case start == ast.UnboundedFollowing:
		return nil, frameErr(af, "Window frame start cannot be UNBOUNDED FOLLOWING")
	case end == ast.UnboundedPreceding:
		return nil, frameErr(af, "Window frame end cannot be UNBOUNDED PRECEDING")
	case start == ast.CurrentRow && end == ast.Preceding:
		return nil, frameErr(af, "Window frame starting from CURRENT ROW cannot end with PRECEDING")
	case start == ast.Following && end == ast.Preceding:
		return nil, frameErr(af, "Window frame starting from FOLLOWING cannot end with PRECEDING")
	case start == ast.Following && end == ast.CurrentRow:
		return nil, frameErr(af, "Window frame starting from FOLLOWING cannot end with CURRENT ROW")
	}
	for _, bd := range []struct {
		b     *ast.FrameBound
		which string
		off   *int64
		val   *Expr
		key   *Expr
	}{{af.Start, "start", &fr.StartOff, &fr.StartValue, &fr.StartKey}, {af.End, "end", &fr.EndOff, &fr.EndValue, &fr.EndKey}} {
		if bd.b == nil || bd.b.Offset == nil {
			continue
		}
		if fr.Unit == exec.FrameGroups && len(orderBy) == 0 {
			return nil, frameErr(af, "Window frame of type GROUPS PRECEDING or FOLLOWING requires ORDER BY")
		}
		if fr.Unit == exec.FrameRange {
			if err := ec.bindRangeOffset(inner, fr, af, bd.b, orderBy, bd.val, bd.key); err != nil {
				return nil, err
			}
			continue
		}
		e, err := inner.bind(bd.b.Offset)
		if err != nil {
			return nil, err
		}
		e = inner.fold(e)
		if t := e.Type(); !t.IsInteger() && !(t.Kind == types.Decimal && t.Scale == 0) {
			return nil, errAt(bd.b.Offset, "Window frame %s %s value type must be exact numeric type with scale 0 (actual %s)", fr.Unit, bd.which, t)
		}
		c, ok := e.(*Const)
		if !ok {
			return nil, errAt(bd.b.Offset, "Window frame offsets must be constants")
		}
		switch v := c.Value.(type) {
		case nil:
			fr.BadOffset = true
		case int64:
			*bd.off = v
		case decimal128.Num: // decimal(p,0) beyond bigint: past any partition
			*bd.off = math.MaxInt64
			if v.Sign() < 0 {
				*bd.off = -1
			}
		default:
			return nil, errAt(bd.b.Offset, "Window frame offsets must be constants")
		}
		if *bd.off < 0 {
			fr.BadOffset = true
		}
	}
	return fr, nil
}

func isDateTime(t types.Type) bool {
	switch t.Kind {
	case types.Date, types.Time, types.Timestamp, types.TimestampTZ:
		return true
	}
	return false
}

// bindRangeOffset binds one offset of a RANGE frame (Trino's
// analyzeFrameRangeOffset).
func (ec *exprCtx) bindRangeOffset(inner *exprCtx, fr *Frame, af *ast.Frame, b *ast.FrameBound, orderBy []SortKey, val, key *Expr) error {
	if len(orderBy) == 0 {
		return frameErr(af, "Window frame of type RANGE PRECEDING or FOLLOWING requires ORDER BY")
	}
	if len(orderBy) != 1 {
		return frameErr(af, "Window frame of type RANGE PRECEDING or FOLLOWING requires single sort item in ORDER BY (actual: %d)", len(orderBy))
	}
	kt := orderBy[0].Expr.Type()
	if !kt.IsNumeric() && !isDateTime(kt) {
		return frameErr(af, "Window frame of type RANGE PRECEDING or FOLLOWING requires that sort item type be numeric, datetime or interval (actual: %s)", kt)
	}
	e, err := inner.bind(b.Offset)
	if err != nil {
		return err
	}
	e = inner.fold(e)
	ot := e.Type()
	incompatible := func() error {
		return errAt(b.Offset, "Window frame RANGE value type (%s) not compatible with sort item type (%s)", ot, kt)
	}
	if kt.IsNumeric() && !ot.IsNumeric() {
		return incompatible()
	}
	if isDateTime(kt) && ot.Kind != types.IntervalDayTime && ot.Kind != types.IntervalYearMonth {
		return incompatible()
	}
	c, ok := e.(*Const)
	if !ok {
		return errAt(b.Offset, "Window frame offsets must be constants")
	}
	if rangeOffsetBad(c.Value) {
		fr.BadOffset = true
	}
	op := "$add"
	if (b.Kind == ast.Preceding) != orderBy[0].Desc {
		op = "$subtract"
	}
	if fr.KeyID == 0 {
		fr.KeyID = ec.b.newID()
	}
	ph := &ColumnRef{ID: fr.KeyID, T: kt, Name: "$sort_key"}
	bound, err := inner.bindCall(b.Offset, op, []Expr{ph, c})
	if err != nil {
		return incompatible()
	}
	cmpKey := Expr(ph)
	if rt := bound.Type(); !rt.Equal(kt) {
		if cmpKey, err = inner.coerce(b.Offset, ph, rt); err != nil {
			return frameErr(af, "Sort key must evaluate to a %s (actual: %s)", rt, kt)
		}
	}
	*val, *key = bound, cmpKey
	return nil
}

// rangeOffsetBad reports whether a RANGE offset is NULL, negative or NaN
// (Trino fails unless offset >= 0).
func rangeOffsetBad(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case int64:
		return x < 0
	case float64:
		return !(x >= 0)
	case decimal128.Num:
		return x.Sign() < 0
	}
	return false
}
