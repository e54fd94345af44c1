package flow

var ruleUndefinedMemory = &Rule{
	ID: RuleUndefinedMemory, Severity: SeverityWarning, Optional: true,
	Summary: "an expression reads memory.KEY that no ask variable or set block assigns (heuristic: memory may come from elsewhere)",
	check: func(ps *pass) {
		assigned := map[string]bool{}
		ps.blocks(func(b *Block) {
			if b.Variable != "" {
				assigned[b.Variable] = true
			}
			for _, a := range b.Set {
				assigned[a.Key] = true
			}
		})
		ps.blocks(func(b *Block) {
			check := func(e *Expr) {
				if e.info == nil {
					return
				}
				for _, key := range e.info.memory {
					if !assigned[key.Value] {
						ps.report(e.at(key.Off), "memory.%s is read here but no ask variable or set block assigns it", key.Value)
					}
				}
			}
			for _, e := range b.exprs() {
				check(e)
			}
			for _, t := range b.templates() {
				for _, e := range t.Exprs() {
					check(e)
				}
			}
		})
	},
}
