package cache

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/klauspost/compress/s2"
	"github.com/parquet-go/parquet-go/encoding/rle"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/internal/stable"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// flatReader reads the columns one flat segment file holds for a piece:
// each column chunk of the piece's row groups is read with one pread,
// checked against its fill-time CRC, and its pages are decoded straight
// into Arrow buffers from the query's allocator (validity bits copied from
// the bit-packed definition levels, PLAIN numbers copied, dictionary
// strings gathered). It yields batches aligned with source/parquet's
// (at most BatchRows rows, never spanning a row group), so its batches
// zip with those of other groups' readers.
type flatReader struct {
	f      io.ReaderAt
	m      *groupMeta
	cols   []*flatColReader
	schema *arrow.Schema
	alloc  memory.Allocator
	batch  int
	g, g1  int   // current and end row group
	left   int64 // rows left in the current row group
	bytes  int64 // segment bytes read, for CacheBytes
	proto  thrift.CompactProtocol
	hot    *hotTier // nil: no memory tier
	hotID  string   // hotFile(m)
}

type flatColReader struct {
	leaf int // column index in the file
	kind flatKind
	dt   arrow.DataType

	chunk []byte // the current row group's chunk
	pos   int
	// dictionary of the chunk (byte strings)
	dictOffs []int32 // start of entry i in dictData (one extra at the end)
	dictLens []int32
	dictData []byte
	// dictionary of fixed-width values: dictN values of width bytes
	dictFixed []byte
	dictN     int
	hasDict   bool
	// current page
	pageRows, pageRow int
	valid             []byte  // validity bits of the page; nil: no NULL
	vals              []byte  // PLAIN values of the page
	valPos            int     // next non-null value (byte offset; bit offset for booleans)
	idx               []int32 // dictionary indices of the page's values
	indexed           bool    // the page is dictionary encoded
	idxPos            int
	buf               []byte // decompression buffer
	// memory tier: the row group's batches from it, or those decoded so
	// far to put in it once the row group is done
	hot    []arrow.Array
	hotPos int
	fill   []arrow.Array
	key    hotKey
}

func newFlatReader(f io.ReaderAt, m *groupMeta, cols []int, tbl []types.Column, g0, g1 int, alloc memory.Allocator, batch int, hot *hotTier) (*flatReader, error) {
	r := &flatReader{f: f, m: m, alloc: alloc, batch: batch, g: g0 - 1, g1: g1, hot: hot}
	if hot != nil {
		// Chunks decoded for the tier outlive the query: Go memory.
		r.alloc = memory.DefaultAllocator
		r.hotID = hotFile(m)
	}
	fields := make([]arrow.Field, len(cols))
	for i, ci := range cols {
		leaf := -1
		for j, c := range m.Columns {
			if c == ci {
				leaf = j
			}
		}
		t := tbl[ci].Type
		k, ok := flatKindOf(t)
		if leaf < 0 || !ok {
			return nil, fmt.Errorf("BUG: column %d is not a flat column of %s", ci, m.File)
		}
		r.cols = append(r.cols, &flatColReader{leaf: leaf, kind: k, dt: t.Arrow()})
		fields[i] = arrow.Field{Name: tbl[ci].Name, Type: t.Arrow(), Nullable: true}
	}
	r.schema = arrow.NewSchema(fields, nil)
	return r, nil
}

