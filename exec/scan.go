package exec

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// Morsel is one unit of scan work: a split of one file, with the values of
// the partition it belongs to.
type Morsel struct {
	Format    source.Format
	Store     objstore.Store
	File      objstore.ObjectInfo
	Split     source.Split
	Partition []any // typed partition key values, in PartitionKeys order
}

// MorselQueue hands morsels to scan instances; it is the only state the
// instances of one scan share. Once every morsel is taken, an instance with
// nothing left joins a reader another instance opened: readers yield
// batches one call at a time, so the instances take turns calling it and
// process their batches side by side. A file of one row group, or the last
// large file of a scan, then keeps every core busy downstream of its
// decoding instead of one.
type MorselQueue struct {
	morsels []Morsel
	next    atomic.Int64

	mu   sync.Mutex
	open []*sharedReader // readers not yet at their end
}

// sharedReader is one morsel's reader, read in turns by the instances
// holding it.
type sharedReader struct {
	m     *Morsel
	mu    sync.Mutex // held across Next
	r     source.BatchReader
	users int         // instances holding it (under the queue's mu)
	done  atomic.Bool // at its end, failed or closed: no more Next (set under mu)
}

// NewMorselQueue returns a queue over morsels.
func NewMorselQueue(m []Morsel) *MorselQueue { return &MorselQueue{morsels: m} }

func (q *MorselQueue) take() (*Morsel, bool) {
	i := q.next.Add(1) - 1
	if i >= int64(len(q.morsels)) {
		return nil, false
	}
	return &q.morsels[i], true
}

// Len returns the number of morsels.
func (q *MorselQueue) Len() int { return len(q.morsels) }

// add registers a reader an instance just opened, held by it.
func (q *MorselQueue) add(sr *sharedReader) {
	q.mu.Lock()
	sr.users = 1
	q.open = append(q.open, sr)
	q.mu.Unlock()
}

// join returns an open reader for an instance with no morsel left, or nil.
func (q *MorselQueue) join() *sharedReader {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, sr := range q.open {
		if !sr.done.Load() {
			sr.users++
			return sr
		}
	}
	return nil
}

