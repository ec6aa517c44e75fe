package csv

import (
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
)

func TestSplitPolicy(t *testing.T) {
	big := objstore.ObjectInfo{Location: "/d/x.csv", Size: 10 << 20}
	cases := []struct {
		name string
		tbl  *catalog.Table
		info objstore.ObjectInfo
		want int
	}{
		{"lazy uncompressed", tableOf(lazy, comma, nil, "a int"), big, 10},
		{"small file", tableOf(lazy, comma, nil, "a int"), objstore.ObjectInfo{Location: "/d/x.csv", Size: 100}, 1},
		{"gzip", tableOf(lazy, comma, nil, "a int"), objstore.ObjectInfo{Location: "/d/x.csv.gz", Size: 10 << 20}, 1},
		{"zip", tableOf(lazy, comma, nil, "a int"), objstore.ObjectInfo{Location: "/d/x.zip", Size: 10 << 20}, 1},
		{"opencsv", tableOf(ocsv, nil, nil, "a int"), big, 1},
		{"footer", tableOf(lazy, comma, map[string]string{"skip.footer.line.count": "1"}, "a int"), big, 1},
	}
	for _, c := range cases {
		sp := Format{}.Split(c.tbl, c.info, 1<<20)
		if len(sp) != c.want {
			t.Errorf("%s: %d splits, want %d", c.name, len(sp), c.want)
		}
		var next int64
		for _, s := range sp {
			if len(sp) > 1 && (s.Offset != next || s.Length <= 0) {
				t.Errorf("%s: split %+v leaves a gap after %d", c.name, s, next)
			}
			next = s.Offset + s.Length
		}
	}
}

// TestSplitBoundaries cuts a small file at every byte and checks that the
// two ranges together hold every record once, with CRLF line ends and a
// header that only the first range skips.
func TestSplitBoundaries(t *testing.T) {
	in := "a,b\r\n1,x\r\n22,yy\r\n\r\n333,zzz\r\n4,w"
	st := newTestStore()
	st.blobs["/mem/s.csv"] = []byte(in)
	tbl := tableOf(lazy, comma, map[string]string{"skip.header.line.count": "1"}, "n int", "s string")
	want := "1|x\n22|yy\nNULL|NULL\n333|zzz\n4|w\n"
	for cut := 1; cut < len(in); cut++ {
		var got strings.Builder
		for _, sp := range []source.Split{{Offset: 0, Length: int64(cut)}, {Offset: int64(cut), Length: int64(len(in) - cut)}} {
			res, err := readAll(t, st, tbl, "/mem/s.csv", nil, sp, 2)
			if err != nil {
				t.Fatal(err)
			}
			got.WriteString(rowsString(res.rows))
		}
		if got.String() != want {
			t.Errorf("cut at %d: got\n%s", cut, got.String())
		}
	}
	// A range past 0 of a compressed file yields nothing; the first range
	// reads the whole file.
	st.blobs["/mem/s.gzdata"] = gzipBytes(t, []byte(in))
	n := int64(len(st.blobs["/mem/s.gzdata"]))
	var got strings.Builder
	for _, sp := range []source.Split{{Offset: 0, Length: n / 2}, {Offset: n / 2, Length: n - n/2}} {
		res, err := readAll(t, st, tbl, "/mem/s.gzdata", nil, sp, 0)
		if err != nil {
			t.Fatal(err)
		}
		got.WriteString(rowsString(res.rows))
	}
	if got.String() != want {
		t.Errorf("gzip without extension in ranges: got\n%s", got.String())
	}
}

func TestZstdCorpusFile(t *testing.T) {
	const path = corpusPath + "/zstd/lineitem1k.tbl.zst"
	st := newTestStore()
	res, err := readAll(t, st, lineitemTable(), path, []int{0, 4, 15}, source.Split{Length: -1}, 0)
	if err != nil {
		t.Skipf("zstd sample: %v", err)
	}
	if len(res.rows) != 1000 || strings.Join(res.rows[0], "|") != "1|17|egular courts above the" {
		t.Errorf("%d rows, first %q", len(res.rows), res.rows[0])
	}
	if res.stats.BytesDecompressed.Load() == 0 {
		t.Error("BytesDecompressed not counted")
	}
}
