package ast

import (
	"github.com/quarry-sql/quarry/sql/token"
)

// Node is implemented by every syntax tree node.
type Node interface {
	Pos() token.Pos // first character of the node's first token
	End() token.Pos // just past the node's last token
}

// Span is embedded in every node to carry its source range.
type Span struct {
	From, To token.Pos
}

// Pos returns the start of the span.
func (s Span) Pos() token.Pos { return s.From }

// End returns the position just past the span.
func (s Span) End() token.Pos { return s.To }

// Statement is a top-level SQL statement.
type Statement interface {
	Node
	stmtNode()
}

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// Relation is an item of a FROM clause.
type Relation interface {
	Node
	relationNode()
}

// QueryBody is the part of a query between WITH and ORDER BY: a SELECT, a
// set operation, VALUES, TABLE t, or a parenthesized query.
type QueryBody interface {
	Node
	queryBodyNode()
}

// SelectItem is one entry of a select list.
type SelectItem interface {
	Node
	selectItemNode()
}

// GroupingElement is one entry of a GROUP BY clause.
type GroupingElement interface {
	Node
	groupingNode()
}

// ---------------------------------------------------------------------------
// Names

// Ident is an identifier. Name is the text as written (quotes removed and
// doubled quotes unescaped); unquoted names are not case-folded here.
// Quoted is true for "double-quoted" and `backquoted` identifiers.
type Ident struct {
	Span
	Name   string
	Quoted bool
}

// QualifiedName is a dotted name such as catalog.schema.table.
type QualifiedName struct {
	Span
	Parts []*Ident
}

// String joins the parts with dots, quoting those that need it.
func (q *QualifiedName) String() string {
	if q == nil {
		return ""
	}
	var b []byte
	for i, p := range q.Parts {
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, FormatIdent(p)...)
	}
	return string(b)
}

// ---------------------------------------------------------------------------
// Queries

// Query is a complete query expression: [WITH] body [ORDER BY] [OFFSET]
// [LIMIT | FETCH]. It is both a Statement and the operand of subqueries.
type Query struct {
	Span
	With    *With
	Body    QueryBody
	OrderBy []*SortItem
	Offset  Expr // nil, *IntegerLit or *Param
	// Limit is nil (no limit, or LIMIT ALL), an *IntegerLit or a *Param.
	// FETCH FIRST n ROWS ONLY is recorded as Limit n, FETCH FIRST ROW ONLY
	// as Limit 1.
	Limit         Expr
	FetchWithTies bool // FETCH FIRST n ROWS WITH TIES
}

// With is a WITH clause.
type With struct {
	Span
	Recursive bool
	Queries   []*WithQuery
}

// WithQuery is one named query of a WITH clause: name [(cols)] AS (query).
type WithQuery struct {
	Span
	Name    *Ident
	Columns []*Ident
	Query   *Query
}

// Select is a SELECT query specification.
type Select struct {
	Span
	Distinct bool
	Items    []SelectItem
	// From is nil without FROM. Comma-separated relations become a left-deep
	// tree of *Join with Type JoinImplicit.
	From    Relation
	Where   Expr
	GroupBy *GroupBy
	Having  Expr
	Windows []*WindowDef
}

// AllColumns is * or prefix.* in a select list, optionally with column
// aliases (t.* AS (a, b)).
type AllColumns struct {
	Span
	Prefix  *QualifiedName // nil for a bare *
	Aliases []*Ident
}

// SelectExpr is expr [[AS] alias] in a select list.
type SelectExpr struct {
	Span
	Expr  Expr
	Alias *Ident
}

// SetOperation combines two query bodies. INTERSECT binds tighter than UNION
// and EXCEPT, which associate to the left.
type SetOperation struct {
	Span
	Op  string // "UNION", "INTERSECT", "EXCEPT"
	All bool   // ALL; DISTINCT (the default) is false
	L   QueryBody
	R   QueryBody
}

