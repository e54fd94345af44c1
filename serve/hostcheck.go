package serve

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/flowctl/flowctl/internal/lazyre"
)

// hostAllow is the host names pages may reach the server by: loopback
// names, this machine's name, the addresses it listens on (every
// interface's, when it listens on all) and the public hosts given. Any
// other Host header is a DNS rebinding attempt, or a name to add with
// --public-host.
type hostAllow struct {
	mu    sync.RWMutex
	names map[string]bool // lower case, IPs in their canonical form
}

func newHostAllow(public []string) *hostAllow {
	a := &hostAllow{names: map[string]bool{}}
	if h, err := os.Hostname(); err == nil {
		a.add(h)
	}
	for _, h := range public {
		a.add(h)
	}
	return a
}

// canonicalHost lowercases a name and writes an IP address (bracketed or
// not) in its canonical form.
func canonicalHost(h string) string {
	h = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(h), "["), "]")
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

func (a *hostAllow) add(h string) {
	if h = canonicalHost(h); h == "" {
		return
	}
	a.mu.Lock()
	a.names[h] = true
	a.mu.Unlock()
}

// addListener allows the address a listener is on; on an unspecified
// address (0.0.0.0, ::), every interface's.
func (a *hostAllow) addListener(addr net.Addr) {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
		a.add(host)
		return
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return
	}
	for _, ia := range addrs {
		if n, ok := ia.(*net.IPNet); ok {
			a.add(n.IP.String())
		}
	}
}

// allows reports whether a Host header (with or without a port) names this
// server.
func (a *hostAllow) allows(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if IsLoopbackHost(host) {
		return true
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.names[canonicalHost(host)]
}

// hostCheck refuses requests whose Host the server does not answer to: a
// page elsewhere cannot reach the bridge through DNS rebinding, with
// --allow-remote or without.
func (s *Server) hostCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allows(r.Host) {
			http.Error(w, misdirected(r.Host), http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// misdirected is the 421 page for a request to hostport. --public-host
// works on any --addr: on a loopback one, it serves a reverse proxy's name.
func misdirected(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	name := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if !plainHost.MatchString(name) {
		name = "NAME"
	}
	return fmt.Sprintf("flowctl serve does not answer to host %q: only to its own names (loopback, this machine's name, the addresses it listens on) and those given with --public-host. To reach it by this name (a reverse proxy's, or a DNS name of this machine), restart it with --public-host %s; a non-loopback --addr also needs --allow-remote.\n", host, name)
}

// plainHost is a host name or IP address a message may repeat as is.
var plainHost = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$`)

// IsLoopbackHost reports whether host (a name or an IP address, in
// brackets or not) is this machine's loopback: localhost (with or without
// the root's trailing dot, as every host name), 127.0.0.0/8 or ::1.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
