package serve

import (
	"cmp"
	"context"
	"encoding/json"
	"hash/maphash"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys/emulator"
)

// Bounds of what the desk is sent.
const (
	// maxDeskMessages and maxDeskChatBytes bound the messages of one chat
	// sent to the desk: its last ones, within both.
	maxDeskMessages  = 100
	maxDeskChatBytes = 64 << 10
	// maxDeskAttr bounds an attribute value shown on the desk.
	maxDeskAttr = 1 << 10
	// maxDeskFrame bounds one desk message: chats beyond it go in the next
	// (a chat alone may exceed it, within maxDeskChatBytes).
	maxDeskFrame = 256 << 10
)

// deskHub keeps the agent desk pages up to date with the emulator's
// conversations: a desk that connects gets every chat, then only the chats
// that changed and the ids of those that left.
type deskHub struct {
	s     *Server
	e     *emulated
	dirty chan struct{}
	seed  maphash.Seed

	mu    sync.Mutex // serialises the snapshots, so every desk sees every change
	pages map[*pageConn]struct{}
	sent  map[string]deskMark // what the desks have of each chat
}

// deskMark tells whether a chat changed since the desks were sent it.
type deskMark struct {
	state, queue, agent string
	attrs               uint64
	messages, dropped   int
	last                time.Time
}

func newDeskHub(s *Server, e *emulated) *deskHub {
	h := &deskHub{s: s, e: e, dirty: make(chan struct{}, 1), seed: maphash.MakeSeed(), pages: map[*pageConn]struct{}{}, sent: map[string]deskMark{}}
	stop := e.em.WatchMessaging(func() {
		select {
		case h.dirty <- struct{}{}:
		default:
		}
	})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer stop()
		for {
			select {
			case <-s.ctx.Done():
				return
			case <-h.dirty:
				h.update(nil)
			}
		}
	}()
	return h
}

// deskSnapshot is the first message a desk gets; more chats may follow in
// deskUpdates.
type deskSnapshot struct {
	Type   string            `json:"type"` // "desk"
	Agents []string          `json:"agents"`
	Queues []string          `json:"queues"`
	Chats  []json.RawMessage `json:"chats"`
}

// deskUpdate carries the chats that changed (whole) and the ids of those
// that left the desk.
type deskUpdate struct {
	Type    string            `json:"type"` // "desk-update"
	Chats   []json.RawMessage `json:"chats"`
	Removed []string          `json:"removed,omitempty"`
}

type deskChat struct {
	ID         string        `json:"id"`
	Customer   string        `json:"customer"`
	State      string        `json:"state"` // queued, offered (to Agent, who has yet to join) or agent
	Queue      string        `json:"queue"`
	Agent      string        `json:"agent,omitempty"`
	Attributes []deskAttr    `json:"attributes"`
	Messages   []deskMessage `json:"messages"`
	Since      string        `json:"since"`
}

type deskAttr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type deskMessage struct {
	From    string   `json:"from"` // customer, agent, system
	Name    string   `json:"name,omitempty"`
	Text    string   `json:"text"`
	Replies []string `json:"replies,omitempty"` // an agent's quick replies
	At      string   `json:"at"`
}

func (h *deskHub) mark(c *emulator.Conversation) deskMark {
	m := deskMark{state: string(c.State), queue: c.Queue.Name, agent: c.Agent, messages: len(c.Messages), dropped: c.Dropped}
	if n := len(c.Messages); n > 0 {
		m.last = c.Messages[n-1].Time
	}
	for k, v := range c.Attributes {
		m.attrs ^= maphash.String(h.seed, k+"\x00"+v) // order-free
	}
	return m
}

// deskChatOf is a conversation as the desk shows it.
func deskChatOf(c *emulator.Conversation) deskChat {
	dc := deskChat{
		ID: c.ID, Customer: c.Customer.Nickname, State: string(c.State), Queue: c.Queue.Name, Agent: c.Agent,
		Attributes: []deskAttr{}, Messages: []deskMessage{}, Since: c.Created.Format("15:04:05"),
	}
	if dc.Customer == "" {
		dc.Customer = c.Customer.ID
	}
	for k, v := range c.Attributes {
		if len(v) > maxDeskAttr {
			v = v[:maxDeskAttr] + "…"
		}
		dc.Attributes = append(dc.Attributes, deskAttr{k, v})
	}
	slices.SortFunc(dc.Attributes, func(a, b deskAttr) int { return cmp.Compare(a.Key, b.Key) })
	first, size := len(c.Messages), 0
	for first > 0 && len(c.Messages)-first < maxDeskMessages {
		size += len(c.Messages[first-1].Text)
		if size > maxDeskChatBytes && first < len(c.Messages) {
			break
		}
		first--
	}
	for _, m := range c.Messages[first:] {
		dc.Messages = append(dc.Messages, deskMessage{From: m.From, Name: m.Name, Text: m.Text, Replies: m.Replies, At: m.Time.Format("15:04:05")})
	}
	return dc
}

