package catalog

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/quarry-sql/quarry/types"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := OpenWithOptions(t.TempDir(), Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(t *testing.T, s *Store, tb *Table) {
	t.Helper()
	if err := s.CreateTable(context.Background(), tb, false); err != nil {
		t.Fatalf("create %s.%s: %v", tb.Schema, tb.Name, err)
	}
}

// checkErr fails unless err wraps kind and its text is exactly msg (or
// contains it, when msg ends with "...").
func checkErr(t *testing.T, err, kind error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", msg)
	}
	if !errors.Is(err, kind) {
		t.Errorf("error %q does not wrap %v", err, kind)
	}
	if prefix, ok := strings.CutSuffix(msg, "..."); ok {
		if !strings.HasPrefix(err.Error(), prefix) {
			t.Errorf("error %q, want prefix %q", err, prefix)
		}
	} else if err.Error() != msg {
		t.Errorf("error %q, want %q", err, msg)
	}
}

func TestOpenCreatesDefaultSchema(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "home")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.ListSchemas(context.Background())
	if err != nil || !reflect.DeepEqual(got, []string{DefaultSchema}) {
		t.Fatalf("ListSchemas = %v, %v; want [default]", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "catalog.db")); err != nil {
		t.Errorf("catalog.db not created: %v", err)
	}
}

func TestSchemas(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	steps := []struct {
		name string
		run  func() error
		kind error
		msg  string
	}{
		{"create", func() error { return s.CreateSchema(ctx, "Sales", false) }, nil, ""},
		{"create again", func() error { return s.CreateSchema(ctx, "SALES", false) }, ErrExists, "schema sales already exists"},
		{"create if not exists", func() error { return s.CreateSchema(ctx, "sales", true) }, nil, ""},
		{"create default", func() error { return s.CreateSchema(ctx, "default", false) }, ErrExists, "schema default already exists"},
		{"create empty name", func() error { return s.CreateSchema(ctx, "", false) }, ErrInvalid, "schema name is empty"},
		{"add table", func() error {
			tb := baseTable()
			tb.Schema = "sales"
			return s.CreateTable(ctx, tb, false)
		}, nil, ""},
		{"drop non-empty", func() error { return s.DropSchema(ctx, "sales", false, false) }, ErrNotEmpty, "schema sales is not empty..."},
		{"drop missing", func() error { return s.DropSchema(ctx, "salse", false, false) }, ErrNotFound, "Schema 'salse' does not exist; did you mean sales?"},
		{"drop missing if exists", func() error { return s.DropSchema(ctx, "nosuch", true, false) }, nil, ""},
		{"drop default", func() error { return s.DropSchema(ctx, "DEFAULT", true, true) }, ErrInvalid, "schema default cannot be dropped"},
		{"drop cascade", func() error { return s.DropSchema(ctx, "Sales", false, true) }, nil, ""},
		{"gone", func() error {
			ok, err := s.SchemaExists(ctx, "sales")
			if ok {
				return errors.New("schema sales still exists")
			}
			return err
		}, nil, ""},
		{"recreate is empty", func() error {
			if err := s.CreateSchema(ctx, "sales", false); err != nil {
				return err
			}
			ts, err := s.ListTables(ctx, "sales")
			if len(ts) != 0 {
				return fmt.Errorf("recreated schema has tables %v", ts)
			}
			return err
		}, nil, ""},
	}
	for _, st := range steps {
		err := st.run()
		if st.kind == nil {
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			continue
		}
		t.Run(st.name, func(t *testing.T) { checkErr(t, err, st.kind, st.msg) })
	}
	got, _ := s.ListSchemas(ctx)
	if !reflect.DeepEqual(got, []string{"default", "sales"}) {
		t.Errorf("ListSchemas = %v", got)
	}
}

