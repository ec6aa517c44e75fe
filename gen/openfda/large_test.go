package openfda

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestGenerateLarge measures generation speed at benchmark scale; it runs only when QUARRY_GEN_FDA_REPORTS is
// set, writing into QUARRY_GEN_OUT or a temporary folder.
func TestGenerateLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("QUARRY_GEN_FDA_REPORTS"))
	if n <= 0 {
		t.Skip("set QUARRY_GEN_FDA_REPORTS to run")
	}
	out := os.Getenv("QUARRY_GEN_OUT")
	if out == "" {
		out = t.TempDir()
	}
	start := time.Now()
	res, err := Generate(context.Background(), Options{Out: out, Reports: n})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("%d files, %d reports, %d bytes (%d zipped) in %v: %.1f MB/s uncompressed",
		res.Files, res.Reports, res.Bytes, res.CompressedBytes, el, float64(res.Bytes)/el.Seconds()/1e6)
}
