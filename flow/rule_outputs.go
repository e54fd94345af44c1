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
			ps.report(b.OutputsPos, "block %s waits for input but has no default output: a message no condition matches re-prompts; add a last output without when", b.label())
		})
	},
}

var ruleUnusedEdge = &Rule{
	ID: RuleUnusedEdge, Severity: SeverityWarning,
	Summary: "next or outputs on a block that never takes them (end, transfer; outputs on a redirect)",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			var why string
			switch b.Type {
			case TypeEnd:
				why = "an end block closes the session"
			case TypeTransfer:
				why = "a transfer continues at the start of its flow"
			case TypeRedirect:
				if len(b.Outputs) > 0 {
					ps.report(b.OutputsPos, "outputs on redirect %s are never taken: a redirect goes on by onError when the handover fails, or by next (with resume) after the agent", b.label())
				}
				return
			default:
				return
			}
			switch {
			case b.Next != nil:
				ps.report(b.Next.Pos, "next on block %s is never taken: %s", b.label(), why)
			case len(b.Outputs) > 0:
				ps.report(b.OutputsPos, "outputs on block %s are never taken: %s", b.label(), why)
			}
		})
	},
}
