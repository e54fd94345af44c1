package flow

import "fmt"

// EdgeKind tells how the session moves along an edge.
type EdgeKind string

// Edge kinds.
const (
	EdgeNext     EdgeKind = "next"     // next of a say, ask or set block
	EdgeOutput   EdgeKind = "output"   // one of a block's outputs
	EdgeOnError  EdgeKind = "onError"  // a redirect's failed handover
	EdgeResume   EdgeKind = "resume"   // a redirect's next, after the agent closes
	EdgeTransfer EdgeKind = "transfer" // a transfer to another flow's start
)

// Edge is a possible move from one block to another.
type Edge struct {
	From  *Block
	To    *Block // nil when the target does not exist
	Kind  EdgeKind
	Index int    // EdgeOutput: index in From.Outputs
	Label string // EdgeOutput: the condition source ("" for the default)
	Pos   Pos    // where the target is named
	// Target is the named block or flow, resolved or not.
	Target string
	// Never is set on an edge no session takes: a redirect's next without
	// resume (redirect-next-without-resume warns). Coverage does not count it.
	Never bool
}

// Edges returns the block's outgoing edges in file order. A redirect's next
// is a resume edge even without resume, marked Never (the rules warn it is
// never taken).
// The slice is shared: do not modify it.
func (b *Block) Edges() []Edge {
	if b.linked {
		return b.edges
	}
	return b.computeEdges()
}

// link computes every block's edges once the whole project is known.
func (p *Project) link() {
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			b.edges, b.linked = b.computeEdges(), true
		}
	}
}

func (b *Block) computeEdges() []Edge {
	var out []Edge
	f := b.Flow
	to := func(name string) *Block {
		if f == nil {
			return nil
		}
		return f.Block(name)
	}
	if b.Type == TypeTransfer {
		if b.TargetFlow != nil {
			e := Edge{From: b, Kind: EdgeTransfer, Pos: b.TargetFlow.Pos, Target: b.TargetFlow.Name}
			if tf := b.targetFlow(); tf != nil {
				e.To = tf.Block(tf.Start)
			}
			out = append(out, e)
		}
		return out
	}
	if b.OnError != nil && (b.Type == TypeRedirect || b.Type == "") {
		out = append(out, Edge{From: b, To: to(b.OnError.Name), Kind: EdgeOnError, Pos: b.OnError.Pos, Target: b.OnError.Name})
	}
	if b.Type == TypeEnd {
		return out // the session ends: next and outputs are never taken
	}
	if b.Next != nil {
		e := Edge{From: b, To: to(b.Next.Name), Kind: EdgeNext, Pos: b.Next.Pos, Target: b.Next.Name}
		if b.Type == TypeRedirect {
			e.Kind, e.Never = EdgeResume, !b.Resume
		}
		out = append(out, e)
	}
	if b.Type == TypeRedirect {
		return out // a redirect goes on by onError or, after the agent, next
	}
	for i, o := range b.Outputs {
		e := Edge{From: b, To: to(o.Next.Name), Kind: EdgeOutput, Index: i, Pos: o.Next.Pos, Target: o.Next.Name}
		if o.When != nil {
			e.Label = o.When.Source
		}
		out = append(out, e)
	}
	return out
}

// targetFlow returns the flow a transfer block names, or nil.
func (b *Block) targetFlow() *Flow {
	if b.Flow == nil || b.Flow.project == nil || b.TargetFlow == nil {
		return nil
	}
	return b.Flow.project.Flow(b.TargetFlow.Name)
}

// Key identifies a block across the project: "flow/block".
func (b *Block) Key() string {
	if b.Flow == nil {
		return b.ID
	}
	return b.Flow.Name + "/" + b.ID
}

// Key identifies an edge across the project, for coverage:
// "flow/block -kind-> target", with the output index for outputs.
func (e Edge) Key() string {
	k := string(e.Kind)
	if e.Kind == EdgeOutput {
		k = fmt.Sprintf("output[%d]", e.Index)
	}
	to := e.Target
	if e.To != nil {
		to = e.To.Key()
	}
	return e.From.Key() + " -" + k + "-> " + to
}

// Closure reasons (spec §5).
const (
	ReasonEndOfFlow      = "end-of-flow"
	ReasonInactivity     = "inactivity"
	ReasonAgent          = "agent"
	ReasonGenesysTimeout = "genesys-timeout"
	ReasonHandoverFailed = "handover-failed"
)

// Exit is a way a session can close at a block.
type Exit struct {
	Block  *Block
	Reason string
}

// Key identifies the exit for coverage: "flow/block !reason".
func (x Exit) Key() string { return x.Block.Key() + " !" + x.Reason }

// Exits returns the ways a session can close at this block, in a fixed
// order: end of flow, inactivity while the bot waits, and for a redirect a
// failed handover without onError, an agent close without resume, and a
// Genesys timeout.
func (b *Block) Exits() []Exit {
	var out []Exit
	add := func(r string) { out = append(out, Exit{Block: b, Reason: r}) }
	switch b.Type {
	case TypeEnd:
		add(ReasonEndOfFlow)
	case TypeRedirect:
		if b.OnError == nil {
			add(ReasonHandoverFailed)
		}
		if !b.Resume {
			add(ReasonAgent)
		}
		add(ReasonGenesysTimeout)
	case TypeTransfer:
	default:
		if b.Terminal() || (!(b.Type == TypeSay && b.Input) && !hasDefault(b)) {
			add(ReasonEndOfFlow)
		}
		if b.WaitsForInput() {
			add(ReasonInactivity)
		}
	}
	return out
}

// hasDefault reports whether a block always has a way on: a next, or an
// output without when.
func hasDefault(b *Block) bool {
	if b.Next != nil {
		return true
	}
	for _, o := range b.Outputs {
		if o.When == nil {
			return true
		}
	}
	return false
}
