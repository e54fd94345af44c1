package serve

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/simulate"
)

// Server wires the bridge together: the chats (a registry, an operation
// gate), the bridge to Genesys, the pages and their websockets, the flow
// watcher and the transcripts.
type Server struct {
	opts   Options
	ctx    context.Context // ends when the server closes
	cancel context.CancelFunc
	logMu  sync.Mutex

	gc     *genesys.Client
	bridge bridge
	emu    *emulated // nil with real Genesys

	flow        *flowWatch
	clock       simulate.Clock // Options.clock or the real clock
	reg         *chatRegistry
	gate        *opGate
	chatPages   *pageSet // chat pages, told about flow reloads
	clients     *clientCount
	hosts       *hostAllow
	transcripts *transcriptWriter
	handler     http.Handler
	wg          sync.WaitGroup
	closeOnce   sync.Once
}

// New prepares a server: it loads the flow (an unreadable file is an error;
// an invalid one is served with its findings), and in emulator mode starts
// the emulator on its own loopback listener.
func New(opts Options) (*Server, error) {
	if opts.MaxChats <= 0 {
		opts.MaxChats = DefaultMaxChats
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.MaxPagesPerClient <= 0 {
		opts.MaxPagesPerClient = DefaultMaxPagesPerClient
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.clock == nil {
		opts.clock = simulate.RealClock{}
	}
	opts.timing = opts.timing.withDefaults()
	if opts.maxWebhooks <= 0 {
		opts.maxWebhooks = maxWebhooks
	}
	fw, err := newFlowWatch(opts.FlowPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts: opts, ctx: ctx, cancel: cancel, flow: fw, clock: opts.clock,
		reg: newChatRegistry(opts.MaxChats), gate: newOpGate(), chatPages: newPageSet(),
		clients: newClientCount(opts.MaxPagesPerClient), hosts: newHostAllow(opts.PublicHosts),
	}
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

// Emulated reports whether the bridge hands over to the built-in emulator.
func (s *Server) Emulated() bool { return s.emu != nil }

// Emulator returns the built-in emulator, or nil with real Genesys.
func (s *Server) Emulator() *emulator.Server {
	if s.emu == nil {
		return nil
	}
	return s.emu.em
}

// Handler returns the bridge's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// SetBaseURL tells the server where it is reachable from this machine
// (e.g. http://127.0.0.1:8080): its host is one pages may use, and the
// emulator delivers webhooks there.
func (s *Server) SetBaseURL(u string) error {
	u = strings.TrimRight(u, "/")
	if host, _, err := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")); err == nil {
		s.hosts.add(host)
	}
	if s.emu != nil {
		return s.emu.em.SetWebhookURL(s.emu.integrationID, u+"/webhook")
	}
	return nil
}

// Serve serves on ln until ctx ends, then shuts down gracefully: open
// websockets are closed, transcripts flushed and the emulator stopped. At
// most MaxConns connections are open at once; others wait to be accepted.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.bridge.start()
	s.hosts.addListener(ln.Addr())
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
	go func() { errc <- hs.Serve(limitListener(ln, s.opts.MaxConns)) }()
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
		s.gate.drain(s.opts.timing.drain, s.cancel)
		for _, c := range s.reg.all() {
			c.stop("")
		}
		if s.bridge != nil {
			s.bridge.close() // the lifecycle source stops; the chats' conversations end
		}
		if s.emu != nil {
			s.emu.close()
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

// janitor forgets idle chats every minute (see chat.evictable).
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

// evict forgets and stops the chats idle at now.
func (s *Server) evict(now time.Time) {
	for _, c := range s.reg.evictIdle(now) {
		c.stop("")
	}
}

// deliver routes an agent message from the webhook to its chat.
func (s *Server) deliver(u agentUpdate) updateResult {
	c := s.reg.route(u.conversationID, u.customerID)
	if c == nil {
		return updateResult{http.StatusNotFound, "error", "no chat for conversation " + u.conversationID}
	}
	return c.accept(u)
}

// lifecycleUpdate routes what the lifecycle source saw to its chat.
func (s *Server) lifecycleUpdate(u agentUpdate) {
	if c := s.reg.route(u.conversationID, u.customerID); c != nil {
		c.lifecycleUpdate(u)
	}
}
