package csv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/quarry-sql/quarry/source/textval"
	"io"
	"strconv"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/compress"
)

// chunkBytes is the read size: large enough that IndexByte runs long and
// record boundaries rarely straddle a refill.
const chunkBytes = 2 << 20

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// readAheadBlock is the block a decompressing goroutine fills at a time.
const readAheadBlock = 1 << 20

// reader is the BatchReader of one split. It reads one or more streams
// (several for a zip archive, one per entry) one after the other.
type reader struct {
	ctx       context.Context
	req       *source.Request
	opt       *options
	stats     *source.Stats
	alloc     memory.Allocator
	cols      []*column
	schema    *arrow.Schema
	batchRows int
	maxField  int // fields a record must be split into: last projected + 1
	sp        splitter
	names     map[string]bool

	buf     []byte
	pending []func() (*stream, error)
	st      *stream
	closers []io.Closer
	err     error
	closed  bool

	memo source.Memo // keeps gzip indexes; may be nil

	// position of the record being converted, for messages
	recLine int64
	recOff  int64
	scratch []byte
}

// stream is one logical file: a decompressed byte stream with its own line
// count, header and footer handling.
type stream struct {
	name      string
	r         io.Reader
	closers   []io.Closer
	eof       bool
	pos, end  int
	base      int64 // file offset of buf[0]; meaningful for uncompressed files
	line      int64 // line number of the next record
	lineKnown bool
	limit     int64 // records starting at or past limit belong to the next split; -1: none
	skipTo    bool  // a byte range: the first record begins after the first terminator
	header    int   // header lines still to skip
	first     bool  // the next record is the file's first (header detection)
	bom       bool  // a UTF-8 byte order mark at the start is still to be dropped
	held      []heldRecord
	sizeHint  int64  // bytes the stream is expected to yield; <= 0 unknown
	offDesc   string // what record offsets count, when line numbers are unknown

	// ix, when set, records the gzip index of this (whole) stream: each
	// record start past one of its pending checkpoints is reported.
	ix    *compress.IndexBuilder
	onEnd func() // called when the stream has been read to its end without error
}

type heldRecord struct {
	raw  []byte
	line int64
	off  int64
}

