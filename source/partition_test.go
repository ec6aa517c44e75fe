package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/quarry-sql/quarry/objstore/local"
	s3store "github.com/quarry-sql/quarry/objstore/s3"
)

func TestEscapePathName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024", "2024"},
		{"", DefaultPartitionName},
		{"a/b", "a%2Fb"},
		{"k=v", "k%3Dv"},
		{"50%", "50%25"},
		{"12:30:00", "12%3A30%3A00"},
		{"a b", "a b"},
		{"x#y?z*", "x%23y%3Fz%2A"},
		{"tab\there", "tab%09here"},
		{"ünïcode", "ünïcode"},
		{`q"'\{[]^`, "q%22%27%5C%7B%5B%5D%5E"},
	}
	for _, tc := range tests {
		if got := EscapePathName(tc.in); got != tc.want {
			t.Errorf("EscapePathName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.in != "" {
			if back := UnescapePathName(tc.want); back != tc.in {
				t.Errorf("UnescapePathName(%q) = %q, want %q", tc.want, back, tc.in)
			}
		}
	}
	for in, want := range map[string]string{"%": "%", "%2": "%2", "%zz": "%zz", "a%2fb": "a/b", "%41%": "A%"} {
		if got := UnescapePathName(in); got != want {
			t.Errorf("UnescapePathName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PartitionPath([]string{"year", "region"}, []string{"2024", "us/east"}); got != "year=2024/region=us%2Feast" {
		t.Errorf("PartitionPath = %q", got)
	}
}

func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscoverPartitions(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root,
		"year=2024/month=01",
		"year=2024/month=02",
		"YEAR=2025/month=01",               // key case differs: still a partition
		"year=2025/month=a%2Fb",            // escaped value
		"year=2023",                        // no month level: not a partition
		"year=2022/other=1",                // wrong key at level 2
		"month=01/year=2024",               // keys in the wrong order
		"_temporary/year=2024/month=03",    // hidden
		"backup",                           // not k=v
		"year=2024/month=02/extra=ignored", // below the last key: irrelevant
	)
	if err := os.WriteFile(filepath.Join(root, "year=2026"), []byte("a file, not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	parts, err := DiscoverPartitions(context.Background(), local.New(), root, []string{"year", "month"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range parts {
		got = append(got, strings.Join(p.Values, ",")+" @ "+strings.TrimPrefix(p.Location, root))
	}
	want := []string{
		"2024,01 @ /year=2024/month=01",
		"2024,02 @ /year=2024/month=02",
		"2025,01 @ /YEAR=2025/month=01",
		"2025,a/b @ /year=2025/month=a%2Fb",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("partitions =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	if _, err := DiscoverPartitions(context.Background(), local.New(), root+"/missing", []string{"year"}); err == nil || !strings.Contains(err.Error(), root+"/missing") {
		t.Errorf("missing location: err = %v", err)
	}
	parts, err = DiscoverPartitions(context.Background(), local.New(), root, nil)
	if err != nil || len(parts) != 0 {
		t.Errorf("no keys: %v, %v", parts, err)
	}
}

func TestDiscoverPartitions10k(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 10,000 folders")
	}
	root := t.TempDir()
	var wg sync.WaitGroup
	for a := 0; a < 100; a++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			top := filepath.Join(root, fmt.Sprintf("dt=2024-01-%03d", a))
			if err := os.Mkdir(top, 0o755); err != nil {
				t.Error(err)
				return
			}
			for b := 0; b < 100; b++ {
				if err := os.Mkdir(filepath.Join(top, fmt.Sprintf("hour=%02d", b)), 0o755); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	start := time.Now()
	parts, err := DiscoverPartitions(context.Background(), local.New(), root, []string{"dt", "hour"})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 10000 {
		t.Fatalf("found %d partitions, want 10000", len(parts))
	}
	if parts[0].Values[0] != "2024-01-000" || parts[0].Values[1] != "00" || parts[9999].Values[1] != "99" {
		t.Errorf("unexpected order: first %v last %v", parts[0].Values, parts[9999].Values)
	}
	t.Logf("discovered 10,000 partitions (100 x 100) in %v", elapsed)
	if elapsed > 10*time.Second {
		t.Errorf("discovery took %v", elapsed)
	}
}

// DiscoverPartitions over S3 runs when .ci/s3-server.sh has started a server.
func TestDiscoverPartitionsS3(t *testing.T) {
	ep := os.Getenv("QUARRY_TEST_S3_ENDPOINT")
	if ep == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("QUARRY_TEST_S3_ENDPOINT is unset in CI: source .ci/s3-server.sh first")
		}
		t.Skip("QUARRY_TEST_S3_ENDPOINT is unset")
	}
	ctx := context.Background()
	store, err := s3store.New(ctx, s3store.Options{Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		o.BaseEndpoint = aws.String(ep)
		o.UsePathStyle = true
		if o.Region == "" {
			o.Region = "us-east-1"
		}
	})
	bucket := fmt.Sprintf("quarry-parts-%d", time.Now().UnixNano())
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for y := 2020; y < 2023; y++ {
		for m := 1; m <= 12; m++ {
			keys = append(keys, fmt.Sprintf("t/year=%d/month=%02d/part-0.csv", y, m))
		}
	}
	keys = append(keys, "t/year=2024/month=a%2Fb/x.csv", "t/_tmp/year=1/month=1/x.csv", "t/year=2023/notmonth=1/x.csv")
	for _, k := range keys {
		if _, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
	}
	parts, err := DiscoverPartitions(ctx, store, "s3://"+bucket+"/t", []string{"year", "month"})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 37 {
		t.Fatalf("found %d partitions, want 37: %v", len(parts), parts)
	}
	last := parts[len(parts)-1]
	if strings.Join(last.Values, ",") != "2024,a/b" || last.Location != "s3://"+bucket+"/t/year=2024/month=a%2Fb" {
		t.Errorf("last partition %+v", last)
	}
	if parts[0].Location != "s3://"+bucket+"/t/year=2020/month=01" {
		t.Errorf("first partition %+v", parts[0])
	}
}
