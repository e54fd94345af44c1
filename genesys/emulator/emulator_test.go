package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
	"github.com/flowctl/flowctl/genesys/org"
)

// emuGet sends an authenticated GET to the emulator and decodes the answer.
func emuGet(t *testing.T, em *emulator.Server, tok, target string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", target, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	em.ServeHTTP(rec, req)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: %v: %s", target, err, rec.Body)
	}
	return rec.Code, body
}

func TestEmulatorEndpoints(t *testing.T) {
	o := acmeOrg(t)
	em, _, _ := emulate(t, o, emulator.Options{}, nil)
	tok := token(t, em, o)
	billing, support := o.Queue("Billing Support").ID, o.Queue("Support EN").ID
	tests := []struct {
		target string
		status int
		want   []string // substrings of the JSON answer
		total  float64  // for listings: the total, or -1
	}{
		{target: "/api/v2/routing/queues?id=" + billing + "&id=" + support, status: 200, total: 2},
		{target: "/api/v2/routing/queues?id=" + billing + "," + support, status: 200, total: 2},
		{target: "/api/v2/routing/queues?name=billing%20SUPPORT", status: 200, total: 1},
		{target: "/api/v2/routing/queues?name=Support*", status: 200, total: 2},
		{target: "/api/v2/routing/queues?name=*EN", status: 200, total: 1},
		{target: "/api/v2/routing/queues?divisionId=" + o.Division("Sales").ID, status: 200, total: 1},
		{target: "/api/v2/routing/queues?pageSize=2&pageNumber=2", status: 200, total: 3, want: []string{`"previousUri":"/api/v2/routing/queues?pageSize=2\u0026pageNumber=1"`, `"pageCount":2`}},
		{target: "/api/v2/routing/queues?pageSize=501", status: 400, want: []string{`"code":"bad.request"`}},
		{target: "/api/v2/routing/queues/divisionviews?name=Sales%20EN", status: 200, total: 1},
		{target: "/api/v2/routing/queues/divisionviews?pageSize=101", status: 400},
		{target: "/api/v2/routing/queues/divisionviews?pageNumber=6", status: 400},
		{target: "/api/v2/routing/queues/divisionviews/all?pageSize=500", status: 200, total: 5},
		{target: "/api/v2/routing/queues/" + o.Queue("Sales EN").ID, status: 403, want: []string{`"code":"not.authorized"`}},
		{target: "/api/v2/routing/queues/nope", status: 404, want: []string{`"code":"not.found"`}},
		{target: "/api/v2/authorization/divisions", status: 200, total: 3},
		{target: "/api/v2/authorization/divisions/home", status: 200, want: []string{`"homeDivision":true`, `"description":"Default Division"`}},
		{target: "/api/v2/oauth/clients/" + o.OAuthClients[0].ID, status: 403, want: []string{`"code":"missing.permissions"`, "oauth:client:view"}},
		{target: "/api/v2/authorization/subjects/me", status: 400, want: []string{`"code":"bad.request"`, "user context"}}, // the default: the client's fallbacks run
		{target: "/api/v2/tokens/me", status: 200, want: []string{`"OAuthClient":{`, `"id":"` + o.OAuthClients[0].ID + `","name":"Bot integration"`}},
		{target: "/api/v2/no/such/thing", status: 404, want: []string{`"code":"not.found"`}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			status, body := emuGet(t, em, tok, tt.target)
			raw, _ := json.Marshal(body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, raw)
			}
			if tt.total > 0 && body["total"] != tt.total {
				t.Errorf("total %v, want %v: %s", body["total"], tt.total, raw)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(raw), w) {
					t.Errorf("answer lacks %s: %s", w, raw)
				}
			}
			if status >= 400 && body["contextId"] == "" {
				t.Errorf("error without contextId: %s", raw)
			}
		})
	}
	if status, body := emuGet(t, em, "", "/api/v2/tokens/me"); status != 401 || body["code"] != "authentication.required" {
		t.Errorf("no token: %d %v", status, body)
	}
}

func TestEmulatorSubjectsMeGrants(t *testing.T) {
	o := acmeOrg(t)
	em, _, _ := emulate(t, o, emulator.Options{SubjectsMe: "grants"}, nil)
	status, body := emuGet(t, em, token(t, em, o), "/api/v2/authorization/subjects/me")
	raw, _ := json.Marshal(body)
	if status != 200 || !strings.Contains(string(raw), `"actions":["view"]`) || !strings.Contains(string(raw), `"domain":"routing"`) {
		t.Fatalf("HTTP %d %s", status, raw)
	}
}

