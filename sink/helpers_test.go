package sink

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	srccsv "github.com/quarry-sql/quarry/source/csv"
	srcjson "github.com/quarry-sql/quarry/source/json"
	srcparquet "github.com/quarry-sql/quarry/source/parquet"
	"github.com/quarry-sql/quarry/types"
)

// appendAny appends a Go test value to an Arrow builder; nil is NULL.
// Lists are []any, maps [][2]any, rows []any.
func appendAny(b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.Int8Builder:
		b.Append(int8(v.(int)))
	case *array.Int16Builder:
		b.Append(int16(v.(int)))
	case *array.Int32Builder:
		b.Append(int32(v.(int)))
	case *array.Int64Builder:
		b.Append(int64(v.(int)))
	case *array.Float32Builder:
		b.Append(float32(v.(float64)))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.Decimal64Builder:
		b.Append(decimal.Decimal64(v.(int)))
	case *array.Decimal128Builder:
		b.Append(v.(decimal128.Num))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.BinaryBuilder:
		b.Append(v.([]byte))
	case *array.Date32Builder:
		b.Append(arrow.Date32(v.(int)))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(v.(int)))
	case *array.Time64Builder:
		b.Append(arrow.Time64(v.(int)))
	case *array.MapBuilder:
		b.Append(true)
		for _, kv := range v.([][2]any) {
			appendAny(b.KeyBuilder(), kv[0])
			appendAny(b.ItemBuilder(), kv[1])
		}
	case *array.ListBuilder:
		b.Append(true)
		for _, e := range v.([]any) {
			appendAny(b.ValueBuilder(), e)
		}
	case *array.StructBuilder:
		b.Append(true)
		for i, f := range v.([]any) {
			appendAny(b.FieldBuilder(i), f)
		}
	default:
		panic(fmt.Sprintf("appendAny: %T", b))
	}
}

// makeRecord builds n rows of cols, row i column c being gen(c, i).
func makeRecord(mem memory.Allocator, cols []types.Column, start, n int, gen func(c, i int) any) arrow.Record {
	b := array.NewRecordBuilder(mem, types.Schema(cols))
	defer b.Release()
	for i := start; i < start+n; i++ {
		for c := range cols {
			appendAny(b.Field(c), gen(c, i))
		}
	}
	return b.NewRecord()
}

// rowStrings renders each row of the records as one string.
func rowStrings(recs []arrow.Record) []string {
	var out []string
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			var sb strings.Builder
			for c := 0; c < int(r.NumCols()); c++ {
				if c > 0 {
					sb.WriteString(" | ")
				}
				a := r.Column(c)
				if a.IsNull(i) {
					sb.WriteString("NULL")
				} else {
					sb.WriteString(a.ValueStr(i))
				}
			}
			out = append(out, sb.String())
		}
	}
	return out
}

func sortedRows(recs []arrow.Record) []string {
	out := rowStrings(recs)
	sort.Strings(out)
	return out
}

func formatFor(name string) source.Format {
	switch name {
	case catalog.FormatText:
		return srccsv.Format{}
	case catalog.FormatJSON:
		return srcjson.Format{}
	}
	return srcparquet.Format{}
}

// readTable scans the table's files under location as a query would:
// through source.ListTableFiles (which hides staging folders) and the
// format's reader. Partition columns are not added.
func readTable(t *testing.T, store objstore.Store, tbl *catalog.Table, location string) ([]arrow.Record, []objstore.ObjectInfo) {
	t.Helper()
	ctx := context.Background()
	files, err := source.ListTableFiles(ctx, store, tbl, location, nil)
	if errors.Is(err, objstore.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		t.Fatalf("list %s: %v", location, err)
	}
	f := formatFor(tbl.Format)
	idx := make([]int, len(tbl.Columns))
	for i := range idx {
		idx[i] = i
	}
	var out []arrow.Record
	for _, fi := range files {
		for _, sp := range f.Split(tbl, fi, 0) {
			r, err := f.Open(ctx, &source.Request{Store: store, File: fi, Split: sp, Table: tbl, Columns: idx, Alloc: memory.DefaultAllocator, BatchRows: 1000})
			if err != nil {
				t.Fatalf("open %s: %v", fi.Location, err)
			}
			for {
				rec, err := r.Next()
				if err != nil {
					t.Fatalf("read %s: %v", fi.Location, err)
				}
				if rec == nil {
					break
				}
				out = append(out, rec)
			}
			r.Close()
		}
	}
	return out, files
}

func release(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

// project keeps the first n columns of records (the data columns).
func project(recs []arrow.Record, n int) []arrow.Record {
	out := make([]arrow.Record, len(recs))
	for i, r := range recs {
		fields := r.Schema().Fields()[:n]
		cols := make([]arrow.Array, n)
		for c := range cols {
			cols[c] = r.Column(c)
		}
		out[i] = array.NewRecord(arrow.NewSchema(fields, nil), cols, r.NumRows())
	}
	return out
}

func diffRows(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read back %d rows, wrote %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d differs:\n got  %s\n want %s", i, got[i], want[i])
		}
	}
}
