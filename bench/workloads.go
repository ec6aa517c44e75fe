package main

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// duckQueries holds DuckDB-dialect versions of the queries whose Trino
// text DuckDB does not accept (see queries/duckdb/README.md).
//
//go:embed queries/duckdb/*.sql
var duckQueries embed.FS

// query is one benchmark query in both dialects.
type query struct {
	Name   string
	Quarry string
	Duck   string
	// Files are the files the query reads in a compressed-text workload,
	// for its decompression floor; nil elsewhere.
	Files []string
}

// workload is a set of queries over one data set in one format, with the
// statements that declare the tables in each engine.
type workload struct {
	Name        string
	Description string
	// Schema is Quarry's session schema; QuarryDDL runs once on a fresh
	// catalog.
	Schema    string
	QuarryDDL string
	// DuckSetup runs on every fresh DuckDB instance (one per query).
	DuckSetup []string
	Queries   []query
	// Repeat names the queries of the repeated-query workload taken from
	// this workload.
	Repeat []string
	// Compressed is true for workloads over compressed text, which get a
	// decompression floor.
	Compressed bool
	// Note documents asymmetries between the engines.
	Note string
}

var tpchTables = []string{"part", "supplier", "partsupp", "customer", "orders", "lineitem", "nation", "region"}

// ddlColumns extracts the column list of each CREATE EXTERNAL TABLE in a
// Hive DDL script: table name → ordered (name, type) pairs.
func ddlColumns(ddl string) (map[string][][2]string, error) {
	out := map[string][][2]string{}
	re := regexp.MustCompile(`(?is)CREATE\s+EXTERNAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w.]+)\s*\(`)
	for _, m := range re.FindAllStringSubmatchIndex(ddl, -1) {
		name := ddl[m[2]:m[3]]
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		// The column list ends at the parenthesis that closes the one
		// opened after the table name.
		depth, start, end := 1, m[1], -1
		for i := start; i < len(ddl) && end < 0; i++ {
			switch ddl[i] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("table %s: unbalanced column list", name)
		}
		var cols [][2]string
		for _, part := range splitTopLevel(ddl[start:end]) {
			f := strings.Fields(strings.TrimSpace(part))
			if len(f) < 2 {
				continue
			}
			cols = append(cols, [2]string{strings.ToLower(f[0]), strings.Join(f[1:], " ")})
		}
		out[strings.ToLower(name)] = cols
	}
	return out, nil
}

// splitTopLevel splits on commas outside parentheses and angle brackets.
func splitTopLevel(s string) []string {
	var parts []string
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '<':
			depth++
		case ')', '>':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[last:i])
				last = i + 1
			}
		}
	}
	return append(parts, s[last:])
}

func readSpec(shared, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(shared, "spec", name))
	return string(b), err
}

var wordRE = regexp.MustCompile(`[A-Za-z_][A-Za-z_0-9]*`)

