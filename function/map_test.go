package function

import "testing"

const (
	mpVB  = "map(varchar, bigint)"
	mpRow = "array(row(k varchar, v bigint))"
)

func TestMapConstructors(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "map", types: []string{}, rows: [][]any{r(), r()}, want: []string{"{}", "{}"}, rtype: "map(unknown, unknown)"},
		{fn: "map", types: []string{arrAV, arrAB}, rows: [][]any{r(arrL("a", "b"), arrL(1, nil)), r(nil, arrL()), r(arrL(), arrL())}, want: []string{"{a=1, b=NULL}", "NULL", "{}"}, rtype: mpVB},
		{fn: "map", types: []string{"array(integer)", arrAAB}, rows: [][]any{r(arrL(1), arrL(arrL(1, 2)))}, want: []string{"{1=[1, 2]}"}, rtype: "map(integer, array(bigint))"},
		{fn: "map", types: []string{arrAV, arrAB}, rows: [][]any{r(arrL("a"), arrL(1, 2))}, err: "Key and value arrays must be the same length"},
		{fn: "map", types: []string{arrAV, arrAB}, rows: [][]any{r(arrL("a", nil), arrL(1, 2))}, err: "map key cannot be null"},
		{fn: "map", types: []string{arrAV, arrAB}, rows: [][]any{r(arrL("a", "b"), arrL(1, 2)), r(arrL("x", "x"), arrL(1, 2))}, err: "Duplicate map keys (x) are not allowed"},
		{fn: "map", types: []string{arrAB}, rows: [][]any{r(arrL(1))}, err: "Unexpected parameters (array(bigint)) for function map"},

		{fn: "map_from_entries", types: []string{mpRow}, rows: [][]any{r(arrL(arrRowLit{"a", 1}, arrRowLit{"b", nil})), r(nil), r(arrL())}, want: []string{"{a=1, b=NULL}", "NULL", "{}"}, rtype: mpVB},
		{fn: "map_from_entries", types: []string{mpRow}, rows: [][]any{r(arrL(arrRowLit{"a", 1}, nil))}, err: "map entry cannot be null"},
		{fn: "map_from_entries", types: []string{mpRow}, rows: [][]any{r(arrL(arrRowLit{nil, 1}))}, err: "map key cannot be null"},
		{fn: "map_from_entries", types: []string{mpRow}, rows: [][]any{r(arrL(arrRowLit{"a", 1}, arrRowLit{"a", 2}))}, err: "Duplicate map keys (a) are not allowed"},
		{fn: "map_from_entries", types: []string{arrAB}, rows: [][]any{r(arrL(1))}, err: "Unexpected parameters"},
	})
}

func TestMapAccess(t *testing.T) {
	m := mpLit{"a", 1, "b", nil, "c", 3}
	arrRunCases(t, []fnCase{
		{fn: "map_keys", types: []string{mpVB}, rows: [][]any{r(m), r(nil), r(mpLit{})}, want: []string{"[a, b, c]", "NULL", "[]"}, rtype: arrAV},
		{fn: "map_values", types: []string{mpVB}, rows: [][]any{r(m), r(nil), r(mpLit{})}, want: []string{"[1, NULL, 3]", "NULL", "[]"}, rtype: arrAB},
		{fn: "map_entries", types: []string{mpVB}, rows: [][]any{r(m), r(nil)}, want: []string{"[{a, 1}, {b, NULL}, {c, 3}]", "NULL"}, rtype: "array(row(varchar, bigint))"},
		{fn: "map_keys", types: []string{arrAB}, rows: [][]any{r(arrL(1))}, err: "Unexpected parameters"},

		{fn: "element_at", types: []string{mpVB, arrTV}, rows: [][]any{r(m, "a"), r(m, "b"), r(m, "x"), r(nil, "a"), r(m, nil)}, want: []string{"1", "NULL", "NULL", "NULL", "NULL"}, rtype: arrTB},
		{fn: "element_at", types: []string{"map(integer, varchar)", arrTB}, rows: [][]any{r(mpLit{1, "x", 2, "y"}, 2)}, want: []string{"y"}, rtype: arrTV},
		{fn: "element_at", types: []string{mpVB, arrTB}, rows: [][]any{r(m, 1)}, err: "Unexpected parameters (map(varchar, bigint), bigint) for function element_at"},
		{fn: "$subscript", types: []string{mpVB, "varchar(1)"}, rows: [][]any{r(m, "c"), r(m, "b"), r(nil, "a")}, want: []string{"3", "NULL", "NULL"}},
		{fn: "$subscript", types: []string{mpVB, arrTV}, rows: [][]any{r(m, "a"), r(m, "zz")}, err: "Key not present in map: zz"},
		{fn: "$subscript", types: []string{"map(bigint, varchar)", arrTB}, rows: [][]any{r(mpLit{1, "x"}, 7)}, err: "Key not present in map: 7"},
		{fn: "$subscript", types: []string{"map(array(bigint), varchar)", arrAB}, rows: [][]any{r(mpLit{arrL(1, 2), "x"}, arrL(1, 2))}, want: []string{"x"}},
	})
}

func TestMapConcat(t *testing.T) {
	arrRunCases(t, []fnCase{
		{fn: "map_concat", types: []string{mpVB, mpVB}, rows: [][]any{r(mpLit{"a", 1, "b", 2}, mpLit{"b", 3, "c", 4}), r(nil, mpLit{"a", 1}), r(mpLit{}, mpLit{})},
			want: []string{"{b=3, c=4, a=1}", "NULL", "{}"}, rtype: mpVB},
		{fn: "map_concat", types: []string{mpVB, mpVB, mpVB}, rows: [][]any{r(mpLit{"a", 1}, mpLit{"a", 2}, mpLit{"b", 3})}, want: []string{"{b=3, a=2}"}},
		{fn: "map_concat", types: []string{mpVB}, rows: [][]any{r(mpLit{})}, err: "There must be two or more concatenation arguments to map_concat"},
		{fn: "map_concat", types: []string{mpVB, arrAB}, rows: [][]any{r(mpLit{}, arrL())}, err: "Unexpected parameters"},
	})
}
