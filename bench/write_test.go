package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuarryParquetReadByDuckDB writes TPC-H lineitem and orders with
// Quarry's CREATE TABLE AS (Parquet, partitioned and not, zstd and snappy)
// and checks that DuckDB reads the files and gives the same answers as
// Quarry does over the same files.
func TestQuarryParquetReadByDuckDB(t *testing.T) {
	shared, err := filepath.Abs("../../shared")
	if err != nil {
		t.Fatal(err)
	}
	ddl, err := os.ReadFile(filepath.Join(shared, "spec", "tpch-ddl.sql"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("shared data missing")
	}
	ctx := context.Background()
	out := t.TempDir()
	w := &workload{Schema: "tpch", QuarryDDL: strings.ReplaceAll(string(ddl), "<tpch-dir>", filepath.Join(shared, "data", "tpch", "data", "sf-0.01"))}
	q, err := openQuarry(ctx, w, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	writes := []string{
		"CREATE TABLE li WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '" + filepath.Join(out, "li") + "', partitioned_by = ARRAY['l_returnflag']) AS " +
			"SELECT l_orderkey, l_quantity, l_extendedprice, l_discount, l_shipdate, l_comment, l_returnflag FROM lineitem",
		"CREATE TABLE ord WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = '" + filepath.Join(out, "ord") + "') AS " +
			"SELECT o_orderkey, o_custkey, o_totalprice, o_orderdate, o_orderpriority FROM orders",
	}
	for _, s := range writes {
		if _, err := q.run(ctx, s, false); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	d, err := openDuck(ctx, 2, []string{
		"CREATE VIEW li AS SELECT * FROM read_parquet('" + filepath.Join(out, "li") + "/*/*.parquet', hive_partitioning = true)",
		"CREATE VIEW ord AS SELECT * FROM read_parquet('" + filepath.Join(out, "ord") + "/*.parquet')",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	queries := []string{
		"SELECT l_returnflag, count(*), sum(l_quantity), sum(l_extendedprice * (1 - l_discount)), min(l_shipdate), max(l_comment) FROM li GROUP BY l_returnflag ORDER BY l_returnflag",
		"SELECT o_orderpriority, count(*), sum(o_totalprice), max(o_orderdate) FROM ord GROUP BY o_orderpriority ORDER BY o_orderpriority",
		"SELECT count(*), sum(l_quantity) FROM li JOIN ord ON l_orderkey = o_orderkey WHERE o_orderdate < DATE '1995-01-01'",
	}
	for _, sql := range queries {
		qr, err := q.run(ctx, sql, true)
		if err != nil {
			t.Fatalf("quarry %s: %v", sql, err)
		}
		dr, err := d.run(ctx, sql, true)
		if err != nil {
			t.Fatalf("duckdb %s: %v", sql, err)
		}
		if len(qr.Rows) == 0 {
			t.Errorf("%s: no rows", sql)
		}
		if diff := compareAnswers(qr.Rows, dr.Rows, qr.Cols, dr.Cols); diff != "" {
			t.Errorf("%s: answers differ: %s", sql, diff)
		}
	}
}
