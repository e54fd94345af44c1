package genesys_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
	"github.com/flowctl/flowctl/genesys/org"
)

func TestHandOverFailures(t *testing.T) {
	without := func(perm string) func(*org.File) {
		return func(o *org.File) {
			r := o.Role("Bot handover")
			r.Permissions = slices.DeleteFunc(slices.Clone(r.Permissions), func(p string) bool { return p == perm })
		}
	}
	tests := []struct {
		name    string
		queue   string
		change  func(*org.File)
		step    string
		status  flow.QueueStatus
		missing []string
	}{
		{name: "hidden division", queue: "Sales EN", step: "lookup", status: flow.QueueDivisionNotPermitted},
		{name: "case mismatch", queue: "support en", step: "lookup", status: flow.QueueNameMismatch},
		{name: "no such queue", queue: "Nope", step: "lookup", status: flow.QueueNotFound},
		{name: "cannot receive messages", queue: "Support EN", change: without(genesys.PermMessageReceive), step: "inbound", missing: []string{genesys.PermMessageReceive}},
		{name: "cannot transfer", queue: "Support EN", change: without(genesys.PermBlindTransfer), step: "transfer", missing: []string{genesys.PermBlindTransfer, genesys.PermBlindTransferQueue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := acmeOrg(t)
			if tt.change != nil {
				tt.change(o)
			}
			em, c, _ := emulate(t, o, emulator.Options{}, nil)
			_, err := c.HandOver(context.Background(), genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "chat-1", IDType: "Opaque"}, Text: "hi", Queue: tt.queue})
			var he *genesys.HandoverError
			if !errors.As(err, &he) {
				t.Fatalf("HandOver error %v, want a *HandoverError", err)
			}
			if he.Step != tt.step || he.Verdict.Status != tt.status || !slices.Equal(he.MissingPermissions(), tt.missing) {
				t.Fatalf("step %q verdict %v missing %q, want %q %v %q (%v)", he.Step, he.Verdict.Status, he.MissingPermissions(), tt.step, tt.status, tt.missing, err)
			}
			if tt.step == "lookup" && len(em.MessagingConversations()) != 0 {
				t.Fatal("a failed lookup still started a conversation")
			}
		})
	}
}

