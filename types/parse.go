package types

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse reads a type name in either Trino spelling (varchar(10),
// array(row(a integer)), timestamp(6) with time zone, decimal(15,2)) or Hive
// spelling (string, int, array<struct<a:int>>, map<string,int>). Names are
// case-insensitive.
func Parse(s string) (Type, error) {
	p := &typeParser{src: s}
	p.next()
	t, err := p.parse()
	if err != nil {
		return Type{}, err
	}
	if p.tok != "" {
		return Type{}, fmt.Errorf("unexpected %q after type in %q", p.tok, s)
	}
	return t, nil
}

// MustParse is Parse for types known to be valid; it panics otherwise.
func MustParse(s string) Type {
	t, err := Parse(s)
	if err != nil {
		panic("BUG: " + err.Error())
	}
	return t
}

type typeParser struct {
	src string
	pos int
	tok string
}

func (p *typeParser) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
	if p.pos >= len(p.src) {
		p.tok = ""
		return
	}
	c := p.src[p.pos]
	switch {
	case c == '"' || c == '`':
		end := p.pos + 1
		for end < len(p.src) && p.src[end] != c {
			end++
		}
		p.tok = p.src[p.pos:min(end+1, len(p.src))]
		p.pos = min(end+1, len(p.src))
	case isIdentByte(c):
		end := p.pos
		for end < len(p.src) && isIdentByte(p.src[end]) {
			end++
		}
		p.tok = p.src[p.pos:end]
		p.pos = end
	default:
		p.tok = p.src[p.pos : p.pos+1]
		p.pos++
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '$'
}

func (p *typeParser) expect(tok string) error {
	if p.tok != tok {
		if p.tok == "" {
			return fmt.Errorf("expected %q at end of type %q", tok, p.src)
		}
		return fmt.Errorf("expected %q, found %q in type %q", tok, p.tok, p.src)
	}
	p.next()
	return nil
}

func (p *typeParser) int() (int, error) {
	n, err := strconv.Atoi(p.tok)
	if err != nil {
		return 0, fmt.Errorf("expected a number, found %q in type %q", p.tok, p.src)
	}
	p.next()
	return n, nil
}

// optParam parses an optional "(n)".
func (p *typeParser) optParam(def int) (int, error) {
	if p.tok != "(" {
		return def, nil
	}
	p.next()
	n, err := p.int()
	if err != nil {
		return 0, err
	}
	return n, p.expect(")")
}

func (p *typeParser) parse() (Type, error) {
	name := strings.ToLower(p.tok)
	if name == "" {
		return Type{}, fmt.Errorf("missing type name in %q", p.src)
	}
	p.next()
	switch name {
	case "boolean", "bool":
		return BooleanType, nil
	case "tinyint":
		return TinyIntType, nil
	case "smallint":
		return SmallIntType, nil
	case "int", "integer":
		return IntegerType, nil
	case "bigint":
		return BigIntType, nil
	case "real", "float":
		return RealType, nil
	case "double":
		if strings.EqualFold(p.tok, "precision") {
			p.next()
		}
		return DoubleType, nil
	case "decimal", "numeric":
		prec, scale := 38, 0
		if name == "decimal" && p.tok != "(" {
			// Hive's bare decimal is decimal(10,0).
			prec = 10
		}
		if p.tok == "(" {
			p.next()
			var err error
			if prec, err = p.int(); err != nil {
				return Type{}, err
			}
			if p.tok == "," {
				p.next()
				if scale, err = p.int(); err != nil {
					return Type{}, err
				}
			}
			if err := p.expect(")"); err != nil {
				return Type{}, err
			}
		}
		if prec < 1 || prec > MaxDecimalPrecision {
			return Type{}, fmt.Errorf("decimal precision must be between 1 and %d: %d", MaxDecimalPrecision, prec)
		}
		if scale < 0 || scale > prec {
			return Type{}, fmt.Errorf("decimal scale must be between 0 and the precision %d: %d", prec, scale)
		}
		return DecimalOf(prec, scale), nil
	case "string":
		return VarcharType, nil
	case "varchar":
		n, err := p.optParam(0)
		if err != nil {
			return Type{}, err
		}
		if p.tok == "(" || n < 0 {
			return Type{}, fmt.Errorf("bad varchar length in %q", p.src)
		}
		return VarcharOf(n), nil
	case "char", "character":
		n, err := p.optParam(1)
		if err != nil {
			return Type{}, err
		}
		return Type{Kind: Char, Length: n}, nil
	case "varbinary", "binary":
		return Type{Kind: Varbinary}, nil
	case "date":
		return DateType, nil
	case "json":
		return JSONType, nil
	case "time":
		prec, err := p.optParam(3)
		if err != nil {
			return Type{}, err
		}
		if err := p.optWithoutTimeZone(); err != nil {
			return Type{}, err
		}
		return Type{Kind: Time, Precision: prec}, nil
	case "timestamp":
		prec, err := p.optParam(3)
		if err != nil {
			return Type{}, err
		}
		if prec < 0 || prec > 12 {
			return Type{}, fmt.Errorf("timestamp precision must be between 0 and 12: %d", prec)
		}
		if strings.EqualFold(p.tok, "with") {
			p.next()
			if err := p.words("time", "zone"); err != nil {
				return Type{}, err
			}
			return Type{Kind: TimestampTZ, Precision: prec}, nil
		}
		if err := p.optWithoutTimeZone(); err != nil {
			return Type{}, err
		}
		return Type{Kind: Timestamp, Precision: prec}, nil
	case "interval":
		from := strings.ToLower(p.tok)
		p.next()
		if err := p.words("to"); err != nil {
			return Type{}, err
		}
		to := strings.ToLower(p.tok)
		p.next()
		switch {
		case from == "day" && to == "second":
			return IntervalDTType, nil
		case from == "year" && to == "month":
			return IntervalYMType, nil
		}
		return Type{}, fmt.Errorf("unknown interval type in %q", p.src)
	case "array":
		closeTok, err := p.open()
		if err != nil {
			return Type{}, err
		}
		elem, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		return ArrayOf(elem), p.expect(closeTok)
	case "map":
		closeTok, err := p.open()
		if err != nil {
			return Type{}, err
		}
		k, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		if err := p.expect(","); err != nil {
			return Type{}, err
		}
		v, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		return MapOf(k, v), p.expect(closeTok)
	case "row", "struct":
		closeTok, err := p.open()
		if err != nil {
			return Type{}, err
		}
		var fields []Field
		for {
			fname := p.tok
			if fname == "" {
				return Type{}, fmt.Errorf("unterminated %s type in %q", name, p.src)
			}
			quoted := fname[0] == '"' || fname[0] == '`'
			if quoted {
				fname = fname[1 : len(fname)-1]
			}
			pos, tok := p.pos, p.tok
			p.next()
			if !quoted && (p.tok == "," || p.tok == closeTok || p.tok == "(" || p.tok == "<") {
				// An anonymous field, as typeof prints row(integer, varchar(1)):
				// the word was the type itself.
				p.pos, p.tok, fname = pos, tok, ""
			} else if p.tok == ":" { // Hive struct<a:int>
				p.next()
			}
			ft, err := p.parse()
			if err != nil {
				return Type{}, err
			}
			fields = append(fields, Field{Name: fname, Type: ft})
			if p.tok != "," {
				break
			}
			p.next()
		}
		return RowOf(fields...), p.expect(closeTok)
	}
	return Type{}, fmt.Errorf("unknown type %q", name)
}

func (p *typeParser) open() (string, error) {
	switch p.tok {
	case "(":
		p.next()
		return ")", nil
	case "<":
		p.next()
		return ">", nil
	}
	return "", fmt.Errorf("expected ( or < in type %q", p.src)
}

func (p *typeParser) words(ws ...string) error {
	for _, w := range ws {
		if !strings.EqualFold(p.tok, w) {
			return fmt.Errorf("expected %q, found %q in type %q", w, p.tok, p.src)
		}
		p.next()
	}
	return nil
}

func (p *typeParser) optWithoutTimeZone() error {
	if strings.EqualFold(p.tok, "without") {
		p.next()
		return p.words("time", "zone")
	}
	return nil
}
