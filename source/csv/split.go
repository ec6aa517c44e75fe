package csv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"unicode/utf8"
)

// span locates one field in a record's base buffer. Offsets rather than
// slices keep the per-field bookkeeping free of pointers (no GC write
// barriers) and a third of the size.
type span struct{ lo, hi int32 }

// A splitter finds the record at the start of data and splits it into
// fields. It returns the record's length including its terminator and
// the number of physical lines it spans, or ok == false when data holds
// no complete record and more may follow (!atEOF). At most maxFields
// fields are kept (maxFields < 0: all).
type splitter interface {
	next(data []byte, atEOF bool, maxFields int) (n, lines int, ok bool, err error)
	// fieldList returns the last record's fields as spans of base (valid
	// until the next call), whether each is the SerDe's NULL marker (nil:
	// none is), and whether the record is valid UTF-8 as a whole (so its
	// string fields need no check of their own).
	fieldList() (base []byte, fields []span, nulls []bool, utf8OK bool)
}

var errUnterminated = errors.New("unterminated quoted field")

// fieldBytes materialises a record's fields (for header detection).
func fieldBytes(sp splitter) [][]byte {
	base, spans, _, _ := sp.fieldList()
	out := make([][]byte, len(spans))
	for i, s := range spans {
		out[i] = base[s.lo:s.hi]
	}
	return out
}

// lazySplitter implements LazySimpleSerDe's record layout.
type lazySplitter struct {
	delim, lineDelim, esc byte
	hasEsc                bool
	nullFmt               []byte
	stripCR               bool
	base                  []byte
	fields                []span
	nulls                 []bool
	scratch               []byte
	utf8OK                bool
}

func newLazySplitter(o *options) *lazySplitter {
	return &lazySplitter{delim: o.delim, lineDelim: o.lineDelim, esc: o.escape, hasEsc: o.hasEscape,
		nullFmt: o.nullFormat, stripCR: o.lineDelim == '\n'}
}

func (p *lazySplitter) fieldList() ([]byte, []span, []bool, bool) {
	return p.base, p.fields, p.nulls, p.utf8OK
}

func (p *lazySplitter) next(data []byte, atEOF bool, maxFields int) (int, int, bool, error) {
	if len(data) == 0 {
		return 0, 0, false, nil
	}
	n := 0
	rec := data
	if i := bytes.IndexByte(data, p.lineDelim); i >= 0 {
		rec, n = data[:i], i+1
	} else if !atEOF {
		return 0, 0, false, nil
	} else {
		n = len(data)
	}
	if p.stripCR && len(rec) > 0 && rec[len(rec)-1] == '\r' {
		rec = rec[:len(rec)-1]
	}
	p.split(rec, maxFields)
	p.utf8OK = utf8.Valid(rec)
	return n, 1, true, nil
}

func (p *lazySplitter) split(rec []byte, maxFields int) {
	p.fields, p.nulls = p.fields[:0], p.nulls[:0]
	p.base = rec
	if maxFields == 0 {
		return
	}
	if !p.hasEsc || bytes.IndexByte(rec, p.esc) < 0 {
		p.splitPlain(rec, maxFields)
		return
	}
	out := p.scratch[:0]
	i := 0
	for {
		start, ostart := i, len(out)
		for i < len(rec) && rec[i] != p.delim {
			c := rec[i]
			if c == p.esc && i+1 < len(rec) {
				// Hive writes newline and carriage return as \n and \r.
				switch c = rec[i+1]; c {
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				}
				i++
			}
			out = append(out, c)
			i++
		}
		p.fields = append(p.fields, span{int32(ostart), int32(len(out))})
		p.nulls = append(p.nulls, bytes.Equal(rec[start:i], p.nullFmt))
		if i >= len(rec) || len(p.fields) == maxFields {
			break
		}
		i++
	}
	p.scratch = out
	p.base = out
}

const (
	lo7  = 0x7f7f7f7f7f7f7f7f
	hi1  = 0x8080808080808080
	ones = 0x0101010101010101
)

// splitPlain splits a record without escapes. It looks for the delimiter
// eight bytes at a time (SWAR): fields are short, so one pass over the
// record beats a vectorised search per field.
func (p *lazySplitter) splitPlain(rec []byte, maxFields int) {
	pat := uint64(p.delim) * ones
	start := 0
	i := 0
	for ; i+8 <= len(rec); i += 8 {
		x := binary.LittleEndian.Uint64(rec[i:]) ^ pat
		// Exact per-byte zero test: the high bit ends up set only in
		// bytes of x that are zero.
		m := ^(((x & lo7) + lo7) | x) & hi1
		for m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			p.addField(rec, start, j)
			if len(p.fields) == maxFields {
				return
			}
			start = j + 1
			m &= m - 1
		}
	}
	for ; i < len(rec); i++ {
		if rec[i] == p.delim {
			p.addField(rec, start, i)
			if len(p.fields) == maxFields {
				return
			}
			start = i + 1
		}
	}
	p.addField(rec, start, len(rec))
}

