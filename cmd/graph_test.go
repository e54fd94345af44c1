package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/graph"
)

// TestWriteGraphFileFences: test --graph and graph -o fence the graph for
// a Markdown file only, and write nothing when drawing fails.
func TestWriteGraphFileFences(t *testing.T) {
	p, err := flow.Load("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var bare bytes.Buffer
	if err := graph.Write(&bare, p, graph.Options{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name, file, format, want string
	}{
		{name: "markdown", file: "g.md", want: "```mermaid\n" + bare.String() + "```\n"},
		{name: "markdown upper case", file: "G.MARKDOWN", want: "```mermaid\n" + bare.String() + "```\n"},
		{name: "mermaid file", file: "g.mmd", want: bare.String()},
		{name: "dot in markdown", file: "d.md", format: "dot", want: "```dot\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if err := writeGraphFile(path, p, graph.Options{Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.format == "dot" {
				if !strings.HasPrefix(string(got), tt.want) || !strings.Contains(string(got), "digraph") || !strings.HasSuffix(string(got), "}\n```\n") {
					t.Errorf("got %q", got)
				}
				return
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// A failed drawing writes nothing.
	path := filepath.Join(dir, "none.md")
	if err := writeGraphFile(path, p, graph.Options{Flow: "nope"}); err == nil {
		t.Fatal("unknown flow: no error")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file written after a failed drawing: %v", err)
	}
}

// TestGraphWarnsBeyondMermaidLimits: a diagram Mermaid will not render is
// still written, with a warning saying why and what to do.
func TestGraphWarnsBeyondMermaidLimits(t *testing.T) {
	var src strings.Builder
	src.WriteString("version: 1\nname: Big\nflows:\n  main:\n    start: b0\n    blocks:\n")
	const n = 260 // 520 outputs, 260 inactivity exits and the start edge
	for i := range n {
		fmt.Fprintf(&src, "      - { id: b%d, type: say, text: hi, input: true, outputs: [{ when: 'input == \"x\"', next: b%d }, { next: b%d }] }\n", i, (i+1)%n, (i+2)%n)
	}
	path := filepath.Join(t.TempDir(), "big.flow.yaml")
	if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := execFlowctl(t, nil, false, "graph", path)
	if code != ExitOK || !strings.HasPrefix(out, "flowchart TD\n") {
		t.Fatalf("exit %d, stdout %.40q, stderr %s", code, out, errOut)
	}
	want := "flowctl: warning: the diagram has 781 edges (Mermaid draws at most 500) and will not render on GitHub; draw one flow with --flow NAME or use --format dot\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	// DOT has no such limit.
	_, errOut, code = execFlowctl(t, nil, false, "graph", "--format", "dot", path)
	if code != ExitOK || errOut != "" {
		t.Errorf("dot: exit %d, stderr %q", code, errOut)
	}
}

// TestWriteFileAtomic: graph -o, test --graph and org export write through
// a temporary file: the content lands whole, no temporary file is left,
// and a failed write leaves the old file as it was.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.md")
	if err := writeFileAtomic(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("content %q", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(sub, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(sub, []byte("x")); err == nil {
		t.Error("replaced a non-empty directory")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left over: %v", entries)
	}
}
