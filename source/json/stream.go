package json

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/compress"
)

// chunkBytes is the read size: large enough that IndexByte runs long and
// records rarely straddle a refill.
const chunkBytes = 1 << 20

type layout uint8

const (
	undecided layout = iota
	lines            // one JSON object per line
	document         // rows are the elements of an array inside one document
)

// stream is one logical file: the decompressed bytes of an object or of
// one zip entry.
type stream struct {
	name      string
	r         io.Reader
	closers   []io.Closer
	eof       bool
	pos, end  int   // unread bytes are buf[pos:end]
	base      int64 // stream offset of buf[0]
	line      int64 // line number of the next line (lines layout)
	lineKnown bool
	limit     int64 // lines starting at or past limit belong to the next split; -1: none
	skipTo    bool  // a byte range: the first line begins after the first newline
	sizeHint  int64
	layout    layout
	doc       docState
}

// record is one row's JSON text, valid until the next call to next.
type record struct {
	data []byte
	off  int64 // stream offset of data[0]
	line int64 // 0 when unknown
	elem int64 // index in the json.root array (document layout)
}

// records yields the records of a split: the lines of a JSON-lines file,
// or the elements of the json.root array of each document, across the
// entries of a zip archive.
type records struct {
	ctx     context.Context
	req     *source.Request
	opt     *options
	stats   *source.Stats
	buf     []byte
	pending []func() (*stream, error)
	st      *stream
	closers []io.Closer
	sc      scanner
}

// countingReaderAt adds bytes read at random offsets (zip archives) to
// the scan's BytesRead.
type countingReaderAt struct {
	r io.ReaderAt
	n *atomic.Int64
}

func (c countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// headBytes is how far a range reader looks for the first byte of a file
// to tell a JSON-lines file from one array document.
const headBytes = 64 << 10

func (rs *records) open() error {
	req := rs.req
	loc := req.File.Location
	sp := req.Split
	if sp.Offset > 0 {
		// Ranges only exist for JSON-lines layouts, but the bytes decide:
		// a compressed file, or one array document, is read whole by the
		// split at offset 0.
		hr, err := req.Store.NewReader(rs.ctx, req.File, 0, headBytes)
		if err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
		head, err := io.ReadAll(io.LimitReader(hr, headBytes))
		hr.Close()
		if err != nil {
			return fmt.Errorf("%s: read: %w", loc, err)
		}
		rs.stats.BytesRead.Add(int64(len(head)))
		if compress.Detect(loc, head) != compress.None || firstByte(head) == '[' || rs.opt.hasRoot {
			return nil
		}
		rc, err := req.Store.NewReader(rs.ctx, req.File, sp.Offset-1, -1)
		if err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
		st := &stream{name: loc, r: compress.NewCountingReader(rc, &rs.stats.BytesRead), closers: []io.Closer{rc},
			base: sp.Offset - 1, limit: -1, skipTo: true, layout: lines}
		if sp.Length >= 0 {
			st.limit = sp.Offset + sp.Length
			st.sizeHint = sp.Length + 1
		}
		rs.pending = append(rs.pending, func() (*stream, error) { return st, nil })
		return nil
	}
	rs.stats.FilesRead.Add(1)
	rc, err := req.Store.NewReader(rs.ctx, req.File, 0, -1)
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	br := bufio.NewReaderSize(compress.NewCountingReader(rc, &rs.stats.BytesRead), 64<<10)
	head, _ := br.Peek(compress.HeadBytes)
	codec := compress.Detect(loc, head)
	if codec == compress.Zip {
		rc.Close()
		return rs.openZip()
	}
	st, err := rs.newStream(loc, br, codec, rc)
	if err != nil {
		return err
	}
	if codec == compress.None {
		st.sizeHint = req.File.Size + 1
		if sp.Length >= 0 {
			st.limit = sp.Length
			st.sizeHint = sp.Length + 1
		}
	}
	rs.pending = append(rs.pending, func() (*stream, error) { return st, nil })
	return nil
}

// firstByte returns the first byte of head after a BOM and blanks.
func firstByte(head []byte) byte {
	head = bytes.TrimPrefix(head, bom)
	for _, c := range head {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			return c
		}
	}
	return 0
}

var bom = []byte{0xef, 0xbb, 0xbf}

