package simulate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// ExploreOptions bound and steer Explore. The zero value uses the defaults.
type ExploreOptions struct {
	// Resolver decides handovers as in a session. nil: every redirect
	// branches on both a successful and a failed handover.
	Resolver QueueResolver
	// MaxVisits is how often one block may be a decision point on a path
	// (default 3); beyond it only silence (or a Genesys timeout) is tried.
	MaxVisits int
	// MaxStatesPerBlock bounds the distinct states (memory, attributes,
	// last message) fully explored at one decision block (default 8);
	// further states there try only silence (or a Genesys timeout).
	MaxStatesPerBlock int
	// MaxStates bounds the distinct states explored (default 200,000);
	// beyond it the report is marked truncated.
	MaxStates int
}

// Reasons lists the closure reasons in report order.
var Reasons = []string{flow.ReasonEndOfFlow, flow.ReasonInactivity, flow.ReasonAgent, flow.ReasonGenesysTimeout, flow.ReasonHandoverFailed}

// ReasonCount is how many paths close with a reason.
type ReasonCount struct {
	Reason string `json:"reason"`
	Paths  uint64 `json:"paths"`
}

// Loop is a path on which the bot never stops: it runs blocks without
// waiting for the user.
type Loop struct {
	Choices []string `json:"choices"` // what the user and the agent did
	Blocks  []string `json:"blocks"`  // the last blocks the bot ran
}

// ExploreReport is what Explore found.
type ExploreReport struct {
	File string `json:"file"`
	// Paths is the number of distinct paths from the start to a closure (or
	// a loop), saturating at the largest uint64 (Saturated).
	Paths     uint64        `json:"paths"`
	Saturated bool          `json:"saturated,omitempty"`
	Closures  []ReasonCount `json:"closures"`
	// Coverage lists what no path covers.
	Coverage CoverageReport `json:"coverage"`
	// Loops are paths that cannot terminate.
	Loops []Loop `json:"nonTerminating"`
	// Errors are run-time problems met on some path (file:line:col: msg).
	Errors    []string `json:"errors"`
	States    int      `json:"states"`
	Truncated bool     `json:"truncated,omitempty"`
}

// counts are path counts per closure reason (Reasons order), then loops.
type counts [6]uint64

func (c *counts) add(o counts) {
	for i := range c {
		s := c[i] + o[i]
		if s < c[i] {
			s = ^uint64(0)
		}
		c[i] = s
	}
}

const loopIndex = 5

// maxForced bounds the handover failures forced within one action.
const maxForced = 8

// Explore walks every path of a valid project (spec §7): at each wait one
// message per output (from the declared intents and the ask entity), a
// message that matches nothing and silence until the inactivity timeout;
// at each handover a failure, an agent close, an agent transfer and a
// Genesys timeout. Identical states are explored once, so time and memory
// grow with the number of distinct states, not of paths. When ctx is done,
// Explore stops promptly and returns its error.
func Explore(ctx context.Context, p *flow.Project, opts ExploreOptions) (*ExploreReport, error) {
	if opts.MaxVisits <= 0 {
		opts.MaxVisits = 3
	}
	if opts.MaxStatesPerBlock <= 0 {
		opts.MaxStatesPerBlock = 8
	}
	if opts.MaxStates <= 0 {
		opts.MaxStates = 200_000
	}
	if p.EntryFlow() == nil {
		return nil, fmt.Errorf("%s: no entry flow %q", p.File, p.Start)
	}
	x := &explorer{
		ctx: ctx, opts: opts, p: p, nlu: NewRecogniser(p.Intents), cov: NewCoverage(),
		memo: map[stateKey]counts{}, perBlock: map[*flow.Block]int{}, onPath: map[stateKey]bool{}, visits: map[*flow.Block]int{}, errors: map[string]bool{},
	}
	x.samples()
	root := newMachine(p, x.nlu, nil, flow.SessionInfo{ID: "explore-1", Channel: "simulate"})
	root.track = newTracker()
	root.ctx = ctx
	var startErr error
	total := x.act(root, "start", func(m *machine) { startErr = m.start() }, nil)
	if x.err != nil {
		return nil, x.err
	}
	if startErr != nil {
		return nil, startErr
	}
	r := &ExploreReport{File: p.File, Loops: x.loops, States: len(x.memo), Truncated: x.truncated, Errors: slices.Sorted(maps.Keys(x.errors))}
	for i, reason := range Reasons {
		if total[i] > 0 {
			r.Closures = append(r.Closures, ReasonCount{Reason: reason, Paths: total[i]})
		}
	}
	for _, n := range total {
		r.Paths += n
		if r.Paths < n {
			r.Paths, r.Saturated = ^uint64(0), true
		}
	}
	r.Coverage = x.cov.Report(p)
	if r.Loops == nil {
		r.Loops = []Loop{}
	}
	if r.Errors == nil {
		r.Errors = []string{}
	}
	if r.Closures == nil {
		r.Closures = []ReasonCount{}
	}
	return r, nil
}

