package main

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

func printWorkload(out io.Writer, w *workloadResult) {
	fmt.Fprintf(out, "\n== %s: %s\n", w.Name, w.Description)
	if w.Note != "" {
		fmt.Fprintf(out, "   note: %s\n", w.Note)
	}
	if w.Error != "" {
		fmt.Fprintf(out, "   quarry setup failed: %s\n", oneLine(w.Error, 300))
	}
	floor := false
	for _, q := range w.Queries {
		floor = floor || q.FloorMS > 0
	}
	rep := w.Name == "repeated"
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	hdr := "query\tstatus\tquarry min\tmedian\tduckdb min\tmedian\tratio\tquarry mem\theap\tduckdb mem\trows\t"
	if rep {
		hdr = "query\tstatus\tquarry min\tmedian\tduckdb min\tmedian\tratio\tquarry 1st\trest avg\tduckdb 1st\trest avg\t"
	}
	if floor {
		hdr += "floor\tq/floor\td/floor\t"
	}
	fmt.Fprintln(tw, hdr)
	var details []string
	for _, q := range w.Queries {
		name := q.Name
		if q.Workload != "" {
			name = q.Workload + "/" + q.Name
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t", name, q.Status,
			msText(q.Quarry.MinMS), msText(q.Quarry.MedianMS), msText(q.DuckDB.MinMS), msText(q.DuckDB.MedianMS), ratioText(q.Ratio))
		if rep {
			line += fmt.Sprintf("%s\t%s\t%s\t%s\t", msText(q.Quarry.FirstMS), msText(q.Quarry.RestMS), msText(q.DuckDB.FirstMS), msText(q.DuckDB.RestMS))
		} else {
			line += fmt.Sprintf("%s\t%s\t%s\t%d\t", bytesText(q.Quarry.PeakMemory), bytesText(q.Quarry.HeapPeak), bytesText(q.DuckDB.PeakMemory), q.Rows)
		}
		if floor {
			line += fmt.Sprintf("%s\t%s\t%s\t", msText(q.FloorMS), ratioText(q.QuarryFloor), ratioText(q.DuckFloor))
		}
		fmt.Fprintln(tw, line)
		if q.Detail != "" {
			details = append(details, fmt.Sprintf("   %s: %s", name, oneLine(q.Detail, 240)))
		}
	}
	tw.Flush()
	for _, d := range details {
		fmt.Fprintln(out, d)
	}
	fmt.Fprintf(out, "   geomean ratio %s (min-based %s) over %d of %d queries; excluded: %d failed in quarry, %d failed in duckdb, %d disagree\n",
		ratioText(w.Geomean), ratioText(w.GeomeanMin), w.Counted, len(w.Queries), w.QuarryFail, w.DuckFail, w.Disagree)
	if w.QuarryFloor > 0 {
		fmt.Fprintf(out, "   over the decompression floor (geomean): quarry %s, duckdb %s\n", ratioText(w.QuarryFloor), ratioText(w.DuckFloor))
	}
}

func printSummary(out io.Writer, rep *report) {
	fmt.Fprintln(out, "\n== summary (geometric means of quarry/duckdb over the queries both answered alike)")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tgeomean\tmin-based\tcounted\tof\tquarry failed\tduckdb failed\tdisagree\tquarry/floor\tduckdb/floor\t")
	for _, w := range rep.Workloads {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", w.Name, ratioText(w.Geomean), ratioText(w.GeomeanMin),
			w.Counted, len(w.Queries), w.QuarryFail, w.DuckFail, w.Disagree, ratioText(w.QuarryFloor), ratioText(w.DuckFloor))
	}
	tw.Flush()
	if q, d, n := speedup(rep, "cur-csv", "cur-parquet"); n > 0 {
		fmt.Fprintf(out, "\nParquet written by Quarry's CTAS over the raw gzip CSV (CUR, %d queries, geomean of csv time / parquet time): quarry %.1fx faster, duckdb %.1fx faster\n", n, q, d)
	}
}

// speedup is how many times faster each engine answers the queries of
// workload to than the same queries of workload from (geomean of the
// median times, over queries both workloads ran in both engines).
func speedup(rep *report, from, to string) (quarry, duck float64, n int) {
	byName := map[string]*workloadResult{}
	for _, w := range rep.Workloads {
		byName[w.Name] = w
	}
	a, b := byName[from], byName[to]
	if a == nil || b == nil {
		return 0, 0, 0
	}
	var ql, dl []float64
	for _, qa := range a.Queries {
		for _, qb := range b.Queries {
			if qa.Name != qb.Name || qa.Quarry == nil || qb.Quarry == nil || qa.DuckDB == nil || qb.DuckDB == nil ||
				qa.Quarry.MedianMS <= 0 || qb.Quarry.MedianMS <= 0 || qa.DuckDB.MedianMS <= 0 || qb.DuckDB.MedianMS <= 0 {
				continue
			}
			ql = append(ql, math.Log(qa.Quarry.MedianMS/qb.Quarry.MedianMS))
			dl = append(dl, math.Log(qa.DuckDB.MedianMS/qb.DuckDB.MedianMS))
		}
	}
	if len(ql) == 0 {
		return 0, 0, 0
	}
	return geomean(ql), geomean(dl), len(ql)
}

func msText(v float64) string {
	switch {
	case v <= 0:
		return "-"
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 1000:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.2fs", v/1000)
}

func ratioText(v float64) string {
	if v <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

func bytesText(b int64) string {
	switch {
	case b < 0:
		return "?"
	case b == 0:
		return "-"
	case b < 1<<20:
		return fmt.Sprintf("%dK", b>>10)
	case b < 1<<30:
		return fmt.Sprintf("%.1fM", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.2fG", float64(b)/(1<<30))
}
