package parquet

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// probeRow has each value twice: dictionary-encoded and plain.
type probeRow struct {
	Key   string `parquet:"key,dict"`
	KeyP  string `parquet:"keyp"`
	N     int64  `parquet:"n,dict"`
	NP    int64  `parquet:"np"`
	Day   int32  `parquet:"day,date"`
	Amt   int64  `parquet:"amt,decimal(2:15)"`
	Other int64  `parquet:"other"`
}

var probeCols = []types.Column{
	{Name: "key", Type: types.VarcharType},
	{Name: "keyp", Type: types.VarcharType},
	{Name: "n", Type: types.BigIntType},
	{Name: "np", Type: types.BigIntType},
	{Name: "day", Type: types.DateType},
	{Name: "amt", Type: types.DecimalOf(15, 2)},
	{Name: "other", Type: types.BigIntType},
	{Name: "amt", Type: types.DecimalOf(15, 4)}, // the same file column at another scale
}

const probeGroups, probeGroupRows = 8, 100

// probeRows gives every row group the same minimum and maximum, so
// statistics prune nothing, and values of its own in between.
func probeRows() []probeRow {
	var rows []probeRow
	for g := range probeGroups {
		for i := range probeGroupRows {
			k, n := fmt.Sprintf("m%d", g), int64(1000+g)
			switch i {
			case 0:
				k, n = "a", 0
			case 1:
				k, n = "z", 1_000_000
			}
			rows = append(rows, probeRow{Key: k, KeyP: k, N: n, NP: n, Day: int32(n), Amt: n * 100, Other: int64(g*probeGroupRows + i)})
		}
	}
	return rows
}

// TestProbes: equality predicates skip row groups by bloom filter and by
// dictionary where statistics cannot; the bytes read are the probes'
// plus the column chunks of the row groups kept, a probed dictionary page
// read once; the estimate counts every probe and every chunk.
func TestProbes(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.parquet")
	writeFile(t, plain, probeRows(), parquet.MaxRowsPerRowGroup(probeGroupRows))
	bloomed := filepath.Join(dir, "bloom.parquet")
	writeFile(t, bloomed, probeRows(), parquet.MaxRowsPerRowGroup(probeGroupRows),
		parquet.BloomFilters(
			parquet.SplitBlockFilter(20, "key"), parquet.SplitBlockFilter(20, "keyp"), parquet.SplitBlockFilter(20, "np"),
			parquet.SplitBlockFilter(20, "day"), parquet.SplitBlockFilter(20, "amt"),
		))
	eq := func(col int, v any) []source.Predicate { return []source.Predicate{{Column: col, Op: "=", Value: v}} }
	type kind int
	const (
		none kind = iota
		dict
		bloom
	)
	cases := []struct {
		name    string
		path    string
		preds   []source.Predicate
		probe   kind // what probes the predicate column
		skipped int64
	}{
		{"dictionary string, in one group", plain, eq(0, "m3"), dict, 7},
		{"dictionary string, in every group", plain, eq(0, "a"), dict, 0},
		{"dictionary string, in no group", plain, eq(0, "q"), dict, 8},
		{"dictionary bigint", plain, eq(2, int64(1005)), dict, 7},
		{"plain string, no bloom filter", plain, eq(1, "m3"), none, 0},
		{"plain bigint, no bloom filter", plain, eq(3, int64(1003)), none, 0},
		{"dictionary string beside its bloom filter", bloomed, eq(0, "m3"), bloom, 7},
		{"bloom string", bloomed, eq(1, "m6"), bloom, 7},
		{"bloom string, in every group", bloomed, eq(1, "z"), bloom, 0},
		{"bloom bigint", bloomed, eq(3, int64(1003)), bloom, 7},
		{"bloom bigint, in no group", bloomed, eq(3, int64(2000)), bloom, 8},
		{"bloom date", bloomed, eq(4, int64(1002)), bloom, 7},
		{"bloom decimal", bloomed, eq(5, int64(100100)), bloom, 7},
		{"bloom decimal read at a larger scale", bloomed, eq(7, int64(10010000)), bloom, 7},
		{"bloom decimal not representable in the file", bloomed, eq(7, int64(10010001)), none, 0},
		{"type mismatch decides nothing", bloomed, eq(3, "x"), none, 0},
		{"range predicates do not probe", bloomed, []source.Predicate{{Column: 3, Op: ">=", Value: int64(1003)}}, none, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md, _ := fileMeta(t, tc.path)
			pc := tc.preds[0].Column
			leaf := pc
			if probeCols[pc].Name == "amt" {
				leaf = 5
			}
			const otherLeaf = 6
			idx := []int{pc, otherLeaf} // the predicate column and another
			info := versioned(statOf(t, tc.path))
			// A first scan caches the footer, so the next reads probes and
			// chunks alone: what this test adds up.
			scanFile(t, info, probeCols, nil, nil, 0)
			est := estimateFile(t, info, probeCols, idx, tc.preds, 0)
			st := scanFile(t, info, probeCols, idx, tc.preds, 0)
			if got := st.RowGroupsSkipped.Load(); got != tc.skipped {
				t.Fatalf("skipped %d row groups, want %d", got, tc.skipped)
			}
			if got, want := st.Rows.Load(), probeGroupRows*(probeGroups-tc.skipped); got != want {
				t.Fatalf("read %d rows, want %d", got, want)
			}
			kept := func(g int) bool {
				switch tc.skipped {
				case 0:
					return true
				case probeGroups:
					return false
				}
				// The one group holding the value.
				var v int64
				switch x := tc.preds[0].Value.(type) {
				case string:
					fmt.Sscanf(x, "m%d", &v)
					return int64(g) == v
				case int64:
					for x >= 100_000 {
						x /= 100
					}
					return int64(g) == x-1000
				}
				return true
			}
			var want, all int64
			for g := range md.RowGroups {
				cm := func(l int) *format.ColumnMetaData { return &md.RowGroups[g].Columns[l].MetaData }
				p := cm(leaf)
				var probe, dictLen int64
				switch tc.probe {
				case bloom:
					probe = int64(p.BloomFilterLength)
				case dict:
					probe, dictLen = p.DataPageOffset-p.DictionaryPageOffset, p.DataPageOffset-p.DictionaryPageOffset
				}
				chunks := p.TotalCompressedSize - dictLen + cm(otherLeaf).TotalCompressedSize
				all += probe + chunks
				want += probe
				if kept(g) {
					want += chunks
				}
			}
			if got := st.BytesRead.Load(); got != want {
				t.Errorf("read %d bytes, want %d", got, want)
			}
			if est.RemoteBytes != all || est.Rows != probeGroups*probeGroupRows {
				t.Errorf("estimate %d bytes and %d rows, want every probe and chunk: %d bytes, %d rows", est.RemoteBytes, est.Rows, all, probeGroups*probeGroupRows)
			}
		})
	}
}

