package genesystest

import (
	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys/org"
)

// AcmeNames are queue names looked up in Acme, one of each verdict.
var AcmeNames = []string{"Billing Support", "Support EN", "Sales EN", "billing  support", "Billng Support", "Nope", "sales en", "Escalation"}

// AcmeVerdicts are the verdicts of AcmeNames for Acme's bot client, online
// or from the org file: every division is searched.
func AcmeVerdicts(o *org.File) map[string]flow.QueueVerdict {
	granted := []string{"Sales", "Support"}
	vs := map[string]flow.QueueVerdict{
		"Billing Support":  {Status: flow.QueueReachable, QueueID: o.Queue("Billing Support").ID, Division: "Sales", Granted: granted, GrantsKnown: true},
		"Support EN":       {Status: flow.QueueReachable, QueueID: o.Queue("Support EN").ID, Division: "Support", Granted: granted, GrantsKnown: true},
		"Sales EN":         {Status: flow.QueueDivisionNotPermitted, QueueID: o.Queue("Sales EN").ID, Division: "Home", Granted: granted, GrantsKnown: true},
		"billing  support": {Status: flow.QueueNameMismatch, Similar: []string{"Billing Support"}, Granted: granted, GrantsKnown: true},
		"Billng Support":   {Status: flow.QueueNotFound, Similar: []string{"Billing Support"}, Granted: granted, GrantsKnown: true},
		"Nope":             {Status: flow.QueueNotFound, Granted: granted, GrantsKnown: true},
		// Near misses in a division the client cannot see count too, and
		// say where they are.
		"sales en":   {Status: flow.QueueNameMismatch, Similar: []string{"Sales EN"}, Granted: granted, GrantsKnown: true, Hidden: map[string]string{"Sales EN": "Home"}},
		"Escalation": {Status: flow.QueueNotFound, Similar: []string{"Escalations"}, Granted: granted, GrantsKnown: true, Hidden: map[string]string{"Escalations": "Home"}},
	}
	for n, v := range vs {
		v.CrossDivision = true
		vs[n] = v
	}
	return vs
}
