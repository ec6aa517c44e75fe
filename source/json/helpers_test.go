package json

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// testStore serves in-memory objects, generated streams and local files,
// so the tests do not depend on objstore's implementations.
type testStore struct {
	blobs map[string][]byte
	gens  map[string]func() io.Reader
}

func newTestStore() *testStore {
	return &testStore{blobs: map[string][]byte{}, gens: map[string]func() io.Reader{}}
}

func (s *testStore) bytesOf(loc string) ([]byte, error) {
	if b, ok := s.blobs[loc]; ok {
		return b, nil
	}
	b, err := os.ReadFile(loc)
	if err != nil {
		return nil, &objstore.Error{Op: "read", Location: loc, Err: objstore.ErrNotFound}
	}
	return b, nil
}

func (s *testStore) List(ctx context.Context, loc string) ([]objstore.ObjectInfo, error) {
	info, err := s.Stat(ctx, loc)
	return []objstore.ObjectInfo{info}, err
}

func (s *testStore) ListDir(context.Context, string) ([]objstore.ObjectInfo, []string, error) {
	return nil, nil, fmt.Errorf("not implemented")
}

func (s *testStore) Stat(_ context.Context, loc string) (objstore.ObjectInfo, error) {
	if _, ok := s.gens[loc]; ok {
		return objstore.ObjectInfo{Location: loc, Size: -1}, nil
	}
	b, err := s.bytesOf(loc)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	return objstore.ObjectInfo{Location: loc, Size: int64(len(b)), ModTime: time.Unix(0, 0)}, nil
}

type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

func (s *testStore) Open(_ context.Context, info objstore.ObjectInfo) (objstore.File, error) {
	b, err := s.bytesOf(info.Location)
	if err != nil {
		return nil, err
	}
	return memFile{bytes.NewReader(b)}, nil
}

func (s *testStore) NewReader(_ context.Context, info objstore.ObjectInfo, off, n int64) (io.ReadCloser, error) {
	if g, ok := s.gens[info.Location]; ok {
		return io.NopCloser(g()), nil
	}
	b, err := s.bytesOf(info.Location)
	if err != nil {
		return nil, err
	}
	off = min(off, int64(len(b)))
	b = b[off:]
	if n >= 0 && n < int64(len(b)) {
		b = b[:n]
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// tableOf builds a JSON table from "name type" pairs (Hive or Trino type
// spelling; a type may hold spaces).
func tableOf(props map[string]string, cols ...string) *catalog.Table {
	t := &catalog.Table{Schema: "s", Name: "t", Format: catalog.FormatJSON, SerDe: catalog.OpenXJSONSerDe,
		SerDeProps: props}
	for _, c := range cols {
		name, typ, _ := strings.Cut(c, " ")
		t.Columns = append(t.Columns, types.Column{Name: name, Type: types.MustParse(typ)})
	}
	return t
}

func allColumns(t *catalog.Table) []int {
	idx := make([]int, len(t.Columns))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

type readResult struct {
	rows    [][]string // rendered values; NULL as "NULL"
	stats   *source.Stats
	batches int
}

// readAll reads a whole object with the given table and projection,
// checking batch types and that every buffer returns to the allocator.
func readAll(t testing.TB, st *testStore, tbl *catalog.Table, loc string, cols []int, split source.Split, batchRows int) (readResult, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var res readResult
	res.stats = new(source.Stats)
	info, err := st.Stat(context.Background(), loc)
	if err != nil {
		return res, err
	}
	if cols == nil {
		cols = allColumns(tbl)
	}
	req := &source.Request{Store: st, File: info, Split: split, Table: tbl, Columns: cols, Alloc: mem,
		BatchRows: batchRows, Stats: res.stats}
	br, err := Format{}.Open(context.Background(), req)
	if err != nil {
		return res, err
	}
	defer br.Close()
	for {
		rec, err := br.Next()
		if err != nil {
			return res, err
		}
		if rec == nil {
			break
		}
		res.batches++
		if int(rec.NumCols()) != len(cols) {
			t.Fatalf("batch has %d columns, want %d", rec.NumCols(), len(cols))
		}
		for i, c := range cols {
			if !arrow.TypeEqual(rec.Schema().Field(i).Type, tbl.Columns[c].Type.Arrow()) {
				t.Fatalf("column %d type %s, want %s", i, rec.Schema().Field(i).Type, tbl.Columns[c].Type.Arrow())
			}
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]string, rec.NumCols())
			for c := range row {
				col := rec.Column(c)
				if col.IsNull(r) {
					row[c] = "NULL"
				} else {
					row[c] = render(col, r)
				}
			}
			res.rows = append(res.rows, row)
		}
		rec.Release()
	}
	return res, nil
}

// render prints a value with nested NULLs visible.
func render(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	return a.ValueStr(i)
}

func rowsString(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|"))
		b.WriteByte('\n')
	}
	return b.String()
}

var whole = source.Split{Offset: 0, Length: -1}

// readString reads data as the object /t/x.json.
func readString(t testing.TB, tbl *catalog.Table, data string) (string, error) {
	t.Helper()
	st := newTestStore()
	st.blobs["/t/x.json"] = []byte(data)
	res, err := readAll(t, st, tbl, "/t/x.json", nil, whole, 3)
	return rowsString(res.rows), err
}

func infoOf(loc string, size int64) objstore.ObjectInfo {
	return objstore.ObjectInfo{Location: loc, Size: size}
}

// readAllFunc reads a whole object, counting rows without rendering them
// and calling each after every batch.
func readAllFunc(t testing.TB, st *testStore, tbl *catalog.Table, loc string, each func()) (int64, error) {
	return readColsFunc(t, st, tbl, loc, nil, each)
}

func readCols(t testing.TB, st *testStore, tbl *catalog.Table, loc string, cols []int) (int64, error) {
	return readColsFunc(t, st, tbl, loc, cols, nil)
}

func readColsFunc(t testing.TB, st *testStore, tbl *catalog.Table, loc string, cols []int, each func()) (int64, error) {
	t.Helper()
	if cols == nil {
		cols = allColumns(tbl)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	info, err := st.Stat(context.Background(), loc)
	if err != nil {
		return 0, err
	}
	req := &source.Request{Store: st, File: info, Split: whole, Table: tbl, Columns: cols, Alloc: mem}
	br, err := Format{}.Open(context.Background(), req)
	if err != nil {
		return 0, err
	}
	defer br.Close()
	var rows int64
	for {
		rec, err := br.Next()
		if err != nil {
			return rows, err
		}
		if rec == nil {
			return rows, nil
		}
		rows += rec.NumRows()
		rec.Release()
		if each != nil {
			each()
		}
	}
}
