// Package local implements objstore.Store over the local file system.
//
// Locations are absolute paths ("/data/t/x.csv") or file:// URIs
// ("file:///data/t/x.csv"); listings return locations in the same form the
// caller used, so a table declared with file:// keeps seeing file:// paths.
// List is recursive and sorted; folders appear only through ListDir, as
// prefixes ending in "/". The version token is device:inode:size:mtime-ns,
// which changes whenever a file is rewritten or replaced.
//
// Imports: standard library and objstore only.
package local
