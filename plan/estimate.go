package plan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

// ScanPlan is what one scan of a physical plan will read, fixed when the
// plan is built: the splits of its files after partition pruning, the
// data columns its readers are asked for and the predicates they may skip
// data with. Nothing has been read yet.
type ScanPlan struct {
	Table       *catalog.Table
	Morsels     []exec.Morsel
	Columns     []int              // exactly the readers' Request.Columns
	Predicates  []source.Predicate // exactly the readers' Request.Predicates
	Constraints []Constraint       // simple filters, for EXPLAIN (TYPE IO)
	// Partitioned tables only: partitions listed and kept after pruning.
	Partitioned                     bool
	PartitionsTotal, PartitionsRead int64
}

// Constraint is a filter of a scan comparing one column (data or
// partition key) with constants: Op is =, <>, <, <=, >, >= with one value,
// or IN with several.
type Constraint struct {
	Column string
	Type   types.Type
	Op     string
	Values []any
}

// readerColumns lists the data columns the scan's readers are asked for,
// as exec.NewScan builds them: in scan column order, and the first column
// when the scan needs none (count(*), partition keys only).
func readerColumns(x *Scan) []int {
	var cols []int
	for _, c := range x.Cols {
		if c.Data >= 0 {
			cols = append(cols, c.Data)
		}
	}
	if len(cols) == 0 && len(x.Table.Columns) > 0 {
		cols = []int{0}
	}
	return cols
}

// scanConstraints extracts the column-op-constant filters of a scan.
func scanConstraints(x *Scan) []Constraint {
	ops := map[string]string{"$eq": "=", "$ne": "<>", "$lt": "<", "$le": "<=", "$gt": ">", "$ge": ">="}
	flip := map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
	byID := map[ColumnID]*ScanCol{}
	for i := range x.Cols {
		byID[x.Cols[i].ID] = &x.Cols[i]
	}
	name := func(e Expr) (string, types.Type, bool) {
		cr, ok := e.(*ColumnRef)
		if !ok {
			return "", types.Type{}, false
		}
		sc := byID[cr.ID]
		switch {
		case sc == nil:
			return "", types.Type{}, false
		case sc.Data >= 0:
			return x.Table.Columns[sc.Data].Name, sc.T, true
		case sc.PartKey >= 0:
			return x.Table.PartitionKeys[sc.PartKey].Name, sc.T, true
		}
		return "", types.Type{}, false
	}
	var out []Constraint
	for _, f := range x.Filters {
		switch e := f.(type) {
		case *Call:
			op, ok := ops[e.Name]
			if !ok || len(e.Args) != 2 {
				continue
			}
			a, b := e.Args[0], e.Args[1]
			if _, ok := a.(*Const); ok {
				a, b = b, a
				op = flip[op]
			}
			col, t, ok1 := name(a)
			c, ok2 := b.(*Const)
			if !ok1 || !ok2 || c.Value == nil || !t.Equal(c.T) {
				continue
			}
			out = append(out, Constraint{Column: col, Type: t, Op: op, Values: []any{c.Value}})
		case *InList:
			col, t, ok := name(e.Arg)
			if !ok || e.Not {
				continue
			}
			vals := make([]any, 0, len(e.List))
			for _, c := range e.List {
				if c.Value != nil && t.Equal(c.T) {
					vals = append(vals, c.Value)
				}
			}
			if len(vals) == len(e.List) {
				out = append(out, Constraint{Column: col, Type: t, Op: "IN", Values: vals})
			}
		}
	}
	return out
}

// ScanIO is what one planned scan is estimated to read.
type ScanIO struct {
	*ScanPlan
	Files       int64
	Splits      int64
	RemoteBytes int64 // from storage: what Stats.BytesRead will count
	LocalBytes  int64 // from the decoded-column cache
	// Rows sums the row counts of the splits whose count is known
	// (RowSplits of Splits: Parquet footers, cache segments).
	Rows      int64
	RowSplits int64
	// Seconds is the time model's estimate, see ScanRates.
	Seconds float64
}

// RowsExact reports whether Rows counts every row the scan reads.
func (s *ScanIO) RowsExact() bool { return s.RowSplits == s.Splits }

// ScanRates is the time model: bytes of storage one core turns into rows
// per second, by kind of file. Measured with quarry sql --threads 1 on a
// 2-core development VM (warm page cache, median of runs): TPC-H SF 0.5
// lineitem and orders as Parquet (60-100 MB/s, less with many decimal and
// string columns) and as .tbl.gz (35-50 MB/s: one file inflates on one
// core), the same lineitem uncompressed (~300 MB/s), the CUR seed queries
// over gzip CSV (~45 MB/s) and openFDA zipped JSON (~25 MB/s). A scan takes
// its bytes over the rate of each split's kind, spread over the query's
// threads, and no less than its slowest split. Scans are added up, as the
// operators above them mostly run them one after another. The model knows
// nothing of network bandwidth or latency, nor of the work of joins and
// aggregations, so it is a floor for remote data and heavy queries.
var ScanRates = map[string]float64{
	"parquet": 60e6,
	"text":    300e6, // uncompressed CSV and JSON lines
	"gzip":    40e6,  // compressed bytes of gzip CSV or JSON
	"zip":     25e6,
	"other":   30e6,  // bzip2, zstd, snappy, lz4 and other compressed text (not measured)
	"cache":   200e6, // decoded-column cache segments (LocalBytes; not measured yet)
}

