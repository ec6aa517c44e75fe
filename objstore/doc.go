// Package objstore is the one interface for listing and reading stored
// objects, local files and S3 alike. Sub-packages (local, s3) implement
// Store; the engine registers them in a Resolver. Imports: standard library only.
package objstore
