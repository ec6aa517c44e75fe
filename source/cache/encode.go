package cache

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/klauspost/compress/s2"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/source/pqshred"
	"github.com/quarry-sql/quarry/types"
)

// Segment file layout (read back by source/parquet): every column is an
// OPTIONAL field named c<table column index>; lists are three-level LIST,
// maps MAP with required keys, rows optional groups in declared field
// order. Leaves other than booleans are dictionary encoded (parquet-go
// falls back to plain once a dictionary passes dictionaryMaxBytes);
// pages are snappy-compressed v1 pages with statistics.
//
// Strings (and binary) are dictionary encoded; numbers are PLAIN, which
// reads back at memory speed (a dictionary costs a hash probe per value
// to write and a gather per value to read, for little space once pages
// are compressed).

const (
	pageBufferSize     = 1 << 20
	dictionaryMaxBytes = 1 << 20
	// maxGroupRows and maxGroupBytes end a row group of the first column
	// group of a segment; later groups copy its boundaries.
	maxGroupRows  = 64 << 10
	maxGroupBytes = 16 << 20
	// chunkRows is how many rows are converted per WriteRowValues call.
	chunkRows = 2048
)

// fileColumnName names table column idx inside segment files: positional
// names keep lookups exact whatever the table's column names are.
func fileColumnName(idx int) string { return fmt.Sprintf("c%d", idx) }

// cacheable reports whether values of t survive a round trip through a
// segment file (what the writer below stores and source/parquet reads
// back as the same Arrow type).
func cacheable(t types.Type) bool {
	switch t.Kind {
	case types.Boolean, types.TinyInt, types.SmallInt, types.Integer, types.BigInt, types.Real, types.Double,
		types.Varchar, types.Char, types.JSON, types.Varbinary, types.Date, types.Time, types.Timestamp, types.TimestampTZ:
		return true
	case types.Decimal:
		return t.Precision >= 1 && t.Precision <= types.MaxDecimalPrecision && t.Scale >= 0 && t.Scale <= t.Precision
	case types.Array:
		return cacheable(*t.Elem)
	case types.Map:
		k := *t.Key
		return k.Kind != types.Array && k.Kind != types.Map && k.Kind != types.Row && cacheable(k) && cacheable(*t.Elem)
	case types.Row:
		if len(t.Fields) == 0 {
			return false
		}
		for _, f := range t.Fields {
			if f.Name == "" || !cacheable(f.Type) {
				return false
			}
		}
		return true
	}
	return false
}

// segmentSchema is the Parquet schema of a column group with nested
// columns: dictionaries on strings only (fills must be cheap), long
// decimals in 16 bytes. cols must be cacheable.
func segmentSchema(cols []types.Column) (*parquet.Schema, []*pqshred.Node, error) {
	return pqshred.Schema("segment", cols, pqshred.Options{Decimal16: true})
}

// encoder writes one segment column group, column by column: each leaf's
// values are converted from Arrow arrays into parquet.Value slices with
// their levels and handed to that leaf's ColumnWriter.
type encoder struct {
	w      *parquet.Writer
	cols   []*parquet.ColumnWriter
	shreds []*pqshred.Node
	pqshred.Shredder
	// Row group boundaries: fixed (copied from the segment's first group)
	// or chosen here by maxGroupRows/maxGroupBytes.
	fixed     []int64
	groupRows int64
	rgRows    []int64
	rgCount   int64 // rows in the current row group
	rgBase    int64 // Writer.Size when the current row group began
	rows      int64
}

func newEncoder(out io.Writer, cols []types.Column, fixed []int64, groupRows int64) (*encoder, error) {
	schema, shreds, err := segmentSchema(cols)
	if err != nil {
		return nil, err
	}
	cfg, err := parquet.NewWriterConfig(
		schema,
		parquet.Compression(fastSnappy{}),
		parquet.PageBufferSize(pageBufferSize),
		parquet.DataPageVersion(1),
		parquet.DataPageStatistics(true),
		parquet.DictionaryMaxBytes(dictionaryMaxBytes),
		parquet.CreatedBy("quarry-cache", "", ""),
	)
	if err != nil {
		return nil, err
	}
	w := parquet.NewWriter(out, cfg)
	e := &encoder{w: w, shreds: shreds, cols: w.ColumnWriters(), fixed: fixed, groupRows: groupRows}
	e.Vals = make([][]parquet.Value, len(e.cols))
	return e, nil
}

