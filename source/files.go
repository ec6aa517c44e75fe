package source

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/objstore"
)

// family is the broad kind of content a table or a file holds.
type family int

const (
	famUnknown family = iota
	famText
	famJSON
	famParquet
	famORC
	famAvro
	famJunk // checksums and markers: never data for any table
)

// extFamily maps extensions, after compression suffixes are stripped, to
// the content they announce. Only extensions that say something for
// certain are listed: an unknown or missing extension is read.
var extFamily = map[string]family{
	".csv": famText, ".tsv": famText, ".psv": famText, ".txt": famText,
	".json": famJSON, ".jsonl": famJSON, ".ndjson": famJSON,
	".parquet": famParquet, ".parq": famParquet, ".pqt": famParquet,
	".orc":  famORC,
	".avro": famAvro,
	".crc":  famJunk, ".md5": famJunk, ".sha256": famJunk,
}

// compressionExt are suffixes a reader decompresses; the extension before
// them names the content.
var compressionExt = map[string]bool{
	".gz": true, ".gzip": true, ".bz2": true, ".zst": true, ".zstd": true,
	".snappy": true, ".lz4": true, ".deflate": true, ".zip": true, ".z": true,
}

// tableFamily is what a table's files hold, from STORED AS and the SerDe:
// Hive declares JSON tables as TEXTFILE with a JSON SerDe.
func tableFamily(t *catalog.Table) family {
	switch t.SerDe {
	case catalog.HiveJSONSerDe, catalog.OpenXJSONSerDe:
		return famJSON
	case catalog.ParquetSerDe:
		return famParquet
	}
	switch strings.ToUpper(t.Format) {
	case catalog.FormatParquet:
		return famParquet
	case catalog.FormatJSON:
		return famJSON
	case catalog.FormatORC:
		return famORC
	case catalog.FormatAvro:
		return famAvro
	}
	return famText
}

// fileFamily guesses a file's content from its name; famUnknown when the
// name does not say. Spark's part-00000-<uuid>.c000.snappy.parquet reads
// as Parquet because the extension before the codec is checked.
func fileFamily(name string) family {
	name = strings.ToLower(name)
	for {
		ext := path.Ext(name)
		if ext == "" {
			return famUnknown
		}
		if compressionExt[ext] {
			name = name[:len(name)-len(ext)]
			continue
		}
		return extFamily[ext]
	}
}

const curManifestSuffix = "-Manifest.json"

// curPeriod matches a Cost and Usage Report billing-period folder.
var curPeriod = regexp.MustCompile(`^\d{8}-\d{8}$`)

// ListTableFiles returns the objects a scan of a table reads under
// location (the table's LOCATION or one partition's): every object below
// it, except
//   - hidden ones: a file or any folder below location whose name starts
//     with "_" or "." (_SUCCESS, _temporary/, .hive-staging/, .crc files),
//     and EMR's "x_$folder$" markers;
//   - files whose extension says they hold another format than the table
//     (a *-Manifest.json beside CSV data, part-0.csv under a Parquet
//     table). Files with no or an unknown extension are always read;
//   - in an AWS Cost and Usage Report billing-period folder
//     (yyyymmdd-yyyymmdd) that holds <report>-Manifest.json, every file
//     but the report files of the manifest's current assembly, so a
//     refreshed report is never counted twice.
//
// A location naming a single object returns it whatever its name. Files
// listed and skipped are added to stats, which may be nil. A location that
// does not exist is an error wrapping objstore.ErrNotFound; a scan of a
// projected partition should treat that as an empty partition, since
// projection enumerates prefixes that may never have been written.
func ListTableFiles(ctx context.Context, store objstore.Store, table *catalog.Table, location string, stats *Stats) ([]objstore.ObjectInfo, error) {
	objs, err := store.List(ctx, location)
	if err != nil {
		return nil, err
	}
	if stats != nil {
		stats.FilesListed.Add(int64(len(objs)))
	}
	if len(objs) == 1 && objs[0].Location == location {
		return objs, nil
	}
	base := strings.TrimSuffix(location, "/") + "/"
	tf := tableFamily(table)

	// Manifests first: they decide which files of their period folder count.
	manifests := map[string]*curManifest{} // period folder (relative, with "/") → manifest
	if tf != famJSON {
		for _, o := range objs {
			rel := strings.TrimPrefix(o.Location, base)
			dir, name := path.Split(rel)
			if !strings.HasSuffix(name, curManifestSuffix) || hidden(rel) || !curPeriod.MatchString(path.Base(path.Dir(o.Location))) {
				continue
			}
			m, err := readCURManifest(ctx, store, o)
			if err != nil {
				return nil, err
			}
			manifests[dir] = m
		}
	}

	out := objs[:0:0]
	skipped := 0
	for _, o := range objs {
		rel := strings.TrimPrefix(o.Location, base)
		if keepFile(rel, tf, manifests) {
			out = append(out, o)
		} else {
			skipped++
		}
	}
	if stats != nil {
		stats.FilesSkipped.Add(int64(skipped))
	}
	return out, nil
}

