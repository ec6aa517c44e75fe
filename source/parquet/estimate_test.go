package parquet

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/source"
)

// TestEstimateMatchesReader checks that a split's estimate is exactly what
// its reader adds to Stats.BytesRead and Stats.Rows, for column subsets
// (nested and absent columns included), pruning predicates, split sizes,
// and files smaller and larger than the reader's first footer read.
func TestEstimateMatchesReader(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.parquet")
	writeFile(t, small, sampleRows(1000), parquet.MaxRowsPerRowGroup(100))
	large := filepath.Join(dir, "large.parquet")
	writeFile(t, large, sampleRows(60000), parquet.MaxRowsPerRowGroup(4000))
	if info := statOf(t, large); info.Size <= 256<<10 {
		t.Fatalf("large file is only %d bytes", info.Size)
	}
	tbl := &catalog.Table{Name: "t", Columns: declared, Format: catalog.FormatParquet}
	colSets := [][]int{{0}, {1, 2}, {10, 11}, {13}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}}
	predSets := [][]source.Predicate{
		nil,
		{{Column: 0, Op: ">", Value: int64(50000)}},
		{{Column: 1, Op: "=", Value: "zzz"}},
		// A dictionary probe that every row group passes: probes counted.
		{{Column: 1, Op: "=", Value: "n1"}},
		{{Column: 0, Op: "<", Value: int64(150)}, {Column: 8, Op: ">=", Value: 10.0}},
	}
	ctx := context.Background()
	for _, path := range []string{small, large} {
		info := statOf(t, path)
		for _, target := range []int64{0, info.Size / 3} {
			for ci, cols := range colSets {
				for pi, preds := range predSets {
					name := fmt.Sprintf("%s/target=%d/cols%d/preds%d", filepath.Base(path), target, ci, pi)
					t.Run(name, func(t *testing.T) {
						var want, got source.Estimate
						for _, sp := range (Format{}).Split(tbl, info, target) {
							var st source.Stats
							r, err := Format{}.Open(ctx, &source.Request{Store: fsStore{}, File: info, Split: sp, Table: tbl,
								Columns: cols, Stats: &st, Predicates: preds})
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
							r.Close()
							want.RemoteBytes += st.BytesRead.Load()
							want.Rows += st.Rows.Load()
							est, err := Format{}.EstimateSplit(ctx, fsStore{}, tbl, info, sp, cols, preds)
							if err != nil {
								t.Fatal(err)
							}
							got.RemoteBytes += est.RemoteBytes
							got.Rows += est.Rows
						}
						if got != want {
							t.Fatalf("estimate %+v, reader read %+v", got, want)
						}
					})
				}
			}
		}
	}
}

func TestEstimatePrunesRowGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parquet")
	writeFile(t, path, sampleRows(60000), parquet.MaxRowsPerRowGroup(6000))
	info := statOf(t, path)
	info.Version = "v1" // cacheable
	tbl := &catalog.Table{Name: "t", Columns: declared, Format: catalog.FormatParquet}
	ctx := context.Background()
	all, err := Format{}.EstimateSplit(ctx, fsStore{}, tbl, info, source.Split{Length: -1}, []int{0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	one, err := Format{}.EstimateSplit(ctx, fsStore{}, tbl, info, source.Split{Length: -1}, []int{0, 1},
		[]source.Predicate{{Column: 0, Op: ">=", Value: int64(54000)}})
	if err != nil {
		t.Fatal(err)
	}
	if all.Rows != 60000 || one.Rows != 6000 {
		t.Fatalf("rows %d and %d, want 60000 and 6000", all.Rows, one.Rows)
	}
	if one.RemoteBytes >= all.RemoteBytes/2 {
		t.Fatalf("pruned estimate %d bytes is not well under the full %d", one.RemoteBytes, all.RemoteBytes)
	}
	if _, ok := footers.m[info.Location+"\x00"+fmt.Sprint(info.Size)+"\x00v1"]; !ok {
		t.Fatalf("footer of a versioned object not remembered")
	}
}
