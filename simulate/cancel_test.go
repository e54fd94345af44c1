package simulate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// cancelOnResolve cancels its context at the first handover and counts
// every handover asked for.
type cancelOnResolve struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	calls  int
}

func (c *cancelOnResolve) ResolveQueue(string) Resolution {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.cancel()
	return AllQueues{}.ResolveQueue("")
}

// chainFlow is n say blocks that do not wait, then an end.
func chainFlow(n int) string {
	var sb strings.Builder
	sb.WriteString("version: 1\nname: chain\nflows:\n  main:\n    start: b0\n    blocks:\n")
	for i := range n {
		fmt.Fprintf(&sb, "      - { id: b%d, type: say, text: \"line %d\", next: b%d }\n", i, i, i+1)
	}
	fmt.Fprintf(&sb, "      - { id: b%d, type: end }\n", n)
	return sb.String()
}

func TestSessionStopsWithItsContext(t *testing.T) {
	p := load(t, chainFlow(500))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	bots := 0
	s, err := New(p, Options{Context: ctx, Sink: func(e Event) {
		if e.Kind == EventBot {
			bots++
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start = %v, want context.Canceled", err)
	}
	if bots > checkEvery {
		t.Errorf("the bot ran %d blocks after its context was cancelled", bots)
	}
	if err := s.Say("hello"); !errors.Is(err, context.Canceled) {
		t.Errorf("Say after cancel = %v, want context.Canceled", err)
	}
	if st := s.State(); st.Owner == OwnerClosed {
		t.Errorf("a cancelled session has no closure reason, got %q", st.Reason)
	}
}

func TestExploreStopsWithItsContext(t *testing.T) {
	p := load(t, genFlow(800))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	res := &cancelOnResolve{cancel: cancel}
	r, err := Explore(ctx, p, ExploreOptions{Resolver: res})
	if !errors.Is(err, context.Canceled) || r != nil {
		t.Fatalf("Explore = %v, %v; want context.Canceled", r, err)
	}
	if res.calls != 1 {
		t.Errorf("%d handovers tried, want only the one that cancelled", res.calls)
	}
}

func TestRunTestStopsWithItsContext(t *testing.T) {
	p := load(t, acmeLike)
	steps := "  - bot: Hi\n  - user: agent\n  - handover: Billing Support\n"
	for range 50 { // never reached: each would ask for another handover
		steps += "  - agent: join\n  - agent: close\n"
	}
	tf, problems := ParseTestFile("t.test.yaml", []byte("flow: x.flow.yaml\nsteps:\n"+steps))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	res := &cancelOnResolve{cancel: cancel}
	if _, err := RunTest(ctx, tf, p, res); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunTest = %v, want context.Canceled", err)
	}
	if res.calls != 1 {
		t.Errorf("%d handovers, want 1", res.calls)
	}
}

func TestSuiteStopsWithItsContext(t *testing.T) {
	write := tempWriter(t)
	write("ok.flow.yaml", acmeLike)
	var files []string
	for i := range 40 {
		// A distinct org file per test: the org loader runs once per test
		// that starts.
		files = append(files, write(fmt.Sprintf("t%02d.test.yaml", i), fmt.Sprintf("flow: ok.flow.yaml\norg: org%d.yaml\nsteps: [bot: Hi]\n", i)))
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var mu sync.Mutex
	started := 0
	opts := SuiteOptions{Jobs: 2, Org: func(string) (QueueResolver, error) {
		mu.Lock()
		defer mu.Unlock()
		started++
		cancel()
		return AllQueues{}, nil
	}}
	results, err := RunSuiteContext(ctx, files, opts)
	if !errors.Is(err, context.Canceled) || results != nil {
		t.Fatalf("RunSuiteContext = %d results, %v; want none and context.Canceled", len(results), err)
	}
	if started > opts.Jobs {
		t.Errorf("%d tests started after the cancel, want at most one per job (%d)", started, opts.Jobs)
	}
}
