package tpch

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestGenerateLarge measures generation speed; it runs only when QUARRY_GEN_TPCH_SF is set, with formats from
// QUARRY_GEN_TPCH_FORMATS (comma-separated, default parquet), into QUARRY_GEN_OUT or a temporary folder.
func TestGenerateLarge(t *testing.T) {
	sf, _ := strconv.ParseFloat(os.Getenv("QUARRY_GEN_TPCH_SF"), 64)
	if sf <= 0 {
		t.Skip("set QUARRY_GEN_TPCH_SF to run")
	}
	formats := []string{"parquet"}
	if f := os.Getenv("QUARRY_GEN_TPCH_FORMATS"); f != "" {
		formats = strings.Split(f, ",")
	}
	out := os.Getenv("QUARRY_GEN_OUT")
	if out == "" {
		out = t.TempDir()
	}
	start := time.Now()
	res, err := Generate(context.Background(), Options{Out: out, SF: sf, Formats: formats, Compression: os.Getenv("QUARRY_GEN_TPCH_CODEC")})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	for _, tr := range res.Tables {
		t.Logf("%-8s %-9s %9d rows %4d files %12d bytes", tr.Format, tr.Table, tr.Rows, tr.Files, tr.Bytes)
	}
	t.Logf("SF %g %v: %d bytes in %v", sf, formats, res.Bytes, el)
}
