package compress

import (
	"bytes"
	stdgzip "compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/s2"
)

func TestCRC32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 200000)
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	for _, cut := range []int{0, 1, 7, 4096, 65536, 99999, len(data)} {
		a, b := crc32.ChecksumIEEE(data[:cut]), crc32.ChecksumIEEE(data[cut:])
		if got, want := CRC32Combine(a, b, int64(len(data)-cut)), crc32.ChecksumIEEE(data); got != want {
			t.Errorf("cut %d: combine %08x, want %08x", cut, got, want)
		}
	}
}

// memberOpts describes a hand-built gzip member.
type memberOpts struct {
	level   int
	name    string
	comment string
	extra   []byte
	hcrc    bool
	bgzf    bool
}

// gzMember writes one gzip member by hand, so the tests cover every
// header field and BGZF's extra subfield.
func gzMember(t testing.TB, data []byte, o memberOpts) []byte {
	t.Helper()
	var body bytes.Buffer
	fw, err := flate.NewWriter(&body, o.level)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	fw.Close()
	flg := byte(0)
	extra := o.extra
	if o.bgzf {
		extra = []byte{'B', 'C', 2, 0, 0, 0}
	}
	if extra != nil {
		flg |= gzFEXTRA
	}
	if o.name != "" {
		flg |= gzFNAME
	}
	if o.comment != "" {
		flg |= gzFCOMMENT
	}
	if o.hcrc {
		flg |= gzFHCRC
	}
	h := []byte{0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 255}
	if extra != nil {
		h = binary.LittleEndian.AppendUint16(h, uint16(len(extra)))
		h = append(h, extra...)
	}
	if o.name != "" {
		h = append(append(h, o.name...), 0)
	}
	if o.comment != "" {
		h = append(append(h, o.comment...), 0)
	}
	if o.hcrc {
		h = binary.LittleEndian.AppendUint16(h, uint16(crc32.ChecksumIEEE(h)))
	}
	m := append(h, body.Bytes()...)
	m = binary.LittleEndian.AppendUint32(m, crc32.ChecksumIEEE(data))
	m = binary.LittleEndian.AppendUint32(m, uint32(len(data)))
	if o.bgzf {
		if len(m) > BGZFMaxBlock {
			t.Fatalf("BGZF block of %d bytes", len(m))
		}
		binary.LittleEndian.PutUint16(m[16:], uint16(len(m)-1))
	}
	return m
}

// bgzfBytes cuts data into BGZF blocks of at most blockData bytes, ending
// with bgzip's empty EOF block.
func bgzfBytes(t testing.TB, data []byte, blockData int) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(blockData, len(data))
		out = append(out, gzMember(t, data[:n], memberOpts{level: 6, bgzf: true})...)
		data = data[n:]
	}
	return append(out, gzMember(t, nil, memberOpts{level: 6, bgzf: true})...)
}

// testLines returns n text lines of varied length and compressibility.
func testLines(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "%d,item-%d,%s,%x\n", i, rng.IntN(1000), strings.Repeat("ab", rng.IntN(30)), rng.Uint64())
	}
	return b.Bytes()
}

type gzCase struct {
	name string
	data []byte
	gz   []byte
}

var (
	gzCasesOnce sync.Once
	gzCasesMemo []gzCase
)

// gzCases are built once per test binary: compressing them takes a while.
func gzCases(t testing.TB) []gzCase {
	gzCasesOnce.Do(func() { gzCasesMemo = makeGzCases(t) })
	return gzCasesMemo
}

func makeGzCases(t testing.TB) []gzCase {
	data := testLines(1, 40000) // ~1.6 MB
	third := len(data) / 3
	std := func(level int) []byte {
		var b bytes.Buffer
		w, _ := stdgzip.NewWriterLevel(&b, level)
		w.Name = "x.csv"
		w.Write(data)
		w.Close()
		return b.Bytes()
	}
	return []gzCase{
		{"level 6", data, gzMember(t, data, memberOpts{level: 6})},
		{"level 1", data, gzMember(t, data, memberOpts{level: 1})},
		{"level 9", data, gzMember(t, data, memberOpts{level: 9})},
		{"huffman only", data, gzMember(t, data, memberOpts{level: flate.HuffmanOnly})},
		{"stored", data, gzMember(t, data, memberOpts{level: flate.NoCompression})},
		{"standard library", data, std(6)},
		{"header fields", data, gzMember(t, data, memberOpts{level: 5, name: "x.csv", comment: "made by a test",
			extra: []byte{'Q', 'Q', 3, 0, 1, 2, 3}, hcrc: true})},
		{"members", data, bytes.Join([][]byte{
			gzMember(t, data[:third], memberOpts{level: 6}),
			gzMember(t, nil, memberOpts{level: 6}),
			gzMember(t, data[third:2*third], memberOpts{level: 1, name: "b"}),
			gzMember(t, data[2*third:], memberOpts{level: flate.NoCompression}),
		}, nil)},
		{"bgzf", data, bgzfBytes(t, data, 60000)},
	}
}