// tablesIn lists the TPC-H tables a query names.
func tablesIn(sql string) []string {
	seen := map[string]bool{}
	for _, w := range wordRE.FindAllString(strings.ToLower(sql), -1) {
		seen[w] = true
	}
	var out []string
	for _, t := range tpchTables {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

// tpchQueries reads the 22 TPC-H queries; DuckDB runs the same text
// unless queries/duckdb/tpch-qNN.sql exists.
func tpchQueries(shared string, only []string) ([]query, error) {
	var qs []query
	for i := 1; i <= 22; i++ {
		name := fmt.Sprintf("q%02d", i)
		if len(only) > 0 && !contains(only, name) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(shared, "data", "tpch", "queries", name+".sql"))
		if err != nil {
			return nil, err
		}
		q := query{Name: name, Quarry: string(b), Duck: string(b)}
		if d, err := duckQueries.ReadFile("queries/duckdb/tpch-" + name + ".sql"); err == nil {
			q.Duck = string(d)
		}
		qs = append(qs, q)
	}
	return qs, nil
}

func tpchWorkloads(shared string, d tpchData, only []string) ([]*workload, error) {
	ddl, err := readSpec(shared, "tpch-ddl.sql")
	if err != nil {
		return nil, err
	}
	cols, err := ddlColumns(ddl)
	if err != nil {
		return nil, err
	}
	qs, err := tpchQueries(shared, only)
	if err != nil {
		return nil, err
	}
	locRE := regexp.MustCompile(`LOCATION\s+'<tpch-dir>/(\w+)\.tbl\.gz'`)

	// Parquet: the spec's DDL with STORED AS PARQUET over the table folders.
	pqDDL := strings.ReplaceAll(ddl, "ROW FORMAT DELIMITED FIELDS TERMINATED BY '|' STORED AS TEXTFILE", "STORED AS PARQUET")
	pqDDL = locRE.ReplaceAllStringFunc(pqDDL, func(m string) string {
		t := locRE.FindStringSubmatch(m)[1]
		return "LOCATION " + sqlString(d.parquetDir(t))
	})
	var pqSetup []string
	for _, t := range tpchTables {
		pqSetup = append(pqSetup, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s)", t,
			sqlString(filepath.Join(d.parquetDir(t), "*.parquet"))))
	}
	pq := &workload{
		Name:        "tpch-parquet",
		Description: fmt.Sprintf("TPC-H SF %g, 22 queries over Parquet (snappy, one row group per file)", d.SF),
		Schema:      "tpch", QuarryDDL: pqDDL, DuckSetup: pqSetup, Queries: qs,
		Repeat: []string{"q01", "q06"},
	}

	// gzip tbl: the spec's DDL as is, LOCATION on each table's folder;
	// DuckDB reads the same files with read_csv and the DDL's types (a
	// 17th column absorbs dbgen's trailing '|').
	tblDDL := locRE.ReplaceAllStringFunc(ddl, func(m string) string {
		t := locRE.FindStringSubmatch(m)[1]
		return "LOCATION " + sqlString(d.tblDir(t))
	})
	var tblSetup []string
	files := map[string][]string{}
	for _, t := range tpchTables {
		c := cols[t]
		if len(c) == 0 {
			return nil, fmt.Errorf("tpch-ddl.sql: no columns for %s", t)
		}
		var spec, names []string
		for _, nt := range c {
			spec = append(spec, fmt.Sprintf("'%s': '%s'", nt[0], strings.ToUpper(nt[1])))
			names = append(names, nt[0])
		}
		spec = append(spec, "'trailing_delimiter': 'VARCHAR'")
		glob := filepath.Join(d.tblDir(t), "*.tbl.gz")
		tblSetup = append(tblSetup, fmt.Sprintf(
			"CREATE VIEW %s AS SELECT %s FROM read_csv(%s, delim='|', header=false, quote='', escape='', auto_detect=false, columns={%s})",
			t, strings.Join(names, ", "), sqlString(glob), strings.Join(spec, ", ")))
		if files[t], err = globSorted(glob); err != nil {
			return nil, err
		}
	}
	tblQs := make([]query, len(qs))
	for i, q := range qs {
		q.Files = nil
		for _, t := range tablesIn(q.Quarry) {
			q.Files = append(q.Files, files[t]...)
		}
		tblQs[i] = q
	}
	tbl := &workload{
		Name:        "tpch-tbl",
		Description: fmt.Sprintf("TPC-H SF %g, 22 queries over gzip '|'-delimited text (.tbl.gz, one file per table)", d.SF),
		Schema:      "tpch", QuarryDDL: tblDDL, DuckSetup: tblSetup, Queries: tblQs,
		Repeat: []string{"q06"}, Compressed: true,
		Note: "DuckDB decompresses each gzip file on one thread; Quarry's reader is its own",
	}
	return []*workload{pq, tbl}, nil
}

