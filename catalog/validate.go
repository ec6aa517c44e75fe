package catalog

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/quarry-sql/quarry/types"
)

// Input and output format classes Hive records for each storage format.
const (
	TextInputFormat     = "org.apache.hadoop.mapred.TextInputFormat"
	TextOutputFormat    = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
	ParquetInputFormat  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	ParquetOutputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
	orcInputFormat      = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat"
	orcOutputFormat     = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat"
	avroInputFormat     = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat"
	avroOutputFormat    = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat"
	orcSerDe            = "org.apache.hadoop.hive.ql.io.orc.OrcSerde"
	avroSerDe           = "org.apache.hadoop.hive.serde2.avro.AvroSerDe"
	// hive4JSONSerDe is the class Hive 4 records for STORED AS JSONFILE.
	hive4JSONSerDe = "org.apache.hadoop.hive.serde2.JsonSerDe"
)

// supportedFormats is the list error messages show, in the order users
// most often want them.
const supportedFormats = "TEXTFILE, PARQUET, JSON"

// serdeFormat maps every SerDe class Quarry reads to the format it reads.
var serdeFormat = map[string]string{
	LazySimpleSerDe: FormatText,
	OpenCSVSerDe:    FormatText,
	HiveJSONSerDe:   FormatJSON,
	OpenXJSONSerDe:  FormatJSON,
	hive4JSONSerDe:  FormatJSON,
	ParquetSerDe:    FormatParquet,
}

// unsupportedSerDes are real Hive/Athena SerDe classes Quarry cannot read
// yet; naming them gets "not supported yet" instead of "unknown".
var unsupportedSerDes = map[string]string{
	"org.apache.hadoop.hive.serde2.RegexSerDe":                 FormatText,
	"org.apache.hadoop.hive.contrib.serde2.RegexSerDe":         FormatText,
	"org.apache.hadoop.hive.serde2.MultiDelimitSerDe":          FormatText,
	"org.apache.hadoop.hive.contrib.serde2.MultiDelimitSerDe":  FormatText,
	"com.amazonaws.glue.serde.GrokSerDe":                       FormatText,
	"com.amazon.emr.hive.serde.CloudTrailSerde":                FormatText,
	"com.amazon.ionhiveserde.IonHiveSerDe":                     "ION",
	"org.apache.hadoop.hive.serde2.lazybinary.LazyBinarySerDe": "SEQUENCEFILE",
	"org.apache.hadoop.hive.serde2.columnar.ColumnarSerDe":     "RCFILE",
	orcSerDe:  FormatORC,
	avroSerDe: FormatAvro,
}

// inputFormatFormat maps input format classes to their storage format.
var inputFormatFormat = map[string]string{
	TextInputFormat:    FormatText,
	ParquetInputFormat: FormatParquet,
	"parquet.hive.DeprecatedParquetInputFormat": FormatParquet,
	orcInputFormat:  FormatORC,
	avroInputFormat: FormatAvro,
	"org.apache.hadoop.mapred.SequenceFileInputFormat":    "SEQUENCEFILE",
	"org.apache.hadoop.hive.ql.io.RCFileInputFormat":      "RCFILE",
	"com.amazon.ionhiveserde.formats.IonInputFormat":      "ION",
	"com.amazon.emr.cloudtrail.CloudTrailInputFormat":     FormatText,
	"org.apache.hadoop.mapred.lib.CombineTextInputFormat": FormatText,
}

// formatDefaults are the classes Hive records for STORED AS <format>.
var formatDefaults = map[string]struct{ serde, input, output string }{
	FormatText:    {LazySimpleSerDe, TextInputFormat, TextOutputFormat},
	FormatJSON:    {HiveJSONSerDe, TextInputFormat, TextOutputFormat},
	FormatParquet: {ParquetSerDe, ParquetInputFormat, ParquetOutputFormat},
	FormatORC:     {orcSerDe, orcInputFormat, orcOutputFormat},
	FormatAvro:    {avroSerDe, avroInputFormat, avroOutputFormat},
}

// formatAliases maps other spellings of STORED AS to Quarry's names.
var formatAliases = map[string]string{
	"JSONFILE": FormatJSON, // Hive 4
	"TEXT":     FormatText,
}

