// Package stable keeps the set of Arrow arrays that outlive the query
// that read them and are handed, as the same objects, to later queries:
// the decoded-column cache's memory tier registers the column chunks it
// holds, and exec's result memo the results it keeps. An expression over
// stable arrays gives the same answer every time it is evaluated, so its
// result can be kept too (exec.ResultMemo).
//
// An array is known by its *arrow.Data. Arrow arrays are immutable, and a
// registered pointer is held here, so the object cannot be freed and its
// address reused while it is registered; whoever keeps results keyed by
// such a pointer holds it too.
package stable

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

var (
	mu    sync.RWMutex
	set   = map[arrow.ArrayData]int{} // registrations per data
	hooks []func(arrow.ArrayData)
)

// Add registers the arrays' data as stable. Registrations are counted:
// one array can be both a cached chunk and a kept result (an expression
// that returns its input).
func Add(arrs ...arrow.Array) {
	mu.Lock()
	defer mu.Unlock()
	for _, a := range arrs {
		set[a.Data()]++
	}
}

// Remove takes back one registration of each array's data (its holder is
// letting it go); data with none left is unregistered and the OnRemove
// hooks are told, so that results kept for it can go too.
func Remove(arrs ...arrow.Array) {
	mu.Lock()
	var gone []arrow.ArrayData
	for _, a := range arrs {
		d := a.Data()
		switch n := set[d]; n {
		case 0:
		case 1:
			delete(set, d)
			gone = append(gone, d)
		default:
			set[d] = n - 1
		}
	}
	hs := hooks
	mu.Unlock()
	for _, h := range hs {
		for _, d := range gone {
			h(d)
		}
	}
}

// Is reports whether a's data is registered.
func Is(a arrow.Array) bool {
	mu.RLock()
	_, ok := set[a.Data()]
	mu.RUnlock()
	return ok
}

// Len is the number of registered arrays.
func Len() int {
	mu.RLock()
	defer mu.RUnlock()
	return len(set)
}

// OnRemove adds a hook called, outside the package's lock, with each data
// Remove unregisters.
func OnRemove(h func(arrow.ArrayData)) {
	mu.Lock()
	hooks = append(hooks, h)
	mu.Unlock()
}
