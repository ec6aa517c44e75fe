package parquet

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

type ioRow struct {
	ID   int64   `parquet:"id"`
	Name string  `parquet:"name"`
	Val  float64 `parquet:"val"`
}

var ioCols = []types.Column{
	{Name: "id", Type: types.BigIntType},
	{Name: "name", Type: types.VarcharType},
	{Name: "val", Type: types.DoubleType},
}

func ioRows(n int) []ioRow {
	rows := make([]ioRow, n)
	for i := range rows {
		// Varied names and values so that pages do not compress to nothing.
		rows[i] = ioRow{ID: int64(i), Name: fmt.Sprintf("name-%d-%x", i, i*2654435761), Val: float64(i) * 1.25}
	}
	return rows
}

// scanFile reads every split of a file for the given columns with one
// Stats, as the splits of one scan do, and returns the stats.
func scanFile(t *testing.T, info objstore.ObjectInfo, cols []types.Column, idx []int, preds []source.Predicate, target int64) *source.Stats {
	t.Helper()
	tbl := &catalog.Table{Name: "t", Columns: cols, Format: catalog.FormatParquet}
	st := &source.Stats{}
	for _, sp := range (Format{}).Split(tbl, info, target) {
		r, err := Format{}.Open(context.Background(), &source.Request{Store: fsStore{}, File: info, Split: sp, Table: tbl,
			Columns: idx, Stats: st, Predicates: preds})
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				break
			}
			rec.Release()
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// estimateFile sums the estimates of every split of a file.
func estimateFile(t *testing.T, info objstore.ObjectInfo, cols []types.Column, idx []int, preds []source.Predicate, target int64) source.Estimate {
	t.Helper()
	tbl := &catalog.Table{Name: "t", Columns: cols, Format: catalog.FormatParquet}
	var sum source.Estimate
	for _, sp := range (Format{}).Split(tbl, info, target) {
		e, err := Format{}.EstimateSplit(context.Background(), fsStore{}, tbl, info, sp, idx, preds)
		if err != nil {
			t.Fatal(err)
		}
		sum.RemoteBytes += e.RemoteBytes
		sum.Rows += e.Rows
	}
	return sum
}

// fileMeta parses a file's footer independently of the reader.
func fileMeta(t *testing.T, path string) (*format.FileMetaData, int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	var tail [8]byte
	if _, err := f.ReadAt(tail[:], fi.Size()-8); err != nil {
		t.Fatal(err)
	}
	return pf.Metadata(), int64(binary.LittleEndian.Uint32(tail[:4]))
}

func chunkBytes(md *format.FileMetaData) int64 {
	var n int64
	for _, rg := range md.RowGroups {
		for _, c := range rg.Columns {
			n += c.MetaData.TotalCompressedSize
		}
	}
	return n
}

var versions int

// versioned gives a file a fresh version token, so its footer is cached
// and nothing is cached for it yet.
func versioned(info objstore.ObjectInfo) objstore.ObjectInfo {
	versions++
	info.Version = fmt.Sprintf("test-%d", versions)
	return info
}

// TestBytesRead checks Stats.BytesRead byte for byte: a file within the
// first footer read is read once, whole; a larger one is read once but
// for its leading magic bytes; a footer cached for a versioned object
// serves every split of a scan and later scans, whose reads are then the
// column chunks alone; a footer larger than the first read costs exactly
// its length more.
func TestBytesRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.parquet")
	writeFile(t, small, ioRows(500), parquet.MaxRowsPerRowGroup(100))
	medium := filepath.Join(dir, "medium.parquet")
	writeFile(t, medium, ioRows(40000), parquet.MaxRowsPerRowGroup(5000))
	wide := filepath.Join(dir, "wide.parquet") // a footer over 64 KiB
	writeFile(t, wide, ioRows(3000), parquet.MaxRowsPerRowGroup(5))
	smallInfo, mediumInfo, wideInfo := statOf(t, small), statOf(t, medium), statOf(t, wide)
	if smallInfo.Size >= tailSize || mediumInfo.Size < 4*tailSize {
		t.Fatalf("sizes %d and %d do not straddle the first read of %d", smallInfo.Size, mediumInfo.Size, tailSize)
	}
	mediumMD, _ := fileMeta(t, medium)
	wideMD, wideFooter := fileMeta(t, wide)
	if wideFooter <= tailSize {
		t.Fatalf("wide footer is only %d bytes", wideFooter)
	}
	all := []int{0, 1, 2}
	for _, tc := range []struct {
		name   string
		info   objstore.ObjectInfo
		cols   []int
		target int64
		warm   bool // an earlier scan read the footer
		want   int64
	}{
		{"small, all columns", smallInfo, all, 0, false, smallInfo.Size},
		{"small, one column", smallInfo, []int{1}, 0, false, smallInfo.Size},
		{"small, no columns", smallInfo, nil, 0, false, smallInfo.Size},
		{"small versioned, cold", versioned(smallInfo), all, 0, false, smallInfo.Size},
		{"small versioned, warm", versioned(smallInfo), all, 0, true, chunkBytes(fileMetaOf(t, small))},
		{"small versioned, warm, no columns", versioned(smallInfo), nil, 0, true, 0},
		{"medium, all columns", mediumInfo, all, 0, false, mediumInfo.Size - 4},
		// In its first query, every split reads the footer (see footerCache).
		{"medium, 4 splits", mediumInfo, all, mediumInfo.Size / 4, false, -1},
		{"medium versioned, cold, 4 splits", versioned(mediumInfo), all, mediumInfo.Size / 4, false, -1},
		{"medium versioned, warm, 4 splits", versioned(mediumInfo), all, mediumInfo.Size / 4, true, chunkBytes(mediumMD)},
		{"wide, all columns", wideInfo, all, 0, false, chunkBytes(wideMD) + wideFooter + 8},
		{"wide versioned, warm", versioned(wideInfo), all, 0, true, chunkBytes(wideMD)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.warm {
				scanFile(t, tc.info, ioCols, nil, nil, 0)
			}
			est := estimateFile(t, tc.info, ioCols, tc.cols, nil, tc.target)
			st := scanFile(t, tc.info, ioCols, tc.cols, nil, tc.target)
			if tc.want < 0 {
				// As many footer reads as splits, each serving its own.
				splits := (Format{}).Split(nil, tc.info, tc.target)
				tc.want = int64(len(splits))*tailSize + chunkBytes(mediumMD)
				for _, sp := range splits {
					tail := tailView{off: tc.info.Size - tailSize, data: make([]byte, tailSize)}
					for _, rg := range mediumMD.RowGroups {
						if mid := rowGroupMidpoint(&rg); mid >= sp.Offset && (sp.Length < 0 || mid < sp.Offset+sp.Length) {
							for _, c := range rg.Columns {
								lo, hi := tail.uncovered(c.MetaData.DataPageOffset, c.MetaData.TotalCompressedSize, 0)
								tc.want -= c.MetaData.TotalCompressedSize - (hi - lo)
							}
						}
					}
				}
			}
			if got := st.BytesRead.Load(); got != tc.want {
				t.Errorf("read %d bytes, want %d (file %d bytes)", got, tc.want, tc.info.Size)
			}
			// The estimate read the footer for planning; the scan, finding
			// no footer a scan read, read its own as the estimate said.
			if est.RemoteBytes != st.BytesRead.Load() {
				t.Errorf("estimate %d bytes, read %d", est.RemoteBytes, st.BytesRead.Load())
			}
			if st.Rows.Load() != est.Rows {
				t.Errorf("read %d rows, estimated %d", st.Rows.Load(), est.Rows)
			}
		})
	}
}

