package engine

// Pre-flight estimates: EXPLAIN (TYPE IO), dry runs and scan limits. A
// statement is bound, optimized and physically planned exactly as for
// running it (partition pruning included), but no reader is opened; each
// planned split is priced by its format (plan.EstimateIO).

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/types"
)

// ScanLimitProperty is the session property that lowers the scan limit
// for the session's queries: SET SESSION scan_limit = '10GB'.
const ScanLimitProperty = "scan_limit"

// IOEstimate is what a statement would read, known before it runs.
type IOEstimate struct {
	// Statement names the statement kind: SELECT, INSERT, CREATE TABLE AS,
	// UNLOAD.
	Statement string
	// Scans are the table scans in planning order; a table read twice
	// (a CTE referenced twice, a self-join) appears twice.
	Scans []TableIO
	Total TableIO
	// Threads is the parallelism the time estimate assumes.
	Threads int
	// Output is the table a write fills ("" for queries and UNLOAD).
	OutputSchema, OutputTable string
}

// TableIO is the estimate of one scan, or of all of them (Total).
type TableIO struct {
	Schema, Table string
	Files         int64
	// Partitioned tables only: partitions kept after pruning, of all.
	Partitioned                     bool
	PartitionsRead, PartitionsTotal int64
	// RemoteBytes will be read from storage (local disk or S3): what the
	// statistics report as bytes scanned. LocalBytes come from the
	// decoded-column cache.
	RemoteBytes, LocalBytes int64
	// Rows counts the rows of the splits whose count is known before
	// reading (Parquet footers); RowsExact when that is every split,
	// RowsKnown when it is any.
	Rows                 int64
	RowsExact, RowsKnown bool
	// Seconds is the time model's estimate (plan.ScanRates).
	Seconds     float64
	Constraints []plan.Constraint
}

// Bytes is what the statement would read from storage, the figure Athena
// bills and scan limits compare.
func (e *IOEstimate) Bytes() int64 { return e.Total.RemoteBytes }

// Cost is the Athena price of the estimate ($5 per TB, 10 MB minimum).
func (e *IOEstimate) Cost() float64 { return Stats{BytesRead: e.Bytes()}.Cost() }

// Summary is one line for people: files, bytes, rows, cost and time.
func (e *IOEstimate) Summary() string {
	t := e.Total
	var b strings.Builder
	fmt.Fprintf(&b, "%d file%s, %s from storage", t.Files, plural(t.Files), exec.FormatBytes(t.RemoteBytes))
	if t.LocalBytes > 0 {
		fmt.Fprintf(&b, " and %s from the cache", exec.FormatBytes(t.LocalBytes))
	}
	switch {
	case t.RowsExact:
		fmt.Fprintf(&b, ", %d row%s", t.Rows, plural(t.Rows))
	case t.RowsKnown:
		fmt.Fprintf(&b, ", at least %d rows", t.Rows)
	}
	fmt.Fprintf(&b, "; Athena cost $%.6f; %s at %d thread%s", e.Cost(), formatSeconds(t.Seconds), e.Threads, plural(int64(e.Threads)))
	return b.String()
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func formatSeconds(s float64) string {
	switch {
	case math.Round(s*100) == 0:
		return "under 0.01s"
	case s < 10:
		return fmt.Sprintf("about %.2fs", s)
	}
	return "about " + time.Duration(s*float64(time.Second)).Round(time.Second).String()
}

// ScanLimitError refuses a statement whose estimate exceeds the scan
// limit, before anything is read.
type ScanLimitError struct {
	Estimate *IOEstimate
	Limit    int64
}

func (e *ScanLimitError) Error() string {
	return fmt.Sprintf("Query would scan %s (estimate: %d file%s, $%.6f), over the scan limit of %s",
		exec.FormatBytes(e.Estimate.Bytes()), e.Estimate.Total.Files, plural(e.Estimate.Total.Files), e.Estimate.Cost(), exec.FormatBytes(e.Limit))
}

// ParseSize reads a byte size: a number with an optional unit B, KB, MB,
// GB or TB (powers of 1024), e.g. 512MB or 1.5GB.
func ParseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			mult = suf.m
			u = strings.TrimSpace(strings.TrimSuffix(u, suf.s))
			break
		}
	}
	f, err := strconv.ParseFloat(u, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f*float64(mult) >= math.MaxInt64 {
		return 0, fmt.Errorf("invalid size %q (use e.g. 512MB or 4GB)", s)
	}
	return int64(f * float64(mult)), nil
}

