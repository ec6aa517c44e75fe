package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trinodb/trino-go-client/trino"
)

// trinoError digs the server's error document out of a client error.
func trinoError(t *testing.T, err error) *trino.ErrTrino {
	t.Helper()
	var te *trino.ErrTrino
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) carries no trino.ErrTrino", err, err)
	}
	return te
}

func TestTrinoGoClient(t *testing.T) {
	ts := newTestServer(t, nil)
	db := ts.db(t, "")
	ctx := context.Background()

	// DDL through the client.
	for _, stmt := range []string{
		"CREATE SCHEMA go_ddl",
		fmt.Sprintf("CREATE EXTERNAL TABLE go_ddl.people (id int, name string, amount decimal(10,2)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '%s/people' TBLPROPERTIES ('skip.header.line.count'='1')", ts.data),
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM go_ddl.people").Scan(&n); err != nil || n != peopleRows {
		t.Fatalf("count = %d, %v", n, err)
	}

	t.Run("rows", func(t *testing.T) {
		rows, err := db.Query("SELECT id, name, amount FROM sales.people WHERE id <= 3 ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var id int64
			var name string
			var amount sql.NullString
			if err := rows.Scan(&id, &name, &amount); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%d %s %v", id, name, amount))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		want := "1 name1 {3.01 true}|2 name2 {6.02 true}|3 name3 { false}"
		if strings.Join(got, "|") != want {
			t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
		}
	})

	t.Run("types", func(t *testing.T) {
		// No ORDER BY: the engine cannot sort rows holding maps yet
		// (exec.Take: "cannot append map values"); the file is in id order.
		rows, err := db.Query("SELECT price, d, ts, tags, attrs, pt FROM sales.items")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cts, _ := rows.ColumnTypes()
		var names []string
		for _, ct := range cts {
			names = append(names, ct.DatabaseTypeName())
		}
		if p, s, ok := cts[0].DecimalSize(); !ok || p != 15 || s != 2 {
			t.Errorf("decimal size = %d,%d,%v", p, s, ok)
		}
		t.Logf("column types: %v", names)
		i := 0
		for rows.Next() {
			var price string
			var d, tstamp time.Time
			var tags, attrs any
			var pt trino.Row
			if err := rows.Scan(&price, &d, &tstamp, &tags, &attrs, &pt); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if price != "12.50" || d.Format("2006-01-02") != "2024-01-02" ||
					tstamp.Format("2006-01-02 15:04:05.000") != "2024-01-02 03:04:05.123" {
					t.Errorf("scalars: %q %v %v", price, d, tstamp)
				}
				if fmt.Sprint(tags) != "[a b]" {
					t.Errorf("array = %#v", tags)
				}
				if fmt.Sprint(attrs) != "map[k:1 z:2]" {
					t.Errorf("map = %#v", attrs)
				}
				x, _ := pt.Field("x")
				y, _ := pt.Field("y")
				if pt.Len() != 2 || fmt.Sprint(x) != "1" || y != "u" {
					t.Errorf("row = %v %v %v", pt.Len(), x, y)
				}
			} else {
				y, _ := pt.Field("y")
				if price != "-0.05" || fmt.Sprint(tags) != "[]" || y != nil {
					t.Errorf("row 2: %q %v %v", price, tags, y)
				}
			}
			i++
		}
		if err := rows.Err(); err != nil || i != 2 {
			t.Fatalf("%d rows, %v", i, err)
		}
	})

	t.Run("arguments", func(t *testing.T) {
		// trino-go-client sends EXECUTE IMMEDIATE '...' USING 2.
		var name string
		if err := db.QueryRow("SELECT name FROM sales.people WHERE id = ? AND name <> ?", 2, "x'y").Scan(&name); err != nil || name != "name2" {
			t.Fatalf("name = %q, %v", name, err)
		}
	})

	t.Run("session", func(t *testing.T) {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "USE sales"); err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil || n != 2 {
			t.Fatalf("after USE: %d, %v", n, err)
		}
		if _, err := conn.ExecContext(ctx, "SET SESSION parse_decimal_literals_as_double = true"); err != nil {
			t.Fatal(err)
		}
		var typ string
		if err := conn.QueryRowContext(ctx, "SELECT typeof(1.5)").Scan(&typ); err != nil || typ != "double" {
			t.Fatalf("after SET SESSION: typeof(1.5) = %q, %v", typ, err)
		}
	})

	t.Run("discovery", func(t *testing.T) {
		for _, c := range []struct{ sql, want string }{
			{"SHOW CATALOGS", "quarry"},
			{"SHOW SCHEMAS", "default|go_ddl|information_schema|sales"},
			{"SHOW SCHEMAS FROM quarry", "default|go_ddl|information_schema|sales"},
			{"SHOW TABLES FROM sales", "items|people"},
			{"SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1", "items|people"},
			{"SELECT column_name || ':' || data_type FROM quarry.information_schema.columns WHERE table_schema = 'sales' AND table_name = 'people' ORDER BY ordinal_position", "id:integer|name:varchar|amount:decimal(10,2)"},
			{"SELECT schema_name FROM information_schema.schemata ORDER BY 1", "default|go_ddl|information_schema|sales"},
			{"SELECT \"Column\" FROM (DESCRIBE sales.people)", ""},
		} {
			if c.want == "" {
				continue
			}
			rows, err := db.Query(c.sql)
			if err != nil {
				t.Errorf("%s: %v", c.sql, err)
				continue
			}
			var got []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			rows.Close()
			if strings.Join(got, "|") != c.want {
				t.Errorf("%s: got %q, want %q", c.sql, strings.Join(got, "|"), c.want)
			}
		}
		rows, err := db.Query("DESCRIBE sales.people")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		if strings.Join(cols, ",") != "Column,Type,Extra,Comment" {
			t.Errorf("DESCRIBE columns %v", cols)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			sql, name, typ string
			line, col      int
		}{
			{"SELECT *\nFROM", "SYNTAX_ERROR", "USER_ERROR", 2, 5},
			{"SELECT nosuch FROM sales.people", "COLUMN_NOT_FOUND", "USER_ERROR", 1, 8},
			{"SELECT * FROM sales.nosuch", "TABLE_NOT_FOUND", "USER_ERROR", 0, 0},
			{"SELECT * FROM nosuch.t", "SCHEMA_NOT_FOUND", "USER_ERROR", 0, 0},
			{"SELECT nosuch_fn(1)", "FUNCTION_NOT_FOUND", "USER_ERROR", 1, 8},
			{"CREATE SCHEMA sales", "SCHEMA_ALREADY_EXISTS", "USER_ERROR", 0, 0},
		} {
			_, err := db.Exec(c.sql)
			if err == nil {
				t.Errorf("%q: no error", c.sql)
				continue
			}
			te := trinoError(t, err)
			if te.ErrorName != c.name || te.ErrorType != c.typ {
				t.Errorf("%q: %s/%s %q, want %s/%s", c.sql, te.ErrorName, te.ErrorType, te.Message, c.name, c.typ)
			}
			if c.line > 0 && (te.ErrorLocation.LineNumber != c.line || te.ErrorLocation.ColumnNumber != c.col) {
				t.Errorf("%q: location %d:%d, want %d:%d", c.sql, te.ErrorLocation.LineNumber, te.ErrorLocation.ColumnNumber, c.line, c.col)
			}
		}
	})
}

