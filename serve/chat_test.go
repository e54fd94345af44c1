package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/simulate"
)

// handOver plays the acme flow up to the handover to Billing Support.
func handOver(t *testing.T, p *page) {
	t.Helper()
	p.waitEntry(roleBot, "Hi! How can I help?")
	p.waitState("bot")
	p.say("agent please")
	p.waitEntry(roleBot, "What's your name?")
	p.say("Ann")
	p.waitState("queued")
}

func TestChatHandoverAgentAndResume(t *testing.T) {
	h := start(t, Options{})
	ctx := context.Background()
	p := h.open(t, "")
	handOver(t, p)
	if p.state.Queue != "Billing Support" {
		t.Fatalf("queued in %q", p.state.Queue)
	}
	// Typed while queued: they reach Genesys, in order.
	for _, m := range []string{"one", "two", "three"} {
		p.say(m)
		p.waitEntry(roleUser, m)
	}
	customerTexts := func() []string {
		var got []string
		for _, m := range h.conversation(t).Messages {
			if m.From == "customer" {
				got = append(got, m.Text)
			}
		}
		return got
	}
	want := []string{`Handed over by the bot. Last message: "Ann"`, "one", "two", "three"}
	p.until("Genesys to get the messages", func() bool { return len(customerTexts()) == len(want) })
	if got := customerTexts(); !slices.Equal(got, want) {
		t.Fatalf("Genesys got %q, want %q", got, want)
	}
	conv := h.conversation(t)
	if conv.Attributes["customerName"] != "Ann" || conv.Queue.Name != "Billing Support" {
		t.Fatalf("conversation %+v", conv)
	}

	if err := h.em.AgentJoin(ctx, conv.ID, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	p.waitEntry(roleSystem, `Alice joined from queue "Billing Support"`)
	if err := h.em.AgentSay(ctx, conv.ID, "Hi Ann, how can I help?"); err != nil {
		t.Fatal(err)
	}
	if e := p.waitEntry(roleAgent, "Hi Ann, how can I help?"); e.Name != "Alice" {
		t.Fatalf("agent entry %+v, want Alice's name", e)
	}
	p.say("my invoice")
	p.until("the agent to receive it", func() bool {
		msgs := h.conversation(t).Messages
		return msgs[len(msgs)-1].Text == "my invoice"
	})
	if err := h.em.AgentTransfer(ctx, conv.ID, "Support EN"); err != nil {
		t.Fatal(err)
	}
	p.until("the transfer", func() bool { return p.state.State == "queued" && p.state.Queue == "Support EN" })
	if err := h.em.AgentJoin(ctx, conv.ID, "Bob"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	if err := h.em.AgentClose(ctx, conv.ID); err != nil {
		t.Fatal(err)
	}
	p.waitEntry(roleBot, "Thanks Ann. Anything else?")
	p.waitState("bot")
	p.say("no thanks")
	p.waitEntry(roleBot, "Goodbye!")
	p.waitState("closed: end-of-flow")
	p.say("hello?")
	p.until("an error", func() bool { return len(p.errors) > 0 })
	if !strings.Contains(p.errors[0], "closed") {
		t.Fatalf("message after the close: %q", p.errors)
	}
}

func TestReconnectKeepsConversation(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	p.say("still there?")
	p.waitEntry(roleUser, "still there?")
	want := p.transcript()
	p.conn.CloseNow()

	q := h.open(t, p.chat)
	q.until("history", func() bool { return len(q.events) > 0 })
	if !q.hello.Resumed || q.chat != p.chat {
		t.Fatalf("hello %+v, want chat %s resumed", q.hello, p.chat)
	}
	if q.transcript() != want || q.state.State != "queued" {
		t.Fatalf("after reconnect, state %q and log\n%s\nwant queued and\n%s", q.state.State, q.transcript(), want)
	}
	// The conversation goes on from the new page.
	if err := h.em.AgentJoin(context.Background(), h.conversation(t).ID, "Alice"); err != nil {
		t.Fatal(err)
	}
	q.waitState("agent")

	// An unknown chat id starts a new chat.
	r := h.open(t, "0123456789abcdef0123456789abcdef")
	if r.hello.Resumed || r.chat == p.chat || r.chat == "" {
		t.Fatalf("unknown chat: hello %+v", r.hello)
	}
}

// TestHandoverFailureTakesOnError: the bot's client lost its grant in
// Sales, where Billing Support is; the handover fails with the org file's
// verdict and onError runs. Without routing:queue:search as well, the
// emulator cannot find the queue, but serve says what validate --org says
// on the same org file: division not permitted, not a near miss or
// not-found.
func TestHandoverFailureTakesOnError(t *testing.T) {
	for name, lost := range map[string]func(org.RoleDivision) bool{
		"grant":            func(rd org.RoleDivision) bool { return rd.Division == "Sales" },
		"grant and search": func(rd org.RoleDivision) bool { return rd.Division == "Sales" || rd.Role == "Queue directory" },
	} {
		t.Run(name, func(t *testing.T) {
			o := loadAcmeOrg(t)
			o.OAuthClients[0].RoleDivisions = slices.DeleteFunc(o.OAuthClients[0].RoleDivisions, lost)
			h := start(t, Options{Org: o, OrgPath: acmeOrg})
			p := h.open(t, "")
			p.waitEntry(roleBot, "Hi!")
			p.say("agent please")
			p.waitEntry(roleBot, "What's your name?")
			p.say("Ann")
			e := p.waitEntry(roleSystem, "handover to queue")
			want := `handover to queue "Billing Support" failed: queue "Billing Support" is in division "Sales", where OAuth client "Bot integration" has no role granting routing:queue:view (granted: Support); grant the handover role in division "Sales" or move the queue`
			if e.Text != want || e.Kind != string(simulate.EventHandoverFailed) {
				t.Fatalf("entry %+v\nwant %s", e, want)
			}
			p.waitEntry(roleBot, "Sorry, I can't help with that.")
			p.waitState("closed: end-of-flow")
			if !strings.Contains(h.log.String(), `handover to "Billing Support" failed`) {
				t.Fatalf("log lacks the failure:\n%s", h.log)
			}
			if n := len(h.em.MessagingConversations()); n != 0 {
				t.Fatalf("a failed lookup started %d conversations", n)
			}
		})
	}
}

func TestHandoverMissingPermission(t *testing.T) {
	o := loadAcmeOrg(t)
	r := o.Role("Bot handover")
	r.Permissions = slices.DeleteFunc(slices.Clone(r.Permissions), func(p string) bool { return p == genesys.PermMessageReceive })
	h := start(t, Options{Org: o})
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hi!")
	p.say("my screen is broken") // support intent: straight to Support EN
	e := p.waitEntry(roleSystem, "handover to queue")
	if !strings.Contains(e.Text, "HTTP 403 missing.permissions") || !strings.Contains(e.Text, genesys.PermMessageReceive) {
		t.Fatalf("entry %q does not show the Genesys error", e.Text)
	}
	p.waitEntry(roleBot, "Sorry")
}

func TestInactivityClosesTheChat(t *testing.T) {
	dir := t.TempDir()
	flowPath := filepath.Join(dir, "short.flow.yaml")
	src, err := os.ReadFile(acmeFlow)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(flowPath, []byte(strings.Replace(string(src), "maxInactivity: 15m", "maxInactivity: 300ms", 1)), 0o644)
	h := start(t, Options{FlowPath: flowPath, TestDir: dir})
	begin := time.Now() // before the chat starts, so before its timer
	p := h.open(t, "")
	p.waitState("closed: inactivity")
	if d := time.Since(begin); d < 300*time.Millisecond {
		t.Fatalf("closed after %s, before maxInactivity", d)
	}
	// Saved as a test, it passes (with the wait the real time stood for).
	p.send("save-test", "")
	p.until("saved", func() bool { return p.saved != "" })
	data, err := os.ReadFile(p.saved)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "- wait: 300ms\n  - closed: inactivity") {
		t.Fatalf("saved test:\n%s", data)
	}
	res := simulate.RunSuite([]string{p.saved}, simulate.SuiteOptions{Org: orgResolverForTest})
	if res[0].Status != simulate.StatusPass {
		t.Fatalf("the saved test fails: %+v", res[0].Failure)
	}
}

func TestSaveAsTestReplaysTheConversation(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Options{TestDir: dir})
	p := h.open(t, "")
	handOver(t, p)
	p.say("hello?")
	p.waitEntry(roleUser, "hello?")
	// The entry shows before the message reaches Genesys: an agent who
	// ended the conversation first would make it start a new one.
	p.until("Genesys to get it", func() bool { return lastCustomerText(h.conversation(t)) == "hello?" })
	h.aliceAnswersAndCloses(t, h.conversation(t).ID)
	p.waitEntry(roleBot, "Thanks Ann")
	p.send("save-test", "")
	p.until("saved", func() bool { return p.saved != "" })
	if filepath.Dir(p.saved) != dir || !strings.HasPrefix(filepath.Base(p.saved), "acme-"+p.chat[:8]) {
		t.Fatalf("saved as %s", p.saved)
	}
	data, _ := os.ReadFile(p.saved)
	for _, want := range []string{`handover: { queue: "Billing Support", attributes: { "customerName": "Ann", "lastIntent": "" } }`, `agent: { say: "Hi Ann" }`, "agent: close", `org: "`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("saved test lacks %q:\n%s", want, data)
		}
	}
	res := simulate.RunSuite([]string{p.saved}, simulate.SuiteOptions{Org: orgResolverForTest})
	if res[0].Status != simulate.StatusPass {
		t.Fatalf("the saved test fails: %+v\n%s", res[0].Failure, data)
	}
	// Saving again makes a second file.
	first := p.saved
	p.saved = ""
	p.send("save-test", "")
	p.until("saved again", func() bool { return p.saved != "" })
	if p.saved == first {
		t.Fatal("the second save overwrote the first")
	}
}

