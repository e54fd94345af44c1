package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/simulate"
)

// watchedClock is the real clock, counting the inactivity timers pending
// (armed, neither stopped nor fired).
type watchedClock struct {
	mu      sync.Mutex
	pending map[*watchedTimer]time.Duration
}

type watchedTimer struct {
	c *watchedClock
	t *time.Timer
}

func newWatchedClock() *watchedClock {
	return &watchedClock{pending: map[*watchedTimer]time.Duration{}}
}

func (c *watchedClock) Now() time.Time { return time.Now() }

func (c *watchedClock) AfterFunc(d time.Duration, f func()) simulate.Timer {
	wt := &watchedTimer{c: c}
	c.mu.Lock()
	c.pending[wt] = d
	c.mu.Unlock()
	wt.t = time.AfterFunc(d, func() { c.done(wt); f() })
	return wt
}

func (t *watchedTimer) Stop() bool {
	t.c.done(t)
	return t.t.Stop()
}

func (c *watchedClock) done(t *watchedTimer) {
	c.mu.Lock()
	delete(c.pending, t)
	c.mu.Unlock()
}

func (c *watchedClock) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// redirectFirst hands over at once (no inactivity timer before), resumes
// with a question after the agent closes.
const redirectFirst = `version: 1
name: Straight to an agent
session: { maxInactivity: 300ms }
flows:
  main:
    start: handover
    blocks:
      - { id: handover, type: redirect, queue: "Support EN", resume: true, next: more }
      - { id: more, type: say, text: "Anything else?", input: true, next: bye }
      - { id: bye, type: end, text: "Bye" }
`

// While Genesys has the chat (queued, agent) no inactivity timer runs, on
// the real clock; the bot resuming starts a fresh one.
func TestInactivityOnlyWhileTheBotWaits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "straight.flow.yaml")
	if err := os.WriteFile(path, []byte(redirectFirst), 0o644); err != nil {
		t.Fatal(err)
	}
	const maxInactivity = 300 * time.Millisecond
	clock := newWatchedClock()
	h := start(t, Options{FlowPath: path, clock: clock})
	p := h.open(t, "")
	p.waitState("queued")
	c := h.chatOf(t, p)
	// Three maxInactivity pass in each Genesys state, with no timer and no
	// closure.
	hold := func(state string) {
		t.Helper()
		for end := time.Now().Add(3 * maxInactivity); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			if n := clock.count(); n != 0 {
				t.Fatalf("%d inactivity timers while %s", n, state)
			}
			if st := c.serverState(); st != state {
				t.Fatalf("state %q while %s", st, state)
			}
		}
	}
	hold("queued")
	id := h.conversation(t).ID
	if err := h.em.AgentJoin(context.Background(), id, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	hold("agent")
	resumed := time.Now()
	if err := h.em.AgentClose(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	p.waitEntry(roleBot, "Anything else?")
	p.waitState("closed: inactivity")
	if d := time.Since(resumed); d < maxInactivity {
		t.Fatalf("closed %s after the resume, before a fresh maxInactivity", d)
	}
	if n := clock.count(); n != 0 {
		t.Fatalf("%d timers after the closure", n)
	}
}

// Close stops every chat: no inactivity timer is left to fire after the
// transcripts are closed, pages are disconnected, new work is refused.
func TestCloseStopsChatsAndPages(t *testing.T) {
	dir := t.TempDir()
	clock := newWatchedClock()
	h := start(t, Options{TranscriptDir: dir, clock: clock})
	p := h.open(t, "")
	p.waitState("bot")
	q := h.open(t, "")
	handOver(t, q)
	waitUntil(t, "the bot's inactivity timer", func() bool { return clock.count() == 1 })
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := clock.count(); n != 0 {
		t.Fatalf("%d inactivity timers still pending after Close", n)
	}
	c := h.chatOf(t, p)
	if err := c.say("after the end", nil); err == nil {
		t.Fatal("a chat took a message after Close")
	}
	for _, pg := range []*page{p, q} {
		pg.waitClosed()
	}
	// A note after the transcripts closed is written, not buffered and lost.
	h.s.transcriptNote(c.id, "late note")
	data, err := os.ReadFile(filepath.Join(dir, c.id+".jsonl"))
	if err != nil || !strings.Contains(string(data), `"text":"late note"`) {
		t.Fatalf("transcript after Close (%v):\n%s", err, data)
	}
}

// Close refuses new operations and waits for the running ones, without
// polling.
func TestCloseWaitsForRunningOperations(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	p.waitState("bot")
	c := h.chatOf(t, p)
	if !h.s.gate.begin() {
		t.Fatal("no operation before Close")
	}
	closed := make(chan error, 1)
	go func() { closed <- h.s.Close() }()
	waitUntil(t, "Close to begin", func() bool {
		return h.s.gate.closed()
	})
	if err := c.say("hello", nil); err == nil || !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("a message while closing: %v", err)
	}
	select {
	case <-closed:
		t.Fatal("Close returned while an operation ran")
	default:
	}
	h.s.gate.end()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(waitFor):
		t.Fatal("Close did not return once the operation ended")
	}
}

