package genesys

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrorBody is the platform API error document (and, on the fields it shares,
// the OAuth error document).
type ErrorBody struct {
	Message           string            `json:"message,omitempty"`
	Code              string            `json:"code,omitempty"`
	Status            int               `json:"status,omitempty"`
	EntityID          string            `json:"entityId,omitempty"`
	EntityName        string            `json:"entityName,omitempty"`
	MessageWithParams string            `json:"messageWithParams,omitempty"`
	MessageParams     map[string]string `json:"messageParams,omitempty"`
	ContextID         string            `json:"contextId,omitempty"`
	Details           []ErrorDetail     `json:"details"`
	Errors            []ErrorBody       `json:"errors"`
}

// ErrorDetail is one entry of ErrorBody.Details.
type ErrorDetail struct {
	ErrorCode  string `json:"errorCode,omitempty"`
	FieldName  string `json:"fieldName,omitempty"`
	EntityID   string `json:"entityId,omitempty"`
	EntityName string `json:"entityName,omitempty"`
}

// OAuthError is the error document of POST /oauth/token.
type OAuthError struct {
	Error            string `json:"error"`
	Description      string `json:"description"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// APIError is a non-success answer from Genesys Cloud.
type APIError struct {
	Method string // GET, POST
	Path   string // request path without the query
	Status int    // HTTP status
	// Code is the Genesys error code ("bad.credentials", "missing.permissions")
	// or, from the OAuth endpoint, the OAuth error ("invalid_client").
	Code          string
	Message       string
	CorrelationID string // ININ-Correlation-Id header, or contextId
	// RetryAfter is the server's Retry-After on 429 responses; one too long
	// for a Duration is math.MaxInt64.
	RetryAfter time.Duration
	// RateLimited is true for a 429, and for the 400 invalid_request
	// "rate limit exceeded;" answer of the OAuth endpoint.
	RateLimited bool
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " (correlation id %s)", e.CorrelationID)
	}
	return b.String()
}

// parseAPIError builds an APIError from a response body of either shape.
func parseAPIError(method, path string, resp *http.Response, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: resp.StatusCode, CorrelationID: correlationID(resp.Header), RateLimited: resp.StatusCode == http.StatusTooManyRequests}
	var eb ErrorBody
	if json.Unmarshal(body, &eb) == nil && (eb.Code != "" || eb.Message != "") {
		e.Code, e.Message = eb.Code, eb.Message
		if e.CorrelationID == "" {
			e.CorrelationID = eb.ContextID
		}
	} else {
		var oe OAuthError
		if json.Unmarshal(body, &oe) == nil && oe.Error != "" {
			e.Code = oe.Error
			e.Message = oe.ErrorDescription
			if e.Message == "" {
				e.Message = oe.Description
			}
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	if resp.StatusCode/100 == 3 {
		// A redirect is never followed (it would carry the credentials on).
		e.Code, e.Message = "", "redirect not followed"
		if loc := resp.Header.Get("Location"); loc != "" {
			e.Message = "redirect to " + strconv.Quote(redactUserinfo(loc)) + " not followed"
		}
	}
	// A rate-limited token request is a 400 invalid_request whose
	// description starts "rate limit exceeded;".
	if e.Status == http.StatusBadRequest && e.Code == "invalid_request" && strings.HasPrefix(strings.ToLower(e.Message), "rate limit exceeded") {
		e.RateLimited = true
	}
	e.Message = clip(e.Message, 300)
	return e
}

func correlationID(h http.Header) string {
	if v := h.Get("ININ-Correlation-Id"); v != "" {
		return v
	}
	return h.Get("Genesys-Correlation-Id")
}

// TimeoutError reports a request that got no answer in time.
type TimeoutError struct {
	Method, Path string
	After        time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s %s: no response within %s", e.Method, e.Path, e.After)
}

// MalformedError reports a success response whose body is not the JSON
// document expected.
type MalformedError struct {
	Method, Path  string
	Status        int
	CorrelationID string
	Err           error
}

func (e *MalformedError) Error() string {
	s := fmt.Sprintf("%s %s: malformed JSON in HTTP %d response: %v", e.Method, e.Path, e.Status, e.Err)
	if e.CorrelationID != "" {
		s += fmt.Sprintf(" (correlation id %s)", e.CorrelationID)
	}
	return s
}

func (e *MalformedError) Unwrap() error { return e.Err }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// IsRefusal reports whether err is the server declining this request (400,
// 403, 404) rather than an operational failure.
func IsRefusal(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Status == http.StatusBadRequest || ae.Status == http.StatusForbidden || ae.Status == http.StatusNotFound
}

// isMissingPermission reports whether err is a 403 saying the caller lacks
// a permission.
func isMissingPermission(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusForbidden && (ae.Code == "missing.permissions" || ae.Code == "missing.any.permissions")
}
