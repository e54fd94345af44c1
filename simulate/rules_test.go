package simulate

import (
	"slices"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// semFlow is the flow the §5 rule tests run; %RESUME% and %ONERROR% are
// replaced per case.
const semFlow = `version: 1
name: semantics
session: { maxInactivity: 10m }
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
          - next: echo
      - id: echo
        type: say
        text: "You said {input}"
        next: greet
      - id: handover
        type: redirect
        queue: "Billing Support"
        commands:
          SetExternalSessionAttributes: { topic: "{nlu.intent}", said: "{input}" }
%EXTRA%
      - id: after
        type: say
        text: "Welcome back"
        input: true
        next: bye
      - id: bye
        type: end
        text: "Bye"
      - id: sorry
        type: say
        text: "Sorry"
        next: bye
`

const (
	withResume  = "        resume: true\n        next: after\n        onError: sorry"
	noResume    = "        onError: sorry"
	noErrorPath = "        resume: true\n        next: after"
)

// denyAll is a resolver for which no queue exists.
type denyAll struct{}

func (denyAll) ResolveQueue(string) Resolution {
	return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound, CrossDivision: true}}
}

// TestRules writes the conversation rules of spec §5 and the integration
// guide as tests: each script runs against the semantics flow and must give
// exactly the transcript and the final state.
func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		extra    string
		resolver QueueResolver
		script   string // one simulate line per line
		want     string // transcript, command events left out
		owner    Owner
		reason   string
	}{
		{
			name:   "inactivity closes while the bot waits",
			extra:  withResume,
			script: "/wait 10m",
			want:   "bot: Hi\n* 10m pass\n* session closed: inactivity",
			owner:  OwnerClosed, reason: flow.ReasonInactivity,
		},
		{
			name:   "no closure before maxInactivity",
			extra:  withResume,
			script: "/wait 9m59s",
			want:   "bot: Hi\n* 9m59s pass",
			owner:  OwnerBot,
		},
		{
			name:   "each user message restarts the timer",
			extra:  withResume,
			script: "/wait 9m\nhello\n/wait 9m\nhello again\n/wait 9m",
			want:   "bot: Hi\n* 9m pass\nuser: hello\nbot: You said hello\nbot: Hi\n* 9m pass\nuser: hello again\nbot: You said hello again\nbot: Hi\n* 9m pass",
			owner:  OwnerBot,
		},
		{
			name:   "the timer counts from the last message",
			extra:  withResume,
			script: "/wait 9m\nhello\n/wait 10m",
			want:   "bot: Hi\n* 9m pass\nuser: hello\nbot: You said hello\nbot: Hi\n* 10m pass\n* session closed: inactivity",
			owner:  OwnerClosed, reason: flow.ReasonInactivity,
		},
		{
			name:   "no inactivity while queued",
			extra:  withResume,
			script: "agent please\n/wait 5h",
			want:   "bot: Hi\nuser: agent please\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent please\"; waiting for an agent\n* 5h pass",
			owner:  OwnerQueued,
		},
		{
			name:   "no inactivity while an agent has the chat",
			extra:  withResume,
			script: "agent please\n/agent join\n/wait 24h",
			want:   "bot: Hi\nuser: agent please\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent please\"; waiting for an agent\n* agent joined from queue \"Billing Support\"\n* 24h pass",
			owner:  OwnerAgent,
		},
		{
			name:  "resume continues right after the redirect with a fresh timer",
			extra: withResume,
			// 9m before the handover and 5m with the agent: a timer kept from
			// before, or counted from the handover or the join, would fire
			// before 10m after the resume.
			script: "/wait 9m\nagent please\n/wait 3m\n/agent join\n/wait 5m\n/agent close\n/wait 9m\n/wait 1m",
			want: "bot: Hi\n* 9m pass\nuser: agent please\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent please\"; waiting for an agent\n" +
				"* 3m pass\n* agent joined from queue \"Billing Support\"\n* 5m pass\n* agent closed the conversation\n* bot resumes at main/after\nbot: Welcome back\n* 9m pass\n* 1m pass\n* session closed: inactivity",
			owner: OwnerClosed, reason: flow.ReasonInactivity,
		},
		{
			name:   "without resume the agent's close ends the session",
			extra:  noResume,
			script: "agent\n/agent join\n/agent close",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"* agent joined from queue \"Billing Support\"\n* agent closed the conversation\n* session closed: agent",
			owner: OwnerClosed, reason: flow.ReasonAgent,
		},
		{
			name:   "a Genesys timeout ends the session without resume",
			extra:  withResume,
			script: "agent\n/agent join\n/agent timeout",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"* agent joined from queue \"Billing Support\"\n* session closed: genesys-timeout",
			owner: OwnerClosed, reason: flow.ReasonGenesysTimeout,
		},
		{
			name:   "a Genesys timeout while still queued",
			extra:  withResume,
			script: "agent\n/agent timeout",
			want:   "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n* session closed: genesys-timeout",
			owner:  OwnerClosed, reason: flow.ReasonGenesysTimeout,
		},
		{
			name:   "a transfer keeps the chat with Genesys",
			extra:  withResume,
			script: "agent\n/agent join\n/agent transfer Support EN\n/wait 2h\nstill there?\n/agent join\n/agent close",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"* agent joined from queue \"Billing Support\"\n* agent transferred the chat to queue \"Support EN\"; waiting for an agent\n* 2h pass\n" +
				"user: still there?  (to Genesys)\n* agent joined from queue \"Support EN\"\n* agent received \"still there?\"\n* agent closed the conversation\n* bot resumes at main/after\nbot: Welcome back",
			owner: OwnerBot,
		},
		{
			name:   "a transfer to another agent waits for that agent, with the user's messages",
			extra:  withResume,
			script: "agent\n/agent join\n/agent transfer-to-agent Bob Builder\n/wait 2h\nstill there?\n/agent join\n/agent say Bob here\n/agent close",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"* agent joined from queue \"Billing Support\"\n* agent transferred the chat to agent \"Bob Builder\"; waiting for them to join\n* 2h pass\n" +
				"user: still there?  (to Genesys)\n* agent \"Bob Builder\" joined from queue \"Billing Support\"\n* agent received \"still there?\"\nagent: Bob here\n" +
				"* agent closed the conversation\n* bot resumes at main/after\nbot: Welcome back",
			owner: OwnerBot,
		},
		{
			name:   "a Genesys timeout while waiting for the other agent",
			extra:  withResume,
			script: "agent\n/agent join\n/agent transfer-to-agent Bob\n/agent timeout",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"* agent joined from queue \"Billing Support\"\n* agent transferred the chat to agent \"Bob\"; waiting for them to join\n* session closed: genesys-timeout",
			owner: OwnerClosed, reason: flow.ReasonGenesysTimeout,
		},
		{
			name:     "a failed handover takes onError",
			extra:    withResume,
			resolver: denyAll{},
			script:   "agent",
			want:     "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" failed: no queue named \"Billing Support\" exists in the organization\nbot: Sorry\nbot: Bye\n* session closed: end-of-flow",
			owner:    OwnerClosed, reason: flow.ReasonEndOfFlow,
		},
		{
			name:     "a failed handover without onError closes handover-failed",
			extra:    noErrorPath,
			resolver: denyAll{},
			script:   "agent",
			want:     "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" failed: no queue named \"Billing Support\" exists in the organization\n* session closed: handover-failed",
			owner:    OwnerClosed, reason: flow.ReasonHandoverFailed,
		},
		{
			name:   "messages during the handover reach the agent in order",
			extra:  withResume,
			script: "agent\none\ntwo\n/agent join\nthree\n/agent say Hi, I am Alice",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"user: one  (to Genesys)\nuser: two  (to Genesys)\n* agent joined from queue \"Billing Support\"\n* agent received \"one\"\n* agent received \"two\"\n" +
				"user: three  (to Genesys)\n* agent received \"three\"\nagent: Hi, I am Alice",
			owner: OwnerAgent,
		},
		{
			name:   "end of flow",
			extra:  withResume,
			script: "agent\n/agent join\n/agent close\nthanks",
			want: "bot: Hi\nuser: agent\n* handover to queue \"Billing Support\" with topic=\"agent\", said=\"agent\"; waiting for an agent\n" +
				"* agent joined from queue \"Billing Support\"\n* agent closed the conversation\n* bot resumes at main/after\nbot: Welcome back\nuser: thanks\nbot: Bye\n* session closed: end-of-flow",
			owner: OwnerClosed, reason: flow.ReasonEndOfFlow,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := load(t, strings.Replace(semFlow, "%EXTRA%", tt.extra, 1))
			r := start(t, p, Options{Resolver: tt.resolver})
			for _, line := range strings.Split(tt.script, "\n") {
				c, err := ParseCommand(line)
				if err != nil {
					t.Fatal(err)
				}
				switch c.Kind {
				case CmdSay:
					r.say(c.Text)
				case CmdWait:
					if err := r.s.Wait(c.Wait); err != nil {
						t.Fatal(err)
					}
				case CmdAgent:
					if err := r.s.Agent(c.Agent); err != nil {
						t.Fatalf("%s: %v", line, err)
					}
				}
			}
			if got := r.transcript(); got != tt.want {
				t.Errorf("transcript:\n%s\nwant:\n%s", got, tt.want)
			}
			r.wantOwner(tt.owner, tt.reason)
		})
	}
}

