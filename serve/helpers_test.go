package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

var (
	acmeFlow = filepath.Join("..", "testdata", "examples", "acme.flow.yaml")
	acmeOrg  = filepath.Join("..", "testdata", "examples", "acme.org.yaml")
)

// Secrets planted in the test org: no page, message or log may show them.
const (
	sentinelClientSecret  = "SENTINEL-client-s3cr3t"
	sentinelWebhookSecret = "SENTINEL-webhook-s3cr3t"
)

// waitFor bounds every wait of the tests.
const waitFor = 10 * time.Second

// syncBuffer is a log writer tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// harness is a bridge served by httptest on loopback.
type harness struct {
	s   *Server
	ts  *httptest.Server
	em  *emulator.Server
	log *syncBuffer
}

// loadAcmeOrg loads the example org with sentinel secrets.
func loadAcmeOrg(t testing.TB) *org.File {
	t.Helper()
	o, err := org.Load(acmeOrg)
	if err != nil {
		t.Fatal(err)
	}
	o.OAuthClients[0].Secret = sentinelClientSecret
	o.Integrations[0].WebhookSecret = sentinelWebhookSecret
	return o
}

// start serves opts (default: the acme flow against the acme o).
func start(t testing.TB, opts Options) *harness {
	t.Helper()
	if opts.FlowPath == "" {
		opts.FlowPath = acmeFlow
	}
	if opts.Org == nil && opts.Genesys == nil {
		opts.Org, opts.OrgPath = loadAcmeOrg(t), acmeOrg
	}
	log := &syncBuffer{}
	opts.Log = log
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	if err := s.SetBaseURL(ts.URL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		ts.Close()
		for _, secret := range []string{sentinelClientSecret, sentinelWebhookSecret} {
			if strings.Contains(log.String(), secret) {
				t.Errorf("the log shows a secret:\n%s", log)
			}
		}
	})
	return &harness{s: s, ts: ts, em: s.Emulator(), log: log}
}

// startReal serves the bridge as with real credentials, an emulator of o
// playing the remote org (the same client code, no desk).
func startReal(t testing.TB, o *org.File, opts Options) (*harness, *emulator.Server) {
	t.Helper()
	em := emulator.New(o, opts.emulator)
	remote := httptest.NewServer(em)
	t.Cleanup(func() { em.Close(); remote.Close() })
	opts.Genesys = &RealGenesys{
		Config:        genesys.Config{Region: remote.URL, ClientID: o.OAuthClients[0].ID, ClientSecret: sentinelClientSecret},
		IntegrationID: o.Integrations[0].ID, WebhookSecret: sentinelWebhookSecret,
	}
	return start(t, opts), em
}

// page is a chat page's websocket, as the browser sees it.
type page struct {
	t      testing.TB
	conn   *websocket.Conn
	msgs   chan []byte
	chat   string
	hello  hello
	events []wireEvent
	state  wireState
	flow   FlowStatus
	errors []string
	saved  string
	log    *syncBuffer // the server's log, shown when a wait fails
	// histories are the history messages of the last attach.
	histories []history
}

// open connects a chat page, resuming chat when not empty.
func (h *harness) open(t testing.TB, chat string) *page {
	t.Helper()
	u := "ws" + strings.TrimPrefix(h.ts.URL, "http") + "/ws"
	if chat != "" {
		u += "?chat=" + chat
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 20) // a browser takes any frame
	p := &page{t: t, conn: conn, msgs: make(chan []byte, 1024), log: h.log}
	go func() {
		defer close(p.msgs)
		for {
			_, data, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			p.msgs <- data
		}
	}()
	t.Cleanup(func() { conn.CloseNow() })
	p.until("hello", func() bool { return p.hello.Type == "hello" })
	return p
}

