package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKillMidCTAS kills quarry with SIGKILL while a CREATE TABLE AS is
// writing, then checks that nothing of it is visible: no table in the
// catalog, and no data file outside the hidden staging folder, which
// readers skip.
func TestKillMidCTAS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	home := t.TempDir()
	data := filepath.Join(t.TempDir(), "numbers")
	os.MkdirAll(data, 0o755)
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "%d,row-%d\n", i, i)
	}
	os.WriteFile(filepath.Join(data, "n.csv"), []byte(b.String()), 0o644)
	if _, stderr, code := runQuarry(t, home, "", "sql", "-e",
		"CREATE EXTERNAL TABLE n (i bigint, s string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '"+data+"'"); code != 0 {
		t.Fatal(stderr)
	}
	target := filepath.Join(t.TempDir(), "target")
	// 2000 x 2000 rows: long enough to be killed while files are staged.
	cmd := exec.Command(quarryBinary(t), "sql", "-e", "CREATE TABLE big WITH (format = 'TEXTFILE', external_location = '"+target+"') AS SELECT a.i AS x, b.s AS y FROM n a CROSS JOIN n b")
	cmd.Env = append(os.Environ(), "QUARRY_HOME="+home)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	staged := false
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && !staged {
		time.Sleep(20 * time.Millisecond)
		filepath.WalkDir(target, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(p, ".quarry-staging-") {
				if info, err := d.Info(); err == nil && info.Size() > 0 {
					staged = true
				}
			}
			return nil
		})
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if !staged {
		t.Fatalf("the CTAS never staged a file within the deadline")
	}
	// Nothing visible: no table, and only hidden staging files.
	stdout, stderr, code := runQuarry(t, home, "", "sql", "--format", "csv", "-e", "SHOW TABLES")
	if code != 0 {
		t.Fatalf("catalog unusable after kill -9: %s", stderr)
	}
	if !strings.Contains(stderr, "notice: recovered the interrupted write staged in "+target+"/.quarry-staging-") {
		t.Errorf("the next start did not report the recovery: %s", stderr)
	}
	if strings.Contains(stdout, "big") {
		t.Errorf("the killed CTAS left a table: %s", stdout)
	}
	// That start recovered the killed write: its staging folder is gone.
	filepath.WalkDir(target, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != target {
			t.Errorf("the killed CTAS left %s after the next start", p)
		}
		return nil
	})
	// A table declared over the location reads nothing of the staged data.
	stdout, stderr, code = runQuarry(t, home, "", "sql", "--format", "csv", "--quiet", "-e",
		"CREATE EXTERNAL TABLE seen (x bigint, y string) LOCATION '"+target+"'; SELECT count(*) AS c FROM seen")
	if code != 0 {
		t.Fatal(stderr)
	}
	if strings.TrimSpace(stdout) != "c\n0" {
		t.Errorf("a table over the killed CTAS's location reads %q, want 0 rows", stdout)
	}
}
