package serve

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

func TestHostCheck(t *testing.T) {
	h := start(t, Options{})
	// A trailing dot (the DNS root) is the same name, for localhost as for
	// any other.
	for _, host := range []string{"", "localhost:1234", "[::1]:80", "127.0.0.1", "localhost.", "LocalHost.:8080"} {
		if status, _ := h.get(t, "/", host); status != http.StatusOK {
			t.Errorf("Host %q: HTTP %d, want 200", host, status)
		}
	}
	for _, tt := range []struct{ host, name string }{
		{"evil.example", "evil.example"}, {"evil.example:8080", "evil.example"}, {"192.168.1.10:8080", "192.168.1.10"},
		{"127.0.0.1.evil.example", "127.0.0.1.evil.example"}, {"under_score.example", "NAME"},
	} {
		// The page names the host and the flag that serves it: on a
		// loopback --addr, --public-host alone.
		status, body := h.get(t, "/", tt.host)
		want := "restart it with --public-host " + tt.name + "; a non-loopback --addr also needs --allow-remote."
		if status != http.StatusMisdirectedRequest || !strings.Contains(body, want) || strings.Contains(body, "(with --allow-remote)") {
			t.Errorf("Host %q: HTTP %d %s, want 421 with %q", tt.host, status, body, want)
		}
	}
	// The webhook proves itself by its signature: any Host (a tunnel's).
	req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/webhook", strings.NewReader("{}"))
	req.Host = "bridge.example.org"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("webhook through another Host: HTTP %d, want 401", resp.StatusCode)
	}

	// --allow-remote keeps the check: a foreign name is still refused; the
	// public hosts given and this machine's name are served.
	remote := start(t, Options{AllowRemote: true, PublicHosts: []string{"Chat.Example.org"}})
	if status, _ := remote.get(t, "/", "evil.example"); status != http.StatusMisdirectedRequest {
		t.Fatalf("with AllowRemote, a foreign Host: HTTP %d, want 421", status)
	}
	hostname, _ := os.Hostname()
	for _, host := range []string{"chat.example.org", "chat.example.org:443", "CHAT.EXAMPLE.ORG.", hostname, "localhost:8080"} {
		if status, _ := remote.get(t, "/", host); status != http.StatusOK {
			t.Errorf("with AllowRemote, Host %q: HTTP %d, want 200", host, status)
		}
	}
	if status, _ := remote.get(t, "/transcript", ""); status != http.StatusForbidden {
		t.Fatalf("chat list with AllowRemote: HTTP %d, want 403", status)
	}
}

// DNS rebinding: a page of evil.example whose name now resolves to the
// bridge opens its websockets with its own Host and Origin (same-origin to
// the browser, and to the websocket library). The Host check refuses it,
// with --allow-remote or without.
func TestDNSRebindingRefused(t *testing.T) {
	for _, remote := range []bool{false, true} {
		h := start(t, Options{AllowRemote: remote})
		u := "ws" + strings.TrimPrefix(h.ts.URL, "http")
		for _, path := range []string{"/ws", "/desk/ws"} {
			opts := &websocket.DialOptions{Host: "evil.example:8080", HTTPHeader: http.Header{"Origin": {"http://evil.example:8080"}}}
			conn, resp, err := websocket.Dial(context.Background(), u+path, opts)
			if err == nil {
				conn.CloseNow()
			}
			if err == nil || resp == nil || resp.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("allow-remote %v, %s rebound to evil.example: %v (%v), want 421", remote, path, err, resp)
			}
		}
		if n, _ := h.s.reg.count(); n != 0 {
			t.Errorf("allow-remote %v: the rebound page started %d chats", remote, n)
		}
	}
}

func TestWebsocketOriginChecked(t *testing.T) {
	h := start(t, Options{})
	u := "ws" + strings.TrimPrefix(h.ts.URL, "http")
	for _, path := range []string{"/ws", "/desk/ws"} {
		_, resp, err := websocket.Dial(context.Background(), u+path, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://evil.example"}}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s from another origin: %v (%v), want 403", path, err, resp)
		}
		conn, _, err := websocket.Dial(context.Background(), u+path, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {h.ts.URL}}})
		if err != nil {
			t.Errorf("%s from its own origin: %v", path, err)
			continue
		}
		conn.CloseNow()
	}
}

func TestPagesAndHeaders(t *testing.T) {
	h := start(t, Options{})
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{`data-testid="chat-input"`, `data-testid="chat-send"`, `data-testid="chat-log"`, `data-testid="chat-state"`, "Acme support", `href="/desk"`}},
		{"/desk", 200, []string{`data-testid="desk-chats"`, `data-testid="desk-input"`, `data-testid="desk-send"`, `data-testid="desk-agent"`}},
		{"/assets/desk.js", 200, []string{`"data-testid": "desk-chat"`, "desk-join", "desk-close", "desk-transfer", "desk-transfer-queue"}},
		{"/assets/chat.js", 200, []string{"dataset.role", "sessionStorage"}},
		{"/assets/style.css", 200, []string{"data-role=agent"}},
		{"/transcript", 200, []string{"Transcripts"}},
		{"/transcript?chat=nope", 404, []string{"No chat nope"}},
		{"/transcript.jsonl?chat=nope", 404, []string{"no such chat"}},
		{"/healthz", 200, []string{"ok"}},
		{"/nope", 404, nil},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, h.ts.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		buf := make([]byte, 64<<10)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: HTTP %d, want %d", tt.path, resp.StatusCode, tt.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q", tt.path, w)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); tt.path != "/nope" && !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", tt.path, csp)
		}
	}
}

// TestNoSecretServed checks every embedded asset, page and websocket
// message for the org's secrets.
func TestNoSecretServed(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	var seen strings.Builder
	fs.WalkDir(assetFS, "assets", func(path string, d fs.DirEntry, err error) error {
		if d != nil && !d.IsDir() {
			_, body := h.get(t, "/"+path, "")
			seen.WriteString(body)
		}
		return nil
	})
	for _, path := range []string{"/", "/desk", "/transcript", "/transcript?chat=" + p.chat, "/transcript.jsonl?chat=" + p.chat} {
		_, body := h.get(t, path, "")
		seen.WriteString(body)
	}
	d := h.openDesk(t)
	d.until("the chat on the desk", func() bool { return len(d.snap.Chats) == 1 })
	seen.WriteString(string(mustJSON(d.snap)))
	seen.WriteString(p.transcript())
	for _, secret := range []string{sentinelClientSecret, sentinelWebhookSecret} {
		if strings.Contains(seen.String(), secret) {
			t.Fatalf("a page or message shows the secret %q", secret)
		}
	}
	if !strings.Contains(seen.String(), "customerName") {
		t.Fatal("the pages fetched do not include the desk snapshot: the check saw nothing")
	}
}
