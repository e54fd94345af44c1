package emulator

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// The agent side of the emulator: what a person does on the agent desk
// (join, reply, transfer, close) and Genesys's own closure, each delivered
// to the integration's webhook as a signed Open Messaging message.

// ErrNoConversation is returned for an unknown conversation id.
var ErrNoConversation = errors.New("no such conversation")

// MaxAgentText bounds an agent message, in bytes.
const MaxAgentText = 4000

// WebhookError reports a webhook delivery that failed or was refused.
type WebhookError struct {
	URL    string
	Status int    // 0 when no answer came
	Body   string // the start of the answer
	Err    error
}

func (e *WebhookError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("webhook %s: %v", e.URL, e.Err)
	}
	s := fmt.Sprintf("webhook %s: HTTP %d", e.URL, e.Status)
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

func (e *WebhookError) Unwrap() error { return e.Err }

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
// an agent action started from it must run in another goroutine, since the
// bridge that made the request may handle the action's webhook only once
// its request is answered.
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
		if active && c.State != ConversationQueued && c.State != ConversationAgent {
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

// CloseConversation ends a conversation whose customer left (the bridge's
// chat ended): every participant is disconnected, with note as the last
// message. Closing a closed conversation does nothing.
func (e *Server) CloseConversation(conversationID, note string) error {
	m := e.msg
	m.mu.Lock()
	conv := m.convs[conversationID]
	if conv == nil {
		m.mu.Unlock()
		return fmt.Errorf("%w %q", ErrNoConversation, conversationID)
	}
	closed := conv.State == ConversationClosed
	if !closed {
		e.closeLocked(conv, note)
		m.pruneLocked()
	}
	m.mu.Unlock()
	if !closed {
		e.notifyMessaging()
	}
	return nil
}

// AgentJoin makes agent take a queued conversation.
func (e *Server) AgentJoin(ctx context.Context, conversationID, agent string) error {
	agent = strings.TrimSpace(agent)
	if agent == "" {
		return errors.New("join needs an agent name")
	}
	return e.agentAction(ctx, conversationID, func(c *emuConversation) (*genesys.OpenOutboundMessage, error) {
		if c.State != ConversationQueued {
			return nil, fmt.Errorf("conversation is %s: only a queued conversation can be joined", c.State)
		}
		for i := range c.participants {
			if c.participants[i].Purpose == "acd" {
				c.participants[i].State = "disconnected"
			}
		}
		q := c.Queue
		c.participants = append(c.participants, genesys.Participant{ID: genesys.NewID(), Name: agent, Purpose: "agent", State: "connected", Queue: &q})
		c.State, c.Agent = ConversationAgent, agent
		c.note(e, agent+" joined from queue "+c.Queue.Name)
		return c.event(e, agent, genesys.OpenPresence{Type: genesys.PresenceJoin, Queue: &q}), nil
	})
}

// AgentSay sends an agent message to the customer.
func (e *Server) AgentSay(ctx context.Context, conversationID, text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return errors.New("the message is empty")
	case len(text) > MaxAgentText:
		return fmt.Errorf("the message is too long (%d bytes; at most %d)", len(text), MaxAgentText)
	}
	return e.agentAction(ctx, conversationID, func(c *emuConversation) (*genesys.OpenOutboundMessage, error) {
		if c.State != ConversationAgent {
			return nil, fmt.Errorf("conversation is %s: join it before replying", c.State)
		}
		now := e.opts.Now()
		c.addMessage(Message{From: "agent", Name: c.Agent, Text: text, Time: now})
		out := c.outbound(e, c.Agent)
		out.Type, out.Text = genesys.OpenTypeText, text
		return out, nil
	})
}

// AgentTransfer moves a conversation the agent has to another queue (any
// division), where it waits for an agent again.
func (e *Server) AgentTransfer(ctx context.Context, conversationID, queue string) error {
	q := e.org.Queue(queue)
	if q == nil || (q.Name != queue && q.ID != queue) {
		return fmt.Errorf("no queue %q in the org", queue)
	}
	return e.agentAction(ctx, conversationID, func(c *emuConversation) (*genesys.OpenOutboundMessage, error) {
		if c.State != ConversationAgent {
			return nil, fmt.Errorf("conversation is %s: join it before transferring", c.State)
		}
		agent := c.Agent
		for i := range c.participants {
			if c.participants[i].Purpose == "agent" {
				c.participants[i].State = "disconnected"
			}
		}
		e.enqueueLocked(c, q, agent+" transferred the chat to queue "+q.Name)
		ref := c.Queue
		return c.event(e, agent, genesys.OpenPresence{Type: genesys.PresenceTransfer, Queue: &ref}), nil
	})
}

