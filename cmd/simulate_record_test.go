package cmd

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/simulate"
)

// TestRecordingNeverLost checks that a recording that cannot be written
// when the session ends (its folder became a file) is printed on stderr,
// whole, with exit 3.
func TestRecordingNeverLost(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "tests")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, s := newTestFactory(nil)
	path := filepath.Join(blocker, "x.test.yaml")
	events := []simulate.Event{{Kind: simulate.EventBot, Text: "Hi there"}, {Kind: simulate.EventUser, Text: "hello"}}
	err := writeRecording(f, path, &simulateOptions{Flow: filepath.Join(dir, "a.flow.yaml")}, events)
	code, msg := exitCode(err)
	if code != ExitFailure {
		t.Fatalf("exit %d (%v), want %d", code, err, ExitFailure)
	}
	if want := "cannot write the recording to " + path + ": "; !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, "; it is printed above, on standard error") {
		t.Errorf("message %q", msg)
	}
	for _, want := range []string{"--- the recording (save it as " + path + ") ---\n", "  - bot: \"Hi there\"\n  - user: \"hello\"\n--- end of the recording ---\n"} {
		if !strings.Contains(s.ErrOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, s.ErrOut.String())
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a file was written")
	}
}

// failingReader gives its text, then fails.
type failingReader struct{ text string }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, errors.New("device gone")
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

// TestRecordingKeptOnReadError checks that the session so far is recorded
// when standard input fails, and that the failure is still exit 3.
func TestRecordingKeptOnReadError(t *testing.T) {
	dir := t.TempDir()
	flowPath := filepath.Join(dir, "a.flow.yaml")
	src := "version: 1\nname: a\nflows:\n  main:\n    start: a\n    blocks:\n      - { id: a, type: say, text: Hi, input: true, next: b }\n      - { id: b, type: end, text: Bye }\n"
	if err := os.WriteFile(flowPath, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := filepath.Join(dir, "new", "x.test.yaml")
	f, s := newTestFactory(nil)
	f.IO.In = io.Reader(&failingReader{text: "hello\n"})
	code := run(f, []string{"simulate", "--record", rec, flowPath})
	if code != ExitFailure || !strings.Contains(s.ErrOut.String(), "flowctl: reading input: device gone") {
		t.Fatalf("exit %d, stderr:\n%s", code, s.ErrOut.String())
	}
	got, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := "  - bot: \"Hi\"\n  - user: \"hello\"\n  - bot: \"Bye\"\n  - closed: end-of-flow\n"; !strings.HasSuffix(string(got), want) {
		t.Errorf("recording:\n%s\nwant it to end with:\n%s", got, want)
	}
}
