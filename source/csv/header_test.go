package csv

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/types"
)

func TestLooksLikeHeader(t *testing.T) {
	cols := []types.Column{{Name: "identity_LineItemId"}, {Name: "bill_BillType"}, {Name: "cost"}, {Name: "usage_amount"}}
	names := columnNameSet(cols)
	cases := []struct {
		line string
		want bool
	}{
		{"identity/LineItemId,bill/BillType,Cost,usage amount", true},
		{"IDENTITY_LINEITEMID,bill.billtype,cost", true},
		{"identity/LineItemId,bill/BillType,cost,x,y,z", true},    // half match, columns drifted
		{"identity/LineItemId,bill/BillType,cost,x,y,z,w", false}, // fewer than half
		{"identity/LineItemId,bill/BillType", true},               // fewer than three fields: all must match
		{"identity/LineItemId,x", false},
		{"abc,Anniversary,1.5,2", false},
		{",,,", false},
		{"", false},
	}
	for _, c := range cases {
		var fields [][]byte
		for _, f := range strings.Split(c.line, ",") {
			fields = append(fields, []byte(f))
		}
		if got := looksLikeHeader(fields, names); got != c.want {
			t.Errorf("looksLikeHeader(%q) = %v", c.line, got)
		}
	}
	if looksLikeHeader([][]byte{[]byte("cost")}, columnNameSet([]types.Column{{Name: "a"}, {Name: "cost"}})) != true {
		t.Error("single matching field")
	}
}
