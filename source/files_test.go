package source

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore/local"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const curManifest1 = `{
  "assemblyId": "bbbb-2222",
  "account": "123456789012",
  "columns": [{"category": "identity", "name": "LineItemId"}],
  "charset": "UTF-8",
  "compression": "GZIP",
  "contentType": "text/csv",
  "reportId": "abc",
  "reportName": "cur",
  "billingPeriod": {"start": "20240101T000000.000Z", "end": "20240201T000000.000Z"},
  "bucket": "billing-bucket",
  "reportKeys": [
    "reports/cur/20240101-20240201/bbbb-2222/cur-00001.csv.gz",
    "reports/cur/20240101-20240201/bbbb-2222/cur-00002.csv.gz"
  ]
}`

func TestListTableFiles(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		// plain CSV table content
		"csv/a.csv":                    "x",
		"csv/b.csv.gz":                 "x",
		"csv/noext":                    "x",
		"csv/sub/c.tsv":                "x",
		"csv/_SUCCESS":                 "",
		"csv/.a.csv.crc":               "x",
		"csv/_temporary/0/d.csv":       "x",
		"csv/.hive-staging/e.csv":      "x",
		"csv/data.json":                "{}",
		"csv/part-0.snappy.parquet":    "PAR1",
		"csv/notes.crc":                "x",
		"csv/sub_$folder$":             "",
		"csv/README.md":                "x", // unknown extension: read
		"csv/x.csv.bz2":                "x",
		"csv/y.weird.zip":              "x",
		"csv/z.json.gz":                "x",
		"csv/year=2024/month=1/f.csv":  "x",
		"csv/year=2024/month=1/_f.csv": "x",

		// CUR: two assemblies of January, a manifest naming the second;
		// February in overwrite mode (files beside the manifest);
		// March without a manifest (all files read).
		"cur/cur/20240101-20240201/cur-Manifest.json":            curManifest1,
		"cur/cur/20240101-20240201/aaaa-1111/cur-00001.csv.gz":   "old",
		"cur/cur/20240101-20240201/aaaa-1111/cur-Manifest.json":  `{"assemblyId":"aaaa-1111"}`,
		"cur/cur/20240101-20240201/bbbb-2222/cur-00001.csv.gz":   "new",
		"cur/cur/20240101-20240201/bbbb-2222/cur-00002.csv.gz":   "new",
		"cur/cur/20240101-20240201/bbbb-2222/cur-00003.csv.gz":   "not in manifest",
		"cur/cur/20240201-20240301/cur-Manifest.json":            `{"assemblyId":"cccc","reportKeys":["p/cur/20240201-20240301/cur-1.csv.gz"]}`,
		"cur/cur/20240201-20240301/cur-1.csv.gz":                 "x",
		"cur/cur/20240201-20240301/cur-2.csv.gz":                 "stale",
		"cur/cur/20240301-20240401/dddd/cur-1.csv.gz":            "x",
		"cur/cur/20240301-20240401/eeee/cur-1.csv.gz":            "x",
		"cur/cur/20240401-20240501/cur-Manifest.json":            `{"assemblyId":"ffff"}`,
		"cur/cur/20240401-20240501/ffff/cur-1.csv.gz":            "x",
		"cur/cur/20240401-20240501/gggg/cur-1.csv.gz":            "x",
		"badcur/r/20240101-20240201/r-Manifest.json":             `{"assemblyId":`,
		"badcur/r/20240101-20240201/a/r-1.csv.gz":                "x",
		"curperiod/20240101-20240201/cur-Manifest.json":          curManifest1,
		"curperiod/20240101-20240201/bbbb-2222/cur-00001.csv.gz": "x",
		"curperiod/20240101-20240201/aaaa-1111/cur-00001.csv.gz": "x",

		// parquet table content
		"pq/part-00000-abc.c000.snappy.parquet": "PAR1",
		"pq/000000_0":                           "PAR1",
		"pq/stray.csv":                          "x",
		"pq/stray.csv.gz":                       "x",
		"pq/stray.json":                         "x",
		"pq/schema.avro":                        "x",

		// json table content
		"js/a.json":          "{}",
		"js/b.jsonl.gz":      "{}",
		"js/c.json.zip":      "{}",
		"js/r-Manifest.json": "{}",
		"js/d.csv":           "x",
	})
	text := &catalog.Table{Format: catalog.FormatText, SerDe: catalog.LazySimpleSerDe}
	pq := &catalog.Table{Format: catalog.FormatParquet}
	js := &catalog.Table{Format: catalog.FormatText, SerDe: catalog.OpenXJSONSerDe}
	tests := []struct {
		name     string
		table    *catalog.Table
		location string
		want     []string
		wantErr  string
	}{
		{"csv", text, "csv", []string{"README.md", "a.csv", "b.csv.gz", "noext", "sub/c.tsv", "x.csv.bz2", "y.weird.zip", "year=2024/month=1/f.csv"}, ""},
		{"csv trailing slash", text, "csv/sub/", []string{"c.tsv"}, ""},
		{"single file", text, "csv/data.json", []string{""}, ""},
		{"cur", text, "cur", []string{
			"cur/20240101-20240201/bbbb-2222/cur-00001.csv.gz",
			"cur/20240101-20240201/bbbb-2222/cur-00002.csv.gz",
			"cur/20240201-20240301/cur-1.csv.gz",
			"cur/20240301-20240401/dddd/cur-1.csv.gz",
			"cur/20240301-20240401/eeee/cur-1.csv.gz",
			"cur/20240401-20240501/ffff/cur-1.csv.gz",
		}, ""},
		{"cur period as location", text, "curperiod/20240101-20240201", []string{"bbbb-2222/cur-00001.csv.gz"}, ""},
		{"bad manifest", text, "badcur", nil, "r-Manifest.json: not valid JSON"},
		{"parquet", pq, "pq", []string{"000000_0", "part-00000-abc.c000.snappy.parquet"}, ""},
		{"json", js, "js", []string{"a.json", "b.jsonl.gz", "c.json.zip", "r-Manifest.json"}, ""},
		{"missing", text, "nope", nil, "not found"},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc := root + "/" + tc.location
			var stats Stats
			got, err := ListTableFiles(ctx, local.New(), tc.table, loc, &stats)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rels []string
			for _, o := range got {
				rels = append(rels, strings.TrimPrefix(strings.TrimPrefix(o.Location, strings.TrimSuffix(loc, "/")), "/"))
			}
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if strings.Join(rels, "\n") != strings.Join(want, "\n") {
				t.Fatalf("files =\n%s\nwant\n%s", strings.Join(rels, "\n"), strings.Join(want, "\n"))
			}
			if listed, skipped := stats.FilesListed.Load(), stats.FilesSkipped.Load(); listed-skipped != int64(len(got)) || (tc.name != "single file" && tc.name != "csv trailing slash" && skipped == 0) {
				t.Errorf("stats: listed %d, skipped %d, returned %d", listed, skipped, len(got))
			}
		})
	}
	// nil stats are allowed.
	if _, err := ListTableFiles(ctx, local.New(), text, root+"/csv", nil); err != nil {
		t.Fatal(err)
	}
}

// TestCURManifestRefresh: a report refreshed in place (its manifest
// rewritten to name a new assembly) is listed anew at once, although
// manifests are memoized between listings: a rewrite has a new version.
func TestCURManifestRefresh(t *testing.T) {
	root := t.TempDir()
	manifest := func(id string) string { return `{"assemblyId":"` + id + `"}` }
	writeFiles(t, root, map[string]string{
		"r/20240101-20240201/r-Manifest.json": manifest("aaaa"),
		"r/20240101-20240201/aaaa/r-1.csv.gz": "x",
		"r/20240101-20240201/bbbb/r-1.csv.gz": "x",
	})
	store := local.New()
	text := &catalog.Table{Format: catalog.FormatText, SerDe: catalog.LazySimpleSerDe}
	list := func() string {
		t.Helper()
		got, err := ListTableFiles(context.Background(), store, text, root+"/r", nil)
		if err != nil {
			t.Fatal(err)
		}
		var rels []string
		for _, o := range got {
			rels = append(rels, strings.TrimPrefix(o.Location, root+"/r/"))
		}
		return strings.Join(rels, ",")
	}
	for range 2 { // the second from the memo
		if got, want := list(), "20240101-20240201/aaaa/r-1.csv.gz"; got != want {
			t.Fatalf("files = %s, want %s", got, want)
		}
	}
	// Same size, same second: only the version token tells them apart.
	p := filepath.Join(root, "r/20240101-20240201/r-Manifest.json")
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{"r/20240101-20240201/r-Manifest.json": manifest("bbbb")})
	if err := os.Chtimes(p, st.ModTime(), st.ModTime().Add(time.Nanosecond)); err != nil {
		t.Fatal(err)
	}
	if got, want := list(), "20240101-20240201/bbbb/r-1.csv.gz"; got != want {
		t.Fatalf("after the refresh: files = %s, want %s", got, want)
	}
}