// An unknown client id gets 400 invalid_client "client not found"; a
// wrong secret 401 (genesys-api.md §0.7).
func TestEmulatorOAuthErrors(t *testing.T) {
	o := acmeOrg(t)
	em := emulator.New(o, emulator.Options{})
	for _, tt := range []struct {
		id, secret string
		status     int
		body       string
	}{
		{"no-such-client", "x", 400, `{"error":"invalid_client","description":"client not found"}`},
		{o.OAuthClients[0].ID, "wrong", 401, `"error":"invalid_client"`},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(tt.id, tt.secret)
		em.ServeHTTP(rec, req)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%s: HTTP %d %s", tt.id, rec.Code, rec.Body)
		}
		if tt.status == 400 {
			genesystest.CheckShape(t, "oauth-invalid-client.json", rec.Body.Bytes())
		}
	}
}

func TestEmulatorUnknownToken(t *testing.T) {
	o := acmeOrg(t)
	em := emulator.New(o, emulator.Options{})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v2/tokens/me", nil)
	req.Header.Set("Authorization", "Bearer nope")
	em.ServeHTTP(rec, req)
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), `"code":"bad.credentials"`) ||
		!strings.Contains(rec.Body.String(), `"contextId":"`+rec.Header().Get("ININ-Correlation-Id")+`"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

func TestEmulatorHiddenQueue404(t *testing.T) {
	o := acmeOrg(t)
	em, _, _ := emulate(t, o, emulator.Options{HiddenQueueStatus: http.StatusNotFound}, nil)
	tok := token(t, em, o)
	if status, body := emuGet(t, em, tok, "/api/v2/routing/queues/"+url.PathEscape(o.Queue("Sales EN").ID)); status != 404 || body["code"] != "not.found" {
		t.Errorf("%d %v", status, body)
	}
}

func TestParseFaultKind(t *testing.T) {
	if k, err := emulator.ParseFaultKind("429"); err != nil || k != emulator.FaultRateLimit {
		t.Errorf("%v %v", k, err)
	}
	if _, err := emulator.ParseFaultKind("boom"); err == nil || !strings.Contains(err.Error(), `unknown fault "boom": want one of 429, 500, 503, 403, slow, hang, expired, malformed`) {
		t.Errorf("%v", err)
	}
}

func TestEmulatorPagingBounds(t *testing.T) {
	o := acmeOrg(t)
	em, _, _ := emulate(t, o, emulator.Options{}, nil)
	tok := token(t, em, o)
	tests := []struct {
		target   string
		status   int
		entities int
	}{
		{target: "/api/v2/routing/queues?pageSize=500&pageNumber=9223372036854775807", status: 400},
		{target: "/api/v2/routing/queues?pageSize=500&pageNumber=2147483647", status: 200, entities: 0},
		{target: "/api/v2/routing/queues?pageSize=2147483647", status: 400},
		{target: "/api/v2/routing/queues?pageSize=1&pageNumber=2", status: 200, entities: 1},
		{target: "/api/v2/routing/queues?pageSize=0", status: 400},
		{target: "/api/v2/routing/queues?pageNumber=-1", status: 400},
		{target: "/api/v2/routing/queues?pageSize=x", status: 400},
		{target: "/api/v2/authorization/divisions?pageSize=9223372036854775807", status: 400},
		{target: "/api/v2/authorization/divisions?pageSize=2147483647", status: 400},
		{target: "/api/v2/authorization/divisions?pageSize=500&pageNumber=2147483647", status: 200, entities: 0},
		{target: "/api/v2/routing/queues/divisionviews?pageNumber=6", status: 400},
		{target: "/api/v2/routing/queues/divisionviews?pageSize=101", status: 400},
		{target: "/api/v2/routing/queues/divisionviews/all?pageSize=500&pageNumber=9223372036854775807", status: 400},
	}
	for _, tt := range tests {
		status, body := emuGet(t, em, tok, tt.target)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d: %v", tt.target, status, tt.status, body)
			continue
		}
		if status != 200 {
			if body["code"] != "bad.request" {
				t.Errorf("%s: %v", tt.target, body)
			}
			continue
		}
		if got := len(body["entities"].([]any)); got != tt.entities {
			t.Errorf("%s: %d entities, want %d", tt.target, got, tt.entities)
		}
	}
}

func TestEmulatorPrunesExpiredTokens(t *testing.T) {
	clock := genesystest.NewClock()
	o := acmeOrg(t)
	em := emulator.New(o, emulator.Options{TokenTTL: time.Minute, Now: clock.Now})
	for range 3 {
		token(t, em, o)
		clock.Sleep(context.Background(), 2*time.Minute) // the token just issued expires
	}
	token(t, em, o)
	if n := em.Tokens(); n != 1 {
		t.Errorf("%d tokens kept, want only the live one", n)
	}
}

// token signs in as o's first OAuth client.
func token(t *testing.T, em *emulator.Server, o *org.File) string {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(o.OAuthClients[0].ID, o.OAuthClients[0].Secret)
	em.ServeHTTP(rec, req)
	var tr genesys.TokenResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); rec.Code != 200 || err != nil || tr.AccessToken == "" {
		t.Fatalf("sign-in: HTTP %d %s", rec.Code, rec.Body)
	}
	return tr.AccessToken
}