// rateKind names the ScanRates entry for one file of a table.
func rateKind(t *catalog.Table, location string) string {
	l := strings.ToLower(location)
	switch {
	case strings.HasSuffix(l, ".gz"), strings.HasSuffix(l, ".gzip"):
		return "gzip"
	case strings.HasSuffix(l, ".zip"):
		return "zip"
	case strings.HasSuffix(l, ".bz2"), strings.HasSuffix(l, ".zst"), strings.HasSuffix(l, ".snappy"),
		strings.HasSuffix(l, ".lz4"), strings.HasSuffix(l, ".deflate"), strings.HasSuffix(l, ".xz"):
		return "other"
	case t.Format == catalog.FormatParquet:
		return "parquet"
	}
	return "text"
}

// estimateWorkers bounds the footers read at once: estimating is latency
// bound on S3.
const estimateWorkers = 16

// EstimateIO prices planned scans without running them: every split costs
// what its format's source.SplitEstimator says (Parquet reads the file's
// footer), or else its byte length; a whole file costs its size, and a file
// cut into decoded splits costs its size once. threads is the query's
// parallelism, for the time model.
func EstimateIO(ctx context.Context, scans []*ScanPlan, threads int) ([]ScanIO, error) {
	type job struct{ scan, morsel int }
	ests := make([][]source.Estimate, len(scans))
	var jobs []job
	decodedSeen := make([]map[string]bool, len(scans)) // per scan
	for i, sp := range scans {
		ests[i] = make([]source.Estimate, len(sp.Morsels))
		decodedSeen[i] = map[string]bool{}
		for j := range sp.Morsels {
			m := &sp.Morsels[j]
			if _, ok := m.Format.(source.SplitEstimator); ok {
				jobs = append(jobs, job{i, j})
				continue
			}
			ests[i][j] = defaultEstimate(m, decodedSeen[i])
		}
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
		errs = make([]error, len(jobs))
	)
	for range min(estimateWorkers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				if k >= len(jobs) || ctx.Err() != nil {
					return
				}
				jb := jobs[k]
				sp := scans[jb.scan]
				m := &sp.Morsels[jb.morsel]
				e, err := m.Format.(source.SplitEstimator).EstimateSplit(ctx, m.Store, sp.Table, m.File, m.Split, sp.Columns, sp.Predicates)
				if err != nil {
					errs[k] = fmt.Errorf("table %s.%s: estimate %s: %w", sp.Table.Schema, sp.Table.Name, m.File.Location, err)
				}
				ests[jb.scan][jb.morsel] = e
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for k, err := range errs {
		if errors.Is(err, source.ErrNoEstimate) {
			jb := jobs[k]
			ests[jb.scan][jb.morsel] = defaultEstimate(&scans[jb.scan].Morsels[jb.morsel], decodedSeen[jb.scan])
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	threads = max(threads, 1)
	out := make([]ScanIO, len(scans))
	for i, sp := range scans {
		s := ScanIO{ScanPlan: sp, Splits: int64(len(sp.Morsels))}
		files := map[string]bool{}
		var work, longest float64
		for j := range sp.Morsels {
			m, e := &sp.Morsels[j], ests[i][j]
			files[m.File.Location] = true
			s.RemoteBytes += e.RemoteBytes
			s.LocalBytes += e.LocalBytes
			if e.Rows >= 0 {
				s.Rows += e.Rows
				s.RowSplits++
			}
			t := float64(e.RemoteBytes)/ScanRates[rateKind(sp.Table, m.File.Location)] + float64(e.LocalBytes)/ScanRates["cache"]
			work += t
			longest = max(longest, t)
		}
		s.Files = int64(len(files))
		s.Seconds = max(work/float64(threads), longest)
		out[i] = s
	}
	return out, nil
}

// zipHeadBytes is the buffer the CSV and JSON readers fill from the start
// of a file before they know it is a zip archive.
const zipHeadBytes = 64 << 10

// defaultEstimate is a split's byte length: what a text reader reads,
// give or take the partial records at its ends (plus the head of a zip
// archive, read twice). A decoded split counts
// decompressed bytes, so the first decoded split of a file is charged the
// whole file and the others nothing.
func defaultEstimate(m *exec.Morsel, decodedSeen map[string]bool) source.Estimate {
	e := source.Estimate{Rows: -1}
	sp := m.Split
	switch {
	case sp.Decoded:
		if !decodedSeen[m.File.Location] {
			decodedSeen[m.File.Location] = true
			e.RemoteBytes = m.File.Size
		}
	case sp.Length < 0:
		e.RemoteBytes = max(m.File.Size-sp.Offset, 0)
		if sp.Offset == 0 && strings.HasSuffix(strings.ToLower(m.File.Location), ".zip") {
			// The text readers buffer the head of a file to detect its
			// codec, then reopen a zip archive to read its directory.
			e.RemoteBytes += min(zipHeadBytes, m.File.Size)
		}
	default:
		e.RemoteBytes = min(sp.Length, max(m.File.Size-sp.Offset, 0))
	}
	return e
}
