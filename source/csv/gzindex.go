package csv

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"sort"
	"sync"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/compress"
)

// The gzip checkpoint index. The first whole read of a gzip file (with a
// Memo and a version token) records a checkpoint about every
// indexSpacing bytes of output, tied to the first record the parser sees
// at or after it, and stores the index in the Memo once the file has
// been read to its end. Split then cuts the file at those records into
// Decoded splits that inflate in parallel; see doc.go.

// memoFormat names the index encoding and the rules that place its
// checkpoints; changing either must change it, so old entries are ignored.
const memoFormat = "quarry.csv.gzindex/1"

// Tuning, variables so that tests can index small files finely.
var (
	// indexMinSize: smaller compressed files are not indexed; they
	// inflate in a few milliseconds.
	indexMinSize int64 = 1 << 20
	// indexSpacing is the output distance between checkpoints for a
	// compressed file of the given size: a thirty-second of what it
	// should inflate to (text inflates some five times), between 1 and
	// 8 MiB, and wider for files so large that they would need more than
	// 512 checkpoints. Each checkpoint costs a 32 KiB window (some 10 KiB
	// compressed) in the index; finer checkpoints let splits be cut to
	// even sizes, which keeps every core busy to the end of a file.
	indexSpacing = func(size int64) int64 {
		est := 5 * size
		return max(min(8<<20, max(1<<20, est/32)), est/512)
	}
)

// memoKey names a file's index: the object's identity (location and
// version token) and the options that decide where records begin and
// which lines are headers.
func memoKey(file objstore.ObjectInfo, o *options) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00serde=%d line=%d delim=%d quote=%d escape=%d/%t header=%d detect=%t",
		memoFormat, file.Location, file.Version, o.serde, o.lineDelim, o.delim, o.quote, o.escape, o.hasEscape,
		o.skipHeader, o.detect)
}

// gzipHint is the Hint of a Decoded split cut from an index.
type gzipHint struct {
	key string
	ix  *compress.GzipIndex
}

// cachedIndex returns the index of file from the Memo, if any.
func cachedIndex(memo source.Memo, file objstore.ObjectInfo, o *options) (*compress.GzipIndex, string) {
	if memo == nil || file.Version == "" || o.skipFooter > 0 {
		return nil, ""
	}
	key := memoKey(file, o)
	v, ok := memo.Get(key)
	if !ok {
		return nil, key
	}
	sum := crc32.ChecksumIEEE(v)
	if ix := parsedIndexes.get(key, sum); ix != nil && ix.CompressedSize == file.Size {
		return ix, key
	}
	ix, err := compress.ParseGzipIndex(v)
	if err != nil || ix.CompressedSize != file.Size {
		return nil, key // a damaged or foreign entry: read as if there were none
	}
	parsedIndexes.put(key, sum, ix)
	return ix, key
}

// parsedIndexes keeps recently used indexes decoded: every query plans
// its splits from the index (and its reads resume from its windows), and
// decoding one inflates all its windows, which cost a warm CUR query
// several milliseconds per file. Entries are checked against the Memo's
// bytes (a CRC), so an index replaced or dropped there is not used.
var parsedIndexes = &indexCache{budget: 64 << 20}

type indexCache struct {
	mu      sync.Mutex
	budget  int64
	used    int64
	entries map[string]*indexEntry
	tick    uint64
}

type indexEntry struct {
	sum  uint32
	ix   *compress.GzipIndex
	size int64
	used uint64
}

func (c *indexCache) get(key string, sum uint32) *compress.GzipIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || e.sum != sum {
		return nil
	}
	c.tick++
	e.used = c.tick
	return e.ix
}

func (c *indexCache) put(key string, sum uint32, ix *compress.GzipIndex) {
	size := int64(len(key)) + 64
	for _, p := range ix.Points {
		size += int64(len(p.Window)) + 96
	}
	if size > c.budget/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*indexEntry{}
	}
	if old := c.entries[key]; old != nil {
		c.used -= old.size
	}
	c.tick++
	c.entries[key] = &indexEntry{sum: sum, ix: ix, size: size, used: c.tick}
	c.used += size
	for c.used > c.budget {
		// Drop the least recently used entry (a scan: entries are few).
		var lk string
		var le *indexEntry
		for k, e := range c.entries {
			if le == nil || e.used < le.used {
				lk, le = k, e
			}
		}
		delete(c.entries, lk)
		c.used -= le.size
	}
}

