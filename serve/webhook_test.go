package serve

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
)

// agentText is an Open Messaging webhook body: an agent message to a chat,
// with a message id of its text.
func agentText(conversationID, chatID, text string) []byte {
	data, _ := json.Marshal(genesys.OpenOutboundMessage{
		ID: "m-" + text, ConversationID: conversationID, Direction: "Outbound", Type: genesys.OpenTypeText, Text: text,
		Channel: genesys.OpenOutboundChannel{Platform: "Open", To: genesys.OpenMessageFrom{ID: chatID, IDType: "Opaque"}, From: genesys.OpenMessageFrom{Nickname: "Carol"}},
	})
	return data
}

func signed(secret string, body []byte) http.Header {
	return http.Header{genesys.SignatureHeader: {genesys.SignWebhook(secret, body)}, "Content-Type": {"application/json"}}
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
		{name: "good", header: signed(sentinelWebhookSecret, body), body: body, status: 200, want: "applied"},
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
	// queued means the agent joined.
	e := p.waitEntry(roleAgent, "hello from the webhook")
	p.waitState("agent")
	if e.Name != "Carol" {
		t.Fatalf("agent entry %+v", e)
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
	status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, body), body)
	if status != 200 || !strings.Contains(got, "ignored") {
		t.Fatalf("HTTP %d %s", status, got)
	}
	// The server applied nothing (webhooks are answered once applied).
	if st := c.serverState(); st != "queued" {
		t.Fatalf("state %q", st)
	}
	if log := strings.Join(c.historyTexts(), "\n"); strings.Contains(log, "from the past") {
		t.Fatalf("the stale message reached the chat:\n%s", log)
	}
	// The current conversation still gets through.
	body = agentText(h.conversation(t).ID, c.customer, "from now")
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, body), body); status != 200 || !strings.Contains(got, "applied") {
		t.Fatalf("HTTP %d %s", status, got)
	}
	if st := c.serverState(); st != "agent" {
		t.Fatalf("state %q after a current message", st)
	}
}

func TestWebhookEventsMapToAgentEvents(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	event := func(typ string, queue string) []byte {
		pr := &genesys.OpenPresence{Type: typ}
		if queue != "" {
			pr.Queue = &genesys.EntityRef{Name: queue}
		}
		data, _ := json.Marshal(genesys.OpenOutboundMessage{
			ConversationID: conv, Direction: "Outbound", Type: genesys.OpenTypeEvent,
			Channel: genesys.OpenOutboundChannel{To: genesys.OpenMessageFrom{ID: p.chat}, From: genesys.OpenMessageFrom{Nickname: "Dan"}},
			Events:  []genesys.OpenEvent{{EventType: "Presence", Presence: pr}},
		})
		return data
	}
	steps := []struct {
		body   []byte
		status int
		state  string
	}{
		{event("Typing", ""), 200, "queued"},                           // nothing for the chat
		{event(genesys.PresenceTransfer, "Support EN"), 200, "queued"}, // implies a join first
		{event(genesys.PresenceJoin, ""), 200, "agent"},
		{event(genesys.PresenceJoin, ""), 200, "agent"}, // a second join changes nothing
		{event(genesys.PresenceSessionExpired, ""), 200, "closed: genesys-timeout"},
		{event(genesys.PresenceDisconnect, ""), 200, "closed: genesys-timeout"}, // too late: ignored
	}
	for i, st := range steps {
		status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, st.body), st.body)
		if status != st.status {
			t.Fatalf("step %d: HTTP %d %s, want %d", i, status, got, st.status)
		}
		p.waitState(st.state)
	}
	if p.state.Queue != "" || !strings.Contains(p.transcript(), `agent transferred the chat to queue "Support EN"`) {
		t.Fatalf("state %+v, log:\n%s", p.state, p.transcript())
	}
}
