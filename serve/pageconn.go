package serve

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Bounds of a page's websocket.
const (
	// maxPageQueue bounds the messages queued for one page, and
	// maxPageQueueBytes their bytes: a page that does not keep up is
	// disconnected (it reconnects and gets the history again).
	maxPageQueue      = 256
	maxPageQueueBytes = 1 << 20
)

// pageConn is one open websocket of a page. Messages to it are queued,
// within bounds.
type pageConn struct {
	out  chan []byte
	dead chan struct{}
	once sync.Once

	mu     sync.Mutex
	queued int   // bytes in out
	chat   *chat // the chat page's chat (nil on the desk)
}

func newPageConn() *pageConn {
	return &pageConn{out: make(chan []byte, maxPageQueue), dead: make(chan struct{})}
}

// send queues a message without blocking; beyond the bounds the page is
// dropped.
func (pc *pageConn) send(data []byte) {
	pc.mu.Lock()
	over := pc.queued+len(data) > maxPageQueueBytes
	if !over {
		pc.queued += len(data)
	}
	pc.mu.Unlock()
	if over {
		pc.kill()
		return
	}
	select {
	case pc.out <- data:
	case <-pc.dead:
	default:
		pc.kill()
	}
}

func (pc *pageConn) kill() { pc.once.Do(func() { close(pc.dead) }) }

func (pc *pageConn) current() *chat {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.chat
}

func (pc *pageConn) setChat(c *chat) {
	pc.mu.Lock()
	pc.chat = c
	pc.mu.Unlock()
}

// writeLoop writes queued messages until ctx ends or the page is dropped,
// and pings the page every t.ping: one that does not answer within t.pong
// is dropped.
func (pc *pageConn) writeLoop(ctx context.Context, conn *websocket.Conn, t timing) {
	ping := time.NewTicker(t.ping)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusGoingAway, "server shutting down")
			return
		case <-pc.dead:
			conn.Close(websocket.StatusPolicyViolation, "too slow; reconnect")
			return
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, t.pong)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				pc.kill()
				conn.CloseNow()
				return
			}
		case data := <-pc.out:
			pc.mu.Lock()
			pc.queued -= len(data)
			pc.mu.Unlock()
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Write(wctx, websocket.MessageText, data)
			cancel()
			if err != nil {
				pc.kill()
				conn.CloseNow()
				return
			}
		}
	}
}

// pageSet is a set of pages that get the same broadcasts.
type pageSet struct {
	mu sync.Mutex
	m  map[*pageConn]struct{}
}

func newPageSet() *pageSet { return &pageSet{m: map[*pageConn]struct{}{}} }

func (ps *pageSet) add(pc *pageConn) {
	ps.mu.Lock()
	ps.m[pc] = struct{}{}
	ps.mu.Unlock()
}

func (ps *pageSet) remove(pc *pageConn) {
	ps.mu.Lock()
	delete(ps.m, pc)
	ps.mu.Unlock()
}

func (ps *pageSet) broadcast(data []byte) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for pc := range ps.m {
		pc.send(data)
	}
}

// accept upgrades to a websocket. The library refuses an Origin whose host
// differs from the request's Host (403), so other sites cannot drive it.
func accept(w http.ResponseWriter, r *http.Request) (*websocket.Conn, bool) {
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return nil, false
	}
	conn.SetReadLimit(maxFrame)
	return conn, true
}
