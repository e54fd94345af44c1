package simulate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/flowctl/flowctl/flow"
)

// Options configure a Session. The zero value simulates: a virtual clock,
// every queue reachable, events dropped.
type Options struct {
	// Clock gives time and runs the inactivity timer; nil means a
	// VirtualClock at Epoch.
	Clock Clock
	// Resolver decides handovers and transfers; nil means AllQueues.
	Resolver QueueResolver
	// Sink receives every event, in order. It is called with the session
	// locked, so it must not call the session's methods.
	Sink func(Event)
	// SessionID and Channel are session.id and session.channel in
	// expressions; defaults "sim-1" and "simulate".
	SessionID, Channel string
	// Coverage, when set, records the blocks, edges and exits taken.
	Coverage *Coverage
	// Context, when set, stops the engine once it is done: the bot stops
	// between blocks, and that call and every later one return the
	// context's error (the session is then over, with no closure reason).
	Context context.Context
}

// Session is one conversation with a flow. Its methods are safe for
// concurrent use; with a real clock the inactivity timer fires from its own
// goroutine.
type Session struct {
	mu    sync.Mutex
	m     *machine
	clock Clock
	sink  func(Event)
	seq   int

	timer    Timer
	timerGen int // the machine's waitGen the timer was armed for
	deadline time.Time
	started  bool
	stopped  bool // Close was called
}

// New prepares a session on a project that passed validation. It runs
// nothing until Start.
func New(p *flow.Project, opts Options) (*Session, error) {
	if p == nil {
		return nil, errors.New("no project")
	}
	if p.EntryFlow() == nil {
		return nil, fmt.Errorf("%s: no entry flow %q", p.File, p.Start)
	}
	if opts.Clock == nil {
		opts.Clock = NewVirtualClock(Epoch)
	}
	if opts.Resolver == nil {
		opts.Resolver = AllQueues{}
	}
	info := flow.SessionInfo{ID: opts.SessionID, Channel: opts.Channel}
	if info.ID == "" {
		info.ID = "sim-1"
	}
	if info.Channel == "" {
		info.Channel = "simulate"
	}
	s := &Session{clock: opts.Clock, sink: opts.Sink}
	s.m = newMachine(p, NewRecogniser(p.Intents), opts.Resolver, info)
	s.m.cov = opts.Coverage
	s.m.emit = s.emit
	if opts.Context != nil {
		s.m.ctx = opts.Context
	}
	return s, nil
}

func (s *Session) emit(ev Event) {
	s.seq++
	ev.Seq = s.seq
	ev.At = s.clock.Now()
	if s.sink != nil {
		s.sink(ev)
	}
}

// Start runs the flow from its entry until the bot waits or the session
// closes. It may be called once.
func (s *Session) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return errStopped
	}
	if s.started {
		return errors.New("session already started")
	}
	s.started = true
	return s.done(s.m.start())
}

// Say sends a user message: to the bot when it owns the chat, to Genesys
// (the agent, or the queue until one joins) otherwise.
func (s *Session) Say(text string) error {
	return s.act(func() error { return s.m.userSays(text) })
}

// Agent applies an agent or Genesys event (join, say, transfer, close,
// timeout). An event the state does not allow, such as an agent message
// before an agent joined, is an error and changes nothing.
func (s *Session) Agent(ev AgentEvent) error {
	return s.act(func() error { return s.m.agent(ev) })
}

// act runs a user's or agent's action on the machine, under the lock, once
// the session is ready and no handover waits for its outcome.
func (s *Session) act(action func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(); err != nil {
		return err
	}
	if s.m.deferred != nil {
		return ErrHandoverPending
	}
	return s.done(action())
}

