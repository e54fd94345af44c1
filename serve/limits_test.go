package serve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// trickle opens a connection to the bridge and sends a webhook request
// whose body never arrives in full.
func trickle(t *testing.T, h *harness) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /webhook HTTP/1.1\r\nHost: bridge.example.org\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
	return conn
}

// A webhook body that trickles in is cut off at the read deadline: 408.
func TestWebhookBodyDeadline(t *testing.T) {
	h := start(t, Options{timing: timing{webhookRead: 100 * time.Millisecond}})
	conn := trickle(t, h)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(waitFor))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a trickling webhook: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("HTTP %d, want 408", resp.StatusCode)
	}
	if !strings.Contains(h.log.String(), "the body did not arrive within 100ms") {
		t.Fatalf("log:\n%s", h.log)
	}
}

// Beyond maxWebhooks requests at once, a webhook gets 503 at once.
func TestWebhookConcurrencyBounded(t *testing.T) {
	h := start(t, Options{maxWebhooks: 1})
	slots := h.s.bridge.(*openMessaging).slots
	conn := trickle(t, h)
	waitUntil(t, "the trickling webhook to hold the slot", func() bool { return len(slots) == 1 })
	status, body := h.post(t, "/webhook", nil, []byte("{}"))
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "too many webhook requests at once") {
		t.Fatalf("a webhook beyond the bound: HTTP %d %s, want 503", status, body)
	}
	conn.Close()
	waitUntil(t, "the slot to be given back", func() bool { return len(slots) == 0 })
	if status, _ := h.post(t, "/webhook", nil, []byte("{}")); status != http.StatusUnauthorized {
		t.Fatalf("after the slow one left: HTTP %d, want 401", status)
	}
}

// Serve keeps at most MaxConns connections: the next waits to be accepted
// until one closes.
func TestServeLimitsConnections(t *testing.T) {
	_, base := serveForReal(t, Options{MaxConns: 2})
	addr := strings.TrimPrefix(base, "http://")
	get := func(conn net.Conn) error {
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	var conns []net.Conn
	for range 3 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conns = append(conns, conn)
	}
	for _, conn := range conns[:2] {
		conn.SetReadDeadline(time.Now().Add(waitFor))
		if err := get(conn); err != nil {
			t.Fatal(err)
		}
	}
	// The third is not served while the two stay open.
	conns[2].SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if err := get(conns[2]); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a third connection was served: %v", err)
	}
	conns[0].Close()
	conns[2].SetReadDeadline(time.Now().Add(waitFor))
	resp, err := http.ReadResponse(bufio.NewReader(conns[2]), nil)
	if err != nil {
		t.Fatalf("the third connection once the first closed: %v", err)
	}
	resp.Body.Close()
}

// One remote address opens at most MaxPagesPerClient pages.
func TestPagesPerClientBounded(t *testing.T) {
	h := start(t, Options{MaxPagesPerClient: 2})
	a := h.open(t, "")
	h.open(t, "")
	u := "ws" + strings.TrimPrefix(h.ts.URL, "http") + "/ws"
	_, resp, err := websocket.Dial(context.Background(), u, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a third page: %v (%v), want 429", err, resp)
	}
	if n, _ := h.s.reg.count(); n != 2 {
		t.Fatalf("%d chats, want 2", n)
	}
	a.conn.CloseNow()
	waitUntil(t, "a page's place to free", func() bool {
		conn, _, err := websocket.Dial(context.Background(), u, nil)
		if err != nil {
			return false
		}
		conn.CloseNow()
		return true
	})
}

// A page that answers no ping is dropped; one that reads stays.
func TestPingDropsDeadPages(t *testing.T) {
	h := start(t, Options{timing: timing{ping: 20 * time.Millisecond, pong: time.Second}})
	alive := h.open(t, "")
	alive.waitState("bot")
	u := "ws" + strings.TrimPrefix(h.ts.URL, "http") + "/ws"
	dead, _, err := websocket.Dial(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dead.CloseNow()
	// dead never reads, so it never answers a ping.
	waitUntil(t, "the dead page to be dropped", func() bool {
		for _, c := range h.s.reg.all() {
			if c.id != alive.chat && !c.unwatched() {
				return false
			}
		}
		return len(h.s.reg.all()) == 2
	})
	alive.say("hello")
	alive.waitEntry(roleBot, "Sorry")
	if h.s.reg.get(alive.chat).unwatched() {
		t.Fatal("the page that answers pings was dropped")
	}
}

// At MaxChats, a chat whose pages have been idle for watchedIdle makes room
// for a new one; its page is told.
func TestIdleWatchedChatMakesRoom(t *testing.T) {
	h := start(t, Options{MaxChats: 1})
	a := h.open(t, "")
	a.waitState("bot")
	if b := h.open(t, ""); b.chat != "" || !strings.Contains(b.hello.Error, "too many chats") {
		t.Fatalf("a second chat while the first is active: %+v", b.hello)
	}
	c := h.chatOf(t, a)
	c.mu.Lock()
	c.lastActive = time.Now().Add(-watchedIdle - time.Minute)
	c.mu.Unlock()
	b := h.open(t, "")
	b.waitState("bot")
	a.waitState("closed: stopped")
	a.waitEntry(roleSystem, "forgotten to make room")
	if h.s.reg.get(a.chat) != nil {
		t.Fatal("the idle chat is still kept")
	}
}
