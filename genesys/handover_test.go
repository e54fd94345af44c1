package genesys_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
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
			`no queue named "Nope" exists or is visible to the OAuth client`},
		{&genesys.HandoverError{Step: "transfer", Queue: "X", Err: &genesys.APIError{Method: "POST", Path: "/p", Status: 403, Code: "missing.permissions", Message: "m"}},
			`transfer: POST /p: HTTP 403 missing.permissions: m`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}
