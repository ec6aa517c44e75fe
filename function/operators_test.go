package function

import "testing"

func TestArithmetic(t *testing.T) {
	runCases(t, []fnCase{
		{fn: "$add", types: []string{"bigint", "bigint"}, rows: [][]any{r(1, 2), r(nil, 1), r(-5, 3)}, want: []string{"3", "NULL", "-2"}, rtype: "bigint"},
		{fn: "$add", types: []string{"integer", "bigint"}, rows: [][]any{r(1, 2)}, want: []string{"3"}, rtype: "bigint"},
		{fn: "$add", types: []string{"bigint", "bigint"}, rows: [][]any{r(9223372036854775807, 1)}, err: "bigint addition overflow: 9223372036854775807 + 1"},
		{fn: "$add", types: []string{"bigint", "bigint"}, rows: [][]any{r(nil, 1), r(9223372036854775807, nil)}, want: []string{"NULL", "NULL"}},
		{fn: "$add", types: []string{"integer", "integer"}, rows: [][]any{r(2147483647, 1)}, err: "integer addition overflow"},
		{fn: "$subtract", types: []string{"tinyint", "tinyint"}, rows: [][]any{r(-128, 1)}, err: "tinyint subtraction overflow"},
		{fn: "$multiply", types: []string{"bigint", "bigint"}, rows: [][]any{r(4611686018427387904, 2)}, err: "bigint multiplication overflow"},
		{fn: "$multiply", types: []string{"bigint", "bigint"}, rows: [][]any{r(-1, -9223372036854775808)}, err: "overflow"},
		{fn: "$multiply", types: []string{"smallint", "smallint"}, rows: [][]any{r(200, 300), r(-3, 7)}, err: "smallint multiplication overflow"},
		{fn: "$divide", types: []string{"integer", "integer"}, rows: [][]any{r(7, 2), r(-7, 2), r(nil, 0)}, want: []string{"3", "-3", "NULL"}},
		{fn: "$divide", types: []string{"bigint", "bigint"}, rows: [][]any{r(1, 0)}, err: "Division by zero"},
		{fn: "$modulus", types: []string{"bigint", "bigint"}, rows: [][]any{r(7, 3), r(-7, 3), r(5, -1)}, want: []string{"1", "-1", "0"}},
		{fn: "$modulus", types: []string{"integer", "integer"}, rows: [][]any{r(7, 0)}, err: "Division by zero"},
		{fn: "$divide", types: []string{"double", "double"}, rows: [][]any{r(1.0, 0.0), r(1.0, 4.0)}, want: []string{"Infinity", "0.25"}},
		{fn: "$add", types: []string{"bigint", "double"}, rows: [][]any{r(1, 0.5)}, want: []string{"1.5"}, rtype: "double"},
		{fn: "$add", types: []string{"real", "integer"}, rows: [][]any{r(1.5, 1)}, want: []string{"2.5"}, rtype: "real"},
		{fn: "$negate", types: []string{"bigint"}, rows: [][]any{r(5), r(nil)}, want: []string{"-5", "NULL"}},
		{fn: "$negate", types: []string{"integer"}, rows: [][]any{r(-2147483648)}, err: "integer negation overflow"},
		{fn: "$add", types: []string{"varchar", "bigint"}, rows: [][]any{r("a", 1)}, err: "Cannot apply operator"},
	})
}

