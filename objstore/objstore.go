package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// ObjectInfo identifies one stored object as a listing saw it.
type ObjectInfo struct {
	// Location is the full address: an absolute local path ("/data/x.csv")
	// or a URI with a scheme ("s3://bucket/key").
	Location string
	Size     int64
	ModTime  time.Time
	// Version is a token that changes whenever the object's bytes change:
	// the S3 ETag (and VersionId where present); for local files device,
	// inode, size and mtime in nanoseconds. Empty when no reliable token exists.
	Version string
}

// File is an open object that supports concurrent ranged reads.
type File interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// Store lists and reads objects under one scheme.
type Store interface {
	// List returns every object under location, recursively, sorted by
	// Location. A location that names a single object lists that object.
	// A location that does not exist is an error wrapping ErrNotFound.
	List(ctx context.Context, location string) ([]ObjectInfo, error)
	// ListDir returns the immediate children of a folder: objects and, as
	// prefixes ending in "/", sub-folders. It is what partition discovery
	// walks level by level.
	ListDir(ctx context.Context, location string) (objects []ObjectInfo, prefixes []string, err error)
	// Stat describes one object.
	Stat(ctx context.Context, location string) (ObjectInfo, error)
	// Open prepares ranged reads of an object.
	Open(ctx context.Context, info ObjectInfo) (File, error)
	// NewReader streams length bytes from offset (length < 0: to the end).
	NewReader(ctx context.Context, info ObjectInfo, offset, length int64) (io.ReadCloser, error)
}

// ErrNotFound reports a missing object, folder or bucket.
var ErrNotFound = errors.New("not found")

// Error carries the location an operation failed on.
type Error struct {
	Op       string // "list", "read", "stat"
	Location string
	Err      error
}

func (e *Error) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.Location, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Scheme returns the scheme of a location ("s3", "file"); plain paths are "file".
func Scheme(location string) string {
	if i := strings.Index(location, "://"); i > 0 {
		return strings.ToLower(location[:i])
	}
	return "file"
}

// Resolver maps location schemes to stores. The engine registers the
// concrete stores; lower layers only see this type.
type Resolver struct {
	mu     sync.RWMutex
	stores map[string]Store
}

// NewResolver returns an empty resolver.
func NewResolver() *Resolver { return &Resolver{stores: map[string]Store{}} }

// Register installs the store for a scheme (e.g. "file", "s3", "s3a").
func (r *Resolver) Register(scheme string, s Store) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stores[scheme] = s
}

// For returns the store that serves location.
func (r *Resolver) For(location string) (Store, error) {
	sch := Scheme(location)
	r.mu.RLock()
	defer r.mu.RUnlock()
	if s, ok := r.stores[sch]; ok {
		return s, nil
	}
	return nil, fmt.Errorf("unsupported location scheme %q in %q", sch, location)
}
