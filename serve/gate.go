package serve

import (
	"errors"
	"sync"
	"time"
)

// errShuttingDown refuses work once Close has begun.
var errShuttingDown = errors.New("the server is shutting down")

// opGate counts the work in flight, chat operations (a message, a
// handover, a webhook) and page connections, and drains it at shutdown:
// once closing, nothing new starts, and Close waits for what runs.
type opGate struct {
	mu      sync.Mutex
	idle    *sync.Cond
	ops     int
	closing bool
	pages   sync.WaitGroup
}

func newOpGate() *opGate {
	g := &opGate{}
	g.idle = sync.NewCond(&g.mu)
	return g
}

// begin registers an operation; false once closing.
func (g *opGate) begin() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return false
	}
	g.ops++
	return true
}

// end ends an operation begun with begin.
func (g *opGate) end() {
	g.mu.Lock()
	g.ops--
	if g.ops == 0 {
		g.idle.Broadcast()
	}
	g.mu.Unlock()
}

// running returns the operations begun and not ended.
func (g *opGate) running() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ops
}

// beginPage registers a page connection; false once closing.
func (g *opGate) beginPage() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return false
	}
	g.pages.Add(1)
	return true
}

func (g *opGate) endPage() { g.pages.Done() }

// closed reports whether draining has begun.
func (g *opGate) closed() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.closing
}

// drain refuses new work and waits up to grace for the operations running;
// then it calls cancel (which must make the rest end quickly), waits for
// them and for the pages.
func (g *opGate) drain(grace time.Duration, cancel func()) {
	g.mu.Lock()
	g.closing = true
	g.mu.Unlock()
	idle := make(chan struct{})
	go func() {
		g.mu.Lock()
		for g.ops > 0 {
			g.idle.Wait()
		}
		g.mu.Unlock()
		close(idle)
	}()
	t := time.NewTimer(grace)
	select {
	case <-idle:
	case <-t.C:
	}
	t.Stop()
	cancel()
	<-idle
	g.pages.Wait()
}
