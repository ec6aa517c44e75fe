package parquet

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// fsStore is a minimal local objstore.Store for tests.
type fsStore struct{}

type fsFile struct {
	*os.File
	size int64
}

func (f fsFile) Size() int64 { return f.size }

func (fsStore) List(_ context.Context, loc string) ([]objstore.ObjectInfo, error) {
	var out []objstore.ObjectInfo
	err := filepath.Walk(loc, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out = append(out, objstore.ObjectInfo{Location: p, Size: fi.Size(), ModTime: fi.ModTime()})
		}
		return err
	})
	return out, err
}

func (fsStore) ListDir(context.Context, string) ([]objstore.ObjectInfo, []string, error) {
	return nil, nil, nil
}

func (fsStore) Stat(_ context.Context, loc string) (objstore.ObjectInfo, error) {
	fi, err := os.Stat(loc)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	return objstore.ObjectInfo{Location: loc, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

func (fsStore) Open(_ context.Context, info objstore.ObjectInfo) (objstore.File, error) {
	f, err := os.Open(info.Location)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return fsFile{f, fi.Size()}, nil
}

func (fsStore) NewReader(_ context.Context, info objstore.ObjectInfo, off, n int64) (io.ReadCloser, error) {
	f, err := os.Open(info.Location)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		n = 1 << 62
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, n), f}, nil
}

func statOf(t testing.TB, path string) objstore.ObjectInfo {
	t.Helper()
	info, err := fsStore{}.Stat(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// readAll scans every split of a file and returns the batches; the
// caller releases them.
func readAll(t testing.TB, path string, cols []types.Column, mem memory.Allocator, stats *source.Stats, preds []source.Predicate, batchRows int) ([]arrow.Record, error) {
	t.Helper()
	info := statOf(t, path)
	tbl := &catalog.Table{Name: "t", Columns: cols, Format: catalog.FormatParquet}
	idx := make([]int, len(cols))
	for i := range idx {
		idx[i] = i
	}
	var out []arrow.Record
	for _, sp := range (Format{}).Split(tbl, info, 0) {
		r, err := Format{}.Open(context.Background(), &source.Request{
			Store: fsStore{}, File: info, Split: sp, Table: tbl, Columns: idx,
			Alloc: mem, BatchRows: batchRows, Stats: stats, Predicates: preds,
		})
		if err != nil {
			return out, err
		}
		for {
			rec, err := r.Next()
			if err != nil {
				r.Close()
				return out, err
			}
			if rec == nil {
				break
			}
			out = append(out, rec)
		}
		if err := r.Close(); err != nil {
			return out, err
		}
	}
	return out, nil
}

func releaseAll(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

func readSplit(t testing.TB, path string, sp source.Split, st *source.Stats) ([]arrow.Record, error) {
	info := statOf(t, path)
	tbl := &catalog.Table{Name: "t", Columns: declared[:1]}
	r, err := Format{}.Open(context.Background(), &source.Request{
		Store: fsStore{}, File: info, Split: sp, Table: tbl, Columns: []int{0}, Stats: st,
	})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []arrow.Record
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return out, err
		}
		out = append(out, rec)
	}
}