// leave drops an instance's hold on sr; the last one to leave closes the
// reader (at its end or not: nobody reads it any more).
func (q *MorselQueue) leave(sr *sharedReader) error {
	q.mu.Lock()
	sr.users--
	last := sr.users == 0
	if last {
		for i, o := range q.open {
			if o == sr {
				q.open = append(q.open[:i], q.open[i+1:]...)
				break
			}
		}
	}
	q.mu.Unlock()
	if !last {
		return nil
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	sr.done.Store(true)
	return sr.r.Close()
}

// next reads sr's next batch, or nil (and done) at its end; err ends it.
func (sr *sharedReader) next() (arrow.Record, error) {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if sr.done.Load() {
		return nil, nil
	}
	b, err := sr.r.Next()
	if err != nil || b == nil {
		sr.done.Store(true)
	}
	return b, err
}

// Hidden column names every file-backed table has, as in Trino.
const (
	HiddenPath    = "$path"
	HiddenSize    = "$file_size"
	HiddenModTime = "$file_modified_time"
)

// ScanColumn says where one output column of a scan comes from.
type ScanColumn struct {
	Column types.Column
	// Data is the index into the table's data columns, or -1.
	Data int
	// PartKey is the index into the table's partition keys, or -1.
	PartKey int
	// Hidden names a hidden column, or "".
	Hidden string
}

// Scan reads morsels from a shared queue and yields batches of its columns.
type Scan struct {
	queue   *MorselQueue
	table   *catalog.Table
	cols    []ScanColumn
	preds   []source.Predicate
	outCols []types.Column
	dataReq []int // data columns requested from the reader
	dataPos []int // for each output column, its position in the reader's batch, or -1
	reader  *sharedReader
	cur     *Morsel
	rel     releaser
	notice  func(string)
}

var _ Operator = (*Scan)(nil)

// NewScan builds one scan instance. notice may be nil.
func NewScan(q *MorselQueue, table *catalog.Table, cols []ScanColumn, preds []source.Predicate, notice func(string)) *Scan {
	s := &Scan{queue: q, table: table, cols: cols, preds: preds, notice: notice}
	s.dataPos = make([]int, len(cols))
	for i, c := range cols {
		s.outCols = append(s.outCols, c.Column)
		s.dataPos[i] = -1
		if c.Data >= 0 {
			s.dataPos[i] = len(s.dataReq)
			s.dataReq = append(s.dataReq, c.Data)
		}
	}
	// Readers produce row counts only through columns: a scan that needs no
	// data column (count(*), partition columns only) still reads the first.
	if len(s.dataReq) == 0 && len(table.Columns) > 0 {
		s.dataReq = []int{0}
	}
	return s
}

func (s *Scan) Columns() []types.Column { return s.outCols }

func (s *Scan) Open(ctx *Context) error { return nil }

func (s *Scan) Next(ctx *Context) (arrow.Record, error) {
	s.rel.drop()
	for {
		if err := ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		if s.reader == nil {
			m, ok := s.queue.take()
			if !ok {
				// Every morsel taken: read along with another instance.
				if s.reader = s.queue.join(); s.reader == nil {
					return nil, nil
				}
				s.cur = s.reader.m
				continue
			}
			s.cur = m
			r, err := m.Format.Open(ctx.Ctx, &source.Request{
				Store: m.Store, File: m.File, Split: m.Split, Table: s.table, Columns: s.dataReq,
				Alloc: ctx.Alloc, BatchRows: source.DefaultBatchRows, Stats: ctx.Scan, Predicates: s.preds,
				Notice: s.notice,
			})
			if err != nil {
				return nil, err
			}
			s.reader = &sharedReader{m: m, r: r}
			s.queue.add(s.reader)
		}
		b, err := s.reader.next()
		if err != nil || b == nil {
			cerr := s.queue.leave(s.reader)
			s.reader = nil
			if err != nil {
				return nil, err
			}
			if cerr != nil {
				return nil, cerr
			}
			continue
		}
		out, err := s.assemble(ctx, b)
		b.Release()
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return s.rel.hold(out), nil
	}
}

// assemble adds partition and hidden columns to a reader batch.
func (s *Scan) assemble(ctx *Context, b arrow.Record) (arrow.Record, error) {
	n := int(b.NumRows())
	arrs := make([]arrow.Array, len(s.cols))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, c := range s.cols {
		switch {
		case s.dataPos[i] >= 0:
			arrs[i] = b.Column(s.dataPos[i])
			arrs[i].Retain()
		case c.PartKey >= 0:
			var v any
			if s.cur.Partition != nil {
				v = s.cur.Partition[c.PartKey]
			}
			a, err := ConstArray(ctx.Alloc, c.Column.Type, v, n)
			if err != nil {
				return nil, err
			}
			arrs[i] = a
		case c.Hidden != "":
			var v any
			switch c.Hidden {
			case HiddenPath:
				v = s.cur.File.Location
			case HiddenSize:
				v = s.cur.File.Size
			case HiddenModTime:
				v = s.cur.File.ModTime.UnixMicro()
			}
			a, err := ConstArray(ctx.Alloc, c.Column.Type, v, n)
			if err != nil {
				return nil, err
			}
			arrs[i] = a
		default:
			return nil, fmt.Errorf("BUG: scan column %s has no origin", c.Column.Name)
		}
	}
	return array.NewRecord(schemaOf(s.outCols), arrs, int64(n)), nil
}

func (s *Scan) Close() error {
	s.rel.drop()
	if s.reader != nil {
		err := s.queue.leave(s.reader)
		s.reader = nil
		return err
	}
	return nil
}
