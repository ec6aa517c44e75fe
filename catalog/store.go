package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/quarry-sql/quarry/types"
)

// Store is the embedded persistent Catalog: one bbolt file, dir/catalog.db.
//
// Layout (bucket names in brackets):
//
//	[meta]      "version" → formatVersion
//	[schemas]   [<schema>] "info" → schemaRecord
//	                       [tables]     <table> → tableRecord (JSON)
//	                       [partitions] [<table>] <k=v/...> → partitionRecord
//	[history]   8-byte big-endian sequence → historyRecord
//
// Every method is one bbolt transaction, so every mutation is atomic and a
// crash (kill -9 included) leaves the catalog before or after it. Partition
// keys are Hive partition names, so a table's partitions list in path
// order with a single cursor scan.
//
// Concurrency: bbolt takes an exclusive flock on the file for as long as it
// is open, and a Store keeps it open for its lifetime. A second process (or
// a second Open in the same process: flock is per open file) waits
// Options.LockTimeout and then fails with an error wrapping ErrInUse that
// names the holder's pid. We chose this over opening the file per
// operation: that would let a CLI run next to `quarry serve`, but reopening
// re-maps the file and re-reads the freelist on every statement, and lock
// waits would surface at random statements instead of once at startup.
// Within a process a Store is safe for concurrent use.
type Store struct {
	db           *bolt.DB
	dir          string
	pidPath      string
	historyLimit int
	history      historyQueue
}

// historyQueue holds history entries not yet written. Recording a query
// must not cost the query a disk sync (about 10 ms: bbolt's batch delay and
// fdatasync), so AddHistory queues the entry and a background writer
// stores what has queued in one transaction; History and Close write the
// queue first, so a reader always sees every entry added before it.
type historyQueue struct {
	mu      sync.Mutex
	pending []HistoryEntry
	dropped uint64     // entries dropped from the queue's front, still numbered
	write   sync.Mutex // one writer at a time, in queue order
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

var _ Catalog = (*Store)(nil)

// Options tune Open. The zero value gives the defaults.
type Options struct {
	// LockTimeout is how long Open waits for another process to release
	// the catalog; default 2s.
	LockTimeout time.Duration
	// HistoryLimit is how many history entries are kept; default 10,000.
	HistoryLimit int
}

const (
	defaultLockTimeout  = 2 * time.Second
	defaultHistoryLimit = 10000
	dbFileName          = "catalog.db"
	pidFileName         = "catalog.pid"
)

var (
	bucketMeta       = []byte("meta")
	bucketSchemas    = []byte("schemas")
	bucketHistory    = []byte("history")
	bucketTables     = []byte("tables")
	bucketPartitions = []byte("partitions")
	keyVersion       = []byte("version")
	keyInfo          = []byte("info")
)

type schemaRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// Open opens (creating if needed) the catalog in dir with default options.
func Open(dir string) (*Store, error) { return OpenWithOptions(dir, Options{}) }

// OpenWithOptions opens (creating if needed) the catalog in dir.
func OpenWithOptions(dir string, opt Options) (*Store, error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = defaultLockTimeout
	}
	if opt.HistoryLimit <= 0 {
		opt.HistoryLimit = defaultHistoryLimit
	}
	// 0700: the history holds every statement users ran.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create catalog directory: %w", err)
	}
	path := filepath.Join(dir, dbFileName)
	pidPath := filepath.Join(dir, pidFileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.LockTimeout})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			holder := ""
			if b, rerr := os.ReadFile(pidPath); rerr == nil {
				if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
					holder = fmt.Sprintf(" (pid %d)", pid)
				}
			}
			return nil, newError(ErrInUse, fmt.Sprintf("catalog %s is in use by another quarry process%s; stop it or use another data directory (--catalog or QUARRY_HOME)", path, holder))
		}
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	s := &Store{db: db, dir: dir, pidPath: pidPath, historyLimit: opt.HistoryLimit}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	s.history.wake = make(chan struct{}, 1)
	s.history.stop = make(chan struct{})
	s.history.done = make(chan struct{})
	go s.historyWriter()
	// The pid file only improves the "in use" message; it is written while
	// holding the lock, so a stale one from a killed process is overwritten
	// before anyone could read it.
	_ = os.WriteFile(pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return s, nil
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if v := meta.Get(keyVersion); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("bad format version %q", v)
			}
			if n > formatVersion {
				return fmt.Errorf("catalog format version %d was written by a newer quarry (this one reads up to %d)", n, formatVersion)
			}
		} else if err := meta.Put(keyVersion, []byte(strconv.Itoa(formatVersion))); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketSchemas, bucketHistory} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if schemaBucket(tx, DefaultSchema) == nil {
			return createSchema(tx, DefaultSchema)
		}
		return nil
	})
}

