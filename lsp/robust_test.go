package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/flowctl/flowctl/lsp/lsptest"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// TestEveryKeystroke types the test flow one character at a time (with
// completion, hover and definition at the cursor after each): the server
// never fails, the last diagnostics are those of the whole text, and
// another open file's diagnostics are never touched.
func TestEveryKeystroke(t *testing.T) {
	c := startServer(t, Options{})
	other := uriOf("flows/other.flow.yaml")
	c.Open(other, "version: 1\nname: other\nflows:\n  main:\n    start: a\n    blocks:\n      - { id: a, type: end }\n      - { id: lost, type: end }\n", 1)
	before := c.Diagnostics(other, 1)
	if len(before.Diagnostics) != 1 {
		t.Fatalf("the other file: %v", before.Diagnostics)
	}
	src, err := os.ReadFile(filepath.Join(project, flowFile))
	if err != nil {
		t.Fatal(err)
	}
	uri := uriOf("flows/typed.flow.yaml")
	c.Open(uri, "", 1)
	line, char := 0, 0
	version := 1
	for _, r := range string(src) {
		version++
		c.Edit(uri, version, lsptest.Change{Range: &lsptest.Range{Start: lsptest.Position{Line: line, Character: char}, End: lsptest.Position{Line: line, Character: char}}, Text: string(r)})
		if r == '\n' {
			line, char = line+1, 0
		} else {
			char += len(utf16.Encode([]rune{r}))
		}
		at := lsptest.At(uri, line, char)
		c.Call("textDocument/completion", at)
		c.Call("textDocument/hover", at)
		c.Call("textDocument/definition", at)
	}
	typed := c.Diagnostics(uri, version)
	c.Open(uriOf("flows/fresh.flow.yaml"), string(src), 1)
	fresh := c.Diagnostics(uriOf("flows/fresh.flow.yaml"), 1)
	if !sameDiagnostics(typed.Diagnostics, fresh.Diagnostics) || len(fresh.Diagnostics) == 0 {
		t.Errorf("typed text: %d diagnostics, the same text opened: %d", len(typed.Diagnostics), len(fresh.Diagnostics))
	}
	for _, p := range c.Published(other) {
		if !sameDiagnostics(p.Diagnostics, before.Diagnostics) {
			t.Errorf("the other file's diagnostics changed: %v", p.Diagnostics)
		}
	}
}

func sameDiagnostics(a, b []json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// lockedBuffer is a log the server writes from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPanicRecovered: a panic in a request handler is an error reply, and
// a panic while checking one document leaves the others' diagnostics;
// both are logged with their stack, and the server goes on.
func TestPanicRecovered(t *testing.T) {
	log := &lockedBuffer{}
	c := lsptest.Start(t, func(ctx context.Context, stream io.ReadWriteCloser) error {
		s := newServer(ctx, Options{Log: log})
		s.h.TextDocumentHover = func(*glsp.Context, *protocol.HoverParams) (*protocol.Hover, error) { panic("boom") }
		s.beforeAnalyse = func(d *document) {
			if strings.Contains(d.text.s, "PANIC") {
				panic("analysis boom")
			}
		}
		return s.serve(stream)
	})
	c.Initialize(string(pathURI(project)))
	_, err := c.CallErr("textDocument/hover", lsptest.At(uriOf(flowFile), 0, 0))
	if err == nil || !strings.Contains(err.Error(), "internal error: boom") {
		t.Fatalf("hover: got %v, want an internal error", err)
	}
	bad, good := uriOf("flows/bad.flow.yaml"), uriOf("flows/good.flow.yaml")
	c.Open(good, "version: 1\nname: g\nflows:\n  main:\n    start: a\n    blocks:\n      - { id: a, type: end }\n", 1)
	c.Diagnostics(good, 1)
	c.Open(bad, "# PANIC\n", 1)
	c.Edit(good, 2, lsptest.Change{Text: "version: 2\n"})
	if d := c.Diagnostics(good, 2); len(d.Diagnostics) == 0 {
		t.Errorf("the good file lost its diagnostics after the other's panic")
	}
	if len(c.Published(bad)) != 0 {
		t.Errorf("the panicking file got diagnostics: %v", c.Published(bad))
	}
	if res := c.Call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": good}}); len(res) == 0 {
		t.Error("no reply after the panics")
	}
	for _, want := range []string{"panic in textDocument/hover: boom", "panic while checking " + bad + ": analysis boom", "goroutine "} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	msgs := strings.Join(c.Messages(), "\n")
	if !strings.Contains(msgs, "internal error in textDocument/hover") {
		t.Errorf("window/logMessage: %q", msgs)
	}
}

