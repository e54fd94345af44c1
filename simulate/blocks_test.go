package simulate

import (
	"math"
	"regexp"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

const blocksFlow = `version: 1
name: blocks
start: main
intents:
  billing: { keywords: [invoice, "credit note"], patterns: ['(?i)\bcharged? twice\b'] }
  agent:   { keywords: [agent], examples: ["I want to talk to someone!"] }
flows:
  main:
    start: init
    blocks:
      - id: init
        type: set
        memory: { tries: 0, plan: '"gold"' }
        next: menu
      - id: menu
        type: say
        text: ["Hello", "Pick one"]
        quickReplies: [Billing, Agent]
        reprompt: ["Say billing or agent", "Last chance: billing or agent"]
        input: true
        outputs:
          - when: nlu.intent == "billing"
            next: age
          - when: nlu.intent == "agent" && nlu.score == 1
            next: go
      - id: age
        type: ask
        text: "How old are you?"
        variable: age
        entity: number
        retry: "A number, please."
        outputs:
          - when: memory.age >= 18
            next: mail
          - next: young
      - id: young
        type: end
        text: "Too young ({memory.age})"
      - id: mail
        type: ask
        text: "Email?"
        variable: email
        entity: email
        next: go
      - id: go
        type: transfer
        flow: other
        carry: [email]
  other:
    start: o1
    blocks:
      - id: o1
        type: say
        text: "email={memory.email} plan={memory.plan} age={memory.age}"
`

func TestBlocks(t *testing.T) {
	p := load(t, blocksFlow)
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"reprompts in turn, then the last again", []string{"what?", "eh", "hmm", "agent"},
			"bot: Hello\nbot: Pick one  [Billing | Agent]\nuser: what?\nbot: Say billing or agent  [Billing | Agent]\nuser: eh\nbot: Last chance: billing or agent  [Billing | Agent]\n" +
				"user: hmm\nbot: Last chance: billing or agent  [Billing | Agent]\nuser: agent\n* transfer to flow \"other\"\nbot: email= plan= age=\n* session closed: end-of-flow"},
		{"example ignores case and punctuation", []string{"i want to talk, to someone"},
			"bot: Hello\nbot: Pick one  [Billing | Agent]\nuser: i want to talk, to someone\n* transfer to flow \"other\"\nbot: email= plan= age=\n* session closed: end-of-flow"},
		{"ask retries until valid, outputs use the value", []string{"I was charged twice", "dunno", "I am 15"},
			"bot: Hello\nbot: Pick one  [Billing | Agent]\nuser: I was charged twice\nbot: How old are you?\nuser: dunno\nbot: A number, please.\nuser: I am 15\nbot: Too young (15)\n* session closed: end-of-flow"},
		{"transfer keeps only carried memory", []string{"my invoice", "42", "Ann@Example.com"},
			"bot: Hello\nbot: Pick one  [Billing | Agent]\nuser: my invoice\nbot: How old are you?\nuser: 42\nbot: Email?\nuser: Ann@Example.com\n* transfer to flow \"other\"\nbot: email=ann@example.com plan= age=\n* session closed: end-of-flow"},
		{"multi-word keyword as whole words", []string{"a credit note please", "30", "not an email", "x@y.io"},
			"bot: Hello\nbot: Pick one  [Billing | Agent]\nuser: a credit note please\nbot: How old are you?\nuser: 30\nbot: Email?\nuser: not an email\nbot: Email?\nuser: x@y.io\n* transfer to flow \"other\"\nbot: email=x@y.io plan= age=\n* session closed: end-of-flow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := start(t, p, Options{})
			for _, l := range tt.lines {
				r.say(l)
			}
			if got := r.transcript(); got != tt.want {
				t.Errorf("transcript:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestRecogniser(t *testing.T) {
	intents := []*flow.Intent{
		{Name: "billing", Keywords: []string{"bill", "refund"}, Patterns: []*regexp.Regexp{regexp.MustCompile(`(?i)\bcharged? twice\b`)}},
		{Name: "agent", Keywords: []string{"agent", "human"}, Examples: []string{"I want to talk to someone"}},
		{Name: "greeting", Keywords: []string{"hi"}, Examples: []string{"Good morning!"}},
	}
	r := NewRecogniser(intents)
	tests := []struct {
		msg, intent string
	}{
		{"I need a refund", "billing"},
		{"REFUND", "billing"},
		{"billing", ""}, // keywords are whole words: "bill" is not in "billing"
		{"you charged me twice?", ""},
		{"you Charged twice", "billing"},
		{"i want to talk to someone.", "agent"},
		{"I want to talk to someone now", ""}, // examples match the whole message
		{"human or agent, and a refund", "billing"},
		{"good   MORNING", "greeting"},
		{"hi-fi agent", "agent"},
		{"this", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := r.Recognise(tt.msg)
		wantScore := 0.0
		if tt.intent != "" {
			wantScore = 1
		}
		if got.Intent != tt.intent || got.Score != wantScore {
			t.Errorf("Recognise(%q) = %+v, want %q score %v", tt.msg, got, tt.intent, wantScore)
		}
	}
}

func TestEntity(t *testing.T) {
	re := regexp.MustCompile(`[A-Z]{2}-\d{4}`)
	tests := []struct {
		entity string
		reply  string
		want   any // nil: not valid
	}{
		{"any", "  Ann ", "Ann"},
		{"any", "   ", nil},
		{"", "x", "x"},
		{"number", "I am 42", 42},
		{"number", "3,5 kg", 3.5},
		{"number", "-7", -7},
		{"number", "none", nil},
		{"number", "1,000 please", 1000},
		{"number", "about 12,345.5 euros", 12345.5},
		{"number", "1,000,000", 1000000},
		{"number", "1,5000", 1.5},
		{"number", "3,50 and 2", 3.5},
		{"number", ".5", 0.5},
		{"number", "about -.25 of it", -0.25},
		{"number", "2.0", 2.0},
		{"number", "v1.2.3", 1.2},
		{"number", "9999999999999999", 9999999999999999},
		{"number", "-9223372036854775808", math.MinInt64},
		{"number", "9223372036854775808", nil}, // beyond int64
		{"number", "1234567890.1234567", nil},  // 17 significant digits
		{"number", "0.000123456789012345", 0.000123456789012345},
		{"email", "mail me at Ann.Lee@Example.co.uk!", "ann.lee@example.co.uk"},
		{"email", "ann at example", nil},
		{"phone", "call +44 (20) 7946-0958", "+442079460958"},
		{"phone", "12 34", nil},
		{"phone", "555-1234 or 555-9876", "5551234"},
		{"phone", "+1 555 123 4567, +1 555 765 4321", "+15551234567"},
		{"yes_no", "Yes please", true},
		{"yes_no", "nope", false},
		{"yes_no", "yes and no", nil},
		{"yes_no", "maybe", nil},
		{"pattern", "order AB-1234 is late", "AB-1234"},
		{"pattern", "order 1234", nil},
	}
	for _, tt := range tests {
		b := &flow.Block{Type: flow.TypeAsk, Entity: tt.entity}
		if tt.entity == "pattern" {
			b.Pattern = re
		}
		got, ok := Entity(b, tt.reply)
		if tt.want == nil {
			if ok {
				t.Errorf("Entity(%s, %q) = %v, want invalid", tt.entity, tt.reply, got)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("Entity(%s, %q) = %v %v, want %v", tt.entity, tt.reply, got, ok, tt.want)
		}
	}
}