// Values is a VALUES list. Each row is a *RowExpr for (a, b, ...) or any
// other expression for a one-column row. As a FROM item VALUES appears
// parenthesized, i.e. as a *SubqueryRel whose query body is *Values.
type Values struct {
	Span
	Rows []Expr
}

// SubqueryBody is a parenthesized query used as a query body, e.g. the
// operands of (SELECT ... LIMIT 1) UNION (SELECT ...).
type SubqueryBody struct {
	Span
	Query *Query
}

// SortItem is expr [ASC|DESC] [NULLS FIRST|LAST].
type SortItem struct {
	Span
	Expr       Expr
	Desc       bool
	NullsFirst *bool // nil when NULLS was not written
}

// GroupBy is a GROUP BY clause.
type GroupBy struct {
	Span
	Distinct bool // GROUP BY DISTINCT
	Elems    []GroupingElement
}

// GroupingExprs is a simple grouping element: one expression (GROUP BY a)
// or a parenthesized list (GROUP BY (a, b), or () for the empty set).
type GroupingExprs struct {
	Span
	Exprs []Expr
}

// Rollup is ROLLUP (a, b, ...).
type Rollup struct {
	Span
	Exprs []Expr
}

// Cube is CUBE (a, b, ...).
type Cube struct {
	Span
	Exprs []Expr
}

// GroupingSets is GROUPING SETS ((a, b), (a), ()).
type GroupingSets struct {
	Span
	Sets [][]Expr
}

// WindowDef is name AS (spec) in a WINDOW clause.
type WindowDef struct {
	Span
	Name *Ident
	Spec *WindowSpec
}

// WindowSpec is a window specification. OVER w is a spec with only Ref set;
// OVER (w ORDER BY x) refines the named window w.
type WindowSpec struct {
	Span
	Ref         *Ident
	PartitionBy []Expr
	OrderBy     []*SortItem
	Frame       *Frame
}

// Frame is a window frame: unit BETWEEN start AND end, or unit start (End
// nil). Its End field shadows the Node method, so Frame is the one syntax
// element that is not a Node; its range is in Span.From and Span.To.
type Frame struct {
	Span
	Unit  string // "ROWS", "RANGE", "GROUPS"
	Start *FrameBound
	End   *FrameBound
}

// Frame bound kinds.
const (
	UnboundedPreceding = "UNBOUNDED PRECEDING"
	Preceding          = "PRECEDING"
	CurrentRow         = "CURRENT ROW"
	Following          = "FOLLOWING"
	UnboundedFollowing = "UNBOUNDED FOLLOWING"
)

// FrameBound is one end of a frame; Offset is set for PRECEDING and
// FOLLOWING.
type FrameBound struct {
	Span
	Kind   string
	Offset Expr
}

// ---------------------------------------------------------------------------
// Relations

// TableRef names a table or view: in FROM, or as the body of TABLE t.
type TableRef struct {
	Span
	Name   *QualifiedName
	Alias  *AliasClause
	Sample *TableSample
}

// AliasClause is [AS] name [(col, ...)].
type AliasClause struct {
	Span
	Name    *Ident
	Columns []*Ident
}

// TableSample is TABLESAMPLE method (percent).
type TableSample struct {
	Span
	Method  string // "BERNOULLI" or "SYSTEM"
	Percent Expr
}

// Join types.
const (
	JoinInner    = "INNER"
	JoinLeft     = "LEFT"
	JoinRight    = "RIGHT"
	JoinFull     = "FULL"
	JoinCross    = "CROSS"
	JoinImplicit = "IMPLICIT" // FROM a, b
)

// Join is a join of two relations. On and Using are both empty for CROSS,
// IMPLICIT and NATURAL joins.
type Join struct {
	Span
	Type    string
	Natural bool
	L, R    Relation
	On      Expr
	Using   []*Ident
}

// SubqueryRel is a parenthesized query in FROM, optionally LATERAL.
type SubqueryRel struct {
	Span
	Query   *Query
	Alias   *AliasClause
	Lateral bool
	Sample  *TableSample
}

