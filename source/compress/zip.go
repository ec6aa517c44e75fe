package compress

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/zip"
)

// ZipEntry is one file inside a zip archive.
type ZipEntry struct {
	// Name is the entry's path inside the archive.
	Name string
	// Size is the uncompressed size the archive declares.
	Size int64
	f    *zip.File
}

// Open streams the entry's uncompressed bytes; the CRC is checked at the end.
func (e ZipEntry) Open() (io.ReadCloser, error) {
	rc, err := e.f.Open()
	if err != nil {
		return nil, fmt.Errorf("zip entry %s: %w", e.Name, err)
	}
	return &errPrefixCloser{rc: rc, prefix: "zip entry " + e.Name}, nil
}

// ZipEntries lists the regular files of a zip archive in archive order,
// skipping directories and hidden entries (names, or folders, starting
// with "." or "_", which covers macOS's __MACOSX resource forks), as a
// table skips hidden files.
func ZipEntries(r io.ReaderAt, size int64) ([]ZipEntry, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	out := make([]ZipEntry, 0, len(zr.File))
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") || hiddenPath(f.Name) {
			continue
		}
		out = append(out, ZipEntry{Name: f.Name, Size: int64(f.UncompressedSize64), f: f})
	}
	return out, nil
}

func hiddenPath(name string) bool {
	for _, part := range strings.Split(path.Clean(strings.ReplaceAll(name, `\`, "/")), "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." || strings.HasPrefix(part, "_") {
			return true
		}
	}
	return false
}
