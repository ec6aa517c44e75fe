package types

import "strings"

// Trino's implicit coercions. The binder asks CommonSuperType when two
// operands (of an operator, a CASE, a UNION, IN) must agree, and CanCoerce
// when a value is passed where a given type is expected. Anything not
// covered here needs an explicit CAST, as in Trino.

// integerDigits is the decimal precision that holds every value of an
// integer type (Trino treats bigint as decimal(19,0) when mixed with decimals).
func integerDigits(k Kind) int {
	switch k {
	case TinyInt:
		return 3
	case SmallInt:
		return 5
	case Integer:
		return 10
	case BigInt:
		return 19
	}
	return 0
}

// AsDecimal returns the decimal type that holds every value of an integer
// or decimal type t; ok is false for other types.
func AsDecimal(t Type) (Type, bool) {
	if t.Kind == Decimal {
		return t, true
	}
	if d := integerDigits(t.Kind); d > 0 {
		return DecimalOf(d, 0), true
	}
	return Type{}, false
}

func intRank(k Kind) int {
	switch k {
	case TinyInt:
		return 1
	case SmallInt:
		return 2
	case Integer:
		return 3
	case BigInt:
		return 4
	}
	return 0
}

func isTimestampKind(k Kind) bool { return k == Timestamp || k == TimestampTZ }

// CommonSuperType returns the narrowest type both a and b coerce to
// implicitly, following Trino: unknown yields the other type, integers
// widen, integers mixed with decimals become decimals wide enough for both,
// exact numbers mixed with real become real and anything numeric with
// double becomes double, varchar lengths take the larger (unbounded wins),
// char with varchar is varchar, date with timestamp is timestamp, and
// containers combine element-wise.
func CommonSuperType(a, b Type) (Type, bool) {
	if a.Kind == Unknown {
		return b, true
	}
	if b.Kind == Unknown {
		return a, true
	}
	if a.Equal(b) {
		return a, true
	}
	switch {
	case a.IsNumeric() && b.IsNumeric():
		return numericSuper(a, b), true
	case a.IsString() && b.IsString():
		if a.Kind == Char && b.Kind == Char {
			return Type{Kind: Char, Length: max(a.Length, b.Length)}, true
		}
		if a.Kind == Varchar && a.Length == 0 || b.Kind == Varchar && b.Length == 0 {
			return VarcharType, true
		}
		return VarcharOf(max(a.Length, b.Length)), true
	case a.Kind == Date && isTimestampKind(b.Kind):
		return b, true
	case b.Kind == Date && isTimestampKind(a.Kind):
		return a, true
	case isTimestampKind(a.Kind) && isTimestampKind(b.Kind):
		k := Timestamp
		zone := ""
		if a.Kind == TimestampTZ || b.Kind == TimestampTZ {
			k = TimestampTZ
			// Values are instants, so two zones meet in the session zone;
			// one zone on both sides is kept.
			if a.Kind == b.Kind && a.Zone == b.Zone {
				zone = a.Zone
			}
		}
		return Type{Kind: k, Precision: max(a.Precision, b.Precision), Zone: zone}, true
	case a.Kind == Time && b.Kind == Time:
		return Type{Kind: Time, Precision: max(a.Precision, b.Precision)}, true
	case a.Kind == Array && b.Kind == Array:
		e, ok := CommonSuperType(*a.Elem, *b.Elem)
		if !ok {
			return Type{}, false
		}
		return ArrayOf(e), true
	case a.Kind == Map && b.Kind == Map:
		k, ok := CommonSuperType(*a.Key, *b.Key)
		if !ok {
			return Type{}, false
		}
		v, ok := CommonSuperType(*a.Elem, *b.Elem)
		if !ok {
			return Type{}, false
		}
		return MapOf(k, v), true
	case a.Kind == Row && b.Kind == Row:
		if len(a.Fields) != len(b.Fields) {
			return Type{}, false
		}
		fs := make([]Field, len(a.Fields))
		for i := range a.Fields {
			t, ok := CommonSuperType(a.Fields[i].Type, b.Fields[i].Type)
			if !ok {
				return Type{}, false
			}
			// Names survive only where both sides agree, so the result
			// does not depend on operand order.
			name := a.Fields[i].Name
			if !strings.EqualFold(name, b.Fields[i].Name) {
				name = ""
			}
			fs[i] = Field{Name: name, Type: t}
		}
		return RowOf(fs...), true
	}
	return Type{}, false
}