// write appends the rows of cols (one array per group column).
func (e *encoder) write(cols []arrow.Array, n int) error {
	for start := 0; start < n; {
		k := n - start
		limit := e.groupRows
		if e.fixed != nil {
			g := len(e.rgRows)
			if g >= len(e.fixed) {
				return fmt.Errorf("more rows than the segment's first column group (%d row groups)", len(e.fixed))
			}
			limit = e.fixed[g]
		}
		k = int(min(int64(k), limit-e.rgCount))
		if k > 0 {
			if err := e.writeRows(cols, start, start+k); err != nil {
				return err
			}
		}
		start += k
		e.rgCount += int64(k)
		e.rows += int64(k)
		full := e.rgCount >= limit
		if e.fixed == nil && !full {
			full = e.w.Size()-e.rgBase >= maxGroupBytes
		}
		if full {
			if err := e.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *encoder) writeRows(cols []arrow.Array, lo, hi int) error {
	for c, sh := range e.shreds {
		arr := cols[c]
		for start := lo; start < hi; start += chunkRows {
			end := min(start+chunkRows, hi)
			for _, l := range sh.Leaves {
				e.Vals[l] = e.Vals[l][:0]
			}
			e.Arena = e.Arena[:0]
			if sh.Leaf >= 0 {
				e.Vals[sh.Leaf] = e.appendFlat(e.Vals[sh.Leaf], sh, arr, start, end)
			} else {
				for i := start; i < end; i++ {
					e.Shred(sh, arr, i, 0)
				}
			}
			for _, l := range sh.Leaves {
				if _, err := e.cols[l].WriteRowValues(e.Vals[l]); err != nil {
					return fmt.Errorf("parquet column %d: %w", l, err)
				}
			}
		}
	}
	return nil
}

func (e *encoder) flush() error {
	if e.rgCount == 0 {
		return nil
	}
	if err := e.w.Flush(); err != nil {
		return err
	}
	e.rgRows = append(e.rgRows, e.rgCount)
	e.rgCount = 0
	e.rgBase = e.w.Size()
	return nil
}

// segmentWriter writes one segment file: the flat writer for groups of
// scalar columns, the parquet-go encoder for groups with nested ones.
type segmentWriter interface {
	// write appends n rows, one array per group column; the caller may
	// release the arrays afterwards.
	write(cols []arrow.Array, n int) error
	close() error
	// leaves maps each leaf column of the file to its group column.
	leaves() []int
	release()
}

func newSegmentWriter(out io.Writer, cols []types.Column, fixed []int64, groupRows int64, noCompress bool) (segmentWriter, bool, error) {
	if allFlat(cols) {
		w, err := newFlatWriter(out, cols, fixed, groupRows)
		if err != nil {
			return nil, false, err
		}
		w.noCompress = noCompress
		return w, true, nil
	}
	e, err := newEncoder(out, cols, fixed, groupRows)
	if err != nil {
		return nil, false, err
	}
	return e, false, nil
}

func (e *encoder) leaves() []int { return leavesOf(e.shreds) }

func (e *encoder) release() {}

// close ends the last row group and writes the footer.
func (e *encoder) close() error {
	if err := e.flush(); err != nil {
		return err
	}
	if e.fixed != nil && len(e.rgRows) != len(e.fixed) {
		return fmt.Errorf("%d row groups written, the segment has %d", len(e.rgRows), len(e.fixed))
	}
	return e.w.Close()
}

// appendFlat appends values [lo, hi) of a top-level scalar column: one
// type switch per call, then a tight loop per type (the per-value path
// below costs several times more).
func (e *encoder) appendFlat(vals []parquet.Value, sh *pqshred.Node, arr arrow.Array, lo, hi int) []parquet.Value {
	def, leaf := sh.Def, sh.Leaf
	switch a := arr.(type) {
	case *array.Int64:
		return appendFixed(vals, a, a.Int64Values(), lo, hi, def, leaf, parquet.Int64Value)
	case *array.Int32:
		return appendFixed(vals, a, a.Int32Values(), lo, hi, def, leaf, parquet.Int32Value)
	case *array.Float64:
		return appendFixed(vals, a, a.Float64Values(), lo, hi, def, leaf, parquet.DoubleValue)
	case *array.Float32:
		return appendFixed(vals, a, a.Float32Values(), lo, hi, def, leaf, parquet.FloatValue)
	case *array.Decimal64:
		return appendFixed(vals, a, a.Values(), lo, hi, def, leaf, func(v decimal.Decimal64) parquet.Value { return parquet.Int64Value(int64(v)) })
	case *array.Date32:
		return appendFixed(vals, a, a.Date32Values(), lo, hi, def, leaf, func(v arrow.Date32) parquet.Value { return parquet.Int32Value(int32(v)) })
	case *array.Timestamp:
		return appendFixed(vals, a, a.TimestampValues(), lo, hi, def, leaf, func(v arrow.Timestamp) parquet.Value { return parquet.Int64Value(int64(v)) })
	case *array.Time64:
		return appendFixed(vals, a, a.Time64Values(), lo, hi, def, leaf, func(v arrow.Time64) parquet.Value { return parquet.Int64Value(int64(v)) })
	case *array.Int16:
		return appendFixed(vals, a, a.Int16Values(), lo, hi, def, leaf, func(v int16) parquet.Value { return parquet.Int32Value(int32(v)) })
	case *array.Int8:
		return appendFixed(vals, a, a.Int8Values(), lo, hi, def, leaf, func(v int8) parquet.Value { return parquet.Int32Value(int32(v)) })
	case *array.String:
		offs, data := a.ValueOffsets(), a.ValueBytes()
		base := offs[0] // ValueBytes starts at the array's first value
		for i := lo; i < hi; i++ {
			if a.IsNull(i) {
				vals = append(vals, parquet.NullValue().Level(0, def-1, leaf))
				continue
			}
			vals = append(vals, parquet.ByteArrayValue(data[offs[i]-base:offs[i+1]-base:offs[i+1]-base]).Level(0, def, leaf))
		}
		return vals
	}
	for i := lo; i < hi; i++ {
		vals = e.AppendValue(vals, sh, arr, i, 0)
	}
	return vals
}

func appendFixed[T any](vals []parquet.Value, a arrow.Array, vs []T, lo, hi, def, leaf int, mk func(T) parquet.Value) []parquet.Value {
	if a.NullN() == 0 {
		for _, v := range vs[lo:hi] {
			vals = append(vals, mk(v).Level(0, def, leaf))
		}
		return vals
	}
	for i := lo; i < hi; i++ {
		if a.IsNull(i) {
			vals = append(vals, parquet.NullValue().Level(0, def-1, leaf))
		} else {
			vals = append(vals, mk(vs[i]).Level(0, def, leaf))
		}
	}
	return vals
}

// fastSnappy writes Snappy blocks with s2's fast encoder (parquet-go's
// codec uses the "better" one, which costs about twice the CPU for a few
// percent); any Snappy decoder reads them.
type fastSnappy struct{}

func (fastSnappy) String() string                            { return "SNAPPY" }
func (fastSnappy) CompressionCodec() format.CompressionCodec { return format.Snappy }

func (fastSnappy) Encode(dst, src []byte) ([]byte, error) {
	return s2.EncodeSnappy(dst[:cap(dst)], src), nil
}

func (fastSnappy) Decode(dst, src []byte) ([]byte, error) {
	return s2.Decode(dst[:cap(dst)], src)
}
