package ast

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// Format prints n as SQL that parses back to a tree Equal to n. Keywords are
// upper-case, identifiers keep their spelling, and parentheses are added
// only where precedence requires them.
func Format(n Node) string {
	var f formatter
	f.node(n)
	return f.b.String()
}

type formatter struct {
	b strings.Builder
}

func (f *formatter) w(s string) { f.b.WriteString(s) }

func (f *formatter) node(n Node) {
	switch n := n.(type) {
	case nil:
	case Statement:
		f.stmt(n)
	case Expr:
		f.expr(n, 0)
	case QueryBody:
		f.queryBody(n)
	case Relation:
		f.relation(n)
	case SelectItem:
		f.selectItem(n)
	case GroupingElement:
		f.groupingElement(n)
	case *TypeName:
		f.w(n.String())
	case *Ident:
		f.w(FormatIdent(n))
	case *QualifiedName:
		f.w(n.String())
	case *SortItem:
		f.sortItems([]*SortItem{n})
	case *WindowSpec:
		f.windowSpec(n, true)
	case *With:
		f.with(n)
	default:
		// Fragments without a standalone SQL spelling (When, Frame, ...)
		// print nothing rather than panic.
	}
}

// ---------------------------------------------------------------------------
// Strings and names

// QuoteString renders s as a SQL string literal, doubling each quote.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// QuoteHiveString renders s as a literal for a Hive DDL clause, where
// backslash escapes are decoded: backslashes and control characters are
// escaped (\\, \n, \t, \r, octal \ooo otherwise) and quotes doubled, which
// the parser reads back unchanged.
func QuoteHiveString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\'':
			b.WriteString("''")
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + c>>3&7)
			b.WriteByte('0' + c&7)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func (f *formatter) ident(id *Ident) { f.w(FormatIdent(id)) }

func (f *formatter) idents(ids []*Ident) {
	for i, id := range ids {
		if i > 0 {
			f.w(", ")
		}
		f.ident(id)
	}
}

func (f *formatter) parenIdents(ids []*Ident) {
	f.w("(")
	f.idents(ids)
	f.w(")")
}

func (f *formatter) qname(q *QualifiedName) { f.w(q.String()) }

// ---------------------------------------------------------------------------
// Statements

