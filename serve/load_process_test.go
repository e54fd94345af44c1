package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestLoadProcess measures the server's memory per chat from outside: the
// test binary serves the acme flow (a handover to an agent on the
// emulator's desk; transcripts written as files) and runs itself again as
// the client, in a process of its own, so the server's resident memory
// (VmRSS, as the kernel counts it) holds only the server's side, the
// emulated Genesys Cloud (its conversations and the desk) included. The
// client opens the chats; each says a few words to the bot, asks for an
// agent, is handed over, and talks with the agent, who answers every
// message from the desk. The test reads the server's resident memory when
// the chats are open and idle and when each has sent 10 and 100 messages,
// and reports it per chat (as measured, and after a collection that
// returns free memory to the system). A chat that gets no answer within
// loadStepTimeout fails the run with what it saw, and the server's
// goroutines are logged. Opt-in, Linux only:
//
//	FLOWCTL_SERVE_LOAD=1 go test ./serve -run '^TestLoadProcess$' -v
//
// FLOWCTL_SERVE_LOAD_SESSIONS changes the number of chats (default 200).
func TestLoadProcess(t *testing.T) {
	if os.Getenv("FLOWCTL_SERVE_LOAD") != "1" {
		t.Skip("load test: set FLOWCTL_SERVE_LOAD=1 to run it")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc (Linux)")
	}
	sessions := envInt(t, "FLOWCTL_SERVE_LOAD_SESSIONS", 200)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))

	opts := Options{
		FlowPath: acmeFlow, Org: loadAcmeOrg(t), OrgPath: acmeOrg,
		TranscriptDir: t.TempDir(), MaxChats: sessions + 16, MaxPagesPerClient: sessions + 16,
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	defer s.Close()
	if err := s.SetBaseURL(ts.URL); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	client := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLoadClient$", "-test.v")
	client.Env = append(os.Environ(), "FLOWCTL_SERVE_LOAD_CLIENT="+ts.URL, "FLOWCTL_SERVE_LOAD_SESSIONS="+strconv.Itoa(sessions))
	stdin, err := client.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := client.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var clientErr bytes.Buffer
	client.Stderr = &clientErr

	base, baseGC := rss(t), rssAfterGC(t)
	began := time.Now()
	if err := client.Start(); err != nil {
		t.Fatal(err)
	}
	type point struct {
		phase   string
		rss, gc int64 // KiB
		at      time.Duration
	}
	var points []point
	var clientOut strings.Builder
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		line := lines.Text()
		clientOut.WriteString(line + "\n")
		if strings.HasPrefix(line, "stalled") {
			// A chat got no answer: what the server is doing tells why.
			buf := make([]byte, 4<<20)
			t.Logf("the client %s; the server's goroutines:\n%s", line, buf[:runtime.Stack(buf, true)])
			continue
		}
		phase, ok := strings.CutPrefix(line, "phase ")
		if !ok {
			continue
		}
		// The client waits, idle, while the server is measured.
		points = append(points, point{phase, rss(t), rssAfterGC(t), time.Since(began)})
		if _, err := io.WriteString(stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
	}
	if err := client.Wait(); err != nil {
		t.Fatalf("client: %v\n%s%s", err, clientOut.String(), clientErr.String())
	}
	if len(points) != 3 {
		t.Fatalf("the client reached %d of 3 phases:\n%s%s", len(points), clientOut.String(), clientErr.String())
	}
	t.Logf("%d chats, the acme flow with a handover to an agent on the desk, transcripts written as files; server (this process) resident memory before the chats: %d MB (%d MB after a collection)", sessions, base>>10, baseGC>>10)
	for _, p := range points {
		t.Logf("%-26s at %6s: resident %4d MB, %5.1f KB per chat; after a collection %4d MB, %5.1f KB per chat",
			p.phase, p.at.Round(time.Second), p.rss>>10, float64(p.rss-base)/float64(sessions), p.gc>>10, float64(p.gc-baseGC)/float64(sessions))
	}
}

// rss is this process's resident memory in KiB, as /proc counts it.
func rss(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmRSS %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// rssAfterGC is rss once the garbage is collected and free memory given
// back to the system.
func rssAfterGC(t *testing.T) int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return rss(t)
}

