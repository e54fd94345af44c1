package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/flowctl/flowctl/genesys"
)

// A notification channel's websocket, the frames published to it, and
// the hooks tests use to break it.

// channelSocket is GET /channels/{id}, the channel's websocket (no
// token: the channel id is the capability). A second socket replaces the
// first. Frames: the subscribed topics' events, and a heartbeat every
// HeartbeatInterval.
func (e *Server) channelSocket(w http.ResponseWriter, r *http.Request, c *call) {
	h := e.notify
	// The socket takes events from before the handshake completes: a
	// client may act as soon as its dial returns.
	sock := &chanSocket{out: make(chan []byte, socketBuffer), done: make(chan struct{})}
	h.mu.Lock()
	ch := h.channels[c.params["channelId"]]
	if ch != nil && !h.closed {
		if ch.sock != nil {
			ch.sock.close(nil)
		}
		ch.sock = sock
	}
	h.mu.Unlock()
	if ch == nil {
		writeError(w, http.StatusNotFound, "not.found", "The channel was not found.")
		return
	}
	defer func() {
		sock.close(nil)
		h.mu.Lock()
		if ch.sock == sock {
			ch.sock = nil
		}
		h.mu.Unlock()
	}()
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	ctx := conn.CloseRead(r.Context())
	hb := time.NewTicker(e.opts.HeartbeatInterval)
	defer hb.Stop()
	heartbeat := frameOf(genesys.TopicHeartbeat, genesys.HeartbeatBody{Message: "WebSocket Heartbeat"})
	write := func(data []byte) bool {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return conn.Write(wctx, websocket.MessageText, data) == nil
	}
	for {
		select {
		case data := <-sock.out:
			if !write(data) {
				return
			}
		case <-hb.C:
			if !write(heartbeat) {
				return
			}
		case <-sock.done:
			if sock.closing != nil {
				write(sock.closing)
			}
			conn.Close(websocket.StatusNormalClosure, "channel closed")
			return
		case <-ctx.Done():
			return
		}
	}
}

// frameOf is a notification frame of topic with body.
func frameOf(topic string, body any) []byte {
	eb, _ := json.Marshal(body)
	n := genesys.Notification{TopicName: topic, Version: "2", EventBody: eb, Metadata: map[string]string{"CorrelationId": genesys.NewID()}}
	switch {
	case topic == genesys.TopicHeartbeat:
		n.Version, n.Metadata = "", nil
	case strings.HasPrefix(topic, "v2.system."):
		n.Metadata = nil
	}
	data, _ := json.Marshal(n)
	return data
}

// publish sends an event to every socket of a channel subscribed to topic;
// a socket that lags socketBuffer frames behind is closed (its client
// reconnects and reads the conversations again).
func (h *notifyHub) publish(topic string, body any) {
	var data []byte
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.order {
		if !ch.topics[topic] || ch.sock == nil {
			continue
		}
		if data == nil {
			data = frameOf(topic, body)
		}
		select {
		case ch.sock.out <- data:
		default:
			ch.sock.close(nil)
			ch.sock = nil
		}
	}
}

func (h *notifyHub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, ch := range slices.Clone(h.order) {
		h.removeLocked(ch, nil)
	}
}

// NotificationChannels returns the ids of the live notification channels,
// oldest first.
func (e *Server) NotificationChannels() []string {
	h := e.notify
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, len(h.order))
	for i, ch := range h.order {
		out[i] = ch.id
	}
	return out
}

// DropNotificationSockets closes every channel's socket (the channels
// stay): what a network failure does.
func (e *Server) DropNotificationSockets() {
	h := e.notify
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.order {
		if ch.sock != nil {
			ch.sock.close(nil)
			ch.sock = nil
		}
	}
}

// ExpireNotificationChannels ends every channel now, as its lifetime's end
// does.
func (e *Server) ExpireNotificationChannels() {
	for _, id := range e.NotificationChannels() {
		e.expireChannel(id)
	}
}
