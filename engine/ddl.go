package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/types"
)

type ioReadCloser = io.ReadCloser

func (s *Session) dispatch(ctx context.Context, st ast.Statement, text string) (*Result, error) {
	switch x := st.(type) {
	case *ast.Query:
		return s.runQuery(ctx, x)
	case *ast.Explain:
		return s.explain(ctx, x)
	case *ast.Use:
		parts := x.Schema.Parts
		name := strings.ToLower(parts[len(parts)-1].Name)
		ok, err := s.e.cat.SchemaExists(ctx, name)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, semErr(x, "Schema '%s' does not exist", name)
		}
		s.Schema = name
		return message("USE"), nil
	case *ast.CreateSchema:
		if err := s.e.cat.CreateSchema(ctx, lastName(x.Name), x.IfNotExists); err != nil {
			return nil, err
		}
		return message("CREATE SCHEMA"), nil
	case *ast.DropSchema:
		if err := s.e.cat.DropSchema(ctx, lastName(x.Name), x.IfExists, x.Cascade); err != nil {
			return nil, err
		}
		return message("DROP SCHEMA"), nil
	case *ast.CreateTable:
		return s.createTable(ctx, x)
	case *ast.CreateView:
		return s.createView(ctx, x, text)
	case *ast.CreateIndex:
		return s.createIndex(ctx, x)
	case *ast.Call:
		return s.callProcedure(ctx, x)
	case *ast.DropTable:
		schema, name := s.qualify(x.Name)
		if err := s.e.cat.DropTable(ctx, schema, name, x.IfExists); err != nil {
			return nil, err
		}
		return message("DROP TABLE"), nil
	case *ast.DropView:
		schema, name := s.qualify(x.Name)
		if err := s.e.cat.DropTable(ctx, schema, name, x.IfExists); err != nil {
			return nil, err
		}
		return message("DROP VIEW"), nil
	case *ast.Show:
		return s.show(ctx, x)
	case *ast.Describe:
		return s.describe(ctx, x.Table)
	case *ast.AlterTableAddPartition:
		return s.addPartitions(ctx, x)
	case *ast.AlterTableDropPartition:
		schema, name := s.qualify(x.Table)
		var vals [][]string
		for _, p := range x.Partitions {
			t, err := s.e.cat.GetTable(ctx, schema, name)
			if err != nil {
				return nil, err
			}
			v, err := partitionValues(t, p)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		if err := s.e.cat.DropPartitions(ctx, schema, name, vals, x.IfExists); err != nil {
			return nil, err
		}
		return message("ALTER TABLE"), nil
	case *ast.MsckRepair:
		return s.msckRepair(ctx, x)
	case *ast.Insert:
		return s.insert(ctx, x)
	case *ast.Unload:
		return s.unload(ctx, x)
	case *ast.SetSession:
		s.Props[strings.ToLower(x.Name.String())] = ast.Format(x.Value)
		return message("SET SESSION"), nil
	case *ast.ResetSession:
		delete(s.Props, strings.ToLower(x.Name.String()))
		return message("RESET SESSION"), nil
	}
	return nil, semErr(st, "%s is not supported yet", statementName(st))
}

func semErr(n ast.Node, format string, args ...any) error {
	return &plan.SemanticError{Pos: n.Pos(), Msg: fmt.Sprintf(format, args...)}
}

func lastName(q *ast.QualifiedName) string {
	return strings.ToLower(q.Parts[len(q.Parts)-1].Name)
}

func (s *Session) qualify(q *ast.QualifiedName) (schema, name string) {
	parts := q.Parts
	name = strings.ToLower(parts[len(parts)-1].Name)
	schema = s.Schema
	if len(parts) >= 2 {
		schema = strings.ToLower(parts[len(parts)-2].Name)
	}
	return schema, name
}

func message(m string) *Result { return &Result{Message: m} }

