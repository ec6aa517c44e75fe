package main

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// decompressFloor is the physical floor of a compressed-text query on
// this machine: the wall time to decompress the same files, one file per
// goroutine on threads goroutines, discarding the output (klauspost
// gzip; zip entries with klauspost flate). Best of runs.
func decompressFloor(files []string, threads, runs int) (time.Duration, error) {
	best := time.Duration(0)
	for r := 0; r < max(runs, 1); r++ {
		start := time.Now()
		if err := decompressAll(files, threads); err != nil {
			return 0, err
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}

func decompressAll(files []string, threads int) error {
	// Largest first, so a big file does not start last.
	sorted := append([]string(nil), files...)
	size := map[string]int64{}
	for _, f := range sorted {
		if st, err := os.Stat(f); err == nil {
			size[f] = st.Size()
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return size[sorted[i]] > size[sorted[j]] })
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i := 0; i < max(threads, 1); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				if err := decompressFile(f); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range sorted {
		work <- f
	}
	close(work)
	wg.Wait()
	return first
}

func decompressFile(path string) error {
	if strings.HasSuffix(path, ".zip") {
		z, err := zip.OpenReader(path)
		if err != nil {
			return err
		}
		defer z.Close()
		z.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
		for _, e := range z.File {
			rc, err := e.Open()
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
			if err != nil {
				return fmt.Errorf("%s: %s: %w", path, e.Name, err)
			}
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return zr.Close()
}

// unzipAll extracts every entry of the archives into dir, flat.
func unzipAll(archives []string, dir string) error {
	for _, a := range archives {
		z, err := zip.OpenReader(a)
		if err != nil {
			return err
		}
		for _, e := range z.File {
			if err := extract(e, filepath.Join(dir, filepath.Base(e.Name))); err != nil {
				z.Close()
				return fmt.Errorf("%s: %w", a, err)
			}
		}
		z.Close()
	}
	return nil
}

func extract(e *zip.File, path string) error {
	rc, err := e.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
