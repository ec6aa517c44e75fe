package json

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting so that a document of a million '[' cannot grow
// the goroutine stack until the runtime aborts the process.
const maxDepth = 1000

// errShort reports that the data ended inside a value and more may follow
// (the scanner is not final). Callers read more and scan again.
var errShort = errors.New("data ends inside a value")

// syntaxError is malformed JSON at byte off of the scanned data.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// scanner reads JSON values from one slice that holds a whole record (a
// line, or one element of a json.root array). It validates everything it
// passes over, including values it skips, so a record either converts
// completely or reports where it is malformed.
type scanner struct {
	d []byte
	i int
	// final says d is all there is: running off its end is a syntax error
	// rather than errShort.
	final   bool
	depth   int
	scratch []byte
}

func (s *scanner) reset(d []byte, final bool) {
	s.d, s.i, s.final, s.depth = d, 0, final, 0
}

func (s *scanner) fail(msg string, args ...any) error {
	return &syntaxError{off: s.i, msg: fmt.Sprintf(msg, args...)}
}

func (s *scanner) eod(what string) error {
	if !s.final {
		return errShort
	}
	return s.fail("unexpected end of data %s", what)
}

func (s *scanner) ws() {
	for s.i < len(s.d) {
		switch s.d[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-blank byte without consuming it, or 0 at the
// end of the data.
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.d) {
		return s.d[s.i]
	}
	return 0
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (s *scanner) unexpected(what string) error {
	if s.i >= len(s.d) {
		return s.eod(what)
	}
	return s.fail("unexpected %s %s", describeByte(s.d[s.i]), what)
}

// expect consumes c after optional blanks.
func (s *scanner) expect(c byte, what string) error {
	if s.peek() != c || s.i >= len(s.d) {
		return s.unexpected(what)
	}
	s.i++
	return nil
}

// skip passes over one value, checking its syntax.
func (s *scanner) skip() error {
	switch c := s.peek(); c {
	case '"':
		return s.skipString()
	case '{':
		return s.skipObject()
	case '[':
		return s.skipArray()
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		if c == '-' || c-'0' <= 9 {
			_, _, err := s.number()
			return err
		}
		return s.unexpected("looking for a value")
	}
}

func (s *scanner) enter() error {
	if s.depth++; s.depth > maxDepth {
		return s.fail("nesting deeper than %d levels", maxDepth)
	}
	return nil
}

func (s *scanner) skipObject() error {
	if err := s.enter(); err != nil {
		return err
	}
	s.i++ // '{'
	if s.peek() == '}' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.unexpected("looking for an object key")
		}
		if err := s.skipString(); err != nil {
			return err
		}
		if err := s.expect(':', "after an object key"); err != nil {
			return err
		}
		if err := s.skip(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			s.depth--
			return nil
		default:
			return s.unexpected("after an object value")
		}
	}
}

func (s *scanner) skipArray() error {
	if err := s.enter(); err != nil {
		return err
	}
	s.i++ // '['
	if s.peek() == ']' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if err := s.skip(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			s.depth--
			return nil
		default:
			return s.unexpected("after an array element")
		}
	}
}

func (s *scanner) literal(word string) error {
	if len(s.d)-s.i < len(word) {
		if !s.final && string(s.d[s.i:]) == word[:len(s.d)-s.i] {
			return errShort
		}
		return s.fail("invalid literal, expected %s", word)
	}
	if string(s.d[s.i:s.i+len(word)]) != word {
		return s.fail("invalid literal, expected %s", word)
	}
	s.i += len(word)
	if s.i < len(s.d) && isIdentByte(s.d[s.i]) {
		return s.fail("invalid literal, expected %s", word)
	}
	return nil
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// number checks a JSON number at s.i and returns its text; isInt reports
// that it has neither fraction nor exponent.
func (s *scanner) number() (text []byte, isInt bool, err error) {
	start := s.i
	d := s.d
	i := s.i
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i >= len(d):
		s.i = i
		return nil, false, s.eod("in a number")
	case d[i] == '0':
		i++
	case d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i]-'0' <= 9 {
			i++
		}
	default:
		s.i = i
		return nil, false, s.fail("invalid number")
	}
	isInt = true
	if i < len(d) && d[i] == '.' {
		isInt = false
		i++
		j := i
		for i < len(d) && d[i]-'0' <= 9 {
			i++
		}
		if i == j {
			s.i = i
			if i >= len(d) {
				return nil, false, s.eod("in a number")
			}
			return nil, false, s.fail("invalid number: no digits after the decimal point")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		isInt = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := i
		for i < len(d) && d[i]-'0' <= 9 {
			i++
		}
		if i == j {
			s.i = i
			if i >= len(d) {
				return nil, false, s.eod("in a number")
			}
			return nil, false, s.fail("invalid number: no digits in the exponent")
		}
	}
	s.i = i
	if i >= len(d) && !s.final {
		return nil, false, errShort // more digits may follow
	}
	if i < len(d) && (isIdentByte(d[i]) || d[i] == '.' || d[i] == '+' || d[i] == '-') {
		return nil, false, s.fail("invalid number")
	}
	return d[start:i], isInt, nil
}

