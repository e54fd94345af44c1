package genesys_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
	"github.com/flowctl/flowctl/genesys/org"
)

func TestClientCachesToken(t *testing.T) {
	em, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	ctx := context.Background()
	for range 3 {
		if _, err := c.TokenInfo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := em.Requests(); got != 4 {
		t.Errorf("requests = %d, want 4 (one token, three calls): %v", got, em.RequestLog())
	}
}

func TestClientTokenInfo(t *testing.T) {
	_, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	ti, err := c.TokenInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ti.Organization.Name != "Acme" || ti.OAuthClient == nil || ti.OAuthClient.Name != "Bot integration" {
		t.Errorf("token info %+v", ti)
	}
}

func TestClientReauthOnceOn401(t *testing.T) {
	em, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	ctx := context.Background()
	if _, err := c.TokenInfo(ctx); err != nil {
		t.Fatal(err)
	}
	em.SetFault(emulator.Fault{Kind: emulator.FaultExpiredToken, Times: 1})
	if _, err := c.TokenInfo(ctx); err != nil {
		t.Fatalf("one expired token must be renewed: %v", err)
	}
	em.ResetRequests()
	em.SetFault(emulator.Fault{Kind: emulator.FaultExpiredToken})
	_, err := c.TokenInfo(ctx)
	var ae *genesys.APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != "credentials.expired" || ae.CorrelationID == "" {
		t.Fatalf("err = %v", err)
	}
	// call, token, call again: exactly one re-authentication.
	if got := em.Requests(); got != 3 {
		t.Errorf("requests = %d, want 3: %v", got, em.RequestLog())
	}
}

func TestClientTokenExpiryRenews(t *testing.T) {
	o := acmeOrg(t)
	em, c, clock := emulate(t, o, emulator.Options{TokenTTL: 10 * time.Minute}, nil)
	ctx := context.Background()
	if _, err := c.TokenInfo(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Sleep(ctx, 9*time.Minute+30*time.Second) // within the renewal margin
	if _, err := c.TokenInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := em.Requests(); got != 4 {
		t.Errorf("requests = %d, want 4 (token renewed before expiry): %v", got, em.RequestLog())
	}
}

func TestClientBadCredentials(t *testing.T) {
	o := acmeOrg(t)
	_, c, _ := emulate(t, o, emulator.Options{}, func(c *genesys.Config) { c.ClientSecret = "wrong-" + sentinelSecret })
	_, err := c.TokenInfo(context.Background())
	var ae *genesys.APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != "invalid_client" || ae.Path != "/oauth/token" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), sentinelSecret) {
		t.Errorf("error shows the secret: %v", err)
	}
}

func TestClientDisabledClient(t *testing.T) {
	o := acmeOrg(t)
	o.OAuthClients[0].State = org.ClientDisabled
	_, c, _ := emulate(t, o, emulator.Options{}, nil)
	_, err := c.TokenInfo(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 401 invalid_client: client is disabled") {
		t.Fatalf("err = %v", err)
	}
}