// update sends the desks what changed since the last update and, when
// joining is set, every chat to that new desk, which then gets the
// updates too.
func (h *deskHub) update(joining *pageConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	convs := h.e.em.ActiveConversations(maxDeskMessages)
	now := make(map[string]deskMark, len(convs))
	var all, changed []json.RawMessage
	for i := range convs {
		c := &convs[i]
		m := h.mark(c)
		now[c.ID] = m
		prev, ok := h.sent[c.ID]
		if ok && prev == m && joining == nil {
			continue
		}
		data := json.RawMessage(mustJSON(deskChatOf(c)))
		if joining != nil {
			all = append(all, data)
		}
		if !ok || prev != m {
			changed = append(changed, data)
		}
	}
	var removed []string
	for id := range h.sent {
		if _, ok := now[id]; !ok {
			removed = append(removed, id)
		}
	}
	slices.Sort(removed)
	h.sent = now
	if len(changed) > 0 || len(removed) > 0 {
		for i, b := range batches(changed) {
			u := deskUpdate{Type: "desk-update", Chats: b}
			if i == 0 {
				u.Removed = removed
			}
			data := mustJSON(u)
			for pc := range h.pages {
				pc.send(data)
			}
		}
	}
	if joining == nil {
		return
	}
	bs := batches(all)
	joining.send(mustJSON(deskSnapshot{Type: "desk", Agents: h.e.agents, Queues: h.e.queues, Chats: bs[0]}))
	for _, b := range bs[1:] {
		joining.send(mustJSON(deskUpdate{Type: "desk-update", Chats: b}))
	}
	h.pages[joining] = struct{}{}
}

// batches splits chats into batches of about maxDeskFrame bytes, one desk
// message each; there is always a first batch, maybe empty.
func batches(chats []json.RawMessage) [][]json.RawMessage {
	out := [][]json.RawMessage{{}}
	size := 0
	for _, c := range chats {
		if size > 0 && size+len(c) > maxDeskFrame {
			out, size = append(out, []json.RawMessage{}), 0
		}
		out[len(out)-1] = append(out[len(out)-1], c)
		size += len(c)
	}
	return out
}

func (h *deskHub) leave(pc *pageConn) {
	h.mu.Lock()
	delete(h.pages, pc)
	h.mu.Unlock()
}

// handleDeskWS serves the desk page's websocket: chats out, agent actions
// in.
func (s *Server) handleDeskWS(w http.ResponseWriter, r *http.Request) {
	if s.emu == nil {
		http.NotFound(w, r)
		return
	}
	h := s.emu.desk
	s.servePage(w, r, pageHooks{
		add:    func(*pageConn) {},
		remove: h.leave,
		start:  func(_ context.Context, pc *pageConn) { h.update(pc) },
		handle: func(ctx context.Context, pc *pageConn, m pageMsg) {
			if err := s.emu.deskAction(ctx, m); err != nil {
				pc.send(mustJSON(pageError{Type: "error", Text: err.Error()}))
			}
		},
	})
}

// deskAction applies an agent's action to the emulator: a message goes to
// the bridge's webhook before it returns; the rest the bridge learns from
// the conversation's lifecycle (notifications or polling), as from real
// Genesys.
func (e *emulated) deskAction(ctx context.Context, m pageMsg) error {
	ctx, cancel := context.WithTimeout(ctx, genesysTimeout)
	defer cancel()
	em := e.em
	switch m.Type {
	case "join":
		return em.AgentJoin(ctx, m.Conversation, m.Agent)
	case "say":
		return em.AgentSay(ctx, m.Conversation, m.Text, m.Replies...)
	case "transfer":
		if m.Agent != "" {
			return em.AgentTransferToAgent(ctx, m.Conversation, m.Agent)
		}
		return em.AgentTransfer(ctx, m.Conversation, m.Queue)
	case "close":
		return em.AgentClose(ctx, m.Conversation)
	case "expire":
		return em.ExpireConversation(ctx, m.Conversation)
	}
	return &unknownAction{m.Type}
}

type unknownAction struct{ name string }

func (e *unknownAction) Error() string {
	return "unknown action " + e.name + ": want join, say, transfer, close or expire"
}
