package exec

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/quarry-sql/quarry/types"
)

// Gather runs n instances of a sub-plan concurrently and merges their
// batches in arrival order. It is the boundary of parallelism: everything
// below it runs once per worker.
type Gather struct {
	n       int
	factory Factory
	cols    []types.Column

	ch     chan arrow.Record
	errc   chan error
	cancel context.CancelFunc
	wg     sync.WaitGroup
	rel    releaser
	opened bool
	done   bool
	err    error
}

var _ Operator = (*Gather)(nil)

// NewGather returns a Gather over n instances of factory's sub-plan.
func NewGather(n int, cols []types.Column, factory Factory) *Gather {
	if n < 1 {
		n = 1
	}
	return &Gather{n: n, factory: factory, cols: cols}
}

func (g *Gather) Columns() []types.Column { return g.cols }

func (g *Gather) Open(ctx *Context) error {
	ops := make([]Operator, g.n)
	for i := range ops {
		op, err := g.factory(i)
		if err != nil {
			for _, o := range ops[:i] {
				o.Close()
			}
			return err
		}
		ops[i] = op
	}
	wctx, cancel := context.WithCancel(ctx.Ctx)
	g.cancel = cancel
	g.ch = make(chan arrow.Record, g.n*2)
	g.errc = make(chan error, g.n)
	g.opened = true
	sub := ctx.WithContext(wctx)
	for _, op := range ops {
		g.wg.Add(1)
		go g.run(sub, op)
	}
	go func() {
		g.wg.Wait()
		close(g.ch)
	}()
	return nil
}

func (g *Gather) run(ctx *Context, op Operator) {
	defer g.wg.Done()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				if re, ok := r.(*ResourceError); ok {
					err = re
					return
				}
				err = fmt.Errorf("internal error: %v\n%s", r, debug.Stack())
			}
		}()
		defer op.Close()
		if err := op.Open(ctx); err != nil {
			return err
		}
		for {
			b, err := op.Next(ctx)
			if err != nil {
				return err
			}
			if b == nil {
				return nil
			}
			b.Retain()
			select {
			case g.ch <- b:
			case <-ctx.Ctx.Done():
				b.Release()
				return nil
			}
		}
	}()
	if err != nil {
		g.errc <- err
		g.cancel()
	}
}

func (g *Gather) Next(ctx *Context) (arrow.Record, error) {
	g.rel.drop()
	if g.done {
		return nil, g.err
	}
	select {
	case err := <-g.errc:
		return nil, g.fail(err)
	default:
	}
	select {
	case b, ok := <-g.ch:
		if !ok {
			select {
			case err := <-g.errc:
				return nil, g.fail(err)
			default:
			}
			if err := ctx.Ctx.Err(); err != nil {
				return nil, g.fail(err)
			}
			g.done = true
			return nil, nil
		}
		return g.rel.hold(b), nil
	case err := <-g.errc:
		return nil, g.fail(err)
	case <-ctx.Ctx.Done():
		return nil, g.fail(ctx.Ctx.Err())
	}
}

func (g *Gather) fail(err error) error {
	g.done = true
	g.err = err
	return err
}

func (g *Gather) Close() error {
	g.rel.drop()
	if !g.opened {
		return nil
	}
	g.opened = false
	g.cancel()
	for b := range g.ch {
		b.Release()
	}
	return nil
}
