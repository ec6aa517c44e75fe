package sink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
)

// A write publishes its files one rename at a time, so a process killed
// while publishing could leave some of them in the table. The journal makes
// that recoverable: before the first rename, Commit writes into the staging
// folder the list of files it is about to publish; after the last rename it
// adds the published marker. The staging folder is removed only once the
// caller has registered the write (Done). Whoever finds a staging folder of
// a dead writer (the next process, through its catalog's record of pending
// writes) reads the state with Inspect and rolls back — deletes the listed
// files, which are new names this write created — or, when the marker says
// every file was published, rolls forward.
const (
	journalName   = "_journal.json"
	publishedName = "_published"
)

// Journal is what a write records before it publishes.
type Journal struct {
	// Files are the final locations of every file the write publishes.
	Files []string `json:"files"`
	// Partitions are the partitions the write adds (for registration).
	Partitions []catalog.Partition `json:"partitions,omitempty"`
}

// Recovery is the state in which a writer left its staging folder.
type Recovery struct {
	Staging string
	// Journal is nil when the writer never started publishing: nothing of
	// it is visible and removing the staging folder undoes it.
	Journal *Journal
	// Published reports that every file in the journal was published.
	Published bool
}

// Inspect reads the state of a staging folder. A folder that does not
// exist (already cleaned up) inspects as nothing to do.
func Inspect(ctx context.Context, store objstore.Store, staging string) (Recovery, error) {
	rec := Recovery{Staging: staging}
	data, err := readSmall(ctx, store, staging+"/"+journalName)
	if errors.Is(err, objstore.ErrNotFound) {
		return rec, nil
	}
	if err != nil {
		return rec, err
	}
	var j Journal
	if err := json.Unmarshal(data, &j); err != nil {
		// The journal is written as one object, so a torn one means the
		// store lost data; the files it named cannot be known.
		return rec, fmt.Errorf("write journal %s/%s is unreadable: %w", staging, journalName, err)
	}
	rec.Journal = &j
	if _, err := store.Stat(ctx, staging+"/"+publishedName); err == nil {
		rec.Published = true
	} else if !errors.Is(err, objstore.ErrNotFound) {
		return rec, err
	}
	return rec, nil
}

// RollBack deletes the files the journal lists (those that were published
// — every name is new to this write, so nothing else is touched), then the
// staging folder.
func (r Recovery) RollBack(ctx context.Context, w objstore.Writer) error {
	if !IsStaging(r.Staging) {
		return fmt.Errorf("BUG: %s is not a staging folder", r.Staging)
	}
	if r.Journal != nil {
		for _, f := range r.Journal.Files {
			if err := w.DeleteAll(ctx, f); err != nil {
				return fmt.Errorf("roll back %s: %w", f, err)
			}
		}
	}
	return w.DeleteAll(ctx, r.Staging)
}

// Forget removes the staging folder of a write that is complete.
func (r Recovery) Forget(ctx context.Context, w objstore.Writer) error {
	if !IsStaging(r.Staging) {
		return fmt.Errorf("BUG: %s is not a staging folder", r.Staging)
	}
	return w.DeleteAll(ctx, r.Staging)
}

func writeSmall(ctx context.Context, w objstore.Writer, location string, data []byte) error {
	ow, err := w.Create(ctx, location)
	if err != nil {
		return err
	}
	if _, err := ow.Write(data); err != nil {
		ow.Abort()
		return err
	}
	if err := ow.Close(); err != nil {
		ow.Abort()
		return err
	}
	return nil
}

func readSmall(ctx context.Context, store objstore.Store, location string) ([]byte, error) {
	info, err := store.Stat(ctx, location)
	if err != nil {
		return nil, err
	}
	r, err := store.NewReader(ctx, info, 0, -1)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, 64<<20))
}

// IsStaging reports whether location names a staging folder of this
// package; recovery deletes nothing else.
func IsStaging(location string) bool {
	dir := strings.TrimSuffix(location, "/")
	return strings.HasPrefix(dir[strings.LastIndexByte(dir, '/')+1:], StagingPrefix)
}

// Store is the store the writer lists and reads its location with.
func (w *Writer) Store() objstore.Store { return w.opts.Store }
