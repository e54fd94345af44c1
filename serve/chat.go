package serve

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/simulate"
)

// Roles of chat log entries (the page contract's data-role values).
const (
	roleBot    = "bot"
	roleUser   = "user"
	roleAgent  = "agent"
	roleSystem = "system"
)

// chat is one web chat: a live session of the flow, its history for pages
// that (re)connect, and its Genesys conversation once handed over.
type chat struct {
	s       *Server
	id      string
	proj    *flow.Project
	version int // the flow version it runs
	sess    *simulate.Session
	created time.Time
	// customer is the chat's customer id in Open Messaging: random and
	// distinct from the chat id, which is the page's capability.
	customer string
	// mappedConv is the conversation id s.byConv maps to the chat (guarded
	// by s.mu).
	mappedConv string

	// op serialises the chat's operations (user messages, agent events) and
	// the Genesys sends they cause, so messages reach Genesys in order.
	op   sync.Mutex
	seen recentIDs // webhook message ids applied (guarded by op)

	mu          sync.Mutex
	events      []simulate.Event // the engine's transcript, for save as test (at most maxEvents)
	eventsFull  bool             // events stopped at maxEvents
	history     []wireEvent      // what pages show: the last entries, at most maxHistory
	dropped     int              // older entries no longer kept
	seq         int              // the last entry's number
	state       wireState
	subs        map[*pageConn]struct{}
	outbox      []string          // user messages for Genesys, sent after the operation
	convID      string            // the Genesys conversation
	attrs       map[string]string // attributes sent with the handover
	agentName   string            // the agent who has the chat
	handoverErr string            // the Genesys error of the handover being resolved
	failures    map[int]string    // event seq -> Genesys error of a failed handover
	lastActive  time.Time
	stopped     bool
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

// errTooManyChats refuses a chat beyond Options.MaxChats when every chat
// has a page open.
var errTooManyChats = errors.New("too many chats: try again later")

// Bounds of one chat's memory.
const (
	// maxHistory bounds the log entries kept for pages; beyond it the
	// oldest tenth is dropped at once.
	maxHistory = 1000
	// maxEvents bounds the engine events kept for "save as test" and the
	// served JSON lines (the transcript file has them all).
	maxEvents = 2000
	// maxSeenIDs bounds the webhook message ids remembered against
	// replays.
	maxSeenIDs = 256
)

// newChat starts a chat on the current flow. When MaxChats are kept, the
// least recently active chat that no page shows is forgotten first.
func (s *Server) newChat() (*chat, error) {
	p, st := s.flow.current()
	if p == nil {
		return nil, errors.New("the flow has errors: fix them and the chat starts")
	}
	if !s.beginOp() {
		return nil, errShuttingDown
	}
	defer s.endOp()
	c := &chat{
		s: s, id: newChatID(), customer: newChatID(), proj: p, version: st.Version, created: time.Now(),
		subs: map[*pageConn]struct{}{}, state: wireState{Type: "state", State: string(simulate.OwnerBot)},
	}
	c.lastActive = c.created
	sess, err := simulate.New(p, simulate.Options{
		Clock: s.clock, Resolver: c, Sink: c.sink,
		SessionID: c.id, Channel: "web",
	})
	if err != nil {
		return nil, err
	}
	// Genesys made the transfer already: any queue it names is fine.
	sess.SetTransferResolver(simulate.AllQueues{})
	c.sess = sess
	s.mu.Lock()
	var evicted *chat
	if len(s.chats) >= s.opts.MaxChats {
		if evicted = s.evictOneLocked(); evicted == nil {
			s.mu.Unlock()
			return nil, errTooManyChats
		}
	}
	s.chats[c.id] = c
	s.byCustomer[c.customer] = c
	s.mu.Unlock()
	if evicted != nil {
		s.logf("chat %s forgotten to make room for a new one (%d chats at most)", evicted.id[:8], s.opts.MaxChats)
		evicted.stop("")
	}
	c.op.Lock()
	err = sess.Start()
	c.flushOutbox()
	c.op.Unlock()
	return c, err
}

// chat returns the chat with that id, or nil.
func (s *Server) chat(id string) *chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chats[id]
}

