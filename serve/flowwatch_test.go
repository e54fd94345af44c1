package serve

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const greeting = `version: 1
name: Reload
flows:
  main:
    start: hi
    blocks:
      - id: hi
        type: say
        text: "%s"
        input: true
        next: hi
`

func writeFlow(t *testing.T, path, text string) {
	t.Helper()
	// Save as editors do: a new file renamed over the old one.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// serveForReal runs Serve on a loopback listener (watching the flow file),
// stopped at the end of the test.
func serveForReal(t *testing.T, opts Options) (*harness, string) {
	t.Helper()
	h := start(t, opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return h, LocalURL(ln.Addr())
}

func TestFlowReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reload.flow.yaml")
	writeFlow(t, path, strings.Replace(greeting, "%s", "Hello v1", 1))
	h, _ := serveForReal(t, Options{FlowPath: path})
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hello v1")

	// A broken save: the page gets the findings, the chat keeps running.
	writeFlow(t, path, strings.Replace(greeting, "next: hi", "next: nowhere", 1))
	p.until("the findings", func() bool { return !p.flow.OK && len(p.flow.Findings) > 0 })
	if f := p.flow.Findings[0]; f.Rule != "unknown-next" || f.Line != 11 {
		t.Fatalf("finding %+v", f)
	}
	if p.flow.Version != 1 {
		t.Fatalf("version %d after a broken save", p.flow.Version)
	}
	p.say("still alive?")
	p.until("the old flow to answer", func() bool { return strings.Count(p.transcript(), "Hello v1") == 2 })

	// A good save: version 2; a restart runs it.
	writeFlow(t, path, strings.Replace(greeting, "%s", "Hello v2", 1))
	p.until("version 2", func() bool { return p.flow.OK && p.flow.Version == 2 })
	p.send("restart", "")
	p.waitEntry(roleBot, "Hello v2")

	// A deleted file keeps the last version and says so.
	os.Remove(path)
	p.until("the read error", func() bool { return p.flow.Error != "" })
	if !strings.Contains(p.flow.Error, "cannot read reload.flow.yaml") {
		t.Fatalf("error %q", p.flow.Error)
	}
}

func TestInvalidFlowAtStartStartsNoChat(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.flow.yaml")
	writeFlow(t, path, strings.Replace(greeting, "next: hi", "next: nowhere", 1))
	h, _ := serveForReal(t, Options{FlowPath: path})
	p := h.open(t, "")
	if p.chat != "" || !strings.Contains(p.hello.Error, "the flow has errors") || len(p.hello.Flow.Findings) == 0 {
		t.Fatalf("hello %+v", p.hello)
	}
	p.say("hi")
	p.until("an error", func() bool { return len(p.errors) > 0 })
	// Fixed: the page is told, asks for a chat and gets one.
	writeFlow(t, path, strings.Replace(greeting, "%s", "Fixed", 1))
	p.until("the fix", func() bool { return p.flow.OK })
	p.send("restart", "")
	p.waitEntry(roleBot, "Fixed")
}

func TestUnreadableFlowIsAnError(t *testing.T) {
	_, err := New(Options{FlowPath: filepath.Join(t.TempDir(), "missing.flow.yaml")})
	if err == nil || !strings.Contains(err.Error(), "cannot read") || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("New: %v", err)
	}
}

func TestTranscriptsFlushedOnShutdown(t *testing.T) {
	dir := t.TempDir()
	h, _ := serveForReal(t, Options{TranscriptDir: dir})
	p := h.open(t, "")
	handOver(t, p)
	p.say("waiting")
	p.waitEntry(roleUser, "waiting")
	// Close flushes what the periodic flush has not written yet.
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, p.chat+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var kinds []string
	for _, l := range lines {
		if !strings.Contains(l, `"chat":"`+p.chat+`"`) {
			t.Fatalf("line without the chat id: %s", l)
		}
		kinds = append(kinds, l[strings.Index(l, `"kind":"`)+8:][:strings.Index(l[strings.Index(l, `"kind":"`)+8:], `"`)])
	}
	want := "bot user bot user command handover user"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("kinds %q, want %q\n%s", got, want, data)
	}
	if !strings.Contains(string(data), `"attributes":{"customerName":"Ann","lastIntent":""}`) || !strings.Contains(string(data), `"toGenesys":true`) {
		t.Fatalf("transcript:\n%s", data)
	}
}

func TestServeStopsWithItsContext(t *testing.T) {
	h := start(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.s.Serve(ctx, ln) }()
	url := LocalURL(ln.Addr())
	h.ts.URL = url // pages connect to the real listener
	p := h.open(t, "")
	p.waitEntry(roleBot, "Hi!")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(waitFor):
		t.Fatal("Serve did not return after its context ended")
	}
	// Only waitClosed may see the end of p.msgs: until fails on it, so a
	// condition that looks for the close races until's own read.
	p.waitClosed()
}

// TestFlowPolling: where the system cannot notify file changes, the file is
// polled and a save still reloads it.
func TestFlowPolling(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "poll.flow.yaml")
	writeFlow(t, path, strings.Replace(greeting, "%s", "v1", 1))
	fw, err := newFlowWatch(path)
	if err != nil {
		t.Fatal(err)
	}
	changes := make(chan FlowStatus, 4)
	fw.onChange = func(st FlowStatus) { changes <- st }
	stop, done := make(chan struct{}), make(chan struct{})
	last, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	go fw.poll(context.Background(), last, stop, done, t.Logf)
	defer func() { close(stop); <-done }()
	writeFlow(t, path, strings.Replace(greeting, "%s", "v2", 1))
	select {
	case st := <-changes:
		if !st.OK || st.Version != 2 {
			t.Fatalf("status %+v", st)
		}
	case <-time.After(waitFor):
		t.Fatal("the polled save was not reloaded")
	}
}

// TestReloadLog checks what a reload says in serve's log: the findings of a
// broken file counted in words, then the version served again.
func TestReloadLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.flow.yaml")
	writeFlow(t, path, fmt.Sprintf(greeting, "Hi"))
	fw, err := newFlowWatch(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	logf := func(format string, a ...any) { lines = append(lines, fmt.Sprintf(format, a...)) }
	broken := strings.Replace(fmt.Sprintf(greeting, "Hi"), "next: hi", "next: nowhere", 1)
	writeFlow(t, path, broken)
	fw.reloadAndTell(logf)
	writeFlow(t, path, strings.Replace(broken, "type: say", "type: sayy", 1))
	fw.reloadAndTell(logf)
	writeFlow(t, path, fmt.Sprintf(greeting, "Hello"))
	fw.reloadAndTell(logf)
	want := []string{
		path + " has 1 finding; still serving version 1",
		path + " has 2 findings; still serving version 1",
		"reloaded " + path + " (version 2)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("log:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
