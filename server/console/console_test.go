package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	tests := []struct {
		method, path string
		status       int
		contentType  string
		contains     string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", `<script src="app.js">`},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", "Quarry console"},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8", "/v1/statement"},
		{"GET", "/app.css", 200, "text/css; charset=utf-8", ".grid"},
		{"HEAD", "/app.js", 200, "text/javascript; charset=utf-8", ""},
		{"GET", "/build.json", 404, "", ""},
		{"GET", "/dist/app.js", 404, "", ""},
		{"GET", "/../console.go", 404, "", ""},
		{"POST", "/", 405, "", ""},
		{"DELETE", "/app.js", 405, "", ""},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
			continue
		}
		if tc.contentType != "" && resp.Header.Get("Content-Type") != tc.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.path, resp.Header.Get("Content-Type"), tc.contentType)
		}
		if !strings.Contains(body.String(), tc.contains) {
			t.Errorf("%s %s: body does not contain %q", tc.method, tc.path, tc.contains)
		}
		if tc.status == 200 && resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no X-Content-Type-Options", tc.method, tc.path)
		}
	}

	// The page is locked down by a CSP, and assets revalidate by ETag.
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, resp.StatusCode)
	}
}

// buildInfo is dist/build.json, written by web/build.mjs.
type buildInfo struct {
	SourceHash string         `json:"sourceHash"`
	Esbuild    string         `json:"esbuild"`
	Sizes      map[string]int `json:"sizes"`
}

func readBuildInfo(t *testing.T, dir string) buildInfo {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "build.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bi buildInfo
	if err := json.Unmarshal(b, &bi); err != nil {
		t.Fatalf("build.json: %v", err)
	}
	return bi
}

// sourceHash is build.mjs's sourceHash: sha256 over "path\nsha256(content)\n"
// for .npmrc, build.mjs, package.json, package-lock.json and every file under src/,
// sorted by path.
func sourceHash(web string) (string, error) {
	files := []string{".npmrc", "build.mjs", "package.json", "package-lock.json"}
	err := filepath.WalkDir(filepath.Join(web, "src"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(web, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(web, filepath.FromSlash(f)))
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(h, "%s\n%s\n", f, hex.EncodeToString(sum[:]))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// TestDistMatchesSources needs no Node: it fails when web/ was changed
// without rebuilding dist/.
func TestDistMatchesSources(t *testing.T) {
	bi := readBuildInfo(t, "dist")
	got, err := sourceHash("web")
	if err != nil {
		t.Fatal(err)
	}
	if got != bi.SourceHash {
		t.Fatalf("dist/ is stale: web/ hashes to %s, dist/build.json says %s.\n"+
			"Rebuild it: cd server/console/web && npm ci && npm run build", got, bi.SourceHash)
	}
	for name, size := range bi.Sizes {
		st, err := os.Stat(filepath.Join("dist", name))
		if err != nil {
			t.Fatal(err)
		}
		if int(st.Size()) != size {
			t.Errorf("dist/%s is %d bytes, build.json says %d: edited by hand?", name, st.Size(), size)
		}
	}
}

// TestDistRebuild builds the console from a clean copy of web/ with the
// locked packages (npm ci) and checks that the result is byte for byte the
// checked-in dist/. It needs Node and npm and reaches the npm registry; it
// is skipped without them, except in CI.
func TestDistRebuild(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds the console with npm: not in -short")
	}
	npm, errNpm := exec.LookPath("npm")
	node, errNode := exec.LookPath("node")
	if errNpm != nil || errNode != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node and npm are needed to check server/console/dist (install nodejs)")
		}
		t.Skip("node or npm not installed")
	}
	tmp := t.TempDir()
	web := filepath.Join(tmp, "web")
	if err := os.CopyFS(filepath.Join(web, "src"), os.DirFS(filepath.Join("web", "src"))); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{".npmrc", "build.mjs", "package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join("web", f))
		if err == nil {
			err = os.WriteFile(filepath.Join(web, f), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = web
		cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(tmp, "npm-cache"), "npm_config_update_notifier=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	out := filepath.Join(tmp, "dist")
	run(node, "build.mjs", "--out", out, "--quiet")

	want, err := os.ReadDir("dist")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("rebuilt dist has %d files, checked-in dist has %d", len(got), len(want))
	}
	for _, e := range want {
		a, _ := os.ReadFile(filepath.Join("dist", e.Name()))
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("dist/%s differs from a fresh build: run `npm ci && npm run build` in server/console/web", e.Name())
		}
	}
	t.Logf("bundle: app.js %d bytes, app.css %d bytes", readBuildInfo(t, out).Sizes["app.js"], readBuildInfo(t, out).Sizes["app.css"])
}
