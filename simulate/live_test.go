package simulate

import (
	"errors"
	"slices"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// countingResolver accepts every queue and counts the questions.
type countingResolver struct{ called int }

func (r *countingResolver) ResolveQueue(string) Resolution {
	r.called++
	return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}}
}

type noQueues struct{}

func (noQueues) ResolveQueue(string) Resolution {
	return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
}

var reachable = Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}}

// handOverDeferred plays the acme flow up to its deferred handover.
func handOverDeferred(t *testing.T, s *Session) HandoverRequest {
	t.Helper()
	for _, step := range []func() error{s.Start, func() error { return s.Say("agent please") }, func() error { return s.Say("Ann") }} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	req, ok := s.PendingHandover()
	if !ok {
		t.Fatal("no pending handover at the redirect")
	}
	return req
}

func TestLiveHooks(t *testing.T) {
	p, err := flow.Load("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, trust := range []bool{true, false} {
		res := &countingResolver{}
		s, err := New(p, Options{Resolver: res})
		if err != nil {
			t.Fatal(err)
		}
		s.DeferHandovers()
		if trust {
			s.SetTransferResolver(AllQueues{})
		} else {
			s.SetTransferResolver(noQueues{})
		}
		req := handOverDeferred(t, s)
		want := []Attribute{{Key: "customerName", Value: "Ann"}, {Key: "lastIntent", Value: ""}}
		if res.called != 0 || req.Queue != "Billing Support" || !slices.Equal(req.Attributes, want) || req.Input != "Ann" {
			t.Fatalf("resolver called %d times, request %+v; want none and Billing Support with %v, \"Ann\"", res.called, req, want)
		}
		if err := s.Say("hello?"); !errors.Is(err, ErrHandoverPending) {
			t.Fatalf("Say during the handover: %v", err)
		}
		if err := s.Agent(AgentEvent{Action: AgentJoin}); !errors.Is(err, ErrHandoverPending) {
			t.Fatalf("Agent during the handover: %v", err)
		}
		if err := s.CompleteHandover(reachable); err != nil {
			t.Fatal(err)
		}
		if st := s.State(); st.Owner != OwnerQueued || st.Queue != "Billing Support" {
			t.Fatalf("after the handover: %+v", st)
		}
		if err := s.CompleteHandover(reachable); err == nil {
			t.Fatal("a second CompleteHandover took effect")
		}
		if err := s.Agent(AgentEvent{Action: AgentJoin}); err != nil {
			t.Fatal(err)
		}
		err = s.Agent(AgentEvent{Action: AgentTransfer, Queue: "Anywhere"})
		if trust && err != nil {
			t.Fatalf("transfer with AllQueues as transfer resolver: %v", err)
		}
		if !trust && err == nil {
			t.Fatal("transfer succeeded although the transfer resolver knows no queue")
		}
		if res.called != 0 {
			t.Fatalf("the handover resolver was asked %d times; transfers must not hand over again", res.called)
		}
	}
}

// A deferred handover that fails takes onError, as a resolver's failure
// would, and the bot runs on.
func TestDeferredHandoverFails(t *testing.T) {
	p, err := flow.Load("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	s, err := New(p, Options{Sink: func(ev Event) { kinds = append(kinds, ev.Kind) }})
	if err != nil {
		t.Fatal(err)
	}
	s.DeferHandovers()
	handOverDeferred(t, s)
	if err := s.CompleteHandover(Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(kinds, EventHandoverFailed) || slices.Contains(kinds, EventHandover) {
		t.Fatalf("events %v", kinds)
	}
	if st := s.State(); st.Owner != OwnerClosed || st.Reason != flow.ReasonEndOfFlow {
		t.Fatalf("after the failed handover: %+v", st)
	}
	// Closed by its host while a handover is pending: the outcome is refused.
	s, _ = New(p, Options{})
	s.DeferHandovers()
	handOverDeferred(t, s)
	s.Close()
	if err := s.CompleteHandover(reachable); !errors.Is(err, ErrClosed) {
		t.Fatalf("CompleteHandover after Close: %v", err)
	}
}

// A redirect whose onError leads back to it stops at maxSteps, counted
// across the deferred handovers, as it does with a resolver.
func TestDeferredHandoverLoopBounded(t *testing.T) {
	p := flow.Parse("loop.flow.yaml", []byte(`version: 1
name: Loop
flows:
  main:
    start: r
    blocks:
      - { id: r, type: redirect, queue: "Q", onError: retry }
      - { id: retry, type: say, text: "Retrying", next: r }
`))
	s, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.DeferHandovers()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; n <= maxSteps; n++ {
		if _, ok := s.PendingHandover(); !ok {
			break
		}
		if err := s.CompleteHandover(Resolution{}); err != nil {
			t.Fatal(err)
		}
	}
	if st := s.State(); st.Owner != OwnerClosed || n == 0 || n > maxSteps/2 {
		t.Fatalf("after %d failed handovers: %+v", n, st)
	}
}
