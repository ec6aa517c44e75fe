package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/quarry-sql/quarry/objstore"
)

// Options tune a Store; the zero value is the standard AWS configuration.
type Options struct {
	// Region overrides AWS_REGION and the shared config. When no region is
	// configured anywhere, us-east-1 is used.
	Region string
	// Endpoint overrides AWS_ENDPOINT_URL, e.g. "http://127.0.0.1:7070".
	Endpoint string
	// PathStyle forces path-style addressing (http://host/bucket/key).
	PathStyle bool
	// MaxAttempts bounds the attempts per request, first one included
	// (default 10).
	MaxAttempts int
	// MaxBackoff caps the delay between attempts (default 20s).
	MaxBackoff time.Duration
	// PageSize is the ListObjectsV2 MaxKeys; 0 lets the server choose (1000).
	PageSize int32
	// ListConcurrency bounds parallel listings of sub-prefixes in List
	// (default 32).
	ListConcurrency int
	// MaxConns bounds idle connections kept per host (default 128), so
	// parallel ranged reads reuse connections.
	MaxConns int
}

// Store reads objects from S3. It is safe for concurrent use.
type Store struct {
	client *awss3.Client
	opts   Options
}

var _ objstore.Store = (*Store)(nil)

// New loads the AWS configuration and returns a Store.
func New(ctx context.Context, opts Options) (objstore.Store, error) {
	return newStore(ctx, opts)
}

func newStore(ctx context.Context, opts Options) (*Store, error) {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 20 * time.Second
	}
	if opts.ListConcurrency <= 0 {
		opts.ListConcurrency = 32
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 128
	}
	maxConns := opts.MaxConns
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = maxConns
		t.MaxIdleConnsPerHost = maxConns
	})
	load := []func(*config.LoadOptions) error{
		config.WithHTTPClient(httpClient),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = opts.MaxAttempts
				o.MaxBackoff = opts.MaxBackoff
				// The default token bucket turns a burst of throttling
				// under parallel scans into hard "retry quota exceeded"
				// errors; backoff alone is the right response here.
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("s3: load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	pathStyle := opts.PathStyle || opts.Endpoint != "" || cfg.BaseEndpoint != nil ||
		os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	if v := os.Getenv("QUARRY_S3_PATH_STYLE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("s3: QUARRY_S3_PATH_STYLE=%q is not a boolean", v)
		}
		pathStyle = b || opts.PathStyle
	}
	client := awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		o.UsePathStyle = pathStyle
		// Ranged GETs never carry a whole-object checksum; the SDK would
		// log that on every read.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	return &Store{client: client, opts: opts}, nil
}

// loc is a parsed s3 location.
type loc struct {
	scheme string // as the caller wrote it: "s3", "s3a", "s3n"
	bucket string
	key    string
}

func parse(op, location string) (loc, error) {
	i := strings.Index(location, "://")
	if i <= 0 {
		return loc{}, &objstore.Error{Op: op, Location: location, Err: errors.New("not an s3:// location")}
	}
	scheme := location[:i]
	switch strings.ToLower(scheme) {
	case "s3", "s3a", "s3n":
	default:
		return loc{}, &objstore.Error{Op: op, Location: location, Err: fmt.Errorf("scheme %q is not s3, s3a or s3n", scheme)}
	}
	rest := location[i+3:]
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return loc{}, &objstore.Error{Op: op, Location: location, Err: errors.New("location names no bucket")}
	}
	return loc{scheme: scheme, bucket: bucket, key: key}, nil
}

func (l loc) location(key string) string { return l.scheme + "://" + l.bucket + "/" + key }

// folder is the key prefix that lists the contents of l as a folder.
func (l loc) folder() string {
	if l.key == "" || strings.HasSuffix(l.key, "/") {
		return l.key
	}
	return l.key + "/"
}

// wrap turns an SDK error into an *objstore.Error with a short message that
// still unwraps to the SDK error.
func wrap(op, location, bucket string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &objstore.Error{Op: op, Location: location, Err: err}
	}
	var nsb *types.NoSuchBucket
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	code, status := "", 0
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	switch {
	case errors.As(err, &nsb) || code == "NoSuchBucket":
		return &objstore.Error{Op: op, Location: location, Err: &sdkError{msg: fmt.Sprintf("bucket %q does not exist", bucket), kind: objstore.ErrNotFound, err: err}}
	case errors.As(err, &nsk) || errors.As(err, &nf) || code == "NoSuchKey" || code == "NotFound" || status == http.StatusNotFound:
		return &objstore.Error{Op: op, Location: location, Err: &sdkError{msg: "object does not exist", kind: objstore.ErrNotFound, err: err}}
	case code == "AccessDenied" || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || status == http.StatusForbidden:
		if code == "" {
			code = "AccessDenied"
		}
		return &objstore.Error{Op: op, Location: location, Err: &sdkError{msg: "access denied (" + code + "): check the credentials and the bucket policy", err: err}}
	case code == "PreconditionFailed" || status == http.StatusPreconditionFailed:
		return &objstore.Error{Op: op, Location: location, Err: &sdkError{msg: "object changed while it was being read", err: err}}
	}
	return &objstore.Error{Op: op, Location: location, Err: err}
}

