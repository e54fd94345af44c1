package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Exit codes of a second signal, the shell's 128+n: not one of flowctl's
// four (exit.go), since the command was cut off before it could decide.
const (
	ExitInterrupted = 130 // a second SIGINT (Ctrl-C)
	ExitTerminated  = 143 // a second SIGTERM
)

// signalContext returns a context cancelled by the first SIGINT or SIGTERM:
// commands then stop their work and report as usual. A second signal, for
// work that does not stop, ends the process at once: one line on stderr,
// then exit(ExitInterrupted or ExitTerminated). stop releases the signals.
func signalContext(stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go watchSignals(sigs, done, cancel, stderr, exit)
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel()
		})
	}
}

// watchSignals cancels on the first signal from sigs and exits on the
// second, until done is closed.
func watchSignals(sigs <-chan os.Signal, done <-chan struct{}, cancel context.CancelFunc, stderr io.Writer, exit func(int)) {
	select {
	case <-sigs:
		cancel()
	case <-done:
		return
	}
	select {
	case s := <-sigs:
		code, what := ExitInterrupted, "interrupted"
		if s == syscall.SIGTERM {
			code, what = ExitTerminated, "terminated"
		}
		fmt.Fprintf(stderr, "flowctl: %s again: exiting at once\n", what)
		exit(code)
	case <-done:
	}
}
