package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestLoad is the load test (loopback only, bounded): 1,000 concurrent
// chats on 2 cores, each sending a message every 0.5 to 2.5 s (a person
// typing; about 670 messages a second in all); it
// reports the bot's reply latency (p50, p99, from sending a message to
// receiving the answer, as a page sees it) and the memory per idle chat,
// and checks the targets: p99 under 50 ms, under 100 KB per idle chat.
//
//	FLOWCTL_SERVE_LOAD=1 go test ./serve -run '^TestLoad$' -v
//
// FLOWCTL_SERVE_LOAD_SESSIONS and FLOWCTL_SERVE_LOAD_MESSAGES change the
// counts (defaults 1000 and 10).
func TestLoad(t *testing.T) {
	if os.Getenv("FLOWCTL_SERVE_LOAD") != "1" {
		t.Skip("load test: set FLOWCTL_SERVE_LOAD=1 to run it")
	}
	sessions := envInt(t, "FLOWCTL_SERVE_LOAD_SESSIONS", 1000)
	messages := envInt(t, "FLOWCTL_SERVE_LOAD_MESSAGES", 10)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Memory per idle chat, the engine and bridge state alone.
	// Every client is on loopback: one address.
	opts := Options{FlowPath: "testdata/echo.flow.yaml", MaxChats: sessions, MaxPagesPerClient: sessions}
	h := start(t, opts)
	base := heap()
	for range sessions {
		if _, err := h.s.newChat(); err != nil {
			t.Fatal(err)
		}
	}
	engineOnly := (heap() - base) / uint64(sessions)
	h.s.Close()

	// Then over websockets, as pages.
	h = start(t, opts)
	wsURL := "ws" + strings.TrimPrefix(h.ts.URL, "http") + "/ws"
	base = heap()
	goroutines := runtime.NumGoroutine()
	clients := make([]*loadClient, sessions)
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dialLoad(ctx, wsURL)
			if err != nil {
				errs <- err
				return
			}
			clients[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("connect: %v", err)
	}
	idle := (heap() - base) / uint64(sessions)
	perChatGoroutines := float64(runtime.NumGoroutine()-goroutines) / float64(sessions)

	// Everyone talks at once, pausing 0.5-2.5 s between messages.
	var mu sync.Mutex
	var latencies []time.Duration
	errs = make(chan error, sessions)
	began := time.Now()
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, messages)
			for i := range messages {
				time.Sleep(time.Duration(500+rand.IntN(2000)) * time.Millisecond)
				d, err := c.exchange(ctx, fmt.Sprintf("message %d", i))
				if err != nil {
					errs <- err
					return
				}
				mine = append(mine, d)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	close(errs)
	for err := range errs {
		t.Fatalf("exchange: %v", err)
	}
	for _, c := range clients {
		c.conn.CloseNow()
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
	p50, p99 := pct(0.50), pct(0.99)
	t.Logf("%d chats × %d messages on GOMAXPROCS=2 in %s (%.0f messages/s)", sessions, messages, elapsed.Round(time.Millisecond), float64(len(latencies))/elapsed.Seconds())
	t.Logf("bot reply latency: p50 %s, p99 %s, max %s", p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond), latencies[len(latencies)-1].Round(10*time.Microsecond))
	t.Logf("memory per idle chat: %.1f KB with its websocket (both ends, one process), %.1f KB engine and bridge state alone; %.1f goroutines per connected chat (both ends)",
		float64(idle)/1024, float64(engineOnly)/1024, perChatGoroutines)
	if len(latencies) != sessions*messages {
		t.Fatalf("%d answers, want %d", len(latencies), sessions*messages)
	}
	if p99 >= 50*time.Millisecond {
		t.Errorf("p99 %s, target under 50ms", p99)
	}
	if idle >= 100<<10 {
		t.Errorf("%d bytes per idle chat, target under 100 KB", idle)
	}
}

// heap is the memory in use after a collection: heap objects and stacks.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// loadClient is a chat page reduced to what the load test needs.
type loadClient struct {
	conn *websocket.Conn
}

// dialLoad connects and waits for the greeting.
func dialLoad(ctx context.Context, u string) (*loadClient, error) {
	conn, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	c := &loadClient{conn: conn}
	// The greeting comes with the history, or after it.
	for {
		var m struct {
			Type   string
			Role   string
			Events []wireEvent
		}
		if err := c.read(ctx, &m); err != nil {
			return nil, err
		}
		if (m.Type == "history" && len(m.Events) > 0) || (m.Type == "event" && m.Role == roleBot) {
			return c, nil
		}
	}
}

func (c *loadClient) read(ctx context.Context, v any) error {
	_, data, err := c.conn.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// exchange sends a message and returns how long the bot's answer took.
func (c *loadClient) exchange(ctx context.Context, text string) (time.Duration, error) {
	data, _ := json.Marshal(pageMsg{Type: "say", Text: text})
	t0 := time.Now()
	if err := c.conn.Write(ctx, websocket.MessageText, data); err != nil {
		return 0, err
	}
	for {
		var e wireEvent
		if err := c.read(ctx, &e); err != nil {
			return 0, err
		}
		if e.Type == "event" && e.Role == roleBot {
			if want := "You said: " + text; e.Text != want {
				return 0, fmt.Errorf("answer %q, want %q", e.Text, want)
			}
			return time.Since(t0), nil
		}
	}
}
