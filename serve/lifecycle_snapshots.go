package serve

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/flowctl/flowctl/genesys"
)

// The snapshots of the watched conversations: from the notification
// stream and the pollers, each compared with the last and what changed
// handed to the chat.

// consume reads the notification stream: a queue topic's body is the
// conversation itself; a detail event makes the conversation be read; a
// reconnection makes every conversation be read (the stream reopens
// itself; the slow reads go on meanwhile).
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