func (f *formatter) stmt(s Statement) {
	switch s := s.(type) {
	case *Query:
		f.query(s)
	case *Explain:
		f.w("EXPLAIN ")
		if s.Analyze {
			f.w("ANALYZE ")
		}
		if s.Verbose {
			f.w("VERBOSE ")
		}
		if len(s.Options) > 0 {
			f.w("(")
			for i, o := range s.Options {
				if i > 0 {
					f.w(", ")
				}
				f.w(o.Kind + " " + o.Value)
			}
			f.w(") ")
		}
		f.node(s.Stmt)
	case *Use:
		f.w("USE ")
		f.qname(s.Schema)
	case *CreateSchema:
		f.w("CREATE ")
		f.w(schemaWord(s.Database))
		if s.IfNotExists {
			f.w(" IF NOT EXISTS")
		}
		f.w(" ")
		f.qname(s.Name)
		if s.Comment != nil {
			f.w(" COMMENT " + QuoteHiveString(*s.Comment))
		}
		if s.Location != nil {
			f.w(" LOCATION " + QuoteHiveString(*s.Location))
		}
		if s.DBProperties != nil {
			f.w(" WITH DBPROPERTIES ")
			f.hiveProps(s.DBProperties)
		}
		if len(s.With) > 0 {
			f.w(" ")
			f.withProps(s.With)
		}
	case *DropSchema:
		f.w("DROP " + schemaWord(s.Database))
		if s.IfExists {
			f.w(" IF EXISTS")
		}
		f.w(" ")
		f.qname(s.Name)
		if s.Cascade {
			f.w(" CASCADE")
		}
	case *CreateTable:
		f.createTable(s)
	case *CreateView:
		f.w("CREATE ")
		if s.OrReplace {
			f.w("OR REPLACE ")
		}
		f.w("VIEW ")
		f.qname(s.Name)
		if len(s.Columns) > 0 {
			f.w(" ")
			f.parenIdents(s.Columns)
		}
		if s.Comment != nil {
			f.w(" COMMENT " + QuoteString(*s.Comment))
		}
		if s.Security != "" {
			f.w(" SECURITY " + s.Security)
		}
		f.w(" AS ")
		f.query(s.Query)
	case *DropTable:
		f.w("DROP TABLE ")
		if s.IfExists {
			f.w("IF EXISTS ")
		}
		f.qname(s.Name)
	case *Call:
		f.w("CALL ")
		f.qname(s.Name)
		f.w("(")
		for i, a := range s.Args {
			if i > 0 {
				f.w(", ")
			}
			if a.Name != nil {
				f.ident(a.Name)
				f.w(" => ")
			}
			f.expr(a.Value, 0)
		}
		f.w(")")
	case *CreateIndex:
		f.w("CREATE ")
		if s.Unique {
			f.w("UNIQUE ")
		}
		f.w("INDEX ")
		if s.IfNotExists {
			f.w("IF NOT EXISTS ")
		}
		f.qname(s.Name)
		f.w(" ON ")
		f.qname(s.Table)
		f.w(" (")
		for i, c := range s.Columns {
			if i > 0 {
				f.w(", ")
			}
			f.w(FormatIdent(c.Name))
			if c.Order != "" {
				f.w(" " + c.Order)
			}
		}
		f.w(")")
	case *DropView:
		f.w("DROP VIEW ")
		if s.IfExists {
			f.w("IF EXISTS ")
		}
		f.qname(s.Name)
	case *Insert:
		f.w("INSERT INTO ")
		f.qname(s.Table)
		if len(s.Columns) > 0 {
			f.w(" ")
			f.parenIdents(s.Columns)
		}
		f.w(" ")
		f.query(s.Query)
	case *Unload:
		f.w("UNLOAD (")
		f.query(s.Query)
		f.w(") TO " + QuoteString(s.Location))
		if len(s.With) > 0 {
			f.w(" ")
			f.withProps(s.With)
		}
	case *AlterTableAddPartition:
		f.w("ALTER TABLE ")
		f.qname(s.Table)
		f.w(" ADD")
		if s.IfNotExists {
			f.w(" IF NOT EXISTS")
		}
		for _, p := range s.Partitions {
			f.w(" ")
			f.partitionSpec(p)
		}
	case *AlterTableDropPartition:
		f.w("ALTER TABLE ")
		f.qname(s.Table)
		f.w(" DROP")
		if s.IfExists {
			f.w(" IF EXISTS")
		}
		for i, p := range s.Partitions {
			if i > 0 {
				f.w(",")
			}
			f.w(" ")
			f.partitionSpec(p)
		}
	case *MsckRepair:
		f.w("MSCK REPAIR TABLE ")
		f.qname(s.Table)
	case *Show:
		f.show(s)
	case *Describe:
		f.w("DESCRIBE ")
		if s.Modifier != "" {
			f.w(s.Modifier + " ")
		}
		f.qname(s.Table)
	case *SetSession:
		f.w("SET SESSION ")
		f.qname(s.Name)
		f.w(" = ")
		f.expr(s.Value, 0)
	case *ResetSession:
		f.w("RESET SESSION ")
		f.qname(s.Name)
	case *Prepare:
		f.w("PREPARE ")
		f.ident(s.Name)
		f.w(" FROM ")
		f.node(s.Stmt)
	case *Execute:
		f.w("EXECUTE ")
		f.ident(s.Name)
		if len(s.Using) > 0 {
			f.w(" USING ")
			f.exprs(s.Using)
		}
	case *Deallocate:
		f.w("DEALLOCATE PREPARE ")
		f.ident(s.Name)
	}
}

func schemaWord(database bool) string {
	if database {
		return "DATABASE"
	}
	return "SCHEMA"
}

func (f *formatter) hiveProps(props []*Property) {
	f.w("(")
	for i, p := range props {
		if i > 0 {
			f.w(", ")
		}
		f.w(QuoteHiveString(p.Key) + " = " + QuoteHiveString(p.Value))
	}
	f.w(")")
}

func (f *formatter) withProps(props []*WithProperty) {
	f.w("WITH (")
	for i, p := range props {
		if i > 0 {
			f.w(", ")
		}
		f.ident(p.Name)
		f.w(" = ")
		f.expr(p.Value, 0)
	}
	f.w(")")
}

