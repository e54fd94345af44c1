package simulate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestFileDeepNesting: a test file nested far past the limit is one
// problem at the first node too deep, found before YAML parsing, that
// states the bounds as for flow files.
func TestTestFileDeepNesting(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		line, col int
	}{
		{"brackets", "flow: a.flow.yaml\nsteps: " + strings.Repeat("[", 60_000) + strings.Repeat("]", 60_000), 2, 8 + 128},
		{"dashes", "flow: a.flow.yaml\nsteps:\n" + strings.Repeat("- ", 100_000), 3, 2*127 + 1},
	} {
		_, ps := ParseTestFile("x.test.yaml", []byte(tt.src))
		if len(ps) != 1 || ps[0].Line != tt.line || ps[0].Col != tt.col || !strings.HasPrefix(ps[0].Message, "document too complex: nested deeper than 128 levels: flowctl reads test files up to 128 levels deep") {
			t.Errorf("%s: got %+v, want one problem at %d:%d", tt.name, ps, tt.line, tt.col)
		}
	}
}

// TestTestFileSize: test files have the size cap of flow files.
func TestTestFileSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.test.yaml")
	src := "flow: a.flow.yaml\nsteps:\n" + strings.Repeat("  - user: "+strings.Repeat("x", 100)+"\n", 9<<20/111)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := RunSuite([]string{path}, SuiteOptions{})[0]
	if r.Status != StatusError || r.Failure == nil || r.Failure.Message != "cannot read the test file: file is 9.0 MiB; flowctl reads files up to 8 MiB" {
		t.Errorf("got %s %+v", r.Status, r.Failure)
	}
}
