package parser

import (
	"bufio"
	"fmt"
	"os"
	"testing"

	"github.com/quarry-sql/quarry/sql/ast"
)

func TestTry(t *testing.T) {
	f, err := os.Open("/tmp/try/in.sql")
	if err != nil {
		t.Skip()
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		stmts, err := Parse(line)
		if err != nil {
			fmt.Printf("%s\n   => ERR %v\n", line, err)
			continue
		}
		for _, s := range stmts {
			fmt.Printf("%s\n   => %s\n", line, ast.Format(s))
		}
	}
}
