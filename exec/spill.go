package exec

// Spilling: operators that must hold their whole input (Sort, HashAggregate)
// write part of their state to temporary files once the query's accounted
// memory passes SpillConfig.Threshold, and read it back later. A spill file
// is an Arrow IPC stream of batches of one schema, written once and then
// read sequentially; its buffers are compressed with LZ4 (see spillCodec).
// Files are created in SpillConfig.Dir, named quarry-spill-*.arrow, and
// removed by their operator as soon as they are consumed, on error, and at
// Close at the latest; a process killed mid-query can leave them behind.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// SpillConfig says where and when operators spill.
type SpillConfig struct {
	// Dir holds the temporary files; "" means os.TempDir().
	Dir string
	// Threshold is the query's accounted memory, in bytes, above which a
	// sort writes its buffered rows out as a sorted run and a hash
	// aggregate stops adding groups and partitions the rows of new groups
	// to disk. 0 never spills: the query then runs in memory and fails
	// with the memory-limit error when it exceeds the limit.
	Threshold int64

	// wrap, when set, wraps every spill file's writer (tests inject write
	// failures with it).
	wrap func(io.Writer) io.Writer
}

// SpillFraction is the share of the memory limit at which operators start
// to spill by default, leaving headroom for what a spill itself needs (a
// sorted run's index and output chunk, batches in flight elsewhere).
const SpillFraction = 0.7

// DefaultSpillConfig spills into os.TempDir() at SpillFraction of the
// memory limit; with no limit (0) it never spills, as a query without a
// limit may use all the memory there is.
func DefaultSpillConfig(memLimit int64) SpillConfig {
	return SpillConfig{Dir: os.TempDir(), Threshold: int64(float64(memLimit) * SpillFraction)}
}

func (c *SpillConfig) dir() string {
	if c.Dir == "" {
		return os.TempDir()
	}
	return c.Dir
}

// spillCodec compresses spill files' buffers. LZ4 frames cost little CPU
// and shrink typical rows (integers, decimals, repetitive strings) enough
// to pay for themselves even on a fast disk; zstd compresses a little more
// but costs more time to write than it saves (BenchmarkSortSpill).
var spillCodec = spillLZ4

type spillCompression uint8

const (
	spillPlain spillCompression = iota
	spillLZ4
	spillZstd
)

func (c spillCompression) options() []ipc.Option {
	switch c {
	case spillLZ4:
		return []ipc.Option{ipc.WithLZ4()}
	case spillZstd:
		return []ipc.Option{ipc.WithZstd()}
	}
	return nil
}

// spillFile is one temporary Arrow IPC stream: written batch by batch,
// then finished, then read back any number of times, then removed.
type spillFile struct {
	dir    string
	path   string
	schema *arrow.Schema
	f      *os.File
	bw     *bufio.Writer
	w      *ipc.Writer
	rows   int64
	// maxBatch is the largest batch written, in (uncompressed) bytes: a
	// merge holds one batch per file it reads.
	maxBatch int64
	// totals, when set, is the query's running count of spilled files
	// and bytes (Context.Spilled).
	totals *SpillTotals
}

// SpillTotals counts what a whole query wrote to spill files.
type SpillTotals struct {
	Files atomic.Int64
	Bytes atomic.Int64
}

// spillError says what failed and names the spill directory, so a full
// disk points at the setting to change.
func spillError(what, dir string, err error) error {
	return fmt.Errorf("%s: spilling to %s: %w", what, dir, err)
}

// newSpillFile creates an empty spill file for batches of schema.
func newSpillFile(ctx *Context, what string, schema *arrow.Schema) (*spillFile, error) {
	dir := ctx.Spill.dir()
	f, err := os.CreateTemp(dir, "quarry-spill-*.arrow")
	if err != nil {
		return nil, spillError(what, dir, err)
	}
	s := &spillFile{dir: dir, path: f.Name(), schema: schema, f: f, totals: ctx.spilled}
	var w io.Writer = f
	if ctx.Spill.wrap != nil {
		w = ctx.Spill.wrap(f)
	}
	s.bw = bufio.NewWriterSize(w, 64<<10)
	// Compression scratch is transient and small (one batch); it comes
	// from Go memory so a failed allocation cannot corrupt the stream.
	opts := append([]ipc.Option{ipc.WithSchema(schema), ipc.WithAllocator(memory.DefaultAllocator)}, spillCodec.options()...)
	s.w = ipc.NewWriter(s.bw, opts...)
	return s, nil
}