// sdkError keeps the SDK's error for errors.As while printing a message a
// user can act on.
type sdkError struct {
	msg  string
	kind error // a sentinel such as objstore.ErrNotFound, or nil
	err  error
}

func (e *sdkError) Error() string { return e.msg }
func (e *sdkError) Unwrap() []error {
	if e.kind != nil {
		return []error{e.kind, e.err}
	}
	return []error{e.err}
}

func trimETag(s *string) string { return strings.Trim(aws.ToString(s), `"`) }

func (s *Store) objectInfo(l loc, o types.Object) objstore.ObjectInfo {
	return objstore.ObjectInfo{
		Location: l.location(aws.ToString(o.Key)),
		Size:     aws.ToInt64(o.Size),
		ModTime:  aws.ToTime(o.LastModified),
		Version:  trimETag(o.ETag),
	}
}

// listPages lists every key under prefix; with a delimiter it also returns
// the common prefixes (keys, not locations).
func (s *Store) listPages(ctx context.Context, l loc, location, prefix, delimiter string) ([]objstore.ObjectInfo, []string, error) {
	in := &awss3.ListObjectsV2Input{Bucket: aws.String(l.bucket), Prefix: aws.String(prefix)}
	if delimiter != "" {
		in.Delimiter = aws.String(delimiter)
	}
	if s.opts.PageSize > 0 {
		in.MaxKeys = aws.Int32(s.opts.PageSize)
	}
	var objects []objstore.ObjectInfo
	var prefixes []string
	p := awss3.NewListObjectsV2Paginator(s.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, wrap("list", location, l.bucket, err)
		}
		for _, o := range page.Contents {
			// Zero-byte keys ending in "/" are folder markers written by
			// consoles and Hadoop, not data.
			if strings.HasSuffix(aws.ToString(o.Key), "/") {
				continue
			}
			objects = append(objects, s.objectInfo(l, o))
		}
		for _, cp := range page.CommonPrefixes {
			prefixes = append(prefixes, aws.ToString(cp.Prefix))
		}
	}
	return objects, prefixes, nil
}

// List returns every object under location. A location that is a key lists
// that one object; otherwise the location is a folder. The walk lists the
// first levels with a delimiter and then each sub-folder in full, in
// parallel, because one flat listing is a chain of sequential 1000-key
// pages, while a full delimiter walk costs a request per folder.
func (s *Store) List(ctx context.Context, location string) ([]objstore.ObjectInfo, error) {
	l, err := parse("list", location)
	if err != nil {
		return nil, err
	}
	objects, err := s.listTree(ctx, l, location)
	if err != nil {
		return nil, err
	}
	if len(objects) == 0 && l.key != "" && !strings.HasSuffix(l.key, "/") {
		info, err := s.Stat(ctx, location)
		if err != nil {
			if errors.Is(err, objstore.ErrNotFound) {
				return nil, &objstore.Error{Op: "list", Location: location, Err: &sdkError{msg: "no object or folder at this location", kind: objstore.ErrNotFound, err: err}}
			}
			return nil, err
		}
		return []objstore.ObjectInfo{info}, nil
	}
	if len(objects) == 0 {
		// S3 has no folders: an empty prefix and a missing one look the
		// same, unless a folder marker or the bucket itself exists.
		if _, err := s.client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(l.bucket)}); err != nil {
			return nil, wrapBucket("list", location, l.bucket, err)
		}
		if l.key != "" && !s.markerExists(ctx, l) {
			return nil, &objstore.Error{Op: "list", Location: location, Err: &sdkError{msg: "no object or folder at this location", kind: objstore.ErrNotFound, err: errors.New("empty prefix")}}
		}
	}
	sort.Slice(objects, func(i, j int) bool { return objects[i].Location < objects[j].Location })
	return objects, nil
}

// wrapBucket maps HeadBucket's body-less 404 to a missing bucket.
func wrapBucket(op, location, bucket string, err error) error {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound {
		return &objstore.Error{Op: op, Location: location, Err: &sdkError{msg: fmt.Sprintf("bucket %q does not exist", bucket), kind: objstore.ErrNotFound, err: err}}
	}
	return wrap(op, location, bucket, err)
}

