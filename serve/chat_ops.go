package serve

import (
	"context"
	"fmt"
	"sync"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
)

// Bounds of a chat's operations.
const (
	// maxQueuedOps bounds the operations waiting for one chat.
	maxQueuedOps = 16
)

// opQueue runs a chat's operations one at a time, in the order they came,
// on a goroutine that lives while there are any.
type opQueue struct {
	mu      sync.Mutex
	q       []func()
	running bool
}

// push queues f; false when maxQueuedOps wait already, unless always
// (an update of the conversation's lifecycle: Genesys sends no more of
// them than the conversation has changes).
func (o *opQueue) push(f func(), always bool) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.q) >= maxQueuedOps && !always {
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
	c.flushLeaves()
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
		err = c.s.orgVerdict(err)
		c.mu.Lock()
		c.handoverErr = err.Error()
		c.mu.Unlock()
		c.s.logf("chat %s: handover to %q failed: %v", c.session, req.Queue, err)
		return resolutionOf(err)
	}
	c.mu.Lock()
	stopped := c.stopped
	if !stopped {
		c.convID, c.attrs, c.queueID = res.conversationID, attrs, res.queueID
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
// order. A message Genesys puts in a new conversation (the previous one
// ended on its side) makes the chat follow it.
func (c *chat) flushOutbox() {
	c.mu.Lock()
	texts, conv, attrs := c.outbox, c.convID, c.attrs
	c.outbox = nil
	c.mu.Unlock()
	for _, t := range texts {
		ctx, cancel := context.WithTimeout(c.ctx, genesysTimeout)
		got, err := c.s.bridge.send(ctx, customerMessage{customer: c.customer, conversation: conv, text: t, attributes: attrs})
		cancel()
		switch {
		case err != nil:
			c.s.logf("chat %s: message not delivered to Genesys (conversation %s): %v", c.session, conv, err)
			c.note(fmt.Sprintf("message not delivered to Genesys: %v", err))
		case got != "" && conv != "" && got != conv:
			conv = c.follow(conv, got)
		}
	}
}

// flushLeaves leaves the conversations the chat is done with (the bot
// resumed, or the chat closed): Genesys ends them unless they are over.
func (c *chat) flushLeaves() {
	c.mu.Lock()
	ids := c.leaving
	c.leaving = nil
	c.mu.Unlock()
	for _, id := range ids {
		c.s.bridge.leave(id)
	}
}
