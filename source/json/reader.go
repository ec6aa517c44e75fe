package json

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/compress"
)

// Format reads JSON tables (STORED AS JSON, or ROW FORMAT SERDE of the
// Hive or OpenX JSON SerDe). The zero value is ready to use.
type Format struct{}

var _ source.Format = Format{}

// Name is the STORED AS name.
func (Format) Name() string { return catalog.FormatJSON }

// Split cuts an uncompressed JSON-lines file larger than target into byte
// ranges of about target bytes. Compressed files, zip archives and
// json.root documents are one split; so, in effect, is a bare top-level
// array, whose ranges after the first find it by its first byte and read
// nothing.
func (Format) Split(t *catalog.Table, file objstore.ObjectInfo, target int64) []source.Split {
	whole := []source.Split{{Offset: 0, Length: -1}}
	if target <= 0 || file.Size <= target || compress.ByExtension(file.Location) != compress.None {
		return whole
	}
	o, err := parseOptions(t)
	if err != nil || o.hasRoot {
		return whole // Open reports a bad table definition
	}
	var out []source.Split
	for off := int64(0); off < file.Size; off += target {
		out = append(out, source.Split{Offset: off, Length: min(target, file.Size-off)})
	}
	return out
}

// Open starts reading one split.
func (Format) Open(ctx context.Context, req *source.Request) (source.BatchReader, error) {
	loc := req.File.Location
	if req.Table == nil {
		return nil, fmt.Errorf("%s: no table definition", loc)
	}
	o, err := parseOptions(req.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: table %s.%s: %w", loc, req.Table.Schema, req.Table.Name, err)
	}
	r, err := newReader(ctx, req, o)
	if err != nil {
		return nil, err
	}
	if err := r.src.open(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// reader is the BatchReader of one split.
type reader struct {
	ctx       context.Context
	opt       *options
	stats     *source.Stats
	batchRows int
	schema    *arrow.Schema
	cols      []*node
	// index maps a normalised JSON key to the first projected column it
	// fills; also chains further columns mapped to the same key.
	index  keyIndex
	also   []int
	seen   []bool
	st     convState
	sc     scanner
	src    records
	err    error
	closed bool
}

func newReader(ctx context.Context, req *source.Request, o *options) (*reader, error) {
	loc := req.File.Location
	r := &reader{ctx: ctx, opt: o, stats: req.Stats, batchRows: req.BatchRows, index: newKeyIndex()}
	if r.stats == nil {
		r.stats = new(source.Stats)
	}
	alloc := req.Alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if r.batchRows <= 0 {
		r.batchRows = source.DefaultBatchRows
	}
	r.st.opt = o
	fields := make([]arrow.Field, 0, len(req.Columns))
	for _, idx := range req.Columns {
		if idx < 0 || idx >= len(req.Table.Columns) {
			r.release()
			return nil, fmt.Errorf("%s: column index %d out of range (table has %d columns)", loc, idx, len(req.Table.Columns))
		}
		c := req.Table.Columns[idx]
		dt := c.Type.Arrow()
		n, err := newNode(&r.st, c.Name, c.Type, array.NewBuilder(alloc, dt))
		if err != nil {
			r.release()
			return nil, fmt.Errorf("%s: %w", loc, err)
		}
		pos := len(r.cols)
		r.cols = append(r.cols, n)
		r.also = append(r.also, -1)
		key := c.Name
		if m, ok := o.mapping[lowerASCII(c.Name)]; ok {
			key = m
		}
		k := o.normName(key)
		if first, ok := r.index.m[k]; ok {
			for r.also[first] >= 0 {
				first = r.also[first]
			}
			r.also[first] = pos
		} else {
			r.index.m[k] = pos
		}
		fields = append(fields, arrow.Field{Name: c.Name, Type: dt, Nullable: true})
	}
	r.seen = make([]bool, len(r.cols))
	r.schema = arrow.NewSchema(fields, nil)
	r.src = records{ctx: ctx, req: req, opt: o, stats: r.stats}
	return r, nil
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func (r *reader) release() {
	for _, c := range r.cols {
		c.b.Release()
	}
	r.cols = nil
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
		c.b.Reserve(r.batchRows)
		c.reserveData()
	}
	rows := 0
	for rows < r.batchRows {
		rec, ok, err := r.src.next()
		if err == nil && ok {
			err = r.convert(rec)
		}
		if err != nil {
			r.err = err
			return nil, err
		}
		if !ok {
			break
		}
		rows++
	}
	arrs := make([]arrow.Array, len(r.cols))
	for i, c := range r.cols {
		c.noteSizes()
		arrs[i] = c.b.NewArray()
	}
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	if rows == 0 {
		return nil, nil
	}
	r.stats.Rows.Add(int64(rows))
	return array.NewRecordBatch(r.schema, arrs, int64(rows)), nil
}

// convert appends one record as a row. A record that is not a JSON
// object, or is malformed, is an error, or a row of NULLs under
// ignore.malformed.json; a JSON null (an element of a json.root array)
// is a row of NULLs.
func (r *reader) convert(rec record) error {
	sc := &r.sc
	sc.reset(rec.data, true)
	if r.opt.ignoreBad && r.src.st.layout == lines {
		// Check the whole line first so that a malformed one leaves no
		// half-appended row behind. (Document elements were checked when
		// they were read.)
		if err := sc.skip(); err != nil || sc.peek() != 0 {
			r.nullRow()
			return nil
		}
		sc.reset(rec.data, true)
	}
	switch sc.peek() {
	case '{':
	case 'n':
		if sc.literal("null") == nil && sc.peek() == 0 {
			r.nullRow()
			return nil
		}
		fallthrough
	default:
		if r.opt.ignoreBad {
			r.nullRow()
			return nil
		}
		sc.reset(rec.data, true)
		err := sc.skip()
		if err == nil && sc.peek() != 0 {
			err = sc.fail("unexpected data after the JSON value")
		}
		var se *syntaxError
		if errors.As(err, &se) {
			return r.recErr(rec, se.off, "malformed JSON: "+se.msg)
		}
		return r.recErr(rec, 0, "malformed row: not a JSON object")
	}
	clear(r.seen)
	err := readObject(sc, func(pos int, key []byte) error {
		k := r.opt.normKey(key, &r.st.kbuf)
		i, ok := r.index.lookup(pos, k)
		if !ok {
			return sc.skip()
		}
		start := sc.i
		for ; i >= 0; i = r.also[i] {
			if r.seen[i] {
				continue
			}
			r.seen[i] = true
			sc.i = start
			if err := r.cols[i].read(sc); err != nil {
				return err
			}
		}
		if sc.i == start {
			return sc.skip() // every column it fills was already set by an earlier duplicate key
		}
		return nil
	})
	if err == nil && sc.peek() != 0 {
		err = sc.fail("unexpected data after the JSON object")
	}
	if err != nil {
		var se *syntaxError
		var ce *convError
		switch {
		case errors.As(err, &se):
			hint := ""
			if r.src.st.layout == lines {
				hint = fmt.Sprintf(" (SERDEPROPERTIES ('%s' = 'true') reads malformed lines as NULLs)", PropIgnoreMalformed)
			}
			return r.recErr(rec, se.off, "malformed JSON: "+se.msg+hint)
		case errors.As(err, &ce):
			return r.recErr(rec, ce.off, ce.Error())
		}
		return err
	}
	for i, c := range r.cols {
		if !r.seen[i] {
			c.b.AppendNull()
		}
	}
	return nil
}

func (r *reader) nullRow() {
	for _, c := range r.cols {
		c.b.AppendNull()
	}
}

// recErr names the file and the position of byte off of the record.
func (r *reader) recErr(rec record, off int, msg string) error {
	st := r.src.st
	pos := rec.off + int64(off)
	if st.layout == document {
		return fmt.Errorf("%s: element %d of %s, byte offset %d: %s", st.name, rec.elem, r.src.rootName(), pos, msg)
	}
	if rec.line > 0 {
		return fmt.Errorf("%s: line %d, byte offset %d: %s", st.name, rec.line, pos, msg)
	}
	return fmt.Errorf("%s: byte offset %d: %s", st.name, pos, msg)
}

// Close releases the reader's streams and builders; it is idempotent.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.src.close()
	r.release()
	return err
}