// Dir returns the directory the catalog lives in.
func (s *Store) Dir() string { return s.dir }

// Close releases the catalog. It is safe to call more than once.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	close(s.history.stop)
	<-s.history.done
	_ = s.flushHistory()
	if b, err := os.ReadFile(s.pidPath); err == nil && strings.TrimSpace(string(b)) == strconv.Itoa(os.Getpid()) {
		_ = os.Remove(s.pidPath)
	}
	err := s.db.Close()
	s.db = nil
	return err
}

func fold(name string) string { return strings.ToLower(name) }

func schemaBucket(tx *bolt.Tx, schema string) *bolt.Bucket {
	return tx.Bucket(bucketSchemas).Bucket([]byte(schema))
}

func createSchema(tx *bolt.Tx, name string) error {
	b, err := tx.Bucket(bucketSchemas).CreateBucket([]byte(name))
	if err != nil {
		return err
	}
	info, err := json.Marshal(schemaRecord{Name: name, Created: time.Now().UTC()})
	if err != nil {
		return err
	}
	if err := b.Put(keyInfo, info); err != nil {
		return err
	}
	if _, err := b.CreateBucket(bucketTables); err != nil {
		return err
	}
	_, err = b.CreateBucket(bucketPartitions)
	return err
}

func schemaNames(tx *bolt.Tx) []string {
	var names []string
	_ = tx.Bucket(bucketSchemas).ForEachBucket(func(k []byte) error {
		names = append(names, string(k))
		return nil
	})
	return names
}

// requireSchema returns the schema's bucket or an ErrNotFound error that
// suggests a near schema name.
func requireSchema(tx *bolt.Tx, schema string) (*bolt.Bucket, error) {
	if b := schemaBucket(tx, schema); b != nil {
		return b, nil
	}
	return nil, newError(ErrNotFound, fmt.Sprintf("Schema '%s' does not exist%s", schema, didYouMean(schema, schemaNames(tx))))
}

func tableNames(sb *bolt.Bucket) []string {
	var names []string
	_ = sb.Bucket(bucketTables).ForEach(func(k, _ []byte) error {
		names = append(names, string(k))
		return nil
	})
	return names
}

// getTable reads one table, or returns an ErrNotFound error suggesting a
// near table name in the same schema.
func getTable(tx *bolt.Tx, schema, name string) (*Table, error) {
	sb, err := requireSchema(tx, schema)
	if err != nil {
		return nil, err
	}
	v := sb.Bucket(bucketTables).Get([]byte(name))
	if v == nil {
		return nil, newError(ErrNotFound, fmt.Sprintf("Table '%s.%s.%s' does not exist%s", Name, schema, name, didYouMean(name, tableNames(sb))))
	}
	t, err := decodeTable(v)
	if err != nil {
		return nil, fmt.Errorf("catalog entry for table %s.%s is corrupt: %w", schema, name, err)
	}
	return t, nil
}

func checkName(what, name string) error {
	if strings.TrimSpace(name) == "" {
		return invalidf("%s name is empty", what)
	}
	return nil
}