// At MaxChats a new chat takes the place of the least recently active one
// no page shows; when every chat has a page, it is refused.
func TestMaxChats(t *testing.T) {
	h := start(t, Options{MaxChats: 2})
	a := h.open(t, "")
	a.waitState("bot")
	b := h.open(t, "")
	b.waitState("bot")
	full := h.open(t, "")
	if full.chat != "" || !strings.Contains(full.hello.Error, "too many chats") {
		t.Fatalf("a third chat with two pages open: hello %+v", full.hello)
	}
	first := b.chat
	b.conn.CloseNow()
	waitUntil(t, "the page to leave its chat", func() bool { return h.s.reg.get(first).unwatched() })
	c := h.open(t, "")
	c.waitState("bot")
	if h.s.reg.get(first) != nil || h.s.reg.get(a.chat) == nil || h.s.reg.get(c.chat) == nil {
		t.Fatal("the chat nobody shows was not the one forgotten")
	}
	// Restarts do not pile up chats either.
	for i := 0; i < 5; i++ {
		prev := c.chat
		c.send("restart", "")
		c.until("a new chat", func() bool { return c.chat != prev && c.chat != "" })
	}
	n, nc := h.s.reg.count()
	if n != 2 || nc != 2 {
		t.Fatalf("%d chats, %d customers after restarts, want 2", n, nc)
	}
}

// Restarting a chat that waits in a queue closes its conversation: no agent
// picks up a chat with nobody behind it.
func TestRestartClosesTheConversation(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	old := h.chatOf(t, p)
	id := h.conversation(t).ID
	p.send("restart", "")
	p.until("a new chat", func() bool { return p.chat != old.id })
	// The bridge ends it in Genesys (PATCH .../messages/{id}).
	waitUntil(t, "the conversation to leave the desk", func() bool { return len(h.em.ActiveConversations(0)) == 0 })
	if !slices.Contains(h.em.RequestLog(), "PATCH /api/v2/conversations/messages/"+id) {
		t.Fatalf("the conversation was not disconnected through the API: %v", h.em.RequestLog())
	}
	if err := h.em.AgentJoin(context.Background(), id, "Alice"); err == nil {
		t.Fatal("an agent joined the restarted chat's conversation")
	}
	if st := old.serverState(); st != "closed: stopped" {
		t.Fatalf("old chat state %q", st)
	}
	h.s.reg.mu.Lock()
	mapped := h.s.reg.byConv[id]
	h.s.reg.mu.Unlock()
	if mapped != nil && mapped != old {
		t.Fatal("the conversation maps to another chat")
	}
}

// A user message Genesys refuses shows a note in the chat.
func TestMessageNotDeliveredNote(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	// Only the inbound message: the lifecycle's reads of the conversation
	// (GET /api/v2/conversations/messages/{id}) must not use the fault up.
	inbound := "/api/v2/conversations/messages/" + h.s.emu.integrationID + "/inbound/"
	h.em.SetFault(emulator.Fault{Kind: emulator.FaultServerError, Path: inbound, Times: 1})
	p.say("lost in transit")
	e := p.waitEntry(roleSystem, "message not delivered to Genesys")
	if !strings.Contains(e.Text, "500") {
		t.Fatalf("note %q lacks the Genesys error", e.Text)
	}
	if !strings.Contains(h.log.String(), "message not delivered to Genesys") {
		t.Fatalf("log:\n%s", h.log)
	}
}

// A chat keeps its last maxHistory entries, and a page that attaches gets
// them in parts.
func TestHistoryBounded(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	p.waitState("bot")
	c := h.chatOf(t, p)
	for i := 0; i < maxHistory+50; i++ {
		c.note("note " + strings.Repeat("x", i%7))
	}
	c.note("the last one")
	c.mu.Lock()
	evs, dropped := c.log.page()
	kept, seq := len(evs), c.log.seq
	c.mu.Unlock()
	if kept > maxHistory || dropped == 0 || kept+dropped != seq {
		t.Fatalf("kept %d, dropped %d, seq %d", kept, dropped, seq)
	}
	q := h.open(t, p.chat)
	q.waitEntry(roleSystem, "the last one")
	if len(q.events) != kept || len(q.histories) < kept/historyChunk {
		t.Fatalf("page got %d entries in %d messages, want %d", len(q.events), len(q.histories), kept)
	}
	for _, m := range q.histories {
		if len(m.Events) > historyChunk || m.Dropped != dropped {
			t.Fatalf("a history message of %d entries, dropped %d", len(m.Events), m.Dropped)
		}
	}
}

// With --allow-remote "save as test" writes nothing on the server.
func TestSaveTestOffWithAllowRemote(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Options{AllowRemote: true, TestDir: dir})
	p := h.open(t, "")
	p.waitState("bot")
	if p.hello.SaveTest {
		t.Fatal("save as test offered with AllowRemote")
	}
	p.send("save-test", "")
	p.until("an error", func() bool { return len(p.errors) > 0 })
	if !strings.Contains(p.errors[0], "off with --allow-remote") {
		t.Fatalf("error %q", p.errors[0])
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("files written: %v", files)
	}
}
