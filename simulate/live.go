package simulate

import (
	"errors"

	"github.com/flowctl/flowctl/flow"
)

// Hooks for a live bridge (flowctl serve), where handovers and transfers
// happen in a real Genesys: the bridge performs each handover itself,
// outside the session's lock (it is network I/O), and agent transfers were
// already made by Genesys, so they need no second check.

// SetTransferResolver sets the resolver that checks agent transfer targets
// (by default the session's Resolver). Call it before Start.
func (s *Session) SetTransferResolver(r QueueResolver) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m.transfers = r
}

// HandoverRequest is a handover the session waits on: the queue name and
// what travels with it.
type HandoverRequest struct {
	Queue      string
	Attributes []Attribute // accumulated by SetExternalSessionAttributes
	Input      string      // the last user message
	block      *flow.Block // the redirect
	steps      int         // blocks run in a row before it
}

// ErrHandoverPending is what Say and Agent return while a deferred handover
// waits for CompleteHandover.
var ErrHandoverPending = errors.New("a handover is in progress")

// DeferHandovers makes the session stop at every Redirect with a queue name
// instead of asking its Resolver: the host reads the request with
// PendingHandover after Start, Say or Agent, performs the handover without
// holding the session, and reports the outcome with CompleteHandover. In
// between, Say and Agent fail with ErrHandoverPending and no inactivity
// timer runs. Call it before Start.
func (s *Session) DeferHandovers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m.deferHandovers = true
}

// PendingHandover returns the deferred handover waiting for its outcome.
func (s *Session) PendingHandover() (HandoverRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m.deferred == nil {
		return HandoverRequest{}, false
	}
	return *s.m.deferred, true
}

// CompleteHandover applies the outcome of the pending handover as the
// Resolver's answer would have been applied: the chat goes to the queue, or
// to the Redirect's onError (the bot runs on until it waits), or closes.
func (s *Session) CompleteHandover(res Resolution) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return errStopped
	}
	if s.m.deferred == nil {
		return errors.New("no handover is pending")
	}
	s.m.completeHandover(res)
	s.syncTimer()
	return nil
}
