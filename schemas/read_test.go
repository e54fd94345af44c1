package schemas

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(ok); err != nil || string(b) != "a: 1\n" {
		t.Errorf("regular file: %q, %v", b, err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(ok, link); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(link); err != nil || string(b) != "a: 1\n" {
		t.Errorf("symbolic link to a regular file: %q, %v", b, err)
	}

	// A sparse file: large without writing its bytes.
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(20 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var fe *FileSizeError
	if _, err := ReadFile(big); !errors.As(err, &fe) || fe.Size != 20<<20 || err.Error() != "file is 20.0 MiB; flowctl reads files up to 8 MiB" {
		t.Errorf("20 MiB file: %v", err)
	}
	exact := filepath.Join(dir, "exact.yaml")
	if err := os.WriteFile(exact, make([]byte, MaxFileSize), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(exact); err != nil || len(b) != MaxFileSize {
		t.Errorf("a file of exactly MaxFileSize: %d bytes, %v", len(b), err)
	}

	if _, err := ReadFile(dir); err == nil || pathErrorText(err) != "is a directory" {
		t.Errorf("directory: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "none.yaml")); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "open ") {
		t.Errorf("missing file: %v", err)
	}
}

// pathErrorText is the cause of a *fs.PathError, without path.
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return ""
}