func TestTables(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.CreateSchema(ctx, "aws_optimizer", false); err != nil {
		t.Fatal(err)
	}
	cur := baseTable()
	cur.Schema, cur.Name = "AWS_Optimizer", "Cost_And_Usage"
	mustCreate(t, s, cur)
	if cur.Schema != "AWS_Optimizer" || cur.Columns[0].Name != "a" || cur.Format != "" {
		t.Errorf("CreateTable modified the caller's table: %+v", cur)
	}
	other := baseTable()
	other.Schema, other.Name = "aws_optimizer", "cost_and_usage"
	other.Comment = "second definition"

	steps := []struct {
		name string
		err  error
		kind error
		msg  string
	}{
		{"duplicate", s.CreateTable(ctx, other, false), ErrExists, "table aws_optimizer.cost_and_usage already exists"},
		{"if not exists", s.CreateTable(ctx, other, true), nil, ""},
		{"missing schema", s.CreateTable(ctx, &Table{Schema: "aws_optimiser", Name: "x", Columns: other.Columns, Location: "/x"}, false),
			ErrNotFound, "Schema 'aws_optimiser' does not exist; did you mean aws_optimizer?"},
		{"invalid", s.CreateTable(ctx, &Table{Schema: "default", Name: "x", Columns: []types.Column{col("a", "int"), col("a", "int")}, Location: "/x"}, false),
			ErrInvalid, "duplicate column name: a"},
		{"nil table", s.CreateTable(ctx, nil, false), ErrInvalid, "no table definition"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.kind == nil {
				if st.err != nil {
					t.Fatal(st.err)
				}
				return
			}
			checkErr(t, st.err, st.kind, st.msg)
		})
	}

	got, err := s.GetTable(ctx, "AWS_OPTIMIZER", "COST_AND_USAGE")
	if err != nil {
		t.Fatal(err)
	}
	if got.Comment != "" {
		t.Errorf("IF NOT EXISTS replaced the table: comment %q", got.Comment)
	}
	if got.Name != "cost_and_usage" || got.Format != FormatText || got.SerDe != LazySimpleSerDe || got.Kind != External {
		t.Errorf("stored table not normalized: %+v", got)
	}

	_, err = s.GetTable(ctx, "aws_optimizer", "cost_and_usgae")
	checkErr(t, err, ErrNotFound, "Table 'quarry.aws_optimizer.cost_and_usgae' does not exist; did you mean cost_and_usage?")
	_, err = s.GetTable(ctx, "aws_optimizer", "zzz")
	checkErr(t, err, ErrNotFound, "Table 'quarry.aws_optimizer.zzz' does not exist")
	_, err = s.GetTable(ctx, "aws_optimzer", "cost_and_usage")
	checkErr(t, err, ErrNotFound, "Schema 'aws_optimzer' does not exist; did you mean aws_optimizer?")
	_, err = s.ListTables(ctx, "nosuch")
	checkErr(t, err, ErrNotFound, "Schema 'nosuch' does not exist")

	// Views.
	view := &Table{Schema: "aws_optimizer", Name: "spend", ViewSQL: "SELECT 1"}
	if err := s.ReplaceView(ctx, view); err != nil {
		t.Fatal(err)
	}
	view.ViewSQL = "SELECT 2"
	if err := s.ReplaceView(ctx, view); err != nil {
		t.Fatal(err)
	}
	if v, err := s.GetTable(ctx, "aws_optimizer", "spend"); err != nil || v.ViewSQL != "SELECT 2" || v.Kind != View {
		t.Errorf("replaced view = %+v, %v", v, err)
	}
	checkErr(t, s.CreateTable(ctx, view, false), ErrExists, "view aws_optimizer.spend already exists")
	checkErr(t, s.ReplaceView(ctx, &Table{Schema: "aws_optimizer", Name: "cost_and_usage", ViewSQL: "SELECT 1"}),
		ErrExists, "table aws_optimizer.cost_and_usage already exists and is not a view")
	checkErr(t, s.ReplaceView(ctx, baseTable()), ErrInvalid, "s.t is not a view definition")

	ts, err := s.ListTables(ctx, "aws_optimizer")
	if err != nil || len(ts) != 2 || ts[0].Name != "cost_and_usage" || ts[1].Name != "spend" {
		t.Fatalf("ListTables = %v, %v", ts, err)
	}

	// Drop.
	checkErr(t, s.DropTable(ctx, "aws_optimizer", "spnd", false), ErrNotFound, "Table 'quarry.aws_optimizer.spnd' does not exist; did you mean spend?")
	if err := s.DropTable(ctx, "aws_optimizer", "spnd", true); err != nil {
		t.Errorf("DROP IF EXISTS of a missing table: %v", err)
	}
	if err := s.DropTable(ctx, "nosuch", "x", true); err != nil {
		t.Errorf("DROP IF EXISTS in a missing schema: %v", err)
	}
	if err := s.DropTable(ctx, "AWS_Optimizer", "Spend", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetTable(ctx, "aws_optimizer", "spend"); !errors.Is(err, ErrNotFound) {
		t.Errorf("dropped view still there: %v", err)
	}
}