// scanLimit is the tightest of the engine's limit (Config.ScanLimit), the
// session's (Session.ScanLimit, set per user by the server) and the
// scan_limit session property; 0 when none is set. The property can only
// lower the others.
func (s *Session) scanLimit() (int64, error) {
	lim := int64(0)
	tighten := func(v int64) {
		if v > 0 && (lim == 0 || v < lim) {
			lim = v
		}
	}
	tighten(s.e.cfg.ScanLimit)
	tighten(s.ScanLimit)
	if v, ok := s.Props[ScanLimitProperty]; ok {
		n, err := ParseSize(strings.Trim(v, "'"))
		if err != nil {
			return 0, fmt.Errorf("session property %s: %w", ScanLimitProperty, err)
		}
		tighten(n)
	}
	return lim, nil
}

// checkScanLimit refuses planned scans whose estimate exceeds the limit.
func (s *Session) checkScanLimit(ctx context.Context, scans []*plan.ScanPlan) error {
	lim, err := s.scanLimit()
	if err != nil || lim == 0 {
		return err
	}
	est, err := s.estimateScans(ctx, scans)
	if err != nil {
		return err
	}
	if est.Bytes() > lim {
		return &ScanLimitError{Estimate: est, Limit: lim}
	}
	return nil
}

// preflight checks the scan limit of a write (INSERT, CREATE TABLE AS,
// UNLOAD) before it starts; queries are checked as they are planned.
func (s *Session) preflight(ctx context.Context, st ast.Statement) error {
	q, _ := readingQuery(st)
	if q == nil {
		return nil
	}
	if _, isQuery := st.(*ast.Query); isQuery {
		return nil
	}
	if lim, err := s.scanLimit(); err != nil || lim == 0 {
		return err
	}
	scans, err := s.planScans(ctx, q)
	if err != nil {
		return err
	}
	return s.checkScanLimit(ctx, scans)
}

// readingQuery returns the query a statement reads with, and the
// statement's kind; nil for statements that read no table data.
func readingQuery(st ast.Statement) (*ast.Query, string) {
	switch x := st.(type) {
	case *ast.Query:
		return x, "SELECT"
	case *ast.Insert:
		return x.Query, "INSERT"
	case *ast.CreateTable:
		if x.AsQuery != nil && !x.NoData {
			return x.AsQuery, "CREATE TABLE AS"
		}
	case *ast.Unload:
		return x.Query, "UNLOAD"
	}
	return nil, ""
}

// planScans plans a query as startQuery does and returns its scans
// without opening anything.
func (s *Session) planScans(ctx context.Context, q *ast.Query) ([]*plan.ScanPlan, error) {
	fn := s.fnContext()
	env := &plan.Env{Ctx: ctx, Catalog: s.e.cat, Funcs: s.e.funcs, Schema: s.Schema, Fn: fn,
		DecimalLiteralsAsDouble: s.boolProp("parse_decimal_literals_as_double"), Warn: func(string) {}}
	b := plan.NewBinder(env)
	bound, err := b.BindQuery(q)
	if err != nil {
		return nil, err
	}
	root := plan.NewOptimizer(b, &tableStats{ctx: ctx, e: s.e}).Optimize(bound.Root)
	penv := &plan.PhysEnv{Resolver: s.e.resolver, Formats: s.e.formats, Threads: s.e.cfg.Threads}
	phys := plan.NewPhysical(env, penv, exec.NewContext(ctx, fn, s.e.cfg.Threads, 0))
	op, err := phys.Build(root)
	if err != nil {
		return nil, err
	}
	op.Close()
	return phys.Scans, nil
}