func (f *formatter) columnDefs(cols []*ColumnDef) {
	f.w("(")
	for i, c := range cols {
		if i > 0 {
			f.w(", ")
		}
		f.ident(c.Name)
		if c.Type != nil {
			f.w(" " + c.Type.String())
		}
		if c.NotNull {
			f.w(" NOT NULL")
		}
		if c.PrimaryKey {
			f.w(" PRIMARY KEY")
		}
		if c.Comment != "" {
			f.w(" COMMENT " + QuoteHiveString(c.Comment))
		}
	}
	f.w(")")
}

func (f *formatter) createTable(s *CreateTable) {
	f.w("CREATE ")
	if s.External {
		f.w("EXTERNAL ")
	}
	f.w("TABLE ")
	if s.IfNotExists {
		f.w("IF NOT EXISTS ")
	}
	f.qname(s.Name)
	if len(s.Columns) > 0 {
		f.w(" ")
		f.columnDefs(s.Columns)
	}
	if s.Comment != nil {
		f.w(" COMMENT " + QuoteHiveString(*s.Comment))
	}
	if len(s.PartitionedBy) > 0 {
		f.w(" PARTITIONED BY ")
		f.columnDefs(s.PartitionedBy)
	}
	if len(s.ClusteredBy) > 0 {
		f.w(" CLUSTERED BY ")
		f.parenIdents(s.ClusteredBy)
		f.w(" INTO " + strconv.Itoa(s.Buckets) + " BUCKETS")
	}
	if rf := s.RowFormat; rf != nil {
		switch {
		case rf.Delimited:
			f.w(" ROW FORMAT DELIMITED")
			opt := func(kw string, v *string) {
				if v != nil {
					f.w(" " + kw + " " + QuoteHiveString(*v))
				}
			}
			opt("FIELDS TERMINATED BY", rf.FieldsTerminatedBy)
			opt("ESCAPED BY", rf.EscapedBy)
			opt("COLLECTION ITEMS TERMINATED BY", rf.CollectionItemsTerminatedBy)
			opt("MAP KEYS TERMINATED BY", rf.MapKeysTerminatedBy)
			opt("LINES TERMINATED BY", rf.LinesTerminatedBy)
			opt("NULL DEFINED AS", rf.NullDefinedAs)
		case rf.SerDe != "":
			f.w(" ROW FORMAT SERDE " + QuoteHiveString(rf.SerDe))
			if rf.SerDeProps != nil {
				f.w(" WITH SERDEPROPERTIES ")
				f.hiveProps(rf.SerDeProps)
			}
		case rf.SerDeProps != nil:
			f.w(" WITH SERDEPROPERTIES ")
			f.hiveProps(rf.SerDeProps)
		}
	}
	if s.StoredAs != "" {
		f.w(" STORED AS " + FormatIdent(&Ident{Name: s.StoredAs}))
	} else if s.InputFormat != "" || s.OutputFormat != "" {
		f.w(" STORED AS INPUTFORMAT " + QuoteHiveString(s.InputFormat) + " OUTPUTFORMAT " + QuoteHiveString(s.OutputFormat))
	}
	if s.Location != nil {
		f.w(" LOCATION " + QuoteHiveString(*s.Location))
	}
	if s.TblProperties != nil {
		f.w(" TBLPROPERTIES ")
		f.hiveProps(s.TblProperties)
	}
	if len(s.With) > 0 {
		f.w(" ")
		f.withProps(s.With)
	}
	if s.AsQuery != nil {
		f.w(" AS ")
		f.query(s.AsQuery)
		if s.NoData {
			f.w(" WITH NO DATA")
		}
	}
}

func (f *formatter) partitionSpec(p *PartitionSpec) {
	f.w("PARTITION (")
	for i, v := range p.Values {
		if i > 0 {
			f.w(", ")
		}
		f.ident(v.Key)
		f.w(" = ")
		f.expr(v.Value, precConcat)
	}
	f.w(")")
	if p.Location != nil {
		f.w(" LOCATION " + QuoteHiveString(*p.Location))
	}
}

