package cache

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// metaVersion is the layout of facts files; a file of another version is
// dropped at Open (the cache rebuilds itself from raw files).
const metaVersion = 1

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// region is a byte range of a segment file with the CRC-32C of its bytes
// at fill time.
type region struct {
	Off int64  `json:"o"`
	Len int64  `json:"l"`
	CRC uint32 `json:"c"`
}

// chunkMeta is one column chunk of a row group: where the reader fetches
// it (from the dictionary page on), its checksum, and its statistics.
type chunkMeta struct {
	region
	Snappy bool   `json:"z,omitempty"`
	Nulls  int64  `json:"n,omitempty"`
	Min    []byte `json:"mn,omitempty"`
	Max    []byte `json:"mx,omitempty"`
}

type rowGroupMeta struct {
	Rows int64 `json:"rows"`
	// Off and Len span the row group's column chunks (they are contiguous
	// in files parquet-go writes); a byte range split [Off, Off+Len)
	// selects exactly this row group in source/parquet (midpoint rule).
	Off    int64       `json:"off"`
	Len    int64       `json:"len"`
	Chunks []chunkMeta `json:"chunks"`
}

// groupMeta is the facts file of one column group of a segment. It is
// written once, after its Parquet file is in place, and never changed:
// the group exists exactly when both files do. Segment-wide facts (the
// object, the raw split, the row count, the reader's notices) are
// repeated in every group of the segment.
type groupMeta struct {
	V           int    `json:"v"`
	Location    string `json:"location"`
	Version     string `json:"version"`
	Size        int64  `json:"size"`
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"`
	Offset      int64  `json:"offset"`
	Length      int64  `json:"length"`
	Decoded     bool   `json:"decoded,omitempty"`
	FirstLine   int64  `json:"firstLine,omitempty"`
	Rows        int64  `json:"rows"`
	// Columns are the table column indices the group holds, ascending;
	// empty for a rows-only group (no Parquet file), which records that
	// the split was read and how many rows it has.
	Columns []int    `json:"columns"`
	Names   []string `json:"names,omitempty"` // for people reading the directory
	File    string   `json:"file,omitempty"`
	// Flat files hold scalar columns in the layout of flatwrite.go, which
	// the flat reader decodes; others are read with source/parquet.
	Flat bool `json:"flat,omitempty"`
	// FileSize and Footer describe the Parquet file; Footer covers the
	// bytes from the end of the last row group to the end of the file.
	FileSize  int64          `json:"fileSize,omitempty"`
	Footer    region         `json:"footer"`
	RowGroups []rowGroupMeta `json:"rowGroups,omitempty"`
	// Leaves maps each leaf column of the file to its position in Columns.
	Leaves  []int    `json:"leaves,omitempty"`
	Notices []string `json:"notices,omitempty"`
	Created int64    `json:"created"`
}

// rgRows returns the row counts of the row groups.
func (m *groupMeta) rgRows() []int64 {
	out := make([]int64, len(m.RowGroups))
	for i, rg := range m.RowGroups {
		out[i] = rg.Rows
	}
	return out
}

// metaMagic starts facts files; the last 4 bytes are the CRC-32C of all
// that precede them, so a torn or flipped facts file is detected.
var metaMagic = []byte("QCACHE1\n")

func encodeMeta(m *groupMeta) ([]byte, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(metaMagic)+len(body)+4)
	out = append(out, metaMagic...)
	out = append(out, body...)
	return binary.LittleEndian.AppendUint32(out, checksum(out)), nil
}

var errCorruptMeta = errors.New("corrupt facts file")