// staticResult builds a result from rows of Go values (see exec.ConstArray
// for the representation).
func staticResult(cols []types.Column, rows [][]any) (*Result, error) {
	mem := memory.DefaultAllocator
	builders := make([]array.Builder, len(cols))
	for i, c := range cols {
		builders[i] = array.NewBuilder(mem, c.Type.Arrow())
		defer builders[i].Release()
	}
	for _, r := range rows {
		for i, v := range r {
			if v == nil {
				builders[i].AppendNull()
				continue
			}
			a, err := exec.ConstArray(mem, cols[i].Type, v, 1)
			if err != nil {
				return nil, err
			}
			err = exec.AppendValue(builders[i], a, 0)
			a.Release()
			if err != nil {
				return nil, err
			}
		}
	}
	arrs := make([]arrow.Array, len(cols))
	for i, b := range builders {
		arrs[i] = b.NewArray()
	}
	rec := array.NewRecord(types.Schema(cols), arrs, int64(len(rows)))
	for _, a := range arrs {
		a.Release()
	}
	return &Result{Columns: cols, rows: []arrow.Record{rec}}, nil
}

func varcharCols(names ...string) []types.Column {
	out := make([]types.Column, len(names))
	for i, n := range names {
		out[i] = types.Column{Name: n, Type: types.VarcharType}
	}
	return out
}

func (s *Session) createTable(ctx context.Context, x *ast.CreateTable) (*Result, error) {
	if x.AsQuery != nil {
		return s.createTableAs(ctx, x)
	}
	if !x.External && x.Location == nil && x.RowFormat == nil && x.StoredAs == "" {
		return s.createEmptyTable(ctx, x)
	}
	schema, name := s.qualify(x.Name)
	t := &catalog.Table{Schema: schema, Name: name, Kind: catalog.External, Created: time.Now(),
		SerDeProps: map[string]string{}, Properties: map[string]string{}}
	for _, c := range x.Columns {
		t2, err := types.Parse(c.Type.String())
		if err != nil {
			return nil, semErr(c.Type, "Unknown type '%s' for column '%s'", c.Type.String(), c.Name.Name)
		}
		t.Columns = append(t.Columns, types.Column{Name: c.Name.Name, Type: t2, Comment: c.Comment})
	}
	for _, c := range x.PartitionedBy {
		t2, err := types.Parse(c.Type.String())
		if err != nil {
			return nil, semErr(c.Type, "Unknown type '%s' for column '%s'", c.Type.String(), c.Name.Name)
		}
		t.PartitionKeys = append(t.PartitionKeys, types.Column{Name: c.Name.Name, Type: t2, Comment: c.Comment})
	}
	if x.Comment != nil {
		t.Comment = *x.Comment
	}
	if x.Location != nil {
		t.Location = *x.Location
	}
	if rf := x.RowFormat; rf != nil {
		if rf.Delimited {
			t.SerDe = catalog.LazySimpleSerDe
			set := func(k string, v *string) {
				if v != nil {
					t.SerDeProps[k] = *v
				}
			}
			set(catalog.PropFieldDelim, rf.FieldsTerminatedBy)
			set(catalog.PropEscapeDelim, rf.EscapedBy)
			set(catalog.PropCollectionDelim, rf.CollectionItemsTerminatedBy)
			set(catalog.PropMapKeyDelim, rf.MapKeysTerminatedBy)
			set(catalog.PropLineDelim, rf.LinesTerminatedBy)
			set(catalog.PropNullFormat, rf.NullDefinedAs)
		} else {
			t.SerDe = rf.SerDe
			for _, p := range rf.SerDeProps {
				t.SerDeProps[p.Key] = p.Value
			}
		}
	}
	t.Format = strings.ToUpper(x.StoredAs)
	t.InputFormat, t.OutputFormat = x.InputFormat, x.OutputFormat
	for _, p := range x.TblProperties {
		t.Properties[p.Key] = p.Value
	}
	for _, w := range x.With {
		k := strings.ToLower(w.Name.Name)
		switch v := w.Value.(type) {
		case *ast.StringLit:
			if k == "format" {
				t.Format = strings.ToUpper(v.Value)
			} else if k == "external_location" {
				t.Location = v.Value
			} else {
				t.Properties[k] = v.Value
			}
		default:
			t.Properties[k] = ast.Format(w.Value)
		}
	}
	catalog.NormalizeTable(t)
	inferred := false
	if len(t.Columns) == 0 {
		if t.Location == "" {
			return nil, semErr(x, "a table without a column list needs a LOCATION to infer its columns from")
		}
		if ok, err := s.e.cat.SchemaExists(ctx, t.Schema); err != nil {
			return nil, err
		} else if !ok {
			return nil, semErr(x.Name, "Schema '%s' does not exist", t.Schema)
		}
		if existing, err := s.e.cat.GetTable(ctx, t.Schema, t.Name); err == nil && x.IfNotExists {
			_ = existing
			return message("CREATE TABLE"), nil
		}
		if err := s.inferColumns(ctx, t, x.StoredAs != "" || x.RowFormat != nil || x.InputFormat != ""); err != nil {
			return nil, err
		}
		inferred = true
	}
	if err := s.e.cat.CreateTable(ctx, t, x.IfNotExists); err != nil {
		return nil, err
	}
	if inferred {
		stored, err := s.e.cat.GetTable(ctx, t.Schema, t.Name)
		if err != nil {
			return nil, err
		}
		r, err := staticResult(varcharCols("Inferred Table"), [][]any{{catalog.FormatCreateTable(stored)}})
		if err != nil {
			return nil, err
		}
		r.Message = "CREATE TABLE"
		r.Notices = append(r.Notices, fmt.Sprintf("columns of %s.%s inferred from %s; every value read is checked against these types", t.Schema, t.Name, t.Location))
		return r, nil
	}
	return message("CREATE TABLE"), nil
}

