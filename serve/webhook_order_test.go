package serve

import (
	"context"
	"slices"
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
	c.ops.push(func() { <-ch }, false)
	return func() { close(ch) }
}

// An agent who answers at once: the join and the agent's first message
// come while the bridge is still inside the handover (before it knows the
// conversation id). The webhook is answered at once; the chat applies the
// message after the handover, and the lifecycle's first read finds the
// agent.
func TestAgentDuringHandover(t *testing.T) {
	h := start(t, Options{})
	var once sync.Once
	acted := make(chan error, 1)
	h.em.WatchMessaging(func() {
		for _, c := range h.em.ActiveConversations(1) {
			if c.State != emulator.ConversationQueued {
				continue
			}
			once.Do(func() {
				// Never from inside replace/queue: the agent acts in its
				// own goroutine.
				go func() {
					err := h.em.AgentJoin(context.Background(), c.ID, "Alice")
					if err == nil {
						err = h.em.AgentSay(context.Background(), c.ID, "Hello, I am here")
					}
					acted <- err
				}()
			})
		}
	})
	p := h.open(t, "")
	p.waitState("bot")
	p.say("agent please")
	p.waitEntry(roleBot, "What's your name?")
	p.say("Ann")
	if err := <-acted; err != nil {
		t.Fatalf("agent: %v", err)
	}
	p.waitState("agent")
	if e := p.waitEntry(roleAgent, "Hello, I am here"); e.Name != "Alice" && e.Name != "" {
		t.Fatalf("agent entry %+v", e)
	}
	p.waitEntry(roleSystem, "joined from queue \"Billing Support\"")
	if st := h.conversation(t).State; st != emulator.ConversationAgent {
		t.Fatalf("emulator state %s", st)
	}
	joins := 0
	for _, e := range p.events {
		if e.Kind == "agent-join" {
			joins++
		}
	}
	if joins != 1 {
		t.Fatalf("%d joins:\n%s", joins, p.transcript())
	}
}

// Two agent messages arrive together while the chat is busy (a user message
// on its way to Genesys): both are answered at once, and each is mapped
// against the state the previous one left, so the second does not join
// again and fail.
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
	// Both are answered at once, while the chat is busy.
	wg.Wait()
	for j := range codes {
		if codes[j] != 200 || !strings.Contains(answers[j], "accepted") {
			t.Fatalf("webhook %d: HTTP %d %s", j, codes[j], answers[j])
		}
	}
	if n := h.s.opsRunning(); n != 2 {
		t.Fatalf("%d operations wait for the chat, want the two webhooks", n)
	}
	release()
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
		for i, want := range []string{"accepted", "taken already"} {
			status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b)
			if status != 200 || !strings.Contains(got, want) {
				t.Fatalf("delivery %d: HTTP %d %s, want %q", i+1, status, got, want)
			}
		}
	}
	h.settled(t)
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
	p.waitEntry(roleAgent, strings.Repeat("y", MaxMessage))
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
	p.waitEntry(roleAgent, "real one")
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
	if status, got := h.post(t, "/webhook", signed(sentinelWebhookSecret, b), b); status != 200 || !strings.Contains(got, "accepted") {
		t.Fatalf("addressed to the customer: HTTP %d %s", status, got)
	}
}

// The customer writes while queued, and before the message reaches Genesys
// (the chat is busy) the agent joins, writes and ends the conversation:
// the message starts a new conversation, which the chat follows into its
// queue. The agent's message from the old one (the webhook names no
// conversation) is not taken for the new one, whose queue nobody has
// answered yet: the chat waits there, not with an agent who left.
func TestFollowLeavesTheOldConversationsMessages(t *testing.T) {
	h := start(t, Options{})
	ctx := context.Background()
	p := h.open(t, "")
	handOver(t, p)
	old := h.conversation(t).ID
	c := h.chatOf(t, p)
	release := c.busy()
	p.say("hello?")
	waitUntil(t, "the message to wait for the chat", func() bool { return h.s.opsRunning() == 1 })
	h.aliceAnswersAndCloses(t, old)
	release()
	p.waitEntry(roleSystem, `Genesys started a new conversation for this message (the previous one ended on its side); it goes to queue "Billing Support"`)
	h.settled(t) // the agent's message was taken before the release
	if st := c.serverState(); st != "queued" || slices.Contains(c.historyTexts(), "agent: Hi Ann") {
		t.Fatalf("state %q, log:\n%s", st, strings.Join(c.historyTexts(), "\n"))
	}
	if !strings.Contains(h.log.String(), "agent message of conversation "+old+" not shown: the chat has left that conversation") {
		t.Fatalf("server log:\n%s", h.log)
	}
	conv := h.conversation(t)
	if conv.ID == old || conv.State != emulator.ConversationQueued || conv.Queue.Name != "Billing Support" || lastCustomerText(conv) != "hello?" {
		t.Fatalf("the new conversation %+v", conv)
	}
	// The chat goes on in the new conversation.
	if err := h.em.AgentJoin(ctx, conv.ID, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	if err := h.em.AgentSay(ctx, conv.ID, "Hi again"); err != nil {
		t.Fatal(err)
	}
	p.waitEntry(roleAgent, "Hi again")
	if err := h.em.AgentClose(ctx, conv.ID); err != nil {
		t.Fatal(err)
	}
	p.waitEntry(roleBot, "Thanks Ann. Anything else?")
}
