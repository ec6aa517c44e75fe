package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// duckEngine is one in-memory DuckDB instance on one connection, with a
// workload's views declared. Each query gets a fresh instance, so the
// instance-wide SYSTEM_PEAK_BUFFER_MEMORY of its first run is that
// query's peak.
type duckEngine struct {
	db   *sql.DB
	conn *sql.Conn
}

func openDuck(ctx context.Context, threads int, setup []string) (*duckEngine, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	d := &duckEngine{db: db, conn: conn}
	stmts := append([]string{
		fmt.Sprintf("SET threads = %d", threads),
		"SET TimeZone = 'UTC'",
		fmt.Sprintf("SET VARIABLE now = TIMESTAMPTZ '%s'", curNow.Format("2006-01-02 15:04:05+00")),
	}, setup...)
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			d.Close()
			return nil, fmt.Errorf("duckdb setup %q: %w", firstLine(s), err)
		}
	}
	return d, nil
}

func (d *duckEngine) Close() {
	d.conn.Close()
	d.db.Close()
}

// duckExecScript runs statements on a throwaway instance (data
// preparation).
func duckExecScript(ctx context.Context, threads int, stmts []string) error {
	d, err := openDuck(ctx, threads, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	for _, s := range stmts {
		if _, err := d.conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("duckdb %q: %w", firstLine(s), err)
		}
	}
	return nil
}

func (d *duckEngine) version(ctx context.Context) string {
	var v string
	if err := d.conn.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil {
		return "?"
	}
	return v
}

// enableMemoryProfile turns on DuckDB's SYSTEM_PEAK_BUFFER_MEMORY metric:
// the high-water of memory held by its buffer manager (hash tables,
// sort runs, column data, reader buffers), which is where nearly all of
// a query's memory goes.
func (d *duckEngine) enableMemoryProfile(ctx context.Context) error {
	for _, s := range []string{
		"PRAGMA enable_profiling = 'no_output'",
		`SET custom_profiling_settings = '{"SYSTEM_PEAK_BUFFER_MEMORY": "true"}'`,
	} {
		if _, err := d.conn.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (d *duckEngine) disableProfile(ctx context.Context) error {
	_, err := d.conn.ExecContext(ctx, "PRAGMA disable_profiling")
	return err
}

func (d *duckEngine) peakMemory() (int64, error) {
	info, err := duckdb.GetProfilingInfo(d.conn)
	if err != nil {
		return 0, err
	}
	v, ok := info.Metrics["SYSTEM_PEAK_BUFFER_MEMORY"]
	if !ok {
		return 0, errors.New("SYSTEM_PEAK_BUFFER_MEMORY not reported")
	}
	return strconv.ParseInt(v, 10, 64)
}

type duckRun struct {
	Elapsed time.Duration
	Cols    []string
	Rows    [][]string
}

// run executes q and fetches every row; with collect it renders values
// in Trino's text forms.
func (d *duckEngine) run(ctx context.Context, q string, collect bool) (duckRun, error) {
	var out duckRun
	start := time.Now()
	rows, err := d.conn.QueryContext(ctx, q)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return out, err
	}
	out.Cols = cols
	var kinds []string
	if collect {
		cts, err := rows.ColumnTypes()
		if err != nil {
			return out, err
		}
		for _, ct := range cts {
			kinds = append(kinds, ct.DatabaseTypeName())
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if !collect {
			continue
		}
		if err := rows.Scan(ptrs...); err != nil {
			return out, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = duckText(v, kinds[i])
		}
		out.Rows = append(out.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if err := rows.Close(); err != nil {
		return out, err
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// duckText renders a DuckDB value the way Quarry renders the Trino
// equivalent, as far as the comparison needs it.
func duckText(v any, kind string) string {
	switch x := v.(type) {
	case nil:
		return nullText
	case string:
		return x
	case []byte:
		return fmt.Sprintf("%x", x)
	case bool:
		return strconv.FormatBool(x)
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		return fmt.Sprint(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case *big.Int:
		return x.String()
	case duckdb.Decimal:
		return formatDecimal(x.Value, int(x.Scale))
	case time.Time:
		switch {
		case kind == "DATE":
			return x.UTC().Format("2006-01-02")
		case strings.HasPrefix(kind, "TIMESTAMP"):
			return x.UTC().Format("2006-01-02 15:04:05.000")
		default:
			return x.UTC().Format("15:04:05.000")
		}
	default:
		return fmt.Sprint(x)
	}
}

func formatDecimal(v *big.Int, scale int) string {
	if scale == 0 {
		return v.String()
	}
	neg := v.Sign() < 0
	s := new(big.Int).Abs(v).String()
	for len(s) <= scale {
		s = "0" + s
	}
	s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if len(s) > 100 {
		s = s[:100] + " ..."
	}
	return s
}
