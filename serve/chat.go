package serve

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
)

// Roles of chat log entries (the page contract's data-role values).
const (
	roleBot    = "bot"
	roleUser   = "user"
	roleAgent  = "agent"
	roleSystem = "system"
)

// maxWaitingMessages bounds the user messages that wait in the queue for
// an agent (the engine keeps them until one joins).
const maxWaitingMessages = 20

// chat is one web chat: a live session of the flow, its log for pages that
// (re)connect, and its Genesys conversation once handed over.
type chat struct {
	s *Server
	// id is the chat's capability: it opens the chat and its transcript.
	// Neither the flow nor Genesys ever sees it.
	id string
	// session is session.id in the flow's expressions: not a secret.
	session string
	// customer is the chat's customer id in Open Messaging, random and
	// distinct from both.
	customer string
	proj     *flow.Project
	version  int // the flow version it runs
	sess     *simulate.Session
	created  time.Time
	// ctx ends when the chat stops, cancelling its Genesys calls.
	ctx    context.Context
	cancel context.CancelFunc
	// mappedConv is the conversation id the registry maps to the chat
	// (guarded by the registry's lock).
	mappedConv string

	// ops runs the chat's operations (user messages, agent updates) one at
	// a time, in order, with the Genesys calls they cause.
	ops opQueue

	mu           sync.Mutex
	log          chatLog
	state        wireState
	subs         map[*pageConn]struct{}
	outbox       []string          // user messages for Genesys, sent after the operation
	leaving      []string          // conversations the chat is done with, left after the operation
	waiting      int               // user messages waiting in the queue for an agent
	convID       string            // the Genesys conversation
	queueID      string            // the queue it waits in or came from
	attrs        map[string]string // attributes sent with the handover
	agentName    string            // the agent who has the chat
	agentReplies []string          // the quick replies of the agent message being applied
	seen         recentIDs         // webhook message ids taken, against Genesys's retries
	handoverErr  string            // the Genesys error of the handover being decided
	lastActive   time.Time
	stopped      bool
}

// wireEvent is one chat log entry as pages receive it.
type wireEvent struct {
	Type         string    `json:"type"` // "event"
	Seq          int       `json:"seq"`
	At           time.Time `json:"at"`
	Kind         string    `json:"kind"` // the engine's event kind, or "note"
	Role         string    `json:"role"`
	Text         string    `json:"text"`
	Name         string    `json:"name,omitempty"` // the agent's name
	QuickReplies []string  `json:"quickReplies,omitempty"`
}

// wireState is the session state shown in [data-testid=chat-state].
type wireState struct {
	Type   string `json:"type"`  // "state"
	State  string `json:"state"` // bot, queued, agent or "closed: REASON"
	Queue  string `json:"queue,omitempty"`
	Closed bool   `json:"closed"`
}

// newChat starts a chat on the current flow. At MaxChats the registry
// forgets one first (see chatRegistry.add). The flow starts as the chat's
// first operation: a page attached meanwhile sees every event.
func (s *Server) newChat() (*chat, error) {
	p, st := s.flow.current()
	if p == nil {
		return nil, errors.New("the flow has errors: fix them and the chat starts")
	}
	if s.gate.closed() {
		return nil, errShuttingDown
	}
	now := time.Now()
	c := &chat{
		s: s, id: newChatID(), session: newSessionID(), customer: newChatID(), proj: p, version: st.Version, created: now,
		subs: map[*pageConn]struct{}{}, state: wireState{Type: "state", State: string(simulate.OwnerBot)}, lastActive: now,
	}
	sess, err := simulate.New(p, simulate.Options{Clock: s.clock, Sink: c.sink, SessionID: c.session, Channel: "web"})
	if err != nil {
		return nil, err
	}
	// The bridge hands over itself, outside the session's lock; Genesys
	// made agent transfers already: any queue they name is fine.
	sess.DeferHandovers()
	sess.SetTransferResolver(simulate.AllQueues{})
	c.sess = sess
	c.ctx, c.cancel = context.WithCancel(s.ctx)
	evicted, err := s.reg.add(c, now)
	if err != nil {
		c.cancel()
		return nil, err
	}
	if evicted != nil {
		s.logf("chat %s forgotten to make room for a new one (%d chats at most)", evicted.session, s.opts.MaxChats)
		evicted.stop("this chat was forgotten to make room for a new one")
	}
	if err := c.do(func() {
		if err := sess.Start(); err == nil {
			c.settle()
		}
	}); err != nil {
		c.stop("")
		return nil, err
	}
	return c, nil
}

// errBusy refuses an operation when a chat has too many waiting.
var errBusy = fmt.Errorf("too many messages waiting for this chat (at most %d): slow down", maxQueuedOps)

// do runs f as the chat's next operation, after the ones before it; it
// fails once the server is closing or when too many wait.
func (c *chat) do(f func()) error { return c.queue(f, false) }

