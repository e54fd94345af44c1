package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawPipe is a server on a pipe, driven frame by frame.
type rawPipe struct {
	t    *testing.T
	w    io.WriteCloser
	r    *bufio.Reader
	done chan error
}

func startRaw(t *testing.T) *rawPipe {
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	p := &rawPipe{t: t, w: cw, r: bufio.NewReader(cr), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { p.done <- Serve(ctx, pipeRWC{sr, sw}, Options{}) }()
	t.Cleanup(func() { cancel(); cw.Close(); cr.Close() })
	return p
}

type pipeRWC struct {
	*io.PipeReader
	*io.PipeWriter
}

func (p pipeRWC) Close() error { p.PipeReader.Close(); return p.PipeWriter.Close() }

func (p *rawPipe) send(raw string) {
	p.t.Helper()
	go fmt.Fprintf(p.w, "Content-Length: %d\r\n\r\n%s", len(raw), raw)
}

// next reads the server's next message (notifications skipped).
func (p *rawPipe) next() map[string]any {
	p.t.Helper()
	type result struct {
		m   map[string]any
		err error
	}
	ch := make(chan result, 1)
	go func() {
		for {
			header, err := p.r.ReadString('\n')
			if err != nil {
				ch <- result{err: err}
				return
			}
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(header, "Content-Length:")))
			if err != nil {
				ch <- result{err: fmt.Errorf("header %q", header)}
				return
			}
			p.r.ReadString('\n')
			body := make([]byte, n)
			if _, err := io.ReadFull(p.r, body); err != nil {
				ch <- result{err: err}
				return
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				ch <- result{err: err}
				return
			}
			if _, notification := m["method"]; !notification {
				ch <- result{m: m}
				return
			}
		}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			p.t.Fatal(r.err)
		}
		return r.m
	case <-time.After(20 * time.Second):
		p.t.Fatal("no reply")
	}
	return nil
}

// TestMalformedMessages: a frame whose body is not JSON gets a parse error
// (-32700, id null), one that is JSON but no JSON-RPC message an invalid
// request (-32600, with its id when it has one), and the session carries
// on through the pipe: initialize, shutdown and exit still work.
func TestMalformedMessages(t *testing.T) {
	p := startRaw(t)
	check := func(m map[string]any, id any, code float64, msg string) {
		t.Helper()
		e, _ := m["error"].(map[string]any)
		if m["jsonrpc"] != "2.0" || m["id"] != id || e == nil || e["code"] != code || !strings.Contains(fmt.Sprint(e["message"]), msg) {
			t.Fatalf("reply %v, want id %v, code %v, message with %q", m, id, code, msg)
		}
	}
	p.send("{bad}")
	check(p.next(), nil, -32700, "parse error: the message is not JSON")
	p.send(`{"jsonrpc":"2.0","id":7,"method":5}`)
	check(p.next(), float64(7), -32600, "invalid request")
	p.send(`{"foo":"bar"}`)
	check(p.next(), nil, -32600, "invalid request")
	p.send(`[1,`)
	check(p.next(), nil, -32700, "parse error")

	p.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`)
	if m := p.next(); m["id"] != float64(1) || m["result"] == nil {
		t.Fatalf("initialize after bad messages: %v", m)
	}
	p.send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
	if m := p.next(); m["id"] != float64(2) || m["error"] != nil {
		t.Fatalf("shutdown: %v", m)
	}
	p.send(`{"jsonrpc":"2.0","method":"exit"}`)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not exit")
	}
}

// A frame that cannot be delimited ends the session; one over MaxMessage
// is skipped unread (as many bytes as it says) and answered.
func TestFramesOutOfBounds(t *testing.T) {
	var logged []string
	logf := func(format string, a ...any) { logged = append(logged, fmt.Sprintf(format, a...)) }
	var out strings.Builder
	in := "Content-Length: 11\r\n\r\n{\"a\":\"bcd\"}" +
		"Content-Length: 2\r\n\r\n{}" +
		"X-Header: " + strings.Repeat("a", maxHeaderLine) + "\r\n"
	s := newStream(struct {
		io.Reader
		io.Writer
		io.Closer
	}{strings.NewReader(in), &out, io.NopCloser(nil)}, logf)
	s.max = 10
	var v map[string]any
	if err := s.ReadObject(&v); err != nil || v == nil || len(v) != 0 {
		t.Fatalf("the message after the large one: %v %v", v, err)
	}
	if !strings.Contains(out.String(), `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: the message has 11 bytes; flowctl lsp reads messages of up to 10 bytes"}}`) {
		t.Errorf("reply %q", out.String())
	}
	if err := s.ReadObject(&v); err == nil || !strings.Contains(err.Error(), "header line is longer than 4096 bytes") {
		t.Errorf("long header: %v", err)
	}
	for _, in := range []string{"Content-Length: 2\n\n{}", "Content-Type: x\r\n\r\n{}", "Content-Length: -1\r\n\r\n"} {
		s := newStream(struct {
			io.Reader
			io.Writer
			io.Closer
		}{strings.NewReader(in), io.Discard, io.NopCloser(nil)}, logf)
		if err := s.ReadObject(&v); err == nil {
			t.Errorf("%q: read", in)
		}
	}
}
