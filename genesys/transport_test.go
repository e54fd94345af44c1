package genesys_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
)

// TestPostRetryPolicy: a POST (an inbound message) signs in again on 401
// and waits out a 429 like a GET, but is never repeated after a 5xx, which
// could deliver the message twice.
func TestPostRetryPolicy(t *testing.T) {
	const inbound = "/api/v2/conversations/messages/"
	tests := []struct {
		name     string
		fault    emulator.Fault
		wantErr  string
		sleeps   []time.Duration
		requests int64 // after the sign-in
	}{
		{name: "429 waited out", fault: emulator.Fault{Kind: emulator.FaultRateLimit, Path: inbound, Times: 1, RetryAfter: 4 * time.Second},
			sleeps: []time.Duration{4 * time.Second}, requests: 2},
		{name: "500 not repeated", fault: emulator.Fault{Kind: emulator.FaultServerError, Path: inbound, Times: 1},
			wantErr: "POST " + inbound, requests: 1},
		{name: "503 not repeated", fault: emulator.Fault{Kind: emulator.FaultUnavailable, Path: inbound, Times: 1},
			wantErr: "HTTP 503 service.unavailable", requests: 1},
		{name: "expired token renewed once", fault: emulator.Fault{Kind: emulator.FaultExpiredToken, Path: inbound, Times: 1},
			requests: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := acmeOrg(t)
			em, c, clock := emulate(t, o, emulator.Options{}, nil)
			if _, err := c.TokenInfo(context.Background()); err != nil {
				t.Fatal(err)
			}
			em.ResetRequests()
			em.SetFault(tt.fault)
			msg := genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "m1", From: genesys.OpenMessageFrom{ID: "u", IDType: "Opaque"}}, Text: "hi"}
			_, err := c.SendOpenMessage(context.Background(), o.Integrations[0].ID, msg)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(tt.sleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.sleeps)
			}
			if got := em.Requests(); got != tt.requests {
				t.Errorf("requests = %d, want %d: %v", got, tt.requests, em.RequestLog())
			}
		})
	}
}

// TestTokenWithoutAccessToken: a sign-in answered 200 without a token is a
// malformed answer, with its correlation id.
func TestTokenWithoutAccessToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ININ-Correlation-Id", "corr-7")
		writeJSON(w, 200, map[string]any{"token_type": "bearer"})
	}))
	defer srv.Close()
	c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: "id", ClientSecret: sentinelSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.TokenInfo(context.Background())
	var me *genesys.MalformedError
	if !errors.As(err, &me) || err.Error() != "POST /oauth/token: malformed JSON in HTTP 200 response: no access_token (correlation id corr-7)" {
		t.Fatalf("err = %v", err)
	}
}
