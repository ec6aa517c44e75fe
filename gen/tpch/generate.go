package tpch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/parquet-go/parquet-go"
	"golang.org/x/sync/errgroup"
)

// Options say what to generate; zero values pick defaults.
type Options struct {
	Out string
	SF  float64 // scale factor, default 1; 0.01 gives the spec's tiny tables

	// Formats: "tbl" (dbgen's '|'-terminated text), "tbl.gz", "csv", "csv.gz", "parquet". Default {"tbl"}.
	// With one format tables go to <Out>/<table>/; with several to <Out>/<format>/<table>/ (format "tbl.gz"
	// as folder "tbl-gz") so every table LOCATION holds a single format.
	Formats []string

	Delimiter byte // csv field delimiter, default ','
	Header    bool // csv: write a header row

	// Compression is the Parquet codec: "snappy" (default), "zstd", "gzip" or "none".
	Compression string

	Tables  []string // subset of the eight tables; default all
	Seed    int64
	Workers int // default runtime.GOMAXPROCS(0)
}

// TableResult is one table written in one format.
type TableResult struct {
	Table, Format string
	Dir           string // the folder to use as the table's LOCATION
	Files         int
	Rows          int64
	Bytes         int64 // bytes on disk
}

// Result lists every table and format written, sorted by format then table.
type Result struct {
	Tables []TableResult
	Bytes  int64
}

// Rows returns the row count of table (the same in every format), or -1 when it was not generated.
func (r Result) Rows(table string) int64 {
	for _, t := range r.Tables {
		if t.Table == table {
			return t.Rows
		}
	}
	return -1
}

// TableNames lists the eight tables in the order of the specification.
var TableNames = []string{"part", "supplier", "partsupp", "customer", "orders", "lineitem", "nation", "region"}

// Chunk sizes are fixed, never derived from the core count, so output is identical on any machine.
const (
	ordersPerChunk    = 150000 // ~600k line items: one Parquet row group of ~25 MB
	customersPerChunk = 150000
	partsPerChunk     = 200000
	suppliersPerChunk = 100000
)

var validFormats = []string{"tbl", "tbl.gz", "csv", "csv.gz", "parquet"}