// TestAttributesAccumulate checks that attributes set by any block
// accumulate on the session, that a later value replaces an earlier one,
// and that a second handover after a resume carries them all.
func TestAttributesAccumulate(t *testing.T) {
	p := load(t, `version: 1
name: attrs
intents:
  agent: { keywords: [agent] }
flows:
  main:
    start: greet
    blocks:
      - id: greet
        type: say
        text: "Hi"
        commands:
          SetExternalSessionAttributes: { channel: web, topic: early }
        input: true
        outputs:
          - when: nlu.intent == "agent"
            next: handover
          - next: greet
      - id: handover
        type: redirect
        queue: "Billing Support"
        resume: true
        commands:
          SetExternalSessionAttributes: { topic: "{nlu.intent}", said: "{input}" }
        next: after
      - id: after
        type: say
        text: "Welcome back"
        input: true
        outputs:
          - when: nlu.intent == "agent"
            next: again
          - next: after
      - id: again
        type: set
        commands:
          SetExternalSessionAttributes: { round: "2" }
        next: handover
`)
	r := start(t, p, Options{})
	r.say("agent please")
	r.agent(AgentJoin, "")
	r.agent(AgentClose, "")
	r.say("agent again")
	var handovers [][]Attribute
	for _, e := range r.events {
		if e.Kind == EventHandover {
			handovers = append(handovers, e.Attributes)
		}
	}
	want := [][]Attribute{
		{{"channel", "web"}, {"topic", "agent"}, {"said", "agent please"}},
		{{"channel", "web"}, {"topic", "agent"}, {"said", "agent again"}, {"round", "2"}},
	}
	if !slices.EqualFunc(handovers, want, slices.Equal) {
		t.Errorf("handover attributes = %v, want %v", handovers, want)
	}
	if st := r.s.State(); !slices.Equal(st.Attributes, want[1]) {
		t.Errorf("session attributes = %v, want %v", st.Attributes, want[1])
	}
}

