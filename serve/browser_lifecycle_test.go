package serve

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/flowctl/flowctl/genesys/emulator"
)

// The whole lifecycle in a real browser, on the page contract (spec §9),
// once with the Notification API and once with notifications refused
// (the bridge polls the conversation).
var browserSources = []struct {
	name   string
	notify string
	says   string // the start of /healthz's lifecycle line
}{
	{"notifications", emulator.NotifyAll, "lifecycle: notifications"},
	{"polling", emulator.NotifyRefused, "lifecycle: polling"},
}

// deskEntryJS is a JavaScript condition on the desk entry of a queue.
func deskEntryJS(queue, cond string) string {
	return fmt.Sprintf(`(() => { const a = document.querySelector(%s); return !!a && (%s); })()`, js(deskEntry(queue)), cond)
}

// pickTransfer selects a transfer target in a desk entry's picker.
func pickTransfer(t *testing.T, desk context.Context, queue, value string) {
	t.Helper()
	run(t, desk, chromedp.SetValue(deskEntry(queue)+` [data-testid=desk-transfer-queue]`, value), chromedp.Click(deskEntry(queue)+` [data-testid=desk-transfer]`))
}

func TestBrowserLifecycle(t *testing.T) {
	for _, src := range browserSources {
		t.Run(src.name, func(t *testing.T) {
			h := start(t, Options{emulator: emulator.Options{Notifications: src.notify}, lifecycle: fastPolls})
			b := browser(t)
			chat := tab(t, b, h.ts.URL+"/")

			// The bot greets; Enter sends.
			eventually(t, chat, "greeting", hasEntry("bot", "Hi! How can I help?"))
			eventually(t, chat, "state bot", stateIs("bot"))
			if eval[bool](t, chat, visible("[data-testid=flow-reloaded]")+" || "+visible("[data-testid=flow-errors]")) {
				t.Fatal("the reload banner or the error panel shows for a valid, unchanged flow")
			}
			run(t, chat, chromedp.SendKeys(`[data-testid=chat-input]`, "I want an agent\r"))
			eventually(t, chat, "name question", hasEntry("bot", "What's your name?"))
			// The send button sends too.
			run(t, chat, chromedp.SendKeys(`[data-testid=chat-input]`, "Ann"), chromedp.Click(`[data-testid=chat-send]`))
			eventually(t, chat, "handover", stateIs("queued"))
			eventually(t, chat, "handover note", hasEntry("system", `handover to queue "Billing Support" with customerName="Ann"`))
			if _, body := h.get(t, "/healthz", ""); !strings.Contains(body, src.says) {
				t.Fatalf("/healthz: %q, want %q", body, src.says)
			}
			// Typed while queued: it waits in Genesys for the agent.
			run(t, chat, chromedp.SendKeys(`[data-testid=chat-input]`, "I was charged twice\r"))
			eventually(t, chat, "user entry", hasEntry("user", "I was charged twice"))

			desk := tab(t, b, h.ts.URL+"/desk")
			entry := deskEntry("Billing Support")
			eventually(t, desk, "the waiting chat", deskEntryJS("Billing Support", `a.dataset.state === "queued" && a.querySelector('[data-testid=desk-chat-attributes]').textContent.includes("customerNameAnn")`))
			run(t, desk, chromedp.SetValue(`[data-testid=desk-agent]`, "Alice"), chromedp.Click(entry+` [data-testid=desk-join]`))
			eventually(t, chat, "agent state", stateIs("agent"))
			eventually(t, chat, "join note", hasEntry("system", `Alice joined from queue "Billing Support"`))
			eventually(t, desk, "the message typed while queued", `document.querySelector('[data-testid=desk-log]').textContent.includes("I was charged twice")`)

			run(t, desk, chromedp.SendKeys(`[data-testid=desk-input]`, "Hi Ann, I see a double charge."), chromedp.Click(`[data-testid=desk-send]`))
			eventually(t, chat, "agent message", hasEntry("agent", "I see a double charge."))
			eventually(t, chat, "the agent's name", `[...document.querySelectorAll('[data-testid=chat-log] li[data-role=agent] .name')].some(e => e.textContent === "Alice")`)
			// A structured message: its quick replies are buttons that answer.
			run(t, desk, chromedp.SendKeys(`[data-testid=desk-input]`, "Shall I refund it?"), chromedp.SendKeys(`[data-testid=desk-quick-replies]`, "Yes please, No"), chromedp.Click(`[data-testid=desk-send]`))
			eventually(t, chat, "the quick replies", `[...document.querySelectorAll('[data-testid=chat-quick-replies] button')].map(b => b.textContent).join("|") === "Yes please|No"`)
			run(t, chat, chromedp.Click(`[data-testid=chat-quick-replies] button`))
			eventually(t, chat, "the answer", hasEntry("user", "Yes please"))
			eventually(t, desk, "the answer on the desk", `[...document.querySelectorAll('[data-testid=desk-log] li[data-role=user]')].some(e => e.textContent === "Yes please")`)
			screenshots(t, chat, desk)

			// A reload keeps the conversation and its history.
			before := eval[int](t, chat, `document.querySelectorAll('[data-testid=chat-log] li').length`)
			run(t, chat, chromedp.Reload())
			eventually(t, chat, "history after reload", fmt.Sprintf(`document.querySelectorAll('[data-testid=chat-log] li').length === %d`, before))
			eventually(t, chat, "state after reload", stateIs("agent"))

			// To another agent, who accepts it with the Join button for
			// him (Alice stays the desk's chosen agent), then to a queue,
			// where Bob joins.
			pickTransfer(t, desk, "Billing Support", "agent:Bob")
			eventually(t, chat, "the agent transfer", hasEntry("system", "Alice transferred the chat to Bob"))
			eventually(t, chat, "waiting for Bob", stateIs("queued"))
			eventually(t, desk, "the offer to Bob", deskEntryJS("Billing Support", `a.dataset.state === "offered" && a.querySelector('[data-testid=desk-chat-state]').textContent === "waiting for Bob" && a.querySelector('[data-testid=desk-join]').textContent === "Join as Bob" && !a.querySelector('[data-testid=desk-join]').disabled && a.querySelector('[data-testid=desk-transfer]').disabled`))
			eventually(t, desk, "the title", `document.querySelector('[data-testid=desk-title]').textContent.endsWith(" · waiting for Bob")`)
			run(t, desk, chromedp.Click(entry+` [data-testid=desk-join]`))
			eventually(t, desk, "Bob has it", deskEntryJS("Billing Support", `a.querySelector('[data-testid=desk-chat-state]').textContent === "with Bob"`))
			eventually(t, chat, "Bob accepted", hasEntry("system", `Bob joined from queue "Billing Support"`))
			eventually(t, chat, "agent state again", stateIs("agent"))
			pickTransfer(t, desk, "Billing Support", "Support EN")
			eventually(t, chat, "transfer", stateIs("queued"))
			eventually(t, desk, "the chat in Support EN", deskEntryJS("Support EN", `a.dataset.state === "queued"`))
			run(t, desk, chromedp.SetValue(`[data-testid=desk-agent]`, "Bob"), chromedp.Click(deskEntry("Support EN")+` [data-testid=desk-join]`))
			eventually(t, chat, "Bob joined", hasEntry("system", `Bob joined from queue "Support EN"`))
			// The agent ends: the bot resumes at the redirect's next.
			run(t, desk, chromedp.Click(deskEntry("Support EN")+` [data-testid=desk-close]`))
			eventually(t, chat, "the bot resumes", hasEntry("bot", "Thanks Ann. Anything else?"))
			eventually(t, chat, "state bot again", stateIs("bot"))
			eventually(t, desk, "an empty desk", `document.querySelectorAll('[data-testid=desk-chat]').length === 0`)
			run(t, chat, chromedp.SendKeys(`[data-testid=chat-input]`, "no\r"))
			eventually(t, chat, "goodbye", hasEntry("bot", "Goodbye!"))
			eventually(t, chat, "closed", stateIs("closed: end-of-flow"))
			if !eval[bool](t, chat, `document.querySelector('[data-testid=chat-input]').disabled`) {
				t.Fatal("the input stays enabled after the chat closed")
			}
		})
	}
}

