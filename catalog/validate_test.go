package catalog

import (
	"errors"
	"strings"
	"testing"

	"github.com/quarry-sql/quarry/types"
)

func col(name, typ string) types.Column {
	return types.Column{Name: name, Type: types.MustParse(typ)}
}

// baseTable is a valid external text table; tests modify copies of it.
func baseTable() *Table {
	return &Table{
		Schema:   "s",
		Name:     "t",
		Columns:  []types.Column{col("a", "string"), col("b", "int")},
		Location: "s3://bucket/prefix/",
	}
}

func TestNormalizeFormat(t *testing.T) {
	tests := []struct {
		name                  string
		format, serde, in     string
		wantFormat, wantSerDe string
		wantInput, wantOutput string
	}{
		{name: "default", wantFormat: FormatText, wantSerDe: LazySimpleSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "stored as parquet", format: "parquet", wantFormat: FormatParquet, wantSerDe: ParquetSerDe, wantInput: ParquetInputFormat, wantOutput: ParquetOutputFormat},
		{name: "stored as textfile", format: "TextFile", wantFormat: FormatText, wantSerDe: LazySimpleSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "stored as jsonfile", format: "jsonfile", wantFormat: FormatJSON, wantSerDe: HiveJSONSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "openx serde only", serde: OpenXJSONSerDe, wantFormat: FormatJSON, wantSerDe: OpenXJSONSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "json serde stored as text", format: "TEXTFILE", serde: HiveJSONSerDe, wantFormat: FormatJSON, wantSerDe: HiveJSONSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "json serde text inputformat", serde: OpenXJSONSerDe, in: TextInputFormat, wantFormat: FormatJSON, wantSerDe: OpenXJSONSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "opencsv", serde: OpenCSVSerDe, wantFormat: FormatText, wantSerDe: OpenCSVSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "parquet inputformat", in: ParquetInputFormat, serde: ParquetSerDe, wantFormat: FormatParquet, wantSerDe: ParquetSerDe, wantInput: ParquetInputFormat, wantOutput: ParquetOutputFormat},
		{name: "parquet serde only", serde: ParquetSerDe, wantFormat: FormatParquet, wantSerDe: ParquetSerDe, wantInput: ParquetInputFormat, wantOutput: ParquetOutputFormat},
		{name: "text inputformat only", in: TextInputFormat, wantFormat: FormatText, wantSerDe: LazySimpleSerDe, wantInput: TextInputFormat, wantOutput: TextOutputFormat},
		{name: "orc", format: "orc", wantFormat: FormatORC, wantSerDe: orcSerDe, wantInput: orcInputFormat, wantOutput: orcOutputFormat},
		{name: "unknown inputformat", in: "com.example.In", wantFormat: "", wantSerDe: "", wantInput: "com.example.In"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &Table{Format: tt.format, SerDe: tt.serde, InputFormat: tt.in}
			NormalizeFormat(tb)
			if tb.Format != tt.wantFormat || tb.SerDe != tt.wantSerDe || tb.InputFormat != tt.wantInput || tb.OutputFormat != tt.wantOutput {
				t.Errorf("got format=%q serde=%q in=%q out=%q; want %q %q %q %q",
					tb.Format, tb.SerDe, tb.InputFormat, tb.OutputFormat, tt.wantFormat, tt.wantSerDe, tt.wantInput, tt.wantOutput)
			}
		})
	}
}

