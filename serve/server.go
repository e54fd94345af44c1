package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/simulate"
)

// Limits of the bridge.
const (
	// MaxMessage is the longest user or agent message, in bytes.
	MaxMessage = 4000
	// DefaultMaxChats bounds the chats kept at once.
	DefaultMaxChats = 10000
	// maxFrame bounds a websocket frame from a page.
	maxFrame = 16 << 10
	// maxWebhookBody bounds a webhook request body.
	maxWebhookBody = 256 << 10
	// genesysTimeout bounds one handover or message exchange with Genesys.
	genesysTimeout = 60 * time.Second
)

// Options configure a Server.
type Options struct {
	// FlowPath is the flow file served and watched.
	FlowPath string
	// Org seeds the emulator; nil means DefaultOrg of the flow's queues.
	// OrgPath is its file, referenced by saved tests ("" for none).
	Org     *org.File
	OrgPath string
	// Client is the org's OAuth client (name or id) the bridge uses; "" when
	// the org has one.
	Client string
	// Genesys, when set, is a real Genesys Cloud; nil means the emulator.
	Genesys *RealGenesys
	// TranscriptDir receives one CHAT.jsonl file per chat; "" keeps
	// transcripts in memory only.
	TranscriptDir string
	// TestDir is where "save as test" writes; "" means the flow's directory.
	TestDir string
	// AllowRemote accepts requests whatever their Host header. Without it
	// only loopback host names are served (against DNS rebinding).
	AllowRemote bool
	// Log receives progress and errors (never secrets); nil discards them.
	Log io.Writer
	// MaxChats bounds the chats kept; 0 means DefaultMaxChats.
	MaxChats int

	// clock runs the chats' inactivity timers; nil means the real clock
	// (tests watch it).
	clock simulate.Clock
}

// RealGenesys is what the bridge needs from a real Genesys Cloud org.
type RealGenesys struct {
	Config        genesys.Config // OAuth client and region
	IntegrationID string         // the Open Messaging integration
	WebhookSecret string         // its outbound webhook signature secret
}

// Server is the bridge: pages, websockets, webhook, emulator and chats.
type Server struct {
	opts   Options
	ctx    context.Context // ends when the server closes
	cancel context.CancelFunc
	logMu  sync.Mutex

	gc            *genesys.Client
	integrationID string
	secret        string // webhook secret: never logged or served

	em      *emulator.Server // nil with real Genesys
	emSrv   *http.Server
	agents  []string
	queues  []string
	deskHub *deskHub

	flow *flowWatch

	clock simulate.Clock // Options.clock or the real clock

	mu         sync.Mutex
	chats      map[string]*chat
	byConv     map[string]*chat // Genesys conversation id -> chat
	byCustomer map[string]*chat // Open Messaging customer id -> chat
	conns      map[*pageConn]struct{}

	// ops counts the chat operations running (a handover, a message on its
	// way to Genesys, a webhook); once closing is set no new one starts and
	// Close waits for the running ones. Page handlers are counted in pages.
	opsMu   sync.Mutex
	opsDone *sync.Cond
	ops     int
	closing bool
	pages   sync.WaitGroup

	transcripts *transcriptWriter
	handler     http.Handler
	wg          sync.WaitGroup
	closeOnce   sync.Once
}

// errShuttingDown refuses work once Close has begun.
var errShuttingDown = errors.New("the server is shutting down")

// beginOp registers a chat operation; false once the server is closing.
func (s *Server) beginOp() bool {
	s.opsMu.Lock()
	defer s.opsMu.Unlock()
	if s.closing {
		return false
	}
	s.ops++
	return true
}

func (s *Server) endOp() {
	s.opsMu.Lock()
	s.ops--
	if s.ops == 0 {
		s.opsDone.Broadcast()
	}
	s.opsMu.Unlock()
}

// beginPage registers a page's websocket handler; false once closing.
func (s *Server) beginPage() bool {
	s.opsMu.Lock()
	defer s.opsMu.Unlock()
	if s.closing {
		return false
	}
	s.pages.Add(1)
	return true
}

// stopAccepting sets closing and returns a channel closed once no
// operation runs any more.
func (s *Server) stopAccepting() <-chan struct{} {
	s.opsMu.Lock()
	s.closing = true
	s.opsMu.Unlock()
	idle := make(chan struct{})
	go func() {
		s.opsMu.Lock()
		for s.ops > 0 {
			s.opsDone.Wait()
		}
		s.opsMu.Unlock()
		close(idle)
	}()
	return idle
}

