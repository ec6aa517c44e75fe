package catalog

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/quarry-sql/quarry/types"
)

// The stored forms below are the catalog's on-disk format. They are
// separate from Table and types.Type so that renaming a Go field or
// renumbering types.Kind never silently changes the meaning of a catalog
// written by an earlier build. Types are stored structurally, with kind
// names, rather than as type strings: a structural form round-trips every
// parameter exactly (varchar(n), decimal(p,s), timestamp precision,
// anonymous or oddly named row fields) without depending on the parser.

// formatVersion is bumped on incompatible changes to the stored forms.
const formatVersion = 1

type tableRecord struct {
	Schema        string            `json:"schema"`
	Name          string            `json:"name"`
	Kind          TableKind         `json:"kind"`
	Columns       []columnRecord    `json:"columns,omitempty"`
	PartitionKeys []columnRecord    `json:"partition_keys,omitempty"`
	Comment       string            `json:"comment,omitempty"`
	Location      string            `json:"location,omitempty"`
	Format        string            `json:"format,omitempty"`
	SerDe         string            `json:"serde,omitempty"`
	SerDeProps    map[string]string `json:"serde_props,omitempty"`
	InputFormat   string            `json:"input_format,omitempty"`
	OutputFormat  string            `json:"output_format,omitempty"`
	Properties    map[string]string `json:"properties,omitempty"`
	ViewSQL       string            `json:"view_sql,omitempty"`
	Created       time.Time         `json:"created"`
}

type columnRecord struct {
	Name    string     `json:"name"`
	Type    typeRecord `json:"type"`
	Comment string     `json:"comment,omitempty"`
}

type typeRecord struct {
	Kind      string        `json:"kind"`
	Precision int           `json:"precision,omitempty"`
	Scale     int           `json:"scale,omitempty"`
	Length    int           `json:"length,omitempty"`
	Elem      *typeRecord   `json:"elem,omitempty"`
	Key       *typeRecord   `json:"key,omitempty"`
	Fields    []fieldRecord `json:"fields,omitempty"`
}

type fieldRecord struct {
	Name string     `json:"name"`
	Type typeRecord `json:"type"`
}

// kindNames are the stored names of types.Kind values; never change one.
var kindNames = map[types.Kind]string{
	types.Unknown:           "unknown",
	types.Boolean:           "boolean",
	types.TinyInt:           "tinyint",
	types.SmallInt:          "smallint",
	types.Integer:           "integer",
	types.BigInt:            "bigint",
	types.Real:              "real",
	types.Double:            "double",
	types.Decimal:           "decimal",
	types.Varchar:           "varchar",
	types.Char:              "char",
	types.Varbinary:         "varbinary",
	types.Date:              "date",
	types.Time:              "time",
	types.Timestamp:         "timestamp",
	types.TimestampTZ:       "timestamp_tz",
	types.IntervalDayTime:   "interval_day_time",
	types.IntervalYearMonth: "interval_year_month",
	types.JSON:              "json",
	types.Array:             "array",
	types.Map:               "map",
	types.Row:               "row",
}

var kindByName = func() map[string]types.Kind {
	m := make(map[string]types.Kind, len(kindNames))
	for k, n := range kindNames {
		m[n] = k
	}
	return m
}()

func encodeType(t types.Type) (typeRecord, error) {
	name, ok := kindNames[t.Kind]
	if !ok {
		return typeRecord{}, fmt.Errorf("type kind %d has no stored form", t.Kind)
	}
	r := typeRecord{Kind: name, Precision: t.Precision, Scale: t.Scale, Length: t.Length}
	if t.Elem != nil {
		e, err := encodeType(*t.Elem)
		if err != nil {
			return typeRecord{}, err
		}
		r.Elem = &e
	}
	if t.Key != nil {
		k, err := encodeType(*t.Key)
		if err != nil {
			return typeRecord{}, err
		}
		r.Key = &k
	}
	for _, f := range t.Fields {
		ft, err := encodeType(f.Type)
		if err != nil {
			return typeRecord{}, err
		}
		r.Fields = append(r.Fields, fieldRecord{Name: f.Name, Type: ft})
	}
	return r, nil
}

