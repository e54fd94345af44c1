package genesys

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const sentinelSecret = "SENTINEL-s3cr3t-do-not-print"

// acmeOrg loads the example org with the bot client's secret replaced by
// the sentinel.
func acmeOrg(t testing.TB) *Org {
	t.Helper()
	o, err := LoadOrg(filepath.Join("..", "testdata", "examples", "acme.org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	o.OAuthClients[0].Secret = sentinelSecret
	return o
}

// fakeClock is a clock that only moves when something sleeps on it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// emulate serves org in-process and returns the emulator, a client of its
// first OAuth client (tweaked by cfg) and the client's fake clock.
func emulate(t testing.TB, org *Org, opts EmulatorOptions, cfg func(*Config)) (*Emulator, *Client, *fakeClock) {
	t.Helper()
	em := NewEmulator(org, opts)
	srv := httptest.NewServer(em)
	t.Cleanup(func() { em.Close(); srv.Close() })
	clock := newFakeClock()
	c := Config{Region: srv.URL, ClientID: org.OAuthClients[0].ID, ClientSecret: org.OAuthClients[0].Secret, Now: clock.Now, Sleep: clock.Sleep}
	if cfg != nil {
		cfg(&c)
	}
	cl, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return em, cl, clock
}
