package simulate

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// explorer walks the paths of one project depth first, on one machine
// that every action changes and restore puts back.
type explorer struct {
	ctx    context.Context
	err    error // the context's error once it is done
	opts   ExploreOptions
	p      *flow.Project
	nlu    *Recogniser
	cov    *Coverage
	inputs *inputs
	fixed  map[*flow.Block][]string // messages tried at a block in every state

	intentMsgs []string // one message per declared intent that has one
	noMatch    string

	memo      map[stateKey]counts
	perBlock  map[*flow.Block]int // states explored fully per decision block
	onPath    map[stateKey]bool
	visits    map[*flow.Block]int // decisions at a block on the current path
	choices   []string
	loops     []Loop
	errors    map[string]bool
	cutStates bool // MaxStates cut the walk short
	cutPath   bool // MaxDepth cut a path short
	limited   bool // some state was beyond the limits
	second    bool // the second pass (see Explore)
	// projections are, per decision block, the ways memory decided the
	// conditions in the states explored in full there (second pass).
	projections map[*flow.Block]map[string]bool
}

// maxProjections × MaxStatesPerBlock bounds the states the second pass
// explores in full at one block for their new projection.
const maxProjections = 8

func (x *explorer) samples() {
	for _, in := range x.p.Intents {
		if s := intentSample(x.nlu, in); s != "" {
			x.intentMsgs = append(x.intentMsgs, s)
		}
	}
	x.noMatch = noMatchMessages[0]
	for _, m := range noMatchMessages {
		if x.nlu.Recognise(m).Intent == "" {
			x.noMatch = m
			break
		}
	}
}

// forced is the explorer's resolver: a handover the real resolver (every
// queue without one) refuses fails; of those it accepts, the first
// failFirst of an action fail anyway, as a Genesys error fails them at run
// time (a transfer refused, a 5xx, the network), and the others succeed.
type forced struct {
	real      QueueResolver
	failFirst int
	accepted  int // handovers the real resolver accepted
}

func (f *forced) ResolveQueue(name string) Resolution {
	res := f.real.ResolveQueue(name)
	if !res.OK() {
		return res
	}
	f.accepted++
	if f.accepted <= f.failFirst {
		return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
	}
	return res
}

// act applies do to m, once per way the handovers it meets can go,
// explores from each result and restores m. seen dedupes actions that take
// the same blocks, edges and exits (one message per output) and leave the
// same memory, which later decisions may read. Attributes only travel with
// handovers, and no later decision reads the last input and nlu before the
// next user message replaces them (a resume clears them). With onlyNew (a
// state beyond the explorer's limits) a result is explored only when the
// action covered something no path covered before, so every output some
// state reaches is still taken, and each such step adds coverage.
func (x *explorer) act(m *machine, label string, do func(*machine), seen map[actionKey]bool, onlyNew bool) counts {
	var total counts
	for k := 0; k <= maxForced; k++ {
		sp := m.save()
		fr := &forced{real: AllQueues{}, failFirst: k}
		if x.opts.Resolver != nil {
			fr.real = x.opts.Resolver
		}
		m.resolver = fr
		m.transfers = fr.real
		m.cov = NewCoverage()
		m.emit = x.event
		m.loop = nil
		do(m)
		if m.halted != nil {
			x.err = m.halted
			m.restore(sp)
			break
		}
		more := fr.accepted > k
		if seen != nil {
			sig := actionKey{cov: strings.Join(m.cov.Keys(), "\n"), owner: m.owner, memory: m.memDigest}
			if seen[sig] {
				m.restore(sp)
				if !more {
					break
				}
				continue
			}
			seen[sig] = true
		}
		if onlyNew && !x.cov.adds(m.cov) {
			m.restore(sp)
			if !more {
				break
			}
			continue
		}
		x.cov.Merge(m.cov)
		m.cov = nil
		choice := label
		if k > 0 {
			choice += fmt.Sprintf(" (handover fails ×%d)", k)
		}
		x.choices = append(x.choices, choice)
		if m.loop != nil {
			x.loops = append(x.loops, Loop{Choices: slices.Clone(x.choices), Blocks: m.loop})
			total[loopIndex]++
		} else {
			total.add(x.node(m))
		}
		x.choices = x.choices[:len(x.choices)-1]
		m.restore(sp)
		if !more || x.err != nil {
			break
		}
	}
	return total
}

// actionKey identifies what an action at a wait did, for act's seen.
type actionKey struct {
	cov    string // the coverage keys taken, joined
	owner  Owner
	memory digest
}

func (x *explorer) event(e Event) {
	if e.Kind == EventError {
		x.errors[e.Text] = true
	}
}

