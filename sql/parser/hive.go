package parser

import "strings"

// HiveUnescape decodes the backslash escapes Hive applies to string
// literals in DDL: \\ \' \" \n \t \r \b \0 \Z, three-digit octal \ooo (as
// in FIELDS TERMINATED BY '\001') and \uXXXX. A backslash before any other
// character stands for that character; a trailing lone backslash is kept.
func HiveUnescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		c = s[i]
		switch c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'Z':
			b.WriteByte(0x1a)
		case 'u':
			if i+4 < len(s) && isHex4(s[i+1:i+5]) {
				r := rune(0)
				for _, h := range []byte(s[i+1 : i+5]) {
					r = r<<4 | rune(unhex(h))
				}
				b.WriteRune(r)
				i += 4
			} else {
				b.WriteByte('u')
			}
		case '0', '1', '2', '3':
			if i+2 < len(s) && isOct(s[i+1]) && isOct(s[i+2]) {
				b.WriteByte((c-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
				i += 2
			} else if c == '0' {
				b.WriteByte(0)
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isOct(c byte) bool { return c >= '0' && c <= '7' }

func isHex4(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexRune(rune(s[i])) {
			return false
		}
	}
	return true
}
