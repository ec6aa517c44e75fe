package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/exec"
)

// runCache is `quarry cache status|clear`: what the decoded-column cache
// holds, or empty it. (One table's share goes with
// CALL system.invalidate_cache(schema_name => 's', table_name => 't').)
func runCache(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cache", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g globals
	g.register(fs)
	if len(args) == 0 || (args[0] != "status" && args[0] != "clear") {
		fmt.Fprintln(stderr, "usage: quarry cache status|clear [--catalog DIR] [--cache-dir DIR]")
		return 2
	}
	what := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	cfg, err := g.config()
	if err != nil {
		fmt.Fprintf(stderr, "quarry cache: %v\n", err)
		return 2
	}
	cfg.NoCache = false
	eng, err := engine.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "quarry: %v\n", err)
		return 1
	}
	defer eng.Close()
	c := eng.Cache()
	if c == nil {
		fmt.Fprintln(stderr, "quarry cache: the cache could not be opened (see the warning above)")
		return 1
	}
	if what == "clear" {
		before := c.Status()
		if err := c.Clear(); err != nil {
			fmt.Fprintf(stderr, "quarry cache clear: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "removed %d segments (%s) and %d index entries from %s\n", before.Segments, exec.FormatBytes(before.Bytes-before.MemoBytes), before.MemoEntries, before.Dir)
		return 0
	}
	st := c.Status()
	free := "unknown"
	if st.FreeBytes >= 0 {
		free = exec.FormatBytes(st.FreeBytes)
	}
	fmt.Fprintf(stdout, "cache:      %s\n", st.Dir)
	fmt.Fprintf(stdout, "segments:   %d (%d column groups), %s; %d protected (%s)\n", st.Segments, st.Groups, exec.FormatBytes(st.Bytes-st.MemoBytes), st.ProtectedSegments, exec.FormatBytes(st.ProtectedBytes))
	fmt.Fprintf(stdout, "file facts: %d (gzip checkpoint indexes and the like), %s\n", st.MemoEntries, exec.FormatBytes(st.MemoBytes))
	fmt.Fprintf(stdout, "budget:     %s of %s used; keeps %s free on disk (free now: %s)\n", exec.FormatBytes(st.Bytes), exec.FormatBytes(st.MaxBytes), exec.FormatBytes(st.MinFreeBytes), free)
	return 0
}
