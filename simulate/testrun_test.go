package simulate

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

const acmeLike = `version: 1
name: t
session: { maxInactivity: 15m }
intents:
  agent: { keywords: [agent] }
flows:
  main:
    start: greet
    blocks:
      - id: greet
        type: say
        text: "Hi"
        input: true
        outputs:
          - when: nlu.intent == "agent"
            next: handover
          - next: bye
      - id: handover
        type: redirect
        queue: "Billing Support"
        commands:
          SetExternalSessionAttributes: { who: "{input}" }
        onError: bye
      - id: bye
        type: end
        text: "Bye"
`

// tempWriter returns a function that writes a file in a fresh temporary
// directory and returns its path.
func tempWriter(t *testing.T) func(name, src string) string {
	dir := t.TempDir()
	return func(name, src string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// wantResult is a test's expected status and, unless it passes, where it
// fails and what the failure's message, expected and got contain.
type wantResult struct {
	status   string
	line     int
	message  string
	exp, got string
}

func checkResult(t *testing.T, r TestResult, w wantResult) {
	t.Helper()
	if r.Status != w.status {
		t.Fatalf("status = %s, want %s (%+v)", r.Status, w.status, r.Failure)
	}
	if w.status == StatusPass {
		return
	}
	f := r.Failure
	if f.Line != w.line || !strings.Contains(f.Message, w.message) || !strings.Contains(f.Expected, w.exp) || !strings.Contains(f.Got, w.got) {
		t.Errorf("failure = line %d %q expected %q got %q\nwant line %d %q expected ~%q got ~%q", f.Line, f.Message, f.Expected, f.Got, w.line, w.message, w.exp, w.got)
	}
}

// TestTestFailures checks that each kind of failing or broken test file is
// reported at the right line with what was expected and what happened.
func TestTestFailures(t *testing.T) {
	write := tempWriter(t)
	write("ok.flow.yaml", acmeLike)
	write("bad.flow.yaml", "version: 1\nname: bad\nflows:\n  main:\n    start: nowhere\n    blocks:\n      - { id: a, type: end }\n")
	head := "flow: ok.flow.yaml\nsteps:\n"
	tests := []struct {
		name    string
		src     string
		status  string
		line    int
		message string // contained in the failure message
		exp     string // contained in expected
		got     string // contained in got
	}{
		{"pass", head + "  - bot: Hi\n  - user: agent\n  - handover: { queue: Billing Support, attributes: { who: agent } }\n  - agent: join\n  - agent: close\n  - closed: agent\n", StatusPass, 0, "", "", ""},
		{"bot text differs", head + "  - bot: Hello\n", StatusFail, 3, "does not match", `"Hello"`, `"Hi"`},
		{"contains", head + "  - bot: { contains: ello }\n", StatusFail, 3, "does not match", `containing "ello"`, `"Hi"`},
		{"matches", head + "  - bot: { matches: '^H.$' }\n  - bot: { matches: x }\n", StatusFail, 4, "no message", "matching /x/", "the bot waits for the user at main/greet"},
		{"unconsumed before user", head + "  - user: hi\n", StatusFail, 3, "no bot step consumed", "no more bot messages", `"Hi"`},
		{"unconsumed at the end", head + "  - bot: Hi\n  - user: no\n", StatusFail, 4, "after the last step", "", `"Bye"`},
		{"no handover", head + "  - bot: Hi\n  - handover: Billing Support\n", StatusFail, 4, "no handover", `queue "Billing Support"`, "no handover"},
		{"wrong queue", head + "  - bot: Hi\n  - user: agent\n  - handover: Support\n", StatusFail, 5, "another queue", `"Support"`, `"Billing Support" with who="agent"`},
		{"missing attribute", head + "  - bot: Hi\n  - user: agent\n  - handover: { queue: Billing Support, attributes: { name: Ann } }\n", StatusFail, 5, `no attribute "name"`, `name="Ann"`, `who="agent"`},
		{"attribute differs", head + "  - bot: Hi\n  - user: agent\n  - handover: { queue: Billing Support, attributes: { who: bob } }\n", StatusFail, 5, `"who" differs`, `who="bob"`, `who="agent"`},
		{"handover asserted twice", head + "  - bot: Hi\n  - user: agent\n  - handover: Billing Support\n  - handover: Billing Support\n", StatusFail, 6, "no handover", "", "since the previous handover step"},
		{"agent without agent", head + "  - bot: Hi\n  - agent: { say: hello }\n", StatusFail, 4, "cannot happen", "agent say hello", "the bot owns the chat"},
		{"agent before join", head + "  - bot: Hi\n  - user: agent\n  - agent: close\n", StatusFail, 5, "cannot happen", "agent close", "no agent has joined"},
		{"user after closure", head + "  - bot: Hi\n  - wait: 15m\n  - user: hello\n", StatusFail, 5, "cannot be sent", `user says "hello"`, "closed (inactivity)"},
		{"still open", head + "  - bot: Hi\n  - closed: inactivity\n", StatusFail, 4, "still open", "closed: inactivity", "waits for the user"},
		{"other reason", head + "  - bot: Hi\n  - user: agent\n  - agent: timeout\n  - closed: agent\n", StatusFail, 6, "another reason", "closed: agent", "closed: genesys-timeout"},
		{"unknown step kind", head + "  - bot: Hi\n  - shout: hey\n", StatusError, 4, `unknown step kind "shout"`, "", ""},
		{"two kinds in a step", head + "  - { bot: Hi, user: x }\n", StatusError, 3, "exactly one of", "", ""},
		{"bad duration", head + "  - wait: 20 minutes\n", StatusError, 3, `bad duration "20 minutes"`, "", ""},
		{"negative duration", head + "  - wait: -5m\n", StatusError, 3, "must be positive", "", ""},
		{"bad regexp", head + "  - bot: { matches: '(' }\n", StatusError, 3, "bad regular expression", "", ""},
		{"bad closure reason", head + "  - closed: timeout\n", StatusError, 3, "closed", "", ""},
		{"bad agent event", head + "  - agent: leave\n", StatusError, 3, "agent", "", ""},
		{"missing flow field", "steps: []\n", StatusError, 1, `missing required field "flow"`, "", ""},
		{"missing flow file", "flow: nope.flow.yaml\nsteps: []\n", StatusError, 1, "cannot read flow", "", ""},
		{"invalid flow", "flow: bad.flow.yaml\nsteps: []\n", StatusError, 1, "does not validate", "", ""},
		{"org without support", "flow: ok.flow.yaml\norg: org.yaml\nsteps: []\n", StatusError, 2, "org", "", ""},
		{"yaml syntax", "flow: [\n", StatusError, 1, "YAML", "", ""},
		{"empty file", "", StatusError, 1, "empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tt.name, " ", "_")+".test.yaml", tt.src)
			checkResult(t, RunSuite([]string{path}, SuiteOptions{})[0], wantResult{tt.status, tt.line, tt.message, tt.exp, tt.got})
		})
	}
}

// errsFlow reports two run-time errors after the first user message: a
// condition and an interpolation on an unset key.
const errsFlow = `version: 1
name: t
flows:
  main:
    start: greet
    blocks:
      - { id: greet, type: say, text: "Hi", input: true, outputs: [{ when: 'memory.topic.name == "x"', next: bye }, { next: topic }] }
      - { id: topic, type: say, text: "About {memory.topic.name}.", next: bye }
      - { id: bye, type: end, text: "Bye" }
`

// TestTestRunTimeErrors checks that a run-time error of the flow fails a
// test unless an error step expects it.
func TestTestRunTimeErrors(t *testing.T) {
	write := tempWriter(t)
	flowPath := write("errs.flow.yaml", errsFlow)
	head := "flow: errs.flow.yaml\nsteps:\n  - bot: Hi\n  - user: x\n"
	// The first error as an exact error step writes it: LINE:COL: MESSAGE.
	p, err := flow.Load(flowPath)
	if err != nil {
		t.Fatal(err)
	}
	rec := start(t, p, Options{})
	rec.say("x")
	e := rec.events[2] // bot, user, error
	first := errorPosition(flowPath, e)
	if e.Kind != EventError || !strings.HasPrefix(first, `7:77: memory.topic.name == "x": cannot read "name" from nil (a value that is not set)`) {
		t.Fatalf("first error: %+v", e)
	}
	tests := []struct {
		name    string
		steps   string
		status  string
		line    int
		message string
		exp     string
		got     string
	}{
		{"no error step", "  - bot: About .\n  - bot: Bye\n  - closed: end-of-flow\n", StatusFail, 7, "run-time error no error step expects", "no run-time error", flowPath + ":" + first},
		{"no error step at the end", "  - bot: About .\n  - bot: Bye\n", StatusFail, 6, "run-time error no error step expects", "", flowPath + ":7:77: "},
		{"error steps", "  - error: { contains: 'memory.topic.name == \"x\"' }\n  - bot: About .\n  - error: { matches: '^8:\\d+: memory\\.topic\\.name: ' }\n  - bot: Bye\n  - closed: end-of-flow\n", StatusPass, 0, "", "", ""},
		{"exact error step after the bot steps", "  - bot: About .\n  - bot: Bye\n  - error: " + strconv.Quote(first) + "\n  - error: { contains: About }\n", StatusFail, 8, "does not match", `a run-time error containing "About"`, flowPath + ":8:"},
		{"one error unexpected", "  - error: { contains: topic }\n  - bot: About .\n  - bot: Bye\n  - closed: end-of-flow\n", StatusFail, 8, "no error step expects", "", flowPath + ":8:"},
		{"no error to match", "  - error: { contains: topic }\n  - error: { contains: topic }\n  - error: { contains: topic }\n", StatusFail, 7, "reported no run-time error", `a run-time error containing "topic"`, "no error: the session is closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tt.name, " ", "_")+".test.yaml", head+tt.steps)
			checkResult(t, RunSuite([]string{path}, SuiteOptions{})[0], wantResult{tt.status, tt.line, tt.message, tt.exp, tt.got})
		})
	}
}

// TestRecordingKeepsErrors records a session with run-time errors: the
// recording has error steps and passes.
func TestRecordingKeepsErrors(t *testing.T) {
	write := tempWriter(t)
	flowPath := write("errs.flow.yaml", errsFlow)
	p, err := flow.Load(flowPath)
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, p, Options{})
	r.say("x")
	rec := &Recording{Name: "recorded", Events: r.events}
	rec.SetSource(filepath.Dir(flowPath), flowPath, "", "")
	path := write("rec.test.yaml", string(rec.Bytes()))
	if !strings.Contains(string(rec.Bytes()), "  - error: \"7:77: memory.topic.name == \\\"x\\\": ") {
		t.Errorf("no error step:\n%s", rec.Bytes())
	}
	if res := RunSuite([]string{path}, SuiteOptions{}); res[0].Status != StatusPass {
		t.Fatalf("recording does not pass: %+v\n%s", res[0].Failure, rec.Bytes())
	}
}