// indexedSplits cuts an indexed gzip file into Decoded splits of about
// target decompressed bytes, at least two per core and a multiple of the
// number of cores (as far as its intervals allow), so that one file keeps
// every core busy. It returns nil when the file has no index.
func (f Format) indexedSplits(t *catalog.Table, file objstore.ObjectInfo, target int64) []source.Split {
	o, err := parseOptions(t)
	if err != nil {
		return nil
	}
	ix, key := cachedIndex(f.Memo, file, o)
	if ix == nil {
		return nil
	}
	pts := ix.Points
	procs := runtime.GOMAXPROCS(0)
	k := len(pts)
	if target > 0 {
		k = int(min(int64(k), (ix.Size+target-1)/target))
	}
	// A multiple of the cores, so that the last wave of splits of a file
	// read alone keeps them all busy.
	k = max(k, 2*procs)
	k = min(len(pts), (k+procs-1)/procs*procs)
	if k < 2 {
		return []source.Split{{Offset: 0, Length: -1}}
	}
	// Cut at the records nearest to k-1 evenly spaced offsets.
	cuts := []int{0}
	for c := 1; c < k; c++ {
		ideal := ix.Size * int64(c) / int64(k)
		j := sort.Search(len(pts), func(i int) bool { return pts[i].Record >= ideal })
		if j == len(pts) || j > 0 && ideal-pts[j-1].Record < pts[j].Record-ideal {
			j--
		}
		if j > cuts[len(cuts)-1] {
			cuts = append(cuts, j)
		}
	}
	hint := &gzipHint{key: key, ix: ix}
	out := make([]source.Split, len(cuts))
	for i, c := range cuts {
		end := ix.Size
		if i+1 < len(cuts) {
			end = pts[cuts[i+1]].Record
		}
		out[i] = source.Split{Offset: pts[c].Record, Length: end - pts[c].Record, Decoded: true,
			FirstLine: pts[c].Line, Hint: hint}
	}
	return out
}

// indexing reports whether this read of a whole gzip file should record
// an index, and under which key.
func (r *reader) indexing() (string, bool) {
	req := r.req
	if r.memo == nil || req.File.Version == "" || req.Split.Offset != 0 || req.Split.Decoded ||
		r.opt.skipFooter > 0 || req.File.Size < indexMinSize {
		return "", false
	}
	return memoKey(req.File, r.opt), true
}

// newIndexingStream reads a whole gzip file while recording its index,
// which is stored in the Memo when the stream ends cleanly (a read that
// stops early, at a LIMIT or an error, stores nothing).
func (r *reader) newIndexingStream(raw io.Reader, key string, closers ...io.Closer) *stream {
	b := compress.NewIndexBuilder(indexSpacing(r.req.File.Size))
	st := r.compressedStream(r.req.File.Location, compress.NewGzipReader(raw, b), closers...)
	st.ix = b
	memo, size := r.memo, r.req.File.Size
	st.onEnd = func() {
		ix, err := b.Index()
		if err != nil || ix.CompressedSize != size || len(ix.Points) < 2 {
			return
		}
		encode := func() []byte {
			enc, err := ix.MarshalBinary()
			if err != nil {
				return nil
			}
			return enc
		}
		// Encoding (flate over the windows) and the synced write are off
		// the scan's path where the Memo allows it.
		if am, ok := memo.(source.AsyncMemo); ok {
			am.PutAsync(key, encode)
		} else if enc := encode(); enc != nil {
			memo.Put(key, enc)
		}
	}
	return st
}

// compressedStream wraps a decompressing reader: inflating runs on its own
// goroutine, overlapping parsing.
func (r *reader) compressedStream(name string, dec io.ReadCloser, closers ...io.Closer) *stream {
	ra := compress.NewReadAhead(compress.NewCountingReader(dec, &r.stats.BytesDecompressed), readAheadBlock, 3)
	return &stream{name: name, r: ra, closers: append([]io.Closer{ra, dec}, closers...), limit: -1,
		line: 1, lineKnown: true, header: r.opt.skipHeader, first: true, bom: true}
}

