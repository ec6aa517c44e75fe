package parquet

import (
	"context"
	"fmt"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

var _ source.SplitEstimator = Format{}

// EstimateSplit implements source.SplitEstimator. It reads the file's
// footer (or finds it cached) and counts what the reader of the split
// will add to Stats.BytesRead, by the reader's own rules:
//   - The footer: nothing when a query of this process has read it (see
//     footerCache); else the split's footer read (the last 64 KiB, or more
//     for a larger footer), whose bytes then serve the column chunks they
//     hold.
//   - In every row group the split owns that statistics do not prune: the
//     probes (bloom filters, dictionary pages) for its equality
//     predicates, and each column chunk the requested columns need, less
//     what the split already holds (its tail, a probed dictionary page).
//
// Rows are the row counts of those groups. A probe that skips a row group
// makes the reader read less than this (see probe).
func (Format) EstimateSplit(ctx context.Context, store objstore.Store, table *catalog.Table, file objstore.ObjectInfo, split source.Split, columns []int, preds []source.Predicate) (est source.Estimate, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: corrupt parquet file: %v", file.Location, r)
		}
	}()
	ft, err := loadFooter(ctx, store, file)
	if err != nil {
		return source.Estimate{}, err
	}
	leaves, err := neededLeaves(table, columns, ft.root)
	if err != nil {
		return source.Estimate{}, fmt.Errorf("%s: %w", file.Location, err)
	}
	var tail tailView
	if footerKey(file) == "" || !ft.scanned {
		est.RemoteBytes, tail = ft.readBytes, ft.tail
	}
	md := ft.md()
	size := ft.pf.Size()
	lo, hi := split.Offset, int64(-1)
	if split.Length >= 0 {
		hi = lo + split.Length
	}
	for g := range md.RowGroups {
		rg := &md.RowGroups[g]
		if mid := rowGroupMidpoint(rg); mid < lo || (hi >= 0 && mid >= hi) {
			continue
		}
		if skipRowGroup(table.Columns, ft.root, rg, preds) {
			continue
		}
		dicts := map[int]int64{}
		for _, p := range planProbes(table.Columns, ft.root, rg, preds, size) {
			a, b := tail.uncovered(p.off, p.n, 0)
			est.RemoteBytes += b - a
			if !p.bloom {
				dicts[p.leaf] = p.n
			}
		}
		for _, leaf := range leaves {
			start, n, err := chunkRange(&rg.Columns[leaf].MetaData, size)
			if err != nil {
				continue // the reader fails here
			}
			if n > maxPrefetch {
				est.RemoteBytes += n
				continue
			}
			a, b := tail.uncovered(start, n, dicts[leaf])
			est.RemoteBytes += b - a
		}
		est.Rows += rg.NumRows
	}
	return est, nil
}

// neededLeaves lists the leaf columns the reader reads for columns, with
// the reader's repetitions (a leaf appears once per plan that reads it).
func neededLeaves(table *catalog.Table, columns []int, root *pqNode) ([]int, error) {
	plans := make([]*plan, 0, len(columns))
	for _, ci := range columns {
		if ci < 0 || ci >= len(table.Columns) {
			return nil, fmt.Errorf("BUG: column index %d of %d", ci, len(table.Columns))
		}
		c := table.Columns[ci]
		p, err := planFor(c.Type, root.child(c.Name), false, "", goAlloc, source.DefaultBatchRows)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	var out []int
	for _, l := range allLeaves(plans) {
		out = append(out, l.node.leaf)
	}
	return out, nil
}
