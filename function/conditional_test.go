package function

import "testing"

func TestConditionalFunctions(t *testing.T) {
	T, F := true, false
	runCases(t, []fnCase{
		{fn: "coalesce", types: []string{"bigint", "integer", "bigint"}, rows: [][]any{r(nil, 2, 3), r(1, nil, nil), r(nil, nil, nil)}, want: []string{"2", "1", "NULL"}, rtype: "bigint"},
		{fn: "coalesce", types: []string{"varchar", "varchar(3)"}, rows: [][]any{r(nil, "abc"), r("x", "y")}, want: []string{"abc", "x"}},
		{fn: "coalesce", types: []string{"decimal(5,2)", "integer"}, rows: [][]any{r(nil, 7), r("1.25", 3)}, want: []string{"7.00", "1.25"}, rtype: "decimal(12,2)"},
		{fn: "coalesce", types: []string{"boolean", "boolean"}, rows: [][]any{r(nil, T), r(F, T)}, want: []string{"true", "false"}},
		{fn: "coalesce", types: []string{"unknown", "date"}, rows: [][]any{r(nil, "2024-01-01")}, want: []string{"2024-01-01"}},
		{fn: "coalesce", types: []string{"varchar", "bigint"}, rows: [][]any{r("a", 1)}, err: "Cannot find common type"},
		{fn: "nullif", types: []string{"bigint", "bigint"}, rows: [][]any{r(1, 1), r(1, 2), r(nil, 1), r(1, nil)}, want: []string{"NULL", "1", "NULL", "1"}},
		{fn: "nullif", types: []string{"varchar", "varchar"}, rows: [][]any{r("", ""), r("a", "")}, want: []string{"NULL", "a"}},
		{fn: "if", types: []string{"boolean", "bigint"}, rows: [][]any{r(T, 1), r(F, 2), r(nil, 3)}, want: []string{"1", "NULL", "NULL"}},
		{fn: "if", types: []string{"boolean", "varchar", "varchar"}, rows: [][]any{r(T, "a", "b"), r(F, "a", "b"), r(nil, "a", "b")}, want: []string{"a", "b", "b"}},
		{fn: "if", types: []string{"bigint", "bigint"}, rows: [][]any{r(1, 1)}, err: "Unexpected parameters"},
		{fn: "greatest", types: []string{"bigint", "bigint", "integer"}, rows: [][]any{r(1, 5, 3), r(1, nil, 3)}, want: []string{"5", "NULL"}},
		{fn: "least", types: []string{"varchar", "varchar"}, rows: [][]any{r("b", "a")}, want: []string{"a"}},
		{fn: "least", types: []string{"decimal(5,2)", "decimal(5,2)"}, rows: [][]any{r("1.50", "-2.00")}, want: []string{"-2.00"}},
		{fn: "greatest", types: []string{"double", "bigint"}, rows: [][]any{r(1.5, 2)}, want: []string{"2.0"}, rtype: "double"},
		{fn: "typeof", types: []string{"decimal(2,1)"}, rows: [][]any{r("1.5"), r(nil)}, want: []string{"decimal(2,1)", "decimal(2,1)"}},
	})
}