// opener returns ranged reads of the request's file, counted as read.
func (r *reader) opener() func(start, end int64) (io.ReadCloser, error) {
	return func(start, end int64) (io.ReadCloser, error) {
		n := int64(-1)
		if end >= 0 {
			n = end - start
		}
		rc, err := r.req.Store.NewReader(r.ctx, r.req.File, start, n)
		if err != nil {
			return nil, err
		}
		return readCloser{compress.NewCountingReader(rc, &r.stats.BytesRead), rc}, nil
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

// openDecoded starts a Decoded split: the decompressed bytes
// [Offset, Offset+Length), which begin and end at record starts. With the
// file's index (the split's Hint, or the Memo) inflating resumes at the
// checkpoint before Offset and each interval's CRC is verified; without
// it the file is inflated from its start and the bytes before Offset
// discarded, which gives the same rows.
func (r *reader) openDecoded() error {
	req := r.req
	loc := req.File.Location
	sp := req.Split
	if sp.Offset == 0 {
		r.stats.FilesRead.Add(1)
	}
	var ix *compress.GzipIndex
	key := memoKey(req.File, r.opt)
	if h, ok := sp.Hint.(*gzipHint); ok && h.key == key && req.File.Version != "" {
		ix = h.ix
	} else {
		ix, _ = cachedIndex(r.memo, req.File, r.opt)
	}
	var dec io.ReadCloser
	var err error
	if ix != nil {
		dec, err = compress.NewGzipRange(r.opener(), ix, sp.Offset, sp.Length)
	} else {
		dec, err = r.decodedWithoutIndex()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	st := r.compressedStream(loc, dec)
	st.base = sp.Offset
	if sp.Length >= 0 {
		st.sizeHint = sp.Length + 1
	}
	if sp.Offset > 0 {
		// Only the file's first split has headers or a byte order mark.
		st.header, st.first, st.bom = 0, false, false
		st.line, st.lineKnown = sp.FirstLine, sp.FirstLine > 0
		st.offDesc = " of the decompressed stream"
	}
	r.pending = append(r.pending, func() (*stream, error) { return st, nil })
	return nil
}

// decodedWithoutIndex decompresses the file from its start (whatever its
// codec) and yields the split's range of the output.
func (r *reader) decodedWithoutIndex() (io.ReadCloser, error) {
	sp := r.req.Split
	rc, err := r.opener()(0, -1)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	head, _ := br.Peek(compress.HeadBytes)
	codec := compress.Detect(r.req.File.Location, head)
	if len(head) == 0 {
		codec = compress.None
	}
	var dec io.ReadCloser
	switch codec {
	case compress.Gzip:
		dec, err = compress.NewGzipRange(func(int64, int64) (io.ReadCloser, error) { return readCloser{br, rc}, nil },
			nil, sp.Offset, sp.Length)
		if err != nil {
			rc.Close()
			return nil, err
		}
		return dec, nil
	case compress.Zip:
		rc.Close()
		return nil, fmt.Errorf("a decoded range of a zip archive")
	}
	if dec, err = compress.NewReader(codec, br); err != nil {
		rc.Close()
		return nil, err
	}
	return &rangeOf{r: dec, closers: []io.Closer{dec, rc}, skip: sp.Offset, left: sp.Length}, nil
}

// rangeOf yields bytes [skip, skip+left) of r (left < 0: to the end).
type rangeOf struct {
	r       io.Reader
	closers []io.Closer
	skip    int64
	left    int64
}

func (g *rangeOf) Read(p []byte) (int, error) {
	if g.skip > 0 {
		n, err := io.CopyN(io.Discard, g.r, g.skip)
		g.skip -= n
		if err != nil {
			if err == io.EOF {
				err = fmt.Errorf("stream ends before the range: %w", io.ErrUnexpectedEOF)
			}
			return 0, err
		}
	}
	if g.left == 0 {
		return 0, io.EOF
	}
	if g.left > 0 && int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	if g.left > 0 {
		g.left -= int64(n)
		if g.left == 0 {
			return n, nil
		}
		if err == io.EOF {
			err = fmt.Errorf("stream ends before the range does: %w", io.ErrUnexpectedEOF)
		}
	}
	return n, err
}

func (g *rangeOf) Close() error {
	var first error
	for _, c := range g.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// bgzfHeadBytes is how much of a file's start shows a BGZF header.
const bgzfHeadBytes = 64

// isBGZF reports whether a split of this file may be read as a BGZF
// byte range: the head shows a BGZF block and records cannot hold their
// terminator (LazySimpleSerDe).
func (r *reader) isBGZF(head []byte) bool {
	_, ok := compress.BGZFBlockSize(head)
	return ok && r.opt.serde == lazySimple
}

// openBGZF reads the BGZF blocks that start in the split's byte range;
// see compress.NewBGZFRange for how records are assigned to ranges. head,
// when not nil, is the file read from its start (for the split at 0).
func (r *reader) openBGZF(head io.ReadCloser) error {
	req := r.req
	loc := req.File.Location
	sp := req.Split
	size := req.File.Size
	if sp.Offset == 0 {
		r.stats.FilesRead.Add(1)
	}
	start := int64(0)
	if sp.Offset > 0 {
		f, err := req.Store.Open(r.ctx, req.File)
		if err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
		size = f.Size()
		start, err = compress.FindBGZFBlock(countingReaderAt{f, &r.stats.BytesRead}, size, sp.Offset)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", loc, err)
		}
	}
	end := size
	if sp.Length >= 0 {
		end = sp.Offset + sp.Length
	}
	if start >= end {
		if head != nil {
			head.Close()
		}
		return nil // no block starts in the range
	}
	var src io.ReadCloser = head
	if src == nil {
		// Ask for the range and a block more: the last record usually ends there.
		src = compress.NewExtendingReader(r.opener(), start, end+compress.BGZFMaxBlock, size)
	}
	dec := compress.NewBGZFRange(src, start, end, r.opt.lineDelim)
	st := r.compressedStream(loc, dec, src)
	if sp.Length >= 0 {
		st.sizeHint = 5 * sp.Length
	}
	if sp.Offset > 0 {
		st.header, st.first, st.bom = 0, false, false
		st.lineKnown, st.skipTo = false, true
		st.offDesc = fmt.Sprintf(" of the bytes inflated from the BGZF block at file offset %d", start)
	}
	r.pending = append(r.pending, func() (*stream, error) { return st, nil })
	return nil
}
