package cur

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

var testNow = time.Date(2026, 11, 17, 9, 30, 0, 0, time.UTC)

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var lines []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return lines
}

func TestHeaderMatchesDDL(t *testing.T) {
	h := Header()
	if len(h) != 131 {
		t.Fatalf("header has %d columns, want 131", len(h))
	}
	for _, tc := range []struct {
		i    int
		want string
	}{
		{0, "identity/LineItemId"},
		{9, "lineItem/LineItemType"},
		{22, "lineItem/UnblendedCost"},
		{colIndex("product_usagetype"), "product/usagetype"},
		{128, "resourceTags/user:Name"},
		{129, "resourceTags/user:CostCategory"},
		{130, "resourceTags/user:customer-segment"},
	} {
		if h[tc.i] != tc.want {
			t.Errorf("header[%d] = %q, want %q", tc.i, h[tc.i], tc.want)
		}
	}
}

func TestGenerateLayoutAndManifest(t *testing.T) {
	out := t.TempDir()
	res, err := Generate(context.Background(), Options{
		Out: out, Report: "hourly", Months: 3, Now: testNow, RowsPerMonth: 3000, FilesPerMonth: 2,
		Seed: 7, StaleAssembly: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Manifests) != 3 {
		t.Fatalf("manifests = %d, want 3", len(res.Manifests))
	}
	wantPeriods := []string{"20260901-20261001", "20261001-20261101", "20261101-20261201"}
	var rows int64
	staleSeen := 0
	for i, mpath := range res.Manifests {
		if got := filepath.Base(filepath.Dir(mpath)); got != wantPeriods[i] {
			t.Errorf("manifest %d in %s, want %s", i, got, wantPeriods[i])
		}
		var m Manifest
		b, err := os.ReadFile(mpath)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", mpath, err)
		}
		if m.Compression != "GZIP" || m.ContentType != "text/csv" || len(m.Columns) != 131 || m.ReportName != "hourly" {
			t.Errorf("%s: unexpected manifest fields %+v", mpath, m)
		}
		if len(m.ReportKeys) != 2 {
			t.Fatalf("%s: %d report keys, want 2", mpath, len(m.ReportKeys))
		}
		// Every folder of the period is either the current assembly or a stale one.
		ents, _ := os.ReadDir(filepath.Dir(mpath))
		for _, e := range ents {
			if e.IsDir() && e.Name() != m.AssemblyID {
				staleSeen++
			}
		}
		for _, key := range m.ReportKeys {
			wantPrefix := "hourly/" + wantPeriods[i] + "/" + m.AssemblyID + "/hourly-"
			if !strings.HasPrefix(key, wantPrefix) || !strings.HasSuffix(key, ".csv.gz") {
				t.Errorf("key %q, want %s<n>.csv.gz", key, wantPrefix)
			}
			lines := readLines(t, filepath.Join(out, filepath.FromSlash(key)))
			if lines[0] != strings.Join(Header(), ",") {
				t.Errorf("%s: first line is not the header", key)
			}
			for n, l := range lines[1:] {
				fs := strings.Split(l, ",")
				if len(fs) != 131 {
					t.Fatalf("%s: line %d has %d fields, want 131", key, n+2, len(fs))
				}
				if strings.ContainsAny(l, "\"\\") {
					t.Fatalf("%s: line %d contains a quote or backslash: %s", key, n+2, l)
				}
				start, err := time.Parse(time.RFC3339, fs[cUsageStart])
				if err != nil {
					t.Fatalf("%s: line %d: usage start %q: %v", key, n+2, fs[cUsageStart], err)
				}
				if start.After(testNow) || start.Format("20060102") < wantPeriods[i][:8] {
					t.Fatalf("%s: line %d: usage start %s outside the period or after now", key, n+2, start)
				}
				if _, err := strconv.ParseFloat(fs[cUnblendedCost], 64); err != nil {
					t.Fatalf("%s: line %d: cost %q: %v", key, n+2, fs[cUnblendedCost], err)
				}
			}
			rows += int64(len(lines) - 1)
		}
	}
	if staleSeen != 1 || len(res.StaleFiles) != 2 {
		t.Errorf("stale assemblies = %d (files %d), want 1 (2 files)", staleSeen, len(res.StaleFiles))
	}
	var staleRows int64
	for _, p := range res.StaleFiles {
		staleRows += int64(len(readLines(t, p)) - 1)
	}
	if rows+staleRows != res.Rows {
		t.Errorf("rows in manifest files %d + stale %d != Result.Rows %d", rows, staleRows, res.Rows)
	}
	if res.Files != 8 {
		t.Errorf("Files = %d, want 8", res.Files)
	}
}

