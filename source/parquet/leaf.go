package parquet

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// maxPrefetch is the largest column chunk read with one ranged request;
// larger chunks stream through a buffered reader so memory stays bounded.
const maxPrefetch = 64 << 20

// leafReader decodes one leaf column of the current row group page by
// page, appending levels and converted values for whole rows. It reads
// the typed page buffers (Page.Data) directly: no parquet.Value per row.
type leafReader struct {
	node   *pqNode
	path   string
	li     leafInfo
	conv   convFn
	kind   encoding.Kind
	maxDef byte
	maxRep byte
	// levelsOnly readers only tell a group's nulls and sizes apart.
	levelsOnly bool

	// Accumulated for the current batch.
	out  *valueBuf
	defs []byte
	reps []byte

	pages   parquet.Pages
	page    parquet.Page
	pdefs   []byte
	preps   []byte
	pvals   encoding.Values
	pcount  int
	indexed bool
	nLevels int
	lvlPos  int
	valPos  int

	dict    parquet.Dictionary
	dictBuf *valueBuf

	chunkBuf []byte
}

var goAlloc = memory.NewGoAllocator()

func newLeafReader(n *pqNode, li leafInfo, conv convFn, width int, mem memory.Allocator) *leafReader {
	return &leafReader{
		node:   n,
		li:     li,
		conv:   conv,
		kind:   kindOf[li.phys],
		maxDef: byte(n.def),
		maxRep: byte(n.rep),
		out:    newValueBuf(mem, width),
	}
}

// sectionReaderAt serves reads inside a prefetched column chunk from
// memory and anything else from the file.
type sectionReaderAt struct {
	base int64
	buf  []byte
	src  io.ReaderAt
}

func (r *sectionReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= r.base && off+int64(len(p)) <= r.base+int64(len(r.buf)) {
		return copy(p, r.buf[off-r.base:]), nil
	}
	return r.src.ReadAt(p, off)
}

// startChunk positions the reader at the start of column chunk cc. A
// chunk of up to maxPrefetch bytes is fetched at once: dict holds its
// first bytes when a probe read its dictionary page, tail serves the end
// of the file, and one ranged read brings the rest. A larger chunk
// streams from src.
func (l *leafReader) startChunk(cc *parquet.FileColumnChunk, meta *format.ColumnMetaData, src io.ReaderAt, tail tailView, dict []byte, fileSize int64) error {
	l.closeChunk()
	start, size, err := chunkRange(meta, fileSize)
	if err != nil {
		return err
	}
	reader := src
	if size <= maxPrefetch {
		if cap(l.chunkBuf) < int(size) {
			l.chunkBuf = make([]byte, size)
		}
		buf := l.chunkBuf[:size]
		known := copy(buf, dict)
		if err := tail.readRange(src, buf, start, known); err != nil {
			return fmt.Errorf("column chunk: %w", err)
		}
		reader = &sectionReaderAt{base: start, buf: buf, src: src}
	}
	l.pages = cc.PagesFrom(reader)
	l.dict, l.dictBuf = nil, nil
	return nil
}

// chunkRange locates a column chunk in the file.
func chunkRange(meta *format.ColumnMetaData, fileSize int64) (start, size int64, err error) {
	start = meta.DataPageOffset
	if meta.DictionaryPageOffset != 0 {
		start = meta.DictionaryPageOffset
	}
	size = meta.TotalCompressedSize
	if start < 0 || size < 0 || start > fileSize || size > fileSize-start {
		return 0, 0, fmt.Errorf("column chunk at offset %d, size %d lies outside the file (%d bytes)", start, size, fileSize)
	}
	return start, size, nil
}

func (l *leafReader) closeChunk() {
	if l.page != nil {
		parquet.Release(l.page)
		l.page = nil
	}
	if l.pages != nil {
		l.pages.Close()
		l.pages = nil
	}
	l.nLevels, l.lvlPos, l.valPos = 0, 0, 0
}

func (l *leafReader) close() {
	l.closeChunk()
	l.out.release()
}