// New prepares a server: it loads the flow (an unreadable file is an error;
// an invalid one is served with its findings), and in emulator mode starts
// the emulator on its own loopback listener.
func New(opts Options) (*Server, error) {
	if opts.MaxChats <= 0 {
		opts.MaxChats = DefaultMaxChats
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.clock == nil {
		opts.clock = simulate.RealClock{}
	}
	fw, err := newFlowWatch(opts.FlowPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts: opts, ctx: ctx, cancel: cancel, flow: fw, clock: opts.clock,
		chats: map[string]*chat{}, byConv: map[string]*chat{}, byCustomer: map[string]*chat{},
		conns: map[*pageConn]struct{}{},
	}
	s.opsDone = sync.NewCond(&s.opsMu)
	fw.onChange = s.flowChanged
	if opts.TranscriptDir != "" {
		if s.transcripts, err = newTranscriptWriter(opts.TranscriptDir); err != nil {
			cancel()
			return nil, fmt.Errorf("cannot create the transcripts directory %s: %w", opts.TranscriptDir, err)
		}
	}
	if opts.Genesys != nil {
		err = s.setupReal(opts.Genesys)
	} else {
		err = s.setupEmulator()
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	s.handler = s.routes()
	s.wg.Add(1)
	go s.janitor()
	return s, nil
}

func (s *Server) setupReal(rg *RealGenesys) error {
	switch {
	case strings.TrimSpace(rg.IntegrationID) == "":
		return errors.New("real Genesys needs the Open Messaging integration id")
	case rg.WebhookSecret == "":
		return errors.New("real Genesys needs the webhook signature secret")
	}
	gc, err := genesys.New(rg.Config)
	if err != nil {
		return err
	}
	s.gc, s.integrationID, s.secret = gc, strings.TrimSpace(rg.IntegrationID), rg.WebhookSecret
	return nil
}

// Emulated reports whether the bridge hands over to the built-in emulator.
func (s *Server) Emulated() bool { return s.em != nil }

// Emulator returns the built-in emulator, or nil with real Genesys.
func (s *Server) Emulator() *emulator.Server { return s.em }

// CheckGenesys authenticates against Genesys and returns the organisation
// and OAuth client names, to fail fast on bad credentials.
func (s *Server) CheckGenesys(ctx context.Context) (org, client string, err error) {
	ti, err := s.gc.TokenInfo(ctx)
	if err != nil {
		return "", "", err
	}
	client = "?"
	if ti.OAuthClient != nil {
		client = ti.OAuthClient.Name
	}
	return ti.Organization.Name, client, nil
}

// Handler returns the bridge's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// SetBaseURL tells the server where it is reachable from this machine
// (e.g. http://127.0.0.1:8080); the emulator delivers webhooks there.
func (s *Server) SetBaseURL(u string) error {
	u = strings.TrimRight(u, "/")
	if s.em != nil {
		return s.em.SetWebhookURL(s.integrationID, u+"/webhook")
	}
	return nil
}

// Serve serves on ln until ctx ends, then shuts down gracefully: open
// websockets are closed, transcripts flushed and the emulator stopped.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.SetBaseURL(LocalURL(ln.Addr())); err != nil {
		return err
	}
	if err := s.flow.watch(s.ctx, s.logf); err != nil {
		s.logf("flow file not watched: %v", err)
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close stops the server's work: no new chat operation or page starts,
// running operations get a few seconds to finish, then everything is
// cancelled, pages are disconnected, every chat is stopped (no inactivity
// timer fires any more), the watcher and the emulator stop, and the
// transcripts are flushed. It is safe to call twice.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		// Let running operations (a handover, a message on its way to
		// Genesys) finish, for a while, before cancelling them.
		idle := s.stopAccepting()
		t := time.NewTimer(5 * time.Second)
		select {
		case <-idle:
		case <-t.C:
		}
		t.Stop()
		s.cancel()
		<-idle // cancelled, the rest end quickly
		s.pages.Wait()
		s.mu.Lock()
		chats := make([]*chat, 0, len(s.chats))
		for _, c := range s.chats {
			chats = append(chats, c)
		}
		s.mu.Unlock()
		for _, c := range chats {
			c.stop("")
		}
		if s.em != nil {
			s.em.Close()
		}
		if s.emSrv != nil {
			s.emSrv.Close()
		}
		s.wg.Wait()
		s.flow.close()
		if s.transcripts != nil {
			err = s.transcripts.close()
		}
	})
	return err
}

// LocalURL is the http URL at which this machine reaches addr: an
// unspecified address (0.0.0.0, ::) becomes 127.0.0.1.
func LocalURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (s *Server) logf(format string, a ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opts.Log, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
}

// janitor forgets chats nobody looks at any more: closed ones after an
// hour, any after a day.
func (s *Server) janitor() {
	defer s.wg.Done()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case now := <-t.C:
			s.evict(now)
		}
	}
}

func (s *Server) evict(now time.Time) {
	s.mu.Lock()
	var drop []*chat
	for _, c := range s.chats {
		if c.evictable(now) {
			drop = append(drop, c)
		}
	}
	for _, c := range drop {
		s.forgetLocked(c)
	}
	s.mu.Unlock()
	for _, c := range drop {
		c.stop("")
	}
}

// evictOneLocked forgets the least recently active chat that no page
// shows, to make room for a new one; nil when every chat has a page.
func (s *Server) evictOneLocked() *chat {
	var lru *chat
	var at time.Time
	for _, c := range s.chats {
		c.mu.Lock()
		free, last := len(c.subs) == 0, c.lastActive
		c.mu.Unlock()
		if free && (lru == nil || last.Before(at)) {
			lru, at = c, last
		}
	}
	if lru != nil {
		s.forgetLocked(lru)
	}
	return lru
}

// forgetLocked drops the chat and its conversation and customer ids, in
// constant time.
func (s *Server) forgetLocked(c *chat) {
	delete(s.chats, c.id)
	delete(s.byCustomer, c.customer)
	if c.mappedConv != "" && s.byConv[c.mappedConv] == c {
		delete(s.byConv, c.mappedConv)
	}
	c.mappedConv = ""
}