var curQueryFiles = []string{"cur-q1-ri-spend.sql", "cur-q2-data-transfer.sql", "cur-q3-tag-pivot.sql"}

func curQueries(shared string) ([]query, error) {
	var qs []query
	for _, f := range curQueryFiles {
		qText, err := readSpec(shared, f)
		if err != nil {
			return nil, err
		}
		dText, err := duckQueries.ReadFile("queries/duckdb/" + f)
		if err != nil {
			return nil, err
		}
		qs = append(qs, query{Name: strings.SplitN(strings.TrimPrefix(f, "cur-"), "-", 2)[0], Quarry: qText, Duck: string(dText)})
	}
	return qs, nil
}

// curReadCSV is DuckDB's read of the CUR CSV files: the header row
// skipped, the 131 columns of the OpenCSVSerde DDL by position, all
// VARCHAR as in the seed's DDL, and an empty field an empty string as in
// Hive (whose text NULL is \N), not DuckDB's default NULL. (DuckDB
// refuses ESCAPE '\' beside that NULL string; no generated value holds
// a quote or a backslash, so the escape character does not matter.)
func curReadCSV(files []string) string {
	var quoted, spec []string
	for _, f := range files {
		quoted = append(quoted, sqlString(f))
	}
	for _, c := range curColumns {
		spec = append(spec, fmt.Sprintf("'%s': 'VARCHAR'", c))
	}
	return fmt.Sprintf("read_csv([%s], header=true, delim=',', quote='\"', nullstr='\\N', auto_detect=false, columns={%s})",
		strings.Join(quoted, ", "), strings.Join(spec, ", "))
}

// curColumns are the 131 columns of cur-ddl-opencsv.sql, lower case.
var curColumns []string

func loadCURColumns(shared string) error {
	ddl, err := readSpec(shared, "cur-ddl-opencsv.sql")
	if err != nil {
		return err
	}
	cols, err := ddlColumns(ddl)
	if err != nil {
		return err
	}
	curColumns = nil
	for _, c := range cols["cost_and_usage_raw"] {
		curColumns = append(curColumns, c[0])
	}
	if len(curColumns) != 131 {
		return fmt.Errorf("cur-ddl-opencsv.sql: %d columns, want 131", len(curColumns))
	}
	return nil
}

