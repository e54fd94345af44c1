package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/simulate"
)

// within fails the test unless f returns within waitFor.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatalf("%s blocked for %s", what, waitFor)
	}
}

// hangHandover makes the next queue lookup hang and plays the acme flow up
// to it.
func hangHandover(t *testing.T, h *harness, p *page) {
	t.Helper()
	h.em.ResetRequests()
	h.em.SetFault(emulator.Fault{Kind: emulator.FaultHang, Path: "/api/v2/routing/queues", Times: 1})
	p.waitEntry(roleBot, "Hi!")
	p.say("agent please")
	p.waitEntry(roleBot, "What's your name?")
	p.say("Ann")
	waitUntil(t, "the handover to hang in the queue lookup", func() bool {
		for _, r := range h.em.RequestLog() {
			if r == "GET /api/v2/routing/queues" {
				return true
			}
		}
		return false
	})
}

// A handover whose Genesys call hangs holds no lock the rest of the chat
// needs: the session answers, the transcript pages and another page read
// the chat, its own page still gets answers, restart ends the chat (and
// the call) at once, and so does shutdown, after its grace period.
func TestHangingHandoverBlocksNothing(t *testing.T) {
	h := start(t, Options{timing: timing{drain: 50 * time.Millisecond}})
	p := h.open(t, "")
	hangHandover(t, h, p)
	c := h.chatOf(t, p)
	within(t, "the session's state", func() {
		if st := c.sess.State(); st.Owner != simulate.OwnerBot || st.Waiting {
			t.Errorf("state during the handover: %+v", st)
		}
	})
	within(t, "the transcript pages", func() {
		if status, body := h.get(t, "/transcript?chat="+p.chat, ""); status != 200 || !strings.Contains(body, "agent please") {
			t.Errorf("/transcript: HTTP %d", status)
		}
		if status, body := h.get(t, "/transcript.jsonl?chat="+p.chat, ""); status != 200 || !strings.Contains(body, `"text":"Ann"`) {
			t.Errorf("/transcript.jsonl: HTTP %d %s", status, body)
		}
	})
	q := h.open(t, p.chat)
	q.waitEntry(roleUser, "Ann")
	p.send("dance", "")
	p.until("an answer to the page", func() bool { return len(p.errors) == 1 })
	if c.serverState() != "bot" || h.s.gate.running() != 1 {
		t.Fatalf("the handover is not running any more: state %q, %d operations", c.serverState(), h.s.gate.running())
	}

	q.conn.CloseNow()
	waitUntil(t, "the other page to leave", func() bool { n, _ := c.activity(); return n == 1 })
	old := p.chat
	p.send("restart", "")
	p.until("a new chat", func() bool { return p.chat != old && p.chat != "" })
	waitUntil(t, "the hanging handover to end", func() bool { return h.s.gate.running() == 0 })
	if st := c.serverState(); st != "closed: stopped" {
		t.Fatalf("the restarted chat is %q", st)
	}

	hangHandover(t, h, p)
	within(t, "Close", func() {
		if err := h.s.Close(); err != nil {
			t.Error(err)
		}
	})
	p.waitClosed()
}

// sessionFlow shows session.id to the user and hands it to the agent as an
// attribute and in the conversation.
const sessionFlow = `version: 1
name: Session id
flows:
  main:
    start: hi
    blocks:
      - id: hi
        type: say
        text: "Your session is {session.id}"
        commands:
          SetExternalSessionAttributes:
            sid: "{session.id}"
        input: true
        next: handover
      - { id: handover, type: redirect, queue: "Support EN" }
`

// session.id is not the chat id: the chat id opens the chat and its
// transcript, so neither the flow nor Genesys may see it.
func TestSessionIDIsNotTheCapability(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.flow.yaml")
	if err := os.WriteFile(path, []byte(sessionFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, Options{FlowPath: path})
	p := h.open(t, "")
	e := p.waitEntry(roleBot, "Your session is ")
	sid := strings.TrimPrefix(e.Text, "Your session is ")
	c := h.chatOf(t, p)
	if sid == "" || sid != c.session || strings.Contains(p.chat, sid) || strings.Contains(sid, p.chat[:8]) {
		t.Fatalf("session.id %q for chat %s", sid, p.chat)
	}
	p.say("an agent please")
	p.waitState("queued")
	conv := h.conversation(t)
	if conv.Attributes["sid"] != sid {
		t.Fatalf("attributes %v, want sid %q", conv.Attributes, sid)
	}
	// Nothing Genesys holds or was asked carries the capability.
	var seen strings.Builder
	seen.WriteString(conv.ID + conv.Customer.ID + conv.Customer.Nickname)
	for k, v := range conv.Attributes {
		seen.WriteString(k + v)
	}
	for _, m := range conv.Messages {
		seen.WriteString(m.Name + m.Text)
	}
	for _, r := range h.em.RequestLog() {
		seen.WriteString(r)
	}
	if strings.Contains(seen.String(), p.chat) || strings.Contains(seen.String(), p.chat[:8]) {
		t.Fatalf("Genesys sees the chat id %s:\n%s", p.chat, seen.String())
	}
	// Nor does the flow: no engine event carries it.
	c.mu.Lock()
	entries := c.log.events()
	c.mu.Unlock()
	for _, en := range entries {
		if strings.Contains(en.ev.Text+en.ev.Line(), p.chat) {
			t.Fatalf("an engine event shows the chat id: %+v", en.ev)
		}
	}
	// The transcript page names the session, for whoever holds the chat id.
	if _, body := h.get(t, "/transcript?chat="+p.chat, ""); !strings.Contains(body, sid) {
		t.Fatal("the transcript page does not name the session")
	}
}