func TestDropTableKeepsDataFiles(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	data := t.TempDir()
	file := filepath.Join(data, "part-0.csv")
	if err := os.WriteFile(file, []byte("1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tb := baseTable()
	tb.Schema, tb.Location = "default", data
	mustCreate(t, s, tb)
	if err := s.DropTable(ctx, "default", "t", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("DROP TABLE touched data: %v", err)
	}
}

// allTypes covers every stored type kind, nested and parameterized.
var allTypes = []types.Type{
	types.BooleanType, types.TinyIntType, types.SmallIntType, types.IntegerType, types.BigIntType,
	types.RealType, types.DoubleType, types.DecimalOf(15, 2), types.DecimalOf(38, 38), types.DecimalOf(1, 0),
	types.VarcharType, types.VarcharOf(25), {Kind: types.Char, Length: 7}, types.VarbinaryTyp, types.DateType,
	{Kind: types.Time, Precision: 6}, types.TimestampType, {Kind: types.Timestamp, Precision: 9},
	{Kind: types.TimestampTZ, Precision: 0}, types.IntervalDTType, types.IntervalYMType, types.JSONType,
	types.ArrayOf(types.VarcharOf(3)),
	types.MapOf(types.VarcharType, types.ArrayOf(types.DecimalOf(10, 4))),
	types.RowOf(
		types.Field{Name: "MixedCase", Type: types.IntegerType},
		types.Field{Name: "with \"quote\" and space", Type: types.RowOf(types.Field{Name: "inner", Type: types.ArrayOf(types.TimestampTZType)})},
		types.Field{Name: "m", Type: types.MapOf(types.BigIntType, types.RowOf(types.Field{Name: "x", Type: types.VarcharOf(1)}))},
	),
}

func TestTableRoundTripSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cols []types.Column
	for i, typ := range allTypes {
		cols = append(cols, types.Column{Name: fmt.Sprintf("c%d", i), Type: typ, Comment: fmt.Sprintf("type %s", typ)})
	}
	want := &Table{
		Schema: "default", Name: "everything", Kind: External,
		Columns:       cols,
		PartitionKeys: []types.Column{col("year", "int"), col("region", "varchar(10)")},
		Comment:       "all the types",
		Location:      "s3://bucket/everything",
		Format:        FormatText,
		SerDe:         OpenCSVSerDe,
		SerDeProps:    map[string]string{"separatorChar": ",", "quoteChar": `"`},
		InputFormat:   TextInputFormat,
		OutputFormat:  TextOutputFormat,
		Properties:    map[string]string{"skip.header.line.count": "1", "projection.enabled": "true"},
		Created:       time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
	}
	mustCreate(t, s, want)
	view := &Table{Schema: "default", Name: "v", Kind: View, ViewSQL: "SELECT c0 FROM everything", Comment: "c",
		Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.ReplaceView(ctx, view); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, w := range []*Table{want, view} {
		got, err := s.GetTable(ctx, w.Schema, w.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Created.Equal(w.Created) {
			t.Errorf("%s: created %v, want %v", w.Name, got.Created, w.Created)
		}
		got.Created = w.Created
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: round trip mismatch\n got %+v\nwant %+v", w.Name, got, w)
		}
		for i := range w.Columns {
			if !got.Columns[i].Type.Equal(w.Columns[i].Type) || got.Columns[i].Type.String() != w.Columns[i].Type.String() {
				t.Errorf("column %d: %s, want %s", i, got.Columns[i].Type, w.Columns[i].Type)
			}
		}
	}
}

func TestTypeCodecCoversEveryKind(t *testing.T) {
	seen := map[string]bool{}
	for k := types.Unknown; k <= types.Row; k++ {
		name, ok := kindNames[k]
		if !ok {
			t.Errorf("kind %d (%s) has no stored name", k, types.Type{Kind: k})
		}
		if seen[name] {
			t.Errorf("stored name %q used twice", name)
		}
		seen[name] = true
	}
	if _, err := encodeType(types.Type{Kind: types.Row + 1}); err == nil {
		t.Error("encoding an unknown kind did not fail")
	}
	if _, err := decodeType(typeRecord{Kind: "hyperloglog"}); err == nil {
		t.Error("decoding an unknown kind name did not fail")
	}
}

func partitionedTable() *Table {
	tb := baseTable()
	tb.Schema = "default"
	tb.Location = "s3://bucket/t/"
	tb.PartitionKeys = []types.Column{col("year", "int"), col("region", "string")}
	return tb
}

func TestPartitions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	mustCreate(t, s, partitionedTable())
	created := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	add := []Partition{
		{Values: []string{"2024", "us-east-1"}},
		{Values: []string{"2023", "eu/west=1"}, Location: "S3://other/p", Created: created},
		{Values: []string{"2023", ""}},
	}
	if err := s.AddPartitions(ctx, "default", "T", add, false); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListPartitions(ctx, "DEFAULT", "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Partition{
		{Values: []string{"2023", ""}, Location: "s3://bucket/t/year=2023/region=__HIVE_DEFAULT_PARTITION__"},
		{Values: []string{"2023", "eu/west=1"}, Location: "s3://other/p", Created: created},
		{Values: []string{"2024", "us-east-1"}, Location: "s3://bucket/t/year=2024/region=us-east-1"},
	}
	if len(got) != len(want) {
		t.Fatalf("ListPartitions = %v, want %v", got, want)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i].Values, want[i].Values) || got[i].Location != want[i].Location {
			t.Errorf("partition %d = %+v, want %+v", i, got[i], want[i])
		}
		if got[i].Created.IsZero() || !want[i].Created.IsZero() && !got[i].Created.Equal(want[i].Created) {
			t.Errorf("partition %d created %v, want %v", i, got[i].Created, want[i].Created)
		}
	}

	steps := []struct {
		name string
		err  error
		kind error
		msg  string
	}{
		{"duplicate", s.AddPartitions(ctx, "default", "t", []Partition{{Values: []string{"2024", "us-east-1"}}}, false),
			ErrExists, "partition (year='2024', region='us-east-1') of table default.t already exists"},
		{"duplicate in batch is atomic", s.AddPartitions(ctx, "default", "t", []Partition{{Values: []string{"2030", "a"}}, {Values: []string{"2023", ""}}}, false),
			ErrExists, "partition (year='2023', region='') of table default.t already exists"},
		{"wrong arity", s.AddPartitions(ctx, "default", "t", []Partition{{Values: []string{"2024"}}}, false),
			ErrInvalid, "partition of table default.t has 1 values, but the table has 2 partition columns (year, region)"},
		{"bad location", s.AddPartitions(ctx, "default", "t", []Partition{{Values: []string{"1", "x"}, Location: "rel/dir"}}, false),
			ErrInvalid, "partition (year='1', region='x') of table default.t: LOCATION 'rel/dir' is a relative path..."},
		{"unpartitioned", func() error {
			tb := baseTable()
			tb.Schema, tb.Name = "default", "flat"
			mustCreate(t, s, tb)
			return s.AddPartitions(ctx, "default", "flat", []Partition{{Values: []string{"1"}}}, false)
		}(), ErrInvalid, "table default.flat is not partitioned"},
		{"missing table", s.AddPartitions(ctx, "default", "tt", nil, false), ErrNotFound, "Table 'quarry.default.tt' does not exist; did you mean t?"},
		{"drop missing", s.DropPartitions(ctx, "default", "t", [][]string{{"2024", "us-east-1"}, {"1999", "x"}}, false),
			ErrNotFound, "partition (year='1999', region='x') of table default.t does not exist"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) { checkErr(t, st.err, st.kind, st.msg) })
	}
	if got, _ := s.ListPartitions(ctx, "default", "t"); len(got) != 3 {
		t.Errorf("failed batches changed the partitions: %v", got)
	}
	if err := s.AddPartitions(ctx, "default", "t", []Partition{{Values: []string{"2024", "us-east-1"}, Location: "/elsewhere"}, {Values: []string{"2025", "x"}}}, true); err != nil {
		t.Fatal(err)
	}
	got, _ = s.ListPartitions(ctx, "default", "t")
	if len(got) != 4 || got[2].Location != "s3://bucket/t/year=2024/region=us-east-1" {
		t.Errorf("IF NOT EXISTS: partitions %v; want 4 with the existing one unchanged", got)
	}
	if err := s.DropPartitions(ctx, "default", "t", [][]string{{"2024", "us-east-1"}, {"1999", "x"}}, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListPartitions(ctx, "default", "t"); len(got) != 3 {
		t.Errorf("after drop: %v", got)
	}
	// Dropping and recreating the table starts with no partitions.
	if err := s.DropTable(ctx, "default", "t", false); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, partitionedTable())
	if got, _ := s.ListPartitions(ctx, "default", "t"); len(got) != 0 {
		t.Errorf("recreated table has partitions %v", got)
	}
}