func curWorkloads(shared string, d curData) ([]*workload, error) {
	delim, err := readSpec(shared, "cur-ddl-delimited.sql")
	if err != nil {
		return nil, err
	}
	open, err := readSpec(shared, "cur-ddl-opencsv.sql")
	if err != nil {
		return nil, err
	}
	qs, err := curQueries(shared)
	if err != nil {
		return nil, err
	}
	const schema = "CREATE SCHEMA IF NOT EXISTS aws_optimizer;\n"
	csvDDL := schema +
		strings.Replace(delim, "'s3://<<your bucket name>>'", sqlString(d.ReportDir), 1) + "\n" +
		strings.Replace(open, "'s3://<<your bucket name>>/raw/'", sqlString(d.ReportDir), 1)
	duckCSV := []string{
		"CREATE SCHEMA aws_optimizer",
		"CREATE VIEW aws_optimizer.cost_and_usage_raw AS SELECT * FROM " + curReadCSV(d.CSVFiles),
		"CREATE VIEW aws_optimizer.cost_and_usage AS SELECT * FROM aws_optimizer.cost_and_usage_raw",
	}
	csvQs := make([]query, len(qs))
	for i, q := range qs {
		q.Files = d.CSVFiles
		csvQs[i] = q
	}
	mb := float64(d.Bytes) / (1 << 20)
	csvW := &workload{
		Name:        "cur-csv",
		Description: fmt.Sprintf("CUR seed queries over a gzip CSV delivery (%d files, %.0f MB uncompressed)", len(d.CSVFiles), mb),
		Schema:      "aws_optimizer", QuarryDDL: csvDDL, DuckSetup: duckCSV, Queries: csvQs,
		Repeat: []string{"q1", "q2", "q3"}, Compressed: true,
		Note: "all columns VARCHAR in both engines, as in the seed DDL; DuckDB's SQL casts explicitly (queries/duckdb)",
	}

	// Parquet: both DDLs over the files Quarry's pipeline wrote, with the
	// partition column the pipeline added.
	toParquet := func(ddl, loc string) string {
		i := strings.Index(ddl, "ROW FORMAT")
		name := ddl[strings.Index(ddl, "aws_optimizer."):]
		name = name[:strings.IndexAny(name, " (\n")]
		return ddl[:i] + "PARTITIONED BY (usage_month string)\nSTORED AS PARQUET\nLOCATION " + sqlString(loc) + ";\n" +
			"MSCK REPAIR TABLE " + name + ";\n"
	}
	pqDDL := schema + toParquet(delim, d.ParquetDir) + toParquet(open, d.ParquetDir)
	duckPQ := []string{
		"CREATE SCHEMA aws_optimizer",
		"CREATE VIEW aws_optimizer.cost_and_usage_raw AS SELECT * FROM read_parquet(" + sqlString(filepath.Join(d.ParquetDir, "*", "*.parquet")) + ", hive_partitioning = true)",
		"CREATE VIEW aws_optimizer.cost_and_usage AS SELECT * FROM aws_optimizer.cost_and_usage_raw",
	}
	pqW := &workload{
		Name:        "cur-parquet",
		Description: "CUR seed queries over the same rows as Parquet written by Quarry's CTAS pipeline (docs/pipelines/cur-to-parquet.sql: zstd, by usage month, all VARCHAR)",
		Schema:      "aws_optimizer", QuarryDDL: pqDDL, DuckSetup: duckPQ, Queries: qs,
		Repeat: []string{"q1"},
	}
	return []*workload{csvW, pqW}, nil
}

// fdaViewColumns are the columns of fda-raw-ddl.sql's flattening view.
var fdaViewColumns = []string{"companynumb", "safetyreportid", "receiptdate", "receivedate", "serious", "seriousnessdeath",
	"patientsex", "medicinalproduct", "drugcharacterization", "drugindication", "drugadministrationroute",
	"drugauthorizationnumb", "reactionmeddrapt"}

// fdaParquetColumns are the columns of fda-ddl.sql (the seed's Parquet
// table); those the raw documents lack are written as NULL.
var fdaParquetColumns = []string{"companynumb", "safetyreportid", "safetyreportversion", "receiptdate", "patientagegroup",
	"patientdeathdate", "patientsex", "patientweight", "serious", "seriousnesscongenitalanomali", "seriousnessdeath",
	"seriousnessdisabling", "seriousnesshospitalization", "seriousnesslifethreatening", "seriousnessother", "actiondrug",
	"activesubstancename", "drugadditional", "drugadministrationroute", "drugcharacterization", "drugindication",
	"drugauthorizationnumb", "medicinalproduct", "drugdosageform", "drugdosagetext", "reactionoutcome",
	"reactionmeddrapt", "reactionmeddraversionpt"}

