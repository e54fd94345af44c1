package serve

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
)

// Bounds of a chat's operations.
const (
	// maxQueuedOps bounds the operations waiting for one chat.
	maxQueuedOps = 16
	// maxSeenIDs bounds the update ids remembered against replays.
	maxSeenIDs = 256
)

// opQueue runs a chat's operations one at a time, in the order they came,
// on a goroutine that lives while there are any.
type opQueue struct {
	mu      sync.Mutex
	q       []func()
	running bool
}

// push queues f; false when maxQueuedOps wait already.
func (o *opQueue) push(f func()) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.q) >= maxQueuedOps {
		return false
	}
	o.q = append(o.q, f)
	if !o.running {
		o.running = true
		go o.run()
	}
	return true
}

func (o *opQueue) run() {
	for {
		o.mu.Lock()
		if len(o.q) == 0 {
			o.running, o.q = false, nil
			o.mu.Unlock()
			return
		}
		f := o.q[0]
		o.q[0] = nil
		o.q = o.q[1:]
		o.mu.Unlock()
		f()
	}
}

// settle does what the last session call left to the bridge: the pending
// handover (the engine waits for it), then the user messages for Genesys.
// It runs as the chat's operation and holds no lock during the network
// I/O, so pages read the chat, and restart or shutdown stop it, meanwhile.
func (c *chat) settle() {
	for {
		req, ok := c.sess.PendingHandover()
		if !ok {
			break
		}
		if c.sess.CompleteHandover(c.handOver(req)) != nil {
			break // stopped meanwhile
		}
	}
	c.flushOutbox()
}

// handOver performs a handover the engine waits on and returns its outcome
// in the engine's terms.
func (c *chat) handOver(req simulate.HandoverRequest) simulate.Resolution {
	attrs := make(map[string]string, len(req.Attributes))
	for _, a := range req.Attributes {
		attrs[a.Key] = a.Value
	}
	text := "Handed over by the bot."
	if req.Input != "" {
		text = fmt.Sprintf("Handed over by the bot. Last message: %q", req.Input)
	}
	ctx, cancel := context.WithTimeout(c.ctx, genesysTimeout)
	defer cancel()
	res, err := c.s.bridge.handOver(ctx, handoverCall{customer: c.customer, queue: req.Queue, text: text, attributes: attrs})
	if err != nil {
		c.mu.Lock()
		c.handoverErr = err.Error()
		c.mu.Unlock()
		c.s.logf("chat %s: handover to %q failed: %v", c.session, req.Queue, err)
		return resolutionOf(err)
	}
	c.mu.Lock()
	stopped := c.stopped
	if !stopped {
		c.convID, c.attrs = res.conversationID, attrs
	}
	c.mu.Unlock()
	if stopped {
		// The chat ended during the handover: nobody is behind it.
		c.s.bridge.leave(res.conversationID)
	}
	c.s.reg.mapConversation(c, res.conversationID)
	return simulate.Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable, QueueID: res.queueID, Division: res.division}}
}

// flushOutbox sends the user messages typed while Genesys owns the chat, in
// order.
func (c *chat) flushOutbox() {
	c.mu.Lock()
	texts, conv, attrs := c.outbox, c.convID, c.attrs
	c.outbox = nil
	c.mu.Unlock()
	for _, t := range texts {
		ctx, cancel := context.WithTimeout(c.ctx, genesysTimeout)
		err := c.s.bridge.send(ctx, customerMessage{customer: c.customer, conversation: conv, text: t, attributes: attrs})
		cancel()
		if err != nil {
			c.s.logf("chat %s: message not delivered to Genesys (conversation %s): %v", c.session, conv, err)
			c.note(fmt.Sprintf("message not delivered to Genesys: %v", err))
		}
	}
}

// deliver applies an update from Genesys as the chat's next operation and
// waits for it: one that arrives during a handover waits for it to finish,
// and updates are applied one after the other, each against the state the
// previous one left.
func (c *chat) deliver(ctx context.Context, u agentUpdate) updateResult {
	done := make(chan updateResult, 1)
	if err := c.do(func() { done <- c.apply(u) }); err != nil {
		return updateResult{http.StatusServiceUnavailable, "error", err.Error()}
	}
	select {
	case res := <-done:
		return res
	case <-ctx.Done():
		return updateResult{http.StatusServiceUnavailable, "error", "the chat did not take the update in time: retry"}
	}
}

// apply maps an update to engine events for the chat as it stands.
func (c *chat) apply(u agentUpdate) updateResult {
	c.mu.Lock()
	current, closed := c.convID, c.stopped || c.state.Closed
	c.mu.Unlock()
	switch {
	case closed:
		return updateResult{http.StatusOK, "ignored", "the chat is closed"}
	case u.conversationID != "" && u.conversationID != current:
		// A conversation the chat has left (the bot resumed, or it moved on
		// to a newer handover).
		return updateResult{http.StatusOK, "ignored", "the chat is no longer in conversation " + u.conversationID}
	case c.seen.has(u.messageID):
		return updateResult{http.StatusOK, "ignored", "message " + u.messageID + " was applied already"}
	}
	for _, s := range u.signals {
		if s.kind == signalText && len(s.text) > MaxMessage {
			c.s.logf("chat %s: agent message refused: %d bytes (at most %d)", c.session, len(s.text), MaxMessage)
			return updateResult{http.StatusRequestEntityTooLarge, "error", fmt.Sprintf("the message is too long (%d bytes; at most %d)", len(s.text), MaxMessage)}
		}
	}
	evs := agentEvents(u, c.owner())
	if len(evs) == 0 {
		return updateResult{http.StatusOK, "ignored", "nothing for the chat"}
	}
	c.mu.Lock()
	if u.agent != "" {
		c.agentName = u.agent
	}
	c.lastActive = time.Now()
	c.mu.Unlock()
	var err error
	for _, ev := range evs {
		if err = c.sess.Agent(ev); err != nil {
			break
		}
	}
	c.settle()
	if err != nil {
		return updateResult{http.StatusConflict, "error", err.Error()}
	}
	c.seen.add(u.messageID)
	return updateResult{http.StatusOK, "ok", "applied"}
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
