package simulate

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// assertFlow shows quick replies, keeps values in memory and hands over to
// a queue that exists or, when the user asks for "vip", to one that does
// not (its onError then says sorry).
const assertFlow = `version: 1
name: t
intents:
  agent: { keywords: [agent] }
  vip: { keywords: [vip] }
flows:
  main:
    start: menu
    blocks:
      - id: menu
        type: say
        text: "Pick one"
        quickReplies: [Billing, "Agent {memory.n ?? 0}"]
        input: true
        outputs:
          - { when: nlu.intent == "agent", next: age }
          - { when: nlu.intent == "vip", next: vip }
          - { next: bye }
      - { id: age, type: ask, text: "Age?", variable: age, entity: number, next: note }
      - id: note
        type: set
        memory: { name: '"Ann"', tags: '["a", "b"]', n: 'len(input)', gone: null }
        next: handover
      - { id: handover, type: redirect, queue: "Billing Support", resume: true, onError: bye, next: bye }
      - { id: vip, type: redirect, queue: "VIP", onError: sorry }
      - { id: sorry, type: say, text: "Sorry", quickReplies: [Retry], input: true, next: bye }
      - { id: bye, type: end, text: "Bye" }
`

// vipMissing is a resolver for which every queue but "VIP" exists.
type vipMissing struct{}

func (vipMissing) ResolveQueue(name string) Resolution {
	if name == "VIP" {
		return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
	}
	return AllQueues{}.ResolveQueue(name)
}

