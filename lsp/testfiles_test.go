package lsp

import (
	"errors"
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