// Unnest is UNNEST(expr, ...) [WITH ORDINALITY] [alias].
type Unnest struct {
	Span
	Exprs          []Expr
	WithOrdinality bool
	Alias          *AliasClause
}

// ParenRel is a parenthesized relation that carries an alias, e.g.
// (a JOIN b ON ...) AS x. A parenthesized relation without an alias is
// represented by the inner relation itself.
type ParenRel struct {
	Span
	Rel   Relation
	Alias *AliasClause
}

// ---------------------------------------------------------------------------
// Expressions

// ColumnRef is a possibly qualified name used as a value (a, t.a, s.t.a,
// or a row field r.f). Resolving the parts is the binder's job.
type ColumnRef struct {
	Span
	Name *QualifiedName
}

// Dereference is field access on an expression that is not a plain name,
// e.g. (row_expr).f or arr[1].f.
type Dereference struct {
	Span
	Expr  Expr
	Field *Ident
}

// NullLit is NULL.
type NullLit struct{ Span }

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	Span
	Value bool
}

// IntegerLit is an integer literal; Text is as written (digits only).
type IntegerLit struct {
	Span
	Text string
}

// DecimalLit is a numeric literal with a point and no exponent (1.0, .5, 2.).
type DecimalLit struct {
	Span
	Text string
}

// DoubleLit is a numeric literal with an exponent (1e3, 1.5E-2).
type DoubleLit struct {
	Span
	Text string
}

// StringLit is a character string literal. Value is unescaped (a doubled
// quote becomes one).
type StringLit struct {
	Span
	Value string
}

// BinaryLit is X'hex'; Value holds the decoded bytes.
type BinaryLit struct {
	Span
	Value []byte
}

// TypedLit is a type name followed by a string: DATE '2020-01-01',
// TIMESTAMP '...', TIME '...', DECIMAL '1.5', DOUBLE PRECISION '1', JSON '{}'.
// Type is upper-case.
type TypedLit struct {
	Span
	Type  string
	Value string
}

// IntervalLit is INTERVAL [+|-] 'value' from [TO to].
type IntervalLit struct {
	Span
	Sign  int // +1 or -1
	Value string
	From  string // YEAR, MONTH, DAY, HOUR, MINUTE, SECOND
	To    string // "" when absent
}

// ArrayLit is ARRAY[e, ...].
type ArrayLit struct {
	Span
	Elems []Expr
}

// RowExpr is ROW(a, b) or a parenthesized list (a, b). Explicit records
// which spelling was used.
type RowExpr struct {
	Span
	Elems    []Expr
	Explicit bool // ROW(...) rather than (...)
}

// Param is a ? placeholder; Index counts placeholders from 0 in statement
// order.
type Param struct {
	Span
	Index int
}

// CurrentTime is a niladic date/time function: CURRENT_DATE, CURRENT_TIME,
// CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP, with an optional precision.
type CurrentTime struct {
	Span
	Kind      string
	Precision *int
}

// SessionInfo is CURRENT_USER, CURRENT_CATALOG, CURRENT_SCHEMA,
// CURRENT_PATH or CURRENT_ROLE.
type SessionInfo struct {
	Span
	Kind string
}

// BinaryExpr is a binary operator application. Op is one of "+", "-", "*",
// "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR" ("!=" is
// normalized to "<>").
type BinaryExpr struct {
	Span
	Op   string
	L, R Expr
	// OpSpan is the operator token, where Trino reports type errors of
	// the operation ("line 1:12: Cannot apply operator: ...").
	OpSpan Span
}

// UnaryExpr is -x, +x or NOT x.
type UnaryExpr struct {
	Span
	Op string // "-", "+", "NOT"
	X  Expr
}

// IsNull is x IS [NOT] NULL.
type IsNull struct {
	Span
	X   Expr
	Not bool
}

// IsDistinctFrom is l IS [NOT] DISTINCT FROM r.
type IsDistinctFrom struct {
	Span
	L, R Expr
	Not  bool
}

// Between is x [NOT] BETWEEN lo AND hi.
type Between struct {
	Span
	X, Lo, Hi Expr
	Not       bool
}

