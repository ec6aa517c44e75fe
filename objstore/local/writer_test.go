package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/quarry-sql/quarry/objstore"
)

func create(t *testing.T, w objstore.Writer, loc, body string) {
	t.Helper()
	f, err := w.Create(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriterCreateRenameDelete(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	var w objstore.Writer = NewWriter()
	stage := filepath.Join(root, ".staging", "a", "x.parquet")
	create(t, w, stage, "hello")
	if b, _ := os.ReadFile(stage); string(b) != "hello" {
		t.Fatalf("staged content %q", b)
	}
	if _, err := w.Create(ctx, stage); !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("Create over an existing file: %v, want ErrExists", err)
	}

	final := "file://" + filepath.Join(root, "k=v", "x.parquet")
	if err := w.Rename(ctx, stage, final); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stage); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("source still there after Rename: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "k=v", "x.parquet")); string(b) != "hello" {
		t.Fatalf("renamed content %q", b)
	}

	// Never overwrite: the target keeps its bytes and the source stays.
	create(t, w, stage, "other")
	err := w.Rename(ctx, stage, final)
	if !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("Rename onto an existing file: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "k=v", "x.parquet")); string(b) != "hello" {
		t.Fatalf("target overwritten: %q", b)
	}
	if err := w.Rename(ctx, filepath.Join(root, "missing"), filepath.Join(root, "y")); !errors.Is(err, objstore.ErrNotFound) {
		t.Fatalf("Rename of a missing file: %v, want ErrNotFound", err)
	}

	if err := w.DeleteAll(ctx, filepath.Join(root, ".staging")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".staging")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("staging folder survived DeleteAll: %v", err)
	}
	if err := w.DeleteAll(ctx, filepath.Join(root, "never")); err != nil {
		t.Fatalf("DeleteAll of a missing folder: %v", err)
	}
	if err := w.DeleteAll(ctx, "relative/path"); err == nil {
		t.Fatal("DeleteAll accepted a relative path")
	}
}

func TestWriterAbort(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	w := NewWriter()
	p := filepath.Join(root, "d", "f")
	f, err := w.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("partial"))
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("aborted file still there: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("Close after Abort: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := w.Create(cctx, filepath.Join(root, "g")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Create with a cancelled context: %v", err)
	}
}

// TestWriterDiskFull writes to /dev/full, whose writes fail with ENOSPC,
// to check that the error surfaces with the location.
func TestWriterDiskFull(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	w := &fileWriter{f: f, path: "/dev/full-not-removed", location: "/t/x.parquet"}
	if _, err := w.Write(make([]byte, 1<<16)); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write to a full disk: %v", err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close after a failed write succeeded")
	}
	f.Close()
}
