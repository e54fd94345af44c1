package cmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/rogpeppe/go-internal/testscript"
)

// emulators holds the running Genesys emulator of each script.
var emulators sync.Map // *testscript.TestScript -> *emulator.Server

// envWaits names the file where the Genesys clients of a script's flowctl
// runs record their waits, one duration a line.
const envWaits = "FLOWCTL_TEST_GENESYS_WAITS"

func init() {
	scriptCmds["emulator"] = cmdEmulator
	scriptCmds["emulator-requests"] = cmdEmulatorRequests
	scriptCmds["genesys-waits"] = cmdGenesysWaits
	// Every Genesys client of this test binary, in-process or in a
	// script's flowctl (the same binary), waits on a fake clock: retries
	// take no time.
	configureGenesys = fakeGenesysClock
}

// fakeGenesysClock gives a client a clock that moves only when it waits,
// recording each wait in the file named by FLOWCTL_TEST_GENESYS_WAITS.
func fakeGenesysClock(f *Factory, cfg *genesys.Config) {
	clock := genesystest.NewClock()
	log := f.Getenv(envWaits)
	cfg.Now = clock.Now
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		if err := clock.Sleep(ctx, d); err != nil || log == "" {
			return err
		}
		w, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, d)
		return errors.Join(err, w.Close())
	}
}

// cmdGenesysWaits checks the waits of the flowctl runs since the last check
// (or since the emulator started), in order, then forgets them:
//
//	genesys-waits [DURATION...]
func cmdGenesysWaits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! genesys-waits")
	}
	log := ts.Getenv(envWaits)
	if log == "" {
		ts.Fatalf("no emulator started")
	}
	data, err := os.ReadFile(log)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		ts.Fatalf("%v", err)
	}
	got := strings.Fields(string(data))
	ts.Check(os.WriteFile(log, nil, 0o644))
	if !slices.Equal(got, args) {
		ts.Fatalf("waits %q, want %q", got, args)
	}
}

// cmdEmulator starts an in-process Genesys emulator serving an org file and
// points GENESYSCLOUD_* at it:
//
//	emulator [--fault KIND] [--times N] [--retry-after SECONDS] [--delay D]
//	         [--path PREFIX] [--hidden-status 403|404] [--subjects-me grants|empty|error]
//	         [--notifications all|queue|conversation|refused|unavailable]
//	         [--client NAME] [--secret S] ORG.yaml
//
// --client picks whose credentials are exported (default: the first);
// --secret overrides the exported secret (wrong credentials).
func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emulator")
	}
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fault := fs.String("fault", "", "fault kind")
	times := fs.Int("times", 0, "requests the fault hits (0: all)")
	retryAfter := fs.Int("retry-after", 1, "Retry-After seconds of a 429")
	delay := fs.Duration("delay", 2*time.Second, "delay of a slow answer")
	path := fs.String("path", "", "fault only paths with this prefix")
	hidden := fs.Int("hidden-status", 403, "status of a hidden queue")
	subjects := fs.String("subjects-me", "grants", "how subjects/me answers")
	notifications := fs.String("notifications", "", "what the Notification API grants (all, queue, conversation, refused, unavailable)")
	client := fs.String("client", "", "whose credentials to export")
	secret := fs.String("secret", "", "secret to export instead of the client's")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		ts.Fatalf("usage: emulator [flags] ORG.yaml (%v)", err)
	}
	o, err := org.Load(ts.MkAbs(fs.Arg(0)))
	ts.Check(err)
	em := emulator.New(o, emulator.Options{HiddenQueueStatus: *hidden, SubjectsMe: *subjects, Notifications: *notifications})
	if *fault != "" {
		kind, err := emulator.ParseFaultKind(*fault)
		ts.Check(err)
		em.SetFault(emulator.Fault{Kind: kind, Times: *times, RetryAfter: time.Duration(*retryAfter) * time.Second, Delay: *delay, Path: *path})
	}
	srv := httptest.NewServer(em)
	emulators.Store(ts, em)
	ts.Defer(func() {
		emulators.Delete(ts)
		em.Close()
		srv.Close()
	})
	cl := &o.OAuthClients[0]
	if *client != "" {
		cl, err = o.Client(*client)
		ts.Check(err)
	}
	if *secret != "" {
		cl = &org.Client{ID: cl.ID, Secret: *secret}
	}
	ts.Setenv(envWaits, ts.MkAbs(".genesys-waits"))
	ts.Check(os.WriteFile(ts.MkAbs(".genesys-waits"), nil, 0o644))
	ts.Setenv("GENESYSCLOUD_REGION", srv.URL)
	ts.Setenv("GENESYSCLOUD_OAUTHCLIENT_ID", cl.ID)
	ts.Setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", cl.Secret)
}

// cmdEmulatorRequests checks the number of requests the emulator served
// since the last check: at most MAX (with !, more than MAX). The count is
// then reset.
//
//	emulator-requests MAX
func cmdEmulatorRequests(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: emulator-requests MAX")
	}
	max, err := strconv.ParseInt(args[0], 10, 64)
	ts.Check(err)
	v, ok := emulators.Load(ts)
	if !ok {
		ts.Fatalf("no emulator running")
	}
	em := v.(*emulator.Server)
	n, log := em.Requests(), em.RequestLog()
	em.ResetRequests()
	ts.Logf("%d requests:\n%s", n, strings.Join(log, "\n"))
	if (n > max) != neg {
		ts.Fatalf("%d requests, want %s %d", n, map[bool]string{false: "at most", true: "more than"}[neg], max)
	}
}
