package serve

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

//go:embed assets
var assetFS embed.FS

// pages are the embedded HTML pages and templates.
var pages = template.Must(template.ParseFS(assetFS, "assets/*.html"))

// routes builds the bridge's handler. Everything but the webhook (which
// Genesys reaches through a public URL and which proves itself by its
// signature) is served only to loopback host names unless AllowRemote.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assetFS, "assets")
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.page("chat.html"))
	mux.HandleFunc("GET /desk", s.deskPage)
	mux.HandleFunc("GET /transcript", s.transcriptPage)
	mux.HandleFunc("GET /transcript.jsonl", s.transcriptJSONL)
	mux.HandleFunc("GET /ws", s.handleChatWS)
	mux.HandleFunc("GET /desk/ws", s.handleDeskWS)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	guarded := s.hostCheck(securityHeaders(mux))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/webhook" {
			s.handleWebhook(w, r)
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

// hostCheck refuses requests whose Host is not a loopback name: a web page
// elsewhere cannot reach the bridge through DNS rebinding.
func (s *Server) hostCheck(next http.Handler) http.Handler {
	if s.opts.AllowRemote {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if !IsLoopbackHost(host) {
			http.Error(w, "flowctl serve answers only to loopback host names (127.0.0.1, localhost, [::1]); see --allow-remote", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// IsLoopbackHost reports whether host (a name or an IP address, in
// brackets or not) is this machine's loopback: localhost, 127.0.0.0/8 or
// ::1.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// securityHeaders keeps the pages to their own scripts and origin.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// page renders an embedded page with the server's facts.
func (s *Server) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, st := s.flow.current()
		s.render(w, http.StatusOK, name, map[string]any{"Flow": st, "Desk": s.Emulated()})
	}
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) deskPage(w http.ResponseWriter, r *http.Request) {
	if !s.Emulated() {
		s.render(w, http.StatusNotFound, "nodesk.html", nil)
		return
	}
	s.page("desk.html")(w, r)
}

// transcriptRow is one chat in the transcript list.
type transcriptRow struct {
	ID, State string
	Started   time.Time
}

// transcriptPage shows one chat's log (?chat=ID), or the list of chats.
func (s *Server) transcriptPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("chat")
	if id == "" && s.opts.AllowRemote {
		// Chat ids are capabilities: do not list them to the network.
		http.Error(w, "the list of chats is not served with --allow-remote", http.StatusForbidden)
		return
	}
	if id == "" {
		var rows []transcriptRow
		s.mu.Lock()
		for _, c := range s.chats {
			c.mu.Lock()
			rows = append(rows, transcriptRow{ID: c.id, State: c.state.State, Started: c.created})
			c.mu.Unlock()
		}
		s.mu.Unlock()
		slices.SortFunc(rows, func(a, b transcriptRow) int { return b.Started.Compare(a.Started) })
		s.render(w, http.StatusOK, "transcripts.html", map[string]any{"Chats": rows})
		return
	}
	c := s.chat(id)
	if c == nil {
		s.render(w, http.StatusNotFound, "transcript.html", map[string]any{"Missing": id})
		return
	}
	c.mu.Lock()
	data := map[string]any{
		"ID": c.id, "Events": append([]wireEvent(nil), c.history...), "State": c.state.State, "Started": c.created,
		"Dropped": c.dropped, "OnDisk": s.transcripts != nil,
	}
	c.mu.Unlock()
	s.render(w, http.StatusOK, "transcript.html", data)
}

// transcriptJSONL is one chat's transcript as JSON lines.
func (s *Server) transcriptJSONL(w http.ResponseWriter, r *http.Request) {
	c := s.chat(r.URL.Query().Get("chat"))
	if c == nil {
		http.Error(w, "no such chat", http.StatusNotFound)
		return
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	c.mu.Lock()
	for _, ev := range c.events {
		enc.Encode(lineOf(c.id, ev, c.failures[ev.Seq]))
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.id+`.jsonl"`)
	w.Write(b.Bytes())
}