// Next returns the next batch, or nil at the end of the piece.
func (r *flatReader) Next() (arrow.Record, error) {
	for r.left == 0 {
		if r.g+1 >= r.g1 {
			return nil, nil
		}
		r.g++
		if err := r.startRowGroup(); err != nil {
			return nil, err
		}
	}
	n := int(min(int64(r.batch), r.left))
	arrs := make([]arrow.Array, 0, len(r.cols))
	for _, c := range r.cols {
		if c.hot != nil {
			if c.hotPos >= len(c.hot) || c.hot[c.hotPos].Len() != n {
				releaseAll(arrs)
				return nil, fmt.Errorf("BUG: %s, row group %d, column %d: memory tier batches do not match", r.m.File, r.g, c.leaf)
			}
			a := c.hot[c.hotPos]
			a.Retain()
			c.hotPos++
			arrs = append(arrs, a)
			continue
		}
		d, err := c.read(r, n)
		if err != nil {
			releaseAll(arrs)
			return nil, fmt.Errorf("%s, row group %d, column %d: %w", r.m.File, r.g, c.leaf, err)
		}
		a := array.MakeFromData(d)
		d.Release()
		arrs = append(arrs, a)
		if r.hot != nil {
			// For the tier: stable from now on, so that this query already
			// keeps the results it computes from it (hot.put).
			a.Retain()
			stable.Add(a)
			c.fill = append(c.fill, a)
		}
	}
	r.left -= int64(n)
	if r.left == 0 && r.hot != nil {
		for _, c := range r.cols {
			if c.fill != nil {
				r.hot.put(c.key, r.m.Location, c.fill)
				c.fill = nil
			}
		}
	}
	rec := array.NewRecordBatch(r.schema, arrs, int64(n))
	releaseAll(arrs)
	return rec, nil
}

func (r *flatReader) startRowGroup() error {
	rg := &r.m.RowGroups[r.g]
	for _, c := range r.cols {
		ch := rg.Chunks[c.leaf]
		releaseAll(c.hot)
		dropUnkept(c.fill)
		c.hot, c.hotPos, c.fill = nil, 0, nil
		if r.hot != nil {
			c.key = hotKey{file: r.hotID, off: ch.Off, len: ch.Len, crc: ch.CRC, batch: r.batch}
			if c.hot = r.hot.get(c.key); c.hot != nil {
				r.bytes += ch.Len // served from the cache, from memory
				continue
			}
		}
		if cap(c.chunk) < int(ch.Len) {
			c.chunk = make([]byte, ch.Len)
		}
		c.chunk = c.chunk[:ch.Len]
		if n, err := r.f.ReadAt(c.chunk, ch.Off); int64(n) != ch.Len {
			return fmt.Errorf("%w: chunk at %d: short read (%v)", errCorruptSegment, ch.Off, err)
		}
		r.bytes += ch.Len
		if checksum(c.chunk) != ch.CRC {
			return fmt.Errorf("%w: chunk at %d, %d bytes", errCorruptSegment, ch.Off, ch.Len)
		}
		c.pos, c.pageRows, c.pageRow, c.dictOffs, c.dictData, c.dictFixed, c.dictN, c.hasDict = 0, 0, 0, nil, nil, nil, 0, false
	}
	r.left = rg.Rows
	return nil
}

