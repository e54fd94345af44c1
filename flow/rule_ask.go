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
			case b.Entity == EntityPattern && b.PatternPos.Line == 0 && !b.mistyped("pattern"):
				ps.report(b.EntityPos, "block %s expects entity pattern but has no pattern: add pattern: <Go regexp>", b.label())
			case b.Entity != EntityPattern && b.PatternPos.Line != 0:
				ps.report(b.PatternPos, "block %s has a pattern but entity %q ignores it: set entity: pattern", b.label(), entityOrAny(b.Entity))
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