func TestClientRetries(t *testing.T) {
	tests := []struct {
		name     string
		fault    emulator.Fault
		wantErr  string
		sleeps   []time.Duration
		requests int64
	}{
		{name: "429 honours Retry-After", fault: emulator.Fault{Kind: emulator.FaultRateLimit, Times: 2, RetryAfter: 7 * time.Second},
			sleeps: []time.Duration{7 * time.Second, 7 * time.Second}, requests: 4},
		{name: "429 storm gives up", fault: emulator.Fault{Kind: emulator.FaultRateLimit, RetryAfter: time.Second},
			wantErr: "HTTP 429 too.many.requests.retry.after: Rate limit exceeded", sleeps: []time.Duration{time.Second, time.Second, time.Second}, requests: 5},
		{name: "429 asking too long fails at once", fault: emulator.Fault{Kind: emulator.FaultRateLimit, RetryAfter: 200 * time.Second},
			wantErr: "HTTP 429", requests: 2},
		{name: "500 backs off", fault: emulator.Fault{Kind: emulator.FaultServerError, Times: 2},
			sleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, requests: 4},
		{name: "503 gives up", fault: emulator.Fault{Kind: emulator.FaultUnavailable},
			wantErr: "HTTP 503 service.unavailable", sleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, requests: 5},
		{name: "403 is not retried", fault: emulator.Fault{Kind: emulator.FaultForbidden},
			wantErr: "HTTP 403 missing.permissions", requests: 2},
		{name: "malformed JSON", fault: emulator.Fault{Kind: emulator.FaultMalformed},
			wantErr: "GET /api/v2/tokens/me: malformed JSON in HTTP 200 response", requests: 2},
		{name: "token endpoint rate limit", fault: emulator.Fault{Kind: emulator.FaultRateLimit, Path: "/oauth/token", Times: 1, RetryAfter: 3 * time.Second},
			sleeps: []time.Duration{3 * time.Second}, requests: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			em, c, clock := emulate(t, acmeOrg(t), emulator.Options{}, nil)
			em.SetFault(tt.fault)
			_, err := c.TokenInfo(context.Background())
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), sentinelSecret) {
				t.Errorf("error shows the secret")
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

// TestClientTokenRateLimitExhausted: a token request still rate limited
// after every retry stays a rate-limit error (Genesys answers it 400).
func TestClientTokenRateLimitExhausted(t *testing.T) {
	em, c, clock := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	em.SetFault(emulator.Fault{Kind: emulator.FaultRateLimit, Path: "/oauth/token", RetryAfter: 2 * time.Second})
	_, err := c.TokenInfo(context.Background())
	var ae *genesys.APIError
	if !errors.As(err, &ae) || !ae.RateLimited || ae.Status != http.StatusBadRequest || ae.Code != "invalid_request" {
		t.Fatalf("err = %#v", err)
	}
	if got := len(clock.Sleeps()); got != genesys.DefaultMaxRetries {
		t.Errorf("%d waits, want %d", got, genesys.DefaultMaxRetries)
	}
}

func TestClientNotImplementedNotRetried(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			fmt.Fprint(w, `{"access_token":"t","token_type":"bearer","expires_in":86399}`)
			return
		}
		w.Header().Set("ININ-Correlation-Id", "corr-1")
		w.WriteHeader(501)
		fmt.Fprint(w, `{"status":501,"code":"not.implemented","message":"nope","contextId":"corr-1"}`)
	}))
	defer srv.Close()
	clock := genesystest.NewClock()
	c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: "id", ClientSecret: sentinelSecret, Now: clock.Now, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.TokenInfo(context.Background())
	if err == nil || err.Error() != "GET /api/v2/tokens/me: HTTP 501 not.implemented: nope (correlation id corr-1)" {
		t.Fatalf("err = %v", err)
	}
	if len(clock.Sleeps()) != 0 || c.Requests() != 2 {
		t.Errorf("sleeps %v, requests %d", clock.Sleeps(), c.Requests())
	}
}

func TestClientTimeout(t *testing.T) {
	em, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, func(c *genesys.Config) { c.Timeout = 50 * time.Millisecond })
	em.SetFault(emulator.Fault{Kind: emulator.FaultHang})
	_, err := c.TokenInfo(context.Background())
	var te *genesys.TimeoutError
	if !errors.As(err, &te) || err.Error() != "GET /api/v2/tokens/me: no response within 50ms" {
		t.Fatalf("err = %v", err)
	}
}

func TestClientSlowWithinTimeout(t *testing.T) {
	em, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	em.SetFault(emulator.Fault{Kind: emulator.FaultSlow, Delay: 20 * time.Millisecond})
	if _, err := c.TokenInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestClientCancel(t *testing.T) {
	em, c, _ := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	em.SetFault(emulator.Fault{Kind: emulator.FaultHang})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.TokenInfo(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestClientConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := genesys.New(genesys.Config{Region: url, ClientID: "id", ClientSecret: sentinelSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.TokenInfo(context.Background())
	var ce *genesys.ConnError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "POST "+url+"/oauth/token: cannot connect") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), sentinelSecret) {
		t.Error("error shows the secret")
	}
}

func TestClientPaging(t *testing.T) {
	o := acmeOrg(t)
	for i := range 1203 {
		o.Queues = append(o.Queues, org.Queue{Name: fmt.Sprintf("Q%04d", i), ID: fmt.Sprintf("q%d", i), Division: "Support"})
	}
	em, c, _ := emulate(t, o, emulator.Options{}, nil)
	qs, err := c.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1203+3 { // plus Billing Support, Support EN, Support DE; Home queues hidden
		t.Errorf("got %d queues", len(qs))
	}
	if got := em.Requests(); got != 1+3 {
		t.Errorf("requests = %d, want token + 3 pages: %v", got, em.RequestLog())
	}
}

func TestClientPagingWithoutPageCount(t *testing.T) {
	o := acmeOrg(t)
	for i := range 1203 {
		o.Queues = append(o.Queues, org.Queue{Name: fmt.Sprintf("Q%04d", i), ID: fmt.Sprintf("q%d", i), Division: "Support"})
	}
	em, c, _ := emulate(t, o, emulator.Options{OmitPageCount: true}, nil)
	qs, err := c.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1203+3 {
		t.Errorf("got %d queues, want every page's", len(qs))
	}
	if got := em.Requests(); got != 1+3 {
		t.Errorf("requests = %d, want token + 3 pages: %v", got, em.RequestLog())
	}
}

// TestClientPagingByTotal follows total when an answer has neither
// pageCount nor nextUri.
func TestClientPagingByTotal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			writeJSON(w, 200, genesys.TokenResponse{AccessToken: "t", ExpiresIn: 3600})
			return
		}
		n := r.URL.Query().Get("pageNumber")
		writeJSON(w, 200, map[string]any{"entities": []genesys.Division{{ID: "d" + n, Name: "D" + n}}, "total": 3})
	}))
	defer srv.Close()
	c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: "id", ClientSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := c.Divisions(context.Background())
	if err != nil || len(ds) != 3 || ds[2].ID != "d3" {
		t.Errorf("divisions %v, %v", ds, err)
	}
}

