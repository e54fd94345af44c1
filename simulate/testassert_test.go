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