// Wait lets d pass on a virtual clock, firing the inactivity timer when it
// falls due. It fails on any other clock.
func (s *Session) Wait(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("wait needs a positive duration, got %s", d)
	}
	vc, ok := s.clock.(*VirtualClock)
	if !ok {
		return errors.New("wait needs a virtual clock")
	}
	s.mu.Lock()
	if err := s.ready(); err != nil {
		s.mu.Unlock()
		return err
	}
	s.emit(Event{Kind: EventWait, Duration: d})
	s.mu.Unlock()
	vc.Advance(d)
	return nil
}

// errStopped is what a session's methods return after Close.
var errStopped = fmt.Errorf("%w: its host stopped it", ErrClosed)

// Close stops the session for its host, for instance when a server forgets
// a chat or shuts down: the inactivity timer is stopped, and from then on
// the sink is never called again and Start, Say, Agent and Wait fail with an
// error that wraps ErrClosed. It emits no event and gives no closure reason
// (State still shows where the conversation stood): neither the user, the
// bot nor Genesys ended the conversation. Close may be called more than
// once and from any goroutine.
func (s *Session) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	s.stopTimer()
}

// done ends an action: the timer follows the new state, and a machine
// its context stopped makes the action fail.
func (s *Session) done(err error) error {
	if h := s.m.halted; h != nil {
		s.stopTimer()
		return h
	}
	s.syncTimer()
	return err
}

func (s *Session) ready() error {
	if s.stopped {
		return errStopped
	}
	if h := s.m.halted; h != nil {
		return h
	}
	if err := s.m.ctx.Err(); err != nil {
		return err
	}
	if !s.started {
		return errors.New("session not started")
	}
	return nil
}

// syncTimer arms a fresh inactivity timer each time the bot starts waiting
// and stops it whenever the bot does not own the chat or does not wait.
func (s *Session) syncTimer() {
	m := s.m
	if m.owner == OwnerBot && m.waiting {
		if s.timer != nil && s.timerGen == m.waitGen {
			return
		}
		s.stopTimer()
		gen := m.waitGen
		s.timerGen = gen
		d := m.p.MaxInactivity
		if d <= 0 {
			d = flow.DefaultMaxInactivity
		}
		s.deadline = s.clock.Now().Add(d)
		s.timer = s.clock.AfterFunc(d, func() { s.fire(gen) })
		return
	}
	s.stopTimer()
}

func (s *Session) stopTimer() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
		s.deadline = time.Time{}
	}
}

// fire is the inactivity timer's callback for the wait numbered gen.
func (s *Session) fire(gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || s.timer == nil || s.timerGen != gen || s.m.waitGen != gen {
		return
	}
	s.timer = nil
	s.deadline = time.Time{}
	s.m.inactivity()
	_ = s.done(nil)
}

// State is a snapshot of a session.
type State struct {
	Owner Owner
	// Block is the waiting block (bot), the redirect (queued, agent) or
	// where the session closed; a flow/block key.
	Block   string
	Waiting bool   // the bot waits for a user message
	Queue   string // queued, agent: the Genesys queue
	// ToAgent is, while queued after an agent-to-agent transfer, the
	// agent the chat waits for.
	ToAgent    string
	Reason     string // closed: the closure reason
	Memory     map[string]any
	Attributes []Attribute
	Intent     flow.NLU
	Now        time.Time
	// InactivityDeadline is when the inactivity timer fires; zero when it
	// does not run.
	InactivityDeadline time.Time
	// Pending are user messages waiting in Genesys for an agent.
	Pending []string
}

// State returns a snapshot of the session.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.m
	st := State{
		Owner: m.owner, Waiting: m.waiting, Queue: m.queue, ToAgent: m.toAgent, Reason: m.reason,
		Memory: maps.Clone(m.memory), Attributes: slices.Clone(m.attrs), Intent: m.intent,
		Now: s.clock.Now(), InactivityDeadline: s.deadline, Pending: slices.Clone(m.pending),
	}
	switch {
	case m.owner == OwnerQueued || m.owner == OwnerAgent:
		st.Block = m.redirect.Key()
	case m.block != nil:
		st.Block = m.block.Key()
	}
	return st
}
