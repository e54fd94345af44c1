package cmd

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// TestInterruptedCommands checks that a command stopped by Ctrl-C (or
// SIGTERM) ends with one line and the signal's exit code, whatever it was
// doing, and writes no results.
func TestInterruptedCommands(t *testing.T) {
	// Genesys, reached by the online commands: a request that gets here
	// was sent on a cancelled context.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request %s %s after the interrupt", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	online := map[string]string{genesys.EnvRegion: srv.URL, genesys.EnvClientID: "bot", genesys.EnvClientSecret: "s"}
	commands := []struct {
		args []string
		env  map[string]string
	}{
		{args: []string{"validate", "--offline", "../testdata/examples"}},
		{args: []string{"validate", "--format", "json", "../testdata/examples"}},
		{args: []string{"validate", "../testdata/examples/acme.flow.yaml"}, env: online},
		{args: []string{"test", "../testdata/examples"}},
		{args: []string{"test", "--format", "junit", "../testdata/examples/acme.test.yaml"}},
		{args: []string{"simulate", "--explore", "../testdata/examples/acme.flow.yaml"}},
		{args: []string{"simulate", "../testdata/examples/acme.flow.yaml"}},
		{args: []string{"check-queue", "Billing Support"}, env: online},
		{args: []string{"org", "export"}, env: online},
	}
	for _, sig := range []struct {
		sig  os.Signal
		code int
		line string
	}{
		{sig: os.Interrupt, code: ExitInterrupted, line: "flowctl: interrupted\n"},
		{sig: syscall.SIGTERM, code: ExitTerminated, line: "flowctl: terminated\n"},
	} {
		for _, c := range commands {
			t.Run(sig.sig.String()+" "+strings.Join(c.args, " "), func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(t.Context())
				cancel(&interruptError{sig: sig.sig})
				f, s := newTestFactory(c.env)
				f.Context = ctx
				s.In.WriteString("agent please\nAnn\n")
				code := run(f, c.args)
				if code != sig.code || s.ErrOut.String() != sig.line || s.Out.Len() > 0 {
					t.Errorf("exit %d, stderr %q, stdout %q; want %d, %q and no results", code, s.ErrOut.String(), s.Out.String(), sig.code, sig.line)
				}
			})
		}
	}
}

// TestCancelledWithoutSignal checks that a context cancelled for another
// reason than a signal is not reported as an interruption.
func TestCancelledWithoutSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	f, s := newTestFactory(nil)
	f.Context = ctx
	if code := run(f, []string{"validate", "../testdata/examples"}); code != ExitFailure || !strings.Contains(s.ErrOut.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q", code, s.ErrOut.String())
	}
	if err := interrupted(ctx, nil); err != nil {
		t.Errorf("no error became %v", err)
	}
}

// TestREPLCtrlCQuits checks that Ctrl-C in the simulate REPL ends the
// session like /quit: exit 0, the recording written.
func TestREPLCtrlCQuits(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	f, s := newTestFactory(nil)
	f.Context = ctx
	in, feed := io.Pipe()
	defer feed.Close()
	f.IO.In = in
	s.SetStdinTTY(true)
	rec := t.TempDir() + "/r.test.yaml"
	done := make(chan int, 1)
	go func() { done <- run(f, []string{"simulate", "--record", rec, "../testdata/examples/acme.flow.yaml"}) }()
	if _, err := io.WriteString(feed, "agent please\n"); err != nil {
		t.Fatal(err)
	}
	// The pipe hands over the line only when the REPL reads it: it is
	// now the session's.
	cancel(&interruptError{sig: os.Interrupt})
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("exit %d; stderr %q", code, s.ErrOut.String())
		}
	case <-time.After(signalWait):
		t.Fatal("the REPL did not stop")
	}
	if _, err := os.Stat(rec); err != nil {
		t.Errorf("no recording: %v", err)
	}
}
