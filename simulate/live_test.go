package simulate

import (
	"slices"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// recordingResolver accepts every queue and keeps what the session hands
// over with each handover.
type recordingResolver struct {
	s      *Session
	attrs  []Attribute
	input  string
	called int
}

func (r *recordingResolver) ResolveQueue(string) Resolution {
	r.called++
	r.attrs, r.input = r.s.HandoverContext()
	return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}}
}

type noQueues struct{}

func (noQueues) ResolveQueue(string) Resolution {
	return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
}

func TestLiveHooks(t *testing.T) {
	p, err := flow.Load("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, trust := range []bool{true, false} {
		res := &recordingResolver{}
		s, err := New(p, Options{Resolver: res})
		if err != nil {
			t.Fatal(err)
		}
		res.s = s
		if trust {
			s.SetTransferResolver(AllQueues{})
		} else {
			s.SetTransferResolver(noQueues{})
		}
		for _, step := range []func() error{s.Start, func() error { return s.Say("agent please") }, func() error { return s.Say("Ann") }} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		want := []Attribute{{Key: "customerName", Value: "Ann"}, {Key: "lastIntent", Value: ""}}
		if res.called != 1 || !slices.Equal(res.attrs, want) || res.input != "Ann" {
			t.Fatalf("resolver called %d times with %v, %q; want once with %v, \"Ann\"", res.called, res.attrs, res.input, want)
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
		if res.called != 1 {
			t.Fatalf("the handover resolver was asked %d times; transfers must not hand over again", res.called)
		}
	}
}