func (f *formatter) show(s *Show) {
	f.w("SHOW ")
	switch s.What {
	case "SCHEMAS":
		if s.Database {
			f.w("DATABASES")
		} else {
			f.w("SCHEMAS")
		}
	case "CREATE TABLE", "CREATE VIEW", "PARTITIONS", "TBLPROPERTIES":
		f.w(s.What + " ")
		f.qname(s.Target)
		return
	default:
		f.w(s.What)
	}
	if s.Target != nil {
		f.w(" FROM ")
		f.qname(s.Target)
	}
	if s.Pattern != nil {
		f.w(" " + QuoteHiveString(*s.Pattern))
	}
	if s.Like != nil {
		f.w(" LIKE " + QuoteString(*s.Like))
		if s.Escape != nil {
			f.w(" ESCAPE " + QuoteString(*s.Escape))
		}
	}
}

// ---------------------------------------------------------------------------
// Queries

func (f *formatter) query(q *Query) {
	if q == nil {
		return
	}
	if q.With != nil {
		f.with(q.With)
		f.w(" ")
	}
	f.queryBody(q.Body)
	if len(q.OrderBy) > 0 {
		f.w(" ORDER BY ")
		f.sortItems(q.OrderBy)
	}
	if q.Offset != nil && !q.FetchWithTies && minParam(q.Limit) >= 0 && minParam(q.Limit) < minParam(q.Offset) {
		// LIMIT ? OFFSET ?: keep the placeholders in source order.
		f.w(" LIMIT ")
		f.expr(q.Limit, 0)
		f.w(" OFFSET ")
		f.expr(q.Offset, 0)
		return
	}
	if q.Offset != nil {
		f.w(" OFFSET ")
		f.expr(q.Offset, 0)
		f.w(" ROWS")
	}
	if q.Limit != nil {
		if q.FetchWithTies {
			f.w(" FETCH FIRST ")
			f.expr(q.Limit, 0)
			f.w(" ROWS WITH TIES")
		} else {
			f.w(" LIMIT ")
			f.expr(q.Limit, 0)
		}
	}
}

func (f *formatter) with(w *With) {
	f.w("WITH ")
	if w.Recursive {
		f.w("RECURSIVE ")
	}
	for i, wq := range w.Queries {
		if i > 0 {
			f.w(", ")
		}
		f.ident(wq.Name)
		if len(wq.Columns) > 0 {
			f.w(" ")
			f.parenIdents(wq.Columns)
		}
		f.w(" AS (")
		f.query(wq.Query)
		f.w(")")
	}
}

func (f *formatter) queryBody(b QueryBody) {
	switch b := b.(type) {
	case *Select:
		f.selectBody(b)
	case *SetOperation:
		// INTERSECT binds tighter; all set operators associate left, so a
		// right operand that is itself a set operation needs parentheses,
		// as does a UNION/EXCEPT operand of INTERSECT.
		f.setOperand(b.L, b.Op == "INTERSECT")
		f.w(" " + b.Op)
		if b.All {
			f.w(" ALL")
		}
		f.w(" ")
		// Parenthesized operands in the source are SubqueryBody nodes, so
		// parentheses are only added here for hand-built trees that would
		// otherwise change meaning.
		if r, ok := b.R.(*SetOperation); ok && (r.Op != "INTERSECT" || b.Op == "INTERSECT") {
			f.w("(")
			f.queryBody(b.R)
			f.w(")")
		} else {
			f.queryBody(b.R)
		}
	case *Values:
		f.w("VALUES ")
		f.exprs(b.Rows)
	case *TableRef:
		f.w("TABLE ")
		f.qname(b.Name)
	case *SubqueryBody:
		f.w("(")
		f.query(b.Query)
		f.w(")")
	}
}

func (f *formatter) setOperand(b QueryBody, inIntersect bool) {
	if s, ok := b.(*SetOperation); ok && inIntersect && s.Op != "INTERSECT" {
		f.w("(")
		f.queryBody(b)
		f.w(")")
		return
	}
	f.queryBody(b)
}

