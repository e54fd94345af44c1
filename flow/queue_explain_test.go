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
	rc := flow.ReportContext{Client: `OAuth client "Bot"`, Hidden: hidden}
	tests := []struct {
		name    string
		v       flow.QueueVerdict
		explain string
		report  string // line, then details joined by " | "
	}{
		{name: "Support EN", v: flow.QueueVerdict{Status: flow.QueueReachable, QueueID: "q1", Division: "Support"},
			explain: `queue "Support EN" is reachable: queue id q1, division "Support"`,
			report:  `"Support EN": reachable: queue id q1, division "Support"`},
		{name: "sales en", v: flow.QueueVerdict{Status: flow.QueueNameMismatch, Similar: []string{"Sales EN", "Sales  EN"}},
			explain: `no queue is named exactly "sales en"; did you mean "Sales EN" or "Sales  EN"? Genesys matches queue names exactly, case and spaces included`,
			report:  `"sales en": no queue is named exactly "sales en"; did you mean "Sales EN" (exists in division "Home", not visible to the client) or "Sales  EN"? Genesys matches queue names exactly, case and spaces included`},
		{name: "Sales EN", v: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: "q2", Division: "Home", Granted: []string{"Sales", "Support"}, GrantsKnown: true},
			explain: `queue "Sales EN" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view (granted: Sales, Support); grant the handover role in division "Home" or move the queue`,
			report:  `"Sales EN": exists (queue id q2) in division "Home", where OAuth client "Bot" has no role granting routing:queue:view | granted divisions: Sales, Support | fix: grant OAuth client "Bot" a role with routing:queue:view (e.g. the handover role) in division "Home", or move the queue to a granted division`},
		{name: "Sales EN", v: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: "q2", Division: "Home", GrantsKnown: true},
			explain: `queue "Sales EN" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view (granted: no division); grant the handover role in division "Home" or move the queue`,
			report:  `"Sales EN": exists (queue id q2) in division "Home", where OAuth client "Bot" has no role granting routing:queue:view | granted divisions: no division | fix: grant OAuth client "Bot" a role with routing:queue:view (e.g. the handover role) in division "Home", or move the queue to a granted division`},
		{name: "Sales EN", v: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: "q2", Division: "Home"},
			explain: `queue "Sales EN" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view; grant the handover role in division "Home" or move the queue`,
			report:  `"Sales EN": exists (queue id q2) in division "Home", where OAuth client "Bot" has no role granting routing:queue:view | fix: grant OAuth client "Bot" a role with routing:queue:view (e.g. the handover role) in division "Home", or move the queue to a granted division`},
		{name: "Billng", v: flow.QueueVerdict{Status: flow.QueueNotFound, Similar: []string{"Billing", "Sales EN"}, CrossDivision: true},
			explain: `no queue named "Billng" exists in the organization; similar: "Billing" or "Sales EN"`,
			report:  `"Billng": no queue named "Billng" exists in the organization; similar: "Billing" or "Sales EN" (exists in division "Home", not visible to the client)`},
		{name: "Nope", v: flow.QueueVerdict{Status: flow.QueueNotFound},
			explain: `no queue named "Nope" is visible to OAuth client "Bot" (it may exist in a division the client cannot see)`,
			report:  `"Nope": no queue named "Nope" is visible to OAuth client "Bot" (it may exist in a division the client cannot see)`},
	}
	for _, tt := range tests {
		if got := tt.v.Explain(tt.name, `OAuth client "Bot"`); got != tt.explain {
			t.Errorf("Explain(%q)\n got %s\nwant %s", tt.name, got, tt.explain)
		}
		line, details := tt.v.Describe(tt.name, rc)
		if got := strings.Join(append([]string{line}, details...), " | "); got != tt.report {
			t.Errorf("Describe(%q)\n got %s\nwant %s", tt.name, got, tt.report)
		}
	}
	if got := (flow.QueueVerdict{Status: flow.QueueNotFound}).Explain("X", ""); got != `no queue named "X" is visible to the OAuth client (it may exist in a division the client cannot see)` {
		t.Errorf("without a client name: %s", got)
	}
}

// TestQueueVerdictOneSentence: validate and check-queue say a verdict on a
// name that matches no queue in the same sentence (check-queue after the
// quoted name), whether or not every division was searched.
func TestQueueVerdictOneSentence(t *testing.T) {
	hidden := map[string]string{"Retail EN": "Home"}
	for _, v := range []flow.QueueVerdict{
		{Status: flow.QueueNotFound, Similar: []string{"Retail Banking", "Retail EN"}, Hidden: hidden, CrossDivision: true},
		{Status: flow.QueueNotFound, Similar: []string{"Retail Banking"}},
		{Status: flow.QueueNotFound, CrossDivision: true},
		{Status: flow.QueueNameMismatch, Similar: []string{"retial banking"}, CrossDivision: true},
	} {
		const name, client = "Retial Banking", `OAuth client "Web bot"`
		line, details := v.Describe(name, flow.ReportContext{Client: client})
		if want := `"Retial Banking": ` + v.Explain(name, client); line != want || details != nil {
			t.Errorf("%+v:\ncheck-queue %s %v\n   validate %s", v, line, details, want)
		}
	}
}
