package flow

var ruleUnknownIntent = &Rule{
	ID: RuleUnknownIntent, Severity: SeverityWarning,
	Summary: "a condition compares nlu.intent with an intent not declared under intents",
	check: func(ps *pass) {
		declared := map[string]bool{}
		for _, in := range ps.p.Intents {
			declared[in.Name] = true
		}
		names := intentNames(ps.p)
		ps.blocks(func(b *Block) {
			for _, e := range b.exprs() {
				if e.info == nil {
					continue
				}
				for _, lit := range e.info.intents {
					if !declared[lit.Value] {
						ps.report(e.at(lit.Off), "nlu.intent is compared with %q, which is not declared under intents%s", lit.Value, ps.suggest(lit.Value, names))
					}
				}
			}
		})
	},
}

func intentNames(p *Project) []string {
	out := make([]string, len(p.Intents))
	for i, in := range p.Intents {
		out[i] = in.Name
	}
	return out
}