func (f *formatter) selectBody(s *Select) {
	f.w("SELECT ")
	if s.Distinct {
		f.w("DISTINCT ")
	}
	for i, it := range s.Items {
		if i > 0 {
			f.w(", ")
		}
		f.selectItem(it)
	}
	if s.From != nil {
		f.w(" FROM ")
		f.relation(s.From)
	}
	if s.Where != nil {
		f.w(" WHERE ")
		f.expr(s.Where, 0)
	}
	if s.GroupBy != nil {
		f.w(" GROUP BY ")
		if s.GroupBy.Distinct {
			f.w("DISTINCT ")
		}
		for i, g := range s.GroupBy.Elems {
			if i > 0 {
				f.w(", ")
			}
			f.groupingElement(g)
		}
	}
	if s.Having != nil {
		f.w(" HAVING ")
		f.expr(s.Having, 0)
	}
	if len(s.Windows) > 0 {
		f.w(" WINDOW ")
		for i, wd := range s.Windows {
			if i > 0 {
				f.w(", ")
			}
			f.ident(wd.Name)
			f.w(" AS ")
			f.windowSpec(wd.Spec, true)
		}
	}
}

func (f *formatter) selectItem(it SelectItem) {
	switch it := it.(type) {
	case *AllColumns:
		if it.Prefix != nil {
			f.qname(it.Prefix)
			f.w(".")
		}
		f.w("*")
		if len(it.Aliases) > 0 {
			f.w(" AS ")
			f.parenIdents(it.Aliases)
		}
	case *SelectExpr:
		f.expr(it.Expr, 0)
		if it.Alias != nil {
			f.w(" AS ")
			f.ident(it.Alias)
		}
	}
}

func (f *formatter) groupingElement(g GroupingElement) {
	switch g := g.(type) {
	case *GroupingExprs:
		f.groupingSet(g.Exprs)
	case *Rollup:
		f.w("ROLLUP (")
		f.exprs(g.Exprs)
		f.w(")")
	case *Cube:
		f.w("CUBE (")
		f.exprs(g.Exprs)
		f.w(")")
	case *GroupingSets:
		f.w("GROUPING SETS (")
		for i, set := range g.Sets {
			if i > 0 {
				f.w(", ")
			}
			f.groupingSet(set)
		}
		f.w(")")
	}
}

func (f *formatter) groupingSet(exprs []Expr) {
	if len(exprs) == 1 {
		if r, ok := exprs[0].(*RowExpr); !ok || r.Explicit {
			f.expr(exprs[0], 0)
			return
		}
	}
	f.w("(")
	f.exprs(exprs)
	f.w(")")
}

func (f *formatter) sortItems(items []*SortItem) {
	for i, si := range items {
		if i > 0 {
			f.w(", ")
		}
		f.expr(si.Expr, 0)
		if si.Desc {
			f.w(" DESC")
		}
		if si.NullsFirst != nil {
			if *si.NullsFirst {
				f.w(" NULLS FIRST")
			} else {
				f.w(" NULLS LAST")
			}
		}
	}
}

// windowSpec prints a window specification; a bare reference prints as
// just the name unless parens are required (WINDOW w AS (v)).
func (f *formatter) windowSpec(ws *WindowSpec, parens bool) {
	if ws == nil {
		return
	}
	if !parens && ws.Ref != nil && ws.PartitionBy == nil && ws.OrderBy == nil && ws.Frame == nil {
		f.ident(ws.Ref)
		return
	}
	f.w("(")
	sep := ""
	if ws.Ref != nil {
		f.ident(ws.Ref)
		sep = " "
	}
	if len(ws.PartitionBy) > 0 {
		f.w(sep + "PARTITION BY ")
		f.exprs(ws.PartitionBy)
		sep = " "
	}
	if len(ws.OrderBy) > 0 {
		f.w(sep + "ORDER BY ")
		f.sortItems(ws.OrderBy)
		sep = " "
	}
	if fr := ws.Frame; fr != nil {
		f.w(sep + fr.Unit + " ")
		if fr.End != nil {
			f.w("BETWEEN ")
			f.frameBound(fr.Start)
			f.w(" AND ")
			f.frameBound(fr.End)
		} else {
			f.frameBound(fr.Start)
		}
	}
	f.w(")")
}

func (f *formatter) frameBound(b *FrameBound) {
	if b == nil {
		return
	}
	if b.Offset != nil {
		f.expr(b.Offset, 0)
		f.w(" ")
	}
	f.w(b.Kind)
}

// ---------------------------------------------------------------------------
// Relations

