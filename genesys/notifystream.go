package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Defaults of NotificationOptions.
const (
	// DefaultHeartbeatTimeout: Genesys's heartbeat interval is UNCONFIRMED
	// (about 30 s is commonly seen); three missed ones mean a dead socket.
	DefaultHeartbeatTimeout = 90 * time.Second
	// DefaultRenewBefore: a channel is replaced this long before it
	// expires (its lifetime, 24 h as commonly cited, is UNCONFIRMED).
	DefaultRenewBefore = 5 * time.Minute
	// DefaultMaxBackoff bounds the wait between reconnection attempts.
	DefaultMaxBackoff = 30 * time.Second
	// maxNotification bounds one websocket frame.
	maxNotification = 4 << 20
)

// NotificationOptions tune a NotificationStream; zero values take the
// defaults.
type NotificationOptions struct {
	Clock Clock // default RealClock
	// HeartbeatTimeout: with no frame (heartbeats included) for this long
	// the socket is taken for dead and reopened.
	HeartbeatTimeout time.Duration
	// RenewBefore: the channel is replaced by a new one, its topics
	// subscribed again, this long before it expires.
	RenewBefore time.Duration
	// MaxBackoff bounds the wait between reconnection attempts.
	MaxBackoff time.Duration
	// Buffer is the size of the events channel (default 256).
	Buffer int
}

// StreamEvent is what a NotificationStream delivers: a topic's
// notification, or word that the socket was reopened (events in between
// may be lost: refresh what you watch).
type StreamEvent struct {
	Notification *Notification
	Reconnected  bool
	Reason       string // why the socket was reopened
}

// NotificationStream is one notification channel and its websocket, kept
// open: reopened when it closes or stays silent beyond the heartbeat
// timeout, replaced (topics subscribed again) before it expires or when
// Genesys says it closes the socket. It is safe for concurrent use.
type NotificationStream struct {
	c      *Client
	opts   NotificationOptions
	events chan StreamEvent
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	subMu  sync.Mutex // serialises subscription changes and channel replacement
	mu     sync.Mutex
	ch     NotificationChannel
	topics map[string]bool // permitted topics, subscribed again on a new channel
}

// OpenNotifications creates a channel and opens its websocket. An error
// (the channel refused, the socket not opened) means notifications are
// not available to this client.
func (c *Client) OpenNotifications(ctx context.Context, opts NotificationOptions) (*NotificationStream, error) {
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.HeartbeatTimeout <= 0 {
		opts.HeartbeatTimeout = DefaultHeartbeatTimeout
	}
	if opts.RenewBefore <= 0 {
		opts.RenewBefore = DefaultRenewBefore
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.Buffer <= 0 {
		opts.Buffer = 256
	}
	ch, err := c.CreateChannel(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := c.dialChannel(ctx, ch)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	s := &NotificationStream{
		c: c, opts: opts, events: make(chan StreamEvent, opts.Buffer), ctx: sctx, cancel: cancel,
		done: make(chan struct{}), ch: *ch, topics: map[string]bool{},
	}
	go s.run(conn)
	return s, nil
}

// dialChannel opens a channel's websocket: wss://, or ws:// on a loopback
// host only (the emulator).
func (c *Client) dialChannel(ctx context.Context, ch *NotificationChannel) (*websocket.Conn, error) {
	u, err := url.Parse(ch.ConnectURI)
	switch {
	case err != nil:
		return nil, fmt.Errorf("channel %s: bad connectUri: %v", ch.ID, err)
	case u.Scheme == "ws" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("channel %s: plain ws:// is allowed only for a loopback host", ch.ID)
	case u.Scheme != "wss" && u.Scheme != "ws":
		return nil, fmt.Errorf("channel %s: connectUri %q is not a websocket URL", ch.ID, redactUserinfo(ch.ConnectURI))
	}
	dctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, ch.ConnectURI, &websocket.DialOptions{HTTPClient: c.http, HTTPHeader: map[string][]string{"User-Agent": {c.cfg.UserAgent}}})
	if err != nil {
		return nil, fmt.Errorf("channel %s: cannot open the websocket: %w", ch.ID, err)
	}
	conn.SetReadLimit(maxNotification)
	return conn, nil
}

// Events returns the stream's events; it is closed when the stream ends.
func (s *NotificationStream) Events() <-chan StreamEvent { return s.events }

// Channel returns the channel in use.
func (s *NotificationStream) Channel() NotificationChannel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ch
}