// ListSchemas returns schema names in sorted order.
func (s *Store) ListSchemas(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var names []string
	err := s.db.View(func(tx *bolt.Tx) error {
		names = schemaNames(tx)
		return nil
	})
	return names, err
}

// SchemaExists reports whether the schema exists.
func (s *Store) SchemaExists(ctx context.Context, schema string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	schema = fold(schema)
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		ok = schemaBucket(tx, schema) != nil
		return nil
	})
	return ok, err
}

// CreateSchema creates a schema; an existing one is an error wrapping
// ErrExists unless ifNotExists.
func (s *Store) CreateSchema(ctx context.Context, schema string, ifNotExists bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	schema = fold(schema)
	if err := checkName("schema", schema); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if schemaBucket(tx, schema) != nil {
			if ifNotExists {
				return nil
			}
			return newError(ErrExists, fmt.Sprintf("schema %s already exists", schema))
		}
		return createSchema(tx, schema)
	})
}

// DropSchema removes a schema and, with cascade, its tables, views and
// partitions. Data files are never touched. The default schema cannot be
// dropped.
func (s *Store) DropSchema(ctx context.Context, schema string, ifExists, cascade bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	schema = fold(schema)
	if schema == DefaultSchema {
		return invalidf("schema %s cannot be dropped", DefaultSchema)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		sb, err := requireSchema(tx, schema)
		if err != nil {
			if ifExists {
				return nil
			}
			return err
		}
		if !cascade {
			if k, _ := sb.Bucket(bucketTables).Cursor().First(); k != nil {
				return newError(ErrNotEmpty, fmt.Sprintf("schema %s is not empty; drop its tables and views first or use CASCADE", schema))
			}
		}
		return tx.Bucket(bucketSchemas).DeleteBucket([]byte(schema))
	})
}

// ListTables returns the tables and views of a schema, sorted by name.
func (s *Store) ListTables(ctx context.Context, schema string) ([]*Table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	schema = fold(schema)
	var out []*Table
	err := s.db.View(func(tx *bolt.Tx) error {
		sb, err := requireSchema(tx, schema)
		if err != nil {
			return err
		}
		return sb.Bucket(bucketTables).ForEach(func(k, v []byte) error {
			t, err := decodeTable(v)
			if err != nil {
				return fmt.Errorf("catalog entry for table %s.%s is corrupt: %w", schema, k, err)
			}
			out = append(out, t)
			return nil
		})
	})
	return out, err
}

// GetTable returns a table or view. The result is the caller's to modify.
func (s *Store) GetTable(ctx context.Context, schema, name string) (*Table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var t *Table
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		t, err = getTable(tx, fold(schema), fold(name))
		return err
	})
	return t, err
}

// prepare copies, normalizes and validates a definition for storing; the
// caller's value is left as it was.
func prepare(t *Table) (*Table, error) {
	if t == nil {
		return nil, invalidf("no table definition")
	}
	c := cloneTable(t)
	NormalizeTable(c)
	if err := ValidateTable(c); err != nil {
		return nil, err
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC()
	}
	return c, nil
}

