package parser

import (
	"os"
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
)

func benchmarkFile(b *testing.B, path string) {
	src, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	s := string(src)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

// The largest seed queries: Looker's pivot wrapper and the RI-spend query.
func BenchmarkParseCURQ3TagPivot(b *testing.B) {
	benchmarkFile(b, "../../../shared/spec/cur-q3-tag-pivot.sql")
}

func BenchmarkParseCURQ1RISpend(b *testing.B) {
	benchmarkFile(b, "../../../shared/spec/cur-q1-ri-spend.sql")
}

func BenchmarkParseCURDDL(b *testing.B) {
	benchmarkFile(b, "../../../shared/spec/cur-ddl-opencsv.sql")
}

func BenchmarkFormatCURQ3TagPivot(b *testing.B) {
	src, err := os.ReadFile("../../../shared/spec/cur-q3-tag-pivot.sql")
	if err != nil {
		b.Skip(err)
	}
	st, err := ParseOne(string(src))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = ast.Format(st)
	}
}
