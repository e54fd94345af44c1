package genesys

import (
	"context"
	"sync"
	"time"
)

// limiter allows at most n requests in any window (a sliding log), waiting
// with the injected clock when the budget is spent.
type limiter struct {
	n      int
	window time.Duration
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error

	mu   sync.Mutex
	sent []time.Time // times of the last n requests, oldest first
}

func newLimiter(n int, window time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{n: n, window: window, now: now, sleep: sleep}
}

// wait blocks until one more request fits in the window, then records it.
func (l *limiter) wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := l.now()
		if len(l.sent) < l.n {
			l.sent = append(l.sent, now)
			l.mu.Unlock()
			return nil
		}
		free := l.sent[0].Add(l.window)
		if !now.Before(free) {
			l.sent = append(l.sent[1:], now)
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := l.sleep(ctx, free.Sub(now)); err != nil {
			return err
		}
	}
}
