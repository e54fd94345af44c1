package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
)

// TestExploreLoopExit checks that paths that cannot terminate are reported
// and make the exit status 1. Validation (bot-loop) keeps such flows from
// the command line, so the run function is driven directly.
func TestExploreLoopExit(t *testing.T) {
	p := flow.Parse("loop.flow.yaml", []byte(`version: 1
name: loop
flows:
  main:
    start: a
    blocks:
      - { id: a, type: set, memory: { n: 1 }, next: b }
      - { id: b, type: set, memory: { n: 2 }, next: a }
`))
	for _, format := range []string{"text", "json"} {
		f, s := newTestFactory(nil)
		out := s.Out
		err := runExplore(f, p, nil, format)
		if code, _ := exitCode(err); code != ExitFindings {
			t.Errorf("%s: exit %d, want %d", format, code, ExitFindings)
		}
		want := "cannot terminate (the bot never waits):\n  after start: loops through main/a → main/b → main/a"
		if format == "json" {
			want = `"nonTerminating": [`
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("%s output lacks %q:\n%s", format, want, out.String())
		}
	}
}

// TestExploreTextEscapes checks that explore's text output escapes control
// characters (here in the file name, which run-time errors repeat).
func TestExploreTextEscapes(t *testing.T) {
	p := flow.Parse("evil\x1b[2J\u202e.flow.yaml", []byte(`version: 1
name: x
flows:
  main:
    start: a
    blocks:
      - { id: a, type: say, text: "{memory.order.id}", input: true, next: b }
      - { id: b, type: end }
`))
	var out bytes.Buffer
	f := &Factory{Getenv: func(string) string { return "" }, Context: context.Background()}
	f.IO = newIOStreams(strings.NewReader(""), &out, &out, f.Getenv)
	if err := runExplore(f, p, nil, "text"); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\u202e") {
		t.Errorf("raw control characters:\n%q", out.String())
	}
	if !strings.Contains(out.String(), `  evil\x1b[2J\u202e.flow.yaml:7:37: memory.order.id: `) {
		t.Errorf("the run-time error is not shown escaped:\n%s", out.String())
	}
}

// TestReadLinesStops checks that the input reader gives up once the
// conversation is over (/quit, Ctrl-C) instead of blocking forever on a
// line nobody will read.
func TestReadLinesStops(t *testing.T) {
	done := make(chan struct{})
	close(done) // the conversation ended before reading anything
	lines := readLines(strings.NewReader("one\ntwo\nthree\n"), done)
	select {
	case l, ok := <-lines:
		if ok {
			t.Fatalf("got line %q after the conversation ended", l.text)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the reader did not stop")
	}
}
