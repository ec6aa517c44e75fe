package parquet

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

var _ source.SplitEstimator = Format{}

// EstimateSplit implements source.SplitEstimator. It reads the file's
// footer the way Open does and counts what the reader of the split will
// add to Stats.BytesRead: the footer read (the magic bytes, then the last
// 256 KiB of the file in one optimistic read, plus the footer itself when
// it is larger: for a small file that is the whole file, read again by
// the column chunks) and, in every row group the split owns that survives
// statistics pruning, the compressed size of each column chunk the
// requested columns need. Rows are exact: the row counts of those groups.
func (Format) EstimateSplit(ctx context.Context, store objstore.Store, table *catalog.Table, file objstore.ObjectInfo, split source.Split, columns []int, preds []source.Predicate) (est source.Estimate, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: corrupt parquet file: %v", file.Location, r)
		}
	}()
	ft, err := footers.get(ctx, store, file)
	if err != nil {
		return source.Estimate{}, err
	}
	leaves, err := neededLeaves(table, columns, ft.root)
	if err != nil {
		return source.Estimate{}, fmt.Errorf("%s: %w", file.Location, err)
	}
	est.RemoteBytes = ft.openBytes
	lo, hi := split.Offset, int64(-1)
	if split.Length >= 0 {
		hi = lo + split.Length
	}
	for g := range ft.md.RowGroups {
		rg := &ft.md.RowGroups[g]
		if mid := rowGroupMidpoint(rg); mid < lo || (hi >= 0 && mid >= hi) {
			continue
		}
		if skipRowGroup(table.Columns, ft.root, rg, preds) {
			continue
		}
		for _, leaf := range leaves {
			if leaf < len(rg.Columns) {
				est.RemoteBytes += rg.Columns[leaf].MetaData.TotalCompressedSize
			}
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

// footer is what the estimator keeps of a file: the bytes opening it
// reads, its metadata and its schema tree.
type footer struct {
	openBytes int64
	md        format.FileMetaData
	root      *pqNode
}

// footerCache remembers the footers of recently estimated files, keyed by
// object identity (location, size and version token), so estimating every
// split of a large file, or the same table again, reads each footer once.
// Objects without a version token are not remembered.
type footerCache struct {
	mu sync.Mutex
	m  map[string]*footer
}

// footerCacheFiles bounds the cache; a wide file's parsed footer can take
// a megabyte.
const footerCacheFiles = 128

var footers = &footerCache{m: map[string]*footer{}}

func (c *footerCache) get(ctx context.Context, store objstore.Store, file objstore.ObjectInfo) (*footer, error) {
	key := ""
	if file.Version != "" {
		key = file.Location + "\x00" + strconv.FormatInt(file.Size, 10) + "\x00" + file.Version
		c.mu.Lock()
		ft, ok := c.m[key]
		c.mu.Unlock()
		if ok {
			return ft, nil
		}
	}
	of, err := openFile(ctx, store, file, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file.Location, err)
	}
	ft := &footer{openBytes: of.cr.n.Load(), md: *of.pf.Metadata(), root: of.root}
	of.obj.Close()
	if key != "" {
		c.mu.Lock()
		if len(c.m) >= footerCacheFiles {
			for k := range c.m { // evict an arbitrary entry
				delete(c.m, k)
				break
			}
		}
		c.m[key] = ft
		c.mu.Unlock()
	}
	return ft, nil
}
