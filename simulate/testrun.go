package simulate

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// Test statuses.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"  // a step did not hold
	StatusError = "error" // the test could not run: bad test file, missing or invalid flow, bad org
)

// TestResult is the outcome of one test file.
type TestResult struct {
	File    string   `json:"file"`
	Name    string   `json:"name"`
	Flow    string   `json:"flow,omitempty"` // the flow file's path
	Status  string   `json:"status"`
	Steps   int      `json:"steps"`
	Failure *Failure `json:"failure,omitempty"`
	// Transcript is the conversation up to the end or the failing step.
	Transcript []string `json:"transcript,omitempty"`

	Project  *flow.Project `json:"-"`
	Coverage *Coverage     `json:"-"`
	// Unreadable is set when the test file or its flow could not be read
	// (missing, a device, too large, no permission): an operational
	// failure, not a problem of the test.
	Unreadable bool `json:"-"`
}

// Failure says where and how a test failed.
type Failure struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Step     StepKind `json:"step,omitempty"` // "" for problems with the file itself
	Message  string   `json:"message"`
	Expected string   `json:"expected,omitempty"`
	Got      string   `json:"got,omitempty"`
	// Problems lists every problem (file:line:col: message) when the test
	// could not run.
	Problems []string `json:"problems,omitempty"`
}

// Location is file:line:col.
func (f *Failure) Location() string { return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column) }

// testRun is the state of one running test.
type testRun struct {
	ctx        context.Context
	tf         *TestFile
	p          *flow.Project
	s          *Session
	bots       []Event // bot messages not yet consumed
	errors     []Event // run-time errors not yet consumed
	errorsAt   []int   // for each, the step running when it came (-1: the start)
	cur        int     // the step running (-1: the start)
	handovers  []Event
	failed     []Event // failed handovers
	asserted   int     // handovers asserted so far
	failedSeen int     // failed handovers asserted so far
	transcript []string
}

// RunTest runs a parsed test against its (valid) flow. resolver decides
// handovers; nil means every queue is reachable. When ctx is done the test
// stops between steps (or between blocks) and RunTest returns its error.
func RunTest(ctx context.Context, tf *TestFile, p *flow.Project, resolver QueueResolver) (TestResult, error) {
	res := TestResult{File: tf.Path, Name: tf.Name, Flow: p.File, Steps: len(tf.Steps), Project: p, Coverage: NewCoverage()}
	r := &testRun{tf: tf, ctx: ctx, p: p, cur: -1}
	s, err := New(p, Options{Resolver: resolver, Coverage: res.Coverage, Sink: r.observe, Context: ctx})
	if err == nil {
		err = s.Start()
	}
	if cerr := ctx.Err(); cerr != nil {
		return res, cerr
	}
	if err != nil {
		res.Status = StatusError
		res.Failure = &Failure{File: tf.Path, Line: tf.FlowPos.Line, Column: tf.FlowPos.Col, Message: err.Error()}
		return res, nil
	}
	r.s = s
	res.Failure = r.steps()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Transcript = r.transcript
	res.Status = StatusPass
	if res.Failure != nil {
		res.Status = StatusFail
	}
	return res, nil
}

func (r *testRun) observe(e Event) {
	if e.Kind != EventCommand {
		r.transcript = append(r.transcript, e.String())
	}
	switch e.Kind {
	case EventBot:
		r.bots = append(r.bots, e)
	case EventHandover:
		r.handovers = append(r.handovers, e)
	case EventHandoverFailed:
		r.failed = append(r.failed, e)
	case EventError:
		r.errors = append(r.errors, e)
		r.errorsAt = append(r.errorsAt, r.cur)
	}
}

// errorPosition is a run-time error as error steps match it: LINE:COL:
// MESSAGE, without the flow file's path (the test names that file).
func errorPosition(file string, e Event) string {
	return strings.TrimPrefix(e.Text, file+":")
}

