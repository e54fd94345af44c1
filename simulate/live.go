package simulate

import "slices"

// Hooks for a live bridge (flowctl serve), where handovers and transfers
// happen in a real Genesys: the bridge's QueueResolver performs the
// handover itself and needs what travels with it, and agent transfers were
// already made by Genesys, so they need no second check.

// SetTransferResolver sets the resolver that checks agent transfer targets
// (by default the session's Resolver). Call it before Start.
func (s *Session) SetTransferResolver(r QueueResolver) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m.transfers = r
}

// HandoverContext returns the attributes accumulated so far and the last
// user message. It is meant for a QueueResolver: call it only from inside
// ResolveQueue, which runs with the session locked (the lock is not taken
// again, so calling it anywhere else is a data race).
func (s *Session) HandoverContext() (attrs []Attribute, input string) {
	return slices.Clone(s.m.attrs), s.m.input
}
