package cur

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/errgroup"
)

// Options say what to generate. The zero value of every field but Out picks a default.
type Options struct {
	Out    string // root folder; stands for the S3 bucket (plus Prefix)
	Report string // report name, default "quarry-cur"
	Bucket string // S3 bucket named in the manifest, default "quarry-billing"
	Prefix string // report path prefix inside the bucket; prepended to manifest keys, not to local paths

	Months int       // billing periods to write, default 6, ending with the month of Now
	Now    time.Time // default time.Now(); no usage is dated after it

	// Size: TargetBytes (uncompressed CSV bytes over all months, stale assemblies not counted) wins over
	// RowsPerMonth; if both are zero, RowsPerMonth defaults to 20000.
	TargetBytes  int64
	RowsPerMonth int

	// FilesPerMonth is the number of CSV parts per assembly. Zero picks enough parts to keep each under
	// about 128 MB uncompressed, as AWS splits large reports.
	FilesPerMonth int

	Seed int64

	// StaleAssembly adds, in the month before the current one, an older assembly folder that the manifest
	// does not reference, as AWS leaves behind when it re-delivers a month.
	StaleAssembly bool

	// GzipLevel defaults to gzip.BestSpeed: generation is bounded by compression, and ratio hardly differs.
	GzipLevel int

	Workers int // default runtime.GOMAXPROCS(0)
}

// Result reports what was written. Bytes counts uncompressed CSV bytes (the header rows included).
type Result struct {
	Files           int
	Rows            int64
	Bytes           int64
	CompressedBytes int64
	Manifests       []string // paths of the manifests written
	StaleFiles      []string // CSV files of stale assemblies (not referenced by any manifest)
}

// Manifest is the <report>-Manifest.json document of one billing period.
type Manifest struct {
	AssemblyID             string        `json:"assemblyId"`
	Account                string        `json:"account"`
	Columns                []Column      `json:"columns"`
	Charset                string        `json:"charset"`
	Compression            string        `json:"compression"`
	ContentType            string        `json:"contentType"`
	ReportID               string        `json:"reportId"`
	ReportName             string        `json:"reportName"`
	BillingPeriod          BillingPeriod `json:"billingPeriod"`
	Bucket                 string        `json:"bucket"`
	ReportKeys             []string      `json:"reportKeys"`
	AdditionalArtifactKeys []string      `json:"additionalArtifactKeys"`
}

// BillingPeriod uses AWS's manifest time layout, e.g. 20261101T000000.000Z.
type BillingPeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

const (
	defaultRowsPerMonth = 20000
	maxPartBytes        = 128 << 20
	// bytesPerRowGuess sizes parts before any row is written; rows run 600-900 bytes.
	bytesPerRowGuess = 760
)

type fileJob struct {
	month int // index into periods
	part  int // 1-based
	path  string
	rows  int   // exact row count, or 0 when bytes decides
	bytes int64 // uncompressed byte budget when rows == 0
	seed  uint64
	stale bool
	hours int
}

type period struct {
	start, end time.Time
	hours      int // hours up to Now (whole period for past months)
	weight     float64
	dir        string // <out>/<report>/<yyyymmdd-yyyymmdd>
	assembly   string
	stale      string // assembly id of the stale delivery, if any
	invoice    string
}

