package emulator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// The agent side of the emulator: what a person does on the agent desk
// (join, reply, transfer to a queue or an agent, close) and Genesys's own
// closure. Each changes the conversation's participants, which the
// Notification API and GET .../messages/{id} show; only the agent's
// messages go to the integration's webhook.

// ErrNoConversation is returned for an unknown conversation id.
var ErrNoConversation = errors.New("no such conversation")

// MaxAgentText bounds an agent message, in bytes.
const MaxAgentText = 4000

// maxQuickReplies bounds the quick replies of one agent message.
const maxQuickReplies = 10

// act applies an agent action to a conversation under the lock, then tells
// the watchers.
func (e *Server) act(id string, do func(c *emuConversation, now time.Time) error) error {
	m := e.msg
	m.mu.Lock()
	conv := m.convs[id]
	if conv == nil {
		m.mu.Unlock()
		return fmt.Errorf("%w %q", ErrNoConversation, id)
	}
	var err error
	e.change(conv, func(now time.Time) { err = do(conv, now) })
	m.mu.Unlock()
	if err == nil {
		e.notifyMessaging()
	}
	return err
}

// CloseConversation ends a conversation from the customer's side, as
// PATCH .../messages/{id} {"state":"disconnected"} does, with note as its
// last message. Closing a closed conversation does nothing.
func (e *Server) CloseConversation(conversationID, note string) error {
	return e.act(conversationID, func(c *emuConversation, now time.Time) error {
		if c.live() {
			e.disconnectAllLocked(c, now, note)
		}
		return nil
	})
}

// live reports whether a participant is still connected.
func (c *emuConversation) live() bool {
	return slices.ContainsFunc(c.parties, func(p *party) bool { return p.p.State != genesys.StateDisconnected })
}

// disconnectAllLocked ends the conversation for everyone: the customer's
// side did (disconnectType client), the others follow (peer).
func (e *Server) disconnectAllLocked(c *emuConversation, now time.Time, note string) {
	for _, p := range c.parties {
		dt := "peer"
		if p.p.Purpose == genesys.PurposeCustomer {
			dt = "client"
		}
		p.end(now, dt)
	}
	e.closeLocked(c, note)
}

