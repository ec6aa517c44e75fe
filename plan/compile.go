package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

type contextLike = context.Context

// Layout maps column IDs to positions in a batch.
type Layout map[ColumnID]int

// LayoutOf returns the layout of a column list.
func LayoutOf(cols []Column) Layout {
	l := make(Layout, len(cols))
	for i, c := range cols {
		l[c.ID] = i
	}
	return l
}

// Compile turns a bound expression into an executable one over batches
// laid out as layout says. The largest subexpressions that read a single
// varchar column and do real work are evaluated once per distinct value
// of the column (exec.DictMemo).
func Compile(e Expr, layout Layout) (exec.Expr, error) { return compileMemo(e, layout, true) }

func compileAll(es []Expr, layout Layout) ([]exec.Expr, error) {
	return compileAllMemo(es, layout, true)
}

func compileMemo(e Expr, layout Layout, memo bool) (exec.Expr, error) {
	if !memo {
		return compileNode(e, layout, false)
	}
	if key, ids, ok := resultMemoKey(e); ok {
		cols := make([]int, len(ids))
		found := true
		for i, id := range ids {
			cols[i], found = layout[id]
			if !found {
				break
			}
		}
		if found {
			inner, err := compileDictMemo(e, layout)
			if err != nil {
				return nil, err
			}
			return &exec.ResultMemo{Inner: inner, Cols: cols, Key: key}, nil
		}
	}
	return compileDictMemo(e, layout)
}

// compileDictMemo compiles e, evaluated once per distinct value of its
// column if memoColumn says so.
func compileDictMemo(e Expr, layout Layout) (exec.Expr, error) {
	if id, ok := memoColumn(e); ok {
		if i, ok := layout[id]; ok {
			inner, err := compileNode(e, layout, false)
			if err != nil {
				return nil, err
			}
			return &exec.DictMemo{Inner: inner, Col: i}, nil
		}
	}
	return compileNode(e, layout, true)
}

// resultMemoMaxCols is the most input columns of an expression whose
// results are kept (exec.ResultMemo).
const resultMemoMaxCols = 4

// memoShape walks e once for the memo wrappers: the columns it reads, in
// order of first appearance, how much work it does (a function 2, an
// operator 1, a CAST or CASE 2, IS NULL or IN 1), whether it reads the
// query's clock, and ok: deterministic and made only of nodes a memo
// evaluates as written (no lambda).
func memoShape(e Expr) (cols []*ColumnRef, work int, clock, ok bool) {
	ok = deterministic(e)
	Walk(e, func(x Expr) bool {
		switch y := x.(type) {
		case *ColumnRef:
			if !slices.ContainsFunc(cols, func(c *ColumnRef) bool { return c.ID == y.ID }) {
				cols = append(cols, y)
			}
		case *Const, *Try:
		case *Call:
			if work++; !strings.HasPrefix(y.Name, "$") {
				work++ // a function, not an operator
			}
			clock = clock || y.Binding.QueryConstant
		case *Cast, *Case:
			work += 2
		case *IsNull, *InList:
			work++
		default:
			ok = false // lambdas and the like: evaluated as written
		}
		return ok
	})
	return cols, work, clock, ok
}

// resultMemoKey reports whether e's results over stable input arrays may
// be kept across queries (exec.ResultMemo), and if so e's canonical text
// with its columns numbered $0.. in order of first appearance, and those
// columns. e must be deterministic, not read the clock, read between one
// and resultMemoMaxCols columns, contain no lambda, and do some work (not
// a bare column or constant).
func resultMemoKey(e Expr) (string, []ColumnID, bool) {
	cols, work, clock, ok := memoShape(e)
	if !ok || clock || work == 0 || len(cols) == 0 || len(cols) > resultMemoMaxCols {
		return "", nil, false
	}
	ids := make([]ColumnID, len(cols))
	for i, c := range cols {
		ids[i] = c.ID
	}
	var sb strings.Builder
	writeMemoKey(&sb, e, ids)
	return sb.String(), ids, true
}

// writeMemoKey writes e's canonical text: every node with its kind and
// type, every constant with its Go type, columns as $i.
func writeMemoKey(sb *strings.Builder, e Expr, ids []ColumnID) {
	list := func(es []Expr) {
		sb.WriteByte('(')
		for i, a := range es {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeMemoKey(sb, a, ids)
		}
		sb.WriteByte(')')
	}
	switch x := e.(type) {
	case *ColumnRef:
		fmt.Fprintf(sb, "$%d:%s", slices.Index(ids, x.ID), x.T)
	case *Const:
		fmt.Fprintf(sb, "const[%s](%T)%#v", x.T, x.Value, x.Value)
	case *Call:
		fmt.Fprintf(sb, "call %q%v->%s", x.Name, x.Binding.Args, x.Binding.Result)
		list(x.Args)
	case *Cast:
		fmt.Fprintf(sb, "cast[%s try=%v lenient=%v]", x.T, x.Try, x.Lenient)
		list([]Expr{x.Arg})
	case *Case:
		fmt.Fprintf(sb, "case[%s]", x.T)
		list(x.Whens)
		list(x.Thens)
		if x.Else != nil {
			list([]Expr{x.Else})
		}
	case *IsNull:
		fmt.Fprintf(sb, "isnull[not=%v]", x.Not)
		list([]Expr{x.Arg})
	case *InList:
		fmt.Fprintf(sb, "in[not=%v]", x.Not)
		list([]Expr{x.Arg})
		for _, c := range x.List {
			writeMemoKey(sb, c, ids)
			sb.WriteByte(';')
		}
	case *Try:
		sb.WriteString("try")
		list([]Expr{x.Arg})
	default:
		panic(fmt.Sprintf("BUG: writeMemoKey of %T", e)) // resultMemoKey admits only the above
	}
}

