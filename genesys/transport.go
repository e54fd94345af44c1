package genesys

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds how much of a response is read.
const maxBody = 64 << 20

// backoffBase is the first wait before retrying a 5xx answer; it doubles on
// each retry up to backoffMax.
const (
	backoffBase = 250 * time.Millisecond
	backoffMax  = 8 * time.Second
)

// ConnError reports a request that never got an HTTP answer (DNS, refused
// connection, TLS).
type ConnError struct {
	Method, URL string
	Err         error
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("%s %s: cannot connect: %v", e.Method, e.URL, e.Err)
}

func (e *ConnError) Unwrap() error { return e.Err }

// get sends GET path (below /api/v2) with query and decodes the JSON answer
// into out. It authenticates, re-authenticates once on 401, and retries 429
// and 5xx answers within the configured bounds.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	reauthed := false
	attempt := 0
	for {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		resp, body, err := c.send(ctx, http.MethodGet, c.endpoints.API, path, query, nil, "", "Bearer "+tok)
		if err != nil {
			return err
		}
		if resp.StatusCode/100 == 2 {
			return decode(http.MethodGet, path, resp, body, out)
		}
		apiErr := c.apiError(http.MethodGet, path, resp, body)
		if resp.StatusCode == http.StatusUnauthorized && !reauthed {
			// The token may have expired or been revoked: fetch a new one,
			// exactly once per request.
			c.dropToken(tok)
			reauthed = true
			continue
		}
		wait, ok := c.retryWait(apiErr, attempt)
		if !ok {
			return apiErr
		}
		attempt++
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s %s: %w", http.MethodGet, path, err)
		}
	}
}

// accessToken returns a cached token or fetches a new one.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	tok, exp := c.token, c.tokenExpiry
	c.mu.Unlock()
	if tok != "" && c.cfg.Now().Before(exp) {
		return tok, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	body := []byte(form.Encode())
	const path = "/oauth/token"
	attempt := 0
	for {
		resp, data, err := c.send(ctx, http.MethodPost, c.endpoints.Login, path, nil, body, "application/x-www-form-urlencoded", basicAuth(c.cfg.ClientID, c.cfg.ClientSecret))
		if err != nil {
			return "", err
		}
		if resp.StatusCode/100 == 2 {
			var tr TokenResponse
			if err := decode(http.MethodPost, path, resp, data, &tr); err != nil {
				return "", err
			}
			if tr.AccessToken == "" {
				return "", &MalformedError{Method: http.MethodPost, Path: path, Status: resp.StatusCode, CorrelationID: correlationID(resp.Header), Err: errors.New("no access_token")}
			}
			ttl := time.Duration(tr.ExpiresIn) * time.Second
			if ttl <= 0 {
				ttl = 5 * time.Minute
			}
			// Renew a minute early, as the Go SDK does, but never keep a
			// token past half its life when it is short.
			margin := min(time.Minute, ttl/2)
			c.mu.Lock()
			c.token, c.tokenExpiry = tr.AccessToken, c.cfg.Now().Add(ttl-margin)
			c.mu.Unlock()
			return tr.AccessToken, nil
		}
		apiErr := c.apiError(http.MethodPost, path, resp, data)
		wait, ok := c.retryWait(apiErr, attempt)
		if !ok {
			return "", apiErr
		}
		attempt++
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return "", fmt.Errorf("%s %s: %w", http.MethodPost, path, err)
		}
	}
}

func (c *Client) dropToken(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

func (c *Client) apiError(method, path string, resp *http.Response, body []byte) *APIError {
	e := parseAPIError(method, path, resp, body)
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.Now())
	return e
}

// retryWait decides whether a failed attempt is retried and after how long:
// 429 honours Retry-After (failing at once when it exceeds MaxRetryAfter),
// 5xx other than 501 backs off exponentially.
func (c *Client) retryWait(e *APIError, attempt int) (time.Duration, bool) {
	if attempt >= c.cfg.MaxRetries {
		return 0, false
	}
	backoff := min(backoffBase<<attempt, backoffMax)
	switch {
	case e.RateLimited:
		if e.RetryAfter > c.cfg.MaxRetryAfter {
			return 0, false
		}
		if e.RetryAfter > 0 {
			return e.RetryAfter, true
		}
		return backoff, true
	case e.Status >= 500 && e.Status != http.StatusNotImplemented:
		return backoff, true
	}
	return 0, false
}

// send performs one HTTP exchange under the rate limit and the per-attempt
// timeout and reads the whole body. contentType goes with a non-nil body.
func (c *Client) send(ctx context.Context, method, base, path string, query url.Values, body []byte, contentType, auth string) (*http.Response, []byte, error) {
	if err := c.limiter.wait(ctx); err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, u, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	c.countRequest()
	resp, err := c.http.Do(req)
	if err == nil {
		var data []byte
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if err == nil {
			return resp, data, nil
		}
	}
	switch {
	case ctx.Err() != nil:
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, ctx.Err())
	case errors.Is(err, context.DeadlineExceeded) || actx.Err() != nil:
		return nil, nil, &TimeoutError{Method: method, Path: path, After: c.cfg.Timeout}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return nil, nil, &ConnError{Method: method, URL: base + path, Err: err}
}

// decode unmarshals a success body into out.
func decode(method, path string, resp *http.Response, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &MalformedError{Method: method, Path: path, Status: resp.StatusCode, CorrelationID: correlationID(resp.Header), Err: err}
	}
	return nil
}

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func basicAuth(id, secret string) string {
	req := http.Request{Header: http.Header{}}
	req.SetBasicAuth(id, secret)
	return req.Header.Get("Authorization")
}
