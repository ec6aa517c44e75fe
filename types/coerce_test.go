package types

import "testing"

func TestCommonSuperType(t *testing.T) {
	cases := []struct {
		a, b, want string // want "" means no common type
	}{
		{"integer", "bigint", "bigint"},
		{"tinyint", "smallint", "smallint"},
		{"integer", "decimal(5,2)", "decimal(12,2)"},
		{"bigint", "decimal(5,2)", "decimal(21,2)"},
		{"tinyint", "decimal(1,1)", "decimal(4,1)"},
		{"decimal(10,2)", "decimal(5,4)", "decimal(12,4)"},
		{"decimal(38,0)", "decimal(38,10)", "decimal(38,10)"},
		{"bigint", "real", "real"},
		{"decimal(5,2)", "real", "real"},
		{"real", "double", "double"},
		{"decimal(5,2)", "double", "double"},
		{"varchar(3)", "varchar(5)", "varchar(5)"},
		{"varchar(3)", "varchar", "varchar"},
		{"char(3)", "varchar(5)", "varchar(5)"},
		{"char(3)", "char(7)", "char(7)"},
		{"date", "timestamp(6)", "timestamp(6)"},
		{"timestamp(3)", "timestamp(6)", "timestamp(6)"},
		{"timestamp(3)", "timestamp(0) with time zone", "timestamp(3) with time zone"},
		{"array(integer)", "array(bigint)", "array(bigint)"},
		{"map(varchar, integer)", "map(varchar(3), double)", "map(varchar, double)"},
		{"row(a integer, b varchar)", "row(x bigint, y varchar(2))", "row(bigint, varchar)"},
		{"varchar", "bigint", ""},
		{"boolean", "integer", ""},
		{"date", "bigint", ""},
		{"array(integer)", "array(varchar)", ""},
		{"row(a integer)", "row(a integer, b integer)", ""},
	}
	for _, c := range cases {
		a, b := MustParse(c.a), MustParse(c.b)
		for _, pair := range [][2]Type{{a, b}, {b, a}} {
			got, ok := CommonSuperType(pair[0], pair[1])
			if c.want == "" {
				if ok {
					t.Errorf("CommonSuperType(%s, %s) = %s, want none", pair[0], pair[1], got)
				}
				continue
			}
			if !ok || got.String() != c.want {
				t.Errorf("CommonSuperType(%s, %s) = %s, %v; want %s", pair[0], pair[1], got, ok, c.want)
			}
		}
	}
	if got, ok := CommonSuperType(UnknownType, DateType); !ok || !got.Equal(DateType) {
		t.Errorf("unknown with date = %s", got)
	}
}

func TestCanCoerce(t *testing.T) {
	cases := []struct {
		from, to string
		want     bool
	}{
		{"integer", "bigint", true},
		{"bigint", "integer", false},
		{"integer", "decimal(10,0)", true},
		{"integer", "decimal(12,2)", true},
		{"integer", "decimal(9,0)", false},
		{"decimal(5,2)", "decimal(6,3)", true},
		{"decimal(5,2)", "decimal(5,3)", false},
		{"decimal(5,2)", "double", true},
		{"double", "decimal(38,10)", false},
		{"bigint", "double", true},
		{"real", "double", true},
		{"double", "real", false},
		{"varchar(3)", "varchar", true},
		{"varchar", "varchar(3)", false},
		{"char(3)", "varchar", true},
		{"date", "timestamp(3)", true},
		{"timestamp(3)", "date", false},
		{"timestamp(3)", "timestamp(6)", true},
		{"array(integer)", "array(double)", true},
		{"varchar", "bigint", false},
	}
	for _, c := range cases {
		if got := CanCoerce(MustParse(c.from), MustParse(c.to)); got != c.want {
			t.Errorf("CanCoerce(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if !CanCoerce(UnknownType, BigIntType) {
		t.Error("unknown must coerce to anything")
	}
}

func TestDecimalArithmeticType(t *testing.T) {
	cases := []struct {
		op   ArithOp
		a, b string
		want string
	}{
		{OpAdd, "decimal(15,2)", "decimal(15,2)", "decimal(16,2)"},
		{OpSubtract, "integer", "decimal(15,2)", "decimal(16,2)"},
		{OpAdd, "decimal(38,2)", "decimal(38,2)", "decimal(38,2)"},
		{OpMultiply, "decimal(15,2)", "decimal(16,2)", "decimal(31,4)"},
		{OpMultiply, "decimal(20,2)", "decimal(20,2)", "decimal(38,4)"},
		{OpDivide, "decimal(5,2)", "decimal(5,2)", "decimal(7,2)"},
		{OpDivide, "decimal(5,1)", "decimal(5,3)", "decimal(10,3)"},
		{OpDivide, "bigint", "decimal(3,1)", "decimal(21,1)"},
		{OpModulus, "decimal(5,2)", "decimal(3,1)", "decimal(4,2)"},
	}
	for _, c := range cases {
		got, ok := DecimalArithmeticType(c.op, MustParse(c.a), MustParse(c.b))
		if !ok || got.String() != c.want {
			t.Errorf("DecimalArithmeticType(%d, %s, %s) = %s, %v; want %s", c.op, c.a, c.b, got, ok, c.want)
		}
	}
	if _, ok := DecimalArithmeticType(OpAdd, DoubleType, BigIntType); ok {
		t.Error("double is not exact")
	}
}
