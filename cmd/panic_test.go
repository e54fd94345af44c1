package cmd

import (
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

// runWithCommand runs flowctl with one more command, c, and returns stdout,
// stderr and the exit code.
func runWithCommand(t *testing.T, c *cobra.Command, args ...string) (string, string, int) {
	t.Helper()
	f, s := newTestFactory(nil)
	root := newRootCmd(f)
	root.AddCommand(c)
	code := execute(f, root, args)
	return s.Out.String(), s.ErrOut.String(), code
}

// internalError is the one line a panic gives, at the given place.
func internalError(msg, at string) *regexp.Regexp {
	return regexp.MustCompile(`^flowctl: internal error: ` + regexp.QuoteMeta(msg) + ` \(at ` + at + `\); please report it at https://github.com/flowctl/flowctl/issues\n$`)
}

// TestPanicInCommand: a panic in a command's own goroutine exits 3 (never
// 2) with one line naming it and where it happened.
func TestPanicInCommand(t *testing.T) {
	boom := &cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
		panic("boom\nsecond line")
	}}
	out, errOut, code := runWithCommand(t, boom, "boom")
	if code != ExitFailure || out != "" || !internalError("boom second line", `cmd/panic_test\.go:\d+`).MatchString(errOut) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	index := &cobra.Command{Use: "index", RunE: func(_ *cobra.Command, args []string) error {
		fmt.Println(args[len(args)+2])
		return nil
	}}
	_, errOut, code = runWithCommand(t, index, "index", "a")
	if code != ExitFailure || !internalError("runtime error: index out of range [3] with length 1", `cmd/panic_test\.go:\d+`).MatchString(errOut) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestPanicInGoroutine: a panic in a goroutine a command starts (goSafe,
// as validate's loaders do) exits 3 the same way instead of crashing.
func TestPanicInGoroutine(t *testing.T) {
	par := &cobra.Command{Use: "par", RunE: func(*cobra.Command, []string) error {
		var g errgroup.Group
		for i := range 4 {
			goSafe(&g, func() {
				if i == 2 {
					var m map[string]int
					m["x"] = i
				}
			})
		}
		return g.Wait()
	}}
	_, errOut, code := runWithCommand(t, par, "par")
	if code != ExitFailure || !internalError("assignment to entry in nil map", `cmd/panic_test\.go:\d+`).MatchString(errOut) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}

	var g errgroup.Group
	goSafe(&g, func() {})
	if err := g.Wait(); err != nil {
		t.Errorf("no panic: %v", err)
	}
}

// panicReader panics on Read, like a broken input source.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader broke") }

// TestPanicInInputReader: simulate's input goroutine recovers too.
func TestPanicInInputReader(t *testing.T) {
	f, s := newTestFactory(nil)
	f.IO.In = panicReader{}
	code := run(f, []string{"simulate", "../testdata/examples/acme.flow.yaml"})
	errOut := s.ErrOut.String()
	if code != ExitFailure || !internalError("reader broke", `cmd/panic_test\.go:\d+`).MatchString(errOut) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	var pe *panicError
	lines := readLines(panicReader{}, make(chan struct{}))
	if l := <-lines; !errors.As(l.err, &pe) {
		t.Errorf("reader: %v", l.err)
	}
}
