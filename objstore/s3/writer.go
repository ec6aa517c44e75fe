package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/quarry-sql/quarry/objstore"
)

// Write support. New returns a *Store, which implements objstore.Writer as
// well as objstore.Store; callers get it with a type assertion.
//
// Objects are uploaded with one PutObject when they are smaller than a
// part, otherwise as a multipart upload streamed part by part with a few
// parts in flight, so memory per open object is bounded by
// (uploadConcurrency+1) parts whatever the object's size.
//
// "Never overwrite": Create's final request (PutObject or
// CompleteMultipartUpload) and Rename's CopyObject carry If-None-Match: *,
// which Amazon S3 honours atomically. Rename also checks the target with
// HeadObject first, so a server that ignores the header still refuses a
// target that already exists; on such a server two writers racing for one
// new key may still both succeed (the later copy wins). Quarry's writers
// give every file a unique name, so that race needs two writers inventing
// the same name.

var _ objstore.Writer = (*Store)(nil)

// NewWriter is New for callers that want the write half without a type
// assertion.
func NewWriter(ctx context.Context, opts Options) (*Store, error) { return newStore(ctx, opts) }

var (
	// uploadPartSize is the size of multipart upload parts (S3 minimum:
	// 5 MiB except the last).
	uploadPartSize = 8 << 20
	// uploadConcurrency bounds the parts of one object in flight.
	uploadConcurrency = 4
	// maxCopySize is the largest object CopyObject copies in one request;
	// larger ones are copied in parts.
	maxCopySize  int64 = 5 << 30
	copyPartSize int64 = 512 << 20
)

// cleanupTimeout bounds aborts and deletes that run after the caller's
// context was cancelled.
const cleanupTimeout = 30 * time.Second

func isPreconditionFailed(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "PreconditionFailed" || ae.ErrorCode() == "ConditionalRequestConflict") {
		return true
	}
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusPreconditionFailed || re.HTTPStatusCode() == http.StatusConflict)
}

func wrapWrite(op, location, bucket string, err error) error {
	if isPreconditionFailed(err) {
		return &objstore.Error{Op: op, Location: location, Err: &sdkError{msg: "object already exists", kind: objstore.ErrExists, err: err}}
	}
	return wrap(op, location, bucket, err)
}

// Create starts an upload to location. The object appears only when Close
// succeeds; until then nothing is visible at location.
func (s *Store) Create(ctx context.Context, location string) (objstore.ObjectWriter, error) {
	l, err := parse("create", location)
	if err != nil {
		return nil, err
	}
	if l.key == "" || strings.HasSuffix(l.key, "/") {
		return nil, &objstore.Error{Op: "create", Location: location, Err: errors.New("names a folder, not an object")}
	}
	if err := ctx.Err(); err != nil {
		return nil, &objstore.Error{Op: "create", Location: location, Err: err}
	}
	return &upload{s: s, ctx: ctx, l: l, location: location, sem: make(chan struct{}, uploadConcurrency)}, nil
}

type upload struct {
	s        *Store
	ctx      context.Context
	l        loc
	location string
	buf      []byte
	id       string // multipart upload id, once started
	sem      chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	parts    []types.CompletedPart
	err      error // first failure of a part upload
	done     bool  // closed or aborted
	closed   bool  // closed successfully
}

func (u *upload) failed() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.err
}

func (u *upload) fail(err error) {
	u.mu.Lock()
	if u.err == nil {
		u.err = err
	}
	u.mu.Unlock()
}

