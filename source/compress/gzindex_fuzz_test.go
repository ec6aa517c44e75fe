package compress

import (
	"bytes"
	"io"
	"testing"
)

// FuzzGzipReader feeds arbitrary bytes to the gzip reader with an index
// builder, the index parser and the BGZF reader: nothing may panic, and
// when a stream reads cleanly every range of its index must give the
// same bytes.
func FuzzGzipReader(f *testing.F) {
	data := testLines(1, 300)
	f.Add(gzMember(f, data, memberOpts{level: 6}), uint16(1000))
	f.Add(append(gzMember(f, data[:100], memberOpts{level: 1, name: "a", hcrc: true}),
		gzMember(f, data[100:], memberOpts{level: 0, comment: "c"})...), uint16(300))
	f.Add(bgzfBytes(f, data, 2000), uint16(500))
	f.Fuzz(func(t *testing.T, gz []byte, spacing uint16) {
		ParseGzipIndex(gz)
		io.Copy(io.Discard, io.LimitReader(NewBGZFRange(bytes.NewReader(gz), 0, int64(len(gz)), '\n'), 1<<22))
		if len(gz) > 20 {
			FindBGZFBlock(bytes.NewReader(gz), int64(len(gz)), int64(spacing)%int64(len(gz)))
		}
		b := NewIndexBuilder(int64(spacing) + 1)
		out, err := io.ReadAll(io.LimitReader(NewGzipReader(bytes.NewReader(gz), b), 1<<22))
		if err != nil {
			return
		}
		if _, err := b.Index(); err == nil {
			// Tie points to every 37th byte, as records.
			b2 := NewIndexBuilder(int64(spacing) + 1)
			io.Copy(io.Discard, NewGzipReader(bytes.NewReader(gz), b2))
			for off := int64(0); off < int64(len(out)); off += 37 {
				b2.RecordAt(off, off/37+1)
			}
			ix, err := b2.Index()
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range ix.Points {
				got, err := readRange(gz, ix, p.Record, ix.segEnd(i)-p.Record)
				if err != nil || !bytes.Equal(got, out[p.Record:ix.segEnd(i)]) {
					t.Fatalf("point %d: %v", i, err)
				}
			}
		}
	})
}