// queue is do; always takes f however many wait.
func (c *chat) queue(f func(), always bool) error {
	if !c.s.gate.begin() {
		return errShuttingDown
	}
	if !c.ops.push(func() { defer c.s.gate.end(); f() }, always) {
		c.s.gate.end()
		return errBusy
	}
	return nil
}

// say takes a message the user typed. It is checked at once and applied as
// the chat's next operation; report gets the engine's refusal (the chat is
// closed, ...) when there is one.
func (c *chat) say(text string, report func(error)) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("the message is empty")
	}
	if len(text) > MaxMessage {
		return fmt.Errorf("the message is too long (%d bytes; at most %d)", len(text), MaxMessage)
	}
	return c.do(func() {
		c.touch()
		err := c.tooManyWaiting()
		if err == nil {
			if err = c.sess.Say(text); err == nil {
				c.settle()
			}
		}
		if err != nil && report != nil {
			report(err)
		}
	})
}

// tooManyWaiting refuses a message while maxWaitingMessages wait in the
// queue already.
func (c *chat) tooManyWaiting() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.State == string(simulate.OwnerQueued) && c.waiting >= maxWaitingMessages {
		return fmt.Errorf("%d messages already wait for an agent: wait until one joins", c.waiting)
	}
	return nil
}

func (c *chat) touch() {
	c.mu.Lock()
	c.lastActive = time.Now()
	c.mu.Unlock()
}

// owner returns the chat's state as the engine's owner.
func (c *chat) owner() simulate.Owner {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Closed {
		return simulate.OwnerClosed
	}
	return simulate.Owner(c.state.State)
}

// sink receives the engine's events (with the session locked).
func (c *chat) sink(ev simulate.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	stateChanged := true
	switch ev.Kind {
	case simulate.EventHandover, simulate.EventTransfer, simulate.EventAgentTransfer:
		c.state = wireState{Type: "state", State: string(simulate.OwnerQueued), Queue: ev.Queue}
	case simulate.EventAgentJoin:
		c.state = wireState{Type: "state", State: string(simulate.OwnerAgent), Queue: ev.Queue}
		c.waiting = 0
	case simulate.EventResume:
		c.state = wireState{Type: "state", State: string(simulate.OwnerBot)}
		c.leaveLocked()
	case simulate.EventClosed:
		c.state = wireState{Type: "state", State: "closed: " + ev.Reason, Closed: true}
		c.leaveLocked()
	default:
		stateChanged = false
	}
	if ev.Kind == simulate.EventUser && ev.ToGenesys {
		c.outbox = append(c.outbox, ev.Text)
		if c.state.State == string(simulate.OwnerQueued) {
			c.waiting++
		}
	}
	switch ev.Kind {
	case simulate.EventHandover, simulate.EventTransfer, simulate.EventAgentTransfer, simulate.EventResume:
		c.agentName, c.waiting = "", 0
	}
	e := logEntry{ev: ev}
	switch ev.Kind {
	case simulate.EventAgent:
		e.name, e.replies, c.agentReplies = c.agentName, c.agentReplies, nil
	case simulate.EventAgentJoin:
		e.name = c.agentName
	case simulate.EventHandoverFailed:
		e.genesysErr, c.handoverErr = c.handoverErr, ""
	}
	c.s.transcript(c.id, ev, e.genesysErr)
	if we, ok := c.log.add(e); ok {
		c.sendLocked(we)
	}
	if stateChanged {
		c.sendLocked(c.state)
	}
}

// leaveLocked makes the chat done with its conversation: it is left once
// the operation ends (flushLeaves).
func (c *chat) leaveLocked() {
	if c.convID != "" {
		c.leaving = append(c.leaving, c.convID)
	}
	c.convID, c.agentName = "", ""
}

// note adds a system entry that is not an engine event.
func (c *chat) note(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if we, ok := c.log.add(noteEntry(text, time.Now())); ok {
		c.sendLocked(we)
	}
	c.s.transcriptNote(c.id, text)
}

// stop ends a chat for good (restarted, forgotten, or the server stops):
// no more events, its Genesys calls are cancelled, its inactivity timer is
// stopped and its Genesys conversation is ended (the customer left). note, when set, is the
// chat's last log entry.
func (c *chat) stop(note string) {
	if note != "" {
		c.note(note)
	}
	c.mu.Lock()
	already := c.stopped
	c.stopped = true
	c.leaveLocked()
	leaving := c.leaving
	c.leaving = nil
	if !already && !c.state.Closed {
		c.state = wireState{Type: "state", State: "closed: stopped", Closed: true}
		c.sendLocked(c.state)
	}
	c.mu.Unlock()
	if already {
		return
	}
	c.cancel()
	c.sess.Close()
	for _, id := range leaving {
		c.s.bridge.leave(id)
	}
}
