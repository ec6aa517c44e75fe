package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/quarry-sql/quarry/sql/ast"
)

// Users holds password hashes for HTTP Basic authentication.
type Users struct {
	hashes map[string][]byte

	// verified remembers, per user, the SHA-256 of the last password that
	// passed bcrypt, so paging requests (one per result page) do not pay
	// bcrypt's deliberate cost each time.
	mu       sync.Mutex
	verified map[string][32]byte
}

// LoadUsers reads a users file: one "user:bcrypt-hash" per line; blank
// lines and lines starting with # are ignored.
func LoadUsers(path string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	u, err := ParseUsers(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

// ParseUsers parses the users file format of LoadUsers.
func ParseUsers(r io.Reader) (*Users, error) {
	u := &Users{hashes: map[string][]byte{}, verified: map[string][32]byte{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		name, hash, ok := strings.Cut(s, ":")
		name, hash = strings.TrimSpace(name), strings.TrimSpace(hash)
		if !ok || name == "" || hash == "" {
			return nil, fmt.Errorf("line %d: want user:bcrypt-hash", line)
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, fmt.Errorf("line %d: user %s: not a bcrypt hash: %v", line, name, err)
		}
		u.hashes[name] = []byte(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(u.hashes) == 0 {
		return nil, fmt.Errorf("no users")
	}
	return u, nil
}

// Check reports whether password is user's.
func (u *Users) Check(user, password string) bool {
	hash, ok := u.hashes[user]
	if !ok {
		// Spend the same time as a wrong password, so user names cannot
		// be probed by timing.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false
	}
	sum := sha256.Sum256([]byte(password))
	u.mu.Lock()
	prev, seen := u.verified[user]
	u.mu.Unlock()
	if seen && subtle.ConstantTimeCompare(prev[:], sum[:]) == 1 {
		return true
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil {
		return false
	}
	u.mu.Lock()
	u.verified[user] = sum
	u.mu.Unlock()
	return true
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("quarry-dummy-password"), bcrypt.MinCost)

// readOnlyAllowed reports whether a read-only user may run st: queries,
// SHOW, DESCRIBE, EXPLAIN, USE and the session-only statements.
func readOnlyAllowed(st ast.Statement) bool {
	switch x := st.(type) {
	case *ast.Query, *ast.Show, *ast.Describe, *ast.Use, *ast.SetSession, *ast.ResetSession, *ast.Deallocate:
		return true
	case *ast.Explain:
		return readOnlyAllowed(x.Stmt)
	case *ast.Prepare:
		return readOnlyAllowed(x.Stmt)
	}
	return false
}

// rateLimiter is a token bucket per user.
type rateLimiter struct {
	rate  float64 // tokens per second; 0 disables
	burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(rate float64, burst int) *rateLimiter {
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(rate)))
	}
	return &rateLimiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// allow takes a token from user's bucket; when empty it returns how long
// until the next token.
func (l *rateLimiter) allow(user string, now time.Time) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[user]
	if b == nil {
		if len(l.buckets) > 100000 { // bound the map against user-name floods
			l.buckets = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[user] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
