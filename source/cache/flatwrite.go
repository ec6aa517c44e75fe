package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/klauspost/compress/s2"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/rle"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/zeebo/xxh3"

	"github.com/quarry-sql/quarry/internal/arrowx"
	"github.com/quarry-sql/quarry/types"
)

// The flat writer writes segment files of top-level scalar columns
// directly from Arrow buffers, page by page: parquet-go's row-value
// writer costs about three times the parse of the text it caches (a
// parquet.Value per value, levels per value, a Go map per string), which
// would make a filling query several times slower than a raw one.
//
// Layout (valid Parquet, same schema elements as parquet-go writes for
// the columns): per row group, per column, one chunk of v1 data pages of
// about flatPageBytes; definition levels as one RLE run (no NULL in the
// page) or one bit-packed run (the Arrow validity bits); numbers PLAIN;
// strings and 4- and 8-byte numbers RLE_DICTIONARY with a PLAIN
// dictionary page while the dictionary stays small and repetitive, PLAIN
// otherwise; each column Snappy-compressed when that saves at least 1/8
// on its first page.

const (
	flatPageBytes = 1 << 20
	// Dictionary encoding of a string column chunk stops (the chunk is
	// written PLAIN) when its dictionary passes dictMaxBytes or, after
	// dictProbe values, holds more than one distinct value in dictRatio.
	dictMaxBytes = 1 << 20
	dictProbe    = 4096
	dictRatio    = 2
)

type flatKind uint8

const (
	fBool flatKind = iota
	fInt8
	fInt16
	fInt32
	fInt64
	fFloat
	fDouble
	fFLBA16
	fBytes
)

// flatKindOf returns the flat encoding of a scalar type, or false for
// nested types.
func flatKindOf(t types.Type) (flatKind, bool) {
	switch t.Kind {
	case types.Boolean:
		return fBool, true
	case types.TinyInt:
		return fInt8, true
	case types.SmallInt:
		return fInt16, true
	case types.Integer, types.Date:
		return fInt32, true
	case types.BigInt, types.Timestamp, types.TimestampTZ, types.Time:
		return fInt64, true
	case types.Decimal:
		if t.IsShortDecimal() {
			return fInt64, true
		}
		return fFLBA16, true
	case types.Real:
		return fFloat, true
	case types.Double:
		return fDouble, true
	case types.Varchar, types.Char, types.JSON, types.Varbinary:
		return fBytes, true
	}
	return 0, false
}

// dictable reports whether a fixed-width kind is dictionary encoded
// while that pays: few distinct numbers (quantities, dates, codes) take a
// few bits per value and decode by a gather, where PLAIN pages would need
// compression to be small and decompression to be read.
func (k flatKind) dictable() bool {
	return k == fInt32 || k == fInt64 || k == fFloat || k == fDouble
}

// width is the bytes per value of a fixed-width kind in Parquet.
func (k flatKind) width() int {
	switch k {
	case fInt8, fInt16, fInt32, fFloat:
		return 4
	case fInt64, fDouble:
		return 8
	case fFLBA16:
		return 16
	}
	return 0
}

// arrowWidth is the bytes per value in the Arrow array.
func (k flatKind) arrowWidth() int {
	switch k {
	case fInt8:
		return 1
	case fInt16:
		return 2
	}
	return k.width()
}

func (k flatKind) physical() format.Type {
	switch k {
	case fBool:
		return format.Boolean
	case fInt8, fInt16, fInt32:
		return format.Int32
	case fInt64:
		return format.Int64
	case fFloat:
		return format.Float
	case fDouble:
		return format.Double
	case fFLBA16:
		return format.FixedLenByteArray
	}
	return format.ByteArray
}

func allFlat(cols []types.Column) bool {
	for _, c := range cols {
		if _, ok := flatKindOf(c.Type); !ok {
			return false
		}
	}
	return true
}

// schemaElements returns the schema parquet-go writes for cols, so that
// files of either writer describe columns identically.
func schemaElements(cols []types.Column) ([]format.SchemaElement, error) {
	schema, _, err := segmentSchema(cols)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	if err := w.Close(); err != nil {
		return nil, err
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return nil, err
	}
	return f.Metadata().Schema, nil
}

type flatColumn struct {
	name  string
	kind  flatKind
	plain bool // dictionary encoding gave up on this column
	codec format.CompressionCodec
	coded bool // codec chosen
}

