package cmd

import (
	"bytes"
	"context"
	"testing"
)

// testStreams are IOStreams over in-memory buffers, as cli/cli's
// iostreams.Test gives: nothing is a terminal until the test says so, and
// colour is then decided as in a real run (--color, NO_COLOR...).
type testStreams struct {
	*IOStreams
	In, Out, ErrOut *bytes.Buffer
}

// SetStdinTTY makes stdin count as a terminal (or not).
func (s *testStreams) SetStdinTTY(tty bool) { s.stdinTTY = tty }

// SetStdoutTTY makes stdout count as a terminal (or not).
func (s *testStreams) SetStdoutTTY(tty bool) { s.stdoutTTY = tty }

// newTestFactory returns a Factory for unit tests: in-memory streams, env
// as the whole environment (nil for none), a background context.
func newTestFactory(env map[string]string) (*Factory, *testStreams) {
	s := &testStreams{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	s.IOStreams = &IOStreams{In: s.In, Out: s.Out, ErrOut: s.ErrOut}
	f := &Factory{
		IO:      s.IOStreams,
		Getenv:  func(k string) string { return env[k] },
		Context: context.Background(),
	}
	return f, s
}

// execFlowctl runs flowctl in-process on a test factory with env as the
// environment, stdout a terminal when tty is set, and returns stdout,
// stderr and the exit code.
func execFlowctl(t testing.TB, env map[string]string, tty bool, args ...string) (string, string, int) {
	t.Helper()
	f, s := newTestFactory(env)
	s.SetStdoutTTY(tty)
	code := run(f, args)
	return s.Out.String(), s.ErrOut.String(), code
}