func (s *Session) createView(ctx context.Context, x *ast.CreateView, text string) (*Result, error) {
	schema, name := s.qualify(x.Name)
	body := x.QueryText
	if body == "" {
		body = ast.Format(x.Query)
	}
	// Check that the view binds now, so errors surface at CREATE time.
	env := &plan.Env{Ctx: ctx, Catalog: s.e.cat, Funcs: s.e.funcs, Schema: schema, Fn: s.fnContext()}
	if _, err := plan.NewBinder(env).BindQuery(x.Query); err != nil {
		return nil, err
	}
	t := &catalog.Table{Schema: schema, Name: name, Kind: catalog.View, ViewSQL: body, Created: time.Now()}
	if x.Comment != nil {
		t.Comment = *x.Comment
	}
	if x.OrReplace {
		if err := s.e.cat.ReplaceView(ctx, t); err != nil {
			return nil, err
		}
	} else if err := s.e.cat.CreateTable(ctx, t, false); err != nil {
		return nil, err
	}
	return message("CREATE VIEW"), nil
}

func likeToRegexp(pattern string, escape *string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	esc := rune(-1)
	if escape != nil && len(*escape) == 1 {
		esc = rune((*escape)[0])
	}
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == esc && i+1 < len(rs):
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func (s *Session) show(ctx context.Context, x *ast.Show) (*Result, error) {
	var like *regexp.Regexp
	if x.Like != nil {
		like = likeToRegexp(*x.Like, x.Escape)
	} else if x.Pattern != nil {
		// Hive's SHOW TABLES 'pat*|x': * is any string, | separates.
		p := strings.ReplaceAll(regexp.QuoteMeta(*x.Pattern), `\*`, ".*")
		p = strings.ReplaceAll(p, `\|`, "|")
		like = regexp.MustCompile("(?i)^(" + p + ")$")
	}
	match := func(n string) bool { return like == nil || like.MatchString(n) }
	switch strings.ToUpper(x.What) {
	case "SCHEMAS", "DATABASES":
		names, err := s.e.cat.ListSchemas(ctx)
		if err != nil {
			return nil, err
		}
		names = append(names, "information_schema")
		sort.Strings(names)
		var rows [][]any
		for _, n := range names {
			if match(n) {
				rows = append(rows, []any{n})
			}
		}
		return staticResult(varcharCols("Schema"), rows)
	case "CATALOGS":
		return staticResult(varcharCols("Catalog"), [][]any{{"quarry"}})
	case "TABLES", "VIEWS":
		schema := s.Schema
		if x.Target != nil {
			schema = lastName(x.Target)
		}
		ts, err := s.e.cat.ListTables(ctx, schema)
		if err != nil {
			return nil, err
		}
		var rows [][]any
		for _, t := range ts {
			if strings.ToUpper(x.What) == "VIEWS" && t.Kind != catalog.View {
				continue
			}
			if match(t.Name) {
				rows = append(rows, []any{t.Name})
			}
		}
		name := "Table"
		if strings.ToUpper(x.What) == "VIEWS" {
			name = "View"
		}
		return staticResult(varcharCols(name), rows)
	case "COLUMNS":
		return s.describe(ctx, x.Target)
	case "CREATE TABLE", "CREATE VIEW":
		schema, name := s.qualify(x.Target)
		t, err := s.e.cat.GetTable(ctx, schema, name)
		if err != nil {
			return nil, err
		}
		return staticResult(varcharCols("Create Table"), [][]any{{catalog.FormatCreateTable(t)}})
	case "PARTITIONS":
		schema, name := s.qualify(x.Target)
		t, err := s.e.cat.GetTable(ctx, schema, name)
		if err != nil {
			return nil, err
		}
		parts, err := s.e.cat.ListPartitions(ctx, schema, name)
		if err != nil {
			return nil, err
		}
		var rows [][]any
		for _, p := range parts {
			rows = append(rows, []any{catalog.PartitionName(t.PartitionKeys, p.Values)})
		}
		return staticResult(varcharCols("Partition"), rows)
	case "FUNCTIONS":
		var rows [][]any
		for _, n := range s.e.funcs.Names() {
			if strings.HasPrefix(n, "$") || !match(n) {
				continue
			}
			kind := "scalar"
			if _, ok := s.e.funcs.Aggregate(n); ok {
				kind = "aggregate"
			}
			rows = append(rows, []any{n, kind})
		}
		return staticResult(varcharCols("Function", "Function Type"), rows)
	case "SESSION":
		var rows [][]any
		keys := make([]string, 0, len(s.Props))
		for k := range s.Props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rows = append(rows, []any{k, s.Props[k]})
		}
		return staticResult(varcharCols("Name", "Value"), rows)
	}
	return nil, semErr(x, "SHOW %s is not supported yet", x.What)
}

