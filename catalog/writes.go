package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketWrites holds the writes (CTAS, INSERT, UNLOAD) in progress. The
// catalog is held by one process at a time, so a record found when the
// catalog is opened belongs to a writer that died: its staging folder is
// to be recovered (see sink.Inspect) and the record dropped.
var bucketWrites = []byte("writes")

// PendingWrite is a write in progress.
type PendingWrite struct {
	ID string `json:"id"`
	// Kind is "CREATE TABLE AS", "INSERT" or "UNLOAD".
	Kind string `json:"kind"`
	// Schema and Table name the target table (empty for UNLOAD).
	Schema string `json:"schema,omitempty"`
	Table  string `json:"table,omitempty"`
	// Location is the table's (or UNLOAD's) root; Staging the writer's
	// staging folder below it.
	Location string    `json:"location"`
	Staging  string    `json:"staging"`
	Started  time.Time `json:"started"`
}

// BeginWrite records a write before it creates anything.
func (s *Store) BeginWrite(ctx context.Context, w PendingWrite) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if w.ID == "" || w.Staging == "" {
		return errors.New("BUG: a pending write needs an ID and a staging folder")
	}
	v, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return s.db.Batch(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketWrites)
		if err != nil {
			return err
		}
		return b.Put([]byte(w.ID), v)
	})
}

// EndWrite forgets a write that committed or was cleaned up.
func (s *Store) EndWrite(ctx context.Context, id string) error {
	return s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWrites)
		if b == nil {
			return nil
		}
		return b.Delete([]byte(id))
	})
}

// PendingWrites lists the writes recorded and not ended.
func (s *Store) PendingWrites(ctx context.Context) ([]PendingWrite, error) {
	var out []PendingWrite
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWrites)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var w PendingWrite
			if err := json.Unmarshal(v, &w); err != nil {
				return err
			}
			out = append(out, w)
			return nil
		})
	})
	return out, err
}