// Generate writes the tables and returns what it wrote. Output is deterministic for a given Seed and SF.
func Generate(ctx context.Context, opts Options) (Result, error) {
	if opts.Out == "" {
		return Result{}, errors.New("tpch: Options.Out is empty")
	}
	if opts.SF < 0 {
		return Result{}, fmt.Errorf("tpch: scale factor %g is negative", opts.SF)
	}
	if opts.SF == 0 {
		opts.SF = 1
	}
	if len(opts.Formats) == 0 {
		opts.Formats = []string{"tbl"}
	}
	for _, f := range opts.Formats {
		if !slices.Contains(validFormats, f) {
			return Result{}, fmt.Errorf("tpch: unknown format %q (want one of %s)", f, strings.Join(validFormats, ", "))
		}
	}
	if opts.Delimiter == 0 {
		opts.Delimiter = ','
	}
	var codec parquet.WriterOption
	switch opts.Compression {
	case "", "snappy":
		codec = parquet.Compression(&parquet.Snappy)
	case "zstd":
		codec = parquet.Compression(&parquet.Zstd)
	case "gzip":
		codec = parquet.Compression(&parquet.Gzip)
	case "none":
		codec = parquet.Compression(&parquet.Uncompressed)
	default:
		return Result{}, fmt.Errorf("tpch: unknown Parquet compression %q (want snappy, zstd, gzip or none)", opts.Compression)
	}
	if len(opts.Tables) == 0 {
		opts.Tables = TableNames
	}
	for _, t := range opts.Tables {
		if !slices.Contains(TableNames, t) {
			return Result{}, fmt.Errorf("tpch: unknown table %q", t)
		}
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}

	sc := newScale(opts.SF)
	g := &gen{sc: sc, text: newTextPool(uint64(opts.Seed))}
	for i := range sc.clerks {
		g.clerks = append(g.clerks, padded("Clerk#", int64(i+1)))
	}

	sinks := map[string]*tableSinks{}
	var all []*sink
	for _, t := range opts.Tables {
		ts := &tableSinks{}
		for _, f := range opts.Formats {
			dir := filepath.Join(opts.Out, t)
			if len(opts.Formats) > 1 {
				dir = filepath.Join(opts.Out, strings.ReplaceAll(f, ".", "-"), t)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return Result{}, fmt.Errorf("tpch: %w", err)
			}
			s := &sink{table: t, format: f, dir: dir, codec: codec}
			if f != "parquet" {
				s.enc = &textEnc{delim: '|'}
				if strings.HasPrefix(f, "csv") {
					s.enc = &textEnc{delim: opts.Delimiter, csv: true}
					s.header = opts.Header
				}
				s.gzip = strings.HasSuffix(f, ".gz")
				path := filepath.Join(dir, t+"."+f)
				fh, err := os.Create(path)
				if err != nil {
					closeAll(all)
					return Result{}, fmt.Errorf("tpch: %w", err)
				}
				s.file = &orderedFile{f: fh, path: path, pending: map[int][]byte{}}
				s.files = 1
			}
			ts.sinks = append(ts.sinks, s)
			all = append(all, s)
		}
		sinks[t] = ts
	}
	want := func(t string) *tableSinks { return sinks[t] }

	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(opts.Workers)
	seed := uint64(opts.Seed)
	rng := func(table, chunk int) *rand.Rand {
		return rand.New(rand.NewPCG(seed, uint64(table)<<40|uint64(chunk)))
	}
	submit := func(f func() error) {
		eg.Go(func() error {
			if err := ectx.Err(); err != nil {
				return err
			}
			return f()
		})
	}

	// Large tables first, chunk by chunk, so the ordered text writers rarely hold more than a few chunks.
	if want("orders") != nil || want("lineitem") != nil {
		for c, lo := 0, int64(0); lo < sc.orders; c, lo = c+1, lo+ordersPerChunk {
			submit(func() error {
				o, l := g.orders(rng(1, c), lo, min(lo+ordersPerChunk, sc.orders))
				if err := emit(want("orders"), c, o, (*textEnc).order); err != nil {
					return err
				}
				return emit(want("lineitem"), c, l, (*textEnc).lineitem)
			})
		}
	}
	if want("part") != nil || want("partsupp") != nil {
		for c, lo := 0, int64(1); lo <= sc.parts; c, lo = c+1, lo+partsPerChunk {
			submit(func() error {
				p, ps := g.parts(rng(2, c), lo, min(lo+partsPerChunk, sc.parts+1))
				if err := emit(want("part"), c, p, (*textEnc).part); err != nil {
					return err
				}
				return emit(want("partsupp"), c, ps, (*textEnc).partsupp)
			})
		}
	}
	if want("customer") != nil {
		for c, lo := 0, int64(1); lo <= sc.customers; c, lo = c+1, lo+customersPerChunk {
			submit(func() error {
				return emit(want("customer"), c, g.customers(rng(3, c), lo, min(lo+customersPerChunk, sc.customers+1)), (*textEnc).customer)
			})
		}
	}
	if want("supplier") != nil {
		for c, lo := 0, int64(1); lo <= sc.suppliers; c, lo = c+1, lo+suppliersPerChunk {
			submit(func() error {
				return emit(want("supplier"), c, g.suppliers(rng(4, c), lo, min(lo+suppliersPerChunk, sc.suppliers+1)), (*textEnc).supplier)
			})
		}
	}
	submit(func() error {
		if err := emit(want("nation"), 0, g.nations(rng(5, 0)), (*textEnc).nation); err != nil {
			return err
		}
		return emit(want("region"), 0, g.regions(rng(6, 0)), (*textEnc).region)
	})

	err := eg.Wait()
	if cerr := closeAll(all); err == nil {
		err = cerr
	}
	if err != nil {
		return Result{}, err
	}
	var res Result
	for _, s := range all {
		tr := TableResult{Table: s.table, Format: s.format, Dir: s.dir, Files: s.files, Rows: s.rows.Load(), Bytes: s.bytes.Load()}
		if s.file != nil {
			tr.Bytes = s.file.n
		}
		res.Tables = append(res.Tables, tr)
		res.Bytes += tr.Bytes
	}
	sort.Slice(res.Tables, func(i, j int) bool {
		a, b := res.Tables[i], res.Tables[j]
		if a.Format != b.Format {
			return a.Format < b.Format
		}
		return slices.Index(TableNames, a.Table) < slices.Index(TableNames, b.Table)
	})
	return res, nil
}

