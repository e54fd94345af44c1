package simulate

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

func TestExplore(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		paths    uint64
		closures string
		loops    int
	}{
		{
			name: "one message per output and silence",
			src: `version: 1
name: x
intents: { yes: { keywords: [yes] } }
flows:
  main:
    start: greet
    blocks:
      - { id: greet, type: say, text: Hi, input: true, outputs: [{ when: 'nlu.intent == "yes"', next: a }, { next: b }] }
      - { id: a, type: end }
      - { id: b, type: end }
`,
			paths: 3, closures: "end-of-flow 2, inactivity 1",
		},
		{
			name: "handover failure, agent close, transfer and timeout",
			src: `version: 1
name: x
flows:
  main:
    start: go
    blocks:
      - { id: go, type: redirect, queue: Q, resume: true, next: after, onError: sorry }
      - { id: after, type: say, text: Back, input: true, next: bye }
      - { id: bye, type: end }
      - { id: sorry, type: end }
`,
			paths: 6, closures: "end-of-flow 3, inactivity 2, genesys-timeout 1",
		},
		{
			name: "without resume or onError",
			src: `version: 1
name: x
flows:
  main:
    start: go
    blocks:
      - { id: go, type: redirect, queue: Q }
`,
			paths: 4, closures: "agent 2, genesys-timeout 1, handover-failed 1",
		},
		{
			name: "messages that leave different memory are explored apart",
			src: `version: 1
name: x
intents: { agent: { keywords: [agent] } }
flows:
  main:
    start: greet
    blocks:
      - { id: greet, type: say, text: Hi, input: true, next: keep }
      - { id: keep, type: set, memory: { last: input }, next: ask }
      - { id: ask, type: say, text: "Sure?", input: true, outputs: [{ when: 'memory.last contains "agent"', next: a }, { next: b }] }
      - { id: a, type: end }
      - { id: b, type: end }
`,
			paths: 5, closures: "end-of-flow 2, inactivity 3",
		},
		{
			name: "a bot loop cannot terminate",
			src: `version: 1
name: x
flows:
  main:
    start: a
    blocks:
      - { id: a, type: set, memory: { n: 1 }, next: b }
      - { id: b, type: set, memory: { n: 2 }, next: a }
`,
			paths: 1, closures: "", loops: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := flow.Parse("x.flow.yaml", []byte(tt.src))
			r, err := Explore(t.Context(), p, ExploreOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var cl []string
			for _, c := range r.Closures {
				cl = append(cl, fmt.Sprintf("%s %d", c.Reason, c.Paths))
			}
			if r.Paths != tt.paths || strings.Join(cl, ", ") != tt.closures || len(r.Loops) != tt.loops {
				t.Errorf("paths %d closures %q loops %d, want %d %q %d", r.Paths, strings.Join(cl, ", "), len(r.Loops), tt.paths, tt.closures, tt.loops)
			}
			if tt.loops == 0 && (len(r.Coverage.Blocks.NotCovered) > 0 || len(r.Coverage.Edges.NotCovered) > 0 || len(r.Coverage.Exits.NotCovered) > 0) {
				t.Errorf("not covered: %+v", r.Coverage)
			}
		})
	}
}

func TestExploreAcme(t *testing.T) {
	p, err := flow.Load("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Explore(t.Context(), p, ExploreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Explore(t.Context(), p, ExploreOptions{})
	if fmt.Sprint(r) != fmt.Sprint(r2) {
		t.Errorf("explore is not deterministic:\n%+v\n%+v", r, r2)
	}
	if r.Coverage.Blocks.Covered != r.Coverage.Blocks.Total || r.Coverage.Edges.Covered != r.Coverage.Edges.Total {
		t.Errorf("acme not fully covered: %+v", r.Coverage)
	}
	if got := r.Coverage.Exits.Total; got == 0 {
		t.Errorf("no exits")
	}
}

func TestExploreWithResolver(t *testing.T) {
	p, err := flow.Load("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Explore(t.Context(), p, ExploreOptions{Resolver: denyAll{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Closures {
		if c.Reason == flow.ReasonAgent || c.Reason == flow.ReasonGenesysTimeout {
			t.Errorf("no handover succeeds, yet %s was reached", c.Reason)
		}
	}
	if !strings.Contains(strings.Join(r.Coverage.Edges.NotCovered, "\n"), "-resume->") {
		t.Errorf("resume edge should be uncovered: %v", r.Coverage.Edges.NotCovered)
	}
}

func TestRegexpSample(t *testing.T) {
	for _, src := range []string{`(?i)\bcharged? twice\b`, `^[A-Z]{2}-\d{4}$`, `(foo|bar)+baz`, `\w+@\w+\.com`, `x*`} {
		s, ok := RegexpSample(regexpMust(t, src))
		if !ok {
			t.Errorf("RegexpSample(%s) = %q does not match", src, s)
		}
	}
}

func regexpMust(t *testing.T, s string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