// say takes a message the user typed.
func (c *chat) say(text string) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("the message is empty")
	}
	if len(text) > MaxMessage {
		return fmt.Errorf("the message is too long (%d bytes; at most %d)", len(text), MaxMessage)
	}
	if !c.s.beginOp() {
		return errShuttingDown
	}
	defer c.s.endOp()
	c.op.Lock()
	defer c.op.Unlock()
	c.touch()
	err := c.sess.Say(text)
	c.flushOutbox()
	return err
}

// webhookResult is how a webhook message was taken: an HTTP status and a
// one-key JSON answer ("ok", "ignored" or "error").
type webhookResult struct {
	status int
	key    string
	text   string
}

// webhook applies an agent message or event from Genesys. It runs as a chat
// operation: one that arrives during the handover waits for it to finish,
// and concurrent ones are mapped one after the other, each against the
// state the previous one left.
func (c *chat) webhook(m genesys.OpenOutboundMessage) webhookResult {
	if !c.s.beginOp() {
		return webhookResult{http.StatusServiceUnavailable, "error", errShuttingDown.Error()}
	}
	defer c.s.endOp()
	c.op.Lock()
	defer c.op.Unlock()
	c.mu.Lock()
	current, closed := c.convID, c.stopped || c.state.Closed
	c.mu.Unlock()
	switch {
	case closed:
		return webhookResult{http.StatusOK, "ignored", "the chat is closed"}
	case m.ConversationID != "" && m.ConversationID != current:
		// A conversation the chat has left (the bot resumed, or it moved on
		// to a newer handover).
		return webhookResult{http.StatusOK, "ignored", "the chat is no longer in conversation " + m.ConversationID}
	}
	id := m.ID
	if id == "" {
		id = m.Channel.MessageID
	}
	if c.seen.has(id) {
		return webhookResult{http.StatusOK, "ignored", "message " + id + " was applied already"}
	}
	if m.Type == genesys.OpenTypeText && len(m.Text) > MaxMessage {
		c.s.logf("chat %s: agent message refused: %d bytes (at most %d)", c.id[:8], len(m.Text), MaxMessage)
		return webhookResult{http.StatusRequestEntityTooLarge, "error", fmt.Sprintf("the message is too long (%d bytes; at most %d)", len(m.Text), MaxMessage)}
	}
	owner, _ := c.owner()
	evs, name := agentEvents(m, owner)
	if len(evs) == 0 {
		return webhookResult{http.StatusOK, "ignored", "nothing for the chat"}
	}
	c.mu.Lock()
	if name != "" {
		c.agentName = name
	}
	c.lastActive = time.Now()
	c.mu.Unlock()
	var err error
	for _, ev := range evs {
		if err = c.sess.Agent(ev); err != nil {
			break
		}
	}
	c.flushOutbox()
	if err != nil {
		return webhookResult{http.StatusConflict, "error", err.Error()}
	}
	c.seen.add(id)
	return webhookResult{http.StatusOK, "ok", "applied"}
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

func (c *chat) touch() {
	c.mu.Lock()
	c.lastActive = time.Now()
	c.mu.Unlock()
}

// owner returns the chat's state as the engine's owner and the agent.
func (c *chat) owner() (simulate.Owner, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.state.State
	if c.state.Closed {
		st = string(simulate.OwnerClosed)
	}
	return simulate.Owner(st), c.agentName
}

// sink receives the engine's events (with the session locked).
func (c *chat) sink(ev simulate.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	if len(c.events) < maxEvents {
		c.events = append(c.events, ev)
	} else {
		c.eventsFull = true
	}
	stateChanged := true
	switch ev.Kind {
	case simulate.EventHandover, simulate.EventTransfer:
		c.state = wireState{Type: "state", State: string(simulate.OwnerQueued), Queue: ev.Queue}
	case simulate.EventAgentJoin:
		c.state = wireState{Type: "state", State: string(simulate.OwnerAgent), Queue: ev.Queue}
	case simulate.EventResume:
		c.state = wireState{Type: "state", State: string(simulate.OwnerBot)}
		c.convID, c.agentName = "", ""
	case simulate.EventClosed:
		c.state = wireState{Type: "state", State: "closed: " + ev.Reason, Closed: true}
	default:
		stateChanged = false
	}
	if ev.Kind == simulate.EventUser && ev.ToGenesys {
		c.outbox = append(c.outbox, ev.Text)
	}
	if ev.Kind == simulate.EventHandover || ev.Kind == simulate.EventTransfer || ev.Kind == simulate.EventResume {
		c.agentName = ""
	}
	c.s.transcript(c.id, ev, c.handoverErr)
	if we, ok := c.wire(ev); ok {
		c.addLocked(we)
	}
	if ev.Kind == simulate.EventHandoverFailed && c.handoverErr != "" {
		if c.failures == nil {
			c.failures = map[int]string{}
		}
		c.failures[ev.Seq] = c.handoverErr
		c.handoverErr = ""
	}
	if stateChanged {
		c.sendLocked(c.state)
	}
}

// wire turns an engine event into a log entry; false for events pages do
// not show (delivery receipts, virtual waits).
func (c *chat) wire(ev simulate.Event) (wireEvent, bool) {
	we := wireEvent{Type: "event", At: ev.At, Kind: string(ev.Kind), Role: roleSystem, Text: ev.Line()}
	switch ev.Kind {
	case simulate.EventBot:
		we.Role, we.Text, we.QuickReplies = roleBot, ev.Text, ev.QuickReplies
	case simulate.EventUser:
		we.Role, we.Text = roleUser, ev.Text
	case simulate.EventAgent:
		we.Role, we.Text, we.Name = roleAgent, ev.Text, c.agentName
	case simulate.EventAgentJoin:
		if c.agentName != "" {
			we.Text = fmt.Sprintf("%s joined from queue %q", c.agentName, ev.Queue)
			we.Name = c.agentName
		}
	case simulate.EventHandoverFailed:
		if c.handoverErr != "" {
			we.Text = fmt.Sprintf("handover to queue %q failed: %s", ev.Queue, c.handoverErr)
		}
	case simulate.EventDelivered, simulate.EventWait:
		return wireEvent{}, false
	}
	return we, true
}

// note adds a system entry that is not an engine event.
func (c *chat) note(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addLocked(wireEvent{Type: "event", At: time.Now(), Kind: "note", Role: roleSystem, Text: text})
	c.s.transcriptNote(c.id, text)
}

func (c *chat) addLocked(we wireEvent) {
	c.seq++
	we.Seq = c.seq
	if len(c.history) >= maxHistory {
		n := maxHistory / 10
		c.history = append(c.history[:0], c.history[n:]...)
		c.dropped += n
	}
	c.history = append(c.history, we)
	c.sendLocked(we)
}

// sendLocked sends a message to every page showing the chat.
func (c *chat) sendLocked(v any) {
	if len(c.subs) == 0 {
		return
	}
	data := mustJSON(v)
	for pc := range c.subs {
		pc.send(data)
	}
}

// historyChunk bounds the entries of one history message.
const historyChunk = 100

// attach makes a page show the chat: its history and state, in messages
// of at most historyChunk entries, then live entries.
func (c *chat) attach(pc *pageConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	evs := c.history
	for first := true; first || len(evs) > 0; first = false {
		n := min(len(evs), historyChunk)
		h := history{Type: "history", Events: evs[:n], State: c.state, Append: !first, Dropped: c.dropped}
		if h.Events == nil {
			h.Events = []wireEvent{}
		}
		pc.send(mustJSON(h))
		evs = evs[n:]
	}
	c.subs[pc] = struct{}{}
	c.lastActive = time.Now()
}

func (c *chat) detach(pc *pageConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.subs, pc)
	c.lastActive = time.Now()
}

