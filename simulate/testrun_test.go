package simulate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			r := RunSuite([]string{path}, SuiteOptions{})[0]
			if r.Status != tt.status {
				t.Fatalf("status = %s, want %s (%+v)", r.Status, tt.status, r.Failure)
			}
			if tt.status == StatusPass {
				return
			}
			f := r.Failure
			if f.Line != tt.line || !strings.Contains(f.Message, tt.message) || !strings.Contains(f.Expected, tt.exp) || !strings.Contains(f.Got, tt.got) {
				t.Errorf("failure = line %d %q expected %q got %q\nwant line %d %q expected ~%q got ~%q", f.Line, f.Message, f.Expected, f.Got, tt.line, tt.message, tt.exp, tt.got)
			}
		})
	}
}
