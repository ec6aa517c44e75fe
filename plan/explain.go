package plan

import (
	"fmt"
	"strings"

	"github.com/quarry-sql/quarry/exec"
)

// Explain renders a logical plan as an indented tree, one operator a line.
func Explain(n Node) string {
	var b strings.Builder
	explain(&b, n, 0, nil)
	return b.String()
}

// ExplainAnalyze renders a plan that has run, with each operator's
// statistics under it.
func ExplainAnalyze(n Node, stats map[Node]*exec.OpStats) string {
	var b strings.Builder
	explain(&b, n, 0, stats)
	return b.String()
}

func explain(b *strings.Builder, n Node, depth int, stats map[Node]*exec.OpStats) {
	ind := strings.Repeat("    ", depth)
	switch x := n.(type) {
	case *Scan:
		names := make([]string, len(x.Cols))
		for i, c := range x.Cols {
			names[i] = fmt.Sprintf("%s#%d", c.Name, c.ID)
		}
		fmt.Fprintf(b, "%sScan %s.%s [%s]", ind, x.Table.Schema, x.Table.Name, strings.Join(names, ", "))
		if len(x.Filters) > 0 {
			fmt.Fprintf(b, " filters: %s", joinExprs(x.Filters))
		}
		b.WriteByte('\n')
	case *Filter:
		fmt.Fprintf(b, "%sFilter %s\n", ind, x.Cond)
	case *Project:
		parts := make([]string, len(x.Exprs))
		for i, e := range x.Exprs {
			parts[i] = fmt.Sprintf("%s#%d := %s", x.Cols[i].Name, x.Cols[i].ID, e)
		}
		fmt.Fprintf(b, "%sProject %s\n", ind, strings.Join(parts, ", "))
	case *Aggregate:
		aggs := make([]string, len(x.Aggs))
		for i, a := range x.Aggs {
			aggs[i] = fmt.Sprintf("#%d := %s", a.ID, a)
		}
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = fmt.Sprintf("#%d := %s", x.KeyCols[i].ID, k)
		}
		fmt.Fprintf(b, "%sAggregate keys: [%s] aggregates: [%s]\n", ind, strings.Join(keys, ", "), strings.Join(aggs, ", "))
	case *Join:
		cond := "true"
		if x.Cond != nil {
			cond = x.Cond.String()
		}
		fmt.Fprintf(b, "%s%s Join on %s\n", ind, x.Kind, cond)
	case *Sort:
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = k.String()
		}
		fmt.Fprintf(b, "%sSort %s\n", ind, strings.Join(keys, ", "))
	case *Limit:
		fmt.Fprintf(b, "%sLimit %d offset %d\n", ind, x.N, x.Offset)
	case *Window:
		calls := make([]string, len(x.Calls))
		for i, c := range x.Calls {
			calls[i] = fmt.Sprintf("#%d := %s", c.ID, c)
		}
		fmt.Fprintf(b, "%sWindow %s\n", ind, strings.Join(calls, ", "))
	case *Values:
		fmt.Fprintf(b, "%sValues %d rows\n", ind, len(x.Rows))
	case *SetOp:
		all := ""
		if x.All {
			all = " ALL"
		}
		fmt.Fprintf(b, "%s%s%s\n", ind, x.Op, all)
	case *Unnest:
		fmt.Fprintf(b, "%sUnnest %s\n", ind, joinExprs(x.Exprs))
	case *SingleRow:
		fmt.Fprintf(b, "%sSingleRow\n", ind)
	case *CTERef:
		names := make([]string, len(x.Cols))
		for i, c := range x.Cols {
			names[i] = fmt.Sprintf("%s#%d", c.Name, c.ID)
		}
		fmt.Fprintf(b, "%sShared %s [%s] (computed once for every reference)\n", ind, x.Shared.Name, strings.Join(names, ", "))
	case *RowID:
		fmt.Fprintf(b, "%sRowID %s#%d\n", ind, x.Col.Name, x.Col.ID)
	case *Expand:
		fmt.Fprintf(b, "%sExpand %d grouping sets of [%s]\n", ind, len(x.Sets), joinExprs(x.Keys))
	default:
		fmt.Fprintf(b, "%s%T\n", ind, n)
	}
	if st, ok := stats[n]; ok {
		fmt.Fprintf(b, "%s    -- %s\n", ind, st)
	}
	for _, in := range n.Inputs() {
		explain(b, in, depth+1, stats)
	}
}
