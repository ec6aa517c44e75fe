package source

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
)

// DefaultBatchRows is the number of rows a reader aims to put in one batch.
const DefaultBatchRows = 8192

// Format reads one file format (CSV/text, JSON, Parquet) for a table.
// Implementations are stateless and safe for concurrent use.
type Format interface {
	// Name is the STORED AS name, e.g. "TEXTFILE".
	Name() string
	// Split divides one file into units of parallel work. A format that
	// cannot split a file (compressed, or too small to be worth it)
	// returns one split covering it: {Offset: 0, Length: -1}.
	Split(table *catalog.Table, file objstore.ObjectInfo, target int64) []Split
	// Open starts reading one split. The reader yields batches whose
	// columns are exactly req.Columns, in that order, with the Arrow types
	// of those columns' Trino types (types.Type.Arrow).
	Open(ctx context.Context, req *Request) (BatchReader, error)
}

// Split is a byte range of a file. A reader of a range starting after 0
// skips to the first record that begins after Offset and reads every
// record that begins before Offset+Length, so adjacent ranges never
// lose or duplicate a record.
//
// A Decoded split counts Offset and Length in bytes of the decompressed
// stream (a gzip file cut at the checkpoints of its index) and begins
// exactly at a record start, whose line number is FirstLine (1-based; 0
// when unknown). Hint is format-private state that makes a split cheaper
// to read (a gzip checkpoint, a cache segment); a reader must give the
// same rows without it.
type Split struct {
	Offset    int64
	Length    int64 // -1: to the end of the file
	Decoded   bool
	FirstLine int64
	Hint      any
}

// ColumnSplitter is implemented by a Format whose splitting depends on the
// columns a query reads (the decoded-column cache serves a split from its
// segments only when they hold every needed column).
type ColumnSplitter interface {
	SplitColumns(table *catalog.Table, file objstore.ObjectInfo, columns []int, target int64) []Split
}

// SplitFor splits file with f, passing the needed columns when f wants them.
func SplitFor(f Format, table *catalog.Table, file objstore.ObjectInfo, columns []int, target int64) []Split {
	if cs, ok := f.(ColumnSplitter); ok {
		return cs.SplitColumns(table, file, columns, target)
	}
	return f.Split(table, file, target)
}

// Memo remembers small facts about objects across queries and restarts
// (a gzip file's checkpoint index). Keys name the object's identity
// (location and version token) and the fact's kind; a Memo may forget
// anything at any time, and Get/Put are safe for concurrent use. Put
// never fails: a Memo that cannot store a value drops it.
type Memo interface {
	Get(key string) ([]byte, bool)
	Put(key string, value []byte)
}

// AsyncMemo is a Memo that can also store a value off the caller's path:
// a scan that recorded a gzip index returns without waiting for the index
// to be encoded and synced to disk. value runs in the background (nil:
// nothing to store); a Get of key meanwhile waits for it.
type AsyncMemo interface {
	Memo
	PutAsync(key string, value func() []byte)
}

// AccountTransfer is implemented by allocators that account the memory a
// query holds (exec's): a reader that keeps a batch's buffers beyond the
// query (the decoded-column cache's fill) may take them off the query's
// account with Transfer(-n) rather than copying them, and puts them back
// with Transfer(n) before releasing them while the query may still run.
// The query may still hold those buffers (a sort buffering its input), so
// its account undercounts them meanwhile: CanTransfer says whether that
// is harmless (no memory limit, so nothing decides on the account).
// Transfer never fails (no limit check). The allocator must tolerate
// buffers freed after the query has ended (Go memory does).
type AccountTransfer interface {
	CanTransfer() bool
	Transfer(n int64)
}

// Request is what a scan asks of a Format for one split.
type Request struct {
	Store objstore.Store
	File  objstore.ObjectInfo
	Split Split
	Table *catalog.Table
	// Columns are indices into Table.Columns (data columns only; the scan
	// adds partition and hidden columns itself).
	Columns []int
	// Alloc allocates the batches' buffers; batches must be released by
	// the consumer.
	Alloc     memory.Allocator
	BatchRows int
	Stats     *Stats
	// Predicates are conjuncts the reader may use to skip data (Parquet
	// row-group statistics); the scan still filters every row.
	Predicates []Predicate
	// Notice reports a non-fatal event (a header line recognised and
	// skipped) once per file; may be nil.
	Notice func(msg string)
}

// BatchReader yields the batches of one split.
type BatchReader interface {
	// Next returns the next batch, or (nil, nil) at the end. The caller
	// owns the batch and releases it.
	Next() (arrow.Record, error)
	Close() error
}

// Predicate is a simple comparison of a table data column with a constant,
// usable for pruning. Value is a Go value of the column's type: int64 for
// integers, dates (days since epoch) and timestamps (µs); the unscaled
// int64 for short decimals; float64; string; bool.
type Predicate struct {
	Column int // index into Table.Columns
	Op     string
	Value  any
}

// Stats counts what scans did; all fields are updated atomically.
type Stats struct {
	FilesListed       atomic.Int64
	FilesRead         atomic.Int64
	FilesSkipped      atomic.Int64 // hidden, other-format or superseded files
	BytesRead         atomic.Int64 // from storage
	BytesDecompressed atomic.Int64
	Rows              atomic.Int64
	RowGroupsSkipped  atomic.Int64
	PartitionsTotal   atomic.Int64
	PartitionsPruned  atomic.Int64
	// The decoded-column cache: splits served from it, the bytes of its
	// segments read, and segments written.
	CacheHits  atomic.Int64
	CacheBytes atomic.Int64
	CacheFills atomic.Int64
}

// Registry maps format names to implementations; the engine fills it.
type Registry struct {
	formats map[string]Format
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{formats: map[string]Format{}} }

// Register installs a format under its Name.
func (r *Registry) Register(f Format) { r.formats[f.Name()] = f }

// Lookup returns the format registered for name.
func (r *Registry) Lookup(name string) (Format, bool) {
	f, ok := r.formats[name]
	return f, ok
}

// ErrNoEstimate is returned by a SplitEstimator that leaves a split to the
// default estimate.
var ErrNoEstimate = errors.New("no estimate for this split")

// Estimate is what reading one split will cost, known before reading it.
type Estimate struct {
	RemoteBytes int64 // bytes from storage (local disk or S3)
	LocalBytes  int64 // bytes from the decoded-column cache
	Rows        int64 // -1: unknown
}

// SplitEstimator is implemented by a Format that can tell more exactly than
// the split's length what a split will read for the given columns (a
// Parquet footer's column-chunk sizes, a cache segment's size). Without it
// an estimate is the split's byte length, or the file size for a whole file.
// columns and preds are what the scan will put in Request.Columns and
// Request.Predicates, so a format can skip what its reader would skip
// (Parquet row groups pruned by their statistics). The estimate should
// count what the reader adds to Stats.BytesRead.
//
// A format that has no better estimate for a particular split (a cache
// wrapper for a split it does not hold) returns ErrNoEstimate, and the
// split is priced as if the format had no estimator.
type SplitEstimator interface {
	EstimateSplit(ctx context.Context, store objstore.Store, table *catalog.Table, file objstore.ObjectInfo, split Split, columns []int, preds []Predicate) (Estimate, error)
}
