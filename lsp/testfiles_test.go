package lsp

import (
	"errors"
	"github.com/flowctl/flowctl/lsp/lsptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/schemas"
)

// TestReadTestBounds: test files are read for a queue rename by the reader
// of every flowctl file: a file too large or a document too deep for
// flowctl test is skipped, as it is by flowctl test.
func TestReadTestBounds(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "a.flow.yaml")
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s := &Server{}
	ok := write("ok.test.yaml", "flow: a.flow.yaml\nsteps:\n  - handover: Billing\n")
	if tf := s.readTest(ok, target); tf == nil || len(tf.queues["Billing"]) != 1 {
		t.Fatalf("a test of the flow: %+v", tf)
	}
	deep := write("deep.test.yaml", "flow: a.flow.yaml\nsteps:\n  - handover: Billing\nx: "+strings.Repeat("[", 200)+strings.Repeat("]", 200)+"\n")
	if tf := s.readTest(deep, target); tf != nil {
		t.Errorf("a document nested 200 levels deep was read: %+v", tf)
	}
	big := write("big.test.yaml", "")
	if err := os.Truncate(big, 9<<20); err != nil {
		t.Fatal(err)
	}
	var fe *schemas.FileSizeError
	if _, err := s.readFile(big); !errors.As(err, &fe) {
		t.Errorf("a 9 MiB file: got %v, want a *schemas.FileSizeError", err)
	}
	if tf := s.readTest(big, target); tf != nil {
		t.Errorf("a 9 MiB file was read: %+v", tf)
	}
}

// TestTestFileFollowsFlow: an open test file's diagnostics follow its flow:
// fixing or breaking the open flow (unsaved) re-checks the test file, and
// closing the flow checks it against the file on disk again. A test file
// of another flow is left alone.
func TestTestFileFollowsFlow(t *testing.T) {
	dir := t.TempDir()
	fixed := "version: 1\nname: a\nflows:\n  main:\n    start: h\n    blocks:\n      - { id: h, type: say, text: Hi, next: e }\n      - { id: e, type: end }\n"
	broken := strings.Replace(fixed, "next: e", "next: nowhere", 1)
	for name, src := range map[string]string{"a.flow.yaml": fixed, "b.flow.yaml": broken} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := lsptest.Start(t, serveFunc(Options{}))
	c.Initialize("")
	uri := func(name string) string { return string(pathURI(filepath.Join(dir, name))) }
	// The other test sorts first: were it checked again with a.test.yaml,
	// it would be published first.
	testURI, otherURI, flowURI := uri("a.test.yaml"), uri("0.test.yaml"), uri("a.flow.yaml")
	stale := func(p lsptest.Published) bool {
		return len(p.Diagnostics) == 1 && strings.Contains(string(p.Diagnostics[0]), "flow a.flow.yaml does not validate")
	}
	clean := func(p lsptest.Published) bool { return len(p.Diagnostics) == 0 }
	c.Open(otherURI, "flow: b.flow.yaml\nsteps:\n  - bot: Hi\n", 1)
	if d := c.Diagnostics(otherURI, 1); len(d.Diagnostics) != 1 || !strings.Contains(string(d.Diagnostics[0]), "flow b.flow.yaml does not validate") {
		t.Fatalf("the other test: %s", d.Diagnostics)
	}
	c.Open(testURI, "flow: a.flow.yaml\nsteps:\n  - bot: Hi\n", 1)
	if d := c.Diagnostics(testURI, 1); !clean(d) {
		t.Fatalf("with the flow on disk: %s", d.Diagnostics)
	}
	c.Open(flowURI, fixed, 1)
	c.Edit(flowURI, 2, lsptest.Change{Text: broken})
	c.Until(testURI, stale)
	c.Forget()
	c.Edit(flowURI, 3, lsptest.Change{Text: fixed})
	c.Until(testURI, clean)
	c.Forget()
	c.Edit(flowURI, 4, lsptest.Change{Text: broken})
	c.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": flowURI}})
	c.Until(testURI, stale)
	c.Forget()
	c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": flowURI}})
	c.Until(testURI, clean)   // the file on disk validates
	c.Diagnostics(flowURI, 0) // the closed flow's cleared diagnostics: every change is published
	if got := c.Published(otherURI); len(got) != 0 {
		t.Errorf("the other flow's test was checked again: %v", got)
	}
}