var unsupportedFormats = map[string]bool{
	FormatORC: true, FormatAvro: true, "RCFILE": true, "SEQUENCEFILE": true, "ION": true,
}

// NormalizeTable brings a definition to the form the catalog stores: schema,
// table and column names folded to lower case as Hive and Trino do, Kind
// defaulted (EXTERNAL, or VIRTUAL_VIEW when ViewSQL is set), the LOCATION
// scheme lower-cased, and the storage fields completed by NormalizeFormat.
// Nested row field names keep their case: JSON and Parquet readers match
// them against the file, and Hive compares them case-insensitively anyway.
func NormalizeTable(t *Table) {
	t.Schema = strings.ToLower(t.Schema)
	t.Name = strings.ToLower(t.Name)
	for i := range t.Columns {
		t.Columns[i].Name = strings.ToLower(t.Columns[i].Name)
	}
	for i := range t.PartitionKeys {
		t.PartitionKeys[i].Name = strings.ToLower(t.PartitionKeys[i].Name)
	}
	if t.Kind == "" {
		t.Kind = External
		if t.ViewSQL != "" {
			t.Kind = View
		}
	}
	if t.Kind == View {
		return
	}
	t.Location = normalizeLocation(t.Location)
	NormalizeFormat(t)
	normalizeSerDeProps(t)
}

// propSerializationFormat is LazySimpleSerDe's fallback for field.delim.
// Hive's ROW FORMAT DELIMITED writes it equal to field.delim.
const propSerializationFormat = "serialization.format"

// normalizeSerDeProps resolves LazySimpleSerDe's serialization.format
// fallback into field.delim and drops it when redundant, so that a table
// reads the same whether or not the DDL parser set it, and SHOW CREATE
// TABLE can print ROW FORMAT DELIMITED.
func normalizeSerDeProps(t *Table) {
	if t.SerDe != LazySimpleSerDe {
		return
	}
	sf, ok := t.SerDeProps[propSerializationFormat]
	if !ok {
		return
	}
	if _, ok := t.SerDeProps[PropFieldDelim]; !ok {
		t.SerDeProps[PropFieldDelim] = sf
	}
	if t.SerDeProps[PropFieldDelim] == sf {
		delete(t.SerDeProps, propSerializationFormat)
	}
}

// NormalizeFormat derives the storage fields from whatever the DDL gave, the
// way Hive does: STORED AS sets the SerDe and input/output formats; without
// it the format follows from INPUTFORMAT, else from the SerDe class, else it
// is TEXTFILE with LazySimpleSerDe. A text table read by a JSON SerDe
// (Athena's usual ROW FORMAT SERDE '...JsonSerDe' without STORED AS) is
// FormatJSON, because that is the reader it needs. Classes that do not fit
// together are left for ValidateTable to report.
func NormalizeFormat(t *Table) {
	f := strings.ToUpper(strings.TrimSpace(t.Format))
	if a, ok := formatAliases[f]; ok {
		f = a
	}
	if f == "" {
		switch {
		case t.InputFormat != "":
			f = inputFormatFormat[t.InputFormat]
		case t.SerDe != "":
			f = serdeFormat[t.SerDe]
			if f == "" {
				f = unsupportedSerDes[t.SerDe]
			}
		default:
			f = FormatText
		}
	}
	if f == FormatText && serdeFormat[t.SerDe] == FormatJSON {
		f = FormatJSON
	}
	t.Format = f
	d, ok := formatDefaults[f]
	if !ok {
		return
	}
	if t.SerDe == "" {
		t.SerDe = d.serde
	}
	if t.InputFormat == "" {
		t.InputFormat = d.input
	}
	if t.OutputFormat == "" {
		t.OutputFormat = d.output
	}
}

// normalizeLocation lower-cases a URL scheme: URI schemes are
// case-insensitive, and everything downstream compares them as "s3://".
func normalizeLocation(loc string) string {
	if i := strings.Index(loc, "://"); i > 0 {
		return strings.ToLower(loc[:i]) + loc[i:]
	}
	return loc
}