// Estimate prices a statement without running it: what a query, INSERT,
// CREATE TABLE AS or UNLOAD would read. Other statements read no table
// data and give an empty estimate.
func (s *Session) Estimate(ctx context.Context, st ast.Statement) (*IOEstimate, error) {
	q, kind := readingQuery(st)
	if q == nil {
		return &IOEstimate{Statement: kindName(st), Threads: s.e.cfg.Threads}, nil
	}
	scans, err := s.planScans(ctx, q)
	if err != nil {
		return nil, err
	}
	est, err := s.estimateScans(ctx, scans)
	if err != nil {
		return nil, err
	}
	est.Statement = kind
	switch x := st.(type) {
	case *ast.Insert:
		est.OutputSchema, est.OutputTable = s.qualify(x.Table)
	case *ast.CreateTable:
		est.OutputSchema, est.OutputTable = s.qualify(x.Name)
	}
	return est, nil
}

func (s *Session) estimateScans(ctx context.Context, scans []*plan.ScanPlan) (*IOEstimate, error) {
	ios, err := plan.EstimateIO(ctx, scans, s.e.cfg.Threads)
	if err != nil {
		return nil, err
	}
	est := &IOEstimate{Statement: "SELECT", Threads: s.e.cfg.Threads}
	t := &est.Total
	t.RowsExact = true
	for i := range ios {
		io := &ios[i]
		ti := TableIO{
			Schema: io.Table.Schema, Table: io.Table.Name, Files: io.Files,
			Partitioned: io.Partitioned, PartitionsRead: io.PartitionsRead, PartitionsTotal: io.PartitionsTotal,
			RemoteBytes: io.RemoteBytes, LocalBytes: io.LocalBytes,
			Rows: io.Rows, RowsExact: io.RowsExact(), RowsKnown: io.RowSplits > 0,
			Seconds: io.Seconds, Constraints: io.Constraints,
		}
		est.Scans = append(est.Scans, ti)
		t.Files += ti.Files
		t.RemoteBytes += ti.RemoteBytes
		t.LocalBytes += ti.LocalBytes
		t.Rows += ti.Rows
		t.RowsExact = t.RowsExact && ti.RowsExact
		t.RowsKnown = t.RowsKnown || ti.RowsKnown
		t.Seconds += ti.Seconds
		if ti.Partitioned {
			t.Partitioned = true
			t.PartitionsRead += ti.PartitionsRead
			t.PartitionsTotal += ti.PartitionsTotal
		}
	}
	if len(ios) == 0 {
		t.RowsKnown = true // nothing to read: zero rows, exactly
	}
	return est, nil
}

// explainOption returns the value of an EXPLAIN option (TYPE or FORMAT).
func explainOption(x *ast.Explain, kind string) string {
	v := ""
	for _, o := range x.Options {
		if o.Kind == kind {
			v = o.Value
		}
	}
	return v
}

// explainIO answers EXPLAIN (TYPE IO [, FORMAT TEXT|JSON]).
func (s *Session) explainIO(ctx context.Context, x *ast.Explain) (*Result, error) {
	if x.Analyze {
		return nil, semErr(x, "EXPLAIN ANALYZE does not support TYPE IO")
	}
	if q, _ := readingQuery(x.Stmt); q == nil {
		return nil, semErr(x, "EXPLAIN (TYPE IO) supports queries, INSERT, CREATE TABLE AS and UNLOAD")
	}
	est, err := s.Estimate(ctx, x.Stmt)
	if err != nil {
		return nil, err
	}
	switch f := explainOption(x, "FORMAT"); f {
	case "", "TEXT":
		return est.Result()
	case "JSON":
		js, err := est.JSON()
		if err != nil {
			return nil, err
		}
		r, err := staticResult(varcharCols("Query Plan"), [][]any{{js}})
		if r != nil {
			r.Estimate = est
		}
		return r, err
	default:
		return nil, semErr(x, "EXPLAIN (TYPE IO) supports FORMAT TEXT and JSON, not %s", f)
	}
}

