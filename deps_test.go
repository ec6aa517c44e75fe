package quarry_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/quarry-sql/quarry/"

// layer ranks packages: a package may import only packages of a lower
// rank (or its own sub-packages' interfaces as listed in allowSame).
// DESIGN.md: cmd → engine/server → plan, exec, source → catalog, function,
// types → internal; the parser stands alone.
var layer = map[string]int{
	"cmd":      6,
	"server":   5,
	"bench":    6,
	"engine":   4,
	"plan":     3,
	"exec":     2,
	"sink":     2,
	"source":   2,
	"gen":      2,
	"catalog":  1,
	"function": 1,
	"objstore": 1,
	"types":    0,
	"sql":      0,
	"internal": 0,
}

// allowed lists imports that cross the rank order on purpose.
var allowed = map[string][]string{
	// plan builds exec operators (physical planning) and reads scan
	// statistics types from source.
	"plan": {"exec", "source", "sql", "objstore", "catalog", "function", "types"},
	// exec reads through the source interfaces only; internal/stable
	// tells it which arrays the decoded-column cache hands out again.
	"exec": {"source", "objstore", "catalog", "function", "types", "internal"},
	// readers implement source's interfaces.
	"source": {"source", "objstore", "catalog", "types", "internal"},
	"sink":   {"sink", "objstore", "catalog", "types", "source", "internal"},
	"gen":    {"gen", "types", "internal"},
	// catalog names types in its model.
	"catalog":  {"types", "internal"},
	"function": {"types", "internal"},
	"objstore": {"objstore", "internal"},
	"types":    {"internal"},
	"internal": {"internal"},
	// The parser stands alone: standard library only.
	"sql": {"sql"},
}

func topOf(pkg string) string {
	return strings.SplitN(pkg, "/", 2)[0]
}

func TestImportRules(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "bench") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "." {
			return nil
		}
		from := topOf(dir)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(p, module) {
				if from == "sql" && strings.Contains(p, ".") {
					t.Errorf("%s imports %s: the parser may use the standard library only", path, p)
				}
				continue
			}
			to := topOf(strings.TrimPrefix(p, module))
			if to == "cmd" || (to == "engine" && from != "cmd" && from != "server" && from != "engine") || (to == "server" && from != "cmd" && from != "server") {
				t.Errorf("%s imports %s: nothing imports cmd, and only cmd and server import engine and server", path, p)
				continue
			}
			if list, ok := allowed[from]; ok {
				okImp := false
				for _, a := range list {
					okImp = okImp || a == to
				}
				if !okImp {
					t.Errorf("%s (%s) imports %s (%s): not allowed by DESIGN.md's layering", path, from, p, to)
				}
				continue
			}
			if layer[to] > layer[from] {
				t.Errorf("%s imports %s: imports point downward only", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