// CreateTable stores a new table or view after NormalizeTable and
// ValidateTable. An existing table or view of that name is a no-op with
// ifNotExists and an error wrapping ErrExists otherwise.
func (s *Store) CreateTable(ctx context.Context, t *Table, ifNotExists bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := prepare(t)
	if err != nil {
		return err
	}
	val, err := encodeTable(c)
	if err != nil {
		return fmt.Errorf("table %s.%s: %w", c.Schema, c.Name, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error { return createTableTx(tx, c, val, ifNotExists) })
}

func createTableTx(tx *bolt.Tx, c *Table, val []byte, ifNotExists bool) error {
	sb, err := requireSchema(tx, c.Schema)
	if err != nil {
		return err
	}
	tb := sb.Bucket(bucketTables)
	if old := tb.Get([]byte(c.Name)); old != nil {
		if ifNotExists {
			return nil
		}
		return newError(ErrExists, fmt.Sprintf("%s %s.%s already exists", kindWord(old), c.Schema, c.Name))
	}
	return tb.Put([]byte(c.Name), val)
}

// CreateTableWithPartitions stores a new table and its partitions in one
// transaction (CREATE TABLE AS): both are visible, or neither.
func (s *Store) CreateTableWithPartitions(ctx context.Context, t *Table, parts []Partition) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := prepare(t)
	if err != nil {
		return err
	}
	val, err := encodeTable(c)
	if err != nil {
		return fmt.Errorf("table %s.%s: %w", c.Schema, c.Name, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := createTableTx(tx, c, val, false); err != nil {
			return err
		}
		if len(parts) == 0 {
			return nil
		}
		return addPartitionsTx(tx, c.Schema, c.Name, parts, false)
	})
}

// kindWord names what a stored entry is, for messages.
func kindWord(stored []byte) string {
	if t, err := decodeTable(stored); err == nil && t.Kind == View {
		return "view"
	}
	return "table"
}

// ReplaceView creates a view or replaces an existing view; replacing a
// table is an error wrapping ErrExists.
func (s *Store) ReplaceView(ctx context.Context, t *Table) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t == nil {
		return invalidf("no view definition")
	}
	if t.Kind == "" && t.ViewSQL != "" {
		t2 := *t
		t2.Kind = View
		t = &t2
	}
	if t.Kind != View {
		return invalidf("%s.%s is not a view definition", t.Schema, t.Name)
	}
	c, err := prepare(t)
	if err != nil {
		return err
	}
	val, err := encodeTable(c)
	if err != nil {
		return fmt.Errorf("view %s.%s: %w", c.Schema, c.Name, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		sb, err := requireSchema(tx, c.Schema)
		if err != nil {
			return err
		}
		tb := sb.Bucket(bucketTables)
		if old := tb.Get([]byte(c.Name)); old != nil && kindWord(old) != "view" {
			return newError(ErrExists, fmt.Sprintf("table %s.%s already exists and is not a view", c.Schema, c.Name))
		}
		return tb.Put([]byte(c.Name), val)
	})
}

// DropTable removes a table or view and its partitions from the catalog.
// It never deletes data files.
func (s *Store) DropTable(ctx context.Context, schema, name string, ifExists bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	schema, name = fold(schema), fold(name)
	return s.db.Update(func(tx *bolt.Tx) error {
		if _, err := getTable(tx, schema, name); err != nil {
			if ifExists && errors.Is(err, ErrNotFound) {
				return nil
			}
			return err
		}
		sb := schemaBucket(tx, schema)
		if err := sb.Bucket(bucketTables).Delete([]byte(name)); err != nil {
			return err
		}
		pb := sb.Bucket(bucketPartitions)
		if pb.Bucket([]byte(name)) != nil {
			return pb.DeleteBucket([]byte(name))
		}
		return nil
	})
}

// partitionTable loads a table for a partition operation and checks it can
// have partitions.
func partitionTable(tx *bolt.Tx, schema, name string) (*Table, error) {
	t, err := getTable(tx, schema, name)
	if err != nil {
		return nil, err
	}
	if t.Kind == View {
		return nil, invalidf("%s.%s is a view; views have no partitions", schema, name)
	}
	if len(t.PartitionKeys) == 0 {
		return nil, invalidf("table %s.%s is not partitioned", schema, name)
	}
	return t, nil
}

func partitionSpec(t *Table, values []string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, k := range t.PartitionKeys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k.Name)
		b.WriteString("='")
		if i < len(values) {
			b.WriteString(escapeHiveString(values[i]))
		}
		b.WriteByte('\'')
	}
	b.WriteByte(')')
	return b.String()
}