// flatWriter implements segmentWriter for groups of scalar columns.
type flatWriter struct {
	w      io.Writer
	off    int64
	cols   []flatColumn
	schema []format.SchemaElement
	groups []format.RowGroup

	fixed      []int64
	groupRows  int64
	noCompress bool
	pageBytes  int // target page size (tests shrink it)
	rgRows     []int64
	pending    [][]arrow.Array // the current row group's arrays, per batch
	rgCount    int64
	rgBytes    int64
	rows       int64

	// scratch, reused across pages
	vals     []byte
	defs     []byte
	page     []byte
	comp     []byte
	idx      []int32
	rleBuf   []byte
	boolBits int
	chunk    []byte
	dict     dictTable
	fdict    fixedDict
}

func newFlatWriter(out io.Writer, cols []types.Column, fixed []int64, groupRows int64) (*flatWriter, error) {
	schema, err := schemaElements(cols)
	if err != nil {
		return nil, err
	}
	w := &flatWriter{w: out, schema: schema, fixed: fixed, groupRows: groupRows, pageBytes: flatPageBytes}
	for _, c := range cols {
		k, ok := flatKindOf(c.Type)
		if !ok {
			return nil, fmt.Errorf("BUG: column %s of type %s is not flat", c.Name, c.Type)
		}
		w.cols = append(w.cols, flatColumn{name: c.Name, kind: k})
	}
	if err := w.emit([]byte("PAR1")); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *flatWriter) emit(b []byte) error {
	n, err := w.w.Write(b)
	w.off += int64(n)
	return err
}

// write adds n rows (one array per column); it keeps references to the
// arrays until their row group is written.
func (w *flatWriter) write(cols []arrow.Array, n int) error {
	var batchBytes int64
	for _, a := range cols {
		batchBytes += arrowx.DataBytes(a.Data())
	}
	for start := 0; start < n; {
		limit := w.groupRows
		if w.fixed != nil {
			g := len(w.rgRows)
			if g >= len(w.fixed) {
				return fmt.Errorf("more rows than the segment's first column group (%d row groups)", len(w.fixed))
			}
			limit = w.fixed[g]
		}
		k := int(min(int64(n-start), limit-w.rgCount))
		if k > 0 {
			part := make([]arrow.Array, len(cols))
			for i, a := range cols {
				if start == 0 && k == a.Len() {
					a.Retain()
					part[i] = a
				} else {
					part[i] = array.NewSlice(a, int64(start), int64(start+k))
				}
			}
			w.pending = append(w.pending, part)
			w.rgBytes += batchBytes * int64(k) / int64(max(n, 1))
		}
		start += k
		w.rgCount += int64(k)
		w.rows += int64(k)
		full := w.rgCount >= limit || (w.fixed == nil && w.rgBytes >= maxGroupBytes)
		if full {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *flatWriter) release() {
	for _, p := range w.pending {
		releaseAll(p)
	}
	w.pending = nil
}

// flush writes the current row group.
func (w *flatWriter) flush() error {
	if w.rgCount == 0 {
		return nil
	}
	defer w.release()
	rg := format.RowGroup{NumRows: w.rgCount, FileOffset: w.off, Ordinal: int16(len(w.groups))}
	for c := range w.cols {
		arrs := make([]arrow.Array, len(w.pending))
		for i, p := range w.pending {
			arrs[i] = p[c]
		}
		cc, err := w.writeChunk(&w.cols[c], arrs, w.rgCount)
		if err != nil {
			return fmt.Errorf("column %s: %w", w.cols[c].name, err)
		}
		rg.Columns = append(rg.Columns, cc)
		rg.TotalByteSize += cc.MetaData.TotalUncompressedSize
		rg.TotalCompressedSize += cc.MetaData.TotalCompressedSize
	}
	w.groups = append(w.groups, rg)
	w.rgRows = append(w.rgRows, w.rgCount)
	w.rgCount, w.rgBytes = 0, 0
	return nil
}

// close writes the last row group and the footer.
func (w *flatWriter) close() error {
	if err := w.flush(); err != nil {
		return err
	}
	if w.fixed != nil && len(w.rgRows) != len(w.fixed) {
		return fmt.Errorf("%d row groups written, the segment has %d", len(w.rgRows), len(w.fixed))
	}
	md := format.FileMetaData{Version: 1, Schema: w.schema, NumRows: w.rows, RowGroups: w.groups, CreatedBy: "quarry-cache"}
	b, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		return err
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(b)))
	return w.emit(append(b, "PAR1"...))
}

