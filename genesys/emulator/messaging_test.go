package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// webhookSink is a bridge stand-in: it verifies each delivery's signature
// and keeps the messages in order.
type webhookSink struct {
	secret string
	mu     sync.Mutex
	got    []genesys.OpenOutboundMessage
	status int // answer to give; 0 means 200
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := genesys.VerifyWebhook(s.secret, body, r.Header.Get(genesys.SignatureHeader)); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var m genesys.OpenOutboundMessage
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status != 0 {
		w.WriteHeader(s.status)
		return
	}
	s.got = append(s.got, m)
}

func (s *webhookSink) messages() []genesys.OpenOutboundMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// messagingSetup emulates org with its integration's webhook pointing at a
// verifying sink.
func messagingSetup(t *testing.T, o *org.File) (*emulator.Server, *genesys.Client, *webhookSink) {
	t.Helper()
	em, c, _ := emulate(t, o, emulator.Options{}, nil)
	sink := &webhookSink{secret: o.Integrations[0].WebhookSecret}
	srv := httptest.NewServer(sink)
	t.Cleanup(srv.Close)
	if err := em.SetWebhookURL(o.Integrations[0].Name, srv.URL); err != nil {
		t.Fatal(err)
	}
	return em, c, sink
}

func customer() genesys.OpenMessageFrom {
	return genesys.OpenMessageFrom{ID: "chat-1", IDType: "Opaque", Nickname: "Web chat"}
}

