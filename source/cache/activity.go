package cache

import (
	"sync"
	"time"
)

// activity counts the raw reads in progress through the cache (misses,
// with or without a fill), so that fills can wait for them to end: on a
// machine whose cores the scan keeps busy, encoding and writing segments
// meanwhile makes that first query slower. A fill runs once the process
// has no raw read left, or after Options.FillDefer at the latest (a server
// that never stops scanning still gets its fills).
type activity struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
	kick chan struct{} // closed by hurry: who waits now goes
	stop chan struct{} // closed by Close: nobody waits any more
}

func newActivity() *activity {
	a := &activity{idle: make(chan struct{}), kick: make(chan struct{}), stop: make(chan struct{})}
	close(a.idle)
	return a
}

func (a *activity) begin() {
	a.mu.Lock()
	if a.n == 0 {
		a.idle = make(chan struct{})
	}
	a.n++
	a.mu.Unlock()
}

func (a *activity) end() {
	a.mu.Lock()
	if a.n--; a.n == 0 {
		close(a.idle)
	}
	a.mu.Unlock()
}

// waitIdle returns once no raw read is in progress, after d, once hurry
// is called, or once the cache closes; at once if urgent (nil: never)
// says so. (The kick is taken before urgent is asked: an urgent flag set
// after the question comes with a hurry that closes that kick.)
func (a *activity) waitIdle(d time.Duration, urgent func() bool) {
	a.mu.Lock()
	idle, kick := a.idle, a.kick
	a.mu.Unlock()
	if urgent != nil && urgent() {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-idle:
	case <-kick:
	case <-t.C:
	case <-a.stop:
	}
}

// hurry releases those waiting now: a query needs their fills (another
// query's raw reads must not make it wait FillDefer).
func (a *activity) hurry() {
	a.mu.Lock()
	close(a.kick)
	a.kick = make(chan struct{})
	a.mu.Unlock()
}