func (s *Store) markerExists(ctx context.Context, l loc) bool {
	_, err := s.client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.folder())})
	return err == nil
}

// maxDelimiterDepth bounds how deep List descends with delimiter listings
// looking for fan-out before it lists sub-folders flat.
const maxDelimiterDepth = 3

func (s *Store) listTree(ctx context.Context, l loc, location string) ([]objstore.ObjectInfo, error) {
	prefix := l.folder()
	var (
		mu  sync.Mutex
		out []objstore.ObjectInfo
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opts.ListConcurrency)
	add := func(objs []objstore.ObjectInfo) {
		mu.Lock()
		out = append(out, objs...)
		mu.Unlock()
	}
	// Descend while a level is a single sub-folder (prefix/report/...),
	// so parallelism starts where the tree fans out.
	for depth := 0; ; depth++ {
		objs, prefixes, err := s.listPages(gctx, l, location, prefix, "/")
		if err != nil {
			return nil, err
		}
		add(objs)
		if len(prefixes) == 1 && depth < maxDelimiterDepth {
			prefix = prefixes[0]
			continue
		}
		for _, p := range prefixes {
			g.Go(func() error {
				objs, _, err := s.listPages(gctx, l, l.location(p), p, "")
				if err != nil {
					return err
				}
				add(objs)
				return nil
			})
		}
		break
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// ListDir returns the objects and sub-folders directly under location.
func (s *Store) ListDir(ctx context.Context, location string) ([]objstore.ObjectInfo, []string, error) {
	l, err := parse("list", location)
	if err != nil {
		return nil, nil, err
	}
	objects, keys, err := s.listPages(ctx, l, location, l.folder(), "/")
	if err != nil {
		return nil, nil, err
	}
	prefixes := make([]string, len(keys))
	for i, k := range keys {
		prefixes[i] = l.location(k)
	}
	if len(objects) == 0 && len(prefixes) == 0 {
		if _, err := s.client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(l.bucket)}); err != nil {
			return nil, nil, wrapBucket("list", location, l.bucket, err)
		}
		if l.key != "" && !s.markerExists(ctx, l) {
			return nil, nil, &objstore.Error{Op: "list", Location: location, Err: &sdkError{msg: "no folder at this location", kind: objstore.ErrNotFound, err: errors.New("empty prefix")}}
		}
	}
	return objects, prefixes, nil
}

// Stat describes one object with HeadObject.
func (s *Store) Stat(ctx context.Context, location string) (objstore.ObjectInfo, error) {
	l, err := parse("stat", location)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	if l.key == "" || strings.HasSuffix(l.key, "/") {
		return objstore.ObjectInfo{}, &objstore.Error{Op: "stat", Location: location, Err: errors.New("names a folder, not an object")}
	}
	out, err := s.client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.key)})
	if err != nil {
		// HeadObject answers without a body, so a missing bucket is a
		// bare 404 like a missing key; ask the bucket to tell them apart.
		var re interface{ HTTPStatusCode() int }
		if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound {
			if _, berr := s.client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(l.bucket)}); berr != nil {
				return objstore.ObjectInfo{}, wrapBucket("stat", location, l.bucket, berr)
			}
		}
		return objstore.ObjectInfo{}, wrap("stat", location, l.bucket, err)
	}
	v := trimETag(out.ETag)
	if id := aws.ToString(out.VersionId); id != "" && id != "null" {
		v += "@" + id
	}
	return objstore.ObjectInfo{
		Location: location,
		Size:     aws.ToInt64(out.ContentLength),
		ModTime:  aws.ToTime(out.LastModified),
		Version:  v,
	}, nil
}

// etag returns the ETag part of a Version for If-Match.
func etag(version string) string {
	if version == "" {
		return ""
	}
	e, _, _ := strings.Cut(version, "@")
	return `"` + e + `"`
}

// get issues a ranged GetObject for [off, end); end < 0 reads to the end.
func (s *Store) get(ctx context.Context, l loc, location, version string, off, end int64) (io.ReadCloser, error) {
	in := &awss3.GetObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.key)}
	switch {
	case end >= 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", off, end-1))
	case off > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", off))
	}
	if e := etag(version); e != "" {
		in.IfMatch = aws.String(e)
	}
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		return nil, wrap("read", location, l.bucket, err)
	}
	return out.Body, nil
}

