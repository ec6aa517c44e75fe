package exec_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/objstore"
	src "github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// countFormat's readers yield batches of consecutive integers, one call at
// a time (they fail the test if called concurrently), and count opens and
// closes.
type countFormat struct {
	t              *testing.T
	batches, rows  int
	failAt         int // batch that fails (0: none)
	opened, closed atomic.Int32
}

func (f *countFormat) Name() string { return "COUNT" }
func (f *countFormat) Split(*catalog.Table, objstore.ObjectInfo, int64) []src.Split {
	return []src.Split{{Length: -1}}
}
func (f *countFormat) Open(_ context.Context, req *src.Request) (src.BatchReader, error) {
	f.opened.Add(1)
	return &countReader{f: f, alloc: req.Alloc}, nil
}

type countReader struct {
	f     *countFormat
	alloc memory.Allocator
	i     int
	busy  atomic.Bool
}

func (r *countReader) Next() (arrow.Record, error) {
	if !r.busy.CompareAndSwap(false, true) {
		r.f.t.Error("reader called concurrently")
	}
	defer r.busy.Store(false)
	time.Sleep(100 * time.Microsecond) // decoding: let other instances come
	if r.i >= r.f.batches {
		return nil, nil
	}
	r.i++
	if r.i == r.f.failAt {
		return nil, errors.New("damaged page")
	}
	b := array.NewInt64Builder(r.alloc)
	defer b.Release()
	for k := range r.f.rows {
		b.Append(int64((r.i-1)*r.f.rows + k))
	}
	a := b.NewArray()
	defer a.Release()
	return array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil),
		[]arrow.Array{a}, int64(r.f.rows)), nil
}

func (r *countReader) Close() error {
	r.f.closed.Add(1)
	return nil
}

// TestScanInstancesShareAReader: scan instances with no morsel left read
// along with the instance that opened one, in turns; every row comes out
// exactly once, several instances take part, the reader is opened and
// closed once, also when instances close early or the reader fails.
func TestScanInstancesShareAReader(t *testing.T) {
	table := &catalog.Table{Name: "t", Columns: []types.Column{{Name: "v", Type: types.BigIntType}}}
	cols := []exec.ScanColumn{{Column: table.Columns[0], Data: 0, PartKey: -1}}
	for _, tc := range []struct {
		name          string
		failAt, limit int
	}{{"whole", 0, 0}, {"early close", 0, 5}, {"failure", 40, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, check := testCtx(t, 4, 0)
			defer check()
			f := &countFormat{t: t, batches: 200, rows: 10, failAt: tc.failAt}
			q := exec.NewMorselQueue([]exec.Morsel{{Format: f}})
			var (
				mu    sync.Mutex
				seen  = map[int64]int{}
				takes = map[int]int{} // batches per instance
				fails atomic.Int32
				wg    sync.WaitGroup
			)
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := exec.NewScan(q, table, cols, nil, nil)
					defer s.Close()
					for k := 0; tc.limit == 0 || k < tc.limit; k++ {
						b, err := s.Next(ctx)
						if err != nil {
							fails.Add(1)
							return
						}
						if b == nil {
							return
						}
						v := b.Column(0).(*array.Int64)
						mu.Lock()
						takes[w]++
						for i := range v.Len() {
							seen[v.Value(i)]++
						}
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if f.opened.Load() != 1 || f.closed.Load() != 1 {
				t.Fatalf("reader opened %d times, closed %d times", f.opened.Load(), f.closed.Load())
			}
			for v, n := range seen {
				if n != 1 {
					t.Fatalf("row %d came out %d times", v, n)
				}
			}
			switch tc.name {
			case "whole":
				if len(seen) != f.batches*f.rows || len(takes) < 2 {
					t.Fatalf("%d rows (want %d) from %d instances", len(seen), f.batches*f.rows, len(takes))
				}
			case "failure":
				if fails.Load() != 1 || len(seen) >= f.batches*f.rows {
					t.Fatalf("%d instances failed, %d rows", fails.Load(), len(seen))
				}
			}
		})
	}
}