// evictable reports whether the chat can be forgotten.
func (c *chat) evictable(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.subs) > 0 {
		return false
	}
	idle := now.Sub(c.lastActive)
	return ((c.state.Closed || c.stopped) && idle > time.Hour) || idle > 24*time.Hour
}

// unwatched reports whether no page shows the chat.
func (c *chat) unwatched() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs) == 0
}

// stop ends a chat for good (restarted, forgotten, or the server stops):
// no more events, its inactivity timer is stopped, and its emulated
// conversation is closed so that no agent waits for nobody. note, when
// set, is the chat's last log entry.
func (c *chat) stop(note string) {
	if note != "" {
		c.note(note)
	}
	c.mu.Lock()
	already := c.stopped
	c.stopped = true
	conv := c.convID
	if !already && !c.state.Closed {
		c.state = wireState{Type: "state", State: "closed: stopped", Closed: true}
		c.sendLocked(c.state)
	}
	c.mu.Unlock()
	if already {
		return
	}
	c.sess.Close()
	c.s.closeConversation(conv)
}

// closeConversation closes an emulated conversation whose chat has gone.
// Real Genesys closes it by its own rules.
func (s *Server) closeConversation(id string) {
	if s.em == nil || id == "" {
		return
	}
	if err := s.em.CloseConversation(id, "the web chat ended (the customer left)"); err != nil && !errors.Is(err, emulator.ErrNoConversation) {
		s.logf("conversation %s not closed: %v", id, err)
	}
}

