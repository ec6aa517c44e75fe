package compress

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Codec is a compression format.
type Codec uint8

const (
	None Codec = iota
	Gzip
	Bzip2
	Zstd
	Deflate // raw DEFLATE (RFC 1951), no header
	Zlib    // DEFLATE in a zlib wrapper (RFC 1950); Hadoop's *.deflate files
	Snappy  // framed snappy, or Hadoop's block format
	LZ4     // lz4 frame format
	Zip     // an archive; open entries with ZipEntries, not NewReader
)

var codecNames = [...]string{"none", "gzip", "bzip2", "zstd", "deflate", "zlib", "snappy", "lz4", "zip"}

func (c Codec) String() string {
	if int(c) < len(codecNames) {
		return codecNames[c]
	}
	return fmt.Sprintf("codec(%d)", c)
}

// HeadBytes is how many leading bytes Detect needs to recognise every codec.
const HeadBytes = 16

var (
	magicGzip   = []byte{0x1f, 0x8b}
	magicZstd   = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicLZ4    = []byte{0x04, 0x22, 0x4d, 0x18}
	magicSnappy = []byte{0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'}
	magicZip    = []byte{'P', 'K', 0x03, 0x04}
	magicZipNil = []byte{'P', 'K', 0x05, 0x06} // an empty archive
	bzBlock     = []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}
	bzEnd       = []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90}
)

// Detect names the codec of a file from its name and its first bytes
// (head may be shorter than HeadBytes, or nil when only the name is known).
func Detect(name string, head []byte) Codec {
	if c := detectMagic(head); c != None {
		return c
	}
	c := ByExtension(name)
	if c == Deflate && isZlibHeader(head) {
		return Zlib
	}
	if c == Zlib && len(head) >= 2 && !isZlibHeader(head) {
		return Deflate
	}
	return c
}

// ByExtension names the codec a file name promises, or None.
func ByExtension(name string) Codec {
	switch strings.ToLower(path.Ext(name)) {
	case ".gz", ".gzip", ".tgz":
		return Gzip
	case ".bz2", ".bzip2":
		return Bzip2
	case ".zst", ".zstd":
		return Zstd
	case ".deflate":
		return Deflate
	case ".zz", ".zlib":
		return Zlib
	case ".snappy", ".sz":
		return Snappy
	case ".lz4":
		return LZ4
	case ".zip":
		return Zip
	}
	return None
}

func detectMagic(h []byte) Codec {
	switch {
	case bytes.HasPrefix(h, magicGzip) && (len(h) < 3 || h[2] == 8):
		return Gzip
	case bytes.HasPrefix(h, magicZstd):
		return Zstd
	case bytes.HasPrefix(h, magicLZ4):
		return LZ4
	case bytes.HasPrefix(h, magicSnappy):
		return Snappy
	case bytes.HasPrefix(h, magicZip), bytes.HasPrefix(h, magicZipNil):
		return Zip
	case len(h) >= 10 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' && h[3] >= '1' && h[3] <= '9' &&
		(bytes.Equal(h[4:10], bzBlock) || bytes.Equal(h[4:10], bzEnd)):
		// The block magic after "BZh9" keeps a text file starting with
		// "BZh1" from being taken for bzip2.
		return Bzip2
	case len(h) >= 2 && h[0] == 0x78 && (h[1] == 0x01 || h[1] == 0x9c || h[1] == 0xda):
		// Only the three FLG bytes zlib writers emit: 'x' followed by a
		// printable byte is more likely text.
		return Zlib
	}
	return None
}

func isZlibHeader(h []byte) bool {
	return len(h) >= 2 && h[0]&0x0f == 8 && h[0]>>4 <= 7 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0
}

// zstdMaxWindow caps the memory a zstd stream may demand; --long=27 files
// (128 MiB windows) still read.
const zstdMaxWindow = 256 << 20

// NewReader returns a stream of the decompressed bytes of r. Closing it
// releases the decoder, not r. Zip archives are not streams: use
// ZipEntries.
func NewReader(c Codec, r io.Reader) (io.ReadCloser, error) {
	switch c {
	case None:
		return io.NopCloser(r), nil
	case Gzip:
		// Multistream is the default, so concatenated members (what
		// `cat a.gz b.gz` and parallel gzip writers produce) read whole.
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, withPrefix("gzip", err)
		}
		return &errPrefixCloser{rc: zr, prefix: "gzip"}, nil
	case Bzip2:
		return io.NopCloser(&errPrefix{r: bzip2.NewReader(r), prefix: "bzip2"}), nil
	case Zstd:
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return nil, withPrefix("zstd", err)
		}
		return &zstdCloser{d}, nil
	case Deflate:
		return &errPrefixCloser{rc: flate.NewReader(r), prefix: "deflate"}, nil
	case Zlib:
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil, withPrefix("zlib", err)
		}
		return &errPrefixCloser{rc: zr, prefix: "zlib"}, nil
	case Snappy:
		br := bufio.NewReaderSize(r, 64<<10)
		head, _ := br.Peek(len(magicSnappy))
		if bytes.Equal(head, magicSnappy) {
			// s2 reads the snappy framing format, and faster than snappy's own decoder.
			return io.NopCloser(&errPrefix{r: s2.NewReader(br, s2.ReaderMaxBlockSize(4<<20)), prefix: "snappy"}), nil
		}
		return io.NopCloser(&errPrefix{r: newHadoopBlockReader(br, hadoopSnappy), prefix: "snappy (hadoop block format)"}), nil
	case LZ4:
		return io.NopCloser(&errPrefix{r: lz4.NewReader(r), prefix: "lz4"}), nil
	case Zip:
		return nil, fmt.Errorf("zip archive is not a stream: read its entries")
	}
	return nil, fmt.Errorf("unsupported compression %v", c)
}

type zstdCloser struct{ d *zstd.Decoder }

func (z *zstdCloser) Read(p []byte) (int, error) {
	n, err := z.d.Read(p)
	if err != nil && err != io.EOF {
		err = withPrefix("zstd", err)
	}
	return n, err
}

func (z *zstdCloser) Close() error { z.d.Close(); return nil }

// errPrefix names the codec in decoder errors, so that a corrupt file reads
// "x.bz2: bzip2: ..." rather than a bare "invalid data".
type errPrefix struct {
	r      io.Reader
	prefix string
}

func (e *errPrefix) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		err = withPrefix(e.prefix, err)
	}
	return n, err
}

type errPrefixCloser struct {
	rc     io.ReadCloser
	prefix string
}

func (e *errPrefixCloser) Read(p []byte) (int, error) {
	n, err := e.rc.Read(p)
	if err != nil && err != io.EOF {
		err = withPrefix(e.prefix, err)
	}
	return n, err
}

func (e *errPrefixCloser) Close() error { return e.rc.Close() }

// withPrefix names the codec in a decoder error unless the decoder already
// did ("gzip: invalid header"), and calls an early end what it is.
func withPrefix(prefix string, err error) error {
	if err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: truncated stream: %w", prefix, err)
	}
	if strings.HasPrefix(err.Error(), prefix+":") {
		return err
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
