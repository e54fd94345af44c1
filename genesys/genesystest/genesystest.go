package genesystest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// Secret is the bot client's secret in Acme: a test fails if it shows in
// any output.
const Secret = "SENTINEL-s3cr3t-do-not-print"

// Acme loads the example org (testdata/examples/acme.org.yaml) with the
// bot client's secret replaced by Secret.
func Acme(t testing.TB) *org.File {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	o, err := org.Load(filepath.Join(filepath.Dir(here), "..", "..", "testdata", "examples", "acme.org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	o.OAuthClients[0].Secret = Secret
	return o
}

// Clock is a clock that only moves when something sleeps on it; it records
// every wait.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// NewClock returns a clock set to a fixed date.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock by d at once, unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

// Sleeps returns every wait so far, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Emulate serves o on a loopback test server and returns the emulator, a
// client of o's first OAuth client (tweaked by cfg) and the clock both run
// on (the emulator keeps opts.Now and opts.Sleep when set).
func Emulate(t testing.TB, o *org.File, opts emulator.Options, cfg func(*genesys.Config)) (*emulator.Server, *genesys.Client, *Clock) {
	t.Helper()
	clock := NewClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = clock.Sleep
	}
	em := emulator.New(o, opts)
	srv := httptest.NewServer(em)
	t.Cleanup(func() { em.Close(); srv.Close() })
	c := genesys.Config{Region: srv.URL, ClientID: o.OAuthClients[0].ID, ClientSecret: o.OAuthClients[0].Secret, Now: clock.Now, Sleep: clock.Sleep}
	if cfg != nil {
		cfg(&c)
	}
	cl, err := genesys.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return em, cl, clock
}