// Close ends the stream and waits for it.
func (s *NotificationStream) Close() {
	s.cancel()
	<-s.done
}

// run serves sockets until the stream is closed: each time one must be
// replaced it is reopened, and consumers are told.
func (s *NotificationStream) run(conn *websocket.Conn) {
	defer close(s.done)
	defer close(s.events)
	for {
		reason, renew := s.serve(conn)
		conn.CloseNow()
		if s.ctx.Err() != nil {
			return
		}
		if conn = s.reopen(renew); conn == nil {
			return
		}
		if !s.emit(StreamEvent{Reconnected: true, Reason: reason}) {
			conn.CloseNow()
			return
		}
	}
}

type frame struct {
	data []byte
	err  error
}

// serve reads one socket until it must be replaced, and says why; renew
// asks for a new channel rather than the same one.
func (s *NotificationStream) serve(conn *websocket.Conn) (reason string, renew bool) {
	frames := make(chan frame)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			_, data, err := conn.Read(s.ctx)
			select {
			case frames <- frame{data, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	clock := s.opts.Clock
	last := clock.Now()
	watch := clock.NewTimer(s.opts.HeartbeatTimeout)
	defer func() { watch.Stop() }()
	var renewC <-chan time.Time
	var renewAt time.Time
	if exp, err := time.Parse(time.RFC3339Nano, s.Channel().Expires); err == nil {
		// Renew RenewBefore ahead, or halfway for a short-lived channel.
		left := exp.Sub(last)
		wait := max(0, left-min(s.opts.RenewBefore, left/2))
		renewAt = last.Add(wait)
		t := clock.NewTimer(wait)
		defer t.Stop()
		renewC = t.C()
	}
	for {
		select {
		case <-s.ctx.Done():
			return "", false
		case f := <-frames:
			if f.err != nil {
				return "the socket closed: " + closeReason(f.err), false
			}
			last = clock.Now()
			var n Notification
			if json.Unmarshal(f.data, &n) != nil || n.TopicName == "" || n.TopicName == TopicHeartbeat {
				continue
			}
			switch {
			case n.TopicName == TopicSocketClosing:
				return "Genesys is closing the socket", true
			case strings.HasPrefix(n.TopicName, "v2.system.no_longer_subscribed"):
				return "Genesys dropped the channel's subscriptions", true
			case strings.HasPrefix(n.TopicName, "v2.system."):
				continue
			}
			if !s.emit(StreamEvent{Notification: &n}) {
				return "", false
			}
		case <-watch.C():
			if renewC != nil && !clock.Now().Before(renewAt) {
				// Both due: the renewal opens a socket anyway.
				return "the channel expires at " + s.Channel().Expires, true
			}
			silent := clock.Now().Sub(last)
			if silent >= s.opts.HeartbeatTimeout {
				return fmt.Sprintf("no heartbeat for %s", silent.Round(time.Second)), false
			}
			watch = clock.NewTimer(s.opts.HeartbeatTimeout - silent)
		case <-renewC:
			return "the channel expires at " + s.Channel().Expires, true
		}
	}
}

func closeReason(err error) string {
	if st := websocket.CloseStatus(err); st != -1 {
		return fmt.Sprintf("status %d", st)
	}
	return err.Error()
}

// reopen opens a socket again, with back-off: the same channel first
// (unless renew), then new channels with the topics subscribed again. It
// returns nil once the stream is closed.
func (s *NotificationStream) reopen(renew bool) *websocket.Conn {
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		if attempt > 0 && !sleepOn(s.opts.Clock, backoff, s.ctx.Done()) {
			return nil
		}
		if attempt > 0 {
			backoff = min(backoff*2, s.opts.MaxBackoff)
		}
		if attempt > 0 || renew {
			if err := s.replaceChannel(); err != nil {
				continue
			}
		}
		ch := s.Channel()
		if conn, err := s.c.dialChannel(s.ctx, &ch); err == nil {
			return conn
		}
	}
}

// emit delivers an event; false once the stream is closed.
func (s *NotificationStream) emit(ev StreamEvent) bool {
	select {
	case s.events <- ev:
		return true
	case <-s.ctx.Done():
		return false
	}
}