func checkValues(t *Table, values []string) error {
	if len(values) != len(t.PartitionKeys) {
		return invalidf("partition of table %s.%s has %d values, but the table has %d partition columns (%s)",
			t.Schema, t.Name, len(values), len(t.PartitionKeys), strings.Join(columnNames(t.PartitionKeys), ", "))
	}
	return nil
}

// ListPartitions returns a table's partitions in partition-name order.
func (s *Store) ListPartitions(ctx context.Context, schema, table string) ([]Partition, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	schema, table = fold(schema), fold(table)
	var out []Partition
	err := s.db.View(func(tx *bolt.Tx) error {
		t, err := getTable(tx, schema, table)
		if err != nil {
			return err
		}
		if t.Kind == View {
			return nil
		}
		pb := schemaBucket(tx, schema).Bucket(bucketPartitions).Bucket([]byte(table))
		if pb == nil {
			return nil
		}
		out = make([]Partition, 0, pb.Stats().KeyN)
		return pb.ForEach(func(k, v []byte) error {
			var r partitionRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("catalog entry for partition %s of table %s.%s is corrupt: %w", k, schema, table, err)
			}
			out = append(out, Partition(r))
			return nil
		})
	})
	return out, err
}

// AddPartitions registers partitions in one transaction: all are added or
// none. A partition without a location gets the Hive default,
// <table location>/k1=v1/k2=v2. An existing partition (or one repeated in
// parts) is an error wrapping ErrExists unless ifNotExists, in which case
// the existing one is kept, as in Hive.
func (s *Store) AddPartitions(ctx context.Context, schema, table string, parts []Partition, ifNotExists bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	schema, table = fold(schema), fold(table)
	return s.db.Update(func(tx *bolt.Tx) error { return addPartitionsTx(tx, schema, table, parts, ifNotExists) })
}