// ioColumns are the columns of EXPLAIN (TYPE IO) and of a dry run.
var ioColumns = []types.Column{
	{Name: "table", Type: types.VarcharType},
	{Name: "files", Type: types.BigIntType},
	{Name: "partitions", Type: types.VarcharType},
	{Name: "remote_bytes", Type: types.BigIntType},
	{Name: "local_bytes", Type: types.BigIntType},
	{Name: "rows", Type: types.BigIntType},
	{Name: "rows_are", Type: types.VarcharType},
	{Name: "athena_cost_usd", Type: types.DecimalOf(18, 6)},
	{Name: "seconds", Type: types.DecimalOf(18, 2)},
}

// Result renders the estimate as rows: one per scan, then the total
// (named "total", with Athena's 10 MB minimum in its cost).
func (e *IOEstimate) Result() (*Result, error) {
	row := func(name string, t *TableIO, cost float64) []any {
		var parts, rows any
		if t.Partitioned {
			parts = fmt.Sprintf("%d/%d", t.PartitionsRead, t.PartitionsTotal)
		}
		rowsAre := "unknown"
		switch {
		case t.RowsExact:
			rowsAre, rows = "exact", t.Rows
		case t.RowsKnown:
			rowsAre, rows = "at least", t.Rows
		}
		return []any{name, t.Files, parts, t.RemoteBytes, t.LocalBytes, rows, rowsAre,
			int64(math.Round(cost * 1e6)), int64(math.Round(t.Seconds * 100))}
	}
	var rows [][]any
	for i := range e.Scans {
		t := &e.Scans[i]
		rows = append(rows, row(t.Schema+"."+t.Table, t, float64(t.RemoteBytes)/1e12*AthenaPricePerTB))
	}
	rows = append(rows, row("total", &e.Total, e.Cost()))
	r, err := staticResult(ioColumns, rows)
	if r != nil {
		r.Estimate = e
	}
	return r, err
}

// The JSON form follows Trino's EXPLAIN (TYPE IO, FORMAT JSON): per input
// table its name, constraints and an estimate whose outputSizeInBytes is
// the bytes the scan reads; Quarry adds files, partitions, remote and
// local bytes, the Athena cost and the time estimate.
type ioPlanJSON struct {
	InputTableColumnInfos []ioInputJSON `json:"inputTableColumnInfos"`
	OutputTable           *ioTableJSON  `json:"outputTable,omitempty"`
	Estimate              ioEstJSON     `json:"estimate"`
}

type ioTableJSON struct {
	Catalog     string `json:"catalog"`
	SchemaTable struct {
		Schema string `json:"schema"`
		Table  string `json:"table"`
	} `json:"schemaTable"`
}

type ioInputJSON struct {
	Table             ioTableJSON        `json:"table"`
	ColumnConstraints []ioConstraintJSON `json:"columnConstraints"`
	Estimate          ioEstJSON          `json:"estimate"`
}

type ioConstraintJSON struct {
	ColumnName string `json:"columnName"`
	Type       string `json:"type"`
	Domain     struct {
		NullsAllowed bool          `json:"nullsAllowed"`
		Ranges       []ioRangeJSON `json:"ranges"`
	} `json:"domain"`
}

type ioRangeJSON struct {
	Low  ioMarkerJSON `json:"low"`
	High ioMarkerJSON `json:"high"`
}

type ioMarkerJSON struct {
	Value *string `json:"value,omitempty"`
	Bound string  `json:"bound"` // ABOVE, EXACTLY, BELOW
}

