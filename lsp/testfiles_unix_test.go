//go:build unix

package lsp

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/flowctl/flowctl/schemas"
)

// TestReadFileNotRegular: a workspace file that is a FIFO or a link to a
// device is refused unread: opening a FIFO blocks until a writer comes,
// and /dev/zero never ends.
func TestReadFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.test.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "z.flow.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	s := &Server{}
	for _, p := range []string{fifo, zero} {
		if _, err := s.readFile(p); !errors.Is(err, schemas.ErrNotRegular) {
			t.Errorf("%s: got %v", p, err)
		}
	}
	if tf := s.readTest(fifo, filepath.Join(dir, "a.flow.yaml")); tf != nil {
		t.Errorf("a FIFO was read as a test: %+v", tf)
	}
}
