package cache

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/quarry-sql/quarry/source"
)

// maxMemoValue bounds one memo value (a gzip checkpoint index of a large
// file is a few MB).
const maxMemoValue = 32 << 20

// memoStore keeps small facts as files memo/<sha256(key)>, each holding
// the key (so a hash collision reads as a miss), the value and a CRC,
// written to a temporary file, synced and renamed: a reader sees a whole
// value or none. Entries count in the cache's budget and are evicted
// least recently used first, after every segment.
type memoStore struct {
	c       *Cache
	mu      sync.Mutex
	entries map[string]*memoEntry // by file name
	lru     list.List             // of *memoEntry, most recent first
	bytes   int64
	pending map[string]*memoPending // PutAsync in flight, by key; under mu
}

// memoPending is a value PutAsync is computing and writing.
type memoPending struct {
	done  chan struct{} // closed once value is set
	value []byte
}

type memoEntry struct {
	name string
	key  string
	size int64
	elem *list.Element
}

var _ source.Memo = (*memoStore)(nil)

var memoMagic = []byte("QMEMO1\n")

func memoName(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:20])
}

func newMemoStore(c *Cache) *memoStore {
	m := &memoStore{c: c, entries: map[string]*memoEntry{}, pending: map[string]*memoPending{}}
	m.rescan()
	return m
}

// rescan indexes the memo files on disk (read at Open; other processes'
// entries are found by Get).
func (m *memoStore) rescan() {
	entries, err := os.ReadDir(m.c.memoPath)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(m.c.memoPath, e.Name())
		if len(e.Name()) != 40 {
			m.c.removeIfOld(path, e)
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		key, _, ok := decodeMemo(b)
		if !ok || memoName(key) != e.Name() {
			os.Remove(path)
			continue
		}
		m.add(e.Name(), key, int64(len(b)))
	}
}

func (m *memoStore) add(name, key string, size int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old := m.entries[name]; old != nil {
		m.bytes += size - old.size
		old.size = size
		m.lru.MoveToFront(old.elem)
		return
	}
	e := &memoEntry{name: name, key: key, size: size}
	e.elem = m.lru.PushFront(e)
	m.entries[name] = e
	m.bytes += size
}

func (m *memoStore) forget(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.entries[name]; e != nil {
		m.lru.Remove(e.elem)
		delete(m.entries, name)
		m.bytes -= e.size
	}
}

func encodeMemo(key string, value []byte) []byte {
	b := make([]byte, 0, len(memoMagic)+len(key)+len(value)+24)
	b = append(b, memoMagic...)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(value)))
	b = append(b, value...)
	return binary.LittleEndian.AppendUint32(b, checksum(b))
}

func decodeMemo(b []byte) (string, []byte, bool) {
	if len(b) < len(memoMagic)+4 || !bytes.HasPrefix(b, memoMagic) {
		return "", nil, false
	}
	n := len(b) - 4
	if checksum(b[:n]) != binary.LittleEndian.Uint32(b[n:]) {
		return "", nil, false
	}
	p := b[len(memoMagic):n]
	kl, k := binary.Uvarint(p)
	if k <= 0 || kl > uint64(len(p)-k) {
		return "", nil, false
	}
	key := string(p[k : k+int(kl)])
	p = p[k+int(kl):]
	vl, k := binary.Uvarint(p)
	if k <= 0 || vl != uint64(len(p)-k) {
		return "", nil, false
	}
	return key, p[k:], true
}

// PutAsync computes and stores a value in the background, writing it once
// no raw read is in progress (activity); Close waits for it, and a Get of
// key meanwhile waits for the value.
func (m *memoStore) PutAsync(key string, value func() []byte) {
	c := m.c
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.jobs.Add(1)
	c.mu.Unlock()
	p := &memoPending{done: make(chan struct{})}
	m.mu.Lock()
	m.pending[key] = p
	m.mu.Unlock()
	go func() {
		defer c.jobs.Done()
		p.value = value()
		close(p.done)
		// Writing it can wait for the raw reads in progress, as fills do.
		c.raw.waitIdle(c.opts.FillDefer, nil)
		m.mu.Lock()
		current := m.pending[key] == p // not invalidated or superseded
		m.mu.Unlock()
		if current && p.value != nil {
			m.Put(key, p.value)
		}
		m.mu.Lock()
		if m.pending[key] == p {
			delete(m.pending, key)
		}
		m.mu.Unlock()
	}()
}

// Get returns the value stored for key, by this or another process.
func (m *memoStore) Get(key string) ([]byte, bool) {
	m.mu.Lock()
	p := m.pending[key]
	m.mu.Unlock()
	if p != nil {
		if <-p.done; p.value != nil {
			return p.value, true
		}
	}
	name := memoName(key)
	path := filepath.Join(m.c.memoPath, name)
	b, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			m.c.logf("memo %s: %v", path, err)
		}
		m.forget(name)
		return nil, false
	}
	k, v, ok := decodeMemo(b)
	if !ok {
		m.c.logf("memo %s: corrupt; deleted", path)
		os.Remove(path)
		m.forget(name)
		return nil, false
	}
	if k != key {
		return nil, false
	}
	m.add(name, key, int64(len(b)))
	return v, true
}

// Put stores value for key; a value that cannot be stored (too large,
// disk full or below the free-space floor, closed cache) is dropped.
func (m *memoStore) Put(key string, value []byte) {
	if len(value) > maxMemoValue || m.c.isClosed() {
		return
	}
	b := encodeMemo(key, value)
	if !m.c.freeOK(int64(len(b))) {
		return
	}
	name := memoName(key)
	if err := m.c.writeFile(filepath.Join(m.c.memoPath, name), b); err != nil {
		m.c.logf("memo: %v", err)
		return
	}
	m.add(name, key, int64(len(b)))
	m.c.mu.Lock()
	m.c.evictLocked()
	m.c.mu.Unlock()
}

func (m *memoStore) size() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bytes
}

func (m *memoStore) stats() (int, int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries), m.bytes
}

// evictOne deletes the least recently used entry.
func (m *memoStore) evictOne() bool {
	m.mu.Lock()
	e := m.lru.Back()
	if e == nil {
		m.mu.Unlock()
		return false
	}
	ent := e.Value.(*memoEntry)
	m.lru.Remove(e)
	delete(m.entries, ent.name)
	m.bytes -= ent.size
	m.mu.Unlock()
	os.Remove(filepath.Join(m.c.memoPath, ent.name))
	return true
}

func (m *memoStore) invalidate(substr string) {
	m.mu.Lock()
	for key := range m.pending {
		if strings.Contains(key, substr) {
			delete(m.pending, key)
		}
	}
	var names []string
	for name, e := range m.entries {
		if strings.Contains(e.key, substr) {
			names = append(names, name)
		}
	}
	m.mu.Unlock()
	for _, name := range names {
		os.Remove(filepath.Join(m.c.memoPath, name))
		m.forget(name)
	}
}

func (m *memoStore) clear() error {
	m.mu.Lock()
	clear(m.pending)
	m.mu.Unlock()
	entries, err := os.ReadDir(m.c.memoPath)
	if err != nil {
		return err
	}
	var first error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := os.Remove(filepath.Join(m.c.memoPath, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
		m.forget(e.Name())
	}
	return first
}