func (u *upload) Write(p []byte) (int, error) {
	if u.done {
		return 0, &objstore.Error{Op: "write", Location: u.location, Err: errors.New("write after close")}
	}
	if err := u.failed(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		if u.buf == nil {
			u.buf = make([]byte, 0, min(uploadPartSize, max(len(p), 64<<10)))
		}
		k := min(len(p), uploadPartSize-len(u.buf))
		u.buf = append(u.buf, p[:k]...)
		p = p[k:]
		n += k
		if len(u.buf) >= uploadPartSize {
			if err := u.sendPart(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// sendPart uploads the buffer as the next part on a goroutine of its own,
// waiting while uploadConcurrency parts are in flight.
func (u *upload) sendPart() error {
	if u.id == "" {
		out, err := u.s.client.CreateMultipartUpload(u.ctx, &awss3.CreateMultipartUploadInput{
			Bucket: aws.String(u.l.bucket), Key: aws.String(u.l.key),
		})
		if err != nil {
			err = wrapWrite("write", u.location, u.l.bucket, err)
			u.fail(err)
			return err
		}
		u.id = aws.ToString(out.UploadId)
	}
	body := u.buf
	u.buf = nil
	num := int32(len(u.parts) + 1)
	u.parts = append(u.parts, types.CompletedPart{PartNumber: aws.Int32(num)})
	select {
	case u.sem <- struct{}{}:
	case <-u.ctx.Done():
		err := &objstore.Error{Op: "write", Location: u.location, Err: u.ctx.Err()}
		u.fail(err)
		return err
	}
	u.wg.Add(1)
	go func() {
		defer func() { <-u.sem; u.wg.Done() }()
		out, err := u.s.client.UploadPart(u.ctx, &awss3.UploadPartInput{
			Bucket: aws.String(u.l.bucket), Key: aws.String(u.l.key), UploadId: aws.String(u.id),
			PartNumber: aws.Int32(num), Body: bytes.NewReader(body),
		})
		if err != nil {
			u.fail(wrapWrite("write", u.location, u.l.bucket, fmt.Errorf("part %d: %w", num, err)))
			return
		}
		u.mu.Lock()
		u.parts[num-1].ETag = out.ETag
		u.mu.Unlock()
	}()
	return u.failed()
}

// Close finishes the object: one PutObject for a small object, or the last
// part and CompleteMultipartUpload. Both refuse to replace an existing
// object where the server honours If-None-Match.
func (u *upload) Close() error {
	if u.closed {
		return nil
	}
	if u.done {
		return &objstore.Error{Op: "write", Location: u.location, Err: errors.New("close after abort")}
	}
	if err := u.failed(); err != nil {
		return err
	}
	if u.id == "" {
		_, err := u.s.client.PutObject(u.ctx, &awss3.PutObjectInput{
			Bucket: aws.String(u.l.bucket), Key: aws.String(u.l.key), Body: bytes.NewReader(u.buf),
			ContentLength: aws.Int64(int64(len(u.buf))), IfNoneMatch: aws.String("*"),
		})
		if err != nil {
			err = wrapWrite("write", u.location, u.l.bucket, err)
			u.fail(err)
			return err
		}
		u.buf = nil
		u.done, u.closed = true, true
		return nil
	}
	if len(u.buf) > 0 {
		if err := u.sendPart(); err != nil {
			return err
		}
	}
	u.wg.Wait()
	if err := u.failed(); err != nil {
		return err
	}
	_, err := u.s.client.CompleteMultipartUpload(u.ctx, &awss3.CompleteMultipartUploadInput{
		Bucket: aws.String(u.l.bucket), Key: aws.String(u.l.key), UploadId: aws.String(u.id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts},
		IfNoneMatch:     aws.String("*"),
	})
	if err != nil {
		err = wrapWrite("write", u.location, u.l.bucket, err)
		u.fail(err)
		return err
	}
	u.done, u.closed = true, true
	return nil
}

// Abort drops the buffered bytes and aborts a started multipart upload, so
// no parts are left behind; it works after the caller's context ended.
func (u *upload) Abort() error {
	if u.closed {
		return nil
	}
	u.done = true
	u.buf = nil
	u.wg.Wait()
	if u.id == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(u.ctx), cleanupTimeout)
	defer cancel()
	_, err := u.s.client.AbortMultipartUpload(ctx, &awss3.AbortMultipartUploadInput{
		Bucket: aws.String(u.l.bucket), Key: aws.String(u.l.key), UploadId: aws.String(u.id),
	})
	u.id = ""
	if err != nil {
		var nsu *types.NoSuchUpload
		if errors.As(err, &nsu) {
			return nil
		}
		return wrap("abort", u.location, u.l.bucket, err)
	}
	return nil
}

// copySource is the x-amz-copy-source value: bucket/key with every byte
// outside the unreserved set percent-encoded, '/' kept.
func copySource(bucket, key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString(bucket)
	b.WriteByte('/')
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// Rename copies from to to, refusing an existing target, then deletes from.
func (s *Store) Rename(ctx context.Context, from, to string) error {
	src, err := parse("rename", from)
	if err != nil {
		return err
	}
	dst, err := parse("rename", to)
	if err != nil {
		return err
	}
	if dst.key == "" || strings.HasSuffix(dst.key, "/") {
		return &objstore.Error{Op: "rename", Location: to, Err: errors.New("names a folder, not an object")}
	}
	if _, err := s.Stat(ctx, to); err == nil {
		return &objstore.Error{Op: "rename", Location: to, Err: objstore.ErrExists}
	} else if !errors.Is(err, objstore.ErrNotFound) {
		return err
	}
	info, err := s.Stat(ctx, from)
	if err != nil {
		return err
	}
	if info.Size > maxCopySize {
		err = s.copyParts(ctx, src, dst, info, to)
	} else {
		in := &awss3.CopyObjectInput{
			Bucket: aws.String(dst.bucket), Key: aws.String(dst.key),
			CopySource:  aws.String(copySource(src.bucket, src.key)),
			IfNoneMatch: aws.String("*"),
		}
		if e := etag(info.Version); e != "" {
			in.CopySourceIfMatch = aws.String(e)
		}
		_, err = s.client.CopyObject(ctx, in)
		if err != nil {
			err = wrapWrite("rename", to, dst.bucket, err)
		}
	}
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(src.bucket), Key: aws.String(src.key)}); err != nil {
		return wrap("delete", from, src.bucket, err)
	}
	return nil
}

// copyParts copies an object larger than one CopyObject allows with a
// multipart upload of UploadPartCopy ranges.
func (s *Store) copyParts(ctx context.Context, src, dst loc, info objstore.ObjectInfo, to string) error {
	out, err := s.client.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: aws.String(dst.bucket), Key: aws.String(dst.key)})
	if err != nil {
		return wrapWrite("rename", to, dst.bucket, err)
	}
	id := out.UploadId
	abort := func() {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		s.client.AbortMultipartUpload(actx, &awss3.AbortMultipartUploadInput{Bucket: aws.String(dst.bucket), Key: aws.String(dst.key), UploadId: id})
	}
	var parts []types.CompletedPart
	for off, n := int64(0), int32(1); off < info.Size; off, n = off+copyPartSize, n+1 {
		end := min(off+copyPartSize, info.Size) - 1
		in := &awss3.UploadPartCopyInput{
			Bucket: aws.String(dst.bucket), Key: aws.String(dst.key), UploadId: id, PartNumber: aws.Int32(n),
			CopySource:      aws.String(copySource(src.bucket, src.key)),
			CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", off, end)),
		}
		if e := etag(info.Version); e != "" {
			in.CopySourceIfMatch = aws.String(e)
		}
		pc, err := s.client.UploadPartCopy(ctx, in)
		if err != nil {
			abort()
			return wrapWrite("rename", to, dst.bucket, err)
		}
		var et *string
		if pc.CopyPartResult != nil {
			et = pc.CopyPartResult.ETag
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: et})
	}
	_, err = s.client.CompleteMultipartUpload(ctx, &awss3.CompleteMultipartUploadInput{
		Bucket: aws.String(dst.bucket), Key: aws.String(dst.key), UploadId: id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}, IfNoneMatch: aws.String("*"),
	})
	if err != nil {
		abort()
		return wrapWrite("rename", to, dst.bucket, err)
	}
	return nil
}

