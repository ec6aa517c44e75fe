package plan

import (
	"sort"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// CatalogName is the name clients see for Quarry's one catalog.
const CatalogName = catalog.Name

// information_schema tables, shaped as Trino's because BI tools (Superset,
// Metabase, Looker) discover tables by querying them.
var infoSchemaTables = map[string][]string{
	"schemata": {"catalog_name", "schema_name"},
	"tables":   {"table_catalog", "table_schema", "table_name", "table_type", "table_comment"},
	"columns": {"table_catalog", "table_schema", "table_name", "column_name", "ordinal_position",
		"column_default", "is_nullable", "data_type", "comment", "extra_info"},
	"views":                          {"table_catalog", "table_schema", "table_name", "view_definition"},
	"table_privileges":               {"grantor", "grantor_type", "grantee", "grantee_type", "table_catalog", "table_schema", "table_name", "privilege_type", "is_grantable", "with_hierarchy"},
	"applicable_roles":               {"grantee", "grantee_type", "role_name", "is_grantable"},
	"enabled_roles":                  {"role_name"},
	"role_authorization_descriptors": {"role_name", "grantor", "grantor_type", "grantee", "grantee_type", "is_grantable"},
}

// bindInformationSchema materialises an information_schema table from the
// catalog as a VALUES relation. Views' columns are found by binding them;
// a view that no longer binds is listed without columns.
func (b *Binder) bindInformationSchema(t *ast.TableRef, name string) (*relation, error) {
	cols, ok := infoSchemaTables[name]
	if !ok {
		return nil, errAt(t, "Table 'information_schema.%s' does not exist", name)
	}
	ctx := b.env.Ctx
	schemas, err := b.env.Catalog.ListSchemas(ctx)
	if err != nil {
		return nil, err
	}
	schemas = append(schemas, "information_schema")
	sort.Strings(schemas)
	var rows [][]any
	addTables := func(fn func(schema string, t *catalog.Table)) error {
		for _, s := range schemas {
			if s == "information_schema" {
				continue
			}
			ts, err := b.env.Catalog.ListTables(ctx, s)
			if err != nil {
				return err
			}
			for _, t := range ts {
				fn(s, t)
			}
		}
		return nil
	}
	switch name {
	case "schemata":
		for _, s := range schemas {
			rows = append(rows, []any{CatalogName, s})
		}
	case "tables":
		err = addTables(func(s string, t *catalog.Table) {
			kind := "BASE TABLE"
			if t.Kind == catalog.View {
				kind = "VIEW"
			}
			rows = append(rows, []any{CatalogName, s, t.Name, kind, nullIfEmpty(t.Comment)})
		})
		names := make([]string, 0, len(infoSchemaTables))
		for n := range infoSchemaTables {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			rows = append(rows, []any{CatalogName, "information_schema", n, "BASE TABLE", nil})
		}
	case "columns":
		err = addTables(func(s string, t *catalog.Table) {
			cs := t.AllColumns()
			if t.Kind == catalog.View {
				cs = b.viewColumns(t)
			}
			for i, c := range cs {
				extra := any(nil)
				if t.Kind != catalog.View && i >= len(t.Columns) {
					extra = "partition key"
				}
				rows = append(rows, []any{CatalogName, s, t.Name, c.Name, int64(i + 1), nil, "YES", c.Type.String(), nullIfEmpty(c.Comment), extra})
			}
		})
	case "views":
		err = addTables(func(s string, t *catalog.Table) {
			if t.Kind == catalog.View {
				rows = append(rows, []any{CatalogName, s, t.Name, t.ViewSQL})
			}
		})
	}
	if err != nil {
		return nil, err
	}
	out := make([]Column, len(cols))
	sc := make([]scopeCol, len(cols))
	for i, c := range cols {
		tp := types.VarcharType
		if c == "ordinal_position" {
			tp = types.BigIntType
		}
		out[i] = Column{ID: b.newID(), Name: c, T: tp}
		sc[i] = scopeCol{qual: name, name: c, col: out[i]}
	}
	vals := make([][]Expr, len(rows))
	for r, row := range rows {
		vals[r] = make([]Expr, len(cols))
		for i, v := range row {
			vals[r][i] = &Const{Value: v, T: out[i].T}
		}
	}
	return &relation{node: &Values{Rows: vals, Cols: out}, cols: sc}, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// viewColumns binds a view to learn its output columns.
func (b *Binder) viewColumns(t *catalog.Table) []types.Column {
	sub := &Binder{env: b.env, nextID: b.nextID + 1_000_000}
	rel, err := sub.bindView(&ast.TableRef{Name: &ast.QualifiedName{Parts: []*ast.Ident{{Name: t.Name}}}}, t, strings.ToLower(t.Name))
	if err != nil {
		return nil
	}
	var out []types.Column
	for _, c := range visible(rel.cols) {
		out = append(out, types.Column{Name: c.col.Name, Type: c.col.T})
	}
	return out
}
