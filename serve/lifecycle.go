package serve

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
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

// subscribe subscribes a conversation's topics; false when none covers it.
func (l *lifecycle) subscribe(stream *genesys.NotificationStream, id string, t *tracked, queueID string) bool {
	l.mu.Lock()
	var topics []string
	if !l.refused[kindConversation] {
		topics = append(topics, genesys.ConversationTopics(id)...)
	}
	qt := ""
	if queueID != "" && !l.refused[kindQueue] {
		qt = genesys.QueueTopic(queueID)
		topics = append(topics, qt)
	}
	l.mu.Unlock()
	if len(topics) == 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(l.ctx, genesysTimeout)
	res, err := stream.Subscribe(ctx, topics)
	cancel()
	if err != nil {
		l.logf("conversation %s: notification topics not subscribed: %v", id, err)
		if genesys.IsRefusal(err) {
			l.refuse(kindConversation, "")
			l.refuse(kindQueue, "")
		}
		return false
	}
	for _, r := range res {
		if r.State == genesys.TopicRejected {
			kind := kindConversation
			if r.ID == qt {
				kind = kindQueue
			}
			l.refuse(kind, rejection(r))
		}
	}
	covered := false
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, topic := range topics {
		if !stream.Has(topic) {
			continue
		}
		covered = true
		if topic == qt {
			t.queues = append(t.queues, qt)
			l.queueRefs[qt]++
		} else {
			t.topics = append(t.topics, topic)
		}
	}
	return covered
}

func rejection(r genesys.ChannelTopic) string {
	s := r.ID + " rejected"
	if r.RejectionReason != "" {
		s += ": " + r.RejectionReason
	}
	if len(r.MissingPermissions) > 0 {
		s += " (missing " + strings.Join(r.MissingPermissions, ", ") + ")"
	}
	return s
}

// refuse remembers that Genesys refuses a kind of topic, and says so once.
func (l *lifecycle) refuse(kind, why string) {
	l.mu.Lock()
	was := l.refused[kind]
	l.refused[kind] = true
	l.mu.Unlock()
	if !was && why != "" {
		l.logf("notification topic %s", why)
	}
	l.announce()
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
// seen.
func (l *lifecycle) agentName(id string) string {
	l.mu.Lock()
	t := l.convs[id]
	l.mu.Unlock()
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return connectedAgent(t.last)
}

// consume reads the notification stream: a queue topic's body is the
// conversation itself; a detail event makes the conversation be read; a
// reconnection makes every conversation be read. When the stream ends, the
// conversations are polled.
func (l *lifecycle) consume(stream *genesys.NotificationStream) {
	for ev := range stream.Events() {
		switch {
		case ev.Reconnected:
			l.logf("notification socket reopened (%s): reading the conversations again", ev.Reason)
			l.mu.Lock()
			for id := range l.convs {
				l.check.Refresh(id)
			}
			l.mu.Unlock()
		case strings.HasSuffix(ev.Notification.TopicName, ".conversations.messages"):
			var conv genesys.MessageConversation
			if json.Unmarshal(ev.Notification.EventBody, &conv) == nil && conv.ID != "" {
				l.process(conv.ID, &conv)
			}
		default:
			if id, ok := genesys.ConversationOfTopic(ev.Notification.TopicName); ok {
				l.check.Refresh(id)
			}
		}
	}
}

// report takes a poller's answer.
func (l *lifecycle) report(id string, conv *genesys.MessageConversation, err error) {
	if err == nil {
		l.process(id, conv)
		return
	}
	l.mu.Lock()
	t := l.convs[id]
	l.mu.Unlock()
	if t == nil || l.ctx.Err() != nil {
		return
	}
	t.mu.Lock()
	repeated := t.lastErr == err.Error()
	t.lastErr = err.Error()
	t.mu.Unlock()
	if !repeated {
		l.logf("conversation %s not read: %v", id, err)
	}
}

// process hands what changed between the last snapshot of a conversation
// and conv to its chat.
func (l *lifecycle) process(id string, conv *genesys.MessageConversation) {
	l.mu.Lock()
	t := l.convs[id]
	l.mu.Unlock()
	if t == nil || l.paused.Load() {
		return
	}
	l.nameQueues(conv)
	t.mu.Lock()
	defer t.mu.Unlock()
	if !newer(t.last, conv) {
		return
	}
	prev := t.last
	t.last, t.lastErr = conv, ""
	if signals := diffConversation(prev, conv); len(signals) > 0 {
		l.deliver(agentUpdate{conversationID: id, customerID: t.customer, signals: signals})
	}
	l.followQueues(id, t, conv)
}

// followQueues subscribes the topics of the queues a conversation moved to
// (t.mu held), when it is followed by its queues' topics.
func (l *lifecycle) followQueues(id string, t *tracked, conv *genesys.MessageConversation) {
	l.mu.Lock()
	stream := l.stream
	on := stream != nil && len(t.queues) > 0 && !l.refused[kindQueue]
	l.mu.Unlock()
	if !on {
		return
	}
	var add []string
	for _, p := range conv.Participants {
		if p.Queue == nil || p.Queue.ID == "" {
			continue
		}
		if qt := genesys.QueueTopic(p.Queue.ID); !slices.Contains(t.queues, qt) && !slices.Contains(add, qt) {
			add = append(add, qt)
		}
	}
	if len(add) == 0 {
		return
	}
	t.queues = append(t.queues, add...) // taken now, so that no other snapshot adds them again
	l.mu.Lock()
	for _, qt := range add {
		l.queueRefs[qt]++
	}
	l.mu.Unlock()
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		ctx, cancel := context.WithTimeout(l.ctx, genesysTimeout)
		defer cancel()
		if _, err := stream.Subscribe(ctx, add); err != nil && l.ctx.Err() == nil {
			l.logf("conversation %s: queue topics %s not subscribed: %v", id, strings.Join(add, ", "), err)
		}
	}()
}

// nameQueues fills in the names of the queues a snapshot names only by id
// (GET /api/v2/routing/queues/{id}, remembered); the id stands in when
// the queue cannot be read.
func (l *lifecycle) nameQueues(conv *genesys.MessageConversation) {
	for i := range conv.Participants {
		q := conv.Participants[i].Queue
		if q == nil || q.Name != "" || q.ID == "" {
			continue
		}
		l.mu.Lock()
		name, ok := l.names[q.ID]
		l.mu.Unlock()
		if !ok {
			ctx, cancel := context.WithTimeout(l.ctx, genesysTimeout)
			got, err := l.gc.Queue(ctx, q.ID)
			cancel()
			name = q.ID
			if err == nil && got.Name != "" {
				name = got.Name
			} else if err != nil && !errors.Is(err, context.Canceled) {
				l.logf("queue %s: name not read (%v); its id stands in", q.ID, err)
			}
			l.mu.Lock()
			if len(l.names) < 1000 {
				l.names[q.ID] = name
			}
			l.mu.Unlock()
		}
		q.Name = name
	}
}
