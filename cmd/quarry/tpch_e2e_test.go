package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// sharedDir is ../shared beside the repository, as CI lays it out.
func sharedDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs("../../../shared")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared data missing at %s", d)
		}
		t.Skipf("shared data missing at %s", d)
	}
	return d
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// quarryBinary builds the real binary once per test run.
func quarryBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "quarry-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "quarry")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// runQuarry runs the binary with a catalog directory and returns stdout,
// stderr and the exit status.
func runQuarry(t *testing.T, home string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(quarryBinary(t), args...)
	cmd.Env = append(os.Environ(), "QUARRY_HOME="+home)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run quarry: %v", err)
	}
	return out.String(), errb.String(), code
}

// TestTPCH runs the 22 TPC-H queries at SF 0.01 through the quarry binary
// and compares every value with the reference answers: decimals exactly at
// the scale Quarry returns (Trino's avg of a decimal keeps the input scale,
// where the reference computed a double), doubles within 1e-9 relative.
func TestTPCH(t *testing.T) {
	shared := sharedDir(t)
	home := t.TempDir()
	ddl, err := os.ReadFile(filepath.Join(shared, "spec", "tpch-ddl.sql"))
	if err != nil {
		t.Fatal(err)
	}
	script := strings.ReplaceAll(string(ddl), "<tpch-dir>", filepath.Join(shared, "data", "tpch", "data", "sf-0.01"))
	if _, stderr, code := runQuarry(t, home, "", "sql", "--quiet", "-e", script); code != 0 {
		t.Fatalf("DDL failed (%d): %s", code, stderr)
	}
	for q := 1; q <= 22; q++ {
		name := fmt.Sprintf("q%02d", q)
		t.Run(name, func(t *testing.T) {
			sql, err := os.ReadFile(filepath.Join(shared, "data", "tpch", "queries", name+".sql"))
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := runQuarry(t, home, "", "sql", "--schema", "tpch", "--format", "csv", "--quiet", "-e", string(sql))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := readCSV(t, stdout, ',')
			wantText, err := os.ReadFile(filepath.Join(shared, "data", "tpch", "answers", "sf0.01", name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			want := readCSV(t, string(wantText), '|')
			if len(got) != len(want) {
				t.Fatalf("%d rows (with header), want %d\n%s", len(got), len(want), stdout)
			}
			for i := 1; i < len(want); i++ {
				if len(got[i]) != len(want[i]) {
					t.Fatalf("row %d: %d columns, want %d", i, len(got[i]), len(want[i]))
				}
				for c := range want[i] {
					if !sameValue(got[i][c], want[i][c]) {
						t.Errorf("row %d column %s: got %q, want %q", i, want[0][c], got[i][c], want[i][c])
					}
				}
			}
		})
	}
}

func readCSV(t *testing.T, s string, sep rune) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = sep
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, s)
	}
	return rows
}

// sameValue compares one answer cell.
func sameValue(got, want string) bool {
	got, want = strings.TrimSpace(got), strings.TrimSpace(want)
	if got == want {
		return true
	}
	g, ok1 := new(big.Rat).SetString(got)
	w, ok2 := new(big.Rat).SetString(want)
	if !ok1 || !ok2 {
		return false
	}
	if g.Cmp(w) == 0 {
		return true
	}
	// A decimal result: equal when the reference rounds (half up) to the
	// same value at Quarry's scale.
	if i := strings.IndexByte(got, '.'); i >= 0 && !strings.ContainsAny(got, "eE") {
		scale := len(got) - i - 1
		if roundRat(w, scale).Cmp(g) == 0 {
			return true
		}
	}
	gf, _ := g.Float64()
	wf, _ := w.Float64()
	return math.Abs(gf-wf) <= 1e-9*math.Max(math.Abs(gf), math.Abs(wf))
}

func roundRat(r *big.Rat, scale int) *big.Rat {
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	x := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow))
	num, den := x.Num(), x.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return new(big.Rat).SetFrac(q, pow)
}

func TestSameValue(t *testing.T) {
	cases := []struct {
		got, want string
		ok        bool
	}{
		{"25.58", "25.575154611454693", true},
		{"25.57", "25.575154611454693", false},
		{"0.05", "0.04999999999", true},
		{"1.0000000001", "1", true},
		{"1.1", "1", false},
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"-2.50", "-2.5", true},
	}
	for _, c := range cases {
		if got := sameValue(c.got, c.want); got != c.ok {
			t.Errorf("sameValue(%q, %q) = %v, want %v", c.got, c.want, got, c.ok)
		}
	}
}
