package genesys

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// accessToken returns the cached token or signs in (POST /oauth/token with
// the client credentials) for a new one.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	tok, exp := c.token, c.tokenExpiry
	c.mu.Unlock()
	if tok != "" && c.cfg.Now().Before(exp) {
		return tok, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	var tr TokenResponse
	r := request{method: http.MethodPost, login: true, path: "/oauth/token", body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded", retry: retryIdempotent}
	if err := c.do(ctx, r, &tr); err != nil {
		return "", err
	}
	ttl := time.Duration(tr.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	// Renew a minute early, as the Go SDK does, but never keep a token past
	// half its life when it is short.
	margin := min(time.Minute, ttl/2)
	c.mu.Lock()
	c.token, c.tokenExpiry = tr.AccessToken, c.cfg.Now().Add(ttl-margin)
	c.mu.Unlock()
	return tr.AccessToken, nil
}

// dropToken forgets tok, unless another request already replaced it.
func (c *Client) dropToken(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// check refuses a token document without a token.
func (t *TokenResponse) check() error {
	if t.AccessToken == "" {
		return errors.New("no access_token")
	}
	return nil
}

func basicAuth(id, secret string) string {
	req := http.Request{Header: http.Header{}}
	req.SetBasicAuth(id, secret)
	return req.Header.Get("Authorization")
}
