package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
)

// TestCancelledCommandsStop checks that validate, test and simulate watch
// the command's context (cancelled on Ctrl-C or SIGTERM): a cancelled run
// returns context.Canceled and writes no results.
func TestCancelledCommandsStop(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		run  func(f *Factory) error
	}{
		{"validate", func(f *Factory) error {
			return runValidate(f, &validateOptions{Paths: []string{"../testdata/examples"}, Format: "text", Queues: queueCheckOptions{Offline: true}})
		}},
		{"test", func(f *Factory) error {
			return runTest(f, &testOptions{Paths: []string{"../testdata/examples"}, Format: "text"})
		}},
		{"simulate --explore", func(f *Factory) error {
			return runSimulate(f, &simulateOptions{Flow: "../testdata/examples/acme.flow.yaml", Explore: true, Format: "text"})
		}},
		{"simulate", func(f *Factory) error {
			return runSimulate(f, &simulateOptions{Flow: "../testdata/examples/acme.flow.yaml", Format: "text"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			f := &Factory{Getenv: func(string) string { return "" }, Context: ctx}
			f.IO = newIOStreams(strings.NewReader("agent please\n"), &out, &errOut, f.Getenv)
			err := tt.run(f)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if out.Len() > 0 {
				t.Errorf("a cancelled run wrote results:\n%s", out.String())
			}
		})
	}
}

// TestValidateStopsMidParse: a signal during validate ends it at once,
// though the files in hand are still being parsed (a large file's parse
// takes seconds and does not watch the context) and more wait for a slot.
func TestValidateStopsMidParse(t *testing.T) {
	dir := t.TempDir()
	files := runtime.GOMAXPROCS(0) + 4
	for i := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.flow.yaml", i)), []byte(warnFlow), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	release := make(chan struct{})
	started := make(chan struct{}, files)
	defer close(release)
	old := loadFlowFile
	loadFlowFile = func(path string) (*flow.Project, error) {
		started <- struct{}{}
		<-release // a parse that outlasts the signal
		return old(path)
	}
	defer func() { loadFlowFile = old }()
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut bytes.Buffer
	f := &Factory{Getenv: func(string) string { return "" }, Context: ctx}
	f.IO = newIOStreams(strings.NewReader(""), &out, &errOut, f.Getenv)
	done := make(chan error, 1)
	go func() {
		done <- runValidate(f, &validateOptions{Paths: []string{dir}, Format: "text", Queues: queueCheckOptions{Offline: true}})
	}()
	for range runtime.GOMAXPROCS(0) {
		<-started // every slot busy, files still waiting
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("validate did not return after its context ended")
	}
	if out.Len() > 0 {
		t.Errorf("a cancelled run wrote results:\n%s", out.String())
	}
}