// TestLifecycle: requests before initialize and after shutdown are
// refused; exit without shutdown is an error (exit status 1).
func TestLifecycle(t *testing.T) {
	log := &lockedBuffer{}
	c := lsptest.Start(t, serveFunc(Options{Log: log}))
	if _, err := c.CallErr("textDocument/hover", lsptest.At(uriOf(flowFile), 0, 0)); err == nil || !strings.Contains(err.Error(), "-32002") {
		t.Errorf("before initialize: %v", err)
	}
	c.Initialize("")
	if _, err := c.CallErr("textDocument/formatting", map[string]any{}); err == nil || !strings.Contains(err.Error(), "-32601") {
		t.Errorf("unknown method: %v", err)
	}
	// Notifications the server does not use are ignored, silently.
	c.Notify("$/cancelRequest", map[string]any{"id": 7})
	c.Notify("textDocument/willSave", map[string]any{"textDocument": map[string]any{"uri": "file:///x.flow.yaml"}, "reason": 1})
	if _, err := c.CallErr("textDocument/hover", map[string]any{"position": "x"}); err == nil || !strings.Contains(err.Error(), "-32602") {
		t.Errorf("bad params: %v", err)
	}
	if res := c.Call("textDocument/hover", lsptest.At("file:///not/open.flow.yaml", 0, 0)); string(res) != "null" {
		t.Errorf("hover in a document that is not open: %s", res)
	}
	c.Call("shutdown", nil)
	if _, err := c.CallErr("textDocument/hover", lsptest.At(uriOf(flowFile), 0, 0)); err == nil || !strings.Contains(err.Error(), "-32600") {
		t.Errorf("after shutdown: %v", err)
	}
	c.Notify("exit", nil)
	if err := c.Wait(); err != nil {
		t.Errorf("exit after shutdown: %v", err)
	}
	if log.String() != "" {
		t.Errorf("log of a clean session: %q", log.String())
	}

	c = lsptest.Start(t, serveFunc(Options{}))
	c.Initialize("")
	c.Notify("exit", nil)
	if err := c.Wait(); !errors.Is(err, ErrNoShutdown) {
		t.Errorf("exit without shutdown: %v", err)
	}
}

// TestIncrementalSync: several changes in one notification, ranges in
// UTF-16 on lines with non-ASCII text, give the same diagnostics as the
// final text opened whole.
func TestIncrementalSync(t *testing.T) {
	c := startServer(t, Options{})
	uri := uriOf("flows/edit.flow.yaml")
	src := "version: 1\nname: ä😀\nflows:\n  main:\n    start: a\n    blocks:\n      - { id: a, type: say, text: \"😀😀\", next: b }\n      - { id: b, type: end }\n"
	c.Open(uri, src, 1)
	c.Diagnostics(uri, 1)
	// Line 6: rename the target b to bb, then the block's id b to bx (so
	// that next names nothing), in one notification.
	l6 := "      - { id: a, type: say, text: \"😀😀\", next: "
	ch := len(utf16.Encode([]rune(l6)))
	c.Edit(uri, 2,
		lsptest.Change{Range: &lsptest.Range{Start: lsptest.Position{Line: 6, Character: ch}, End: lsptest.Position{Line: 6, Character: ch + 1}}, Text: "bb"},
		lsptest.Change{Range: &lsptest.Range{Start: lsptest.Position{Line: 7, Character: 14}, End: lsptest.Position{Line: 7, Character: 15}}, Text: "bx"},
	)
	got := c.Diagnostics(uri, 2)
	final := strings.Replace(strings.Replace(src, "next: b }", "next: bb }", 1), "id: b,", "id: bx,", 1)
	c.Open(uriOf("flows/whole.flow.yaml"), final, 1)
	want := c.Diagnostics(uriOf("flows/whole.flow.yaml"), 1)
	if !sameDiagnostics(got.Diagnostics, want.Diagnostics) || len(want.Diagnostics) != 2 {
		t.Errorf("incremental: %s\nwhole: %s", got.Diagnostics, want.Diagnostics)
	}
	// Closing the document clears its diagnostics (they were of the
	// editor's text).
	c.Forget()
	c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	if d := c.Diagnostics(uri, 0); len(d.Diagnostics) != 0 {
		t.Errorf("after close: %s", d.Diagnostics)
	}
}