func fileMetaOf(t *testing.T, path string) *format.FileMetaData {
	md, _ := fileMeta(t, path)
	return md
}

// TestFooterCacheIdentity: a new version token means a new footer read,
// and the cached footer of the old one is not used for it.
func TestFooterCacheIdentity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.parquet")
	writeFile(t, path, ioRows(100))
	info := versioned(statOf(t, path))
	if st := scanFile(t, info, ioCols, nil, nil, 0); st.BytesRead.Load() != info.Size {
		t.Fatalf("first scan read %d bytes of %d", st.BytesRead.Load(), info.Size)
	}
	if st := scanFile(t, info, ioCols, nil, nil, 0); st.BytesRead.Load() != 0 {
		t.Fatalf("second scan of the same version read %d bytes", st.BytesRead.Load())
	}
	// Rewritten with more rows: the new version is read afresh.
	writeFile(t, path, ioRows(200))
	info2 := versioned(statOf(t, path))
	st := scanFile(t, info2, ioCols, []int{0}, nil, 0)
	if st.BytesRead.Load() != info2.Size || st.Rows.Load() != 200 {
		t.Fatalf("rewritten file: read %d bytes of %d, %d rows", st.BytesRead.Load(), info2.Size, st.Rows.Load())
	}
	// A listing that disagrees with the object's size bypasses the cache.
	stale := info
	st = scanFile(t, stale, ioCols, []int{0}, nil, 0)
	if st.Rows.Load() != 200 {
		t.Fatalf("stale listing read %d rows, want the object's 200", st.Rows.Load())
	}
}