// InList is x [NOT] IN (e, ...).
type InList struct {
	Span
	X    Expr
	List []Expr
	Not  bool
}

// InSubquery is x [NOT] IN (query).
type InSubquery struct {
	Span
	X     Expr
	Query *Query
	Not   bool
}

// Exists is EXISTS (query). NOT EXISTS is a UnaryExpr around it.
type Exists struct {
	Span
	Query *Query
}

// SubqueryExpr is a scalar subquery (query).
type SubqueryExpr struct {
	Span
	Query *Query
}

// QuantifiedCmp is x op ANY|SOME|ALL (query).
type QuantifiedCmp struct {
	Span
	Op         string
	X          Expr
	Quantifier string // "ANY", "SOME", "ALL"
	Query      *Query
}

// Like is x [NOT] LIKE pattern [ESCAPE escape].
type Like struct {
	Span
	X, Pattern Expr
	Escape     Expr // nil when absent
	Not        bool
}

// Case is CASE [operand] WHEN ... THEN ... [ELSE ...] END. Operand is nil
// for a searched CASE.
type Case struct {
	Span
	Operand Expr
	Whens   []*When
	Else    Expr
}

// When is one WHEN cond THEN result arm.
type When struct {
	Span
	Cond, Result Expr
}

// Cast is CAST(x AS type) or TRY_CAST(x AS type).
type Cast struct {
	Span
	X    Expr
	Type *TypeName
	Try  bool
}

// Extract is EXTRACT(field FROM x). Field is upper-case as written
// (YEAR, QUARTER, MONTH, WEEK, DAY, DAY_OF_WEEK, DOW, DOY, HOUR, ...).
type Extract struct {
	Span
	Field string
	X     Expr
}

// AtTimeZone is x AT TIME ZONE zone; AT LOCAL is recorded with Zone nil.
type AtTimeZone struct {
	Span
	X    Expr
	Zone Expr
}

// Subscript is x[index].
type Subscript struct {
	Span
	X     Expr
	Index Expr
}

// Lambda is x -> body or (a, b) -> body.
type Lambda struct {
	Span
	Params []*Ident
	Body   Expr
}

// FuncCall is a function call, aggregate or window function. The special
// syntaxes SUBSTRING(x FROM a FOR b), POSITION(a IN b) and
// TRIM([BOTH|LEADING|TRAILING] [c] FROM x) are desugared into ordinary calls
// substring(x, a[, b]), strpos(b, a) and trim/ltrim/rtrim(x[, c]).
type FuncCall struct {
	Span
	Name          *QualifiedName
	Args          []Expr
	Distinct      bool
	Star          bool // count(*)
	Filter        Expr // FILTER (WHERE ...)
	OrderBy       []*SortItem
	Over          *WindowSpec
	NullTreatment string // "IGNORE", "RESPECT" or ""
}

// ---------------------------------------------------------------------------
// Types

// TypeName is a structured type as written in CAST or DDL, in Trino or Hive
// spelling. Name is the lower-cased base name ("varchar", "decimal",
// "array", "map", "row", "struct", "timestamp", "interval", "string", ...);
// "double precision" is "double".
type TypeName struct {
	Span
	Name         string
	Params       []int       // varchar(10), decimal(15,2), timestamp(3)
	Elems        []*TypeName // array element; map key and value
	Fields       []*TypeField
	WithTimeZone bool   // time/timestamp ... WITH TIME ZONE
	IntervalFrom string // interval day to second: "DAY"
	IntervalTo   string // "SECOND"
}

// TypeField is one field of a row or struct type; Name may be nil in
// Trino's anonymous row(integer, varchar).
type TypeField struct {
	Span
	Name *Ident
	Type *TypeName
}

// ---------------------------------------------------------------------------
// Statements

// Explain is EXPLAIN [ANALYZE] [VERBOSE] [(option, ...)] statement.
type Explain struct {
	Span
	Analyze bool
	Verbose bool
	Options []*ExplainOption
	Stmt    Statement
}

