package parquet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/quarry-sql/quarry/source"
	"github.com/quarry-sql/quarry/types"
)

type drug struct {
	Name  string  `parquet:"name"`
	Dose  *int32  `parquet:"dose,optional"`
	Route *string `parquet:"route,optional"`
}

type patient struct {
	Age   *int32 `parquet:"age,optional"`
	Drugs []drug `parquet:"drug,list"`
}

type row struct {
	ID      int64    `parquet:"id"`
	Name    *string  `parquet:"name,optional,dict"`
	Price   int64    `parquet:"price,decimal(2:15)"`
	Small   int32    `parquet:"small,decimal(1:9)"`
	Day     int32    `parquet:"day,date"`
	TS      int64    `parquet:"ts,timestamp(millisecond)"`
	TSNano  int64    `parquet:"tsn,timestamp(nanosecond)"`
	Flag    *bool    `parquet:"flag,optional"`
	F       float32  `parquet:"f"`
	D       *float64 `parquet:"d,optional"`
	Tags    []string `parquet:"tags,list"`
	Patient *patient `parquet:"patient,optional"`
	Int     int32    `parquet:"i32"`
}

func ptr[T any](v T) *T { return &v }

func sampleRows(n int) []row {
	rows := make([]row, n)
	for i := range rows {
		r := &rows[i]
		r.ID = int64(i)
		if i%3 != 0 {
			r.Name = ptr(fmt.Sprintf("n%d", i%5))
		}
		r.Price = int64(i*100 + 5)
		r.Small = int32(i)
		r.Day = int32(19000 + i)
		r.TS = int64(i) * 1000
		r.TSNano = int64(i)*1000 - 1
		if i%2 == 0 {
			r.Flag = ptr(i%4 == 0)
		}
		r.F = float32(i) / 2
		if i%5 != 0 {
			r.D = ptr(float64(i) * 1.5)
		}
		for j := range i % 3 {
			r.Tags = append(r.Tags, fmt.Sprintf("t%d.%d", i, j))
		}
		if i%4 != 3 {
			p := &patient{}
			if i%2 == 0 {
				p.Age = ptr(int32(i))
			}
			for j := range i % 3 {
				d := drug{Name: fmt.Sprintf("d%d", j)}
				if j == 0 {
					d.Dose = ptr(int32(i * 10))
				}
				p.Drugs = append(p.Drugs, d)
			}
			r.Patient = p
		}
		r.Int = int32(-i)
	}
	return rows
}

func writeFile[T any](t testing.TB, path string, rows []T, opts ...parquet.WriterOption) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

var drugType = types.RowOf(
	types.Field{Name: "name", Type: types.VarcharType},
	types.Field{Name: "dose", Type: types.BigIntType},
	types.Field{Name: "missing", Type: types.VarcharType},
)

var declared = []types.Column{
	{Name: "ID", Type: types.BigIntType},
	{Name: "name", Type: types.VarcharType},
	{Name: "price", Type: types.DecimalOf(15, 2)},
	{Name: "small", Type: types.DecimalOf(10, 3)},
	{Name: "day", Type: types.DateType},
	{Name: "ts", Type: types.TimestampType},
	{Name: "tsn", Type: types.TimestampType},
	{Name: "flag", Type: types.BooleanType},
	{Name: "f", Type: types.DoubleType},
	{Name: "d", Type: types.DoubleType},
	{Name: "tags", Type: types.ArrayOf(types.VarcharType)},
	{Name: "patient", Type: types.RowOf(
		types.Field{Name: "AGE", Type: types.IntegerType},
		types.Field{Name: "drug", Type: types.ArrayOf(drugType)},
	)},
	{Name: "i32", Type: types.BigIntType},
	{Name: "absent", Type: types.VarcharType},
	{Name: "big", Type: types.DecimalOf(30, 2)},
}

// expected renders row i as the reader should: one string per column.
func expected(r row) []string {
	s := func(v any) string { return fmt.Sprint(v) }
	name := "NULL"
	if r.Name != nil {
		name = *r.Name
	}
	flag := "NULL"
	if r.Flag != nil {
		flag = s(*r.Flag)
	}
	d := "NULL"
	if r.D != nil {
		d = s(*r.D)
	}
	tags := "[]"
	if len(r.Tags) > 0 {
		tags = "[" + strings.Join(r.Tags, " ") + "]"
	}
	pat := "NULL"
	if r.Patient != nil {
		age := "NULL"
		if r.Patient.Age != nil {
			age = s(*r.Patient.Age)
		}
		var ds []string
		for _, dr := range r.Patient.Drugs {
			dose := "NULL"
			if dr.Dose != nil {
				dose = s(*dr.Dose)
			}
			ds = append(ds, fmt.Sprintf("{%s %s NULL}", dr.Name, dose))
		}
		pat = fmt.Sprintf("{%s [%s]}", age, strings.Join(ds, " "))
	}
	tsn := r.TSNano / 1000
	if r.TSNano%1000 < 0 {
		tsn--
	}
	return []string{
		s(r.ID), name, fmt.Sprintf("%d.%02d", r.Price/100, r.Price%100), fmt.Sprintf("%d.%03d", r.Small/10, (r.Small%10)*100),
		s(r.Day), s(r.TS * 1000), s(tsn), flag, s(float64(r.F)), d, tags, pat, s(int64(r.Int)), "NULL", "NULL",
	}
}

