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

func TestSignWebhook(t *testing.T) {
	// Reference value computed independently (Python hmac + base64).
	got := genesys.SignWebhook("local-webhook-secret", []byte(`{"id":"1"}`))
	if want := "sha256=l8Z0kW/Shin35XblasK4Dm4N2qPXkALNHvSSsxxUyhE="; got != want {
		t.Fatalf("SignWebhook = %q, want %q", got, want)
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"id":"1","text":"hi"}`)
	good := genesys.SignWebhook("s3cret", body)
	tests := []struct {
		name, secret, header string
		body                 []byte
		want                 error
	}{
		{name: "good", secret: "s3cret", header: good, body: body},
		{name: "good with spaces", secret: "s3cret", header: "  " + good + " ", body: body},
		{name: "missing", secret: "s3cret", header: "", body: body, want: genesys.ErrSignatureMissing},
		{name: "wrong secret", secret: "other", header: good, body: body, want: genesys.ErrSignatureInvalid},
		{name: "tampered body", secret: "s3cret", header: good, body: []byte(`{"id":"1","text":"ho"}`), want: genesys.ErrSignatureInvalid},
		{name: "hex instead of base64", secret: "s3cret", header: "sha256=6e6f74206261736536342e2e2e", body: body, want: genesys.ErrSignatureInvalid},
		{name: "no prefix", secret: "s3cret", header: good[len("sha256="):], body: body, want: genesys.ErrSignatureInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := genesys.VerifyWebhook(tt.secret, tt.body, tt.header)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("VerifyWebhook = %v, want %v", err, tt.want)
			}
		})
	}
	if err := genesys.VerifyWebhook("", body, good); err == nil {
		t.Fatal("an empty secret verified a signature")
	}
}

func TestLookupQueue(t *testing.T) {
	_, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	ctx := context.Background()
	tests := []struct {
		name     string
		status   flow.QueueStatus
		division string
		similar  []string
	}{
		{name: "Billing Support", status: flow.QueueReachable, division: "Sales"},
		{name: "billing support", status: flow.QueueNameMismatch, similar: []string{"Billing Support"}},
		{name: "Sales EN", status: flow.QueueDivisionNotPermitted, division: "Home"},
		{name: "Nope", status: flow.QueueNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, v, err := c.LookupQueue(ctx, tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tt.status || v.Division != tt.division || !slices.Equal(v.Similar, tt.similar) {
				t.Fatalf("verdict %+v, want status %v division %q similar %q", v, tt.status, tt.division, tt.similar)
			}
			if (q != nil) != (tt.status == flow.QueueReachable) {
				t.Fatalf("queue %+v for status %v", q, v.Status)
			}
		})
	}
}

func TestLookupQueueWithoutSearchSaysNotFound(t *testing.T) {
	o := acmeOrg(t)
	o.OAuthClients[0].RoleDivisions = slices.DeleteFunc(o.OAuthClients[0].RoleDivisions, func(rd org.RoleDivision) bool { return rd.Role == "Queue directory" })
	_, c, _ := emulate(t, o, emulator.Options{}, nil)
	_, v, err := c.LookupQueue(context.Background(), "Sales EN")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != flow.QueueNotFound {
		t.Fatalf("without routing:queue:search a hidden queue is %v, want not found", v.Status)
	}
}