func (f *formatter) relation(r Relation) {
	switch r := r.(type) {
	case *TableRef:
		f.qname(r.Name)
		f.alias(r.Alias)
		f.sample(r.Sample)
	case *SubqueryRel:
		if r.Lateral {
			f.w("LATERAL ")
		}
		f.w("(")
		f.query(r.Query)
		f.w(")")
		f.alias(r.Alias)
		f.sample(r.Sample)
	case *Unnest:
		f.w("UNNEST(")
		f.exprs(r.Exprs)
		f.w(")")
		if r.WithOrdinality {
			f.w(" WITH ORDINALITY")
		}
		f.alias(r.Alias)
	case *ParenRel:
		f.w("(")
		f.relation(r.Rel)
		f.w(")")
		f.alias(r.Alias)
	case *Join:
		f.relation(r.L)
		switch {
		case r.Type == JoinImplicit:
			f.w(", ")
		case r.Type == JoinCross:
			f.w(" CROSS JOIN ")
		default:
			f.w(" ")
			if r.Natural {
				f.w("NATURAL ")
			}
			f.w(r.Type + " JOIN ")
		}
		// Joins are left-deep; a join on the right needs parentheses,
		// except after a comma, where a relation extends over its joins.
		if rj, ok := r.R.(*Join); ok && (r.Type != JoinImplicit || rj.Type == JoinImplicit) {
			f.w("(")
			f.relation(r.R)
			f.w(")")
		} else {
			f.relation(r.R)
		}
		if r.On != nil {
			f.w(" ON ")
			f.expr(r.On, 0)
		} else if len(r.Using) > 0 {
			f.w(" USING ")
			f.parenIdents(r.Using)
		}
	}
}

func (f *formatter) alias(a *AliasClause) {
	if a == nil {
		return
	}
	f.w(" AS ")
	f.ident(a.Name)
	if len(a.Columns) > 0 {
		f.w(" ")
		f.parenIdents(a.Columns)
	}
}

func (f *formatter) sample(s *TableSample) {
	if s == nil {
		return
	}
	f.w(" TABLESAMPLE " + s.Method + " (")
	f.expr(s.Percent, 0)
	f.w(")")
}

// ---------------------------------------------------------------------------
// Expressions

// Precedence levels, loosest first, mirroring the parser.
const (
	precLambda = iota
	precOr
	precAnd
	precNot
	precPredicate
	precConcat
	precAdd
	precMul
	precUnary
	precAtTimeZone
	precPostfix
	precPrimary
)

func exprPrec(e Expr) int {
	switch e := e.(type) {
	case *Lambda:
		return precLambda
	case *BinaryExpr:
		switch e.Op {
		case "OR":
			return precOr
		case "AND":
			return precAnd
		case "||":
			return precConcat
		case "+", "-":
			return precAdd
		case "*", "/", "%":
			return precMul
		}
		return precPredicate
	case *UnaryExpr:
		if e.Op == "NOT" {
			return precNot
		}
		return precUnary
	case *IsNull, *IsDistinctFrom, *Between, *InList, *InSubquery, *Like, *QuantifiedCmp:
		return precPredicate
	case *AtTimeZone:
		return precAtTimeZone
	case *Subscript, *Dereference:
		return precPostfix
	}
	return precPrimary
}

func (f *formatter) exprs(list []Expr) {
	for i, e := range list {
		if i > 0 {
			f.w(", ")
		}
		f.expr(e, 0)
	}
}

