package main

import (
	"fmt"
	"io"

	"github.com/quarry-sql/quarry/engine"
)

// printDryRun prints one statement of quarry sql --dry-run: the estimate's
// rows (as EXPLAIN (TYPE IO) prints them) on stdout and a summary on
// stderr, or the message of a statement that reads nothing.
func printDryRun(r *engine.Result, format string, stdout, stderr io.Writer, quiet bool) error {
	est := r.Estimate
	if est == nil {
		// USE, SET SESSION, EXPLAIN and statements not run.
		return printResult(r, format, stdout, stderr, quiet)
	}
	if err := printResult(r, format, stdout, stderr, true); err != nil {
		return err
	}
	if !quiet {
		tail := ""
		if est.Statement != "SELECT" {
			tail = "; nothing written"
		}
		fmt.Fprintf(stderr, "dry run: %s would read %s%s\n", est.Statement, est.Summary(), tail)
	}
	return nil
}
