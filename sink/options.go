package sink

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
	"github.com/quarry-sql/quarry/types"
)

// Defaults for Options fields left zero.
const (
	DefaultMaxOpenPartitions = 100
	DefaultTargetFileBytes   = 512 << 20
	DefaultRowGroupBytes     = 128 << 20
	DefaultRowGroupRows      = 1 << 20
	DefaultMaxBufferedBytes  = 1 << 30
	DefaultFieldDelimiter    = "\x01"
)

// Options describe one write into one table location.
type Options struct {
	// Store lists the location (CleanupStale, checks); Writer creates,
	// publishes and deletes objects. For the local and S3 stores both are
	// the same value.
	Store  objstore.Store
	Writer objstore.Writer
	// Location is the table's root folder (a local path or s3:// URI).
	Location string
	// Format is catalog.FormatParquet (default), FormatText or FormatJSON.
	Format string
	// Compression is ZSTD, SNAPPY, GZIP or NONE. The default is ZSTD for
	// Parquet and NONE for text and JSON; text and JSON take GZIP, ZSTD
	// and NONE.
	Compression string
	// Columns are the data columns; PartitionKeys the partition columns.
	// A record passed to Write has Columns then PartitionKeys, with the
	// Arrow types of types.Type.Arrow.
	Columns       []types.Column
	PartitionKeys []types.Column
	// FieldDelimiter separates TEXTFILE fields: one byte, default \001.
	FieldDelimiter string
	// MaxOpenPartitions caps the distinct partitions one write may create
	// (default 100).
	MaxOpenPartitions int
	// MaxWritersPerPartition caps the files of one partition open at once
	// for concurrent Write calls (default GOMAXPROCS).
	MaxWritersPerPartition int
	// TargetFileBytes closes a file and starts the next once it reaches
	// this size (default 512 MiB).
	TargetFileBytes int64
	// RowGroupBytes and RowGroupRows end a Parquet row group (defaults
	// 128 MiB and 1Mi rows).
	RowGroupBytes int64
	RowGroupRows  int64
	// MaxBufferedBytes bounds the memory of all open files' unflushed row
	// groups together (default 1 GiB).
	MaxBufferedBytes int64
	// QueryID names the files (<QueryID>_<random>_<n>); characters other
	// than letters, digits, '-' and '_' become '_'.
	QueryID string
}

func (o *Options) normalize() error {
	if o.Writer == nil {
		return fmt.Errorf("write to %s: no object writer for this location", o.Location)
	}
	if o.Location == "" {
		return fmt.Errorf("write: no location")
	}
	o.Format = strings.ToUpper(strings.TrimSpace(o.Format))
	if o.Format == "" {
		o.Format = catalog.FormatParquet
	}
	switch o.Format {
	case catalog.FormatParquet, catalog.FormatText, catalog.FormatJSON:
	default:
		return fmt.Errorf("write to %s: format %q is not supported for writing (supported: PARQUET, TEXTFILE, JSON)", o.Location, o.Format)
	}
	o.Compression = strings.ToUpper(strings.TrimSpace(o.Compression))
	switch o.Compression {
	case "":
		if o.Format == catalog.FormatParquet {
			o.Compression = "ZSTD"
		} else {
			o.Compression = "NONE"
		}
	case "UNCOMPRESSED":
		o.Compression = "NONE"
	case "ZSTD", "GZIP", "NONE":
	case "SNAPPY":
		if o.Format != catalog.FormatParquet {
			return fmt.Errorf("write_compression SNAPPY is not supported for %s (use GZIP, ZSTD or NONE)", o.Format)
		}
	default:
		return fmt.Errorf("write_compression %q is not supported (supported: ZSTD, SNAPPY, GZIP, NONE)", o.Compression)
	}
	if o.FieldDelimiter == "" {
		o.FieldDelimiter = DefaultFieldDelimiter
	}
	if o.Format == catalog.FormatText {
		if len(o.FieldDelimiter) != 1 || o.FieldDelimiter[0] >= 0x80 {
			return fmt.Errorf("field_delimiter %q must be a single ASCII character", o.FieldDelimiter)
		}
		if d := o.FieldDelimiter[0]; d == '\n' || d == '\r' || d == '\\' {
			return fmt.Errorf("field_delimiter %q cannot be a line break or the escape character \\", o.FieldDelimiter)
		}
	}
	if len(o.Columns) == 0 {
		return fmt.Errorf("write to %s: a table needs at least one data column", o.Location)
	}
	if o.MaxOpenPartitions <= 0 {
		o.MaxOpenPartitions = DefaultMaxOpenPartitions
	}
	if o.MaxWritersPerPartition <= 0 {
		o.MaxWritersPerPartition = runtime.GOMAXPROCS(0)
	}
	if o.TargetFileBytes <= 0 {
		o.TargetFileBytes = DefaultTargetFileBytes
	}
	if o.RowGroupBytes <= 0 {
		o.RowGroupBytes = DefaultRowGroupBytes
	}
	if o.RowGroupRows <= 0 {
		o.RowGroupRows = DefaultRowGroupRows
	}
	if o.MaxBufferedBytes <= 0 {
		o.MaxBufferedBytes = DefaultMaxBufferedBytes
	}
	o.QueryID = sanitizeID(o.QueryID)
	seen := map[string]bool{}
	for _, c := range append(append([]types.Column(nil), o.Columns...), o.PartitionKeys...) {
		k := strings.ToLower(c.Name)
		if k == "" {
			return fmt.Errorf("write to %s: a column has no name", o.Location)
		}
		if seen[k] {
			return fmt.Errorf("write to %s: column %q appears twice", o.Location, c.Name)
		}
		seen[k] = true
	}
	for _, c := range o.PartitionKeys {
		if err := checkPartitionType(c); err != nil {
			return err
		}
	}
	return nil
}

func sanitizeID(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	s = string(b)
	// A leading '_' or '.' would hide the files from readers.
	if s == "" || s[0] == '_' {
		s = "q" + s
	}
	return s
}

// checkPartitionType accepts the scalar types Hive and Trino partition by.
func checkPartitionType(c types.Column) error {
	switch c.Type.Kind {
	case types.Boolean, types.TinyInt, types.SmallInt, types.Integer, types.BigInt,
		types.Real, types.Double, types.Decimal, types.Varchar, types.Char, types.Date, types.Timestamp:
		return nil
	}
	return fmt.Errorf("partition column %s: type %s cannot be a partition key (use a boolean, number, string, date or timestamp column)", c.Name, c.Type)
}

// TextSerDeProperties are the SERDEPROPERTIES a TEXTFILE table written by
// this package needs so readers undo its escaping: the field delimiter
// and escape.delim = '\'.
func TextSerDeProperties(fieldDelimiter string) map[string]string {
	if fieldDelimiter == "" {
		fieldDelimiter = DefaultFieldDelimiter
	}
	return map[string]string{
		catalog.PropFieldDelim:  fieldDelimiter,
		"serialization.format":  fieldDelimiter,
		catalog.PropEscapeDelim: `\`,
	}
}
