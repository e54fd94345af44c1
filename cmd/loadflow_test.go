package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlowErrorsPrintedAlike: simulate and graph report a flow's errors on
// stderr with one printer, the line validate's text output writes, styled
// alike with colour.
func TestFlowErrorsPrintedAlike(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.flow.yaml")
	src := "version: 1\nname: bad\nflows:\n  main:\n    start: hi\n    blocks:\n      - { id: hi, type: say, text: \"Hello\", next: nowhere }\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, errs, err := loadFlow(path)
	if err != nil || p == nil || len(errs) != 1 {
		t.Fatalf("loadFlow: %v, %v", errs, err)
	}
	want := errs[0].String() + "\n"
	validateOut, _, _ := execFlowctl(t, nil, false, "validate", path)
	if !strings.HasPrefix(validateOut, want) {
		t.Errorf("validate: %q, want prefix %q", validateOut, want)
	}
	for _, color := range []string{"never", "always"} {
		var first string
		for _, command := range []string{"simulate", "graph"} {
			_, errOut, code := execFlowctl(t, nil, false, "--color", color, command, path)
			if code != ExitFindings {
				t.Errorf("%s: exit %d", command, code)
			}
			line, _, _ := strings.Cut(errOut, "\n")
			switch {
			case color == "never" && line+"\n" != want:
				t.Errorf("%s: %q, want %q", command, line, want)
			case color == "always" && !strings.Contains(line, "\x1b[1;31merror\x1b[0m"):
				t.Errorf("%s --color always: %q", command, line)
			}
			if first == "" {
				first = line
			} else if line != first {
				t.Errorf("--color %s: simulate prints %q, graph %q", color, first, line)
			}
		}
	}
}

// TestLoadFlowUnreadable: an unreadable flow is exit 3 with the cause.
func TestLoadFlowUnreadable(t *testing.T) {
	_, _, err := loadFlow("missing.flow.yaml")
	if code, msg := exitCode(err); code != ExitFailure || msg != "cannot read missing.flow.yaml: no such file or directory" {
		t.Errorf("exit %d: %q", code, msg)
	}
}
