package simulate

import (
	"strings"
	"testing"
)

// TestRuntimeExprErrors checks that an expression failing at run time is
// one error event (one line, at the expression's position) and that a
// failing interpolation renders as empty text while the rest of the text is
// sent.
func TestRuntimeExprErrors(t *testing.T) {
	p := load(t, `version: 1
name: errs
flows:
  main:
    start: a
    blocks:
      - id: a
        type: set
        memory: { n: 'memory.x.y' }
        next: b
      - id: b
        type: say
        text: "Hi {memory.x.y}, {{literal} {input}!"
        input: true
        outputs:
          - when: memory.x.y == 1
            next: b
          - next: c
      - id: c
        type: end
        text: "{memory.x.y}{1 + 1}"
`)
	r := start(t, p, Options{})
	r.say("Ann")
	want := `* error: test.flow.yaml:9:23: memory.n: cannot read "y" from nil (a value that is not set)
* error: test.flow.yaml:13:20: memory.x.y: cannot read "y" from nil (a value that is not set)
bot: Hi , {literal} !
user: Ann
* error: test.flow.yaml:16:19: memory.x.y == 1: cannot read "y" from nil (a value that is not set) (taken as false)
* error: test.flow.yaml:21:17: memory.x.y: cannot read "y" from nil (a value that is not set)
bot: 2
* session closed: end-of-flow`
	if got := r.transcript(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
	for _, e := range r.events {
		if strings.Contains(e.Text, "\n") {
			t.Errorf("%s event spans several lines: %q", e.Kind, e.Text)
		}
	}
}
