package output

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// TestValueTimestampZone checks that a timestamp with time zone renders in
// its type's zone, or in the session zone when the type names none.
func TestValueTimestampZone(t *testing.T) {
	instant := time.Date(2020, 5, 17, 8, 20, 30, 123_000_000, time.UTC).UnixMicro()
	b := array.NewTimestampBuilder(memory.DefaultAllocator, types.TimestampTZType.Arrow().(*arrow.TimestampType))
	defer b.Release()
	b.Append(arrow.Timestamp(instant))
	a := b.NewArray()
	defer a.Release()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		typ     types.Type
		session *time.Location
		want    string
	}{
		{types.TimestampTZOf(3, ""), nil, "2020-05-17 08:20:30.123 UTC"},
		{types.TimestampTZOf(3, ""), paris, "2020-05-17 10:20:30.123 Europe/Paris"},
		{types.TimestampTZOf(3, "Asia/Tokyo"), paris, "2020-05-17 17:20:30.123 Asia/Tokyo"},
		{types.TimestampTZOf(0, "+05:30"), nil, "2020-05-17 13:50:30 +05:30"},
		{types.TimestampTZOf(6, "America/New_York"), nil, "2020-05-17 04:20:30.123000 America/New_York"},
		{types.TimestampTZOf(3, "UTC"), paris, "2020-05-17 08:20:30.123 UTC"},
	} {
		got, ok := Value(a, 0, c.typ, c.session)
		if !ok || got != c.want {
			t.Errorf("Value(%v in %q, session %v) = %q, want %q", c.typ, c.typ.Zone, c.session, got, c.want)
		}
	}
}
