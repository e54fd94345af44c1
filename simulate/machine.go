package simulate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// maxSteps bounds the blocks the bot runs in a row without waiting for the
// user; beyond it the flow is looping (the bot-loop rule prevents most).
const maxSteps = 1000

// checkEvery is how many blocks the bot runs between looks at its context.
const checkEvery = 16

// Errors returned for events the session cannot take in its state.
var (
	ErrClosed  = errors.New("the session is closed")
	ErrNoAgent = errors.New("no agent has joined the chat")
)

// machine is the conversation engine's state and its rules (spec §5). It is
// plain data: no clock, no locking, so the explorer can copy it. Session
// wraps it with a clock, a timer and a lock.
type machine struct {
	p        *flow.Project
	nlu      *Recogniser
	resolver QueueResolver
	// transfers checks agent transfer targets; nil means resolver.
	transfers QueueResolver
	// deferHandovers leaves named handovers to the host: deferred holds the
	// one waiting for its decision.
	deferHandovers bool
	deferred       *HandoverRequest
	steps          int // blocks run in a row so far by run
	emit           func(Event)
	cov            *Coverage

	owner    Owner
	block    *flow.Block // bot: the block waiting for input; closed: where it closed
	waiting  bool        // the bot waits for a user message at block
	waitGen  int         // incremented each time the bot starts waiting
	reprompt int         // reprompts sent at the waiting say block
	redirect *flow.Block // the redirect that handed the chat over
	queue    string      // the Genesys queue holding the chat
	toAgent  string      // queued after an agent-to-agent transfer: the agent it waits for
	pending  []string    // user messages queued in Genesys until an agent joins
	reason   string      // closure reason

	memory map[string]any
	attrs  []Attribute
	input  string
	intent flow.NLU
	info   flow.SessionInfo

	loop []string // set when the bot ran maxSteps blocks without waiting

	// ctx stops the bot between blocks when it is done; halted is then its
	// error, and the machine takes no more events.
	ctx    context.Context
	halted error

	// track, when set, logs writes to memory and attributes and keeps
	// their digests (see machine_track.go).
	track                 *tracker
	memDigest, attrDigest digest
}

func newMachine(p *flow.Project, nlu *Recogniser, resolver QueueResolver, info flow.SessionInfo) *machine {
	return &machine{p: p, nlu: nlu, resolver: resolver, info: info, owner: OwnerBot, memory: map[string]any{}, emit: func(Event) {}, ctx: context.Background()}
}

func (m *machine) env() *flow.Env {
	return &flow.Env{Memory: m.memory, NLU: m.intent, Input: m.input, Session: m.info}
}

// start runs the entry flow from its start block.
func (m *machine) start() error {
	f := m.p.EntryFlow()
	if f == nil {
		return fmt.Errorf("%s: no entry flow %q", m.p.File, m.p.Start)
	}
	b := f.Block(f.Start)
	if b == nil {
		return fmt.Errorf("%s: flow %q has no start block %q", m.p.File, f.Name, f.Start)
	}
	m.run(b)
	return nil
}

// run executes blocks from b until the bot waits or the session closes.
func (m *machine) run(b *flow.Block) { m.runFrom(b, 0) }

// runFrom is run with steps blocks already run in a row (before a
// deferred handover).
func (m *machine) runFrom(b *flow.Block, steps int) {
	var trail []string
	for ; b != nil && m.owner == OwnerBot; steps++ {
		if steps%checkEvery == 0 {
			if err := m.ctx.Err(); err != nil {
				m.halted = err
				return
			}
		}
		if steps >= maxSteps {
			m.loop = trail
			m.errorf(b.Pos, "the bot ran %d blocks without waiting for the user (loop through %s); closing", maxSteps, b.Key())
			m.close(flow.ReasonEndOfFlow, b)
			return
		}
		if steps >= maxSteps-20 {
			trail = append(trail, b.Key())
		}
		m.steps = steps
		b = m.exec(b)
	}
}

// exec runs one block and returns the block to run next, or nil when the
// bot now waits, the chat was handed over or the session closed.
func (m *machine) exec(b *flow.Block) *flow.Block {
	m.cov.block(b)
	m.block = b
	for _, a := range b.Set {
		if a.Value == nil {
			m.deleteMemory(a.Key)
			continue
		}
		v, err := a.Value.Eval(m.env())
		if err != nil {
			m.errorf(a.Value.Pos, "memory.%s: %s", a.Key, firstLine(err))
			continue
		}
		m.setMemory(a.Key, v)
	}
	m.commands(b)
	switch b.Type {
	case flow.TypeSay:
		m.sendAll(b.Text, b.QuickReplies)
		if b.Input {
			m.reprompt = 0
			m.wait(b)
			return nil
		}
		return m.follow(b)
	case flow.TypeAsk:
		m.sendAll(b.Text, nil)
		m.wait(b)
		return nil
	case flow.TypeSet:
		m.sendAll(b.Text, nil)
		return m.follow(b)
	case flow.TypeEnd:
		m.sendAll(b.Text, nil)
		m.close(flow.ReasonEndOfFlow, b)
		return nil
	case flow.TypeRedirect:
		return m.handover(b)
	case flow.TypeTransfer:
		return m.transfer(b)
	}
	m.errorf(b.TypePos, "block %s has no known type; closing", b.Key())
	m.close(flow.ReasonEndOfFlow, b)
	return nil
}

