package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Exit codes of a command stopped by a signal, the shell's 128+n: not one
// of flowctl's four (exit.go), since the command was cut off before it
// could decide.
const (
	ExitInterrupted = 130 // stopped by SIGINT (Ctrl-C)
	ExitTerminated  = 143 // stopped by SIGTERM
)

// interruptError is the cause of a context cancelled by a signal.
type interruptError struct{ sig os.Signal }

func (e *interruptError) Error() string {
	if e.sig == syscall.SIGTERM {
		return "terminated"
	}
	return "interrupted"
}

// code is the exit code of a command the signal stopped.
func (e *interruptError) code() int {
	if e.sig == syscall.SIGTERM {
		return ExitTerminated
	}
	return ExitInterrupted
}

// interrupted turns the error of a command that stopped because a signal
// cancelled ctx into one line and the signal's exit code: "flowctl:
// interrupted", 130 (SIGINT) or "flowctl: terminated", 143 (SIGTERM). Any
// other error, and a command that ended normally after the signal (serve's
// graceful stop, the REPL), is left as it is.
func interrupted(ctx context.Context, err error) error {
	var ie *interruptError
	if err == nil || !errors.Is(err, context.Canceled) || !errors.As(context.Cause(ctx), &ie) {
		return err
	}
	return &ExitError{Code: ie.code(), Err: ie}
}

// signalContext returns a context cancelled by the first SIGINT or SIGTERM,
// with an *interruptError as its cause: commands then stop their work and
// report as usual. A second signal, for work that does not stop, ends the
// process at once: one line on stderr, then exit(ExitInterrupted or
// ExitTerminated). stop releases the signals.
func signalContext(stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan struct{})
	go watchSignals(sigs, done, cancel, stderr, exit)
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel(nil)
		})
	}
}

// watchSignals cancels on the first signal from sigs (with the signal as
// the cause) and exits on the second, until done is closed.
func watchSignals(sigs <-chan os.Signal, done <-chan struct{}, cancel context.CancelCauseFunc, stderr io.Writer, exit func(int)) {
	select {
	case s := <-sigs:
		cancel(&interruptError{sig: s})
	case <-done:
		return
	}
	select {
	case s := <-sigs:
		ie := &interruptError{sig: s}
		fmt.Fprintf(stderr, "flowctl: %s again: exiting at once\n", ie)
		exit(ie.code())
	case <-done:
	}
}
