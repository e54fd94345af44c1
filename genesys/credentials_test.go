package genesys_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/genesystest"
)

// TestRedirectsNotFollowed: a redirect of the sign-in (Basic) or of an API
// call (Bearer) is never followed, so the credentials never reach the
// redirect's target; the error names the target.
func TestRedirectsNotFollowed(t *testing.T) {
	var mu sync.Mutex
	var reached []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached = append(reached, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		writeJSON(w, 200, genesys.TokenResponse{AccessToken: "stolen", ExpiresIn: 3600})
	}))
	defer target.Close()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, redirected := range []string{"/oauth/token", "/api/v2/tokens/me"} {
			t.Run(fmt.Sprintf("%d %s", status, redirected), func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == redirected {
						http.Redirect(w, r, target.URL+r.URL.Path, status)
						return
					}
					writeJSON(w, 200, genesys.TokenResponse{AccessToken: "t", ExpiresIn: 3600})
				}))
				defer srv.Close()
				// A caller's client that follows redirects does not either.
				follows := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
				c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: "id", ClientSecret: sentinelSecret, HTTPClient: follows})
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.TokenInfo(context.Background())
				want := fmt.Sprintf("%s: HTTP %d: redirect to %q not followed", redirected, status, target.URL+redirected)
				var ae *genesys.APIError
				if !errors.As(err, &ae) || ae.Status != status || !strings.Contains(err.Error(), want) {
					t.Fatalf("err = %v, want %q", err, want)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(reached) > 0 {
					t.Fatalf("the redirect was followed: %q", reached)
				}
				if follows.CheckRedirect(nil, nil) != nil {
					t.Error("the caller's http.Client was changed")
				}
			})
		}
	}
}

// TestRetryAfterTooLong: a Retry-After too long for a Duration (seconds or
// a far date) gives up at once instead of wrapping to a short wait.
func TestRetryAfterTooLong(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{header: "18446744074", want: math.MaxInt64}, // 2^64 ns: once wrapped to 290ms
		{header: "9223372037", want: math.MaxInt64},
		{header: "9223372036", want: 9223372036 * time.Second},
		{header: "99999999999999999999999", want: math.MaxInt64},
		{header: "Fri, 31 Dec 9999 23:59:59 GMT", want: math.MaxInt64},
		{header: "-99999999999999999999999", want: 0},
		{header: "-5", want: 0},
		{header: "soon", want: 0},
		{header: "120", want: 2 * time.Minute},
	}
	for _, tt := range tests {
		if got := genesys.ParseRetryAfter(tt.header, now); got != tt.want {
			t.Errorf("Retry-After %q = %v, want %v", tt.header, got, tt.want)
		}
	}
	for _, header := range []string{"18446744074", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				writeJSON(w, 200, genesys.TokenResponse{AccessToken: "t", ExpiresIn: 3600})
				return
			}
			w.Header().Set("Retry-After", header)
			writeError(w, http.StatusTooManyRequests, "too.many.requests.retry.after", "slow down")
		}))
		clock := genesystest.NewClock()
		c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: "id", ClientSecret: sentinelSecret, Now: clock.Now, Sleep: clock.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.TokenInfo(context.Background())
		srv.Close()
		var ae *genesys.APIError
		if !errors.As(err, &ae) || !ae.RateLimited || ae.RetryAfter != math.MaxInt64 {
			t.Fatalf("Retry-After %q: err = %#v", header, err)
		}
		if len(clock.Sleeps()) != 0 || c.Requests() != 2 {
			t.Errorf("Retry-After %q: waited %v in %d requests, want to give up at once", header, clock.Sleeps(), c.Requests())
		}
	}
}

// TestSecretRedacted: an error text never holds the secret, as written, in
// base64 or as the Basic credentials, even when the server echoes them.
func TestSecretRedacted(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("id:" + sentinelSecret))
	forms := []string{sentinelSecret, basic, base64.StdEncoding.EncodeToString([]byte(sentinelSecret))}
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := "you sent " + r.Header.Get("Authorization") + " and " + sentinelSecret + " (" + forms[2] + ")"
		if r.URL.Path == "/oauth/token" {
			writeJSON(w, 400, genesys.OAuthError{Error: "invalid_request", ErrorDescription: msg})
			return
		}
		writeError(w, 400, sentinelSecret, msg)
	}))
	defer echo.Close()
	c, err := genesys.New(genesys.Config{Region: echo.URL, ClientID: "id", ClientSecret: sentinelSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, signIn := c.TokenInfo(context.Background())

	// A secret in the region's path reaches a connection error's URL.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c, err = genesys.New(genesys.Config{Region: dead.URL + "/" + sentinelSecret, ClientID: "id", ClientSecret: sentinelSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, conn := c.TokenInfo(context.Background())
	var ce *genesys.ConnError
	if !errors.As(conn, &ce) {
		t.Fatalf("err = %v, want a *ConnError", conn)
	}

	// The secret in GENESYSCLOUD_REGION and a region in the secret's
	// variable: the two were swapped.
	_, swapped := genesys.New(genesys.Config{Region: sentinelSecret, ClientID: "id", ClientSecret: "eu-central-1"})
	if swapped == nil || !strings.Contains(swapped.Error(), "unknown GENESYSCLOUD_REGION (a 28-character value, not shown: it looks like a secret)") ||
		!strings.Contains(swapped.Error(), "GENESYSCLOUD_OAUTHCLIENT_SECRET holds a region: were GENESYSCLOUD_REGION and GENESYSCLOUD_OAUTHCLIENT_SECRET swapped?") {
		t.Errorf("swapped variables: %v", swapped)
	}
	if !strings.Contains(swapped.Error(), "eu-central-1, eu-central-2") {
		t.Errorf("the region keys are garbled: %v", swapped)
	}
	// A secret written into a URL-shaped region.
	_, inURL := genesys.New(genesys.Config{Region: "ftp://" + sentinelSecret, ClientID: "id", ClientSecret: sentinelSecret})

	for _, err := range []error{signIn, conn, swapped, inURL} {
		if err == nil {
			t.Fatal("no error")
		}
		for _, f := range forms {
			if strings.Contains(err.Error(), f) {
				t.Errorf("error shows %q: %v", f, err)
			}
		}
		if !strings.Contains(err.Error(), "[redacted]") && err != swapped {
			t.Errorf("nothing redacted: %v", err)
		}
	}
}
