package parquet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

const corpusDir = "../../../shared/data/parquet-corpus"

// TestCorpus reads every file of the shared Parquet corpus with the
// columns inferred from its own schema: each must read or fail with an
// error naming the file, never panic or hang.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("corpus not available:", err)
	}
	var files []string
	filepath.Walk(corpusDir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(strings.ToLower(p), ".parquet") {
			files = append(files, p)
		}
		return nil
	})
	ok, failed := 0, 0
	for _, path := range files {
		done := make(chan error, 1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					done <- fmt.Errorf("PANIC: %v", r)
				}
			}()
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			cols, err := InferSchema(context.Background(), fsStore{}, statOf(t, path))
			if err == nil {
				recs, rerr := readAll(t, path, cols, mem, nil, nil, 0)
				for _, r := range recs {
					if verr := validate(r); verr != nil && rerr == nil {
						rerr = fmt.Errorf("%s: invalid batch: %w", path, verr)
					}
				}
				releaseAll(recs)
				err = rerr
			}
			if mem.CurrentAlloc() != 0 {
				err = fmt.Errorf("%d bytes leaked (after %v)", mem.CurrentAlloc(), err)
			}
			done <- err
		}()
		select {
		case err := <-done:
			switch {
			case err == nil:
				ok++
			case strings.HasPrefix(err.Error(), "PANIC") || strings.Contains(err.Error(), "leaked") || strings.Contains(err.Error(), "invalid batch"):
				t.Errorf("%s: %v", path, err)
			case !strings.Contains(err.Error(), path):
				t.Errorf("%s: error does not name the file: %v", path, err)
			default:
				failed++
				t.Logf("%v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("%s: no result after 20s", path)
		}
	}
	t.Logf("%d files read, %d rejected with an error", ok, failed)
}