func (rs *records) newStream(name string, raw io.Reader, codec compress.Codec, closers ...io.Closer) (*stream, error) {
	dec, err := compress.NewReader(codec, raw)
	if err != nil {
		for _, c := range closers {
			c.Close()
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	st := &stream{name: name, r: dec, closers: append([]io.Closer{dec}, closers...), limit: -1,
		line: 1, lineKnown: true}
	if codec != compress.None {
		st.r = compress.NewCountingReader(dec, &rs.stats.BytesDecompressed)
	}
	return st, nil
}

func (rs *records) openZip() error {
	loc := rs.req.File.Location
	f, err := rs.req.Store.Open(rs.ctx, rs.req.File)
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	rs.closers = append(rs.closers, f)
	entries, err := compress.ZipEntries(countingReaderAt{f, &rs.stats.BytesRead}, f.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	for _, e := range entries {
		rs.pending = append(rs.pending, func() (*stream, error) {
			name := loc + "!" + e.Name
			rc, err := e.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", loc, err)
			}
			br := bufio.NewReaderSize(rc, 64<<10)
			head, _ := br.Peek(compress.HeadBytes)
			codec := compress.Detect(e.Name, head)
			if codec == compress.Zip {
				rc.Close()
				return nil, fmt.Errorf("%s: zip archives nested in zip archives are not supported", name)
			}
			st, err := rs.newStream(name, br, codec, rc)
			if err != nil {
				return nil, err
			}
			if codec == compress.None {
				// Entry bytes are decompressed bytes of the archive.
				st.r = compress.NewCountingReader(st.r, &rs.stats.BytesDecompressed)
			}
			st.sizeHint = e.Size + 1
			return st, nil
		})
	}
	return nil
}

// next returns the next record, or ok == false at the end of the split.
func (rs *records) next() (rec record, ok bool, err error) {
	for {
		if rs.st == nil {
			if len(rs.pending) == 0 {
				return rec, false, nil
			}
			open := rs.pending[0]
			rs.pending = rs.pending[1:]
			st, err := open()
			if err != nil {
				return rec, false, err
			}
			rs.st = st
			if rs.buf == nil {
				// Small files and ranges need no large buffer; a record
				// that outgrows the buffer grows it.
				size := chunkBytes
				if st.sizeHint > 0 && st.sizeHint < chunkBytes {
					size = max(int(st.sizeHint), 4<<10)
				}
				rs.buf = make([]byte, size)
			}
		}
		st := rs.st
		if st.layout == undecided {
			if err := rs.decide(st); err != nil {
				return rec, false, err
			}
		}
		if st.layout == lines {
			rec, ok, err = rs.nextLine(st)
		} else {
			rec, ok, err = rs.nextElement(st)
		}
		if err != nil || ok {
			return rec, ok, err
		}
		if err := rs.closeStream(); err != nil {
			return rec, false, err
		}
	}
}

// decide picks the stream's layout from the table and its first byte: a
// json.root table reads a document; without one, a stream whose first
// byte is '[' is one array of rows, and anything else is JSON lines.
func (rs *records) decide(st *stream) error {
	for st.end-st.pos < len(bom) && !st.eof {
		if err := rs.fill(st); err != nil {
			return err
		}
	}
	if bytes.HasPrefix(rs.buf[st.pos:st.end], bom) {
		st.pos += len(bom)
	}
	if rs.opt.hasRoot {
		st.layout = document
		st.doc = docState{path: rs.opt.root}
		return nil
	}
	st.layout = lines
	for i := st.pos; ; i++ {
		if i == st.end {
			if st.eof || i-st.pos > headBytes {
				return nil
			}
			off := i - st.pos
			if err := rs.fill(st); err != nil {
				return err
			}
			i = st.pos + off - 1
			continue
		}
		switch rs.buf[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '[':
			st.layout = document
			st.doc = docState{path: []string{}}
		}
		return nil
	}
}

func (rs *records) closeStream() error {
	st := rs.st
	rs.st = nil
	var first error
	for _, c := range st.closers {
		if err := c.Close(); err != nil && first == nil {
			first = fmt.Errorf("%s: close: %w", st.name, err)
		}
	}
	return first
}

func (rs *records) close() error {
	var first error
	if rs.st != nil {
		first = rs.closeStream()
	}
	for _, c := range rs.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	rs.closers, rs.pending, rs.buf = nil, nil, nil
	return first
}

// fill reads more bytes after the unread ones, moving them to the front
// of the buffer and growing it when a record outgrows it.
func (rs *records) fill(st *stream) error {
	if err := rs.ctx.Err(); err != nil {
		return err
	}
	if st.pos > 0 {
		n := copy(rs.buf, rs.buf[st.pos:st.end])
		st.base += int64(st.pos)
		st.pos, st.end = 0, n
	}
	if st.end == len(rs.buf) {
		nb := make([]byte, min(2*len(rs.buf), rs.opt.maxRecord+chunkBytes))
		copy(nb, rs.buf[:st.end])
		rs.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := st.r.Read(rs.buf[st.end:])
		st.end += n
		if err == io.EOF {
			st.eof = true
			return nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("%s: file is truncated: %w", st.name, err)
			}
			return fmt.Errorf("%s: read: %w", st.name, err)
		}
		if n > 0 {
			return nil
		}
		if tries > 100 {
			return fmt.Errorf("%s: read: %w", st.name, io.ErrNoProgress)
		}
	}
}

func (rs *records) tooLong(st *stream, where string) error {
	return fmt.Errorf("%s: %s: record longer than %d bytes, the limit set by table property %s",
		st.name, where, rs.opt.maxRecord, PropMaxRecordBytes)
}

// nextLine returns the next non-blank line. A range reader starts after
// the first newline at or after Offset-1 and stops before the first line
// that starts at or past Offset+Length.
func (rs *records) nextLine(st *stream) (record, bool, error) {
	for {
		data := rs.buf[st.pos:st.end]
		if st.skipTo {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				if st.eof {
					return record{}, false, nil
				}
				st.pos = st.end // nothing before the newline is ours
				if err := rs.fill(st); err != nil {
					return record{}, false, err
				}
				continue
			}
			st.pos += i + 1
			st.skipTo = false
			continue
		}
		off := st.base + int64(st.pos)
		if st.limit >= 0 && off >= st.limit {
			return record{}, false, nil
		}
		i := bytes.IndexByte(data, '\n')
		n := i + 1
		if i < 0 {
			if len(data) > rs.opt.maxRecord {
				return record{}, false, rs.tooLong(st, where(st, st.line, off))
			}
			if !st.eof {
				if err := rs.fill(st); err != nil {
					return record{}, false, err
				}
				continue
			}
			if len(data) == 0 {
				return record{}, false, nil
			}
			i, n = len(data), len(data)
		}
		if i > rs.opt.maxRecord {
			return record{}, false, rs.tooLong(st, where(st, st.line, off))
		}
		line := data[:i]
		lineNo := st.line
		st.pos += n
		st.line++
		if blank(line) {
			continue
		}
		rec := record{data: line, off: off}
		if st.lineKnown {
			rec.line = lineNo
		}
		return rec, true, nil
	}
}