func newReader(ctx context.Context, req *source.Request, o *options) (*reader, error) {
	loc := req.File.Location
	r := &reader{ctx: ctx, req: req, opt: o, stats: req.Stats, alloc: req.Alloc, batchRows: req.BatchRows}
	if r.stats == nil {
		r.stats = new(source.Stats)
	}
	if r.alloc == nil {
		r.alloc = memory.DefaultAllocator
	}
	if r.batchRows <= 0 {
		r.batchRows = source.DefaultBatchRows
	}
	fields := make([]arrow.Field, 0, len(req.Columns))
	for _, idx := range req.Columns {
		if idx < 0 || idx >= len(req.Table.Columns) {
			return nil, fmt.Errorf("%s: column index %d out of range (table has %d columns)", loc, idx, len(req.Table.Columns))
		}
		c, err := newColumn(req.Table.Columns[idx], idx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", loc, err)
		}
		r.cols = append(r.cols, c)
		r.maxField = max(r.maxField, idx+1)
		fields = append(fields, arrow.Field{Name: c.name, Type: c.dt, Nullable: true})
	}
	r.schema = arrow.NewSchema(fields, nil)
	switch o.serde {
	case lazySimple:
		r.sp = newLazySplitter(o)
	case openCSV:
		r.sp = newOpenSplitter(o)
	}
	if o.detect && o.skipHeader == 0 {
		r.names = columnNameSet(req.Table.Columns)
	}
	return r, nil
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

func (r *reader) open() error {
	req := r.req
	loc := req.File.Location
	sp := req.Split
	if sp.Decoded {
		return r.openDecoded()
	}
	if sp.Offset > 0 {
		// Split only cuts files whose names promise no compression, but
		// the bytes decide: a compressed file is read whole by the split
		// at offset 0, unless it is BGZF.
		hr, err := req.Store.NewReader(r.ctx, req.File, 0, bgzfHeadBytes)
		if err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
		head, err := io.ReadAll(io.LimitReader(hr, bgzfHeadBytes))
		hr.Close()
		if err != nil {
			return fmt.Errorf("%s: read: %w", loc, err)
		}
		r.stats.BytesRead.Add(int64(len(head)))
		if c := compress.Detect(loc, head); c != compress.None {
			if c == compress.Gzip && r.isBGZF(head) {
				return r.openBGZF(nil)
			}
			return nil
		}
		rc, err := req.Store.NewReader(r.ctx, req.File, sp.Offset-1, -1)
		if err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
		st := &stream{name: loc, r: compress.NewCountingReader(rc, &r.stats.BytesRead), closers: []io.Closer{rc},
			base: sp.Offset - 1, limit: -1, skipTo: true}
		if sp.Length >= 0 {
			st.limit = sp.Offset + sp.Length
			st.sizeHint = sp.Length + 1
		}
		r.pending = append(r.pending, func() (*stream, error) { return st, nil })
		return nil
	}
	rc, err := req.Store.NewReader(r.ctx, req.File, 0, -1)
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	br := bufio.NewReaderSize(compress.NewCountingReader(rc, &r.stats.BytesRead), 64<<10)
	head, _ := br.Peek(bgzfHeadBytes)
	codec := compress.Detect(loc, head)
	if len(head) == 0 {
		codec = compress.None // an empty x.gz is an empty file, not a corrupt one
	}
	if codec == compress.Gzip && sp.Length >= 0 && r.isBGZF(head) {
		return r.openBGZF(readCloser{br, rc})
	}
	r.stats.FilesRead.Add(1)
	if codec == compress.Zip {
		rc.Close()
		return r.openZip()
	}
	if key, ok := r.indexing(); ok && codec == compress.Gzip {
		st := r.newIndexingStream(br, key, rc)
		r.pending = append(r.pending, func() (*stream, error) { return st, nil })
		return nil
	}
	st, err := r.newStream(loc, br, codec, rc)
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
	r.pending = append(r.pending, func() (*stream, error) { return st, nil })
	return nil
}

// newStream wraps a raw byte stream with its decompressor.
func (r *reader) newStream(name string, raw io.Reader, codec compress.Codec, closers ...io.Closer) (*stream, error) {
	dec, err := compress.NewReader(codec, raw)
	if err != nil {
		for _, c := range closers {
			c.Close()
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	st := &stream{name: name, r: dec, closers: append([]io.Closer{dec}, closers...), limit: -1,
		line: 1, lineKnown: true, header: r.opt.skipHeader, first: true, bom: true}
	if codec != compress.None {
		// Decompression runs on its own goroutine, overlapping parsing.
		ra := compress.NewReadAhead(compress.NewCountingReader(dec, &r.stats.BytesDecompressed), readAheadBlock, 3)
		st.r = ra
		st.closers = append([]io.Closer{ra}, st.closers...)
	}
	return st, nil
}

func (r *reader) openZip() error {
	loc := r.req.File.Location
	f, err := r.req.Store.Open(r.ctx, r.req.File)
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	r.closers = append(r.closers, f)
	entries, err := compress.ZipEntries(countingReaderAt{f, &r.stats.BytesRead}, f.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	for _, e := range entries {
		r.pending = append(r.pending, func() (*stream, error) {
			name := loc + "!" + e.Name
			rc, err := e.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", loc, err)
			}
			br := bufio.NewReaderSize(rc, 64<<10)
			head, _ := br.Peek(compress.HeadBytes)
			codec := compress.Detect(e.Name, head)
			if len(head) == 0 {
				codec = compress.None
			}
			if codec == compress.Zip {
				rc.Close()
				return nil, fmt.Errorf("%s: zip archives nested in zip archives are not supported", name)
			}
			st, err := r.newStream(name, br, codec, rc)
			if err != nil {
				return nil, err
			}
			if codec == compress.None {
				// Entry bytes are decompressed bytes of the archive.
				st.r = compress.NewCountingReader(st.r, &r.stats.BytesDecompressed)
			}
			return st, nil
		})
	}
	return nil
}

// Next converts up to batchRows records into a batch.
func (r *reader) Next() (arrow.Record, error) {
	if r.err != nil || r.closed {
		return nil, r.err
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return nil, err
	}
	for _, c := range r.cols {
		c.reset(r.alloc, r.batchRows)
	}
	rows := 0
	for rows < r.batchRows {
		ok, err := r.nextRecord()
		if err == nil && ok {
			err = r.convert(rows)
		}
		if err != nil {
			r.err = err
			r.releaseColumns()
			return nil, err
		}
		if !ok {
			break
		}
		rows++
	}
	if rows == 0 {
		r.releaseColumns()
		return nil, nil
	}
	arrs := make([]arrow.Array, len(r.cols))
	for i, c := range r.cols {
		arrs[i] = c.finish(rows)
	}
	rec := array.NewRecord(r.schema, arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	r.stats.Rows.Add(int64(rows))
	return rec, nil
}

func (r *reader) releaseColumns() {
	for _, c := range r.cols {
		c.release()
	}
}

func (r *reader) convert(row int) error {
	base, fields, nulls, utf8OK := r.sp.fieldList()
	for _, c := range r.cols {
		if c.field >= len(fields) || nulls != nil && nulls[c.field] {
			c.appendNull(row)
			continue
		}
		f := base[fields[c.field].lo:fields[c.field].hi]
		if c.kind == kString {
			if err := c.appendString(row, f, utf8OK, &r.scratch); err != nil {
				return r.fieldErr(c, err.Error())
			}
			continue
		}
		if len(textval.TrimSpace(f)) == 0 {
			c.appendNull(row)
			continue
		}
		if ok, st := c.appendValue(row, f, r.opt); !ok {
			if r.opt.lenient {
				c.appendNull(row)
				continue
			}
			msg := fmt.Sprintf("cannot parse %s as %s", quoteValue(f), c.typ)
			if st == textval.DecOverflow {
				msg += ": out of range"
			}
			return r.fieldErr(c, msg)
		}
	}
	return nil
}

func quoteValue(b []byte) string {
	const limit = 64 // a runaway value must not flood the message
	if len(b) > limit {
		return strconv.Quote(string(b[:limit])) + "..."
	}
	return strconv.Quote(string(b))
}

func (r *reader) where(st *stream, line, off int64) string {
	if st != nil && st.lineKnown {
		return fmt.Sprintf("line %d", line)
	}
	desc := ""
	if st != nil {
		desc = st.offDesc
	}
	return fmt.Sprintf("record at byte offset %d%s", off, desc)
}

func (r *reader) fieldErr(c *column, msg string) error {
	return fmt.Errorf("%s: %s, column %d (%s): %s", r.st.name, r.where(r.st, r.recLine, r.recOff), c.field+1, c.name, msg)
}

// nextRecord leaves the next record's fields in the splitter.
func (r *reader) nextRecord() (bool, error) {
	for {
		if r.st == nil {
			if len(r.pending) == 0 {
				return false, nil
			}
			open := r.pending[0]
			r.pending = r.pending[1:]
			st, err := open()
			if err != nil {
				return false, err
			}
			r.st = st
			if r.buf == nil {
				// Small files and ranges need no 2 MiB buffer; a record
				// that outgrows the buffer grows it.
				size := chunkBytes
				if st.sizeHint > 0 && st.sizeHint < chunkBytes {
					size = max(int(st.sizeHint), 64<<10)
				}
				r.buf = make([]byte, size)
			}
		}
		ok, err := r.readRecord(r.st)
		if err != nil || ok {
			return ok, err
		}
		if r.st.onEnd != nil {
			r.st.onEnd()
		}
		if err := r.closeStream(); err != nil {
			return false, err
		}
	}
}

func (r *reader) closeStream() error {
	st := r.st
	r.st = nil
	var first error
	for _, c := range st.closers {
		if err := c.Close(); err != nil && first == nil {
			first = fmt.Errorf("%s: close: %w", st.name, err)
		}
	}
	return first
}

func (r *reader) readRecord(s *stream) (bool, error) {
	for {
		data := r.buf[s.pos:s.end]
		if s.skipTo {
			i := bytes.IndexByte(data, r.opt.lineDelim)
			if i < 0 {
				if s.eof {
					return false, nil
				}
				s.pos = s.end // nothing before the terminator is ours
				if err := r.fill(s); err != nil {
					return false, err
				}
				continue
			}
			s.pos += i + 1
			s.skipTo = false
			continue
		}
		if s.bom && (len(data) >= len(utf8BOM) || s.eof) {
			// Dropped so that a header line is recognised and the first
			// value does not start with an invisible character.
			s.bom = false
			if bytes.HasPrefix(data, utf8BOM) {
				s.pos += len(utf8BOM)
				continue
			}
		}
		off := s.base + int64(s.pos)
		if s.limit >= 0 && off >= s.limit {
			return false, nil
		}
		maxF := r.maxField
		if s.first && r.names != nil {
			maxF = -1
		}
		n, lines, ok, err := r.sp.next(data, s.eof, maxF)
		if err != nil {
			if errors.Is(err, errUnterminated) {
				return false, fmt.Errorf("%s: %s: unterminated quoted field (no closing %q before the end of the file)",
					s.name, r.where(s, s.line, off), r.opt.quote)
			}
			return false, fmt.Errorf("%s: %s: %w", s.name, r.where(s, s.line, off), err)
		}
		if !ok || n > r.opt.maxRecord {
			if ok || len(data) > r.opt.maxRecord {
				hint := ""
				if r.opt.serde == openCSV {
					hint = " (an unbalanced quote makes the rest of a file one record)"
				}
				return false, fmt.Errorf("%s: %s: record longer than %d bytes, the limit set by table property %s%s",
					s.name, r.where(s, s.line, off), r.opt.maxRecord, PropMaxRecordBytes, hint)
			}
			if s.eof {
				return false, nil
			}
			if err := r.fill(s); err != nil {
				return false, err
			}
			continue
		}
		raw := data[:n]
		line := s.line
		s.pos += n
		s.line += int64(lines)
		if s.header > 0 {
			s.header--
			continue
		}
		if s.first {
			s.first = false
			if r.names != nil && looksLikeHeader(fieldBytes(r.sp), r.names) {
				if r.req.Notice != nil {
					r.req.Notice(fmt.Sprintf("%s: line %d names the table's columns; skipped as a header", s.name, line))
				}
				continue
			}
		}
		if s.ix != nil && off >= s.ix.Pending() {
			// The first record at or after a checkpoint (one atomic
			// load per record otherwise).
			s.ix.RecordAt(off, line)
		}
		if r.opt.skipFooter > 0 {
			s.held = append(s.held, heldRecord{raw: bytes.Clone(raw), line: line, off: off})
			if len(s.held) <= r.opt.skipFooter {
				continue
			}
			h := s.held[0]
			s.held = s.held[1:]
			if _, _, _, err := r.sp.next(h.raw, true, r.maxField); err != nil {
				return false, fmt.Errorf("%s: %s: %w", s.name, r.where(s, h.line, h.off), err)
			}
			line, off = h.line, h.off
		}
		r.recLine, r.recOff = line, off
		return true, nil
	}
}

// fill reads more bytes after the unconsumed data, moving that data to
// the front of the buffer and growing the buffer when a record outgrows it.
func (r *reader) fill(s *stream) error {
	if s.pos > 0 {
		n := copy(r.buf, r.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(r.buf) {
		size := min(2*len(r.buf), r.opt.maxRecord+chunkBytes)
		nb := make([]byte, size)
		copy(nb, r.buf[:s.end])
		r.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := s.r.Read(r.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("%s: file is truncated: %w", s.name, err)
			}
			return fmt.Errorf("%s: read: %w", s.name, err)
		}
		if n > 0 {
			return nil
		}
		if tries > 100 {
			return fmt.Errorf("%s: read: %w", s.name, io.ErrNoProgress)
		}
	}
}

// Close releases the reader's streams; it is idempotent.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var first error
	if r.st != nil {
		first = r.closeStream()
	}
	for _, c := range r.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.pending = nil
	r.buf = nil
	return first
}