func TestNormalizeTable(t *testing.T) {
	tb := &Table{
		Schema: "AWS_Optimizer", Name: "Cost_And_Usage",
		Columns:       []types.Column{col("lineItem_UnblendedCost", "string"), col("s", "struct<MixedCase:int>")},
		PartitionKeys: []types.Column{col("Year", "string")},
		Location:      "S3://Bucket/Key",
		SerDeProps:    map[string]string{"serialization.format": "|"},
	}
	NormalizeTable(tb)
	if tb.Schema != "aws_optimizer" || tb.Name != "cost_and_usage" {
		t.Errorf("names not folded: %s.%s", tb.Schema, tb.Name)
	}
	if tb.Columns[0].Name != "lineitem_unblendedcost" || tb.PartitionKeys[0].Name != "year" {
		t.Errorf("column names not folded: %v %v", tb.Columns[0].Name, tb.PartitionKeys[0].Name)
	}
	if tb.Columns[1].Type.Fields[0].Name != "MixedCase" {
		t.Errorf("row field name changed: %v", tb.Columns[1].Type)
	}
	if tb.Kind != External {
		t.Errorf("kind = %q, want %q", tb.Kind, External)
	}
	if tb.Location != "s3://Bucket/Key" {
		t.Errorf("location = %q, want scheme lower-cased only", tb.Location)
	}
	if got := tb.SerDeProps; len(got) != 1 || got[PropFieldDelim] != "|" {
		t.Errorf("serde props = %v, want field.delim=| only", got)
	}
	v := &Table{Schema: "S", Name: "V", ViewSQL: "SELECT 1"}
	NormalizeTable(v)
	if v.Kind != View || v.Format != "" || v.SerDe != "" {
		t.Errorf("view normalized to kind=%q format=%q serde=%q", v.Kind, v.Format, v.SerDe)
	}
}

