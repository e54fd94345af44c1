package serve

import (
	"net"
	"sync"
)

// limitListener accepts at most n connections at once: beyond them Accept
// waits for one to close (they wait in the system's backlog meanwhile).
func limitListener(ln net.Listener, n int) net.Listener {
	return &limitedListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	sem  chan struct{}
	done chan struct{}
	once sync.Once
}

func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitedListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitedConn gives its place back once closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// clientCount bounds the pages open per remote address (its IP: the ports
// of one client differ).
type clientCount struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

func newClientCount(max int) *clientCount { return &clientCount{max: max, n: map[string]int{}} }

// take counts a page of the client at remoteAddr; false when it has max
// open already. release gives the place back.
func (cc *clientCount) take(remoteAddr string) (release func(), ok bool) {
	ip := remoteAddr
	if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		ip = h
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.n[ip] >= cc.max {
		return nil, false
	}
	cc.n[ip]++
	var once sync.Once
	return func() {
		once.Do(func() {
			cc.mu.Lock()
			defer cc.mu.Unlock()
			if cc.n[ip]--; cc.n[ip] <= 0 {
				delete(cc.n, ip)
			}
		})
	}, true
}
