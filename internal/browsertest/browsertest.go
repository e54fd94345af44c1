// Package browsertest starts headless Chromium for the browser tests of
// flowctl's packages (serve pages, graph rendering), the same way
// everywhere: Debian's chromium from FLOWCTL_CHROMIUM (default
// /usr/bin/chromium), an empty profile, and no background networking, which
// a closed network refuses.
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// RequireEnv names the variable that turns a missing external tool
// (Chromium, Graphviz, mermaid.min.js) from a skip into a failure. CI sets
// it, so a browser test cannot pass there by not running.
const RequireEnv = "FLOWCTL_REQUIRE_TOOLS"

// Missing skips the test because an external tool is missing, or fails it
// when RequireEnv is set: msg says what is missing and how to get it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(RequireEnv) != "" {
		t.Fatalf(format+" ("+RequireEnv+" is set, so this fails instead of skipping)", args...)
	}
	t.Skipf(format, args...)
}

// Path returns the Chromium binary, or skips the test (saying what is
// missing) when there is none or under -short; with RequireEnv set a
// missing Chromium fails the test.
func Path(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path := os.Getenv("FLOWCTL_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		Missing(t, "browser test skipped: no Chromium at %s (%v); install Debian's chromium or set FLOWCTL_CHROMIUM", path, err)
	}
	return path
}

// Start launches headless Chromium and returns the context of its first
// tab; the browser is stopped when the test ends. opts add to the defaults
// (e.g. chromedp.WindowSize).
func Start(t testing.TB, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	all := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}, opts...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), all...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}
