package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/cache"
	"github.com/quarry-sql/quarry/sql/ast"
)

// openCache opens the decoded-column cache unless it is turned off. A
// cache that cannot open (unwritable folder) is reported and left off:
// the cache never fails a query, nor the engine.
func (e *Engine) openCache() {
	if e.cfg.NoCache {
		return
	}
	dir := e.cfg.CacheDir
	if dir == "" {
		dir = filepath.Join(e.cfg.CatalogDir, "cache")
	}
	c, err := cache.Open(cache.Options{Dir: dir, MaxBytes: e.cfg.CacheMaxBytes, MinFreeBytes: e.cfg.CacheMinFreeBytes,
		MemoryBytes: e.cfg.CacheMemoryBytes, Logf: e.logf})
	if err != nil {
		e.logf("decoded-column cache off: %v", err)
		return
	}
	e.cache = c
	// Results computed from the chunks the memory tier keeps (casts,
	// parses, predicates: exec.ResultMemo) are kept beside them, in a
	// quarter as much memory again. The bound is the process's.
	if e.cfg.CacheMemoryBytes > 0 {
		exec.SetResultMemoryBytes(e.cfg.CacheMemoryBytes / 4)
	}
}

func (e *Engine) logf(format string, args ...any) {
	if e.cfg.Logf != nil {
		e.cfg.Logf(format, args...)
	}
}

// cached wraps a text format with the cache, when there is one.
func (e *Engine) cached(f source.Format) source.Format {
	if e.cache == nil {
		return f
	}
	return e.cache.Wrap(f)
}

// Cache exposes the decoded-column cache (nil when off) for `quarry cache`.
func (e *Engine) Cache() *cache.Cache { return e.cache }

// callProcedure runs CALL statements. Quarry has one procedure:
// system.invalidate_cache([schema_name =>] s, [table_name =>] t) drops what
// the cache holds for a table's files (every partition's location too);
// without arguments it empties the cache.
func (s *Session) callProcedure(ctx context.Context, x *ast.Call) (*Result, error) {
	name := strings.ToLower(x.Name.String())
	if name != "system.invalidate_cache" && name != "invalidate_cache" {
		return nil, semErr(x.Name, "Procedure '%s' not registered", name)
	}
	args := map[string]string{}
	order := []string{"schema_name", "table_name"}
	for i, a := range x.Args {
		key := ""
		if a.Name != nil {
			key = strings.ToLower(a.Name.Name)
		} else if i < len(order) {
			key = order[i]
		}
		if key != "schema_name" && key != "table_name" {
			return nil, semErr(a.Value, "invalidate_cache takes schema_name and table_name")
		}
		lit, ok := a.Value.(*ast.StringLit)
		if !ok {
			return nil, semErr(a.Value, "%s must be a string literal", key)
		}
		args[key] = lit.Value
	}
	if s.e.cache == nil {
		return message("CALL"), nil
	}
	if len(args) == 0 {
		if err := s.e.cache.Clear(); err != nil {
			return nil, err
		}
		return message("CALL"), nil
	}
	table, ok := args["table_name"]
	if !ok {
		return nil, semErr(x, "invalidate_cache needs table_name (or no arguments, to empty the cache)")
	}
	schema := args["schema_name"]
	if schema == "" {
		schema = s.Schema
	}
	t, err := s.e.cat.GetTable(ctx, strings.ToLower(schema), strings.ToLower(table))
	if err != nil {
		return nil, err
	}
	if t.Kind == catalog.View {
		return nil, semErr(x, "'%s.%s' is a view", t.Schema, t.Name)
	}
	locs := []string{t.Location}
	if len(t.PartitionKeys) > 0 && !source.ProjectionEnabled(t) {
		parts, err := s.e.cat.ListPartitions(ctx, t.Schema, t.Name)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			if !strings.HasPrefix(p.Location, strings.TrimSuffix(t.Location, "/")+"/") {
				locs = append(locs, p.Location)
			}
		}
	}
	n := 0
	for _, l := range locs {
		k, err := s.e.cache.Invalidate(l)
		if err != nil {
			return nil, fmt.Errorf("invalidate the cache of %s: %w", l, err)
		}
		n += k
	}
	r := message("CALL")
	r.Notices = append(r.Notices, fmt.Sprintf("dropped %d cached segment%s of %s.%s", n, pluralS(n), t.Schema, t.Name))
	return r, nil
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
