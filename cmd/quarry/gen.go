package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/gen/cur"
	"github.com/quarry-sql/quarry/gen/openfda"
	"github.com/quarry-sql/quarry/gen/tpch"
)

const genUsage = `Usage:
  quarry gen cur     --out DIR [--months 6] [--size 50MB] [--files-per-month N] [--stale] [--seed N]
  quarry gen openfda --out DIR [--reports 20000] [--files N] [--seed N]
  quarry gen tpch    --out DIR [--sf 1] [--formats tbl.gz,parquet] [--compression snappy] [--seed N]
`

func runGen(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, genUsage)
		return 2
	}
	kind, rest := args[0], args[1:]
	fs := flag.NewFlagSet("quarry gen "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g globals
	g.register(fs)
	out := fs.String("out", "", "output folder")
	seed := fs.Int64("seed", 0, "random seed (output is deterministic per seed)")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	switch kind {
	case "cur":
		months := fs.Int("months", 6, "billing periods, ending with the current month")
		size := fs.String("size", "50MB", "uncompressed CSV size over all months")
		files := fs.Int("files-per-month", 0, "CSV parts per month (0: by size)")
		stale := fs.Bool("stale", false, "leave an older, superseded assembly in one month")
		if err := parseGenFlags(fs, rest, out); err != nil {
			return 2
		}
		n, err := parseSize(*size)
		if err != nil {
			fmt.Fprintf(stderr, "quarry gen cur: %v\n", err)
			return 2
		}
		res, err := cur.Generate(ctx, cur.Options{Out: *out, Months: *months, TargetBytes: n, FilesPerMonth: *files, StaleAssembly: *stale, Seed: *seed, Workers: g.threads})
		if err != nil {
			fmt.Fprintf(stderr, "quarry gen cur: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %d CUR files (%d rows, %s CSV, %s gzip) to %s in %s\n", res.Files, res.Rows,
			exec.FormatBytes(res.Bytes), exec.FormatBytes(res.CompressedBytes), *out, time.Since(start).Round(time.Millisecond))
	case "openfda":
		reports := fs.Int("reports", 20000, "number of adverse-event reports")
		files := fs.Int("files", 0, "number of zip files (0: one per 25000 reports)")
		if err := parseGenFlags(fs, rest, out); err != nil {
			return 2
		}
		res, err := openfda.Generate(ctx, openfda.Options{Out: *out, Reports: *reports, Files: *files, Seed: *seed, Workers: g.threads})
		if err != nil {
			fmt.Fprintf(stderr, "quarry gen openfda: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %d openFDA files (%d reports, %s JSON, %s zipped) to %s in %s\n", res.Files, res.Reports,
			exec.FormatBytes(res.Bytes), exec.FormatBytes(res.CompressedBytes), *out, time.Since(start).Round(time.Millisecond))
	case "tpch":
		sf := fs.Float64("sf", 1, "scale factor")
		formats := fs.String("formats", "tbl.gz", "comma-separated: tbl, tbl.gz, csv, csv.gz, parquet")
		codec := fs.String("compression", "snappy", "Parquet codec: snappy, zstd, gzip, none")
		if err := parseGenFlags(fs, rest, out); err != nil {
			return 2
		}
		res, err := tpch.Generate(ctx, tpch.Options{Out: *out, SF: *sf, Formats: strings.Split(*formats, ","), Compression: *codec, Seed: *seed, Workers: g.threads})
		if err != nil {
			fmt.Fprintf(stderr, "quarry gen tpch: %v\n", err)
			return 1
		}
		for _, t := range res.Tables {
			fmt.Fprintf(stdout, "%-8s %-7s %10d rows  %9s  %s\n", t.Table, t.Format, t.Rows, exec.FormatBytes(t.Bytes), t.Dir)
		}
		fmt.Fprintf(stdout, "wrote TPC-H SF %g (%s) in %s\n", *sf, exec.FormatBytes(res.Bytes), time.Since(start).Round(time.Millisecond))
	default:
		fmt.Fprintf(stderr, "quarry gen: unknown dataset %q\n%s", kind, genUsage)
		return 2
	}
	return 0
}

func parseGenFlags(fs *flag.FlagSet, args []string, out *string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintf(fs.Output(), "%s: --out DIR is required\n", fs.Name())
		return fmt.Errorf("missing --out")
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return fmt.Errorf("extra arguments")
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	*out = abs
	return nil
}
