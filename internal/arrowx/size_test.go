package arrowx

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestDataBytes(t *testing.T) {
	mem := memory.DefaultAllocator
	sb := array.NewStringBuilder(mem)
	sb.AppendValues([]string{"ab", "cde"}, []bool{true, false})
	s := sb.NewArray()
	defer s.Release()
	// validity (1 byte, padded length as the builder sets it), offsets, values
	var want int64
	for _, b := range s.Data().Buffers() {
		if b != nil {
			want += int64(b.Len())
		}
	}
	if got := DataBytes(s.Data()); got != want || got == 0 {
		t.Fatalf("string: %d, want %d", got, want)
	}
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int64)
	lb.Append(true)
	lb.ValueBuilder().(*array.Int64Builder).AppendValues([]int64{1, 2, 3}, nil)
	l := lb.NewArray()
	defer l.Release()
	child := DataBytes(l.Data().Children()[0])
	if got := DataBytes(l.Data()); child < 24 || got <= child {
		t.Fatalf("list: %d with child %d", got, child)
	}
	db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String})
	db.(*array.BinaryDictionaryBuilder).AppendString("x")
	db.(*array.BinaryDictionaryBuilder).AppendString("yy")
	d := db.NewArray()
	defer d.Release()
	if got, dict := DataBytes(d.Data()), DataBytes(d.Data().Dictionary()); dict == 0 || got <= dict {
		t.Fatalf("dictionary: %d with dictionary %d", got, dict)
	}
}
