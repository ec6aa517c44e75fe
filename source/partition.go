package source

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
)

// DefaultPartitionName is the folder value Hive writes for a NULL or empty
// partition value.
const DefaultPartitionName = "__HIVE_DEFAULT_PARTITION__"

// discoverConcurrency bounds the folder listings in flight: enough to hide
// S3 latency, few enough not to be throttled.
const discoverConcurrency = 64

// hiveEscape marks the bytes Hive's FileUtils.escapePathName escapes.
var hiveEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for _, c := range "\"#%'*/:=?\\\x7f{[]^" {
		t[c] = true
	}
	return t
}()

// EscapePathName escapes a partition value (or key) the way Hive does in
// folder names: the bytes of / = % : and a few others become %XX. An empty
// value becomes DefaultPartitionName.
func EscapePathName(s string) string {
	if s == "" {
		return DefaultPartitionName
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if hiveEscape[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if hiveEscape[c] {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// UnescapePathName reverses EscapePathName. Like Hive, a % not followed by
// two hex digits is kept as it is.
func UnescapePathName(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// PartitionPath returns the relative folder of a partition,
// "k1=v1/k2=v2", with keys and values escaped as Hive does.
func PartitionPath(keys, values []string) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(EscapePathName(k))
		b.WriteByte('=')
		if i < len(values) {
			b.WriteString(EscapePathName(values[i]))
		} else {
			b.WriteString(DefaultPartitionName)
		}
	}
	return b.String()
}

// JoinLocation appends a relative path to a folder location.
func JoinLocation(location, rel string) string {
	if rel == "" {
		return location
	}
	return strings.TrimSuffix(location, "/") + "/" + rel
}

// lastSegment returns the last path segment of a folder location
// ("s3://b/t/k=v/" → "k=v").
func lastSegment(location string) string {
	s := strings.TrimSuffix(location, "/")
	return s[strings.LastIndexByte(s, '/')+1:]
}

// DiscoverPartitions finds the Hive-style partition folders under location:
// for keys (a, b) every folder location/a=x/b=y. Each level is listed with
// ListDir, many folders in parallel. Folders whose name is not key=value
// for the key expected at their level (Spark's _temporary, a stray
// "backup" folder, a=... below the wrong level) are ignored, as MSCK
// REPAIR ignores them. Key names compare case-insensitively; values are
// unescaped (%2F → /) and returned as Hive stores them, so a NULL value is
// DefaultPartitionName. The result is sorted by values.
func DiscoverPartitions(ctx context.Context, store objstore.Store, location string, keys []string) ([]catalog.Partition, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var (
		mu  sync.Mutex
		out []catalog.Partition
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(discoverConcurrency)
	var walk func(dir string, values []string) error
	walk = func(dir string, values []string) error {
		_, prefixes, err := store.ListDir(gctx, dir)
		if err != nil {
			if len(values) > 0 && isNotFound(err) {
				return nil // removed while we walked
			}
			return fmt.Errorf("discover partitions of %s: %w", location, err)
		}
		key := keys[len(values)]
		for _, p := range prefixes {
			name := lastSegment(p)
			k, v, ok := strings.Cut(name, "=")
			if !ok || !strings.EqualFold(UnescapePathName(k), key) {
				continue
			}
			vals := make([]string, len(values)+1)
			copy(vals, values)
			vals[len(values)] = UnescapePathName(v)
			if len(vals) == len(keys) {
				mu.Lock()
				out = append(out, catalog.Partition{Values: vals, Location: strings.TrimSuffix(p, "/")})
				mu.Unlock()
				continue
			}
			// Run a child listing on a free worker, or inline when all
			// are busy: a worker never blocks waiting for a slot, so the
			// recursion cannot deadlock.
			child := func() error { return walk(p, vals) }
			if !g.TryGo(child) {
				if err := child(); err != nil {
					return err
				}
			}
		}
		return nil
	}
	g.Go(func() error { return walk(location, nil) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return lessValues(out[i].Values, out[j].Values) })
	return out, nil
}

func lessValues(a, b []string) bool {
	for i := range a {
		if i >= len(b) {
			return false
		}
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func isNotFound(err error) bool {
	return err != nil && errors.Is(err, objstore.ErrNotFound)
}