func TestCorruptFooter(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	writeFile(t, good, ioRows(100))
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	n := len(data)
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), data...)) }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"tiny", []byte("PAR1PAR1"), "not a parquet file: 8 bytes"},
		{"no trailing magic", mutate(func(b []byte) []byte { copy(b[n-4:], "XXXX"); return b }), "not a parquet file"},
		{"no leading magic", mutate(func(b []byte) []byte { copy(b, "XXXX"); return b }), "not a parquet file"},
		{"footer length beyond the file", mutate(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[n-8:], uint32(n))
			return b
		}), "corrupt parquet footer: length"},
		{"footer garbage", mutate(func(b []byte) []byte {
			flen := int(binary.LittleEndian.Uint32(b[n-8:]))
			for i := n - 8 - flen; i < n-8; i++ {
				b[i] = 0xff
			}
			return b
		}), ""},
		{"truncated", data[:n/2], "not a parquet file"},
		{"encrypted", mutate(func(b []byte) []byte { copy(b[n-4:], "PARE"); return b }), "unsupported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".parquet")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readAll(t, path, ioCols, goAlloc, nil, nil, 0)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming the file and %q", err, tc.want)
			}
		})
	}
}

// TestSplitsOpenConcurrently: splits of a query opened at once read
// what the estimate says whichever opens first; the next query reads the
// column chunks alone.
func TestSplitsOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.parquet")
	writeFile(t, path, ioRows(40000), parquet.MaxRowsPerRowGroup(2500))
	info := versioned(statOf(t, path))
	md, _ := fileMeta(t, path)
	tbl := &catalog.Table{Name: "t", Columns: ioCols, Format: catalog.FormatParquet}
	target := info.Size / 8
	cols := []int{0, 1, 2}
	est := estimateFile(t, info, ioCols, cols, nil, target)
	for q, want := range []int64{est.RemoteBytes, chunkBytes(md)} {
		st := &source.Stats{}
		splits := (Format{}).Split(tbl, info, target)
		errs := make(chan error, len(splits))
		for _, sp := range splits {
			go func() {
				r, err := Format{}.Open(context.Background(), &source.Request{Store: fsStore{}, File: info, Split: sp, Table: tbl,
					Columns: cols, Stats: st})
				if err != nil {
					errs <- err
					return
				}
				defer r.Close()
				for {
					rec, err := r.Next()
					if err != nil || rec == nil {
						errs <- err
						return
					}
					rec.Release()
				}
			}()
		}
		for range splits {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if got := st.BytesRead.Load(); got != want || st.Rows.Load() != 40000 {
			t.Fatalf("query %d: %d splits read %d bytes and %d rows, want %d bytes and 40000 rows", q+1, len(splits), got, st.Rows.Load(), want)
		}
	}
}