func blank(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}

func where(st *stream, line, off int64) string {
	if st.lineKnown {
		return fmt.Sprintf("line %d, byte offset %d", line, off)
	}
	return fmt.Sprintf("record at byte offset %d", off)
}

// docStep is where a document walk stands.
type docStep uint8

const (
	docFind     docStep = iota // looking for path[level] among the members of the object at level
	docElements                // inside the root array, before an element (or ']')
	docAfter                   // inside the root array, after an element
	docClose                   // skipping the remaining members of the enclosing objects
	docEnd                     // after the document: only blanks may follow
	docDone
)

type docState struct {
	path  []string
	level int // objects on the path entered so far
	step  docStep
	// opened says the object at level has been entered ('{' consumed).
	opened bool
	// first says the next member is the object's first (no ',' before it).
	first bool
	elem  int64
	keys  []string // top-level keys seen, for the "not found" message
}

func (rs *records) docErr(st *stream, off int64, format string, args ...any) error {
	return fmt.Errorf("%s: byte offset %d: %s", st.name, off, fmt.Sprintf(format, args...))
}

// sws skips blanks, reading more as needed, and returns the next byte,
// or 0 at the end of the stream.
func (rs *records) sws(st *stream) (byte, error) {
	for {
		for st.pos < st.end {
			switch c := rs.buf[st.pos]; c {
			case ' ', '\t', '\r', '\n':
				st.pos++
			default:
				return c, nil
			}
		}
		if st.eof {
			return 0, nil
		}
		if err := rs.fill(st); err != nil {
			return 0, err
		}
	}
}

func (rs *records) offset(st *stream) int64 { return st.base + int64(st.pos) }