// TestTestAssertions checks the steps that assert quick replies, memory
// values, failed handovers and transfers to another agent.
func TestTestAssertions(t *testing.T) {
	write := tempWriter(t)
	write("a.flow.yaml", assertFlow)
	head := "flow: a.flow.yaml\norg: any.yaml\nsteps:\n"
	toAgent := head + "  - bot: Pick one\n  - user: agent\n  - bot: Age?\n  - user: '42'\n  - handover: Billing Support\n  - agent: join\n"
	tests := []struct {
		name string
		src  string
		want wantResult
	}{
		{"quick replies", head + "  - bot: { text: Pick one, quickReplies: [Billing, Agent 0] }\n", wantResult{status: StatusPass}},
		{"quick replies with contains", head + "  - bot: { contains: Pick, quickReplies: [Billing, Agent 0] }\n", wantResult{status: StatusPass}},
		{"quick replies alone", head + "  - bot: { quickReplies: [Billing, Agent 0] }\n", wantResult{status: StatusPass}},
		{"quick replies differ", head + "  - bot: { text: Pick one, quickReplies: [Billing] }\n",
			wantResult{StatusFail, 4, "quick replies do not match", "quick replies [Billing]", `quick replies [Billing | Agent 0] with "Pick one"`}},
		{"no quick replies wanted", head + "  - bot: { text: Pick one, quickReplies: [] }\n",
			wantResult{StatusFail, 4, "quick replies do not match", "no quick replies", "quick replies [Billing | Agent 0]"}},
		{"no quick replies shown", head + "  - bot: Pick one\n  - user: agent\n  - bot: { text: 'Age?', quickReplies: [Yes] }\n",
			wantResult{StatusFail, 6, "quick replies do not match", "quick replies [Yes]", `no quick replies with "Age?"`}},
		{"text checked before quick replies", head + "  - bot: { text: Hello, quickReplies: [Billing, Agent 0] }\n",
			wantResult{StatusFail, 4, "does not match", `"Hello" with quick replies [Billing | Agent 0]`, `"Pick one"`}},
		{"memory", toAgent + "  - memory: { age: 42, name: Ann, tags: [a, b], n: 2, gone: null, never: null }\n", wantResult{status: StatusPass}},
		{"memory differs", toAgent + "  - memory: { age: 42, name: Bob }\n",
			wantResult{StatusFail, 10, "memory.name differs", `memory.name = "Bob"`, `memory.name = "Ann"`}},
		{"memory compares numbers exactly", strings.Replace(toAgent, "'42'", "'9007199254740993'", 1) + "  - memory: { age: 9007199254740992 }\n",
			wantResult{StatusFail, 10, "memory.age differs", "memory.age = 9007199254740992", "memory.age = 9007199254740993"}},
		{"memory integer as a float", toAgent + "  - memory: { age: 42.0 }\n", wantResult{status: StatusPass}},
		{"memory type differs", toAgent + "  - memory: { age: '42' }\n",
			wantResult{StatusFail, 10, "memory.age differs", `memory.age = "42"`, "memory.age = 42"}},
		{"memory not set", head + "  - bot: Pick one\n  - memory: { age: 42 }\n",
			wantResult{StatusFail, 5, "memory.age is not set", "memory.age = 42", "memory.age not set"}},
		{"memory set", toAgent + "  - memory: { tags: null }\n",
			wantResult{StatusFail, 10, "memory.tags is set", "memory.tags not set", `memory.tags = ["a","b"]`}},
		{"memory after unconsumed bot messages", head + "  - memory: { age: 42 }\n",
			wantResult{StatusFail, 4, "no bot step consumed", "", `"Pick one"`}},
		{"failed handover", head + "  - bot: Pick one\n  - user: vip\n  - handover: { queue: VIP, failed: true }\n  - bot: { text: Sorry, quickReplies: [Retry] }\n  - user: again\n  - bot: Bye\n  - closed: end-of-flow\n", wantResult{status: StatusPass}},
		{"failed handover after its onError messages", head + "  - bot: Pick one\n  - user: vip\n  - bot: Sorry\n  - handover: { queue: VIP, failed: true }\n", wantResult{status: StatusPass}},
		{"failed handover to another queue", head + "  - bot: Pick one\n  - user: vip\n  - handover: { queue: Gold, failed: true }\n",
			wantResult{StatusFail, 6, "failed handover was to another queue", `a failed handover to queue "Gold"`, `a failed handover to queue "VIP": no queue named "VIP"`}},
		{"no failed handover", toAgent + "  - handover: { queue: Billing Support, failed: true }\n",
			wantResult{StatusFail, 10, "no failed handover to assert", `a failed handover to queue "Billing Support"`, "no failed handover"}},
		{"a failed handover before its onError messages is no handover", head + "  - bot: Pick one\n  - user: vip\n  - handover: VIP\n",
			wantResult{StatusFail, 6, `the handover to queue "VIP" failed`, `handover to queue "VIP"`, `a failed handover to queue "VIP": no queue named "VIP" is visible to the OAuth client (it may exist in a division the client cannot see); then the bot said "Sorry"`}},
		{"onError messages after a checked failed handover", head + "  - bot: Pick one\n  - user: vip\n  - handover: { queue: VIP, failed: true }\n  - handover: VIP\n",
			wantResult{StatusFail, 7, "no bot step consumed", "no more bot messages", `"Sorry"`}},
		{"a failed handover is no handover", head + "  - bot: Pick one\n  - user: vip\n  - bot: Sorry\n  - handover: VIP\n",
			wantResult{StatusFail, 7, "no handover to assert", `handover to queue "VIP"`, `the handover to "VIP" failed`}},
		{"transfer to an agent", toAgent + "  - agent: { transferToAgent: Bob }\n  - user: hello?\n  - agent: join\n  - agent: { say: Bob here }\n  - agent: close\n  - bot: Bye\n  - closed: end-of-flow\n", wantResult{status: StatusPass}},
		{"the chat waits for that agent", toAgent + "  - agent: { transferToAgent: Bob }\n  - agent: { say: too early }\n",
			wantResult{StatusFail, 11, "cannot happen", "agent say too early", `no agent has joined`}},
		{"still waiting for that agent", toAgent + "  - agent: { transferToAgent: Bob }\n  - closed: agent\n",
			wantResult{StatusFail, 11, "still open", "closed: agent", `the chat waits for agent "Bob" to join (queue "Billing Support")`}},
		{"two text matches", head + "  - bot: { text: Pick one, contains: Pick }\n",
			wantResult{StatusError, 4, "bot step matches its text one way: text, contains or matches, not text and contains", "", ""}},
		{"a failed handover with attributes", head + "  - handover: { queue: Q, failed: true, attributes: { a: b } }\n",
			wantResult{StatusError, 4, "a failed handover carries no attributes", "", ""}},
		{"unknown memory form", head + "  - memory: [age]\n", wantResult{StatusError, 4, "memory", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tt.name, " ", "_")+".test.yaml", tt.src)
			checkResult(t, RunSuite([]string{path}, SuiteOptions{Org: func(string) (QueueResolver, error) { return vipMissing{}, nil }})[0], tt.want)
		})
	}
}