func decodeMeta(b []byte) (*groupMeta, error) {
	if len(b) < len(metaMagic)+4 || !bytes.HasPrefix(b, metaMagic) {
		return nil, errCorruptMeta
	}
	n := len(b) - 4
	if checksum(b[:n]) != binary.LittleEndian.Uint32(b[n:]) {
		return nil, errCorruptMeta
	}
	var m groupMeta
	if err := json.Unmarshal(b[len(metaMagic):n], &m); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorruptMeta, err)
	}
	if m.V != metaVersion {
		return nil, fmt.Errorf("facts file version %d, want %d", m.V, metaVersion)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorruptMeta, err)
	}
	return &m, nil
}

// check validates the internal consistency a reader relies on.
func (m *groupMeta) check() error {
	if !slices.IsSorted(m.Columns) || len(slices.Compact(slices.Clone(m.Columns))) != len(m.Columns) {
		return errors.New("columns not ascending")
	}
	if len(m.Columns) == 0 {
		if m.File != "" || len(m.RowGroups) > 0 {
			return errors.New("rows-only group with a file")
		}
		return nil
	}
	if m.File == "" {
		return errors.New("no file")
	}
	var rows int64
	end := int64(4) // the leading magic
	for i, rg := range m.RowGroups {
		if rg.Rows <= 0 || len(rg.Chunks) != len(m.Leaves) || rg.Off < end || rg.Len < 0 {
			return fmt.Errorf("row group %d is malformed", i)
		}
		for _, c := range rg.Chunks {
			if c.Off < rg.Off || c.Off+c.Len > rg.Off+rg.Len {
				return fmt.Errorf("row group %d has a chunk outside it", i)
			}
		}
		rows += rg.Rows
		end = rg.Off + rg.Len
	}
	if rows != m.Rows {
		return fmt.Errorf("row groups hold %d rows, facts say %d", rows, m.Rows)
	}
	for _, l := range m.Leaves {
		if l < 0 || l >= len(m.Columns) {
			return errors.New("leaf of no column")
		}
	}
	if m.Footer.Off < end || m.Footer.Off+m.Footer.Len != m.FileSize {
		return errors.New("footer is misplaced")
	}
	return nil
}

// describeFile reads back a finished segment file and records its row
// groups, chunk checksums and statistics into m. Reading back costs one
// sequential read of a file just written (in the page cache) and proves
// the file parses before it is published.
func describeFile(f *os.File, m *groupMeta, leaves []int) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	data := make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil && err != io.EOF {
		return err
	}
	pf, err := parquet.OpenFile(bytes.NewReader(data), size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	md := pf.Metadata()
	m.FileSize = size
	m.Leaves = leaves
	m.RowGroups = make([]rowGroupMeta, len(md.RowGroups))
	end := int64(4)
	for g := range md.RowGroups {
		rg := &md.RowGroups[g]
		if len(rg.Columns) != len(leaves) {
			return fmt.Errorf("read back: row group %d has %d chunks for %d leaves", g, len(rg.Columns), len(leaves))
		}
		out := rowGroupMeta{Rows: rg.NumRows, Off: -1, Chunks: make([]chunkMeta, len(rg.Columns))}
		var hi int64
		for i := range rg.Columns {
			cm := &rg.Columns[i].MetaData
			off := cm.DataPageOffset
			if cm.DictionaryPageOffset != 0 {
				off = cm.DictionaryPageOffset
			}
			n := cm.TotalCompressedSize
			if off < 0 || n < 0 || off+n > size {
				return fmt.Errorf("read back: chunk outside the file")
			}
			c := chunkMeta{region: region{Off: off, Len: n, CRC: checksum(data[off : off+n])}}
			c.Snappy = cm.Codec == format.Snappy
			c.Nulls = cm.Statistics.NullCount
			c.Min, c.Max = cm.Statistics.MinValue, cm.Statistics.MaxValue
			out.Chunks[i] = c
			if out.Off < 0 || off < out.Off {
				out.Off = off
			}
			hi = max(hi, off+n)
		}
		out.Len = hi - out.Off
		m.RowGroups[g] = out
		end = hi
	}
	m.Footer = region{Off: end, Len: size - end, CRC: checksum(data[end:])}
	return m.check()
}