func decodeType(r typeRecord) (types.Type, error) {
	k, ok := kindByName[r.Kind]
	if !ok {
		return types.Type{}, fmt.Errorf("unknown stored type kind %q", r.Kind)
	}
	t := types.Type{Kind: k, Precision: r.Precision, Scale: r.Scale, Length: r.Length}
	if r.Elem != nil {
		e, err := decodeType(*r.Elem)
		if err != nil {
			return types.Type{}, err
		}
		t.Elem = &e
	}
	if r.Key != nil {
		key, err := decodeType(*r.Key)
		if err != nil {
			return types.Type{}, err
		}
		t.Key = &key
	}
	if len(r.Fields) > 0 {
		t.Fields = make([]types.Field, len(r.Fields))
		for i, f := range r.Fields {
			ft, err := decodeType(f.Type)
			if err != nil {
				return types.Type{}, err
			}
			t.Fields[i] = types.Field{Name: f.Name, Type: ft}
		}
	}
	return t, nil
}

func encodeColumns(cols []types.Column) ([]columnRecord, error) {
	if len(cols) == 0 {
		return nil, nil
	}
	out := make([]columnRecord, len(cols))
	for i, c := range cols {
		t, err := encodeType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		out[i] = columnRecord{Name: c.Name, Type: t, Comment: c.Comment}
	}
	return out, nil
}

func decodeColumns(recs []columnRecord) ([]types.Column, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	out := make([]types.Column, len(recs))
	for i, r := range recs {
		t, err := decodeType(r.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", r.Name, err)
		}
		out[i] = types.Column{Name: r.Name, Type: t, Comment: r.Comment}
	}
	return out, nil
}

func encodeTable(t *Table) ([]byte, error) {
	cols, err := encodeColumns(t.Columns)
	if err != nil {
		return nil, err
	}
	parts, err := encodeColumns(t.PartitionKeys)
	if err != nil {
		return nil, err
	}
	return json.Marshal(tableRecord{
		Schema: t.Schema, Name: t.Name, Kind: t.Kind,
		Columns: cols, PartitionKeys: parts,
		Comment: t.Comment, Location: t.Location, Format: t.Format,
		SerDe: t.SerDe, SerDeProps: t.SerDeProps,
		InputFormat: t.InputFormat, OutputFormat: t.OutputFormat,
		Properties: t.Properties, ViewSQL: t.ViewSQL, Created: t.Created,
	})
}

func decodeTable(b []byte) (*Table, error) {
	var r tableRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	cols, err := decodeColumns(r.Columns)
	if err != nil {
		return nil, err
	}
	parts, err := decodeColumns(r.PartitionKeys)
	if err != nil {
		return nil, err
	}
	return &Table{
		Schema: r.Schema, Name: r.Name, Kind: r.Kind,
		Columns: cols, PartitionKeys: parts,
		Comment: r.Comment, Location: r.Location, Format: r.Format,
		SerDe: r.SerDe, SerDeProps: r.SerDeProps,
		InputFormat: r.InputFormat, OutputFormat: r.OutputFormat,
		Properties: r.Properties, ViewSQL: r.ViewSQL, Created: r.Created,
	}, nil
}

type partitionRecord struct {
	Values   []string  `json:"v"`
	Location string    `json:"l,omitempty"`
	Created  time.Time `json:"c"`
}

type historyRecord struct {
	ID           string        `json:"id,omitempty"`
	SQL          string        `json:"sql"`
	User         string        `json:"user,omitempty"`
	State        string        `json:"state,omitempty"`
	Error        string        `json:"error,omitempty"`
	Started      time.Time     `json:"started"`
	Elapsed      time.Duration `json:"elapsed_ns"`
	Rows         int64         `json:"rows"`
	BytesScanned int64         `json:"bytes_scanned"`
}