// buildIndex reads gz once through NewGzipReader with a builder, tying
// points to line starts as a parser would.
func buildIndex(t testing.TB, gz []byte, spacing int64) ([]byte, *GzipIndex) {
	t.Helper()
	b := NewIndexBuilder(spacing)
	r := NewGzipReader(bytes.NewReader(gz), b)
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	line := int64(1)
	for off := 0; off < len(out); {
		if int64(off) >= b.Pending() {
			b.RecordAt(int64(off), line)
		}
		i := bytes.IndexByte(out[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		line++
	}
	ix, err := b.Index()
	if err != nil {
		t.Fatal(err)
	}
	return out, ix
}

// reads counts what openBytes is asked for.
type reads struct{ bytes, opens int }

func openBytes(gz []byte, n *reads) func(start, end int64) (io.ReadCloser, error) {
	return func(start, end int64) (io.ReadCloser, error) {
		if end < 0 || end > int64(len(gz)) {
			end = int64(len(gz))
		}
		start = min(start, int64(len(gz)))
		if n != nil {
			n.bytes += int(end - start)
			n.opens++
		}
		return io.NopCloser(bytes.NewReader(gz[start:end])), nil
	}
}

func readRange(gz []byte, ix *GzipIndex, off, n int64) ([]byte, error) {
	r, err := NewGzipRange(openBytes(gz, nil), ix, off, n)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func TestGzipIndex(t *testing.T) {
	for _, c := range gzCases(t) {
		t.Run(c.name, func(t *testing.T) {
			out, ix := buildIndex(t, c.gz, 64<<10)
			if !bytes.Equal(out, c.data) {
				t.Fatal("inflated bytes differ")
			}
			if ix.Size != int64(len(c.data)) || ix.CompressedSize != int64(len(c.gz)) {
				t.Fatalf("sizes %d, %d", ix.Size, ix.CompressedSize)
			}
			if len(ix.Points) < 5 {
				t.Fatalf("only %d points", len(ix.Points))
			}
			for i, p := range ix.Points {
				if p.Record < p.Out || p.Record > 0 && c.data[p.Record-1] != '\n' ||
					int64(bytes.Count(c.data[:p.Record], []byte("\n")))+1 != p.Line {
					t.Fatalf("point %d: %+v is not tied to the first record after it", i, p)
				}
				if i > 0 && p.Out-ix.Points[i-1].Out < 64<<10 {
					t.Fatalf("point %d only %d bytes after the previous", i, p.Out-ix.Points[i-1].Out)
				}
				if got := crc32.ChecksumIEEE(c.data[p.Out:ix.segEnd(i)]); got != p.CRC {
					t.Fatalf("point %d: CRC %08x, want %08x", i, p.CRC, got)
				}
			}
			enc, err := ix.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			dec, err := ParseGzipIndex(enc)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%+v", dec) != fmt.Sprintf("%+v", ix) {
				t.Fatal("index does not survive encoding")
			}
			t.Logf("%d points, index %d bytes for %d compressed", len(ix.Points), len(enc), len(c.gz))

			// Ranges between records, as splits cut them, and at
			// arbitrary offsets; with and without the index.
			rng := rand.New(rand.NewPCG(3, 4))
			type rg struct{ off, n int64 }
			var ranges []rg
			for i := range ix.Points {
				j := min(i+1+rng.IntN(3), len(ix.Points))
				end := ix.Size
				if j < len(ix.Points) {
					end = ix.Points[j].Record
				}
				ranges = append(ranges, rg{ix.Points[i].Record, end - ix.Points[i].Record})
			}
			for range 20 {
				off := rng.Int64N(ix.Size)
				ranges = append(ranges, rg{off, rng.Int64N(ix.Size - off + 1)})
			}
			ranges = append(ranges, rg{0, -1}, rg{ix.Size / 2, -1}, rg{ix.Size, 0})
			for i, r := range ranges {
				end := ix.Size
				if r.n >= 0 {
					end = r.off + r.n
				}
				indexes := []*GzipIndex{ix}
				if i%8 == 0 {
					indexes = append(indexes, nil) // inflating from the start is slow
				}
				for _, x := range indexes {
					got, err := readRange(c.gz, x, r.off, r.n)
					if err != nil || !bytes.Equal(got, c.data[r.off:end]) {
						t.Fatalf("range %d+%d (index %v): %d bytes, %v", r.off, r.n, x != nil, len(got), err)
					}
				}
			}
		})
	}
}

// TestGzipIndexBoundedReads checks that a range reads about its share of
// the compressed file, not the rest of it.
func TestGzipIndexBoundedReads(t *testing.T) {
	data := testLines(2, 250000) // ~10 MB
	gz := gzMember(t, data, memberOpts{level: 6})
	_, ix := buildIndex(t, gz, 1<<20)
	var total reads
	for i := range ix.Points {
		end := ix.Size
		if i+1 < len(ix.Points) {
			end = ix.Points[i+1].Record
		}
		r, err := NewGzipRange(openBytes(gz, &total), ix, ix.Points[i].Record, end-ix.Points[i].Record)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	t.Logf("%d ranges: %d requests for %d bytes of a %d-byte file", len(ix.Points), total.opens, total.bytes, len(gz))
	// Each range reads up to rangeSlack past the last point before its
	// end: a few percent at 1 MiB spacing, less at the default spacing.
	if float64(total.bytes) > 1.1*float64(len(gz)) || total.opens > len(ix.Points)+2 {
		t.Errorf("ranges opened %d bytes of a %d-byte file", total.bytes, len(gz))
	}
}

func TestGzipIndexCorruption(t *testing.T) {
	for _, c := range gzCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, ix := buildIndex(t, c.gz, 64<<10)
			// A flipped byte is an error, or a bit that does not
			// matter (a stored block header's padding): never wrong bytes.
			detected := 0
			for k := 1; k+1 < len(ix.Points); k += 3 {
				lo, hi := ix.Points[k].In+64, ix.Points[k+1].In-64
				if hi <= lo {
					continue
				}
				bad := bytes.Clone(c.gz)
				bad[(lo+hi)/2+3] ^= 0x20
				got, err := readRange(bad, ix, ix.Points[k].Record, -1)
				if err == nil && !bytes.Equal(got, c.data[ix.Points[k].Record:]) {
					t.Fatalf("flipped byte at %d read without error", (lo+hi)/2+3)
				}
				if err != nil {
					detected++
				}
			}
			if detected == 0 {
				t.Error("no flipped byte detected")
			}
			// The trailer of the file is checked by a range reaching it.
			bad := bytes.Clone(c.gz)
			bad[len(bad)-6] ^= 1
			if _, err := readRange(bad, ix, ix.Points[len(ix.Points)-1].Record, -1); err == nil {
				t.Error("bad trailer accepted")
			}
		})
	}
}

