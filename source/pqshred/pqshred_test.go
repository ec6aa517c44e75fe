package pqshred

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/quarry-sql/quarry/types"
)

func TestDecimalBytes(t *testing.T) {
	for _, c := range []struct{ p, want int }{{1, 1}, {2, 1}, {3, 2}, {9, 4}, {10, 5}, {18, 8}, {19, 9}, {38, 16}} {
		if got := DecimalBytes(c.p); got != c.want {
			t.Errorf("DecimalBytes(%d) = %d, want %d", c.p, got, c.want)
		}
	}
	for _, c := range []struct {
		v    decimal128.Num
		n    int
		want []byte
	}{
		{decimal128.FromI64(-1), 4, []byte{0xff, 0xff, 0xff, 0xff}},
		{decimal128.FromI64(258), 3, []byte{0, 1, 2}},
		{decimal128.New(1, 0), 16, []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}},
	} {
		if got := Decimal128Bytes(nil, c.v, c.n); !bytes.Equal(got, c.want) {
			t.Errorf("Decimal128Bytes(%v, %d) = %x, want %x", c.v, c.n, got, c.want)
		}
	}
}

// TestSchemaOptions checks the two layouts the writers choose and the
// levels a nested column gets.
func TestSchemaOptions(t *testing.T) {
	long := types.Type{Kind: types.Decimal, Precision: 20, Scale: 2}
	arr := types.Type{Kind: types.Array, Elem: &types.BigIntType}
	cols := []types.Column{{Name: "d", Type: long}, {Name: "n", Type: types.BigIntType}, {Name: "a", Type: arr}}
	_, nodes, err := Schema("s", cols, Options{Decimal16: true})
	if err != nil {
		t.Fatal(err)
	}
	if nodes[0].FLBA != 16 || nodes[0].Leaf != 0 || nodes[1].Leaf != 1 {
		t.Errorf("Decimal16 layout: %+v %+v", nodes[0], nodes[1])
	}
	if a := nodes[2]; a.Leaf != -1 || a.Rep != 1 || len(a.Leaves) != 1 || a.Leaves[0] != 2 || a.Children[0].Def != 3 {
		t.Errorf("array node: %+v, element %+v", a, a.Children[0])
	}
	_, nodes, err = Schema("s", cols, Options{DictionaryAll: true})
	if err != nil {
		t.Fatal(err)
	}
	if nodes[0].FLBA != 9 {
		t.Errorf("minimal decimal width %d, want 9", nodes[0].FLBA)
	}
	if _, _, err := Schema("s", []types.Column{{Name: "r", Type: types.Type{Kind: types.Row}}}, Options{}); err == nil {
		t.Error("a row without fields was accepted")
	}
}
