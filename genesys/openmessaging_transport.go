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

// doJSON sends a JSON request body (POST) and decodes the JSON answer into
// out (nil: the body is ignored). Like get, it authenticates and
// re-authenticates once on 401; it retries only 429, honouring Retry-After,
// since a retried POST could deliver a message twice.
func (c *Client) doJSON(ctx context.Context, method, path string, query url.Values, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	reauthed := false
	attempt := 0
	for {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		resp, data, err := c.sendJSON(ctx, method, path, query, body, "Bearer "+tok)
		if err != nil {
			return err
		}
		if resp.StatusCode/100 == 2 {
			if out == nil || len(bytes.TrimSpace(data)) == 0 {
				return nil
			}
			return decode(method, path, resp, data, out)
		}
		apiErr := c.apiError(method, path, resp, data)
		if resp.StatusCode == http.StatusUnauthorized && !reauthed {
			c.dropToken(tok)
			reauthed = true
			continue
		}
		if apiErr.Status != http.StatusTooManyRequests {
			return apiErr
		}
		wait, ok := c.retryWait(apiErr, attempt)
		if !ok {
			return apiErr
		}
		attempt++
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
}

// sendJSON performs one exchange with a JSON body under the rate limit and
// the per-attempt timeout, and reads the whole answer.
func (c *Client) sendJSON(ctx context.Context, method, path string, query url.Values, body []byte, auth string) (*http.Response, []byte, error) {
	if err := c.limiter.wait(ctx); err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := c.endpoints.API + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(actx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
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
	return nil, nil, &ConnError{Method: method, URL: c.endpoints.API + path, Err: err}
}
