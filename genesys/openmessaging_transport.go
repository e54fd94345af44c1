package genesys

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
		resp, data, err := c.send(ctx, method, c.endpoints.API, path, query, body, "application/json", "Bearer "+tok)
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
