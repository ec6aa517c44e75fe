package compress

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

const payload = "a,1\nb,2\n"

// bzip2Payload is bzip2.compress(payload) (the standard library has no
// bzip2 writer).
const bzip2Payload = "425a6839314159265359b24b81ea00000359000010000430003000200021931a8300b702178bb9229c28485925c0f500"

func compressWith(t *testing.T, c Codec, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch c {
	case None:
		return data
	case Gzip:
		w = gzip.NewWriter(&buf)
	case Bzip2:
		if string(data) != payload {
			t.Fatal("bzip2 fixture only for payload")
		}
		b, _ := hex.DecodeString(bzip2Payload)
		return b
	case Zstd:
		w, _ = zstd.NewWriter(&buf)
	case Deflate:
		w, _ = flate.NewWriter(&buf, 5)
	case Zlib:
		w = zlib.NewWriter(&buf)
	case Snappy:
		w = snappy.NewBufferedWriter(&buf)
	case LZ4:
		w = lz4.NewWriter(&buf)
	default:
		t.Fatalf("no writer for %v", c)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decompressAll(c Codec, data []byte) ([]byte, error) {
	rc, err := NewReader(c, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		c    Codec
		name string
	}{
		{None, "x.csv"}, {Gzip, "x.csv.gz"}, {Bzip2, "x.csv.bz2"}, {Zstd, "x.csv.zst"}, {Deflate, "x.deflate"},
		{Zlib, "x.zlib"}, {Snappy, "x.snappy"}, {LZ4, "x.lz4"},
	} {
		t.Run(tc.c.String(), func(t *testing.T) {
			data := compressWith(t, tc.c, []byte(payload))
			head := data[:min(len(data), HeadBytes)]
			if got := Detect(tc.name, head); got != tc.c {
				t.Errorf("Detect(%q) = %v, want %v", tc.name, got, tc.c)
			}
			// Magic bytes win over a misleading or missing extension,
			// except for raw deflate, which has none.
			if tc.c != Deflate {
				if got := Detect("noext", head); got != tc.c {
					t.Errorf("Detect by magic = %v, want %v", got, tc.c)
				}
			}
			out, err := decompressAll(tc.c, data)
			if err != nil || string(out) != payload {
				t.Fatalf("decompress = %q, %v", out, err)
			}
		})
	}
}

func TestDetectText(t *testing.T) {
	for _, head := range []string{"id,name\n", "BZh1 is text", "x^2,y\n", "PK,foo\n", ""} {
		if got := Detect("data.csv", []byte(head)); got != None {
			t.Errorf("Detect(%q) = %v, want none", head, got)
		}
	}
	// A .gz name without the magic still goes to gzip so the corruption is reported.
	if got := Detect("x.gz", []byte("plain text")); got != Gzip {
		t.Errorf("Detect(x.gz, text) = %v", got)
	}
	if _, err := decompressAll(Gzip, []byte("plain text")); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("gzip of text: %v", err)
	}
}

func TestGzipMultiMember(t *testing.T) {
	a := compressWith(t, Gzip, []byte("a,1\n"))
	b := compressWith(t, Gzip, []byte("b,2\n"))
	out, err := decompressAll(Gzip, append(a, b...))
	if err != nil || string(out) != payload {
		t.Fatalf("multi-member gzip = %q, %v", out, err)
	}
}

func TestTruncated(t *testing.T) {
	big := bytes.Repeat([]byte("some,row,of,data,12345\n"), 20000)
	for _, c := range []Codec{Gzip, Zstd, Deflate, Zlib, Snappy, LZ4} {
		data := compressWith(t, c, big)
		_, err := decompressAll(c, data[:len(data)/2])
		if err == nil {
			t.Errorf("%v: truncated stream read without error", c)
			continue
		}
		if !strings.Contains(err.Error(), c.String()) {
			t.Errorf("%v: error %q does not name the codec", c, err)
		}
	}
	data := compressWith(t, Gzip, big)
	_, err := decompressAll(Gzip, data[:len(data)-4])
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("gzip missing trailer: %v", err)
	}
}

