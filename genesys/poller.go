package genesys

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Defaults of PollerOptions.
const (
	DefaultPollMin    = 2 * time.Second
	DefaultPollMax    = 15 * time.Second
	DefaultPollBudget = 60 // polls a minute, all conversations together
)

// PollerOptions tune a Poller; zero values take the defaults.
type PollerOptions struct {
	Clock Clock // default RealClock
	// MinInterval and MaxInterval bound the wait between two polls of one
	// conversation: MinInterval after a change, growing while nothing
	// changes or a poll fails.
	MinInterval, MaxInterval time.Duration
	// Budget is the most polls a minute, all conversations together: with
	// many conversations each is polled less often, so the client stays
	// well under Genesys's rate limit (300 requests a minute per token).
	Budget int
}

// Poller reads message conversations (GET
// /api/v2/conversations/messages/{id}) again and again, through the
// client's one retry loop, and reports each one that changed: the
// lifecycle source where notifications are refused.
type Poller struct {
	c      *Client
	opts   PollerOptions
	report func(id string, conv *MessageConversation, err error)

	mu    sync.Mutex
	convs map[string]*polled
	wake  chan struct{}
}

type polled struct {
	due      time.Time
	interval time.Duration
	last     []byte // the last answer, to tell a change
	// refreshes counts Refresh calls: one that comes while a poll is on
	// its way may ask about a change the answer predates, so a poll
	// during which the count moved is followed by another at once.
	refreshes int
}

// NewPoller returns a poller that calls report with each conversation that
// changed (the first answer counts as a change), or with the error of a
// failed poll; a conversation that is gone (404) is reported once and no
// longer polled. report runs on the poller's goroutine.
func (c *Client) NewPoller(opts PollerOptions, report func(id string, conv *MessageConversation, err error)) *Poller {
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.MinInterval <= 0 {
		opts.MinInterval = DefaultPollMin
	}
	if opts.MaxInterval < opts.MinInterval {
		opts.MaxInterval = max(DefaultPollMax, opts.MinInterval)
	}
	if opts.Budget <= 0 {
		opts.Budget = DefaultPollBudget
	}
	return &Poller{c: c, opts: opts, report: report, convs: map[string]*polled{}, wake: make(chan struct{}, 1)}
}

// Watch starts polling a conversation, at once.
func (p *Poller) Watch(id string) {
	p.mu.Lock()
	if p.convs[id] == nil {
		p.convs[id] = &polled{due: p.opts.Clock.Now()}
	}
	p.mu.Unlock()
	p.poke()
}

// Refresh polls a watched conversation at once.
func (p *Poller) Refresh(id string) {
	p.mu.Lock()
	if st := p.convs[id]; st != nil {
		st.due = p.opts.Clock.Now()
		st.refreshes++
	}
	p.mu.Unlock()
	p.poke()
}

// Unwatch stops polling a conversation.
func (p *Poller) Unwatch(id string) {
	p.mu.Lock()
	delete(p.convs, id)
	p.mu.Unlock()
}

// Len returns how many conversations are polled.
func (p *Poller) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.convs)
}

func (p *Poller) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends, one conversation at a time.
func (p *Poller) Run(ctx context.Context) {
	for ctx.Err() == nil {
		id, wait := p.next()
		if id != "" && wait <= 0 {
			p.poll(ctx, id) // cut short by ctx, it leaves the conversation due
			continue
		}
		var t Timer
		var timer <-chan time.Time
		if id != "" {
			t = p.opts.Clock.NewTimer(wait)
			timer = t.C()
		}
		select {
		case <-ctx.Done():
		case <-p.wake:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
	}
}

// next returns the conversation due first and how long until it is due.
func (p *Poller) next() (string, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var id string
	var due time.Time
	for k, st := range p.convs {
		if id == "" || st.due.Before(due) {
			id, due = k, st.due
		}
	}
	if id == "" {
		return "", 0
	}
	return id, due.Sub(p.opts.Clock.Now())
}

func (p *Poller) poll(ctx context.Context, id string) {
	p.mu.Lock()
	refreshes := -1
	if st := p.convs[id]; st != nil {
		refreshes = st.refreshes
	}
	p.mu.Unlock()
	conv, err := p.c.MessageConversation(ctx, id)
	if ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	st := p.convs[id]
	if st == nil { // unwatched meanwhile
		p.mu.Unlock()
		return
	}
	changed := false
	if err == nil {
		data, _ := json.Marshal(conv)
		changed = !bytes.Equal(data, st.last)
		st.last = data
	}
	base := max(p.opts.MinInterval, time.Duration(len(p.convs))*time.Minute/time.Duration(p.opts.Budget))
	st.interval = NextPollInterval(st.interval, base, p.opts.MaxInterval, changed, err)
	st.due = p.opts.Clock.Now().Add(st.interval)
	if st.refreshes != refreshes {
		st.due = p.opts.Clock.Now() // refreshed during the poll: ask again
	}
	if isNotFound(err) {
		delete(p.convs, id)
	}
	p.mu.Unlock()
	if err != nil || changed {
		p.report(id, conv, err)
	}
}

// NextPollInterval is the wait before the next poll of a conversation,
// after prev: base (the budget's share, at least the minimum) after a
// change; doubling up to maxWait while nothing changes or polls fail; at
// least the server's Retry-After when it rate-limited the client.
func NextPollInterval(prev, base, maxWait time.Duration, changed bool, err error) time.Duration {
	maxWait = max(maxWait, base)
	grown := min(max(prev*2, base), maxWait)
	var ae *APIError
	switch {
	case errors.As(err, &ae) && ae.RateLimited:
		return max(grown, ae.RetryAfter)
	case err != nil, !changed:
		return grown
	}
	return base
}

func isNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}
