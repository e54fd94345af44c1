package serve

import (
	"fmt"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/simulate"
)

// party is a participant written "purpose:state[:disconnectType][@queue][=name]",
// with id "pN" from its place in the list.
func snapshot(parties ...string) *genesys.MessageConversation {
	c := &genesys.MessageConversation{ID: "c1"}
	for i, s := range parties {
		p := genesys.MessageParticipant{ID: fmt.Sprintf("p%d", i)}
		if rest, name, ok := strings.Cut(s, "="); ok {
			s, p.Name = rest, name
		}
		if rest, q, ok := strings.Cut(s, "@"); ok {
			s, p.Queue = rest, &genesys.EntityRef{ID: "q-" + q, Name: q}
		}
		f := strings.Split(s, ":")
		p.Purpose, p.State = f[0], f[1]
		if len(f) > 2 {
			p.DisconnectType = f[2]
		}
		if p.State != "alerting" && p.DisconnectType != "transfer.noanswer" { // an offer not answered never connected
			p.ConnectedTime = "2026-01-02T03:04:05.000Z"
		}
		c.Participants = append(c.Participants, p)
	}
	return c
}

// says writes signals as "join Alice@Q", "transfer Q", "to Bob", "text",
// "ended", "expired".
func says(sig []agentSignal) string {
	var out []string
	for _, s := range sig {
		switch s.kind {
		case signalJoin:
			out = append(out, "join "+s.agent+"@"+s.queue)
		case signalTransfer:
			out = append(out, "transfer "+s.queue)
		case signalAgentTransfer:
			out = append(out, "to "+s.agent)
		case signalDisconnect:
			out = append(out, "ended")
		case signalExpired:
			out = append(out, "expired")
		case signalText:
			out = append(out, "text")
		}
	}
	return strings.Join(out, ", ")
}

