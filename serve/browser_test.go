package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// The browser tests drive the real pages in headless Chromium through the
// page contract's data-testid names, as users' own browser tests would.
// FLOWCTL_SERVE_SCREENSHOTS=1 also writes docs/serve-chat.png and
// docs/serve-desk.png (the README's screenshots).

// browser starts headless Chromium with an empty profile and returns the
// context of its first tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, chromedp.WindowSize(1100, 760))
}

// tab opens a new tab at url.
func tab(t *testing.T, browserCtx context.Context, url string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	// No timeout on a tab's first call: it would end the tab.
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	rctx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(rctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	rctx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	v, err := chromedp.Run(rctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// eventually polls a JavaScript expression until it is true.
func eventually(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	var ok bool
	var err error
	for time.Now().Before(deadline) {
		rctx, cancel := context.WithTimeout(ctx, waitFor)
		ok, err = chromedp.Run(rctx, chromedp.Evaluate[bool]("Boolean("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " (" + document.readyState + ")\n" + document.body.innerText`))
	t.Fatalf("no %s within %s (%v); the page reads:\n%s", what, waitFor, err, page)
}

// js quotes a string for a JavaScript expression.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// hasEntry is true when the chat log has an entry of role containing text.
func hasEntry(role, text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('[data-testid=chat-log] li[data-role=%s]')].some(e => e.textContent.includes(%s))`, role, js(text))
}

// visible is true when the element is displayed.
func visible(sel string) string {
	return fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && getComputedStyle(e).display !== "none"; })()`, js(sel))
}

func stateIs(state string) string {
	return fmt.Sprintf(`document.querySelector('[data-testid=chat-state]').textContent === %s`, js(state))
}

// deskEntry selects the desk entry of a queue.
func deskEntry(queue string) string {
	return fmt.Sprintf(`[data-testid=desk-chat][data-queue=%s]`, js(queue))
}

func TestBrowserInactivityClosure(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(acmeFlow)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "acme.flow.yaml")
	os.WriteFile(path, []byte(strings.Replace(string(src), "maxInactivity: 15m", "maxInactivity: 1s", 1)), 0o644)
	h := start(t, Options{FlowPath: path})
	b := browser(t)
	chat := tab(t, b, h.ts.URL+"/")
	eventually(t, chat, "greeting", hasEntry("bot", "Hi! How can I help?"))
	eventually(t, chat, "inactivity closure", stateIs("closed: inactivity"))
	eventually(t, chat, "closure note", hasEntry("system", "session closed: inactivity"))
	// Save as test writes the chat next to the flow.
	run(t, chat, chromedp.Click(`[data-testid=chat-save-test]`))
	eventually(t, chat, "the saved notice", `document.querySelector('[data-testid=chat-notice]').textContent.startsWith("Saved as ")`)
	saved, _ := filepath.Glob(filepath.Join(dir, "acme-*.test.yaml"))
	if len(saved) != 1 {
		t.Fatalf("saved tests: %q", saved)
	}
	// Restart starts over.
	run(t, chat, chromedp.Click(`[data-testid=chat-restart]`))
	eventually(t, chat, "a new chat", stateIs("bot")+` && document.querySelectorAll('[data-testid=chat-log] li').length === 1`)
}

func TestBrowserShowsFlowErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reload.flow.yaml")
	writeFlow(t, path, strings.Replace(greeting, "%s", "Hello v1", 1))
	h, _ := serveForReal(t, Options{FlowPath: path})
	b := browser(t)
	chat := tab(t, b, h.ts.URL+"/")
	eventually(t, chat, "greeting", hasEntry("bot", "Hello v1"))
	writeFlow(t, path, strings.Replace(greeting, "next: hi", "next: nowhere", 1))
	eventually(t, chat, "the findings", visible("[data-testid=flow-errors]")+` && document.querySelector('[data-testid=flow-errors]').textContent.includes("[unknown-next]")`)
	writeFlow(t, path, strings.Replace(greeting, "%s", "Hello v2", 1))
	eventually(t, chat, "the reload banner", visible("[data-testid=flow-reloaded]")+" && !"+visible("[data-testid=flow-errors]"))
	run(t, chat, chromedp.Click(`[data-testid=flow-reloaded] button`))
	eventually(t, chat, "the new flow", hasEntry("bot", "Hello v2"))
}

// screenshots writes the README's screenshots when asked to.
func screenshots(t *testing.T, chat, desk context.Context) {
	t.Helper()
	if os.Getenv("FLOWCTL_SERVE_SCREENSHOTS") != "1" {
		return
	}
	for name, ctx := range map[string]context.Context{"serve-chat.png": chat, "serve-desk.png": desk} {
		run(t, ctx, chromedp.EmulateViewport(1100, 720))
		png := capture(t, ctx)
		if err := os.WriteFile(filepath.Join("..", "docs", name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func capture(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	rctx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	png, err := chromedp.Run(rctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	return png
}
