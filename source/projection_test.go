package source

import (
	"strings"
	"testing"
	"time"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/types"
)

func projTable(keys []string, props map[string]string) *catalog.Table {
	t := &catalog.Table{Schema: "s", Name: "t", Location: "s3://b/t", Properties: map[string]string{"projection.enabled": "true"}}
	for _, k := range keys {
		t.PartitionKeys = append(t.PartitionKeys, types.Column{Name: k})
	}
	for k, v := range props {
		t.Properties[k] = v
	}
	return t
}

func partStrings(parts []catalog.Partition) []string {
	var out []string
	for _, p := range parts {
		out = append(out, strings.Join(p.Values, ",")+" @ "+p.Location)
	}
	return out
}

func TestProjectPartitions(t *testing.T) {
	fixed := time.Date(2024, 3, 15, 13, 47, 5, 0, time.UTC)
	projectionNow = func() time.Time { return fixed }
	defer func() { projectionNow = time.Now }()

	tests := []struct {
		name    string
		keys    []string
		props   map[string]string
		filter  ProjectionFilter
		want    []string // "v1,v2 @ location"; only the first len(want) when wantN > 0
		wantN   int
		wantErr string
	}{
		{
			name:  "enum",
			keys:  []string{"region"},
			props: map[string]string{"projection.region.type": " ENUM ", "projection.region.values": "us-east-1,eu-west-1, x"},
			want:  []string{"us-east-1 @ s3://b/t/region=us-east-1", "eu-west-1 @ s3://b/t/region=eu-west-1", " x @ s3://b/t/region= x"},
		},
		{
			name:   "enum eq outside domain",
			keys:   []string{"region"},
			props:  map[string]string{"projection.region.type": "enum", "projection.region.values": "a,b"},
			filter: ProjectionFilter{Eq: map[string][]string{"REGION": {"b", "zzz", "b"}}},
			want:   []string{"b @ s3://b/t/region=b"},
		},
		{
			name:  "integer digits interval",
			keys:  []string{"n"},
			props: map[string]string{"projection.n.type": "integer", "projection.n.range": "1, 9", "projection.n.interval": "3", "projection.n.digits": "2"},
			want:  []string{"01 @ s3://b/t/n=01", "04 @ s3://b/t/n=04", "07 @ s3://b/t/n=07"},
		},
		{
			name:   "integer eq normalised",
			keys:   []string{"n"},
			props:  map[string]string{"projection.n.type": "integer", "projection.n.range": "0,100", "projection.n.digits": "3"},
			filter: ProjectionFilter{Eq: map[string][]string{"n": {"7", "0042", "101", "x", "-1"}}},
			want:   []string{"007 @ s3://b/t/n=007", "042 @ s3://b/t/n=042"},
		},
		{
			name:  "negative integers",
			keys:  []string{"n"},
			props: map[string]string{"projection.n.type": "integer", "projection.n.range": "-2,1"},
			want:  []string{"-2 @ s3://b/t/n=-2", "-1 @ s3://b/t/n=-1", "0 @ s3://b/t/n=0", "1 @ s3://b/t/n=1"},
		},
		{
			name: "date days with template",
			keys: []string{"dt"},
			props: map[string]string{"projection.dt.type": "date", "projection.dt.format": "yyyy/MM/dd", "projection.dt.range": "2024/02/27,2024/03/02",
				"storage.location.template": "s3://logs/AWSLogs/${dt}/"},
			want: []string{"2024/02/27 @ s3://logs/AWSLogs/2024/02/27", "2024/02/28 @ s3://logs/AWSLogs/2024/02/28", "2024/02/29 @ s3://logs/AWSLogs/2024/02/29",
				"2024/03/01 @ s3://logs/AWSLogs/2024/03/01", "2024/03/02 @ s3://logs/AWSLogs/2024/03/02"},
		},
		{
			name:  "date hours relative to NOW",
			keys:  []string{"h"},
			props: map[string]string{"projection.h.type": "date", "projection.h.format": "yyyy-MM-dd-HH", "projection.h.range": "NOW-2HOURS,NOW", "projection.h.interval.unit": "HOURS"},
			want:  []string{"2024-03-15-11 @ s3://b/t/h=2024-03-15-11", "2024-03-15-12 @ s3://b/t/h=2024-03-15-12", "2024-03-15-13 @ s3://b/t/h=2024-03-15-13"},
		},
		{
			name:  "date months default unit",
			keys:  []string{"m"},
			props: map[string]string{"projection.m.type": "date", "projection.m.format": "yyyyMM", "projection.m.range": "202311,NOW-1MONTH"},
			want:  []string{"202311 @ s3://b/t/m=202311", "202312 @ s3://b/t/m=202312", "202401 @ s3://b/t/m=202401", "202402 @ s3://b/t/m=202402"},
		},
		{
			name: "date interval and eq",
			keys: []string{"d"},
			props: map[string]string{"projection.d.type": "date", "projection.d.format": "yyyy-MM-dd", "projection.d.range": "2024-01-01,2024-12-31",
				"projection.d.interval": "7", "projection.d.interval.unit": "DAYS"},
			filter: ProjectionFilter{Eq: map[string][]string{"d": {"2024-01-08", "2024-01-09", "2025-01-01", "garbage", "2024-02-30"}}},
			want:   []string{"2024-01-08 @ s3://b/t/d=2024-01-08"},
		},
		{
			name:  "date with quoted literal and month name",
			keys:  []string{"d"},
			props: map[string]string{"projection.d.type": "date", "projection.d.format": "'y='yyyy'/m='MMM", "projection.d.range": "y=2024/m=Jan,y=2024/m=mar"},
			want:  []string{"y=2024/m=Jan @ s3://b/t/d=y%3D2024%2Fm%3DJan", "y=2024/m=Feb @ s3://b/t/d=y%3D2024%2Fm%3DFeb", "y=2024/m=Mar @ s3://b/t/d=y%3D2024%2Fm%3DMar"},
		},
		{
			name: "injected with template",
			keys: []string{"account", "region"},
			props: map[string]string{"projection.account.type": "injected", "projection.region.type": "enum", "projection.region.values": "us,eu",
				"storage.location.template": "s3://b/AWSLogs/${account}/CloudTrail/${Region}"},
			filter: ProjectionFilter{Eq: map[string][]string{"account": {"111", "222"}}, Accept: func(k, v string) bool { return k != "region" || v == "eu" }},
			want:   []string{"111,eu @ s3://b/AWSLogs/111/CloudTrail/eu", "222,eu @ s3://b/AWSLogs/222/CloudTrail/eu"},
		},
		{
			name:    "injected without eq",
			keys:    []string{"account"},
			props:   map[string]string{"projection.account.type": "injected"},
			wantErr: "injected: a query must constrain it with = or IN",
		},
		{
			name:   "filter rejects all",
			keys:   []string{"n"},
			props:  map[string]string{"projection.n.type": "integer", "projection.n.range": "1,3"},
			filter: ProjectionFilter{Accept: func(string, string) bool { return false }},
			want:   nil,
		},
		{"unknown type", []string{"x"}, map[string]string{"projection.x.type": "range"}, ProjectionFilter{}, nil, 0, `unknown projection type "range"`},
		{"missing type", []string{"x"}, map[string]string{}, ProjectionFilter{}, nil, 0, "projection.x.type is missing"},
		{"bad integer range", []string{"x"}, map[string]string{"projection.x.type": "integer", "projection.x.range": "1-10"}, ProjectionFilter{}, nil, 0, `range "1-10" is not two integers`},
		{"reversed range", []string{"x"}, map[string]string{"projection.x.type": "integer", "projection.x.range": "10,1"}, ProjectionFilter{}, nil, 0, "starts after it ends"},
		{"bad interval", []string{"x"}, map[string]string{"projection.x.type": "integer", "projection.x.range": "1,10", "projection.x.interval": "0"}, ProjectionFilter{}, nil, 0, "not a positive integer"},
		{"enum without values", []string{"x"}, map[string]string{"projection.x.type": "enum"}, ProjectionFilter{}, nil, 0, "enum needs projection.x.values"},
		{"date without format", []string{"x"}, map[string]string{"projection.x.type": "date", "projection.x.range": "2020,2021"}, ProjectionFilter{}, nil, 0, "date needs projection.x.format"},
		{"bad date letter", []string{"x"}, map[string]string{"projection.x.type": "date", "projection.x.format": "yyyy-ww", "projection.x.range": "a,b"}, ProjectionFilter{}, nil, 0, `pattern letter "w" is not supported`},
		{"bad date bound", []string{"x"}, map[string]string{"projection.x.type": "date", "projection.x.format": "yyyy-MM-dd", "projection.x.range": "2024-13-01,NOW"}, ProjectionFilter{}, nil, 0, "range start"},
		{"bad NOW", []string{"x"}, map[string]string{"projection.x.type": "date", "projection.x.format": "yyyy-MM-dd", "projection.x.range": "2024-01-01,NOW*2"}, ProjectionFilter{}, nil, 0, "want NOW"},
		{"sub-day without unit", []string{"x"}, map[string]string{"projection.x.type": "date", "projection.x.format": "yyyy-MM-dd-HH", "projection.x.range": "2024-01-01-00,NOW"}, ProjectionFilter{}, nil, 0, "interval.unit is required"},
		{"bad unit", []string{"x"}, map[string]string{"projection.x.type": "date", "projection.x.format": "yyyy", "projection.x.range": "2020,2021", "projection.x.interval.unit": "FORTNIGHTS"}, ProjectionFilter{}, nil, 0, "interval.unit \"FORTNIGHTS\""},
		{"too many", []string{"a", "b"}, map[string]string{"projection.a.type": "integer", "projection.a.range": "1,10000", "projection.b.type": "integer", "projection.b.range": "1,10000"}, ProjectionFilter{}, nil, 0, "more than 1000000 partitions; add a filter on a, b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parts, err := ProjectPartitionsWith(projTable(tc.keys, tc.props), tc.filter)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "s.t") {
					t.Errorf("error %q does not name the table", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := partStrings(parts)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("partitions =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	if _, err := ProjectPartitions(&catalog.Table{Name: "t"}, nil); err == nil || !strings.Contains(err.Error(), "not enabled") {
		t.Errorf("disabled projection: err = %v", err)
	}
}

// A 10,000-partition projection (100 days x 100 buckets) with a filter that
// touches one partition yields exactly that one.
func TestProjectPartitions10k(t *testing.T) {
	tbl := projTable([]string{"dt", "bucket"}, map[string]string{
		"projection.dt.type": "date", "projection.dt.format": "yyyy-MM-dd", "projection.dt.range": "2024-01-01,2024-04-09",
		"projection.bucket.type": "integer", "projection.bucket.range": "0,99", "projection.bucket.digits": "2",
	})
	all, err := ProjectPartitions(tbl, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 10000 {
		t.Fatalf("unfiltered projection has %d partitions, want 10000", len(all))
	}
	if got := partStrings(all[:1])[0]; got != "2024-01-01,00 @ s3://b/t/dt=2024-01-01/bucket=00" {
		t.Errorf("first partition %s", got)
	}
	if got := partStrings(all[9999:])[0]; got != "2024-04-09,99 @ s3://b/t/dt=2024-04-09/bucket=99" {
		t.Errorf("last partition %s", got)
	}
	start := time.Now()
	one, err := ProjectPartitionsWith(tbl, ProjectionFilter{Eq: map[string][]string{"dt": {"2024-03-05"}, "bucket": {"42"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("equality filter over 10,000 projected partitions took %v", time.Since(start))
	if got := strings.Join(partStrings(one), ";"); got != "2024-03-05,42 @ s3://b/t/dt=2024-03-05/bucket=42" {
		t.Errorf("eq projection = %s", got)
	}
	// The same through a predicate (a range on dt, equality on bucket).
	pred, err := ProjectPartitions(tbl, func(k, v string) bool {
		if k == "dt" {
			return v >= "2024-03-05" && v < "2024-03-06"
		}
		return v == "42"
	})
	if err != nil || len(pred) != 1 || pred[0].Location != "s3://b/t/dt=2024-03-05/bucket=42" {
		t.Errorf("predicate projection = %v, %v", partStrings(pred), err)
	}
}

func TestDateLayoutRoundTrip(t *testing.T) {
	tm := time.Date(2024, 7, 4, 9, 5, 3, 120_000_000, time.UTC)
	for _, tc := range []struct{ format, want string }{
		{"yyyy-MM-dd", "2024-07-04"},
		{"yyyy/MM/dd/HH", "2024/07/04/09"},
		{"yyyyMMddHHmmss", "20240704090503"},
		{"yy-M-d H:m:s", "24-7-4 9:5:3"},
		{"uuuu-MM-dd'T'HH:mm:ss.SSS", "2024-07-04T09:05:03.120"},
		{"MMMM yyyy", "July 2024"},
		{"'it''s' yyyy", "it's 2024"},
	} {
		l, err := parseDateLayout(tc.format)
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		got := l.format(tm)
		if got != tc.want {
			t.Errorf("format(%s) = %q, want %q", tc.format, got, tc.want)
		}
		back, err := l.parse(got)
		if err != nil {
			t.Errorf("parse(%s, %q): %v", tc.format, got, err)
			continue
		}
		if l.format(back) != got {
			t.Errorf("round trip %s: %q → %v → %q", tc.format, got, back, l.format(back))
		}
	}
	l, _ := parseDateLayout("yyyy-MM-dd")
	for _, bad := range []string{"2024-02-30", "2024-1-01x", "24-01-01", "2024/01/01", ""} {
		if _, err := l.parse(bad); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}
