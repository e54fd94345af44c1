package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
)

// agentText is an Open Messaging webhook body: an agent message to a chat,
// with a message id of its text. Its channel.from names the integration,
// never the agent.
func agentText(conversationID, chatID, text string) []byte {
	data, _ := json.Marshal(genesys.OpenOutboundMessage{
		ID: "m-" + text, ConversationID: conversationID, Direction: "Outbound", Type: genesys.OpenTypeText, Text: text,
		Channel: genesys.OpenOutboundChannel{Platform: "Open", To: genesys.OpenMessageFrom{ID: chatID, IDType: "Opaque"}, From: genesys.OpenMessageFrom{Nickname: "Bot webchat"}},
	})
	return data
}

func signed(secret string, body []byte) http.Header {
	return http.Header{genesys.SignatureHeader: {genesys.SignWebhook(secret, body)}, "Content-Type": {"application/json"}}
}

// settled waits until the chats have applied what they took.
func (h *harness) settled(t *testing.T) {
	t.Helper()
	waitUntil(t, "the chats to apply what they took", func() bool { return h.s.gate.running() == 0 })
}

func TestWebhookSignature(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	body := agentText(conv, p.chat, "hello from the webhook")

	tests := []struct {
		name   string
		header http.Header
		body   []byte
		status int
		want   string
	}{
		{name: "missing signature", header: http.Header{}, body: body, status: 401, want: "missing X-Hub-Signature-256"},
		{name: "wrong secret", header: signed("guess", body), body: body, status: 401, want: "bad X-Hub-Signature-256"},
		{name: "signature of another body", header: signed(sentinelWebhookSecret, []byte(`{}`)), body: body, status: 401, want: "bad X-Hub-Signature-256"},
		{name: "hex digest", header: http.Header{genesys.SignatureHeader: {"sha256=00ff"}}, body: body, status: 401, want: "bad"},
		{name: "signed but not JSON", header: signed(sentinelWebhookSecret, []byte("nope")), body: []byte("nope"), status: 400, want: "not an Open Messaging message"},
		{name: "unknown conversation", header: signed(sentinelWebhookSecret, agentText("c-unknown", "nobody", "x")), body: agentText("c-unknown", "nobody", "x"), status: 404, want: "no chat"},
		{name: "too large", header: http.Header{}, body: []byte(strings.Repeat("x", maxWebhookBody+1)), status: 413, want: "too large"},
		{name: "good", header: signed(sentinelWebhookSecret, body), body: body, status: 200, want: "accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := h.post(t, "/webhook", tt.header, tt.body)
			if status != tt.status || !strings.Contains(got, tt.want) {
				t.Fatalf("HTTP %d %s, want %d with %q", status, got, tt.status, tt.want)
			}
		})
	}
	// Only the signed message reached the chat; an agent message while
	// queued means an agent joined, though the lifecycle has not said who.
	e := p.waitEntry(roleAgent, "hello from the webhook")
	p.waitState("agent")
	if e.Name != "" {
		t.Fatalf("agent entry %+v: the integration's name is not the agent's", e)
	}
	for _, e := range p.events {
		if e.Role == roleAgent && e.Text != "hello from the webhook" {
			t.Fatalf("an unsigned message got through: %+v", e)
		}
	}
	if status, _ := h.get(t, "/webhook", ""); status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /webhook: %d", status)
	}
}

func TestWebhookStaleConversationIgnored(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	c := h.chatOf(t, p)
	body := agentText("an-old-conversation", c.customer, "from the past")
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, body), body); status != 200 {
		t.Fatalf("HTTP %d %s", status, got)
	}
	h.settled(t)
	if st := c.serverState(); st != "queued" {
		t.Fatalf("state %q", st)
	}
	if log := strings.Join(c.historyTexts(), "\n"); strings.Contains(log, "from the past") {
		t.Fatalf("the stale message reached the chat:\n%s", log)
	}
	// The current conversation still gets through.
	body = agentText(h.conversation(t).ID, c.customer, "from now")
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, body), body); status != 200 || !strings.Contains(got, "accepted") {
		t.Fatalf("HTTP %d %s", status, got)
	}
	p.waitEntry(roleAgent, "from now")
	p.waitState("agent")
}