// ExplainOption is TYPE x or FORMAT x; Kind and Value are upper-case.
type ExplainOption struct {
	Span
	Kind  string // "TYPE", "FORMAT"
	Value string // LOGICAL, DISTRIBUTED, IO, VALIDATE; TEXT, GRAPHVIZ, JSON
}

// Use is USE [catalog.]schema.
type Use struct {
	Span
	Schema *QualifiedName
}

// CreateSchema is CREATE SCHEMA|DATABASE [IF NOT EXISTS] name [COMMENT ...]
// [LOCATION ...] [WITH DBPROPERTIES (...)] [WITH (...)].
type CreateSchema struct {
	Span
	Name         *QualifiedName
	IfNotExists  bool
	Database     bool // spelled DATABASE
	Comment      *string
	Location     *string
	DBProperties []*Property
	With         []*WithProperty
}

// DropSchema is DROP SCHEMA|DATABASE [IF EXISTS] name [CASCADE|RESTRICT].
type DropSchema struct {
	Span
	Name     *QualifiedName
	IfExists bool
	Database bool
	Cascade  bool
}

// CreateTable covers Hive/Athena DDL (CREATE [EXTERNAL] TABLE ... ROW FORMAT
// ... STORED AS ... LOCATION ...), Trino's CREATE TABLE (cols) WITH (...),
// plain SQL CREATE TABLE t(a INTEGER), and CREATE TABLE ... AS query.
// Strings in Hive clauses (comments, ROW FORMAT, SERDE, properties,
// LOCATION) are decoded with Hive's backslash escapes ('\\' is one
// backslash, '\n' a newline, '\001' the byte 1).
type CreateTable struct {
	Span
	External      bool
	IfNotExists   bool
	Name          *QualifiedName
	Columns       []*ColumnDef
	Comment       *string
	PartitionedBy []*ColumnDef // Hive PARTITIONED BY (col type, ...)
	ClusteredBy   []*Ident     // CLUSTERED BY (col, ...) INTO Buckets BUCKETS
	Buckets       int
	RowFormat     *RowFormat
	StoredAs      string // upper-case: TEXTFILE, PARQUET, ORC, JSON, AVRO, ...
	InputFormat   string // STORED AS INPUTFORMAT '...' OUTPUTFORMAT '...'
	OutputFormat  string
	Location      *string
	TblProperties []*Property
	With          []*WithProperty // Trino/Athena-CTAS WITH (...)
	AsQuery       *Query
	NoData        bool // WITH NO DATA
}

// ColumnDef is name type [NOT NULL] [PRIMARY KEY] [COMMENT '...']. Type is
// nil only in the column-name list of CREATE TABLE t (a, b) AS query.
type ColumnDef struct {
	Span
	Name       *Ident
	Type       *TypeName
	NotNull    bool
	PrimaryKey bool
	Comment    string
}

// RowFormat is ROW FORMAT DELIMITED ... or ROW FORMAT SERDE '...'. The
// delimiter fields are nil when not written.
type RowFormat struct {
	Span
	Delimited                   bool
	FieldsTerminatedBy          *string
	EscapedBy                   *string
	CollectionItemsTerminatedBy *string
	MapKeysTerminatedBy         *string
	LinesTerminatedBy           *string
	NullDefinedAs               *string
	SerDe                       string
	SerDeProps                  []*Property
}

// Property is a Hive 'key' = 'value' pair (TBLPROPERTIES,
// SERDEPROPERTIES, DBPROPERTIES).
type Property struct {
	Span
	Key, Value string
}

// WithProperty is a Trino name = expression property.
type WithProperty struct {
	Span
	Name  *Ident
	Value Expr
}

// CreateView is CREATE [OR REPLACE] VIEW name [(cols)] [COMMENT ...]
// [SECURITY DEFINER|INVOKER] AS query. QueryText is the exact source text of
// the query.
type CreateView struct {
	Span
	OrReplace bool
	Name      *QualifiedName
	Columns   []*Ident
	Comment   *string
	Security  string // "", "DEFINER", "INVOKER"
	Query     *Query
	QueryText string
}