// TestRecordingKeepsAssertions records a session with quick replies, a
// failed handover and a transfer to another agent: the recording says so
// and passes.
func TestRecordingKeepsAssertions(t *testing.T) {
	write := tempWriter(t)
	flowPath := write("a.flow.yaml", assertFlow)
	p, err := flow.Load(flowPath)
	if err != nil {
		t.Fatal(err)
	}
	// The VIP handover fails, the user retries; the next session hands over
	// and goes from agent to agent.
	r := start(t, p, Options{Resolver: vipMissing{}})
	r.say("vip")
	r.say("again")
	rec := &Recording{Name: "recorded", Events: r.events}
	rec.SetSource(filepath.Dir(flowPath), flowPath, "", "")
	for _, want := range []string{
		`  - bot: { text: "Pick one", quickReplies: ["Billing", "Agent 0"] }`,
		`  - handover: { queue: "VIP", failed: true }`,
		`  - bot: { text: "Sorry", quickReplies: ["Retry"] }`,
	} {
		if !strings.Contains(string(rec.Bytes()), want+"\n") {
			t.Errorf("recording lacks %s:\n%s", want, rec.Bytes())
		}
	}
	r2 := start(t, p, Options{})
	r2.say("agent")
	r2.say("42")
	r2.agent(AgentJoin, "")
	if err := r2.s.Agent(AgentEvent{Action: AgentTransferToAgent, Agent: `Bob "B" Builder`}); err != nil {
		t.Fatal(err)
	}
	r2.say("hello?")
	r2.agent(AgentJoin, "")
	r2.agent(AgentClose, "")
	rec2 := &Recording{Name: "recorded", Events: r2.events}
	rec2.SetSource(filepath.Dir(flowPath), flowPath, "", "")
	if want := `  - agent: { transferToAgent: "Bob \"B\" Builder" }` + "\n  - user: \"hello?\"\n  - agent: join\n"; !strings.Contains(string(rec2.Bytes()), want) {
		t.Errorf("recording lacks %s:\n%s", want, rec2.Bytes())
	}
	org := func(string) (QueueResolver, error) { return vipMissing{}, nil }
	for i, data := range [][]byte{rec.Bytes(), rec2.Bytes()} {
		src := strings.Replace(string(data), "flow: \"a.flow.yaml\"\n", "flow: \"a.flow.yaml\"\norg: \"any.yaml\"\n", 1)
		path := write("rec"+string(rune('0'+i))+".test.yaml", src)
		if res := RunSuite([]string{path}, SuiteOptions{Org: org}); res[0].Status != StatusPass {
			t.Errorf("recording does not pass: %+v\n%s", res[0].Failure, src)
		}
	}
}

// retryFlow retries a failed handover: VIP fails, then Gold (also missing)
// twice, all in one turn, before the bot gives up.
const retryFlow = `version: 1
name: retry
flows:
  main:
    start: ask
    blocks:
      - { id: ask, type: say, text: "Hi", input: true, next: vip }
      - { id: vip, type: redirect, queue: "VIP", onError: count }
      - { id: count, type: set, memory: { tries: "(memory.tries ?? 0) + 1" }, outputs: [{ when: "memory.tries < 3", next: gold }, { next: sorry }] }
      - { id: gold, type: redirect, queue: "Gold", onError: count }
      - { id: sorry, type: end, text: "Sorry" }
`

