package parser

import (
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
)

// Hive DDL strings take backslash escapes ('\” is a quote) while the same
// text elsewhere follows Trino, where a backslash is literal.
func TestHiveStringQuoteEscapes(t *testing.T) {
	cases := []struct {
		sql, comment, quote string
	}{
		{`CREATE EXTERNAL TABLE t (a string COMMENT 'it\'s') ROW FORMAT SERDE 'x.OpenCSVSerde' WITH SERDEPROPERTIES ('quoteChar'='\'', 'escapeChar'='\\') LOCATION '/d'`, "it's", "'"},
		{`CREATE EXTERNAL TABLE t (a string COMMENT 'it''s') ROW FORMAT SERDE 'x.OpenCSVSerde' WITH SERDEPROPERTIES ('quoteChar'='''') LOCATION '/d'`, "it's", "'"},
		{"CREATE EXTERNAL TABLE t (a string COMMENT 'line\nbreak') ROW FORMAT SERDE 'x.OpenCSVSerde' WITH SERDEPROPERTIES ('quoteChar'='\\\"') LOCATION '/d'", "line\nbreak", `"`},
	}
	for _, c := range cases {
		st, err := ParseOne(c.sql)
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		ct := st.(*ast.CreateTable)
		if ct.Columns[0].Comment != c.comment {
			t.Errorf("%s: comment %q, want %q", c.sql, ct.Columns[0].Comment, c.comment)
		}
		if got := ct.RowFormat.SerDeProps[0].Value; got != c.quote {
			t.Errorf("%s: quoteChar %q, want %q", c.sql, got, c.quote)
		}
		if *ct.Location != "/d" {
			t.Errorf("%s: location %q", c.sql, *ct.Location)
		}
	}
	// Outside Hive DDL a backslash is an ordinary character.
	st, err := ParseOne(`SELECT 'a\', 'b'`)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st.(*ast.Query).Body.(*ast.Select).Items); n != 2 {
		t.Errorf("SELECT 'a\\', 'b' has %d items, want 2", n)
	}
}
