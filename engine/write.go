package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/sink"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// Writes (CREATE TABLE AS, INSERT INTO, UNLOAD) stage every file under a
// hidden prefix of the target location and publish them only when the whole
// statement has succeeded; the catalog learns of the new table or partitions
// after the files are in place. A failed or cancelled write leaves nothing a
// query can see and its staging folder is removed by Abort. Every write is
// recorded in the catalog before it creates anything and forgotten once
// registered, so the next start finds the writes a killed process left and
// rolls each back or forward from its journal (recover.go).

// Kinds of pending writes (catalog.PendingWrite.Kind).
const (
	kindCTAS   = "CREATE TABLE AS"
	kindInsert = "INSERT"
	kindUnload = "UNLOAD"
)

// staleStagingAge is how old an abandoned staging folder must be before a
// later write removes it (a live write of another process may own a newer one).
const staleStagingAge = 6 * time.Hour

// writeProps are Athena's CTAS / UNLOAD WITH properties.
type writeProps struct {
	format        string
	compression   string
	partitionedBy []string
	location      string
	delimiter     string
}

func parseWriteProps(with []*ast.WithProperty) (writeProps, error) {
	p := writeProps{format: catalog.FormatParquet}
	for _, w := range with {
		name := strings.ToLower(w.Name.Name)
		str := func() (string, error) {
			s, ok := w.Value.(*ast.StringLit)
			if !ok {
				return "", semErr(w.Value, "property %s must be a string literal", name)
			}
			return s.Value, nil
		}
		var err error
		switch name {
		case "format":
			var f string
			if f, err = str(); err == nil {
				switch strings.ToUpper(f) {
				case "PARQUET":
					p.format = catalog.FormatParquet
				case "JSON":
					p.format = catalog.FormatJSON
				case "TEXTFILE":
					p.format = catalog.FormatText
				default:
					return p, semErr(w.Value, "format '%s' cannot be written; supported: PARQUET, JSON, TEXTFILE", f)
				}
			}
		case "write_compression", "parquet_compression", "compression":
			var c string
			if c, err = str(); err == nil {
				p.compression = strings.ToUpper(c)
			}
		case "external_location", "location":
			p.location, err = str()
		case "field_delimiter":
			p.delimiter, err = str()
		case "partitioned_by":
			arr, ok := w.Value.(*ast.ArrayLit)
			if !ok {
				return p, semErr(w.Value, "partitioned_by must be an ARRAY['col', ...]")
			}
			for _, e := range arr.Elems {
				s, ok := e.(*ast.StringLit)
				if !ok {
					return p, semErr(e, "partitioned_by must list column names as strings")
				}
				p.partitionedBy = append(p.partitionedBy, strings.ToLower(s.Value))
			}
		case "bucketed_by", "bucket_count":
			return p, semErr(w, "bucketing is not supported")
		default:
			return p, semErr(w, "unknown table property '%s'; supported: format, write_compression, partitioned_by, external_location, field_delimiter", name)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// warehouse is where managed tables live.
func (s *Session) warehouse(schema, table string) string {
	return filepath.Join(s.e.cfg.CatalogDir, "warehouse", schema, table)
}

// bindWriteQuery binds a query and returns its plan, column names and types.
func (s *Session) bindWriteQuery(ctx context.Context, q *ast.Query) (*plan.Binder, *plan.Env, *plan.Query, error) {
	env := &plan.Env{Ctx: ctx, Catalog: s.e.cat, Funcs: s.e.funcs, Schema: s.Schema, Fn: s.fnContext(),
		DecimalLiteralsAsDouble: s.boolProp("parse_decimal_literals_as_double")}
	b := plan.NewBinder(env)
	bq, err := b.BindQuery(q)
	if err != nil {
		return nil, nil, nil, err
	}
	return b, env, bq, nil
}

// ensureEmpty refuses a target location that already holds objects.
func ensureEmpty(ctx context.Context, store objstore.Store, location string) error {
	objs, err := store.List(ctx, location)
	if err != nil {
		if errors.Is(err, objstore.ErrNotFound) {
			return nil
		}
		return err
	}
	for _, o := range objs {
		rel := strings.TrimPrefix(o.Location, strings.TrimSuffix(location, "/"))
		if strings.Contains(rel, "/.quarry-staging-") {
			continue
		}
		return fmt.Errorf("location %s is not empty (%s); a new table's location must be empty", location, o.Location)
	}
	return nil
}

func (s *Session) writerFor(location string) (objstore.Store, objstore.Writer, error) {
	return s.e.writerFor(location)
}

func (e *Engine) writerFor(location string) (objstore.Store, objstore.Writer, error) {
	store, err := e.resolver.For(location)
	if err != nil {
		return nil, nil, err
	}
	if l, ok := store.(*lazyS3); ok {
		st, err := l.get(context.Background())
		if err != nil {
			return nil, nil, err
		}
		store = st
	}
	w, ok := store.(objstore.Writer)
	if !ok {
		return nil, nil, fmt.Errorf("writing to %s is not supported", location)
	}
	return store, w, nil
}

// writeRows runs a bound plan, reordering and casting its columns to the
// target's data columns followed by its partition keys, into a sink.
func (s *Session) writeRows(ctx context.Context, b *plan.Binder, env *plan.Env, root plan.Node, exprs []plan.Expr, cols []plan.Column, opts sink.Options, pw catalog.PendingWrite) ([]sink.WrittenFile, []catalog.Partition, int64, *committed, error) {
	fn := env.Fn
	ectx := exec.NewContext(ctx, fn, s.e.cfg.Threads, s.e.cfg.MemoryLimit)
	node := plan.Node(&plan.Project{Input: root, Exprs: exprs, Cols: cols})
	node = plan.NewOptimizer(b, &tableStats{ctx: ctx, e: s.e}).Optimize(node)
	penv := &plan.PhysEnv{Resolver: s.e.resolver, Formats: s.e.formats, Threads: s.e.cfg.Threads}
	op, err := plan.NewPhysical(env, penv, ectx).Build(node)
	if err != nil {
		return nil, nil, 0, nil, err
	}
	defer op.Close()
	if _, err := sink.CleanupStale(ctx, opts.Store, opts.Writer, opts.Location, staleStagingAge); err != nil {
		return nil, nil, 0, nil, err
	}
	w, err := sink.NewWriter(ctx, opts)
	if err != nil {
		return nil, nil, 0, nil, err
	}
	// Recorded before anything is created, so that a process killed at
	// any point leaves a record the next start recovers (recoverWrites).
	pw.ID, pw.Location, pw.Staging, pw.Started = opts.QueryID, opts.Location, w.StagingLocation(), time.Now().UTC()
	if err := s.e.cat.BeginWrite(ctx, pw); err != nil {
		return nil, nil, 0, nil, err
	}
	fail := func(err error) ([]sink.WrittenFile, []catalog.Partition, int64, *committed, error) {
		w.Abort(context.Background())
		s.e.cat.EndWrite(context.Background(), pw.ID)
		return nil, nil, 0, nil, err
	}
	var rows int64
	err = func() (err error) {
		defer exec.CatchResource(&err)
		if err := op.Open(ectx); err != nil {
			return err
		}
		for {
			rec, err := op.Next(ectx)
			if err != nil {
				return err
			}
			if rec == nil {
				return nil
			}
			rows += rec.NumRows()
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}()
	if err != nil {
		return fail(err)
	}
	files, parts, err := w.Commit(ctx)
	if err != nil {
		return fail(err)
	}
	return files, parts, rows, &committed{s: s, w: w, pw: pw, writer: opts.Writer}, nil
}

// committed is a write whose files are published and not yet registered:
// Done after registration, RollBack when registration fails.
type committed struct {
	s      *Session
	w      *sink.Writer
	pw     catalog.PendingWrite
	writer objstore.Writer
}

// Done removes the staging folder and the pending record.
func (c *committed) Done(ctx context.Context) {
	c.w.Done(ctx)
	c.s.e.cat.EndWrite(context.WithoutCancel(ctx), c.pw.ID)
}

// RollBack deletes the published files, then the staging folder and record.
func (c *committed) RollBack(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	rec, err := sink.Inspect(ctx, c.w.Store(), c.pw.Staging)
	if err == nil && rec.RollBack(ctx, c.writer) == nil {
		c.s.e.cat.EndWrite(ctx, c.pw.ID)
	}
}

// targetColumns splits query outputs into data columns and partition keys
// (in partitioned_by order) and builds the projection that orders them so.
func targetColumns(bq *plan.Query, partitionedBy []string) (data, keys []types.Column, exprs []plan.Expr, cols []plan.Column, err error) {
	out := bq.Root.Output()
	idx := map[string]int{}
	for i, n := range bq.Names {
		ln := strings.ToLower(n)
		if _, dup := idx[ln]; dup {
			return nil, nil, nil, nil, fmt.Errorf("column name '%s' appears twice in the query; give the columns distinct aliases", n)
		}
		if n == "" || strings.HasPrefix(n, "_col") {
			return nil, nil, nil, nil, fmt.Errorf("column %d of the query needs a name (an alias) to become a table column", i+1)
		}
		idx[ln] = i
	}
	isKey := map[int]bool{}
	for _, k := range partitionedBy {
		i, ok := idx[k]
		if !ok {
			return nil, nil, nil, nil, fmt.Errorf("partition column '%s' is not a column of the query", k)
		}
		isKey[i] = true
	}
	if len(isKey) == len(out) && len(out) > 0 {
		return nil, nil, nil, nil, fmt.Errorf("a table needs at least one column that is not a partition column")
	}
	add := func(i int) {
		exprs = append(exprs, &plan.ColumnRef{ID: out[i].ID, T: out[i].T, Name: bq.Names[i]})
		cols = append(cols, plan.Column{ID: out[i].ID, Name: strings.ToLower(bq.Names[i]), T: out[i].T})
	}
	for i := range out {
		if !isKey[i] {
			data = append(data, types.Column{Name: strings.ToLower(bq.Names[i]), Type: writableType(out[i].T)})
			add(i)
		}
	}
	for _, k := range partitionedBy {
		i := idx[k]
		keys = append(keys, types.Column{Name: k, Type: writableType(out[i].T)})
		add(i)
	}
	return data, keys, exprs, cols, nil
}

// writableType turns the type of a bare NULL into varchar, which every
// format stores.
// narrowsVarchar reports an INSERT of from values into a column of type to
// whose bound is smaller (unbounded varchar into varchar(n) included).
func narrowsVarchar(from, to types.Type) bool {
	return from.Kind == types.Varchar && to.Kind == types.Varchar && to.Length > 0 &&
		(from.Length == 0 || from.Length > to.Length)
}

// fitVarchar passes strings that fit column c's varchar(n) and fails on
// the first that does not.
func fitVarchar(c types.Column) function.Kernel {
	return func(ctx *function.Context, args []arrow.Array, n int) (arrow.Array, error) {
		a, ok := args[0].(*array.String)
		if !ok {
			return nil, fmt.Errorf("BUG: varchar column %s holds %s", c.Name, args[0].DataType())
		}
		for i := 0; i < a.Len(); i++ {
			if a.IsValid(i) && utf8.RuneCountInString(a.Value(i)) > c.Type.Length {
				return nil, fmt.Errorf("Cannot insert a value of %d characters into column %s of type %s: %q",
					utf8.RuneCountInString(a.Value(i)), c.Name, c.Type, a.Value(i))
			}
		}
		a.Retain()
		return a, nil
	}
}

func writableType(t types.Type) types.Type {
	if t.Kind == types.Unknown {
		return types.VarcharType
	}
	return t
}

func (s *Session) createTableAs(ctx context.Context, x *ast.CreateTable) (*Result, error) {
	schema, name := s.qualify(x.Name)
	if ok, err := s.e.cat.SchemaExists(ctx, schema); err != nil {
		return nil, err
	} else if !ok {
		return nil, semErr(x.Name, "Schema '%s' does not exist", schema)
	}
	if _, err := s.e.cat.GetTable(ctx, schema, name); err == nil {
		if x.IfNotExists {
			return rowsResult(0)
		}
		return nil, semErr(x.Name, "Table '%s.%s' already exists", schema, name)
	}
	props, err := parseWriteProps(x.With)
	if err != nil {
		return nil, err
	}
	b, env, bq, err := s.bindWriteQuery(ctx, x.AsQuery)
	if err != nil {
		return nil, err
	}
	if len(x.Columns) > 0 {
		if len(x.Columns) != len(bq.Names) {
			return nil, semErr(x, "CREATE TABLE lists %d column names but the query has %d columns", len(x.Columns), len(bq.Names))
		}
		for i, c := range x.Columns {
			bq.Names[i] = c.Name.Name
		}
	}
	data, keys, exprs, cols, err := targetColumns(bq, props.partitionedBy)
	if err != nil {
		return nil, semErr(x, "%v", err)
	}
	t := &catalog.Table{Schema: schema, Name: name, Kind: catalog.Managed, Columns: data, PartitionKeys: keys,
		Format: props.format, Created: time.Now(), SerDeProps: map[string]string{}, Properties: map[string]string{}}
	if props.location != "" {
		t.Kind, t.Location = catalog.External, props.location
	} else {
		t.Location = s.warehouse(schema, name)
	}
	if props.format == catalog.FormatText {
		t.SerDeProps = sink.TextSerDeProperties(props.delimiter)
	}
	if props.compression != "" {
		t.Properties["write_compression"] = props.compression
	}
	catalog.NormalizeTable(t)
	if err := catalog.ValidateTable(t); err != nil {
		return nil, err
	}
	store, writer, err := s.writerFor(t.Location)
	if err != nil {
		return nil, err
	}
	if err := ensureEmpty(ctx, store, t.Location); err != nil {
		return nil, err
	}
	var rows int64
	var parts []catalog.Partition
	var c *committed
	if !x.NoData {
		_, parts, rows, c, err = s.writeRows(ctx, b, env, bq.Root, exprs, cols, sink.Options{
			Store: store, Writer: writer, Location: t.Location, Format: t.Format, Compression: props.compression,
			Columns: data, PartitionKeys: keys, FieldDelimiter: props.delimiter, QueryID: queryID()},
			catalog.PendingWrite{Kind: kindCTAS, Schema: schema, Table: name})
		if err != nil {
			return nil, err
		}
	}
	if err := s.e.cat.CreateTableWithPartitions(ctx, t, parts); err != nil {
		if c != nil {
			c.RollBack(ctx)
		}
		return nil, err
	}
	if c != nil {
		c.Done(ctx)
	}
	return rowsResult(rows)
}

// createEmptyTable is CREATE TABLE t (cols) [WITH (...)]: a managed table
// (or one at external_location) with no rows yet.
func (s *Session) createEmptyTable(ctx context.Context, x *ast.CreateTable) (*Result, error) {
	schema, name := s.qualify(x.Name)
	props, err := parseWriteProps(x.With)
	if err != nil {
		return nil, err
	}
	t := &catalog.Table{Schema: schema, Name: name, Kind: catalog.Managed, Format: props.format, Created: time.Now(),
		SerDeProps: map[string]string{}, Properties: map[string]string{}}
	for _, c := range x.Columns {
		ct, err := types.Parse(c.Type.String())
		if err != nil {
			return nil, semErr(c.Type, "Unknown type '%s' for column '%s'", c.Type.String(), c.Name.Name)
		}
		col := types.Column{Name: c.Name.Name, Type: ct, Comment: c.Comment}
		isKey := false
		for _, k := range props.partitionedBy {
			isKey = isKey || strings.EqualFold(k, c.Name.Name)
		}
		if isKey {
			t.PartitionKeys = append(t.PartitionKeys, col)
		} else {
			t.Columns = append(t.Columns, col)
		}
	}
	if props.location != "" {
		t.Kind, t.Location = catalog.External, props.location
	} else {
		t.Location = s.warehouse(schema, name)
	}
	if props.format == catalog.FormatText {
		t.SerDeProps = sink.TextSerDeProperties(props.delimiter)
	}
	if props.compression != "" {
		t.Properties["write_compression"] = props.compression
	}
	if x.Comment != nil {
		t.Comment = *x.Comment
	}
	catalog.NormalizeTable(t)
	if err := s.e.cat.CreateTable(ctx, t, x.IfNotExists); err != nil {
		return nil, err
	}
	return message("CREATE TABLE"), nil
}

func (s *Session) insert(ctx context.Context, x *ast.Insert) (*Result, error) {
	schema, name := s.qualify(x.Table)
	t, err := s.e.cat.GetTable(ctx, schema, name)
	if err != nil {
		return nil, err
	}
	if t.Kind == catalog.View {
		return nil, semErr(x.Table, "Cannot insert into view %s.%s", schema, name)
	}
	b, env, bq, err := s.bindWriteQuery(ctx, x.Query)
	if err != nil {
		return nil, err
	}
	all := t.AllColumns()
	// Target column positions: the listed columns, or all in order.
	target := make([]int, 0, len(all))
	if len(x.Columns) > 0 {
		for _, c := range x.Columns {
			found := -1
			for i, tc := range all {
				if strings.EqualFold(tc.Name, c.Name) {
					found = i
				}
			}
			if found < 0 {
				return nil, semErr(c, "Insert column name does not exist in target table: %s", c.Name)
			}
			target = append(target, found)
		}
	} else {
		for i := range all {
			target = append(target, i)
		}
	}
	out := bq.Root.Output()
	if len(out) != len(target) {
		return nil, semErr(x, "Insert query has mismatched column types: table has %d columns, query has %d", len(target), len(out))
	}
	src := make([]int, len(all))
	for i := range src {
		src[i] = -1
	}
	for qi, ti := range target {
		src[ti] = qi
	}
	exprs := make([]plan.Expr, len(all))
	cols := make([]plan.Column, len(all))
	for i, tc := range all {
		cols[i] = plan.Column{ID: plan.ColumnID(1<<30 + i), Name: tc.Name, T: tc.Type}
		if src[i] < 0 {
			exprs[i] = &plan.Const{T: tc.Type}
			continue
		}
		o := out[src[i]]
		var e plan.Expr = &plan.ColumnRef{ID: o.ID, T: o.T, Name: o.Name}
		if narrowsVarchar(o.T, tc.Type) {
			// A CAST would truncate; Trino refuses such an INSERT, and
			// so do we, but only for values that do not fit, so text
			// from unbounded columns still goes into varchar(n) columns.
			e = &plan.Call{Name: "$fit_varchar", Binding: function.Binding{Args: []types.Type{o.T}, Result: tc.Type, Kernel: fitVarchar(tc)}, Args: []plan.Expr{e}}
		} else if !o.T.Equal(tc.Type) && o.T.Kind != types.Unknown {
			if _, err := function.Cast(o.T, tc.Type, false); err != nil {
				return nil, semErr(x, "Insert query has mismatched column types: column %s is %s, the query gives %s", tc.Name, tc.Type, o.T)
			}
			e = &plan.Cast{Arg: e, T: tc.Type}
		} else if o.T.Kind == types.Unknown {
			e = &plan.Const{T: tc.Type}
		}
		exprs[i] = e
	}
	store, writer, err := s.writerFor(t.Location)
	if err != nil {
		return nil, err
	}
	_, parts, rows, c, err := s.writeRows(ctx, b, env, bq.Root, exprs, cols, sink.Options{
		Store: store, Writer: writer, Location: t.Location, Format: t.Format, Compression: t.Properties["write_compression"],
		Columns: t.Columns, PartitionKeys: t.PartitionKeys, FieldDelimiter: t.SerDeProps[catalog.PropFieldDelim], QueryID: queryID()},
		catalog.PendingWrite{Kind: kindInsert, Schema: schema, Table: name})
	if err != nil {
		return nil, err
	}
	if len(parts) > 0 {
		if err := s.e.cat.AddPartitions(ctx, schema, name, parts, true); err != nil {
			c.RollBack(ctx)
			return nil, err
		}
	}
	c.Done(ctx)
	return rowsResult(rows)
}

func (s *Session) unload(ctx context.Context, x *ast.Unload) (*Result, error) {
	props, err := parseWriteProps(x.With)
	if err != nil {
		return nil, err
	}
	b, env, bq, err := s.bindWriteQuery(ctx, x.Query)
	if err != nil {
		return nil, err
	}
	data, keys, exprs, cols, err := targetColumns(bq, props.partitionedBy)
	if err != nil {
		return nil, semErr(x, "%v", err)
	}
	store, writer, err := s.writerFor(x.Location)
	if err != nil {
		return nil, err
	}
	if err := ensureEmpty(ctx, store, x.Location); err != nil {
		return nil, err
	}
	_, _, rows, c, err := s.writeRows(ctx, b, env, bq.Root, exprs, cols, sink.Options{
		Store: store, Writer: writer, Location: x.Location, Format: props.format, Compression: props.compression,
		Columns: data, PartitionKeys: keys, FieldDelimiter: props.delimiter, QueryID: queryID()},
		catalog.PendingWrite{Kind: kindUnload})
	if err != nil {
		return nil, err
	}
	c.Done(ctx)
	return rowsResult(rows)
}

func rowsResult(n int64) (*Result, error) {
	return staticResult([]types.Column{{Name: "rows", Type: types.BigIntType}}, [][]any{{n}})
}

// queryID names a write's files: time-ordered and unique enough with the
// sink's random part.
func queryID() string {
	return time.Now().UTC().Format("20060102_150405")
}
