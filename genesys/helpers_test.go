package genesys_test

import (
	"encoding/json"
	"net/http"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/genesystest"
)

const sentinelSecret = genesystest.Secret

var (
	acmeOrg   = genesystest.Acme
	emulate   = genesystest.Emulate
	acmeNames = genesystest.AcmeNames
	acmeWant  = genesystest.AcmeVerdicts
)

// writeJSON answers v as JSON with status, for hand-written test servers.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers a Genesys error body.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, genesys.ErrorBody{Status: status, Code: code, Message: msg})
}