func numericSuper(a, b Type) Type {
	switch {
	case a.Kind == Double || b.Kind == Double:
		return DoubleType
	case a.Kind == Real || b.Kind == Real:
		return RealType
	case a.Kind == Decimal || b.Kind == Decimal:
		da, _ := AsDecimal(a)
		db, _ := AsDecimal(b)
		s := max(da.Scale, db.Scale)
		ip := max(da.Precision-da.Scale, db.Precision-db.Scale)
		return DecimalOf(min(MaxDecimalPrecision, ip+s), s)
	}
	if intRank(a.Kind) >= intRank(b.Kind) {
		return a
	}
	return b
}

// CanCoerce reports whether a value of type from may be used where to is
// expected without an explicit CAST.
func CanCoerce(from, to Type) bool {
	if from.Kind == Unknown || from.Equal(to) {
		return true
	}
	switch {
	case from.IsInteger() && to.Kind == Decimal, from.Kind == Decimal && to.Kind == Decimal:
		// Unlike CommonSuperType, which clamps at 38 digits, a coercion
		// must not lose integer digits or scale.
		d, _ := AsDecimal(from)
		return to.Scale >= d.Scale && to.Precision-to.Scale >= d.Precision-d.Scale
	case from.Kind == Varchar && to.Kind == Varchar:
		return to.Length == 0 || from.Length > 0 && from.Length <= to.Length
	case from.Kind == Char && to.Kind == Varchar:
		return to.Length == 0 || to.Length >= max(from.Length, 1)
	case from.Kind == TimestampTZ && to.Kind == TimestampTZ:
		// A change of zone keeps the instant: any zone coerces to any other.
		return to.Precision >= from.Precision
	case from.Kind == Array && to.Kind == Array:
		return CanCoerce(*from.Elem, *to.Elem)
	case from.Kind == Map && to.Kind == Map:
		return CanCoerce(*from.Key, *to.Key) && CanCoerce(*from.Elem, *to.Elem)
	case from.Kind == Row && to.Kind == Row:
		if len(from.Fields) != len(to.Fields) {
			return false
		}
		for i := range from.Fields {
			if !CanCoerce(from.Fields[i].Type, to.Fields[i].Type) {
				return false
			}
		}
		return true
	}
	s, ok := CommonSuperType(from, to)
	return ok && s.Equal(to)
}

// ArithOp names a binary arithmetic operator for DecimalArithmeticType.
type ArithOp uint8

const (
	OpAdd ArithOp = iota
	OpSubtract
	OpMultiply
	OpDivide
	OpModulus
)

// DecimalArithmeticType returns Trino's result type of a op b for decimal
// operands (integers are first widened with AsDecimal):
//
//   - -  decimal(min(38, 1 + max(p1-s1, p2-s2) + max(s1,s2)), max(s1,s2))
//   - decimal(min(38, p1+p2), s1+s2)
//     /    decimal(min(38, p1 + s2 + max(0, s2-s1)), max(s1,s2))
//     %    decimal(min(p1-s1, p2-s2) + max(s1,s2), max(s1,s2))
//
// ok is false when an operand is not exact or the product's scale exceeds 38.
func DecimalArithmeticType(op ArithOp, a, b Type) (Type, bool) {
	da, ok1 := AsDecimal(a)
	db, ok2 := AsDecimal(b)
	if !ok1 || !ok2 {
		return Type{}, false
	}
	p1, s1, p2, s2 := da.Precision, da.Scale, db.Precision, db.Scale
	switch op {
	case OpAdd, OpSubtract:
		return DecimalOf(min(MaxDecimalPrecision, 1+max(p1-s1, p2-s2)+max(s1, s2)), max(s1, s2)), true
	case OpMultiply:
		if s1+s2 > MaxDecimalPrecision {
			return Type{}, false
		}
		return DecimalOf(min(MaxDecimalPrecision, p1+p2), s1+s2), true
	case OpDivide:
		return DecimalOf(min(MaxDecimalPrecision, p1+s2+max(0, s2-s1)), max(s1, s2)), true
	case OpModulus:
		return DecimalOf(min(MaxDecimalPrecision, min(p1-s1, p2-s2)+max(s1, s2)), max(s1, s2)), true
	}
	return Type{}, false
}