// chunkStats accumulates a column chunk's statistics.
type chunkStats struct {
	nulls    int64
	min, max []byte
	has      bool
	i64      [2]int64
	f64      [2]float64
}

// writeChunk encodes one column of the current row group.
func (w *flatWriter) writeChunk(col *flatColumn, arrs []arrow.Array, rows int64) (format.ColumnChunk, error) {
	useDict := (col.kind == fBytes || col.kind.dictable()) && !col.plain
	var st chunkStats
	w.chunk = w.chunk[:0]
	if useDict {
		w.dict.reset()
		w.fdict.reset()
	}
again:
	w.chunk = w.chunk[:0]
	st = chunkStats{}
	var uncompressed int64
	seen := 0
	// Page assembly state.
	pageRows, pageNulls := 0, 0
	w.vals, w.defs, w.idx, w.boolBits = w.vals[:0], w.defs[:0], w.idx[:0], 0
	flushPage := func() error {
		if pageRows == 0 {
			return nil
		}
		n, err := w.dataPage(col, pageRows, pageNulls, useDict)
		uncompressed += n
		pageRows, pageNulls = 0, 0
		w.vals, w.defs, w.idx, w.boolBits = w.vals[:0], w.defs[:0], w.idx[:0], 0
		return err
	}
	for _, a := range arrs {
		d := a.Data()
		n := a.Len()
		nulls := a.NullN()
		st.nulls += int64(nulls)
		for lo := 0; lo < n; {
			// Rows of this array that fit the current page.
			k := n - lo
			if wd := col.kind.width(); wd > 0 {
				k = min(k, max(w.pageBytes/wd-pageRows, 1))
			} else if col.kind == fBool {
				k = min(k, max(w.pageBytes*8-pageRows, 1))
			}
			// Definition levels as validity bits of the page.
			need := (pageRows + k + 7) / 8
			for len(w.defs) < need {
				w.defs = append(w.defs, 0)
			}
			if nulls == 0 {
				bitutil.SetBitsTo(w.defs, int64(pageRows), int64(k), true)
			} else {
				bitutil.CopyBitmap(d.Buffers()[0].Bytes(), d.Offset()+lo, k, w.defs, pageRows)
				pageNulls += k - bitutil.CountSetBits(d.Buffers()[0].Bytes(), d.Offset()+lo, k)
			}
			switch {
			case useDict:
				var entries, size int
				if col.kind == fBytes {
					w.appendDict(d, lo, k, nulls > 0)
					entries, size = w.dict.count(), w.dict.bytes
				} else {
					w.appendFixedDict(col.kind, d, lo, k, nulls > 0)
					entries, size = w.fdict.count(), w.fdict.count()*col.kind.width()
				}
				seen += k
				if size > dictMaxBytes || (seen >= dictProbe && entries*dictRatio > seen) {
					// Too many distinct values: PLAIN, from the start of the
					// chunk, with the codec chosen afresh.
					col.plain, useDict, col.coded = true, false, false
					goto again
				}
			case col.kind == fBytes:
				w.appendPlainBytes(d, lo, k, nulls > 0, &st)
			default:
				w.appendFixed(col.kind, d, lo, k, nulls > 0, &st)
			}
			pageRows += k
			lo += k
			if (col.kind == fBytes && len(w.vals)+4*len(w.idx) >= w.pageBytes) || pageRows*max(col.kind.width(), 1) >= w.pageBytes || (col.kind == fBool && pageRows >= w.pageBytes*8) {
				if err := flushPage(); err != nil {
					return format.ColumnChunk{}, err
				}
			}
		}
	}
	if err := flushPage(); err != nil {
		return format.ColumnChunk{}, err
	}
	start := w.off
	md := format.ColumnMetaData{Type: col.kind.physical(), PathInSchema: []string{col.name},
		Codec: col.codec, NumValues: rows}
	if useDict {
		// The dictionary page goes first; its entries are PLAIN.
		var page []byte
		if col.kind == fBytes {
			page = w.dict.plain(w.page[:0])
		} else {
			page = w.fdict.plain(w.page[:0], col.kind.width())
		}
		w.page = page
		hdr, body, err := w.compress(col, page, format.PageHeader{Type: format.DictionaryPage,
			DictionaryPageHeader: thrift.New(format.DictionaryPageHeader{NumValues: int32(w.dictCount(col)), Encoding: format.Plain})})
		if err != nil {
			return format.ColumnChunk{}, err
		}
		md.DictionaryPageOffset = w.off
		if err := w.emit(hdr); err != nil {
			return format.ColumnChunk{}, err
		}
		if err := w.emit(body); err != nil {
			return format.ColumnChunk{}, err
		}
		uncompressed += int64(len(hdr) + len(page))
		if col.kind == fBytes {
			st.min, st.max, st.has = w.dict.minMax()
		} else {
			st.fixed(col.kind, page)
		}
		md.Encoding = []format.Encoding{format.Plain, format.RLE, format.RLEDictionary}
	} else {
		md.Encoding = []format.Encoding{format.Plain, format.RLE}
	}
	md.DataPageOffset = w.off
	if err := w.emit(w.chunk); err != nil {
		return format.ColumnChunk{}, err
	}
	md.TotalUncompressedSize = uncompressed
	md.TotalCompressedSize = w.off - start
	md.Statistics = st.format(col.kind)
	return format.ColumnChunk{FileOffset: start, MetaData: md}, nil
}

