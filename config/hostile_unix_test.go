//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/schemas"
)

// TestLoadNotRegular: a flowctl.yaml that is a FIFO or a link to a device
// is found like any config file and refused unread: opening a FIFO blocks
// until a writer comes, and /dev/zero never ends.
func TestLoadNotRegular(t *testing.T) {
	for name, mk := range map[string]func(string) error{
		"fifo":      func(p string) error { return syscall.Mkfifo(p, 0o644) },
		"/dev/zero": func(p string) error { return os.Symlink("/dev/zero", p) },
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, FileName)
		if err := mk(p); err != nil {
			t.Fatal(err)
		}
		found, err := Find(dir)
		if err != nil || found != p {
			t.Fatalf("%s: Find = %q, %v", name, found, err)
		}
		if _, _, err := Load(found); !errors.Is(err, schemas.ErrNotRegular) || flow.PathErrorCause(err) != schemas.ErrNotRegular {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
