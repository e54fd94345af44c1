package serve

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// The lifecycle source: who joined, transferred or ended each watched
// conversation, read from its participants (lifecycle_diff.go) and handed
// to its chat as agentUpdates.
//
// It prefers the Notification API: one channel, per conversation the
// detail-event topics v2.detail.events.conversation.{id}.acd.start,
// .acd.end, .user.start, .user.end and .customer.end (each event makes it
// read the conversation), and per queue the topic
// v2.routing.queues.{id}.conversations.messages (whose body is the whole
// conversation). Which of these a client-credentials token may subscribe
// to is UNCONFIRMED: it takes whichever Genesys permits, and a
// conversation none covers is polled. Where the channel cannot be created
// or its socket opened, every conversation is polled (GET
// /api/v2/conversations/messages/{id}, with back-off, through the client's
// retry loop and rate limit). Conversations the notifications cover are
// also read now and then (slowly), and again whenever the socket was
// down, so that an event lost on the way costs a delay, not the chat.

// lifecycleOptions tune the lifecycle source; tests shorten the waits.
type lifecycleOptions struct {
	notify genesys.NotificationOptions
	poll   genesys.PollerOptions // the fallback
	check  genesys.PollerOptions // the slow check of notified conversations
}

func (o lifecycleOptions) withDefaults() lifecycleOptions {
	if o.check.MinInterval <= 0 {
		o.check.MinInterval = 30 * time.Second
	}
	if o.check.MaxInterval <= 0 {
		o.check.MaxInterval = 2 * time.Minute
	}
	if o.check.Budget <= 0 {
		o.check.Budget = 30
	}
	return o
}

// Topic kinds, as refused.
const (
	kindConversation = "conversation"
	kindQueue        = "queue"
)

type lifecycle struct {
	gc      *genesys.Client
	opts    lifecycleOptions
	deliver func(agentUpdate)
	logf    func(string, ...any)
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	poll    *genesys.Poller // conversations no topic covers
	check   *genesys.Poller // the others, slowly
	// paused (tests) makes the source miss what happens, as a slow poll
	// or a late notification would.
	paused  atomic.Bool
	started sync.Once

	mu        sync.Mutex
	convs     map[string]*tracked
	stream    *genesys.NotificationStream // nil: polling only
	why       string                      // why there are no notifications
	refused   map[string]bool             // topic kinds Genesys refused
	queueRefs map[string]int              // queue topic -> conversations on it
	names     map[string]string           // queue id -> name
	said      string                      // the source last logged
}

// tracked is one watched conversation.
type tracked struct {
	customer string
	topics   []string // its conversation topics subscribed
	queues   []string // queue topics it holds a reference to
	polled   bool     // on the fallback poller

	mu      sync.Mutex // orders the diffs and their delivery
	last    *genesys.MessageConversation
	lastErr string
}

func newLifecycle(gc *genesys.Client, opts lifecycleOptions, deliver func(agentUpdate), logf func(string, ...any)) *lifecycle {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	l := &lifecycle{
		gc: gc, opts: opts, deliver: deliver, logf: logf, ctx: ctx, cancel: cancel,
		convs: map[string]*tracked{}, refused: map[string]bool{}, queueRefs: map[string]int{}, names: map[string]string{},
	}
	l.poll = gc.NewPoller(opts.poll, l.report)
	l.check = gc.NewPoller(opts.check, l.report)
	return l
}

// start opens the notification channel (or says why not) and starts the
// pollers, once.
func (l *lifecycle) start() { l.started.Do(l.open) }

func (l *lifecycle) open() {
	ctx, cancel := context.WithTimeout(l.ctx, genesysTimeout)
	stream, err := l.gc.OpenNotifications(ctx, l.opts.notify)
	cancel()
	l.mu.Lock()
	if err != nil {
		l.why = err.Error()
	} else {
		l.stream = stream
	}
	l.mu.Unlock()
	for _, p := range []*genesys.Poller{l.poll, l.check} {
		l.wg.Add(1)
		go func() { defer l.wg.Done(); p.Run(l.ctx) }()
	}
	if stream != nil {
		l.wg.Add(1)
		go func() { defer l.wg.Done(); l.consume(stream) }()
	}
	l.announce()
}

