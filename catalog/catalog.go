package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/quarry-sql/quarry/types"
)

// TableKind distinguishes external tables, managed tables and views.
type TableKind string

const (
	External TableKind = "EXTERNAL_TABLE"
	Managed  TableKind = "MANAGED_TABLE"
	View     TableKind = "VIRTUAL_VIEW"
)

// Standard SerDe classes, as Hive and Athena name them.
const (
	LazySimpleSerDe = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
	OpenCSVSerDe    = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
	HiveJSONSerDe   = "org.apache.hive.hcatalog.data.JsonSerDe"
	OpenXJSONSerDe  = "org.openx.data.jsonserde.JsonSerDe"
	ParquetSerDe    = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
)

// Hive SerDe property keys used for ROW FORMAT DELIMITED.
const (
	PropFieldDelim      = "field.delim"
	PropEscapeDelim     = "escape.delim"
	PropLineDelim       = "line.delim"
	PropCollectionDelim = "collection.delim"
	PropMapKeyDelim     = "mapkey.delim"
	PropNullFormat      = "serialization.null.format"
)

// Storage formats (STORED AS).
const (
	FormatText    = "TEXTFILE"
	FormatParquet = "PARQUET"
	FormatJSON    = "JSON"
	FormatORC     = "ORC"
	FormatAvro    = "AVRO"
)

// Table is a table or view definition as the catalog stores it. It is a
// plain value: callers may copy and modify it freely.
type Table struct {
	Schema string
	Name   string
	Kind   TableKind
	// Columns are the data columns, in file order for positional formats.
	Columns []types.Column
	// PartitionKeys are the PARTITIONED BY columns; in queries they follow
	// the data columns.
	PartitionKeys []types.Column
	Comment       string
	// Location is the folder or single object the table reads.
	Location string
	// Format is the STORED AS format (FormatText, FormatParquet, ...).
	Format       string
	SerDe        string
	SerDeProps   map[string]string
	InputFormat  string
	OutputFormat string
	// Properties are the TBLPROPERTIES (skip.header.line.count,
	// projection.*, ...).
	Properties map[string]string
	// ViewSQL is the defining query of a view, and ViewColumns its output.
	ViewSQL string
	Created time.Time
}

// AllColumns returns data columns followed by partition columns: the
// columns a query sees.
func (t *Table) AllColumns() []types.Column {
	out := make([]types.Column, 0, len(t.Columns)+len(t.PartitionKeys))
	out = append(out, t.Columns...)
	return append(out, t.PartitionKeys...)
}

// Partition is one registered partition of a table.
type Partition struct {
	// Values are the partition key values, in PartitionKeys order, as the
	// strings Hive stores (k=v folder names, unescaped).
	Values   []string
	Location string
	Created  time.Time
}

// HistoryEntry records one statement run against the catalog.
type HistoryEntry struct {
	ID           string
	SQL          string
	User         string
	State        string // FINISHED, FAILED, CANCELED
	Error        string
	Started      time.Time
	Elapsed      time.Duration
	Rows         int64
	BytesScanned int64
}

// Catalog is the metadata store. Names are case-insensitive: an
// implementation folds them to lower case. Every mutation is atomic.
type Catalog interface {
	ListSchemas(ctx context.Context) ([]string, error)
	SchemaExists(ctx context.Context, schema string) (bool, error)
	CreateSchema(ctx context.Context, schema string, ifNotExists bool) error
	// DropSchema fails on a non-empty schema unless cascade is set; it
	// never deletes data files.
	DropSchema(ctx context.Context, schema string, ifExists, cascade bool) error

	ListTables(ctx context.Context, schema string) ([]*Table, error)
	// GetTable returns an error wrapping ErrNotFound (with a did-you-mean
	// suggestion in its text) when the table or view does not exist.
	GetTable(ctx context.Context, schema, name string) (*Table, error)
	CreateTable(ctx context.Context, t *Table, ifNotExists bool) error
	// ReplaceView creates or replaces a view.
	ReplaceView(ctx context.Context, t *Table) error
	DropTable(ctx context.Context, schema, name string, ifExists bool) error

	ListPartitions(ctx context.Context, schema, table string) ([]Partition, error)
	// AddPartitions registers partitions; existing ones are an error unless ifNotExists.
	AddPartitions(ctx context.Context, schema, table string, parts []Partition, ifNotExists bool) error
	DropPartitions(ctx context.Context, schema, table string, values [][]string, ifExists bool) error

	AddHistory(ctx context.Context, e HistoryEntry) error
	History(ctx context.Context, limit int) ([]HistoryEntry, error)

	Close() error
}

// Errors for callers to test with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	ErrInUse    = errors.New("catalog is in use by another process")
)

// DefaultSchema always exists.
const DefaultSchema = "default"
