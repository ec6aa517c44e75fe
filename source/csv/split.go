package csv

import (
	"bytes"
	"errors"
)

// A splitter finds the record at the start of data and splits it into
// fields. It returns the record's length including its terminator and
// the number of physical lines it spans, or ok == false when data holds
// no complete record and more may follow (!atEOF). At most maxFields
// fields are kept (maxFields < 0: all). Field slices alias data or the
// splitter's scratch space and are valid until the next call.
type splitter interface {
	next(data []byte, atEOF bool, maxFields int) (n, lines int, ok bool, err error)
	fieldList() [][]byte
	// isNull reports whether field i is the SerDe's NULL marker.
	isNull(i int) bool
}

var errUnterminated = errors.New("unterminated quoted field")

// lazySplitter implements LazySimpleSerDe's record layout.
type lazySplitter struct {
	delim, lineDelim, esc byte
	hasEsc                bool
	nullFmt               []byte
	stripCR               bool
	fields                [][]byte
	nulls                 []bool
	scratch               []byte
}

func newLazySplitter(o *options) *lazySplitter {
	return &lazySplitter{delim: o.delim, lineDelim: o.lineDelim, esc: o.escape, hasEsc: o.hasEscape,
		nullFmt: o.nullFormat, stripCR: o.lineDelim == '\n'}
}

func (p *lazySplitter) fieldList() [][]byte { return p.fields }
func (p *lazySplitter) isNull(i int) bool   { return p.nulls[i] }

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
	return n, 1, true, nil
}

func (p *lazySplitter) split(rec []byte, maxFields int) {
	p.fields, p.nulls = p.fields[:0], p.nulls[:0]
	if maxFields == 0 {
		return
	}
	if !p.hasEsc || bytes.IndexByte(rec, p.esc) < 0 {
		for {
			j := indexShort(rec, p.delim)
			f := rec
			if j >= 0 {
				f = rec[:j]
			}
			p.fields = append(p.fields, f)
			p.nulls = append(p.nulls, len(f) == len(p.nullFmt) && bytes.Equal(f, p.nullFmt))
			if j < 0 || len(p.fields) == maxFields {
				return
			}
			rec = rec[j+1:]
		}
	}
	// Unescaped text is never longer than the record, so a scratch of
	// that capacity never reallocates under the field slices.
	if cap(p.scratch) < len(rec) {
		p.scratch = make([]byte, 0, len(rec)+len(rec)/2)
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
		raw := rec[start:i]
		p.fields = append(p.fields, out[ostart:len(out):len(out)])
		p.nulls = append(p.nulls, bytes.Equal(raw, p.nullFmt))
		if i >= len(rec) || len(p.fields) == maxFields {
			break
		}
		i++
	}
	p.scratch = out
}

// openSplitter implements OpenCSVSerde's (opencsv's) record layout.
type openSplitter struct {
	sep, quote, esc byte
	hasEsc          bool
	fields          [][]byte
	scratch         []byte
}

func newOpenSplitter(o *options) *openSplitter {
	return &openSplitter{sep: o.delim, quote: o.quote, esc: o.escape, hasEsc: o.hasEscape}
}

func (p *openSplitter) fieldList() [][]byte { return p.fields }
func (p *openSplitter) isNull(int) bool     { return false }

func (p *openSplitter) next(data []byte, atEOF bool, maxFields int) (n, lines int, ok bool, err error) {
	if len(data) == 0 {
		return 0, 0, false, nil
	}
	p.fields = p.fields[:0]
	if cap(p.scratch) < len(data) {
		p.scratch = make([]byte, 0, len(data)+len(data)/2)
	}
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
		var f []byte
		if i < len(data) && data[i] == p.quote {
			i++
			ostart := len(out)
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
				f = out[ostart:len(out):len(out)]
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
			f = data[i:k]
			if k == end && len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			if store && p.hasEsc && bytes.IndexByte(f, p.esc) >= 0 {
				ostart := len(out)
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
				f = out[ostart:len(out):len(out)]
			}
			i = k
		}
		if store {
			p.fields = append(p.fields, f)
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

// indexShort is bytes.IndexByte tuned for fields, which are mostly short:
// a plain loop over the first bytes beats the vector routine's setup.
func indexShort(b []byte, c byte) int {
	n := min(len(b), 16)
	for i := 0; i < n; i++ {
		if b[i] == c {
			return i
		}
	}
	if n == len(b) {
		return -1
	}
	if j := bytes.IndexByte(b[n:], c); j >= 0 {
		return n + j
	}
	return -1
}
