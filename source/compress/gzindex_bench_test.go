package compress

import (
	"bytes"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
)

var (
	benchOnce sync.Once
	benchText []byte
	benchGz   []byte
)

// benchData is ~400 MB of CSV-like text (numbers, dates, words) and its
// gzip (level 6) stream.
func benchData() ([]byte, []byte) {
	benchOnce.Do(func() {
		words := []string{"furiously", "quickly", "carefully", "blithely", "slyly", "final", "ironic", "pending",
			"regular", "express", "deposits", "accounts", "packages", "requests", "AIR", "MAIL", "TRUCK"}
		rng := rand.New(rand.NewPCG(9, 9))
		b := make([]byte, 0, 400<<20+256)
		for i := int64(0); len(b) < 400<<20; i++ {
			b = strconv.AppendInt(b, i, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(rng.IntN(200000)), 10)
			b = append(b, ',')
			b = strconv.AppendFloat(b, float64(rng.IntN(10000000))/100, 'f', 2, 64)
			b = append(b, ",199"...)
			b = append(b, byte('2'+rng.IntN(7)), '-', '0', byte('1'+rng.IntN(9)), '-', byte('1'+rng.IntN(2)), byte('0'+rng.IntN(10)), ',')
			for w := range 2 + rng.IntN(4) {
				if w > 0 {
					b = append(b, ' ')
				}
				b = append(b, words[rng.IntN(len(words))]...)
			}
			b = append(b, '\n')
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, 6)
		w.Write(b)
		w.Close()
		benchText, benchGz = b, buf.Bytes()
	})
	return benchText, benchGz
}

// BenchmarkGzipInflate inflates one ~400 MB stream: with gzip.Reader, with
// this package's reader (with and without recording an index), and as
// index intervals on GOMAXPROCS goroutines.
func BenchmarkGzipInflate(b *testing.B) {
	text, gz := benchData()
	b.Logf("%d MB of text, %d MB gzip, GOMAXPROCS %d", len(text)>>20, len(gz)>>20, runtime.GOMAXPROCS(0))
	b.Run("gzip.Reader", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			zr, _ := gzip.NewReader(bytes.NewReader(gz))
			if _, err := io.Copy(io.Discard, zr); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sequential", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if _, err := io.Copy(io.Discard, NewGzipReader(bytes.NewReader(gz), nil)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("indexing", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			// Inflating with the block-end callback and window copies;
			// tying points to records is the parser's (one atomic load
			// per record).
			if _, err := io.Copy(io.Discard, NewGzipReader(bytes.NewReader(gz), NewIndexBuilder(16<<20))); err != nil {
				b.Fatal(err)
			}
		}
	})
	_, ix := buildIndex(b, gz, 16<<20)
	b.Logf("%d points", len(ix.Points))
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			work := make(chan int, len(ix.Points))
			for i := range ix.Points {
				work <- i
			}
			close(work)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for i := range work {
						end := ix.Size
						if i+1 < len(ix.Points) {
							end = ix.Points[i+1].Record
						}
						r, err := NewGzipRange(openBytes(gz, nil), ix, ix.Points[i].Record, end-ix.Points[i].Record)
						if err != nil {
							b.Error(err)
							return
						}
						if _, err := io.Copy(io.Discard, r); err != nil {
							b.Error(err)
						}
						r.Close()
					}
				})
			}
			wg.Wait()
		}
	})
}