// stop ends the source and waits for it.
func (l *lifecycle) stop() {
	l.started.Do(func() {}) // never starts after this
	l.cancel()
	l.mu.Lock()
	stream := l.stream
	l.mu.Unlock()
	if stream != nil {
		stream.Close()
	}
	l.wg.Wait()
}

// describe says where the lifecycle comes from: what /healthz and the log
// show.
func (l *lifecycle) describe() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.describeLocked()
}

func (l *lifecycle) describeLocked() string {
	const polling = "polling GET /api/v2/conversations/messages/{id}"
	switch {
	case l.stream == nil && l.why == "":
		return "not started yet (it starts with the first handover)"
	case l.stream == nil:
		return polling + " (notifications unavailable: " + l.why + ")"
	case l.refused[kindConversation] && l.refused[kindQueue]:
		return polling + " (notification topics refused)"
	case l.refused[kindConversation]:
		return "notifications (queue topics; conversation topics refused, conversations outside a queue topic polled)"
	case l.refused[kindQueue]:
		return "notifications (conversation topics; queue topics refused)"
	}
	return "notifications"
}

// announce logs the source when it changed.
func (l *lifecycle) announce() {
	l.mu.Lock()
	now := l.describeLocked()
	changed := now != l.said
	l.said = now
	l.mu.Unlock()
	if changed {
		l.logf("conversation lifecycle: %s", now)
	}
}

// watch follows a conversation's lifecycle for the customer's chat; queueID
// is the queue it waits in.
func (l *lifecycle) watch(id, customer, queueID string) {
	l.start()
	l.mu.Lock()
	if l.convs[id] != nil || l.ctx.Err() != nil {
		l.mu.Unlock()
		return
	}
	t := &tracked{customer: customer}
	l.convs[id] = t
	stream := l.stream
	l.mu.Unlock()
	if stream == nil || !l.subscribe(stream, id, t, queueID) {
		l.mu.Lock()
		t.polled = true
		l.mu.Unlock()
		l.poll.Watch(id)
		return
	}
	l.check.Watch(id) // reads it at once: what happened before the topics were on
}

// unwatch stops following a conversation and returns the last snapshot
// seen of it.
func (l *lifecycle) unwatch(id string) *genesys.MessageConversation {
	l.mu.Lock()
	t := l.convs[id]
	delete(l.convs, id)
	var drop []string
	if t != nil {
		drop = append(drop, t.topics...)
		for _, q := range t.queues {
			if l.queueRefs[q]--; l.queueRefs[q] <= 0 {
				delete(l.queueRefs, q)
				drop = append(drop, q)
			}
		}
	}
	stream := l.stream
	l.mu.Unlock()
	if t == nil {
		return nil
	}
	l.poll.Unwatch(id)
	l.check.Unwatch(id)
	if stream != nil && len(drop) > 0 {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			ctx, cancel := context.WithTimeout(l.ctx, genesysTimeout)
			defer cancel()
			if err := stream.Unsubscribe(ctx, drop); err != nil && l.ctx.Err() == nil {
				l.logf("notification topics of conversation %s not removed: %v", id, err)
			}
		}()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

// agentName returns the name of the agent who has a conversation, as last
// seen; without the conversation's id (the webhook's outbound messages
// need not carry one), of the customer's conversation an agent has.
func (l *lifecycle) agentName(id, customer string) string {
	l.mu.Lock()
	var ts []*tracked
	if t := l.convs[id]; t != nil {
		ts = append(ts, t)
	} else if id == "" {
		for _, t := range l.convs {
			if t.customer == customer {
				ts = append(ts, t)
			}
		}
	}
	l.mu.Unlock()
	for _, t := range ts {
		t.mu.Lock()
		name := connectedAgent(t.last)
		t.mu.Unlock()
		if name != "" {
			return name
		}
	}
	return ""
}
