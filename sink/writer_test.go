package sink

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/objstore/local"
	"github.com/quarry-sql/quarry/types"
)

var allTypes = []types.Column{
	{Name: "b", Type: types.BooleanType},
	{Name: "ti", Type: types.TinyIntType},
	{Name: "si", Type: types.SmallIntType},
	{Name: "i", Type: types.IntegerType},
	{Name: "bi", Type: types.BigIntType},
	{Name: "r", Type: types.RealType},
	{Name: "d", Type: types.DoubleType},
	{Name: "dec", Type: types.DecimalOf(15, 2)},
	{Name: "dec38", Type: types.DecimalOf(38, 10)},
	{Name: "s", Type: types.VarcharType},
	{Name: "vb", Type: types.VarbinaryTyp},
	{Name: "dt", Type: types.DateType},
	{Name: "ts", Type: types.Type{Kind: types.Timestamp, Precision: 6}},
	{Name: "tstz", Type: types.Type{Kind: types.TimestampTZ, Precision: 6}},
	// A zone is a static attribute of the type; files hold the instants.
	{Name: "tstzp", Type: types.TimestampTZOf(6, "Europe/Paris")},
	{Name: "tm", Type: types.Type{Kind: types.Time, Precision: 6}},
	{Name: "arr", Type: types.ArrayOf(types.VarcharType)},
	{Name: "m", Type: types.MapOf(types.VarcharType, types.BigIntType)},
	{Name: "rw", Type: types.RowOf(types.Field{Name: "a", Type: types.IntegerType}, types.Field{Name: "xs", Type: types.ArrayOf(types.DoubleType)})},
}

func genAll(c, i int) any {
	if (i+c)%7 == 0 {
		return nil
	}
	switch allTypes[c].Name {
	case "b":
		return i%2 == 0
	case "ti":
		return i%250 - 125
	case "si":
		return i - 20000
	case "i":
		return i * 37
	case "bi":
		return i * 1_000_000_007
	case "r":
		return float64(float32(i) / 4)
	case "d":
		if i%11 == 0 {
			return math.Inf(1)
		}
		return float64(i) * 1.25
	case "dec":
		return i*101 - 50000
	case "dec38":
		return decimal128.FromI64(int64(i)*1_000_000_000_003 - 7).Mul(decimal128.FromI64(1_000_000_000))
	case "s":
		return fmt.Sprintf("s%d|ü,\\x\n%d", i%13, i)
	case "vb":
		return []byte{byte(i), 0, byte(i >> 8)}
	case "dt":
		return 19000 + i%1000
	case "ts", "tstz", "tstzp":
		return 1_700_000_000_000_000 + i*1_000_123
	case "tm":
		return (i * 1_000_001) % 86_400_000_000
	case "arr":
		var xs []any
		for k := range i % 4 {
			if k == 2 {
				xs = append(xs, nil)
			} else {
				xs = append(xs, fmt.Sprintf("e%d", k))
			}
		}
		return xs
	case "m":
		var kv [][2]any
		for k := range i % 3 {
			var v any = k * i
			if k == 1 {
				v = nil
			}
			kv = append(kv, [2]any{fmt.Sprintf("k%d", k), v})
		}
		return kv
	case "rw":
		var xs any
		if i%5 != 0 {
			l := []any{}
			for k := range i % 3 {
				l = append(l, float64(k)+0.5)
			}
			xs = l
		}
		var a any = i
		if i%4 == 0 {
			a = nil
		}
		return []any{a, xs}
	}
	panic(allTypes[c].Name)
}

func tableFor(opts Options) *catalog.Table {
	t := &catalog.Table{Name: "t", Columns: opts.Columns, PartitionKeys: opts.PartitionKeys, Location: opts.Location, Format: strings.ToUpper(opts.Format)}
	if opts.Format == "" {
		t.Format = catalog.FormatParquet
	}
	if t.Format == catalog.FormatText {
		t.SerDe = catalog.LazySimpleSerDe
		t.SerDeProps = TextSerDeProperties(opts.FieldDelimiter)
	}
	return t
}

