package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/quarry-sql/quarry/objstore"
)

// testEndpoint returns the S3-compatible server that .ci/s3-server.sh
// started. Outside CI the tests skip without one; in CI its absence is a
// failure, so the S3 path can never silently go untested.
func testEndpoint(t *testing.T) string {
	t.Helper()
	ep := os.Getenv("QUARRY_TEST_S3_ENDPOINT")
	if ep == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("QUARRY_TEST_S3_ENDPOINT is unset in CI: source .ci/s3-server.sh first")
		}
		t.Skip("QUARRY_TEST_S3_ENDPOINT is unset; run `source .ci/s3-server.sh` to test against a real S3 server")
	}
	return ep
}

func newTestStore(t *testing.T, opts Options) *Store {
	t.Helper()
	opts.Endpoint = testEndpoint(t)
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = 200 * time.Millisecond
	}
	s, err := newStore(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newBucket(t *testing.T, s *Store) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "quarry-test-" + hex.EncodeToString(b[:])
	if _, err := s.client.CreateBucket(context.Background(), &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

func put(t *testing.T, s *Store, bucket string, objects map[string]string) {
	t.Helper()
	g := new(errgroup.Group)
	g.SetLimit(32)
	for k, v := range objects {
		g.Go(func() error {
			_, err := s.client.PutObject(context.Background(), &awss3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(k), Body: strings.NewReader(v),
			})
			if err != nil {
				return fmt.Errorf("put %s: %w", k, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

func locs(infos []objstore.ObjectInfo) string {
	var out []string
	for _, i := range infos {
		out = append(out, i.Location)
	}
	return strings.Join(out, ",")
}

func TestListAndStat(t *testing.T) {
	s := newTestStore(t, Options{})
	b := newBucket(t, s)
	put(t, s, b, map[string]string{
		"t/a.csv":                "1",
		"t/year=2024/m=1/x.csv":  "22",
		"t/year=2024/m=2/x.csv":  "333",
		"t/year=2025/m=1/x.csv":  "4444",
		"t/year=2025/m=1/y.csv":  "55555",
		"t2/only.csv":            "6",
		"t3/deep/er/still/f.csv": "7",
		"tx.csv":                 "8",
	})
	ctx := context.Background()
	root := "s3://" + b + "/"
	tests := []struct {
		name, location, want string
	}{
		{"folder", root + "t", "t/a.csv,t/year=2024/m=1/x.csv,t/year=2024/m=2/x.csv,t/year=2025/m=1/x.csv,t/year=2025/m=1/y.csv"},
		{"folder slash", root + "t/year=2025/", "t/year=2025/m=1/x.csv,t/year=2025/m=1/y.csv"},
		{"single object", root + "t/a.csv", "t/a.csv"},
		{"single-child chain", root + "t3", "t3/deep/er/still/f.csv"},
		{"bucket root", "s3://" + b, "t/a.csv,t/year=2024/m=1/x.csv,t/year=2024/m=2/x.csv,t/year=2025/m=1/x.csv,t/year=2025/m=1/y.csv,t2/only.csv,t3/deep/er/still/f.csv,tx.csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.List(ctx, tc.location)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, w := range strings.Split(tc.want, ",") {
				want = append(want, root+w)
			}
			if locs(got) != strings.Join(want, ",") {
				t.Fatalf("List(%s) =\n%s\nwant\n%s", tc.location, locs(got), strings.Join(want, ","))
			}
			for _, o := range got {
				if o.Version == "" || o.ModTime.IsZero() || o.Size == 0 {
					t.Errorf("incomplete info %+v", o)
				}
			}
		})
	}

	objs, prefixes, err := s.ListDir(ctx, root+"t")
	if err != nil {
		t.Fatal(err)
	}
	if locs(objs) != root+"t/a.csv" || strings.Join(prefixes, ",") != root+"t/year=2024/,"+root+"t/year=2025/" {
		t.Errorf("ListDir = %s / %v", locs(objs), prefixes)
	}

	st, err := s.Stat(ctx, root+"t/year=2025/m=1/y.csv")
	if err != nil {
		t.Fatal(err)
	}
	if st.Size != 5 || st.Version == "" {
		t.Errorf("Stat = %+v", st)
	}
	put(t, s, b, map[string]string{"t/year=2025/m=1/y.csv": "changed"})
	st2, err := s.Stat(ctx, root+"t/year=2025/m=1/y.csv")
	if err != nil {
		t.Fatal(err)
	}
	if st2.Version == st.Version {
		t.Errorf("version %q did not change after overwrite", st.Version)
	}

	// The scheme the caller used is kept.
	got, err := s.List(ctx, "s3a://"+b+"/t2")
	if err != nil || locs(got) != "s3a://"+b+"/t2/only.csv" {
		t.Errorf("s3a List = %s, %v", locs(got), err)
	}
}

func TestPagination(t *testing.T) {
	s := newTestStore(t, Options{PageSize: 97})
	b := newBucket(t, s)
	objects := map[string]string{}
	// 1100 keys flat (more than one default 1000-key page) plus a fan-out
	// of sub-folders so both List paths paginate.
	for i := 0; i < 1100; i++ {
		objects[fmt.Sprintf("flat/f%05d", i)] = "x"
	}
	for i := 0; i < 300; i++ {
		objects[fmt.Sprintf("tree/p=%02d/f%03d", i%7, i)] = "y"
	}
	put(t, s, b, objects)
	ctx := context.Background()
	for _, tc := range []struct {
		prefix string
		want   int
	}{{"flat", 1100}, {"tree", 300}} {
		got, err := s.List(ctx, "s3://"+b+"/"+tc.prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want {
			t.Fatalf("List(%s) returned %d objects, want %d", tc.prefix, len(got), tc.want)
		}
		seen := map[string]bool{}
		for i, o := range got {
			if seen[o.Location] {
				t.Fatalf("duplicate %s", o.Location)
			}
			seen[o.Location] = true
			if i > 0 && got[i-1].Location >= o.Location {
				t.Fatalf("not sorted at %d: %s >= %s", i, got[i-1].Location, o.Location)
			}
		}
	}
	objs, prefixes, err := s.ListDir(ctx, "s3://"+b+"/flat/")
	if err != nil || len(objs) != 1100 || len(prefixes) != 0 {
		t.Fatalf("ListDir flat: %d objects, %d prefixes, %v", len(objs), len(prefixes), err)
	}
	objs, prefixes, err = s.ListDir(ctx, "s3://"+b+"/tree")
	if err != nil || len(objs) != 0 || len(prefixes) != 7 {
		t.Fatalf("ListDir tree: %d objects, %v, %v", len(objs), prefixes, err)
	}
}

func TestRangedReads(t *testing.T) {
	s := newTestStore(t, Options{})
	b := newBucket(t, s)
	body := strings.Repeat("0123456789", 1000)
	put(t, s, b, map[string]string{"r/data.bin": body})
	ctx := context.Background()
	infos, err := s.List(ctx, "s3://"+b+"/r/data.bin")
	if err != nil {
		t.Fatal(err)
	}
	info := infos[0]
	for _, tc := range []struct{ off, n int64 }{{0, -1}, {0, 10}, {5, 3}, {9990, 100}, {9999, -1}, {10000, 5}, {12000, -1}, {123, 0}} {
		r, err := s.NewReader(ctx, info, tc.off, tc.n)
		if err != nil {
			t.Fatalf("NewReader(%d,%d): %v", tc.off, tc.n, err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		end := int64(len(body))
		if tc.n >= 0 && tc.off+tc.n < end {
			end = tc.off + tc.n
		}
		want := ""
		if tc.off < end {
			want = body[tc.off:end]
		}
		if err != nil || string(got) != want {
			t.Errorf("NewReader(%d,%d) = %d bytes, %v; want %d bytes", tc.off, tc.n, len(got), err, len(want))
		}
	}
	// Open without a version stats first.
	f, err := s.Open(ctx, objstore.ObjectInfo{Location: info.Location})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != int64(len(body)) {
		t.Fatalf("Size = %d", f.Size())
	}
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(off int64) {
			defer wg.Done()
			buf := make([]byte, 700)
			n, err := f.ReadAt(buf, off)
			if err != nil || string(buf[:n]) != body[off:off+700] {
				t.Errorf("ReadAt(%d) = %d, %v", off, n, err)
			}
		}(int64(i * 613))
	}
	wg.Wait()
	buf := make([]byte, 100)
	if n, err := f.ReadAt(buf, 9950); n != 50 || err != io.EOF || string(buf[:n]) != body[9950:] {
		t.Errorf("ReadAt at the tail = %d, %v", n, err)
	}
	if _, err := f.ReadAt(buf, 20000); err != io.EOF {
		t.Errorf("ReadAt past the end: %v", err)
	}

	// A read pinned to the listed version fails once the object changes.
	put(t, s, b, map[string]string{"r/data.bin": "replaced"})
	if _, err := s.NewReader(ctx, info, 0, 5); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("read of a replaced object: err = %v", err)
	}
}

func TestErrors(t *testing.T) {
	s := newTestStore(t, Options{MaxAttempts: 2})
	b := newBucket(t, s)
	put(t, s, b, map[string]string{"d/x.csv": "x"})
	ctx := context.Background()
	missingBucket := "s3://quarry-no-such-bucket-4711/k.csv"
	for _, tc := range []struct {
		name     string
		location string
		call     func(string) error
	}{
		{"list missing bucket", missingBucket, func(l string) error { _, err := s.List(ctx, l); return err }},
		{"listdir missing bucket", "s3://quarry-no-such-bucket-4711/d/", func(l string) error { _, _, err := s.ListDir(ctx, l); return err }},
		{"stat missing bucket", missingBucket, func(l string) error { _, err := s.Stat(ctx, l); return err }},
		{"stat missing key", "s3://" + b + "/d/nope.csv", func(l string) error { _, err := s.Stat(ctx, l); return err }},
		{"list missing key", "s3://" + b + "/nope", func(l string) error { _, err := s.List(ctx, l); return err }},
		{"listdir missing prefix", "s3://" + b + "/nope/", func(l string) error { _, _, err := s.ListDir(ctx, l); return err }},
		{"read missing key", "s3://" + b + "/d/nope.csv", func(l string) error {
			_, err := s.NewReader(ctx, objstore.ObjectInfo{Location: l, Size: 10, Version: "abc"}, 0, -1)
			return err
		}},
		{"open missing key", "s3://" + b + "/d/nope.csv", func(l string) error {
			_, err := s.Open(ctx, objstore.ObjectInfo{Location: l})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(tc.location)
			if !errors.Is(err, objstore.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			var oe *objstore.Error
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), tc.location) {
				t.Errorf("error %q does not name %s", err, tc.location)
			}
			t.Log(err)
			if strings.Contains(tc.name, "bucket") && !strings.Contains(err.Error(), "bucket \"quarry-no-such-bucket-4711\" does not exist") {
				t.Errorf("error %q does not say the bucket is missing", err)
			}
		})
	}

	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
	bad := newTestStore(t, Options{MaxAttempts: 1})
	_, err := bad.List(ctx, "s3://"+b+"/d")
	if err == nil || errors.Is(err, objstore.ErrNotFound) || !strings.Contains(err.Error(), "access denied") || !strings.Contains(err.Error(), "s3://"+b+"/d") {
		t.Errorf("wrong secret: err = %v", err)
	}
	t.Log(err)

	for _, l := range []string{"s3://", "gs://b/k", "s3:///key"} {
		if _, err := s.Stat(ctx, l); err == nil {
			t.Errorf("Stat(%q): want error", l)
		}
	}
}

// fakeS3 answers ListObjectsV2 and GetObject after failing the first
// requests, to test retries without a real server.
func TestRetriesAndResume(t *testing.T) {
	var listCalls, getCalls atomic.Int32
	data := bytes.Repeat([]byte("abcdefghij"), 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2" {
			if listCalls.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprint(w, `<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>`)
				return
			}
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix>p/</Prefix><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>`+
				`<Contents><Key>p/x.csv</Key><Size>1000</Size><ETag>"e1"</ETag><LastModified>2024-01-02T03:04:05.000Z</LastModified></Contents></ListBucketResult>`)
			return
		}
		if r.Method == http.MethodGet && r.URL.Path == "/b/p/x.csv" {
			var from, to int
			if _, err := fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-%d", &from, &to); err != nil {
				http.Error(w, "bad range", http.StatusBadRequest)
				return
			}
			n := getCalls.Add(1)
			if n == 1 {
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `<Error><Code>InternalError</Code><Message>oops</Message></Error>`)
				return
			}
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to, len(data)))
			w.Header().Set("ETag", `"e1"`)
			w.Header().Set("Content-Length", fmt.Sprint(to-from+1))
			w.WriteHeader(http.StatusPartialContent)
			part := data[from : to+1]
			if n == 2 {
				// Break the connection half-way through the body.
				w.Write(part[:len(part)/2])
				if hj, ok := w.(http.Hijacker); ok {
					if c, _, err := hj.Hijack(); err == nil {
						c.Close()
					}
				}
				return
			}
			w.Write(part)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "k")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	s, err := newStore(context.Background(), Options{Endpoint: srv.URL, MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := s.List(ctx, "s3://b/p/")
	if err != nil {
		t.Fatalf("List after two 503 SlowDown: %v", err)
	}
	if len(got) != 1 || got[0].Version != "e1" || got[0].Size != 1000 {
		t.Fatalf("List = %+v", got)
	}
	r, err := s.NewReader(ctx, got[0], 100, 800)
	if err != nil {
		t.Fatalf("NewReader after a 500: %v", err)
	}
	b, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(b, data[100:900]) {
		t.Fatalf("resumed read = %d bytes, %v", len(b), err)
	}
	if getCalls.Load() < 3 {
		t.Errorf("expected a retry and a resume, saw %d GETs", getCalls.Load())
	}
}
