package simulate

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/flowctl/flowctl/flow"
)

// ExploreOptions bound and steer Explore. The zero value uses the defaults.
type ExploreOptions struct {
	// Resolver decides handovers as in a session: one it refuses fails.
	// One it accepts (nil: every one) branches on a successful and a
	// failed handover, since a Genesys error fails it at run time.
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
	// MaxDepth bounds the decisions on one path (default 10,000), and so
	// the explorer's stack; a longer path is cut and the report marked
	// truncated.
	MaxDepth int
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
	// TruncatedBy names the limits that cut the walk short, when
	// Truncated: the state limit, the path limit or both.
	TruncatedBy []Cut `json:"truncatedBy,omitempty"`
}

// Cut is a limit that cut the walk short.
type Cut struct {
	Limit string `json:"limit"` // CutStates or CutPath
	Max   int    `json:"max"`   // the limit's value
}

// Limits a walk can reach.
const (
	CutStates = "states" // MaxStates distinct states were explored
	CutPath   = "path"   // a path reached MaxDepth decisions
)

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
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 10_000
	}
	if p.EntryFlow() == nil {
		return nil, fmt.Errorf("%s: no entry flow %q", p.File, p.Start)
	}
	x := &explorer{ctx: ctx, opts: opts, p: p, nlu: NewRecogniser(p.Intents), cov: NewCoverage()}
	x.reset()
	x.samples()
	x.inputs = newInputs(p, x.nlu)
	x.fixed = map[*flow.Block][]string{}
	root := newMachine(p, x.nlu, nil, flow.SessionInfo{ID: "explore-1", Channel: "simulate"})
	root.track = newTracker()
	root.ctx = ctx
	var startErr error
	start := func() counts { return x.act(root, "start", func(m *machine) { startErr = m.start() }, nil, false) }
	total := start()
	if x.err == nil && startErr == nil && x.limited && !complete(x.cov.Report(p)) {
		// Some output was not taken and the limits cut some states short:
		// walk again. Beyond the limits, a state whose memory decides the
		// conditions in a new way is now explored in full, and the others
		// try their messages and agent actions where that covers
		// something new. The second walk repeats the first and adds to it.
		x.reset()
		x.second = true
		total = start()
	}
	if x.err != nil {
		return nil, x.err
	}
	if startErr != nil {
		return nil, startErr
	}
	r := &ExploreReport{File: p.File, Loops: x.loops, States: len(x.memo), Errors: slices.Sorted(maps.Keys(x.errors))}
	if x.cutStates {
		r.TruncatedBy = append(r.TruncatedBy, Cut{Limit: CutStates, Max: opts.MaxStates})
	}
	if x.cutPath {
		r.TruncatedBy = append(r.TruncatedBy, Cut{Limit: CutPath, Max: opts.MaxDepth})
	}
	r.Truncated = r.TruncatedBy != nil
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

// reset forgets the states and paths walked (not the coverage).
func (x *explorer) reset() {
	x.memo, x.onPath = map[stateKey]counts{}, map[stateKey]bool{}
	x.perBlock, x.visits = map[*flow.Block]int{}, map[*flow.Block]int{}
	x.errors = map[string]bool{}
	x.loops, x.cutStates, x.cutPath = nil, false, false
	x.projections = map[*flow.Block]map[string]bool{}
}

// complete reports whether a coverage report misses nothing.
func complete(r CoverageReport) bool {
	return len(r.Blocks.NotCovered)+len(r.Edges.NotCovered)+len(r.Exits.NotCovered) == 0
}