func TestGzipTruncated(t *testing.T) {
	for _, c := range gzCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, ix := buildIndex(t, c.gz, 64<<10)
			for _, cut := range []int{0, 5, 12, len(c.gz) / 3, len(c.gz) - 9, len(c.gz) - 1} {
				_, err := io.ReadAll(NewGzipReader(bytes.NewReader(c.gz[:cut]), nil))
				if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) && !strings.Contains(err.Error(), "gzip") {
					t.Errorf("cut at %d: %v", cut, err)
				}
				short := c.gz[:cut]
				if _, err := readRange(short, ix, ix.Points[len(ix.Points)/2].Record, -1); err == nil && cut < len(c.gz)-8 {
					t.Errorf("range of file cut at %d read without error", cut)
				}
			}
			if _, err := io.ReadAll(NewGzipReader(bytes.NewReader(append(bytes.Clone(c.gz), "junk"...)), nil)); err == nil {
				t.Error("trailing garbage accepted")
			}
		})
	}
}

// TestGzipIndexIncomplete: a builder whose stream was not read to the
// end yields no index.
func TestGzipIndexIncomplete(t *testing.T) {
	c := gzCases(t)[0]
	b := NewIndexBuilder(64 << 10)
	r := NewGzipReader(bytes.NewReader(c.gz), b)
	io.CopyN(io.Discard, r, int64(len(c.data)/2))
	if _, err := b.Index(); err == nil {
		t.Error("index of a half-read stream")
	}
}

func TestParseGzipIndexRejects(t *testing.T) {
	c := gzCases(t)[0]
	_, ix := buildIndex(t, c.gz, 64<<10)
	enc, _ := ix.MarshalBinary()
	for i := 0; i < len(enc); i += max(1, len(enc)/50) {
		// Any damage is detected or harmless, never a panic.
		bad := bytes.Clone(enc)
		bad[i] ^= 0xff
		ParseGzipIndex(bad)
		ParseGzipIndex(enc[:i])
	}
	if _, err := ParseGzipIndex([]byte("nonsense")); err == nil {
		t.Error("nonsense parsed")
	}
	// Points out of order.
	bad := *ix
	bad.Points = append([]GzipPoint(nil), ix.Points...)
	bad.Points[1], bad.Points[2] = bad.Points[2], bad.Points[1]
	enc, _ = bad.MarshalBinary()
	if _, err := ParseGzipIndex(enc); err == nil {
		t.Error("disordered points parsed")
	}
}

// TestParseGzipIndexV1: indexes written by earlier versions (a flate
// stream, not an S2 block) still parse to the same points.
func TestParseGzipIndexV1(t *testing.T) {
	c := gzCases(t)[0]
	_, ix := buildIndex(t, c.gz, 64<<10)
	enc, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := s2.Decode(nil, enc[len(indexMagic):])
	if err != nil {
		t.Fatal(err)
	}
	var v1 bytes.Buffer
	v1.Write(indexMagicV1)
	w, _ := flate.NewWriter(&v1, flate.BestSpeed)
	w.Write(raw)
	w.Close()
	dec, err := ParseGzipIndex(v1.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", dec) != fmt.Sprintf("%+v", ix) {
		t.Fatal("a version 1 index parses to other points")
	}
}
