package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
)

// QueueResolver decides whether a handover to an exact queue name can
// succeed: the queue must exist, be visible to the OAuth client and the
// client must hold the handover permissions.
type QueueResolver interface {
	ResolveQueue(name string) Resolution
}

// Resolution is a resolver's answer for one queue name.
type Resolution struct {
	Verdict flow.QueueVerdict
	// MissingPermissions are handover permissions the client lacks.
	MissingPermissions []string
	// Client names the OAuth client as messages do (OAuth client "Bot");
	// "" when it is not known ("the OAuth client").
	Client string
}

// OK reports whether a handover to the queue succeeds.
func (r Resolution) OK() bool {
	return r.Verdict.Status == flow.QueueReachable && len(r.MissingPermissions) == 0
}

// Exists reports whether the queue exists at all (any division): what an
// agent transfer needs.
func (r Resolution) Exists() bool {
	return r.Verdict.Status == flow.QueueReachable || r.Verdict.Status == flow.QueueDivisionNotPermitted
}

// Why explains a failed resolution in one line.
func (r Resolution) Why(name string) string {
	if r.Verdict.Status != flow.QueueReachable {
		return r.Verdict.Explain(name, r.Client)
	}
	if len(r.MissingPermissions) > 0 {
		client := r.Client
		if client == "" {
			client = "the OAuth client"
		}
		return client + " lacks " + strings.Join(r.MissingPermissions, ", ")
	}
	return ""
}

// AllQueues is the default resolver: every queue exists and is permitted.
type AllQueues struct{}

// ResolveQueue says every queue is reachable.
func (AllQueues) ResolveQueue(string) Resolution {
	return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}}
}

// commands runs a block's commands: SetExternalSessionAttributes values are
// rendered and accumulate on the session; every command is reported.
func (m *machine) commands(b *flow.Block) {
	for _, c := range b.Commands {
		if c.Name == flow.CmdSetExternalSessionAttributes && c.Attributes != nil {
			var parts []string
			for _, a := range c.Attributes {
				v := m.render(a.Value)
				m.setAttr(a.Key, v)
				parts = append(parts, fmt.Sprintf("%s=%q", a.Key, v))
			}
			m.emit(Event{Kind: EventCommand, Name: c.Name, Text: strings.Join(parts, " "), Block: b.Key()})
			continue
		}
		m.emit(Event{Kind: EventCommand, Name: c.Name, Text: m.summary(c.Value), Block: b.Key()})
	}
}

// summary renders a command value in one line.
func (m *machine) summary(v any) string {
	switch x := v.(type) {
	case *flow.Template:
		return fmt.Sprintf("%q", m.render(x))
	case map[string]any:
		return "{" + words.Plural(len(x), "field") + "}"
	case []any:
		return "[" + words.Plural(len(x), "item") + "]"
	}
	return fmt.Sprint(v)
}

// handover resolves the redirect's queue: on success the chat goes to
// Genesys (queued); on failure to onError, or the session closes.
// With deferHandovers a named queue is not resolved here: the machine
// stops at b until completeHandover.
func (m *machine) handover(b *flow.Block) *flow.Block {
	name := m.render(b.Queue)
	res := Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
	if strings.TrimSpace(name) != "" {
		if m.deferHandovers {
			m.deferred = &HandoverRequest{Queue: name, Attributes: slices.Clone(m.attrs), Input: m.input, block: b, steps: m.steps}
			return nil
		}
		res = m.resolver.ResolveQueue(name)
	}
	return m.handoverDecided(b, name, res)
}

// completeHandover applies the host's decision on the deferred handover
// and runs the bot on from there.
func (m *machine) completeHandover(res Resolution) {
	d := m.deferred
	m.deferred = nil
	// The steps before the handover count: a redirect whose onError leads
	// back to it stops at maxSteps as without deferral.
	m.runFrom(m.handoverDecided(d.block, d.Queue, res), d.steps+1)
}

