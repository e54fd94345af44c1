package main

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestMain makes the test binary a launcher too, as procbench is.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == launchFlag {
		if err := launch(os.Args[2:]); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var ballast []byte

// TestRunOnceOwnPeak: a command's peak memory is its own, not that of
// the process measuring it, and a wrong exit status is an error.
func TestRunOnceOwnPeak(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak memory is read on Linux")
	}
	ballast = make([]byte, 256<<20)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1 // resident, a page at a time
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary running no test: a small process.
	small := command{tool: "floor", path: self, args: []string{"-test.run=^$"}}
	s, err := runOnce(small, t.TempDir(), os.Environ())
	if err != nil {
		t.Fatal(err)
	}
	if s.rssKB <= 0 || s.rssKB > 128<<10 {
		t.Errorf("peak memory %d KiB: want the small process's own, not this one's 256 MiB", s.rssKB)
	}
	if s.wall <= 0 || s.cpu <= 0 {
		t.Errorf("wall %s, CPU %s", s.wall, s.cpu)
	}
	small.exit = 3
	if _, err := runOnce(small, t.TempDir(), os.Environ()); err == nil || !strings.Contains(err.Error(), "exit 0, want 3") {
		t.Errorf("wrong exit status: %v", err)
	}
	ballast = nil
}
