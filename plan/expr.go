package plan

import (
	"fmt"
	"strings"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// ColumnID names a column produced somewhere in a logical plan.
type ColumnID int

// Expr is a bound, typed scalar expression.
type Expr interface {
	Type() types.Type
	// String is a canonical rendering: two expressions with the same
	// String compute the same values (used for common subexpressions and
	// GROUP BY matching).
	String() string
	exprNode()
}

// ColumnRef reads a column by ID.
type ColumnRef struct {
	ID   ColumnID
	T    types.Type
	Name string
}

// Const is a literal value (see exec.ConstArray for the representation).
type Const struct {
	Value any
	T     types.Type
}

// Call applies a scalar function.
type Call struct {
	Name    string
	Binding function.Binding
	Args    []Expr
}

// Cast converts a value. Lenient casts are Quarry's varchar-to-number
// extension: unparseable values become NULL.
type Cast struct {
	Arg     Expr
	T       types.Type
	Try     bool
	Lenient bool
}

// Case is a searched CASE (simple CASE is rewritten into it).
type Case struct {
	Whens []Expr
	Thens []Expr
	Else  Expr // nil: NULL
	T     types.Type
}

// IsNull tests for NULL.
type IsNull struct {
	Arg Expr
	Not bool
}

// InList tests membership in a list of constants.
type InList struct {
	Arg  Expr
	List []*Const
	Not  bool
}

// Try evaluates its argument with errors turned into NULL.
type Try struct{ Arg Expr }

// AggRef stands for an aggregate call while binding a query with GROUP BY;
// it is replaced by a ColumnRef to the aggregate's output.
type AggRef struct{ Call *AggCall }

// WindowRef stands for a window function call until the Window node is built.
type WindowRef struct{ Call *WindowCall }

func (e *ColumnRef) Type() types.Type { return e.T }
func (e *Const) Type() types.Type     { return e.T }
func (e *Call) Type() types.Type      { return e.Binding.Result }
func (e *Cast) Type() types.Type      { return e.T }
func (e *Case) Type() types.Type      { return e.T }
func (e *IsNull) Type() types.Type    { return types.BooleanType }
func (e *InList) Type() types.Type    { return types.BooleanType }
func (e *Try) Type() types.Type       { return e.Arg.Type() }
func (e *AggRef) Type() types.Type    { return e.Call.Binding.Result }
func (e *WindowRef) Type() types.Type { return e.Call.T }

func (*ColumnRef) exprNode() {}
func (*Const) exprNode()     {}
func (*Call) exprNode()      {}
func (*Cast) exprNode()      {}
func (*Case) exprNode()      {}
func (*IsNull) exprNode()    {}
func (*InList) exprNode()    {}
func (*Try) exprNode()       {}
func (*AggRef) exprNode()    {}
func (*WindowRef) exprNode() {}

func (e *ColumnRef) String() string { return fmt.Sprintf("%s#%d", e.Name, e.ID) }
func (e *Const) String() string {
	if e.Value == nil {
		return "NULL"
	}
	if s, ok := e.Value.(string); ok {
		return fmt.Sprintf("'%s'::%s", strings.ReplaceAll(s, "'", "''"), e.T)
	}
	return fmt.Sprintf("%v::%s", e.Value, e.T)
}
func (e *Call) String() string { return e.Name + "(" + joinExprs(e.Args) + ")" }
func (e *Cast) String() string {
	kind := "cast"
	switch {
	case e.Try:
		kind = "try_cast"
	case e.Lenient:
		kind = "lenient_cast"
	}
	return fmt.Sprintf("%s(%s as %s)", kind, e.Arg, e.T)
}
func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("case")
	for i := range e.Whens {
		fmt.Fprintf(&b, " when %s then %s", e.Whens[i], e.Thens[i])
	}
	if e.Else != nil {
		fmt.Fprintf(&b, " else %s", e.Else)
	}
	b.WriteString(" end")
	return b.String()
}
func (e *IsNull) String() string {
	if e.Not {
		return fmt.Sprintf("(%s is not null)", e.Arg)
	}
	return fmt.Sprintf("(%s is null)", e.Arg)
}
func (e *InList) String() string {
	parts := make([]Expr, len(e.List))
	for i, c := range e.List {
		parts[i] = c
	}
	op := "in"
	if e.Not {
		op = "not in"
	}
	return fmt.Sprintf("(%s %s (%s))", e.Arg, op, joinExprs(parts))
}
func (e *Try) String() string       { return "try(" + e.Arg.String() + ")" }
func (e *AggRef) String() string    { return e.Call.String() }
func (e *WindowRef) String() string { return e.Call.String() }

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// AggCall is an aggregate function call.
type AggCall struct {
	Name     string
	Binding  function.AggBinding
	Args     []Expr
	Distinct bool
	Filter   Expr
	// OrderBy orders the rows an order-sensitive aggregate (array_agg)
	// sees; the binder sorts the aggregate's input by it.
	OrderBy []SortKey
	ID      ColumnID // output column
}

