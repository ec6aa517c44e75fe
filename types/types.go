package types

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the Trino type family of a value.
type Kind uint8

const (
	Unknown Kind = iota // the type of a bare NULL literal; coerces to anything
	Boolean
	TinyInt
	SmallInt
	Integer
	BigInt
	Real
	Double
	Decimal
	Varchar
	Char
	Varbinary
	Date
	Time
	Timestamp
	TimestampTZ
	IntervalDayTime
	IntervalYearMonth
	JSON
	Array
	Map
	Row
)

// MaxShortDecimalPrecision is the largest precision held as a scaled int64
// (Trino's "short decimal"); wider decimals use 128-bit storage.
const MaxShortDecimalPrecision = 18

// MaxDecimalPrecision is Trino's decimal precision limit.
const MaxDecimalPrecision = 38

// Type is a Trino SQL type. The zero value is Unknown. Types are values:
// compare them with Equal, not ==, because nested types hold pointers.
type Type struct {
	Kind Kind
	// Precision is the decimal precision, or the fractional-second
	// precision of time and timestamp types.
	Precision int
	// Scale is the decimal scale.
	Scale int
	// Length bounds varchar(n) and char(n); 0 means unbounded varchar.
	Length int
	// Elem is the element type of an array or the value type of a map.
	Elem *Type
	// Key is the key type of a map.
	Key *Type
	// Fields are the fields of a row type.
	Fields []Field
	// Zone is the time zone of a timestamp with time zone: a canonical zone
	// name (see LoadZone), or "" for the session zone. It is static: all
	// values of an expression share it (see zone.go).
	Zone string
}

// Field is one named field of a row type.
type Field struct {
	Name string
	Type Type
}

// Frequently used types.
var (
	UnknownType  = Type{Kind: Unknown}
	BooleanType  = Type{Kind: Boolean}
	TinyIntType  = Type{Kind: TinyInt}
	SmallIntType = Type{Kind: SmallInt}
	IntegerType  = Type{Kind: Integer}
	BigIntType   = Type{Kind: BigInt}
	RealType     = Type{Kind: Real}
	DoubleType   = Type{Kind: Double}
	VarcharType  = Type{Kind: Varchar}
	VarbinaryTyp = Type{Kind: Varbinary}
	DateType     = Type{Kind: Date}
	JSONType     = Type{Kind: JSON}
	// TimestampType is timestamp(3), Trino's default precision.
	TimestampType   = Type{Kind: Timestamp, Precision: 3}
	TimestampTZType = Type{Kind: TimestampTZ, Precision: 3}
	IntervalDTType  = Type{Kind: IntervalDayTime}
	IntervalYMType  = Type{Kind: IntervalYearMonth}
)

// DecimalOf returns decimal(p,s).
func DecimalOf(p, s int) Type { return Type{Kind: Decimal, Precision: p, Scale: s} }

// VarcharOf returns varchar(n); n == 0 is unbounded varchar.
func VarcharOf(n int) Type { return Type{Kind: Varchar, Length: n} }

// ArrayOf returns array(elem).
func ArrayOf(elem Type) Type { return Type{Kind: Array, Elem: &elem} }

// MapOf returns map(key, value).
func MapOf(key, value Type) Type { return Type{Kind: Map, Key: &key, Elem: &value} }

// RowOf returns row(fields...).
func RowOf(fields ...Field) Type { return Type{Kind: Row, Fields: fields} }

// IsShortDecimal reports whether t is a decimal held as a scaled int64.
func (t Type) IsShortDecimal() bool {
	return t.Kind == Decimal && t.Precision <= MaxShortDecimalPrecision
}

// IsInteger reports whether t is one of the exact integer types.
func (t Type) IsInteger() bool {
	switch t.Kind {
	case TinyInt, SmallInt, Integer, BigInt:
		return true
	}
	return false
}

// IsNumeric reports whether t is an integer, decimal or floating type.
func (t Type) IsNumeric() bool {
	return t.IsInteger() || t.Kind == Decimal || t.Kind == Real || t.Kind == Double
}

// IsString reports whether t is varchar or char.
func (t Type) IsString() bool { return t.Kind == Varchar || t.Kind == Char }

// IsOrderable reports whether values of t can be compared with < and >.
func (t Type) IsOrderable() bool {
	switch t.Kind {
	case Map, JSON:
		return false
	case Array:
		return t.Elem.IsOrderable()
	case Row:
		for _, f := range t.Fields {
			if !f.Type.IsOrderable() {
				return false
			}
		}
	}
	return true
}

// Equal reports whether two types are identical, including parameters.
func (t Type) Equal(o Type) bool {
	if t.Kind != o.Kind || t.Precision != o.Precision || t.Scale != o.Scale || t.Length != o.Length || t.Zone != o.Zone {
		return false
	}
	if (t.Elem == nil) != (o.Elem == nil) || (t.Key == nil) != (o.Key == nil) || len(t.Fields) != len(o.Fields) {
		return false
	}
	if t.Elem != nil && !t.Elem.Equal(*o.Elem) {
		return false
	}
	if t.Key != nil && !t.Key.Equal(*o.Key) {
		return false
	}
	for i := range t.Fields {
		if !strings.EqualFold(t.Fields[i].Name, o.Fields[i].Name) || !t.Fields[i].Type.Equal(o.Fields[i].Type) {
			return false
		}
	}
	return true
}

