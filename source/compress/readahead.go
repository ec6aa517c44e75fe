package compress

import (
	"io"
	"sync"
)

// ReadAhead reads r on its own goroutine into a few blocks, so that a
// decompressor (or a network stream) works while the consumer parses the
// previous block. Using it costs one copy of the data.
type ReadAhead struct {
	full  chan *raBlock
	free  chan *raBlock
	done  chan struct{}
	wg    sync.WaitGroup
	cur   *raBlock
	err   error
	close sync.Once
}

type raBlock struct {
	buf []byte
	n   int
	off int
	err error
}

// NewReadAhead starts reading r ahead in blocks of blockSize bytes, at
// most blocks of them buffered. Close stops the goroutine and waits for
// it, so r may be closed afterwards without racing a Read.
func NewReadAhead(r io.Reader, blockSize, blocks int) *ReadAhead {
	blocks = max(blocks, 2)
	a := &ReadAhead{full: make(chan *raBlock, blocks), free: make(chan *raBlock, blocks), done: make(chan struct{})}
	for range blocks {
		a.free <- &raBlock{buf: make([]byte, blockSize)}
	}
	a.wg.Add(1)
	go a.run(r)
	return a
}

func (a *ReadAhead) run(r io.Reader) {
	defer a.wg.Done()
	for {
		var b *raBlock
		select {
		case b = <-a.free:
		case <-a.done:
			return
		}
		b.n, b.off, b.err = 0, 0, nil
		// Fill the block (short reads are common from decompressors) so
		// the consumer sees few, large blocks.
		for b.n < len(b.buf) && b.err == nil {
			var n int
			n, b.err = r.Read(b.buf[b.n:])
			b.n += n
		}
		select {
		case a.full <- b:
		case <-a.done:
			return
		}
		if b.err != nil {
			return
		}
	}
}

func (a *ReadAhead) Read(p []byte) (int, error) {
	for {
		if a.err != nil {
			return 0, a.err
		}
		if a.cur == nil {
			a.cur = <-a.full
		}
		b := a.cur
		if b.off < b.n {
			n := copy(p, b.buf[b.off:b.n])
			b.off += n
			return n, nil
		}
		if b.err != nil {
			a.err = b.err
			continue
		}
		a.cur = nil
		a.free <- b
	}
}

// Close stops reading ahead; it does not close the underlying reader.
func (a *ReadAhead) Close() error {
	a.close.Do(func() {
		close(a.done)
		a.wg.Wait()
	})
	return nil
}
