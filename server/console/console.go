package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

//go:embed dist
var dist embed.FS

// asset is one embedded file, with what serving it needs precomputed.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets maps a URL path to its file; "/" is the page itself. build.json is
// build metadata, not part of the app, and is not served.
var assets = func() map[string]asset {
	types := map[string]string{
		"index.html": "text/html; charset=utf-8",
		"app.js":     "text/javascript; charset=utf-8",
		"app.css":    "text/css; charset=utf-8",
	}
	m := make(map[string]asset, len(types)+1)
	for name, ct := range types {
		b, err := fs.ReadFile(dist, path.Join("dist", name))
		if err != nil {
			panic("BUG: console asset missing from the embedded dist/: " + name)
		}
		sum := sha256.Sum256(b)
		m["/"+name] = asset{body: b, contentType: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	}
	m["/"] = m["/index.html"]
	return m
}()

// contentSecurityPolicy allows the page's own script and nothing else to
// run. Inline styles are allowed because CodeMirror and Chart.js set them.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the console's page and assets. It is meant to be mounted at
// "/" beside the protocol's /v1/ routes; it answers GET and HEAD for its own
// few files and 404 for any other path. Responses carry an ETag and are
// revalidated on each load (Cache-Control: no-cache), so a new binary's
// console is picked up at once.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if a.contentType[:9] == "text/html" {
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