func (l *leafReader) nextPage() error {
	if l.page != nil {
		parquet.Release(l.page)
		l.page = nil
	}
	if l.pages == nil {
		return io.EOF
	}
	p, err := l.pages.ReadPage()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return err
	}
	l.page = p
	l.pdefs, l.preps = p.DefinitionLevels(), p.RepetitionLevels()
	l.nLevels, l.lvlPos, l.valPos = int(p.NumValues()), 0, 0
	if l.maxDef > 0 && len(l.pdefs) != l.nLevels {
		return fmt.Errorf("page has %d definition levels for %d values", len(l.pdefs), l.nLevels)
	}
	if l.maxRep > 0 && len(l.preps) != l.nLevels {
		return fmt.Errorf("page has %d repetition levels for %d values", len(l.preps), l.nLevels)
	}
	l.pvals = p.Data()
	if d := p.Dictionary(); d != nil {
		if l.pvals.Kind() != encoding.Int32 {
			return fmt.Errorf("dictionary page indexes are %v", l.pvals.Kind())
		}
		if d != l.dict {
			if err := l.loadDictionary(d); err != nil {
				return err
			}
		}
		l.indexed = true
		l.pcount = valueCount(l.pvals, 0)
	} else {
		if l.pvals.Kind() != l.kind {
			return fmt.Errorf("page holds %v values in a %v column", l.pvals.Kind(), l.kind)
		}
		l.indexed = false
		l.pcount = valueCount(l.pvals, l.li.size)
	}
	if l.maxDef == 0 && l.pcount < l.nLevels {
		return fmt.Errorf("page has %d values, its header says %d", l.pcount, l.nLevels)
	}
	return nil
}

// loadDictionary converts a chunk's dictionary once, so each indexed
// page decodes with a gather instead of a per-value conversion.
func (l *leafReader) loadDictionary(d parquet.Dictionary) error {
	if l.levelsOnly {
		l.dict = d
		return nil
	}
	vals := d.Page().Data()
	if vals.Kind() != l.kind {
		return fmt.Errorf("dictionary holds %v values in a %v column", vals.Kind(), l.kind)
	}
	n := min(d.Len(), valueCount(vals, l.li.size))
	buf := newValueBuf(goAlloc, l.out.width)
	buf.reserve(n)
	if err := l.conv(buf, vals, 0, n); err != nil {
		return fmt.Errorf("dictionary: %w", err)
	}
	if buf.width == 0 && buf.offs == nil {
		buf.reserve(0)
	}
	l.dict, l.dictBuf = d, buf
	return nil
}

func (l *leafReader) appendValues(m int) error {
	if m == 0 || l.levelsOnly {
		return nil
	}
	if l.valPos+m > l.pcount {
		return fmt.Errorf("page has %d values, its levels need %d", l.pcount, l.valPos+m)
	}
	var err error
	if l.indexed {
		data, _ := l.pvals.Data()
		err = gather(l.out, l.dictBuf, castSlice[int32](data)[l.valPos:l.valPos+m])
	} else {
		err = l.conv(l.out, l.pvals, l.valPos, l.valPos+m)
	}
	l.valPos += m
	return err
}

// readRows appends the levels and values of the next n rows.
func (l *leafReader) readRows(n int) error {
	if l.maxRep == 0 {
		return l.readFlat(n)
	}
	return l.readRepeated(n)
}

func (l *leafReader) readFlat(n int) error {
	for rem := n; rem > 0; {
		if l.lvlPos == l.nLevels {
			if err := l.nextPage(); err != nil {
				if err == io.EOF {
					return fmt.Errorf("column chunk ends %d rows early", rem)
				}
				return err
			}
			continue
		}
		k := min(rem, l.nLevels-l.lvlPos)
		m := k
		if l.maxDef > 0 {
			d := l.pdefs[l.lvlPos : l.lvlPos+k]
			l.defs = append(l.defs, d...)
			m = bytes.Count(d, []byte{l.maxDef})
		}
		if err := l.appendValues(m); err != nil {
			return err
		}
		l.lvlPos += k
		rem -= k
	}
	return nil
}

func (l *leafReader) readRepeated(n int) error {
	started := 0
	for {
		if l.lvlPos == l.nLevels {
			if err := l.nextPage(); err != nil {
				if err == io.EOF && started == n {
					return nil
				}
				if err == io.EOF {
					return fmt.Errorf("column chunk ends %d rows early", n-started)
				}
				return err
			}
			continue
		}
		p := l.lvlPos
		if started == 0 && l.preps[p] != 0 {
			return fmt.Errorf("row starts with repetition level %d", l.preps[p])
		}
		for ; p < l.nLevels; p++ {
			if l.preps[p] == 0 {
				if started == n {
					break
				}
				started++
			}
		}
		d := l.pdefs[l.lvlPos:p]
		for _, x := range d {
			if x > l.maxDef {
				return fmt.Errorf("definition level %d exceeds maximum %d", x, l.maxDef)
			}
		}
		for _, x := range l.preps[l.lvlPos:p] {
			if x > l.maxRep {
				return fmt.Errorf("repetition level %d exceeds maximum %d", x, l.maxRep)
			}
		}
		l.defs = append(l.defs, d...)
		l.reps = append(l.reps, l.preps[l.lvlPos:p]...)
		if err := l.appendValues(bytes.Count(d, []byte{l.maxDef})); err != nil {
			return err
		}
		l.lvlPos = p
		if p < l.nLevels {
			return nil
		}
	}
}

// resetBatch drops the levels of the previous batch; values were taken.
func (l *leafReader) resetBatch() {
	l.defs = l.defs[:0]
	l.reps = l.reps[:0]
}
