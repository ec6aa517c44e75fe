package sink

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/objstore/s3"
	"github.com/quarry-sql/quarry/types"
)

// s3Store returns a store on the test server with a fresh bucket; the
// tests skip without a server outside CI, as objstore/s3's do.
func s3Store(t *testing.T) (*s3.Store, string) {
	t.Helper()
	ep := os.Getenv("QUARRY_TEST_S3_ENDPOINT")
	if ep == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("QUARRY_TEST_S3_ENDPOINT is unset in CI: source .ci/s3-server.sh first")
		}
		t.Skip("QUARRY_TEST_S3_ENDPOINT is unset; run `source .ci/s3-server.sh` to test against a real S3 server")
	}
	ctx := context.Background()
	st, err := s3.NewWriter(ctx, s3.Options{Endpoint: ep, MaxBackoff: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	bucket := "quarry-sink-" + hex.EncodeToString(b[:])
	// Creating a bucket is not part of the Store API: put an object with
	// the S3 API through a bucket-creating helper request.
	if err := createBucket(ctx, ep, bucket); err != nil {
		t.Fatal(err)
	}
	return st, bucket
}

func TestS3PartitionedParquetAndAbort(t *testing.T) {
	st, bucket := s3Store(t)
	ctx := context.Background()
	root := "s3://" + bucket + "/warehouse/t"
	all := append(append([]types.Column(nil), allTypes...), partKeys...)
	gen := func(c, i int) any {
		if c < len(allTypes) {
			return genAll(c, i)
		}
		return genPart(c-len(allTypes)+2, i)
	}
	opts := Options{Store: st, Writer: st, Location: root, Columns: allTypes, PartitionKeys: partKeys, QueryID: "q_s3"}
	w, err := NewWriter(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	var written []arrow.Record
	for start := 0; start < 4000; start += 1000 {
		rec := makeRecord(memory.DefaultAllocator, all, start, 1000, gen)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		written = append(written, rec)
	}
	files, parts, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 13 || len(files) != 13 {
		t.Fatalf("%d partitions, %d files", len(parts), len(files))
	}
	if rec, err := Inspect(ctx, st, w.StagingLocation()); err != nil || rec.Journal == nil || !rec.Published || len(rec.Journal.Files) != 13 {
		t.Fatalf("journal after commit: %+v, %v", rec, err)
	}
	w.Done(ctx)
	objs, err := st.List(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if strings.Contains(o.Location, StagingPrefix) {
			t.Fatalf("staging object left after commit: %s", o.Location)
		}
	}
	tbl := tableFor(opts)
	var got []arrow.Record
	for _, p := range parts {
		recs, _ := readTable(t, st, tbl, p.Location)
		got = append(got, recs...)
	}
	diffRows(t, sortedRows(got), sortedRows(project(written, len(allTypes))))
	release(got)

	// A second write that fails half-way leaves the table as it was.
	w2, err := NewWriter(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range written[:2] {
		if err := w2.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w2.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := st.List(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if locs(after) != locs(objs) {
		t.Fatalf("aborted write changed the table:\n%v\n%v", locs(after), locs(objs))
	}
	release(written)
}

func TestS3CancelledWriteAndCleanup(t *testing.T) {
	st, bucket := s3Store(t)
	root := "s3://" + bucket + "/t"
	ctx, cancel := context.WithCancel(context.Background())
	w, err := NewWriter(ctx, Options{Store: st, Writer: st, Location: root, Columns: allTypes, QueryID: "q"})
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(memory.DefaultAllocator, allTypes, 0, 3000, genAll)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := w.Write(rec); !errors.Is(err, context.Canceled) {
		t.Fatalf("write after cancel: %v", err)
	}
	bg := context.Background()
	recs, files := readTable(t, st, tableFor(Options{Location: root, Columns: allTypes}), root)
	release(recs)
	if len(files) != 0 {
		t.Fatalf("visible after cancel: %v", files)
	}
	w.Abort(bg)

	// A killed writer: files finished in staging, no Commit, no Abort.
	// Nothing is visible; CleanupStale (olderThan 0) removes the objects.
	w, err = NewWriter(bg, Options{Store: st, Writer: st, Location: root, Columns: allTypes, QueryID: "q"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	for _, p := range w.parts {
		for _, f := range p.idle {
			if err := w.finish(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if objs, err := st.List(bg, root); err != nil || len(objs) != 1 {
		t.Fatalf("staged objects: %v %v", locs(objs), err)
	}
	recs, files = readTable(t, st, tableFor(Options{Location: root, Columns: allTypes}), root)
	release(recs)
	if len(files) != 0 {
		t.Fatalf("visible: %v", files)
	}
	removed, err := CleanupStale(bg, st, st, root, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 {
		t.Fatalf("CleanupStale removed %v", removed)
	}
	if objs, err := st.List(bg, root); err == nil && len(objs) != 0 {
		t.Fatalf("left: %v", locs(objs))
	}
}

func locs(objs []objstore.ObjectInfo) string {
	var s []string
	for _, o := range objs {
		s = append(s, o.Location)
	}
	return strings.Join(s, "\n")
}

func createBucket(ctx context.Context, endpoint, bucket string) error {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	c := awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	_, err = c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(bucket)})
	return err
}