func TestDecimalArithmetic(t *testing.T) {
	runCases(t, []fnCase{
		{fn: "$add", types: []string{"decimal(5,2)", "decimal(7,3)"}, rows: [][]any{r("1.25", "2.001"), r("-999.99", "0.001"), r(nil, "1")}, want: []string{"3.251", "-999.989", "NULL"}, rtype: "decimal(8,3)"},
		{fn: "$subtract", types: []string{"decimal(15,2)", "integer"}, rows: [][]any{r("10.50", 3)}, want: []string{"7.50"}, rtype: "decimal(16,2)"},
		{fn: "$subtract", types: []string{"integer", "decimal(15,2)"}, rows: [][]any{r(1, "0.04")}, want: []string{"0.96"}, rtype: "decimal(16,2)"},
		{fn: "$multiply", types: []string{"decimal(15,2)", "decimal(16,2)"}, rows: [][]any{r("12345678901.23", "0.96"), r("-1.50", "2.00")}, want: []string{"11851851745.1808", "-3.0000"}, rtype: "decimal(31,4)"},
		{fn: "$multiply", types: []string{"decimal(3,1)", "decimal(3,1)"}, rows: [][]any{r("1.5", "-2.5")}, want: []string{"-3.75"}, rtype: "decimal(6,2)"},
		{fn: "$multiply", types: []string{"decimal(38,0)", "decimal(38,0)"}, rows: [][]any{r("10000000000000000000000000000000000000", "100")}, err: "Decimal overflow"},
		{fn: "$divide", types: []string{"decimal(5,2)", "decimal(5,2)"}, rows: [][]any{r("1.00", "3.00"), r("2.00", "3.00"), r("-2.00", "3.00"), r("0.05", "0.10")}, want: []string{"0.33", "0.67", "-0.67", "0.50"}, rtype: "decimal(7,2)"},
		{fn: "$divide", types: []string{"decimal(5,2)", "decimal(5,2)"}, rows: [][]any{r("1.00", "0.00")}, err: "Division by zero"},
		{fn: "$divide", types: []string{"decimal(5,2)", "decimal(5,2)"}, rows: [][]any{r(nil, "0.00")}, want: []string{"NULL"}},
		{fn: "$divide", types: []string{"decimal(20,2)", "decimal(5,1)"}, rows: [][]any{r("100000000000000000.00", "3.0")}, want: []string{"33333333333333333.33"}, rtype: "decimal(21,2)"},
		{fn: "$divide", types: []string{"decimal(38,2)", "decimal(38,20)"}, rows: [][]any{r("1.00", "3.00000000000000000000")}, want: []string{"0.33333333333333333333"}, rtype: "decimal(38,20)"},
		{fn: "$modulus", types: []string{"decimal(5,2)", "decimal(3,1)"}, rows: [][]any{r("10.25", "3.0"), r("-10.25", "3.0")}, want: []string{"1.25", "-1.25"}, rtype: "decimal(4,2)"},
		{fn: "$add", types: []string{"decimal(38,0)", "decimal(38,0)"}, rows: [][]any{r("99999999999999999999999999999999999999", "1")}, err: "Decimal overflow"},
		{fn: "$negate", types: []string{"decimal(20,3)"}, rows: [][]any{r("12345678901234567.891"), r(nil)}, want: []string{"-12345678901234567.891", "NULL"}},
		{fn: "$add", types: []string{"decimal(20,3)", "decimal(20,3)"}, rows: [][]any{r("12345678901234567.891", "-0.001")}, want: []string{"12345678901234567.890"}},
	})
}

