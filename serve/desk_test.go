package serve

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// desk is an agent desk page's websocket.
type desk struct {
	t    *testing.T
	conn *websocket.Conn
	msgs chan []byte
	snap deskView
	errs []string
	// frames are the sizes of the desk messages received.
	frames []int
}

// deskView is what a desk shows: the first snapshot with the updates
// applied, as desk.js does.
type deskView struct {
	Type   string
	Agents []string
	Queues []string
	Chats  []deskChat
}

// take applies a desk or desk-update message.
func (v *deskView) take(data []byte) {
	var m struct {
		Type    string
		Agents  []string
		Queues  []string
		Chats   []deskChat
		Removed []string
	}
	json.Unmarshal(data, &m)
	if m.Type == "desk" {
		*v = deskView{Type: "desk", Agents: m.Agents, Queues: m.Queues}
	}
	v.Chats = slices.DeleteFunc(v.Chats, func(c deskChat) bool { return slices.Contains(m.Removed, c.ID) })
	for _, c := range m.Chats {
		if i := slices.IndexFunc(v.Chats, func(o deskChat) bool { return o.ID == c.ID }); i >= 0 {
			v.Chats[i] = c
		} else {
			v.Chats = append(v.Chats, c)
		}
	}
}

func (h *harness) openDesk(t *testing.T) *desk {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.ts.URL, "http")+"/desk/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	conn.SetReadLimit(1 << 20) // a browser takes any frame
	d := &desk{t: t, conn: conn, msgs: make(chan []byte, 256)}
	go func() {
		defer close(d.msgs)
		for {
			_, data, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			d.msgs <- data
		}
	}()
	return d
}

func (d *desk) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(waitFor)
	for !cond() {
		select {
		case data, ok := <-d.msgs:
			if !ok {
				d.t.Fatalf("desk closed while waiting for %s", what)
			}
			var head struct{ Type, Text string }
			json.Unmarshal(data, &head)
			if head.Type == "desk" || head.Type == "desk-update" {
				d.snap.take(data)
				d.frames = append(d.frames, len(data))
			} else if head.Type == "error" {
				d.errs = append(d.errs, head.Text)
			}
		case <-deadline:
			d.t.Fatalf("desk: no %s within %s; snapshot %+v", what, waitFor, d.snap)
		}
	}
}

func (d *desk) do(m pageMsg) {
	d.t.Helper()
	data, _ := json.Marshal(m)
	if err := d.conn.Write(context.Background(), websocket.MessageText, data); err != nil {
		d.t.Fatal(err)
	}
}

func TestDeskDrivesTheChat(t *testing.T) {
	h := start(t, Options{})
	d := h.openDesk(t)
	d.until("the first snapshot", func() bool { return d.snap.Type == "desk" })
	if !slices.Equal(d.snap.Agents, []string{"Alice", "Bob"}) || !slices.Contains(d.snap.Queues, "Sales EN") || len(d.snap.Chats) != 0 {
		t.Fatalf("snapshot %+v", d.snap)
	}
	p := h.open(t, "")
	handOver(t, p)
	d.until("the queued chat", func() bool { return len(d.snap.Chats) == 1 })
	c := d.snap.Chats[0]
	wantAttrs := []deskAttr{{"customerName", "Ann"}, {"lastIntent", ""}}
	if c.Queue != "Billing Support" || c.State != "queued" || !slices.Equal(c.Attributes, wantAttrs) {
		t.Fatalf("desk chat %+v", c)
	}

	d.do(pageMsg{Type: "say", Conversation: c.ID, Text: "too early"})
	d.until("an error", func() bool { return len(d.errs) == 1 })
	if !strings.Contains(d.errs[0], "join it before replying") {
		t.Fatalf("error %q", d.errs[0])
	}
	// Bob serves Support EN and DE, not Billing Support (agents[].queues).
	d.do(pageMsg{Type: "join", Conversation: c.ID, Agent: "Bob"})
	d.until("a membership error", func() bool { return len(d.errs) == 2 })
	if !strings.Contains(d.errs[1], `Bob is not a member of queue "Billing Support"`) {
		t.Fatalf("error %q", d.errs[1])
	}
	d.do(pageMsg{Type: "join", Conversation: c.ID, Agent: "Alice"})
	d.until("Alice to have it", func() bool { return len(d.snap.Chats) == 1 && d.snap.Chats[0].Agent == "Alice" })
	p.waitState("agent")
	d.do(pageMsg{Type: "say", Conversation: c.ID, Text: "Alice here. Refund?", Replies: []string{"Yes", "No"}})
	if e := p.waitEntry(roleAgent, "Alice here"); e.Name != "Alice" || strings.Join(e.QuickReplies, "|") != "Yes|No" {
		t.Fatalf("agent entry %+v", e)
	}
	p.say("thanks Alice")
	d.until("the user's reply", func() bool {
		ms := d.snap.Chats[0].Messages
		return ms[len(ms)-1].Text == "thanks Alice" && ms[len(ms)-1].From == "customer"
	})
	// To another agent: no queue in between. The chat is offered to Bob,
	// who must accept it (join); the engine sees the transfer between
	// agents (simulate's AgentTransferToAgent), then Bob joining.
	d.do(pageMsg{Type: "transfer", Conversation: c.ID, Agent: "Bob"})
	d.until("the offer to Bob", func() bool { return d.snap.Chats[0].Agent == "Bob" && d.snap.Chats[0].State == "offered" })
	p.waitEntry(roleSystem, "Alice transferred the chat to Bob")
	p.waitEntry(roleSystem, `agent transferred the chat to agent "Bob"; waiting for them to join`)
	p.waitState("queued")
	d.do(pageMsg{Type: "say", Conversation: c.ID, Text: "too early, Bob"})
	d.until("an error", func() bool { return len(d.errs) == 3 })
	d.do(pageMsg{Type: "join", Conversation: c.ID, Agent: "Alice"})
	d.until("an error", func() bool { return len(d.errs) == 4 })
	if !strings.Contains(d.errs[2], "join it before replying") || !strings.Contains(d.errs[3], "conversation is offered to Bob: only Bob can accept it") {
		t.Fatalf("errors %q", d.errs[2:])
	}
	d.do(pageMsg{Type: "join", Conversation: c.ID, Agent: "Bob"})
	d.until("Bob to have it", func() bool { return d.snap.Chats[0].Agent == "Bob" && d.snap.Chats[0].State == "agent" })
	p.waitEntry(roleSystem, `Bob joined from queue "Billing Support"`)
	p.waitState("agent")
	d.do(pageMsg{Type: "say", Conversation: c.ID, Text: "Bob here"})
	if e := p.waitEntry(roleAgent, "Bob here"); e.Name != "Bob" {
		t.Fatalf("agent entry %+v", e)
	}
	d.do(pageMsg{Type: "transfer", Conversation: c.ID, Queue: "Support DE"})
	d.until("the transfer", func() bool { return d.snap.Chats[0].Queue == "Support DE" && d.snap.Chats[0].State == "queued" })
	p.until("the transfer on the chat page", func() bool { return p.state.Queue == "Support DE" })
	d.do(pageMsg{Type: "join", Conversation: c.ID, Agent: "Bob"})
	p.waitState("agent")
	d.do(pageMsg{Type: "close", Conversation: c.ID})
	d.until("the chat to leave the desk", func() bool { return len(d.snap.Chats) == 0 })
	p.waitEntry(roleBot, "Thanks Ann. Anything else?")
	d.do(pageMsg{Type: "dance"})
	d.until("an unknown action error", func() bool { return len(d.errs) == 5 })
	if !strings.Contains(d.errs[4], "unknown action dance") {
		t.Fatalf("error %q", d.errs[4])
	}
}

