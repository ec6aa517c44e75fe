package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestTrinoJSClient runs jsclient/test.js: the official Trino JavaScript
// client (npm trino-client) against this server, with the machine's
// Node.js. CI installs the client with (cd server/jsclient && npm ci).
func TestTrinoJSClient(t *testing.T) {
	node, err := exec.LookPath("node")
	ci := os.Getenv("CI") != ""
	if err != nil {
		if ci {
			t.Fatal("node is not on PATH (CI needs Node.js for the trino-client suite)")
		}
		t.Skip("node is not on PATH")
	}
	if _, err := os.Stat(filepath.Join("jsclient", "node_modules", "trino-client")); err != nil {
		if ci {
			t.Fatal("jsclient/node_modules missing: run (cd server/jsclient && npm ci) in .ci/run")
		}
		t.Skip("jsclient/node_modules missing: run (cd server/jsclient && npm ci)")
	}
	ts := newTestServer(t, nil)
	cmd := exec.Command(node, "test.js")
	cmd.Dir = "jsclient"
	cmd.Env = append(os.Environ(), "QUARRY_URL="+ts.ts.URL, "QUARRY_DATA="+ts.data)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("node test.js (%v):\n%s", time.Since(start).Round(time.Millisecond), out)
	if err != nil {
		t.Fatalf("trino-client suite failed: %v", err)
	}
}
