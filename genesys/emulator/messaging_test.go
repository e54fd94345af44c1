package emulator_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
)

func customer() genesys.OpenMessageFrom {
	return genesys.OpenMessageFrom{ID: "chat-1", IDType: "Opaque", Nickname: "Web chat"}
}

// purposes returns "purpose:state[:disconnectType]" of each participant.
func purposes(conv genesys.MessageConversation) []string {
	var out []string
	for _, p := range conv.Participants {
		s := p.Purpose + ":" + p.State
		if p.DisconnectType != "" {
			s += ":" + p.DisconnectType
		}
		out = append(out, s)
	}
	return out
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

	// Each agent action shows in the participants; only messages reach
	// the webhook, signed, in order, named by the integration.
	steps := []struct {
		do   func() error
		want []string
	}{
		{func() error { return nil }, []string{"customer:connected", "workflow:disconnected:transfer", "acd:connected"}},
		{func() error { return em.AgentJoin(ctx, cv.ID, "Alice") }, []string{"customer:connected", "workflow:disconnected:transfer", "acd:disconnected:transfer", "agent:connected"}},
		{func() error { return em.AgentSay(ctx, cv.ID, "Hi Ann") }, nil},
		{func() error { return em.AgentSay(ctx, cv.ID, "Refund it?", "Yes", " ", "No") }, nil},
		{func() error { return em.AgentTransfer(ctx, cv.ID, "Support EN") }, []string{"customer:connected", "workflow:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "acd:connected"}},
		{func() error { return em.AgentJoin(ctx, cv.ID, "Bob") }, nil},
		// A transfer to an agent offers the chat: Alice is alerting until
		// she accepts (joins).
		{func() error { return em.AgentTransferToAgent(ctx, cv.ID, "Alice") }, []string{"customer:connected", "workflow:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "agent:alerting"}},
		{func() error { return em.AgentJoin(ctx, cv.ID, "Alice") }, []string{"customer:connected", "workflow:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "agent:connected"}},
		{func() error { return em.AgentClose(ctx, cv.ID) }, []string{"customer:disconnected:peer", "workflow:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:transfer", "agent:disconnected:client"}},
	}
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if st.want == nil {
			continue
		}
		mc, err := c.MessageConversation(ctx, cv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := purposes(*mc); !slices.Equal(got, st.want) {
			t.Fatalf("step %d: participants %q\nwant %q", i, got, st.want)
		}
	}
	mc, _ := c.MessageConversation(ctx, cv.ID)
	last := mc.Participants[len(mc.Participants)-1]
	if last.Name != "Alice" || last.User == nil || last.User.Name != "Alice" || last.Queue == nil || last.Queue.Name != "Support EN" {
		t.Fatalf("the last agent %+v", last)
	}
	got := sink.messages()
	var kinds []string
	for _, m := range got {
		if m.ConversationID != cv.ID || m.Direction != "Outbound" || m.Channel.To.ID != "chat-1" || m.Channel.ID != integ || m.Channel.From.Nickname != o.Integrations[0].Name {
			t.Errorf("message %+v not addressed to the customer from the integration", m)
		}
		text, replies, _ := m.Display()
		kinds = append(kinds, m.Type+":"+text+":"+strings.Join(replies, "|"))
	}
	want := []string{"Text:Hi Ann:", "Structured:Refund it?:Yes|No"}
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
	o.Agents[0].Queues = []string{"Billing Support"} // Alice no longer serves Support EN
	res := handOver(t, c, o)
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
		{"join another queue's chat", func() error { return em.AgentJoin(ctx, id, "Alice") }, `Alice is not a member of queue "Support EN"`},
		{"join as nobody", func() error { return em.AgentJoin(ctx, id, "Zed") }, `no agent "Zed" in the org`},
		{"transfer to an agent before join", func() error { return em.AgentTransferToAgent(ctx, id, "Bob") }, "join it before transferring"},
		{"too many quick replies", func() error { return em.AgentSay(ctx, id, "pick", strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")...) }, "too many quick replies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	if err := em.AgentJoin(ctx, id, "Bob"); err != nil {
		t.Fatal(err)
	}
	if err := em.AgentTransferToAgent(ctx, id, "Bob"); err == nil || !strings.Contains(err.Error(), "Bob has the conversation already") {
		t.Fatalf("transfer to oneself: %v", err)
	}
	// Offered to Alice (who serves no queue of it: a transfer to an agent
	// needs none), the chat waits for her: no one else joins it, no one
	// writes or moves it until she accepts.
	if err := em.AgentTransferToAgent(ctx, id, "Alice"); err != nil {
		t.Fatal(err)
	}
	if st := em.MessagingConversations()[0]; st.State != emulator.ConversationOffered || st.Agent != "Alice" {
		t.Fatalf("after the transfer to Alice: %s %s", st.State, st.Agent)
	}
	for _, tt := range []struct {
		name string
		do   func() error
		want string
	}{
		{"another agent joins", func() error { return em.AgentJoin(ctx, id, "Bob") }, "conversation is offered to Alice: only Alice can accept it"},
		{"say before accepting", func() error { return em.AgentSay(ctx, id, "hello") }, "conversation is offered: join it before replying"},
		{"transfer before accepting", func() error { return em.AgentTransfer(ctx, id, "Support DE") }, "conversation is offered: join it before transferring"},
		{"close before accepting", func() error { return em.AgentClose(ctx, id) }, "only an agent who joined"},
	} {
		if err := tt.do(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	if err := em.AgentJoin(ctx, id, "Alice"); err != nil {
		t.Fatal(err)
	}
	if st := em.MessagingConversations()[0]; st.State != emulator.ConversationAgent || st.Agent != "Alice" || st.Messages[len(st.Messages)-1].Text != "Alice accepted the chat" {
		t.Fatalf("after Alice accepted: %s %s %+v", st.State, st.Agent, st.Messages[len(st.Messages)-1])
	}
	if err := em.ExpireConversation(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := em.ExpireConversation(ctx, id); err == nil || !strings.Contains(err.Error(), "nothing to expire") {
		t.Fatalf("second expiry: %v", err)
	}
	mc, _ := c.MessageConversation(ctx, id)
	for i, p := range mc.Participants {
		holder := p.Purpose == "customer" || i == len(mc.Participants)-1 // Alice
		if p.State != "disconnected" || (holder && p.DisconnectType != "timeout") || (!holder && p.DisconnectType != "transfer") {
			t.Errorf("after the expiry: %+v", p)
		}
	}
}

// Genesys's inactivity timeout uses TimeoutDisconnectType; with
// AgentEndKeepsCustomer the agent's end leaves the customer connected.
func TestLifecycleSwitches(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, emulator.Options{TimeoutDisconnectType: "inactivity", AgentEndKeepsCustomer: true}, nil)
	ctx := context.Background()
	hand := func(from string) string {
		res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: from, IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
		if err != nil {
			t.Fatal(err)
		}
		return res.ConversationID
	}
	a := hand("a")
	if err := em.ExpireConversation(ctx, a); err != nil {
		t.Fatal(err)
	}
	mc, _ := c.MessageConversation(ctx, a)
	if got := purposes(*mc); !slices.Equal(got, []string{"customer:disconnected:inactivity", "workflow:disconnected:transfer", "acd:disconnected:inactivity"}) {
		t.Errorf("expired: %q", got)
	}
	b := hand("b")
	if err := em.AgentJoin(ctx, b, "Bob"); err != nil {
		t.Fatal(err)
	}
	if err := em.AgentClose(ctx, b); err != nil {
		t.Fatal(err)
	}
	mc, _ = c.MessageConversation(ctx, b)
	if got := purposes(*mc); !slices.Equal(got, []string{"customer:connected", "workflow:disconnected:transfer", "acd:disconnected:transfer", "agent:disconnected:client"}) {
		t.Errorf("agent ended: %q", got)
	}
	if n := len(em.ActiveConversations(0)); n != 0 {
		t.Errorf("%d conversations on the desk after the agent ended", n)
	}
	// The middleware ends it.
	if err := c.DisconnectConversation(ctx, b); err != nil {
		t.Fatal(err)
	}
	mc, _ = c.MessageConversation(ctx, b)
	if p := mc.Participants[0]; p.State != "disconnected" || p.DisconnectType != "client" {
		t.Errorf("customer after the disconnect: %+v", p)
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
	res := handOver(t, c, o)
	for i := 0; i < emulator.MaxConversationMessages+5; i++ {
		if _, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{From: customer()}, Text: "msg"}); err != nil {
			t.Fatal(err)
		}
	}
	conv := findConversation(t, em, res.ConversationID)
	if len(conv.Messages) > emulator.MaxConversationMessages || conv.Dropped == 0 {
		t.Fatalf("%d messages kept, %d dropped", len(conv.Messages), conv.Dropped)
	}
	// Long messages meet the bound in bytes first.
	long := strings.Repeat("l", 4000)
	for range 100 {
		if _, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{From: customer()}, Text: long}); err != nil {
			t.Fatal(err)
		}
	}
	conv = findConversation(t, em, res.ConversationID)
	size := 0
	for _, m := range conv.Messages {
		size += len(m.Text)
	}
	if size > emulator.MaxConversationBytes || len(conv.Messages) >= 100 {
		t.Fatalf("%d messages of %d bytes kept", len(conv.Messages), size)
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
	em, c, clock := emulate(t, o, emulator.Options{ParticipantDelay: time.Second}, nil)
	ctx := context.Background()
	res, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "1", From: customer()}, Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	// The participants appear a moment after the inbound message.
	conv, err := c.MessageConversation(ctx, res.ConversationID)
	if err != nil || len(conv.Participants) != 0 {
		t.Fatalf("participants at once: %+v %v", conv, err)
	}
	generic, err := c.Conversation(ctx, res.ConversationID)
	if err != nil || len(generic.Participants) != 0 {
		t.Fatalf("generic participants at once: %+v %v", generic, err)
	}
	clock.Sleep(ctx, time.Second)
	if conv, err = c.MessageConversation(ctx, res.ConversationID); err != nil {
		t.Fatal(err)
	}
	if got := purposes(*conv); !slices.Equal(got, []string{"customer:connected", "workflow:connected"}) {
		t.Fatalf("participants %q", got)
	}
	// The generic shape keeps the state per media.
	if generic, err = c.Conversation(ctx, res.ConversationID); err != nil {
		t.Fatal(err)
	}
	if p := generic.Participants[1]; p.Purpose != "workflow" || len(p.Messages) != 1 || p.Messages[0].State != "connected" || p.ID != conv.Participants[1].ID {
		t.Fatalf("generic participant %+v", p)
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
	generic, _ = c.Conversation(ctx, res.ConversationID)
	if p := generic.Participants[2]; p.Purpose != "acd" || p.QueueName != "Sales EN" || p.QueueID != o.Queue("Sales EN").ID {
		t.Fatalf("acd participant in the generic shape: %+v", p)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