func TestDeskExpire(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	d := h.openDesk(t)
	d.until("the chat", func() bool { return len(d.snap.Chats) == 1 })
	d.do(pageMsg{Type: "expire", Conversation: d.snap.Chats[0].ID})
	p.waitState("closed: genesys-timeout")
}

func TestDefaultOrg(t *testing.T) {
	p, err := flow.Load(acmeFlow)
	if err != nil {
		t.Fatal(err)
	}
	o, err := DefaultOrg(p)
	if err != nil {
		t.Fatal(err)
	}
	var queues []string
	for _, q := range o.Queues {
		queues = append(queues, q.Name)
	}
	if !slices.Equal(queues, []string{"Billing Support", "Support EN"}) {
		t.Fatalf("queues %q", queues)
	}
	facts, err := org.Facts(o, "")
	if err != nil {
		t.Fatal(err)
	}
	if r := genesys.Resolve(facts, queues); !r.Reachable() {
		t.Fatalf("default org: %+v", r.Verdicts)
	}
	other, _ := DefaultOrg(p)
	if other.OAuthClients[0].Secret == o.OAuthClients[0].Secret || o.Integrations[0].WebhookSecret == "" {
		t.Fatal("secrets are not random")
	}

	// Serving with it: the handover works and the desk has the agent.
	h := start(t, Options{Org: o})
	pg := h.open(t, "")
	handOver(t, pg)
	if h.s.emu.agents[0] != defaultAgent {
		t.Fatalf("agents %q", h.s.emu.agents)
	}
}

// TestRealGenesysMode runs the bridge as with real credentials (here an
// emulator plays the remote o): the same client code, no desk, the
// integration id and webhook secret from the options.
func TestRealGenesysMode(t *testing.T) {
	o := loadAcmeOrg(t)
	h, em := startReal(t, o, Options{})
	if h.s.Emulated() {
		t.Fatal("emulated with RealGenesys set")
	}
	orgName, client, err := h.s.CheckGenesys(context.Background())
	if err != nil || orgName != "Acme" || client != "Bot integration" {
		t.Fatalf("CheckGenesys: %q %q %v", orgName, client, err)
	}
	if status, body := h.get(t, "/desk", ""); status != 404 || !strings.Contains(body, "No agent desk") {
		t.Fatalf("/desk: %d", status)
	}
	em.SetWebhookURL(o.Integrations[0].ID, h.ts.URL+"/webhook")
	p := h.open(t, "")
	if p.hello.Desk {
		t.Fatal("the page offers the desk")
	}
	handOver(t, p)
	id := em.MessagingConversations()[0].ID
	if err := em.AgentJoin(context.Background(), id, "Alice"); err != nil {
		t.Fatal(err)
	}
	if err := em.AgentClose(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	p.waitEntry(roleBot, "Thanks Ann")

	for _, rg := range []*RealGenesys{{Config: genesys.Config{Region: h.s.opts.Genesys.Config.Region, ClientID: "x", ClientSecret: "y"}, WebhookSecret: "s"}, {Config: genesys.Config{Region: h.s.opts.Genesys.Config.Region, ClientID: "x", ClientSecret: "y"}, IntegrationID: "i"}} {
		if _, err := New(Options{FlowPath: acmeFlow, Genesys: rg}); err == nil {
			t.Errorf("New with %+v: no error", rg)
		}
	}
}