type tableSinks struct{ sinks []*sink }

// sink is one table in one format.
type sink struct {
	table, format, dir string
	enc                *textEnc // nil for Parquet
	header, gzip       bool
	file               *orderedFile
	codec              parquet.WriterOption
	mu                 sync.Mutex
	files              int
	rows, bytes        atomic.Int64
}

// emit writes one chunk of rows to every format of a table. Text chunks become independent gzip members
// when compressed, so chunks compress in parallel and still concatenate into one valid .gz file.
func emit[T any](ts *tableSinks, chunk int, rows []T, enc func(*textEnc, []byte, *T) []byte) error {
	if ts == nil {
		return nil
	}
	var buf []byte
	for _, s := range ts.sinks {
		s.rows.Add(int64(len(rows)))
		if s.enc == nil {
			path := filepath.Join(s.dir, fmt.Sprintf("part-%05d.parquet", chunk))
			n, err := writeParquet(path, rows, s.codec)
			if err != nil {
				return err
			}
			s.bytes.Add(n)
			s.mu.Lock()
			s.files++
			s.mu.Unlock()
			continue
		}
		if buf == nil {
			buf = make([]byte, 0, len(rows)*160+1024)
		}
		b := buf[:0]
		if chunk == 0 && s.header {
			b = s.enc.header(b, columnNames[s.table])
		}
		for i := range rows {
			b = enc(s.enc, b, &rows[i])
		}
		out, handed := b, true
		if s.gzip {
			var z bytes.Buffer
			z.Grow(len(b) / 3)
			zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
			if _, err := zw.Write(b); err != nil {
				return fmt.Errorf("tpch: compress %s: %w", s.file.path, err)
			}
			if err := zw.Close(); err != nil {
				return fmt.Errorf("tpch: compress %s: %w", s.file.path, err)
			}
			out, handed = z.Bytes(), false
		} else if len(ts.sinks) > 1 {
			out, handed = bytes.Clone(b), false // buf is reused for the next format
		}
		if err := s.file.put(chunk, out); err != nil {
			return err
		}
		buf = b
		if handed {
			buf = nil // now owned by the ordered writer
		}
	}
	return nil
}

func writeParquet[T any](path string, rows []T, codec parquet.WriterOption) (n int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("tpch: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("tpch: close %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := parquet.NewGenericWriter[T](bw, codec, parquet.MaxRowsPerRowGroup(1<<20))
	if _, err := w.Write(rows); err != nil {
		return 0, fmt.Errorf("tpch: write %s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("tpch: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("tpch: write %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("tpch: %w", err)
	}
	return st.Size(), nil
}

// orderedFile appends chunks in chunk order whatever order they finish in.
type orderedFile struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	next    int
	pending map[int][]byte
	n       int64
	err     error
}

func (o *orderedFile) put(chunk int, b []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	o.pending[chunk] = b
	for {
		p, ok := o.pending[o.next]
		if !ok {
			return nil
		}
		delete(o.pending, o.next)
		o.next++
		n, err := o.f.Write(p)
		o.n += int64(n)
		if err != nil {
			o.err = fmt.Errorf("tpch: write %s: %w", o.path, err)
			return o.err
		}
	}
}

func closeAll(sinks []*sink) error {
	var first error
	for _, s := range sinks {
		if s.file == nil {
			continue
		}
		if err := s.file.f.Close(); err != nil && first == nil {
			first = fmt.Errorf("tpch: close %s: %w", s.file.path, err)
		}
		if len(s.file.pending) > 0 && first == nil {
			first = fmt.Errorf("BUG: tpch: %s: %d chunks never written", s.file.path, len(s.file.pending))
		}
	}
	return first
}
