package genesys_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
)

func TestNextPollInterval(t *testing.T) {
	const base, maxWait = 2 * time.Second, 15 * time.Second
	rateLimited := &genesys.APIError{Status: 429, RateLimited: true, RetryAfter: 40 * time.Second}
	tests := []struct {
		name    string
		prev    time.Duration
		changed bool
		err     error
		want    time.Duration
	}{
		{"first answer", 0, true, nil, base},
		{"change resets", 8 * time.Second, true, nil, base},
		{"no change doubles", base, false, nil, 4 * time.Second},
		{"up to the most", 8 * time.Second, false, nil, maxWait},
		{"stays at the most", maxWait, false, nil, maxWait},
		{"a failure doubles", 4 * time.Second, false, errors.New("boom"), 8 * time.Second},
		{"rate limited: at least Retry-After", base, false, rateLimited, 40 * time.Second},
		{"rate limited without Retry-After", base, false, &genesys.APIError{Status: 429, RateLimited: true}, 4 * time.Second},
	}
	for _, tt := range tests {
		if got := genesys.NextPollInterval(tt.prev, base, maxWait, tt.changed, tt.err); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	// Many conversations share the budget: the base grows.
	if got := genesys.NextPollInterval(0, 30*time.Second, maxWait, true, nil); got != 30*time.Second {
		t.Errorf("a base beyond the most: %s", got)
	}
}

// pollLog records what a poller reports.
type pollLog struct {
	mu    sync.Mutex
	convs []*genesys.MessageConversation
	errs  []error
	ch    chan struct{}
}

func (l *pollLog) report(_ string, conv *genesys.MessageConversation, err error) {
	l.mu.Lock()
	l.convs = append(l.convs, conv)
	l.errs = append(l.errs, err)
	l.mu.Unlock()
	l.ch <- struct{}{}
}

// polling is a poller on a manual clock over an emulated org, running
// until the test ends, with one handed-over conversation not yet watched.
type polling struct {
	em    *emulator.Server
	p     *genesys.Poller
	clock *genesystest.ManualClock
	log   *pollLog
	conv  string // the conversation's id
}

func startPolling(t *testing.T) *polling {
	t.Helper()
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, emulator.Options{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "cust", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	pl := &polling{em: em, clock: genesystest.NewManualClock(), log: &pollLog{ch: make(chan struct{}, 16)}, conv: res.ConversationID}
	pl.p = c.NewPoller(genesys.PollerOptions{Clock: pl.clock, MinInterval: 2 * time.Second, MaxInterval: 15 * time.Second, Budget: 60}, pl.log.report)
	done := make(chan struct{})
	go func() { defer close(done); pl.p.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return pl
}

// polls counts the polls of the conversation the emulator served.
func (pl *polling) polls() int {
	n := 0
	for _, r := range pl.em.RequestLog() {
		if r == "GET /api/v2/conversations/messages/"+pl.conv {
			n++
		}
	}
	return n
}

func TestPollerBacksOff(t *testing.T) {
	pl := startPolling(t)
	em, p, clock, log, polls := pl.em, pl.p, pl.clock, pl.log, pl.polls
	ctx := context.Background()
	em.ResetRequests()
	p.Watch(pl.conv)
	<-log.ch // the first answer is a change
	// Nothing changes: the waits double up to the most.
	for i, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 15 * time.Second, 15 * time.Second} {
		waitTimers(t, clock, 1)
		next, _ := clock.NextIn()
		if next != want {
			t.Fatalf("wait %d: %s, want %s", i, next, want)
		}
		before := polls()
		clock.Advance(next)
		for deadline := time.Now().Add(5 * time.Second); polls() == before; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no poll after wait %d", i)
			}
		}
	}
	// A change is reported and brings the wait back to the least. (The
	// last poll is done first: its request is counted before it is
	// answered, and a change made before the answer would be its.)
	waitTimers(t, clock, 1)
	if err := em.AgentJoin(ctx, pl.conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	waitTimers(t, clock, 1)
	next, _ := clock.NextIn()
	clock.Advance(next)
	<-log.ch
	log.mu.Lock()
	last := log.convs[len(log.convs)-1]
	log.mu.Unlock()
	if got := last.Participants[len(last.Participants)-1]; got.Purpose != "agent" {
		t.Fatalf("reported %+v", got)
	}
	waitTimers(t, clock, 1)
	if next, _ := clock.NextIn(); next != 2*time.Second {
		t.Fatalf("wait after a change: %s", next)
	}
	// A conversation that is gone is reported once and no longer polled.
	p.Unwatch(pl.conv)
	p.Watch("no-such-conversation")
	<-log.ch
	log.mu.Lock()
	gone := log.errs[len(log.errs)-1]
	log.mu.Unlock()
	var ae *genesys.APIError
	if !errors.As(gone, &ae) || ae.Status != 404 || p.Len() != 0 {
		t.Fatalf("gone: %v, %d polled", gone, p.Len())
	}
}

// A Refresh that comes while a poll of the same conversation is on its way
// is not lost: the answer may predate what the refresh was told, so the
// poller asks again at once rather than after its interval.
func TestPollerRefreshDuringPoll(t *testing.T) {
	pl := startPolling(t) // the clock never moves: only refreshes poll
	path := "/api/v2/conversations/messages/" + pl.conv
	pl.p.Watch(pl.conv)
	<-pl.log.ch
	pl.em.ResetRequests()
	pl.em.SetFault(emulator.Fault{Kind: emulator.FaultSlow, Path: path, Delay: 300 * time.Millisecond, Times: 1})
	pl.p.Refresh(pl.conv)
	waitFor(t, "the slow poll to start", func() bool { return pl.polls() == 1 })
	// The agent joins and the refresh that says so comes during the poll.
	if err := pl.em.AgentJoin(context.Background(), pl.conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	pl.p.Refresh(pl.conv)
	waitFor(t, "a second poll without the clock moving", func() bool { return pl.polls() == 2 })
}

// Run ends once its context does, even while a poll is on its way (the
// poll, cut short, leaves its conversation due).
func TestPollerStopsDuringPoll(t *testing.T) {
	em, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	path := "/api/v2/conversations/messages/some-conversation"
	em.SetFault(emulator.Fault{Kind: emulator.FaultHang, Path: path})
	p := c.NewPoller(genesys.PollerOptions{Clock: genesystest.NewManualClock()}, func(string, *genesys.MessageConversation, error) {})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	p.Watch("some-conversation")
	waitFor(t, "the poll to start", func() bool { return slices.Contains(em.RequestLog(), "GET "+path) })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run goes on after its context ended")
	}
}

// waitFor waits (in real time, a few seconds at most) until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s", what)
		}
	}
}
