package serve

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/coder/websocket"
	"github.com/flowctl/flowctl/simulate"
)

// pageMsg is a message from a page.
type pageMsg struct {
	Type string `json:"type"` // say, restart, save-test (chat); join, say, transfer, close, expire (desk)
	Text string `json:"text,omitempty"`
	// Desk fields: the conversation; the agent who joins, or the agent or
	// queue a transfer goes to; a reply's quick replies.
	Conversation string   `json:"conversation,omitempty"`
	Agent        string   `json:"agent,omitempty"`
	Queue        string   `json:"queue,omitempty"`
	Replies      []string `json:"replies,omitempty"`
}

// hello tells a chat page which chat it shows.
type hello struct {
	Type    string `json:"type"` // "hello"
	Chat    string `json:"chat"` // "" when no chat could start
	Resumed bool   `json:"resumed"`
	Desk    bool   `json:"desk"` // the emulator's desk is available
	// SaveTest tells whether "save as test" is offered (not with
	// --allow-remote: it writes files on the server).
	SaveTest bool       `json:"saveTest"`
	Version  int        `json:"version"`
	Flow     FlowStatus `json:"flow"`
	Error    string     `json:"error,omitempty"`
}

// history is a chat's log for a page that attaches: the first message
// replaces the page's log, the next ones (Append) continue it.
type history struct {
	Type    string      `json:"type"` // "history"
	Events  []wireEvent `json:"events"`
	State   wireState   `json:"state"`
	Append  bool        `json:"append,omitempty"`
	Dropped int         `json:"dropped,omitempty"` // older entries no longer kept
}

type pageError struct {
	Type string `json:"type"` // "error"
	Text string `json:"text"`
}

type savedTest struct {
	Type string `json:"type"` // "saved"
	Path string `json:"path"`
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only the package's own types are encoded
	}
	return data
}

// handleChatWS serves a chat page's websocket: /ws?chat=ID resumes a chat
// (history included), otherwise a new chat starts.
func (s *Server) handleChatWS(w http.ResponseWriter, r *http.Request) {
	s.servePage(w, r, pageHooks{
		add: s.chatPages.add,
		remove: func(pc *pageConn) {
			s.chatPages.remove(pc)
			if c := pc.current(); c != nil {
				c.detach(pc)
			}
		},
		start: func(_ context.Context, pc *pageConn) {
			c := s.reg.get(r.URL.Query().Get("chat"))
			s.show(pc, c, c != nil)
		},
		handle: func(_ context.Context, pc *pageConn, m pageMsg) { s.chatMessage(pc, m) },
	})
}

// pageHooks are what a kind of page does with its websocket: add and
// remove register it, start greets it, handle takes its messages.
type pageHooks struct {
	add, remove func(*pageConn)
	start       func(context.Context, *pageConn)
	handle      func(context.Context, *pageConn, pageMsg)
}

// servePage runs a page's websocket until the page or the server goes;
// Close waits for it to return. A remote address with MaxPagesPerClient
// pages open gets 429.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, hooks pageHooks) {
	if !s.gate.beginPage() {
		jsonError(w, http.StatusServiceUnavailable, errShuttingDown.Error())
		return
	}
	defer s.gate.endPage()
	release, ok := s.clients.take(r.RemoteAddr)
	if !ok {
		w.Header().Set("Retry-After", "10")
		jsonError(w, http.StatusTooManyRequests, "too many pages open from your address: close some")
		return
	}
	defer release()
	conn, ok := accept(w, r)
	if !ok {
		return
	}
	defer conn.CloseNow()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()
	pc := newPageConn()
	hooks.add(pc)
	defer hooks.remove(pc)
	written := make(chan struct{})
	go func() {
		defer close(written)
		pc.writeLoop(ctx, conn, s.opts.timing)
	}()
	defer func() {
		cancel()
		<-written
	}()
	hooks.start(ctx, pc)
	readPageMessages(ctx, conn, pc, func(m pageMsg) { hooks.handle(ctx, pc, m) })
}

// readPageMessages hands each JSON message a page sends to handle, until the
// connection ends; a message that is not JSON gets an error back.
func readPageMessages(ctx context.Context, conn *websocket.Conn, pc *pageConn, handle func(pageMsg)) {
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var m pageMsg
		if err := json.Unmarshal(data, &m); err != nil {
			pc.send(mustJSON(pageError{Type: "error", Text: "bad message: want JSON"}))
			continue
		}
		handle(m)
	}
}

// show attaches a page to chat c, starting a new chat when c is nil.
func (s *Server) show(pc *pageConn, c *chat, resumed bool) {
	if old := pc.current(); old != nil {
		old.detach(pc)
	}
	h := hello{Type: "hello", Resumed: resumed, Desk: s.Emulated(), SaveTest: !s.opts.AllowRemote}
	if c == nil {
		var err error
		if c, err = s.newChat(); err != nil {
			h.Error = err.Error()
			c = nil
		}
	}
	_, h.Flow = s.flow.current()
	h.Flow.Missing = s.missingQueues(s.flow.project())
	pc.setChat(c)
	if c == nil {
		pc.send(mustJSON(h))
		return
	}
	h.Chat, h.Version = c.id, c.version
	pc.send(mustJSON(h))
	c.attach(pc)
}

func (s *Server) chatMessage(pc *pageConn, m pageMsg) {
	c := pc.current()
	fail := func(text string) { pc.send(mustJSON(pageError{Type: "error", Text: text})) }
	switch m.Type {
	case "restart":
		// The page leaves its chat: end it, unless another page shows it.
		if c != nil {
			c.detach(pc)
			if c.unwatched() {
				c.stop("the page restarted: this chat ended here")
			}
		}
		s.show(pc, nil, false)
		return
	case "say", "save-test":
	default:
		fail("unknown message type " + m.Type)
		return
	}
	if c == nil {
		fail("no chat: the flow has errors")
		return
	}
	switch m.Type {
	case "say":
		refused := func(err error) {
			if errors.Is(err, simulate.ErrClosed) {
				fail("the chat is closed: restart it to talk again")
				return
			}
			fail(err.Error())
		}
		if err := c.say(m.Text, refused); err != nil {
			refused(err)
		}
	case "save-test":
		if s.opts.AllowRemote {
			// It writes files on the server: not for whoever reaches it.
			fail("save as test is off with --allow-remote")
			return
		}
		path, err := s.saveTest(c)
		if err != nil {
			fail("save as test: " + err.Error())
			return
		}
		pc.send(mustJSON(savedTest{Type: "saved", Path: path}))
	}
}

// flowChanged tells every chat page about the reloaded flow file.
func (s *Server) flowChanged(st FlowStatus) {
	st.Missing = s.missingQueues(s.flow.project())
	s.chatPages.broadcast(mustJSON(struct {
		Type string `json:"type"`
		FlowStatus
	}{"flow", st}))
}