// Open returns a File whose ReadAt issues one ranged GET per call. When
// info lacks a version (it did not come from a listing) the object is
// stat'ed first so reads are pinned to the bytes it describes.
func (s *Store) Open(ctx context.Context, info objstore.ObjectInfo) (objstore.File, error) {
	l, err := parse("read", info.Location)
	if err != nil {
		return nil, err
	}
	if info.Version == "" {
		st, err := s.Stat(ctx, info.Location)
		if err != nil {
			return nil, err
		}
		info = st
	}
	return &file{s: s, ctx: ctx, l: l, info: info}, nil
}

type file struct {
	s    *Store
	ctx  context.Context
	l    loc
	info objstore.ObjectInfo
}

func (f *file) Size() int64  { return f.info.Size }
func (f *file) Close() error { return nil }

// bodyAttempts is how often a read restarts after the connection breaks
// mid-body, which the SDK retryer does not cover.
const bodyAttempts = 4

func (f *file) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, &objstore.Error{Op: "read", Location: f.info.Location, Err: fmt.Errorf("negative offset %d", off)}
	}
	if off >= f.info.Size {
		return 0, io.EOF
	}
	want := p
	if rem := f.info.Size - off; int64(len(want)) > rem {
		want = want[:rem]
	}
	n := 0
	var lastErr error
	for attempt := 0; attempt < bodyAttempts && n < len(want); attempt++ {
		pos := off + int64(n)
		body, err := f.s.get(f.ctx, f.l, f.info.Location, f.info.Version, pos, off+int64(len(want)))
		if err != nil {
			return n, err
		}
		m, err := io.ReadFull(body, want[n:])
		body.Close()
		n += m
		if err != nil {
			if f.ctx.Err() != nil {
				return n, &objstore.Error{Op: "read", Location: f.info.Location, Err: f.ctx.Err()}
			}
			lastErr = err
		}
	}
	if n < len(want) {
		return n, &objstore.Error{Op: "read", Location: f.info.Location, Err: fmt.Errorf("bytes %d-%d: %w", off+int64(n), off+int64(len(want))-1, lastErr)}
	}
	if len(want) < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// NewReader streams a byte range, resuming where it broke off if the
// connection fails mid-body.
func (s *Store) NewReader(ctx context.Context, info objstore.ObjectInfo, offset, length int64) (io.ReadCloser, error) {
	l, err := parse("read", info.Location)
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, &objstore.Error{Op: "read", Location: info.Location, Err: fmt.Errorf("negative offset %d", offset)}
	}
	if info.Version == "" {
		st, err := s.Stat(ctx, info.Location)
		if err != nil {
			return nil, err
		}
		info = st
	}
	end := int64(-1)
	if length >= 0 {
		end = offset + length
	}
	if end < 0 || end > info.Size {
		end = info.Size
	}
	if offset >= end {
		// S3 answers a range past the end with 416, not an empty body.
		return io.NopCloser(strings.NewReader("")), nil
	}
	r := &reader{s: s, ctx: ctx, l: l, info: info, pos: offset, end: end}
	if r.body, err = s.get(ctx, l, info.Location, info.Version, offset, end); err != nil {
		return nil, err
	}
	return r, nil
}

type reader struct {
	s        *Store
	ctx      context.Context
	l        loc
	info     objstore.ObjectInfo
	pos, end int64
	body     io.ReadCloser
	resumed  int
}

func (r *reader) Read(p []byte) (int, error) {
	for {
		if r.pos >= r.end {
			return 0, io.EOF
		}
		if r.body == nil {
			body, err := r.s.get(r.ctx, r.l, r.info.Location, r.info.Version, r.pos, r.end)
			if err != nil {
				return 0, err
			}
			r.body = body
		}
		if rem := r.end - r.pos; int64(len(p)) > rem {
			p = p[:rem]
		}
		n, err := r.body.Read(p)
		r.pos += int64(n)
		if err == nil || n > 0 && err == io.EOF && r.pos >= r.end {
			return n, nil
		}
		if err == io.EOF && r.pos >= r.end {
			return n, io.EOF
		}
		// The body ended early or broke: resume from r.pos.
		r.body.Close()
		r.body = nil
		if r.ctx.Err() != nil {
			return n, &objstore.Error{Op: "read", Location: r.info.Location, Err: r.ctx.Err()}
		}
		r.resumed++
		if r.resumed >= bodyAttempts {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return n, &objstore.Error{Op: "read", Location: r.info.Location, Err: fmt.Errorf("at byte %d: %w", r.pos, err)}
		}
		if n > 0 {
			return n, nil
		}
	}
}

func (r *reader) Close() error {
	if r.body != nil {
		err := r.body.Close()
		r.body = nil
		return err
	}
	return nil
}