func TestManyPartitions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	mustCreate(t, s, partitionedTable())
	const n = 10000
	parts := make([]Partition, n)
	for i := range parts {
		parts[i] = Partition{Values: []string{strconv.Itoa(2000 + i/100), fmt.Sprintf("r%03d", i%100)}}
	}
	start := time.Now()
	if err := s.AddPartitions(ctx, "default", "t", parts, false); err != nil {
		t.Fatal(err)
	}
	added := time.Since(start)
	start = time.Now()
	got, err := s.ListPartitions(ctx, "default", "t")
	if err != nil {
		t.Fatal(err)
	}
	listed := time.Since(start)
	t.Logf("%d partitions: add %v, list %v", n, added, listed)
	if len(got) != n {
		t.Fatalf("listed %d partitions, want %d", len(got), n)
	}
	if got[0].Values[0] != "2000" || got[0].Values[1] != "r000" || got[n-1].Values[0] != "2099" {
		t.Errorf("partitions out of order: first %v, last %v", got[0].Values, got[n-1].Values)
	}
	// Generous bounds: the point is to catch per-partition transactions or
	// quadratic behaviour, which take minutes, not to benchmark.
	if added > 5*time.Second || listed > 2*time.Second {
		t.Errorf("too slow: add %v, list %v", added, listed)
	}
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	s, err := OpenWithOptions(t.TempDir(), Options{HistoryLimit: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	started := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 12; i++ {
		e := HistoryEntry{SQL: fmt.Sprintf("SELECT %d", i), State: "FINISHED", Started: started.Add(time.Duration(i) * time.Second),
			Elapsed: time.Duration(i) * time.Millisecond, Rows: int64(i), BytesScanned: int64(i * 100), User: "u"}
		if i == 3 {
			e.ID = "q3"
		}
		if err := s.AddHistory(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"SELECT 12", "SELECT 11", "SELECT 10", "SELECT 9", "SELECT 8"}},
		{2, []string{"SELECT 12", "SELECT 11"}},
		{100, []string{"SELECT 12", "SELECT 11", "SELECT 10", "SELECT 9", "SELECT 8"}},
	}
	for _, tt := range tests {
		h, err := s.History(ctx, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range h {
			got = append(got, e.SQL)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("History(%d) = %v, want %v", tt.limit, got, tt.want)
		}
	}
	h, _ := s.History(ctx, 1)
	want := HistoryEntry{ID: "12", SQL: "SELECT 12", State: "FINISHED", User: "u", Started: started.Add(12 * time.Second),
		Elapsed: 12 * time.Millisecond, Rows: 12, BytesScanned: 1200}
	if !reflect.DeepEqual(h[0], want) {
		t.Errorf("entry = %+v, want %+v", h[0], want)
	}
}

func TestOpenTwiceIsInUse(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// flock locks belong to the open file description, so a second open in
	// the same process conflicts just as another process would.
	start := time.Now()
	_, err = OpenWithOptions(dir, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	want := fmt.Sprintf("catalog %s is in use by another quarry process (pid %d)", filepath.Join(dir, "catalog.db"), os.Getpid())
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want prefix %q", err, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second open waited %v", d)
	}
	s.Close()
	s2, err := OpenWithOptions(dir, Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s2.Close()
}

func TestCancelledContext(t *testing.T) {
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.CreateSchema(ctx, "x", false); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateSchema with cancelled context: %v", err)
	}
	if ok, _ := s.SchemaExists(context.Background(), "x"); ok {
		t.Error("cancelled CreateSchema created the schema")
	}
}

