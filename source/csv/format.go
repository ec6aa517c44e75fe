package csv

import (
	"context"
	"fmt"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/source/compress"
)

// Format reads TEXTFILE tables. The zero value is ready to use.
type Format struct {
	// Memo, when set, keeps each gzip file's checkpoint index between
	// queries: the first whole read of a file with a version token
	// records it, and later queries split the file at its checkpoints
	// and inflate the pieces in parallel. Nil: no index.
	Memo source.Memo
}

var _ source.Format = Format{}

// Name is the STORED AS name.
func (Format) Name() string { return catalog.FormatText }

// Split cuts an uncompressed LazySimpleSerDe file larger than target into
// byte ranges of about target bytes. Compressed files, zip archives,
// OpenCSV files (a quoted field may hold a newline, so a range cannot find
// its first record) and files with a footer to skip are one split.
//
// A gzip file whose checkpoint index the Memo holds is cut into Decoded
// splits at its checkpoints instead (see indexedSplits).
func (f Format) Split(t *catalog.Table, file objstore.ObjectInfo, target int64) []source.Split {
	whole := []source.Split{{Offset: 0, Length: -1}}
	ext := compress.ByExtension(file.Location)
	if f.Memo != nil && file.Version != "" && (ext == compress.Gzip || ext == compress.None && target > 0 && file.Size > target) {
		// An unnamed file may be gzip too: its magic decides when read.
		if sp := f.indexedSplits(t, file, target); sp != nil {
			return sp
		}
	}
	if target <= 0 || file.Size <= target || ext != compress.None {
		return whole
	}
	o, err := parseOptions(t)
	if err != nil || o.serde != lazySimple || o.skipFooter > 0 {
		return whole // Open reports a bad table definition
	}
	var out []source.Split
	for off := int64(0); off < file.Size; off += target {
		out = append(out, source.Split{Offset: off, Length: min(target, file.Size-off)})
	}
	return out
}

// Open starts reading one split. A range of a file that turns out to be
// compressed (by its magic bytes, whatever its name) yields nothing unless
// it starts at 0, in which case it reads the whole file; BGZF files are
// the exception, read range by range. A Decoded split is a range of the
// decompressed stream that begins at a record.
func (f Format) Open(ctx context.Context, req *source.Request) (source.BatchReader, error) {
	loc := req.File.Location
	if req.Table == nil {
		return nil, fmt.Errorf("%s: no table definition", loc)
	}
	o, err := parseOptions(req.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: table %s.%s: %w", loc, req.Table.Schema, req.Table.Name, err)
	}
	r, err := newReader(ctx, req, o)
	if err != nil {
		return nil, err
	}
	r.memo = f.Memo
	if err := r.open(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}