// take applies one message to the page's view.
func (p *page) take(data []byte) {
	var head struct {
		Type string `json:"type"`
	}
	json.Unmarshal(data, &head)
	switch head.Type {
	case "hello":
		p.hello = hello{}
		json.Unmarshal(data, &p.hello)
		p.chat = p.hello.Chat
		p.flow = p.hello.Flow
	case "history":
		var h history
		json.Unmarshal(data, &h)
		if !h.Append {
			p.events, p.histories = nil, nil
		}
		p.events, p.state = append(p.events, h.Events...), h.State
		p.histories = append(p.histories, h)
	case "event":
		var e wireEvent
		json.Unmarshal(data, &e)
		if len(p.events) == 0 || e.Seq > p.events[len(p.events)-1].Seq {
			p.events = append(p.events, e)
		}
	case "state":
		p.state = wireState{}
		json.Unmarshal(data, &p.state)
	case "flow":
		p.flow = FlowStatus{}
		json.Unmarshal(data, &p.flow)
	case "error":
		var e pageError
		json.Unmarshal(data, &e)
		p.errors = append(p.errors, e.Text)
	case "saved":
		var s savedTest
		json.Unmarshal(data, &s)
		p.saved = s.Path
	}
}

// until reads messages until cond holds, failing after waitFor; cond is
// also polled, for conditions outside the page.
func (p *page) serverLog() string {
	if p.log == nil {
		return ""
	}
	return p.log.String()
}

func (p *page) until(what string, cond func() bool) {
	p.t.Helper()
	deadline := time.NewTimer(waitFor)
	defer deadline.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case <-poll.C:
		case data, ok := <-p.msgs:
			if !ok {
				p.t.Fatalf("connection closed while waiting for %s", what)
			}
			p.take(data)
		case <-deadline.C:
			p.t.Fatalf("no %s within %s; state %q, transcript:\n%s\nserver log:\n%s", what, waitFor, p.state.State, p.transcript(), p.serverLog())
		}
	}
}

// waitClosed reads until the server ends the connection.
func (p *page) waitClosed() {
	p.t.Helper()
	deadline := time.NewTimer(waitFor)
	defer deadline.Stop()
	for {
		select {
		case _, ok := <-p.msgs:
			if !ok {
				return
			}
		case <-deadline.C:
			p.t.Fatalf("the connection is still open after %s", waitFor)
		}
	}
}

func (p *page) send(typ, text string) {
	p.t.Helper()
	data, _ := json.Marshal(pageMsg{Type: typ, Text: text})
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := p.conn.Write(ctx, websocket.MessageText, data); err != nil {
		p.t.Fatal(err)
	}
}

// say sends a user message.
func (p *page) say(text string) { p.t.Helper(); p.send("say", text) }

// waitEntry waits for a log entry of role whose text contains text.
func (p *page) waitEntry(role, text string) wireEvent {
	p.t.Helper()
	var found wireEvent
	p.until(role+" entry "+text, func() bool {
		for _, e := range p.events {
			if e.Role == role && strings.Contains(e.Text, text) {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

func (p *page) waitState(state string) {
	p.t.Helper()
	p.until("state "+state, func() bool { return p.state.State == state })
}

func (p *page) transcript() string {
	var b strings.Builder
	for _, e := range p.events {
		b.WriteString(e.Role + ": " + e.Text + "\n")
	}
	return b.String()
}

// conversation returns the emulator's only open conversation.
func (h *harness) conversation(t testing.TB) emulator.Conversation {
	t.Helper()
	var open []emulator.Conversation
	for _, c := range h.em.MessagingConversations() {
		if c.State != emulator.ConversationClosed {
			open = append(open, c)
		}
	}
	if len(open) != 1 {
		t.Fatalf("%d open conversations, want 1", len(open))
	}
	return open[0]
}

// chatOf returns the server side of a page's chat.
func (h *harness) chatOf(t testing.TB, p *page) *chat {
	t.Helper()
	c := h.s.reg.get(p.chat)
	if c == nil {
		t.Fatalf("no chat %s on the server", p.chat)
	}
	return c
}

// historyTexts returns the chat's log as the server keeps it.
func (c *chat) historyTexts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	evs, _ := c.log.page()
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Role + ": " + e.Text
	}
	return out
}

// serverState returns the chat's state as the server keeps it.
func (c *chat) serverState() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state.State
}

// waitUntil polls cond until it holds, failing after waitFor.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(waitFor); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, waitFor)
		}
	}
}

// post sends a request to the bridge.
func (h *harness) post(t testing.TB, path string, header http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return do(t, req)
}

func (h *harness) get(t testing.TB, path string, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	return do(t, req)
}

// do sends req and returns the status and body of the answer.
func do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}