// render prints a value the way expected does.
func render(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Decimal64:
		dt := a.DataType().(*arrow.Decimal64Type)
		return a.Value(i).ToString(dt.Scale)
	case *array.Date32:
		return fmt.Sprint(int32(a.Value(i)))
	case *array.Timestamp:
		return fmt.Sprint(int64(a.Value(i)))
	case *array.List:
		lo, hi := a.ValueOffsets(i)
		var parts []string
		for j := lo; j < hi; j++ {
			parts = append(parts, render(a.ListValues(), int(j)))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case *array.Struct:
		var parts []string
		for f := range a.NumField() {
			parts = append(parts, render(a.Field(f), i))
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return a.ValueStr(i)
}

func TestReadWrittenFile(t *testing.T) {
	rows := sampleRows(1000)
	dir := t.TempDir()
	cases := []struct {
		name  string
		opts  []parquet.WriterOption
		batch int
	}{
		{"default", nil, 0},
		{"small-row-groups-v1-zstd", []parquet.WriterOption{parquet.MaxRowsPerRowGroup(300), parquet.DataPageVersion(1), parquet.PageBufferSize(512), parquet.Compression(&zstd.Codec{})}, 7},
		{"small-pages", []parquet.WriterOption{parquet.PageBufferSize(256)}, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".parquet")
			writeFile(t, path, rows, tc.opts...)
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			var st source.Stats
			recs, err := readAll(t, path, declared, mem, &st, nil, tc.batch)
			defer releaseAll(recs)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, rec := range recs {
				if err := validate(rec); err != nil {
					t.Fatal(err)
				}
				for i := range int(rec.NumRows()) {
					want := expected(rows[got])
					for c := range int(rec.NumCols()) {
						if g := render(rec.Column(c), i); g != want[c] {
							t.Fatalf("row %d column %s: got %s, want %s", got, declared[c].Name, g, want[c])
						}
					}
					got++
				}
			}
			if got != len(rows) || st.Rows.Load() != int64(len(rows)) {
				t.Fatalf("read %d rows (stats %d), want %d", got, st.Rows.Load(), len(rows))
			}
			if fi, _ := os.Stat(path); st.BytesRead.Load() <= 0 || st.BytesRead.Load() > 2*fi.Size()+1<<20 {
				t.Fatalf("bytes read %d for a %d-byte file", st.BytesRead.Load(), fi.Size())
			}
			if st.FilesRead.Load() != 1 {
				t.Fatalf("files read %d", st.FilesRead.Load())
			}
		})
	}
}

func validate(rec arrow.Record) error {
	for i, c := range rec.Columns() {
		if v, ok := c.(interface{ ValidateFull() error }); ok {
			if err := v.ValidateFull(); err != nil {
				return fmt.Errorf("column %d: %w", i, err)
			}
		}
		if c.Len() != int(rec.NumRows()) {
			return fmt.Errorf("column %d has %d rows of %d", i, c.Len(), rec.NumRows())
		}
	}
	return nil
}

func TestIncompatibleType(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeFile(t, path, sampleRows(10))
	for _, tc := range []struct {
		col  types.Column
		want string
	}{
		{types.Column{Name: "ts", Type: types.VarcharType}, `column "ts" is INT64 (TIMESTAMP`},
		{types.Column{Name: "id", Type: types.IntegerType}, `declared integer`},
		{types.Column{Name: "price", Type: types.DecimalOf(15, 1)}, `declared decimal(15,1)`},
		{types.Column{Name: "tags", Type: types.VarcharType}, `column "tags" is a group`},
		{types.Column{Name: "name", Type: types.ArrayOf(types.VarcharType)}, `column "name"`},
	} {
		_, err := readAll(t, path, []types.Column{tc.col}, memory.NewGoAllocator(), nil, nil, 0)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: got error %v, want one naming the file and %q", tc.col.Name, err, tc.want)
		}
	}
}

func TestInferSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeFile(t, path, sampleRows(10))
	cols, err := InferSchema(context.Background(), fsStore{}, statOf(t, path))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cols {
		got = append(got, c.Name+" "+c.Type.String())
	}
	want := []string{
		"id bigint", "name varchar", "price decimal(15,2)", "small decimal(9,1)", "day date", "ts timestamp(3)",
		"tsn timestamp(6)", "flag boolean", "f real", "d double", "tags array(varchar)",
		"patient row(age integer, drug array(row(name varchar, dose integer, route varchar)))", "i32 integer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The inferred schema must read its own file.
	recs, err := readAll(t, path, cols, memory.NewGoAllocator(), nil, nil, 0)
	releaseAll(recs)
	if err != nil {
		t.Fatal(err)
	}
}
