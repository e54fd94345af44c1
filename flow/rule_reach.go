package flow

var ruleUnreachableBlock = &Rule{
	ID: RuleUnreachableBlock, Severity: SeverityWarning,
	Summary: "no path from the flow's start reaches the block",
	check: func(ps *pass) {
		for _, f := range ps.p.Flows {
			start := f.Block(f.Start)
			if start == nil {
				continue // unknown-next reports the start; every block would be noise
			}
			seen := Reachable(start)
			for _, b := range f.Blocks {
				if !seen[b] && f.Block(b.ID) == b {
					ps.report(b.At(), "block %s is unreachable: no path from the start of flow %q leads to it", b.label(), f.Name)
				}
			}
		}
	},
}

var ruleUnreachableFlow = &Rule{
	ID: RuleUnreachableFlow, Severity: SeverityWarning,
	Summary: "a flow is neither the entry flow nor the target of a reachable transfer",
	check: func(ps *pass) {
		p := ps.p
		reached := p.ReachedFlows()
		if reached == nil {
			return
		}
		for _, f := range p.Flows {
			if !reached[f] {
				ps.report(f.Pos, "flow %q is unreachable: it is not the entry flow and no reachable transfer leads to it", f.Name)
			}
		}
	},
}

// ReachedFlows returns the flows a session can reach: the entry flow and
// the flows of every block reachable from its start; nil when the entry flow
// or its start block is unknown.
func (p *Project) ReachedFlows() map[*Flow]bool {
	entry := p.EntryFlow()
	if entry == nil {
		return nil
	}
	start := entry.Block(entry.Start)
	if start == nil {
		return nil
	}
	reached := map[*Flow]bool{entry: true}
	for b := range Reachable(start) {
		reached[b.Flow] = true
	}
	return reached
}

// Reachable returns the blocks reachable from start along every edge,
// across transfers, start included.
func Reachable(start *Block) map[*Block]bool {
	seen := map[*Block]bool{start: true}
	stack := []*Block{start}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range b.Edges() {
			if e.To != nil && !seen[e.To] {
				seen[e.To] = true
				stack = append(stack, e.To)
			}
		}
	}
	return seen
}
