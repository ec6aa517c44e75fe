package cache

import (
	"context"
	"slices"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

var _ source.SplitEstimator = (*cachedFormat)(nil)

// EstimateSplit prices a piece of a cached segment as local bytes (the
// needed columns' chunks in its row groups) with an exact row count; any
// other split is the inner format's to price.
func (f *cachedFormat) EstimateSplit(ctx context.Context, store objstore.Store, t *catalog.Table, file objstore.ObjectInfo, sp source.Split, columns []int, preds []source.Predicate) (source.Estimate, error) {
	h, ok := sp.Hint.(*pieceHint)
	if !ok {
		if est, ok := f.inner.(source.SplitEstimator); ok {
			return est.EstimateSplit(ctx, store, t, file, sp, columns, preds)
		}
		return source.Estimate{}, source.ErrNoEstimate
	}
	e := source.Estimate{Rows: h.r1 - h.r0}
	need := normalize(columns)
	for _, gm := range h.seg.cover {
		for g := h.g0; g < h.g1 && g < len(gm.RowGroups); g++ {
			for li, col := range gm.Leaves {
				if slices.Contains(need, gm.Columns[col]) {
					e.LocalBytes += gm.RowGroups[g].Chunks[li].Len
				}
			}
		}
	}
	return e, nil
}
