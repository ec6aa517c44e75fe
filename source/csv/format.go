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
type Format struct{}

var _ source.Format = Format{}

// Name is the STORED AS name.
func (Format) Name() string { return catalog.FormatText }

// Split cuts an uncompressed LazySimpleSerDe file larger than target into
// byte ranges of about target bytes. Compressed files, zip archives,
// OpenCSV files (a quoted field may hold a newline, so a range cannot find
// its first record) and files with a footer to skip are one split.
func (Format) Split(t *catalog.Table, file objstore.ObjectInfo, target int64) []source.Split {
	whole := []source.Split{{Offset: 0, Length: -1}}
	if target <= 0 || file.Size <= target || compress.ByExtension(file.Location) != compress.None {
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
// it starts at 0, in which case it reads the whole file.
func (Format) Open(ctx context.Context, req *source.Request) (source.BatchReader, error) {
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
	if err := r.open(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}
