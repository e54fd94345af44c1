package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// Server is an in-process Genesys Cloud serving an org file: OAuth client
// credentials and the platform endpoints flowctl uses, with Genesys's JSON
// shapes, division-scoped visibility, error bodies with correlation ids and
// switchable faults. Its state sits behind one mutex and its routes in one
// table, so more endpoints (Open Messaging) can join.
type Server struct {
	opts   Options
	routes []route
	done   chan struct{}
	close  sync.Once

	mu       sync.Mutex
	org      *org.File
	tokens   map[string]emuToken
	faults   []*Fault
	requests int64
	log      []string // "METHOD /path" of the requests served, in order

	msg    *messaging // Open Messaging conversations (messaging.go)
	notify *notifyHub // notification channels (notify.go)
}

type emuToken struct {
	clientID string
	expires  time.Time
}

// route is one endpoint: a method and a path pattern whose {name} segments
// match any one segment. auth routes need a bearer token and receive its
// client.
type route struct {
	method, pattern string
	auth            bool
	handle          func(e *Server, w http.ResponseWriter, r *http.Request, c *call)
}

// call is one request being served.
type call struct {
	client *org.Client       // nil on routes without auth
	params map[string]string // path parameters
	query  url.Values
}

// New returns an emulator serving o (as loaded by org.Load).
func New(o *org.File, opts Options) *Server {
	opts = opts.withDefaults()
	e := &Server{opts: opts, org: o, tokens: map[string]emuToken{}, done: make(chan struct{})}
	e.routes = slices.Concat(platformRoutes, messagingRoutes, notifyRoutes)
	e.msg = newMessaging(opts.WebhookTimeout)
	e.notify = newNotifyHub()
	return e
}

// Close ends hanging requests and notification sockets; call it before
// closing the server.
func (e *Server) Close() {
	e.close.Do(func() {
		close(e.done)
		e.notify.closeAll()
	})
}

// Requests returns the number of requests served.
func (e *Server) Requests() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests
}

// RequestLog returns "METHOD /path" for each request served, in order.
func (e *Server) RequestLog() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.log...)
}

// ResetRequests sets the request count to zero and clears the log.
func (e *Server) ResetRequests() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests, e.log = 0, nil
}

// ServeHTTP serves one request.
func (e *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ININ-Correlation-Id", genesys.NewID())
	e.mu.Lock()
	e.requests++
	if len(e.log) < 10000 {
		e.log = append(e.log, r.Method+" "+r.URL.Path)
	}
	e.mu.Unlock()

	if f := e.takeFault(r.URL.Path); f != nil && e.inject(w, r, f) {
		return
	}
	rt, params, ok := e.match(r)
	if !ok {
		writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
		return
	}
	c := &call{params: params, query: r.URL.Query()}
	if rt.auth {
		cl, ok := e.authenticate(w, r)
		if !ok {
			return
		}
		c.client = cl
	}
	rt.handle(e, w, r, c)
}

func (e *Server) match(r *http.Request) (route, map[string]string, bool) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for _, rt := range e.routes {
		if rt.method != r.Method {
			continue
		}
		pat := strings.Split(strings.Trim(rt.pattern, "/"), "/")
		if len(pat) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, p := range pat {
			if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
				params[p[1:len(p)-1]] = segs[i]
			} else if p != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params, true
		}
	}
	return route{}, nil, false
}

// inject applies a fault; false means serve the request normally after it.
func (e *Server) inject(w http.ResponseWriter, r *http.Request, f *Fault) bool {
	switch f.Kind {
	case FaultRateLimit:
		w.Header().Set("Retry-After", f.retryAfterSeconds())
		if r.URL.Path == "/oauth/token" {
			writeJSON(w, http.StatusBadRequest, genesys.OAuthError{Error: "invalid_request", Description: "rate limit exceeded; retry later", ErrorDescription: "rate limit exceeded; retry later"})
			return true
		}
		writeError(w, http.StatusTooManyRequests, "too.many.requests.retry.after", "Rate limit exceeded the maximum. Retry the request in ["+f.retryAfterSeconds()+"] seconds")
	case FaultServerError:
		writeError(w, http.StatusInternalServerError, "internal.server.error", "The server encountered an unexpected condition.")
	case FaultUnavailable:
		writeError(w, http.StatusServiceUnavailable, "service.unavailable", "The service is currently unavailable.")
	case FaultForbidden:
		writeError(w, http.StatusForbidden, "missing.permissions", "Unable to perform the requested action. You are missing the following permission(s): [routing:queue:view]")
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"entities":[{"id":"`))
	case FaultExpiredToken:
		if tok, ok := bearer(r); ok {
			e.mu.Lock()
			delete(e.tokens, tok)
			e.mu.Unlock()
		}
		writeError(w, http.StatusUnauthorized, "credentials.expired", "The supplied credentials are expired and cannot be used.")
	case FaultSlow, FaultHang:
		d := f.Delay
		if d <= 0 {
			d = 2 * time.Second
		}
		var timer <-chan time.Time
		if f.Kind == FaultSlow {
			t := time.NewTimer(d)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-timer:
			return false
		case <-r.Context().Done():
		case <-e.done:
		}
		writeError(w, http.StatusGatewayTimeout, "request.timeout", "The request timed out.")
	default:
		return false
	}
	return true
}

// authenticate finds the client of the request's bearer token, answering
// 401 itself when there is none.
func (e *Server) authenticate(w http.ResponseWriter, r *http.Request) (*org.Client, bool) {
	tok, ok := bearer(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "authentication.required", "No authentication bearer token specified in authorization header.")
		return nil, false
	}
	e.mu.Lock()
	t, known := e.tokens[tok]
	e.mu.Unlock()
	if !known {
		writeError(w, http.StatusUnauthorized, "bad.credentials", "Invalid login credentials.")
		return nil, false
	}
	if !e.opts.Now().Before(t.expires) {
		writeError(w, http.StatusUnauthorized, "credentials.expired", "The supplied credentials are expired and cannot be used.")
		return nil, false
	}
	for i := range e.org.OAuthClients {
		if c := &e.org.OAuthClients[i]; c.ID == t.clientID && c.Active() {
			return c, true
		}
	}
	writeError(w, http.StatusUnauthorized, "bad.credentials", "Invalid login credentials.")
	return nil, false
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}