// ValidateTable reports the first problem with a (normalized) definition
// that would otherwise surface only at the first query: duplicate or
// missing columns, a partition column repeated as a data column, an
// unknown or unsupported SerDe or format, a bad LOCATION, malformed
// TBLPROPERTIES. Errors wrap ErrInvalid or ErrUnsupported.
func ValidateTable(t *Table) error {
	if t.Schema == "" {
		return invalidf("table %q has no schema", t.Name)
	}
	if t.Name == "" {
		return invalidf("table in schema %s has no name", t.Schema)
	}
	switch t.Kind {
	case View:
		if strings.TrimSpace(t.ViewSQL) == "" {
			return invalidf("view %s.%s has no defining query", t.Schema, t.Name)
		}
		return nil
	case External, Managed:
	default:
		return invalidf("table %s.%s has unknown kind %q", t.Schema, t.Name, t.Kind)
	}
	if err := validateColumns(t); err != nil {
		return err
	}
	if err := validateStorage(t); err != nil {
		return err
	}
	if err := ValidateLocation(t.Location); err != nil {
		return err
	}
	return validateProperties(t.Properties)
}

func validateColumns(t *Table) error {
	if len(t.Columns) == 0 {
		return invalidf("table %s.%s has no columns", t.Schema, t.Name)
	}
	seen := make(map[string]bool, len(t.Columns))
	for _, c := range t.Columns {
		if err := validateColumn(c); err != nil {
			return err
		}
		n := strings.ToLower(c.Name)
		if seen[n] {
			return invalidf("duplicate column name: %s", c.Name)
		}
		seen[n] = true
	}
	seenPart := make(map[string]bool, len(t.PartitionKeys))
	for _, c := range t.PartitionKeys {
		if err := validateColumn(c); err != nil {
			return err
		}
		n := strings.ToLower(c.Name)
		if seen[n] {
			return invalidf("partition column %s is also declared as a data column; declare it only in PARTITIONED BY", c.Name)
		}
		if seenPart[n] {
			return invalidf("duplicate partition column name: %s", c.Name)
		}
		seenPart[n] = true
		switch c.Type.Kind {
		case types.Array, types.Map, types.Row, types.JSON, types.Unknown:
			return invalidf("partition column %s has type %s; partition columns must have a primitive type", c.Name, c.Type)
		}
	}
	return nil
}

func validateColumn(c types.Column) error {
	if c.Name == "" {
		return invalidf("a column has no name")
	}
	if c.Type.Kind == types.Unknown {
		return invalidf("column %s has no type", c.Name)
	}
	if err := validateType(c.Type); err != nil {
		return invalidf("column %s: %v", c.Name, err)
	}
	return nil
}

// validateType checks nested types are complete, so that String and
// HiveString never dereference a nil element, and that row fields are
// unique, which Hive requires of struct types.
func validateType(t types.Type) error {
	switch t.Kind {
	case types.Array:
		if t.Elem == nil {
			return fmt.Errorf("array type has no element type")
		}
		return validateType(*t.Elem)
	case types.Map:
		if t.Key == nil || t.Elem == nil {
			return fmt.Errorf("map type has no key or value type")
		}
		if err := validateType(*t.Key); err != nil {
			return err
		}
		return validateType(*t.Elem)
	case types.Row:
		if len(t.Fields) == 0 {
			return fmt.Errorf("row type has no fields")
		}
		seen := make(map[string]bool, len(t.Fields))
		for _, f := range t.Fields {
			if f.Name == "" {
				return fmt.Errorf("a field of %s has no name", t)
			}
			n := strings.ToLower(f.Name)
			if seen[n] {
				return fmt.Errorf("duplicate field name %s in %s", f.Name, t)
			}
			seen[n] = true
			if err := validateType(f.Type); err != nil {
				return err
			}
		}
	case types.Unknown:
		return fmt.Errorf("a nested type is missing")
	}
	return nil
}

