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
)

// maxBody bounds how much of a response is read.
const maxBody = 64 << 20

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

// request is one call to Genesys: what to send, how to authenticate and
// which failures may be retried.
type request struct {
	method      string
	login       bool // the OAuth host (Basic auth) instead of the API host (Bearer)
	path        string
	query       url.Values
	body        []byte // nil: no body
	contentType string
	retry       retryPolicy
	// emptyOK accepts a success answer without a body (out stays zero).
	emptyOK bool
}

// get sends GET path (below /api/v2) with query and decodes the JSON answer
// into out.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.do(ctx, request{method: http.MethodGet, path: path, query: query, retry: retryIdempotent}, out)
}

// getOne sends GET path (below /api/v2) with query and returns the JSON
// answer decoded as a T.
func getOne[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	var out T
	if err := c.get(ctx, path, query, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// postJSON sends in as a JSON body and decodes the JSON answer, if any, into
// out (nil: the body is ignored). Only rate limiting is retried: a retried
// POST could deliver a message twice.
func (c *Client) postJSON(ctx context.Context, path string, query url.Values, in, out any) error {
	return c.sendJSON(ctx, http.MethodPost, path, query, in, out, retryRateLimited)
}

// sendJSON sends in as the JSON body of method and decodes the JSON answer,
// if any, into out (nil: the body is ignored); retry says what failures
// may be repeated.
func (c *Client) sendJSON(ctx context.Context, method, path string, query url.Values, in, out any, retry retryPolicy) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return c.do(ctx, request{method: method, path: path, query: query, body: body, contentType: "application/json", retry: retry, emptyOK: true}, out)
}

// do sends r until it succeeds or may not be retried, and decodes a success
// answer into out. API requests carry the access token and sign in again
// exactly once when it is rejected (401); what else is retried, and after
// how long, is r.retry's to say.
func (c *Client) do(ctx context.Context, r request, out any) (err error) {
	defer func() { err = c.secrets.error(err) }()
	reauthed := false
	for attempt := 0; ; {
		base, auth, tok := c.endpoints.API, "", ""
		if r.login {
			base, auth = c.endpoints.Login, basicAuth(c.cfg.ClientID, c.cfg.ClientSecret)
		} else {
			var err error
			if tok, err = c.accessToken(ctx); err != nil {
				return err
			}
			auth = "Bearer " + tok
		}
		resp, data, err := c.send(ctx, r, base, auth)
		if err != nil {
			return err
		}
		if resp.StatusCode/100 == 2 {
			if out == nil || (r.emptyOK && len(bytes.TrimSpace(data)) == 0) {
				return nil
			}
			return decode(r.method, r.path, resp, data, out)
		}
		apiErr := c.apiError(r.method, r.path, resp, data)
		if resp.StatusCode == http.StatusUnauthorized && !r.login && !reauthed {
			// The token may have expired or been revoked: fetch a new one,
			// exactly once per request.
			c.dropToken(tok)
			reauthed = true
			continue
		}
		wait, err := c.retryWait(r.retry, apiErr, attempt)
		if err != nil {
			return err
		}
		attempt++
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
	}
}

// send performs one HTTP exchange under the rate limit and the per-attempt
// timeout and reads the whole body.
func (c *Client) send(ctx context.Context, r request, base, auth string) (*http.Response, []byte, error) {
	if err := c.limiter.wait(ctx); err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, u, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", r.contentType)
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
		return nil, nil, fmt.Errorf("%s %s: %w", r.method, r.path, ctx.Err())
	case errors.Is(err, context.DeadlineExceeded) || actx.Err() != nil:
		return nil, nil, &TimeoutError{Method: r.method, Path: r.path, After: c.cfg.Timeout}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return nil, nil, &ConnError{Method: r.method, URL: base + r.path, Err: err}
}

// checked is a success document that can tell it lacks what it must hold.
type checked interface{ check() error }

// decode unmarshals a success body into out.
func decode(method, path string, resp *http.Response, body []byte, out any) error {
	err := json.Unmarshal(body, out)
	if c, ok := out.(checked); ok && err == nil {
		err = c.check()
	}
	if err != nil {
		return &MalformedError{Method: method, Path: path, Status: resp.StatusCode, CorrelationID: correlationID(resp.Header), Err: err}
	}
	return nil
}