// TestTrinoGoClientLargeResult streams 1.21 million rows through pages;
// the client and the server each hold a page or two at a time.
func TestTrinoGoClientLargeResult(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.PageBytes = 256 << 10 })
	db := ts.db(t, "")
	start := time.Now()
	rows, err := db.Query("SELECT a.id, b.name FROM sales.people a CROSS JOIN sales.people b")
	if err != nil {
		t.Fatal(err)
	}
	var n, sum int64
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		n++
		sum += id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if want := int64(peopleRows * peopleRows); n != want || sum != int64(peopleRows)*int64(peopleRows)*int64(peopleRows+1)/2 {
		t.Fatalf("%d rows (sum %d), want %d", n, sum, want)
	}
	t.Logf("%d rows in %v", n, time.Since(start))
	ts.mu.Lock()
	var last *query
	for _, q := range ts.queries {
		if last == nil || q.created.After(last.created) {
			last = q
		}
	}
	ts.mu.Unlock()
	if st, _ := ts.queryState(t, last.id); st != stateFinished {
		t.Errorf("state %s", st)
	}
	if last.token < 10 {
		t.Errorf("only %d pages: the result was not paged", last.token)
	}
}

// TestTrinoGoClientCancel cancels a long query through the context; the
// client's DELETE must stop it on the server.
func TestTrinoGoClientCancel(t *testing.T) {
	ts := newTestServer(t, nil)
	db := ts.db(t, "")
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	rows, err := db.QueryContext(ctx, "SELECT count(*) FROM sales.people a CROSS JOIN sales.people b CROSS JOIN sales.people c")
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err == nil {
		t.Fatal("the query finished before it was cancelled")
	}
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) && !errors.Is(err, trino.ErrQueryCancelled) {
		t.Logf("client error: %v", err)
	}
	var id string
	waitFor(t, 10*time.Second, "the query to be cancelled", func() bool {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		for _, q := range ts.queries {
			if strings.Contains(q.sql, "CROSS JOIN sales.people c") && q.isDone() {
				select {
				case <-q.done:
					id = q.id
					return true
				default:
				}
			}
		}
		return false
	})
	st, name := ts.queryState(t, id)
	if st != stateFailed || name != "USER_CANCELED" {
		t.Errorf("state %s %s, want FAILED USER_CANCELED", st, name)
	}
	t.Logf("cancelled and released in %v", time.Since(start))
	if ts.metrics.running.Load() != 0 {
		t.Errorf("%d queries still running", ts.metrics.running.Load())
	}
	_ = http.StatusOK
}