// TestLoadClient is TestLoadProcess's client, run in a process of its
// own: it opens the chats, says "phase connected", waits for a line on
// stdin, drives each chat to 10 messages, says "phase 10 messages", waits,
// drives each to 100 and says "phase 100 messages".
func TestLoadClient(t *testing.T) {
	base := os.Getenv("FLOWCTL_SERVE_LOAD_CLIENT")
	if base == "" {
		t.Skip("TestLoadProcess's client")
	}
	sessions := envInt(t, "FLOWCTL_SERVE_LOAD_SESSIONS", 200)
	ctx, cancel := context.WithTimeout(context.Background(), 14*time.Minute)
	defer cancel()
	wsBase := "ws" + strings.TrimPrefix(base, "http")
	d, err := dialDesk(ctx, wsBase+"/desk/ws")
	if err != nil {
		t.Fatal(err)
	}
	defer d.conn.CloseNow()
	stdin := bufio.NewScanner(os.Stdin)
	pause := func(phase string) {
		fmt.Printf("phase %s\n", phase)
		if !stdin.Scan() {
			t.Fatal("the server went away")
		}
	}

	chats := make([]*loadChat, sessions)
	var stalled sync.Once
	run := func(f func(i int, c *loadChat) error) {
		var wg sync.WaitGroup
		errs := make(chan error, sessions)
		slots := make(chan struct{}, 64) // chats talking at once
		for i := range chats {
			wg.Go(func() {
				slots <- struct{}{}
				defer func() { <-slots }()
				if err := f(i, chats[i]); err != nil {
					if errors.Is(err, errStalled) {
						stalled.Do(func() { fmt.Printf("stalled: chat %d\n", i) })
					}
					errs <- fmt.Errorf("chat %d: %w", i, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	run(func(i int, _ *loadChat) error {
		c, err := dialLoad(ctx, wsBase+"/ws")
		if err != nil {
			return err
		}
		chats[i] = newLoadChat(ctx, c, fmt.Sprintf("Ann %d", i), d)
		return nil
	})
	pause("connected (idle)")
	run(func(_ int, c *loadChat) error { return c.talk(ctx, d, 10) })
	pause("10 messages each")
	run(func(_ int, c *loadChat) error { return c.talk(ctx, d, 100) })
	pause("100 messages each")
}

// loadChat is one chat of the client: how many messages it has sent, and
// its conversation on the desk once handed over. Like a browser, it reads
// its page's messages all the time (so it answers the server's pings while
// it waits for its turn to talk) and keeps them until talk looks at them.
type loadChat struct {
	*loadClient
	name         string
	sent         int
	conversation string
	desk         *loadDesk

	events chan loadMsg // the page's messages, in order
	recent []string     // the last messages looked at, for an error
}

// loadMsg is a message of the page as wait reads it, or the error that
// ended the page's connection.
type loadMsg struct {
	e   wireEvent
	err error
}

// errStalled is a chat's wait that got no answer.
var errStalled = errors.New("no answer")

// loadStepTimeout bounds the wait for one answer: a chat that gets none
// fails with what it saw, not at the end of the run.
const loadStepTimeout = 2 * time.Minute

func newLoadChat(ctx context.Context, c *loadClient, name string, d *loadDesk) *loadChat {
	ch := &loadChat{loadClient: c, name: name, desk: d, events: make(chan loadMsg, 1024)}
	go func() {
		for {
			var m struct {
				wireEvent
				State string `json:"state"`
			}
			err := c.read(ctx, &m)
			if m.Type == "state" {
				m.Kind = m.State
			}
			select {
			case ch.events <- loadMsg{m.wireEvent, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}

// talk sends messages until n are sent: "agent please" and a name (the
// bot hands the chat over; the desk's agent joins), then words the agent
// answers.
func (c *loadChat) talk(ctx context.Context, d *loadDesk, n int) error {
	for ; c.sent < n; c.sent++ {
		var err error
		switch c.sent {
		case 0:
			err = c.sayAndWait(ctx, "agent please", func(e wireEvent) bool { return e.Role == roleBot && strings.HasSuffix(e.Text, "What's your name?") })
		case 1:
			if err = c.sayAndWait(ctx, c.name, func(e wireEvent) bool { return e.Type == "state" && e.Kind == "queued" }); err == nil {
				c.conversation, err = d.join(ctx, c.name)
			}
			if err == nil {
				err = c.wait(ctx, func(e wireEvent) bool { return e.Type == "state" && e.Kind == "agent" })
			}
		default:
			text := fmt.Sprintf("message %d", c.sent)
			if err = c.say(ctx, text); err == nil {
				err = d.say(ctx, c.conversation, "re: "+text)
			}
			if err == nil {
				err = c.wait(ctx, func(e wireEvent) bool { return e.Role == roleAgent && e.Text == "re: "+text })
			}
		}
		if err != nil {
			return fmt.Errorf("message %d: %w", c.sent+1, err)
		}
	}
	return nil
}

func (c *loadChat) say(ctx context.Context, text string) error {
	data, _ := json.Marshal(pageMsg{Type: "say", Text: text})
	return c.conn.Write(ctx, websocket.MessageText, data)
}

func (c *loadChat) sayAndWait(ctx context.Context, text string, until func(wireEvent) bool) error {
	if err := c.say(ctx, text); err != nil {
		return err
	}
	return c.wait(ctx, until)
}

// wait takes the page's messages until one satisfies until; a state
// message comes as a wireEvent of Type "state" with its state in Kind.
func (c *loadChat) wait(ctx context.Context, until func(wireEvent) bool) error {
	timeout := time.NewTimer(loadStepTimeout)
	defer timeout.Stop()
	for {
		select {
		case m := <-c.events:
			if m.err != nil {
				return fmt.Errorf("the page's connection: %w (last messages: %s)", m.err, strings.Join(c.recent, "; "))
			}
			c.recent = append(c.recent, fmt.Sprintf("%s %s %s %q", m.e.Type, m.e.Kind, m.e.Role, m.e.Text))
			if len(c.recent) > 6 {
				c.recent = c.recent[1:]
			}
			if until(m.e) {
				return nil
			}
		case <-c.desk.dead:
			return fmt.Errorf("desk: %s", c.desk.errors())
		case <-timeout.C:
			return fmt.Errorf("%w within %s (last messages: %s; desk: %s)", errStalled, loadStepTimeout, strings.Join(c.recent, "; "), c.desk.errors())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// loadDesk is the agent desk of the client: it reads every desk update
// and knows the conversation of each customer.
type loadDesk struct {
	conn *websocket.Conn
	wmu  sync.Mutex

	mu      sync.Mutex
	changed chan struct{} // closed and replaced at each update
	queued  map[string]string
	err     error
	refused []string      // the desk's answers to actions it could not take
	dead    chan struct{} // closed when the desk's connection ends (err says why)
}

// errors returns what went wrong on the desk (the actions it refused, its
// connection's end), for an error message.
func (d *loadDesk) errors() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := slices.Clone(d.refused)
	if d.err != nil {
		out = append(out, "connection: "+d.err.Error())
	}
	if len(out) == 0 {
		return "no errors"
	}
	return strings.Join(out, "; ")
}

func dialDesk(ctx context.Context, u string) (*loadDesk, error) {
	conn, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(4 << 20)
	d := &loadDesk{conn: conn, changed: make(chan struct{}), dead: make(chan struct{}), queued: map[string]string{}}
	go d.read(ctx)
	return d, nil
}

// read takes the desk's messages as fast as the server sends them (a desk
// that falls behind is disconnected): it decodes only those that can
// matter, a chat waiting in a queue or a refused action.
func (d *loadDesk) read(ctx context.Context) {
	defer close(d.dead)
	for {
		_, data, err := d.conn.Read(ctx)
		var m struct {
			Type  string
			Text  string
			Chats []deskChat
		}
		if err == nil && (bytes.Contains(data, []byte(`"state":"queued"`)) || bytes.Contains(data, []byte(`"type":"error"`))) {
			err = json.Unmarshal(data, &m)
		}
		d.mu.Lock()
		if err != nil {
			d.err = err
		}
		if m.Type == "error" && len(d.refused) < 20 {
			d.refused = append(d.refused, m.Text)
		}
		for _, c := range m.Chats {
			if c.State != "queued" {
				continue
			}
			for _, a := range c.Attributes {
				if a.Key == "customerName" {
					d.queued[a.Value] = c.ID
				}
			}
		}
		close(d.changed)
		d.changed = make(chan struct{})
		d.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// join waits until the customer's chat is queued on the desk, and joins it
// as Alice.
func (d *loadDesk) join(ctx context.Context, customer string) (string, error) {
	for {
		d.mu.Lock()
		id, ok := d.queued[customer]
		delete(d.queued, customer)
		changed, err := d.changed, d.err
		d.mu.Unlock()
		if err != nil {
			return "", fmt.Errorf("desk: %w", err)
		}
		if ok {
			return id, d.send(ctx, pageMsg{Type: "join", Conversation: id, Agent: "Alice"})
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func (d *loadDesk) say(ctx context.Context, conversation, text string) error {
	return d.send(ctx, pageMsg{Type: "say", Conversation: conversation, Text: text})
}

func (d *loadDesk) send(ctx context.Context, m pageMsg) error {
	d.mu.Lock()
	err := d.err
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("desk: %w", err)
	}
	data, _ := json.Marshal(m)
	d.wmu.Lock()
	defer d.wmu.Unlock()
	return d.conn.Write(ctx, websocket.MessageText, data)
}