func TestTemporalArithmetic(t *testing.T) {
	runCases(t, []fnCase{
		{fn: "$add", types: []string{"date", "interval day to second"}, rows: [][]any{r("2024-02-28", 86400000), r(nil, 1)}, want: []string{"2024-02-29", "NULL"}, rtype: "date"},
		{fn: "$add", types: []string{"date", "interval day to second"}, rows: [][]any{r("2024-02-28", 3600000)}, err: "Cannot add hour"},
		{fn: "$add", types: []string{"interval year to month", "date"}, rows: [][]any{r(1, "2024-01-31")}, want: []string{"2024-02-29"}, rtype: "date"},
		{fn: "$subtract", types: []string{"date", "interval year to month"}, rows: [][]any{r("2024-03-31", 13)}, want: []string{"2023-02-28"}},
		{fn: "$add", types: []string{"timestamp(3)", "interval day to second"}, rows: [][]any{r("2024-01-01 23:00:00.000", 7200500)}, want: []string{"2024-01-02 01:00:00.500"}},
		{fn: "$subtract", types: []string{"timestamp(3)", "timestamp(3)"}, rows: [][]any{r("2024-01-02 00:00:00.000", "2024-01-01 12:30:00.250")}, want: []string{"0 11:29:59.750"}, rtype: "interval day to second"},
		{fn: "$add", types: []string{"interval day to second", "interval day to second"}, rows: [][]any{r(1000, 2000)}, want: []string{"0 00:00:03.000"}},
		{fn: "$multiply", types: []string{"interval day to second", "integer"}, rows: [][]any{r(86400000, 3), r(-1000, 2), r(nil, 2), r(1000, nil)}, want: []string{"3 00:00:00.000", "-0 00:00:02.000", "NULL", "NULL"}, rtype: "interval day to second"},
		{fn: "$multiply", types: []string{"bigint", "interval year to month"}, rows: [][]any{r(2, 14)}, want: []string{"2-4"}, rtype: "interval year to month"},
		{fn: "$multiply", types: []string{"interval day to second", "double"}, rows: [][]any{r(86400000, 1.5), r(1001, 0.5), r(-1001, 0.5)}, want: []string{"1 12:00:00.000", "0 00:00:00.500", "-0 00:00:00.500"}},
		{fn: "$multiply", types: []string{"decimal(2,1)", "interval day to second"}, rows: [][]any{r("2.5", 1000)}, want: []string{"0 00:00:02.500"}},
		{fn: "$multiply", types: []string{"interval year to month", "double"}, rows: [][]any{r(12, 0.55)}, want: []string{"0-6"}},
		{fn: "$multiply", types: []string{"interval day to second", "double"}, rows: [][]any{r(1000, nan())}, err: "Cannot multiply by double NaN"},
		{fn: "$multiply", types: []string{"interval year to month", "bigint"}, rows: [][]any{r(12, 1<<40)}, err: "Out of range for interval year to month"},
		{fn: "$multiply", types: []string{"interval day to second", "bigint"}, rows: [][]any{r(86400000, 1<<40)}, err: "Out of range for interval day to second"},
		{fn: "$divide", types: []string{"interval day to second", "integer"}, rows: [][]any{r(86400000, 3), r(1000, 3)}, want: []string{"0 08:00:00.000", "0 00:00:00.333"}, rtype: "interval day to second"},
		{fn: "$divide", types: []string{"interval year to month", "double"}, rows: [][]any{r(12, 5.0)}, want: []string{"0-2"}},
		{fn: "$divide", types: []string{"interval day to second", "integer"}, rows: [][]any{r(1000, 0)}, err: "Cannot divide by double 0.0"},
		{fn: "$divide", types: []string{"integer", "interval day to second"}, rows: [][]any{r(1, 1000)}, err: "Cannot apply operator"},
		{fn: "$multiply", types: []string{"interval day to second", "interval day to second"}, rows: [][]any{r(1, 1)}, err: "Cannot apply operator"},
	})
}

func TestComparison(t *testing.T) {
	runCases(t, []fnCase{
		{fn: "$lt", types: []string{"bigint", "bigint"}, rows: [][]any{r(1, 2), r(2, 2), r(nil, 2)}, want: []string{"true", "false", "NULL"}},
		{fn: "$eq", types: []string{"integer", "double"}, rows: [][]any{r(1, 1.0), r(1, 1.5)}, want: []string{"true", "false"}},
		{fn: "$eq", types: []string{"decimal(5,2)", "decimal(7,4)"}, rows: [][]any{r("1.50", "1.5000"), r("1.50", "1.5001")}, want: []string{"true", "false"}},
		{fn: "$gt", types: []string{"decimal(38,10)", "decimal(38,0)"}, rows: [][]any{r("1.5", "1"), r("-1.5", "-1")}, want: []string{"true", "false"}},
		{fn: "$ge", types: []string{"integer", "decimal(3,1)"}, rows: [][]any{r(2, "1.9"), r(2, "2.1")}, want: []string{"true", "false"}},
		{fn: "$lt", types: []string{"varchar", "varchar(3)"}, rows: [][]any{r("abc", "abd"), r("é", "z"), r("b", "a")}, want: []string{"true", "false", "false"}},
		{fn: "$ne", types: []string{"varchar", "varchar"}, rows: [][]any{r("a", "a"), r("a", nil)}, want: []string{"false", "NULL"}},
		{fn: "$le", types: []string{"date", "date"}, rows: [][]any{r("2024-01-01", "2024-01-02")}, want: []string{"true"}},
		{fn: "$lt", types: []string{"date", "timestamp(3)"}, rows: [][]any{r("2024-01-01", "2024-01-01 00:00:00.001")}, want: []string{"true"}},
		{fn: "$lt", types: []string{"boolean", "boolean"}, rows: [][]any{r(false, true), r(true, false)}, want: []string{"true", "false"}},
		{fn: "$eq", types: []string{"double", "double"}, rows: [][]any{r(nan(), nan())}, want: []string{"false"}},
		{fn: "$lt", types: []string{"varchar", "bigint"}, rows: [][]any{r("a", 1)}, err: "Cannot apply operator"},
		{fn: "$is_distinct_from", types: []string{"bigint", "bigint"}, rows: [][]any{r(1, 1), r(1, 2), r(nil, nil), r(nil, 1)}, want: []string{"false", "true", "false", "true"}},
		{fn: "$eq", types: []string{"unknown", "bigint"}, rows: [][]any{r(nil, 1)}, want: []string{"NULL"}},
	})
}

