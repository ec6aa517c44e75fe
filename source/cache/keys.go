package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/source"
)

// ParserVersion is part of every parse fingerprint. Bump it whenever the
// text readers (source/csv, source/json, source/textval) change the values
// they decode from the same bytes, so that segments written by the old
// parser become misses. A format may also report its own version by
// implementing Versioned; the cache mixes it in.
const ParserVersion = "2026-1"

// Versioned is an optional interface of a source.Format whose decoded
// values depend on a reader version of its own.
type Versioned interface {
	ParserVersion() string
}

// ignoredProperties are table properties that cannot change how a file
// parses (partition projection, statistics, bookkeeping). Every other
// table property is part of the fingerprint: a property we do not know
// may change parsing, and an unnecessary miss costs less than a wrong
// answer.
var ignoredProperties = []string{
	"projection.", "storage.location.template", "comment", "transient_lastddltime", "numfiles", "numrows",
	"rawdatasize", "totalsize", "column_stats_accurate", "last_modified_by", "last_modified_time",
	"numfileserasurecoded", "bucketing_version", "external",
}

func ignoredProperty(k string) bool {
	k = strings.ToLower(k)
	for _, p := range ignoredProperties {
		if strings.HasSuffix(p, ".") && strings.HasPrefix(k, p) || k == p {
			return true
		}
	}
	return false
}

// fingerprint hashes everything that changes the values a format decodes
// from the same bytes: the format and its version, the SerDe and its
// properties, the parsing table properties, and the ordered data columns
// with their types. The session time zone is not part of it: the text
// readers normalise timestamps with offsets to UTC and read others as
// written, whatever the session's zone.
func fingerprint(f source.Format, t *catalog.Table) string {
	h := sha256.New()
	field := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	field("quarry-cache-fingerprint-1")
	field(ParserVersion)
	field(f.Name())
	if v, ok := f.(Versioned); ok {
		field(v.ParserVersion())
	}
	field(t.Format)
	field(t.SerDe)
	field(t.InputFormat)
	writeMap(field, t.SerDeProps, nil)
	writeMap(field, t.Properties, ignoredProperty)
	field(fmt.Sprint(len(t.Columns)))
	for _, c := range t.Columns {
		field(c.Name)
		field(c.Type.String())
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func writeMap(field func(string), m map[string]string, skip func(string) bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if skip == nil || !skip(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	field(fmt.Sprint(len(keys)))
	for _, k := range keys {
		field(k)
		field(m[k])
	}
}

// tileKey names the folder of the segments of one object version under
// one fingerprint.
func tileKey(fp, location, version string, size int64) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s|%d:%s|%d:%s|%d", len(fp), fp, len(location), location, len(version), version, size)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// rangeKey names a raw split inside its tile: s<offset>_<length|e>_<b|d>.
func rangeKey(off, length int64, decoded bool) string {
	l := "e"
	if length >= 0 {
		l = fmt.Sprint(length)
	}
	d := 'b'
	if decoded {
		d = 'd'
	}
	return fmt.Sprintf("s%d_%s_%c", off, l, d)
}