func validateStorage(t *Table) error {
	f := t.Format
	switch {
	case f == "":
		if t.InputFormat != "" {
			if _, ok := inputFormatFormat[t.InputFormat]; !ok {
				return invalidf("unknown INPUTFORMAT '%s'; supported: %s, %s", t.InputFormat, TextInputFormat, ParquetInputFormat)
			}
		}
		if err := checkSerDe(t.SerDe); err != nil {
			return err
		}
		return invalidf("table %s.%s has no storage format; supported: %s", t.Schema, t.Name, supportedFormats)
	case unsupportedFormats[f]:
		return unsupportedf("STORED AS %s is not supported yet; supported: %s", f, supportedFormats)
	case formatDefaults[f].serde == "":
		return invalidf("unknown storage format %s; supported: %s", f, supportedFormats)
	}
	if err := checkSerDe(t.SerDe); err != nil {
		return err
	}
	if serdeFormat[t.SerDe] != f {
		return invalidf("ROW FORMAT SERDE '%s' cannot read STORED AS %s files", t.SerDe, f)
	}
	if inf, ok := inputFormatFormat[t.InputFormat]; !ok {
		return invalidf("unknown INPUTFORMAT '%s'; supported: %s, %s", t.InputFormat, TextInputFormat, ParquetInputFormat)
	} else if unsupportedFormats[inf] {
		return unsupportedf("INPUTFORMAT '%s' (%s) is not supported yet; supported: %s", t.InputFormat, inf, supportedFormats)
	} else if inf != f && !(inf == FormatText && f == FormatJSON) {
		return invalidf("INPUTFORMAT '%s' reads %s files, not %s", t.InputFormat, inf, f)
	}
	return nil
}

// checkSerDe accepts the SerDe classes Quarry reads. It is deliberately
// strict about case: Hive loads the class by name, so a misspelt class such
// as OpenCSVSerDe (the real one is OpenCSVSerde) fails in Hive too.
func checkSerDe(serde string) error {
	if _, ok := serdeFormat[serde]; ok {
		return nil
	}
	if f, ok := unsupportedSerDes[serde]; ok {
		return unsupportedf("ROW FORMAT SERDE '%s' (%s) is not supported yet; supported: %s", serde, f, strings.Join(knownSerDes(), ", "))
	}
	known := knownSerDes()
	for _, k := range known {
		if strings.EqualFold(k, serde) {
			return invalidf("unknown SerDe class '%s'; did you mean '%s'?", serde, k)
		}
	}
	if s, ok := Suggest(serde, known); ok {
		return invalidf("unknown SerDe class '%s'; did you mean '%s'?", serde, s)
	}
	return invalidf("unknown SerDe class '%s'; supported: %s", serde, strings.Join(known, ", "))
}

func knownSerDes() []string {
	return slices.Sorted(maps.Keys(serdeFormat))
}

// ValidateLocation accepts what objstore can read: an absolute local path,
// file:///absolute/path, and s3://, s3a:// or s3n:// URLs with a bucket.
// Relative paths are rejected because they would resolve against whatever
// directory a later quarry process happens to run in.
func ValidateLocation(loc string) error {
	if loc == "" {
		return invalidf("LOCATION is required: Quarry reads files in place")
	}
	if i := strings.Index(loc, "://"); i > 0 {
		scheme, rest := strings.ToLower(loc[:i]), loc[i+3:]
		switch scheme {
		case "s3", "s3a", "s3n":
			bucket, _, _ := strings.Cut(rest, "/")
			if bucket == "" {
				return invalidf("LOCATION '%s' has no bucket; expected %s://bucket/prefix", loc, scheme)
			}
			return nil
		case "file":
			if !path.IsAbs(rest) {
				return invalidf("LOCATION '%s' must be file:///absolute/path (file URLs with a host are not supported)", loc)
			}
			return nil
		}
		return unsupportedf("LOCATION scheme %s:// is not supported; supported: absolute local path, file://, s3://, s3a://, s3n://", scheme)
	}
	if !path.IsAbs(loc) {
		return invalidf("LOCATION '%s' is a relative path; use an absolute path, file:///path or s3://bucket/prefix", loc)
	}
	return nil
}

// headerProps must be non-negative integers; the text reader trusts them.
var headerProps = []string{"skip.header.line.count", "skip.footer.line.count"}

func validateProperties(props map[string]string) error {
	for _, k := range headerProps {
		v, ok := props[k]
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n < 0 {
			return invalidf("TBLPROPERTIES '%s' must be a non-negative integer, not '%s'", k, v)
		}
	}
	return nil
}

func invalidf(format string, args ...any) error {
	return newError(ErrInvalid, fmt.Sprintf(format, args...))
}

func unsupportedf(format string, args ...any) error {
	return newError(ErrUnsupported, fmt.Sprintf(format, args...))
}