func TestHadoopSnappy(t *testing.T) {
	var buf bytes.Buffer
	block := func(parts ...string) {
		total := 0
		for _, p := range parts {
			total += len(p)
		}
		binary.Write(&buf, binary.BigEndian, uint32(total))
		for _, p := range parts {
			enc := snappy.Encode(nil, []byte(p))
			binary.Write(&buf, binary.BigEndian, uint32(len(enc)))
			buf.Write(enc)
		}
	}
	block("a,1\n", "b,2\n")
	block("c,3\n")
	if got := Detect("part-0000.snappy", buf.Bytes()[:HeadBytes]); got != Snappy {
		t.Fatalf("Detect = %v", got)
	}
	out, err := decompressAll(Snappy, buf.Bytes())
	if err != nil || string(out) != "a,1\nb,2\nc,3\n" {
		t.Fatalf("hadoop snappy = %q, %v", out, err)
	}
	bad := append([]byte{0xff, 0xff, 0xff, 0xff}, buf.Bytes()...)
	if _, err := decompressAll(Snappy, bad); err == nil {
		t.Error("huge block length accepted")
	}
	if _, err := decompressAll(Snappy, buf.Bytes()[:buf.Len()-3]); err == nil {
		t.Error("truncated hadoop snappy accepted")
	}
	_ = s2.Encode
}

func TestZipEntries(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	add("data/a.csv", "a,1\n")
	add("__MACOSX/data/._a.csv", "junk")
	add("data/.hidden.csv", "junk")
	zw.Create("data/sub/")
	add("data/b.csv", "b,2\n")
	zw.Close()
	if got := Detect("x.zip", buf.Bytes()[:HeadBytes]); got != Zip {
		t.Fatalf("Detect = %v", got)
	}
	entries, err := ZipEntries(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var all []byte
	for _, e := range entries {
		names = append(names, e.Name)
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if strings.Join(names, " ") != "data/a.csv data/b.csv" || string(all) != payload {
		t.Fatalf("entries %v, content %q", names, all)
	}
	if _, err := ZipEntries(bytes.NewReader(buf.Bytes()[:buf.Len()/2]), int64(buf.Len()/2)); err == nil {
		t.Error("truncated zip accepted")
	}
	if _, err := NewReader(Zip, &buf); err == nil {
		t.Error("zip as a stream accepted")
	}
}

func TestCountingReader(t *testing.T) {
	var n atomic.Int64
	out, _ := io.ReadAll(NewCountingReader(strings.NewReader(payload), &n))
	if n.Load() != int64(len(out)) {
		t.Errorf("counted %d of %d", n.Load(), len(out))
	}
}

func TestReadAhead(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 100000)
	ra := NewReadAhead(io.MultiReader(bytes.NewReader(big[:7]), iotestHalf{bytes.NewReader(big[7:])}), 4096, 3)
	out, err := io.ReadAll(ra)
	if err != nil || !bytes.Equal(out, big) {
		t.Fatalf("read %d bytes, %v", len(out), err)
	}
	ra.Close()
	ra.Close()
	// Closing early stops the goroutine.
	ra = NewReadAhead(bytes.NewReader(big), 1024, 2)
	buf := make([]byte, 10)
	ra.Read(buf)
	ra.Close()
	// Errors pass through after the data before them.
	ra = NewReadAhead(io.MultiReader(bytes.NewReader([]byte("abc")), errReader{}), 1024, 2)
	out, err = io.ReadAll(ra)
	if string(out) != "abc" || err == nil || err.Error() != "boom" {
		t.Fatalf("got %q, %v", out, err)
	}
	ra.Close()
}

type iotestHalf struct{ r io.Reader }

func (h iotestHalf) Read(p []byte) (int, error) { return h.r.Read(p[:(len(p)+1)/2]) }

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }
