package flow_test

import (
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// TestQueueVerdictWords pins the one sentence and check-queue's report of
// every verdict; grants that could not be read are never reported as "no
// division".
func TestQueueVerdictWords(t *testing.T) {
	hidden := func(n string) (string, bool) { return "Home", n == "Sales EN" }
	rc := flow.ReportContext{Client: `OAuth client "Bot"`, Organization: "Acme", Hidden: hidden}
	tests := []struct {
		name    string
		v       flow.QueueVerdict
		cross   bool
		explain string
		report  string // line, then details joined by " | "
	}{
		{name: "Support EN", v: flow.QueueVerdict{Status: flow.QueueReachable, QueueID: "q1", Division: "Support"},
			explain: `queue "Support EN" is reachable: queue id q1, division "Support"`,
			report:  `"Support EN": reachable: queue id q1, division "Support"`},
		{name: "sales en", v: flow.QueueVerdict{Status: flow.QueueNameMismatch, Similar: []string{"Sales EN", "Sales  EN"}},
			explain: `no queue is named exactly "sales en"; did you mean "Sales EN" or "Sales  EN"? Genesys matches queue names exactly, case and spaces included`,
			report:  `"sales en": no queue has exactly this name; did you mean "Sales EN" (exists in division "Home", not visible to the client) or "Sales  EN"? Genesys matches queue names exactly, case and spaces included`},
		{name: "Sales EN", v: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: "q2", Division: "Home", Granted: []string{"Sales", "Support"}, GrantsKnown: true},
			explain: `queue "Sales EN" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view (granted: Sales, Support); grant the handover role in division "Home" or move the queue`,
			report:  `"Sales EN": exists (queue id q2) in division "Home", where OAuth client "Bot" has no role granting routing:queue:view | granted divisions: Sales, Support | fix: grant OAuth client "Bot" a role with routing:queue:view (e.g. the handover role) in division "Home", or move the queue to a granted division`},
		{name: "Sales EN", v: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: "q2", Division: "Home", GrantsKnown: true},
			explain: `queue "Sales EN" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view (granted: no division); grant the handover role in division "Home" or move the queue`,
			report:  `"Sales EN": exists (queue id q2) in division "Home", where OAuth client "Bot" has no role granting routing:queue:view | granted divisions: no division | fix: grant OAuth client "Bot" a role with routing:queue:view (e.g. the handover role) in division "Home", or move the queue to a granted division`},
		{name: "Sales EN", v: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: "q2", Division: "Home"},
			explain: `queue "Sales EN" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view; grant the handover role in division "Home" or move the queue`,
			report:  `"Sales EN": exists (queue id q2) in division "Home", where OAuth client "Bot" has no role granting routing:queue:view | fix: grant OAuth client "Bot" a role with routing:queue:view (e.g. the handover role) in division "Home", or move the queue to a granted division`},
		{name: "Billng", v: flow.QueueVerdict{Status: flow.QueueNotFound, Similar: []string{"Billing", "Sales EN"}}, cross: true,
			explain: `no queue named "Billng" exists or is visible to OAuth client "Bot"; similar: "Billing" or "Sales EN"`,
			report:  `"Billng": not found: no queue of this name exists in organization "Acme"; near misses: "Billing", "Sales EN" (exists in division "Home", not visible to the client)`},
		{name: "Nope", v: flow.QueueVerdict{Status: flow.QueueNotFound},
			explain: `no queue named "Nope" exists or is visible to OAuth client "Bot"`,
			report:  `"Nope": not found: no queue of this name is visible to OAuth client "Bot"`},
	}
	for _, tt := range tests {
		if got := tt.v.Explain(tt.name, `OAuth client "Bot"`); got != tt.explain {
			t.Errorf("Explain(%q)\n got %s\nwant %s", tt.name, got, tt.explain)
		}
		c := rc
		c.CrossDivision = tt.cross
		line, details := tt.v.Describe(tt.name, c)
		if got := strings.Join(append([]string{line}, details...), " | "); got != tt.report {
			t.Errorf("Describe(%q)\n got %s\nwant %s", tt.name, got, tt.report)
		}
	}
	if got := (flow.QueueVerdict{Status: flow.QueueNotFound}).Explain("X", ""); got != `no queue named "X" exists or is visible to the OAuth client` {
		t.Errorf("without a client name: %s", got)
	}
}
