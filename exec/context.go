package exec

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/source"
)

// Context is shared by all operators of one query. It is safe for
// concurrent use.
type Context struct {
	Ctx     context.Context
	Alloc   *AccountedAllocator
	Fn      *function.Context
	Threads int
	Scan    *source.Stats
	// Spill says where and when sorts and aggregates spill to disk; by
	// default at SpillFraction of the memory limit, into os.TempDir().
	Spill SpillConfig

	spilled *SpillTotals

	warn *warnings
}

type warnings struct {
	mu   sync.Mutex
	list []string
	seen map[string]bool
}

// WithContext returns a copy of c bound to another context (a worker's
// cancellable one); it shares everything else with c.
func (c *Context) WithContext(ctx context.Context) *Context {
	cp := *c
	cp.Ctx = ctx
	return &cp
}

// NewContext prepares a query context with a memory limit in bytes (0 = none).
func NewContext(ctx context.Context, fn *function.Context, threads int, memLimit int64) *Context {
	return NewContextWithAllocator(ctx, fn, threads, memory.NewGoAllocator(), memLimit)
}

// NewContextWithAllocator is NewContext over a given allocator (tests pass a
// memory.CheckedAllocator to prove operators release every buffer).
func NewContextWithAllocator(ctx context.Context, fn *function.Context, threads int, mem memory.Allocator, memLimit int64) *Context {
	if threads < 1 {
		threads = 1
	}
	alloc := NewAccountedAllocator(mem, memLimit)
	c := &Context{Ctx: ctx, Alloc: alloc, Fn: fn, Threads: threads, Scan: &source.Stats{}, Spill: DefaultSpillConfig(memLimit),
		spilled: &SpillTotals{},
		warn:    &warnings{seen: map[string]bool{}}}
	if c.Fn != nil {
		c.Fn.Alloc = alloc
		if c.Fn.Warn == nil {
			c.Fn.Warn = c.Warn
		}
	}
	return c
}

// Warn records a warning once.
func (c *Context) Warn(msg string) {
	c.warn.mu.Lock()
	defer c.warn.mu.Unlock()
	if !c.warn.seen[msg] {
		c.warn.seen[msg] = true
		c.warn.list = append(c.warn.list, msg)
	}
}

// Warnings returns the warnings recorded so far.
func (c *Context) Warnings() []string {
	c.warn.mu.Lock()
	defer c.warn.mu.Unlock()
	return append([]string(nil), c.warn.list...)
}

// ResourceError reports that a query exceeded a resource limit.
type ResourceError struct{ Msg string }

func (e *ResourceError) Error() string { return e.Msg }

// AccountedAllocator counts the bytes a query holds and enforces its limit.
// Exceeding the limit panics with a *ResourceError inside the allocation
// (arrow's Allocator interface has no error return); operators recover it
// at their boundary via CatchResource and the query fails cleanly.
type AccountedAllocator struct {
	mem   memory.Allocator
	limit int64
	cur   atomic.Int64
	peak  atomic.Int64
}

// NewAccountedAllocator wraps mem with accounting; limit 0 means no limit.
func NewAccountedAllocator(mem memory.Allocator, limit int64) *AccountedAllocator {
	return &AccountedAllocator{mem: mem, limit: limit}
}

func (a *AccountedAllocator) add(n int64) {
	v := a.cur.Add(n)
	if a.limit > 0 && n > 0 && v > a.limit {
		a.cur.Add(-n)
		panic(&ResourceError{Msg: fmt.Sprintf("Query exceeded memory limit of %s (allocating %s with %s in use)", FormatBytes(a.limit), FormatBytes(n), FormatBytes(v-n))})
	}
	for {
		p := a.peak.Load()
		if v <= p || a.peak.CompareAndSwap(p, v) {
			break
		}
	}
}

// Reserve accounts n bytes of memory held outside arrow buffers (hash
// tables, sort indexes); a negative n returns them.
func (a *AccountedAllocator) Reserve(n int64) { a.add(n) }

// Transfer moves n bytes onto the account (off it when negative) without
// a limit check: buffers a fill of the decoded-column cache keeps beyond
// the query (source.AccountTransfer).
func (a *AccountedAllocator) Transfer(n int64) { a.cur.Add(n) }

// CanTransfer reports whether buffers may leave the account: only without
// a memory limit, as sorts, joins and aggregations decide when to spill
// from the account (source.AccountTransfer).
func (a *AccountedAllocator) CanTransfer() bool { return a.limit == 0 }

func (a *AccountedAllocator) Allocate(size int) []byte {
	a.add(int64(size))
	return a.mem.Allocate(size)
}

func (a *AccountedAllocator) Reallocate(size int, b []byte) []byte {
	a.add(int64(size - len(b)))
	return a.mem.Reallocate(size, b)
}

func (a *AccountedAllocator) Free(b []byte) {
	a.cur.Add(-int64(len(b)))
	a.mem.Free(b)
}

// Current returns the bytes currently held.
func (a *AccountedAllocator) Current() int64 { return a.cur.Load() }

// Peak returns the most bytes held at once.
func (a *AccountedAllocator) Peak() int64 { return a.peak.Load() }

// CatchResource turns a *ResourceError panic into an error; other panics
// continue. Use as: defer CatchResource(&err).
func CatchResource(err *error) {
	if r := recover(); r != nil {
		if re, ok := r.(*ResourceError); ok {
			*err = re
			return
		}
		panic(r)
	}
}

// FormatBytes renders a byte count for humans (1.5GB).
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f%cB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Spilled reports the spill files the query's sorts and aggregates have
// finished writing so far, and their bytes on disk.
func (c *Context) Spilled() (files, bytes int64) {
	if c.spilled == nil {
		return 0, 0
	}
	return c.spilled.Files.Load(), c.spilled.Bytes.Load()
}
