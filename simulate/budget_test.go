package simulate

import (
	"strings"
	"testing"
)

// hostileSetFlow sets memory from expressions that would crash or hang
// the process without the evaluation budgets.
const hostileSetFlow = `version: 1
name: hostile
flows:
  main:
    start: a
    blocks:
      - id: a
        type: set
        memory:
          s: 'repeat(repeat("x", 999999), 999999)'
          t: 'reduce(1..36, #acc + #acc, "x")'
          u: 'reduce(1..999999, #acc + "xxxxxxxxxx", "")'
          ok: '"fine"'
        text: "set {memory.ok}{len(memory.s ?? '')}{count(1..999999, count(1..999999, true) > 0)}"
        next: b
      - id: b
        type: say
        text: "still here"
        input: true
        outputs:
          - when: 'reduce(1..999999, #acc + "x", "") == "x"'
            next: b
          - next: c
      - id: c
        type: end
        text: "bye"
`

// TestHostileExpressions: expressions that exceed their budget are run-time
// errors on the transcript, at their position; the session goes on.
func TestHostileExpressions(t *testing.T) {
	r := start(t, load(t, hostileSetFlow), Options{})
	r.say("hello")
	want := strings.Join([]string{
		"* error: test.flow.yaml:10:15: memory.s: expression exceeded the 64 KiB limit of one value",
		"* error: test.flow.yaml:11:15: memory.t: expression exceeded the 64 KiB limit of one value",
		"* error: test.flow.yaml:12:15: memory.u: expression exceeded 16 MiB of memory",
		"* error: test.flow.yaml:14:53: count(1..999999, count(1..999999, true) > 0): expression exceeded 1000000 list elements",
		"bot: set fine0",
		"bot: still here",
		"user: hello",
		`* error: test.flow.yaml:21:20: reduce(1..999999, #acc + "x", "") == "x": expression exceeded 16 MiB of memory (taken as false)`,
		"bot: bye",
		"* session closed: end-of-flow",
	}, "\n")
	if got := r.transcript(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
}
