package flow

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
}

// Edges returns the block's outgoing edges in file order. A redirect's next
// is a resume edge even without resume (the rules warn it is never taken).
func (b *Block) Edges() []Edge {
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
	if b.Type == TypeRedirect && b.OnError != nil {
		out = append(out, Edge{From: b, To: to(b.OnError.Name), Kind: EdgeOnError, Pos: b.OnError.Pos, Target: b.OnError.Name})
	}
	if b.Type == TypeEnd {
		return out
	}
	if b.Next != nil {
		k := EdgeNext
		if b.Type == TypeRedirect {
			k = EdgeResume
		}
		out = append(out, Edge{From: b, To: to(b.Next.Name), Kind: k, Pos: b.Next.Pos, Target: b.Next.Name})
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
