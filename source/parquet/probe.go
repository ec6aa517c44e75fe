package parquet

import (
	"bytes"
	"encoding/binary"
	"math"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/bloom"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// A probe reads a little of a column chunk to decide an equality predicate
// that a row group's statistics could not: its bloom filter, or the
// dictionary page of a chunk whose data pages are all dictionary-encoded.
// Probes run, in order, when the reader reaches a row group that
// statistics kept; the first that proves a predicate false skips it.
//
// Which probes run and the bytes each reads follow from the footer alone,
// so the estimator counts them exactly. Whether a probe skips the row
// group is known only by reading, so the estimator counts the row group's
// column chunks and rows as if no probe skips it: with probes the
// estimate is an upper bound, exact when no probe succeeds (the common
// case for a value most row groups hold). A probed dictionary page is
// kept and not read again with its column chunk.
type probe struct {
	leaf   int
	bloom  bool     // a bloom filter probe, else a dictionary probe
	off, n int64    // the bytes it reads
	hashes []uint64 // bloom: the hashes of the values sought
	values []any    // dictionary: the values sought, as the declared type
	li     leafInfo
	conv   convFn
	t      types.Type
}

// maxProbeBytes bounds what one probe reads: a larger bloom filter or
// dictionary page is not worth a separate request.
const maxProbeBytes = 4 << 20

// planProbes lists the probes for the equality predicates of rg that a
// bloom filter or a dictionary can decide, one per column chunk and kind,
// in predicate order. A predicate whose value maps to exactly one file
// value uses the chunk's bloom filter when it has one (the filter's
// header and bitset are read whole, so only filters whose length the
// footer records are used); otherwise a fully dictionary-encoded chunk's
// dictionary page.
func planProbes(cols []types.Column, root *pqNode, rg *format.RowGroup, preds []source.Predicate, fileSize int64) []*probe {
	var out []*probe
	find := func(leaf int, bloom bool) *probe {
		for _, p := range out {
			if p.leaf == leaf && p.bloom == bloom {
				return p
			}
		}
		return nil
	}
	for _, pr := range preds {
		if pr.Op != "=" || pr.Column < 0 || pr.Column >= len(cols) {
			continue
		}
		c := cols[pr.Column]
		n := root.child(c.Name)
		if n == nil || !n.isLeaf() || n.rep > 0 || n.leaf >= len(rg.Columns) {
			continue
		}
		cc := &rg.Columns[n.leaf]
		if cc.CryptoMetadata.Value != nil {
			continue
		}
		cm := &cc.MetaData
		li, err := describeLeaf(n)
		if err != nil {
			continue
		}
		conv, err := converterFor(li, c.Type)
		if err != nil {
			continue
		}
		v, ok := normalise(pr.Value)
		if !ok {
			continue
		}
		if h, ok := bloomHash(li, conv, c.Type, v); ok && bloomUsable(cm, fileSize) {
			p := find(n.leaf, true)
			if p == nil {
				p = &probe{leaf: n.leaf, bloom: true, off: cm.BloomFilterOffset, n: int64(cm.BloomFilterLength)}
				out = append(out, p)
			}
			p.hashes = append(p.hashes, h)
			continue
		}
		if off, size, ok := dictionaryPage(cm, fileSize); ok {
			p := find(n.leaf, false)
			if p == nil {
				p = &probe{leaf: n.leaf, off: off, n: size, li: li, conv: conv, t: c.Type}
				out = append(out, p)
			}
			p.values = append(p.values, v)
		}
	}
	return out
}

func bloomUsable(cm *format.ColumnMetaData, fileSize int64) bool {
	off, n := cm.BloomFilterOffset, int64(cm.BloomFilterLength)
	return off > 0 && n > 0 && n <= maxProbeBytes && off <= fileSize-n
}

// dictionaryPage locates the dictionary page of a chunk whose data pages
// are all dictionary-encoded: it runs from the chunk's start to its first
// data page.
func dictionaryPage(cm *format.ColumnMetaData, fileSize int64) (off, n int64, ok bool) {
	off, n = cm.DictionaryPageOffset, cm.DataPageOffset-cm.DictionaryPageOffset
	if off <= 0 || n <= 0 || n > maxProbeBytes || n > cm.TotalCompressedSize || off > fileSize-cm.TotalCompressedSize {
		return 0, 0, false
	}
	return off, n, allDictionaryPages(cm)
}

// allDictionaryPages reports whether every data page of a chunk is
// dictionary-encoded, so its dictionary holds every value: from the page
// encoding statistics, or else (as parquet-mr decides) from an encoding
// list of PLAIN_DICTIONARY and level encodings only, which is what v1
// writers record for such chunks.
func allDictionaryPages(cm *format.ColumnMetaData) bool {
	if len(cm.EncodingStats) > 0 {
		data := false
		for _, s := range cm.EncodingStats {
			if s.PageType != format.DataPage && s.PageType != format.DataPageV2 {
				continue
			}
			if s.Count > 0 && s.Encoding != format.PlainDictionary && s.Encoding != format.RLEDictionary {
				return false
			}
			data = data || s.Count > 0
		}
		return data || cm.NumValues == 0
	}
	dict := false
	for _, e := range cm.Encoding {
		switch e {
		case format.PlainDictionary:
			dict = true
		case format.RLE, format.BitPacked:
		default:
			return false
		}
	}
	return dict
}

// bloomHash returns the hash a bloom filter holds for the one file value
// that reads as v. Only conversions that map distinct file values to
// distinct declared values qualify (integers, dates, decimals and
// timestamps without truncation, strings and binary), and the file value
// is checked by converting it back, so a bloom filter's "absent" means no
// row holds v.
func bloomHash(li leafInfo, conv convFn, t types.Type, v any) (uint64, bool) {
	var raw []byte
	switch t.Kind {
	case types.TinyInt, types.SmallInt, types.Integer, types.BigInt, types.Date, types.Decimal, types.Timestamp, types.TimestampTZ:
		x, ok := v.(int64)
		if !ok || li.unit < 0 {
			return 0, false
		}
		if t.Kind == types.Decimal {
			fileScale := 0
			if li.decimal {
				fileScale = li.scale
			}
			k := t.Scale - fileScale
			if k < 0 || k > 18 || !t.IsShortDecimal() {
				return 0, false
			}
			p := int64(math.Pow10(k))
			if x%p != 0 {
				return 0, false
			}
			x /= p
		}
		if li.timestamp && li.unit > 1 {
			if x%int64(li.unit) != 0 {
				return 0, false
			}
			x /= int64(li.unit)
		}
		switch li.phys {
		case format.Int32:
			if (li.unsigned && (x < 0 || x > math.MaxUint32)) || (!li.unsigned && (x < math.MinInt32 || x > math.MaxInt32)) {
				return 0, false
			}
			raw = binary.LittleEndian.AppendUint32(nil, uint32(x))
		case format.Int64:
			if li.unsigned && x < 0 {
				return 0, false
			}
			raw = binary.LittleEndian.AppendUint64(nil, uint64(x))
		default:
			return 0, false
		}
	case types.Varchar, types.Varbinary:
		s, ok := v.(string)
		if !ok || li.decimal || li.uuid {
			return 0, false
		}
		switch {
		case li.phys == format.ByteArray:
		case li.phys == format.FixedLenByteArray && t.Kind == types.Varbinary && len(s) == li.size:
		default:
			return 0, false
		}
		raw = []byte(s)
	default:
		return 0, false
	}
	back, ok := statValue(raw, li, conv, t)
	if !ok {
		return 0, false
	}
	if c, ok := compareAny(v, back); !ok || c != 0 {
		return 0, false
	}
	h := bloom.XXH64{}
	switch li.phys {
	case format.Int32:
		return h.Sum64Uint32(binary.LittleEndian.Uint32(raw)), true
	case format.Int64:
		return h.Sum64Uint64(binary.LittleEndian.Uint64(raw)), true
	}
	return h.Sum64(raw), true
}

// excludes decides the probe on the bytes it read: true when a value
// sought is certainly absent from the chunk. A filter or dictionary that
// does not decode decides nothing; if the chunk is corrupt, reading it
// reports that.
func (p *probe) excludes(cc *parquet.FileColumnChunk, data []byte) bool {
	if p.bloom {
		return bloomExcludes(data, p.hashes)
	}
	return p.dictionaryExcludes(cc, data)
}

func bloomExcludes(data []byte, hashes []uint64) bool {
	var h format.BloomFilterHeader
	var proto thrift.CompactProtocol
	r := proto.NewReaderFromBytes(data)
	if err := thrift.NewDecoder(r).Decode(&h); err != nil {
		return false
	}
	_, split := h.Algorithm.Value.(*format.SplitBlockAlgorithm)
	_, xx := h.Hash.Value.(*format.XxHash)
	_, plain := h.Compression.Value.(*format.BloomFilterUncompressed)
	bits := data[r.BytesRead():]
	if !split || !xx || !plain || h.NumBytes <= 0 || h.NumBytes%bloom.BlockSize != 0 || int(h.NumBytes) > len(bits) {
		return false
	}
	br := bytes.NewReader(bits[:h.NumBytes])
	for _, x := range hashes {
		if ok, err := bloom.CheckSplitBlock(br, int64(h.NumBytes), x); err == nil && !ok {
			return true
		}
	}
	return false
}

// dictionaryExcludes converts the dictionary with the column's own value
// conversion, so a value is sought exactly as the scan will compare it.
func (p *probe) dictionaryExcludes(cc *parquet.FileColumnChunk, data []byte) bool {
	pages := cc.PagesFrom(&memReaderAt{off: p.off, b: data})
	defer pages.Close()
	d, err := pages.ReadDictionary()
	if err != nil || d == nil {
		return false
	}
	vals := d.Page().Data()
	if vals.Kind() != kindOf[p.li.phys] {
		return false
	}
	n := min(d.Len(), valueCount(vals, p.li.size))
	buf := newValueBuf(goAlloc, storageWidth(p.t))
	defer buf.release()
	buf.reserve(n)
	if err := p.conv(buf, vals, 0, n); err != nil || buf.n != n {
		return false
	}
	for _, v := range p.values {
		found, ok := bufContains(buf, p.t, v)
		if !ok {
			return false
		}
		if !found {
			return true
		}
	}
	return false
}

// bufContains reports whether a converted value equals v; ok is false
// when some value cannot be compared with v.
func bufContains(buf *valueBuf, t types.Type, v any) (found, ok bool) {
	if s, isStr := v.(string); isStr && buf.width == 0 {
		offs, data := buf.int32s(), buf.data.Bytes()
		for i := range buf.n {
			if string(data[offs[i]:offs[i+1]]) == s {
				return true, true
			}
		}
		return false, true
	}
	for i := range buf.n {
		x, ok := bufValue(buf, i, t)
		if !ok {
			return false, false
		}
		c, ok := compareAny(v, x)
		if !ok {
			return false, false
		}
		if c == 0 {
			return true, true
		}
	}
	return false, true
}