// from is the chat's customer identity in Open Messaging.
func (c *chat) from() genesys.OpenMessageFrom {
	return genesys.OpenMessageFrom{ID: c.customer, IDType: "Opaque", Nickname: "Web chat " + c.customer[:6]}
}

// ResolveQueue performs the handover over Open Messaging (the engine calls
// it at a Redirect, with the session locked).
func (c *chat) ResolveQueue(name string) simulate.Resolution {
	attrs, input := c.sess.HandoverContext()
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		m[a.Key] = a.Value
	}
	text := "Handed over by the bot."
	if input != "" {
		text = fmt.Sprintf("Handed over by the bot. Last message: %q", input)
	}
	ctx, cancel := context.WithTimeout(c.s.ctx, genesysTimeout)
	defer cancel()
	res, err := c.s.gc.HandOver(ctx, genesys.Handover{
		IntegrationID: c.s.integrationID, From: c.from(), Text: text, Attributes: m, Queue: name,
	})
	if err != nil {
		c.mu.Lock()
		c.handoverErr = err.Error()
		c.mu.Unlock()
		c.s.logf("chat %s: handover to %q failed: %v", c.id[:8], name, err)
		return resolutionOf(err)
	}
	c.mu.Lock()
	stopped := c.stopped
	if !stopped {
		c.convID, c.attrs = res.ConversationID, m
	}
	c.mu.Unlock()
	if stopped {
		// The chat ended during the handover: nobody is behind it.
		c.s.closeConversation(res.ConversationID)
	}
	c.s.mapConversation(c, res.ConversationID)
	return simulate.Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable, QueueID: res.Queue.ID, Division: res.Queue.Division.Name}}
}

// mapConversation routes webhooks of conversation id to chat c, in place
// of its previous conversation, unless c is forgotten already.
func (s *Server) mapConversation(c *chat, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chats[c.id] != c {
		return
	}
	if c.mappedConv != "" && s.byConv[c.mappedConv] == c {
		delete(s.byConv, c.mappedConv)
	}
	s.byConv[id], c.mappedConv = c, id
}

// resolutionOf turns a failed handover into the engine's terms. Errors that
// are neither a lookup verdict nor missing permissions fail as "not found";
// the page shows the Genesys error itself.
func resolutionOf(err error) simulate.Resolution {
	var he *genesys.HandoverError
	if errors.As(err, &he) {
		if he.Err == nil {
			return simulate.Resolution{Verdict: he.Verdict}
		}
		if perms := he.MissingPermissions(); len(perms) > 0 {
			return simulate.Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}, MissingPermissions: perms}
		}
	}
	return simulate.Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
}

// flushOutbox sends the user messages typed while Genesys owns the chat, in
// order (called with op held).
func (c *chat) flushOutbox() {
	c.mu.Lock()
	texts, conv, attrs := c.outbox, c.convID, c.attrs
	c.outbox = nil
	c.mu.Unlock()
	for _, t := range texts {
		msg := genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: newChatID(), From: c.from()}, Text: t}
		if len(attrs) > 0 {
			msg.Channel.Metadata = &genesys.OpenChannelMetadata{CustomAttributes: attrs}
		}
		ctx, cancel := context.WithTimeout(c.s.ctx, genesysTimeout)
		_, err := c.s.gc.SendOpenMessage(ctx, c.s.integrationID, msg)
		cancel()
		if err != nil {
			c.s.logf("chat %s: message not delivered to Genesys (conversation %s): %v", c.id[:8], conv, err)
			c.note(fmt.Sprintf("message not delivered to Genesys: %v", err))
		}
	}
}