// scanAt runs f over the unread bytes, reading more while f reports
// that the value continues past them; it returns the bytes f consumed.
func (rs *records) scanAt(st *stream, f func(*scanner) error) (int, error) {
	for {
		rs.sc.reset(rs.buf[st.pos:st.end], st.eof)
		err := f(&rs.sc)
		if err != errShort {
			var se *syntaxError
			if errors.As(err, &se) {
				if se.off >= len(rs.sc.d) && st.eof {
					return 0, rs.docErr(st, rs.offset(st)+int64(se.off), "document is truncated: %s", se.msg)
				}
				return 0, rs.docErr(st, rs.offset(st)+int64(se.off), "malformed JSON: %s", se.msg)
			}
			return rs.sc.i, err
		}
		if st.end-st.pos > rs.opt.maxRecord {
			return 0, rs.tooLong(st, fmt.Sprintf("byte offset %d", rs.offset(st)))
		}
		if err := rs.fill(st); err != nil {
			return 0, err
		}
	}
}

// skipValue passes over a value outside the rows (a "meta" member) in
// constant memory, whatever its size: it matches brackets and strings but
// does not check every token.
func (rs *records) skipValue(st *stream) error {
	c, err := rs.sws(st)
	if err != nil {
		return err
	}
	if c != '{' && c != '[' && c != '"' {
		n, err := rs.scanAt(st, (*scanner).skip)
		st.pos += n
		return err
	}
	start := rs.offset(st)
	var stack []byte
	inStr, esc := false, false
	for {
		for st.pos < st.end {
			b := rs.buf[st.pos]
			st.pos++
			if inStr {
				switch {
				case esc:
					esc = false
				case b == '\\':
					esc = true
				case b == '"':
					inStr = false
					if len(stack) == 0 {
						return nil
					}
				}
				continue
			}
			switch b {
			case '"':
				inStr = true
			case '{', '[':
				if len(stack) >= maxDepth {
					return rs.docErr(st, rs.offset(st)-1, "malformed JSON: nesting deeper than %d levels", maxDepth)
				}
				stack = append(stack, b)
			case '}', ']':
				open := byte('{')
				if b == ']' {
					open = '['
				}
				if len(stack) == 0 || stack[len(stack)-1] != open {
					return rs.docErr(st, rs.offset(st)-1, "malformed JSON: unexpected %q", b)
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return nil
				}
			}
		}
		if st.eof {
			return rs.docErr(st, start, "document is truncated: the value starting here has no end")
		}
		if err := rs.fill(st); err != nil {
			return err
		}
	}
}

// key reads an object key at the stream; the result is valid until the
// next read.
func (rs *records) key(st *stream) ([]byte, error) {
	var key []byte
	n, err := rs.scanAt(st, func(sc *scanner) error {
		var err error
		key, err = sc.str()
		return err
	})
	st.pos += n
	return key, err
}

func (rs *records) expect(st *stream, c byte, what string) error {
	got, err := rs.sws(st)
	if err != nil {
		return err
	}
	if got != c {
		return rs.unexpected(st, got, what)
	}
	st.pos++
	return nil
}

func (rs *records) unexpected(st *stream, got byte, what string) error {
	if got == 0 && st.pos >= st.end {
		return rs.docErr(st, rs.offset(st), "document is truncated: it ends %s", what)
	}
	return rs.docErr(st, rs.offset(st), "malformed JSON: unexpected %s %s", describeByte(got), what)
}

func (rs *records) rootName() string {
	if len(rs.st.doc.path) == 0 {
		return "the top-level array"
	}
	return strings.Join(rs.st.doc.path, ".")
}

