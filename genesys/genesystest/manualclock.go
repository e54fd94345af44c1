package genesystest

import (
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// ManualClock is a genesys.Clock whose time moves only by Advance; timers
// fire when it passes their deadline.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*manualTimer
	added  chan struct{} // poked on every new timer
}

type manualTimer struct {
	c       *ManualClock
	at      time.Time
	ch      chan time.Time
	stopped bool
}

// NewManualClock returns a manual clock set to the date of NewClock.
func NewManualClock() *ManualClock {
	return &ManualClock{now: NewClock().Now(), added: make(chan struct{}, 1)}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer firing once the clock reaches now+d.
func (c *ManualClock) NewTimer(d time.Duration) genesys.Timer {
	c.mu.Lock()
	t := &manualTimer{c: c, at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		t.stopped = true
	} else {
		c.timers = append(c.timers, t)
	}
	c.mu.Unlock()
	select {
	case c.added <- struct{}{}:
	default:
	}
	return t
}

func (t *manualTimer) C() <-chan time.Time { return t.ch }

func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves the clock by d and fires the timers due.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.stopped:
		case !t.at.After(c.now):
			t.stopped = true
			t.ch <- c.now
		default:
			keep = append(keep, t)
		}
	}
	c.timers = keep
}

// Pending returns how many timers wait.
func (c *ManualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// NextIn returns how long until the earliest pending timer fires, and
// false when none waits.
func (c *ManualClock) NextIn() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Duration
	found := false
	for _, t := range c.timers {
		if !t.stopped && (!found || t.at.Sub(c.now) < next) {
			next, found = t.at.Sub(c.now), true
		}
	}
	return next, found
}
