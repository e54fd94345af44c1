package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
)

// load parses and validates a flow from YAML text; it fails the test on
// error findings.
func load(t testing.TB, src string) *flow.Project {
	t.Helper()
	p := flow.Parse("test.flow.yaml", []byte(src))
	for _, f := range flow.Validate(p, flow.Options{}) {
		if f.Severity == flow.SeverityError {
			t.Fatalf("flow does not validate: %s", f)
		}
	}
	return p
}

// recorder runs a session and keeps its transcript.
type recorder struct {
	t      testing.TB
	s      *Session
	events []Event
}

func start(t testing.TB, p *flow.Project, opts Options) *recorder {
	t.Helper()
	r := &recorder{t: t}
	opts.Sink = func(e Event) { r.events = append(r.events, e) }
	s, err := New(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	r.s = s
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *recorder) say(text string) {
	r.t.Helper()
	if err := r.s.Say(text); err != nil {
		r.t.Fatalf("say %q: %v", text, err)
	}
}

func (r *recorder) agent(a AgentAction, arg string) {
	r.t.Helper()
	ev := AgentEvent{Action: a, Text: arg, Queue: arg}
	if err := r.s.Agent(ev); err != nil {
		r.t.Fatalf("agent %s: %v", a, err)
	}
}

func (r *recorder) wait(d string) {
	r.t.Helper()
	dur, err := time.ParseDuration(d)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.s.Wait(dur); err != nil {
		r.t.Fatal(err)
	}
}

// transcript returns the events as lines, without command events.
func (r *recorder) transcript() string {
	var lines []string
	for _, e := range r.events {
		if e.Kind != EventCommand {
			lines = append(lines, e.String())
		}
	}
	return strings.Join(lines, "\n")
}

func (r *recorder) wantOwner(o Owner, reason string) {
	r.t.Helper()
	st := r.s.State()
	if st.Owner != o || st.Reason != reason {
		r.t.Fatalf("state = %s %q, want %s %q\ntranscript:\n%s", st.Owner, st.Reason, o, reason, r.transcript())
	}
}