// goldVIPMissing is a resolver for which neither "VIP" nor "Gold" exists.
type goldVIPMissing struct{}

func (goldVIPMissing) ResolveQueue(name string) Resolution {
	if name == "Gold" {
		return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
	}
	return vipMissing{}.ResolveQueue(name)
}

// TestFailedHandoversInOrder checks that each failed-handover step asserts
// the next failure in the order they happened, when a flow retries and
// several fail in one turn: one step never consumes them all.
func TestFailedHandoversInOrder(t *testing.T) {
	write := tempWriter(t)
	write("r.flow.yaml", retryFlow)
	head := "flow: r.flow.yaml\norg: any.yaml\nsteps:\n  - bot: Hi\n  - user: help\n"
	failed := func(q string) string { return "  - handover: { queue: " + q + ", failed: true }\n" }
	tail := "  - bot: Sorry\n  - closed: end-of-flow\n"
	tests := []struct {
		name string
		src  string
		want wantResult
	}{
		{"each failure in turn", head + failed("VIP") + failed("Gold") + failed("Gold") + tail, wantResult{status: StatusPass}},
		{"the first failures only", head + failed("VIP") + failed("Gold") + tail, wantResult{status: StatusPass}},
		{"out of order", head + failed("Gold") + failed("VIP") + tail,
			wantResult{StatusFail, 6, "failed handover was to another queue", `a failed handover to queue "Gold"`, `a failed handover to queue "VIP"`}},
		{"one step too many", head + failed("VIP") + failed("Gold") + failed("Gold") + failed("Gold") + tail,
			wantResult{StatusFail, 9, "no failed handover to assert", `a failed handover to queue "Gold"`, "no failed handover since the previous failed-handover step"}},
	}
	org := func(string) (QueueResolver, error) { return goldVIPMissing{}, nil }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tt.name, " ", "_")+".test.yaml", tt.src)
			checkResult(t, RunSuite([]string{path}, SuiteOptions{Org: org})[0], tt.want)
		})
	}
}

// TestFailuresAtTheField checks that a handover or memory step that does
// not hold is reported at the field it concerns: the attribute's key, the
// queue name, the memory key.
func TestFailuresAtTheField(t *testing.T) {
	write := tempWriter(t)
	write("h.flow.yaml", `version: 1
name: h
flows:
  main:
    start: ask
    blocks:
      - { id: ask, type: ask, text: "Name?", variable: name, next: go }
      - id: go
        type: redirect
        queue: Billing Support
        commands:
          SetExternalSessionAttributes: { customerName: "{memory.name}" }
`)
	head := "flow: h.flow.yaml\nsteps:\n  - bot: Name?\n  - user: Ann\n"
	tests := []struct {
		name      string
		step      string
		line, col int
	}{
		{"attribute differs", "  - handover:\n      queue: Billing Support\n      attributes:\n        customerName: Bob\n", 8, 9},
		{"attribute missing", "  - handover: { queue: Billing Support, attributes: { customerName: Ann, a: b } }\n", 5, 74},
		{"queue differs", "  - handover:\n      queue: Sales\n", 6, 14},
		{"queue differs, short form", "  - handover: Sales\n", 5, 15},
		{"memory differs", "  - memory:\n      other: null\n      name: Bob\n", 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tt.name, " ", "_")+".test.yaml", head+tt.step)
			res := RunSuite([]string{path}, SuiteOptions{})[0]
			if res.Status != StatusFail {
				t.Fatalf("status = %s, want fail (%+v)", res.Status, res.Failure)
			}
			if f := res.Failure; f.Line != tt.line || f.Column != tt.col {
				t.Errorf("failure at %d:%d (%s), want %d:%d", f.Line, f.Column, f.Message, tt.line, tt.col)
			}
		})
	}
}