// handoverDecided applies a resolution of the redirect b's queue name.
func (m *machine) handoverDecided(b *flow.Block, name string, res Resolution) *flow.Block {
	if !res.OK() {
		why := "the queue name is empty"
		if strings.TrimSpace(name) != "" {
			why = res.Why(name)
		}
		m.emit(Event{Kind: EventHandoverFailed, Queue: name, Reason: why, Block: b.Key()})
		if b.OnError != nil {
			next, ok := m.take(flow.Edge{From: b, To: b.Flow.Block(b.OnError.Name), Kind: flow.EdgeOnError, Target: b.OnError.Name})
			if ok {
				return next
			}
		}
		m.close(flow.ReasonHandoverFailed, b)
		return nil
	}
	m.owner = OwnerQueued
	m.redirect = b
	m.queue = name
	m.pending = nil
	m.emit(Event{Kind: EventHandover, Queue: name, Attributes: append([]Attribute(nil), m.attrs...), Block: b.Key()})
	return nil
}

// agent applies an agent or Genesys event.
func (m *machine) agent(ev AgentEvent) error {
	if m.owner == OwnerClosed {
		return fmt.Errorf("%w (%s)", ErrClosed, m.reason)
	}
	if m.owner == OwnerBot {
		return fmt.Errorf("the bot owns the chat: no handover has happened, so there is no agent")
	}
	switch ev.Action {
	case AgentJoin:
		if m.owner == OwnerAgent {
			return fmt.Errorf("an agent already has the chat")
		}
		m.owner = OwnerAgent
		m.emit(Event{Kind: EventAgentJoin, Queue: m.queue, Agent: m.toAgent})
		m.toAgent = ""
		for _, t := range m.pending {
			m.emit(Event{Kind: EventDelivered, Text: t, Queue: m.queue})
		}
		m.pending = nil
		return nil
	case AgentTimeout:
		m.close(flow.ReasonGenesysTimeout, m.redirect)
		return nil
	case AgentSay, AgentTransfer, AgentTransferToAgent, AgentClose:
	default:
		return fmt.Errorf("unknown agent action %q (want join, say, transfer, transfer-to-agent, close or timeout)", ev.Action)
	}
	if m.owner != OwnerAgent {
		return fmt.Errorf("%w: the chat waits in queue %q (join first)", ErrNoAgent, m.queue)
	}
	switch ev.Action {
	case AgentSay:
		m.emit(Event{Kind: EventAgent, Text: ev.Text, Queue: m.queue})
	case AgentTransfer:
		q := ev.Queue
		if strings.TrimSpace(q) == "" {
			return fmt.Errorf("transfer needs a queue name")
		}
		check := m.transfers
		if check == nil {
			check = m.resolver
		}
		if res := check.ResolveQueue(q); !res.Exists() {
			return fmt.Errorf("cannot transfer: %s", res.Why(q))
		}
		m.owner = OwnerQueued
		m.queue = q
		m.emit(Event{Kind: EventTransfer, Queue: q})
	case AgentTransferToAgent:
		name := strings.TrimSpace(ev.Agent)
		if name == "" {
			return fmt.Errorf("transfer-to-agent needs the name of the agent to transfer to")
		}
		m.owner = OwnerQueued
		m.toAgent = name
		m.emit(Event{Kind: EventAgentTransfer, Agent: name, Queue: m.queue})
	case AgentClose:
		m.emit(Event{Kind: EventAgentClose, Queue: m.queue})
		r := m.redirect
		if !r.Resume || r.Next == nil {
			m.close(flow.ReasonAgent, r)
			return nil
		}
		m.owner = OwnerBot
		m.queue = ""
		// The resumed bot has heard no new user message: what the user
		// said to the agent is not its input, and the message that led to
		// the handover is no longer current.
		m.input = ""
		m.intent = flow.NLU{}
		next, ok := m.take(flow.Edge{From: r, To: r.Flow.Block(r.Next.Name), Kind: flow.EdgeResume, Target: r.Next.Name})
		if !ok {
			m.close(flow.ReasonEndOfFlow, r)
			return nil
		}
		m.emit(Event{Kind: EventResume, Block: next.Key()})
		m.run(next)
	}
	return nil
}