func TestLimiter(t *testing.T) {
	clock := genesystest.NewClock()
	l := genesys.NewLimiter(3, time.Minute, clock.Now, clock.Sleep)
	ctx := context.Background()
	for range 3 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(clock.Sleeps()) != 0 {
		t.Fatalf("slept early: %v", clock.Sleeps())
	}
	clock.Sleep(ctx, 10*time.Second)
	if err := l.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); len(got) != 2 || got[1] != 50*time.Second {
		t.Errorf("sleeps = %v, want a 50s wait for the window", got)
	}
}

func TestClientRateLimitUnder300(t *testing.T) {
	_, c, clock := emulate(t, acmeOrg(t), emulator.Options{}, nil)
	ctx := context.Background()
	firstWait := int64(0) // the request that waited first
	for range 300 {
		if _, err := c.TokenInfo(ctx); err != nil {
			t.Fatal(err)
		}
		if firstWait == 0 && len(clock.Sleeps()) > 0 {
			firstWait = c.Requests()
		}
	}
	// The token request and 300 tokens/me: the first 280 go at once (no
	// fake time passes), request 281 waits a whole minute.
	if firstWait != genesys.DefaultRateLimit+1 {
		t.Errorf("first wait at request %d, want %d", firstWait, genesys.DefaultRateLimit+1)
	}
	if got := clock.Sleeps()[0]; got != time.Minute {
		t.Errorf("first wait %v, want a minute", got)
	}
}

// TestClientRetryAfterDate honours a Retry-After given as an HTTP date.
func TestClientRetryAfterDate(t *testing.T) {
	clock := genesystest.NewClock()
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			writeJSON(w, 200, genesys.TokenResponse{AccessToken: "t", ExpiresIn: 3600})
			return
		}
		if calls++; calls == 1 {
			w.Header().Set("Retry-After", clock.Now().Add(42*time.Second).Format(http.TimeFormat))
			writeError(w, http.StatusTooManyRequests, "too.many.requests", "slow down")
			return
		}
		writeJSON(w, 200, genesys.TokenInfo{Organization: genesys.NamedEntity{ID: "o", Name: "org.File"}})
	}))
	defer srv.Close()
	c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: "id", ClientSecret: "s", Now: clock.Now, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.TokenInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); len(got) != 1 || got[0] != 42*time.Second {
		t.Errorf("sleeps %v, want one of 42s", got)
	}
	if got := genesys.ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", time.Date(2015, 10, 21, 7, 27, 0, 0, time.UTC)); got != time.Minute {
		t.Errorf("parseRetryAfter = %v", got)
	}
	if got := genesys.ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", time.Date(2015, 10, 21, 8, 0, 0, 0, time.UTC)); got != 0 {
		t.Errorf("a date in the past: %v", got)
	}
}

func TestClientDNSFailure(t *testing.T) {
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "login.example.invalid", IsNotFound: true}}
	}}
	c, err := genesys.New(genesys.Config{Region: "example.invalid", ClientID: "id", ClientSecret: sentinelSecret, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.TokenInfo(context.Background())
	var ce *genesys.ConnError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "POST https://login.example.invalid/oauth/token: cannot connect: dial tcp: lookup login.example.invalid: no such host") {
		t.Fatalf("err = %v", err)
	}
}