// AgentClose ends a conversation the agent has.
func (e *Server) AgentClose(ctx context.Context, conversationID string) error {
	return e.agentAction(ctx, conversationID, func(c *emuConversation) (*genesys.OpenOutboundMessage, error) {
		if c.State != ConversationAgent {
			return nil, fmt.Errorf("conversation is %s: only an agent who joined can close it", c.State)
		}
		agent := c.Agent
		e.closeLocked(c, agent+" closed the conversation")
		return c.event(e, agent, genesys.OpenPresence{Type: genesys.PresenceDisconnect}), nil
	})
}

// ExpireConversation closes a queued or active conversation as Genesys does
// for its own inactivity rules.
func (e *Server) ExpireConversation(ctx context.Context, conversationID string) error {
	return e.agentAction(ctx, conversationID, func(c *emuConversation) (*genesys.OpenOutboundMessage, error) {
		if c.State != ConversationQueued && c.State != ConversationAgent {
			return nil, fmt.Errorf("conversation is %s: nothing to expire", c.State)
		}
		e.closeLocked(c, "Genesys closed the conversation (inactivity)")
		return c.event(e, "", genesys.OpenPresence{Type: genesys.PresenceSessionExpired}), nil
	})
}

func (e *Server) closeLocked(c *emuConversation, note string) {
	for i := range c.participants {
		c.participants[i].State = "disconnected"
	}
	c.State = ConversationClosed
	c.note(e, note)
	m := e.msg
	if m.open[openKey(c.IntegrationID, c.Customer.ID)] == c {
		delete(m.open, openKey(c.IntegrationID, c.Customer.ID))
	}
}

// pruneLocked forgets the oldest closed conversations beyond the bound.
func (m *messaging) pruneLocked() {
	closed := 0
	for _, c := range m.order {
		if c.State == ConversationClosed {
			closed++
		}
	}
	if closed <= maxClosedConversations {
		return
	}
	drop := closed - maxClosedConversations
	m.order = slices.DeleteFunc(m.order, func(c *emuConversation) bool {
		if drop > 0 && c.State == ConversationClosed {
			drop--
			delete(m.convs, c.ID)
			return true
		}
		return false
	})
}

func (c *emuConversation) note(e *Server, text string) {
	c.addMessage(Message{From: "system", Text: text, Time: e.opts.Now()})
}

// addMessage appends a message, keeping the last maxConversationMessages.
func (c *emuConversation) addMessage(msg Message) {
	if len(c.Messages) >= maxConversationMessages {
		n := maxConversationMessages / 10
		c.Messages = append(c.Messages[:0], c.Messages[n:]...)
		c.Dropped += n
	}
	c.Messages = append(c.Messages, msg)
	c.Updated = msg.Time
}

// outbound is a message from the integration (as agent) to the customer.
func (c *emuConversation) outbound(e *Server, agent string) *genesys.OpenOutboundMessage {
	return &genesys.OpenOutboundMessage{
		ID: genesys.NewID(),
		Channel: genesys.OpenOutboundChannel{
			ID: c.IntegrationID, Platform: "Open", Type: "Private", MessageID: genesys.NewID(),
			To:   genesys.OpenMessageFrom{ID: c.Customer.ID, IDType: c.Customer.IDType},
			From: genesys.OpenMessageFrom{ID: c.IntegrationID, IDType: "Opaque", Nickname: agent},
			Time: e.opts.Now().UTC().Format(time.RFC3339Nano),
		},
		ConversationID: c.ID, Direction: "Outbound", OriginatingEntity: "Human",
	}
}

func (c *emuConversation) event(e *Server, agent string, p genesys.OpenPresence) *genesys.OpenOutboundMessage {
	out := c.outbound(e, agent)
	out.Type = genesys.OpenTypeEvent
	out.Events = []genesys.OpenEvent{{EventType: "Presence", Presence: &p}}
	if agent == "" {
		out.OriginatingEntity = "Bot"
	}
	return out
}
