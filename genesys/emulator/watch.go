package emulator

import (
	"fmt"
	"maps"
	"slices"

	"github.com/flowctl/flowctl/genesys"
)

// Reading the emulator's conversations: the desk's listing, a change
// watch, and where the webhook goes.

// SetWebhookURL sets where an integration (id or name) delivers outbound
// messages, overriding the org file's webhookUrl.
func (e *Server) SetWebhookURL(integration, url string) error {
	it := e.integration(integration)
	if it == nil {
		return fmt.Errorf("no Open Messaging integration %q in the org", integration)
	}
	e.msg.mu.Lock()
	e.msg.webhooks[it.ID] = url
	e.msg.mu.Unlock()
	return nil
}

// WatchMessaging calls fn after every change to the conversations, in the
// goroutine that made it; stop ends the watch. fn must not block: it may run
// inside the emulator's answer to a request (replace/queue among them), and
// an agent action started from it must run in another goroutine.
func (e *Server) WatchMessaging(fn func()) (stop func()) {
	m := e.msg
	m.mu.Lock()
	id := m.nextW
	m.nextW++
	m.watchers[id] = fn
	m.mu.Unlock()
	return func() {
		m.mu.Lock()
		delete(m.watchers, id)
		m.mu.Unlock()
	}
}

func (e *Server) notifyMessaging() {
	m := e.msg
	m.mu.Lock()
	fns := slices.Collect(maps.Values(m.watchers))
	m.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// MessagingConversations returns every conversation, oldest first.
func (e *Server) MessagingConversations() []Conversation {
	return e.conversations(false, 0)
}

// ActiveConversations returns the conversations waiting in a queue or with
// an agent, oldest first, each with at most its last lastMessages messages
// (all when lastMessages <= 0): what an agent desk shows.
func (e *Server) ActiveConversations(lastMessages int) []Conversation {
	return e.conversations(true, lastMessages)
}

func (e *Server) conversations(active bool, last int) []Conversation {
	m := e.msg
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Conversation, 0, len(m.order))
	for _, c := range m.order {
		if active && c.State != ConversationQueued && c.State != ConversationAgent && c.State != ConversationOffered {
			continue
		}
		s := c.Conversation
		s.Attributes = maps.Clone(c.Attributes)
		msgs := c.Messages
		if last > 0 && len(msgs) > last {
			msgs = msgs[len(msgs)-last:]
		}
		s.Messages = slices.Clone(msgs)
		out = append(out, s)
	}
	return out
}

// Participants returns a conversation as GET .../messages/{id} shows it
// now.
func (e *Server) Participants(conversationID string) (genesys.MessageConversation, error) {
	m := e.msg
	m.mu.Lock()
	defer m.mu.Unlock()
	conv := m.convs[conversationID]
	if conv == nil {
		return genesys.MessageConversation{}, fmt.Errorf("%w %q", ErrNoConversation, conversationID)
	}
	return conv.messageConversation(e.opts.Now()), nil
}
