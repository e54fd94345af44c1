package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/flowctl/flowctl/genesys"
)

// What every endpoint's handler shares: the permission checks, the request
// body and the answer, worded as Genesys words them.

// require answers 403 missing.permissions unless the client holds perm in
// some division.
func (e *Server) require(w http.ResponseWriter, c *call, perm string) bool {
	if e.org.ClientCan(c.client, perm, "") {
		return true
	}
	writeError(w, http.StatusForbidden, "missing.permissions", "Unable to perform the requested action. You are missing the following permission(s): ["+perm+"]")
	return false
}

// requireAny answers 403 missing.any.permissions unless the client holds one
// of perms in some division.
func (e *Server) requireAny(w http.ResponseWriter, c *call, perms ...string) bool {
	for _, p := range perms {
		if e.org.ClientCan(c.client, p, "") {
			return true
		}
	}
	writeError(w, http.StatusForbidden, "missing.any.permissions", "Unable to perform the requested action. You must have at least one of the following permissions assigned: ["+strings.Join(perms, ", ")+"]")
	return false
}

// permittedRequest answers 403 unless the caller holds one of perms, then
// reads the JSON body as a T (answering 400 or 413 itself).
func permittedRequest[T any](e *Server, w http.ResponseWriter, r *http.Request, c *call, perms ...string) (T, bool) {
	var req T
	if !e.requireAny(w, c, perms...) {
		return req, false
	}
	_, ok := readJSON(w, r, &req)
	return req, ok
}

// maxRequestBytes is Genesys's request.bytes.max organisation limit.
const maxRequestBytes = 512000

// readJSON decodes a request body of at most maxRequestBytes, answering 400
// or 413 itself on failure.
func readJSON(w http.ResponseWriter, r *http.Request, v any) ([]byte, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "request.entity.too.large", "The request is larger than the organization's request.bytes.max limit.")
		} else {
			writeError(w, http.StatusBadRequest, "bad.request", "The request could not be read.")
		}
		return nil, false
	}
	if err := json.Unmarshal(data, v); err != nil {
		writeError(w, http.StatusBadRequest, "bad.request", "The request could not be understood by the server due to malformed syntax.")
		return nil, false
	}
	return data, true
}

// writeError writes a Genesys ErrorBody whose contextId is the response's
// correlation id.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, genesys.ErrorBody{
		Status: status, Code: code, Message: msg,
		ContextID: w.Header().Get("ININ-Correlation-Id"),
		Details:   []genesys.ErrorDetail{}, Errors: []genesys.ErrorBody{},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