// nextElement walks the document to its next row: the next element of
// the root array (or the root object itself). Only one element is held in
// memory at a time.
func (rs *records) nextElement(st *stream) (record, bool, error) {
	d := &st.doc
	for {
		switch d.step {
		case docFind:
			if d.level == len(d.path) {
				c, err := rs.sws(st)
				if err != nil {
					return record{}, false, err
				}
				switch c {
				case '[':
					st.pos++
					d.step, d.first = docElements, true
					continue
				case '{':
					rec, err := rs.element(st)
					if err != nil {
						return record{}, false, err
					}
					d.step = docClose
					return rec, true, nil
				case 'n':
					n, err := rs.scanAt(st, (*scanner).skip)
					if err != nil {
						return record{}, false, err
					}
					st.pos += n
					d.step = docClose
					continue
				}
				return record{}, false, rs.unexpected(st, c, fmt.Sprintf("where %s should hold an array of rows", rs.rootName()))
			}
			if !d.opened {
				if err := rs.expect(st, '{', fmt.Sprintf("where an object holding %q should be", d.path[d.level])); err != nil {
					return record{}, false, err
				}
				d.opened, d.first = true, true
			}
			c, err := rs.sws(st)
			if err != nil {
				return record{}, false, err
			}
			if c == '}' {
				path := strings.Join(d.path[:d.level+1], ".")
				msg := fmt.Sprintf("%s: json.root %s not found: the object has no key %q", st.name, strings.Join(d.path, "."), path)
				if d.level == 0 && len(d.keys) > 0 {
					msg += fmt.Sprintf(" (its keys: %s)", strings.Join(d.keys, ", "))
				}
				return record{}, false, errors.New(msg)
			}
			if !d.first {
				if c != ',' {
					return record{}, false, rs.unexpected(st, c, "after an object member")
				}
				st.pos++
				if c, err = rs.sws(st); err != nil {
					return record{}, false, err
				}
			}
			d.first = false
			if c != '"' {
				return record{}, false, rs.unexpected(st, c, "looking for an object key")
			}
			k, err := rs.key(st)
			if err != nil {
				return record{}, false, err
			}
			match := rs.matchKey(k, d.path[d.level])
			if d.level == 0 && len(d.keys) < 20 {
				d.keys = append(d.keys, string(k))
			}
			if err := rs.expect(st, ':', "after an object key"); err != nil {
				return record{}, false, err
			}
			if match {
				d.level++
				d.opened = false
				continue
			}
			if err := rs.skipValue(st); err != nil {
				return record{}, false, err
			}
		case docElements, docAfter:
			c, err := rs.sws(st)
			if err != nil {
				return record{}, false, err
			}
			if c == ']' {
				st.pos++
				d.step, d.first = docClose, false
				continue
			}
			if d.step == docAfter {
				if c != ',' {
					return record{}, false, rs.unexpected(st, c, fmt.Sprintf("after element %d of %s", d.elem-1, rs.rootName()))
				}
				st.pos++
			}
			rec, err := rs.element(st)
			if err != nil {
				return record{}, false, err
			}
			d.step = docAfter
			return rec, true, nil
		case docClose:
			if d.level == 0 {
				d.step = docEnd
				continue
			}
			c, err := rs.sws(st)
			if err != nil {
				return record{}, false, err
			}
			switch c {
			case '}':
				st.pos++
				d.level--
				continue
			case ',':
				st.pos++
				if c, err = rs.sws(st); err != nil {
					return record{}, false, err
				}
				if c != '"' {
					return record{}, false, rs.unexpected(st, c, "looking for an object key")
				}
				if _, err := rs.key(st); err != nil {
					return record{}, false, err
				}
				if err := rs.expect(st, ':', "after an object key"); err != nil {
					return record{}, false, err
				}
				if err := rs.skipValue(st); err != nil {
					return record{}, false, err
				}
				continue
			}
			return record{}, false, rs.unexpected(st, c, "after an object member")
		case docEnd:
			c, err := rs.sws(st)
			if err != nil {
				return record{}, false, err
			}
			if c != 0 {
				return record{}, false, rs.docErr(st, rs.offset(st), "unexpected data after the end of the JSON document")
			}
			d.step = docDone
		case docDone:
			return record{}, false, nil
		}
	}
}

// element reads one whole row value at the stream, checking its syntax.
func (rs *records) element(st *stream) (record, error) {
	d := &st.doc
	if _, err := rs.sws(st); err != nil {
		return record{}, err
	}
	off := rs.offset(st)
	n, err := rs.scanAt(st, (*scanner).skip)
	if err != nil {
		return record{}, fmt.Errorf("%w (in element %d of %s)", err, d.elem, rs.rootName())
	}
	if n > rs.opt.maxRecord {
		return record{}, rs.tooLong(st, fmt.Sprintf("element %d of %s, byte offset %d", d.elem, rs.rootName(), off))
	}
	rec := record{data: rs.buf[st.pos : st.pos+n], off: off, elem: d.elem}
	st.pos += n
	d.elem++
	return rec, nil
}

func (rs *records) matchKey(k []byte, want string) bool {
	if rs.opt.caseSensitive {
		return string(k) == want
	}
	return strings.EqualFold(string(k), want)
}
