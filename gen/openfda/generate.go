package openfda

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zip"
	"golang.org/x/sync/errgroup"
)

// Options say what to generate; zero values pick defaults.
type Options struct {
	Out     string
	Reports int // total reports, default 20000
	Files   int // number of zip files, default one per 25000 reports
	Seed    int64
	// LastUpdated is meta.last_updated (yyyy-mm-dd); default "2016-08-10", after the last generated receipt.
	LastUpdated string
	Workers     int // default runtime.GOMAXPROCS(0)
}

// Result reports what was written; Bytes counts uncompressed JSON.
type Result struct {
	Files           int
	Reports         int64
	Bytes           int64
	CompressedBytes int64
	Paths           []string
}

const (
	defaultReports  = 20000
	reportsPerFile  = 25000
	firstYear       = 2004
	lastYear        = 2016
	firstSafetyID   = 4000000
	aspirinGIFactor = 6 // how much likelier GI haemorrhage is when ASPIRIN is among the drugs
)

// Generate writes Files zip archives of openFDA /drug/event documents and returns what it wrote. Output is
// deterministic for a given Seed.
func Generate(ctx context.Context, opts Options) (Result, error) {
	if opts.Out == "" {
		return Result{}, errors.New("openfda: Options.Out is empty")
	}
	if opts.Reports < 0 || opts.Files < 0 {
		return Result{}, fmt.Errorf("openfda: negative size option (Reports %d, Files %d)", opts.Reports, opts.Files)
	}
	if opts.Reports == 0 {
		opts.Reports = defaultReports
	}
	if opts.Files == 0 {
		opts.Files = (opts.Reports + reportsPerFile - 1) / reportsPerFile
	}
	opts.Files = min(opts.Files, opts.Reports)
	if opts.LastUpdated == "" {
		opts.LastUpdated = "2016-08-10"
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return Result{}, fmt.Errorf("openfda: %w", err)
	}

	var (
		mu  sync.Mutex
		res Result
	)
	res.Paths = make([]string, opts.Files)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Workers)
	for i := range opts.Files {
		lo := opts.Reports * i / opts.Files
		hi := opts.Reports * (i + 1) / opts.Files
		name := fmt.Sprintf("drug-event-%04d-of-%04d.json", i+1, opts.Files)
		path := filepath.Join(opts.Out, name+".zip")
		res.Paths[i] = path
		g.Go(func() error {
			n, zn, err := writeFile(gctx, opts, path, name, i, lo, hi)
			if err != nil {
				return err
			}
			mu.Lock()
			res.Files++
			res.Reports += int64(hi - lo)
			res.Bytes += n
			res.CompressedBytes += zn
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Result{}, err
	}
	return res, nil
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeFile(ctx context.Context, opts Options, path, entry string, fileIdx, lo, hi int) (n, zn int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, fmt.Errorf("openfda: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("openfda: close %s: %w", path, cerr)
		}
	}()
	fc := &counter{w: f}
	zw := zip.NewWriter(fc)
	// Level 1 keeps generation ahead of the disk; the JSON still shrinks about tenfold.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	ew, err := zw.CreateHeader(&zip.FileHeader{
		Name: entry, Method: zip.Deflate,
		Modified: time.Date(2016, 8, 10, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		return 0, 0, fmt.Errorf("openfda: %s: %w", path, err)
	}
	uc := &counter{w: ew}
	bw := bufio.NewWriterSize(uc, 256<<10)

	w := &jsonw{first: true}
	w.b = append(w.b, '{')
	w.depth = 1
	w.open("meta", '{')
	w.str("disclaimer", disclaimer)
	w.str("terms", terms)
	w.str("license", license)
	w.str("last_updated", opts.LastUpdated)
	w.open("results", '{')
	w.int("skip", 0)
	w.int("limit", hi-lo)
	w.int("total", hi-lo)
	w.close('}')
	w.close('}')
	w.open("results", '[')

	rg := &reportGen{r: rand.New(rand.NewPCG(uint64(opts.Seed), uint64(fileIdx)+1))}
	rg.init()
	for i := lo; i < hi; i++ {
		if (i-lo)&1023 == 0 && ctx.Err() != nil {
			return 0, 0, ctx.Err()
		}
		rg.report(w, i)
		if len(w.b) >= 128<<10 {
			if _, err := bw.Write(w.b); err != nil {
				return 0, 0, fmt.Errorf("openfda: write %s: %w", path, err)
			}
			w.b = w.b[:0]
		}
	}
	w.close(']')
	w.depth = 0
	w.newline()
	w.b = append(w.b, '}', '\n')
	if _, err := bw.Write(w.b); err != nil {
		return 0, 0, fmt.Errorf("openfda: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, fmt.Errorf("openfda: write %s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		return 0, 0, fmt.Errorf("openfda: write %s: %w", path, err)
	}
	return uc.n, fc.n, nil
}

type reportGen struct {
	r                       *rand.Rand
	drugTotal, reactTotal   int
	giIndex                 int
	countryTotal, yearTotal int
}

func (g *reportGen) init() {
	for _, d := range drugs {
		g.drugTotal += d.weight
	}
	for i, x := range reactions {
		g.reactTotal += x.weight
		if x.pt == "GASTROINTESTINAL HAEMORRHAGE" {
			g.giIndex = i
		}
	}
	for _, c := range countries {
		g.countryTotal += c.weight
	}
	for y := firstYear; y <= lastYear; y++ {
		g.yearTotal += yearWeight(y)
	}
}

// yearWeight grows with the year, as FAERS report volume did.
func yearWeight(y int) int { return 4 + (y-firstYear)*2 }

func (g *reportGen) pickDrug() *drug {
	x := g.r.IntN(g.drugTotal)
	for i := range drugs {
		x -= drugs[i].weight
		if x < 0 {
			return &drugs[i]
		}
	}
	return &drugs[0]
}

func (g *reportGen) pickReaction() string {
	x := g.r.IntN(g.reactTotal)
	for _, rc := range reactions {
		x -= rc.weight
		if x < 0 {
			return rc.pt
		}
	}
	return reactions[0].pt
}

func (g *reportGen) date() time.Time {
	x := g.r.IntN(g.yearTotal)
	y := firstYear
	for ; y < lastYear; y++ {
		x -= yearWeight(y)
		if x < 0 {
			break
		}
	}
	end := 365
	if y == lastYear {
		end = 200 // the data set was cut in the middle of its last year
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(end))
}

const ymd = "20060102"

// geometric draws 1 + a geometric count with continuation probability p, capped at max.
func (g *reportGen) geometric(p float64, max int) int {
	n := 1
	for n < max && g.r.Float64() < p {
		n++
	}
	return n
}

func (g *reportGen) report(w *jsonw, idx int) {
	r := g.r
	receipt := g.date()
	receive := receipt.AddDate(0, 0, -r.IntN(120))
	transmission := receipt.AddDate(0, 0, 10+r.IntN(400))
	country := &countries[0]
	x := r.IntN(g.countryTotal)
	for i := range countries {
		x -= countries[i].weight
		if x < 0 {
			country = &countries[i]
			break
		}
	}
	company := companies[r.IntN(len(companies))]

	var ds [8]*drug
	nd := g.geometric(0.45, len(ds))
	hasAspirin := false
	for i := range nd {
		ds[i] = g.pickDrug()
		hasAspirin = hasAspirin || ds[i].product == "ASPIRIN"
	}
	var rs [6]string
	nr := g.geometric(0.4, len(rs))
	for i := range nr {
		rs[i] = g.pickReaction()
	}
	if hasAspirin && rs[0] != "GASTROINTESTINAL HAEMORRHAGE" &&
		r.IntN(g.reactTotal) < aspirinGIFactor*reactions[g.giIndex].weight {
		rs[nr-1] = "GASTROINTESTINAL HAEMORRHAGE"
	}
	death := r.IntN(100) < 8
	hosp := r.IntN(100) < 35
	lifeThreat := r.IntN(100) < 6
	disabling := r.IntN(100) < 4
	other := r.IntN(100) < 40
	serious := death || hosp || lifeThreat || disabling || other

	w.open("", '{')
	w.str("safetyreportversion", strconv.Itoa(1+r.IntN(3)))
	w.str("safetyreportid", strconv.Itoa(firstSafetyID+idx*3+r.IntN(3)))
	w.str("primarysourcecountry", country.code)
	w.str("occurcountry", country.code)
	w.str("transmissiondateformat", "102")
	w.str("transmissiondate", transmission.Format(ymd))
	w.str("reporttype", strconv.Itoa(1+r.IntN(2)))
	if serious {
		w.str("serious", "1")
	} else {
		w.str("serious", "2")
	}
	for _, s := range []struct {
		key string
		on  bool
	}{{"seriousnessdeath", death}, {"seriousnesslifethreatening", lifeThreat},
		{"seriousnesshospitalization", hosp}, {"seriousnessdisabling", disabling}, {"seriousnessother", other}} {
		if s.on {
			w.str(s.key, "1")
		}
	}
	w.str("receivedateformat", "102")
	w.str("receivedate", receive.Format(ymd))
	w.str("receiptdateformat", "102")
	w.str("receiptdate", receipt.Format(ymd))
	w.str("fulfillexpeditecriteria", strconv.Itoa(1+r.IntN(2)))
	companynumb := fmt.Sprintf("%s-%s-%d%07d", country.code, company, receipt.Year(), r.IntN(10000000))
	w.str("companynumb", companynumb)
	w.str("duplicate", "1")
	w.open("reportduplicate", '{')
	w.str("duplicatesource", company)
	w.str("duplicatenumb", companynumb)
	w.close('}')
	w.open("primarysource", '{')
	w.str("reportercountry", country.name)
	w.str("qualification", strconv.Itoa(1+r.IntN(5)))
	w.close('}')
	w.open("sender", '{')
	w.str("sendertype", "2")
	w.str("senderorganization", "FDA-Public Use")
	w.close('}')
	w.open("receiver", '{')
	w.str("receivertype", "6")
	w.str("receiverorganization", "FDA")
	w.close('}')

	w.open("patient", '{')
	age := 18 + r.IntN(70)
	if r.IntN(100) < 7 {
		age = 1 + r.IntN(17)
	}
	if r.IntN(100) < 80 {
		w.str("patientonsetage", strconv.Itoa(age))
		w.str("patientonsetageunit", "801")
		w.str("patientagegroup", ageGroup(age))
	}
	w.str("patientsex", strconv.Itoa(r.IntN(3)))
	if r.IntN(100) < 45 {
		kg := 45 + r.Float64()*65
		if age < 16 {
			kg = 4 + float64(age)*3.2 + r.Float64()*8
		}
		w.str("patientweight", strconv.FormatFloat(float64(int(kg*10))/10, 'f', -1, 64))
	}
	if death {
		w.open("patientdeath", '{')
		w.str("patientdeathdateformat", "102")
		w.str("patientdeathdate", receive.AddDate(0, 0, -r.IntN(60)).Format(ymd))
		w.close('}')
	}
	w.open("reaction", '[')
	seen := [6]string{}
	for i := range nr {
		dup := false
		for _, s := range seen[:i] {
			dup = dup || s == rs[i]
		}
		seen[i] = rs[i]
		if dup {
			continue
		}
		w.open("", '{')
		w.str("reactionmeddraversionpt", meddraVersion(receipt.Year()))
		w.str("reactionmeddrapt", rs[i])
		outcome := strconv.Itoa(1 + r.IntN(6))
		if death && i == 0 {
			outcome = "5"
		}
		w.str("reactionoutcome", outcome)
		w.close('}')
	}
	w.close(']')
	w.open("drug", '[')
	for i := range nd {
		d := ds[i]
		w.open("", '{')
		char := "1" // suspect
		if i > 0 {
			char = strconv.Itoa(1 + r.IntN(3))
		}
		w.str("drugcharacterization", char)
		w.str("medicinalproduct", d.product)
		w.str("drugauthorizationnumb", d.application[len(d.application)-6:])
		w.str("drugdosagetext", d.dose)
		w.str("drugdosageform", d.form)
		w.str("drugadministrationroute", d.routeCode)
		w.str("drugindication", d.indications[r.IntN(len(d.indications))])
		if r.IntN(2) == 0 {
			w.str("drugstartdateformat", "102")
			w.str("drugstartdate", receipt.AddDate(0, 0, -30-r.IntN(700)).Format(ymd))
		}
		w.str("actiondrug", strconv.Itoa(1+r.IntN(6)))
		if r.IntN(3) == 0 {
			w.str("drugadditional", strconv.Itoa(1+r.IntN(3)))
		}
		w.open("activesubstance", '{')
		w.str("activesubstancename", d.substance)
		w.close('}')
		// openFDA could not harmonise every product; about one in seven has no openfda block.
		if r.IntN(7) != 0 {
			w.open("openfda", '{')
			w.strs("application_number", d.application)
			w.strs("brand_name", d.brand)
			w.strs("generic_name", d.generic)
			w.strs("manufacturer_name", d.manufacturer)
			w.strs("product_ndc", d.ndc)
			if d.application[0] == 'B' {
				w.strs("product_type", "HUMAN PRESCRIPTION DRUG")
			} else if d.product == "ASPIRIN" || d.product == "IBUPROFEN" || d.product == "ACETAMINOPHEN" {
				w.strs("product_type", "HUMAN OTC DRUG")
			} else {
				w.strs("product_type", "HUMAN PRESCRIPTION DRUG")
			}
			w.strs("route", d.route)
			w.strs("substance_name", d.substance)
			w.strs("rxcui", d.rxcui)
			w.strs("package_ndc", d.ndc+"-01", d.ndc+"-02")
			w.strs("pharm_class_epc", d.epc)
			if d.moa != "" {
				w.strs("pharm_class_moa", d.moa)
			}
			w.strs("unii", d.unii)
			w.close('}')
		}
		w.close('}')
	}
	w.close(']')
	w.close('}')
	w.close('}')
}

// ageGroup follows the E2B codes: 1 neonate, 2 infant, 3 child, 4 adolescent, 5 adult, 6 elderly.
func ageGroup(age int) string {
	switch {
	case age < 2:
		return "2"
	case age < 12:
		return "3"
	case age < 18:
		return "4"
	case age < 65:
		return "5"
	}
	return "6"
}

func meddraVersion(year int) string {
	return strconv.Itoa(7+(year-firstYear)) + ".1"
}
