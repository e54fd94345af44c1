package lsptest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// Timeout bounds every wait for the server.
const Timeout = 20 * time.Second

// Client is the editor's end of a pipe to a server.
type Client struct {
	t    testing.TB
	conn *jsonrpc2.Conn
	done chan error // Serve's result

	mu       sync.Mutex
	changed  chan struct{}          // closed and replaced on every notification
	diags    map[string][]Published // by URI, in arrival order
	messages []string               // window/logMessage and showMessage texts
}

// Published is one textDocument/publishDiagnostics notification.
type Published struct {
	URI         string            `json:"uri"`
	Version     *int              `json:"version,omitempty"`
	Diagnostics []json.RawMessage `json:"diagnostics"`
}

// pipeEnd is one end of a duplex pipe.
type pipeEnd struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p pipeEnd) Close() error {
	for _, c := range p.closers {
		c.Close()
	}
	return nil
}

// Start runs serve on one end of a pipe and returns a client on the other.
// The server is asked to shut down and exit when the test ends (unless
// the test did it), and serve must return then.
func Start(t testing.TB, serve func(ctx context.Context, stream io.ReadWriteCloser) error) *Client {
	t.Helper()
	cr, sw := io.Pipe() // server → client
	sr, cw := io.Pipe() // client → server
	server := pipeEnd{Reader: sr, Writer: sw, closers: []io.Closer{sr, sw}}
	client := pipeEnd{Reader: cr, Writer: cw, closers: []io.Closer{cr, cw}}
	c := &Client{t: t, done: make(chan error, 1), changed: make(chan struct{}), diags: map[string][]Published{}}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { c.done <- serve(ctx, server) }()
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(client, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(c.handle))
	t.Cleanup(func() {
		select {
		case <-c.conn.DisconnectNotify():
		default:
			c.conn.Call(ctx, "shutdown", nil, nil)
			c.conn.Notify(ctx, "exit", nil)
		}
		select {
		case <-c.done:
		case <-time.After(Timeout):
			t.Errorf("the server did not stop after exit")
		}
		cancel()
		c.conn.Close()
	})
	return c
}

func (c *Client) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p Published
		if req.Params != nil && json.Unmarshal(*req.Params, &p) == nil {
			c.diags[p.URI] = append(c.diags[p.URI], p)
		}
	case "window/logMessage", "window/showMessage":
		var p struct{ Message string }
		if req.Params != nil && json.Unmarshal(*req.Params, &p) == nil {
			c.messages = append(c.messages, p.Message)
		}
	}
	close(c.changed)
	c.changed = make(chan struct{})
	return nil, nil
}

// Call sends a request and returns its result; an error reply fails the
// test.
func (c *Client) Call(method string, params any) json.RawMessage {
	c.t.Helper()
	res, err := c.CallErr(method, params)
	if err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	return res
}

// CallErr sends a request and returns its result or error reply.
func (c *Client) CallErr(method string, params any) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	var res json.RawMessage
	err := c.conn.Call(ctx, method, params, &res)
	return res, err
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// Initialize sends initialize (with rootURI, "" for none) and initialized.
func (c *Client) Initialize(rootURI string) json.RawMessage {
	c.t.Helper()
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
	if rootURI != "" {
		params["rootUri"] = rootURI
	}
	res := c.Call("initialize", params)
	c.Notify("initialized", map[string]any{})
	return res
}

// Open sends didOpen.
func (c *Client) Open(uri, text string, version int) {
	c.t.Helper()
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": version, "text": text}})
}

// Change is one content change of didChange: Range nil replaces the text.
type Change struct {
	Range *Range `json:"range,omitempty"`
	Text  string `json:"text"`
}

// Range is a protocol range.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Position is a protocol position (0-based line, UTF-16 character).
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Edit sends didChange.
func (c *Client) Edit(uri string, version int, changes ...Change) {
	c.t.Helper()
	c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes})
}

// At is the params of a request at a position in a document.
func At(uri string, line, character int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": Position{line, character}}
}

// Diagnostics waits for the diagnostics of a document version (the first
// publication for version or later) and returns them.
func (c *Client) Diagnostics(uri string, version int) Published {
	c.t.Helper()
	return c.Until(uri, func(p Published) bool { return p.Version == nil || *p.Version >= version })
}

// Until waits for the first publication for uri that ok accepts.
func (c *Client) Until(uri string, ok func(Published) bool) Published {
	c.t.Helper()
	deadline := time.After(Timeout)
	for {
		c.mu.Lock()
		for _, p := range c.diags[uri] {
			if ok(p) {
				c.mu.Unlock()
				return p
			}
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("no such diagnostics for %s within %s", uri, Timeout)
		}
	}
}

// Published returns every diagnostics notification for uri so far.
func (c *Client) Published(uri string) []Published {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Published(nil), c.diags[uri]...)
}

// Forget drops the diagnostics received so far (for waiting on new ones).
func (c *Client) Forget() {
	c.mu.Lock()
	clear(c.diags)
	c.mu.Unlock()
}

// Messages returns the log and show messages received so far.
func (c *Client) Messages() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.messages...)
}

// Shutdown sends shutdown and exit and returns serve's result.
func (c *Client) Shutdown() error {
	c.t.Helper()
	c.Call("shutdown", nil)
	c.Notify("exit", nil)
	return c.Wait()
}

// Wait returns serve's result once it returned.
func (c *Client) Wait() error {
	c.t.Helper()
	select {
	case err := <-c.done:
		c.done <- err // for the cleanup
		return err
	case <-time.After(Timeout):
		c.t.Fatalf("the server did not return")
		return fmt.Errorf("timeout")
	}
}
