package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/quarry-sql/quarry/objstore"
)

const fileScheme = "file://"

// Store serves absolute local paths and file:// URIs.
type Store struct{}

var _ objstore.Store = Store{}

// New returns the local file store.
func New() objstore.Store { return Store{} }

// split turns a location into the OS path and the prefix that converts an
// OS path back into the caller's location form.
func split(op, location string) (path, prefix string, err error) {
	path = location
	if strings.HasPrefix(strings.ToLower(location), fileScheme) {
		prefix = location[:len(fileScheme)]
		path = location[len(fileScheme):]
		// file://localhost/x is the same as file:///x.
		if strings.HasPrefix(path, "localhost/") {
			prefix += "localhost"
			path = path[len("localhost"):]
		}
	}
	if path == "" || !filepath.IsAbs(path) {
		return "", "", &objstore.Error{Op: op, Location: location, Err: errors.New("local location must be an absolute path")}
	}
	return path, prefix, nil
}

func wrap(op, location string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &objstore.Error{Op: op, Location: location, Err: objstore.ErrNotFound}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the location already names the path
	}
	return &objstore.Error{Op: op, Location: location, Err: err}
}

func info(location string, fi fs.FileInfo) objstore.ObjectInfo {
	oi := objstore.ObjectInfo{Location: location, Size: fi.Size(), ModTime: fi.ModTime()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		oi.Version = fmt.Sprintf("%d:%d:%d:%d", uint64(st.Dev), uint64(st.Ino), fi.Size(), fi.ModTime().UnixNano())
	} else {
		oi.Version = fmt.Sprintf("%d:%d", fi.Size(), fi.ModTime().UnixNano())
	}
	return oi
}

// List walks location recursively. Symbolic links to files are followed;
// links to folders are not, so a link cycle cannot make a listing endless.
func (Store) List(ctx context.Context, location string) ([]objstore.ObjectInfo, error) {
	root, prefix, err := split("list", location)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, wrap("list", location, err)
	}
	if !fi.IsDir() {
		return []objstore.ObjectInfo{info(location, fi)}, nil
	}
	var out []objstore.ObjectInfo
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, werr error) error {
		if werr != nil {
			return wrap("list", prefix+p, werr)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // vanished between readdir and stat, or a dangling link
			}
			return wrap("list", prefix+p, err)
		}
		if fi.IsDir() {
			return nil
		}
		out = append(out, info(prefix+p, fi))
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Location < out[j].Location })
	return out, nil
}

// ListDir returns the files and sub-folders directly inside location.
func (Store) ListDir(ctx context.Context, location string) ([]objstore.ObjectInfo, []string, error) {
	dir, _, err := split("list", location)
	if err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, wrap("list", location, err)
	}
	base := strings.TrimSuffix(location, "/") + "/"
	var objects []objstore.ObjectInfo
	var prefixes []string
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		name := base + e.Name()
		isDir := e.IsDir()
		if !isDir {
			fi, err := os.Stat(filepath.Join(dir, e.Name()))
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				return nil, nil, wrap("list", name, err)
			}
			if fi.IsDir() {
				isDir = true
			} else {
				objects = append(objects, info(name, fi))
				continue
			}
		}
		prefixes = append(prefixes, name+"/")
	}
	return objects, prefixes, nil
}

// Stat describes one file; a folder is not an object.
func (Store) Stat(_ context.Context, location string) (objstore.ObjectInfo, error) {
	p, _, err := split("stat", location)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return objstore.ObjectInfo{}, wrap("stat", location, err)
	}
	if fi.IsDir() {
		return objstore.ObjectInfo{}, &objstore.Error{Op: "stat", Location: location, Err: errors.New("is a folder, not a file")}
	}
	return info(location, fi), nil
}

type file struct {
	f    *os.File
	size int64
}

func (f *file) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }
func (f *file) Size() int64                             { return f.size }
func (f *file) Close() error                            { return f.f.Close() }

func open(op string, info objstore.ObjectInfo) (*os.File, int64, error) {
	p, _, err := split(op, info.Location)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, wrap(op, info.Location, err)
	}
	size := info.Size
	if fi, err := f.Stat(); err == nil {
		if fi.IsDir() {
			f.Close()
			return nil, 0, &objstore.Error{Op: op, Location: info.Location, Err: errors.New("is a folder, not a file")}
		}
		size = fi.Size()
	}
	return f, size, nil
}

// Open returns a File whose ReadAt is safe for concurrent use (pread).
func (Store) Open(_ context.Context, info objstore.ObjectInfo) (objstore.File, error) {
	f, size, err := open("read", info)
	if err != nil {
		return nil, err
	}
	return &file{f: f, size: size}, nil
}

type sectionReader struct {
	*io.SectionReader
	f *os.File
}

func (r sectionReader) Close() error { return r.f.Close() }

// NewReader streams length bytes from offset; length < 0 reads to the end.
func (Store) NewReader(_ context.Context, info objstore.ObjectInfo, offset, length int64) (io.ReadCloser, error) {
	if offset < 0 {
		return nil, &objstore.Error{Op: "read", Location: info.Location, Err: fmt.Errorf("negative offset %d", offset)}
	}
	f, size, err := open("read", info)
	if err != nil {
		return nil, err
	}
	if length < 0 || offset+length > size {
		length = size - offset
	}
	if length < 0 {
		length = 0
	}
	return sectionReader{io.NewSectionReader(f, offset, length), f}, nil
}