// memoColumn reports whether e is worth evaluating once per distinct
// value, and of which column: e must read exactly one column, be
// deterministic, and do more than one cheap operator's work (a CASE, a
// cast, a function, or two operators or more). The column is a string, or
// a date, time or integer formatted as a string (DATE_FORMAT of a usage
// date): hashing a number costs more than arithmetic on it.
func memoColumn(e Expr) (ColumnID, bool) {
	cols, work, _, ok := memoShape(e)
	if !ok || len(cols) != 1 || work < 2 {
		return 0, false
	}
	col := cols[0]
	switch col.T.Kind {
	case types.Varchar, types.Char:
		return col.ID, true
	case types.Timestamp, types.Date, types.Time, types.BigInt, types.Integer:
		return col.ID, e.Type().IsString()
	}
	return 0, false
}

func compileNode(e Expr, layout Layout, memo bool) (exec.Expr, error) {
	switch x := e.(type) {
	case *ColumnRef:
		i, ok := layout[x.ID]
		if !ok {
			return nil, fmt.Errorf("BUG: column %s not in input", x)
		}
		return &exec.ColRef{Index: i, T: x.T, Name: x.Name}, nil
	case *Const:
		return &exec.Const{Value: x.Value, T: x.T}, nil
	case *Call:
		args, err := compileAllMemo(x.Args, layout, memo)
		if err != nil {
			return nil, err
		}
		return &exec.Call{Name: x.Name, Kernel: x.Binding.Kernel, Args: args, T: x.Binding.Result}, nil
	case *Cast:
		arg, err := compileMemo(x.Arg, layout, memo)
		if err != nil {
			return nil, err
		}
		// Widening varchar(n) to varchar changes nothing in the data.
		if from := x.Arg.Type(); from.IsString() && x.T.Kind == types.Varchar && x.T.Length == 0 && !x.Lenient {
			if from.Kind == types.Varchar {
				return arg, nil
			}
		}
		var k function.Kernel1
		if x.Lenient {
			k = function.LenientCast(x.T)
		} else if k, err = function.Cast(x.Arg.Type(), x.T, x.Try); err != nil {
			return nil, err
		}
		return &exec.Cast{Kernel: k, Arg: arg, T: x.T}, nil
	case *Case:
		c := &exec.Case{T: x.T}
		var err error
		if c.Whens, err = compileAllMemo(x.Whens, layout, memo); err != nil {
			return nil, err
		}
		if c.Thens, err = compileAllMemo(x.Thens, layout, memo); err != nil {
			return nil, err
		}
		if x.Else != nil {
			if c.Else, err = compileMemo(x.Else, layout, memo); err != nil {
				return nil, err
			}
		}
		return c, nil
	case *IsNull:
		arg, err := compileMemo(x.Arg, layout, memo)
		if err != nil {
			return nil, err
		}
		return &exec.IsNull{Arg: arg, Not: x.Not}, nil
	case *InList:
		arg, err := compileMemo(x.Arg, layout, memo)
		if err != nil {
			return nil, err
		}
		in := &exec.InConst{Arg: arg, Set: map[any]bool{}, Not: x.Not}
		for _, c := range x.List {
			if c.Value == nil {
				in.HasNull = true
				continue
			}
			in.Set[c.Value] = true
		}
		return in, nil
	case *Try:
		arg, err := compileMemo(x.Arg, layout, memo)
		if err != nil {
			return nil, err
		}
		return &exec.Try{Arg: arg}, nil
	case *LambdaCall:
		args, err := compileAllMemo(x.Args, layout, memo)
		if err != nil {
			return nil, err
		}
		c := &exec.LambdaCall{Name: x.Name, Args: args, T: x.T}
		if c.Fn, err = compileLambda(x.Fn, layout); err != nil {
			return nil, err
		}
		if x.Output != nil {
			if c.Output, err = compileLambda(x.Output, layout); err != nil {
				return nil, err
			}
		}
		return c, nil
	case *AggRef, *WindowRef:
		return nil, fmt.Errorf("BUG: unresolved %s at execution", e)
	}
	return nil, fmt.Errorf("BUG: cannot compile %T", e)
}

func compileAllMemo(es []Expr, layout Layout, memo bool) ([]exec.Expr, error) {
	out := make([]exec.Expr, len(es))
	for i, e := range es {
		c, err := compileMemo(e, layout, memo)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func emptyRecord(rows int64) arrow.Record {
	return array.NewRecord(arrow.NewSchema(nil, nil), nil, rows)
}

// fieldKernel extracts field i of a row value; a NULL row gives NULL.
func fieldKernel(i int) function.Kernel {
	return func(ctx *function.Context, args []arrow.Array, n int) (arrow.Array, error) {
		st, ok := args[0].(*array.Struct)
		if !ok {
			return nil, fmt.Errorf("BUG: field access on %s", args[0].DataType())
		}
		f := st.Field(i)
		if st.NullN() == 0 {
			f.Retain()
			return f, nil
		}
		b := array.NewBuilder(ctx.Alloc, f.DataType())
		defer b.Release()
		b.Reserve(n)
		for r := 0; r < n; r++ {
			if st.IsNull(r) {
				b.AppendNull()
				continue
			}
			if err := exec.AppendValue(b, f, r); err != nil {
				return nil, err
			}
		}
		return b.NewArray(), nil
	}
}