// fdaDuckJSONSetup declares fda.drugevents in DuckDB over the unzipped
// documents: read_json with the raw DDL's structure, then the view's two
// CROSS JOIN UNNESTs as nested unnest() (an empty list yields no row, as
// in Trino).
func fdaDuckJSONSetup(jsons []string) []string {
	var quoted []string
	for _, f := range jsons {
		quoted = append(quoted, sqlString(f))
	}
	report := "STRUCT(safetyreportid VARCHAR, receiptdate VARCHAR, receivedate VARCHAR, companynumb VARCHAR, " +
		"serious VARCHAR, seriousnessdeath VARCHAR, patient STRUCT(patientsex VARCHAR, patientonsetage VARCHAR, " +
		"drug STRUCT(medicinalproduct VARCHAR, drugcharacterization VARCHAR, drugindication VARCHAR, " +
		"drugadministrationroute VARCHAR, drugauthorizationnumb VARCHAR)[], reaction STRUCT(reactionmeddrapt VARCHAR)[]))"
	// Each file is one document: DuckDB must hold the largest whole.
	var largest int64 = 16 << 20
	for _, f := range jsons {
		if st, err := os.Stat(f); err == nil && st.Size()+(1<<20) > largest {
			largest = st.Size() + 1<<20
		}
	}
	read := fmt.Sprintf("read_json([%s], format='unstructured', records=true, maximum_object_size=%d, columns={results: '%s[]'})",
		strings.Join(quoted, ", "), largest, report)
	return []string{
		"CREATE SCHEMA fda",
		`CREATE VIEW fda.drugevents AS
WITH reports AS (SELECT unnest(results) AS e FROM ` + read + `),
drugs AS (SELECT e, unnest(e.patient.drug) AS d FROM reports),
flat AS (SELECT e, d, unnest(e.patient.reaction) AS r FROM drugs)
SELECT e.companynumb, e.safetyreportid, e.receiptdate, e.receivedate, e.serious, e.seriousnessdeath,
       e.patient.patientsex AS patientsex,
       d.medicinalproduct, d.drugcharacterization, d.drugindication, d.drugadministrationroute, d.drugauthorizationnumb,
       r.reactionmeddrapt
FROM flat`,
	}
}

func fdaWorkloads(shared string, d fdaData) ([]*workload, error) {
	raw, err := readSpec(shared, "fda-raw-ddl.sql")
	if err != nil {
		return nil, err
	}
	pqDDL, err := readSpec(shared, "fda-ddl.sql")
	if err != nil {
		return nil, err
	}
	prr, err := readSpec(shared, "fda-prr.sql")
	if err != nil {
		return nil, err
	}
	duckPRR := prr
	if b, err := duckQueries.ReadFile("queries/duckdb/fda-prr.sql"); err == nil {
		duckPRR = string(b)
	}
	jsonW := &workload{
		Name:        "fda-json",
		Description: fmt.Sprintf("openFDA PRR over %d raw zipped JSON downloads (%d reports)", len(d.Zips), d.Reports),
		Schema:      "fda",
		// The PRR query was written for Athena engine v1, where 1.0 is a
		// double (see the demo); the session property gives it those semantics.
		QuarryDDL:  fdaSession + strings.ReplaceAll(raw, "'<openfda-dir>'", sqlString(d.ZipDir)),
		DuckSetup:  fdaDuckJSONSetup(d.JSONs),
		Queries:    []query{{Name: "prr", Quarry: prr, Duck: duckPRR, Files: d.Zips}},
		Compressed: true,
		Note:       "asymmetric: Quarry reads the .json.zip archives, DuckDB (no zip support) a pre-extracted copy of the same documents; the floor is unzipping the archives",
	}
	pqW := &workload{
		Name:        "fda-parquet",
		Description: "openFDA PRR over the flattened events as Parquet (seed's fda-ddl.sql table, written by DuckDB)",
		Schema:      "fda",
		QuarryDDL: fdaSession + "CREATE SCHEMA IF NOT EXISTS fda;\n" +
			strings.Replace(pqDDL, "'s3://{YOUR TARGET BUCKET}/output/drugevents'", sqlString(d.ParquetDir), 1),
		DuckSetup: []string{"CREATE SCHEMA fda",
			"CREATE VIEW fda.drugevents AS SELECT * FROM read_parquet(" + sqlString(filepath.Join(d.ParquetDir, "*.parquet")) + ")"},
		Queries: []query{{Name: "prr", Quarry: prr, Duck: duckPRR}},
		Repeat:  []string{"prr"},
	}
	return []*workload{jsonW, pqW}, nil
}

const fdaSession = "SET SESSION parse_decimal_literals_as_double = true;\n"

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
