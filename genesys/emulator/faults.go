package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a failure the emulator can inject.
type FaultKind string

// Faults the emulator can inject.
const (
	FaultRateLimit    FaultKind = "429"       // 429 too.many.requests.retry.after with Retry-After
	FaultServerError  FaultKind = "500"       // 500 internal.server.error
	FaultUnavailable  FaultKind = "503"       // 503 service.unavailable
	FaultForbidden    FaultKind = "403"       // 403 missing.permissions
	FaultSlow         FaultKind = "slow"      // answer after Delay
	FaultHang         FaultKind = "hang"      // never answer (until the client gives up)
	FaultExpiredToken FaultKind = "expired"   // 401 credentials.expired; the token is revoked
	FaultMalformed    FaultKind = "malformed" // 200 with a truncated JSON body
)

// FaultKinds lists every fault kind.
var FaultKinds = []FaultKind{FaultRateLimit, FaultServerError, FaultUnavailable, FaultForbidden, FaultSlow, FaultHang, FaultExpiredToken, FaultMalformed}

// Fault makes matching requests fail in one way.
type Fault struct {
	Kind FaultKind
	// Path limits the fault to request paths starting with it; "" means
	// every /api/v2 request (not the OAuth endpoint).
	Path string
	// Times is how many requests the fault hits; 0 means until cleared.
	Times int
	// RetryAfter is the Retry-After of a 429 (default 1s).
	RetryAfter time.Duration
	// Delay is how long a slow answer takes (default 2s).
	Delay time.Duration
}

// ParseFaultKind checks a fault kind given as text.
func ParseFaultKind(s string) (FaultKind, error) {
	for _, k := range FaultKinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(FaultKinds))
	for i, k := range FaultKinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("unknown fault %q: want one of %s", s, strings.Join(names, ", "))
}

func (f *Fault) matches(path string) bool {
	if f.Path == "" {
		return strings.HasPrefix(path, "/api/v2/")
	}
	return strings.HasPrefix(path, f.Path)
}

func (f *Fault) retryAfterSeconds() string {
	d := f.RetryAfter
	if d <= 0 {
		d = time.Second
	}
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// SetFault adds a fault; faults are tried in the order added.
func (e *Server) SetFault(f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &f)
}

// ClearFaults removes every fault.
func (e *Server) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = nil
}

// takeFault returns the fault that hits a request to path, if any, counting
// it down.
func (e *Server) takeFault(path string) *Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.faults {
		if !f.matches(path) {
			continue
		}
		hit := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				e.faults = append(e.faults[:i:i], e.faults[i+1:]...)
			}
		}
		return &hit
	}
	return nil
}
