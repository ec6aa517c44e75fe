package local

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/objstore"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func locations(infos []objstore.ObjectInfo) []string {
	var out []string
	for _, i := range infos {
		out = append(out, i.Location)
	}
	return out
}

func TestList(t *testing.T) {
	root := writeTree(t, map[string]string{
		"b/2.csv":     "22",
		"a.csv":       "1",
		"b/c/3.csv":   "333",
		"b/1.csv":     "1",
		"z/empty.txt": "",
	})
	if err := os.MkdirAll(filepath.Join(root, "emptydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := New()
	tests := []struct {
		name     string
		location string
		want     []string
	}{
		{"folder", root, []string{"/a.csv", "/b/1.csv", "/b/2.csv", "/b/c/3.csv", "/z/empty.txt"}},
		{"folder with slash", root + "/b/", []string{"/b/1.csv", "/b/2.csv", "/b/c/3.csv"}},
		{"single file", root + "/b/c/3.csv", []string{"/b/c/3.csv"}},
		{"file uri", "file://" + root + "/b", []string{"/b/1.csv", "/b/2.csv", "/b/c/3.csv"}},
		{"empty folder", root + "/emptydir", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.List(ctx, tc.location)
			if err != nil {
				t.Fatal(err)
			}
			prefix := root
			if strings.HasPrefix(tc.location, "file://") {
				prefix = "file://" + root
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, prefix+w)
			}
			if strings.Join(locations(got), ",") != strings.Join(want, ",") {
				t.Fatalf("List(%s) = %v, want %v", tc.location, locations(got), want)
			}
			for _, oi := range got {
				if oi.Version == "" || oi.ModTime.IsZero() {
					t.Errorf("%s: missing version or mtime: %+v", oi.Location, oi)
				}
			}
		})
	}
}

func TestListDir(t *testing.T) {
	root := writeTree(t, map[string]string{
		"x.csv":          "abc",
		"year=2024/a":    "1",
		"year=2025/b":    "1",
		"year=2025/c/d":  "1",
		"_tmp/ignored":   "1",
		".hidden/ignore": "1",
	})
	objs, prefixes, err := New().ListDir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(locations(objs), ","); got != root+"/x.csv" {
		t.Errorf("objects = %s", got)
	}
	if objs[0].Size != 3 {
		t.Errorf("size = %d", objs[0].Size)
	}
	want := []string{root + "/.hidden/", root + "/_tmp/", root + "/year=2024/", root + "/year=2025/"}
	if strings.Join(prefixes, ",") != strings.Join(want, ",") {
		t.Errorf("prefixes = %v, want %v", prefixes, want)
	}
}

func TestNotFound(t *testing.T) {
	root := t.TempDir()
	missing := root + "/nope/x.csv"
	ctx := context.Background()
	s := New()
	checks := map[string]error{}
	_, checks["list"] = s.List(ctx, missing)
	_, _, checks["listdir"] = s.ListDir(ctx, missing)
	_, checks["stat"] = s.Stat(ctx, missing)
	_, checks["open"] = s.Open(ctx, objstore.ObjectInfo{Location: missing})
	_, checks["reader"] = s.NewReader(ctx, objstore.ObjectInfo{Location: missing}, 0, -1)
	for op, err := range checks {
		if !errors.Is(err, objstore.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", op, err)
			continue
		}
		var oe *objstore.Error
		if !errors.As(err, &oe) || oe.Location != missing || !strings.Contains(err.Error(), missing) {
			t.Errorf("%s: error %q does not name %s", op, err, missing)
		}
	}
	if _, err := s.List(ctx, "relative/path"); err == nil || !strings.Contains(err.Error(), "absolute") {
		t.Errorf("relative path: err = %v", err)
	}
	if _, err := s.Stat(ctx, root); err == nil {
		t.Errorf("stat of a folder: want error")
	}
}

func TestReads(t *testing.T) {
	root := writeTree(t, map[string]string{"f.txt": "0123456789"})
	ctx := context.Background()
	s := New()
	oi, err := s.Stat(ctx, root+"/f.txt")
	if err != nil {
		t.Fatal(err)
	}
	if oi.Size != 10 {
		t.Fatalf("size %d", oi.Size)
	}
	tests := []struct {
		off, n int64
		want   string
	}{
		{0, -1, "0123456789"},
		{3, 4, "3456"},
		{8, 100, "89"},
		{10, -1, ""},
		{12, 3, ""},
	}
	for _, tc := range tests {
		r, err := s.NewReader(ctx, oi, tc.off, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil || string(b) != tc.want {
			t.Errorf("NewReader(%d,%d) = %q, %v; want %q", tc.off, tc.n, b, err, tc.want)
		}
	}
	f, err := s.Open(ctx, oi)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != 10 {
		t.Errorf("File.Size = %d", f.Size())
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			buf := make([]byte, 2)
			if _, err := f.ReadAt(buf, int64(i)); err != nil || buf[0] != byte('0'+i) {
				t.Errorf("ReadAt(%d) = %q, %v", i, buf, err)
			}
		}(i)
	}
	wg.Wait()
}

func TestVersionChanges(t *testing.T) {
	root := writeTree(t, map[string]string{"f.txt": "one"})
	ctx := context.Background()
	s := New()
	p := root + "/f.txt"
	a, err := s.Stat(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Stat(ctx, p)
	if a.Version != b.Version {
		t.Fatalf("version unstable: %s vs %s", a.Version, b.Version)
	}
	if err := os.WriteFile(p, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Same size: only the mtime tells the rewrite apart.
	later := a.ModTime.Add(time.Second)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Stat(ctx, p)
	if c.Version == a.Version {
		t.Errorf("version did not change after rewrite: %s", c.Version)
	}
	if n := strings.Count(c.Version, ":"); n != 3 {
		t.Errorf("version %q is not device:inode:size:mtime", c.Version)
	}
}