// expr prints e, parenthesized when its precedence is below min.
func (f *formatter) expr(e Expr, min int) {
	if e == nil {
		return
	}
	if exprPrec(e) < min {
		f.w("(")
		f.expr(e, 0)
		f.w(")")
		return
	}
	switch e := e.(type) {
	case *ColumnRef:
		f.qname(e.Name)
	case *Dereference:
		switch e.Expr.(type) {
		case *FuncCall, *Subscript, *Dereference:
			f.expr(e.Expr, precPostfix)
		default:
			// (a).b must keep its parentheses or it would read as the
			// qualified name a.b; literals would merge with the dot.
			f.w("(")
			f.expr(e.Expr, 0)
			f.w(")")
		}
		f.w(".")
		f.ident(e.Field)
	case *NullLit:
		f.w("NULL")
	case *BoolLit:
		if e.Value {
			f.w("TRUE")
		} else {
			f.w("FALSE")
		}
	case *IntegerLit:
		f.w(e.Text)
	case *DecimalLit:
		f.w(e.Text)
	case *DoubleLit:
		f.w(e.Text)
	case *StringLit:
		f.w(QuoteString(e.Value))
	case *BinaryLit:
		f.w("X'" + strings.ToUpper(hex.EncodeToString(e.Value)) + "'")
	case *TypedLit:
		f.w(e.Type + " " + QuoteString(e.Value))
	case *IntervalLit:
		f.w("INTERVAL ")
		if e.Sign < 0 {
			f.w("-")
		}
		f.w(QuoteString(e.Value) + " " + e.From)
		if e.To != "" {
			f.w(" TO " + e.To)
		}
	case *ArrayLit:
		f.w("ARRAY[")
		f.exprs(e.Elems)
		f.w("]")
	case *RowExpr:
		if e.Explicit || len(e.Elems) < 2 {
			f.w("ROW")
		}
		f.w("(")
		f.exprs(e.Elems)
		f.w(")")
	case *Param:
		f.w("?")
	case *CurrentTime:
		f.w(e.Kind)
		if e.Precision != nil {
			f.w("(" + strconv.Itoa(*e.Precision) + ")")
		}
	case *SessionInfo:
		f.w(e.Kind)
	case *BinaryExpr:
		p := exprPrec(e)
		if p == precPredicate {
			f.expr(e.L, precConcat)
			f.w(" " + e.Op + " ")
			f.expr(e.R, precConcat)
			return
		}
		f.expr(e.L, p)
		f.w(" " + e.Op + " ")
		f.expr(e.R, p+1)
	case *UnaryExpr:
		if e.Op == "NOT" {
			f.w("NOT ")
			f.expr(e.X, precNot)
			return
		}
		f.w(e.Op)
		if _, ok := e.X.(*UnaryExpr); ok {
			f.w(" ") // "- -x", not the comment "--x"
		}
		f.expr(e.X, precUnary)
	case *IsNull:
		f.expr(e.X, precConcat)
		if e.Not {
			f.w(" IS NOT NULL")
		} else {
			f.w(" IS NULL")
		}
	case *IsDistinctFrom:
		f.expr(e.L, precConcat)
		if e.Not {
			f.w(" IS NOT DISTINCT FROM ")
		} else {
			f.w(" IS DISTINCT FROM ")
		}
		f.expr(e.R, precConcat)
	case *Between:
		f.expr(e.X, precConcat)
		f.w(not(e.Not) + " BETWEEN ")
		f.expr(e.Lo, precConcat)
		f.w(" AND ")
		f.expr(e.Hi, precConcat)
	case *InList:
		f.expr(e.X, precConcat)
		f.w(not(e.Not) + " IN (")
		f.exprs(e.List)
		f.w(")")
	case *InSubquery:
		f.expr(e.X, precConcat)
		f.w(not(e.Not) + " IN (")
		f.query(e.Query)
		f.w(")")
	case *Exists:
		f.w("EXISTS (")
		f.query(e.Query)
		f.w(")")
	case *SubqueryExpr:
		f.w("(")
		f.query(e.Query)
		f.w(")")
	case *QuantifiedCmp:
		f.expr(e.X, precConcat)
		f.w(" " + e.Op + " " + e.Quantifier + " (")
		f.query(e.Query)
		f.w(")")
	case *Like:
		f.expr(e.X, precConcat)
		f.w(not(e.Not) + " LIKE ")
		f.expr(e.Pattern, precConcat)
		if e.Escape != nil {
			f.w(" ESCAPE ")
			f.expr(e.Escape, precConcat)
		}
	case *Case:
		f.w("CASE")
		if e.Operand != nil {
			f.w(" ")
			f.expr(e.Operand, 0)
		}
		for _, wh := range e.Whens {
			f.w(" WHEN ")
			f.expr(wh.Cond, 0)
			f.w(" THEN ")
			f.expr(wh.Result, 0)
		}
		if e.Else != nil {
			f.w(" ELSE ")
			f.expr(e.Else, 0)
		}
		f.w(" END")
	case *Cast:
		if e.Try {
			f.w("TRY_CAST(")
		} else {
			f.w("CAST(")
		}
		f.expr(e.X, 0)
		f.w(" AS " + e.Type.String() + ")")
	case *Extract:
		f.w("EXTRACT(" + FormatIdent(&Ident{Name: e.Field}) + " FROM ")
		f.expr(e.X, precConcat)
		f.w(")")
	case *AtTimeZone:
		f.expr(e.X, precAtTimeZone)
		if e.Zone == nil {
			f.w(" AT LOCAL")
			return
		}
		f.w(" AT TIME ZONE ")
		f.expr(e.Zone, precPostfix)
	case *Subscript:
		if c, ok := e.X.(*ColumnRef); ok && len(c.Name.Parts) == 1 && !c.Name.Parts[0].Quoted &&
			strings.EqualFold(c.Name.Parts[0].Name, "array") {
			// array[1] would read as an array constructor.
			f.w("(")
			f.expr(e.X, 0)
			f.w(")")
		} else {
			f.expr(e.X, precPostfix)
		}
		f.w("[")
		f.expr(e.Index, 0)
		f.w("]")
	case *Lambda:
		if len(e.Params) == 1 {
			f.ident(e.Params[0])
		} else {
			f.parenIdents(e.Params)
		}
		f.w(" -> ")
		f.expr(e.Body, 0)
	case *FuncCall:
		f.funcCall(e)
	}
}

