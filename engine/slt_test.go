package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/engine/output"
	"github.com/quarry-sql/quarry/internal/testkit"
)

// sltDB runs sqllogictest records through one engine session, rendering
// values as Trino prints them (engine/output.Value, UTC).
type sltDB struct{ sess *engine.Session }

func (d sltDB) Exec(ctx context.Context, sql string) ([]string, [][]string, error) {
	res, err := d.sess.Query(ctx, sql)
	if err != nil {
		return nil, nil, err
	}
	defer res.Close()
	cols := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = c.Name
	}
	var rows [][]string
	for {
		b, err := res.Next()
		if err != nil {
			return nil, nil, err
		}
		if b == nil {
			break
		}
		for r := 0; r < int(b.NumRows()); r++ {
			row := make([]string, b.NumCols())
			for c := range row {
				v, ok := output.Value(b.Column(c), r, res.Columns[c].Type, time.UTC)
				if !ok {
					v = testkit.Null
				}
				row[c] = v
			}
			rows = append(rows, row)
		}
	}
	if err := res.Close(); err != nil {
		return nil, nil, err
	}
	return cols, rows, nil
}

// TestSLT runs every testdata/slt/**/*.slt file, each in a fresh engine.
// Rewrite expected results with QUARRY_SLT_COMPLETE=1 or -args -complete.
func TestSLT(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "slt"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := testkit.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no .slt files under %s", dir)
	}
	for _, f := range files {
		name, _ := filepath.Rel(dir, f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			eng, err := engine.Open(engine.Config{CatalogDir: t.TempDir(), Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			testkit.Run(t, filepath.Join("..", "testdata", "slt", name), sltDB{eng.NewSession()},
				testkit.WithVar("DATA", filepath.Join(dir, "data")))
		})
	}
}