// node explores the branches from a decision point.
func (x *explorer) node(m *machine) counts {
	var c counts
	if x.err == nil {
		x.err = x.ctx.Err()
	}
	if x.err != nil {
		return c
	}
	if m.owner == OwnerClosed {
		for i, r := range Reasons {
			if r == m.reason {
				c[i] = 1
			}
		}
		return c
	}
	at := m.block
	if m.owner != OwnerBot {
		at = m.redirect
	}
	key := x.stateKey(m, at)
	if v, ok := x.memo[key]; ok {
		return v
	}
	limited := x.visits[at] >= x.opts.MaxVisits || x.perBlock[at] >= x.opts.MaxStatesPerBlock
	if x.second && x.visits[at] < x.opts.MaxVisits {
		// The second pass also explores in full a state whose memory
		// decides the flow's conditions in a way no state here did.
		proj := x.inputs.projection(m.memory)
		seen := x.projections[at]
		if seen == nil {
			seen = map[string]bool{}
			x.projections[at] = seen
		}
		if !seen[proj] && len(seen) < maxProjections*x.opts.MaxStatesPerBlock {
			seen[proj] = true
			limited = false
		}
	}
	if !limited {
		x.perBlock[at]++
	}
	if x.onPath[key] {
		return c // the path came back to a state it was in: nothing new
	}
	if len(x.memo)+len(x.onPath) >= x.opts.MaxStates {
		x.cutStates = true
		return c
	}
	if len(x.onPath) >= x.opts.MaxDepth {
		x.cutPath = true
		return c
	}
	x.onPath[key] = true
	x.visits[at]++
	x.limited = x.limited || limited
	// Beyond the limits the first pass tries only silence or a Genesys
	// timeout; the second tries the rest too, for new coverage only.
	full := !limited || x.second
	if m.owner == OwnerBot {
		if full {
			seen := map[actionKey]bool{}
			for _, msg := range x.messages(m) {
				c.add(x.act(m, "user "+strconv.Quote(msg), func(m *machine) { _ = m.userSays(msg) }, seen, limited))
			}
		}
		c.add(x.act(m, "silence", func(m *machine) { m.inactivity() }, nil, false))
	} else {
		if full {
			c.add(x.act(m, "agent close", func(m *machine) {
				_ = m.agent(AgentEvent{Action: AgentJoin})
				_ = m.agent(AgentEvent{Action: AgentClose})
			}, nil, limited))
			c.add(x.act(m, "agent transfer", func(m *machine) {
				_ = m.agent(AgentEvent{Action: AgentJoin})
				_ = m.agent(AgentEvent{Action: AgentTransfer, Queue: m.queue})
				_ = m.agent(AgentEvent{Action: AgentJoin})
				_ = m.agent(AgentEvent{Action: AgentClose})
			}, nil, limited))
		}
		c.add(x.act(m, "genesys timeout", func(m *machine) { _ = m.agent(AgentEvent{Action: AgentTimeout}) }, nil, false))
	}
	x.visits[at]--
	delete(x.onPath, key)
	x.memo[key] = c
	return c
}

// messages are the candidate user messages at the waiting block of m: one
// per declared intent, the quick replies shown, sample values of an ask's
// entity, values derived from the conditions the reply decides, and a
// message that matches nothing; each once.
func (x *explorer) messages(m *machine) []string {
	b := m.block
	fixed, ok := x.fixed[b]
	if !ok {
		base := append(slices.Clone(x.intentMsgs), x.noMatch)
		var samples []string
		if b.Type == flow.TypeAsk {
			samples = entitySamples(b)
			base = append(base, samples...)
		}
		fixed = slices.Concat(samples, x.inputs.derived(b, base), []string{x.noMatch})
		x.fixed[b] = fixed
	}
	msgs := slices.Clone(x.intentMsgs)
	if b.Type == flow.TypeSay {
		for _, q := range b.QuickReplies {
			// Rendered as when they were sent: memory, input and nlu have
			// not changed since; an error there was reported then.
			if s, err := q.RenderLenient(m.env(), func(*flow.Expr, error) {}); err == nil && s != "" {
				msgs = append(msgs, s)
			}
		}
	}
	msgs = append(msgs, fixed...)
	out := msgs[:0]
	seen := make(map[string]bool, len(msgs))
	for _, s := range msgs {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// stateKey identifies what decides a machine's future, with how often the
// path made a decision at its block.
type stateKey struct {
	owner         Owner
	block         *flow.Block
	reprompt      int
	redirect      *flow.Block
	queue         string
	intent        string
	input         string
	memory, attrs digest
	visits        int
}

func (x *explorer) stateKey(m *machine, at *flow.Block) stateKey {
	return stateKey{
		owner: m.owner, block: m.block, reprompt: m.reprompt, redirect: m.redirect, queue: m.queue,
		intent: m.intent.Intent, input: m.input, memory: m.memDigest, attrs: m.attrDigest, visits: x.visits[at],
	}
}
