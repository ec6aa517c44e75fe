package stable

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestRegistrationsCounted(t *testing.T) {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.AppendValues([]int64{1, 2, 3}, nil)
	a := b.NewArray()
	defer a.Release()
	other := array.NewSlice(a, 0, 2)
	defer other.Release()

	var removed []arrow.ArrayData
	OnRemove(func(d arrow.ArrayData) { removed = append(removed, d) })
	base := Len()
	if Is(a) {
		t.Fatal("unregistered array reported stable")
	}
	Add(a)
	Add(a)
	if !Is(a) || Is(other) {
		t.Fatalf("Is(a)=%v Is(slice)=%v, want true false", Is(a), Is(other))
	}
	Remove(a)
	if !Is(a) || len(removed) != 0 {
		t.Fatalf("after one of two removals: Is=%v hooks=%d, want true 0", Is(a), len(removed))
	}
	Remove(a)
	if Is(a) || len(removed) != 1 || removed[0] != a.Data() {
		t.Fatalf("after both removals: Is=%v hooks=%v", Is(a), removed)
	}
	Remove(a) // not registered: nothing happens
	if len(removed) != 1 || Len() != base {
		t.Fatalf("removing an unregistered array: hooks=%d len=%d (base %d)", len(removed), Len(), base)
	}
}
