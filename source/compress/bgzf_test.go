package compress

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestBGZFBlockSize(t *testing.T) {
	blk := gzMember(t, []byte("a,1\n"), memberOpts{level: 6, bgzf: true})
	if n, ok := BGZFBlockSize(blk); !ok || n != len(blk) {
		t.Fatalf("BGZFBlockSize = %d, %v; want %d", n, ok, len(blk))
	}
	for _, h := range [][]byte{
		nil, blk[:11], gzMember(t, []byte("x"), memberOpts{level: 6}),
		gzMember(t, []byte("x"), memberOpts{level: 6, extra: []byte{'B', 'D', 2, 0, 9, 9}}),
		gzMember(t, []byte("x"), memberOpts{level: 6, bgzf: true, name: "n"}), // bgzip sets FEXTRA alone
	} {
		if _, ok := BGZFBlockSize(h); ok {
			t.Errorf("%x taken for a BGZF header", h[:min(len(h), 18)])
		}
	}
}

// TestBGZFRanges cuts BGZF files into compressed byte ranges of several
// sizes and checks that the ranges, read as a splitting reader would
// (skipping through the first terminator unless at 0), hold every line
// exactly once, including lines longer than a block.
func TestBGZFRanges(t *testing.T) {
	long := strings.Repeat("x", 12000)
	data := testLines(5, 6000)
	data = append(data, []byte("long,"+long+"\nshort\nlong2,"+long+long+"\n")...)
	data = append(data, testLines(6, 3000)...)
	for _, blockData := range []int{5000, 60000} {
		gz := bgzfBytes(t, data, blockData)
		size := int64(len(gz))
		for _, target := range []int64{333, 7777, 65536, 200000, size} {
			var got []byte
			for off := int64(0); off < size; off += target {
				start, err := FindBGZFBlock(bytes.NewReader(gz), size, off)
				if err != nil {
					t.Fatalf("find at %d: %v", off, err)
				}
				if off > 0 && start < size {
					if _, ok := BGZFBlockSize(gz[start:]); !ok || start < off || start-off >= BGZFMaxBlock {
						t.Fatalf("find at %d returned %d", off, start)
					}
				}
				r := NewBGZFRange(bytes.NewReader(gz[min(start, size):]), start, off+target, '\n')
				part, err := io.ReadAll(r)
				if err != nil {
					t.Fatalf("range %d+%d: %v", off, target, err)
				}
				if off > 0 {
					i := bytes.IndexByte(part, '\n')
					part = part[i+1:] // i == -1 keeps the whole part: never, a range ends at a terminator
					if i < 0 {
						part = nil
					}
				}
				got = append(got, part...)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("blocks of %d, ranges of %d: %d bytes, want %d", blockData, target, len(got), len(data))
			}
		}
		// A damaged block is an error.
		bad := bytes.Clone(gz)
		bad[len(bad)/2] ^= 0x55
		if _, err := io.ReadAll(NewBGZFRange(bytes.NewReader(bad), 0, size, '\n')); err == nil {
			t.Error("damaged BGZF read without error")
		}
		if _, err := io.ReadAll(NewBGZFRange(bytes.NewReader(gz[:len(gz)-40]), 0, size, '\n')); err == nil {
			t.Error("truncated BGZF read without error")
		}
	}
	// A gzip file that is not BGZF has no blocks to find.
	plain := gzMember(t, bytes.Repeat(data, 3), memberOpts{level: 6})
	if _, err := FindBGZFBlock(bytes.NewReader(plain), int64(len(plain)), 1000); err == nil {
		t.Error("found a BGZF block in plain gzip")
	}
}