// listAll lists every file under root, hidden ones too, relative to root.
func listAll(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestParquetRoundTrip(t *testing.T) {
	for _, codec := range []string{"ZSTD", "SNAPPY", "GZIP", "NONE"} {
		t.Run(codec, func(t *testing.T) {
			ctx := context.Background()
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			root := t.TempDir()
			opts := Options{Writer: local.NewWriter(), Store: local.New(), Location: root, Compression: codec,
				Columns: allTypes, RowGroupRows: 1500, QueryID: "20261128_120000_00001_abcde"}
			w, err := NewWriter(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			var written []arrow.Record
			for start := 0; start < 5000; start += 1000 {
				rec := makeRecord(mem, allTypes, start, 1000, genAll)
				if err := w.Write(rec); err != nil {
					t.Fatal(err)
				}
				written = append(written, rec)
			}
			// Staged files are invisible before Commit.
			if recs, files := readTable(t, local.New(), tableFor(opts), root); len(files) != 0 {
				release(recs)
				t.Fatalf("files visible before commit: %v", files)
			}
			files, parts, err := w.Commit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 1 || len(parts) != 0 || files[0].Rows != 5000 || files[0].Bytes <= 0 {
				t.Fatalf("commit returned %+v, %+v", files, parts)
			}
			if !strings.HasPrefix(filepath.Base(files[0].Location), "20261128_120000_00001_abcde_") || !strings.HasSuffix(files[0].Location, "_00001.parquet") {
				t.Fatalf("file name %s", files[0].Location)
			}
			// Until Done, the journal says what was published, for recovery.
			rec, err := Inspect(ctx, local.New(), w.StagingLocation())
			if err != nil || rec.Journal == nil || !rec.Published || len(rec.Journal.Files) != 1 || rec.Journal.Files[0] != files[0].Location {
				t.Fatalf("journal after commit: %+v, %v", rec, err)
			}
			w.Done(ctx)
			if all := listAll(t, root); len(all) != 1 {
				t.Fatalf("objects after Done: %v (staging not removed?)", all)
			}
			got, _ := readTable(t, local.New(), tableFor(opts), root)
			diffRows(t, rowStrings(got), rowStrings(written))
			release(got)
			release(written)
			mem.AssertSize(t, 0)
			checkParquetMetadata(t, files[0].Location, codec, 3) // groups end at the batch that reaches 1500 rows
		})
	}
}

// checkParquetMetadata checks what other engines rely on: declared column
// order, OPTIONAL columns, logical types, statistics on every column
// chunk, dictionary encoding on strings, the codec.
func checkParquetMetadata(t *testing.T, path, codec string, wantRowGroups int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	md := pf.Metadata()
	var names []string
	for _, c := range pf.Schema().Fields() {
		names = append(names, c.Name())
		if !c.Optional() {
			t.Errorf("column %s is not OPTIONAL", c.Name())
		}
	}
	if got := strings.Join(names, ","); got != "b,ti,si,i,bi,r,d,dec,dec38,s,vb,dt,ts,tstz,tstzp,tm,arr,m,rw" {
		t.Errorf("column order %s", got)
	}
	if len(md.RowGroups) != wantRowGroups {
		t.Errorf("%d row groups, want %d", len(md.RowGroups), wantRowGroups)
	}
	wantCodec := map[string]format.CompressionCodec{"ZSTD": format.Zstd, "SNAPPY": format.Snappy, "GZIP": format.Gzip, "NONE": format.Uncompressed}[codec]
	for _, rg := range md.RowGroups {
		for _, cc := range rg.Columns {
			m := cc.MetaData
			path := strings.Join(m.PathInSchema, ".")
			if m.Codec != wantCodec {
				t.Errorf("%s: codec %v", path, m.Codec)
			}
			if len(m.Statistics.MinValue) == 0 && len(m.Statistics.MaxValue) == 0 && m.Statistics.NullCount != int64(m.NumValues) {
				t.Errorf("%s: no min/max statistics", path)
			}
			if path == "s" && m.DictionaryPageOffset == 0 {
				t.Errorf("%s: no dictionary page", path)
			}
		}
	}
	for _, e := range md.Schema {
		switch e.Name {
		case "dec":
			if e.Type.V != format.Int64 || e.LogicalType.Value == nil {
				t.Errorf("dec: %+v", e)
			}
		case "dec38":
			if e.Type.V != format.FixedLenByteArray || e.TypeLength.V != 16 {
				t.Errorf("dec38: type %v length %v", e.Type, e.TypeLength)
			}
		case "ts", "tstz", "tstzp":
			ts, ok := e.LogicalType.Value.(*format.TimestampType)
			if !ok || ts.IsAdjustedToUTC != (e.Name != "ts") || ts.Unit.Value == nil {
				t.Errorf("%s: logical type %+v", e.Name, e.LogicalType)
			}
		}
	}
}

var partCols = []types.Column{{Name: "id", Type: types.BigIntType}, {Name: "name", Type: types.VarcharType}}
var partKeys = []types.Column{{Name: "Region", Type: types.VarcharType}, {Name: "yr", Type: types.IntegerType}}

func genPart(c, i int) any {
	switch c {
	case 0:
		return i
	case 1:
		return fmt.Sprintf("n%d", i)
	case 2:
		return []any{"eu", "us/west=1", nil, "", "50%"}[i%5]
	case 3:
		if i%10 == 9 {
			return nil
		}
		return 2020 + i%3
	}
	panic(c)
}

func TestPartitionedWrite(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	all := append(append([]types.Column(nil), partCols...), partKeys...)
	opts := Options{Writer: local.NewWriter(), Store: local.New(), Location: root, Columns: partCols, PartitionKeys: partKeys, QueryID: "q1"}
	w, err := NewWriter(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	var written []arrow.Record
	for start := 0; start < 3000; start += 500 {
		rec := makeRecord(memory.DefaultAllocator, all, start, 500, genPart)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		written = append(written, rec)
	}
	files, parts, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, p := range parts {
		locs = append(locs, strings.TrimPrefix(p.Location, root+"/")+"="+strings.Join(p.Values, ","))
	}
	// NULL and '' both go to the default partition, as in Hive: 4 regions
	// times 3 years, plus NULL years, which only region "50%" meets.
	if len(parts) != 13 {
		t.Fatalf("%d partitions: %v", len(parts), locs)
	}
	seen := map[string]bool{}
	for _, p := range parts {
		rel := strings.TrimPrefix(p.Location, root+"/")
		seen[rel] = true
		if strings.Count(rel, "/") != 1 {
			t.Errorf("partition folder %q is not two levels", rel)
		}
	}
	for _, rel := range []string{"region=us%2Fwest%3D1/yr=2021", "region=__HIVE_DEFAULT_PARTITION__/yr=2020", "region=50%25/yr=__HIVE_DEFAULT_PARTITION__", "region=eu/yr=2020"} {
		if !seen[rel] {
			t.Errorf("missing partition folder %s in %v", rel, locs)
		}
	}
	var total int64
	for _, f := range files {
		total += f.Rows
		if len(f.PartitionValues) != 2 {
			t.Errorf("file %s: partition values %v", f.Location, f.PartitionValues)
		}
	}
	if total != 3000 {
		t.Fatalf("files hold %d rows, wrote 3000", total)
	}
	// Each partition reads back exactly its rows.
	tbl := tableFor(opts)
	var got []arrow.Record
	for _, p := range parts {
		recs, _ := readTable(t, local.New(), tbl, p.Location)
		for _, r := range recs {
			for i := 0; i < int(r.NumRows()); i++ {
				id := int(r.Column(0).(interface{ Value(int) int64 }).Value(i))
				region, yr := genPart(2, id), genPart(3, id)
				wantVals := []string{fmt.Sprint(region), fmt.Sprint(yr)}
				if region == nil || region == "" {
					wantVals[0] = defaultPartitionName
				}
				if yr == nil {
					wantVals[1] = defaultPartitionName
				}
				if strings.Join(wantVals, ",") != strings.Join(p.Values, ",") {
					t.Fatalf("row %d (region %v, yr %v) is in partition %v", id, region, yr, p.Values)
				}
			}
		}
		got = append(got, recs...)
	}
	diffRows(t, sortedRows(got), sortedRows(project(written, 2)))
}

func TestTooManyPartitions(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	all := append(append([]types.Column(nil), partCols...), partKeys[1])
	opts := Options{Writer: local.NewWriter(), Store: local.New(), Location: root, Columns: partCols, PartitionKeys: partKeys[1:], MaxOpenPartitions: 2}
	w, err := NewWriter(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(memory.DefaultAllocator, all, 0, 30, func(c, i int) any { return genPart([]int{0, 1, 3}[c], i) })
	defer rec.Release()
	err = w.Write(rec)
	if err == nil || !strings.Contains(err.Error(), "too many open partitions (3)") || !strings.Contains(err.Error(), "write fewer partitions per statement") {
		t.Fatalf("error %v", err)
	}
	if _, _, err := w.Commit(ctx); err == nil {
		t.Fatal("commit after a failed write succeeded")
	}
	if err := w.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if all := listAll(t, root); len(all) != 0 {
		t.Fatalf("left behind: %v", all)
	}
}

func TestTextRoundTrip(t *testing.T) {
	cols := []types.Column{
		{Name: "id", Type: types.BigIntType}, {Name: "s", Type: types.VarcharType}, {Name: "dec", Type: types.DecimalOf(10, 3)},
		{Name: "d", Type: types.DoubleType}, {Name: "dt", Type: types.DateType}, {Name: "ts", Type: types.Type{Kind: types.Timestamp, Precision: 6}},
		{Name: "b", Type: types.BooleanType},
	}
	gen := func(c, i int) any {
		if c > 0 && (i+c)%6 == 0 {
			return nil
		}
		switch c {
		case 0:
			return i
		case 1:
			return []string{"plain", "a,b", "line\nbreak", `back\slash`, `\N`, "", "cr\rx", "del\x01im", "ünï"}[i%9]
		case 2:
			return i*7 - 300
		case 3:
			return float64(i) / 3
		case 4:
			return 18000 + i
		case 5:
			return 1_600_000_000_000_000 + i*1_500_000
		case 6:
			return i%3 == 0
		}
		panic(c)
	}
	for _, tc := range []struct{ delim, codec string }{{"", "NONE"}, {",", "GZIP"}, {"\t", "ZSTD"}} {
		t.Run(fmt.Sprintf("%q-%s", tc.delim, tc.codec), func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			opts := Options{Writer: local.NewWriter(), Store: local.New(), Location: root, Format: "TEXTFILE", Compression: tc.codec, FieldDelimiter: tc.delim, Columns: cols}
			w, err := NewWriter(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			rec := makeRecord(memory.DefaultAllocator, cols, 0, 900, gen)
			defer rec.Release()
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			files, _, err := w.Commit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := compressionExt(tc.codec); !strings.HasSuffix(files[0].Location, "_00001"+want) {
				t.Fatalf("file name %s", files[0].Location)
			}
			got, _ := readTable(t, local.New(), tableFor(opts), root)
			defer release(got)
			diffRows(t, rowStrings(got), rowStrings([]arrow.Record{rec}))
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	cols := make([]types.Column, 0, len(allTypes))
	var idx []int
	for i, c := range allTypes {
		if c.Type.Kind == types.Time || c.Type.Kind == types.Varbinary {
			// No time type in JSON; varbinary is written base64 (as Trino
			// does) while Quarry's JSON reader takes a string's bytes.
			continue
		}
		cols = append(cols, c)
		idx = append(idx, i)
	}
	gen := func(c, i int) any {
		v := genAll(idx[c], i)
		if f, ok := v.(float64); ok && math.IsInf(f, 0) {
			return 1e300 // the reader does not take "Infinity" strings for doubles
		}
		return v
	}
	for _, codec := range []string{"NONE", "GZIP"} {
		t.Run(codec, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			opts := Options{Writer: local.NewWriter(), Store: local.New(), Location: root, Format: "json", Compression: codec, Columns: cols}
			w, err := NewWriter(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			rec := makeRecord(memory.DefaultAllocator, cols, 0, 700, gen)
			defer rec.Release()
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			files, _, err := w.Commit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(files[0].Location, ".json"+compressionExt(codec)) {
				t.Fatalf("file name %s", files[0].Location)
			}
			got, _ := readTable(t, local.New(), tableFor(opts), root)
			defer release(got)
			diffRows(t, rowStrings(got), rowStrings([]arrow.Record{rec}))
		})
	}
}

func TestUnsupportedTypes(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	base := Options{Writer: local.NewWriter(), Location: root}
	cases := []struct {
		format  string
		cols    []types.Column
		keys    []types.Column
		compr   string
		wantErr string
	}{
		{"PARQUET", []types.Column{{Name: "iv", Type: types.IntervalDTType}}, nil, "", "column iv: type interval day to second cannot be stored in Parquet"},
		{"PARQUET", []types.Column{{Name: "x", Type: types.ArrayOf(types.UnknownType)}}, nil, "", "column x: array element: type unknown cannot be stored in Parquet"},
		{"TEXTFILE", []types.Column{{Name: "a", Type: types.ArrayOf(types.BigIntType)}}, nil, "", "column a: type array(bigint) cannot be stored in TEXTFILE"},
		{"JSON", []types.Column{{Name: "t", Type: types.Type{Kind: types.Time, Precision: 3}}}, nil, "", "column t: type time(3) cannot be stored in JSON"},
		{"PARQUET", []types.Column{{Name: "a", Type: types.BigIntType}}, []types.Column{{Name: "k", Type: types.ArrayOf(types.BigIntType)}}, "", "partition column k: type array(bigint) cannot be a partition key"},
		{"ORC", []types.Column{{Name: "a", Type: types.BigIntType}}, nil, "", `format "ORC" is not supported for writing`},
		{"TEXTFILE", []types.Column{{Name: "a", Type: types.BigIntType}}, nil, "SNAPPY", "SNAPPY is not supported for TEXTFILE"},
		{"PARQUET", []types.Column{{Name: "a", Type: types.BigIntType}}, nil, "LZO", `write_compression "LZO" is not supported`},
		{"PARQUET", []types.Column{{Name: "a", Type: types.BigIntType}, {Name: "A", Type: types.BigIntType}}, nil, "", `column "A" appears twice`},
	}
	for _, tc := range cases {
		o := base
		o.Format, o.Columns, o.PartitionKeys, o.Compression = tc.format, tc.cols, tc.keys, tc.compr
		_, err := NewWriter(ctx, o)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s %v: error %v, want %q", tc.format, tc.cols, err, tc.wantErr)
		}
	}
	// A record that does not match the declared columns.
	w, err := NewWriter(ctx, Options{Writer: local.NewWriter(), Location: root, Columns: partCols})
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(memory.DefaultAllocator, []types.Column{{Name: "id", Type: types.IntegerType}, {Name: "name", Type: types.VarcharType}}, 0, 1, func(c, i int) any { return []any{1, "x"}[c] })
	defer rec.Release()
	if err := w.Write(rec); err == nil || !strings.Contains(err.Error(), "column 1 (id) is int32, want int64") {
		t.Fatalf("mismatched record: %v", err)
	}
	w.Abort(ctx)
}

// faultyWriter wraps the local writer and fails on demand.
type faultyWriter struct {
	objstore.Writer
	mu          sync.Mutex
	failAfter   int64 // bytes per object before ENOSPC; 0: never
	renames     int
	failRenameN int // fail the n-th rename with ErrExists; 0: never
}

type faultyObject struct {
	objstore.ObjectWriter
	w *faultyWriter
	n int64
}

func (o *faultyObject) Write(p []byte) (int, error) {
	if o.w.failAfter > 0 && o.n+int64(len(p)) > o.w.failAfter {
		return 0, &objstore.Error{Op: "write", Location: "x", Err: syscall.ENOSPC}
	}
	o.n += int64(len(p))
	return o.ObjectWriter.Write(p)
}

func (f *faultyWriter) Create(ctx context.Context, loc string) (objstore.ObjectWriter, error) {
	o, err := f.Writer.Create(ctx, loc)
	if err != nil {
		return nil, err
	}
	return &faultyObject{ObjectWriter: o, w: f}, nil
}

func (f *faultyWriter) Rename(ctx context.Context, from, to string) error {
	f.mu.Lock()
	f.renames++
	n := f.renames
	f.mu.Unlock()
	if n == f.failRenameN {
		return &objstore.Error{Op: "rename", Location: to, Err: objstore.ErrExists}
	}
	return f.Writer.Rename(ctx, from, to)
}

func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	all := append(append([]types.Column(nil), partCols...), partKeys...)
	fw := &faultyWriter{Writer: local.NewWriter(), failAfter: 20_000}
	w, err := NewWriter(ctx, Options{Writer: fw, Location: root, Columns: partCols, PartitionKeys: partKeys, RowGroupRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for start := 0; start < 50_000 && werr == nil; start += 5000 {
		rec := makeRecord(memory.DefaultAllocator, all, start, 5000, genPart)
		werr = w.Write(rec)
		rec.Release()
	}
	if werr == nil {
		_, _, werr = w.Commit(ctx)
	}
	if !errors.Is(werr, syscall.ENOSPC) {
		t.Fatalf("error %v, want ENOSPC", werr)
	}
	if err := w.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if all := listAll(t, root); len(all) != 0 {
		t.Fatalf("left behind: %v", all)
	}
}

func TestCommitNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	// An existing file of the table stays untouched whatever happens.
	if err := os.MkdirAll(filepath.Join(root, "region=eu", "yr=2020"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(root, "region=eu", "yr=2020", "old.parquet")
	os.WriteFile(old, []byte("old"), 0o644)
	all := append(append([]types.Column(nil), partCols...), partKeys...)
	fw := &faultyWriter{Writer: local.NewWriter(), failRenameN: 5}
	w, err := NewWriter(ctx, Options{Writer: fw, Location: root, Columns: partCols, PartitionKeys: partKeys})
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(memory.DefaultAllocator, all, 0, 1000, genPart)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.Commit(ctx)
	if !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("commit error %v, want ErrExists", err)
	}
	if err := w.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if all := listAll(t, root); len(all) != 1 || all[0] != "region=eu/yr=2020/old.parquet" {
		t.Fatalf("after failed commit: %v", all)
	}
	if b, _ := os.ReadFile(old); string(b) != "old" {
		t.Fatal("existing file changed")
	}
}

func TestCancelledWrite(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := NewWriter(ctx, Options{Writer: local.NewWriter(), Location: root, Columns: allTypes})
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(memory.DefaultAllocator, allTypes, 0, 2000, genAll)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := w.Write(rec); !errors.Is(err, context.Canceled) {
		t.Fatalf("write after cancel: %v", err)
	}
	if _, _, err := w.Commit(ctx); err == nil {
		t.Fatal("commit after cancel succeeded")
	}
	// Staged bytes exist but are hidden from readers.
	recs, files := readTable(t, local.New(), tableFor(Options{Location: root, Columns: allTypes}), root)
	release(recs)
	if len(files) != 0 {
		t.Fatalf("visible after cancel: %v", files)
	}
	if err := w.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if all := listAll(t, root); len(all) != 0 {
		t.Fatalf("left behind: %v", all)
	}
}

func TestConcurrentWritesAndRollover(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	w, err := NewWriter(ctx, Options{Writer: local.NewWriter(), Location: root, Columns: partCols, TargetFileBytes: 64 << 10, MaxWritersPerPartition: 3, RowGroupRows: 5000})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var written []arrow.Record
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 10 {
				rec := makeRecord(memory.DefaultAllocator, partCols, (g*10+k)*2000, 2000, genPart)
				if err := w.Write(rec); err != nil {
					t.Error(err)
				}
				mu.Lock()
				written = append(written, rec)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	files, _, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("%d files: rollover at TargetFileBytes did not happen", len(files))
	}
	got, _ := readTable(t, local.New(), tableFor(Options{Location: root, Columns: partCols}), root)
	diffRows(t, sortedRows(got), sortedRows(written))
	release(got)
	release(written)
}

func TestMemoryBudgetFlushesRowGroups(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	all := append(append([]types.Column(nil), partCols...), partKeys...)
	w, err := NewWriter(ctx, Options{Writer: local.NewWriter(), Location: root, Columns: partCols, PartitionKeys: partKeys, MaxBufferedBytes: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < 200_000; start += 10_000 {
		rec := makeRecord(memory.DefaultAllocator, all, start, 10_000, genPart)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		w.mu.Lock()
		b := w.buffered
		w.mu.Unlock()
		if b > 256<<10+2<<20 {
			t.Fatalf("buffered %d bytes, budget 256 KiB", b)
		}
	}
	files, _, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, f := range files {
		rows += f.Rows
	}
	if rows != 200_000 {
		t.Fatalf("%d rows written", rows)
	}
}

func TestCleanupStale(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	oldName := filepath.Join(root, fmt.Sprintf("%s%d-q-1234", StagingPrefix, time.Now().Add(-2*time.Hour).UnixMilli()))
	newName := filepath.Join(root, fmt.Sprintf("%s%d-q-5678", StagingPrefix, time.Now().UnixMilli()))
	for _, d := range []string{oldName, newName} {
		os.MkdirAll(filepath.Join(d, "k=v"), 0o755)
		os.WriteFile(filepath.Join(d, "k=v", "f.parquet"), []byte("x"), 0o644)
	}
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(filepath.Join(oldName, "k=v", "f.parquet"), past, past)
	os.WriteFile(filepath.Join(root, "data.parquet"), []byte("keep"), 0o644)
	removed, err := CleanupStale(ctx, local.New(), local.NewWriter(), root, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != oldName {
		t.Fatalf("removed %v", removed)
	}
	all := listAll(t, root)
	if len(all) != 2 {
		t.Fatalf("left %v", all)
	}
	if r, err := CleanupStale(ctx, local.New(), local.NewWriter(), filepath.Join(root, "missing"), time.Hour); err != nil || len(r) != 0 {
		t.Fatalf("missing location: %v %v", r, err)
	}
}