// TestOrgFileDiagnostics: the org file a project config names gets the
// diagnostics of its problems (at line:col) when a flow is checked with it,
// and the flow is checked without queue rules meanwhile.
func TestOrgFileDiagnostics(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("flowctl.yaml", "org: org.yaml\n")
	write("org.yaml", "organization: { name: Acme }\ndivisions: []\nqueues: []\nroles: []\noauthClients: []\ncolour: blue\n")
	c := lsptest.Start(t, serveFunc(Options{}))
	c.Initialize("")
	uri := string(pathURI(filepath.Join(dir, "a.flow.yaml")))
	c.Open(uri, "version: 1\nname: a\nflows:\n  main:\n    start: h\n    blocks:\n      - { id: h, type: redirect, queue: Nobody, onError: e }\n      - { id: e, type: end }\n", 1)
	if d := c.Diagnostics(uri, 1); len(d.Diagnostics) != 0 {
		t.Errorf("flow diagnostics without a usable org: %s", d.Diagnostics)
	}
	org := c.Diagnostics(string(pathURI(filepath.Join(dir, "org.yaml"))), 0)
	if len(org.Diagnostics) != 2 || !strings.Contains(string(org.Diagnostics[1]), `"start":{"character":0,"line":5}`) || !strings.Contains(string(org.Diagnostics[1]), `unknown field \"colour\"`) {
		t.Errorf("org file diagnostics: %s", org.Diagnostics)
	}
}

// TestOrgFileEdited: editing the org file or the config a project uses
// re-checks the project's open flows with the edited (unsaved) text.
func TestOrgFileEdited(t *testing.T) {
	dir := t.TempDir()
	org := "organization: { name: Acme }\ndivisions: [{ name: Home, home: true }]\nqueues: [{ name: Support, division: Home }]\nroles: [{ name: R, permissions: [routing:queue:view, conversation:communication:blindTransfer, conversation:message:receive, messaging:integration:view] }]\noauthClients: [{ name: Bot, roleDivisions: [{ role: R, division: Home }] }]\n"
	for name, src := range map[string]string{"flowctl.yaml": "org: org.yaml\n", "org.yaml": org} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := lsptest.Start(t, serveFunc(Options{}))
	c.Initialize("")
	flowURI := string(pathURI(filepath.Join(dir, "a.flow.yaml")))
	c.Open(flowURI, "version: 1\nname: a\nflows:\n  main:\n    start: h\n    blocks:\n      - { id: h, type: redirect, queue: Sales, onError: e }\n      - { id: e, type: end }\n", 1)
	if d := c.Diagnostics(flowURI, 1); len(d.Diagnostics) != 1 || !strings.Contains(string(d.Diagnostics[0]), "queue-not-found") {
		t.Fatalf("before: %s", d.Diagnostics)
	}
	c.Forget()
	c.Open(string(pathURI(filepath.Join(dir, "compose.yaml"))), "services: {}\n", 1)
	orgURI := string(pathURI(filepath.Join(dir, "org.yaml")))
	c.Open(orgURI, org, 1)
	c.Edit(orgURI, 2, lsptest.Change{Text: strings.Replace(org, "name: Support", "name: Sales", 1)})
	// Once the edited org names the queue, the finding goes.
	c.Until(flowURI, func(p lsptest.Published) bool { return len(p.Diagnostics) == 0 })

	// The config, edited unsaved in the editor to name no org, turns the
	// queue checks off; naming the org again turns them on.
	cfgURI := string(pathURI(filepath.Join(dir, "flowctl.yaml")))
	c.Open(cfgURI, "org: org.yaml\n", 1)
	c.Edit(orgURI, 3, lsptest.Change{Text: org})
	c.Until(flowURI, func(p lsptest.Published) bool { return len(p.Diagnostics) == 1 })
	c.Forget()
	c.Edit(cfgURI, 2, lsptest.Change{Text: "strict: true\n"})
	c.Until(flowURI, func(p lsptest.Published) bool { return len(p.Diagnostics) == 0 })
}

