package serve

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys/emulator"
)

// A chat's log stays within its byte budget, however long the chat: the
// page that resumes it, the JSON lines and "save as test" see what is kept.
func TestChatLogBudget(t *testing.T) {
	h := start(t, Options{FlowPath: "testdata/echo.flow.yaml", TestDir: t.TempDir()})
	p := h.open(t, "")
	p.waitEntry(roleBot, "Say something")
	c := h.chatOf(t, p)
	long := strings.Repeat("x", MaxMessage-20)
	for i := range 200 {
		text := fmt.Sprintf("%04d %s", i, long)
		p.say(text)
		p.waitEntry(roleBot, text[:4])
	}
	c.mu.Lock()
	bytes, entries, lost, seq := c.log.bytes, len(c.log.entries), c.log.lost, c.log.seq
	c.mu.Unlock()
	if bytes > maxChatBytes || lost == 0 || entries >= 401 {
		t.Fatalf("log of %d bytes, %d entries, %d events dropped", bytes, entries, lost)
	}
	q := h.open(t, p.chat)
	q.waitEntry(roleBot, "0199")
	if d := q.histories[0].Dropped; d == 0 || d+len(q.events) != seq {
		t.Fatalf("resumed with %d entries, %d dropped, of %d", len(q.events), d, seq)
	}
	status, body := h.get(t, "/transcript.jsonl?chat="+p.chat, "")
	if status != 200 || len(body) > 2*maxChatBytes || strings.Contains(body, "0000 xxx") || !strings.Contains(body, "0199 xxx") {
		t.Fatalf("transcript.jsonl: HTTP %d, %d bytes", status, len(body))
	}
	p.send("save-test", "")
	p.until("an error", func() bool { return len(p.errors) > 0 })
	if !strings.Contains(p.errors[0], "no longer kept") || !strings.Contains(p.errors[0], "too long for a test") {
		t.Fatalf("save as test: %q", p.errors[0])
	}
}

// The memory test (in the normal run: loopback, bounded, a few seconds):
// chats filled past their budget with the longest messages use a bounded
// amount of memory each, and give it back once forgotten. It logs the
// memory per full chat and the bound it gives for DefaultMaxChats.
func TestMemoryPerChat(t *testing.T) {
	if testing.Short() {
		t.Skip("memory test")
	}
	const chats, messages = 8, 100 // 800 KB of user text per chat, 1.6 MB with the answers
	h := start(t, Options{FlowPath: "testdata/echo.flow.yaml"})
	base := heap()
	long := strings.Repeat("m", MaxMessage-20)
	var pages []*page
	for range chats {
		p := h.open(t, "")
		p.waitEntry(roleBot, "Say something")
		pages = append(pages, p)
	}
	for i := range messages {
		text := fmt.Sprintf("%04d %s", i, long)
		for _, p := range pages {
			p.say(text)
		}
		for _, p := range pages {
			p.waitEntry(roleBot, text[:4])
			p.events = p.events[len(p.events)-1:] // the test's own copy stays small
		}
	}
	full := heap()
	perChat := (int64(full) - int64(base)) / chats
	t.Logf("memory per full chat: %.0f KiB (log budget %d KiB); at DefaultMaxChats (%d): %.0f MiB",
		float64(perChat)/1024, maxChatBytes>>10, DefaultMaxChats, float64(perChat)*DefaultMaxChats/(1<<20))
	if perChat > 2*maxChatBytes {
		t.Errorf("%d bytes per full chat, want at most %d", perChat, 2*maxChatBytes)
	}
	for _, p := range pages {
		p.conn.CloseNow()
	}
	waitUntil(t, "the pages to leave", func() bool {
		for _, c := range h.s.reg.all() {
			if !c.unwatched() {
				return false
			}
		}
		return true
	})
	h.s.evict(time.Now().Add(openIdle + time.Minute))
	if n, _ := h.s.reg.count(); n != 0 {
		t.Fatalf("%d chats kept after eviction", n)
	}
	left := int64(heap()) - int64(base)
	t.Logf("after every chat was forgotten: %.0f KiB in all", float64(left)/1024)
	if left > 1<<20 {
		t.Errorf("%d bytes still in use after the chats were forgotten", left)
	}
}

// Desk messages stay bounded with many long chats waiting: a desk gets
// every chat in frames of about maxDeskFrame, then only what changed.
func TestDeskFramesBounded(t *testing.T) {
	h := start(t, Options{})
	const chats = 12
	long := strings.Repeat("d", MaxMessage-4)
	for range chats {
		p := h.open(t, "")
		handOver(t, p)
		customer := h.chatOf(t, p).customer
		conv := func() (c emulator.Conversation) {
			for _, c = range h.em.ActiveConversations(0) {
				if c.Customer.ID == customer {
					break
				}
			}
			return c
		}
		if err := h.em.AgentJoin(t.Context(), conv().ID, "Alice"); err != nil {
			t.Fatal(err)
		}
		p.waitState("agent")
		for i := range 30 {
			n := len(conv().Messages)
			p.say(fmt.Sprint(i) + long)
			waitUntil(t, "the message to reach Genesys", func() bool { return len(conv().Messages) > n })
		}
		p.conn.CloseNow()
	}
	d := h.openDesk(t)
	d.until("every chat", func() bool { return len(d.snap.Chats) == chats })
	if len(d.frames) < 2 {
		t.Fatalf("%d chats of %d KiB each in %d message", chats, maxDeskChatBytes>>10, len(d.frames))
	}
	for _, n := range d.frames {
		if n > maxDeskFrame+maxDeskChatBytes+4096 {
			t.Fatalf("a desk message of %d bytes", n)
		}
	}
	for _, c := range d.snap.Chats {
		size := 0
		for _, m := range c.Messages {
			size += len(m.Text)
		}
		if size > maxDeskChatBytes || len(c.Messages) == 0 {
			t.Fatalf("a desk chat with %d messages, %d bytes", len(c.Messages), size)
		}
	}
	// One change: one chat is sent, not all.
	sent := len(d.frames)
	id := d.snap.Chats[0].ID
	if err := h.em.AgentSay(t.Context(), id, "hello from Alice"); err != nil {
		t.Fatal(err)
	}
	d.until("the agent's message", func() bool {
		ms := d.snap.Chats[0].Messages
		return ms[len(ms)-1].Text == "hello from Alice"
	})
	for _, n := range d.frames[sent:] {
		if n > 2*maxDeskChatBytes {
			t.Fatalf("an update of one chat took %d bytes", n)
		}
	}
	if err := h.em.CloseConversation(id, "gone"); err != nil {
		t.Fatal(err)
	}
	d.until("the chat to leave", func() bool { return len(d.snap.Chats) == chats-1 })
}
