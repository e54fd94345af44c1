package simulate

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
)

// echoFlow is a flow whose one block waits for the user again and again,
// with the given maxInactivity.
func echoFlow(maxInactivity string) string {
	return `version: 1
name: rt
session: { maxInactivity: ` + maxInactivity + ` }
flows:
  main:
    start: greet
    blocks:
      - { id: greet, type: say, text: "Hi", input: true, next: greet }
`
}

// TestRealClock drives a session from several goroutines with the wall
// clock, as flowctl serve does: the inactivity timer fires on its own
// goroutine and closes the session once the bot has waited long enough.
func TestRealClock(t *testing.T) {
	p := load(t, echoFlow("50ms"))
	closed := make(chan Event, 1)
	var mu sync.Mutex
	var n int
	s, err := New(p, Options{Clock: RealClock{}, Sink: func(e Event) {
		mu.Lock()
		n++
		mu.Unlock()
		if e.Kind == EventClosed {
			closed <- e
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				_ = s.Say("hello")
				_ = s.State()
			}
		}()
	}
	wg.Wait()
	if err := s.Wait(time.Minute); err == nil {
		t.Error("Wait on a real clock should fail")
	}
	select {
	case e := <-closed:
		if e.Reason != flow.ReasonInactivity {
			t.Errorf("closed with %q", e.Reason)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the inactivity timer never fired")
	}
	if st := s.State(); st.Owner != OwnerClosed {
		t.Errorf("owner %s", st.Owner)
	}
}

// TestVirtualClockOrder checks that due timers fire in deadline order, each
// with the clock at its deadline.
func TestVirtualClockOrder(t *testing.T) {
	c := NewVirtualClock(Epoch)
	var got []time.Duration
	at := func() { got = append(got, c.Now().Sub(Epoch)) }
	c.AfterFunc(3*time.Minute, at)
	t1 := c.AfterFunc(2*time.Minute, at)
	c.AfterFunc(time.Minute, func() { at(); c.AfterFunc(30*time.Second, at) })
	c.AfterFunc(10*time.Minute, at)
	t1.Stop()
	c.Advance(5 * time.Minute)
	want := []time.Duration{time.Minute, 90 * time.Second, 3 * time.Minute}
	if len(got) != len(want) {
		t.Fatalf("fired at %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("fired at %v, want %v", got, want)
		}
	}
	if c.Now().Sub(Epoch) != 5*time.Minute {
		t.Errorf("now = %v", c.Now().Sub(Epoch))
	}
}

// TestClose checks that a closed session's inactivity timer never calls
// the sink, with the wall clock (a chat a server forgets) and with a
// virtual one, and that the session refuses further events.
func TestClose(t *testing.T) {
	p := load(t, echoFlow("20ms"))
	t.Run("real clock", func(t *testing.T) {
		for range 20 {
			var mu sync.Mutex
			closed := false
			var late []Event
			s, err := New(p, Options{Clock: RealClock{}, Sink: func(e Event) {
				mu.Lock()
				defer mu.Unlock()
				if closed {
					late = append(late, e)
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(19 * time.Millisecond) // close about when the timer fires
			s.Close()
			mu.Lock()
			closed = true
			mu.Unlock()
			time.Sleep(40 * time.Millisecond)
			mu.Lock()
			if len(late) > 0 {
				t.Fatalf("events after Close: %v", late)
			}
			mu.Unlock()
			if err := s.Say("hello"); !errors.Is(err, ErrClosed) {
				t.Fatalf("Say after Close: %v, want ErrClosed", err)
			}
		}
	})
	t.Run("virtual clock", func(t *testing.T) {
		clock := NewVirtualClock(Epoch)
		r := start(t, p, Options{Clock: clock})
		r.s.Close()
		r.s.Close() // twice is fine
		clock.Advance(time.Hour)
		if got := r.transcript(); got != "bot: Hi" {
			t.Errorf("transcript after Close:\n%s", got)
		}
		if st := r.s.State(); st.Owner != OwnerBot || !st.InactivityDeadline.IsZero() {
			t.Errorf("state after Close: owner %s, deadline %v", st.Owner, st.InactivityDeadline)
		}
		for name, err := range map[string]error{
			"Start": r.s.Start(),
			"Say":   r.s.Say("hello"),
			"Agent": r.s.Agent(AgentEvent{Action: AgentJoin}),
			"Wait":  r.s.Wait(time.Minute),
		} {
			if !errors.Is(err, ErrClosed) {
				t.Errorf("%s after Close: %v, want ErrClosed", name, err)
			}
		}
	})
}

// TestClosedSessionHoldsNoPendingMessages: messages waiting in Genesys for
// an agent are gone once Genesys closes the chat: State says nothing waits.
func TestClosedSessionHoldsNoPendingMessages(t *testing.T) {
	r := start(t, load(t, `version: 1
name: q
flows:
  main:
    start: h
    blocks:
      - { id: h, type: redirect, queue: Support, onError: bye }
      - { id: bye, type: end }
`), Options{})
	r.say("hello?")
	if got := r.s.State().Pending; len(got) != 1 {
		t.Fatalf("queued: pending %q, want the one message", got)
	}
	r.agent(AgentTimeout, "")
	if st := r.s.State(); st.Owner != OwnerClosed || len(st.Pending) != 0 {
		t.Errorf("after a Genesys timeout: owner %s, pending %q\ntranscript:\n%s", st.Owner, st.Pending, r.transcript())
	}
}