// DropTable is DROP TABLE [IF EXISTS] name.
type DropTable struct {
	Span
	Name     *QualifiedName
	IfExists bool
}

// CreateIndex is CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table
// (columns), as SQL scripts written for other databases (SQLite's
// sqllogictest) contain. Quarry keeps no indexes: the engine checks the
// table and columns and does nothing else.
type CreateIndex struct {
	Span
	Unique      bool
	IfNotExists bool
	Name        *QualifiedName
	Table       *QualifiedName
	Columns     []*IndexColumn
}

// Call is CALL procedure(arg, name => arg, ...), Trino's way to run a
// procedure (Quarry's: system.invalidate_cache).
type Call struct {
	Span
	Name *QualifiedName
	Args []*CallArgument
}

// CallArgument is a positional (Name nil) or named argument of CALL.
type CallArgument struct {
	Name  *Ident
	Value Expr
}

// IndexColumn is a column of CREATE INDEX with its optional order.
type IndexColumn struct {
	Name  *Ident
	Order string // "", "ASC", "DESC"
}

// DropView is DROP VIEW [IF EXISTS] name.
type DropView struct {
	Span
	Name     *QualifiedName
	IfExists bool
}

// Insert is INSERT INTO table [(cols)] query; VALUES rows arrive as a query
// whose body is *Values.
type Insert struct {
	Span
	Table   *QualifiedName
	Columns []*Ident
	Query   *Query
}

// Unload is Athena's UNLOAD (query) TO 'location' WITH (...).
type Unload struct {
	Span
	Query    *Query
	Location string
	With     []*WithProperty
}

// PartitionSpec is PARTITION (key = value, ...) [LOCATION '...'].
type PartitionSpec struct {
	Span
	Values   []*PartitionValue
	Location *string
}

// PartitionValue is key = literal inside PARTITION (...).
type PartitionValue struct {
	Span
	Key   *Ident
	Value Expr
}

// AlterTableAddPartition is ALTER TABLE t ADD [IF NOT EXISTS] PARTITION
// (...) [LOCATION ...] [PARTITION ...].
type AlterTableAddPartition struct {
	Span
	Table       *QualifiedName
	IfNotExists bool
	Partitions  []*PartitionSpec
}

// AlterTableDropPartition is ALTER TABLE t DROP [IF EXISTS] PARTITION
// (...), PARTITION (...).
type AlterTableDropPartition struct {
	Span
	Table      *QualifiedName
	IfExists   bool
	Partitions []*PartitionSpec
}

// MsckRepair is MSCK REPAIR TABLE t.
type MsckRepair struct {
	Span
	Table *QualifiedName
}

// Show is one of the SHOW statements. What is "SCHEMAS" (also for SHOW
// DATABASES, with Database set), "TABLES", "VIEWS", "COLUMNS",
// "CREATE TABLE", "CREATE VIEW", "PARTITIONS", "FUNCTIONS", "SESSION",
// "CATALOGS" or "TBLPROPERTIES".
type Show struct {
	Span
	What     string
	Database bool           // SHOW DATABASES spelling
	Target   *QualifiedName // FROM/IN x, or the table/view shown
	Like     *string        // LIKE 'pattern'
	Escape   *string
	Pattern  *string // Hive's bare 'regex' (SHOW TABLES IN db 'x*')
}

// Describe is DESCRIBE|DESC [EXTENDED|FORMATTED] table.
type Describe struct {
	Span
	Table    *QualifiedName
	Modifier string // "", "EXTENDED", "FORMATTED"
}

// SetSession is SET SESSION name = value.
type SetSession struct {
	Span
	Name  *QualifiedName
	Value Expr
}

// ResetSession is RESET SESSION name.
type ResetSession struct {
	Span
	Name *QualifiedName
}

// Prepare is PREPARE name FROM statement.
type Prepare struct {
	Span
	Name *Ident
	Stmt Statement
}

// Execute is EXECUTE name [USING expr, ...].
type Execute struct {
	Span
	Name  *Ident
	Using []Expr
}

