package plan

import (
	"strings"

	"github.com/quarry-sql/quarry/sql/ast"
)

// SharedCTE is a WITH query referenced more than once whose result is
// computed once per query and read by every reference (CTERef): TPC-H
// q15's revenue view, referenced by the join and by the MAX subquery,
// would otherwise read and aggregate lineitem twice. Only aggregating
// queries are shared, whose results are small; others are inlined at
// each reference, as Trino does, so filters still push into their scans
// and nothing large is held in memory.
type SharedCTE struct {
	Name string
	Root Node
	// optimized is set once the optimizer has rewritten Root.
	optimized bool
}

// CTERef reads a SharedCTE's result. Cols are this reference's own
// columns, one per column of the shared query's output, in order.
type CTERef struct {
	Shared *SharedCTE
	Cols   []Column
}

func (n *CTERef) Output() []Column { return n.Cols }
func (n *CTERef) Inputs() []Node   { return []Node{n.Shared.Root} }
func (*CTERef) nodeNode()          {}

// countCTERefs counts the references to each CTE name in q (its body and
// its WITH queries), by name: a shadowing inner WITH of the same name is
// counted too, which at worst shares a query referenced once.
func countCTERefs(q *ast.Query, names map[string]*cteDef) {
	ast.Inspect(q, func(n ast.Node) bool {
		if t, ok := n.(*ast.TableRef); ok && t.Name != nil && len(t.Name.Parts) == 1 {
			if def := names[strings.ToLower(t.Name.Parts[0].Name)]; def != nil {
				def.refs++
			}
		}
		return true
	})
}

// sharedRef binds a reference to a shared CTE: the first binds its body,
// every one gets fresh column IDs. ok is false when the body cannot be
// shared (it is inlined instead).
func (b *Binder) sharedRef(def *cteDef, rel *relation) (*relation, bool) {
	out := rel.node.Output()
	ids := make(map[ColumnID]ColumnID, len(out))
	ref := &CTERef{Shared: def.shared, Cols: make([]Column, len(out))}
	for i, c := range out {
		c2 := c
		c2.ID = b.newID()
		ids[c.ID] = c2.ID
		ref.Cols[i] = c2
	}
	cols := make([]scopeCol, len(rel.cols))
	for i, sc := range rel.cols {
		id, ok := ids[sc.col.ID]
		if !ok {
			return nil, false
		}
		sc.col.ID = id
		cols[i] = sc
	}
	return &relation{node: ref, cols: cols}, true
}
