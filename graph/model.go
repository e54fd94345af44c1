package graph

import (
	"fmt"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// Graph is a project drawn as nodes and edges, independent of the
// output syntax. Everything is in a fixed order (flows, then blocks in file
// order, then exits in reason order), so renderings are deterministic.
type Graph struct {
	Title    string // the project name (DOT only: Mermaid's title cannot hold < or &)
	Clusters []*Cluster
	Edges    []*Edge
	// Coverage is set when an overlay was asked for; Legend then explains it.
	Coverage *Coverage
	Legend   *Cluster
}

// Cluster is one flow: a Mermaid subgraph, a DOT cluster.
type Cluster struct {
	ID    string
	Label string
	Nodes []*Node
}

// NodeKind decides a node's shape.
type NodeKind string

// The kinds of node.
const (
	NodeStart   NodeKind = "start"   // a flow's start marker
	NodeExit    NodeKind = "exit"    // a way the session closes
	NodeMissing NodeKind = "missing" // a target that does not exist
	NodeFlowRef NodeKind = "flowref" // the start of a flow not drawn (--flow)
	NodeBlock   NodeKind = "block"   // a block of the flow
	NodeLegend  NodeKind = "legend"  // Covered tells which colour it shows
	NodeNote    NodeKind = "note"    // plain text, such as the legend's counts
)

// Node is a block, a start or exit marker, a placeholder or a legend entry.
type Node struct {
	ID    string
	Kind  NodeKind
	Type  flow.BlockType // NodeBlock: the block type ("" when unknown)
	Lines []string       // label lines, unescaped
	// Unreachable marks a block no path from its flow's start reaches.
	Unreachable bool
	// Covered is meaningful only with an overlay.
	Covered bool
}

// EdgeStyle decides how an edge is drawn.
type EdgeStyle string

// The styles of edge.
const (
	EdgeSolid  EdgeStyle = "solid"  // next, outputs, start
	EdgeThick  EdgeStyle = "thick"  // resume after the agent closes, transfers
	EdgeDotted EdgeStyle = "dotted" // failed handover, never taken, exits
)

// Edge leads from one node to another.
type Edge struct {
	From, To string // node ids
	Label    string // unescaped, may be empty
	Style    EdgeStyle
	// Covered is meaningful only with an overlay.
	Covered bool
	// Never: no session takes the edge, so the overlay neither counts nor
	// colours it.
	Never bool
}

// Coverage counts what an overlay covers among what is drawn.
type Coverage struct {
	Blocks, BlocksCovered int
	Edges, EdgesCovered   int
	Exits, ExitsCovered   int
}

// Label lengths, in runes, before a label is shortened with "…".
const (
	graphTextMax = 40
	graphCondMax = 48
)

// exitOrder is the order of a flow's exit nodes.
var exitOrder = []string{flow.ReasonEndOfFlow, flow.ReasonInactivity, flow.ReasonHandoverFailed, flow.ReasonAgent, flow.ReasonGenesysTimeout}

// build draws the project, or only the flow named only ("" for all).
// covered, when non-nil, turns on the coverage overlay.
func build(p *flow.Project, only string, covered map[string]bool) (*Graph, error) {
	flows := p.Flows
	if only != "" {
		f := p.Flow(only)
		if f == nil {
			return nil, unknownFlowError(p, only)
		}
		flows = []*flow.Flow{f}
	}
	g := &Graph{Title: p.Name}
	if covered != nil {
		g.Coverage = &Coverage{}
	}
	b := &builder{g: g, p: p, covered: covered, ids: newIDAllocator(), blockIDs: map[*flow.Block]string{}, reached: p.ReachedFlows()}
	// Node ids first, so that edges can point into flows drawn later.
	for _, f := range flows {
		for _, bl := range f.Blocks {
			b.blockIDs[bl] = b.ids.id(f.Name, "", bl.ID)
		}
	}
	for _, f := range flows {
		b.flow(f)
	}
	if g.Coverage != nil {
		b.legend()
	}
	return g, nil
}

// legend adds the overlay's key: one node per colour and the counts.
func (b *builder) legend() {
	cov := b.g.Coverage
	l := &Cluster{ID: b.ids.id("coverage", "legend", ""), Label: "coverage"}
	l.Nodes = []*Node{
		{ID: b.ids.id("coverage", "legend", "covered"), Kind: NodeLegend, Covered: true, Lines: []string{"covered"}},
		{ID: b.ids.id("coverage", "legend", "uncovered"), Kind: NodeLegend, Lines: []string{"not covered"}},
		{ID: b.ids.id("coverage", "legend", "summary"), Kind: NodeNote, Lines: []string{
			fmt.Sprintf("blocks %d/%d", cov.BlocksCovered, cov.Blocks),
			fmt.Sprintf("edges %d/%d", cov.EdgesCovered, cov.Edges),
			fmt.Sprintf("exits %d/%d", cov.ExitsCovered, cov.Exits),
		}},
	}
	b.g.Legend = l
}

// unknownFlowError names the flows the project has.
func unknownFlowError(p *flow.Project, name string) error {
	names := make([]string, len(p.Flows))
	for i, f := range p.Flows {
		names[i] = fmt.Sprintf("%q", f.Name)
	}
	if len(names) == 0 {
		return fmt.Errorf("unknown flow %q: the file has no flows", name)
	}
	return fmt.Errorf("unknown flow %q: the file has %s", name, strings.Join(names, ", "))
}

type builder struct {
	g        *Graph
	p        *flow.Project
	covered  map[string]bool
	ids      *idAllocator
	blockIDs map[*flow.Block]string
	reached  map[*flow.Flow]bool // nil: unknown
}

func (b *builder) isCovered(key string) bool { return b.covered[key] }

func (b *builder) flow(f *flow.Flow) {
	c := &Cluster{ID: b.ids.id(f.Name, "flow", ""), Label: "flow " + f.Name}
	if f.Name == b.p.Start {
		c.Label += " (entry)"
	} else if b.reached != nil && !b.reached[f] {
		c.Label += " (unreachable)"
	}
	b.g.Clusters = append(b.g.Clusters, c)
	reach := reachableBlocks(f)
	cov := b.g.Coverage

	// Start marker and its edge.
	start := &Node{ID: b.ids.id(f.Name, "start", ""), Kind: NodeStart, Lines: []string{"start"}}
	c.Nodes = append(c.Nodes, start)
	if sb := f.Block(f.Start); sb != nil {
		start.Covered = b.isCovered(sb.Key())
		b.g.Edges = append(b.g.Edges, &Edge{From: start.ID, To: b.blockIDs[sb], Style: EdgeSolid, Covered: start.Covered})
	} else {
		target := f.Start
		to := b.missing(c, f, "block", target)
		b.g.Edges = append(b.g.Edges, &Edge{From: start.ID, To: to, Style: EdgeSolid})
	}

	exits := map[string]*Node{}
	var exitEdges []*Edge
	for _, bl := range f.Blocks {
		n := &Node{ID: b.blockIDs[bl], Kind: NodeBlock, Type: bl.Type, Lines: blockLabel(bl), Covered: b.isCovered(bl.Key())}
		n.Unreachable = f.Block(f.Start) != nil && !reach[bl]
		c.Nodes = append(c.Nodes, n)
		if cov != nil {
			cov.Blocks++
			if n.Covered {
				cov.BlocksCovered++
			}
		}
		for _, e := range bl.Edges() {
			ge := &Edge{From: n.ID, Label: edgeLabel(bl, e), Style: edgeStyleOf(bl, e), Covered: b.isCovered(e.Key()), Never: e.Never}
			ge.To = b.target(c, f, e)
			b.g.Edges = append(b.g.Edges, ge)
			if cov != nil && !e.Never {
				cov.Edges++
				if ge.Covered {
					cov.EdgesCovered++
				}
			}
		}
		for _, x := range bl.Exits() {
			xn := exits[x.Reason]
			if xn == nil {
				xn = &Node{ID: b.ids.id(f.Name, "exit", x.Reason), Kind: NodeExit, Lines: []string{exitLabel(x.Reason, b.p)}}
				exits[x.Reason] = xn
			}
			ge := &Edge{From: n.ID, To: xn.ID, Style: EdgeDotted, Covered: b.isCovered(x.Key())}
			xn.Covered = xn.Covered || ge.Covered
			exitEdges = append(exitEdges, ge)
			if cov != nil {
				cov.Exits++
				if ge.Covered {
					cov.ExitsCovered++
				}
			}
		}
	}
	b.g.Edges = append(b.g.Edges, exitEdges...)
	for _, r := range exitOrder {
		if xn := exits[r]; xn != nil {
			c.Nodes = append(c.Nodes, xn)
		}
	}
}

// target returns the node an edge leads to, adding a placeholder node to c
// for a target that does not exist or a flow that is not drawn.
func (b *builder) target(c *Cluster, f *flow.Flow, e flow.Edge) string {
	if e.To != nil {
		if id, ok := b.blockIDs[e.To]; ok {
			return id
		}
		// A transfer into a flow that is not drawn.
		return b.placeholder(c, f, NodeFlowRef, "flowref", e.Target, []string{"flow " + e.Target, "(not shown)"})
	}
	if e.Kind == flow.EdgeTransfer {
		if tf := b.p.Flow(e.Target); tf != nil {
			return b.missing(c, f, "block", tf.Name+": start "+tf.Start)
		}
		return b.missing(c, f, "flow", e.Target)
	}
	return b.missing(c, f, "block", e.Target)
}

// missing returns the placeholder for a block or flow that does not exist.
func (b *builder) missing(c *Cluster, f *flow.Flow, what, name string) string {
	label := "missing " + what
	if name == "" {
		return b.placeholder(c, f, NodeMissing, "missing-"+what, name, []string{label})
	}
	return b.placeholder(c, f, NodeMissing, "missing-"+what, name, []string{label, name})
}

// placeholder returns the id of a node made once per flow, role and name.
func (b *builder) placeholder(c *Cluster, f *flow.Flow, kind NodeKind, role, name string, lines []string) string {
	if id, ok := b.ids.lookup(f.Name, role, name); ok {
		return id
	}
	id := b.ids.id(f.Name, role, name)
	c.Nodes = append(c.Nodes, &Node{ID: id, Kind: kind, Lines: lines})
	return id
}

// reachableBlocks returns the blocks reachable from f's start (empty when
// the start block is unknown). Transfers only enter a flow at its start, so
// for f's own blocks this is the same as following f's edges alone.
func reachableBlocks(f *flow.Flow) map[*flow.Block]bool {
	start := f.Block(f.Start)
	if start == nil {
		return map[*flow.Block]bool{}
	}
	return flow.Reachable(start)
}
