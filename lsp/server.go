package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// Name is the server's name in the initialize reply.
const Name = "flowctl"

// DefaultDebounce is how long diagnostics wait for the next edit before a
// document is checked again.
const DefaultDebounce = 10 * time.Millisecond

// Options configure a server. The zero value is a server that logs nowhere
// and never uses the network.
type Options struct {
	// Log receives log lines (a handler's panic, a file that could not be
	// read); nil discards them. Never the protocol stream.
	Log io.Writer
	// Version is reported to the client in the initialize reply.
	Version string
	// Online looks queues up in Genesys Cloud for a project whose config
	// sets online: true and names no org file; nil: such projects get no
	// queue checks. It is called when a file is opened or saved, not on
	// every edit.
	Online func(ctx context.Context, names []string) (*genesys.Facts, error)
	// Debounce is how long diagnostics wait for more edits; 0 means
	// DefaultDebounce.
	Debounce time.Duration
	// Config is the project config file for every document; "" means the
	// nearest flowctl.yaml above each document.
	Config string
}

// ErrNoShutdown is Serve's error when the client asked the server to exit
// (or closed the stream) without a shutdown request first; the protocol
// wants exit status 1 then.
var ErrNoShutdown = errors.New("the client ended the session without a shutdown request")

// Serve runs a language server on stream until the client sends exit (or
// closes the stream) or ctx is cancelled. Only protocol messages are
// written to stream.
func Serve(ctx context.Context, stream io.ReadWriteCloser, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return newServer(ctx, opts).serve(stream)
}

// serve runs the server on stream until exit, a closed stream or the end
// of its context.
func (s *Server) serve(stream io.ReadWriteCloser) error {
	ctx := s.ctx
	conn := jsonrpc2.NewConn(ctx, newStream(stream, s.logf),
		jsonrpc2.HandlerWithError(s.handle).SuppressErrClosed(), jsonrpc2.SetLogger(s.logger()))
	s.setConn(conn)
	go s.diag.run(ctx)
	select {
	case <-conn.DisconnectNotify():
	case <-ctx.Done():
		conn.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.shutdown && ctx.Err() == nil {
		return ErrNoShutdown
	}
	return nil
}

// Server is one language server session.
type Server struct {
	ctx  context.Context
	opts Options
	h    protocol.Handler
	diag *diagnoser

	mu       sync.Mutex
	conn     *jsonrpc2.Conn
	docs     map[protocol.DocumentUri]*document
	ws       *workspace
	shutdown bool
	inited   bool

	// beforeAnalyse, when set (by tests), runs before each analysis.
	beforeAnalyse func(*document)
}

func newServer(ctx context.Context, opts Options) *Server {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Config != "" {
		opts.Config = absPath(opts.Config)
	}
	s := &Server{ctx: ctx, opts: opts, docs: map[protocol.DocumentUri]*document{}}
	s.ws = newWorkspace(s)
	s.diag = newDiagnoser(s)
	s.h = protocol.Handler{
		Initialize:                     s.initialize,
		Initialized:                    func(*glsp.Context, *protocol.InitializedParams) error { return nil },
		Shutdown:                       s.shutdownRequest,
		SetTrace:                       func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		TextDocumentDidOpen:            s.didOpen,
		TextDocumentDidChange:          s.didChange,
		TextDocumentDidSave:            s.didSave,
		TextDocumentDidClose:           s.didClose,
		WorkspaceDidChangeWatchedFiles: s.didChangeWatchedFiles,
		TextDocumentCompletion:         s.completion,
		TextDocumentDefinition:         s.definition,
		TextDocumentReferences:         s.references,
		TextDocumentRename:             s.rename,
		TextDocumentPrepareRename:      s.prepareRename,
		TextDocumentDocumentSymbol:     s.documentSymbol,
		TextDocumentHover:              s.hover,
		TextDocumentCodeAction:         s.codeAction,
	}
	return s
}

func (s *Server) setConn(c *jsonrpc2.Conn) {
	s.mu.Lock()
	s.conn = c
	s.mu.Unlock()
}

// JSON-RPC and LSP error codes.
const (
	codeServerNotInitialized = -32002
	codeRequestFailed        = -32803
)

// handle dispatches one message. A panic in a handler is recovered: the
// request gets an error reply, the stack goes to the log, and the server
// goes on.
func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.logf("panic in %s: %v\n%s", req.Method, v, debug.Stack())
			s.notifyLog(protocol.MessageTypeError, fmt.Sprintf("flowctl lsp: internal error in %s: %v (please report it)", req.Method, v))
			result, err = nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("internal error: %v", v)}
		}
	}()
	s.mu.Lock()
	if s.conn == nil {
		// The connection reads (and calls handle) before NewConn returns.
		s.conn = conn
	}
	inited, down := s.inited, s.shutdown
	s.mu.Unlock()
	switch {
	case req.Method == "exit":
		return nil, conn.Close()
	case !inited && req.Method != string(protocol.MethodInitialize):
		return nil, &jsonrpc2.Error{Code: codeServerNotInitialized, Message: "the server is not initialized yet"}
	case down:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shutting down"}
	}
	gctx := &glsp.Context{
		Method: req.Method,
		Notify: func(method string, params any) { _ = conn.Notify(ctx, method, params) },
		Call:   func(method string, params, result any) { _ = conn.Call(ctx, method, params, result) },
	}
	if req.Params != nil {
		gctx.Params = *req.Params
	}
	r, validMethod, validParams, err := s.h.Handle(gctx)
	switch {
	case !validMethod && req.Notif:
		return nil, nil // a notification the server does not use ($/cancelRequest, willSave...)
	case !validMethod:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	case !validParams:
		msg := "invalid params"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: msg}
	case err != nil:
		var re *jsonrpc2.Error
		if errors.As(err, &re) {
			return nil, re
		}
		return nil, &jsonrpc2.Error{Code: codeRequestFailed, Message: err.Error()}
	}
	return r, nil
}

