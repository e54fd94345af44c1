package simulate

import (
	"fmt"
	"strings"
)

// The assertions of handover, failed-handover and memory steps, and how
// bot and error steps match a text.

func (r *testRun) handover(st Step) *Failure {
	want := handoverWant(st)
	if len(r.handovers) <= r.asserted {
		got := "no handover since the previous handover step"
		if r.asserted == 0 {
			got = "no handover"
		}
		if n := len(r.failed); n > 0 {
			got += fmt.Sprintf("; the handover to %q failed: %s", r.failed[n-1].Queue, r.failed[n-1].Reason)
		}
		return r.fail(st, "no handover to assert", want, got)
	}
	h := r.handovers[len(r.handovers)-1]
	r.asserted = len(r.handovers)
	got := fmt.Sprintf("handover to queue %q%s", h.Queue, FormatAttributes(h.Attributes))
	if h.Queue != st.Queue {
		return r.fail(st, "the handover went to another queue", want, got)
	}
	for _, a := range st.Attributes {
		v, ok := attr(h.Attributes, a.Key)
		if !ok {
			return r.fail(st, fmt.Sprintf("the handover has no attribute %q", a.Key), want, got)
		}
		if v != a.Value {
			return r.fail(st, fmt.Sprintf("attribute %q differs", a.Key), fmt.Sprintf("%s=%q", a.Key, a.Value), fmt.Sprintf("%s=%q", a.Key, v))
		}
	}
	return nil
}

func handoverWant(st Step) string {
	return fmt.Sprintf("handover to queue %q%s", st.Queue, FormatAttributes(st.Attributes))
}

// handoverFailedInstead fails plain handover step st reached while a failed
// handover no step checked left bot messages (onError's) unconsumed: the
// failure names that handover and its reason, then the first message.
func (r *testRun) handoverFailedInstead(st Step) *Failure {
	h := r.failed[len(r.failed)-1]
	got := fmt.Sprintf("a failed handover to queue %q: %s; then the bot said %q", h.Queue, h.Reason, r.bots[0].Text)
	return r.fail(st, fmt.Sprintf("the handover to queue %q failed", h.Queue), handoverWant(st), got)
}

// handoverFailed asserts the most recent failed handover not yet
// asserted: its queue.
func (r *testRun) handoverFailed(st Step) *Failure {
	want := fmt.Sprintf("a failed handover to queue %q", st.Queue)
	if len(r.failed) <= r.failedSeen {
		got := "no failed handover since the previous failed-handover step"
		if r.failedSeen == 0 {
			got = "no failed handover"
		}
		if len(r.handovers) > r.asserted {
			got += fmt.Sprintf("; the handover to %q succeeded", r.handovers[len(r.handovers)-1].Queue)
		}
		return r.fail(st, "no failed handover to assert", want, got)
	}
	h := r.failed[len(r.failed)-1]
	r.failedSeen = len(r.failed)
	if h.Queue != st.Queue {
		return r.fail(st, "the failed handover was to another queue", want, fmt.Sprintf("a failed handover to queue %q: %s", h.Queue, h.Reason))
	}
	return nil
}

// memory asserts the bot's memory holds each listed value now (a nil
// value: the key is not set).
func (r *testRun) memory(st Step) *Failure {
	mem := r.s.State().Memory
	for _, mv := range st.Memory {
		at := st
		at.Pos = mv.Pos
		got, ok := mem[mv.Key]
		switch {
		case mv.Value == nil && ok && got != nil:
			return r.fail(at, fmt.Sprintf("memory.%s is set", mv.Key), "memory."+mv.Key+" not set", "memory."+mv.Key+" = "+showValue(got))
		case mv.Value == nil:
		case !ok:
			return r.fail(at, fmt.Sprintf("memory.%s is not set", mv.Key), "memory."+mv.Key+" = "+showValue(mv.Value), "memory."+mv.Key+" not set")
		case !sameValue(mv.Value, got):
			return r.fail(at, fmt.Sprintf("memory.%s differs", mv.Key), "memory."+mv.Key+" = "+showValue(mv.Value), "memory."+mv.Key+" = "+showValue(got))
		}
	}
	return nil
}

func attr(as []Attribute, k string) (string, bool) {
	for _, a := range as {
		if a.Key == k {
			return a.Value, true
		}
	}
	return "", false
}

func (st Step) matches(msg string) bool {
	switch st.Match {
	case MatchAny:
		return true
	case MatchContains:
		return strings.Contains(msg, st.Text)
	case MatchRegexp:
		return st.Re.MatchString(msg)
	}
	return msg == st.Text
}