// nextPage decodes the next page header and body of the chunk; a
// dictionary page is loaded and followed by the first data page.
func (c *flatColReader) nextPage(r *flatReader) error {
	for {
		if c.pos >= len(c.chunk) {
			return fmt.Errorf("%w: chunk ended before its rows", errFlatLayout)
		}
		tr := r.proto.NewReaderFromBytes(c.chunk[c.pos:])
		var h format.PageHeader
		if err := thrift.NewDecoder(tr).Decode(&h); err != nil {
			return fmt.Errorf("page header: %w", err)
		}
		c.pos = len(c.chunk) - tr.Reader().(*bytes.Reader).Len()
		if h.CompressedPageSize < 0 || int(h.CompressedPageSize) > len(c.chunk)-c.pos || h.UncompressedPageSize < 0 {
			return fmt.Errorf("%w: page size", errFlatLayout)
		}
		body := c.chunk[c.pos : c.pos+int(h.CompressedPageSize)]
		c.pos += int(h.CompressedPageSize)
		if r.m.RowGroups[r.g].Chunks[c.leaf].Snappy {
			n, err := s2.DecodedLen(body)
			if err != nil || n != int(h.UncompressedPageSize) {
				return fmt.Errorf("%w: page is not snappy", errFlatLayout)
			}
			if cap(c.buf) < n {
				c.buf = make([]byte, n)
			}
			if body, err = s2.Decode(c.buf[:n], body); err != nil {
				return err
			}
		}
		switch h.Type {
		case format.DictionaryPage:
			if !h.DictionaryPageHeader.Valid || (c.kind != fBytes && !c.kind.dictable()) {
				return errFlatLayout
			}
			n := int(h.DictionaryPageHeader.V.NumValues)
			body = bytes.Clone(body) // c.buf is reused by data pages
			if c.kind != fBytes {
				if n < 0 || len(body) != n*c.kind.width() {
					return errFlatLayout
				}
				c.dictFixed, c.dictN, c.hasDict = body, n, true
				continue
			}
			c.dictN, c.hasDict = n, true
			c.dictOffs = make([]int32, 0, n+1)
			c.dictLens = make([]int32, 0, n)
			for p := 0; len(c.dictOffs) < n; {
				if p+4 > len(body) {
					return errFlatLayout
				}
				l := int(binary.LittleEndian.Uint32(body[p:]))
				if l < 0 || p+4+l > len(body) {
					return errFlatLayout
				}
				c.dictOffs = append(c.dictOffs, int32(p+4))
				c.dictLens = append(c.dictLens, int32(l))
				p += 4 + l
			}
			c.dictOffs = append(c.dictOffs, 0)
			c.dictData = body
			continue
		case format.DataPage:
		default:
			return errFlatLayout
		}
		if !h.DataPageHeader.Valid {
			return errFlatLayout
		}
		dp := h.DataPageHeader.V
		return c.loadData(body, int(dp.NumValues), dp.Encoding)
	}
}

// loadData splits a data page into validity bits and values.
func (c *flatColReader) loadData(body []byte, rows int, enc format.Encoding) error {
	if len(body) < 4 {
		return errFlatLayout
	}
	ll := int(binary.LittleEndian.Uint32(body))
	if ll < 0 || 4+ll > len(body) {
		return errFlatLayout
	}
	levels, vals := body[4:4+ll], body[4+ll:]
	hdr, k := binary.Uvarint(levels)
	if k <= 0 {
		return errFlatLayout
	}
	c.valid = nil
	nonNull := rows
	switch {
	case hdr&1 == 0 && hdr>>1 == uint64(rows) && len(levels) == k+1 && levels[k] == 1:
		// One RLE run of present values.
	case hdr&1 == 1 && int(hdr>>1) == (rows+7)/8 && len(levels) == k+(rows+7)/8:
		c.valid = levels[k:]
		nonNull = bitutil.CountSetBits(c.valid, 0, rows)
	default:
		return fmt.Errorf("%w: definition levels", errFlatLayout)
	}
	c.pageRows, c.pageRow, c.valPos, c.idxPos = rows, 0, 0, 0
	switch {
	case enc == format.RLEDictionary || enc == format.PlainDictionary:
		if !c.hasDict || len(vals) < 1 {
			return errFlatLayout
		}
		var err error
		c.idx, err = (&rle.Encoding{BitWidth: int(vals[0])}).DecodeInt32(c.idx[:0], vals[1:])
		if err != nil {
			return err
		}
		if len(c.idx) < nonNull {
			return fmt.Errorf("%w: %d dictionary indices for %d values", errFlatLayout, len(c.idx), nonNull)
		}
		c.idx = c.idx[:nonNull]
		entries := int32(c.dictN)
		for _, i := range c.idx {
			if i < 0 || i >= entries {
				return fmt.Errorf("%w: dictionary index %d of %d", errFlatLayout, i, entries)
			}
		}
		c.vals, c.indexed = nil, true
	case enc == format.Plain:
		if w := c.kind.width(); w > 0 && len(vals) < w*nonNull {
			return fmt.Errorf("%w: %d value bytes for %d values", errFlatLayout, len(vals), nonNull)
		}
		if c.kind == fBool && len(vals) < (nonNull+7)/8 {
			return errFlatLayout
		}
		c.vals, c.idx, c.indexed = vals, c.idx[:0], false
	default:
		return fmt.Errorf("%w: encoding %v", errFlatLayout, enc)
	}
	return nil
}