func (a *AggCall) String() string {
	d := ""
	if a.Distinct {
		d = "distinct "
	}
	s := fmt.Sprintf("%s(%s%s)", a.Name, d, joinExprs(a.Args))
	if len(a.OrderBy) > 0 {
		s = s[:len(s)-1] + " order by " + sortKeysString(a.OrderBy) + ")"
	}
	if a.Filter != nil {
		s += " filter(where " + a.Filter.String() + ")"
	}
	return s
}

// WindowCall is a window function call with its window.
type WindowCall struct {
	Name        string
	Args        []Expr
	Agg         *function.AggBinding // set for aggregates used as window functions
	PartitionBy []Expr
	OrderBy     []SortKey
	Frame       *Frame
	IgnoreNulls bool // IGNORE NULLS, for the value functions
	T           types.Type
	ID          ColumnID
}

func (w *WindowCall) String() string {
	s := fmt.Sprintf("%s(%s)", w.Name, joinExprs(w.Args))
	if w.IgnoreNulls {
		s += " ignore nulls"
	}
	s += fmt.Sprintf(" over (partition by %s order by %v", joinExprs(w.PartitionBy), w.OrderBy)
	if w.Frame != nil {
		s += " " + w.Frame.String()
	}
	return s + ")"
}

// SortKey orders by an expression.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

func (k SortKey) String() string {
	s := k.Expr.String()
	if k.Desc {
		s += " desc"
	}
	if k.NullsFirst {
		s += " nulls first"
	}
	return s
}

// Walk calls f for e and every sub-expression, depth first, until f
// returns false.
func Walk(e Expr, f func(Expr) bool) {
	if e == nil || !f(e) {
		return
	}
	switch x := e.(type) {
	case *Call:
		for _, a := range x.Args {
			Walk(a, f)
		}
	case *Cast:
		Walk(x.Arg, f)
	case *Case:
		for i := range x.Whens {
			Walk(x.Whens[i], f)
			Walk(x.Thens[i], f)
		}
		Walk(x.Else, f)
	case *IsNull:
		Walk(x.Arg, f)
	case *InList:
		Walk(x.Arg, f)
	case *Try:
		Walk(x.Arg, f)
	case *LambdaCall:
		for _, a := range x.Args {
			Walk(a, f)
		}
		Walk(x.Fn.Body, f)
		if x.Output != nil {
			Walk(x.Output.Body, f)
		}
	}
}

// Rewrite rebuilds e bottom-up, replacing each node n by f(n) when f
// returns a non-nil expression (f sees the original node first: when it
// returns non-nil the children are not visited).
func Rewrite(e Expr, f func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	if r := f(e); r != nil {
		return r
	}
	switch x := e.(type) {
	case *Call:
		c := *x
		c.Args = make([]Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = Rewrite(a, f)
		}
		return &c
	case *Cast:
		c := *x
		c.Arg = Rewrite(x.Arg, f)
		return &c
	case *Case:
		c := *x
		c.Whens = make([]Expr, len(x.Whens))
		c.Thens = make([]Expr, len(x.Thens))
		for i := range x.Whens {
			c.Whens[i] = Rewrite(x.Whens[i], f)
			c.Thens[i] = Rewrite(x.Thens[i], f)
		}
		c.Else = Rewrite(x.Else, f)
		return &c
	case *IsNull:
		c := *x
		c.Arg = Rewrite(x.Arg, f)
		return &c
	case *InList:
		c := *x
		c.Arg = Rewrite(x.Arg, f)
		return &c
	case *Try:
		return &Try{Arg: Rewrite(x.Arg, f)}
	case *LambdaCall:
		c := *x
		c.Args = make([]Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = Rewrite(a, f)
		}
		fn := *x.Fn
		fn.Body = Rewrite(x.Fn.Body, f)
		c.Fn = &fn
		if x.Output != nil {
			out := *x.Output
			out.Body = Rewrite(x.Output.Body, f)
			c.Output = &out
		}
		return &c
	}
	return e
}

// ColumnsOf returns the set of column IDs an expression reads.
func ColumnsOf(e Expr) map[ColumnID]bool {
	out := map[ColumnID]bool{}
	Walk(e, func(x Expr) bool {
		if c, ok := x.(*ColumnRef); ok {
			out[c.ID] = true
		}
		return true
	})
	return out
}

// Conjuncts splits a AND b AND c.
func Conjuncts(e Expr) []Expr {
	if e == nil {
		return nil
	}
	if c, ok := e.(*Call); ok && c.Name == "$and" {
		return append(Conjuncts(c.Args[0]), Conjuncts(c.Args[1])...)
	}
	return []Expr{e}
}

func sortKeysString(keys []SortKey) string {
	var sb strings.Builder
	for i, k := range keys {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(k.Expr.String())
		if k.Desc {
			sb.WriteString(" desc")
		}
		if k.NullsFirst {
			sb.WriteString(" nulls first")
		} else {
			sb.WriteString(" nulls last")
		}
	}
	return sb.String()
}
