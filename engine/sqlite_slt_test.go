package engine_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/internal/testkit"
)

// sqliteMinPassRate guards against regressions on SQLite's own suite: each
// file's pass rate must stay at or above it (the measured rates are logged).
var sqliteMinPassRate = map[string]float64{
	"select1.test": 1, "select2.test": 1, "select3.test": 1, "select4.test": 1, "select5.test": 1,
}

// TestSQLiteSuite runs SQLite's sqllogictest files (CREATE TABLE, INSERT,
// SELECT) through the engine, as issue 9 asks, and reports the pass rate.
// Every record of select1-5 passes (select4's CREATE INDEX statements are
// accepted, checked and ignored: Quarry keeps no indexes). The test keeps
// that floor and logs the first failures of each file.
func TestSQLiteSuite(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "data", "sqllogictest"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("SQLite suite missing at %s", dir)
		}
		t.Skipf("SQLite suite missing at %s", dir)
	}
	if testing.Short() {
		t.Skip("long: SQLite's suite")
	}
	if raceDetector {
		// 10,000 records take minutes; under -race, tens of minutes.
		// make test runs this suite separately, without -race.
		t.Skip("SQLite's suite runs without -race (make test)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "select*.test"))
	sort.Strings(files)
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			script, err := testkit.Parse(f, string(text))
			if err != nil {
				t.Fatal(err)
			}
			eng, err := engine.Open(engine.Config{CatalogDir: t.TempDir(), Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			res := testkit.RunScript(script, sltDB{sess: eng.NewSession()}, testkit.WithEngine("quarry"), testkit.WithTimeout(time.Minute), testkit.WithComplete(false))
			total := res.Ran
			passed := total - len(res.Failures)
			rate := float64(passed) / float64(max(total, 1))
			t.Logf("%s: %d/%d records pass (%.1f%%), %d skipped", name, passed, total, 100*rate, res.Skipped)
			for i, f := range res.Failures {
				if i == 5 {
					break
				}
				t.Logf("  %s", strings.SplitN(f, "\n", 2)[0])
			}
			if min, ok := sqliteMinPassRate[name]; ok && rate < min {
				t.Errorf("%s: pass rate %.1f%% fell below %.0f%%", name, 100*rate, 100*min)
			}
		})
	}
}
