//go:build unix

package simulate

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestTestFileNotRegular: a test file that is a device or a FIFO is an
// error, not a read that never ends (/dev/zero) or never starts (a FIFO).
func TestTestFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "z.test.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "f.test.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, r := range RunSuite([]string{zero, fifo}, SuiteOptions{}) {
		if r.Status != StatusError || r.Failure == nil || r.Failure.Message != "cannot read the test file: not a regular file (a device, FIFO or socket)" {
			t.Errorf("%s: got %s %+v", r.File, r.Status, r.Failure)
		}
	}
}