// aliceAnswersAndCloses has Alice join conversation id, say "Hi Ann" and
// end it.
func (h *harness) aliceAnswersAndCloses(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	for _, step := range []func() error{
		func() error { return h.em.AgentJoin(ctx, id, "Alice") },
		func() error { return h.em.AgentSay(ctx, id, "Hi Ann") },
		func() error { return h.em.AgentClose(ctx, id) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
}

// orgResolverForTest resolves test handovers against an org file, as
// flowctl test does.
func orgResolverForTest(path string) (simulate.QueueResolver, error) {
	o, err := org.Load(path)
	if err != nil {
		return nil, err
	}
	facts, err := org.Facts(o, "")
	if err != nil {
		return nil, err
	}
	return orgFacts{facts}, nil
}

type orgFacts struct{ f *genesys.Facts }

func (o orgFacts) ResolveQueue(name string) simulate.Resolution {
	r := genesys.Resolve(o.f, []string{name})
	return simulate.Resolution{Verdict: r.Verdicts[name], MissingPermissions: r.Missing}
}

func TestMessageLimits(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hi!")
	p.say(strings.Repeat("x", MaxMessage+1))
	p.say("   ")
	p.send("dance", "")
	p.until("three errors", func() bool { return len(p.errors) == 3 })
	for i, want := range []string{"too long", "empty", "unknown message type"} {
		if !strings.Contains(p.errors[i], want) {
			t.Errorf("error %d %q, want %q", i, p.errors[i], want)
		}
	}
	// A frame beyond the read limit ends the connection.
	p.say(strings.Repeat("y", maxFrame+1))
	p.waitClosed()
}

func TestRestartStartsANewChat(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hi!")
	p.say("hello")
	p.waitEntry(roleBot, "Sorry")
	first := p.chat
	p.send("restart", "")
	p.until("a new chat", func() bool { return p.chat != first })
	p.until("the new greeting", func() bool { return len(p.events) == 1 && p.events[0].Text == "Hi! How can I help?" })
	p.waitState("bot")
}

func TestAgentCloseWithoutResumeEndsTheChat(t *testing.T) {
	h := start(t, Options{})
	ctx := context.Background()
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hi!")
	p.say("my screen is broken") // support: Support EN, a redirect without resume
	p.until("the handover", func() bool { return p.state.State == "queued" && p.state.Queue == "Support EN" })
	id := h.conversation(t).ID
	if err := h.em.AgentJoin(ctx, id, "Bob"); err != nil {
		t.Fatal(err)
	}
	if err := h.em.AgentClose(ctx, id); err != nil {
		t.Fatal(err)
	}
	p.waitState("closed: agent")
	for _, e := range p.events[len(p.events)-3:] {
		if e.Role == roleBot {
			t.Fatalf("the bot spoke after a close without resume: %q", e.Text)
		}
	}
}

func TestEvictForgetsIdleChats(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hi!")
	p.say("hello")
	p.waitState("closed: end-of-flow")
	open := h.open(t, "")
	open.waitState("bot")
	p.conn.CloseNow()
	open.conn.CloseNow()
	for _, id := range []string{p.chat, open.chat} {
		c := h.s.reg.get(id)
		for deadline := time.Now().Add(waitFor); ; time.Sleep(5 * time.Millisecond) {
			n, _ := c.activity()
			if n == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("chat %s still has %d pages", id, n)
			}
		}
	}
	h.s.evict(time.Now().Add(2 * time.Hour)) // the closed chat goes, the open one stays
	if h.s.reg.get(p.chat) != nil || h.s.reg.get(open.chat) == nil {
		t.Fatal("after 2 hours: the closed chat is kept or the open one dropped")
	}
	h.s.evict(time.Now().Add(25 * time.Hour))
	if h.s.reg.get(open.chat) != nil {
		t.Fatal("after a day the open chat is kept")
	}
}