func TestHandoverErrorMessages(t *testing.T) {
	tests := []struct {
		err  *genesys.HandoverError
		want string
	}{
		{&genesys.HandoverError{Queue: "Sales EN", Verdict: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, Division: "Home"}},
			`queue "Sales EN" is in division "Home", where the OAuth client has no role granting routing:queue:view; grant the handover role in division "Home" or move the queue`},
		{&genesys.HandoverError{Queue: "support en", Verdict: flow.QueueVerdict{Status: flow.QueueNameMismatch, Similar: []string{"Support EN"}}},
			`no queue is named exactly "support en"; did you mean "Support EN"? Genesys matches queue names exactly, case and spaces included`},
		{&genesys.HandoverError{Queue: "Nope", Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}},
			`no queue named "Nope" is visible to the OAuth client (it may exist in a division the client cannot see)`},
		{&genesys.HandoverError{Queue: "Nope", Verdict: flow.QueueVerdict{Status: flow.QueueNotFound, CrossDivision: true}},
			`no queue named "Nope" exists in the organization`},
		{&genesys.HandoverError{Step: "transfer", Queue: "X", Err: &genesys.APIError{Method: "POST", Path: "/p", Status: 403, Code: "missing.permissions", Message: "m"}},
			`transfer: POST /p: HTTP 403 missing.permissions: m`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

// The participants of a new conversation appear a moment after the inbound
// message: the handover waits for them with back-off, on the client's
// clock, and names the inbound flow's (workflow) participant.
func TestHandOverWaitsForParticipants(t *testing.T) {
	o := acmeOrg(t)
	em, c, clock := emulate(t, o, emulator.Options{ParticipantDelay: 3 * time.Second}, nil)
	res, err := c.HandOver(context.Background(), genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "chat-1", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	for _, d := range clock.Sleeps() {
		waits = append(waits, d)
	}
	if want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second}; !slices.Equal(waits, want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	conv, err := em.Participants(res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if p := conv.Participants[1]; p.Purpose != "workflow" || p.State != "disconnected" || p.DisconnectType != "transfer" {
		t.Fatalf("the inbound flow's participant %+v", p)
	}
	// Already in the queue: nothing to transfer.
	em.ResetRequests()
	if err := c.MoveToQueue(context.Background(), res.ConversationID, res.Queue); err != nil {
		t.Fatal(err)
	}
	for _, r := range em.RequestLog() {
		if strings.HasSuffix(r, "/replace/queue") {
			t.Fatalf("transferred a conversation already in the queue: %v", em.RequestLog())
		}
	}
}

func TestHandOverNoParticipant(t *testing.T) {
	o := acmeOrg(t)
	_, c, clock := emulate(t, o, emulator.Options{ParticipantDelay: time.Hour}, nil)
	_, err := c.HandOver(context.Background(), genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "chat-1", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
	var he *genesys.HandoverError
	if !errors.As(err, &he) || he.Step != "conversation" || !strings.Contains(err.Error(), "has no participant holding it (no participants yet) after 15.75s") {
		t.Fatalf("err %v", err)
	}
	var total time.Duration
	for _, d := range clock.Sleeps() {
		total += d
	}
	if total > 16*time.Second {
		t.Fatalf("waited %s", total)
	}
	// Ctrl-C ends the wait.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "chat-2", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestDisconnectConversation(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, emulator.Options{}, nil)
	ctx := context.Background()
	res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "chat-1", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DisconnectConversation(ctx, res.ConversationID); err != nil {
		t.Fatal(err)
	}
	conv, _ := c.MessageConversation(ctx, res.ConversationID)
	for _, p := range conv.Participants {
		if p.State != "disconnected" {
			t.Errorf("after the disconnect: %+v", p)
		}
	}
	if n := len(em.ActiveConversations(0)); n != 0 {
		t.Fatalf("%d conversations on the desk", n)
	}
	// Without the permission: 403 naming both that would do.
	r := o.Role("Chat bridge")
	r.Permissions = nil
	_, c2, _ := emulate(t, o, emulator.Options{}, nil)
	err = c2.DisconnectConversation(ctx, res.ConversationID)
	if err == nil || !strings.Contains(err.Error(), "conversation:communication:disconnect, conversation:message:park") {
		t.Fatalf("without the permission: %v", err)
	}
}

func TestBridgePermissions(t *testing.T) {
	o := acmeOrg(t)
	// The fallback reads the client and its roles.
	o.Roles = append(o.Roles, org.Role{Name: "Reader", ID: "reader", Permissions: []string{genesys.PermClientView, genesys.PermRoleView}})
	o.OAuthClients[0].RoleDivisions = append(o.OAuthClients[0].RoleDivisions, org.RoleDivision{Role: "Reader", Division: "Home"})
	o.Role("Bot handover").Permissions = []string{genesys.PermQueueView, genesys.PermBlindTransferQueue}
	_, c, _ := emulate(t, o, emulator.Options{}, nil)
	f, err := c.Grants(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, n := range genesys.MissingBridgePermissions(f) {
		calls = append(calls, strings.Join(n.AnyOf, "|")+" "+n.Call)
	}
	want := []string{"conversation:message:receive POST /api/v2/conversations/messages/{integrationId}/inbound/open/message"}
	if !slices.Equal(calls, want) {
		t.Fatalf("missing %q, want %q", calls, want)
	}
	// Grants unknown: nothing is said missing.
	_, c, _ = emulate(t, acmeOrg(t), emulator.Options{}, nil)
	if f, err = c.Grants(context.Background()); err != nil || f.GrantsKnown || f.GrantsNote == "" || genesys.MissingBridgePermissions(f) != nil {
		t.Fatalf("unknown grants: %+v %v", f, err)
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		fixture string
		text    string
		replies []string
		ok      bool
	}{
		{"webhook-text.json", "Hi Ann, I see a double charge.", nil, true},
		{"webhook-structured-quickreplies.json", "Shall I refund it?", []string{"Yes", "No"}, true},
		{"webhook-structured-card.json", "Refund\nEUR 12.50 back to your card", []string{"Confirm"}, true},
		{"webhook-receipt.json", "", nil, false},
		{"webhook-event-typing.json", "", nil, false},
	}
	for _, tt := range tests {
		var m genesys.OpenOutboundMessage
		if err := json.Unmarshal(genesystest.Fixture(t, tt.fixture), &m); err != nil {
			t.Fatal(err)
		}
		text, replies, ok := m.Display()
		if text != tt.text || !slices.Equal(replies, tt.replies) || ok != tt.ok {
			t.Errorf("%s: %q %q %v", tt.fixture, text, replies, ok)
		}
	}
}