// write appends a batch (whose columns must match the file's schema).
func (s *spillFile) write(what string, b arrow.Record) error {
	if s.w == nil {
		return fmt.Errorf("BUG: write to a finished spill file")
	}
	// Re-label the columns with the file's schema: batches from different
	// instances may differ in field names or metadata, which the IPC
	// writer rejects.
	r := array.NewRecord(s.schema, b.Columns(), b.NumRows())
	defer r.Release()
	if err := s.w.Write(r); err != nil {
		return spillError(what, s.dir, err)
	}
	s.rows += b.NumRows()
	var n int64
	for _, c := range b.Columns() {
		n += arraySize(c)
	}
	s.maxBatch = max(s.maxBatch, n)
	return nil
}

// finish ends the stream and closes the file; it can then be read.
func (s *spillFile) finish(what string) error {
	if s.w == nil {
		return nil
	}
	err := s.w.Close()
	s.w = nil
	if err == nil {
		err = s.bw.Flush()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	if err != nil {
		return spillError(what, s.dir, err)
	}
	if s.totals != nil {
		s.totals.Files.Add(1)
		if fi, err := os.Stat(s.path); err == nil {
			s.totals.Bytes.Add(fi.Size())
		}
	}
	return nil
}

// remove deletes the file, finished or not; it is idempotent.
func (s *spillFile) remove() {
	if s.w != nil {
		// Closing the writer of an abandoned stream may fail (the disk
		// that made us abandon it); the file goes anyway.
		_ = s.w.Close()
		s.w = nil
	}
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	if s.path != "" {
		os.Remove(s.path)
		s.path = ""
	}
}

// spillReader reads a finished spill file's batches into the query's
// accounted memory.
type spillReader struct {
	f *os.File
	r *ipc.Reader
}

func (s *spillFile) open(ctx *Context, what string) (*spillReader, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, spillError(what, s.dir, err)
	}
	r, err := ipc.NewReader(bufio.NewReaderSize(f, 64<<10), ipc.WithAllocator(ctx.Alloc), ipc.WithSchema(s.schema))
	if err != nil {
		f.Close()
		return nil, spillError(what, s.dir, fmt.Errorf("read %s: %w", s.path, err))
	}
	return &spillReader{f: f, r: r}, nil
}

// next returns the next batch, valid until the following next or close,
// or (nil, nil) at the end.
func (r *spillReader) next() (arrow.Record, error) {
	b, err := r.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		var re *ResourceError
		if errors.As(err, &re) {
			return nil, re
		}
		return nil, fmt.Errorf("read %s: %w", r.f.Name(), err)
	}
	return b, nil
}

func (r *spillReader) close() {
	if r.r != nil {
		r.r.Release()
		r.r = nil
	}
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
}

// spillSet remembers an operator's spill files so that every exit path
// removes them. Workers of one operator may create files concurrently.
type spillSet struct {
	mu    sync.Mutex
	files []*spillFile
}

func (s *spillSet) create(ctx *Context, what string, schema *arrow.Schema) (*spillFile, error) {
	f, err := newSpillFile(ctx, what, schema)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.files = append(s.files, f)
	s.mu.Unlock()
	return f, nil
}

// drop removes one file now (it has been consumed).
func (s *spillSet) drop(f *spillFile) {
	f.remove()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, g := range s.files {
		if g == f {
			s.files = append(s.files[:i], s.files[i+1:]...)
			break
		}
	}
}

func (s *spillSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

func (s *spillSet) removeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.files {
		f.remove()
	}
	s.files = nil
}
