package flow

var ruleAskPattern = &Rule{
	ID: RuleAskPattern, Severity: SeverityError,
	Summary: "an ask block with entity: pattern has no pattern, or a pattern with another entity",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			if b.Type != TypeAsk {
				return
			}
			switch {
			case b.Entity == EntityPattern && b.PatternPos.Line == 0:
				ps.report(b.EntityPos, "block %q expects entity pattern but has no pattern: add pattern: <Go regexp>", b.ID)
			case b.Entity != EntityPattern && b.PatternPos.Line != 0:
				ps.report(b.PatternPos, "block %q has a pattern but entity %q ignores it: set entity: pattern", b.ID, entityOrAny(b.Entity))
			}
		})
	},
}

func entityOrAny(e string) string {
	if e == "" {
		return EntityAny
	}
	return e
}
