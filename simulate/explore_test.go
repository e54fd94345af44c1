package simulate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/flowgen"
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
			name: "a redirect's next without resume is no edge to cover",
			src: `version: 1
name: x
flows:
  main:
    start: go
    blocks:
      - { id: go, type: redirect, queue: Q, onError: bye, next: bye }
      - { id: bye, type: end }
`,
			paths: 4, closures: "end-of-flow 1, agent 2, genesys-timeout 1",
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

// TestExploreDerivesInputs checks that explore takes outputs guarded by
// conditions on the user's reply: each flow has a block only a derived
// message (or a quick reply) reaches.
func TestExploreDerivesInputs(t *testing.T) {
	const head = "version: 1\nname: x\nflows:\n  main:\n    start: a\n    blocks:\n"
	tests := []struct {
		name   string
		blocks string
	}{
		{"quick reply compared with memory", `
      - { id: a, type: set, memory: { offer: '"Gold plan"' }, next: offer }
      - { id: offer, type: say, text: "Take the {memory.offer}?", quickReplies: ["{memory.offer}", "No thanks"], input: true, outputs: [{ when: input == memory.offer, next: yes }, { next: no }] }
      - { id: yes, type: end }
      - { id: no, type: end }`},
		{"number below zero", `
      - { id: a, type: ask, text: "Amount?", variable: n, entity: number, outputs: [{ when: memory.n < 0, next: neg }, { when: memory.n == 0, next: zero }, { next: pos }] }
      - { id: neg, type: end }
      - { id: zero, type: end }
      - { id: pos, type: end }`},
		{"number in a range", `
      - { id: a, type: ask, text: "How many?", variable: qty, entity: number, outputs: [{ when: memory.qty > 5 && memory.qty <= 10, next: some }, { when: memory.qty == 3, next: three }, { next: other }] }
      - { id: some, type: end }
      - { id: three, type: end }
      - { id: other, type: end }`},
		{"e-mail domain", `
      - { id: a, type: ask, text: "E-mail?", variable: email, entity: email, outputs: [{ when: 'memory.email endsWith "@vip.example"', next: vip }, { when: 'lower(memory.email) startsWith "admin"', next: admin }, { next: std }] }
      - { id: vip, type: end }
      - { id: admin, type: end }
      - { id: std, type: end }`},
		{"input contains", `
      - { id: a, type: say, text: "Yes?", input: true, outputs: [{ when: 'input contains "refund"', next: refund }, { next: other }] }
      - { id: refund, type: end }
      - { id: other, type: end }`},
		{"in a list", `
      - { id: a, type: ask, text: "Tier?", variable: tier, outputs: [{ when: 'memory.tier in ["gold", "vip"]', next: gold }, { next: free }] }
      - { id: gold, type: end }
      - { id: free, type: end }`},
		{"long input", `
      - { id: a, type: say, text: "Tell me more", input: true, outputs: [{ when: len(input) > 20, next: long }, { next: short }] }
      - { id: long, type: end }
      - { id: short, type: end }`},
		{"matches", `
      - { id: a, type: say, text: "Order number?", input: true, outputs: [{ when: 'input matches "^[A-Z]{2}-\\d{4}$"', next: order }, { next: other }] }
      - { id: order, type: end }
      - { id: other, type: end }`},
		{"phone prefix", `
      - { id: a, type: ask, text: "Phone?", variable: phone, entity: phone, outputs: [{ when: 'memory.phone startsWith "+49"', next: de }, { next: other }] }
      - { id: de, type: end }
      - { id: other, type: end }`},
		{"an earlier ask read after another wait", `
      - { id: a, type: ask, text: "E-mail?", variable: email, entity: email, next: b }
      - { id: b, type: say, text: "Anything else?", input: true, outputs: [{ when: 'memory.email endsWith ".de"', next: de }, { next: other }] }
      - { id: de, type: end }
      - { id: other, type: end }`},
		{"input stored by a set on the way", `
      - { id: a, type: say, text: "What now?", input: true, next: keep }
      - { id: keep, type: set, memory: { last: lower(input) }, next: b }
      - { id: b, type: say, text: "Sure?", input: true, outputs: [{ when: 'memory.last startsWith "cancel"', next: cancel }, { next: other }] }
      - { id: cancel, type: end }
      - { id: other, type: end }`},
		{"a counter past the visit limit", `
      - { id: a, type: set, memory: { tries: '(memory.tries ?? 0) + 1' }, next: q }
      - { id: q, type: say, text: "Try again?", input: true, outputs: [{ when: memory.tries >= 4, next: agent }, { next: a }] }
      - { id: agent, type: end, text: "Let me get someone." }`},
		{"a boolean stored from an ask", `
      - { id: a, type: ask, text: "E-mail?", variable: email, entity: email, next: s }
      - { id: s, type: set, memory: { vip: 'memory.email endsWith "@vip.example"' }, next: b }
      - { id: b, type: say, text: "Thanks.", outputs: [{ when: memory.vip, next: vip }, { next: std }] }
      - { id: vip, type: end }
      - { id: std, type: end }`},
		{"a boolean stored from the message, read after another wait", `
      - { id: a, type: say, text: "Plan?", input: true, next: s }
      - { id: s, type: set, memory: { gold: 'lower(input) contains "gold"', plan: trim(input) }, next: b }
      - { id: b, type: say, text: "Sure?", input: true, outputs: [{ when: not memory.gold, next: std }, { next: gold }] }
      - { id: gold, type: end }
      - { id: std, type: end }`},
		{"a chain of stored values", `
      - { id: a, type: ask, text: "Seats?", variable: n, entity: number, next: s }
      - { id: s, type: set, memory: { big: memory.n == 37 }, next: t }
      - { id: t, type: set, memory: { deal: 'memory.big ? "enterprise" : "team"' }, next: b }
      - { id: b, type: say, text: "Deal: {memory.deal}", outputs: [{ when: 'memory.deal == "enterprise"', next: ent }, { next: team }] }
      - { id: ent, type: end }
      - { id: team, type: end }`},
		{"a literal on the left", `
      - { id: a, type: ask, text: "Temperature?", variable: t, entity: number, outputs: [{ when: -5 >= memory.t, next: cold }, { next: mild }] }
      - { id: cold, type: end }
      - { id: mild, type: end }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exploreCovers(t, load(t, head+strings.TrimPrefix(tt.blocks, "\n")+"\n"))
		})
	}
}

// TestExploreCombinedReplies checks a condition on three earlier replies
// behind blocks that reach more states than the per-block limit: the
// second pass explores the states whose memory decides the conditions in
// a new way.
func TestExploreCombinedReplies(t *testing.T) {
	p := load(t, `version: 1
name: combined
intents:
  agent: { keywords: [agent, human] }
  billing: { keywords: [invoice, bill] }
flows:
  main:
    start: greet
    blocks:
      - { id: greet, type: say, text: "Billing or sales?", quickReplies: [Billing, Sales, Something else], input: true, outputs: [{ when: nlu.intent == "agent", next: handover }, { when: 'input == "Sales"', next: ask_n }, { when: 'input contains "refund"', next: refund }, { next: ask_email }] }
      - { id: refund, type: say, text: "Refunds take 5 days.", next: ask_email }
      - { id: ask_n, type: ask, text: "Seats?", variable: n, entity: number, outputs: [{ when: memory.n < 0, next: bad_n }, { when: memory.n > 100, next: big }, { next: ask_email }] }
      - { id: bad_n, type: say, text: "Not negative.", next: ask_n }
      - { id: big, type: say, text: "Enterprise.", next: ask_email }
      - { id: ask_email, type: ask, text: "E-mail?", variable: email, entity: email, next: ask_tier }
      - { id: ask_tier, type: ask, text: "Plan?", variable: tier, outputs: [{ when: 'memory.tier in ["gold", "vip"]', next: premium }, { next: details }] }
      - { id: premium, type: say, text: "Premium.", next: details }
      - { id: details, type: say, text: "Describe it.", input: true, outputs: [{ when: 'memory.n > 100 && memory.email endsWith "@vip.example" && memory.tier == "gold"', next: vip }, { when: len(input) > 20, next: long }, { next: bye }] }
      - { id: vip, type: say, text: "A VIP agent will help.", next: handover }
      - { id: long, type: say, text: "Thanks for the details.", next: handover }
      - { id: handover, type: redirect, queue: Support, resume: true, onError: bye, next: bye }
      - { id: bye, type: end, text: Bye }
`)
	exploreCovers(t, p)
}

// exploreCovers explores p twice: every block, edge and exit must be
// covered, and both reports must be the same.
func exploreCovers(t *testing.T, p *flow.Project) {
	t.Helper()
	r, err := Explore(t.Context(), p, ExploreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Coverage; !complete(c) {
		t.Errorf("not covered: blocks %v, edges %v, exits %v", c.Blocks.NotCovered, c.Edges.NotCovered, c.Exits.NotCovered)
	}
	r2, _ := Explore(t.Context(), p, ExploreOptions{})
	if fmt.Sprint(r) != fmt.Sprint(r2) {
		t.Errorf("explore is not deterministic")
	}
}

func TestExploreBounds(t *testing.T) {
	p := load(t, string(flowgen.Growing(50)))
	for _, tt := range []struct {
		opts ExploreOptions
		cut  []Cut // which limit cut the walk short
	}{
		{opts: ExploreOptions{MaxDepth: 10}, cut: []Cut{{Limit: CutPath, Max: 10}}},
		{opts: ExploreOptions{MaxStates: 10}, cut: []Cut{{Limit: CutStates, Max: 10}}},
	} {
		r, err := Explore(t.Context(), p, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Truncated || r.States > 10 || !slices.Equal(r.TruncatedBy, tt.cut) {
			t.Errorf("%+v: truncated %v by %v, %d states; want by %v", tt.opts, r.Truncated, r.TruncatedBy, r.States, tt.cut)
		}
	}
	r, err := Explore(t.Context(), p, ExploreOptions{})
	if err != nil || r.Truncated || r.TruncatedBy != nil || r.States != 50 {
		t.Errorf("defaults: %v, truncated %v, %d states", err, r.Truncated, r.States)
	}
}
