package plan

import (
	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/types"
)

// Column is one output column of a logical node.
type Column struct {
	ID   ColumnID
	Name string
	T    types.Type
}

// Node is a logical plan operator.
type Node interface {
	// Output lists the node's columns in order.
	Output() []Column
	Inputs() []Node
	nodeNode()
}

// Scan reads a table.
type Scan struct {
	Table *catalog.Table
	Cols  []ScanCol
	// Filters are conjuncts over this scan's columns, pushed down by the
	// optimizer: used to prune partitions, files and row groups, and
	// evaluated on every row.
	Filters []Expr
	Alias   string
}

// ScanCol is one column a scan produces.
type ScanCol struct {
	Column
	Data    int // index into Table.Columns or -1
	PartKey int // index into Table.PartitionKeys or -1
	Hidden  string
}

// Filter keeps rows where Cond is true.
type Filter struct {
	Input Node
	Cond  Expr
}

// Project computes expressions.
type Project struct {
	Input Node
	Exprs []Expr
	Cols  []Column // same length as Exprs
}

// Aggregate groups and aggregates. Output: group keys then aggregates.
type Aggregate struct {
	Input   Node
	Keys    []Expr
	KeyCols []Column
	Aggs    []*AggCall
}

// JoinType mirrors exec.JoinKind for logical joins.
type JoinType = exec.JoinKind

// Join combines two inputs. Cond may be nil (cross join). Semi and anti
// joins output only the left columns.
type Join struct {
	Kind JoinType
	L, R Node
	Cond Expr
	// Cross marks a join written without a condition (comma or CROSS
	// JOIN) that the optimizer may reorder.
	Cross bool
}

// Sort orders rows.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit returns at most N rows after Offset (N < 0: all).
type Limit struct {
	Input  Node
	N      int64
	Offset int64
}

// Window computes window functions, appending one column per call.
type Window struct {
	Input Node
	Calls []*WindowCall
}

// Values is a literal relation.
type Values struct {
	Rows [][]Expr
	Cols []Column
}

// SetOp is UNION/INTERSECT/EXCEPT; Cols are its outputs, Ls and Rs the
// matching input columns (after coercion projections).
type SetOp struct {
	Op   string
	All  bool
	L, R Node
	Cols []Column
}

// Unnest expands arrays of its input row (CROSS JOIN UNNEST): the output
// is the input's columns followed by one column per array (or per row
// field), and the ordinality.
type Unnest struct {
	Input      Node
	Exprs      []Expr
	Cols       []Column
	Ordinality bool
	// Fields, when set for an expression, expands an array of rows into
	// one column per field.
	Expand []bool
	Outer  bool
}

// Expand emits each input row once per grouping set: the input columns,
// the grouping keys (NULL where the key is not in the set) and the set's
// number (GROUPING SETS, ROLLUP, CUBE).
type Expand struct {
	Input   Node
	Keys    []Expr
	KeyCols []Column
	Sets    [][]bool
	Gid     Column
}

func (n *Expand) Output() []Column {
	out := append(append([]Column{}, n.Input.Output()...), n.KeyCols...)
	return append(out, n.Gid)
}
func (n *Expand) Inputs() []Node { return []Node{n.Input} }
func (*Expand) nodeNode()        {}

// RowID appends a column numbering the input's rows uniquely (not densely:
// parallel instances take ranges of one counter).
type RowID struct {
	Input Node
	Col   Column
}

func (n *RowID) Output() []Column { return append(append([]Column{}, n.Input.Output()...), n.Col) }
func (n *RowID) Inputs() []Node   { return []Node{n.Input} }
func (*RowID) nodeNode()          {}

// SingleRow fails if its input has more than one row and yields one
// all-NULL row when it has none (scalar subqueries).
type SingleRow struct {
	Input Node
}

func (n *Scan) Output() []Column {
	out := make([]Column, len(n.Cols))
	for i, c := range n.Cols {
		out[i] = c.Column
	}
	return out
}
func (n *Filter) Output() []Column  { return n.Input.Output() }
func (n *Project) Output() []Column { return n.Cols }
func (n *Aggregate) Output() []Column {
	out := append([]Column{}, n.KeyCols...)
	for _, a := range n.Aggs {
		out = append(out, Column{ID: a.ID, Name: a.Name, T: a.Binding.Result})
	}
	return out
}
func (n *Join) Output() []Column {
	if n.Kind == exec.SemiJoin || n.Kind == exec.AntiJoin || n.Kind == exec.NullAwareAntiJoin {
		return n.L.Output()
	}
	return append(append([]Column{}, n.L.Output()...), n.R.Output()...)
}
func (n *Sort) Output() []Column  { return n.Input.Output() }
func (n *Limit) Output() []Column { return n.Input.Output() }
func (n *Window) Output() []Column {
	out := append([]Column{}, n.Input.Output()...)
	for _, c := range n.Calls {
		out = append(out, Column{ID: c.ID, Name: c.Name, T: c.T})
	}
	return out
}
func (n *Values) Output() []Column    { return n.Cols }
func (n *SetOp) Output() []Column     { return n.Cols }
func (n *Unnest) Output() []Column    { return append(append([]Column{}, n.Input.Output()...), n.Cols...) }
func (n *SingleRow) Output() []Column { return n.Input.Output() }

func (n *Scan) Inputs() []Node      { return nil }
func (n *Filter) Inputs() []Node    { return []Node{n.Input} }
func (n *Project) Inputs() []Node   { return []Node{n.Input} }
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }
func (n *Join) Inputs() []Node      { return []Node{n.L, n.R} }
func (n *Sort) Inputs() []Node      { return []Node{n.Input} }
func (n *Limit) Inputs() []Node     { return []Node{n.Input} }
func (n *Window) Inputs() []Node    { return []Node{n.Input} }
func (n *Values) Inputs() []Node    { return nil }
func (n *SetOp) Inputs() []Node     { return []Node{n.L, n.R} }
func (n *Unnest) Inputs() []Node    { return []Node{n.Input} }
func (n *SingleRow) Inputs() []Node { return []Node{n.Input} }

func (*Scan) nodeNode()      {}
func (*Filter) nodeNode()    {}
func (*Project) nodeNode()   {}
func (*Aggregate) nodeNode() {}
func (*Join) nodeNode()      {}
func (*Sort) nodeNode()      {}
func (*Limit) nodeNode()     {}
func (*Window) nodeNode()    {}
func (*Values) nodeNode()    {}
func (*SetOp) nodeNode()     {}
func (*Unnest) nodeNode()    {}
func (*SingleRow) nodeNode() {}
