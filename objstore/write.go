package objstore

import (
	"context"
	"errors"
	"io"
)

// ErrExists reports that a write would replace an existing object, which
// Writer never does.
var ErrExists = errors.New("already exists")

// ObjectWriter streams the bytes of one new object. Close makes the object
// complete at the location Create was given (on S3: the upload is
// finished); Abort discards it and whatever was uploaded so far. After a
// failed Write or Close the caller must still call Abort. Abort after a
// successful Close is a no-op; both are idempotent.
type ObjectWriter interface {
	io.Writer
	Close() error
	Abort() error
}

// Writer creates, publishes and deletes objects under one scheme. It is
// the write half of a Store: a concrete store that can write implements
// both, and callers find it with a type assertion on the Store.
//
// The contract is shaped for staged, all-or-nothing writes: objects are
// created under a hidden staging prefix, then published one by one with
// Rename, which never replaces an existing object; DeleteAll removes the
// staging prefix afterwards or after a failure.
type Writer interface {
	// Create starts a new object at location, creating parent folders
	// where the store has them. An object already at location is an error
	// wrapping ErrExists.
	Create(ctx context.Context, location string) (ObjectWriter, error)
	// Rename moves the object at from to to, failing with an error
	// wrapping ErrExists when an object is already at to. Locally it is
	// atomic (a hard link, then removal of from). On S3 it is a
	// server-side copy conditional on the target not existing
	// (If-None-Match: *), then a delete of from; see the s3 package for
	// servers that ignore the condition.
	Rename(ctx context.Context, from, to string) error
	// DeleteAll removes the object at location, or every object below
	// location when it is a folder. A location that does not exist is
	// not an error.
	DeleteAll(ctx context.Context, location string) error
}