func (s *Session) describe(ctx context.Context, q *ast.QualifiedName) (*Result, error) {
	schema, name := s.qualify(q)
	t, err := s.e.cat.GetTable(ctx, schema, name)
	if err != nil {
		return nil, err
	}
	cols := t.AllColumns()
	if t.Kind == catalog.View {
		env := &plan.Env{Ctx: ctx, Catalog: s.e.cat, Funcs: s.e.funcs, Schema: schema, Fn: s.fnContext()}
		st, err := parserParseQuery(t.ViewSQL)
		if err != nil {
			return nil, err
		}
		bq, err := plan.NewBinder(env).BindQuery(st)
		if err != nil {
			return nil, err
		}
		cols = nil
		for i, c := range bq.Root.Output() {
			cols = append(cols, types.Column{Name: bq.Names[i], Type: c.T})
		}
	}
	var rows [][]any
	for i, c := range cols {
		extra := ""
		if t.Kind != catalog.View && i >= len(t.Columns) {
			extra = "partition key"
		}
		rows = append(rows, []any{c.Name, c.Type.String(), extra, c.Comment})
	}
	return staticResult(varcharCols("Column", "Type", "Extra", "Comment"), rows)
}

func partitionValues(t *catalog.Table, p *ast.PartitionSpec) ([]string, error) {
	vals := make([]string, len(t.PartitionKeys))
	set := make([]bool, len(t.PartitionKeys))
	for _, pv := range p.Values {
		idx := -1
		for i, k := range t.PartitionKeys {
			if strings.EqualFold(k.Name, pv.Key.Name) {
				idx = i
			}
		}
		if idx < 0 {
			return nil, semErr(pv, "Column '%s' is not a partition column of %s.%s", pv.Key.Name, t.Schema, t.Name)
		}
		switch v := pv.Value.(type) {
		case *ast.StringLit:
			vals[idx] = v.Value
		case *ast.IntegerLit:
			vals[idx] = v.Text
		case *ast.DecimalLit:
			vals[idx] = v.Text
		case *ast.TypedLit:
			vals[idx] = v.Value
		default:
			return nil, semErr(pv, "partition values must be literals")
		}
		set[idx] = true
	}
	for i, ok := range set {
		if !ok {
			return nil, semErr(p, "partition spec is missing column '%s'", t.PartitionKeys[i].Name)
		}
	}
	return vals, nil
}