// DeleteAll deletes the object at location and every object below it as a
// folder, and aborts unfinished multipart uploads there (left by a killed
// writer). It runs to completion even when ctx is cancelled, within
// cleanupTimeout per request, because it is how failed writes clean up.
func (s *Store) DeleteAll(ctx context.Context, location string) error {
	l, err := parse("delete", location)
	if err != nil {
		return err
	}
	if l.key == "" {
		return &objstore.Error{Op: "delete", Location: location, Err: errors.New("refusing to delete a whole bucket")}
	}
	ctx = context.WithoutCancel(ctx)
	rctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
	defer cancel()
	var keys []string
	if !strings.HasSuffix(l.key, "/") {
		keys = append(keys, l.key)
	}
	objs, _, err := s.listPages(rctx, l, location, l.folder(), "")
	if err != nil && !errors.Is(err, objstore.ErrNotFound) {
		return err
	}
	for _, o := range objs {
		keys = append(keys, strings.TrimPrefix(o.Location, l.scheme+"://"+l.bucket+"/"))
	}
	// Folder markers are skipped by listPages; delete the one for l too.
	keys = append(keys, l.folder())
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		batch := keys[:n]
		keys = keys[n:]
		ids := make([]types.ObjectIdentifier, len(batch))
		for i, k := range batch {
			ids[i] = types.ObjectIdentifier{Key: aws.String(k)}
		}
		dctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
		out, err := s.client.DeleteObjects(dctx, &awss3.DeleteObjectsInput{
			Bucket: aws.String(l.bucket), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		cancel()
		if err != nil {
			return wrap("delete", location, l.bucket, err)
		}
		for _, e := range out.Errors {
			if aws.ToString(e.Code) == "NoSuchKey" {
				continue
			}
			return &objstore.Error{Op: "delete", Location: l.location(aws.ToString(e.Key)), Err: fmt.Errorf("%s: %s", aws.ToString(e.Code), aws.ToString(e.Message))}
		}
	}
	return s.abortUploads(ctx, l, location)
}

// abortUploads aborts the multipart uploads in progress under l. Servers
// without ListMultipartUploads are skipped silently: their leftovers are
// invisible to readers and expire with the bucket's lifecycle rules.
func (s *Store) abortUploads(ctx context.Context, l loc, location string) error {
	in := &awss3.ListMultipartUploadsInput{Bucket: aws.String(l.bucket), Prefix: aws.String(l.key)}
	for {
		lctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
		out, err := s.client.ListMultipartUploads(lctx, in)
		cancel()
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) && ae.ErrorCode() == "NotImplemented" {
				return nil
			}
			return wrap("delete", location, l.bucket, err)
		}
		for _, up := range out.Uploads {
			actx, cancel := context.WithTimeout(ctx, cleanupTimeout)
			_, err := s.client.AbortMultipartUpload(actx, &awss3.AbortMultipartUploadInput{Bucket: aws.String(l.bucket), Key: up.Key, UploadId: up.UploadId})
			cancel()
			var nsu *types.NoSuchUpload
			if err != nil && !errors.As(err, &nsu) {
				return wrap("delete", l.location(aws.ToString(up.Key)), l.bucket, err)
			}
		}
		if !aws.ToBool(out.IsTruncated) {
			return nil
		}
		in.KeyMarker, in.UploadIdMarker = out.NextKeyMarker, out.NextUploadIdMarker
	}
}
