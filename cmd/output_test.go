package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A failed atomic write names the path asked for, never its temporary file.
func TestWriteFileAtomicErrorNamesThePath(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{
		filepath.Join(dir, "missing", "cov.md"), // no folder for the temporary file
		dir,                                     // the rename onto a folder fails
	} {
		err := writeFileAtomic(path, []byte("x"))
		if err == nil {
			t.Fatalf("%s: written", path)
		}
		if want := "write " + path + ": "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q, want it to start with %q", err, want)
		}
		if strings.Contains(err.Error(), "."+filepath.Base(path)+".") {
			t.Errorf("error %q names the temporary file", err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}
