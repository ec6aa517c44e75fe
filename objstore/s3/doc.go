// Package s3 implements objstore.Store over Amazon S3 and S3-compatible
// servers with the AWS SDK for Go v2.
//
// Configuration is the standard AWS one (config.LoadDefaultConfig): region
// from AWS_REGION or the shared config, credentials from the default chain,
// endpoint from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3. Path-style addressing
// is switched on by Options.PathStyle, by QUARRY_S3_PATH_STYLE=true, or
// automatically when a custom endpoint is configured, since S3-compatible
// servers rarely serve virtual-hosted buckets.
//
// Invariants:
//   - Locations are s3://bucket/key (s3a:// and s3n:// too); every location a
//     Store returns keeps the scheme the caller used, so a Resolver keyed by
//     scheme maps it back to the same Store.
//   - Every error is an *objstore.Error naming the location; missing buckets
//     and keys wrap objstore.ErrNotFound.
//   - Throttling and 5xx responses are retried by the SDK's standard retryer
//     with more attempts and no client-side retry quota; a body that breaks
//     mid-stream is resumed from the last byte read, pinned to the ETag so
//     bytes of two object versions are never mixed.
//   - Version is the object's ETag; Stat appends "@"+VersionId when the
//     bucket is versioned (ListObjectsV2 does not return version ids).
//
// Imports: standard library, objstore, aws-sdk-go-v2, smithy-go, x/sync.
package s3