func TestDiffConversation(t *testing.T) {
	const (
		cust    = "customer:connected"
		custOff = "customer:disconnected:peer"
		flow    = "workflow:connected"
		flowOff = "workflow:disconnected:transfer"
		billing = "acd:connected@Billing"
		billOff = "acd:disconnected:transfer@Billing"
		alice   = "agent:connected@Billing=Alice"
		aliceX  = "agent:disconnected:transfer@Billing=Alice"
	)
	tests := []struct {
		name      string
		prev, cur *genesys.MessageConversation
		want      string
	}{
		{"nothing seen yet, no participant", nil, snapshot(), ""},
		{"the inbound flow holds it", nil, snapshot(cust, flow), ""},
		{"the handover's own queue", snapshot(cust, flow), snapshot(cust, flowOff, billing), ""},
		{"the same snapshot again", snapshot(cust, flowOff, billing), snapshot(cust, flowOff, billing), ""},
		{"an agent is offered it", snapshot(cust, flowOff, billing), snapshot(cust, flowOff, billOff, "agent:alerting@Billing=Alice"), ""},
		{"the agent answers", snapshot(cust, flowOff, billOff, "agent:alerting@Billing=Alice"), snapshot(cust, flowOff, billOff, alice), "join Alice@Billing"},
		{"an agent joined (first snapshot)", nil, snapshot(cust, flowOff, billOff, alice), "join Alice@Billing"},
		{"the agent's name from its user", snapshot(cust, flowOff, billing), &genesys.MessageConversation{Participants: []genesys.MessageParticipant{
			{ID: "p0", Purpose: "customer", State: "connected"}, {ID: "p1", Purpose: "acd", State: "disconnected", DisconnectType: "transfer"},
			{ID: "p3", Purpose: "agent", State: "connected", User: &genesys.EntityRef{ID: "u1", Name: "Dana"}, Queue: &genesys.EntityRef{ID: "q-Billing"}},
		}}, "join Dana@"},
		{"an offer not answered", snapshot(cust, flowOff, billOff, "agent:alerting@Billing=Alice"), snapshot(cust, flowOff, billOff, "agent:disconnected:transfer.noanswer@Billing=Alice", "agent:alerting@Billing=Bob"), ""},
		{"a transfer to a queue", snapshot(cust, flowOff, billOff, alice), snapshot(cust, flowOff, billOff, aliceX, "acd:connected@Support"), "transfer Support"},
		{"a transfer to another agent", snapshot(cust, flowOff, billOff, alice), snapshot(cust, flowOff, billOff, aliceX, "agent:connected@Billing=Bob"), "to Bob, join Bob@Billing"},
		{"a transfer to an agent, not answered yet", snapshot(cust, flowOff, billOff, alice), snapshot(cust, flowOff, billOff, aliceX, "agent:alerting=Bob"), "to Bob"},
		{"the agent ends it", snapshot(cust, flowOff, billOff, alice), snapshot(custOff, flowOff, billOff, "agent:disconnected:client@Billing=Alice"), "ended"},
		{"the agent ends it, the customer stays", snapshot(cust, flowOff, billOff, alice), snapshot(cust, flowOff, billOff, "agent:disconnected:client@Billing=Alice"), "ended"},
		{"the agent's end as endpoint", snapshot(cust, flowOff, billOff, alice), snapshot(custOff, flowOff, billOff, "agent:disconnected:endpoint@Billing=Alice"), "ended"},
		{"Genesys times it out with the agent", snapshot(cust, flowOff, billOff, alice), snapshot("customer:disconnected:timeout", flowOff, billOff, "agent:disconnected:timeout@Billing=Alice"), "expired"},
		{"Genesys's inactivity", snapshot(cust, flowOff, billOff, alice), snapshot(cust, flowOff, billOff, "agent:disconnected:inactivity@Billing=Alice"), "expired"},
		{"a system end", snapshot(cust, flowOff, billOff, alice), snapshot(cust, flowOff, billOff, "agent:disconnected:system@Billing=Alice"), "expired"},
		{"Genesys times it out in the queue", snapshot(cust, flowOff, billing), snapshot("customer:disconnected:timeout", flowOff, "acd:disconnected:timeout@Billing"), "expired"},
		{"Genesys times it out after a transfer", snapshot(cust, flowOff, billOff, aliceX, "acd:connected@Support"), snapshot(custOff, flowOff, billOff, aliceX, "acd:disconnected:timeout@Support"), "expired"},
		// Missed snapshots (polling): what happened in between, in order.
		{"join and end at once", snapshot(cust, flowOff, billing), snapshot(custOff, flowOff, billOff, "agent:disconnected:client@Billing=Alice"), "join Alice@Billing, ended"},
		{"join, transfer, join again", snapshot(cust, flowOff, billing), snapshot(cust, flowOff, billOff, aliceX, "acd:disconnected:transfer@Support", "agent:connected@Support=Bob"), "join Alice@Billing, transfer Support, join Bob@Support"},
		{"join, transfer to an agent, end", snapshot(cust, flowOff, billing), snapshot(custOff, flowOff, billOff, aliceX, "agent:disconnected:client@Billing=Bob"), "join Alice@Billing, to Bob, join Bob@Billing, ended"},
		{"an end already seen", snapshot(custOff, flowOff, billOff, "agent:disconnected:client@Billing=Alice"), snapshot(custOff, flowOff, billOff, "agent:disconnected:client@Billing=Alice"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := says(diffConversation(tt.prev, tt.cur)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewerSnapshot(t *testing.T) {
	a := snapshot("customer:connected", "acd:connected@Q")
	b := snapshot("customer:connected", "acd:disconnected:transfer@Q", "agent:alerting@Q=Al")
	c := snapshot("customer:connected", "acd:disconnected:transfer@Q", "agent:connected@Q=Al")
	if !newer(nil, a) || !newer(a, b) || !newer(b, c) || newer(c, b) || newer(c, c) || newer(b, a) {
		t.Fatal("snapshots not ordered by their progress")
	}
	if connectedAgent(c) != "Al" || connectedAgent(b) != "" || customerGone(c) || !customerGone(snapshot("customer:disconnected:peer")) {
		t.Fatal("connectedAgent or customerGone")
	}
}

func TestEventsFor(t *testing.T) {
	tests := []struct {
		sig   agentSignal
		owner string
		want  string
	}{
		{agentSignal{kind: signalText, text: "hi"}, "queued", "join, say hi"},
		{agentSignal{kind: signalText, text: "hi"}, "agent", "say hi"},
		{agentSignal{kind: signalJoin}, "queued", "join"},
		{agentSignal{kind: signalJoin}, "agent", ""},
		{agentSignal{kind: signalTransfer, queue: "Q"}, "agent", "transfer Q"},
		{agentSignal{kind: signalTransfer, queue: "Q"}, "queued", ""},
		{agentSignal{kind: signalTransfer}, "agent", ""},
		{agentSignal{kind: signalAgentTransfer, agent: "Bob"}, "agent", "transfer-to-agent Bob"},
		{agentSignal{kind: signalAgentTransfer, agent: "Bob"}, "queued", ""},
		{agentSignal{kind: signalAgentTransfer}, "agent", ""},
		{agentSignal{kind: signalDisconnect}, "agent", "close"},
		{agentSignal{kind: signalDisconnect}, "queued", "join, close"},
		{agentSignal{kind: signalExpired}, "queued", "timeout"},
		{agentSignal{kind: signalExpired}, "agent", "timeout"},
		{agentSignal{kind: signalExpired}, "bot", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, ev := range eventsFor(tt.sig, simulateOwner(tt.owner)) {
			got = append(got, ev.String())
		}
		if g := strings.Join(got, ", "); g != tt.want {
			t.Errorf("%+v while %s: %q, want %q", tt.sig, tt.owner, g, tt.want)
		}
	}
}

func simulateOwner(s string) simulate.Owner { return simulate.Owner(s) }