func (p *lazySplitter) addField(rec []byte, lo, hi int) {
	p.fields = append(p.fields, span{int32(lo), int32(hi)})
	p.nulls = append(p.nulls, hi-lo == len(p.nullFmt) && string(rec[lo:hi]) == string(p.nullFmt))
}

// openSplitter implements OpenCSVSerde's (opencsv's) record layout. Every
// kept field is copied into scratch, which is then the record's base;
// spans being offsets, scratch may grow while a record is split.
type openSplitter struct {
	sep, quote, esc byte
	hasEsc          bool
	fields          []span
	scratch         []byte
}

func newOpenSplitter(o *options) *openSplitter {
	return &openSplitter{sep: o.delim, quote: o.quote, esc: o.escape, hasEsc: o.hasEscape}
}

func (p *openSplitter) fieldList() ([]byte, []span, []bool, bool) {
	return p.scratch, p.fields, nil, false
}

func (p *openSplitter) next(data []byte, atEOF bool, maxFields int) (n, lines int, ok bool, err error) {
	if len(data) == 0 {
		return 0, 0, false, nil
	}
	p.fields = p.fields[:0]
	out := p.scratch[:0]
	lines = 1
	i := 0
	le := -1 // index of the next '\n' at or after i, or len(data) when none
	lineEnd := func() (int, bool) {
		if le < i {
			if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
				le = i + j
			} else if atEOF {
				le = len(data)
			} else {
				return 0, false
			}
		}
		return le, true
	}
	for {
		store := maxFields < 0 || len(p.fields) < maxFields
		ostart := len(out)
		if i < len(data) && data[i] == p.quote {
			i++
			for {
				rest := data[i:]
				j := bytes.IndexByte(rest, p.quote)
				if p.hasEsc {
					lim := rest
					if j >= 0 {
						lim = rest[:j]
					}
					if k := bytes.IndexByte(lim, p.esc); k >= 0 {
						j = k
					}
				}
				if j < 0 {
					if !atEOF {
						return 0, 0, false, nil
					}
					return 0, lines, false, errUnterminated
				}
				seg := rest[:j]
				lines += bytes.Count(seg, nl)
				if store {
					out = append(out, seg...)
				}
				i += j
				if data[i] == p.quote {
					if i+1 < len(data) && data[i+1] == p.quote {
						out = append(out, p.quote)
						i += 2
						continue
					}
					if i+1 >= len(data) && !atEOF {
						return 0, 0, false, nil // a doubled quote may follow
					}
					i++
					break
				}
				if i+1 >= len(data) {
					if !atEOF {
						return 0, 0, false, nil
					}
					return 0, lines, false, errUnterminated
				}
				if c := data[i+1]; c == p.quote || c == p.esc {
					out = append(out, c)
					i += 2
				} else {
					i++ // opencsv drops a lone escape character
				}
			}
			le = -1
			end, ok := lineEnd()
			if !ok {
				return 0, 0, false, nil
			}
			k := end
			if j := bytes.IndexByte(data[i:end], p.sep); j >= 0 {
				k = i + j
			}
			tail := data[i:k]
			if k == end && len(tail) > 0 && tail[len(tail)-1] == '\r' {
				tail = tail[:len(tail)-1]
			}
			if store {
				out = append(out, tail...)
			}
			i = k
		} else {
			end, ok := lineEnd()
			if !ok {
				return 0, 0, false, nil
			}
			k := end
			if j := bytes.IndexByte(data[i:end], p.sep); j >= 0 {
				k = i + j
			}
			f := data[i:k]
			if k == end && len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			if store {
				if p.hasEsc && bytes.IndexByte(f, p.esc) >= 0 {
					for x := 0; x < len(f); x++ {
						c := f[x]
						if c == p.esc {
							if x+1 < len(f) && (f[x+1] == p.quote || f[x+1] == p.esc) {
								x++
								out = append(out, f[x])
							}
							continue
						}
						out = append(out, c)
					}
				} else {
					out = append(out, f...)
				}
			}
			i = k
		}
		if store {
			p.fields = append(p.fields, span{int32(ostart), int32(len(out))})
		}
		if i < len(data) && data[i] == p.sep {
			i++
			continue
		}
		p.scratch = out
		if i < len(data) {
			return i + 1, lines, true, nil
		}
		return len(data), lines, true, nil
	}
}

var nl = []byte{'\n'}