func (s *Server) initialize(_ *glsp.Context, p *protocol.InitializeParams) (any, error) {
	s.mu.Lock()
	s.inited = true
	s.mu.Unlock()
	s.ws.setRoot(p)
	version := s.opts.Version
	full := protocol.TextDocumentSyncKindIncremental
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: ptr(true),
				Change:    &full,
				Save:      protocol.SaveOptions{IncludeText: ptr(false)},
			},
			CompletionProvider:     &protocol.CompletionOptions{TriggerCharacters: []string{":", " ", ".", "\""}},
			HoverProvider:          true,
			DefinitionProvider:     true,
			ReferencesProvider:     true,
			DocumentSymbolProvider: true,
			CodeActionProvider:     protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
			RenameProvider:         protocol.RenameOptions{PrepareProvider: ptr(true)},
		},
		ServerInfo: &protocol.InitializeResultServerInfo{Name: Name, Version: &version},
	}, nil
}

// shutdownRequest publishes the diagnostics still pending, then refuses
// every request but exit.
func (s *Server) shutdownRequest(*glsp.Context) error {
	s.diag.flush()
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil
}

// notify sends a notification to the client, if connected.
func (s *Server) notify(method string, params any) {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		_ = c.Notify(s.ctx, method, params)
	}
}

// notifyLog shows a message in the client's log (window/logMessage).
func (s *Server) notifyLog(t protocol.MessageType, msg string) {
	s.notify(string(protocol.ServerWindowLogMessage), protocol.LogMessageParams{Type: t, Message: msg})
}

func (s *Server) logf(format string, a ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "flowctl lsp: "+format+"\n", a...)
	}
}

// logger is jsonrpc2's logger: into the log, never stdout.
func (s *Server) logger() *logWriter { return &logWriter{s} }

type logWriter struct{ s *Server }

func (l *logWriter) Printf(format string, v ...any) {
	l.s.logf("%s", fmt.Sprintf(format, v...))
}

func ptr[T any](v T) *T { return &v }