// strStop marks the bytes that end the fast scan of a string body.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func (s *scanner) skipString() error {
	s.i++ // opening quote
	d := s.d
	for {
		i := s.i
		for i < len(d) && !strStop[d[i]] {
			i++
		}
		s.i = i
		if i >= len(d) {
			return s.eod("in a string")
		}
		switch c := d[i]; c {
		case '"':
			s.i++
			return nil
		case '\\':
			if _, err := s.escape(); err != nil {
				return err
			}
		default:
			return s.fail("control character 0x%02x in a string", c)
		}
	}
}

// str reads a string at s.i (which holds '"') and returns its decoded
// bytes, aliasing the data when it has no escapes and the scanner's
// scratch space otherwise; valid until the next call. The result may hold
// invalid UTF-8 copied from the input; callers that store it repair it.
func (s *scanner) str() ([]byte, error) {
	s.i++
	d := s.d
	start := s.i
	i := s.i
	for i < len(d) && !strStop[d[i]] {
		i++
	}
	if i < len(d) && d[i] == '"' {
		s.i = i + 1
		return d[start:i], nil
	}
	out := append(s.scratch[:0], d[start:i]...)
	s.i = i
	for {
		if s.i >= len(d) {
			return nil, s.eod("in a string")
		}
		switch c := d[s.i]; c {
		case '"':
			s.i++
			s.scratch = out
			return out, nil
		case '\\':
			r, err := s.escape()
			if err != nil {
				return nil, err
			}
			out = utf8.AppendRune(out, r)
		default:
			if c < 0x20 {
				return nil, s.fail("control character 0x%02x in a string", c)
			}
			j := s.i
			for j < len(d) && !strStop[d[j]] {
				j++
			}
			out = append(out, d[s.i:j]...)
			s.i = j
		}
	}
}

// escape decodes the escape sequence at s.i (a backslash). A \u escape
// of a lone surrogate decodes to U+FFFD, as other readers do.
func (s *scanner) escape() (rune, error) {
	d := s.d
	if s.i+1 >= len(d) {
		return 0, s.eod("in a string escape")
	}
	c := d[s.i+1]
	s.i += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, err := s.hex4()
		if err != nil {
			return 0, err
		}
		if utf16.IsSurrogate(r) {
			if s.i+1 < len(d) && d[s.i] == '\\' && d[s.i+1] == 'u' {
				save := s.i
				s.i += 2
				r2, err := s.hex4()
				if err != nil {
					return 0, err
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return dec, nil
				}
				s.i = save
			} else if s.i+1 >= len(d) && !s.final {
				return 0, errShort
			}
			return utf8.RuneError, nil
		}
		return r, nil
	}
	s.i -= 1
	return 0, s.fail("invalid escape \\%s in a string", describeByte(c))
}

func (s *scanner) hex4() (rune, error) {
	d := s.d
	if len(d)-s.i < 4 {
		return 0, s.eod("in a \\u escape")
	}
	var r rune
	for k := 0; k < 4; k++ {
		c := d[s.i+k]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			s.i += k
			return 0, s.fail("invalid \\u escape")
		}
	}
	s.i += 4
	return r, nil
}