// How a conversation ends otherwise: the agent closes without resume,
// Genesys times it out, the customer leaves (restart), and a new
// conversation after an end the bridge had not heard of yet.
func TestBrowserEndings(t *testing.T) {
	for _, src := range browserSources {
		t.Run(src.name, func(t *testing.T) {
			h := start(t, Options{emulator: emulator.Options{Notifications: src.notify}, lifecycle: fastPolls})
			ctx := context.Background()
			b := browser(t)
			chat := tab(t, b, h.ts.URL+"/")
			desk := tab(t, b, h.ts.URL+"/desk")
			supportHandover := func() {
				t.Helper()
				eventually(t, chat, "greeting", hasEntry("bot", "Hi! How can I help?"))
				run(t, chat, chromedp.SendKeys(`[data-testid=chat-input]`, "my screen is broken\r")) // straight to Support EN, no resume
				eventually(t, chat, "handover", stateIs("queued"))
				eventually(t, desk, "the waiting chat", deskEntryJS("Support EN", `a.dataset.state === "queued"`))
			}
			restart := func() {
				t.Helper()
				run(t, chat, chromedp.Click(`[data-testid=chat-restart]`))
				eventually(t, chat, "a new chat", stateIs("bot")+` && document.querySelectorAll('[data-testid=chat-log] li').length === 1`)
			}

			// The agent ends a redirect without resume: the chat closes.
			supportHandover()
			run(t, desk, chromedp.SetValue(`[data-testid=desk-agent]`, "Bob"), chromedp.Click(deskEntry("Support EN")+` [data-testid=desk-join]`))
			eventually(t, chat, "agent", stateIs("agent"))
			run(t, desk, chromedp.Click(deskEntry("Support EN")+` [data-testid=desk-close]`))
			eventually(t, chat, "closed by the agent", stateIs("closed: agent"))

			// Genesys times it out.
			restart()
			supportHandover()
			if err := h.em.ExpireConversation(ctx, h.conversation(t).ID); err != nil {
				t.Fatal(err)
			}
			eventually(t, chat, "closed by Genesys", stateIs("closed: genesys-timeout"))
			eventually(t, desk, "an empty desk", `document.querySelectorAll('[data-testid=desk-chat]').length === 0`)

			// The customer leaves: the conversation is ended in Genesys.
			restart()
			supportHandover()
			left := h.conversation(t).ID
			restart()
			eventually(t, desk, "the left chat gone from the desk", `document.querySelectorAll('[data-testid=desk-chat]').length === 0`)
			if !slices.Contains(h.em.RequestLog(), "PATCH /api/v2/conversations/messages/"+left) {
				t.Fatal("the conversation of the customer who left was not disconnected")
			}

			// The agent ends while the bridge has not heard yet; the
			// customer writes: a new conversation, followed into the queue.
			supportHandover()
			run(t, desk, chromedp.SetValue(`[data-testid=desk-agent]`, "Bob"), chromedp.Click(deskEntry("Support EN")+` [data-testid=desk-join]`))
			eventually(t, chat, "agent", stateIs("agent"))
			lc := h.s.bridge.(*openMessaging).lc
			lc.paused.Store(true)
			old := h.conversation(t).ID
			if err := h.em.AgentClose(ctx, old); err != nil {
				t.Fatal(err)
			}
			run(t, chat, chromedp.SendKeys(`[data-testid=chat-input]`, "hello again?\r"))
			eventually(t, chat, "the new conversation", hasEntry("system", "Genesys started a new conversation for this message"))
			eventually(t, chat, "queued again", stateIs("queued"))
			lc.paused.Store(false)
			eventually(t, desk, "the new conversation on the desk", deskEntryJS("Support EN", `a.dataset.state === "queued" && a.dataset.conversation !== `+js(old)))
			run(t, desk, chromedp.Click(deskEntry("Support EN")+` [data-testid=desk-join]`))
			eventually(t, chat, "with an agent again", stateIs("agent"))
			eventually(t, desk, "the message in the new conversation", `document.querySelector('[data-testid=desk-log]').textContent.includes("hello again?")`)
		})
	}
}
