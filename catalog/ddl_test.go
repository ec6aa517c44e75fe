package catalog

import (
	"strconv"
	"strings"
	"testing"
	"testing/quick"

	"github.com/quarry-sql/quarry/types"
)

func TestFormatCreateTable(t *testing.T) {
	tests := []struct {
		name  string
		table *Table
		want  string
	}{
		{
			name: "cur delimited",
			table: &Table{
				Schema: "aws_optimizer", Name: "cost_and_usage",
				Columns: []types.Column{col("identity_LineItemId", "String"), col("lineItem_UnblendedCost", "String")},
				SerDeProps: map[string]string{
					PropFieldDelim: ",", PropEscapeDelim: `\`, PropLineDelim: "\n",
				},
				Location: "s3://bucket/cur",
			},
			want: "CREATE EXTERNAL TABLE `aws_optimizer`.`cost_and_usage` (\n" +
				"  `identity_lineitemid` string,\n" +
				"  `lineitem_unblendedcost` string\n" +
				")\n" +
				"ROW FORMAT DELIMITED\n" +
				"  FIELDS TERMINATED BY ','\n" +
				"  ESCAPED BY '\\\\'\n" +
				"  LINES TERMINATED BY '\\n'\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION 's3://bucket/cur'",
		},
		{
			name: "opencsv with properties",
			table: &Table{
				Schema: "aws_optimizer", Name: "cur_csv",
				Columns:    []types.Column{col("a", "string")},
				SerDe:      OpenCSVSerDe,
				SerDeProps: map[string]string{"separatorChar": ",", "quoteChar": `"`, "escapeChar": `\`},
				Format:     "TEXTFILE",
				Location:   "s3://bucket/raw/",
				Properties: map[string]string{"skip.header.line.count": "1", "classification": "csv"},
			},
			want: "CREATE EXTERNAL TABLE `aws_optimizer`.`cur_csv` (\n" +
				"  `a` string\n" +
				")\n" +
				"ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n" +
				"WITH SERDEPROPERTIES (\n" +
				"  'escapeChar' = '\\\\',\n" +
				"  'quoteChar' = '\"',\n" +
				"  'separatorChar' = ','\n" +
				")\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION 's3://bucket/raw/'\n" +
				"TBLPROPERTIES (\n" +
				"  'classification' = 'csv',\n" +
				"  'skip.header.line.count' = '1'\n" +
				")",
		},
		{
			name: "parquet partitioned with comments",
			table: &Table{
				Schema: "fda", Name: "drugevents",
				Columns: []types.Column{
					{Name: "id", Type: types.BigIntType, Comment: "it's the \\ id\nsecond line"},
					col("price", "decimal(15,2)"),
					col("name", "varchar(25)"),
					col("ts", "timestamp(6)"),
					col("ts3", "timestamp"),
					col("tags", "map<string,array<int>>"),
				},
				PartitionKeys: []types.Column{{Name: "year", Type: types.IntegerType, Comment: "yyyy"}, col("day", "date")},
				Comment:       "adverse events",
				Format:        "PARQUET",
				Location:      "/data/fda",
			},
			want: "CREATE EXTERNAL TABLE `fda`.`drugevents` (\n" +
				"  `id` bigint COMMENT 'it\\'s the \\\\ id\\nsecond line',\n" +
				"  `price` decimal(15,2),\n" +
				"  `name` varchar(25),\n" +
				"  `ts` timestamp(6),\n" +
				"  `ts3` timestamp,\n" +
				"  `tags` map<string,array<int>>\n" +
				")\n" +
				"COMMENT 'adverse events'\n" +
				"PARTITIONED BY (\n" +
				"  `year` int COMMENT 'yyyy',\n" +
				"  `day` date\n" +
				")\n" +
				"STORED AS PARQUET\n" +
				"LOCATION '/data/fda'",
		},
		{
			name: "openx json nested",
			table: &Table{
				Schema: "fda", Name: "drugevents_raw",
				Columns: []types.Column{
					col("safetyreportid", "string"),
					col("patient", "struct<patientsex: string, drug: array<struct<medicinalproduct: string>>, `odd name`: int>"),
				},
				SerDe:      OpenXJSONSerDe,
				SerDeProps: map[string]string{"json.root": "results"},
				Location:   "file:///data/openfda",
			},
			want: "CREATE EXTERNAL TABLE `fda`.`drugevents_raw` (\n" +
				"  `safetyreportid` string,\n" +
				"  `patient` struct<patientsex:string,drug:array<struct<medicinalproduct:string>>,`odd name`:int>\n" +
				")\n" +
				"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n" +
				"WITH SERDEPROPERTIES (\n" +
				"  'json.root' = 'results'\n" +
				")\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION 'file:///data/openfda'",
		},
		{
			name: "stored as json default serde",
			table: &Table{
				Schema: "s", Name: "j", Columns: []types.Column{col("a", "int")},
				Format: "JSON", Location: "/j",
			},
			want: "CREATE EXTERNAL TABLE `s`.`j` (\n" +
				"  `a` int\n" +
				")\n" +
				"ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION '/j'",
		},
		{
			name: "ctrl-a delimiters and null format, managed",
			table: &Table{
				Schema: "default", Name: "hive_style", Kind: Managed,
				Columns: []types.Column{col("a", "string"), col("m", "map<string,string>")},
				SerDeProps: map[string]string{
					PropFieldDelim: "\x01", PropCollectionDelim: "\x02", PropMapKeyDelim: "\x03",
					PropNullFormat: "", PropLineDelim: "\n",
				},
				Location: "/warehouse/hive_style",
			},
			want: "CREATE TABLE `default`.`hive_style` (\n" +
				"  `a` string,\n" +
				"  `m` map<string,string>\n" +
				")\n" +
				"ROW FORMAT DELIMITED\n" +
				"  FIELDS TERMINATED BY '\\001'\n" +
				"  COLLECTION ITEMS TERMINATED BY '\\002'\n" +
				"  MAP KEYS TERMINATED BY '\\003'\n" +
				"  LINES TERMINATED BY '\\n'\n" +
				"  NULL DEFINED AS ''\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION '/warehouse/hive_style'",
		},
		{
			name: "lazysimple with extra property uses serde form",
			table: &Table{
				Schema: "s", Name: "t", Columns: []types.Column{col("a", "string")},
				SerDe:      LazySimpleSerDe,
				SerDeProps: map[string]string{PropFieldDelim: "|", "serialization.encoding": "ISO-8859-1"},
				Location:   "/t",
			},
			want: "CREATE EXTERNAL TABLE `s`.`t` (\n" +
				"  `a` string\n" +
				")\n" +
				"ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\n" +
				"WITH SERDEPROPERTIES (\n" +
				"  'field.delim' = '|',\n" +
				"  'serialization.encoding' = 'ISO-8859-1'\n" +
				")\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION '/t'",
		},
		{
			name: "escape without field delim uses serde form",
			table: &Table{
				Schema: "s", Name: "t", Columns: []types.Column{col("a", "string")},
				SerDeProps: map[string]string{PropEscapeDelim: `\`},
				Location:   "/t",
			},
			want: "CREATE EXTERNAL TABLE `s`.`t` (\n" +
				"  `a` string\n" +
				")\n" +
				"ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\n" +
				"WITH SERDEPROPERTIES (\n" +
				"  'escape.delim' = '\\\\'\n" +
				")\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION '/t'",
		},
		{
			name: "non-default input format",
			table: &Table{
				Schema: "s", Name: "t", Columns: []types.Column{col("a", "string")},
				InputFormat: "org.apache.hadoop.mapred.lib.CombineTextInputFormat",
				Location:    "/t",
			},
			want: "CREATE EXTERNAL TABLE `s`.`t` (\n" +
				"  `a` string\n" +
				")\n" +
				"STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.lib.CombineTextInputFormat'\n" +
				"OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n" +
				"LOCATION '/t'",
		},
		{
			name: "quoted identifiers",
			table: &Table{
				Schema: "s", Name: "we`ird", Columns: []types.Column{col("from", "string"), col("a b", "int")},
				Location: "/t",
			},
			want: "CREATE EXTERNAL TABLE `s`.`we``ird` (\n" +
				"  `from` string,\n" +
				"  `a b` int\n" +
				")\n" +
				"STORED AS TEXTFILE\n" +
				"LOCATION '/t'",
		},
		{
			name: "view",
			table: &Table{
				Schema: "fda", Name: "drugevents", Kind: View, Comment: "flattened 'raw'",
				ViewSQL: "SELECT e.safetyreportid\nFROM fda.drugevents_raw AS e",
			},
			want: "CREATE VIEW \"fda\".\"drugevents\" COMMENT 'flattened ''raw''' AS\n" +
				"SELECT e.safetyreportid\nFROM fda.drugevents_raw AS e",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := cloneTable(tt.table)
			NormalizeTable(tb)
			if err := ValidateTable(tb); err != nil {
				t.Fatalf("test table is invalid: %v", err)
			}
			got := FormatCreateTable(tb)
			if got != tt.want {
				t.Errorf("FormatCreateTable mismatch\n--- got ---\n%s\n--- want ---\n%s", got, tt.want)
			}
		})
	}
}

// hiveUnescape is Hive's BaseSemanticAnalyzer.unescapeSQLString applied to
// the body of a quoted literal, transcribed so the test checks
// QuoteHiveString against the reader it must satisfy.
func hiveUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		// Octal \[01][0-7][0-7]; Hive requires a character after it, which
		// the closing quote provides, hence i+3 < len(s)+1.
		if i+3 < len(s)+1 && s[i+1] >= '0' && s[i+1] <= '1' && s[i+2] >= '0' && s[i+2] <= '7' && s[i+3] >= '0' && s[i+3] <= '7' {
			n, _ := strconv.ParseUint(s[i+1:i+4], 8, 8)
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		i++
		switch s[i] {
		case '0':
			b.WriteByte(0)
		case '\'':
			b.WriteByte('\'')
		case '"':
			b.WriteByte('"')
		case 'b':
			b.WriteByte('\b')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'Z':
			b.WriteByte(0x1a)
		case '\\':
			b.WriteByte('\\')
		case '%':
			b.WriteString(`\%`)
		case '_':
			b.WriteString(`\_`)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func TestQuoteHiveString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "''"},
		{"abc", "'abc'"},
		{`\`, `'\\'`},
		{"'", `'\''`},
		{"\n", `'\n'`},
		{"\t\r", `'\t\r'`},
		{"\x01", `'\001'`},
		{"\x1f\x7f", `'\037\177'`},
		{"\x00", `'\000'`},
		{`50\%_`, `'50\\%_'`},
		{"héllo", "'héllo'"},
		{`"`, `'"'`},
	}
	for _, tt := range tests {
		if got := QuoteHiveString(tt.in); got != tt.want {
			t.Errorf("QuoteHiveString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	roundTrip := func(s string) bool {
		q := QuoteHiveString(s)
		return hiveUnescape(q[1:len(q)-1]) == s
	}
	for _, tt := range tests {
		if !roundTrip(tt.in) {
			t.Errorf("%q does not survive Hive unescaping", tt.in)
		}
	}
	if err := quick.Check(roundTrip, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
}

func TestHiveTypeStringRoundTrip(t *testing.T) {
	for _, s := range []string{
		"string", "varchar(25)", "char(3)", "int", "bigint", "smallint", "tinyint", "boolean",
		"float", "double", "decimal(15,2)", "decimal(38,10)", "date", "timestamp", "timestamp(6)", "timestamp(0)",
		"binary", "array<string>", "map<string,array<int>>",
		"struct<a:int,b:struct<c:string,`d e`:array<decimal(5,1)>>>",
		"array<struct<MixedCase:int>>",
	} {
		typ := types.MustParse(s)
		printed := HiveTypeString(typ)
		back, err := types.Parse(printed)
		if err != nil {
			t.Errorf("%s printed as %s, which does not parse: %v", s, printed, err)
			continue
		}
		if !back.Equal(typ) {
			t.Errorf("%s printed as %s parses to %s, want %s", s, printed, back, typ)
		}
	}
}
