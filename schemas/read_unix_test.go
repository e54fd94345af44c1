//go:build unix

package schemas

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadFileNotRegular: devices and FIFOs are refused before they are
// opened or read: /dev/zero never ends and a FIFO blocks until a writer
// comes.
func TestReadFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "z.test.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "f.flow.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{zero, fifo, "/dev/null"} {
		_, err := ReadFile(p)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "not a regular file (a device, FIFO or socket)") {
			t.Errorf("%s: want ErrNotRegular, got %v", p, err)
		}
	}
}
