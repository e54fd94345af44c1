package genesys

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoffBase is the first wait before retrying a 5xx answer; it doubles on
// each retry up to backoffMax.
const (
	backoffBase = 250 * time.Millisecond
	backoffMax  = 8 * time.Second
)

// retryPolicy says which failed answers a request retries. Rate limiting
// (429, and the OAuth endpoint's 400 "rate limit exceeded;") is always
// retried after the server's Retry-After, or with backoff without one.
type retryPolicy int

const (
	// retryIdempotent also retries 5xx answers other than 501, with
	// backoff: what a GET or a sign-in may repeat.
	retryIdempotent retryPolicy = iota
	// retryRateLimited retries nothing else.
	retryRateLimited
)

// retryWait decides whether a failed attempt is retried and after how
// long; when it is not, the error says why. A Retry-After longer than
// MaxRetryAfter fails at once.
func (c *Client) retryWait(p retryPolicy, e *APIError, attempt int) (time.Duration, error) {
	if attempt >= c.cfg.MaxRetries {
		return 0, e
	}
	backoff := min(backoffBase<<attempt, backoffMax)
	switch {
	case e.RateLimited:
		if e.RetryAfter > c.cfg.MaxRetryAfter {
			return 0, e
		}
		if e.RetryAfter > 0 {
			return e.RetryAfter, nil
		}
		return backoff, nil
	case p == retryIdempotent && e.Status >= 500 && e.Status != http.StatusNotImplemented:
		return backoff, nil
	}
	return 0, e
}

func (c *Client) apiError(method, path string, resp *http.Response, body []byte) *APIError {
	e := parseAPIError(method, path, resp, body)
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.Now())
	return e
}

// maxRetryAfter stands for a Retry-After too long for a Duration: more
// seconds than it holds, or a date centuries away. It always exceeds
// Config.MaxRetryAfter, so the request gives up.
const maxRetryAfter = time.Duration(math.MaxInt64)

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date
// (0 when absent, negative, past or unreadable).
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case n < 0:
			return 0
		case err != nil || n > int64(maxRetryAfter/time.Second):
			return maxRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now) // saturates at maxRetryAfter
	}
	return 0
}
