package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
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

// TestExploreTruncationSays checks that a report cut short says which
// limit cut it, with the limit's value.
func TestExploreTruncationSays(t *testing.T) {
	for _, tt := range []struct {
		cut  []simulate.Cut
		want string
	}{
		{cut: []simulate.Cut{{Limit: simulate.CutStates, Max: 200000}},
			want: "warning: the state limit was reached (200,000 states): some paths were not explored\n"},
		{cut: []simulate.Cut{{Limit: simulate.CutPath, Max: 10000}},
			want: "warning: a path was cut after 10,000 decisions (the path limit): what follows on it was not explored\n"},
		{cut: []simulate.Cut{{Limit: simulate.CutStates, Max: 5}, {Limit: simulate.CutPath, Max: 7}},
			want: "warning: the state limit was reached (5 states): some paths were not explored\nwarning: a path was cut after 7 decisions (the path limit): what follows on it was not explored\n"},
	} {
		f, s := newTestFactory(nil)
		writeExploreText(f, &simulate.ExploreReport{File: "x.flow.yaml", Truncated: true, TruncatedBy: tt.cut})
		if !strings.Contains(s.Out.String(), "explored)\n"+tt.want+"closures:") {
			t.Errorf("output:\n%s\nwant the warnings:\n%s", s.Out.String(), tt.want)
		}
	}
}