type ioEstJSON struct {
	OutputRowCount    any     `json:"outputRowCount"` // a number, or "NaN" when unknown
	OutputSizeInBytes float64 `json:"outputSizeInBytes"`
	CPUCost           float64 `json:"cpuCost"`
	MaxMemory         float64 `json:"maxMemory"`
	NetworkCost       float64 `json:"networkCost"`
	Files             int64   `json:"files"`
	PartitionsRead    *int64  `json:"partitionsRead,omitempty"`
	PartitionsTotal   *int64  `json:"partitionsTotal,omitempty"`
	RemoteBytes       int64   `json:"remoteBytes"`
	LocalBytes        int64   `json:"localBytes"`
	RowsExact         bool    `json:"rowsExact"`
	AthenaCostUSD     float64 `json:"athenaCostUsd"`
	Seconds           float64 `json:"estimatedSeconds"`
}

func tableJSON(schema, table string) ioTableJSON {
	var t ioTableJSON
	t.Catalog = "quarry"
	t.SchemaTable.Schema, t.SchemaTable.Table = schema, table
	return t
}

func estJSON(t *TableIO, cost float64) ioEstJSON {
	e := ioEstJSON{OutputRowCount: "NaN", OutputSizeInBytes: float64(t.RemoteBytes + t.LocalBytes),
		CPUCost: float64(t.RemoteBytes + t.LocalBytes), Files: t.Files, RemoteBytes: t.RemoteBytes,
		LocalBytes: t.LocalBytes, RowsExact: t.RowsExact, AthenaCostUSD: math.Round(cost*1e6) / 1e6,
		Seconds: math.Round(t.Seconds*100) / 100}
	if t.RowsExact {
		e.OutputRowCount = float64(t.Rows)
	}
	if t.Partitioned {
		e.PartitionsRead, e.PartitionsTotal = &t.PartitionsRead, &t.PartitionsTotal
	}
	return e
}

// JSON renders the estimate in the shape of Trino's EXPLAIN (TYPE IO,
// FORMAT JSON).
func (e *IOEstimate) JSON() (string, error) {
	doc := ioPlanJSON{InputTableColumnInfos: []ioInputJSON{}}
	for i := range e.Scans {
		t := &e.Scans[i]
		in := ioInputJSON{Table: tableJSON(t.Schema, t.Table), ColumnConstraints: []ioConstraintJSON{},
			Estimate: estJSON(t, float64(t.RemoteBytes)/1e12*AthenaPricePerTB)}
		for _, c := range t.Constraints {
			in.ColumnConstraints = append(in.ColumnConstraints, constraintJSON(c))
		}
		doc.InputTableColumnInfos = append(doc.InputTableColumnInfos, in)
	}
	if e.OutputTable != "" {
		t := tableJSON(e.OutputSchema, e.OutputTable)
		doc.OutputTable = &t
	}
	doc.Estimate = estJSON(&e.Total, e.Cost())
	b, err := json.MarshalIndent(doc, "", "  ")
	return string(b), err
}

// constraintJSON renders a filter as a Trino domain of ranges.
func constraintJSON(c plan.Constraint) ioConstraintJSON {
	var out ioConstraintJSON
	out.ColumnName, out.Type = c.Column, c.Type.String()
	out.Domain.Ranges = []ioRangeJSON{}
	val := func(v any) *string { s := formatConst(c.Type, v); return &s }
	below, above := ioMarkerJSON{Bound: "BELOW"}, ioMarkerJSON{Bound: "ABOVE"} // unbounded ends
	for _, v := range c.Values {
		switch c.Op {
		case "=", "IN":
			out.Domain.Ranges = append(out.Domain.Ranges, ioRangeJSON{ioMarkerJSON{val(v), "EXACTLY"}, ioMarkerJSON{val(v), "EXACTLY"}})
		case "<":
			out.Domain.Ranges = append(out.Domain.Ranges, ioRangeJSON{above, ioMarkerJSON{val(v), "BELOW"}})
		case "<=":
			out.Domain.Ranges = append(out.Domain.Ranges, ioRangeJSON{above, ioMarkerJSON{val(v), "EXACTLY"}})
		case ">":
			out.Domain.Ranges = append(out.Domain.Ranges, ioRangeJSON{ioMarkerJSON{val(v), "ABOVE"}, below})
		case ">=":
			out.Domain.Ranges = append(out.Domain.Ranges, ioRangeJSON{ioMarkerJSON{val(v), "EXACTLY"}, below})
		case "<>":
			out.Domain.Ranges = append(out.Domain.Ranges,
				ioRangeJSON{above, ioMarkerJSON{val(v), "BELOW"}}, ioRangeJSON{ioMarkerJSON{val(v), "ABOVE"}, below})
		}
	}
	return out
}

