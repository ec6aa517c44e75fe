// Package arrowx holds small Arrow helpers shared by packages that may not
// import one another (exec and source/cache).
package arrowx

import "github.com/apache/arrow-go/v18/arrow"

// DataBytes is the bytes of d's buffers (their length, not capacity), its
// children's and its dictionary's.
func DataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, ch := range d.Children() {
		n += DataBytes(ch)
	}
	if d.DataType().ID() == arrow.DICTIONARY {
		n += DataBytes(d.Dictionary())
	}
	return n
}
