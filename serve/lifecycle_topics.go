package serve

import (
	"context"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/genesys"
)

// The notification topics of the watched conversations: subscribed when a
// conversation is watched, the kinds Genesys refuses remembered, and the
// topics of the queues a conversation moves to added as it goes.

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