func TestValidateTable(t *testing.T) {
	tests := []struct {
		name    string
		modify  func(*Table)
		wantErr string // substring; "" means valid
		kind    error
	}{
		{name: "valid", modify: func(*Table) {}},
		{name: "valid parquet local", modify: func(t *Table) { t.Format = "PARQUET"; t.Location = "/data/x" }},
		{name: "valid file url", modify: func(t *Table) { t.Location = "file:///data/x" }},
		{name: "valid s3a", modify: func(t *Table) { t.Location = "s3a://b" }},
		{name: "valid s3n", modify: func(t *Table) { t.Location = "S3N://b/k" }},
		{name: "valid opencsv", modify: func(t *Table) { t.SerDe = OpenCSVSerDe }},
		{name: "valid managed", modify: func(t *Table) { t.Kind = Managed }},
		{name: "valid json serde", modify: func(t *Table) { t.SerDe = OpenXJSONSerDe }},
		{name: "valid partitioned", modify: func(t *Table) { t.PartitionKeys = []types.Column{col("year", "int"), col("day", "date")} }},
		{name: "valid skip header", modify: func(t *Table) { t.Properties = map[string]string{"skip.header.line.count": "1"} }},
		{name: "duplicate column", modify: func(t *Table) { t.Columns = append(t.Columns, col("A", "int")) },
			wantErr: "duplicate column name: a", kind: ErrInvalid},
		{name: "partition repeats data column", modify: func(t *Table) { t.PartitionKeys = []types.Column{col("B", "int")} },
			wantErr: "partition column b is also declared as a data column", kind: ErrInvalid},
		{name: "duplicate partition column", modify: func(t *Table) { t.PartitionKeys = []types.Column{col("y", "int"), col("Y", "int")} },
			wantErr: "duplicate partition column name: y", kind: ErrInvalid},
		{name: "complex partition column", modify: func(t *Table) { t.PartitionKeys = []types.Column{col("y", "array<int>")} },
			wantErr: "partition columns must have a primitive type", kind: ErrInvalid},
		{name: "no columns", modify: func(t *Table) { t.Columns = nil }, wantErr: "table s.t has no columns", kind: ErrInvalid},
		{name: "column without type", modify: func(t *Table) { t.Columns[0].Type = types.Type{} }, wantErr: "column a has no type", kind: ErrInvalid},
		{name: "duplicate struct field", modify: func(t *Table) { t.Columns[0] = col("a", "struct<x:int,X:int>") },
			wantErr: "duplicate field name X", kind: ErrInvalid},
		{name: "anonymous row field", modify: func(t *Table) {
			t.Columns[0].Type = types.RowOf(types.Field{Type: types.IntegerType})
		}, wantErr: "has no name", kind: ErrInvalid},
		{name: "orc", modify: func(t *Table) { t.Format = "ORC" },
			wantErr: "STORED AS ORC is not supported yet; supported: TEXTFILE, PARQUET, JSON", kind: ErrUnsupported},
		{name: "avro", modify: func(t *Table) { t.Format = "avro" },
			wantErr: "STORED AS AVRO is not supported yet", kind: ErrUnsupported},
		{name: "orc serde", modify: func(t *Table) { t.SerDe = orcSerDe },
			wantErr: "STORED AS ORC is not supported yet", kind: ErrUnsupported},
		{name: "unknown format", modify: func(t *Table) { t.Format = "FOOFILE" },
			wantErr: "unknown storage format FOOFILE", kind: ErrInvalid},
		{name: "regex serde", modify: func(t *Table) { t.SerDe = "org.apache.hadoop.hive.serde2.RegexSerDe" },
			wantErr: "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe' (TEXTFILE) is not supported yet", kind: ErrUnsupported},
		{name: "unknown serde", modify: func(t *Table) { t.SerDe = "com.example.MySerDe" },
			wantErr: "unknown SerDe class 'com.example.MySerDe'; supported: ", kind: ErrInvalid},
		{name: "miscased serde", modify: func(t *Table) { t.SerDe = "org.apache.hadoop.hive.serde2.OpenCSVSerDe" },
			wantErr: "did you mean 'org.apache.hadoop.hive.serde2.OpenCSVSerde'?", kind: ErrInvalid},
		{name: "misspelt serde", modify: func(t *Table) { t.SerDe = "org.openx.data.jsonserde.JsonSerde2" },
			wantErr: "did you mean 'org.openx.data.jsonserde.JsonSerDe'?", kind: ErrInvalid},
		{name: "parquet with csv serde", modify: func(t *Table) { t.Format = "PARQUET"; t.SerDe = OpenCSVSerDe },
			wantErr: "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' cannot read STORED AS PARQUET files", kind: ErrInvalid},
		{name: "text inputformat parquet serde", modify: func(t *Table) { t.InputFormat = TextInputFormat; t.SerDe = ParquetSerDe },
			wantErr: "cannot read STORED AS TEXTFILE", kind: ErrInvalid},
		{name: "unknown inputformat", modify: func(t *Table) { t.InputFormat = "com.example.In" },
			wantErr: "unknown INPUTFORMAT 'com.example.In'", kind: ErrInvalid},
		{name: "relative location", modify: func(t *Table) { t.Location = "data/cur" },
			wantErr: "LOCATION 'data/cur' is a relative path", kind: ErrInvalid},
		{name: "placeholder location", modify: func(t *Table) { t.Location = "<tpch-dir>/x" },
			wantErr: "is a relative path", kind: ErrInvalid},
		{name: "hdfs location", modify: func(t *Table) { t.Location = "hdfs://nn/x" },
			wantErr: "LOCATION scheme hdfs:// is not supported; supported: absolute local path, file://, s3://, s3a://, s3n://", kind: ErrUnsupported},
		{name: "s3 without bucket", modify: func(t *Table) { t.Location = "s3:///x" },
			wantErr: "has no bucket", kind: ErrInvalid},
		{name: "file url with host", modify: func(t *Table) { t.Location = "file://host/x" },
			wantErr: "must be file:///absolute/path", kind: ErrInvalid},
		{name: "no location", modify: func(t *Table) { t.Location = "" },
			wantErr: "LOCATION is required", kind: ErrInvalid},
		{name: "bad skip header", modify: func(t *Table) { t.Properties = map[string]string{"skip.header.line.count": "one"} },
			wantErr: "TBLPROPERTIES 'skip.header.line.count' must be a non-negative integer, not 'one'", kind: ErrInvalid},
		{name: "no name", modify: func(t *Table) { t.Name = "" }, wantErr: "has no name", kind: ErrInvalid},
		{name: "no schema", modify: func(t *Table) { t.Schema = "" }, wantErr: "has no schema", kind: ErrInvalid},
		{name: "view without sql", modify: func(t *Table) { t.Kind = View }, wantErr: "view s.t has no defining query", kind: ErrInvalid},
		{name: "bad kind", modify: func(t *Table) { t.Kind = "INDEX_TABLE" }, wantErr: "unknown kind", kind: ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := baseTable()
			tt.modify(tb)
			NormalizeTable(tb)
			err := ValidateTable(tb)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q does not wrap %v", err, tt.kind)
			}
		})
	}
}
