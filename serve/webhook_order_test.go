package serve

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/flowctl/flowctl/genesys/emulator"
)

// opsRunning returns how many chat operations run or wait for their chat.
func (s *Server) opsRunning() int { return s.gate.running() }

// busy keeps the chat's operations waiting until release is called (it
// is not an operation of the gate's).
func (c *chat) busy() (release func()) {
	ch := make(chan struct{})
	c.ops.push(func() { <-ch })
	return func() { close(ch) }
}

// An agent who answers at once: the Join webhook arrives while the bridge is
// still inside the handover (before it knows the conversation id). It waits
// for the handover and applies, instead of being dropped as stale.
func TestWebhookDuringHandoverWaitsForIt(t *testing.T) {
	h := start(t, Options{})
	var once sync.Once
	joined := make(chan error, 1)
	h.em.WatchMessaging(func() {
		for _, c := range h.em.ActiveConversations(1) {
			if c.State != emulator.ConversationQueued {
				continue
			}
			once.Do(func() {
				// Never from inside replace/queue: the bridge answers the
				// webhook once the handover returns.
				go func() { joined <- h.em.AgentJoin(context.Background(), c.ID, "Alice") }()
				// Hold replace/queue until the webhook waits for the chat
				// (the handover itself is the other operation).
				waitUntil(t, "the webhook to wait for the handover", func() bool { return h.s.opsRunning() >= 2 })
			})
		}
	})
	p := h.open(t, "")
	p.waitState("bot")
	p.say("agent please")
	p.waitEntry(roleBot, "What's your name?")
	p.say("Ann")
	if err := <-joined; err != nil {
		t.Fatalf("join: %v", err)
	}
	p.waitState("agent")
	p.waitEntry(roleSystem, `Alice joined from queue "Billing Support"`)
	if st := h.conversation(t).State; st != emulator.ConversationAgent {
		t.Fatalf("emulator state %s", st)
	}
}

// Two agent messages arrive together while the chat is busy (a user message
// on its way to Genesys): each is mapped against the state the previous one
// left, so the second does not join again and fail.
func TestConcurrentWebhooksWhileChatBusy(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	c := h.chatOf(t, p)
	release := c.busy()
	var wg sync.WaitGroup
	codes, answers := make([]int, 2), make([]string, 2)
	for j, text := range []string{"first", "second"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := agentText(conv, "", text)
			codes[j], answers[j] = h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b)
		}()
	}
	waitUntil(t, "both webhooks to wait for the chat", func() bool { return h.s.opsRunning() == 2 })
	release()
	wg.Wait()
	for j := range codes {
		if codes[j] != 200 || !strings.Contains(answers[j], "applied") {
			t.Fatalf("webhook %d: HTTP %d %s", j, codes[j], answers[j])
		}
	}
	p.waitEntry(roleAgent, "first")
	p.waitEntry(roleAgent, "second")
	p.waitState("agent")
	joins := 0
	for _, e := range p.events {
		if e.Kind == "agent-join" {
			joins++
		}
	}
	if joins != 1 {
		t.Fatalf("%d joins, want 1:\n%s", joins, p.transcript())
	}
}

// The same webhook twice (a replay, or Genesys retrying) shows once; the
// id is channel.messageId when the message has no id.
func TestWebhookReplayShownOnce(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	byChannelID := []byte(strings.Replace(string(agentText(conv, "", "twice too")), `"id":"m-twice too"`, `"id":""`, 1))
	byChannelID = []byte(strings.Replace(string(byChannelID), `"platform":"Open"`, `"platform":"Open","messageId":"ch-1"`, 1))
	for _, b := range [][]byte{agentText(conv, "", "once"), byChannelID} {
		for i, want := range []string{"applied", "applied already"} {
			status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b)
			if status != 200 || !strings.Contains(got, want) {
				t.Fatalf("delivery %d: HTTP %d %s, want %q", i+1, status, got, want)
			}
		}
	}
	c := h.chatOf(t, p)
	n := map[string]int{}
	for _, e := range c.historyTexts() {
		n[e]++
	}
	if n["agent: once"] != 1 || n["agent: twice too"] != 1 {
		t.Fatalf("log:\n%s", strings.Join(c.historyTexts(), "\n"))
	}
}

// Agent messages are capped like the user's.
func TestWebhookAgentTextCapped(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	long := strings.Repeat("z", MaxMessage+1)
	b := agentText(conv, "", long)
	status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b)
	if status != 413 || !strings.Contains(got, "too long") {
		t.Fatalf("HTTP %d %s, want 413", status, got)
	}
	b = agentText(conv, "", strings.Repeat("y", MaxMessage))
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b); status != 200 {
		t.Fatalf("a message of MaxMessage bytes: HTTP %d %s", status, got)
	}
	for _, e := range h.chatOf(t, p).historyTexts() {
		if strings.Contains(e, long) {
			t.Fatal("the long agent message reached the chat")
		}
	}
}

// Only outbound messages are for the chat.
func TestWebhookNotOutboundIgnored(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	b := []byte(strings.Replace(string(agentText(conv, "", "echo of the customer")), `"direction":"Outbound"`, `"direction":"Inbound"`, 1))
	status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b)
	if status != 200 || !strings.Contains(got, "not outbound") {
		t.Fatalf("HTTP %d %s", status, got)
	}
	b = agentText(conv, "", "real one")
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b); status != 200 {
		t.Fatalf("HTTP %d %s", status, got)
	}
	c := h.chatOf(t, p)
	log := strings.Join(c.historyTexts(), "\n")
	if strings.Contains(log, "echo of the customer") || !strings.Contains(log, "agent: real one") {
		t.Fatalf("log:\n%s", log)
	}
}

// The customer id Genesys sees is not the chat id (the page's capability),
// and a webhook addressed to the chat id finds nothing.
func TestCustomerIDIsNotTheChatID(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	cust := h.conversation(t).Customer
	if strings.Contains(cust.ID, p.chat) || strings.Contains(cust.Nickname, p.chat[:6]) || cust.ID != h.chatOf(t, p).customer {
		t.Fatalf("customer %+v for chat %s", cust, p.chat)
	}
	b := agentText("", p.chat, "by chat id")
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b); status != 404 {
		t.Fatalf("addressed to the chat id: HTTP %d %s, want 404", status, got)
	}
	b = agentText("", cust.ID, "by customer id")
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b); status != 200 || !strings.Contains(got, "applied") {
		t.Fatalf("addressed to the customer: HTTP %d %s", status, got)
	}
}