const (
	crashEnvDir   = "QUARRY_CATALOG_CRASH_DIR"
	crashEnvRound = "QUARRY_CATALOG_CRASH_ROUND"
	crashCols     = 40
	crashPartsPer = 500
)

// TestHelperProcess is the child of TestCrashSafety: it writes tables and
// partitions as fast as it can until killed.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(crashEnvDir)
	if dir == "" {
		t.Skip("helper process for TestCrashSafety")
	}
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx := context.Background()
	out := bufio.NewWriter(os.Stdout)
	round, _ := strconv.Atoi(os.Getenv(crashEnvRound))
	for i := round * 1000000; ; i++ {
		tb := crashTable(i)
		if err := s.CreateTable(ctx, tb, false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		parts := make([]Partition, crashPartsPer)
		for j := range parts {
			parts[j] = Partition{Values: []string{strconv.Itoa(j)}}
		}
		if err := s.AddPartitions(ctx, "default", tb.Name, parts, false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if i%3 == 2 && i > round*1000000 {
			// Churn: dropping frees pages, so later writes reuse them and a
			// torn write would damage live data, not just new pages.
			if err := s.DropTable(ctx, "default", crashTable(i-1).Name, false); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
		fmt.Fprintln(out, i)
		out.Flush()
	}
}

func crashTable(i int) *Table {
	cols := make([]types.Column, crashCols)
	for j := range cols {
		cols[j] = types.Column{Name: fmt.Sprintf("c%d", j), Type: types.DecimalOf(15, 2), Comment: strings.Repeat("x", 50)}
	}
	return &Table{Schema: "default", Name: fmt.Sprintf("t%06d", i), Columns: cols,
		PartitionKeys: []types.Column{col("p", "int")}, Location: "/data/" + strconv.Itoa(i)}
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	committed := map[string]bool{}
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), crashEnvDir+"="+dir, fmt.Sprintf("%s=%d", crashEnvRound, round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		// Wait for some progress, then kill at a moment that varies with
		// the round, so the kill lands inside different transactions.
		base := round * 1000000
		for n := 0; n < 5+round*7 && sc.Scan(); n++ {
			i, err := strconv.Atoi(sc.Text())
			if err != nil {
				t.Fatalf("helper wrote %q", sc.Text())
			}
			// Committed before it was reported, so it must survive.
			committed[crashTable(i).Name] = true
			if i%3 == 2 && i > base {
				delete(committed, crashTable(i-1).Name)
			}
		}
		time.Sleep(time.Duration(round*3+1) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("helper ended before it was killed (%v): %s", cmd.ProcessState, stderr.String())
		}
		checkCrashConsistency(t, dir, committed)
	}
}

func checkCrashConsistency(t *testing.T, dir string, committed map[string]bool) {
	t.Helper()
	s, err := OpenWithOptions(dir, Options{LockTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	err = s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("bbolt check: %w", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tables, err := s.ListTables(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("no tables survived; the helper made no progress")
	}
	for _, tb := range tables {
		if len(tb.Columns) != crashCols || !tb.Columns[crashCols-1].Type.Equal(types.DecimalOf(15, 2)) {
			t.Errorf("table %s is torn: %d columns", tb.Name, len(tb.Columns))
		}
		parts, err := s.ListPartitions(ctx, "default", tb.Name)
		if err != nil {
			t.Fatal(err)
		}
		// Partitions are added in one transaction after the table: all
		// or none, never a prefix.
		if len(parts) != 0 && len(parts) != crashPartsPer {
			t.Errorf("table %s has %d partitions, want 0 or %d", tb.Name, len(parts), crashPartsPer)
		}
	}
	t.Logf("%d tables consistent after kill", len(tables))
	present := map[string]bool{}
	for _, tb := range tables {
		present[tb.Name] = true
	}
	for name := range committed {
		if !present[name] {
			t.Errorf("table %s was committed before the kill but is gone", name)
		}
	}
	// The catalog stays writable after a crash.
	if err := s.CreateSchema(ctx, "after_crash", true); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkPartitions100k adds 100,000 partitions in one batch and lists
// them, the scale MSCK REPAIR must handle.
func BenchmarkPartitions100k(b *testing.B) {
	ctx := context.Background()
	const n = 100000
	parts := make([]Partition, n)
	for i := range parts {
		parts[i] = Partition{Values: []string{strconv.Itoa(2000 + i/1000), fmt.Sprintf("r%04d", i%1000)}}
	}
	for b.Loop() {
		s, err := Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if err := s.CreateTable(ctx, partitionedTable(), false); err != nil {
			b.Fatal(err)
		}
		if err := s.AddPartitions(ctx, "default", "t", parts, false); err != nil {
			b.Fatal(err)
		}
		got, err := s.ListPartitions(ctx, "default", "t")
		if err != nil || len(got) != n {
			b.Fatalf("listed %d, %v", len(got), err)
		}
		s.Close()
	}
}

// TestHistoryQueue checks the asynchronous history writer: entries queued
// while the writer is busy are numbered as if none had been dropped, and
// entries still queued at Close are on disk when the catalog reopens.
func TestHistoryQueue(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenWithOptions(dir, Options{HistoryLimit: 5})
	if err != nil {
		t.Fatal(err)
	}
	s.history.write.Lock() // the writer is busy: everything queues
	for i := 1; i <= 12; i++ {
		if err := s.AddHistory(ctx, HistoryEntry{SQL: fmt.Sprintf("SELECT %d", i), State: "FINISHED"}); err != nil {
			t.Fatal(err)
		}
	}
	s.history.mu.Lock()
	queued, dropped := len(s.history.pending), s.history.dropped
	s.history.mu.Unlock()
	if queued != 5 || dropped != 7 {
		t.Errorf("queue holds %d entries and dropped %d, want 5 and 7", queued, dropped)
	}
	s.history.write.Unlock()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenWithOptions(dir, Options{HistoryLimit: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := s.History(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range h {
		got = append(got, e.ID+"="+e.SQL)
	}
	want := []string{"12=SELECT 12", "11=SELECT 11", "10=SELECT 10", "9=SELECT 9", "8=SELECT 8"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("History = %v, want %v", got, want)
	}
}