// TestBadEvents checks that events the state does not allow are errors and
// change nothing.
func TestBadEvents(t *testing.T) {
	p := load(t, strings.Replace(semFlow, "%EXTRA%", withResume, 1))
	tests := []struct {
		name   string
		before []string
		ev     AgentEvent
		want   string
	}{
		{"join while the bot owns the chat", nil, AgentEvent{Action: AgentJoin}, "the bot owns the chat"},
		{"say before an agent joined", []string{"agent"}, AgentEvent{Action: AgentSay, Text: "hi"}, "no agent has joined"},
		{"close before an agent joined", []string{"agent"}, AgentEvent{Action: AgentClose}, "no agent has joined"},
		{"transfer before an agent joined", []string{"agent"}, AgentEvent{Action: AgentTransfer, Queue: "X"}, "no agent has joined"},
		{"transfer to an agent before an agent joined", []string{"agent"}, AgentEvent{Action: AgentTransferToAgent, Agent: "Bob"}, "no agent has joined"},
		{"transfer to an agent while the bot owns the chat", nil, AgentEvent{Action: AgentTransferToAgent, Agent: "Bob"}, "the bot owns the chat"},
		{"transfer to an agent without a name", []string{"agent", "/agent join"}, AgentEvent{Action: AgentTransferToAgent, Agent: " "}, "needs the name of the agent"},
		{"second join", []string{"agent", "/agent join"}, AgentEvent{Action: AgentJoin}, "already has the chat"},
		{"after closure", []string{"/wait 10m"}, AgentEvent{Action: AgentTimeout}, "the session is closed (inactivity)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := start(t, p, Options{})
			for _, line := range tt.before {
				c, _ := ParseCommand(line)
				switch c.Kind {
				case CmdSay:
					r.say(c.Text)
				case CmdAgent:
					r.agent(c.Agent.Action, "")
				case CmdWait:
					_ = r.s.Wait(c.Wait)
				}
			}
			before := r.s.State()
			n := len(r.events)
			err := r.s.Agent(tt.ev)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if after := r.s.State(); after.Owner != before.Owner || len(r.events) != n {
				t.Errorf("state changed: %s -> %s, %d new events", before.Owner, after.Owner, len(r.events)-n)
			}
		})
	}
	r := start(t, p, Options{})
	_ = r.s.Wait(10 * 60e9)
	if err := r.s.Say("hello?"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("say after closure: err = %v", err)
	}
}

// TestResumeClearsInput checks that the bot resumes with no last user
// message: input and nlu are empty until the user speaks again, so a block
// right after the redirect does not route on the message that asked for an
// agent (which would hand the chat straight back).
func TestResumeClearsInput(t *testing.T) {
	p := load(t, `version: 1
name: resume
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
          - next: greet
      - id: handover
        type: redirect
        queue: "Billing Support"
        resume: true
        next: back
      - id: back
        type: say
        text: "Back; you said [{input}], intent [{nlu.intent}], score {nlu.score}"
        outputs:
          - when: nlu.intent == "agent"
            next: handover
          - next: greet
`)
	r := start(t, p, Options{})
	r.say("agent please")
	r.agent(AgentJoin, "")
	r.say("thanks")
	r.agent(AgentClose, "")
	want := "bot: Hi\nuser: agent please\n* handover to queue \"Billing Support\"; waiting for an agent\n* agent joined from queue \"Billing Support\"\n" +
		"user: thanks  (to Genesys)\n* agent received \"thanks\"\n* agent closed the conversation\n* bot resumes at main/back\n" +
		"bot: Back; you said [], intent [], score 0\nbot: Hi"
	if got := r.transcript(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
	r.wantOwner(OwnerBot, "")
}