func (w *flatWriter) dictCount(col *flatColumn) int {
	if col.kind == fBytes {
		return w.dict.count()
	}
	return w.fdict.count()
}

func (w *flatWriter) leaves() []int {
	out := make([]int, len(w.cols))
	for i := range out {
		out[i] = i
	}
	return out
}

// dataPage encodes the assembled page (w.defs, w.vals or w.idx) into
// w.chunk and returns its uncompressed size with header.
func (w *flatWriter) dataPage(col *flatColumn, rows, nulls int, dict bool) (int64, error) {
	page := w.page[:0]
	// Definition levels: length-prefixed RLE/bit-packed hybrid, width 1.
	page = append(page, 0, 0, 0, 0)
	if nulls == 0 {
		page = binary.AppendUvarint(page, uint64(rows)<<1)
		page = append(page, 1)
	} else {
		groups := (rows + 7) / 8
		page = binary.AppendUvarint(page, uint64(groups)<<1|1)
		page = append(page, w.defs[:groups]...)
		if rows%8 != 0 { // padding values beyond the page are zero
			page[len(page)-1] &= byte(1)<<(rows%8) - 1
		}
	}
	binary.LittleEndian.PutUint32(page, uint32(len(page)-4))
	enc := format.Plain
	if dict {
		enc = format.RLEDictionary
		width := max(bits.Len32(uint32(max(w.dictCount(col)-1, 0))), 1)
		page = append(page, byte(width))
		enc, err := (&rle.Encoding{BitWidth: width}).EncodeInt32(w.rleBuf[:0], w.idx)
		if err != nil {
			return 0, err
		}
		w.rleBuf = enc
		page = append(page, enc...)
	} else {
		page = append(page, w.vals...)
	}
	w.page = page
	hdr, body, err := w.compress(col, page, format.PageHeader{Type: format.DataPage,
		DataPageHeader: thrift.New(format.DataPageHeader{NumValues: int32(rows), Encoding: enc,
			DefinitionLevelEncoding: format.RLE, RepetitionLevelEncoding: format.RLE})})
	if err != nil {
		return 0, err
	}
	w.chunk = append(w.chunk, hdr...)
	w.chunk = append(w.chunk, body...)
	return int64(len(hdr) + len(page)), nil
}

// compress returns the page header and body of page, compressed when the
// column compresses (decided on its first page).
func (w *flatWriter) compress(col *flatColumn, page []byte, h format.PageHeader) ([]byte, []byte, error) {
	body := page
	if w.noCompress && !col.coded {
		col.coded, col.codec = true, format.Uncompressed
	}
	if !col.coded || col.codec == format.Snappy {
		w.comp = s2.EncodeSnappy(w.comp[:cap(w.comp)], page)
		if !col.coded {
			col.coded = true
			col.codec = format.Uncompressed
			if len(w.comp) <= len(page)-len(page)/8 {
				col.codec = format.Snappy
			}
		}
		if col.codec == format.Snappy {
			body = w.comp
		}
	}
	h.UncompressedPageSize = int32(len(page))
	h.CompressedPageSize = int32(len(body))
	hdr, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	return hdr, body, err
}

