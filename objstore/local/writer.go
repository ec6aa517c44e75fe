package local

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/quarry-sql/quarry/objstore"
)

var _ objstore.Writer = Store{}

// NewWriter returns the local store with its write half; Store implements
// both objstore.Store and objstore.Writer.
func NewWriter() Store { return Store{} }

func wrapWrite(op, location string, err error) error {
	if errors.Is(err, fs.ErrExist) {
		return &objstore.Error{Op: op, Location: location, Err: objstore.ErrExists}
	}
	return wrap(op, location, err)
}

type fileWriter struct {
	f        *os.File
	path     string
	location string
	done     bool
	failed   bool
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		w.failed = true
		return n, wrapWrite("write", w.location, err)
	}
	return n, nil
}

// Close syncs the file to stable storage before reporting success, so a
// file that is later published by Rename survives a crash with its bytes.
func (w *fileWriter) Close() error {
	if w.done {
		return nil
	}
	if w.failed {
		return &objstore.Error{Op: "write", Location: w.location, Err: errors.New("close after a failed write")}
	}
	if err := w.f.Sync(); err != nil {
		w.failed = true
		return wrapWrite("write", w.location, err)
	}
	if err := w.f.Close(); err != nil {
		w.failed = true
		return wrapWrite("write", w.location, err)
	}
	w.done = true
	return nil
}

// Abort closes and removes the file unless Close succeeded.
func (w *fileWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	if err := os.Remove(w.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wrapWrite("delete", w.location, err)
	}
	return nil
}

// Create makes a new file (O_EXCL: an existing one is ErrExists) and its
// parent folders.
func (Store) Create(ctx context.Context, location string) (objstore.ObjectWriter, error) {
	if err := ctx.Err(); err != nil {
		return nil, &objstore.Error{Op: "create", Location: location, Err: err}
	}
	p, _, err := split("create", location)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, wrapWrite("create", location, err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, wrapWrite("create", location, err)
	}
	return &fileWriter{f: f, path: p, location: location}, nil
}

// Rename publishes from at to without ever replacing a file: link(2)
// fails with EEXIST when to exists, atomically, unlike rename(2). The
// source is removed afterwards; a crash in between leaves both names,
// which a cleanup of the staging folder resolves. File systems without
// hard links fall back to a check followed by rename(2), which can race
// with a concurrent writer of the same name.
func (Store) Rename(ctx context.Context, from, to string) error {
	if err := ctx.Err(); err != nil {
		return &objstore.Error{Op: "rename", Location: to, Err: err}
	}
	src, _, err := split("rename", from)
	if err != nil {
		return err
	}
	dst, _, err := split("rename", to)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return wrapWrite("rename", to, err)
	}
	err = os.Link(src, dst)
	switch {
	case err == nil:
		if err := os.Remove(src); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return wrapWrite("rename", from, err)
		}
		return nil
	case errors.Is(err, fs.ErrExist):
		return &objstore.Error{Op: "rename", Location: to, Err: objstore.ErrExists}
	case errors.Is(err, fs.ErrNotExist):
		return wrapWrite("rename", from, err)
	case errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EMLINK):
		if _, err := os.Lstat(dst); err == nil {
			return &objstore.Error{Op: "rename", Location: to, Err: objstore.ErrExists}
		}
		if err := os.Rename(src, dst); err != nil {
			return wrapWrite("rename", to, err)
		}
		return nil
	}
	return wrapWrite("rename", to, err)
}

// DeleteAll removes a file or a folder tree; a missing one is no error.
func (Store) DeleteAll(ctx context.Context, location string) error {
	if err := ctx.Err(); err != nil {
		return &objstore.Error{Op: "delete", Location: location, Err: err}
	}
	p, _, err := split("delete", location)
	if err != nil {
		return err
	}
	if p == "/" || filepath.Clean(p) == "/" {
		return &objstore.Error{Op: "delete", Location: location, Err: errors.New("refusing to delete the root folder")}
	}
	if err := os.RemoveAll(p); err != nil {
		return wrapWrite("delete", location, err)
	}
	return nil
}