// hidden reports whether any segment of a relative path is hidden.
func hidden(rel string) bool {
	for seg := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") || strings.HasSuffix(seg, "_$folder$") {
			return true
		}
	}
	return false
}

func keepFile(rel string, tf family, manifests map[string]*curManifest) bool {
	if hidden(rel) {
		return false
	}
	dir, name := path.Split(rel)
	if tf != famJSON && strings.HasSuffix(name, curManifestSuffix) {
		return false
	}
	switch ff := fileFamily(name); {
	case ff == famJunk:
		return false
	case ff != famUnknown && ff != tf:
		return false
	}
	if len(manifests) == 0 {
		return true
	}
	// Find the period folder this file sits in, if it has a manifest.
	for d := dir; ; {
		if m, ok := manifests[d]; ok {
			return m.includes(strings.TrimPrefix(rel, d))
		}
		if d == "" {
			return true
		}
		d, _ = path.Split(strings.TrimSuffix(d, "/"))
	}
}

// curManifest is what a CUR manifest says about its period folder.
type curManifest struct {
	assemblyID string
	// files are the report files relative to the period folder
	// ("<assemblyId>/<report>-1.csv.gz"); nil when the manifest lists none.
	files map[string]bool
}

// includes reports whether a file (relative to the period folder) belongs
// to the current assembly.
func (m *curManifest) includes(rel string) bool {
	if m.files != nil {
		return m.files[rel]
	}
	first, _, nested := strings.Cut(rel, "/")
	if !nested {
		return m.assemblyID == "" // overwrite-mode files sit in the period folder
	}
	return first == m.assemblyID
}

// maxManifestSize bounds what is read of a manifest; real ones are a few
// kilobytes even for reports of hundreds of files.
const maxManifestSize = 16 << 20

// manifestMemo keeps the manifests read, by store, location and version
// token: a dashboard's every query lists its table (twice: for the
// optimizer's sizes, then for the scan) and would otherwise re-read and
// re-parse each billing period's manifest. A manifest rewritten in place
// has a new version; one with no version token is read every time. The
// store is part of the key, so a caller whose credentials were never used
// to read a manifest reads it itself.
var manifestMemo struct {
	sync.Mutex
	m map[manifestKey]*curManifest
}

type manifestKey struct {
	store        objstore.Store
	loc, version string
}

// manifestMemoMax bounds the manifests kept; past it the memo starts over.
const manifestMemoMax = 4096

func readCURManifest(ctx context.Context, store objstore.Store, o objstore.ObjectInfo) (*curManifest, error) {
	if o.Version == "" || store == nil || !reflect.TypeOf(store).Comparable() {
		return parseCURManifest(ctx, store, o)
	}
	k := manifestKey{store: store, loc: o.Location, version: o.Version}
	manifestMemo.Lock()
	m := manifestMemo.m[k]
	manifestMemo.Unlock()
	if m != nil {
		return m, nil
	}
	m, err := parseCURManifest(ctx, store, o)
	if err != nil {
		return nil, err
	}
	manifestMemo.Lock()
	if manifestMemo.m == nil || len(manifestMemo.m) >= manifestMemoMax {
		manifestMemo.m = map[manifestKey]*curManifest{}
	}
	manifestMemo.m[k] = m
	manifestMemo.Unlock()
	return m, nil
}

func parseCURManifest(ctx context.Context, store objstore.Store, o objstore.ObjectInfo) (*curManifest, error) {
	r, err := store.NewReader(ctx, o, 0, maxManifestSize+1)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read report manifest %s: %w", o.Location, err)
	}
	if len(data) > maxManifestSize {
		return nil, fmt.Errorf("report manifest %s: larger than %d bytes", o.Location, maxManifestSize)
	}
	var doc struct {
		AssemblyID string   `json:"assemblyId"`
		ReportKeys []string `json:"reportKeys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("report manifest %s: not valid JSON: %w", o.Location, err)
	}
	m := &curManifest{assemblyID: doc.AssemblyID}
	if len(doc.ReportKeys) > 0 {
		// Report keys are full S3 keys under the bucket the report was
		// delivered to; the table may read a copy elsewhere, so match them
		// by their path below the period folder.
		period := path.Base(path.Dir(strings.TrimSuffix(o.Location, "/")))
		m.files = map[string]bool{}
		for _, k := range doc.ReportKeys {
			i := strings.Index(k, "/"+period+"/")
			switch {
			case i >= 0:
				m.files[k[i+len(period)+2:]] = true
			case strings.HasPrefix(k, period+"/"):
				m.files[k[len(period)+1:]] = true
			}
		}
		if len(m.files) == 0 {
			return nil, fmt.Errorf("report manifest %s: no reportKeys lie in billing period folder %s", o.Location, period)
		}
	}
	return m, nil
}
