package simulate

import (
	"testing"
)

// coveringFlow's conditional outputs leave no case out, so none of its
// blocks ends the chat silently: a rating is >= 4 or < 4, an answer yes or
// no, and an unset tier is not "gold".
const coveringFlow = `version: 1
name: x
flows:
  main:
    start: rate
    blocks:
      - id: rate
        type: ask
        text: "1 to 5?"
        variable: rating
        entity: number
        outputs:
          - { when: memory.rating >= 4, next: ok }
          - { when: memory.rating < 4, next: ok }
      - id: ok
        type: ask
        text: "OK?"
        variable: ok
        entity: yes_no
        outputs:
          - { when: memory.ok, next: tier }
          - { when: "!memory.ok", next: tier }
      - id: tier
        type: set
        memory: { seen: true }
        outputs:
          - { when: memory.tier == "gold", next: bye }
          - { when: memory.tier != "gold", next: bye }
      - { id: bye, type: end, text: Bye }
`

// TestCoveringOutputsNeverEndSilently runs the engine on values at and
// around the boundaries: the exits coverage leaves out (no end-of-flow at
// rate, ok or tier) are never taken, and no condition fails at run time;
// explore then reaches every exit there is.
func TestCoveringOutputsNeverEndSilently(t *testing.T) {
	p := load(t, coveringFlow)
	for _, rating := range []string{"-1", "0", "3", "3.99", "4", "4.01", "5", "100000"} {
		for _, ok := range []string{"yes", "no"} {
			cov := NewCoverage()
			r := start(t, p, Options{Coverage: cov})
			r.say(rating)
			r.say(ok)
			for _, e := range r.events {
				if e.Kind == EventError {
					t.Errorf("%s, %s: run-time error %s", rating, ok, e.Text)
				}
			}
			for _, k := range []string{"main/rate !end-of-flow", "main/ok !end-of-flow", "main/tier !end-of-flow"} {
				if cov.Exits[k] {
					t.Errorf("%s, %s: took exit %s", rating, ok, k)
				}
			}
			if !cov.Exits["main/bye !end-of-flow"] {
				t.Errorf("%s, %s: did not end at bye: %v", rating, ok, cov.Exits)
			}
		}
	}
	rep, err := Explore(t.Context(), p, ExploreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if nc := rep.Coverage.Exits.NotCovered; len(nc) > 0 {
		t.Errorf("explore: exits not covered: %v", nc)
	}
}