func not(b bool) string {
	if b {
		return " NOT"
	}
	return ""
}

// minParam returns the smallest placeholder index in e, or -1.
func minParam(e Expr) int {
	m := -1
	if e == nil {
		return m
	}
	Inspect(e, func(n Node) bool {
		if p, ok := n.(*Param); ok && (m < 0 || p.Index < m) {
			m = p.Index
		}
		return true
	})
	return m
}

// argsOutOfOrder reports whether the second argument holds a placeholder
// that comes before those of the first, i.e. the call came from POSITION or
// TRIM syntax, which list operands in the other order.
func argsOutOfOrder(args []Expr) bool {
	if len(args) != 2 {
		return false
	}
	a, b := minParam(args[0]), minParam(args[1])
	return a >= 0 && b >= 0 && b < a
}

func (f *formatter) funcCall(e *FuncCall) {
	if len(e.Name.Parts) == 1 && !e.Name.Parts[0].Quoted && !e.Distinct && !e.Star && e.Filter == nil &&
		e.OrderBy == nil && e.Over == nil && e.NullTreatment == "" && argsOutOfOrder(e.Args) {
		spec := ""
		switch strings.ToLower(e.Name.Parts[0].Name) {
		case "strpos":
			f.w("POSITION(")
			f.expr(e.Args[1], precConcat)
			f.w(" IN ")
			f.expr(e.Args[0], precConcat)
			f.w(")")
			return
		case "trim":
			spec = "BOTH"
		case "ltrim":
			spec = "LEADING"
		case "rtrim":
			spec = "TRAILING"
		}
		if spec != "" {
			f.w("TRIM(" + spec + " ")
			f.expr(e.Args[1], precConcat)
			f.w(" FROM ")
			f.expr(e.Args[0], precConcat)
			f.w(")")
			return
		}
	}
	// GROUPING and TRIM are reserved words that the parser reads as
	// functions; printing them quoted would change the name's Quoted flag.
	// TRIM's own syntax takes value expressions (no predicates) as
	// arguments.
	argPrec := 0
	if len(e.Name.Parts) == 1 && !e.Name.Parts[0].Quoted &&
		(strings.EqualFold(e.Name.Parts[0].Name, "grouping") || strings.EqualFold(e.Name.Parts[0].Name, "trim")) {
		f.w(e.Name.Parts[0].Name)
		if strings.EqualFold(e.Name.Parts[0].Name, "trim") {
			argPrec = precConcat
		}
	} else {
		f.qname(e.Name)
	}
	f.w("(")
	switch {
	case e.Star:
		f.w("*")
	default:
		if e.Distinct {
			f.w("DISTINCT ")
		}
		for i, a := range e.Args {
			if i > 0 {
				f.w(", ")
			}
			f.expr(a, argPrec)
		}
		if len(e.OrderBy) > 0 {
			f.w(" ORDER BY ")
			f.sortItems(e.OrderBy)
		}
	}
	f.w(")")
	if e.Filter != nil {
		f.w(" FILTER (WHERE ")
		f.expr(e.Filter, 0)
		f.w(")")
	}
	if e.NullTreatment != "" {
		f.w(" " + e.NullTreatment + " NULLS")
	}
	if e.Over != nil {
		f.w(" OVER ")
		f.windowSpec(e.Over, false)
	}
}