type explorer struct {
	ctx  context.Context
	err  error // the context's error once it is done
	opts ExploreOptions
	p    *flow.Project
	nlu  *Recogniser
	cov  *Coverage

	intentMsgs []string // one message per declared intent that has one
	noMatch    string

	memo      map[stateKey]counts
	perBlock  map[*flow.Block]int // states explored fully per decision block
	onPath    map[stateKey]bool
	visits    map[*flow.Block]int // decisions at a block on the current path
	choices   []string
	loops     []Loop
	errors    map[string]bool
	truncated bool
}

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

// forced is the explorer's resolver: without a real resolver the first
// failFirst handovers of an action fail and the others succeed.
type forced struct {
	real      QueueResolver
	failFirst int
	asked     int
}

func (f *forced) ResolveQueue(name string) Resolution {
	f.asked++
	if f.real != nil {
		return f.real.ResolveQueue(name)
	}
	if f.asked <= f.failFirst {
		return Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
	}
	return AllQueues{}.ResolveQueue(name)
}

// act applies do to m, once per way the handovers it meets can go,
// explores from each result and restores m. seen dedupes actions that take
// the same blocks, edges and exits (one message per output) and leave the
// same memory, which later decisions may read. Attributes only travel with
// handovers, and no later decision reads the last input and nlu before the
// next user message replaces them (a resume clears them).
func (x *explorer) act(m *machine, label string, do func(*machine), seen map[actionKey]bool) counts {
	var total counts
	for k := 0; k <= maxForced; k++ {
		sp := m.save()
		fr := &forced{real: x.opts.Resolver, failFirst: k}
		m.resolver = fr
		m.transfers = AllQueues{}
		if x.opts.Resolver != nil {
			m.transfers = x.opts.Resolver
		}
		m.cov = NewCoverage()
		m.emit = x.event
		m.loop = nil
		do(m)
		if m.halted != nil {
			x.err = m.halted
			m.restore(sp)
			break
		}
		more := x.opts.Resolver == nil && fr.asked > k
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
	if !limited {
		x.perBlock[at]++
	}
	if x.onPath[key] {
		return c // the path came back to a state it was in: nothing new
	}
	if len(x.memo) >= x.opts.MaxStates {
		x.truncated = true
		return c
	}
	x.onPath[key] = true
	x.visits[at]++
	if m.owner == OwnerBot {
		if !limited {
			seen := map[actionKey]bool{}
			for _, msg := range x.messages(m.block) {
				c.add(x.act(m, "user "+strconv.Quote(msg), func(m *machine) { _ = m.userSays(msg) }, seen))
			}
		}
		c.add(x.act(m, "silence", func(m *machine) { m.inactivity() }, nil))
	} else {
		if !limited {
			c.add(x.act(m, "agent close", func(m *machine) {
				_ = m.agent(AgentEvent{Action: AgentJoin})
				_ = m.agent(AgentEvent{Action: AgentClose})
			}, nil))
			c.add(x.act(m, "agent transfer", func(m *machine) {
				_ = m.agent(AgentEvent{Action: AgentJoin})
				_ = m.agent(AgentEvent{Action: AgentTransfer, Queue: m.queue})
				_ = m.agent(AgentEvent{Action: AgentJoin})
				_ = m.agent(AgentEvent{Action: AgentClose})
			}, nil))
		}
		c.add(x.act(m, "genesys timeout", func(m *machine) { _ = m.agent(AgentEvent{Action: AgentTimeout}) }, nil))
	}
	x.visits[at]--
	delete(x.onPath, key)
	x.memo[key] = c
	return c
}

// messages are the candidate user messages at a waiting block.
func (x *explorer) messages(b *flow.Block) []string {
	msgs := slices.Clone(x.intentMsgs)
	if b.Type == flow.TypeAsk {
		msgs = append(msgs, entitySamples(b)...)
	}
	return append(msgs, x.noMatch)
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