func (s *Session) addPartitions(ctx context.Context, x *ast.AlterTableAddPartition) (*Result, error) {
	schema, name := s.qualify(x.Table)
	t, err := s.e.cat.GetTable(ctx, schema, name)
	if err != nil {
		return nil, err
	}
	if len(t.PartitionKeys) == 0 {
		return nil, semErr(x, "Table %s.%s is not partitioned", schema, name)
	}
	var parts []catalog.Partition
	for _, p := range x.Partitions {
		vals, err := partitionValues(t, p)
		if err != nil {
			return nil, err
		}
		loc := ""
		if p.Location != nil {
			loc = *p.Location
		} else {
			loc = source.JoinLocation(t.Location, catalog.PartitionName(t.PartitionKeys, vals))
		}
		parts = append(parts, catalog.Partition{Values: vals, Location: loc, Created: time.Now()})
	}
	if err := s.e.cat.AddPartitions(ctx, schema, name, parts, x.IfNotExists); err != nil {
		return nil, err
	}
	return message("ALTER TABLE"), nil
}

func (s *Session) msckRepair(ctx context.Context, x *ast.MsckRepair) (*Result, error) {
	schema, name := s.qualify(x.Table)
	t, err := s.e.cat.GetTable(ctx, schema, name)
	if err != nil {
		return nil, err
	}
	if len(t.PartitionKeys) == 0 {
		return nil, semErr(x, "Table %s.%s is not partitioned", schema, name)
	}
	store, err := s.e.resolver.For(t.Location)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(t.PartitionKeys))
	for i, k := range t.PartitionKeys {
		keys[i] = k.Name
	}
	found, err := source.DiscoverPartitions(ctx, store, t.Location, keys)
	if err != nil {
		return nil, err
	}
	existing, err := s.e.cat.ListPartitions(ctx, schema, name)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, p := range existing {
		have[strings.Join(p.Values, "\x00")] = true
	}
	var add []catalog.Partition
	for _, p := range found {
		if !have[strings.Join(p.Values, "\x00")] {
			p.Created = time.Now()
			add = append(add, p)
		}
	}
	if len(add) > 0 {
		if err := s.e.cat.AddPartitions(ctx, schema, name, add, true); err != nil {
			return nil, err
		}
	}
	var rows [][]any
	for _, p := range add {
		rows = append(rows, []any{fmt.Sprintf("Partitions not in metastore: %s:%s", name, path.Clean(catalog.PartitionName(t.PartitionKeys, p.Values)))})
	}
	r, err := staticResult(varcharCols("Result"), rows)
	if err != nil {
		return nil, err
	}
	r.Notices = append(r.Notices, fmt.Sprintf("MSCK REPAIR TABLE %s.%s: %d partitions found, %d added", schema, name, len(found), len(add)))
	return r, nil
}

