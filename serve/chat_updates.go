package serve

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/flowctl/flowctl/simulate"
)

// maxSeenIDs bounds the webhook message ids remembered against replays.
const maxSeenIDs = 256

// accept takes an agent message from the webhook: checked and
// deduplicated by its message id at once, applied as the chat's next
// operation, in the conversation the chat has now when the message names
// none. The webhook answers right after (Genesys waits 10 s, then
// retries).
func (c *chat) accept(u agentUpdate) updateResult {
	for _, s := range u.signals {
		if s.kind == signalText && len(s.text) > MaxMessage {
			c.s.logf("chat %s: agent message refused: %d bytes (at most %d)", c.session, len(s.text), MaxMessage)
			return updateResult{http.StatusRequestEntityTooLarge, "error", fmt.Sprintf("the message is too long (%d bytes; at most %d)", len(s.text), MaxMessage)}
		}
	}
	c.mu.Lock()
	switch {
	case c.stopped || c.state.Closed:
		c.mu.Unlock()
		return updateResult{http.StatusOK, "ignored", "the chat is closed"}
	case c.seen.has(u.messageID):
		c.mu.Unlock()
		return updateResult{http.StatusOK, "ignored", "message " + u.messageID + " was taken already"}
	}
	c.seen.add(u.messageID)
	if u.conversationID == "" {
		// Open Messaging's outbound messages name no conversation: this
		// one is from the chat's conversation as it stands, which an
		// operation queued before it may leave for a newer one (follow).
		u.conversationID = c.convID
	}
	c.mu.Unlock()
	if err := c.do(func() { c.apply(u) }); err != nil {
		c.mu.Lock()
		c.seen.remove(u.messageID) // Genesys retries it
		c.mu.Unlock()
		return updateResult{http.StatusServiceUnavailable, "error", err.Error()}
	}
	return updateResult{http.StatusOK, "ok", "accepted"}
}

// lifecycleUpdate applies what the lifecycle source saw as the chat's next
// operation; it is never refused for a full queue.
func (c *chat) lifecycleUpdate(u agentUpdate) {
	if err := c.queue(func() { c.apply(u) }, true); err != nil {
		c.s.logf("chat %s: lifecycle update of conversation %s dropped: %v", c.session, u.conversationID, err)
	}
}

// apply maps an update to engine events for the chat as it stands, signal
// after signal.
func (c *chat) apply(u agentUpdate) {
	c.mu.Lock()
	current, closed := c.convID, c.stopped || c.state.Closed
	c.mu.Unlock()
	if closed || (u.conversationID != "" && u.conversationID != current) {
		// Closed, or a conversation the chat has left (the bot resumed, or
		// it followed a newer one).
		if !closed && slices.ContainsFunc(u.signals, func(s agentSignal) bool { return s.kind == signalText }) {
			c.s.logf("chat %s: agent message of conversation %s not shown: the chat has left that conversation", c.session, u.conversationID)
		}
		return
	}
	for _, s := range u.signals {
		owner := c.owner()
		note := ""
		c.mu.Lock()
		if s.queueID != "" && (s.kind == signalJoin || s.kind == signalTransfer) {
			c.queueID = s.queueID
		}
		switch s.kind {
		case signalAgentTransfer:
			if owner == simulate.OwnerAgent && s.agent != "" && c.agentName != "" && s.agent != c.agentName {
				note = fmt.Sprintf("%s transferred the chat to %s", c.agentName, s.agent)
			}
		case signalJoin:
			if s.agent != "" {
				c.agentName = s.agent
			}
		case signalText:
			if c.agentName == "" {
				c.agentName = s.agent
			}
			c.agentReplies = s.replies
		}
		c.lastActive = time.Now()
		c.mu.Unlock()
		if note != "" {
			c.note(note)
		}
		for _, ev := range eventsFor(s, owner) {
			if err := c.sess.Agent(ev); err != nil {
				c.s.logf("chat %s: %s from Genesys not applied: %v", c.session, ev, err)
				break
			}
		}
	}
	c.settle()
}

// follow makes the chat go on in conversation to, which Genesys started
// for the customer's message after conversation from ended on its side
// (before the lifecycle said so): from is left, to is put in the chat's
// queue (the integration's inbound flow holds it) and watched. It returns
// the chat's conversation.
func (c *chat) follow(from, to string) string {
	c.mu.Lock()
	if c.stopped || c.convID != from {
		stopped := c.stopped
		c.mu.Unlock()
		if stopped {
			c.s.bridge.leave(to)
		}
		return from
	}
	c.convID = to
	queueID, queue := c.queueID, c.state.Queue
	c.mu.Unlock()
	c.s.reg.mapConversation(c, to)
	c.s.bridge.leave(from)
	c.s.logf("chat %s: Genesys put the customer's message in a new conversation %s (%s ended on its side)", c.session, to, from)
	c.note(fmt.Sprintf("Genesys started a new conversation for this message (the previous one ended on its side); it goes to queue %q", queue))
	ctx, cancel := context.WithTimeout(c.ctx, genesysTimeout)
	defer cancel()
	if err := c.s.bridge.moveToQueue(ctx, to, c.customer, queueID, queue); err != nil {
		c.s.logf("chat %s: conversation %s not put in queue %q: %v", c.session, to, queue, err)
		c.note(fmt.Sprintf("the new conversation was not put in queue %q: %v", queue, err))
	}
	if c.owner() == simulate.OwnerAgent {
		if err := c.sess.Agent(simulate.AgentEvent{Action: simulate.AgentTransfer, Queue: queue}); err != nil {
			c.s.logf("chat %s: %v", c.session, err)
		}
	}
	return to
}

// recentIDs remembers the last maxSeenIDs ids.
type recentIDs struct {
	set  map[string]struct{}
	ring []string
	next int
}

func (r *recentIDs) has(id string) bool {
	_, ok := r.set[id]
	return id != "" && ok
}

func (r *recentIDs) add(id string) {
	if id == "" || r.has(id) {
		return
	}
	if r.set == nil {
		r.set = make(map[string]struct{}, maxSeenIDs)
		r.ring = make([]string, maxSeenIDs)
	}
	delete(r.set, r.ring[r.next])
	r.ring[r.next] = id
	r.set[id] = struct{}{}
	r.next = (r.next + 1) % maxSeenIDs
}

func (r *recentIDs) remove(id string) { delete(r.set, id) }
