//go:build unix

package flow_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/schemas"
)

// TestLoadNotRegular: a flow file that is a device or a FIFO cannot be
// read; reading /dev/zero would never end and a FIFO would block.
func TestLoadNotRegular(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "z.flow.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "f.flow.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{zero, fifo} {
		if _, err := flow.Load(p); !errors.Is(err, schemas.ErrNotRegular) || flow.PathErrorCause(err) != schemas.ErrNotRegular {
			t.Errorf("%s: %v", p, err)
		}
	}
}
