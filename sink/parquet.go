package sink

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/gzip"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/quarry-sql/quarry/source/pqshred"
	"github.com/quarry-sql/quarry/types"
)

// Parquet layout: every column is OPTIONAL; lists are the standard
// three-level LIST (<name> / list / element), maps MAP (key_value / key,
// value) with required keys, rows optional groups whose fields keep the
// declared order. Leaves carry dictionary encoding (falling back to plain
// per row group once the dictionary passes dictionaryMaxBytes, as
// parquet-mr does) except booleans; data pages are v1, which every reader
// supports, with statistics in the page headers and column chunks.

const (
	pageBufferSize     = 1 << 20
	dictionaryMaxBytes = 1 << 20
	// flatChunkRows is how many rows of a flat column are converted to
	// parquet values per WriteRowValues call: small enough that pages end
	// near pageBufferSize, large enough to amortise the call.
	flatChunkRows = 2048
)

// parquetSchema builds the file schema and shred trees for the data
// columns, or explains which column cannot be stored.
func parquetSchema(cols []types.Column) (*parquet.Schema, []*pqshred.Node, error) {
	return pqshred.Schema("schema", cols, pqshred.Options{DictionaryAll: true})
}

func isNested(t types.Type) bool {
	return t.Kind == types.Array || t.Kind == types.Map || t.Kind == types.Row
}

func parquetCodec(name string) compress.Codec {
	switch name {
	case "ZSTD":
		return &zstd.Codec{Level: zstd.SpeedDefault}
	case "SNAPPY":
		return &snappy.Codec{}
	case "GZIP":
		return &gzip.Codec{Level: gzip.DefaultCompression}
	}
	return &uncompressed.Codec{}
}

// parquetEncoder writes one Parquet file column by column: each leaf's
// values are converted from the Arrow arrays into parquet.Value slices
// with their levels and handed to that leaf's ColumnWriter.
type parquetEncoder struct {
	w                *parquet.Writer
	cols             []*parquet.ColumnWriter
	shreds           []*pqshred.Node
	pqshred.Shredder       // per-leaf values and decimal bytes, reused
	rows             int64 // rows in the current row group
}

func newParquetEncoder(out io.Writer, schema *parquet.Schema, shreds []*pqshred.Node, codec string) (*parquetEncoder, error) {
	cfg, err := parquet.NewWriterConfig(
		schema,
		parquet.Compression(parquetCodec(codec)),
		parquet.PageBufferSize(pageBufferSize),
		parquet.DataPageVersion(1),
		parquet.DataPageStatistics(true),
		parquet.DictionaryMaxBytes(dictionaryMaxBytes),
		parquet.CreatedBy("quarry", "", ""),
	)
	if err != nil {
		return nil, err
	}
	w := parquet.NewWriter(out, cfg)
	e := &parquetEncoder{w: w, shreds: shreds, cols: w.ColumnWriters()}
	e.Vals = make([][]parquet.Value, len(e.cols))
	return e, nil
}

// write appends rows sel of the data columns (all rows when sel is nil).
func (e *parquetEncoder) write(cols []arrow.Array, sel []int32, n int) error {
	for c, sh := range e.shreds {
		arr := cols[c]
		if sh.Leaf >= 0 {
			if err := e.writeFlat(sh, arr, sel, n); err != nil {
				return err
			}
			continue
		}
		if err := e.writeNested(sh, arr, sel, n); err != nil {
			return err
		}
	}
	e.rows += int64(n)
	return nil
}

func (e *parquetEncoder) writeFlat(sh *pqshred.Node, arr arrow.Array, sel []int32, n int) error {
	leaf := sh.Leaf
	cw := e.cols[leaf]
	for start := 0; start < n; start += flatChunkRows {
		end := min(start+flatChunkRows, n)
		vals := e.Vals[leaf][:0]
		e.Arena = e.Arena[:0]
		if sel == nil {
			for i := start; i < end; i++ {
				vals = e.AppendValue(vals, sh, arr, i, 0)
			}
		} else {
			for _, i := range sel[start:end] {
				vals = e.AppendValue(vals, sh, arr, int(i), 0)
			}
		}
		e.Vals[leaf] = vals
		if _, err := cw.WriteRowValues(vals); err != nil {
			return fmt.Errorf("parquet column %d: %w", leaf, err)
		}
	}
	return nil
}

func (e *parquetEncoder) writeNested(sh *pqshred.Node, arr arrow.Array, sel []int32, n int) error {
	for start := 0; start < n; start += flatChunkRows {
		end := min(start+flatChunkRows, n)
		for _, l := range sh.Leaves {
			e.Vals[l] = e.Vals[l][:0]
		}
		e.Arena = e.Arena[:0]
		for k := start; k < end; k++ {
			i := k
			if sel != nil {
				i = int(sel[k])
			}
			e.Shred(sh, arr, i, 0)
		}
		for _, l := range sh.Leaves {
			if _, err := e.cols[l].WriteRowValues(e.Vals[l]); err != nil {
				return fmt.Errorf("parquet column %d: %w", l, err)
			}
		}
	}
	return nil
}

// buffered estimates the bytes the current row group holds in memory.
func (e *parquetEncoder) size() int64 { return e.w.Size() }

func (e *parquetEncoder) flushRowGroup() error {
	if e.rows == 0 {
		return nil
	}
	e.rows = 0
	return e.w.Flush()
}

func (e *parquetEncoder) close() error { return e.w.Close() }