// appendFixed appends the non-null values of rows [lo, lo+k) of d as
// PLAIN values and updates the statistics.
func (w *flatWriter) appendFixed(kind flatKind, d arrow.ArrayData, lo, k int, hasNulls bool, st *chunkStats) {
	off := d.Offset() + lo
	if kind == fBool {
		w.appendBools(d, off, k, hasNulls)
		return
	}
	aw := kind.arrowWidth()
	src := d.Buffers()[1].Bytes()[off*aw : (off+k)*aw]
	var valid []byte
	if hasNulls {
		valid = d.Buffers()[0].Bytes()
	}
	start := len(w.vals)
	switch kind {
	case fInt8, fInt16:
		for i := range k {
			if valid != nil && !bitutil.BitIsSet(valid, off+i) {
				continue
			}
			var v int32
			if kind == fInt8 {
				v = int32(int8(src[i]))
			} else {
				v = int32(int16(binary.LittleEndian.Uint16(src[2*i:])))
			}
			w.vals = binary.LittleEndian.AppendUint32(w.vals, uint32(v))
		}
	case fFLBA16:
		for i := range k {
			if valid != nil && !bitutil.BitIsSet(valid, off+i) {
				continue
			}
			v := src[16*i : 16*i+16]
			for j := 15; j >= 0; j-- { // little-endian 128-bit to big-endian
				w.vals = append(w.vals, v[j])
			}
		}
		return // no statistics for 128-bit decimals
	default:
		if valid == nil {
			w.vals = append(w.vals, src...)
		} else {
			for i := range k {
				if bitutil.BitIsSet(valid, off+i) {
					w.vals = append(w.vals, src[aw*i:aw*i+aw]...)
				}
			}
		}
	}
	st.fixed(kind, w.vals[start:])
}

func (st *chunkStats) fixed(kind flatKind, vals []byte) {
	switch kind {
	case fInt8, fInt16, fInt32:
		for i := 0; i+4 <= len(vals); i += 4 {
			st.addInt(int64(int32(binary.LittleEndian.Uint32(vals[i:]))))
		}
	case fInt64:
		for i := 0; i+8 <= len(vals); i += 8 {
			st.addInt(int64(binary.LittleEndian.Uint64(vals[i:])))
		}
	case fFloat:
		for i := 0; i+4 <= len(vals); i += 4 {
			st.addFloat(float64(math.Float32frombits(binary.LittleEndian.Uint32(vals[i:]))))
		}
	case fDouble:
		for i := 0; i+8 <= len(vals); i += 8 {
			st.addFloat(math.Float64frombits(binary.LittleEndian.Uint64(vals[i:])))
		}
	}
}

func (st *chunkStats) addInt(v int64) {
	if !st.has {
		st.i64, st.has = [2]int64{v, v}, true
		return
	}
	st.i64[0], st.i64[1] = min(st.i64[0], v), max(st.i64[1], v)
}

func (st *chunkStats) addFloat(v float64) {
	if v != v {
		return // NaN
	}
	if !st.has {
		st.f64, st.has = [2]float64{v, v}, true
		return
	}
	st.f64[0], st.f64[1] = min(st.f64[0], v), max(st.f64[1], v)
}

func (st *chunkStats) addBytes(v []byte) {
	if !st.has {
		st.min, st.max, st.has = append([]byte(nil), v...), append([]byte(nil), v...), true
		return
	}
	if bytes.Compare(v, st.min) < 0 {
		st.min = append(st.min[:0], v...)
	} else if bytes.Compare(v, st.max) > 0 {
		st.max = append(st.max[:0], v...)
	}
}

