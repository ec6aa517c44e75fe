package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/gen/cur"
	"github.com/quarry-sql/quarry/gen/openfda"
)

// The seed's DDL and queries, exactly as our first users wrote them (copies
// of ../shared/spec), with only their LOCATIONs replaced at run time.
//
//go:embed demo/*.sql
var demoSQL embed.FS

func demoFile(name string) string {
	b, err := demoSQL.ReadFile("demo/" + name)
	if err != nil {
		panic("BUG: demo file missing: " + name)
	}
	return string(b)
}

type demoStep struct {
	title string
	sql   string
}

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quarry demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g globals
	g.register(fs)
	dir := fs.String("dir", "", "folder for the generated data and the demo's catalog (default: a new temporary folder)")
	curSize := fs.String("cur-size", "32MB", "uncompressed size of the generated Cost and Usage Report")
	reports := fs.Int("reports", 20000, "number of generated openFDA reports")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "quarry-demo-")
		if err != nil {
			fmt.Fprintf(stderr, "quarry demo: %v\n", err)
			return 1
		}
		*dir = d
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "quarry demo: %v\n", err)
		return 1
	}
	size, err := parseSize(*curSize)
	if err != nil {
		fmt.Fprintf(stderr, "quarry demo: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	curDir := filepath.Join(abs, "cur")
	fdaDir := filepath.Join(abs, "openfda")
	fmt.Fprintf(stdout, "Quarry demo: generating data in %s\n", abs)
	start := time.Now()
	cres, err := cur.Generate(ctx, cur.Options{Out: curDir, TargetBytes: size, StaleAssembly: true, Workers: g.threads})
	if err != nil {
		fmt.Fprintf(stderr, "quarry demo: generate CUR: %v\n", err)
		return 1
	}
	fres, err := openfda.Generate(ctx, openfda.Options{Out: fdaDir, Reports: *reports, Workers: g.threads})
	if err != nil {
		fmt.Fprintf(stderr, "quarry demo: generate openFDA: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "  AWS Cost and Usage Report: %d gzip CSV files, %d line items, 6 monthly deliveries with manifests (one superseded assembly left behind)\n", cres.Files, cres.Rows)
	fmt.Fprintf(stdout, "  openFDA drug adverse events: %d zipped JSON documents, %d reports\n", fres.Files, fres.Reports)
	fmt.Fprintf(stdout, "  generated in %s\n\n", time.Since(start).Round(time.Millisecond))

	cfg, err := g.config()
	if err != nil {
		fmt.Fprintf(stderr, "quarry demo: %v\n", err)
		return 2
	}
	if g.catalog == "" {
		// The demo's tables live in their own catalog, beside the data, so
		// the demo never touches the user's.
		cfg.CatalogDir = filepath.Join(abs, "catalog")
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "quarry: %v\n", err)
		return 1
	}
	defer eng.Close()
	sess := eng.NewSession()

	report := filepath.Join(curDir, "quarry-cur")
	ddl := "CREATE SCHEMA IF NOT EXISTS aws_optimizer;\n" +
		strings.Replace(demoFile("cur-ddl-delimited.sql"), "s3://<<your bucket name>>", report, 1) + "\n" +
		strings.Replace(demoFile("cur-ddl-opencsv.sql"), "s3://<<your bucket name>>/raw/", report, 1) + "\n" +
		strings.ReplaceAll(demoFile("fda-raw-ddl.sql"), "<openfda-dir>", fdaDir)
	ddl = strings.ReplaceAll(ddl, "CREATE EXTERNAL TABLE aws", "CREATE EXTERNAL TABLE IF NOT EXISTS aws")
	ddl = strings.ReplaceAll(ddl, "CREATE EXTERNAL TABLE fda", "CREATE EXTERNAL TABLE IF NOT EXISTS fda")
	ddl = strings.ReplaceAll(ddl, "CREATE VIEW", "CREATE OR REPLACE VIEW")
	fmt.Fprintln(stdout, "Declaring the tables with the seed's Hive DDL (all-string CUR columns, OpenCSVSerde, a JSON SerDe over zipped openFDA documents)")
	if err := sess.Execute(ctx, ddl, func(string, *engine.Result) error { return nil }); err != nil {
		printError(stderr, ddl, err)
		return 1
	}
	steps := []demoStep{
		{"Monthly spend, Reserved Instances vs the rest, last 6 months (seed query 1, Looker SQL over the delimited table)", demoFile("cur-q1-ri-spend.sql")},
		{"Cost per product with data transfer in/out (seed query 2)", demoFile("cur-q2-data-transfer.sql")},
		{"Cost per product by customer segment, Looker's window-function pivot (seed query 3, OpenCSVSerde table)", demoFile("cur-q3-tag-pivot.sql")},
		// The PRR query was written for Athena engine v1 (Presto 0.172), where
		// 1.0 was a double; under Trino's decimal(2,1) its small ratios round
		// to 0.0. The session property restores the semantics it was written for.
		{"Yearly proportional reporting ratio of GASTROINTESTINAL HAEMORRHAGE for ASPIRIN (openFDA, straight from the zip files;\n   written for Athena engine v1, so decimal literals are read as double)",
			"SET SESSION parse_decimal_literals_as_double = true;\n" + demoFile("fda-prr.sql")},
	}
	for _, st := range steps {
		fmt.Fprintf(stdout, "\n== %s\n", st.title)
		err := sess.Execute(ctx, stripComments(st.sql), func(_ string, r *engine.Result) error {
			return printResult(r, "table", stdout, stdout, g.quiet)
		})
		if err != nil {
			printError(stderr, st.sql, err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "\nThe data and the demo's catalog are in %s; explore them with:\n  quarry shell --catalog %s\n", abs, cfg.CatalogDir)
	return 0
}

// stripComments drops the leading -- comment lines the spec files carry.
func stripComments(sql string) string {
	var out []string
	for _, l := range strings.Split(sql, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "--") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
