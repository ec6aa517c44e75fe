package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/sink"
)

// recoverTimeout bounds the recovery of one write at start (an S3 location
// that does not answer must not keep the engine from opening).
const recoverTimeout = 30 * time.Second

// recoverWrites finishes the writes a killed process left behind. Every
// pending record found when the catalog opens belongs to a dead writer
// (the catalog is held by one process at a time). What its staging folder's
// journal says decides:
//   - nothing published yet: remove the staging folder;
//   - some files published, not all: delete them (their names are new to
//     this write), then the staging folder;
//   - all published: an INSERT is rolled forward (its partitions registered,
//     as the statement would have done); a CREATE TABLE AS whose table was
//     registered is complete, one whose table was not is rolled back; an
//     UNLOAD is complete.
//
// A write that cannot be recovered now (storage unreachable) keeps its
// record for the next start; the error is returned for the caller to
// report, never to fail the start.
func (e *Engine) recoverWrites(ctx context.Context) ([]string, error) {
	pending, err := e.cat.PendingWrites(ctx)
	if err != nil {
		return nil, err
	}
	var done []string
	var errs []error
	for _, pw := range pending {
		if err := e.recoverWrite(ctx, pw); err != nil {
			errs = append(errs, fmt.Errorf("recover %s into %s (staging %s): %w", pw.Kind, pw.Location, pw.Staging, err))
			continue
		}
		if sink.IsStaging(pw.Staging) {
			done = append(done, pw.Staging)
		}
	}
	return done, errors.Join(errs...)
}

func (e *Engine) recoverWrite(ctx context.Context, pw catalog.PendingWrite) error {
	ctx, cancel := context.WithTimeout(ctx, recoverTimeout)
	defer cancel()
	if !sink.IsStaging(pw.Staging) {
		// Never delete what is not a staging folder, whatever the record says.
		return e.cat.EndWrite(ctx, pw.ID)
	}
	store, writer, err := e.writerFor(pw.Staging)
	if err != nil {
		return err
	}
	rec, err := sink.Inspect(ctx, store, pw.Staging)
	if err != nil {
		return err
	}
	forward := false
	if rec.Journal != nil && rec.Published {
		switch pw.Kind {
		case kindInsert:
			if len(rec.Journal.Partitions) > 0 {
				if err := e.cat.AddPartitions(ctx, pw.Schema, pw.Table, rec.Journal.Partitions, true); err != nil && !errors.Is(err, catalog.ErrNotFound) {
					return err
				}
			}
			forward = true
		case kindCTAS:
			t, err := e.cat.GetTable(ctx, pw.Schema, pw.Table)
			forward = err == nil && t.Location == pw.Location
		default:
			forward = true
		}
	}
	if forward {
		err = rec.Forget(ctx, writer)
	} else {
		err = rec.RollBack(ctx, writer)
	}
	if err != nil {
		return err
	}
	return e.cat.EndWrite(ctx, pw.ID)
}
