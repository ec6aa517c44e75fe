package s3

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/quarry-sql/quarry/objstore"
)

func readObject(t *testing.T, s *Store, location string) []byte {
	t.Helper()
	r, err := s.NewReader(context.Background(), objstore.ObjectInfo{Location: location}, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeObject(t *testing.T, s *Store, location string, body []byte) {
	t.Helper()
	w, err := s.Create(context.Background(), location)
	if err != nil {
		t.Fatal(err)
	}
	// Odd-sized writes cross part boundaries.
	for len(body) > 0 {
		n := min(len(body), 777_777)
		if _, err := w.Write(body[:n]); err != nil {
			t.Fatal(err)
		}
		body = body[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/1000)
	}
	return b
}

func TestWriterSmallAndMultipart(t *testing.T) {
	s := newTestStore(t, Options{})
	b := newBucket(t, s)
	old := uploadPartSize
	uploadPartSize = 5 << 20
	defer func() { uploadPartSize = old }()
	for _, size := range []int{0, 1, 100_000, 5 << 20, 12<<20 + 3} {
		loc := "s3://" + b + "/t/obj-" + string(rune('a'+size%26))
		body := pattern(size)
		writeObject(t, s, loc, body)
		if got := readObject(t, s, loc); !bytes.Equal(got, body) {
			t.Fatalf("size %d: read back %d bytes that differ", size, len(got))
		}
		if err := s.DeleteAll(context.Background(), loc); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriterRenameNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, Options{})
	b := newBucket(t, s)
	root := "s3://" + b + "/tbl/"
	// Hive-escaped partition folders carry '%', '=' and spaces.
	stage := root + ".quarry-staging-q1/p=a%2Fb c/f 1.parquet"
	final := root + "p=a%2Fb c/f 1.parquet"
	writeObject(t, s, stage, []byte("one"))
	if _, err := s.Create(ctx, stage); err != nil {
		t.Fatal(err)
	}
	if err := s.Rename(ctx, stage, final); err != nil {
		t.Fatal(err)
	}
	if got := readObject(t, s, final); string(got) != "one" {
		t.Fatalf("renamed object holds %q", got)
	}
	if _, err := s.Stat(ctx, stage); !errors.Is(err, objstore.ErrNotFound) {
		t.Fatalf("source still there after Rename: %v", err)
	}
	writeObject(t, s, stage, []byte("two"))
	if err := s.Rename(ctx, stage, final); !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("Rename onto an existing object: %v, want ErrExists", err)
	}
	if got := readObject(t, s, final); string(got) != "one" {
		t.Fatalf("target overwritten: %q", got)
	}
	// Create over an existing object: refused where If-None-Match is honoured.
	w, err := s.Create(ctx, final)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("three"))
	if err := w.Close(); err == nil {
		t.Log("server ignores If-None-Match on PutObject")
	} else if !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("Create over an existing object: %v, want ErrExists", err)
	}
	if got := readObject(t, s, final); string(got) != "one" && string(got) != "three" {
		t.Fatalf("unexpected content %q", got)
	}

	if err := s.DeleteAll(ctx, root+".quarry-staging-q1"); err != nil {
		t.Fatal(err)
	}
	objs, err := s.List(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || objs[0].Location != final {
		t.Fatalf("after DeleteAll of staging: %v", locs(objs))
	}
	if err := s.DeleteAll(ctx, root+"never-written/"); err != nil {
		t.Fatalf("DeleteAll of an empty prefix: %v", err)
	}
	if err := s.DeleteAll(ctx, "s3://"+b); err == nil {
		t.Fatal("DeleteAll of a whole bucket was accepted")
	}
}

func TestWriterAbortLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, Options{})
	b := newBucket(t, s)
	old := uploadPartSize
	uploadPartSize = 5 << 20
	defer func() { uploadPartSize = old }()

	loc := "s3://" + b + "/t/big"
	w, err := s.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(pattern(11 << 20)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, loc); !errors.Is(err, objstore.ErrNotFound) {
		t.Fatalf("aborted object visible: %v", err)
	}
	ups, err := s.client.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: aws.String(b)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Fatalf("%d multipart uploads left after Abort", len(ups.Uploads))
	}

	// A cancelled context fails the upload; nothing becomes visible, and
	// DeleteAll (as a later cleanup) removes the unfinished upload.
	cctx, cancel := context.WithCancel(ctx)
	w, err = s.Create(cctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(pattern(6 << 20)); err != nil {
		t.Fatal(err)
	}
	cancel()
	_, werr := w.Write(pattern(6 << 20))
	cerr := w.Close()
	if werr == nil && cerr == nil {
		t.Fatal("upload with a cancelled context succeeded")
	}
	if _, err := s.Stat(ctx, loc); !errors.Is(err, objstore.ErrNotFound) {
		t.Fatalf("cancelled object visible: %v", err)
	}
	if err := s.DeleteAll(ctx, "s3://"+b+"/t/"); err != nil {
		t.Fatal(err)
	}
	ups, err = s.client.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: aws.String(b)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Fatalf("%d multipart uploads left after DeleteAll", len(ups.Uploads))
	}
	w.Abort()
}

func TestCopySource(t *testing.T) {
	if got, want := copySource("b", "t/p=a%2Fb c/x+y.parquet"), "b/t/p%3Da%252Fb%20c/x%2By.parquet"; got != want {
		t.Fatalf("copySource = %q, want %q", got, want)
	}
}

// TestCopyIfNoneMatch reports whether the server honours the condition
// Rename relies on beyond its HeadObject check.
func TestCopyIfNoneMatch(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, Options{})
	b := newBucket(t, s)
	writeObject(t, s, "s3://"+b+"/a", []byte("a"))
	writeObject(t, s, "s3://"+b+"/b", []byte("b"))
	_, err := s.client.CopyObject(ctx, &awss3.CopyObjectInput{
		Bucket: aws.String(b), Key: aws.String("b"), CopySource: aws.String(copySource(b, "a")), IfNoneMatch: aws.String("*"),
	})
	if err == nil {
		t.Log("server ignores If-None-Match on CopyObject: Rename relies on its HeadObject check")
		return
	}
	if !isPreconditionFailed(err) {
		t.Fatalf("conditional copy onto an existing key: %v", err)
	}
}
