package parquet

import (
	"container/list"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

// tailSize is the first read at the end of a file. Most footers fit in it,
// and a file this small is read whole in one request, its column chunks
// then served from memory. A larger footer costs one more read of exactly
// the missing bytes.
const tailSize = 64 << 10

// footer is a file's parsed footer, and the bytes before it that the
// footer read brought in (the tail).
type footer struct {
	// pf was opened over the footer bytes alone: pages are read with
	// PagesFrom and a reader of the file, never through pf's own reader.
	pf   *parquet.File
	root *pqNode
	// readBytes is what reading the footer took from storage.
	readBytes int64
	tail      tailView
	// scanned is set when a scan read the footer (not the estimator);
	// owner is its query's Stats. The tail serves only the split that read
	// it (see footerCache).
	scanned bool
	owner   *source.Stats
	cost    int64 // memory charged to the footer cache
}

func (ft *footer) md() *format.FileMetaData { return ft.pf.Metadata() }

// tailView is a run of file bytes held in memory: data holds the file's
// bytes [off, off+len(data)). The zero view holds nothing.
type tailView struct {
	off  int64
	data []byte
}

// uncovered returns the part [lo, hi) of the file range [off, off+n) that
// must come from storage when its first known bytes are already at hand
// and the view serves a suffix of the rest. The reader reads exactly this
// and the estimator counts exactly this.
func (t tailView) uncovered(off, n, known int64) (lo, hi int64) {
	lo, hi = off+min(known, n), off+n
	if end := t.off + int64(len(t.data)); len(t.data) > 0 && hi > t.off && hi <= end {
		hi = max(lo, t.off)
	}
	return lo, hi
}

// readRange fills buf with the file's bytes from off, where buf[:known]
// already holds them: one ranged read for what the view does not serve.
func (t tailView) readRange(src io.ReaderAt, buf []byte, off int64, known int) error {
	lo, hi := t.uncovered(off, int64(len(buf)), int64(known))
	if end := off + int64(len(buf)); hi < end {
		copy(buf[hi-off:], t.data[hi-t.off:end-t.off])
	}
	if hi > lo {
		return readFull(src, buf[lo-off:hi-off], lo)
	}
	return nil
}

// readFull is ReaderAt.ReadAt that accepts io.EOF with a full buffer.
func readFull(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("read %d bytes at offset %d: %w", len(p), off, err)
}

// memReaderAt serves the bytes [off, off+len(b)) of a file and refuses any
// other read, so opening a footer with parquet-go reads nothing more.
type memReaderAt struct {
	off int64
	b   []byte
}

func (m *memReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < m.off || off-m.off > int64(len(m.b)) {
		return 0, fmt.Errorf("read at offset %d outside the %d footer bytes at %d", off, len(m.b), m.off)
	}
	n := copy(p, m.b[off-m.off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// readFooter reads and parses the footer of a file of size bytes: the
// last tailSize bytes (or the whole file), then the rest of the footer if
// it is longer. The leading magic bytes are checked only when that read
// covers them: the trailing magic identifies the format.
func readFooter(r io.ReaderAt, size int64) (ft *footer, err error) {
	defer func() {
		if p := recover(); p != nil {
			ft, err = nil, fmt.Errorf("corrupt parquet footer: %v", p)
		}
	}()
	if size < 12 {
		return nil, fmt.Errorf("not a parquet file: %d bytes", size)
	}
	n := min(tailSize, size)
	buf := make([]byte, n)
	off := size - n
	if err := readFull(r, buf, off); err != nil {
		return nil, err
	}
	switch magic := string(buf[n-4:]); magic {
	case "PAR1":
	case "PARE":
		return nil, fmt.Errorf("unsupported: encrypted parquet file (footer magic \"PARE\")")
	default:
		return nil, fmt.Errorf("not a parquet file: ends with %q, not \"PAR1\"", magic)
	}
	flen := int64(binary.LittleEndian.Uint32(buf[n-8:]))
	if flen > size-12 {
		return nil, fmt.Errorf("corrupt parquet footer: length %d in a %d-byte file", flen, size)
	}
	start := size - 8 - flen
	if start < off {
		head := make([]byte, off-start, int64(len(buf))+off-start)
		if err := readFull(r, head, start); err != nil {
			return nil, err
		}
		buf, off = append(head, buf...), start
	}
	if off == 0 && string(buf[:4]) != "PAR1" {
		return nil, fmt.Errorf("not a parquet file: starts with %q, not \"PAR1\"", buf[:4])
	}
	pf, err := parquet.OpenFile(&memReaderAt{off: off, b: buf}, size,
		parquet.SkipMagicBytes(true),
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
		parquet.OptimisticRead(false),
		parquet.ReadBufferSize(256<<10),
	)
	if err != nil {
		return nil, err
	}
	md := pf.Metadata()
	root, leaves, err := buildSchema(md.Schema)
	if err != nil {
		return nil, err
	}
	for i := range md.RowGroups {
		if len(md.RowGroups[i].Columns) != leaves {
			return nil, fmt.Errorf("row group %d has %d column chunks for %d leaf columns", i, len(md.RowGroups[i].Columns), leaves)
		}
		if md.RowGroups[i].NumRows < 0 {
			return nil, fmt.Errorf("row group %d has %d rows", i, md.RowGroups[i].NumRows)
		}
	}
	if len(pf.RowGroups()) != len(md.RowGroups) {
		return nil, fmt.Errorf("BUG: parquet-go lists %d row groups of %d", len(pf.RowGroups()), len(md.RowGroups))
	}
	return &footer{
		pf: pf, root: root,
		readBytes: int64(len(buf)),
		tail:      tailView{off: off, data: buf[:start-off]},
		// A parsed footer takes several times its encoded size.
		cost: 8*flen + int64(len(buf)) + 4<<10,
	}, nil
}

// footerCache remembers parsed footers by object identity (location, size
// and version token). Objects without a version token are not remembered.
//
// A footer a query's scan read (footer.scanned) serves the scans of later
// queries, which then read column chunks alone. Within the query that read
// it, every split still reads the footer itself, with the tail that
// serves its chunks: what one split reads never depends on the order in
// which the query's splits and scans (a self-join reads a file twice)
// open the file, so the estimator, which sees one split at a time, counts
// it exactly. That costs a tail read per split of a file's first query
// (64 KiB per 64 MiB split) and nothing after. A footer read for planning
// (the estimator, schema inference) serves planning only, so an estimate
// describes the run whether it happens in this process or in another
// (quarry sql --dry-run, then the real run).
type footerCache struct {
	mu     sync.Mutex
	m      map[string]*footerEntry
	lru    list.List // of *footerEntry, most recently used first
	bytes  int64
	budget int64
}

type footerEntry struct {
	key   string
	owner *source.Stats // of the query loading it
	done  chan struct{} // closed once ft is set or the load failed
	ft    *footer
	elem  *list.Element // in lru once loaded
}

// footerCacheBytes bounds the memory the cached footers and their tails
// take.
const footerCacheBytes = 64 << 20

var footers = &footerCache{m: map[string]*footerEntry{}, budget: footerCacheBytes}

func footerKey(info objstore.ObjectInfo) string {
	if info.Version == "" {
		return ""
	}
	return info.Location + "\x00" + strconv.FormatInt(info.Size, 10) + "\x00" + info.Version
}

// get returns the footer of the object key names, calling read when it is
// not cached (always, for an empty key). A scan (scan set, owner its
// query's Stats or nil) reads its own unless another query's scan read
// the cached one. hit reports a footer that read did not produce.
func (c *footerCache) get(ctx context.Context, key string, scan bool, owner *source.Stats, read func() (*footer, error)) (ft *footer, hit bool, err error) {
	if key == "" {
		ft, err = read()
		return ft, false, err
	}
	own := func(o *source.Stats) bool { return scan && owner != nil && o == owner }
	c.mu.Lock()
	for {
		e, ok := c.m[key]
		if !ok {
			break
		}
		if e.elem == nil { // being loaded
			if own(e.owner) {
				c.mu.Unlock()
				ft, err = read()
				return ft, false, err
			}
			c.mu.Unlock()
			select {
			case <-e.done:
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
			c.mu.Lock()
			continue
		}
		switch {
		case !scan || (e.ft.scanned && !own(e.ft.owner)):
			c.lru.MoveToFront(e.elem)
			c.mu.Unlock()
			return e.ft, true, nil
		case e.ft.scanned:
			c.mu.Unlock()
			ft, err = read()
			return ft, false, err
		}
		c.remove(e) // read for planning: the scan reads its own
		break
	}
	e := &footerEntry{key: key, done: make(chan struct{})}
	if scan {
		e.owner = owner
	}
	c.m[key] = e
	c.mu.Unlock()
	ft, err = read()
	c.mu.Lock()
	defer c.mu.Unlock()
	defer close(e.done)
	if err != nil {
		if c.m[key] == e {
			delete(c.m, key)
		}
		return nil, false, err
	}
	if ft.scanned != scan {
		panic("BUG: footer loaded by a scan is not marked scanned")
	}
	e.ft = ft
	e.elem = c.lru.PushFront(e)
	c.bytes += ft.cost
	for c.bytes > c.budget && c.lru.Len() > 1 {
		c.remove(c.lru.Back().Value.(*footerEntry))
	}
	return ft, false, nil
}

// remove drops a loaded entry; c.mu is held.
func (c *footerCache) remove(e *footerEntry) {
	c.lru.Remove(e.elem)
	e.elem = nil
	delete(c.m, e.key)
	c.bytes -= e.ft.cost
}