// format renders the statistics as Parquet stores them (PLAIN values).
func (st *chunkStats) format(kind flatKind) format.Statistics {
	out := format.Statistics{NullCount: st.nulls}
	if !st.has {
		return out
	}
	switch kind {
	case fInt8, fInt16, fInt32:
		out.MinValue = binary.LittleEndian.AppendUint32(nil, uint32(int32(st.i64[0])))
		out.MaxValue = binary.LittleEndian.AppendUint32(nil, uint32(int32(st.i64[1])))
	case fInt64:
		out.MinValue = binary.LittleEndian.AppendUint64(nil, uint64(st.i64[0]))
		out.MaxValue = binary.LittleEndian.AppendUint64(nil, uint64(st.i64[1]))
	case fFloat:
		out.MinValue = binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(st.f64[0])))
		out.MaxValue = binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(st.f64[1])))
	case fDouble:
		out.MinValue = binary.LittleEndian.AppendUint64(nil, math.Float64bits(st.f64[0]))
		out.MaxValue = binary.LittleEndian.AppendUint64(nil, math.Float64bits(st.f64[1]))
	case fBytes:
		out.MinValue, out.MaxValue = st.min, st.max
	}
	return out
}

func (w *flatWriter) appendBools(d arrow.ArrayData, off, k int, hasNulls bool) {
	src := d.Buffers()[1].Bytes()
	var valid []byte
	if hasNulls {
		valid = d.Buffers()[0].Bytes()
	}
	// PLAIN booleans are bit-packed LSB first; w.vals holds whole bytes,
	// so the page's bit count is kept in the last byte's fill (see
	// boolBits).
	for i := range k {
		if valid != nil && !bitutil.BitIsSet(valid, off+i) {
			continue
		}
		n := w.boolBits
		if n%8 == 0 {
			w.vals = append(w.vals, 0)
		}
		if bitutil.BitIsSet(src, off+i) {
			w.vals[n/8] |= 1 << (n % 8)
		}
		w.boolBits++
	}
}

func (w *flatWriter) appendPlainBytes(d arrow.ArrayData, lo, k int, hasNulls bool, st *chunkStats) {
	offs := arrow.Int32Traits.CastFromBytes(d.Buffers()[1].Bytes())[d.Offset()+lo : d.Offset()+lo+k+1]
	var data []byte
	if b := d.Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	var valid []byte
	if hasNulls {
		valid = d.Buffers()[0].Bytes()
	}
	for i := range k {
		if valid != nil && !bitutil.BitIsSet(valid, d.Offset()+lo+i) {
			continue
		}
		v := data[offs[i]:offs[i+1]]
		w.vals = binary.LittleEndian.AppendUint32(w.vals, uint32(len(v)))
		w.vals = append(w.vals, v...)
		st.addBytes(v)
	}
}

func (w *flatWriter) appendDict(d arrow.ArrayData, lo, k int, hasNulls bool) {
	offs := arrow.Int32Traits.CastFromBytes(d.Buffers()[1].Bytes())[d.Offset()+lo : d.Offset()+lo+k+1]
	var data []byte
	if b := d.Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	var valid []byte
	if hasNulls {
		valid = d.Buffers()[0].Bytes()
	}
	last, lastIdx := []byte(nil), int32(-1)
	for i := range k {
		if valid != nil && !bitutil.BitIsSet(valid, d.Offset()+lo+i) {
			continue
		}
		v := data[offs[i]:offs[i+1]]
		if lastIdx < 0 || !bytes.Equal(v, last) { // runs are common (sorted or repetitive data)
			last, lastIdx = v, w.dict.index(v)
		}
		w.idx = append(w.idx, lastIdx)
	}
}

// dictTable assigns dictionary indices to byte strings: open addressing
// over xxh3 hashes, entries kept in insertion order in one buffer.
type dictTable struct {
	slots []int32 // entry index + 1; 0 empty
	hash  []uint64
	offs  []int32 // entry i is data[offs[i]:offs[i+1]]
	data  []byte
	bytes int
}

func (t *dictTable) reset() {
	clear(t.slots)
	t.hash, t.offs, t.data, t.bytes = t.hash[:0], append(t.offs[:0], 0), t.data[:0], 0
	if len(t.slots) == 0 {
		t.slots = make([]int32, 1024)
	}
}

func (t *dictTable) count() int { return len(t.offs) - 1 }

func (t *dictTable) entry(i int) []byte { return t.data[t.offs[i]:t.offs[i+1]] }

