package flow

var ruleDefaultNotLast = &Rule{
	ID: RuleDefaultNotLast, Severity: SeverityError,
	Summary: "an output without when is followed by more outputs",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			for i, o := range b.Outputs {
				if o.When == nil && i < len(b.Outputs)-1 {
					ps.report(o.Pos, "outputs[%d] has no when, so it always matches and the %d output(s) after it are never tried: move it last", i, len(b.Outputs)-1-i)
					return
				}
			}
		})
	},
}

var ruleNoDefaultOutput = &Rule{
	ID: RuleNoDefaultOutput, Severity: SeverityWarning,
	Summary: "a block with input: true has outputs but no default",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			if b.Type != TypeSay || !b.Input || len(b.Outputs) == 0 {
				return
			}
			for _, o := range b.Outputs {
				if o.When == nil {
					return
				}
			}
			ps.report(b.IDPos, "block %q waits for input but has no default output: a message no condition matches re-prompts; add a last output without when", b.ID)
		})
	},
}