func addPartitionsTx(tx *bolt.Tx, schema, table string, parts []Partition, ifNotExists bool) error {
	t, err := partitionTable(tx, schema, table)
	if err != nil {
		return err
	}
	type kv struct {
		k, v   []byte
		values []string
	}
	recs := make([]kv, 0, len(parts))
	now := time.Now().UTC()
	for _, p := range parts {
		if err := checkValues(t, p.Values); err != nil {
			return err
		}
		name := PartitionName(t.PartitionKeys, p.Values)
		loc := normalizeLocation(p.Location)
		if loc == "" {
			loc = joinLocation(t.Location, name)
		} else if err := ValidateLocation(loc); err != nil {
			return fmt.Errorf("partition %s of table %s.%s: %w", partitionSpec(t, p.Values), schema, table, err)
		}
		created := p.Created
		if created.IsZero() {
			created = now
		}
		v, err := json.Marshal(partitionRecord{Values: p.Values, Location: loc, Created: created})
		if err != nil {
			return err
		}
		recs = append(recs, kv{[]byte(name), v, p.Values})
	}
	pb, err := schemaBucket(tx, schema).Bucket(bucketPartitions).CreateBucketIfNotExists([]byte(table))
	if err != nil {
		return err
	}
	// Inserting in key order fills bbolt pages sequentially; a batch
	// from MSCK REPAIR arrives in listing order, which is close to it.
	slices.SortStableFunc(recs, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	for _, r := range recs {
		if pb.Get(r.k) != nil {
			if ifNotExists {
				continue
			}
			return newError(ErrExists, fmt.Sprintf("partition %s of table %s.%s already exists", partitionSpec(t, r.values), schema, table))
		}
		if err := pb.Put(r.k, r.v); err != nil {
			return err
		}
	}
	return nil
}

// DropPartitions removes partitions from the catalog in one transaction;
// data files are untouched. A missing partition is an error wrapping
// ErrNotFound unless ifExists.
func (s *Store) DropPartitions(ctx context.Context, schema, table string, values [][]string, ifExists bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	schema, table = fold(schema), fold(table)
	return s.db.Update(func(tx *bolt.Tx) error {
		t, err := partitionTable(tx, schema, table)
		if err != nil {
			return err
		}
		pb := schemaBucket(tx, schema).Bucket(bucketPartitions).Bucket([]byte(table))
		for _, vals := range values {
			if err := checkValues(t, vals); err != nil {
				return err
			}
			k := []byte(PartitionName(t.PartitionKeys, vals))
			if pb == nil || pb.Get(k) == nil {
				if ifExists {
					continue
				}
				return newError(ErrNotFound, fmt.Sprintf("partition %s of table %s.%s does not exist", partitionSpec(t, vals), schema, table))
			}
			if err := pb.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// joinLocation appends a relative path to a folder location, which may be
// a URL or a local path, with exactly one slash between.
func joinLocation(base, rel string) string {
	return strings.TrimRight(base, "/") + "/" + rel
}

// AddHistory appends an entry and trims the history to the newest
// HistoryLimit entries. An entry without an ID gets its sequence number.
func (s *Store) AddHistory(ctx context.Context, e HistoryEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q := &s.history
	q.mu.Lock()
	q.pending = append(q.pending, e)
	// Entries past the limit would be trimmed on write anyway; a disk that
	// stalls must not make the queue grow without bound.
	if n := len(q.pending) - s.historyLimit; n > 0 {
		q.pending = append(q.pending[:0], q.pending[n:]...)
		q.dropped += uint64(n)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return nil
}

// historyWriter writes queued history entries until Close.
func (s *Store) historyWriter() {
	defer close(s.history.done)
	for {
		select {
		case <-s.history.stop:
			return
		case <-s.history.wake:
			_ = s.flushHistory()
		}
	}
}

// flushHistory writes every queued entry in one transaction, trimming the
// history to the newest historyLimit entries.
func (s *Store) flushHistory() error {
	q := &s.history
	q.write.Lock()
	defer q.write.Unlock()
	q.mu.Lock()
	batch, dropped := q.pending, q.dropped
	q.pending, q.dropped = nil, 0
	q.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		hb := tx.Bucket(bucketHistory)
		seq := hb.Sequence() + dropped
		if err := hb.SetSequence(seq); err != nil {
			return err
		}
		for _, e := range batch {
			var err error
			if seq, err = hb.NextSequence(); err != nil {
				return err
			}
			if e.ID == "" {
				e.ID = strconv.FormatUint(seq, 10)
			}
			v, err := json.Marshal(historyRecord(e))
			if err != nil {
				return err
			}
			if err := hb.Put(seqKey(seq), v); err != nil {
				return err
			}
		}
		// Keys are dense sequence numbers, so everything at or below
		// seq-limit is surplus; deleting from the front keeps this O(1)
		// amortized instead of counting the bucket.
		if seq <= uint64(s.historyLimit) {
			return nil
		}
		cutoff := seqKey(seq - uint64(s.historyLimit))
		c := hb.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, cutoff) <= 0; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

func seqKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

// History returns up to limit entries, newest first; limit <= 0 means all
// that are kept.
func (s *Store) History(ctx context.Context, limit int) ([]HistoryEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.flushHistory(); err != nil {
		return nil, err
	}
	var out []HistoryEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketHistory).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var r historyRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("catalog history entry %d is corrupt: %w", binary.BigEndian.Uint64(k), err)
			}
			out = append(out, HistoryEntry(r))
		}
		return nil
	})
	return out, err
}

func columnNames(cols []types.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// cloneTable copies a Table deeply enough that normalizing the copy never
// changes the caller's value: slices and maps are copied; types are
// immutable values and are shared.
func cloneTable(t *Table) *Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	c.PartitionKeys = slices.Clone(t.PartitionKeys)
	c.SerDeProps = maps.Clone(t.SerDeProps)
	c.Properties = maps.Clone(t.Properties)
	return &c
}