// The webhook's types: Text and Structured show (the agent's name from the
// conversation's participants, quick replies as the answers offered); a
// Receipt and an Event (typing, or of another type) change nothing.
func TestWebhookTypes(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	if err := h.em.AgentJoin(context.Background(), conv, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	post := func(m genesys.OpenOutboundMessage, want string) {
		t.Helper()
		m.ConversationID, m.Direction = conv, "Outbound"
		m.Channel = genesys.OpenOutboundChannel{Platform: "Open", To: genesys.OpenMessageFrom{ID: h.chatOf(t, p).customer, IDType: "Opaque"}, From: genesys.OpenMessageFrom{Nickname: "Bot webchat"}}
		body, _ := json.Marshal(m)
		if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, body), body); status != 200 || !strings.Contains(got, want) {
			t.Fatalf("%s: HTTP %d %s, want %q", m.Type, status, got, want)
		}
	}
	ignored := func(why string) string { return `{"ignored":"` + why + `"}` }
	typing := genesys.OpenEvent{EventType: "Typing", Typing: &genesys.OpenTyping{Type: "On"}}
	post(genesys.OpenOutboundMessage{ID: "r1", Type: genesys.OpenTypeReceipt, Status: "Delivered"}, ignored("a receipt"))
	post(genesys.OpenOutboundMessage{ID: "e1", Type: genesys.OpenTypeEvent, Events: []genesys.OpenEvent{typing}}, ignored("a typing event"))
	// Events of other types are no typing: the answer says what they are.
	post(genesys.OpenOutboundMessage{ID: "e2", Type: genesys.OpenTypeEvent, Events: []genesys.OpenEvent{{EventType: "Presence"}}},
		ignored("an event of type Presence: Open Messaging sends integrations only Typing events"))
	post(genesys.OpenOutboundMessage{ID: "e3", Type: genesys.OpenTypeEvent, Events: []genesys.OpenEvent{typing, {EventType: "Presence"}, {}, {EventType: "Presence"}}},
		ignored("an event of type Presence, (none): Open Messaging sends integrations only Typing events"))
	post(genesys.OpenOutboundMessage{ID: "e4", Type: genesys.OpenTypeEvent}, ignored("an event without events"))
	post(genesys.OpenOutboundMessage{ID: "s0", Type: genesys.OpenTypeStructured}, ignored("no text in the message"))
	post(genesys.OpenOutboundMessage{ID: "s1", Type: genesys.OpenTypeStructured, Text: "Refund it?", Content: []genesys.OpenContent{
		{ContentType: "QuickReply", QuickReply: &genesys.OpenQuickReply{Text: "Yes", Payload: "yes"}},
		{ContentType: "QuickReply", QuickReply: &genesys.OpenQuickReply{Text: "No", Payload: "no"}},
	}}, "accepted")
	e := p.waitEntry(roleAgent, "Refund it?")
	if e.Name != "Alice" || strings.Join(e.QuickReplies, "|") != "Yes|No" {
		t.Fatalf("agent entry %+v", e)
	}
	h.settled(t)
	if st := h.chatOf(t, p).serverState(); st != "agent" {
		t.Fatalf("state %q", st)
	}
	for _, e := range p.events {
		if e.Role == roleAgent && e.Text != "Refund it?" {
			t.Fatalf("a receipt or event showed: %+v", e)
		}
	}
}

// The webhook's outbound messages carry no conversationId (the real
// outbound shape; the emulator's WebhookConversationID adds one): the
// chat is found by channel.to.id, the agent's name from its conversation's
// participants, with the id or without.
func TestWebhookWithoutConversationID(t *testing.T) {
	for _, withID := range []bool{false, true} {
		h := start(t, Options{Emulator: emulator.Options{WebhookConversationID: withID}})
		p := h.open(t, "")
		handOver(t, p)
		conv := h.conversation(t).ID
		ctx := context.Background()
		if err := h.em.AgentJoin(ctx, conv, "Alice"); err != nil {
			t.Fatal(err)
		}
		p.waitState("agent")
		if err := h.em.AgentSay(ctx, conv, "Hi, Alice here"); err != nil {
			t.Fatalf("with conversationId %v: %v", withID, err)
		}
		if e := p.waitEntry(roleAgent, "Hi, Alice here"); e.Name != "Alice" {
			t.Fatalf("with conversationId %v: agent entry %+v", withID, e)
		}
	}

	// A message for no chat's customer says whom it was for.
	h := start(t, Options{})
	body, _ := json.Marshal(genesys.OpenOutboundMessage{
		ID: "m1", Direction: "Outbound", Type: genesys.OpenTypeText, Text: "hello?",
		Channel: genesys.OpenOutboundChannel{Platform: "Open", To: genesys.OpenMessageFrom{ID: "nobody", IDType: "Opaque"}},
	})
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, body), body); status != 404 || got != `{"error":"no chat for customer nobody"}` {
		t.Fatalf("HTTP %d %s", status, got)
	}
}

// The agent's name of a webhook message: by its conversation id, or
// without one by its customer's conversation an agent has.
func TestAgentNameWithoutConversationID(t *testing.T) {
	snapshot := func(agent, state string) *genesys.MessageConversation {
		return &genesys.MessageConversation{Participants: []genesys.MessageParticipant{
			{Purpose: genesys.PurposeCustomer, State: genesys.StateConnected},
			{Purpose: genesys.PurposeAgent, Name: agent, State: state},
		}}
	}
	l := &lifecycle{convs: map[string]*tracked{
		"old": {customer: "ann", last: snapshot("Bob", genesys.StateDisconnected)},
		"new": {customer: "ann", last: snapshot("Alice", genesys.StateConnected)},
		"eve": {customer: "eve", last: snapshot("Carol", genesys.StateConnected)},
	}}
	for _, tt := range []struct{ conv, customer, want string }{
		{"", "ann", "Alice"},
		{"", "eve", "Carol"},
		{"", "nobody", ""},
		{"old", "ann", ""},
		{"eve", "ann", "Carol"},
		{"gone", "ann", ""},
	} {
		if got := l.agentName(tt.conv, tt.customer); got != tt.want {
			t.Errorf("agentName(%q, %q) = %q, want %q", tt.conv, tt.customer, got, tt.want)
		}
	}
}
