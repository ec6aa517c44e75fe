package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
)

// corpusFiles lists every SQL file whose statements must parse and
// round-trip through ast.Format.
func corpusFiles(t testing.TB) []string {
	var files []string
	for _, pat := range []string{
		"../../../shared/spec/*.sql",
		"../../../shared/data/tpch/queries/*.sql",
		"testdata/*.sql",
	} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	return files
}

// checkRoundTrip parses src, formats each statement, reparses the text and
// requires an equal tree; the formatted text must also be a fixed point.
func checkRoundTrip(t *testing.T, name, src string) {
	t.Helper()
	stmts, err := Parse(src)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	for i, st := range stmts {
		text := ast.Format(st)
		again, err := ParseOne(text)
		if err != nil {
			t.Errorf("%s: statement %d: formatted text does not parse: %v\n%s", name, i+1, err, text)
			continue
		}
		if !ast.Equal(st, again) {
			t.Errorf("%s: statement %d: round trip changed the tree\n%s\n%s", name, i+1, text, ast.Format(again))
			continue
		}
		if text2 := ast.Format(again); text2 != text {
			t.Errorf("%s: statement %d: formatting is not a fixed point\n%s\n%s", name, i+1, text, text2)
		}
	}
}

func TestRoundTripCorpus(t *testing.T) {
	files := corpusFiles(t)
	if len(files) < 30 {
		t.Fatalf("found only %d corpus files; is ../shared mounted?", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, filepath.Base(f), string(b))
	}
}

func TestRoundTripSQLLogicTest(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/sqllogictest/select*.test")
	if len(files) == 0 {
		t.Skip("sqllogictest files not available")
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range strings.Split(string(b), "\n\n") {
			lines := strings.Split(strings.TrimSpace(rec), "\n")
			if len(lines) < 2 || !(strings.HasPrefix(lines[0], "statement ok") || strings.HasPrefix(lines[0], "query")) {
				continue
			}
			var sql []string
			for _, l := range lines[1:] {
				if l == "----" {
					break
				}
				sql = append(sql, l)
			}
			n++
			checkRoundTrip(t, filepath.Base(f)+": "+strings.Join(sql, " "), strings.Join(sql, "\n"))
		}
	}
	t.Logf("%d sqllogictest statements", n)
}