func TestGenerateValues(t *testing.T) {
	out := t.TempDir()
	res, err := Generate(context.Background(), Options{Out: out, Months: 2, Now: testNow, RowsPerMonth: 20000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	segments := map[string]int{}
	var dtIn, dtOut, dtRegional int
	var total, ri float64
	for _, m := range res.Manifests {
		var man Manifest
		b, _ := os.ReadFile(m)
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatal(err)
		}
		for _, k := range man.ReportKeys {
			for _, l := range readLines(t, filepath.Join(out, k))[1:] {
				fs := strings.Split(l, ",")
				types[fs[cLineItemType]]++
				segments[fs[cTagSegment]]++
				ut := fs[cProdUsageType]
				switch {
				case strings.Contains(ut, "DataTransfer-In"):
					dtIn++
				case strings.Contains(ut, "DataTransfer-Out"):
					dtOut++
				case strings.Contains(ut, "DataTransfer-Regional"):
					dtRegional++
				}
				c, _ := strconv.ParseFloat(fs[cUnblendedCost], 64)
				total += c
				switch fs[cLineItemType] {
				case "DiscountedUsage", "RIFee", "Fee":
					ri += c
				}
			}
		}
	}
	for _, typ := range []string{"Usage", "DiscountedUsage", "RIFee", "Fee", "Tax", "Credit", "SavingsPlanCoveredUsage"} {
		if types[typ] == 0 {
			t.Errorf("no %s line items (mix %v)", typ, types)
		}
	}
	for _, s := range []string{"enterprise", "smb", "startup", "internal", ""} {
		if segments[s] == 0 {
			t.Errorf("no rows with customer segment %q", s)
		}
	}
	if dtIn == 0 || dtOut == 0 || dtRegional == 0 {
		t.Errorf("data transfer rows in/out/regional = %d/%d/%d, want all > 0", dtIn, dtOut, dtRegional)
	}
	if share := ri / total; share < 0.1 || share > 0.6 {
		t.Errorf("RI share of spend = %.2f (ri %.2f, total %.2f), want 0.1-0.6", share, ri, total)
	}
	t.Logf("mix %v; total cost %.2f, RI share %.2f", types, total, ri/total)
}

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed int64) []byte {
		out := t.TempDir()
		res, err := Generate(context.Background(), Options{Out: out, Months: 1, Now: testNow, RowsPerMonth: 500, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var m Manifest
		b, _ := os.ReadFile(res.Manifests[0])
		_ = json.Unmarshal(b, &m)
		data, err := os.ReadFile(filepath.Join(out, m.ReportKeys[0]))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	a, b, c := gen(3), gen(3), gen(4)
	if !bytes.Equal(a, b) {
		t.Error("same seed produced different files")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds produced identical files")
	}
}

func TestGenerateTargetBytes(t *testing.T) {
	out := t.TempDir()
	const target = 4 << 20
	res, err := Generate(context.Background(), Options{Out: out, Months: 2, Now: testNow, TargetBytes: target})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bytes < target || res.Bytes > target+target/20 {
		t.Errorf("Bytes = %d, want about %d", res.Bytes, target)
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"no out", Options{}, "Out is empty"},
		{"negative", Options{Out: t.TempDir(), RowsPerMonth: -1}, "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