func (t *dictTable) index(v []byte) int32 {
	if n := t.count(); n <= 8 { // flags and codes: comparing beats hashing
		for i := range n {
			if bytes.Equal(t.entry(i), v) {
				return int32(i)
			}
		}
	}
	h := xxh3.Hash(v)
	mask := uint64(len(t.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		e := t.slots[s]
		if e == 0 {
			break
		}
		if t.hash[e-1] == h && bytes.Equal(t.entry(int(e-1)), v) {
			return e - 1
		}
	}
	if 2*(t.count()+1) > len(t.slots) {
		t.grow()
		mask = uint64(len(t.slots) - 1)
	}
	idx := int32(t.count())
	t.hash = append(t.hash, h)
	t.data = append(t.data, v...)
	t.offs = append(t.offs, int32(len(t.data)))
	t.bytes += len(v) + 4
	for s := h & mask; ; s = (s + 1) & mask {
		if t.slots[s] == 0 {
			t.slots[s] = idx + 1
			break
		}
	}
	return idx
}

func (t *dictTable) grow() {
	t.slots = make([]int32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for i, h := range t.hash {
		for s := h & mask; ; s = (s + 1) & mask {
			if t.slots[s] == 0 {
				t.slots[s] = int32(i + 1)
				break
			}
		}
	}
}

// plain appends the dictionary as a PLAIN page body.
func (t *dictTable) plain(dst []byte) []byte {
	for i := range t.count() {
		e := t.entry(i)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(e)))
		dst = append(dst, e...)
	}
	return dst
}

func (t *dictTable) minMax() (lo, hi []byte, ok bool) {
	for i := range t.count() {
		e := t.entry(i)
		if !ok || bytes.Compare(e, lo) < 0 {
			lo = e
		}
		if !ok || bytes.Compare(e, hi) > 0 {
			hi = e
		}
		ok = true
	}
	return bytes.Clone(lo), bytes.Clone(hi), ok
}

var errFlatLayout = errors.New("segment page is not in the cache's flat layout")

func (w *flatWriter) appendFixedDict(kind flatKind, d arrow.ArrayData, lo, k int, hasNulls bool) {
	off := d.Offset() + lo
	wd := kind.width()
	src := d.Buffers()[1].Bytes()[off*wd : (off+k)*wd]
	var valid []byte
	if hasNulls {
		valid = d.Buffers()[0].Bytes()
	}
	var last uint64
	lastIdx := int32(-1)
	for i := range k {
		if valid != nil && !bitutil.BitIsSet(valid, off+i) {
			continue
		}
		var v uint64
		if wd == 4 {
			v = uint64(binary.LittleEndian.Uint32(src[4*i:]))
		} else {
			v = binary.LittleEndian.Uint64(src[8*i:])
		}
		if lastIdx < 0 || v != last {
			last, lastIdx = v, w.fdict.index(v)
		}
		w.idx = append(w.idx, lastIdx)
	}
}

// fixedDict assigns dictionary indices to fixed-width values (their bits).
type fixedDict struct {
	slots  []int32 // entry index + 1; 0 empty
	values []uint64
}

func (t *fixedDict) reset() {
	clear(t.slots)
	t.values = t.values[:0]
	if len(t.slots) == 0 {
		t.slots = make([]int32, 1024)
	}
}

func (t *fixedDict) count() int { return len(t.values) }

func hash64(v uint64) uint64 {
	v ^= v >> 33
	v *= 0xff51afd7ed558ccd
	v ^= v >> 33
	return v
}

func (t *fixedDict) index(v uint64) int32 {
	mask := uint64(len(t.slots) - 1)
	for s := hash64(v) & mask; ; s = (s + 1) & mask {
		e := t.slots[s]
		if e == 0 {
			break
		}
		if t.values[e-1] == v {
			return e - 1
		}
	}
	if 2*(len(t.values)+1) > len(t.slots) {
		t.slots = make([]int32, 2*len(t.slots))
		mask = uint64(len(t.slots) - 1)
		for i, x := range t.values {
			for s := hash64(x) & mask; ; s = (s + 1) & mask {
				if t.slots[s] == 0 {
					t.slots[s] = int32(i + 1)
					break
				}
			}
		}
	}
	idx := int32(len(t.values))
	t.values = append(t.values, v)
	for s := hash64(v) & mask; ; s = (s + 1) & mask {
		if t.slots[s] == 0 {
			t.slots[s] = idx + 1
			break
		}
	}
	return idx
}

// plain appends the dictionary as a PLAIN page body of width-byte values.
func (t *fixedDict) plain(dst []byte, width int) []byte {
	for _, v := range t.values {
		if width == 4 {
			dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
		} else {
			dst = binary.LittleEndian.AppendUint64(dst, v)
		}
	}
	return dst
}