// String renders the type as Trino spells it, e.g. decimal(15,2), array(varchar).
func (t Type) String() string {
	switch t.Kind {
	case Unknown:
		return "unknown"
	case Boolean:
		return "boolean"
	case TinyInt:
		return "tinyint"
	case SmallInt:
		return "smallint"
	case Integer:
		return "integer"
	case BigInt:
		return "bigint"
	case Real:
		return "real"
	case Double:
		return "double"
	case Decimal:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case Varchar:
		if t.Length > 0 {
			return fmt.Sprintf("varchar(%d)", t.Length)
		}
		return "varchar"
	case Char:
		return fmt.Sprintf("char(%d)", max(t.Length, 1))
	case Varbinary:
		return "varbinary"
	case Date:
		return "date"
	case Time:
		return fmt.Sprintf("time(%d)", t.Precision)
	case Timestamp:
		return fmt.Sprintf("timestamp(%d)", t.Precision)
	case TimestampTZ:
		return fmt.Sprintf("timestamp(%d) with time zone", t.Precision)
	case IntervalDayTime:
		return "interval day to second"
	case IntervalYearMonth:
		return "interval year to month"
	case JSON:
		return "json"
	case Array:
		return "array(" + t.Elem.String() + ")"
	case Map:
		return "map(" + t.Key.String() + ", " + t.Elem.String() + ")"
	case Row:
		var b strings.Builder
		b.WriteString("row(")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			if f.Name != "" {
				b.WriteString(quoteFieldName(f.Name))
				b.WriteByte(' ')
			}
			b.WriteString(f.Type.String())
		}
		b.WriteByte(')')
		return b.String()
	}
	return fmt.Sprintf("kind(%d)", t.Kind)
}

// HiveString renders the type in Hive DDL spelling (string, int,
// array<struct<a:int>>), as SHOW CREATE TABLE prints it.
func (t Type) HiveString() string {
	switch t.Kind {
	case TinyInt:
		return "tinyint"
	case SmallInt:
		return "smallint"
	case Integer:
		return "int"
	case Real:
		return "float"
	case Varchar:
		if t.Length > 0 {
			return fmt.Sprintf("varchar(%d)", t.Length)
		}
		return "string"
	case Varbinary:
		return "binary"
	case Timestamp:
		return "timestamp"
	case Array:
		return "array<" + t.Elem.HiveString() + ">"
	case Map:
		return "map<" + t.Key.HiveString() + "," + t.Elem.HiveString() + ">"
	case Row:
		var b strings.Builder
		b.WriteString("struct<")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.Name)
			b.WriteByte(':')
			b.WriteString(f.Type.HiveString())
		}
		b.WriteByte('>')
		return b.String()
	}
	return t.String()
}

func quoteFieldName(s string) string {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
	}
	return s
}

// Arrow returns the Arrow data type that holds values of t in batches.
//
// The mapping is a contract relied on by every reader and kernel:
// decimals of precision ≤ 18 are Decimal64 (a scaled int64), wider ones
// Decimal128; varchar, char and json are String; date is Date32;
// time is Time64(µs); timestamps are Timestamp(µs) (with time zone: UTC
// instants, Arrow zone "UTC" whatever Type.Zone is, so that changing a
// value's zone relabels the type without touching the array and arrays of
// any two zones combine); interval day to second is Duration(ms); interval
// year to month is MonthInterval (int32 months).
func (t Type) Arrow() arrow.DataType {
	switch t.Kind {
	case Unknown:
		return arrow.Null
	case Boolean:
		return arrow.FixedWidthTypes.Boolean
	case TinyInt:
		return arrow.PrimitiveTypes.Int8
	case SmallInt:
		return arrow.PrimitiveTypes.Int16
	case Integer:
		return arrow.PrimitiveTypes.Int32
	case BigInt:
		return arrow.PrimitiveTypes.Int64
	case Real:
		return arrow.PrimitiveTypes.Float32
	case Double:
		return arrow.PrimitiveTypes.Float64
	case Decimal:
		if t.Precision <= MaxShortDecimalPrecision {
			return &arrow.Decimal64Type{Precision: int32(t.Precision), Scale: int32(t.Scale)}
		}
		return &arrow.Decimal128Type{Precision: int32(t.Precision), Scale: int32(t.Scale)}
	case Varchar, Char, JSON:
		return arrow.BinaryTypes.String
	case Varbinary:
		return arrow.BinaryTypes.Binary
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Time:
		return arrow.FixedWidthTypes.Time64us
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case TimestampTZ:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case IntervalDayTime:
		return arrow.FixedWidthTypes.Duration_ms
	case IntervalYearMonth:
		return arrow.FixedWidthTypes.MonthInterval
	case Array:
		return arrow.ListOf(t.Elem.Arrow())
	case Map:
		return arrow.MapOf(t.Key.Arrow(), t.Elem.Arrow())
	case Row:
		fs := make([]arrow.Field, len(t.Fields))
		for i, f := range t.Fields {
			fs[i] = arrow.Field{Name: f.Name, Type: f.Type.Arrow(), Nullable: true}
		}
		return arrow.StructOf(fs...)
	}
	panic(fmt.Sprintf("BUG: no arrow type for %v", t))
}

// Column is a named, typed column of a relation.
type Column struct {
	Name    string
	Type    Type
	Comment string
}

// Schema returns the Arrow schema for a list of columns.
func Schema(cols []Column) *arrow.Schema {
	fs := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fs[i] = arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true}
	}
	return arrow.NewSchema(fs, nil)
}
