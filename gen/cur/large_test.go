package cur

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestGenerateLarge measures generation speed at benchmark scale; it runs only when QUARRY_GEN_CUR_BYTES is
// set (e.g. 1073741824), writing into QUARRY_GEN_OUT or a temporary folder.
func TestGenerateLarge(t *testing.T) {
	n, _ := strconv.ParseInt(os.Getenv("QUARRY_GEN_CUR_BYTES"), 10, 64)
	if n <= 0 {
		t.Skip("set QUARRY_GEN_CUR_BYTES to run")
	}
	out := os.Getenv("QUARRY_GEN_OUT")
	if out == "" {
		out = t.TempDir()
	}
	start := time.Now()
	res, err := Generate(context.Background(), Options{Out: out, TargetBytes: n, StaleAssembly: true})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("%d files, %d rows, %d bytes (%d gzipped) in %v: %.1f MB/s uncompressed",
		res.Files, res.Rows, res.Bytes, res.CompressedBytes, el, float64(res.Bytes)/el.Seconds()/1e6)
}