// TestConfigOrgFileMissing: an org file the project config names but that
// cannot be read is a diagnostic on the config's org: line, whether the
// config is open or not; a client the org file lacks is one on client:.
func TestConfigOrgFileMissing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flowctl.yaml"), []byte("version: 1\norg: org/nothere.org.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := lsptest.Start(t, serveFunc(Options{}))
	c.Initialize("")
	flowURI := string(pathURI(filepath.Join(dir, "a.flow.yaml")))
	c.Open(flowURI, "version: 1\nname: a\nflows:\n  main:\n    start: h\n    blocks:\n      - { id: h, type: end, text: Hi }\n", 1)
	cfgURI := string(pathURI(filepath.Join(dir, "flowctl.yaml")))
	check := func(d lsptest.Published, line, char int, want string) {
		t.Helper()
		if len(d.Diagnostics) != 1 || !strings.Contains(string(d.Diagnostics[0]), fmt.Sprintf(`"start":{"character":%d,"line":%d}`, char, line)) ||
			!strings.Contains(string(d.Diagnostics[0]), want) || !strings.Contains(string(d.Diagnostics[0]), `"code":"org-file"`) {
			t.Errorf("config diagnostics: %s, want one at %d:%d with %q", d.Diagnostics, line, char, want)
		}
	}
	check(c.Diagnostics(cfgURI, 0), 1, 5, "cannot read org file "+filepath.Join(dir, "org", "nothere.org.yaml")+": no such file or directory")
	c.Forget()
	c.Open(cfgURI, "version: 1\norg: org/nothere.org.yaml\n", 1)
	check(c.Diagnostics(cfgURI, 1), 1, 5, "no such file or directory")

	// The org file appears with two clients and the config names another.
	os.Mkdir(filepath.Join(dir, "org"), 0o755)
	org := "organization: { name: Acme }\ndivisions: [{ name: Home, home: true }]\nqueues: []\nroles: []\noauthClients: [{ name: A }, { name: B }]\n"
	if err := os.WriteFile(filepath.Join(dir, "org", "nothere.org.yaml"), []byte(org), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Forget()
	c.Edit(cfgURI, 2, lsptest.Change{Text: "version: 1\norg: org/nothere.org.yaml\nclient: C\n"})
	check(c.Diagnostics(cfgURI, 2), 2, 8, `no OAuth client \"C\" in the org file`)
	c.Forget()
	c.Edit(cfgURI, 3, lsptest.Change{Text: "version: 1\norg: org/nothere.org.yaml\n"})
	check(c.Diagnostics(cfgURI, 3), 1, 5, "has 2 OAuth clients (A, B): name one with client: NAME")
	c.Forget()
	c.Edit(cfgURI, 4, lsptest.Change{Text: "version: 1\norg: org/nothere.org.yaml\nclient: A\n"})
	if d := c.Diagnostics(cfgURI, 4); len(d.Diagnostics) != 0 {
		t.Errorf("with a usable org file: %s", d.Diagnostics)
	}
}