// Generate writes the delivery described by opts and returns what it wrote. Output is deterministic for a
// given Seed and Now.
func Generate(ctx context.Context, opts Options) (Result, error) {
	if opts.Out == "" {
		return Result{}, errors.New("cur: Options.Out is empty")
	}
	if opts.Report == "" {
		opts.Report = "quarry-cur"
	}
	if opts.Bucket == "" {
		opts.Bucket = "quarry-billing"
	}
	if opts.Months <= 0 {
		opts.Months = 6
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC()
	if opts.TargetBytes < 0 || opts.RowsPerMonth < 0 || opts.FilesPerMonth < 0 {
		return Result{}, fmt.Errorf("cur: negative size option (TargetBytes %d, RowsPerMonth %d, FilesPerMonth %d)",
			opts.TargetBytes, opts.RowsPerMonth, opts.FilesPerMonth)
	}
	if opts.TargetBytes == 0 && opts.RowsPerMonth == 0 {
		opts.RowsPerMonth = defaultRowsPerMonth
	}
	if opts.GzipLevel == 0 {
		opts.GzipLevel = gzip.BestSpeed
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}

	seedRand := rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15))
	accounts := make([]string, 8)
	for i := range accounts {
		accounts[i] = fmt.Sprintf("%012d", 100000000000+seedRand.Int64N(899999999999))
	}
	resources := newResources(seedRand, 4000, accounts)
	gen := &generator{opts: opts, accounts: accounts, resources: resources}
	gen.index()

	// Periods, oldest first; the current month is weighted by how much of it has elapsed.
	cur := time.Date(opts.Now.Year(), opts.Now.Month(), 1, 0, 0, 0, 0, time.UTC)
	periods := make([]period, opts.Months)
	var totalWeight float64
	for i := range periods {
		p := &periods[i]
		p.start = cur.AddDate(0, i-opts.Months+1, 0)
		p.end = p.start.AddDate(0, 1, 0)
		full := int(p.end.Sub(p.start) / time.Hour)
		p.hours = full
		p.weight = 1
		if i == opts.Months-1 {
			p.hours = max(1, int(opts.Now.Sub(p.start)/time.Hour))
			p.weight = max(0.1, float64(p.hours)/float64(full))
		}
		totalWeight += p.weight
		p.dir = filepath.Join(opts.Out, opts.Report, p.start.Format("20060102")+"-"+p.end.Format("20060102"))
		p.assembly = uuidFrom(seedRand)
		if opts.StaleAssembly && i == max(0, opts.Months-2) {
			p.stale = uuidFrom(seedRand)
		}
		if i < opts.Months-1 {
			p.invoice = strconv.Itoa(1000000000 + seedRand.IntN(899999999))
		}
	}

	var jobs []fileJob
	for i := range periods {
		p := &periods[i]
		var rows int
		var bytes int64
		if opts.TargetBytes > 0 {
			bytes = int64(float64(opts.TargetBytes) * p.weight / totalWeight)
		} else {
			rows = int(math.Round(float64(opts.RowsPerMonth) * p.weight))
			bytes = int64(rows) * bytesPerRowGuess
		}
		parts := opts.FilesPerMonth
		if parts == 0 {
			parts = int(max(1, (bytes+maxPartBytes-1)/maxPartBytes))
		}
		add := func(assembly string, stale bool, rows int, bytes int64) {
			for k := 1; k <= parts; k++ {
				j := fileJob{
					month: i, part: k, stale: stale, hours: p.hours,
					path: filepath.Join(p.dir, assembly, fmt.Sprintf("%s-%d.csv.gz", opts.Report, k)),
					seed: uint64(i)<<32 | uint64(k)<<1,
				}
				if stale {
					j.seed |= 1
				}
				if rows > 0 {
					j.rows = rows / parts
					if k <= rows%parts {
						j.rows++
					}
				} else {
					j.bytes = bytes / int64(parts)
				}
				jobs = append(jobs, j)
			}
		}
		add(p.assembly, false, rows, bytes)
		if p.stale != "" {
			// The stale delivery is a smaller, earlier cut of the month.
			add(p.stale, true, rows/3, bytes/3)
		}
	}

	for i := range periods {
		if err := os.MkdirAll(filepath.Join(periods[i].dir, periods[i].assembly), 0o755); err != nil {
			return Result{}, fmt.Errorf("cur: %w", err)
		}
		if periods[i].stale != "" {
			if err := os.MkdirAll(filepath.Join(periods[i].dir, periods[i].stale), 0o755); err != nil {
				return Result{}, fmt.Errorf("cur: %w", err)
			}
		}
	}

	var (
		mu  sync.Mutex
		res Result
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Workers)
	for _, j := range jobs {
		g.Go(func() error {
			st, err := gen.writeFile(gctx, &periods[j.month], j)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			res.Files++
			res.Rows += st.rows
			res.Bytes += st.bytes
			res.CompressedBytes += st.compressed
			if j.stale {
				res.StaleFiles = append(res.StaleFiles, j.path)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Result{}, err
	}

	cols := Columns()
	for i := range periods {
		p := &periods[i]
		m := Manifest{
			AssemblyID:  p.assembly,
			Account:     accounts[0],
			Columns:     cols,
			Charset:     "UTF-8",
			Compression: "GZIP",
			ContentType: "text/csv",
			ReportID:    fmt.Sprintf("%x", seedRand.Uint64()) + fmt.Sprintf("%x", seedRand.Uint64()),
			ReportName:  opts.Report,
			BillingPeriod: BillingPeriod{
				Start: p.start.Format("20060102T150405.000Z"),
				End:   p.end.Format("20060102T150405.000Z"),
			},
			Bucket:                 opts.Bucket,
			AdditionalArtifactKeys: []string{},
		}
		for _, j := range jobs {
			if j.month == i && !j.stale {
				rel, err := filepath.Rel(opts.Out, j.path)
				if err != nil {
					return Result{}, fmt.Errorf("cur: %w", err)
				}
				m.ReportKeys = append(m.ReportKeys, manifestKey(opts.Prefix, rel))
			}
		}
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return Result{}, fmt.Errorf("cur: manifest: %w", err)
		}
		path := filepath.Join(p.dir, opts.Report+"-Manifest.json")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			return Result{}, fmt.Errorf("cur: %w", err)
		}
		res.Manifests = append(res.Manifests, path)
	}
	return res, nil
}

func manifestKey(prefix, rel string) string {
	key := filepath.ToSlash(rel)
	if prefix != "" {
		key = prefix + "/" + key
	}
	return key
}

type fileStats struct {
	rows              int64
	bytes, compressed int64
}

type countingWriter struct {
	w *os.File
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (g *generator) writeFile(ctx context.Context, p *period, j fileJob) (st fileStats, err error) {
	f, err := os.Create(j.path)
	if err != nil {
		return st, fmt.Errorf("cur: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("cur: close %s: %w", j.path, cerr)
		}
	}()
	cw := &countingWriter{w: f}
	zw, err := gzip.NewWriterLevel(cw, g.opts.GzipLevel)
	if err != nil {
		return st, fmt.Errorf("cur: %s: %w", j.path, err)
	}
	bw := bufio.NewWriterSize(zw, 256<<10)

	rw := newRowWriter(g, p, j)
	line := rw.header()
	for {
		if _, err := bw.Write(line); err != nil {
			return st, fmt.Errorf("cur: write %s: %w", j.path, err)
		}
		st.bytes += int64(len(line))
		if j.rows > 0 && st.rows >= int64(j.rows) || j.rows == 0 && st.bytes >= j.bytes {
			break
		}
		if st.rows&4095 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		line = rw.next()
		st.rows++
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("cur: write %s: %w", j.path, err)
	}
	if err := zw.Close(); err != nil {
		return st, fmt.Errorf("cur: write %s: %w", j.path, err)
	}
	st.compressed = cw.n
	return st, nil
}
