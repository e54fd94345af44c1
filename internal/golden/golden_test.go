package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = append(r.failed, format)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = append(r.failed, format)
	panic(errStop) // as t.Fatalf stops the test
}

type stop struct{}

var errStop = stop{}

// check runs Check with r, stopping where a Fatalf would.
func (r *recorder) check(path, got string) {
	defer func() {
		if v := recover(); v != nil && v != errStop {
			panic(v)
		}
	}()
	Check(r, path, got)
}

func TestCheck(t *testing.T) {
	if *update {
		t.Skip("-update rewrites instead of checking")
	}
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	r.check(path, "same\n")
	if len(r.failed) != 0 {
		t.Errorf("equal output failed: %v", r.failed)
	}
	r.check(path, "other\n")
	if len(r.failed) != 1 || !strings.Contains(r.failed[0], "differs") {
		t.Errorf("different output: %v", r.failed)
	}
	r.check(filepath.Join(t.TempDir(), "missing.golden"), "x")
	if len(r.failed) != 2 || !strings.Contains(r.failed[1], "-update writes it") {
		t.Errorf("missing golden: %v", r.failed)
	}
}

func TestCheckUpdate(t *testing.T) {
	old := *update
	*update = true
	defer func() { *update = old }()
	path := filepath.Join(t.TempDir(), "new", "x.golden")
	Check(t, path, "written\n")
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "written\n" {
		t.Errorf("got %q, %v", b, err)
	}
}
