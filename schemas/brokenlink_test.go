package schemas

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// A read through a link to nothing says it is a broken link and to what;
// it is still fs.ErrNotExist. A plain missing file stays as it was.
func TestReadFileBrokenLink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "a.flow.yaml")
	if err := os.Symlink("gone.flow.yaml", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := ReadFile(link)
	var ble *BrokenLinkError
	if !errors.As(err, &ble) || ble.Target != "gone.flow.yaml" || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
	if want := "open " + link + ": is a broken symbolic link (to gone.flow.yaml, which does not exist)"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	_, err = ReadFile(filepath.Join(dir, "missing.flow.yaml"))
	if errors.As(err, &ble) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