func (s *Session) explain(ctx context.Context, x *ast.Explain) (*Result, error) {
	if explainOption(x, "TYPE") == "IO" {
		return s.explainIO(ctx, x)
	}
	q, ok := x.Stmt.(*ast.Query)
	if !ok {
		return nil, semErr(x, "EXPLAIN supports queries only")
	}
	if x.Analyze {
		r, err := s.startQuery(ctx, q, true)
		if err != nil {
			return nil, err
		}
		for {
			b, err := r.Next()
			if err != nil {
				r.Close()
				return nil, err
			}
			if b == nil {
				break
			}
		}
		st := r.Stats()
		text := r.explainAnalyze()
		r.Close()
		text += fmt.Sprintf("Query: %d rows, %s elapsed, %d files, %s read, %s decompressed, %d splits from the cache (%s), peak memory %s, %d threads",
			st.Rows, st.Elapsed.Round(time.Millisecond), st.FilesRead, exec.FormatBytes(st.BytesRead), exec.FormatBytes(st.BytesDecompressed),
			st.CacheHits, exec.FormatBytes(st.CacheBytes), exec.FormatBytes(st.PeakMemory), s.e.cfg.Threads)
		if st.SpillFiles > 0 {
			text += fmt.Sprintf(", spilled %s to disk (%d files)", exec.FormatBytes(st.SpillBytes), st.SpillFiles)
		}
		return staticResult(varcharCols("Query Plan"), [][]any{{text}})
	}
	fn := s.fnContext()
	env := &plan.Env{Ctx: ctx, Catalog: s.e.cat, Funcs: s.e.funcs, Schema: s.Schema, Fn: fn}
	b := plan.NewBinder(env)
	bound, err := b.BindQuery(q)
	if err != nil {
		return nil, err
	}
	root := plan.NewOptimizer(b, &tableStats{ctx: ctx, e: s.e}).Optimize(bound.Root)
	return staticResult(varcharCols("Query Plan"), [][]any{{strings.TrimRight(plan.Explain(root), "\n")}})
}

func parserParseQuery(sql string) (*ast.Query, error) {
	st, err := parser.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	q, ok := st.(*ast.Query)
	if !ok {
		return nil, fmt.Errorf("view text is not a query")
	}
	return q, nil
}

// statementName names a statement kind for messages.
func statementName(st ast.Statement) string {
	switch st.(type) {
	case *ast.Insert:
		return "INSERT"
	case *ast.Unload:
		return "UNLOAD"
	case *ast.Prepare:
		return "PREPARE"
	case *ast.Execute:
		return "EXECUTE"
	case *ast.Deallocate:
		return "DEALLOCATE PREPARE"
	}
	name := fmt.Sprintf("%T", st)
	return strings.ToUpper(strings.TrimPrefix(name, "*ast."))
}

// createIndex accepts CREATE INDEX, which scripts written for other
// databases contain, after checking that the table and its columns exist:
// Quarry reads files where they lie and keeps no indexes, so there is
// nothing to build. A warning says so.
func (s *Session) createIndex(ctx context.Context, x *ast.CreateIndex) (*Result, error) {
	schema, name := s.qualify(x.Table)
	t, err := s.e.cat.GetTable(ctx, schema, name)
	if errors.Is(err, catalog.ErrNotFound) {
		return nil, semErr(x.Table, "Table '%s.%s' does not exist", schema, name)
	}
	if err != nil {
		return nil, err
	}
	if t.Kind == catalog.View {
		return nil, semErr(x.Table, "'%s.%s' is a view; an index needs a table", schema, name)
	}
	for _, c := range x.Columns {
		found := false
		for _, tc := range append(append([]types.Column{}, t.Columns...), t.PartitionKeys...) {
			if strings.EqualFold(tc.Name, c.Name.Name) {
				found = true
				break
			}
		}
		if !found {
			return nil, semErr(c.Name, "Column '%s' does not exist in table '%s.%s'", strings.ToLower(c.Name.Name), schema, name)
		}
	}
	r := message("CREATE INDEX")
	r.Warnings = append(r.Warnings, fmt.Sprintf("CREATE INDEX %s ignored: Quarry reads the files of %s.%s where they lie and keeps no indexes", x.Name.String(), schema, name))
	return r, nil
}