func TestHandOverAndAgentRoundTrip(t *testing.T) {
	o := acmeOrg(t)
	em, c, sink := messagingSetup(t, o)
	ctx := context.Background()
	integ := o.Integrations[0].ID

	res, err := c.HandOver(ctx, genesys.Handover{
		IntegrationID: integ, From: customer(), Text: "handover from the bot",
		Attributes: map[string]string{"customerName": "Ann", "lastIntent": "agent"}, Queue: "Billing Support",
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Queue.Name != "Billing Support" || res.ConversationID == "" {
		t.Fatalf("result %+v", res)
	}
	// A message typed while queued joins the same conversation.
	if _, err := c.SendOpenMessage(ctx, integ, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "m2", From: customer()}, Text: "still there?"}); err != nil {
		t.Fatal(err)
	}
	convs := em.MessagingConversations()
	if len(convs) != 1 {
		t.Fatalf("%d conversations, want 1", len(convs))
	}
	cv := convs[0]
	if cv.ID != res.ConversationID || cv.State != emulator.ConversationQueued || cv.Queue.Name != "Billing Support" {
		t.Fatalf("conversation %+v", cv)
	}
	if cv.Attributes["customerName"] != "Ann" || cv.Attributes["lastIntent"] != "agent" {
		t.Fatalf("attributes %v", cv.Attributes)
	}
	var texts []string
	for _, m := range cv.Messages {
		if m.From == "customer" {
			texts = append(texts, m.Text)
		}
	}
	if !slices.Equal(texts, []string{"handover from the bot", "still there?"}) {
		t.Fatalf("customer messages %q", texts)
	}

	// Agent actions reach the webhook signed, in order.
	steps := []func() error{
		func() error { return em.AgentJoin(ctx, cv.ID, "Alice") },
		func() error { return em.AgentSay(ctx, cv.ID, "Hi Ann") },
		func() error { return em.AgentTransfer(ctx, cv.ID, "Support EN") },
		func() error { return em.AgentJoin(ctx, cv.ID, "Bob") },
		func() error { return em.AgentClose(ctx, cv.ID) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got := sink.messages()
	var kinds []string
	for _, m := range got {
		if m.ConversationID != cv.ID || m.Direction != "Outbound" || m.Channel.To.ID != "chat-1" || m.Channel.ID != integ {
			t.Errorf("message %+v not addressed to the customer", m)
		}
		switch m.Type {
		case genesys.OpenTypeText:
			kinds = append(kinds, "text:"+m.Text)
		case genesys.OpenTypeEvent:
			p := m.Events[0].Presence
			k := "event:" + p.Type
			if p.Queue != nil {
				k += ":" + p.Queue.Name
			}
			kinds = append(kinds, k+":"+m.Channel.From.Nickname)
		}
	}
	want := []string{"event:Join:Billing Support:Alice", "text:Hi Ann", "event:Transfer:Support EN:Alice", "event:Join:Support EN:Bob", "event:Disconnect:Bob"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("webhook saw %q\nwant %q", kinds, want)
	}
	if st := em.MessagingConversations()[0].State; st != emulator.ConversationClosed {
		t.Fatalf("state after close %s", st)
	}
	// A new message after the close starts a new conversation.
	r2, err := c.SendOpenMessage(ctx, integ, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "m3", From: customer()}, Text: "again"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.ConversationID == cv.ID || r2.ConversationID == "" {
		t.Fatalf("message after close went to conversation %q", r2.ConversationID)
	}
}

func TestAgentActionsOutOfTurn(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := messagingSetup(t, o)
	ctx := context.Background()
	res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: customer(), Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ConversationID
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"say before join", func() error { return em.AgentSay(ctx, id, "hello") }, "join it before replying"},
		{"close before join", func() error { return em.AgentClose(ctx, id) }, "only an agent who joined"},
		{"transfer before join", func() error { return em.AgentTransfer(ctx, id, "Support DE") }, "join it before transferring"},
		{"join without a name", func() error { return em.AgentJoin(ctx, id, " ") }, "needs an agent name"},
		{"transfer to no queue", func() error { return em.AgentTransfer(ctx, id, "Nope") }, `no queue "Nope"`},
		{"empty message", func() error { return em.AgentSay(ctx, id, "  ") }, "empty"},
		{"long message", func() error { return em.AgentSay(ctx, id, strings.Repeat("x", emulator.MaxAgentText+1)) }, "too long"},
		{"unknown conversation", func() error { return em.AgentJoin(ctx, "nope", "Alice") }, "no such conversation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	if err := em.ExpireConversation(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := em.ExpireConversation(ctx, id); err == nil || !strings.Contains(err.Error(), "nothing to expire") {
		t.Fatalf("second expiry: %v", err)
	}
}

func TestWebhookRefusedIsAnError(t *testing.T) {
	o := acmeOrg(t)
	em, c, sink := messagingSetup(t, o)
	ctx := context.Background()
	res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: customer(), Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	sink.secret = "not-the-integration-secret" // the bridge rejects the signature
	err = em.AgentJoin(ctx, res.ConversationID, "Alice")
	var we *emulator.WebhookError
	if !errors.As(err, &we) || we.Status != http.StatusUnauthorized {
		t.Fatalf("join with a refused webhook: %v", err)
	}
	if strings.Contains(err.Error(), o.Integrations[0].WebhookSecret) {
		t.Fatal("the error names the webhook secret")
	}
	// The refused join did not happen: the emulator agrees with the bridge.
	conv := findConversation(t, em, res.ConversationID)
	if conv.State != emulator.ConversationQueued || conv.Agent != "" || strings.Contains(lastMessage(conv), "joined") {
		t.Fatalf("after a refused join: state %s, agent %q, last message %q", conv.State, conv.Agent, lastMessage(conv))
	}
	if n := len(em.ActiveConversations(0)); n != 1 {
		t.Fatalf("%d active conversations", n)
	}
	// So the agent can try again once the bridge takes it.
	sink.mu.Lock()
	sink.secret = o.Integrations[0].WebhookSecret
	sink.mu.Unlock()
	if err := em.AgentJoin(ctx, res.ConversationID, "Alice"); err != nil {
		t.Fatal(err)
	}
	// A refused close leaves the conversation open with its agent.
	sink.mu.Lock()
	sink.status = http.StatusConflict
	sink.mu.Unlock()
	if err := em.AgentClose(ctx, res.ConversationID); err == nil {
		t.Fatal("close with a refused webhook: no error")
	}
	conv = findConversation(t, em, res.ConversationID)
	if conv.State != emulator.ConversationAgent || conv.Agent != "Alice" || strings.Contains(lastMessage(conv), "closed") {
		t.Fatalf("after a refused close: state %s, agent %q, last message %q", conv.State, conv.Agent, lastMessage(conv))
	}
	// The customer's next message still goes to that conversation.
	if _, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "m2", From: customer()}, Text: "still here"}); err != nil {
		t.Fatal(err)
	}
	if conv = findConversation(t, em, res.ConversationID); lastMessage(conv) != "still here" {
		t.Fatalf("the customer's message went elsewhere: last %q", lastMessage(conv))
	}
}

