package serve

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"sync"
	"time"
)

//go:embed assets
var assetFS embed.FS

// pages are the embedded HTML pages and templates, parsed on first use
// (not when any flowctl command starts).
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(assetFS, "assets/*.html"))
})

// routes builds the bridge's handler. Everything but the webhook (which
// Genesys reaches through a public URL and which proves itself by its
// signature) is served only to the host names the server knows.
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
		w.Write([]byte("ok\nlifecycle: " + s.bridge.lifecycleSource() + "\n"))
	})
	guarded := s.hostCheck(securityHeaders(mux))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/webhook" {
			s.bridge.webhook(w, r, s.deliver)
			return
		}
		if r.Header.Get("Upgrade") == "" {
			// A body (none is read) must not hold the connection either;
			// a websocket's connection outlives its request.
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.opts.timing.requestRead))
		}
		guarded.ServeHTTP(w, r)
	})
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
	if err := pages().ExecuteTemplate(&b, name, data); err != nil {
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
	ID, Session, State string
	Started            time.Time
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
		for _, c := range s.reg.all() {
			c.mu.Lock()
			rows = append(rows, transcriptRow{ID: c.id, Session: c.session, State: c.state.State, Started: c.created})
			c.mu.Unlock()
		}
		slices.SortFunc(rows, func(a, b transcriptRow) int { return b.Started.Compare(a.Started) })
		s.render(w, http.StatusOK, "transcripts.html", map[string]any{"Chats": rows})
		return
	}
	c := s.reg.get(id)
	if c == nil {
		s.render(w, http.StatusNotFound, "transcript.html", map[string]any{"Missing": id})
		return
	}
	c.mu.Lock()
	evs, dropped := c.log.page()
	data := map[string]any{
		"ID": c.id, "Session": c.session, "Events": evs, "State": c.state.State, "Started": c.created,
		"Dropped": dropped, "OnDisk": s.transcripts != nil,
	}
	c.mu.Unlock()
	s.render(w, http.StatusOK, "transcript.html", data)
}

// transcriptJSONL is one chat's transcript as JSON lines: the engine
// events kept (see chatLog), encoded outside the chat's lock.
func (s *Server) transcriptJSONL(w http.ResponseWriter, r *http.Request) {
	c := s.reg.get(r.URL.Query().Get("chat"))
	if c == nil {
		http.Error(w, "no such chat", http.StatusNotFound)
		return
	}
	c.mu.Lock()
	entries := c.log.events()
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.id+`.jsonl"`)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, e := range entries {
		enc.Encode(lineOf(c.id, e.ev, e.genesysErr))
	}
	bw.Flush()
}