func (r *flatReader) buffer(n int) *memory.Buffer {
	b := memory.NewResizableBuffer(r.alloc)
	b.Resize(n)
	return b
}

// read builds the next n rows of the column.
func (c *flatColReader) read(r *flatReader, n int) (out arrow.ArrayData, err error) {
	valid := r.buffer(int(bitutil.BytesForBits(int64(n))))
	vb := valid.Bytes()
	var values, data *memory.Buffer
	var offs []int32
	aw := c.kind.arrowWidth()
	switch c.kind {
	case fBool:
		values = r.buffer(int(bitutil.BytesForBits(int64(n))))
		clear(values.Bytes())
	case fBytes:
		values = r.buffer(4 * (n + 1))
		offs = arrow.Int32Traits.CastFromBytes(values.Bytes())
		offs[0] = 0
		data = memory.NewResizableBuffer(r.alloc)
	default:
		values = r.buffer(aw * n)
	}
	defer func() {
		if err != nil {
			for _, b := range []*memory.Buffer{valid, values, data} {
				if b != nil {
					b.Release()
				}
			}
		}
	}()
	nulls := 0
	var dlen int
	for done := 0; done < n; {
		if c.pageRow == c.pageRows {
			if err := c.nextPage(r); err != nil {
				return nil, err
			}
			continue
		}
		k := min(n-done, c.pageRows-c.pageRow)
		nn := k
		if c.valid == nil {
			bitutil.SetBitsTo(vb, int64(done), int64(k), true)
		} else {
			bitutil.CopyBitmap(c.valid, c.pageRow, k, vb, done)
			nn = bitutil.CountSetBits(c.valid, c.pageRow, k)
		}
		nulls += k - nn
		allValid := nn == k
		vals := values.Bytes()
		switch c.kind {
		case fBool:
			for i := range k {
				if allValid || bitutil.BitIsSet(c.valid, c.pageRow+i) {
					if bitutil.BitIsSet(c.vals, c.valPos) {
						bitutil.SetBit(vals, done+i)
					}
					c.valPos++
				}
			}
		case fBytes:
			// Size the data buffer once for this run of rows.
			need := 0
			if c.indexed {
				for _, e := range c.idx[c.idxPos : c.idxPos+nn] {
					need += int(c.dictLens[e])
				}
			} else {
				need = len(c.vals) - c.valPos - 4*nn // an upper bound
			}
			if dlen+need > data.Len() {
				data.Reserve(dlen + need)
				data.Resize(data.Cap())
			}
			db := data.Bytes()
			if c.indexed && allValid {
				// The common case, without per-value branches: gather
				// dictionary entries (short ones byte by byte, as a copy
				// call costs more than the bytes).
				for i, e := range c.idx[c.idxPos : c.idxPos+k] {
					lo, l := c.dictOffs[e], c.dictLens[e]
					v := c.dictData[lo : lo+l]
					if l <= 8 {
						d := db[dlen : dlen+int(l)]
						for j := range d {
							d[j] = v[j]
						}
					} else {
						copy(db[dlen:], v)
					}
					dlen += int(l)
					offs[done+i+1] = int32(dlen)
				}
				c.idxPos += k
				break
			}
			for i := range k {
				if allValid || bitutil.BitIsSet(c.valid, c.pageRow+i) {
					var v []byte
					if c.indexed {
						e := c.idx[c.idxPos]
						c.idxPos++
						lo := c.dictOffs[e]
						v = c.dictData[lo : lo+c.dictLens[e]]
					} else {
						if c.valPos+4 > len(c.vals) {
							return nil, errFlatLayout
						}
						l := int(binary.LittleEndian.Uint32(c.vals[c.valPos:]))
						if l < 0 || c.valPos+4+l > len(c.vals) {
							return nil, errFlatLayout
						}
						v = c.vals[c.valPos+4 : c.valPos+4+l]
						c.valPos += 4 + l
					}
					if dlen+len(v) > len(db) { // not for well-formed pages
						data.Reserve(max(2*data.Len(), dlen+len(v)))
						data.Resize(data.Cap())
						db = data.Bytes()
					}
					copy(db[dlen:], v)
					dlen += len(v)
				}
				offs[done+i+1] = int32(dlen)
			}
		default:
			w := c.kind.width()
			dst := vals[done*aw : (done+k)*aw]
			if c.indexed && allValid && w == aw && (w == 4 || w == 8) {
				idx := c.idx[c.idxPos : c.idxPos+k]
				c.idxPos += k
				if w == 8 {
					gather(castSlice[uint64](dst), castSlice[uint64](c.dictFixed), idx)
				} else {
					gather(castSlice[uint32](dst), castSlice[uint32](c.dictFixed), idx)
				}
				break
			}
			if c.indexed { // dictionary: gather
				for i := range k {
					if !allValid && !bitutil.BitIsSet(c.valid, c.pageRow+i) {
						clear(dst[i*w : (i+1)*w])
						continue
					}
					e := int(c.idx[c.idxPos])
					c.idxPos++
					copy(dst[i*w:(i+1)*w], c.dictFixed[e*w:(e+1)*w])
				}
				break
			}
			if allValid && w == aw && c.kind != fFLBA16 {
				copy(dst, c.vals[c.valPos:c.valPos+k*w])
				c.valPos += k * w
				break
			}
			for i := range k {
				if !allValid && !bitutil.BitIsSet(c.valid, c.pageRow+i) {
					clear(dst[i*aw : (i+1)*aw])
					continue
				}
				src := c.vals[c.valPos : c.valPos+w]
				c.valPos += w
				switch c.kind {
				case fInt8:
					dst[i] = src[0]
				case fInt16:
					dst[2*i], dst[2*i+1] = src[0], src[1]
				case fFLBA16:
					for j := range 16 {
						dst[16*i+j] = src[15-j]
					}
				default:
					copy(dst[i*aw:], src)
				}
			}
		}
		c.pageRow += k
		done += k
	}
	if nulls == 0 {
		valid.Release()
		valid = nil
	}
	bufs := []*memory.Buffer{valid, values}
	if c.kind == fBytes {
		data.Resize(dlen)
		bufs = append(bufs, data)
	}
	d := array.NewData(c.dt, n, bufs, nil, nulls, 0) // retains the buffers
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	return d, nil
}

func (r *flatReader) Close() error {
	for _, c := range r.cols {
		c.chunk, c.buf, c.dictData = nil, nil, nil
		releaseAll(c.hot)
		dropUnkept(c.fill) // a row group not read to its end is not kept
		c.hot, c.fill = nil, nil
	}
	return nil
}

var _ source.BatchReader = (*flatReader)(nil)

// takeBytes returns the segment bytes read since the last call.
func (r *flatReader) takeBytes() int64 {
	n := r.bytes
	r.bytes = 0
	return n
}

func gather[T uint32 | uint64](dst, dict []T, idx []int32) {
	dst = dst[:len(idx)]
	for i, e := range idx {
		dst[i] = dict[e]
	}
}

// castSlice views b as a slice of T (b's length must be a multiple of
// T's size; Arrow and Go heap buffers are aligned for it).
func castSlice[T any](b []byte) []T {
	if len(b) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/int(unsafe.Sizeof(z)))
}