// pendingFailure fails a test when the bot sent a message no bot step
// consumed, or the flow reported a run-time error no error step consumed,
// before step st (the end of the test when st is nil). Bot and error steps
// consume their own kind and may come in either order; a failed-handover
// step may come among them too, since onError's messages follow the
// failure at once.
func (r *testRun) pendingFailure(st *Step) *Failure {
	at, kind := Step{Pos: r.tf.FlowPos}, StepKind("")
	if st != nil {
		at, kind = *st, st.Kind
	} else if n := len(r.tf.Steps); n > 0 {
		at = r.tf.Steps[n-1]
	}
	if kind == StepBot || kind == StepError || (kind == StepHandover && st.Failed) {
		return nil
	}
	var f *Failure
	switch {
	case len(r.bots) > 0 && kind == StepHandover && len(r.failed) > r.failedSeen:
		// The messages are onError's: the cause is the failed handover.
		return r.handoverFailedInstead(at)
	case len(r.bots) > 0 && st != nil:
		return r.fail(at, "the bot sent a message no bot step consumed", "no more bot messages before this step", strconv.Quote(r.bots[0].Text))
	case len(r.bots) > 0:
		f = r.fail(at, "the bot sent a message after the last step", "no more bot messages", strconv.Quote(r.bots[0].Text))
	case len(r.errors) > 0:
		// At the step during which the error came (the first step when
		// it came at the start), not at the later step that noticed it.
		if i := max(r.errorsAt[0], 0); i < len(r.tf.Steps) {
			at = r.tf.Steps[i]
		}
		return r.fail(at, "the flow reported a run-time error no error step expects", "no run-time error (or an error step for it)", r.errors[0].Text)
	default:
		return nil
	}
	if st == nil {
		f.Step = ""
	}
	return f
}

func (r *testRun) steps() *Failure {
	for i, st := range r.tf.Steps {
		r.cur = i
		if r.ctx.Err() != nil {
			return nil // RunTest reports the context's error
		}
		if f := r.pendingFailure(&st); f != nil {
			return f
		}
		if f := r.step(st); f != nil {
			return f
		}
	}
	return r.pendingFailure(nil)
}

func (r *testRun) fail(st Step, msg, expected, got string) *Failure {
	return &Failure{File: r.tf.Path, Line: st.Pos.Line, Column: st.Pos.Col, Step: st.Kind, Message: msg, Expected: expected, Got: got}
}

func (r *testRun) step(st Step) *Failure {
	switch st.Kind {
	case StepBot:
		if len(r.bots) == 0 {
			return r.fail(st, "the bot sent no message for this step", st.Expectation(), "nothing: "+describe(r.s.State()))
		}
		msg, qr := r.bots[0].Text, r.bots[0].QuickReplies
		r.bots = r.bots[1:]
		if !st.matches(msg) {
			return r.fail(st, "the bot's message does not match", st.Expectation(), strconv.Quote(msg))
		}
		if st.CheckReplies && !slices.Equal(st.QuickReplies, qr) {
			return r.fail(st, "the bot's quick replies do not match", FormatQuickReplies(st.QuickReplies), FormatQuickReplies(qr)+" with "+strconv.Quote(msg))
		}
	case StepError:
		if len(r.errors) == 0 {
			return r.fail(st, "the flow reported no run-time error for this step", st.Expectation(), "no error: "+describe(r.s.State()))
		}
		e := r.errors[0]
		r.errors, r.errorsAt = r.errors[1:], r.errorsAt[1:]
		if !st.matches(errorPosition(r.p.File, e)) {
			return r.fail(st, "the run-time error does not match", st.Expectation(), e.Text)
		}
	case StepUser:
		if err := r.s.Say(st.Text); err != nil {
			return r.fail(st, "the user's message cannot be sent", "user says "+strconv.Quote(st.Text), err.Error())
		}
	case StepWait:
		if err := r.s.Wait(st.Wait); err != nil {
			return r.fail(st, "time cannot pass", "wait "+FormatDuration(st.Wait), err.Error())
		}
	case StepAgent:
		if err := r.s.Agent(st.Agent); err != nil {
			return r.fail(st, "the agent event cannot happen", "agent "+st.Agent.String(), err.Error())
		}
	case StepHandover:
		if st.Failed {
			return r.handoverFailed(st)
		}
		return r.handover(st)
	case StepMemory:
		return r.memory(st)
	case StepClosed:
		s := r.s.State()
		if s.Owner != OwnerClosed {
			return r.fail(st, "the session is still open", "closed: "+st.Reason, describe(s))
		}
		if s.Reason != st.Reason {
			return r.fail(st, "the session closed for another reason", "closed: "+st.Reason, "closed: "+s.Reason)
		}
	}
	return nil
}

// describe says in words where a session stands.
func describe(s State) string {
	switch s.Owner {
	case OwnerBot:
		if s.Waiting {
			return "the bot waits for the user at " + s.Block
		}
		return "the bot owns the chat at " + s.Block
	case OwnerQueued:
		if s.ToAgent != "" {
			return fmt.Sprintf("the chat waits for agent %q to join (queue %q)", s.ToAgent, s.Queue)
		}
		return fmt.Sprintf("the chat waits for an agent in queue %q", s.Queue)
	case OwnerAgent:
		return fmt.Sprintf("an agent has the chat (queue %q)", s.Queue)
	}
	return "the session is closed: " + s.Reason
}