// Deallocate is DEALLOCATE PREPARE name.
type Deallocate struct {
	Span
	Name *Ident
}

// ---------------------------------------------------------------------------
// Sealing

func (*Query) stmtNode()                   {}
func (*Explain) stmtNode()                 {}
func (*Use) stmtNode()                     {}
func (*CreateSchema) stmtNode()            {}
func (*DropSchema) stmtNode()              {}
func (*CreateTable) stmtNode()             {}
func (*CreateView) stmtNode()              {}
func (*DropTable) stmtNode()               {}
func (*DropView) stmtNode()                {}
func (*CreateIndex) stmtNode()             {}
func (*Call) stmtNode()                    {}
func (*Insert) stmtNode()                  {}
func (*Unload) stmtNode()                  {}
func (*AlterTableAddPartition) stmtNode()  {}
func (*AlterTableDropPartition) stmtNode() {}
func (*MsckRepair) stmtNode()              {}
func (*Show) stmtNode()                    {}
func (*Describe) stmtNode()                {}
func (*SetSession) stmtNode()              {}
func (*ResetSession) stmtNode()            {}
func (*Prepare) stmtNode()                 {}
func (*Execute) stmtNode()                 {}
func (*Deallocate) stmtNode()              {}

func (*Select) queryBodyNode()       {}
func (*SetOperation) queryBodyNode() {}
func (*Values) queryBodyNode()       {}
func (*TableRef) queryBodyNode()     {}
func (*SubqueryBody) queryBodyNode() {}

func (*TableRef) relationNode()    {}
func (*Join) relationNode()        {}
func (*SubqueryRel) relationNode() {}
func (*Unnest) relationNode()      {}
func (*ParenRel) relationNode()    {}

func (*AllColumns) selectItemNode() {}
func (*SelectExpr) selectItemNode() {}

func (*GroupingExprs) groupingNode() {}
func (*Rollup) groupingNode()        {}
func (*Cube) groupingNode()          {}
func (*GroupingSets) groupingNode()  {}

func (*ColumnRef) exprNode()      {}
func (*Dereference) exprNode()    {}
func (*NullLit) exprNode()        {}
func (*BoolLit) exprNode()        {}
func (*IntegerLit) exprNode()     {}
func (*DecimalLit) exprNode()     {}
func (*DoubleLit) exprNode()      {}
func (*StringLit) exprNode()      {}
func (*BinaryLit) exprNode()      {}
func (*TypedLit) exprNode()       {}
func (*IntervalLit) exprNode()    {}
func (*ArrayLit) exprNode()       {}
func (*RowExpr) exprNode()        {}
func (*Param) exprNode()          {}
func (*CurrentTime) exprNode()    {}
func (*SessionInfo) exprNode()    {}
func (*BinaryExpr) exprNode()     {}
func (*UnaryExpr) exprNode()      {}
func (*IsNull) exprNode()         {}
func (*IsDistinctFrom) exprNode() {}
func (*Between) exprNode()        {}
func (*InList) exprNode()         {}
func (*InSubquery) exprNode()     {}
func (*Exists) exprNode()         {}
func (*SubqueryExpr) exprNode()   {}
func (*QuantifiedCmp) exprNode()  {}
func (*Like) exprNode()           {}
func (*Case) exprNode()           {}
func (*Cast) exprNode()           {}
func (*Extract) exprNode()        {}
func (*AtTimeZone) exprNode()     {}
func (*Subscript) exprNode()      {}
func (*Lambda) exprNode()         {}
func (*FuncCall) exprNode()       {}

// Compile-time checks that the sealed interfaces are implemented.
var (
	_ Statement = (*Query)(nil)
	_ Statement = (*Deallocate)(nil)
	_ QueryBody = (*Select)(nil)
	_ QueryBody = (*TableRef)(nil)
	_ Relation  = (*ParenRel)(nil)
	_ Expr      = (*FuncCall)(nil)
	_ Node      = (*TypeName)(nil)
	_ Node      = (*When)(nil)
)