// orgAgent returns the org's agent of that name.
func (e *Server) orgAgent(name string) (*org.Agent, error) {
	for i := range e.org.Agents {
		if a := &e.org.Agents[i]; a.Name == name {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no agent %q in the org", name)
}

// memberOf reports whether agent a is a member of queue q (agents[].queues
// lists names or ids).
func memberOf(a *org.Agent, q genesys.EntityRef) bool {
	return slices.ContainsFunc(a.Queues, func(ref string) bool { return ref == q.Name || ref == q.ID })
}

// AgentJoin makes agent take a queued conversation: the agent must be a
// member of its queue. The acd participant ends (transfer); the agent's
// is alerting, then connected. A conversation offered to agent (transferred
// to it by another agent) is accepted: its alerting participant connects.
func (e *Server) AgentJoin(_ context.Context, conversationID, agent string) error {
	agent = strings.TrimSpace(agent)
	if agent == "" {
		return errors.New("join needs an agent name")
	}
	a, err := e.orgAgent(agent)
	if err != nil {
		return err
	}
	accepted := false
	if err := e.act(conversationID, func(c *emuConversation, now time.Time) error {
		if c.State == ConversationOffered {
			if c.Agent != a.Name {
				return fmt.Errorf("conversation is offered to %s: only %s can accept it", c.Agent, c.Agent)
			}
			c.connectAlerting(now)
			c.State, accepted = ConversationAgent, true
			c.note(e, a.Name+" accepted the chat")
			return nil
		}
		if c.State != ConversationQueued {
			return fmt.Errorf("conversation is %s: only a queued conversation, or one offered to the agent, can be joined", c.State)
		}
		if !memberOf(a, c.Queue) {
			return fmt.Errorf("%s is not a member of queue %q (agents[].queues in the org file)", a.Name, c.Queue.Name)
		}
		for _, p := range c.holding(genesys.PurposeACD) {
			p.end(now, "transfer")
		}
		q := e.org.Queue(c.Queue.ID)
		c.addParty(now, genesys.PurposeAgent, a.Name, genesys.StateAlerting, q, a)
		c.State, c.Agent = ConversationAgent, a.Name
		c.note(e, a.Name+" joined from queue "+c.Queue.Name)
		return nil
	}); err != nil || accepted {
		return err
	}
	return e.act(conversationID, func(c *emuConversation, now time.Time) error {
		c.connectAlerting(now)
		return nil
	})
}

// connectAlerting connects the agent participants still alerting.
func (c *emuConversation) connectAlerting(now time.Time) {
	for _, p := range c.holding(genesys.PurposeAgent) {
		if p.p.State == genesys.StateAlerting {
			p.connect(now)
		}
	}
}

// AgentSay sends an agent message to the customer through the webhook: a
// Text message, or a Structured one with quick replies.
func (e *Server) AgentSay(ctx context.Context, conversationID, text string, quickReplies ...string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return errors.New("the message is empty")
	case len(text) > MaxAgentText:
		return fmt.Errorf("the message is too long (%d bytes; at most %d)", len(text), MaxAgentText)
	case len(quickReplies) > maxQuickReplies:
		return fmt.Errorf("too many quick replies (%d; at most %d)", len(quickReplies), maxQuickReplies)
	}
	var replies []string
	for _, r := range quickReplies {
		if r = strings.TrimSpace(r); r != "" {
			replies = append(replies, r)
		}
	}
	return e.agentMessage(ctx, conversationID, func(c *emuConversation) (*genesys.OpenOutboundMessage, error) {
		if c.State != ConversationAgent {
			return nil, fmt.Errorf("conversation is %s: join it before replying", c.State)
		}
		c.addMessage(Message{From: "agent", Name: c.Agent, Text: text, Replies: replies, Time: e.opts.Now()})
		out := c.outbound(e)
		out.Type, out.Text = genesys.OpenTypeText, text
		if len(replies) > 0 {
			out.Type = genesys.OpenTypeStructured
			for _, r := range replies {
				out.Content = append(out.Content, genesys.OpenContent{ContentType: "QuickReply", QuickReply: &genesys.OpenQuickReply{Text: r, Payload: r, Action: "Message"}})
			}
		}
		return out, nil
	})
}

// AgentTransfer moves a conversation the agent has to another queue (any
// division), where it waits for an agent again: the agent's participant
// ends (transfer) and an acd participant of the queue starts.
func (e *Server) AgentTransfer(_ context.Context, conversationID, queue string) error {
	q := e.org.Queue(queue)
	if q == nil || (q.Name != queue && q.ID != queue) {
		return fmt.Errorf("no queue %q in the org", queue)
	}
	return e.act(conversationID, func(c *emuConversation, now time.Time) error {
		agent, err := c.agentLeaves(now, "transfer", "join it before transferring")
		if err != nil {
			return err
		}
		e.enqueueLocked(c, q, now, agent+" transferred the chat to queue "+q.Name)
		return nil
	})
}

// AgentTransferToAgent hands a conversation the agent has to another
// agent directly (no queue, so no membership needed): the first agent's
// participant ends (transfer), the other's is alerting, and the
// conversation is offered to that agent until it accepts (AgentJoin), as
// a Genesys agent accepts a transfer.
func (e *Server) AgentTransferToAgent(_ context.Context, conversationID, agent string) error {
	to, err := e.orgAgent(strings.TrimSpace(agent))
	if err != nil {
		return err
	}
	return e.act(conversationID, func(c *emuConversation, now time.Time) error {
		switch {
		case c.State != ConversationAgent:
			return fmt.Errorf("conversation is %s: join it before transferring", c.State)
		case c.Agent == to.Name:
			return fmt.Errorf("%s has the conversation already", to.Name)
		}
		from := c.Agent
		var q *org.Queue
		for _, p := range c.holding(genesys.PurposeAgent) {
			if p.p.Queue != nil {
				q = e.org.Queue(p.p.Queue.ID)
			}
			p.end(now, "transfer")
		}
		c.addParty(now, genesys.PurposeAgent, to.Name, genesys.StateAlerting, q, to)
		c.State, c.Agent = ConversationOffered, to.Name
		c.note(e, from+" transferred the chat to "+to.Name+"; waiting for "+to.Name+" to accept")
		return nil
	})
}

// AgentClose ends a conversation the agent has: the agent's participant
// ends (client), and with it the others (peer), unless
// AgentEndKeepsCustomer leaves the customer connected.
func (e *Server) AgentClose(_ context.Context, conversationID string) error {
	return e.act(conversationID, func(c *emuConversation, now time.Time) error {
		agent, err := c.agentLeaves(now, "client", "only an agent who joined can close it")
		if err != nil {
			return err
		}
		if e.opts.AgentEndKeepsCustomer {
			c.State = ConversationClosed
			c.note(e, agent+" closed the conversation")
			return nil
		}
		for _, p := range c.parties {
			p.end(now, "peer")
		}
		e.closeLocked(c, agent+" closed the conversation")
		return nil
	})
}

// ExpireConversation closes a queued or active conversation as Genesys does
// for its own inactivity rules: every participant ends with
// TimeoutDisconnectType.
func (e *Server) ExpireConversation(_ context.Context, conversationID string) error {
	return e.act(conversationID, func(c *emuConversation, now time.Time) error {
		if c.State != ConversationQueued && c.State != ConversationAgent && c.State != ConversationOffered {
			return fmt.Errorf("conversation is %s: nothing to expire", c.State)
		}
		for _, p := range c.parties {
			p.end(now, e.opts.TimeoutDisconnectType)
		}
		e.closeLocked(c, "Genesys closed the conversation (inactivity)")
		return nil
	})
}

// outbound is a message from the integration to the customer; its
// channel.from names the integration, never the agent.
func (c *emuConversation) outbound(e *Server) *genesys.OpenOutboundMessage {
	name := c.IntegrationID
	if it := e.integration(c.IntegrationID); it != nil {
		name = it.Name
	}
	id := strings.ReplaceAll(genesys.NewID(), "-", "")
	return &genesys.OpenOutboundMessage{
		ID: id,
		Channel: genesys.OpenOutboundChannel{
			ID: c.IntegrationID, Platform: "Open", Type: "Private", MessageID: id,
			To:   genesys.OpenMessageFrom{ID: c.Customer.ID, IDType: c.Customer.IDType},
			From: genesys.OpenMessageFrom{ID: c.IntegrationID, IDType: "Opaque", Nickname: name},
			Time: isoTime(e.opts.Now()),
		},
		ConversationID: c.ID, Direction: "Outbound", OriginatingEntity: "Human",
	}
}

// agentLeaves ends the participant of the agent who has c, with that
// disconnect type, and returns the agent's name; refusal says what a
// conversation no agent has needs first.
func (c *emuConversation) agentLeaves(now time.Time, disconnectType, refusal string) (string, error) {
	if c.State != ConversationAgent {
		return "", fmt.Errorf("conversation is %s: %s", c.State, refusal)
	}
	agent := c.Agent
	for _, p := range c.holding(genesys.PurposeAgent) {
		p.end(now, disconnectType)
	}
	return agent, nil
}
