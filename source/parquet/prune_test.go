package parquet

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/quarry-sql/quarry/source"
)

func TestRowGroupPruning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parquet")
	writeFile(t, path, sampleRows(1000), parquet.MaxRowsPerRowGroup(100))
	// Columns (see declared): 0 id, 1 name, 2 price decimal(15,2), 4 day, 5 ts, 8 f, 13 absent.
	cases := []struct {
		name    string
		pred    source.Predicate
		skipped int64
	}{
		{"id > 850", source.Predicate{Column: 0, Op: ">", Value: int64(850)}, 8},
		{"id >= 900", source.Predicate{Column: 0, Op: ">=", Value: int64(900)}, 9},
		{"id < 100", source.Predicate{Column: 0, Op: "<", Value: int64(100)}, 9},
		{"id <= 100", source.Predicate{Column: 0, Op: "<=", Value: int64(100)}, 8},
		{"id = 555", source.Predicate{Column: 0, Op: "=", Value: int64(555)}, 9},
		{"id <> 555", source.Predicate{Column: 0, Op: "<>", Value: int64(555)}, 0},
		{"id = -1", source.Predicate{Column: 0, Op: "=", Value: int64(-1)}, 10},
		{"name = zzz", source.Predicate{Column: 1, Op: "=", Value: "zzz"}, 10},
		{"name = n1", source.Predicate{Column: 1, Op: "=", Value: "n1"}, 0},
		{"price >= 99005 (990.05)", source.Predicate{Column: 2, Op: ">=", Value: int64(99005)}, 9},
		{"day < 19100", source.Predicate{Column: 4, Op: "<", Value: int64(19100)}, 9},
		{"ts > 998000000", source.Predicate{Column: 5, Op: ">", Value: int64(998_000_000)}, 9},
		{"f > 499.0 (max 499.5)", source.Predicate{Column: 8, Op: ">", Value: 499.0}, 9},
		{"absent = x", source.Predicate{Column: 13, Op: "=", Value: "x"}, 10},
		{"type mismatch keeps all", source.Predicate{Column: 0, Op: "=", Value: "x"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			var st source.Stats
			recs, err := readAll(t, path, declared, mem, &st, []source.Predicate{tc.pred}, 0)
			releaseAll(recs)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.RowGroupsSkipped.Load(); got != tc.skipped {
				t.Fatalf("skipped %d row groups, want %d", got, tc.skipped)
			}
			if got, want := st.Rows.Load(), 100*(10-tc.skipped); got != want {
				t.Fatalf("read %d rows, want %d", got, want)
			}
		})
	}
}

func TestSplitsCoverEveryRowGroupOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.parquet")
	writeFile(t, path, sampleRows(1000), parquet.MaxRowsPerRowGroup(37))
	info := statOf(t, path)
	for _, target := range []int64{0, 700, 2000, info.Size / 3, info.Size} {
		splits := Format{}.Split(nil, info, target)
		total := int64(0)
		for _, sp := range splits {
			var st source.Stats
			recs, err := readSplit(t, path, sp, &st)
			releaseAll(recs)
			if err != nil {
				t.Fatal(err)
			}
			total += st.Rows.Load()
		}
		if total != 1000 {
			t.Fatalf("target %d: %d splits read %d rows, want 1000", target, len(splits), total)
		}
	}
}
