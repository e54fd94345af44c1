package cmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// signalWait bounds how long a signal test waits for what must happen
// (only a failing test waits that long).
const signalWait = 20 * time.Second

// lockedBuffer is a bytes.Buffer safe for the signal goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestWatchSignals: the first signal cancels, the second exits with
// 128+signal after one line; after stop nothing happens.
func TestWatchSignals(t *testing.T) {
	for _, tc := range []struct {
		first, second os.Signal
		code          int
		line          string
	}{
		{first: os.Interrupt, second: os.Interrupt, code: ExitInterrupted, line: "flowctl: interrupted again: exiting at once\n"},
		{first: os.Interrupt, second: syscall.SIGTERM, code: ExitTerminated, line: "flowctl: terminated again: exiting at once\n"},
		{first: syscall.SIGTERM, second: syscall.SIGTERM, code: ExitTerminated, line: "flowctl: terminated again: exiting at once\n"},
	} {
		t.Run(fmt.Sprint(tc.first, "+", tc.second), func(t *testing.T) {
			sigs := make(chan os.Signal, 2)
			done := make(chan struct{})
			defer close(done)
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			var stderr lockedBuffer
			exited := make(chan int, 1)
			go watchSignals(sigs, done, cancel, &stderr, func(code int) { exited <- code })

			sigs <- tc.first
			select {
			case <-ctx.Done():
			case <-time.After(signalWait):
				t.Fatal("the first signal did not cancel the context")
			}
			var ie *interruptError
			if !errors.As(context.Cause(ctx), &ie) || ie.sig != tc.first {
				t.Errorf("cause %v, want the signal %v", context.Cause(ctx), tc.first)
			}
			select {
			case code := <-exited:
				t.Fatalf("exit %d after one signal", code)
			default:
			}
			sigs <- tc.second
			select {
			case code := <-exited:
				if code != tc.code || stderr.String() != tc.line {
					t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), tc.code, tc.line)
				}
			case <-time.After(signalWait):
				t.Fatal("the second signal did not exit")
			}
		})
	}

	// Once stopped, the watcher is gone: no cancel, no exit.
	sigs := make(chan os.Signal, 2)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		watchSignals(sigs, done, func(error) { t.Error("cancelled after stop") }, io.Discard, func(int) { t.Error("exited after stop") })
		close(finished)
	}()
	close(done)
	<-finished
}

// signalChild is the test binary run as a child by TestSecondSignalExits:
// it takes signals as Main does, then blocks on stdin, ignoring the
// context, like work that does not watch it.
func signalChild() {
	ctx, stop := signalContext(os.Stderr, os.Exit)
	defer stop()
	fmt.Println("ready")
	<-ctx.Done()
	fmt.Println("cancelled")
	_, _ = io.ReadAll(os.Stdin)
	fmt.Println("stdin closed")
}

// TestSecondSignalExits sends real signals to a child process: the first
// cancels and the child goes on; the second ends it at once with 130
// (SIGINT) or 143 (SIGTERM).
func TestSecondSignalExits(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT/SIGTERM to send on Windows")
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		line string
	}{
		{sig: syscall.SIGINT, code: ExitInterrupted, line: "flowctl: interrupted again: exiting at once\n"},
		{sig: syscall.SIGTERM, code: ExitTerminated, line: "flowctl: terminated again: exiting at once\n"},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), signalWait)
			defer cancel()
			child := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			child.Env = append(os.Environ(), "FLOWCTL_TEST_SIGNAL_CHILD=1")
			stdin, err := child.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			stdout, err := child.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr lockedBuffer
			child.Stderr = &stderr
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(stdout)
			expect := func(want string) {
				t.Helper()
				if !lines.Scan() || lines.Text() != want {
					t.Fatalf("child said %q (%v), want %q; stderr %q", lines.Text(), lines.Err(), want, stderr.String())
				}
			}
			expect("ready")
			if err := child.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			expect("cancelled") // still running
			if err := child.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			if lines.Scan() {
				t.Errorf("child went on: %q", lines.Text())
			}
			err = child.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code || stderr.String() != tc.line {
				t.Errorf("child: %v, stderr %q; want exit %d, %q", err, stderr.String(), tc.code, tc.line)
			}
		})
	}
}