func findConversation(t *testing.T, em *emulator.Server, id string) emulator.Conversation {
	t.Helper()
	for _, c := range em.MessagingConversations() {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no conversation %s", id)
	return emulator.Conversation{}
}

func lastMessage(c emulator.Conversation) string {
	if len(c.Messages) == 0 {
		return ""
	}
	return c.Messages[len(c.Messages)-1].Text
}

// A conversation whose customer left is closed, leaves the desk's list, and
// keeps its last messages only.
func TestCloseConversationAndBounds(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := messagingSetup(t, o)
	ctx := context.Background()
	res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: customer(), Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < emulator.MaxConversationMessages+5; i++ {
		if _, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{From: customer()}, Text: "msg"}); err != nil {
			t.Fatal(err)
		}
	}
	conv := findConversation(t, em, res.ConversationID)
	if len(conv.Messages) > emulator.MaxConversationMessages || conv.Dropped == 0 {
		t.Fatalf("%d messages kept, %d dropped", len(conv.Messages), conv.Dropped)
	}
	active := em.ActiveConversations(3)
	if len(active) != 1 || len(active[0].Messages) != 3 {
		t.Fatalf("active %+v", active)
	}
	if err := em.CloseConversation(res.ConversationID, "the customer left"); err != nil {
		t.Fatal(err)
	}
	if err := em.CloseConversation(res.ConversationID, "again"); err != nil {
		t.Fatalf("closing twice: %v", err)
	}
	if err := em.CloseConversation("nope", ""); !errors.Is(err, emulator.ErrNoConversation) {
		t.Fatalf("unknown conversation: %v", err)
	}
	if n := len(em.ActiveConversations(0)); n != 0 {
		t.Fatalf("%d active conversations after the close", n)
	}
	if conv = findConversation(t, em, res.ConversationID); conv.State != emulator.ConversationClosed || lastMessage(conv) != "the customer left" {
		t.Fatalf("state %s, last %q", conv.State, lastMessage(conv))
	}
	if err := em.AgentJoin(ctx, res.ConversationID, "Alice"); err == nil {
		t.Fatal("joined a closed conversation")
	}
}

// emuPost sends an authenticated POST with a raw body.
func emuPost(t *testing.T, em *emulator.Server, tok, target, body string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	em.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestInboundMessageValidation(t *testing.T) {
	o := acmeOrg(t)
	em, _, _ := messagingSetup(t, o)
	tok := token(t, em, o)
	inbound := "/api/v2/conversations/messages/" + o.Integrations[0].ID + "/inbound/open/message"
	ok := `{"channel":{"messageId":"1","time":"2025-01-01T00:00:00Z","from":{"id":"u","idType":"Opaque"}},"text":"hi"}`
	tests := []struct {
		name, target, body string
		status             int
		want               string
	}{
		{"ok", inbound, ok, 200, `"type":"Text"`},
		{"top-level customAttributes", inbound, `{"channel":{"from":{"id":"u","idType":"Opaque"}},"text":"hi","metadata":{"customAttributes":{"a":"b"}}}`, 400, "channel.metadata.customAttributes"},
		{"no from id", inbound, `{"channel":{"from":{"idType":"Opaque"}},"text":"hi"}`, 400, "channel.from.id"},
		{"bad id type", inbound, `{"channel":{"from":{"id":"u","idType":"Twitter"}},"text":"hi"}`, 400, "idType"},
		{"no text", inbound, `{"channel":{"from":{"id":"u","idType":"Opaque"}},"text":" "}`, 400, "text is required"},
		{"not JSON", inbound, `{`, 400, "bad.request"},
		{"too large", inbound, `{"text":"` + strings.Repeat("x", emulator.MaxRequestBytes) + `"}`, 413, "request.bytes.max"},
		{"unknown integration", "/api/v2/conversations/messages/nope/inbound/open/message", ok, 404, "not.found"},
		{"transfer unknown conversation", "/api/v2/conversations/nope/participants/p/replace/queue", `{"queueName":"Support EN"}`, 404, "conversation"},
		{"transfer without a queue", "/api/v2/conversations/nope/participants/p/replace/queue", `{}`, 400, "queueId or queueName"},
		{"transfer to no queue", "/api/v2/conversations/nope/participants/p/replace/queue", `{"queueName":"Nope"}`, 404, "queue was not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := emuPost(t, em, tok, tt.target, tt.body)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("HTTP %d %s, want %d with %q", status, body, tt.status, tt.want)
			}
		})
	}
}

func TestReplaceQueueParticipantChecks(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := messagingSetup(t, o)
	ctx := context.Background()
	res, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "1", From: customer()}, Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := c.Conversation(ctx, res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.Participants) != 2 || conv.Participants[0].Purpose != "customer" || conv.Participants[1].Purpose != "workflow" {
		t.Fatalf("participants %+v", conv.Participants)
	}
	err = c.TransferToQueue(ctx, conv.ID, conv.Participants[0].ID, genesys.TransferToQueueRequest{QueueName: "Support EN"})
	if !strings.Contains(errString(err), "HTTP 400") {
		t.Fatalf("replacing the customer: %v", err)
	}
	err = c.TransferToQueue(ctx, conv.ID, "nope", genesys.TransferToQueueRequest{QueueName: "Support EN"})
	if !strings.Contains(errString(err), "participant was not found") {
		t.Fatalf("unknown participant: %v", err)
	}
	// Any division is a valid transfer target.
	if err := c.TransferToQueue(ctx, conv.ID, conv.Participants[1].ID, genesys.TransferToQueueRequest{QueueName: "Sales EN"}); err != nil {
		t.Fatal(err)
	}
	if got := em.MessagingConversations()[0].Queue.Name; got != "Sales EN" {
		t.Fatalf("queued in %q", got)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