func TestLogical(t *testing.T) {
	T, F := true, false
	runCases(t, []fnCase{
		{fn: "$and", types: []string{"boolean", "boolean"}, rows: [][]any{r(T, T), r(T, F), r(F, nil), r(nil, F), r(T, nil), r(nil, nil)}, want: []string{"true", "false", "false", "false", "NULL", "NULL"}},
		{fn: "$or", types: []string{"boolean", "boolean"}, rows: [][]any{r(F, F), r(T, F), r(T, nil), r(nil, T), r(F, nil), r(nil, nil)}, want: []string{"false", "true", "true", "true", "NULL", "NULL"}},
		{fn: "$and", types: []string{"boolean", "boolean", "boolean"}, rows: [][]any{r(T, nil, F), r(T, T, T)}, want: []string{"false", "true"}},
		{fn: "$not", types: []string{"boolean"}, rows: [][]any{r(T), r(F), r(nil)}, want: []string{"false", "true", "NULL"}},
		{fn: "$and", types: []string{"boolean", "bigint"}, rows: [][]any{r(T, 1)}, err: "must be boolean"},
	})
}

func TestLike(t *testing.T) {
	runCases(t, []fnCase{
		{fn: "$like", types: []string{"varchar", "varchar"}, rows: [][]any{r("abc", "abc"), r("abc", "ab"), r("abc", "a%"), r("abc", "%c"), r("abc", "%b%"), r("abc", "a_c"), r("aXc", "a_c"), r("ac", "a_c"), r("éa", "_a"), r("abc", "%"), r(nil, "%"), r("a\nb", "a%b")},
			want: []string{"true", "false", "true", "true", "true", "true", "true", "false", "true", "true", "NULL", "true"}},
		{fn: "$like", types: []string{"varchar", "varchar"}, rows: [][]any{r("abc", "a%"), r("xbc", "x%"), r("xbc", "a%")}, want: []string{"true", "true", "false"}},
		{fn: "$like", types: []string{"varchar", "varchar", "varchar"}, rows: [][]any{r("50%", "50#%", "#"), r("501", "50#%", "#"), r("a_b", "a#_b", "#")}, want: []string{"true", "false", "true"}},
		{fn: "$like", types: []string{"varchar", "varchar", "varchar"}, rows: [][]any{r("a", "a#", "#")}, err: "Escape character"},
		{fn: "$like", types: []string{"varchar", "varchar"}, rows: [][]any{r("a.b", "a.b"), r("axb", "a.b"), r("(x)", "(%)")}, want: []string{"true", "false", "true"}},
		{fn: "$concat", types: []string{"varchar", "varchar(2)"}, rows: [][]any{r("ab", "cd"), r(nil, "x"), r("é", "")}, want: []string{"abcd", "NULL", "é"}},
	})
}