// follow takes the block's next or first matching output; with neither the
// session ends (end of flow).
func (m *machine) follow(b *flow.Block) *flow.Block {
	if next, ok := m.pick(b); ok {
		return next
	}
	m.close(flow.ReasonEndOfFlow, b)
	return nil
}

// pick returns the target of b's next or of its first true output, and
// records the edge. ok is false when nothing matched (or the target is
// missing, which validation reports).
func (m *machine) pick(b *flow.Block) (*flow.Block, bool) {
	if b.Next != nil {
		return m.take(flow.Edge{From: b, To: b.Flow.Block(b.Next.Name), Kind: flow.EdgeNext, Target: b.Next.Name})
	}
	for i, o := range b.Outputs {
		if o.When != nil {
			ok, err := o.When.Bool(m.env())
			if err != nil {
				m.errorf(o.When.Pos, "%s: %s (taken as false)", o.When.Source, firstLine(err))
			}
			if !ok {
				continue
			}
		}
		return m.take(flow.Edge{From: b, To: b.Flow.Block(o.Next.Name), Kind: flow.EdgeOutput, Index: i, Target: o.Next.Name})
	}
	return nil, false
}

func (m *machine) take(e flow.Edge) (*flow.Block, bool) {
	if e.To == nil {
		m.errorf(e.From.Pos, "block %s goes to %q, which does not exist", e.From.Key(), e.Target)
		return nil, false
	}
	m.cov.edge(e)
	return e.To, true
}

// wait makes the bot wait for a user message at b.
func (m *machine) wait(b *flow.Block) {
	m.block = b
	m.waiting = true
	m.waitGen++
}

// send renders one text and emits it as a bot message.
func (m *machine) send(t *flow.Template, quick []*flow.Template) {
	ev := Event{Kind: EventBot, Text: m.render(t), Block: m.block.Key()}
	for _, q := range quick {
		ev.QuickReplies = append(ev.QuickReplies, m.render(q))
	}
	m.emit(ev)
}

// sendAll sends every text in order; quick replies go with the last one.
func (m *machine) sendAll(texts, quick []*flow.Template) {
	for i, t := range texts {
		if i == len(texts)-1 {
			m.send(t, quick)
		} else {
			m.send(t, nil)
		}
	}
}

// render renders a template. An interpolation that fails at run time
// renders as empty text and is reported as an error event at its position;
// the rest of the text is kept.
func (m *machine) render(t *flow.Template) string {
	if t == nil {
		return ""
	}
	s, err := t.RenderLenient(m.env(), func(e *flow.Expr, err error) {
		m.errorf(e.Pos, "%s: %s", e.Source, firstLine(err))
	})
	if err != nil {
		m.errorf(t.Pos, "%s", firstLine(err))
	}
	return s
}

// transfer continues at another flow's start, keeping only carried memory.
func (m *machine) transfer(b *flow.Block) *flow.Block {
	if b.TargetFlow == nil {
		m.errorf(b.Pos, "transfer block %s names no flow; closing", b.Key())
		m.close(flow.ReasonEndOfFlow, b)
		return nil
	}
	tf := m.p.Flow(b.TargetFlow.Name)
	var to *flow.Block
	if tf != nil {
		to = tf.Block(tf.Start)
	}
	next, ok := m.take(flow.Edge{From: b, To: to, Kind: flow.EdgeTransfer, Target: b.TargetFlow.Name})
	if !ok {
		m.close(flow.ReasonEndOfFlow, b)
		return nil
	}
	kept := map[string]any{}
	for _, k := range b.Carry {
		if v, ok := m.memory[k]; ok {
			kept[k] = v
		}
	}
	m.replaceMemory(kept)
	m.emit(Event{Kind: EventFlow, Flow: tf.Name, Block: b.Key()})
	return next
}

// close ends the session at b with reason.
func (m *machine) close(reason string, b *flow.Block) {
	m.owner = OwnerClosed
	m.waiting = false
	m.pending = nil // nothing waits in Genesys for a closed chat
	m.reason = reason
	m.block = b
	m.cov.exit(b, reason)
	key := ""
	if b != nil {
		key = b.Key()
	}
	m.emit(Event{Kind: EventClosed, Reason: reason, Block: key})
}

// errorf emits an error event at pos; an event is one line (see firstLine).
func (m *machine) errorf(pos flow.Pos, format string, a ...any) {
	msg := strings.ReplaceAll(fmt.Sprintf(format, a...), "\n", " ")
	m.emit(Event{Kind: EventError, Text: fmt.Sprintf("%s:%d:%d: %s", m.p.File, pos.Line, pos.Col, msg)})
}

// firstLine is an error's first line: expr-lang appends a source snippet
// with a caret on further lines, which an event (one line) cannot show.
func firstLine(err error) string {
	line, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimSpace(line)
}
