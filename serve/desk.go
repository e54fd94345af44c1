package serve

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"sync"
)

// maxDeskMessages bounds the messages of one chat sent to the desk.
const maxDeskMessages = 100

// deskHub keeps the agent desk pages up to date with the emulator's
// conversations: every change sends each desk a fresh snapshot.
type deskHub struct {
	s     *Server
	dirty chan struct{}

	mu    sync.Mutex
	conns map[*pageConn]struct{}
}

func newDeskHub(s *Server) *deskHub {
	h := &deskHub{s: s, dirty: make(chan struct{}, 1), conns: map[*pageConn]struct{}{}}
	stop := s.em.WatchMessaging(func() {
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
				h.broadcast()
			}
		}
	}()
	return h
}

// deskSnapshot is what a desk page shows.
type deskSnapshot struct {
	Type   string     `json:"type"` // "desk"
	Agents []string   `json:"agents"`
	Queues []string   `json:"queues"`
	Chats  []deskChat `json:"chats"`
}

type deskChat struct {
	ID         string        `json:"id"`
	Customer   string        `json:"customer"`
	State      string        `json:"state"` // queued or agent
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
	From string `json:"from"` // customer, agent, system
	Name string `json:"name,omitempty"`
	Text string `json:"text"`
	At   string `json:"at"`
}

func (h *deskHub) snapshot() deskSnapshot {
	snap := deskSnapshot{Type: "desk", Agents: h.s.agents, Queues: h.s.queues, Chats: []deskChat{}}
	for _, c := range h.s.em.ActiveConversations(maxDeskMessages) {
		dc := deskChat{
			ID: c.ID, Customer: c.Customer.Nickname, State: string(c.State), Queue: c.Queue.Name, Agent: c.Agent,
			Attributes: []deskAttr{}, Messages: []deskMessage{}, Since: c.Created.Format("15:04:05"),
		}
		if dc.Customer == "" {
			dc.Customer = c.Customer.ID
		}
		for k, v := range c.Attributes {
			dc.Attributes = append(dc.Attributes, deskAttr{k, v})
		}
		slices.SortFunc(dc.Attributes, func(a, b deskAttr) int { return cmp.Compare(a.Key, b.Key) })
		for _, m := range c.Messages {
			dc.Messages = append(dc.Messages, deskMessage{From: m.From, Name: m.Name, Text: m.Text, At: m.Time.Format("15:04:05")})
		}
		snap.Chats = append(snap.Chats, dc)
	}
	return snap
}

func (h *deskHub) broadcast() {
	data := mustJSON(h.snapshot())
	h.mu.Lock()
	defer h.mu.Unlock()
	for pc := range h.conns {
		pc.send(data)
	}
}

// handleDeskWS serves the desk page's websocket: snapshots out, agent
// actions in.
func (s *Server) handleDeskWS(w http.ResponseWriter, r *http.Request) {
	if s.deskHub == nil {
		http.NotFound(w, r)
		return
	}
	h := s.deskHub
	s.servePage(w, r, pageHooks{
		add: func(pc *pageConn) {
			h.mu.Lock()
			h.conns[pc] = struct{}{}
			h.mu.Unlock()
		},
		remove: func(pc *pageConn) {
			h.mu.Lock()
			delete(h.conns, pc)
			h.mu.Unlock()
		},
		start: func(_ context.Context, pc *pageConn) { pc.send(mustJSON(h.snapshot())) },
		handle: func(ctx context.Context, pc *pageConn, m pageMsg) {
			if err := s.deskAction(ctx, m); err != nil {
				pc.send(mustJSON(pageError{Type: "error", Text: err.Error()}))
			}
		},
	})
}

// deskAction applies an agent's action to the emulator, which delivers it
// to the bridge's webhook before returning.
func (s *Server) deskAction(ctx context.Context, m pageMsg) error {
	ctx, cancel := context.WithTimeout(ctx, genesysTimeout)
	defer cancel()
	em := s.em
	switch m.Type {
	case "join":
		return em.AgentJoin(ctx, m.Conversation, m.Agent)
	case "say":
		return em.AgentSay(ctx, m.Conversation, m.Text)
	case "transfer":
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
