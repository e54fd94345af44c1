package cmd

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
)

// TestGenesysFailureHints: each kind of refusal exits 3 with the HTTP
// status and a hint saying what to do, and never shows the secret.
func TestGenesysFailureHints(t *testing.T) {
	const secret = "SENTINEL-hint-s3cr3t-never-print"
	token := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"t","token_type":"bearer","expires_in":3600}`))
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []string
	}{
		{name: "redirected sign-in", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/oauth/token", http.StatusTemporaryRedirect)
		}, want: []string{`POST /oauth/token: HTTP 307: redirect to "https://elsewhere.example/oauth/token" not followed`, "which flowctl never follows with the credentials: check GENESYSCLOUD_REGION"}},
		{name: "redirected call", handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				token(w)
				return
			}
			http.Redirect(w, r, "https://elsewhere.example"+r.URL.Path, http.StatusPermanentRedirect)
		}, want: []string{"GET /api/v2/tokens/me: HTTP 308: redirect to", "never follows with the credentials"}},
		{name: "Retry-After past a duration", handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				token(w)
				return
			}
			w.Header().Set("Retry-After", "18446744074")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"status":429,"code":"too.many.requests.retry.after","message":"Rate limit exceeded"}`))
		}, want: []string{"HTTP 429 too.many.requests.retry.after", "Genesys asked to wait more than a day, longer than flowctl waits"}},
		{name: "server echoing the credentials", handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_request","error_description":"bad header ` + r.Header.Get("Authorization") + `"}`))
		}, want: []string{"HTTP 400 invalid_request: bad header Basic [redacted]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			env := map[string]string{genesys.EnvRegion: srv.URL, genesys.EnvClientID: "bot", genesys.EnvClientSecret: secret}
			code, out, errOut := runWithEnv(t, env, "check-queue", "Support EN")
			if code != ExitFailure {
				t.Errorf("exit %d, want %d\nstderr: %s", code, ExitFailure, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(out+errOut, secret) || strings.Contains(out+errOut, "Ym90OlNFTlRJTkVM") { // base64("bot:SENTINEL")
				t.Errorf("output shows the secret:\n%s%s", out, errOut)
			}
		})
	}
}
