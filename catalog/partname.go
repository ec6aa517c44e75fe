package catalog

import (
	"strings"

	"github.com/quarry-sql/quarry/types"
)

// DefaultPartitionName is the folder value Hive writes for a NULL or empty
// partition value.
const DefaultPartitionName = "__HIVE_DEFAULT_PARTITION__"

// PartitionName renders partition values as Hive's k1=v1/k2=v2 path, with
// keys and values escaped by EscapePathName. It is the partition's key in
// the store and the default sub-folder of its location. keys and values
// must have the same length.
func PartitionName(keys []types.Column, values []string) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(EscapePathName(strings.ToLower(k.Name)))
		b.WriteByte('=')
		v := values[i]
		if v == "" {
			v = DefaultPartitionName
		}
		b.WriteString(EscapePathName(v))
	}
	return b.String()
}

// EscapePathName escapes a partition key or value for a folder name the way
// Hive's FileUtils.escapePathName does on Unix, so folders Quarry names
// match those Hive, Spark and Athena write: control characters and
// "#%'*/:=?\{[]^ become %XX.
func EscapePathName(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if needsEscape(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if needsEscape(c) {
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

func needsEscape(c byte) bool {
	if c < 0x20 || c == 0x7f {
		return true
	}
	switch c {
	case '"', '#', '%', '\'', '*', '/', ':', '=', '?', '\\', '{', '[', ']', '^':
		return true
	}
	return false
}

// UnescapePathName reverses EscapePathName. Like Hive it leaves a '%' that
// is not followed by two hex digits as it is, so hand-made folder names
// containing a stray '%' still load.
func UnescapePathName(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if h, ok := unhex(s[i+1]); ok {
				if l, ok := unhex(s[i+2]); ok {
					b = append(b, h<<4|l)
					i += 2
					continue
				}
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