// formatConst renders a constant of type t (see exec.ConstArray for the
// representation) as Trino prints values in EXPLAIN.
func formatConst(t types.Type, v any) string {
	switch t.Kind {
	case types.Date:
		if d, ok := v.(int64); ok {
			return time.Unix(d*86400, 0).UTC().Format("2006-01-02")
		}
	case types.Timestamp:
		if us, ok := v.(int64); ok {
			s := time.UnixMicro(us).UTC().Format("2006-01-02 15:04:05.000000")
			if p := t.Precision; p >= 0 && p < 6 {
				s = s[:len(s)-6+p]
				s = strings.TrimSuffix(s, ".")
			}
			return s
		}
	case types.Decimal:
		var n *big.Int
		switch x := v.(type) {
		case int64:
			n = big.NewInt(x)
		case decimal128.Num:
			n = x.BigInt()
		case *big.Int:
			n = x
		}
		if n != nil {
			return new(big.Rat).SetFrac(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale)), nil)).FloatString(t.Scale)
		}
	}
	return fmt.Sprint(v)
}

// DryRun parses a script and, instead of running it, gives for each
// statement the estimate of what it would read (the rows of EXPLAIN (TYPE
// IO), with Result.Estimate set): queries, INSERT, CREATE TABLE AS and
// UNLOAD are planned but not run, EXPLAIN ANALYZE is priced as its query,
// and nothing is written. USE, SET SESSION and RESET SESSION are applied,
// since later statements depend on them; other statements are not run and
// give a message only.
func (s *Session) DryRun(ctx context.Context, sql string, each func(stmt string, r *Result) error) error {
	stmts, err := parser.Parse(sql)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		text := sql
		if st.End().Offset > st.Pos().Offset && st.End().Offset <= len(sql) {
			text = sql[st.Pos().Offset:st.End().Offset]
		}
		r, err := s.dryRun(ctx, st)
		if err != nil {
			return err
		}
		if err := each(text, r); err != nil {
			r.Close()
			return err
		}
		r.Close()
	}
	return nil
}

func (s *Session) dryRun(ctx context.Context, st ast.Statement) (*Result, error) {
	target := st
	switch x := st.(type) {
	case *ast.Use, *ast.SetSession, *ast.ResetSession:
		return s.dispatch(ctx, st, "")
	case *ast.Explain:
		if !x.Analyze {
			return s.dispatch(ctx, st, "")
		}
		target = x.Stmt
	}
	if q, _ := readingQuery(target); q == nil {
		return message(fmt.Sprintf("%s: reads no table data; not run (dry run)", kindName(target))), nil
	}
	est, err := s.Estimate(ctx, target)
	if err != nil {
		return nil, err
	}
	return est.Result()
}

// kindName names a statement kind for dry-run messages.
func kindName(st ast.Statement) string {
	switch x := st.(type) {
	case *ast.CreateSchema:
		return "CREATE SCHEMA"
	case *ast.DropSchema:
		return "DROP SCHEMA"
	case *ast.CreateTable:
		return "CREATE TABLE"
	case *ast.CreateView:
		return "CREATE VIEW"
	case *ast.DropTable:
		return "DROP TABLE"
	case *ast.DropView:
		return "DROP VIEW"
	case *ast.AlterTableAddPartition, *ast.AlterTableDropPartition:
		return "ALTER TABLE"
	case *ast.MsckRepair:
		return "MSCK REPAIR TABLE"
	case *ast.Show:
		return "SHOW " + x.What
	case *ast.Describe:
		return "DESCRIBE"
	}
	return statementName(st)
}