// TestAllDictionaryPages: a dictionary proves a value absent only when
// every data page uses it.
func TestAllDictionaryPages(t *testing.T) {
	stats := func(encs ...format.Encoding) []format.PageEncodingStats {
		out := []format.PageEncodingStats{{PageType: format.DictionaryPage, Encoding: format.Plain, Count: 1}}
		for _, e := range encs {
			out = append(out, format.PageEncodingStats{PageType: format.DataPage, Encoding: e, Count: 2})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		cm   format.ColumnMetaData
		want bool
	}{
		{"stats: all RLE_DICTIONARY", format.ColumnMetaData{NumValues: 5, EncodingStats: stats(format.RLEDictionary)}, true},
		{"stats: PLAIN_DICTIONARY", format.ColumnMetaData{NumValues: 5, EncodingStats: stats(format.PlainDictionary)}, true},
		{"stats: fell back to PLAIN", format.ColumnMetaData{NumValues: 5, EncodingStats: stats(format.RLEDictionary, format.Plain)}, false},
		{"stats: no data pages", format.ColumnMetaData{NumValues: 5, EncodingStats: stats()}, false},
		{"v1 encodings", format.ColumnMetaData{Encoding: []format.Encoding{format.PlainDictionary, format.RLE, format.BitPacked}}, true},
		{"v1 encodings with PLAIN", format.ColumnMetaData{Encoding: []format.Encoding{format.PlainDictionary, format.Plain, format.RLE}}, false},
		{"v2 encodings: cannot tell", format.ColumnMetaData{Encoding: []format.Encoding{format.RLEDictionary, format.Plain, format.RLE}}, false},
		{"nothing recorded", format.ColumnMetaData{}, false},
	} {
		if got := allDictionaryPages(&tc.cm); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
